"""The serving index: every learner and order in column-access sparse form.

Ranking learners for an order touches only the columns of the order's skills and
text tokens (CSC slices of a learner x skill level matrix and a learner x token
TF matrix), so a query costs O(learners holding those skills + learners sharing
those tokens) numpy work rather than O(learners x skills) Python work. Ranking
orders for a learner works the same way over order x skill requirement matrices.

Writes are patches, not rebuilds. Each side keeps a large *base* block and a small
*delta* block: an upsert marks the old row dead in the base (an alive mask) and puts
the profile in the delta; a removal marks it dead. The delta is rebuilt lazily at the
next query (O(delta size)) and folded into the base once it outgrows
``max(256, sqrt(base))`` rows (O(base nnz), vectorised, no re-tokenising): the
square root balances rebuilding the delta after each write against folding it. Document
frequencies (skill rarity over learners, token IDF over learners and orders) are
exact integer counts kept up to date on every write, and everything derived from
them (IDF vectors, TF-IDF norms, per-order weight sums) is recomputed lazily from
them, so a patched index ranks exactly like one built from scratch. Folding can
also be forced with :meth:`MatchIndex.compact`.

A top-k query computes every row's skill and locality parts, which bound its score
from below (text similarity 0) and above (similarity 1), and scores text only for the
rows whose upper bound can still reach the k-th best score, so the answer is the
exact top k while text work stays small.

Not thread-safe for writes: the web app builds or patches one index per worker.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from itertools import repeat

import numpy as np
from scipy import sparse

from matchhub.matching.rank import (
    SCORE_DECIMALS,
    TEXT_FEATURES,
    Weights,
    explain_pair,
    id_sort_key,
    learner_levels,
    locality_key,
    order_skills,
    smooth_idf,
    text_matrix,
)
from matchhub.matching.types import LearnerProfile, MatchResult, OrderProfile

__all__ = ["MatchIndex", "OrderScores"]

# Below this many tied candidates a Python sort by id is cheaper than the global rank.
_SMALL_SORT = 4096
# Scores are rounded to 1e-10; bounds get this much room so pruning never drops a tie.
_BOUND_SLACK = 1e-9
_EMPTY_I = np.zeros(0, dtype=np.int64)
_EMPTY_F = np.zeros(0, dtype=np.float64)


class _Csc:
    """A column-access sparse matrix with one or more parallel value arrays."""

    __slots__ = ("cols_of_nnz", "indptr", "n_cols", "rows", "vals")

    def __init__(
        self,
        rows: np.ndarray,
        cols: np.ndarray,
        vals: tuple[np.ndarray, ...],
        n_rows: int,
        n_cols: int,
    ):
        self.n_cols = n_cols
        if not len(cols):
            self.rows = np.zeros(0, dtype=np.int32)
            self.cols_of_nnz = _EMPTY_I
            self.vals = tuple(v[:0] for v in vals)
            self.indptr = np.zeros(n_cols + 1, dtype=np.int64)
            return
        # Entries arrive row-major; scipy's COO -> CSC conversion is a stable counting
        # sort (O(nnz)), so converting a permutation gives the column order with rows
        # ascending within each column.
        perm = sparse.coo_matrix(
            (np.arange(len(cols), dtype=np.float64), (rows, cols)), shape=(n_rows, n_cols)
        ).tocsc()
        order = perm.data.astype(np.int64)
        self.rows = perm.indices.astype(np.int32)
        self.indptr = perm.indptr.astype(np.int64)
        self.vals = tuple(v[order] for v in vals)
        self.cols_of_nnz = np.asarray(cols, dtype=np.int32)[order]

    def column(self, col: int) -> tuple[int, int]:
        """The nnz range [lo, hi) of column ``col`` (empty past the last column)."""
        if col >= self.n_cols:
            return 0, 0
        return int(self.indptr[col]), int(self.indptr[col + 1])

    def gather(self, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions (into rows/vals) of every nnz in ``cols`` (all < n_cols), column by
        column, and how many each column has."""
        return _gather(self.indptr, cols)

    def merged(self, keep: np.ndarray, new_row: np.ndarray, other: _Csc, n_cols: int) -> _Csc:
        """The rows where ``keep`` (renumbered by ``new_row``), then ``other``'s rows after
        them: in each column this matrix's kept entries come first, then ``other``'s,
        so rows stay ascending. O(nnz) scatter, no sorting."""
        mask = keep[self.rows]
        cols_a = self.cols_of_nnz[mask]
        count_a = np.bincount(cols_a, minlength=n_cols)
        count_b = np.zeros(n_cols, dtype=np.int64)
        count_b[: other.n_cols] = np.diff(other.indptr)
        indptr = np.zeros(n_cols + 1, dtype=np.int64)
        np.cumsum(count_a + count_b, out=indptr[1:])
        dest_a = np.arange(len(cols_a)) + np.repeat(indptr[:-1] - _starts(count_a), count_a)
        dest_b = np.arange(len(other.rows)) + np.repeat(
            indptr[:-1] + count_a - _starts(count_b), count_b
        )
        out = object.__new__(_Csc)
        out.n_cols = n_cols
        out.indptr = indptr
        out.rows = _scatter(
            new_row[self.rows[mask]], dest_a, other.rows + int(keep.sum()), dest_b
        ).astype(np.int32)
        out.cols_of_nnz = _scatter(cols_a, dest_a, other.cols_of_nnz, dest_b)
        out.vals = tuple(
            _scatter(va[mask], dest_a, vb, dest_b)
            for va, vb in zip(self.vals, other.vals, strict=True)
        )
        return out


def _starts(counts: np.ndarray) -> np.ndarray:
    """Exclusive prefix sums: where each segment of ``counts`` begins."""
    out = np.zeros(len(counts), dtype=np.int64)
    np.cumsum(counts[:-1], out=out[1:])
    return out


