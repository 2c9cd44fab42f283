"""Scoring one order against one learner, and the plain reference ranker.

The score of a learner ``l`` for an order ``o`` is a weighted mean of four parts,
each in 0..1 (the weights live in :class:`Weights`, the only place they are set):

``coverage``
    Required-skill coverage. Each required skill ``s`` counts with
    ``a_s = weight_s * idf_s`` where ``idf_s = ln((1 + N) / (1 + df_s)) + 1`` is the
    skill's rarity among the ``N`` learners of the supply (``df_s`` of them hold it),
    so a rare skill weighs more than one every learner has. A learner earns
    ``credit = 1 - level_step * (required level - learner level)`` for a skill held
    below the level asked (a level-2 learner for a level-4 requirement gets 0.5 with
    the default step of 0.25), 1 at or above it and 0 without it;
    ``coverage = sum(a_s * credit_s) / sum(a_s)`` (1 when nothing is required).
``nice_coverage``
    The same over the nice-to-have skills (0 when the order lists none).
``text_similarity``
    Cosine of the TF-IDF vectors of the learner's CV text and the order's title and
    description. Tokens come from scikit-learn's ``HashingVectorizer`` over
    accent-folded text with sub-linear term frequency ``1 + ln(tf)``; the IDF is the
    same smoothed formula over the documents (learners and orders) of the index.
``locality_fit``
    1 for a remote order or the same locality, ``locality_preferred`` when the order
    is in one of the learner's preferred localities, ``locality_unknown`` when
    either side has no locality, else ``locality_other``.

A learner *qualifies* for an order when every required skill is held at no more
than ``qualify_gap`` levels below the level asked (default: at least level-1) and
the score reaches ``qualify_score``. Scores are rounded to 10 decimals so that the
same pair scores the same whichever way it was computed (index, patch, rebuild or
this module's reference code), and ties are broken by id.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

from matchhub.matching.types import (
    LearnerProfile,
    MatchResult,
    OrderProfile,
    SkillMatch,
    SkillReq,
)

__all__ = [
    "SCORE_DECIMALS",
    "TEXT_FEATURES",
    "Weights",
    "explain_pair",
    "id_sort_key",
    "learner_levels",
    "level_credit",
    "locality_fit",
    "locality_key",
    "order_skills",
    "rank_learners",
    "rank_orders",
    "round_score",
    "smooth_idf",
    "text_matrix",
    "text_similarity",
    "weights_from_mapping",
]

#: Decimals kept in a score; see the module docstring for why scores are rounded.
SCORE_DECIMALS = 10
#: Width of the hashed text feature space (collisions are rare at 2**20).
TEXT_FEATURES = 2**20


@dataclass(frozen=True, slots=True)
class Weights:
    """Every tunable number of the ranker, in one place.

    The four part weights need not add up to 1: the score divides by their sum, so
    they read as relative importance. Defaults favour skills, as the province's
    orders are skill orders first.
    """

    required: float = 0.60
    """Weight of required-skill coverage (rarity- and level-aware)."""
    nice: float = 0.10
    """Weight of nice-to-have coverage: a bonus, never a condition."""
    text: float = 0.20
    """Weight of TF-IDF cosine between the CV text and the order's text."""
    locality: float = 0.10
    """Weight of locality fit."""
    level_step: float = 0.25
    """Credit lost per level a learner is short of a required level (0..1)."""
    qualify_gap: int = 1
    """Most levels a learner may be short on any required skill and still qualify."""
    qualify_score: float = 0.50
    """Least score to qualify. With the defaults, a learner holding every required
    skill at the level asked always qualifies (0.6 from skills alone), while one a
    level short on every required skill (0.45 from skills) also needs some
    nice-to-have, text or locality fit."""
    locality_same: float = 1.0
    """Fit when the learner lives where the order is, or the order is remote."""
    locality_preferred: float = 0.75
    """Fit when the order's locality is one of the learner's preferred localities."""
    locality_unknown: float = 0.5
    """Fit when the order or the learner has no locality."""
    locality_other: float = 0.0
    """Fit when the localities differ and the learner did not list the order's."""

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError(f"Weights.{f.name} must be a number")
            if value < 0 or not math.isfinite(value):
                raise ValueError(f"Weights.{f.name} must be finite and >= 0")
        if self.total <= 0:
            raise ValueError("Weights: at least one part weight must be > 0")
        if self.level_step > 1:
            raise ValueError("Weights.level_step must be <= 1")

    @property
    def total(self) -> float:
        """Sum of the four part weights (the score's denominator)."""
        return self.required + self.nice + self.text + self.locality


