"""The skill taxonomy: an immutable, bilingual set of skills with their aliases.

The shipped taxonomy lives in ``matchhub/data/skills.json`` (built by
``scripts/build_taxonomy.py``); the web app can also build one from database rows
with :meth:`Taxonomy.from_records`, so admin-added aliases take part in matching.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = [
    "CATEGORIES",
    "DEFAULT_PATH",
    "Skill",
    "Taxonomy",
    "TaxonomyError",
    "expand_skills",
    "load_taxonomy",
]

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "data" / "skills.json"

#: The fixed set of categories a skill may belong to.
CATEGORIES: tuple[str, ...] = (
    "programming-language",
    "framework-library",
    "database",
    "cloud-devops",
    "tool",
    "testing",
    "data-ai",
    "networking-security",
    "design",
    "methodology",
    "office",
    "domain",
    "transversal",
    "language",
)

_ID_RE = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")


class TaxonomyError(ValueError):
    """A taxonomy record is malformed (bad id, unknown category, duplicate id)."""


@dataclass(frozen=True, slots=True)
class Skill:
    """One skill: a stable ASCII slug id, English and Vietnamese names, a category,
    optional ESCO URI and O*NET technology reference, its aliases (any language,
    any case; matching folds them), the skills it ``implies``: those nobody can
    hold it without ("React" implies JavaScript, "Spring Boot" Spring and Java), and
    skills it is ``related`` to: partial evidence, never the same skill (Windows and
    Windows Server, SQL and MySQL; see :meth:`Taxonomy.related`)."""

    id: str
    name_en: str
    name_vi: str
    category: str
    esco_uri: str | None = None
    onet: str | None = None
    aliases: tuple[str, ...] = ()
    implies: tuple[str, ...] = ()
    related: tuple[str, ...] = ()

    def labels(self) -> tuple[str, ...]:
        """All surface forms of the skill: both names, then the aliases, de-duplicated
        in order."""
        seen: dict[str, None] = {}
        for label in (self.name_en, self.name_vi, *self.aliases):
            if label and label not in seen:
                seen[label] = None
        return tuple(seen)

    def to_record(self) -> dict[str, Any]:
        """The skill as a JSON-able dict with exactly the dataclass fields."""
        return {
            "id": self.id,
            "name_en": self.name_en,
            "name_vi": self.name_vi,
            "category": self.category,
            "esco_uri": self.esco_uri,
            "onet": self.onet,
            "aliases": list(self.aliases),
            "implies": list(self.implies),
            "related": list(self.related),
        }


def _skill_from_record(rec: Mapping[str, Any]) -> Skill:
    try:
        sid = str(rec["id"])
        name_en = str(rec["name_en"])
    except KeyError as exc:
        raise TaxonomyError(f"skill record lacks {exc.args[0]!r}: {dict(rec)!r}") from None
    if not _ID_RE.match(sid):
        raise TaxonomyError(f"bad skill id {sid!r}: use a lowercase ASCII slug")
    category = str(rec.get("category") or "")
    if category not in CATEGORIES:
        raise TaxonomyError(f"skill {sid!r}: unknown category {category!r}")
    aliases = rec.get("aliases") or ()
    if isinstance(aliases, str):
        raise TaxonomyError(f"skill {sid!r}: aliases must be a list, not a string")
    return Skill(
        id=sid,
        name_en=name_en,
        name_vi=str(rec.get("name_vi") or name_en),
        category=category,
        esco_uri=rec.get("esco_uri") or None,
        onet=rec.get("onet") or None,
        aliases=tuple(dict.fromkeys(str(a) for a in aliases if str(a).strip())),
        implies=tuple(dict.fromkeys(str(i) for i in rec.get("implies") or ())),
        related=tuple(dict.fromkeys(str(r) for r in rec.get("related") or ())),
    )


class Taxonomy:
    """An immutable collection of :class:`Skill`, looked up by id in O(1).

    Iteration order is the order of the records it was built from.
    """

    __slots__ = ("_by_id", "_skills")

    def __init__(self, skills: Iterable[Skill]):
        """Build from skills; raises :class:`TaxonomyError` on a duplicate id, an
        implication of an unknown skill, of itself, or in a cycle, or a relation to an
        unknown skill or to itself."""
        ordered = tuple(skills)
        by_id: dict[str, Skill] = {}
        for skill in ordered:
            if skill.id in by_id:
                raise TaxonomyError(f"duplicate skill id {skill.id!r}")
            by_id[skill.id] = skill
        _check_implications(by_id)
        _check_related(by_id)
        object.__setattr__(self, "_skills", ordered)
        object.__setattr__(self, "_by_id", by_id)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Taxonomy is immutable")

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]]) -> Taxonomy:
        """Build from dicts with the :class:`Skill` fields (``esco_uri``, ``onet``,
        ``aliases`` and ``name_vi`` optional). O(n)."""
        return cls(_skill_from_record(r) for r in records)

    def to_records(self) -> list[dict[str, Any]]:
        """The taxonomy as a list of JSON-able dicts (inverse of ``from_records``)."""
        return [s.to_record() for s in self._skills]

    @property
    def skills(self) -> tuple[Skill, ...]:
        """All skills, in order."""
        return self._skills

    def get(self, skill_id: str) -> Skill | None:
        """The skill with this id, or ``None``. O(1)."""
        return self._by_id.get(skill_id)

    def implications(self) -> dict[str, tuple[str, ...]]:
        """``{skill_id: skills it implies}`` for the skills that imply any (see
        :func:`expand_skills`)."""
        return {s.id: s.implies for s in self._skills if s.implies}

    def related(self) -> dict[str, tuple[str, ...]]:
        """``{skill_id: related skill ids}``, symmetric: each skill's ``related`` list,
        the skills that list it, and its direct implications both ways (React is
        related to JavaScript and JavaScript to React). Not transitive: SQL ~ MySQL
        and SQL ~ database do not relate MySQL to database. Targets sorted by id;
        only skills with a relation appear. O(skills + relations)."""
        pairs: dict[str, set[str]] = {}
        for skill in self._skills:
            for other in (*skill.related, *skill.implies):
                pairs.setdefault(skill.id, set()).add(other)
                pairs.setdefault(other, set()).add(skill.id)
        return {sid: tuple(sorted(pairs[sid])) for sid in sorted(pairs)}

    def __len__(self) -> int:
        return len(self._skills)

    def __iter__(self) -> Iterator[Skill]:
        return iter(self._skills)

    def __contains__(self, skill_id: object) -> bool:
        return skill_id in self._by_id

    def __repr__(self) -> str:
        return f"Taxonomy({len(self._skills)} skills)"


def _check_implications(by_id: Mapping[str, Skill]) -> None:
    """Implications name known skills, never the skill itself, and form no cycle
    (a depth-first search, O(skills + implications))."""
    for skill in by_id.values():
        for target in skill.implies:
            if target == skill.id:
                raise TaxonomyError(f"skill {skill.id!r} implies itself")
            if target not in by_id:
                raise TaxonomyError(f"skill {skill.id!r} implies unknown skill {target!r}")
    done: set[str] = set()
    for root in by_id:
        if root in done:
            continue
        path: list[str] = []
        on_path: set[str] = set()
        stack: list[tuple[str, Iterator[str]]] = [(root, iter(by_id[root].implies))]
        path.append(root)
        on_path.add(root)
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                on_path.discard(path.pop())
                done.add(node)
            elif child in on_path:
                cycle = [*path[path.index(child) :], child]
                raise TaxonomyError("implication cycle: " + " > ".join(cycle))
            elif child not in done:
                stack.append((child, iter(by_id[child].implies)))
                path.append(child)
                on_path.add(child)


def _check_related(by_id: Mapping[str, Skill]) -> None:
    """Relations name known skills and never the skill itself. O(relations)."""
    for skill in by_id.values():
        for target in skill.related:
            if target == skill.id:
                raise TaxonomyError(f"skill {skill.id!r} is related to itself")
            if target not in by_id:
                raise TaxonomyError(f"skill {skill.id!r} is related to unknown skill {target!r}")


def expand_skills(
    skills: Iterable[tuple[str, int]], implications: Mapping[str, Iterable[str]]
) -> tuple[tuple[str, int], ...]:
    """A profile's ``(skill_id, level)`` pairs plus the skills they imply.

    An implied skill is held one level below the skill implying it (at least 1):
    a React developer at level 4 knows JavaScript, though not necessarily as
    deeply. Implications chain (Redux > React > JavaScript) and a skill reached
    several ways keeps its highest level. A skill the person listed keeps the
    level they gave it: their own statement wins over an inference. Listed skills
    come first, in their order, then implied ones by id, so equal inputs give
    equal profiles. O(skills reached).
    """
    listed: dict[str, int] = {}
    for skill_id, level in skills:
        if level > listed.get(skill_id, 0):
            listed[skill_id] = level
    implied: dict[str, int] = {}
    pending = list(listed.items())
    while pending:
        skill_id, level = pending.pop()
        implied_level = max(1, level - 1)
        for target in implications.get(skill_id, ()):
            if target not in listed and implied_level > implied.get(target, 0):
                implied[target] = implied_level
                pending.append((target, implied_level))
    return tuple(listed.items()) + tuple(sorted(implied.items()))


@lru_cache(maxsize=8)
def _load(path: Path) -> Taxonomy:
    with path.open(encoding="utf-8") as fh:
        data = json.load(fh)
    records = data["skills"] if isinstance(data, dict) else data
    return Taxonomy.from_records(records)


def load_taxonomy(path: str | Path | None = None) -> Taxonomy:
    """Load a taxonomy JSON file (default: the shipped ``matchhub/data/skills.json``).

    The file is either a list of skill records or ``{"skills": [...], ...}``. Loaded
    once per path and cached; the returned object is immutable, so sharing is safe.
    """
    resolved = Path(path).resolve() if path is not None else DEFAULT_PATH
    return _load(resolved)
