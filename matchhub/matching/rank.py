"""Scoring one order against one learner, and the plain reference ranker.

This docstring is the one place the ranking rules are written down; the index
(:mod:`matchhub.matching.index`) computes exactly the same numbers, vectorised.

Tier
----
Results sort by :class:`~matchhub.matching.types.Tier` first, then by score, then by
id. For an order's required skills (repeats dropped), a learner is

``MEETS``
    when they hold every required skill at or above the level asked;
``NEAR``
    when they hold every required skill, at least one of them 1..``qualify_gap``
    levels below the level asked (default: one level short);
``MISSING``
    otherwise: a required skill not held (related credit does not change that) or
    held more than ``qualify_gap`` levels short. An order with an unrecognised
    required term (``OrderProfile.unknown_required``) or without any recognised
    required skill puts everyone here: it qualifies nobody.

A learner *qualifies* exactly when their tier is ``NEAR`` or ``MEETS``.

Score
-----
Within a tier, the score orders people. It is a weighted mean of five parts, each
in 0..1 (the weights live in :class:`Weights`, the only place they are set):

``coverage``
    Required-skill coverage. Each required skill ``s`` counts with
    ``a_s = weight_s * idf_s`` where ``idf_s = ln((1 + N) / (1 + df_s)) + 1`` is the
    skill's rarity among the ``N`` learners of the supply (``df_s`` of them hold it),
    so a rare skill weighs more than one every learner has. A learner earns
    ``credit = 1 - level_step * (required level - learner level)`` for a skill held
    below the level asked (a level-2 learner for a level-4 requirement gets 0.5 with
    the default step of 0.25), 1 at or above it; for a skill they lack, 0, or, when
    they hold a *related* skill (the ``related`` mapping, used in its symmetric
    closure: Windows ~ Windows Server, SQL ~ MySQL), ``related_credit`` times the
    credit that related skill's level would earn (the best one when several);
    ``coverage = sum(a_s * credit_s) / sum(a_s)``, and 0 when nothing recognised is
    required.
``nice_coverage``
    The same over the nice-to-have skills (0 when the order lists none).
``text_similarity``
    Cosine of the TF-IDF vectors of the learner's CV text and the order's title and
    description (:mod:`matchhub.matching.tfidf`), the title line's frequencies counting
    ``ORDER_HEADLINE`` (3) times in the order's vector; the IDF is over the documents
    (learners and orders) of the index.
``locality_fit``
    1 for a remote order or the same locality, ``locality_preferred`` when the order
    is in one of the learner's preferred localities, ``locality_unknown`` when
    either side has no locality, else ``locality_other``.
``skill_overlap``
    Cosine of the rarity-weighted skill vectors: the order's holds
    ``weight_s * idf_s`` for each required and nice skill, the learner's ``idf_t``
    for each skill held. Among learners who all cover a two-skill order, the one
    whose profile is about those skills ranks first. Related skills do not count.

``score = (required * coverage + nice * nice_coverage + text * text_similarity +
locality * locality_fit + overlap * skill_overlap) / (sum of the five weights)``.

Scores are rounded to 10 decimals so that the same pair scores the same whichever
way it was computed (index, patch, rebuild or this module's reference code).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields

import numpy as np
from scipy import sparse

from matchhub.matching import tfidf
from matchhub.matching.rules import (
    SCORE_DECIMALS,
    Related,
    best_related,
    id_sort_key,
    learner_levels,
    level_credit,
    locality_fit,
    locality_key,
    order_skills,
    related_closure,
    round_score,
)
from matchhub.matching.tfidf import TEXT_FEATURES, smooth_idf, text_matrix, text_similarity
from matchhub.matching.types import LearnerProfile, MatchResult, OrderProfile, SkillMatch, Tier

__all__ = [
    "PARTS",
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
    "related_closure",
    "result_sort_key",
    "round_score",
    "smooth_idf",
    "text_matrix",
    "text_similarity",
    "tier_of",
    "weights_from_mapping",
]


@dataclass(frozen=True, slots=True)
class Weights:
    """Every tunable number of the ranker, in one place (see the module docstring).

    The five part weights need not add up to 1: the score divides by their sum, so
    they read as relative importance. Must-haves are enforced by the tier, which
    orders results before the score does; within a tier the score orders people by
    coverage, text, skill-profile overlap and locality.

    Fitted on the real-posting benchmark (``python -m bench.ranking --fit``, ITviec
    postings split by company), a mix with more text helps: with orders' titles
    weighted (session 4) required 0.1, text 0.5, overlap 0.2 reaches held-out P@10
    0.495 against 0.449 for these defaults (plain TF-IDF: 0.437), but lets an order
    naming no skill into a few top 10s; required 0.3, text 0.3, overlap 0.2 keeps
    that at 0 for imported orders (0.483 over all queries against 0.448). Neither is
    the default: 0.3/0.3/0.2 doubles the cost of ranking 100,000 learners (p50 13 → 29 ms, the
    target is 15): a larger text weight loosens the bound the index prunes with.
    A province that prefers it sets ``MATCHING_WEIGHTS``; docs/benchmarks.md has the
    figures. level_step and related_credit did not move the fit.
    """

    required: float = 0.50
    """Weight of required-skill coverage (rarity-, level- and related-aware)."""
    nice: float = 0.10
    """Weight of nice-to-have coverage: a bonus, never a condition."""
    text: float = 0.20
    """Weight of TF-IDF cosine between the CV text and the order's text."""
    locality: float = 0.10
    """Weight of locality fit."""
    overlap: float = 0.10
    """Weight of the rarity-weighted skill-profile cosine (``skill_overlap``)."""
    level_step: float = 0.25
    """Credit lost per level a learner is short of a required level (0..1)."""
    qualify_gap: int = 1
    """Most levels a learner may be short on a required skill and be NEAR (not MISSING)."""
    related_credit: float = 0.5
    """Share (0..1) of a related skill's level credit earned for a skill not held."""
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
        if self.related_credit > 1:
            raise ValueError("Weights.related_credit must be <= 1")

    @property
    def total(self) -> float:
        """Sum of the five part weights (the score's denominator)."""
        return self.required + self.nice + self.text + self.locality + self.overlap


