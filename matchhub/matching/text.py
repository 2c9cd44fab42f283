"""Text folding shared by the taxonomy, the normaliser and the extractor.

Vietnamese skill terms arrive with or without diacritics, in any case and in any
Unicode normal form ("Lập trình", "lap trinh", "LẬP TRÌNH"), so every comparison in
the engine happens on one *folded* key. ``đ``/``Đ`` is a letter of its own rather
than ``d`` plus a combining mark, so it does not decompose and is mapped by hand.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["fold", "fold_char", "fold_with_offsets", "token_spans", "tokens"]

_SPACE_RE = re.compile(r"\s+")
_EXTRA = {"đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l"}


@lru_cache(maxsize=4096)
def fold_char(ch: str) -> str:
    """Fold one character: case-folded, diacritics removed, ``đ`` -> ``d``.

    Returns a string of zero or more characters (combining marks fold to ``""``,
    ``ß`` to ``"ss"``). Whitespace folds to a single space. O(1), cached.
    """
    if ch in _EXTRA:
        return _EXTRA[ch]
    if ch.isspace():
        return " "
    if ch.isascii():
        return ch.lower()
    out = []
    for c in unicodedata.normalize("NFD", ch):
        if unicodedata.combining(c):
            continue
        out.append(_EXTRA.get(c, c))
    return "".join(out).casefold()


def fold(text: str) -> str:
    """Return the comparison key of ``text``.

    NFC, case-folded, diacritics removed, ``đ``/``Đ`` -> ``d``, runs of whitespace
    collapsed to one space and the ends stripped. ``fold("  Lập   TRÌNH ")`` is
    ``"lap trinh"``. O(n) in the length of the text.
    """
    text = unicodedata.normalize("NFC", text)
    folded = text.lower() if text.isascii() else _fold_one_to_one(text)
    if folded is None:
        folded = "".join(fold_char(ch) for ch in text)
    return _SPACE_RE.sub(" ", folded).strip()


def _build_tables() -> tuple[dict[int, str], dict[int, None]]:
    table: dict[int, str] = {}
    for cp in range(0x3000):
        folded = fold_char(chr(cp))
        if len(folded) == 1:
            table[cp] = folded
    return table, dict.fromkeys(table)


# Every character below U+3000 that folds to exactly one character (all of
# Vietnamese, precomposed; Latin; punctuation): a text made only of these folds by
# one str.translate with its offsets intact. ``_ONE_TO_ONE_DEL`` deletes them, to
# test that in one pass too.
_ONE_TO_ONE, _ONE_TO_ONE_DEL = _build_tables()


def _fold_one_to_one(text: str) -> str | None:
    """``text`` folded character for character, or None if some character folds to
    zero or several characters (combining marks, "ß", CJK is left to the slow path)."""
    if text.translate(_ONE_TO_ONE_DEL):
        return None
    return text.translate(_ONE_TO_ONE)


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """Fold ``text`` character by character, keeping the way back.

    Returns ``(folded, offsets)`` where ``offsets[i]`` is the index in ``text`` of the
    character that produced ``folded[i]``; ``offsets`` has one extra final entry,
    ``len(text)``, so a folded span ``[a, b)`` maps back to
    ``text[offsets[a]:offsets[b - 1] + 1]``. Whitespace is not collapsed (each space
    keeps its place), and the text is *not* renormalised, so offsets stay valid for
    the caller's string whatever its normal form. O(n).
    """
    fast = _fold_one_to_one(text)
    if fast is not None:
        return fast, [*range(len(text)), len(text)]
    parts: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        f = fold_char(ch)
        if f:
            parts.append(f)
            offsets.extend([i] * len(f))
    offsets.append(len(text))
    return "".join(parts), offsets


# A token is a run of letters/digits, optionally followed by "+"/"#" ("c++", "c#").
_TOKEN_RE = re.compile(r"[^\W_]+[+#]*")
# "c #", "c ++", "f #": CVs often space the suffix away from its letter.
_SPACED_SUFFIX_RE = re.compile(r"(?<![^\W_])([a-z])\s+([+#]{1,2})(?![+#])")


def tokens(folded: str) -> list[str]:
    """Split an already folded string into tokens.

    Letters and digits form tokens; every other character separates them, except
    that ``+``/``#`` stay attached to the token before them (``c++``, ``c#``) and a
    one-letter token keeps a suffix written after a space (``"c #"`` -> ``c#``).
    ``"asp.net"`` gives ``["asp", "net"]``. O(n).
    """
    return _TOKEN_RE.findall(_SPACED_SUFFIX_RE.sub(r"\1\2", folded))


def token_spans(folded: str) -> list[tuple[str, int, int]]:
    """Tokens of a folded string with their ``[start, end)`` offsets in it.

    Same tokens as :func:`tokens` except that a suffix separated by a space is not
    re-attached (offsets must stay true to the text). O(n).
    """
    return [(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(folded)]
