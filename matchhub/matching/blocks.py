"""The rows of one side of the index (learners or orders): blocks and their bookkeeping.

A ``Block`` holds rows in column-access form (skills, requirements, text, preferred
localities) with an alive mask, and caches per-row numbers derived from the IDF
vectors (text norms, skill-weight sums, skill-profile norms), recomputed lazily
when the IDF they came from changed. A ``Side`` is a large base block plus a small
delta block of recent patches, with the id lookups of both.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import repeat

import numpy as np

from matchhub.matching.rules import id_sort_key
from matchhub.matching.sparse import EMPTY_F, Csc, Csr, DocStore
from matchhub.matching.tfidf import TEXT_FEATURES

__all__ = ["Block", "Side"]


#: Per-row arrays of a block besides the sparse matrices (None when a side has none).
_ROW_ARRAYS = ("loc", "remote", "n_req", "n_unknown")


class Block:
    """Rows of one side (learners or orders) in column-access form, plus an alive mask.

    ``skills`` holds a learner's (level,) or an order's required (level, weight)
    entries, ``nice`` an order's nice-to-have ones; ``loc`` is each row's locality
    code (-1 none), and orders also have ``remote``, ``n_req`` (recognised required
    skills) and ``n_unknown`` (unrecognised required terms).
    """

    def __init__(self, ids: list, n_skill_cols: int, n_loc: int, coo: dict):
        n = len(ids)
        self._init_rows(ids, {name: coo.get(name) for name in _ROW_ARRAYS})
        self.skills = Csc(*coo["skills"], n, n_skill_cols)
        self.nice = Csc(*coo["nice"], n, n_skill_cols) if "nice" in coo else None
        self.text = Csc(*coo["text"], n, TEXT_FEATURES)
        t_rows, t_cols, (t_tf,) = coo["text"]
        self.text_csr = Csr(t_rows, t_cols, t_tf, n)
        self.pref = Csc(*coo["pref"], n, n_loc) if "pref" in coo else None

    def _init_rows(self, ids: list, arrays: dict) -> None:
        n = len(ids)
        self.ids = ids
        self.id_array = np.empty(n, dtype=object)
        self.id_array[:] = ids
        self.alive = np.ones(n, dtype=bool)
        self.n = n
        self.loc = arrays["loc"]
        self.remote = arrays["remote"]
        self.n_req = arrays["n_req"]
        self.n_unknown = arrays["n_unknown"]
        self._norm_version = -1
        self.norms = EMPTY_F
        self._skill_version = -1
        self.den = EMPTY_F
        self.nice_den = EMPTY_F
        self.skill_norm = EMPTY_F

    @classmethod
    def merge(cls, a: Block, b: Block, n_skill_cols: int, n_loc: int) -> Block:
        """``a``'s alive rows followed by all of ``b``'s (a fresh delta). O(nnz), no sorting."""
        keep = a.alive
        kept = np.flatnonzero(keep)
        new_row = np.cumsum(keep) - 1
        block = object.__new__(cls)
        arrays = {}
        for name in _ROW_ARRAYS:
            mine = getattr(a, name)
            arrays[name] = None if mine is None else np.concatenate((mine[kept], getattr(b, name)))
        block._init_rows([a.ids[i] for i in kept] + b.ids, arrays)
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

    def refresh_skill_sums(self, idf: np.ndarray, version: int) -> None:
        """Recompute, when the skill IDF changed, each row's skill-profile norm (learners:
        ``sqrt(sum idf_t^2)`` over skills held; orders: ``sqrt(sum (weight_s idf_s)^2)``
        over required and nice skills; 1 for a row without any) and, for orders, the
        sums of required and of nice skill weights x rarity (coverage denominators)."""
        if self._skill_version == version:
            return
        if self.nice is None:
            t = self.skills
            w = idf[t.cols_of_nnz]
            norm = np.sqrt(np.bincount(t.rows, weights=w * w, minlength=self.n))
        else:
            self.den, req_sq = _weighted_row_sums(self.skills, idf, self.n)
            self.nice_den, nice_sq = _weighted_row_sums(self.nice, idf, self.n)
            norm = np.sqrt(req_sq + nice_sq)
        # A row without skills has a zero dot product with any query, so a norm of 1
        # there gives the right overlap (0) and spares the scorers a 0/0 guard.
        norm[norm == 0] = 1.0
        self.skill_norm = norm
        self._skill_version = version


def _weighted_row_sums(csc: Csc, idf: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row: sum of weight x rarity, and sum of its squares."""
    if not len(csc.rows):
        return np.zeros(n), np.zeros(n)
    a = csc.vals[1] * idf[csc.cols_of_nnz]
    return (
        np.bincount(csc.rows, weights=a, minlength=n),
        np.bincount(csc.rows, weights=a * a, minlength=n),
    )


class Side:
    """One side of the index (learners or orders): base + delta blocks and id lookup."""

    def __init__(self) -> None:
        self.base: Block | None = None
        self.delta: Block | None = None
        self.delta_profiles: dict = {}
        self.delta_dirty = False
        self.profiles: dict = {}
        self.docs = DocStore([], [])
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
