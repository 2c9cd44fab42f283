"""Text similarity of the ranker: hashed sub-linear TF rows and their TF-IDF cosine.

Tokens come from scikit-learn's ``HashingVectorizer`` over accent-folded text with
sub-linear term frequency ``1 + ln(tf)``; the IDF is the smoothed
``ln((1 + N) / (1 + df)) + 1`` over the documents (learners and orders) of a corpus.

An order's text is its title, a line break, then its description (every loader
writes it so). The title says what the job is ("Java Backend Developer"); a long
description also names the tools, benefits and company around it. So in an order's
row the title line's sub-linear frequencies count :data:`ORDER_HEADLINE` times
(``headline * (1 + ln tf_title) + (1 + ln tf_rest)``); a CV's first line may be a
name, so learners' texts are read flat. Fitted on the real-posting benchmark's train
companies (docs/benchmarks.md, "Session 4").
The reference ranker (:mod:`matchhub.matching.rank`) and the index share these
functions so both see the very same numbers.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

__all__ = ["ORDER_HEADLINE", "TEXT_FEATURES", "smooth_idf", "text_matrix", "text_similarity"]

#: Width of the hashed text feature space (collisions are rare at 2**20).
TEXT_FEATURES = 2**20

#: How many times an order's title line counts against its description (see above).
ORDER_HEADLINE = 3.0


def smooth_idf(df: int | np.ndarray, n: int) -> float | np.ndarray:
    """Smoothed inverse document frequency ``ln((1 + n) / (1 + df)) + 1`` (as scikit-learn)."""
    if isinstance(df, np.ndarray):
        return np.log((1.0 + n) / (1.0 + df)) + 1.0
    return math.log((1.0 + n) / (1.0 + df)) + 1.0


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


def _sublinear(texts: list[str]) -> sparse.csr_matrix:
    matrix = _VECTORIZER.transform(texts).tocsr()
    np.log(matrix.data, out=matrix.data)
    matrix.data += 1.0
    return matrix


def text_matrix(texts: Sequence[str], headline: float = 1.0) -> sparse.csr_matrix:
    """Sub-linear term frequencies ``1 + ln(tf)`` of ``texts``, one CSR row each.

    With ``headline`` != 1 (orders: :data:`ORDER_HEADLINE`), a text's first line and
    the rest are counted apart and the first line's row is scaled by ``headline``.
    Columns are hashed tokens (TEXT_FEATURES wide); indices are sorted in every row.
    O(total text length).
    """
    texts = list(texts)
    if not texts:
        return sparse.csr_matrix((0, TEXT_FEATURES), dtype=np.float64)
    if headline == 1.0:
        matrix = _sublinear(texts)
    else:
        heads, rests = zip(*(_split_headline(t) for t in texts), strict=True)
        matrix = (_sublinear(list(heads)) * headline + _sublinear(list(rests))).tocsr()
        matrix.eliminate_zeros()
    matrix.sort_indices()
    # Quantised to float32 so the index can store them in half the memory and
    # every code path still computes with the very same values.
    matrix.data = matrix.data.astype(np.float32).astype(np.float64)
    return matrix


def _split_headline(text: str) -> tuple[str, str]:
    head, _, rest = text.strip().partition("\n")
    return head, rest


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