def smooth_idf(df: int | np.ndarray, n: int) -> float | np.ndarray:
    """Smoothed inverse document frequency ``ln((1 + n) / (1 + df)) + 1`` (as scikit-learn)."""
    if isinstance(df, np.ndarray):
        return np.log((1.0 + n) / (1.0 + df)) + 1.0
    return math.log((1.0 + n) / (1.0 + df)) + 1.0


def level_credit(learner_level: int, required_level: int, step: float) -> float:
    """Credit (0..1) of holding a skill at ``learner_level`` when ``required_level`` is asked.

    0 when the skill is not held (level 0), 1 at or above the level, and
    ``1 - step * shortfall`` (never below 0) in between.
    """
    if learner_level <= 0:
        return 0.0
    gap = max(required_level - learner_level, 0)
    return min(max(1.0 - step * gap, 0.0), 1.0)


_SCALE = 10.0**SCORE_DECIMALS


def round_score(value: float) -> float:
    """Round a score the way every code path does.

    Bit-for-bit what ``np.round(array, SCORE_DECIMALS)`` does to each element (scale,
    round half to even, unscale), without numpy's per-call overhead.
    """
    return round(value * _SCALE) / _SCALE


def id_sort_key(value: str | int) -> tuple[int, int, str]:
    """Total order over mixed int/str ids: ints first by value, then strs."""
    if isinstance(value, int):
        return (0, value, "")
    return (1, 0, str(value))


def locality_key(locality: str | None) -> str | None:
    """Comparison key of a locality name: case-folded, whitespace collapsed; None if blank."""
    if locality is None:
        return None
    key = " ".join(locality.split()).casefold()
    return key or None


def learner_levels(learner: LearnerProfile) -> dict[str, int]:
    """The learner's skills as ``{skill_id: level}``; a repeated skill keeps its highest level."""
    levels: dict[str, int] = {}
    for skill_id, level in learner.skills:
        if level > levels.get(skill_id, 0):
            levels[skill_id] = level
    return levels


def order_skills(order: OrderProfile) -> tuple[tuple[SkillReq, ...], tuple[SkillReq, ...]]:
    """The order's (required, nice) skills with repeats dropped.

    A skill listed twice keeps its first listing; a skill both required and nice
    counts as required only. Order of listing is kept (explanations follow it).
    """
    seen: set[str] = set()
    required = []
    for req in order.required:
        if req.skill_id not in seen:
            seen.add(req.skill_id)
            required.append(req)
    nice = []
    for req in order.nice:
        if req.skill_id not in seen:
            seen.add(req.skill_id)
            nice.append(req)
    return tuple(required), tuple(nice)


def locality_fit(order: OrderProfile, learner: LearnerProfile, weights: Weights) -> float:
    """Locality fit (0..1) of ``learner`` for ``order``; see the module docstring."""
    if order.remote:
        return weights.locality_same
    order_loc = locality_key(order.locality)
    learner_loc = locality_key(learner.locality)
    if order_loc is None or learner_loc is None:
        return weights.locality_unknown
    if order_loc == learner_loc:
        return weights.locality_same
    if any(locality_key(p) == order_loc for p in learner.preferred_localities):
        return weights.locality_preferred
    return weights.locality_other


_TOKEN_RE = re.compile(rb"\w\w+")


def _text_tokens(text: str) -> list[bytes]:
    # The shared fold() walks characters in Python; for whole CVs this C-level
    # equivalent (NFD, drop marks via ASCII encoding, đ by hand) is ~20x faster.
    # Tokens stay bytes: the hasher takes them as they are (same hash as the str).
    folded = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return _TOKEN_RE.findall(folded.encode("ascii", "ignore"))


