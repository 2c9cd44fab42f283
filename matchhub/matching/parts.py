"""Scoring the rows of a block: every part of the score that needs no text, vectorised.

For a query (an order against a learner block, or a learner against an order
block) these compute, per row and with numpy over the sparse columns the query
touches, the parts of :mod:`matchhub.matching.rank`'s score other than text
similarity, the tier, and how many required terms the row is short of. Python only
loops over the query's own skills, never over rows. Each per-row number is built
with the same float operations as :func:`~matchhub.matching.rank.explain_pair`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from matchhub.matching.blocks import Block
from matchhub.matching.rank import Weights
from matchhub.matching.rules import Related, learner_levels, locality_key, order_skills
from matchhub.matching.sparse import EMPTY_F, EMPTY_I, Csc, Doc
from matchhub.matching.types import LearnerProfile, OrderProfile, SkillReq, Tier

__all__ = ["BlockScoring", "Parts"]


@dataclass(slots=True)
class Parts:
    """Per-row numbers of one block for one query.

    ``skill = required * coverage + nice * nice_coverage``, ``loc = locality * fit``
    and ``overlap = overlap * skill_overlap`` (weights of :class:`Weights`), so a
    row's score is ``(skill + text * similarity + loc + overlap) / total``, added in
    that order as ``explain_pair`` adds it. ``tier`` holds :class:`Tier` values;
    ``short`` counts required terms lacked or held more than ``qualify_gap`` short
    (unrecognised terms included); only orders have it (None for learner rows).
    """

    skill: np.ndarray
    loc: np.ndarray
    overlap: np.ndarray
    tier: np.ndarray
    short: np.ndarray | None

    @classmethod
    def empty(cls) -> Parts:
        return cls(EMPTY_F, EMPTY_F, EMPTY_F, EMPTY_I, EMPTY_I)


def _credit(w: Weights, required: np.ndarray | float, held: np.ndarray) -> tuple:
    """Shortfall in levels and the level credit, as :func:`rules.level_credit` (held > 0)."""
    gap = np.maximum(required - held, 0)
    return gap, np.minimum(np.maximum(1.0 - w.level_step * gap, 0.0), 1.0)


def _tiers(n_req, within, at_level, n_unknown) -> np.ndarray:
    """:func:`~matchhub.matching.rank.tier_of`, vectorised."""
    tier = np.where(at_level == n_req, int(Tier.MEETS), int(Tier.NEAR))
    tier[(within < n_req) | (n_req == 0) | (n_unknown > 0)] = int(Tier.MISSING)
    return tier


class _Sums:
    """Per-row sums of entries given column by column, added by one bincount."""

    __slots__ = ("rows", "values")

    def __init__(self) -> None:
        self.rows: list[np.ndarray] = []
        self.values: list[np.ndarray] = []

    def add(self, rows: np.ndarray, values: np.ndarray) -> None:
        self.rows.append(rows)
        self.values.append(values)

    def total(self, n: int) -> np.ndarray:
        if not self.rows:
            return np.zeros(n)
        rows = np.concatenate(self.rows)
        return np.bincount(rows, weights=np.concatenate(self.values), minlength=n).astype(
            np.float64, copy=False
        )


class BlockScoring:
    """The per-block scorers of :class:`~matchhub.matching.index.MatchIndex` (a mixin
    over its :class:`~matchhub.matching.store.IndexStore` state)."""

    weights: Weights
    _related: Related

    # ------------------------------------------------- learners for an order

    def _learner_parts(self, order: OrderProfile, block: Block) -> Parts:
        """Every row of a learner block scored for ``order`` (all but text)."""
        w = self.weights
        n = block.n
        if n == 0:
            return Parts.empty()
        required, nice = order_skills(order)
        block.refresh_skill_sums(self._skill_idf_array(), self._skill_version)
        # Entries of every column the order touches, in the order's skill order, summed
        # per row by one bincount each: the same additions, in the same order, as
        # explain_pair makes for one learner.
        held_rows, held_gap, dot_w = [], [], []
        num = _Sums()
        nice_num = _Sums()
        den = nice_den = order_sq = 0.0
        for reqs, sums in ((required, num), (nice, nice_num)):
            for req in reqs:
                a, idf = self._req_weight(req)
                if sums is num:
                    den += a
                else:
                    nice_den += a
                order_sq += a * a
                rows, gap, credit = self._column_credit(block, req)
                held_rows.append(rows)
                dot_w.append(a * idf)
                if sums is num:
                    held_gap.append(gap)
                rows, credit = self._with_related(block, req, rows, credit)
                sums.add(rows, a * credit)
        skill = w.required * (num.total(n) / den) if den > 0 else np.zeros(n)
        if nice_den > 0:
            # Without nice skills this part is 0.0, and x + 0.0 == x: no need to add it.
            skill = skill + w.nice * (nice_num.total(n) / nice_den)
        if held_rows:
            lengths = [len(rows) for rows in held_rows]
            dot = np.bincount(
                np.concatenate(held_rows), weights=np.repeat(dot_w, lengths), minlength=n
            ).astype(np.float64, copy=False)
            # skill_norm is never 0 (see Block.refresh_skill_sums): no 0/0 to guard.
            overlap = dot / (math.sqrt(order_sq) * block.skill_norm)
            overlap = w.overlap * np.minimum(overlap, 1.0, out=overlap)
        else:
            overlap = np.zeros(n)
        n_req = len(required)
        if n_req and not order.unknown_required:
            tier = self._learner_tiers(block, held_rows[:n_req], held_gap)
        else:
            tier = np.zeros(n, dtype=np.int8)
        return Parts(
            skill=skill,
            loc=w.locality * self._learner_locality(order, block),
            overlap=overlap,
            tier=tier,
            short=None,
        )

    def _learner_tiers(self, block: Block, rows: list, gaps: list) -> np.ndarray:
        """Tier of every row from each required column's rows and shortfalls: NEAR
        where every column holds the row within ``qualify_gap``, MEETS where every
        one holds it at the level asked."""
        within = np.ones(block.n, dtype=bool)
        at_level = np.ones(block.n, dtype=bool)
        for col_rows, gap in zip(rows, gaps, strict=True):
            held = np.zeros(block.n, dtype=bool)
            held[col_rows[gap <= self.weights.qualify_gap]] = True
            within &= held
            held[:] = False
            held[col_rows[gap == 0]] = True
            at_level &= held
        tier = within.view(np.int8) + at_level.view(np.int8)
        return tier

    def _req_weight(self, req: SkillReq) -> tuple[float, float]:
        idf = self.skill_idf(req.skill_id)
        return req.weight * idf, idf

    def _column_credit(self, block: Block, req: SkillReq):
        """Rows holding ``req``'s skill, their shortfall and their level credit."""
        col = self._skill_col.get(req.skill_id)
        if col is None:
            return EMPTY_I, EMPTY_F, EMPTY_F
        lo, hi = block.skills.column(col)
        gap, credit = _credit(self.weights, req.level, block.skills.vals[0][lo:hi])
        return block.skills.rows[lo:hi], gap, credit

    def _with_related(self, block: Block, req: SkillReq, rows, credit) -> tuple:
        """Rows earning credit for ``req`` and that credit: the level credit where the
        skill is held, else ``related_credit`` x the best related skill's level credit."""
        others = self._related.get(req.skill_id)
        if not others:
            return rows, credit
        # Skills newer than the block have no column in it (nobody there holds them).
        n_cols = block.skills.n_cols
        cols = [self._skill_col.get(s) for s in others]
        cols = np.asarray(sorted(c for c in cols if c is not None and c < n_cols), dtype=np.int64)
        pos, _ = block.skills.gather(cols) if len(cols) else (EMPTY_I, EMPTY_I)
        if not len(pos):
            return rows, credit
        rel_rows = block.skills.rows[pos]
        _, rel = _credit(self.weights, req.level, block.skills.vals[0][pos])
        rel = self.weights.related_credit * rel
        # The best related skill of each row, then only rows lacking the skill itself.
        order = np.lexsort((-rel, rel_rows))
        rel_rows, rel = rel_rows[order], rel[order]
        first = np.ones(len(rel_rows), dtype=bool)
        first[1:] = rel_rows[1:] != rel_rows[:-1]
        rel_rows, rel = rel_rows[first], rel[first]
        keep = ~np.isin(rel_rows, rows, assume_unique=True)
        return np.concatenate((rows, rel_rows[keep])), np.concatenate((credit, rel[keep]))

    def _learner_locality(self, order: OrderProfile, block: Block) -> np.ndarray:
        w = self.weights
        if order.remote:
            return np.full(block.n, w.locality_same)
        key = locality_key(order.locality)
        if key is None:
            return np.full(block.n, w.locality_unknown)
        code = self._loc_code.get(key, -2)
        loc = np.where(block.loc == -1, w.locality_unknown, w.locality_other)
        loc[block.loc == code] = w.locality_same
        if code >= 0:
            lo, hi = block.pref.column(code)
            rows = block.pref.rows[lo:hi]
            loc[rows] = np.where(block.loc[rows] == -1, w.locality_unknown, w.locality_preferred)
        return loc

    # ------------------------------------------------- orders for a learner

    def _order_parts(self, learner: LearnerProfile, block: Block) -> Parts:
        """Every row of an order block scored for ``learner`` (all but text)."""
        w = self.weights
        n = block.n
        if n == 0:
            return Parts.empty()
        idf = self._skill_idf_array()
        block.refresh_skill_sums(idf, self._skill_version)
        levels = learner_levels(learner)
        learner_sq = 0.0
        for skill_id in levels:
            s_idf = self.skill_idf(skill_id)
            learner_sq += s_idf * s_idf
        query = self._learner_query(levels)
        num, dot, within, at_level = self._order_sums(block.skills, query, idf, n, count=True)
        nice_num, nice_dot, _, _ = self._order_sums(block.nice, query, idf, n, count=False)
        with np.errstate(divide="ignore", invalid="ignore"):
            coverage = np.where(block.den > 0, num / block.den, 0.0)
            nice_cov = np.where(block.nice_den > 0, nice_num / block.nice_den, 0.0)
            dot += nice_dot
            overlap = np.where(
                dot > 0,
                np.minimum(dot / (block.skill_norm * math.sqrt(learner_sq)), 1.0),
                0.0,
            )
        return Parts(
            skill=w.required * coverage + w.nice * nice_cov,
            loc=w.locality * self._order_locality(learner, block),
            overlap=w.overlap * overlap,
            tier=_tiers(block.n_req, within, at_level, block.n_unknown),
            short=block.n_req - within + block.n_unknown,
        )

    def _learner_query(self, levels: dict[str, int]) -> tuple[np.ndarray, ...]:
        """The learner's skill columns with their levels and credit factors: the skills
        held (factor 1), then the skills they lack but hold a related skill of, at the
        best such level (factor ``related_credit``). Skills unknown to the index dropped."""
        cols, lvls, factor, direct = [], [], [], []
        related_level: dict[str, int] = {}
        for skill_id, level in levels.items():
            col = self._skill_col.get(skill_id)
            if col is not None:
                cols.append(col)
                lvls.append(level)
                factor.append(1.0)
                direct.append(True)
            for other in self._related.get(skill_id, ()):
                if other not in levels and level > related_level.get(other, 0):
                    related_level[other] = level
        for skill_id in sorted(related_level):
            col = self._skill_col.get(skill_id)
            if col is not None:
                cols.append(col)
                lvls.append(related_level[skill_id])
                factor.append(self.weights.related_credit)
                direct.append(False)
        return (
            np.asarray(cols, dtype=np.int64),
            np.asarray(lvls, dtype=np.float64),
            np.asarray(factor, dtype=np.float64),
            np.asarray(direct, dtype=bool),
        )

    def _order_sums(self, csc: Csc, query, idf: np.ndarray, n: int, *, count: bool):
        """Per order row of ``csc`` (required or nice entries): the sum of weight x
        rarity x credit, the skill-overlap dot product, and how many skills are held
        within ``qualify_gap`` and at the level asked (held skills only, factor 1).

        All the query's columns are gathered at once: no loop over orders."""
        cols, levels, factor, direct = query
        keep = cols < csc.n_cols
        cols, levels, factor, direct = cols[keep], levels[keep], factor[keep], direct[keep]
        pos, lengths = csc.gather(cols) if len(cols) else (EMPTY_I, EMPTY_I)
        if not len(pos):
            zero = np.zeros(n, dtype=np.int64)
            return np.zeros(n), np.zeros(n), zero, zero
        w = self.weights
        rows = csc.rows[pos]
        gap, credit = _credit(w, csc.vals[0][pos], np.repeat(levels, lengths))
        col_idf = np.repeat(idf[cols], lengths)
        a = csc.vals[1][pos] * col_idf
        if direct.all():  # no related entries: spare the factors and the copies
            total = np.bincount(rows, weights=a * credit, minlength=n)
        else:
            credit = np.repeat(factor, lengths) * credit
            total = np.bincount(rows, weights=a * credit, minlength=n)
            held = np.repeat(direct, lengths)
            rows, gap = rows[held], gap[held]
            a, col_idf = a[held], col_idf[held]
        # bincount of no rows gives ints, hence the cast.
        dot = np.bincount(rows, weights=a * col_idf, minlength=n).astype(np.float64)
        if not count:
            return total, dot, None, None
        within = np.bincount(rows[gap <= w.qualify_gap], minlength=n)
        at_level = np.bincount(rows[gap == 0], minlength=n)
        return total, dot, within, at_level

    def _order_locality(self, learner: LearnerProfile, block: Block) -> np.ndarray:
        w = self.weights
        key = locality_key(learner.locality)
        if key is None:
            loc = np.full(block.n, w.locality_unknown)
        else:
            code = self._loc_code.get(key, -2)
            loc = np.where(block.loc == -1, w.locality_unknown, w.locality_other)
            loc[block.loc == code] = w.locality_same
            prefs = {
                self._loc_code.get(locality_key(p) or "", -2) for p in learner.preferred_localities
            }
            prefs -= {-2, code}
            if prefs:
                mask = np.isin(block.loc, np.fromiter(prefs, dtype=np.int64))
                loc[mask] = w.locality_preferred
        loc[block.remote] = w.locality_same
        return loc

    # ------------------------------------------------- text

    def _text_rows(self, block: Block, doc: Doc, rows: np.ndarray | None) -> np.ndarray:
        """TF-IDF cosine of ``doc`` with the block's ``rows`` (all rows when None).

        Both paths add a row's terms in ascending feature order, so a row scores the
        same bits whichever path computed it (pruned or not).
        """
        idf = self._text_idf_array()
        n_out = block.n if rows is None else len(rows)
        out = np.zeros(n_out)
        if not len(doc.feats) or not n_out:
            return out
        q = doc.tf * idf[doc.feats]
        qnorm = math.sqrt(float(np.dot(q, q)))
        if qnorm == 0.0:
            return out
        coef_q = q * idf[doc.feats]
        if rows is None or 4 * len(rows) > block.n:
            rn = block.text_norms(idf, self._text_version)
            t = block.text
            pos, lengths = t.gather(doc.feats)
            if not len(pos):
                return out
            coef = np.repeat(coef_q, lengths)
            dot = np.bincount(t.rows[pos], weights=t.vals[0][pos] * coef, minlength=block.n)
            if rows is not None:
                dot = dot[rows]
                rn = rn[rows]
        else:
            pos, lengths = block.text_csr.gather(rows)
            feats = block.text_csr.feats[pos]
            tf = block.text_csr.tf[pos]
            local = np.repeat(np.arange(len(rows)), lengths)
            # Norms of just these rows, summed in the same (feature) order as the
            # cached full norms, so no refresh of every row is needed after a patch.
            w = tf * idf[feats]
            rn = np.sqrt(np.bincount(local, weights=w * w, minlength=len(rows)))
            where = np.searchsorted(doc.feats, feats)
            where[where == len(doc.feats)] = 0
            hit = doc.feats[where] == feats
            dot = np.bincount(local[hit], weights=tf[hit] * coef_q[where[hit]], minlength=len(rows))
        with np.errstate(divide="ignore", invalid="ignore"):
            sim = np.where(rn > 0, dot / (rn * qnorm), 0.0)
        return np.minimum(sim, 1.0)