def tier_of(n_required: int, n_within_gap: int, n_at_level: int, n_unknown: int) -> Tier:
    """The tier from counts over the order's required skills: how many there are, how
    many the learner holds within ``qualify_gap`` levels, how many at the level asked,
    and how many unrecognised required terms the order has."""
    if n_unknown or not n_required or n_within_gap < n_required:
        return Tier.MISSING
    return Tier.MEETS if n_at_level == n_required else Tier.NEAR


#: Names of the five weighted parts of the score, in the order of :class:`Weights`.
PARTS = ("required", "nice", "text", "locality", "overlap")


def explain_pair(
    order: OrderProfile,
    learner: LearnerProfile,
    *,
    skill_idf: Callable[[str], float],
    text_sim: float,
    weights: Weights,
    related: Related | None = None,
) -> MatchResult:
    """Score ``learner`` for ``order``, give the tier and explain every part.

    ``skill_idf`` gives the rarity of a skill in the supply; ``text_sim`` is the
    TF-IDF cosine of the two texts (computed by the caller, who owns the corpus);
    ``related`` is a closed relation (:func:`related_closure`).
    O(skills of the order + skills of the learner).
    """
    levels = learner_levels(learner)
    required, nice = order_skills(order)
    step = weights.level_step
    matched: list[SkillMatch] = []
    partial: list[SkillMatch] = []
    missing: list[SkillMatch] = []
    via: list[SkillMatch] = []
    num = den = dot = order_sq = 0.0
    within = at_level = 0
    for req in required:
        idf = skill_idf(req.skill_id)
        a = req.weight * idf
        den += a
        order_sq += a * a
        held = levels.get(req.skill_id, 0)
        if held == 0:
            missing.append(SkillMatch(req.skill_id, req.level, 0, a))
            best = best_related(req.skill_id, levels, related) if related else None
            if best is not None:
                num += a * (weights.related_credit * level_credit(best[1], req.level, step))
                via.append(SkillMatch(req.skill_id, req.level, best[1], a, best[0]))
            continue
        dot += a * idf
        num += a * level_credit(held, req.level, step)
        item = SkillMatch(req.skill_id, req.level, held, a)
        (matched if held >= req.level else partial).append(item)
        at_level += held >= req.level
        within += req.level - held <= weights.qualify_gap
    coverage = num / den if den > 0 else 0.0
    nice_num = nice_den = 0.0
    nice_held: list[SkillMatch] = []
    for req in nice:
        idf = skill_idf(req.skill_id)
        a = req.weight * idf
        nice_den += a
        order_sq += a * a
        held = levels.get(req.skill_id, 0)
        if held:
            dot += a * idf
            nice_num += a * level_credit(held, req.level, step)
            nice_held.append(SkillMatch(req.skill_id, req.level, held, a))
        elif related:
            best = best_related(req.skill_id, levels, related)
            if best is not None:
                nice_num += a * (weights.related_credit * level_credit(best[1], req.level, step))
    nice_cov = nice_num / nice_den if nice_den > 0 else 0.0
    overlap = 0.0
    if dot > 0.0:
        learner_sq = 0.0
        for skill_id in levels:
            idf = skill_idf(skill_id)
            learner_sq += idf * idf
        overlap = min(dot / (math.sqrt(order_sq) * math.sqrt(learner_sq)), 1.0)
    loc = locality_fit(order, learner, weights)
    unknown = order.unknown_terms() if order.unknown_required else ()
    w = weights
    total = w.total
    v_req = w.required * coverage
    v_nice = w.nice * nice_cov
    v_text = w.text * text_sim
    v_loc = w.locality * loc
    v_overlap = w.overlap * overlap
    # Added in this order by every code path, so the float sums agree. Components are
    # rounded like the score so explanations read cleanly and compare across paths.
    r = round_score
    return MatchResult(
        order_id=order.id,
        learner_id=learner.id,
        score=r((v_req + v_nice + v_text + v_loc + v_overlap) / total),
        tier=tier_of(len(required), within, at_level, len(unknown)),
        matched=tuple(matched),
        partial=tuple(partial),
        missing=tuple(missing),
        components=(
            ("required", r(v_req / total)),
            ("nice", r(v_nice / total)),
            ("text", r(v_text / total)),
            ("locality", r(v_loc / total)),
            ("overlap", r(v_overlap / total)),
            ("coverage", r(coverage)),
            ("nice_coverage", r(nice_cov)),
            ("text_similarity", r(text_sim)),
            ("locality_fit", r(loc)),
            ("skill_overlap", r(overlap)),
        ),
        nice=tuple(nice_held),
        related=tuple(via),
        unknown=unknown,
    )


