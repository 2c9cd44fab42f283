"""The serving index: every learner and order in column-access sparse form.

Ranking learners for an order touches only the columns of the order's skills (and
of skills related to them) and text tokens (CSC slices of a learner x skill level
matrix and a learner x token TF matrix), so a query costs O(learners holding those
skills + learners sharing those tokens) numpy work rather than O(learners x skills)
Python work. Ranking orders for a learner works the same way over order x skill
requirement matrices. The score and tier rules are those of
:mod:`matchhub.matching.rank` (the reference this index is tested against);
storage and patching live in :mod:`matchhub.matching.store`, the per-row scoring
in :mod:`matchhub.matching.parts`.

Results sort by tier, then score, then id. A top-k query computes every row's tier
and its parts other than text, which bound its score from below (text similarity
0) and above (similarity 1). Since scores lie in 0..1, the key ``2 * tier + score``
sorts like (tier, score), and its bounds are ``2 * tier`` plus the score's; text is
scored only for the rows whose upper bound can still reach the k-th best key, so the
answer is the exact top k while text work stays small.

Not thread-safe for writes: the web app builds or patches one index per worker.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from matchhub.matching.blocks import Side
from matchhub.matching.parts import BlockScoring, Parts
from matchhub.matching.rank import Weights, explain_pair
from matchhub.matching.rules import SCORE_DECIMALS, id_sort_key, related_closure
from matchhub.matching.sparse import EMPTY_I, Doc, cosine
from matchhub.matching.store import IndexStore
from matchhub.matching.types import LearnerProfile, MatchResult, OrderProfile, Tier

__all__ = ["MatchIndex", "OrderScores"]

# Below this many tied candidates a Python sort by id is cheaper than the global rank.
_SMALL_SORT = 4096
# Scores are rounded to 1e-10; bounds get this much room so pruning never drops a tie.
_BOUND_SLACK = 1e-9


@dataclass(frozen=True, slots=True)
class OrderScores:
    """Every eligible order's score and tier for one learner, arrays aligned with ``ids``.

    ``tier`` holds :class:`Tier` int values and ``qualifies`` is ``tier >= NEAR``;
    ``short`` counts the order's required terms the learner lacks or holds more than
    ``qualify_gap`` levels below the level asked (unrecognised terms included).
    """

    ids: np.ndarray
    score: np.ndarray
    qualifies: np.ndarray
    short: np.ndarray
    tier: np.ndarray


def _floor_tier(min_tier: Tier | None, qualified_only: bool) -> Tier | None:
    if qualified_only and (min_tier is None or min_tier < Tier.NEAR):
        return Tier.NEAR
    return min_tier


class MatchIndex(IndexStore, BlockScoring):
    """Learners and orders ready for ranking, with incremental updates.

    Build once with ``MatchIndex(learners, orders)`` (O(total size); ~100k learners
    and 20k orders in a few seconds), then keep it current with
    :meth:`upsert_learner`, :meth:`remove_learner`, :meth:`upsert_order` and
    :meth:`remove_order` (O(profile size) each, plus lazy O(delta) work at the next
    query). Ids must be unique per side; an upsert of a known id replaces it.
    ``related`` maps a skill id to related skill ids (its symmetric closure is used;
    fixed for the index's life). ``compact_at`` is the least delta size that is
    folded into the base.
    """

    def __init__(
        self,
        learners: Iterable[LearnerProfile] = (),
        orders: Iterable[OrderProfile] = (),
        weights: Weights | None = None,
        *,
        related: Mapping[str, Iterable[str]] | None = None,
        compact_at: int = 256,
    ) -> None:
        self.weights = weights or Weights()
        self._related = related_closure(related)
        super().__init__(learners, orders, compact_at=compact_at)

    # ----------------------------------------------------------------- queries

    def _resolve(self, side: Side, item, cls, what: str):
        if isinstance(item, cls):
            return item
        try:
            return side.profiles[item]
        except KeyError:
            raise KeyError(f"unknown {what} id {item!r}") from None

    def _eligible(self, side: Side, candidates: Collection | None) -> np.ndarray:
        ok = side.alive_mask()
        if candidates is not None:
            allowed = np.zeros(len(ok), dtype=bool)
            allowed[side.position_of(candidates)] = True
            ok &= allowed
        return ok

    def _score(
        self,
        side: Side,
        query,
        doc: Doc,
        *,
        learners: bool,
        candidates,
        min_tier: Tier | None,
        limit: int | None,
        min_score: float | None = None,
    ):
        """Scores of the rows that can make the best ``limit`` (all eligible rows when None).

        Tier, skill, overlap and locality parts are computed for every row (cheap
        column slices); the text part only for rows that can still make the cut. A
        row's key ``2 * tier + score`` lies between its lower bound (text similarity 0)
        and upper bound (similarity 1). First, rows whose upper bound is below the
        ``limit``-th best lower bound are dropped; then the text of the ``2 * limit``
        rows with the best lower bounds is scored, and rows whose upper bound is below
        the ``limit``-th best of those exact keys are dropped too. What is left holds
        the exact top ``limit``. Rows below ``min_tier`` are never scored; rows that
        may fail ``min_score`` never count towards a bound.
        Returns (positions, score, text, tier, short), unsorted (short None for learners).
        """
        w = self.weights
        part = self._learner_parts if learners else self._order_parts
        blocks: list[Parts] = [part(query, b) for b in (side.base, side.delta)]
        if not side.delta.n:  # the usual case after a compaction: no copies
            skill, loc, overlap, tier, short = (
                blocks[0].skill,
                blocks[0].loc,
                blocks[0].overlap,
                blocks[0].tier,
                blocks[0].short,
            )
        else:
            skill, loc, overlap, tier = (
                np.concatenate([getattr(p, name) for p in blocks])
                for name in ("skill", "loc", "overlap", "tier")
            )
            short = None if learners else np.concatenate([p.short for p in blocks])
        ok = self._eligible(side, candidates)
        if min_tier is not None:
            ok &= tier >= min_tier
        lower = (skill + loc + overlap) / w.total
        reach = w.text / w.total + _BOUND_SLACK
        if min_score is not None:
            ok &= lower + reach >= min_score
        pos = np.flatnonzero(ok)
        key_lower = 2.0 * tier + lower

        def exact(rows: np.ndarray):
            cut = np.searchsorted(rows, side.base.n)
            text = np.concatenate(
                (
                    self._text_rows(side.base, doc, rows[:cut]),
                    self._text_rows(side.delta, doc, rows[cut:] - side.base.n),
                )
            )
            total = skill[rows] + w.text * text + loc[rows] + overlap[rows]
            return text, np.round(total / w.total, SCORE_DECIMALS)

        def kth(values: np.ndarray) -> float:
            return float(-np.partition(-values, limit - 1)[limit - 1])

        if limit is None or limit >= len(pos) or limit <= 0:
            text, score = exact(pos)
        else:
            lb = key_lower[pos]
            if min_score is not None:
                lb = np.where(lower[pos] >= min_score + _BOUND_SLACK, lb, -np.inf)
            theta = kth(lb)
            if np.isfinite(theta):
                pos = pos[key_lower[pos] + reach >= theta]
            first = 2 * limit
            if len(pos) <= 4 * first:
                text, score = exact(pos)
            else:
                head = np.zeros(len(pos), dtype=bool)
                head[np.argpartition(-key_lower[pos], first)[:first]] = True
                t0, s0 = exact(pos[head])
                got = (2.0 * tier[pos[head]] + s0)[_kept(s0, min_score)]
                theta = kth(got) if len(got) >= limit else -np.inf
                tail = pos[~head]
                tail = tail[key_lower[tail] + reach >= theta]
                t1, s1 = exact(tail)
                pos = np.concatenate((pos[head], tail))
                text = np.concatenate((t0, t1))
                score = np.concatenate((s0, s1))
        if min_score is not None:
            keep = _kept(score, min_score)
            pos, score, text = pos[keep], score[keep], text[keep]
        return pos, score, text, tier[pos], None if short is None else short[pos]

    def _order_by(
        self, side: Side, pos: np.ndarray, score: np.ndarray, tier: np.ndarray, limit: int | None
    ) -> np.ndarray:
        """Indices into ``pos`` of the best ``limit`` (all when None): tier desc, score
        desc, then id."""
        idx = np.arange(len(pos))
        if limit is not None and limit < len(idx):
            if limit <= 0:
                return EMPTY_I
            key = 2.0 * tier + score
            kth = -np.partition(-key, limit - 1)[limit - 1]
            idx = idx[key >= kth]
        s, t = score[idx], tier[idx]
        if len(idx) <= _SMALL_SORT:
            ids = [side.id_at(int(p)) for p in pos[idx]]
            order = sorted(range(len(idx)), key=lambda j: (-t[j], -s[j], id_sort_key(ids[j])))
            idx = idx[np.asarray(order, dtype=np.int64)]
        else:
            idx = idx[np.lexsort((side.id_rank()[pos[idx]], -s, -t))]
        return idx if limit is None else idx[:limit]

    def _ranked(self, query, *, learners: bool, candidates, min_tier, limit, min_score):
        side = self._fresh(self._learners if learners else self._orders, learners=learners)
        other = self._orders if learners else self._learners
        doc = self._query_doc(other, query)
        pos, score, text, tier, _ = self._score(
            side,
            query,
            doc,
            learners=learners,
            candidates=candidates,
            min_tier=min_tier,
            limit=limit,
            min_score=min_score,
        )
        idx = self._order_by(side, pos, score, tier, limit)
        return side, pos[idx], text[idx]

    def rank_learners(
        self,
        order: OrderProfile | str | int,
        k: int = 20,
        candidates: Collection | None = None,
        *,
        offset: int = 0,
        qualified_only: bool = False,
        min_score: float | None = None,
        min_tier: Tier | None = None,
    ) -> tuple[MatchResult, ...]:
        """The best learners for an order (an indexed id or any OrderProfile).

        Results ``offset`` .. ``offset + k`` by tier, then score (both descending),
        ties by learner id. ``candidates`` restricts the answer to those learner ids
        (visibility, consent, filters): no other learner is ever returned.
        ``min_tier`` keeps learners at that tier or above (``qualified_only`` is
        ``min_tier=Tier.NEAR``), ``min_score`` those scoring at least that.
        Cost: O(learners holding the order's skills) numpy work, text scoring of the
        learners that can still make the cut (module docstring), O(k) explanations.
        """
        order = self._resolve(self._orders, order, OrderProfile, "order")
        side, pos, text = self._ranked(
            order,
            learners=True,
            candidates=candidates,
            min_tier=_floor_tier(min_tier, qualified_only),
            limit=max(offset + k, 0),
            min_score=min_score,
        )
        return tuple(
            self._explain(order, side.profiles[side.id_at(int(p))], float(t))
            for p, t in zip(pos[offset:], text[offset:], strict=True)
        )

    def rank_orders(
        self,
        learner: LearnerProfile | str | int,
        k: int = 20,
        candidates: Collection | None = None,
        *,
        offset: int = 0,
        qualified_only: bool = False,
        min_score: float | None = None,
        min_tier: Tier | None = None,
    ) -> tuple[MatchResult, ...]:
        """The best orders for a learner (an indexed id or any LearnerProfile).

        Same contract as :meth:`rank_learners` with the sides swapped; ``candidates``
        restricts to those order ids (e.g. open orders the learner may see).
        O(orders needing the learner's skills or related ones) + pruned text scoring
        + O(k).
        """
        learner = self._resolve(self._learners, learner, LearnerProfile, "learner")
        side, pos, text = self._ranked(
            learner,
            learners=False,
            candidates=candidates,
            min_tier=_floor_tier(min_tier, qualified_only),
            limit=max(offset + k, 0),
            min_score=min_score,
        )
        return tuple(
            self._explain(side.profiles[side.id_at(int(p))], learner, float(t))
            for p, t in zip(pos[offset:], text[offset:], strict=True)
        )

    def ranked_learner_ids(
        self,
        order,
        candidates: Collection | None = None,
        *,
        qualified_only: bool = False,
        min_score: float | None = None,
        min_tier: Tier | None = None,
    ) -> tuple:
        """Every eligible learner id for ``order``, best first: for pagination and counts.

        Text is scored for every eligible learner and all are sorted:
        O(n log n) in the eligible learners, still cheap next to explaining them.
        """
        order = self._resolve(self._orders, order, OrderProfile, "order")
        side, pos, _ = self._ranked(
            order,
            learners=True,
            candidates=candidates,
            min_tier=_floor_tier(min_tier, qualified_only),
            limit=None,
            min_score=min_score,
        )
        return tuple(side.id_at(int(p)) for p in pos)

    def ranked_order_ids(
        self,
        learner,
        candidates: Collection | None = None,
        *,
        qualified_only: bool = False,
        min_score: float | None = None,
        min_tier: Tier | None = None,
    ) -> tuple:
        """Every eligible order id for ``learner``, best first: for pagination and counts."""
        learner = self._resolve(self._learners, learner, LearnerProfile, "learner")
        side, pos, _ = self._ranked(
            learner,
            learners=False,
            candidates=candidates,
            min_tier=_floor_tier(min_tier, qualified_only),
            limit=None,
            min_score=min_score,
        )
        return tuple(side.id_at(int(p)) for p in pos)

    def order_scores(self, learner, candidates: Collection | None = None) -> OrderScores:
        """Every eligible order's score and tier for ``learner`` (no particular order).

        Used by next-skill advice. O(orders) numpy work, no sorting.
        """
        learner = self._resolve(self._learners, learner, LearnerProfile, "learner")
        side = self._fresh(self._orders, learners=False)
        doc = self._query_doc(self._learners, learner)
        pos, score, _, tier, short = self._score(
            side, learner, doc, learners=False, candidates=candidates, min_tier=None, limit=None
        )
        ids = np.concatenate((side.base.id_array, side.delta.id_array))[pos]
        return OrderScores(ids, score, tier >= Tier.NEAR, short, tier)

    def explain(self, order, learner) -> MatchResult:
        """Score, tier and explanation of one pair (ids in the index or profiles).
        O(pair size)."""
        order = self._resolve(self._orders, order, OrderProfile, "order")
        learner = self._resolve(self._learners, learner, LearnerProfile, "learner")
        sim = cosine(
            self._query_doc(self._orders, order),
            self._query_doc(self._learners, learner),
            self._text_idf_array(),
        )
        return self._explain(order, learner, sim)

    def _explain(
        self, order: OrderProfile, learner: LearnerProfile, text_sim: float
    ) -> MatchResult:
        return explain_pair(
            order,
            learner,
            skill_idf=self.skill_idf,
            text_sim=text_sim,
            weights=self.weights,
            related=self._related,
        )


def _kept(score: np.ndarray, min_score: float | None) -> np.ndarray:
    if min_score is None:
        return np.ones(len(score), dtype=bool)
    return score >= min_score