_VECTORIZER = HashingVectorizer(
    n_features=TEXT_FEATURES,
    analyzer=_text_tokens,
    alternate_sign=False,
    norm=None,
    dtype=np.float64,
)


def text_matrix(texts: Sequence[str]) -> sparse.csr_matrix:
    """Sub-linear term frequencies ``1 + ln(tf)`` of ``texts``, one CSR row each.

    Columns are hashed tokens (TEXT_FEATURES wide); indices are sorted in every row.
    O(total text length).
    """
    texts = list(texts)
    if not texts:
        return sparse.csr_matrix((0, TEXT_FEATURES), dtype=np.float64)
    matrix = _VECTORIZER.transform(texts).tocsr()
    matrix.sort_indices()
    np.log(matrix.data, out=matrix.data)
    matrix.data += 1.0
    # Quantised to float32 so the index can store them in half the memory and
    # every code path still computes with the very same values.
    matrix.data = matrix.data.astype(np.float32).astype(np.float64)
    return matrix


def text_similarity(
    a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray], idf: Callable[[int], float]
) -> float:
    """TF-IDF cosine of two documents given as (feature ids, sub-linear tf) arrays.

    ``idf`` maps a feature id to its IDF. O(len(a) + len(b)). 0 for an empty document.
    """
    fa = {int(f): float(v) * idf(int(f)) for f, v in zip(*a, strict=True)}
    fb = {int(f): float(v) * idf(int(f)) for f, v in zip(*b, strict=True)}
    na = math.sqrt(sum(v * v for v in fa.values()))
    nb = math.sqrt(sum(v * v for v in fb.values()))
    if na == 0.0 or nb == 0.0:
        return 0.0
    dot = sum(v * fb[f] for f, v in fa.items() if f in fb)
    return min(dot / (na * nb), 1.0)


def explain_pair(
    order: OrderProfile,
    learner: LearnerProfile,
    *,
    skill_idf: Callable[[str], float],
    text_sim: float,
    weights: Weights,
) -> MatchResult:
    """Score ``learner`` for ``order`` and explain every part of the score.

    ``skill_idf`` gives the rarity of a skill in the supply; ``text_sim`` is the
    TF-IDF cosine of the two texts (computed by the caller, who owns the corpus).
    O(skills of the order + skills of the learner).
    """
    levels = learner_levels(learner)
    required, nice = order_skills(order)
    matched: list[SkillMatch] = []
    partial: list[SkillMatch] = []
    missing: list[SkillMatch] = []
    num = den = 0.0
    all_met = True
    for req in required:
        a = req.weight * skill_idf(req.skill_id)
        den += a
        held = levels.get(req.skill_id, 0)
        item = SkillMatch(req.skill_id, req.level, held, a)
        if held == 0:
            missing.append(item)
            all_met = False
            continue
        num += a * level_credit(held, req.level, weights.level_step)
        if held >= req.level:
            matched.append(item)
        else:
            partial.append(item)
            if req.level - held > weights.qualify_gap:
                all_met = False
    coverage = num / den if den > 0 else 1.0
    nice_num = nice_den = 0.0
    nice_held: list[SkillMatch] = []
    for req in nice:
        a = req.weight * skill_idf(req.skill_id)
        nice_den += a
        held = levels.get(req.skill_id, 0)
        if held:
            nice_num += a * level_credit(held, req.level, weights.level_step)
            nice_held.append(SkillMatch(req.skill_id, req.level, held, a))
    nice_cov = nice_num / nice_den if nice_den > 0 else 0.0
    loc = locality_fit(order, learner, weights)
    total = weights.total
    parts = (
        weights.required * coverage / total,
        weights.nice * nice_cov / total,
        weights.text * text_sim / total,
        weights.locality * loc / total,
    )
    score = round_score(
        (
            weights.required * coverage
            + weights.nice * nice_cov
            + weights.text * text_sim
            + weights.locality * loc
        )
        / total
    )
    # Rounded like the score so explanations read cleanly and compare across paths.
    components = tuple(
        (name, round_score(value))
        for name, value in (
            ("required", parts[0]),
            ("nice", parts[1]),
            ("text", parts[2]),
            ("locality", parts[3]),
            ("coverage", coverage),
            ("nice_coverage", nice_cov),
            ("text_similarity", text_sim),
            ("locality_fit", loc),
        )
    )
    return MatchResult(
        order_id=order.id,
        learner_id=learner.id,
        score=score,
        qualifies=all_met and score >= weights.qualify_score,
        matched=tuple(matched),
        partial=tuple(partial),
        missing=tuple(missing),
        components=components,
        nice=tuple(nice_held),
    )


