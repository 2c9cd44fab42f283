"""The normaliser's word lists, read once from ``matchhub/data/normalize_words.json``.

Data, not code: each list in the file says why it exists. Every word is folded
(see :func:`matchhub.matching.text.fold`), so the lists compare with folded keys.
"""

from __future__ import annotations

import json
from pathlib import Path

__all__ = [
    "DURATION_UNITS",
    "GENERIC_DERIVED",
    "GENERIC_INSIDE",
    "INNER_FILLERS",
    "PHRASINGS",
    "PREFIXES",
    "ROLE_NOUNS",
    "SPECIFICITY",
    "SUFFIXES",
    "VENDORS",
    "VENDOR_ABBREVIATIONS",
    "WHOLE_TERMS",
]

PATH = Path(__file__).resolve().parents[1] / "data" / "normalize_words.json"

_DOC = json.loads(PATH.read_text(encoding="utf-8"))


def _longest_first(name: str) -> tuple[str, ...]:
    return tuple(sorted(set(_DOC[name]["words"]), key=lambda w: (-len(w), w)))


#: filler phrases stripped from the start / end of a term, longest first
PREFIXES: tuple[str, ...] = _longest_first("prefixes")
SUFFIXES: tuple[str, ...] = _longest_first("suffixes")
GENERIC_INSIDE: frozenset[str] = frozenset(_DOC["generic_inside"]["words"])
SPECIFICITY: dict[str, int] = dict(_DOC["specificity"]["ranks"])
VENDORS: frozenset[str] = frozenset(_DOC["vendors"]["words"])
GENERIC_DERIVED: frozenset[str] = frozenset(_DOC["generic_derived"]["words"])
ROLE_NOUNS: dict[str, str] = dict(_DOC["role_nouns"]["map"])
DURATION_UNITS: frozenset[str] = frozenset(_DOC["duration_units"]["words"])
INNER_FILLERS: frozenset[str] = frozenset(_DOC["inner_fillers"]["words"])
VENDOR_ABBREVIATIONS: dict[str, str] = dict(_DOC["vendor_abbreviations"]["map"])
#: Vietnamese and English ways of saying a skill's words ("trang web" for "web",
#: "xay dung" for "phat trien"): phrase -> the words the taxonomy uses
PHRASINGS: dict[str, str] = dict(_DOC["phrasings"]["map"])
#: whole terms too vague for an alias in prose but clear in a skill list ("web")
WHOLE_TERMS: dict[str, str] = dict(_DOC["whole_terms"]["map"])
