"""Skill lists as people type them: "Python:4*2, SQL (2), Git*0.5, Docker".

One reading for every form that takes a skill list (orders, learner profiles,
programmes and courses): terms with a level from 1 to 5 and, for orders, a weight;
levels that are not a whole number from 1 to 5 are named so that the form refuses them
instead of reading them as level 3.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _

_LEVEL = re.compile(r"^(?P<term>.+?)\s*(?:[:(]\s*(?P<level>[1-5])\s*(?:/\s*5)?\s*\)?)$")
_WEIGHT = re.compile(r"^(?P<rest>.+?)\s*[*×]\s*(?P<weight>\d{1,3}(?:[.,]\d{1,2})?)$")
# Something meant as a level that is not one: "Docker:9", "Excel:abc", "Vue.js (2.5)".
_LEVEL_ATTEMPT = re.compile(r"^.+?(?::\s*\S.*|\(\s*[-+]?\d+(?:[.,]\d+)?\s*(?:/\s*5)?\s*\))$")
#: Bounds of a skill's weight (the database allows 0 < weight <= 5).
MAX_WEIGHT = 5.0
#: Most skills (required and nice-to-have) one order may list.
MAX_ORDER_SKILLS = 40


def parse_skill_specs(text: str) -> list[tuple[str, int, float]]:
    """Split free text into (term, level, weight): "Python:4*2", "SQL (2)", "Git*0.5", "Docker".

    One item per line, comma or semicolon; a level 1-5 after a colon or in brackets
    (default 3); a weight after "*" (default 1, checked by the order's validation).
    Blank items are dropped; a term listed twice (case-insensitive) keeps its highest
    level; terms are cut to 160 chars. Items with a level that is not 1-5 are read as
    plain terms here: :func:`bad_levels` names them so that callers refuse them.
    """
    specs: dict[str, tuple[str, int, float]] = {}
    for item in _items(text):
        weight = 1.0
        weighted = _WEIGHT.match(item)
        if weighted:
            item, weight = weighted["rest"], float(weighted["weight"].replace(",", "."))
        match = _LEVEL.match(item)
        term, level = (match["term"], int(match["level"])) if match else (item, 3)
        term = term.strip()[:160]
        seen = specs.get(term.casefold())
        if term and seen is None:
            specs[term.casefold()] = (term, level, weight)
        elif term and level > seen[1]:  # the first spelling and weight, the highest level
            specs[term.casefold()] = (seen[0], level, seen[2])
    return list(specs.values())


def _items(text: str | None) -> list[str]:
    return [item for raw in re.split(r"[\n,;]+", text or "") if (item := raw.strip())]


def bad_levels(text: str | None) -> list[str]:
    """The items of a skill list whose level is not a whole number from 1 to 5, as typed.

    "Docker:9", "Kotlin:0", "Figma:-1", "Excel:abc", "Vue.js:2.5": every form that takes
    a skill list refuses them with this list rather than reading them as level 3.
    """
    bad = []
    for item in _items(text):
        weighted = _WEIGHT.match(item)
        core = weighted["rest"] if weighted else item
        if not _LEVEL.match(core) and _LEVEL_ATTEMPT.match(core):
            bad.append(item)
    return bad


def parse_skill_terms(text: str) -> list[tuple[str, int]]:
    """Split free text into (term, level) pairs: one per line or comma, "python:4" or "SQL (2)".

    Items without a level get level 3; blank items and repeats are dropped; any weight
    ("*2") is read and ignored (see :func:`parse_skill_specs`).
    """
    return [(term, level) for term, level, _w in parse_skill_specs(text)]


def level_message(bad: list[str]) -> str:
    """The translated refusal of :func:`bad_levels`' items, naming each one."""
    return _(
        "A level is a whole number from 1 to 5 (“Python:4”); fix: %(terms)s.",
        terms=", ".join(f"“{b}”" for b in bad[:10]),
    )