class _Corpus:
    """Supply statistics of a plain list of learners and orders (reference path)."""

    def __init__(self, learners: Sequence[LearnerProfile], orders: Sequence[OrderProfile]):
        self.n_learners = len(learners)
        self.skill_df: dict[str, int] = {}
        for learner in learners:
            for skill_id in learner_levels(learner):
                self.skill_df[skill_id] = self.skill_df.get(skill_id, 0) + 1
        # Orders' titles weigh ORDER_HEADLINE (matchhub.matching.tfidf), as in the index.
        matrix = sparse.vstack(
            (
                text_matrix([lr.text for lr in learners]),
                text_matrix([o.text for o in orders], tfidf.ORDER_HEADLINE),
            ),
            format="csr",
        )
        n_texts = len(learners) + len(orders)
        self.docs = [
            (
                matrix.indices[matrix.indptr[i] : matrix.indptr[i + 1]],
                matrix.data[matrix.indptr[i] : matrix.indptr[i + 1]],
            )
            for i in range(n_texts)
        ]
        self.n_docs = n_texts
        df = np.bincount(matrix.indices, minlength=TEXT_FEATURES) if matrix.nnz else None
        self.text_df = df

    def skill_idf(self, skill_id: str) -> float:
        return float(smooth_idf(self.skill_df.get(skill_id, 0), self.n_learners))

    def text_idf(self, feature: int) -> float:
        df = 0 if self.text_df is None else int(self.text_df[feature])
        return float(smooth_idf(df, self.n_docs))


def result_sort_key(result: MatchResult, by_learner: bool) -> tuple:
    """Sort key of the ranking order: tier descending, score descending, then id."""
    item_id = result.learner_id if by_learner else result.order_id
    return (-result.tier, -result.score, id_sort_key(item_id))


def _top(
    results: Iterable[MatchResult], k: int, min_tier: Tier | None, *, by_learner: bool
) -> tuple[MatchResult, ...]:
    if min_tier is not None:
        results = (r for r in results if r.tier >= min_tier)
    return tuple(sorted(results, key=lambda r: result_sort_key(r, by_learner))[:k])


def rank_learners(
    order: OrderProfile,
    learners: Sequence[LearnerProfile],
    k: int = 20,
    weights: Weights | None = None,
    *,
    related: Mapping[str, Iterable[str]] | None = None,
    min_tier: Tier | None = None,
) -> tuple[MatchResult, ...]:
    """Top ``k`` learners for ``order`` (tier, then score, then id), in plain Python.

    The reference the index is tested against, and the benchmark's baseline: the
    supply is ``learners`` and the text corpus is ``learners`` plus ``order``, the
    same as a :class:`~matchhub.matching.index.MatchIndex` holding exactly those.
    ``related`` maps skills to related skills (symmetric closure taken); ``min_tier``
    keeps only learners at that tier or above. O(total size of the learners).
    """
    weights = weights or Weights()
    closed = related_closure(related)
    corpus = _Corpus(learners, [order])
    q = corpus.docs[-1]
    results = (
        explain_pair(
            order,
            learner,
            skill_idf=corpus.skill_idf,
            text_sim=text_similarity(q, corpus.docs[i], corpus.text_idf),
            weights=weights,
            related=closed,
        )
        for i, learner in enumerate(learners)
    )
    return _top(results, k, min_tier, by_learner=True)


def rank_orders(
    learner: LearnerProfile,
    orders: Sequence[OrderProfile],
    k: int = 20,
    weights: Weights | None = None,
    supply: Sequence[LearnerProfile] | None = None,
    *,
    related: Mapping[str, Iterable[str]] | None = None,
    min_tier: Tier | None = None,
) -> tuple[MatchResult, ...]:
    """Top ``k`` orders for ``learner`` (tier, then score, then id), in plain Python.

    ``supply`` is the learner population whose rarity weights the skills (default:
    just ``learner``); the text corpus is ``supply`` plus ``orders``. ``related`` and
    ``min_tier`` as in :func:`rank_learners`. O(total size).
    """
    weights = weights or Weights()
    closed = related_closure(related)
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
            related=closed,
        )
        for i, order in enumerate(orders)
    )
    return _top(results, k, min_tier, by_learner=False)


def weights_from_mapping(values: Mapping[str, float]) -> Weights:
    """Build :class:`Weights` from a mapping (e.g. app config); unknown keys raise TypeError."""
    return Weights(**dict(values))