def _scatter(a: np.ndarray, dest_a: np.ndarray, b: np.ndarray, dest_b: np.ndarray) -> np.ndarray:
    out = np.empty(len(a) + len(b), dtype=np.result_type(a.dtype, b.dtype))
    out[dest_a] = a
    out[dest_b] = b
    return out


def _gather(indptr: np.ndarray, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lo = indptr[idx]
    lengths = indptr[idx + 1] - lo
    total = int(lengths.sum())
    if total == 0:
        return _EMPTY_I, lengths
    # One arange for all slices, shifted per slice to its start: no Python loop.
    starts = np.repeat(lo - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    return np.arange(total, dtype=np.int64) + starts, lengths


class _Csr:
    """Row access to a block's text: sorted feature ids and TF of each row."""

    __slots__ = ("feats", "indptr", "tf")

    def __init__(self, rows: np.ndarray, cols: np.ndarray, tf: np.ndarray, n_rows: int):
        if not len(cols):
            self.indptr = np.zeros(n_rows + 1, dtype=np.int64)
            self.feats = _EMPTY_I
            self.tf = tf[:0]
            return
        # Stable counting sort by row (scipy's COO -> CSR) of a permutation; entries
        # arrive sorted by column within each row, so features stay ascending.
        perm = sparse.coo_matrix(
            (np.arange(len(cols), dtype=np.float64), (rows, cols)), shape=(n_rows, TEXT_FEATURES)
        ).tocsr()
        order = perm.data.astype(np.int64)
        self.indptr = perm.indptr.astype(np.int64)
        self.feats = np.asarray(cols, dtype=np.int32)[order]
        self.tf = tf[order]

    def gather(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions of every entry of ``rows``, row by row, and how many each row has."""
        return _gather(self.indptr, rows)

    def merged(self, kept_rows: np.ndarray, other: _Csr) -> _Csr:
        """``kept_rows`` of this matrix, then every row of ``other``. O(nnz), no sorting."""
        pos, lengths = _gather(self.indptr, kept_rows)
        out = object.__new__(_Csr)
        out.indptr = np.zeros(len(kept_rows) + len(other.indptr), dtype=np.int64)
        np.cumsum(np.concatenate((lengths, np.diff(other.indptr))), out=out.indptr[1:])
        out.feats = np.concatenate((self.feats[pos], other.feats))
        out.tf = np.concatenate((self.tf[pos], other.tf))
        return out


@dataclass(slots=True)
class _Doc:
    """A profile's text as hashed feature ids and sub-linear term frequencies."""

    feats: np.ndarray
    tf: np.ndarray


def _doc_of(text: str) -> _Doc:
    matrix = text_matrix([text])
    return _Doc(matrix.indices.astype(np.int64), matrix.data.astype(np.float32))


class _DocStore:
    """Texts of one side as sub-linear TF rows: one CSR for the bulk build, and a
    dict for profiles upserted since (so a build keeps no per-profile objects)."""

    def __init__(self, texts: list[str], ids: list) -> None:
        matrix = text_matrix(texts)
        self.indptr = matrix.indptr.astype(np.int64)
        self.feats = matrix.indices.astype(np.int32)
        self.tf = matrix.data.astype(np.float32)
        self.bulk_row = {i: r for r, i in enumerate(ids)}
        self.patched: dict = {}

    def get(self, item_id) -> _Doc:
        doc = self.patched.get(item_id)
        if doc is not None:
            return doc
        r = self.bulk_row[item_id]
        lo, hi = self.indptr[r], self.indptr[r + 1]
        return _Doc(self.feats[lo:hi], self.tf[lo:hi])

    def put(self, item_id, doc: _Doc) -> None:
        self.bulk_row.pop(item_id, None)
        self.patched[item_id] = doc

    def pop(self, item_id) -> _Doc:
        doc = self.get(item_id)
        self.patched.pop(item_id, None)
        self.bulk_row.pop(item_id, None)
        return doc


class _Block:
    """Rows of one side (learners or orders) in column-access form, plus an alive mask."""

    def __init__(self, ids: list, n_skill_cols: int, n_loc: int, coo: dict):
        n = len(ids)
        self._init_rows(ids, coo["loc"], coo.get("remote"), coo.get("n_req"))
        self.skills = _Csc(*coo["skills"], n, n_skill_cols)
        self.nice = _Csc(*coo["nice"], n, n_skill_cols) if "nice" in coo else None
        self.text = _Csc(*coo["text"], n, TEXT_FEATURES)
        t_rows, t_cols, (t_tf,) = coo["text"]
        self.text_csr = _Csr(t_rows, t_cols, t_tf, n)
        self.pref = _Csc(*coo["pref"], n, n_loc) if "pref" in coo else None

    def _init_rows(self, ids: list, loc: np.ndarray, remote, n_req) -> None:
        n = len(ids)
        self.ids = ids
        self.id_array = np.empty(n, dtype=object)
        self.id_array[:] = ids
        self.alive = np.ones(n, dtype=bool)
        self.n = n
        self.loc = loc
        self.remote = remote
        self.n_req = n_req
        self._norm_version = -1
        self.norms = _EMPTY_F
        self._den_version = -1
        self.den = _EMPTY_F
        self.nice_den = _EMPTY_F

    @classmethod
    def merge(cls, a: _Block, b: _Block, n_skill_cols: int, n_loc: int) -> _Block:
        """``a``'s alive rows followed by all of ``b``'s (a fresh delta). O(nnz), no sorting."""
        keep = a.alive
        kept = np.flatnonzero(keep)
        new_row = np.cumsum(keep) - 1
        block = object.__new__(cls)
        block._init_rows(
            [a.ids[i] for i in kept] + b.ids,
            np.concatenate((a.loc[kept], b.loc)),
            None if a.remote is None else np.concatenate((a.remote[kept], b.remote)),
            None if a.n_req is None else np.concatenate((a.n_req[kept], b.n_req)),
        )
        block.skills = a.skills.merged(keep, new_row, b.skills, n_skill_cols)
        block.nice = None if a.nice is None else a.nice.merged(keep, new_row, b.nice, n_skill_cols)
        block.text = a.text.merged(keep, new_row, b.text, TEXT_FEATURES)
        block.text_csr = a.text_csr.merged(kept, b.text_csr)
        block.pref = None if a.pref is None else a.pref.merged(keep, new_row, b.pref, n_loc)
        return block

    def text_norms(self, idf: np.ndarray, version: int) -> np.ndarray:
        """TF-IDF norm of every row, recomputed only when the IDF changed."""
        if self._norm_version != version:
            t = self.text
            w = t.vals[0] * idf[t.cols_of_nnz]
            self.norms = np.sqrt(np.bincount(t.rows, weights=w * w, minlength=self.n))
            self._norm_version = version
        return self.norms

    def skill_dens(self, idf: np.ndarray, version: int) -> tuple[np.ndarray, np.ndarray]:
        """Per-order sums of required and nice skill weights x rarity (orders only)."""
        if self._den_version != version:
            self.den = _weighted_row_sums(self.skills, idf, self.n)
            self.nice_den = _weighted_row_sums(self.nice, idf, self.n)
            self._den_version = version
        return self.den, self.nice_den


def _weighted_row_sums(csc: _Csc | None, idf: np.ndarray, n: int) -> np.ndarray:
    if csc is None or not len(csc.rows):
        return np.zeros(n)
    return np.bincount(csc.rows, weights=csc.vals[1] * idf[csc.cols_of_nnz], minlength=n)


@dataclass(frozen=True, slots=True)
class OrderScores:
    """Every eligible order's score for one learner, arrays aligned with ``ids``.

    ``short`` counts the order's required skills the learner lacks or holds more
    than ``qualify_gap`` levels below the level asked.
    """

    ids: np.ndarray
    score: np.ndarray
    qualifies: np.ndarray
    short: np.ndarray


class _Side:
    """One side of the index (learners or orders): base + delta blocks and id lookup."""

    def __init__(self) -> None:
        self.base: _Block | None = None
        self.delta: _Block | None = None
        self.delta_profiles: dict = {}
        self.delta_dirty = False
        self.profiles: dict = {}
        self.docs = _DocStore([], [])
        self.base_row: dict = {}
        self._rank_cache: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.profiles)

    def position_of(self, ids: Iterable) -> np.ndarray:
        """Global positions (base rows then delta rows) of the ids present."""
        ids = ids if isinstance(ids, list | tuple) else list(ids)
        # dict.get through map() keeps the per-id cost in C: candidates can be 100k ids.
        rows = np.fromiter(map(self.base_row.get, ids, repeat(-1)), dtype=np.int64, count=len(ids))
        found = rows >= 0
        found[found] = self.base.alive[rows[found]]
        out = [rows[found]]
        if self.delta.n and not found.all():
            nb = self.base.n
            delta_pos = self.delta_pos
            rest = [delta_pos.get(ids[j]) for j in np.flatnonzero(~found)]
            out.append(np.asarray([nb + p for p in rest if p is not None], dtype=np.int64))
        return np.concatenate(out)

    @property
    def delta_pos(self) -> dict:
        return {i: p for p, i in enumerate(self.delta.ids)} if self.delta else {}

    def id_rank(self) -> np.ndarray:
        """Rank of each global position's id in id order (cached until rows change)."""
        if self._rank_cache is None:
            ids = list(self.base.ids) + list(self.delta.ids)
            order = sorted(range(len(ids)), key=lambda p: id_sort_key(ids[p]))
            rank = np.empty(len(ids), dtype=np.int64)
            rank[order] = np.arange(len(ids))
            self._rank_cache = rank
        return self._rank_cache

    def id_at(self, pos: int):
        nb = self.base.n
        return self.base.ids[pos] if pos < nb else self.delta.ids[pos - nb]

    def alive_mask(self) -> np.ndarray:
        return np.concatenate((self.base.alive, self.delta.alive))


class MatchIndex:
    """Learners and orders ready for ranking, with incremental updates.

    Build once with ``MatchIndex(learners, orders)`` (O(total size); ~100k learners
    and 20k orders in a few seconds), then keep it current with
    :meth:`upsert_learner`, :meth:`remove_learner`, :meth:`upsert_order` and
    :meth:`remove_order` (O(profile size) each, plus lazy O(delta) work at the next
    query). Ids must be unique per side; an upsert of a known id replaces it.
    ``compact_at`` is the least delta size that is folded into the base.
    """

    def __init__(
        self,
        learners: Iterable[LearnerProfile] = (),
        orders: Iterable[OrderProfile] = (),
        weights: Weights | None = None,
        *,
        compact_at: int = 256,
    ) -> None:
        self.weights = weights or Weights()
        self.compact_at = compact_at
        self._skill_col: dict[str, int] = {}
        self._loc_code: dict[str, int] = {}
        self._loc_raw: dict[str | None, int] = {}
        self._skill_df = np.zeros(0, dtype=np.int64)
        self._text_df = np.zeros(TEXT_FEATURES, dtype=np.int64)
        self._n_docs = 0
        self._skill_version = 0
        self._text_version = 0
        self._skill_idf_cache: tuple[int, np.ndarray] | None = None
        self._skill_idf_memo: tuple[int, dict[str, float]] = (-1, {})
        self._text_idf_cache: tuple[int, np.ndarray] | None = None
        self._learners = _Side()
        self._orders = _Side()
        self._bulk_learners(list(learners))
        self._bulk_orders(list(orders))

    # ----------------------------------------------------------------- vocabularies

    def _skill(self, skill_id: str) -> int:
        col = self._skill_col.get(skill_id)
        if col is None:
            col = self._skill_col[skill_id] = len(self._skill_col)
            self._skill_df = np.append(self._skill_df, 0)
        return col

    def _loc(self, locality: str | None) -> int:
        # Localities repeat across a whole cohort: remember raw spellings.
        code = self._loc_raw.get(locality)
        if code is not None:
            return code
        key = locality_key(locality)
        if key is None:
            code = -1
        else:
            code = self._loc_code.get(key)
            if code is None:
                code = self._loc_code[key] = len(self._loc_code)
        self._loc_raw[locality] = code
        return code

    # ----------------------------------------------------------------- building

    def _cols_of(self, skill_ids: list[str]) -> np.ndarray:
        # New skills get columns in sorted order so a build does not depend on hashing.
        for skill_id in sorted(set(skill_ids).difference(self._skill_col)):
            self._skill(skill_id)
        return np.fromiter(
            map(self._skill_col.__getitem__, skill_ids), dtype=np.int64, count=len(skill_ids)
        )

    def _learner_coo(self, profiles: list[LearnerProfile], docs: tuple) -> dict:
        n = len(profiles)
        counts = np.fromiter((len(lp.skills) for lp in profiles), dtype=np.int64, count=n)
        skill_ids = [s for lp in profiles for s, _ in lp.skills]
        levels = np.array([lv for lp in profiles for _, lv in lp.skills], dtype=np.float64)
        rows = np.repeat(np.arange(n, dtype=np.int64), counts)
        cols = self._cols_of(skill_ids)
        # A skill listed twice keeps its highest level (as learner_levels() does);
        # sorting by (row, col, -level) also makes the entries row-major.
        key = rows * max(len(self._skill_col), 1) + cols
        order = np.lexsort((-levels, key))
        key = key[order]
        first = np.ones(len(key), dtype=bool)
        first[1:] = key[1:] != key[:-1]
        order = order[first]
        loc = np.array([self._loc(lp.locality) for lp in profiles], dtype=np.int64).reshape(n)
        p_rows, p_cols = [], []
        for r, lp in enumerate(profiles):
            if lp.preferred_localities:
                codes = {self._loc(p) for p in lp.preferred_localities} - {-1, int(loc[r])}
                for code in sorted(codes):
                    p_rows.append(r)
                    p_cols.append(code)
        return {
            "skills": (rows[order], cols[order], (levels[order],)),
            "pref": (np.asarray(p_rows, dtype=np.int64), np.asarray(p_cols, dtype=np.int64), ()),
            "text": docs,
            "loc": loc,
        }

    def _order_coo(self, profiles: list[OrderProfile], docs: tuple) -> dict:
        req = ([], [], [], [])
        nice = ([], [], [], [])
        n = len(profiles)
        loc = np.empty(n, dtype=np.int64)
        remote = np.zeros(n, dtype=bool)
        n_req = np.zeros(n, dtype=np.int64)
        for r, op in enumerate(profiles):
            required, nice_reqs = order_skills(op)
            n_req[r] = len(required)
            for target, reqs in ((req, required), (nice, nice_reqs)):
                for sr in reqs:
                    target[0].append(r)
                    target[1].append(self._skill(sr.skill_id))
                    target[2].append(sr.level)
                    target[3].append(sr.weight)
            loc[r] = self._loc(op.locality)
            remote[r] = op.remote

        def pack(t):
            return (
                np.asarray(t[0], dtype=np.int64),
                np.asarray(t[1], dtype=np.int64),
                (np.asarray(t[2], dtype=np.float64), np.asarray(t[3], dtype=np.float64)),
            )

        return {
            "skills": pack(req),
            "nice": pack(nice),
            "text": docs,
            "loc": loc,
            "remote": remote,
            "n_req": n_req,
        }

    def _bulk_learners(self, profiles: list[LearnerProfile]) -> None:
        side = self._learners
        side.profiles = {lp.id: lp for lp in profiles}
        profiles = list(side.profiles.values())
        ids = list(side.profiles)
        side.docs = _DocStore([lp.text for lp in profiles], ids)
        coo = self._learner_coo(profiles, _store_coo(side.docs))
        # Counted in bulk (one bincount) rather than per profile as patches do.
        self._skill_df += np.bincount(coo["skills"][1], minlength=len(self._skill_col))
        self._skill_version += 1
        self._count_docs_bulk(coo["text"][1], len(profiles))
        side.base = _Block(ids, len(self._skill_col), len(self._loc_code), coo)
        side.base_row = {i: r for r, i in enumerate(ids)}
        side.delta = self._block_for(side, [], learners=True)

    def _bulk_orders(self, profiles: list[OrderProfile]) -> None:
        side = self._orders
        side.profiles = {op.id: op for op in profiles}
        profiles = list(side.profiles.values())
        ids = list(side.profiles)
        side.docs = _DocStore([op.text for op in profiles], ids)
        coo = self._order_coo(profiles, _store_coo(side.docs))
        self._count_docs_bulk(coo["text"][1], len(profiles))
        side.base = _Block(ids, len(self._skill_col), len(self._loc_code), coo)
        side.base_row = {i: r for r, i in enumerate(ids)}
        side.delta = self._block_for(side, [], learners=False)

    def _block_for(self, side: _Side, ids: list, *, learners: bool) -> _Block:
        profiles = [side.profiles[i] for i in ids]
        docs = _docs_coo([side.docs.get(i) for i in ids])
        coo = self._learner_coo(profiles, docs) if learners else self._order_coo(profiles, docs)
        return _Block(ids, len(self._skill_col), len(self._loc_code), coo)

    def _count_learner(self, lp: LearnerProfile, doc: _Doc, sign: int) -> None:
        for skill_id in learner_levels(lp):
            # The column first: _skill() may grow (replace) the df array.
            col = self._skill(skill_id)
            self._skill_df[col] += sign
        self._skill_version += 1
        self._count_doc(doc, sign)

    def _count_docs_bulk(self, feats: np.ndarray, n_docs: int) -> None:
        self._text_df += np.bincount(feats, minlength=TEXT_FEATURES)
        self._n_docs += n_docs
        self._text_version += 1

    def _count_doc(self, doc: _Doc, sign: int) -> None:
        self._text_df[doc.feats] += sign
        self._n_docs += sign
        self._text_version += 1

    # ----------------------------------------------------------------- patching

    def _upsert(self, side: _Side, profile, *, learners: bool) -> None:
        if profile.id in side.profiles:
            self._remove(side, profile.id, learners=learners)
        doc = _doc_of(profile.text)
        side.profiles[profile.id] = profile
        side.docs.put(profile.id, doc)
        if learners:
            self._count_learner(profile, doc, +1)
        else:
            self._count_doc(doc, +1)
        side.delta_profiles[profile.id] = profile
        side.delta_dirty = True
        side._rank_cache = None

    def _remove(self, side: _Side, item_id, *, learners: bool) -> bool:
        profile = side.profiles.pop(item_id, None)
        if profile is None:
            return False
        doc = side.docs.pop(item_id)
        if learners:
            self._count_learner(profile, doc, -1)
        else:
            self._count_doc(doc, -1)
        if side.delta_profiles.pop(item_id, None) is not None:
            side.delta_dirty = True
        else:
            side.base.alive[side.base_row[item_id]] = False
        side._rank_cache = None
        return True

    def upsert_learner(self, learner: LearnerProfile) -> None:
        """Add ``learner`` or replace the learner with its id. O(profile) now, O(delta) later."""
        self._upsert(self._learners, learner, learners=True)

    def remove_learner(self, learner_id) -> bool:
        """Drop a learner; True if it was there. O(profile)."""
        return self._remove(self._learners, learner_id, learners=True)

    def upsert_order(self, order: OrderProfile) -> None:
        """Add ``order`` or replace the order with its id. O(profile) now, O(delta) later."""
        self._upsert(self._orders, order, learners=False)

    def remove_order(self, order_id) -> bool:
        """Drop an order; True if it was there. O(profile)."""
        return self._remove(self._orders, order_id, learners=False)

    def _fresh(self, side: _Side, *, learners: bool) -> _Side:
        """Bring the delta block (and, when it outgrew its bound, the base) up to date."""
        if not side.delta_dirty:
            return side
        if len(side.delta_profiles) > max(self.compact_at, math.isqrt(side.base.n)):
            self._fold(side, learners=learners)
        side.delta = self._block_for(side, list(side.delta_profiles), learners=learners)
        side.delta_dirty = False
        side._rank_cache = None
        return side

    def _fold(self, side: _Side, *, learners: bool) -> None:
        fresh = self._block_for(side, list(side.delta_profiles), learners=learners)
        side.base = _Block.merge(side.base, fresh, len(self._skill_col), len(self._loc_code))
        side.base_row = {i: r for r, i in enumerate(side.base.ids)}
        side.delta_profiles = {}
        side.delta_dirty = True

    def compact(self) -> None:
        """Fold every patch into the base blocks now. O(total size), vectorised.

        Queries do this on their own once a delta outgrows its bound; a server may
        call it from a quiet moment instead, so that no request pays for it.
        """
        for side, learners in ((self._learners, True), (self._orders, False)):
            if side.delta_profiles or not side.base.alive.all():
                self._fold(side, learners=learners)
            self._fresh(side, learners=learners)

    # ----------------------------------------------------------------- statistics

    @property
    def n_learners(self) -> int:
        """Number of learners in the index."""
        return len(self._learners)

    @property
    def n_orders(self) -> int:
        """Number of orders in the index."""
        return len(self._orders)

    def has_learner(self, learner_id) -> bool:
        """Whether a learner with this id is in the index. O(1)."""
        return learner_id in self._learners.profiles

    def has_order(self, order_id) -> bool:
        """Whether an order with this id is in the index. O(1)."""
        return order_id in self._orders.profiles

    def learner(self, learner_id) -> LearnerProfile:
        """The stored profile of a learner; KeyError when absent."""
        return self._learners.profiles[learner_id]

    def order(self, order_id) -> OrderProfile:
        """The stored profile of an order; KeyError when absent."""
        return self._orders.profiles[order_id]

    def learner_ids(self) -> tuple:
        """Every learner id, in id order."""
        return tuple(sorted(self._learners.profiles, key=id_sort_key))

    def order_ids(self) -> tuple:
        """Every order id, in id order."""
        return tuple(sorted(self._orders.profiles, key=id_sort_key))

    def skill_idf(self, skill_id: str) -> float:
        """Rarity of ``skill_id`` among the learners: ``ln((1+N)/(1+df)) + 1``. O(1)."""
        cache = self._skill_idf_memo
        if cache[0] != self._skill_version:
            cache = self._skill_idf_memo = (self._skill_version, {})
        value = cache[1].get(skill_id)
        if value is None:
            col = self._skill_col.get(skill_id)
            df = int(self._skill_df[col]) if col is not None else 0
            value = cache[1][skill_id] = float(smooth_idf(df, len(self._learners)))
        return value

    def skill_supply(self) -> dict[str, int]:
        """Number of learners holding each skill (skills held by nobody omitted)."""
        return {s: int(self._skill_df[c]) for s, c in self._skill_col.items() if self._skill_df[c]}

    def _skill_idf_array(self) -> np.ndarray:
        cache = self._skill_idf_cache
        if cache is None or cache[0] != self._skill_version or len(cache[1]) != len(self._skill_df):
            # Same math.log path as skill_idf() so both agree to the last bit.
            n = len(self._learners)
            arr = np.array([smooth_idf(int(d), n) for d in self._skill_df], dtype=np.float64)
            cache = self._skill_idf_cache = (self._skill_version, arr)
        return cache[1]

    def _text_idf_array(self) -> np.ndarray:
        cache = self._text_idf_cache
        if cache is None or cache[0] != self._text_version:
            cache = self._text_idf_cache = (
                self._text_version,
                smooth_idf(self._text_df, self._n_docs),
            )
        return cache[1]

    # ----------------------------------------------------------------- scoring

    def _query_doc(self, side: _Side, profile) -> _Doc:
        if side.profiles.get(profile.id) is profile:
            return side.docs.get(profile.id)
        return _doc_of(profile.text)

    def _text_rows(self, block: _Block, doc: _Doc, rows: np.ndarray | None) -> np.ndarray:
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

    def _learner_parts(self, order: OrderProfile, block: _Block):
        """Skill and locality parts of every row of a learner block for ``order``.

        Returns ``(skill, loc, short)``: ``skill = w.required * coverage + w.nice *
        nice_coverage`` and ``loc = w.locality * fit``, so the score is
        ``(skill + w.text * text + loc) / w.total``, added in the same order as
        :func:`~matchhub.matching.rank.explain_pair` does.
        """
        w = self.weights
        n = block.n
        if n == 0:
            return _EMPTY_F, _EMPTY_F, _EMPTY_I
        required, nice = order_skills(order)
        num = np.zeros(n)
        met = np.zeros(n, dtype=np.int64)
        den = 0.0
        for req in required:
            a = req.weight * self.skill_idf(req.skill_id)
            den += a
            col = self._skill_col.get(req.skill_id)
            if col is None:
                continue
            lo, hi = block.skills.column(col)
            rows = block.skills.rows[lo:hi]
            gap = np.maximum(req.level - block.skills.vals[0][lo:hi], 0)
            credit = np.minimum(np.maximum(1.0 - w.level_step * gap, 0.0), 1.0)
            num[rows] += a * credit
            met[rows] += gap <= w.qualify_gap
        coverage = num / den if den > 0 else np.ones(n)
        nice_num = np.zeros(n)
        nice_den = 0.0
        for req in nice:
            a = req.weight * self.skill_idf(req.skill_id)
            nice_den += a
            col = self._skill_col.get(req.skill_id)
            if col is None:
                continue
            lo, hi = block.skills.column(col)
            rows = block.skills.rows[lo:hi]
            gap = np.maximum(req.level - block.skills.vals[0][lo:hi], 0)
            nice_num[rows] += a * np.minimum(np.maximum(1.0 - w.level_step * gap, 0.0), 1.0)
        nice_cov = nice_num / nice_den if nice_den > 0 else np.zeros(n)
        skill = w.required * coverage + w.nice * nice_cov
        loc = w.locality * self._learner_locality(order, block)
        return skill, loc, len(required) - met

    def _learner_locality(self, order: OrderProfile, block: _Block) -> np.ndarray:
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

    def _order_parts(self, learner: LearnerProfile, block: _Block):
        """Skill and locality parts of every row of an order block for ``learner``
        (same shape as :meth:`_learner_parts`)."""
        w = self.weights
        n = block.n
        if n == 0:
            return _EMPTY_F, _EMPTY_F, _EMPTY_I
        idf = self._skill_idf_array()
        den, nice_den = block.skill_dens(idf, self._skill_version)
        held = [(self._skill_col.get(s), lv) for s, lv in learner_levels(learner).items()]
        cols = np.asarray([c for c, _ in held if c is not None], dtype=np.int64)
        levels = np.asarray([lv for c, lv in held if c is not None], dtype=np.float64)
        num, met = self._order_skill_sums(block.skills, cols, levels, idf, n, count=True)
        nice_num, _ = self._order_skill_sums(block.nice, cols, levels, idf, n, count=False)
        with np.errstate(divide="ignore", invalid="ignore"):
            coverage = np.where(den > 0, num / den, 1.0)
            nice_cov = np.where(nice_den > 0, nice_num / nice_den, 0.0)
        skill = w.required * coverage + w.nice * nice_cov
        loc = w.locality * self._order_locality(learner, block)
        return skill, loc, block.n_req - met

    def _order_skill_sums(self, csc: _Csc, cols, levels, idf, n: int, *, count: bool):
        """Per order: sum of weight x rarity x credit over the learner's skills, and (when
        ``count``) how many required skills are met within the qualify gap.

        All the learner's columns are gathered at once; bincount adds each order's
        terms in the learner's skill order, as explain_pair adds them."""
        keep = cols < csc.n_cols
        cols, levels = cols[keep], levels[keep]
        pos, lengths = csc.gather(cols) if len(cols) else (_EMPTY_I, _EMPTY_I)
        if not len(pos):
            return np.zeros(n), np.zeros(n, dtype=np.int64)
        w = self.weights
        rows = csc.rows[pos]
        gap = np.maximum(csc.vals[0][pos] - np.repeat(levels, lengths), 0)
        credit = np.minimum(np.maximum(1.0 - w.level_step * gap, 0.0), 1.0)
        a = csc.vals[1][pos] * np.repeat(idf[cols], lengths)
        total = np.bincount(rows, weights=a * credit, minlength=n)
        met = np.bincount(rows[gap <= w.qualify_gap], minlength=n) if count else None
        return total, met

    def _order_locality(self, learner: LearnerProfile, block: _Block) -> np.ndarray:
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

    # ----------------------------------------------------------------- queries

    def _resolve(self, side: _Side, item, cls, what: str):
        if isinstance(item, cls):
            return item
        try:
            return side.profiles[item]
        except KeyError:
            raise KeyError(f"unknown {what} id {item!r}") from None

    def _eligible(self, side: _Side, candidates: Collection | None) -> np.ndarray:
        ok = side.alive_mask()
        if candidates is not None:
            allowed = np.zeros(len(ok), dtype=bool)
            allowed[side.position_of(candidates)] = True
            ok &= allowed
        return ok

    def _score(
        self,
        side: _Side,
        query,
        doc: _Doc,
        *,
        learners: bool,
        candidates,
        qualified_only: bool,
        limit: int | None,
        min_score: float | None = None,
    ):
        """Scores of the rows that can make the best ``limit`` (all eligible rows when None).

        Skill and locality parts are computed for every row (cheap column slices);
        the text part only for rows that can still make the cut. A row's score lies
        between its lower bound (text similarity 0) and upper bound (similarity 1).
        First, rows whose upper bound is below the ``limit``-th best lower bound are
        dropped; then the text of the ``2 * limit`` rows with the best lower bounds is
        scored, and rows whose upper bound is below the ``limit``-th best of those
        exact scores are dropped too. What is left holds the exact top ``limit``.
        Rows failing ``qualified_only`` or ``min_score`` never count towards a bound.
        Returns (positions, score, text, qualifies, short), unsorted.
        """
        w = self.weights
        blocks = (side.base, side.delta)
        part = self._learner_parts if learners else self._order_parts
        parts = [part(query, b) for b in blocks]
        skill = np.concatenate([p[0] for p in parts])
        loc = np.concatenate([p[1] for p in parts])
        short = np.concatenate([p[2] for p in parts])
        all_met = short == 0
        ok = self._eligible(side, candidates)
        lower = (skill + loc) / w.total
        reach = w.text / w.total + _BOUND_SLACK
        # A row is surely kept when its lower bound clears every score floor.
        floor = -np.inf
        if qualified_only:
            ok &= all_met
            floor = w.qualify_score
        if min_score is not None:
            floor = max(floor, min_score)
        if np.isfinite(floor):
            ok &= lower + reach >= floor
        pos = np.flatnonzero(ok)

        def exact(rows: np.ndarray):
            cut = np.searchsorted(rows, side.base.n)
            text = np.concatenate(
                (
                    self._text_rows(side.base, doc, rows[:cut]),
                    self._text_rows(side.delta, doc, rows[cut:] - side.base.n),
                )
            )
            score = np.round((skill[rows] + w.text * text + loc[rows]) / w.total, SCORE_DECIMALS)
            return text, score, all_met[rows] & (score >= w.qualify_score)

        def kth(values: np.ndarray) -> float:
            return float(-np.partition(-values, limit - 1)[limit - 1])

        if limit is None or limit >= len(pos) or limit <= 0:
            text, score, qualifies = exact(pos)
        else:
            lb = lower[pos]
            if np.isfinite(floor):
                lb = np.where(lb >= floor + _BOUND_SLACK, lb, -np.inf)
            theta = kth(lb)
            if np.isfinite(theta):
                pos = pos[lower[pos] + reach >= theta]
            first = 2 * limit
            if len(pos) <= 4 * first:
                text, score, qualifies = exact(pos)
            else:
                head = np.zeros(len(pos), dtype=bool)
                head[np.argpartition(-lower[pos], first)[:first]] = True
                t0, s0, q0 = exact(pos[head])
                got = s0[_kept(s0, q0, qualified_only, min_score)]
                theta = kth(got) if len(got) >= limit else -np.inf
                tail = pos[~head]
                tail = tail[lower[tail] + reach >= theta]
                t1, s1, q1 = exact(tail)
                pos = np.concatenate((pos[head], tail))
                text = np.concatenate((t0, t1))
                score = np.concatenate((s0, s1))
                qualifies = np.concatenate((q0, q1))
        if qualified_only or min_score is not None:
            keep = _kept(score, qualifies, qualified_only, min_score)
            pos, score, text, qualifies = pos[keep], score[keep], text[keep], qualifies[keep]
        return pos, score, text, qualifies, short[pos]

    def _order_by(
        self, side: _Side, pos: np.ndarray, score: np.ndarray, limit: int | None
    ) -> np.ndarray:
        """Indices into ``pos`` of the best ``limit`` (all when None): score desc, then id."""
        idx = np.arange(len(pos))
        if limit is not None and limit < len(idx):
            if limit <= 0:
                return _EMPTY_I
            kth = -np.partition(-score, limit - 1)[limit - 1]
            idx = idx[score >= kth]
        s = score[idx]
        if len(idx) <= _SMALL_SORT:
            ids = [side.id_at(int(p)) for p in pos[idx]]
            order = sorted(range(len(idx)), key=lambda j: (-s[j], id_sort_key(ids[j])))
            idx = idx[np.asarray(order, dtype=np.int64)]
        else:
            idx = idx[np.lexsort((side.id_rank()[pos[idx]], -s))]
        return idx if limit is None else idx[:limit]

    def _ranked(self, query, *, learners: bool, candidates, qualified_only, limit, min_score):
        side = self._fresh(self._learners if learners else self._orders, learners=learners)
        other = self._orders if learners else self._learners
        doc = self._query_doc(other, query)
        pos, score, text, qualifies, _ = self._score(
            side,
            query,
            doc,
            learners=learners,
            candidates=candidates,
            qualified_only=qualified_only,
            limit=limit,
            min_score=min_score,
        )
        idx = self._order_by(side, pos, score, limit)
        return side, pos[idx], score[idx], text[idx], qualifies[idx]

    def rank_learners(
        self,
        order: OrderProfile | str | int,
        k: int = 20,
        candidates: Collection | None = None,
        *,
        offset: int = 0,
        qualified_only: bool = False,
        min_score: float | None = None,
    ) -> tuple[MatchResult, ...]:
        """The best learners for an order (an indexed id or any OrderProfile).

        Results ``offset`` .. ``offset + k`` by descending score, ties by learner id.
        ``candidates`` restricts the answer to those learner ids (visibility,
        consent, filters): no other learner is ever returned. ``qualified_only``
        keeps learners who qualify, ``min_score`` those scoring at least that.
        Cost: O(learners holding the order's skills) numpy work, text scoring of the
        learners that can still make the cut (module docstring), O(k) explanations.
        """
        order = self._resolve(self._orders, order, OrderProfile, "order")
        side, pos, _, text, _ = self._ranked(
            order,
            learners=True,
            candidates=candidates,
            qualified_only=qualified_only,
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
    ) -> tuple[MatchResult, ...]:
        """The best orders for a learner (an indexed id or any LearnerProfile).

        Same contract as :meth:`rank_learners` with the sides swapped; ``candidates``
        restricts to those order ids (e.g. open orders the learner may see).
        O(orders needing the learner's skills) + pruned text scoring + O(k).
        """
        learner = self._resolve(self._learners, learner, LearnerProfile, "learner")
        side, pos, _, text, _ = self._ranked(
            learner,
            learners=False,
            candidates=candidates,
            qualified_only=qualified_only,
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
    ) -> tuple:
        """Every eligible learner id for ``order``, best first: for pagination and counts.

        Text is scored for every eligible learner and all are sorted:
        O(n log n) in the eligible learners, still cheap next to explaining them.
        """
        order = self._resolve(self._orders, order, OrderProfile, "order")
        side, pos, *_ = self._ranked(
            order,
            learners=True,
            candidates=candidates,
            qualified_only=qualified_only,
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
    ) -> tuple:
        """Every eligible order id for ``learner``, best first: for pagination and counts."""
        learner = self._resolve(self._learners, learner, LearnerProfile, "learner")
        side, pos, *_ = self._ranked(
            learner,
            learners=False,
            candidates=candidates,
            qualified_only=qualified_only,
            limit=None,
            min_score=min_score,
        )
        return tuple(side.id_at(int(p)) for p in pos)

    def order_scores(self, learner, candidates: Collection | None = None) -> OrderScores:
        """Every eligible order's score and qualify data for ``learner`` (no particular order).

        Used by next-skill advice. O(orders) numpy work, no sorting.
        """
        learner = self._resolve(self._learners, learner, LearnerProfile, "learner")
        side = self._fresh(self._orders, learners=False)
        doc = self._query_doc(self._learners, learner)
        pos, score, _, qualifies, short = self._score(
            side,
            learner,
            doc,
            learners=False,
            candidates=candidates,
            qualified_only=False,
            limit=None,
        )
        ids = np.concatenate((side.base.id_array, side.delta.id_array))[pos]
        return OrderScores(ids, score, qualifies, short)

    def explain(self, order, learner) -> MatchResult:
        """Score and explanation of one pair (ids in the index or profiles). O(pair size)."""
        order = self._resolve(self._orders, order, OrderProfile, "order")
        learner = self._resolve(self._learners, learner, LearnerProfile, "learner")
        sim = _cosine(
            self._query_doc(self._orders, order),
            self._query_doc(self._learners, learner),
            self._text_idf_array(),
        )
        return self._explain(order, learner, sim)

    def _explain(
        self, order: OrderProfile, learner: LearnerProfile, text_sim: float
    ) -> MatchResult:
        return explain_pair(
            order, learner, skill_idf=self.skill_idf, text_sim=text_sim, weights=self.weights
        )


def _kept(
    score: np.ndarray, qualifies: np.ndarray, qualified_only: bool, min_score: float | None
) -> np.ndarray:
    keep = qualifies.copy() if qualified_only else np.ones(len(score), dtype=bool)
    if min_score is not None:
        keep &= score >= min_score
    return keep


def _cosine(a: _Doc, b: _Doc, idf: np.ndarray) -> float:
    """TF-IDF cosine computed the way the block scorer does (same float operations)."""
    if not len(a.feats) or not len(b.feats):
        return 0.0
    qa = a.tf * idf[a.feats]
    qb = b.tf * idf[b.feats]
    na = math.sqrt(float(np.dot(qa, qa)))
    nb_sq = np.bincount(np.zeros(len(qb), dtype=np.int64), weights=qb * qb, minlength=1)[0]
    nb = math.sqrt(float(nb_sq))
    if na == 0.0 or nb == 0.0:
        return 0.0
    common, ia, ib = np.intersect1d(a.feats, b.feats, assume_unique=True, return_indices=True)
    if not len(common):
        return 0.0
    weights = b.tf[ib] * (qa[ia] * idf[common])
    dot = float(
        np.bincount(np.zeros(len(weights), dtype=np.int64), weights=weights, minlength=1)[0]
    )
    return min(dot / (nb * na), 1.0)


def _docs_coo(docs: list[_Doc]) -> tuple:
    if not docs:
        return _EMPTY_I, _EMPTY_I, (np.zeros(0, dtype=np.float32),)
    lengths = np.fromiter((len(d.feats) for d in docs), dtype=np.int64, count=len(docs))
    rows = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
    cols = np.concatenate([d.feats for d in docs]).astype(np.int64)
    tf = np.concatenate([d.tf for d in docs]).astype(np.float32)
    return rows, cols, (tf,)


def _store_coo(store: _DocStore) -> tuple:
    rows = np.repeat(np.arange(len(store.indptr) - 1, dtype=np.int64), np.diff(store.indptr))
    return rows, store.feats, (store.tf,)
