"""Sparse storage of the index: column- and row-access matrices, and hashed documents.

``Csc`` keeps a block's skills, requirements, localities and text tokens by column
(so a query reads only the columns it needs), with any number of parallel value
arrays; ``Csr`` keeps a block's text by row (for scoring a few rows). Both merge with
a newer block in O(nnz) without sorting, which is how patches are folded in.
``DocStore`` holds each profile's text as hashed sub-linear TF, built in bulk.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from matchhub.matching.tfidf import TEXT_FEATURES, text_matrix

__all__ = [
    "EMPTY_F",
    "EMPTY_I",
    "Csc",
    "Csr",
    "Doc",
    "DocStore",
    "cosine",
    "doc_of",
    "docs_coo",
    "gather",
    "store_coo",
]

EMPTY_I = np.zeros(0, dtype=np.int64)
EMPTY_F = np.zeros(0, dtype=np.float64)


class Csc:
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
            self.cols_of_nnz = EMPTY_I
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
        return gather(self.indptr, cols)

    def merged(self, keep: np.ndarray, new_row: np.ndarray, other: Csc, n_cols: int) -> Csc:
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
        out = object.__new__(Csc)
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


def gather(indptr: np.ndarray, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lo = indptr[idx]
    lengths = indptr[idx + 1] - lo
    total = int(lengths.sum())
    if total == 0:
        return EMPTY_I, lengths
    # One arange for all slices, shifted per slice to its start: no Python loop.
    starts = np.repeat(lo - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    return np.arange(total, dtype=np.int64) + starts, lengths


class Csr:
    """Row access to a block's text: sorted feature ids and TF of each row."""

    __slots__ = ("feats", "indptr", "tf")

    def __init__(self, rows: np.ndarray, cols: np.ndarray, tf: np.ndarray, n_rows: int):
        if not len(cols):
            self.indptr = np.zeros(n_rows + 1, dtype=np.int64)
            self.feats = EMPTY_I
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
        return gather(self.indptr, rows)

    def merged(self, kept_rows: np.ndarray, other: Csr) -> Csr:
        """``kept_rows`` of this matrix, then every row of ``other``. O(nnz), no sorting."""
        pos, lengths = gather(self.indptr, kept_rows)
        out = object.__new__(Csr)
        out.indptr = np.zeros(len(kept_rows) + len(other.indptr), dtype=np.int64)
        np.cumsum(np.concatenate((lengths, np.diff(other.indptr))), out=out.indptr[1:])
        out.feats = np.concatenate((self.feats[pos], other.feats))
        out.tf = np.concatenate((self.tf[pos], other.tf))
        return out


@dataclass(slots=True)
class Doc:
    """A profile's text as hashed feature ids and sub-linear term frequencies."""

    feats: np.ndarray
    tf: np.ndarray


def doc_of(text: str, headline: float = 1.0) -> Doc:
    matrix = text_matrix([text], headline)
    return Doc(matrix.indices.astype(np.int64), matrix.data.astype(np.float32))


class DocStore:
    """Texts of one side as sub-linear TF rows: one CSR for the bulk build, and a
    dict for profiles upserted since (so a build keeps no per-profile objects)."""

    def __init__(self, texts: list[str], ids: list, headline: float = 1.0) -> None:
        matrix = text_matrix(texts, headline)
        self.indptr = matrix.indptr.astype(np.int64)
        self.feats = matrix.indices.astype(np.int32)
        self.tf = matrix.data.astype(np.float32)
        self.bulk_row = {i: r for r, i in enumerate(ids)}
        self.patched: dict = {}

    def get(self, item_id) -> Doc:
        doc = self.patched.get(item_id)
        if doc is not None:
            return doc
        r = self.bulk_row[item_id]
        lo, hi = self.indptr[r], self.indptr[r + 1]
        return Doc(self.feats[lo:hi], self.tf[lo:hi])

    def put(self, item_id, doc: Doc) -> None:
        self.bulk_row.pop(item_id, None)
        self.patched[item_id] = doc

    def pop(self, item_id) -> Doc:
        doc = self.get(item_id)
        self.patched.pop(item_id, None)
        self.bulk_row.pop(item_id, None)
        return doc


def cosine(a: Doc, b: Doc, idf: np.ndarray) -> float:
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


def docs_coo(docs: list[Doc]) -> tuple:
    if not docs:
        return EMPTY_I, EMPTY_I, (np.zeros(0, dtype=np.float32),)
    lengths = np.fromiter((len(d.feats) for d in docs), dtype=np.int64, count=len(docs))
    rows = np.repeat(np.arange(len(docs), dtype=np.int64), lengths)
    cols = np.concatenate([d.feats for d in docs]).astype(np.int64)
    tf = np.concatenate([d.tf for d in docs]).astype(np.float32)
    return rows, cols, (tf,)


def store_coo(store: DocStore) -> tuple:
    rows = np.repeat(np.arange(len(store.indptr) - 1, dtype=np.int64), np.diff(store.indptr))
    return rows, store.feats, (store.tf,)