class _Corpus:
    """Supply statistics of a plain list of learners and orders (reference path)."""

    def __init__(self, learners: Sequence[LearnerProfile], orders: Sequence[OrderProfile]):
        self.n_learners = len(learners)
        self.skill_df: dict[str, int] = {}
        for learner in learners:
            for skill_id in learner_levels(learner):
                self.skill_df[skill_id] = self.skill_df.get(skill_id, 0) + 1
        texts = [lr.text for lr in learners] + [o.text for o in orders]
        matrix = text_matrix(texts)
        self.docs = [
            (
                matrix.indices[matrix.indptr[i] : matrix.indptr[i + 1]],
                matrix.data[matrix.indptr[i] : matrix.indptr[i + 1]],
            )
            for i in range(len(texts))
        ]
        self.n_docs = len(texts)
        df = np.bincount(matrix.indices, minlength=TEXT_FEATURES) if matrix.nnz else None
        self.text_df = df

    def skill_idf(self, skill_id: str) -> float:
        return float(smooth_idf(self.skill_df.get(skill_id, 0), self.n_learners))

    def text_idf(self, feature: int) -> float:
        df = 0 if self.text_df is None else int(self.text_df[feature])
        return float(smooth_idf(df, self.n_docs))


def _top(results: Iterable[MatchResult], k: int, key: Callable[[MatchResult], object]) -> tuple:
    return tuple(sorted(results, key=key)[:k])


def rank_learners(
    order: OrderProfile,
    learners: Sequence[LearnerProfile],
    k: int = 20,
    weights: Weights | None = None,
) -> tuple[MatchResult, ...]:
    """Top ``k`` learners for ``order``, scoring every learner in plain Python.

    The reference the index is tested against, and the benchmark's baseline: the
    supply is ``learners`` and the text corpus is ``learners`` plus ``order``, the
    same as a :class:`~matchhub.matching.index.MatchIndex` holding exactly those.
    O(total size of the learners).
    """
    weights = weights or Weights()
    corpus = _Corpus(learners, [order])
    q = corpus.docs[-1]
    results = (
        explain_pair(
            order,
            learner,
            skill_idf=corpus.skill_idf,
            text_sim=text_similarity(q, corpus.docs[i], corpus.text_idf),
            weights=weights,
        )
        for i, learner in enumerate(learners)
    )
    return _top(results, k, lambda r: (-r.score, id_sort_key(r.learner_id)))


def rank_orders(
    learner: LearnerProfile,
    orders: Sequence[OrderProfile],
    k: int = 20,
    weights: Weights | None = None,
    supply: Sequence[LearnerProfile] | None = None,
) -> tuple[MatchResult, ...]:
    """Top ``k`` orders for ``learner``, scoring every order in plain Python.

    ``supply`` is the learner population whose rarity weights the skills (default:
    just ``learner``); the text corpus is ``supply`` plus ``orders``. O(total size).
    """
    weights = weights or Weights()
    supply = list(supply) if supply is not None else [learner]
    if all(s.id != learner.id for s in supply):
        supply.append(learner)
    corpus = _Corpus(supply, orders)
    position = next(i for i, s in enumerate(supply) if s.id == learner.id)
    q = corpus.docs[position]
    n = len(supply)
    results = (
        explain_pair(
            order,
            learner,
            skill_idf=corpus.skill_idf,
            text_sim=text_similarity(corpus.docs[n + i], q, corpus.text_idf),
            weights=weights,
        )
        for i, order in enumerate(orders)
    )
    return _top(results, k, lambda r: (-r.score, id_sort_key(r.order_id)))


def weights_from_mapping(values: Mapping[str, float]) -> Weights:
    """Build :class:`Weights` from a mapping (e.g. app config); unknown keys raise TypeError."""
    return Weights(**dict(values))
