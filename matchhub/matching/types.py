"""The engine's value types: profiles in, results out.

Every type is a frozen, slotted dataclass so a profile can be shared between
threads and cached as a dictionary key without defensive copies. Profiles are
validated on construction (levels 1-5, positive weights and headcounts) so the
scoring code never has to guard against bad input.
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

#: Lowest and highest skill level (1 = aware of it, 5 = expert).
MIN_LEVEL = 1
MAX_LEVEL = 5
#: Level assumed when a term carries none ("python" rather than "python:4").
DEFAULT_LEVEL = 3
#: The kinds of order an enterprise may place.
ORDER_KINDS = ("job", "internship", "training")


class Tier(enum.IntEnum):
    """How far a learner meets an order's requirements; ranking sorts by it first.

    The rules (one home: :mod:`matchhub.matching.rank`'s docstring) in short:
    ``MEETS`` holds every required skill at or above the level asked; ``NEAR`` holds
    every one, at least one of them 1..``Weights.qualify_gap`` levels short;
    ``MISSING`` lacks a required skill or is further short, and so is everyone for an
    order with an unrecognised required term or with no recognised required skill.
    """

    MISSING = 0
    NEAR = 1
    MEETS = 2

    @property
    def label(self) -> str:
        """Stable lower-case name for JSON and templates: "missing", "near" or "meets"."""
        return self.name.lower()


def _check_level(level: object, where: str) -> None:
    # bool is an int subclass: True would silently read as level 1.
    if isinstance(level, bool) or not isinstance(level, int):
        raise TypeError(f"{where}: level must be an int, got {level!r}")
    if not MIN_LEVEL <= level <= MAX_LEVEL:
        raise ValueError(f"{where}: level must be {MIN_LEVEL}..{MAX_LEVEL}, got {level}")


def _check_skill_id(skill_id: object, where: str) -> None:
    if not isinstance(skill_id, str) or not skill_id:
        raise ValueError(f"{where}: skill_id must be a non-empty str, got {skill_id!r}")


def _check_skill_levels(skills: tuple[tuple[str, int], ...], where: str) -> None:
    if not isinstance(skills, tuple):
        raise TypeError(f"{where}: skills must be a tuple of (skill_id, level) pairs")
    for pair in skills:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError(f"{where}: each skill must be a (skill_id, level) pair, got {pair!r}")
        _check_skill_id(pair[0], where)
        _check_level(pair[1], f"{where} skill {pair[0]!r}")


@dataclass(frozen=True, slots=True)
class SkillReq:
    """One skill an order asks for.

    ``level`` is the level wanted (1-5, default 3); ``weight`` scales how much the
    skill counts relative to the order's other skills (default 1.0, must be > 0).
    """

    skill_id: str
    level: int = DEFAULT_LEVEL
    weight: float = 1.0

    def __post_init__(self) -> None:
        _check_skill_id(self.skill_id, "SkillReq")
        _check_level(self.level, f"SkillReq {self.skill_id!r}")
        if not self.weight > 0:
            raise ValueError(f"SkillReq {self.skill_id!r}: weight must be > 0, got {self.weight}")


@dataclass(frozen=True, slots=True)
class OrderProfile:
    """An enterprise's order as the engine sees it.

    ``required`` and ``nice`` hold the required and nice-to-have skills; ``text`` is
    the title and description (used for text similarity); ``remote`` means any
    locality fits; ``headcount`` and ``posted`` weight the order in demand
    statistics (curriculum gaps). ``unknown_required`` are required terms that
    matched no skill: every learner lacks them, so they put everyone in
    :attr:`Tier.MISSING` until the term is mapped to a skill.
    """

    id: str | int
    kind: str
    required: tuple[SkillReq, ...]
    nice: tuple[SkillReq, ...] = ()
    text: str = ""
    locality: str | None = None
    remote: bool = False
    headcount: int = 1
    posted: datetime.date | None = None
    unknown_required: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in ORDER_KINDS:
            raise ValueError(f"OrderProfile {self.id!r}: kind must be one of {ORDER_KINDS}")
        for name in ("required", "nice"):
            reqs = getattr(self, name)
            if not isinstance(reqs, tuple) or not all(isinstance(r, SkillReq) for r in reqs):
                raise TypeError(f"OrderProfile {self.id!r}: {name} must be a tuple of SkillReq")
        if isinstance(self.headcount, bool) or not isinstance(self.headcount, int):
            raise TypeError(f"OrderProfile {self.id!r}: headcount must be an int")
        if self.headcount < 1:
            raise ValueError(f"OrderProfile {self.id!r}: headcount must be >= 1")
        unknown = self.unknown_required
        if not isinstance(unknown, tuple) or not all(isinstance(t, str) and t for t in unknown):
            raise TypeError(
                f"OrderProfile {self.id!r}: unknown_required must be a tuple of non-empty str"
            )

    def unknown_terms(self) -> tuple[str, ...]:
        """``unknown_required`` with repeats dropped (first spelling kept)."""
        return tuple(dict.fromkeys(self.unknown_required))


@dataclass(frozen=True, slots=True)
class LearnerProfile:
    """A learner as the engine sees it.

    ``skills`` holds (skill_id, level) pairs; when a skill appears twice the
    highest level counts. ``text`` is the CV text; ``preferred_localities`` are
    places the learner would move to besides ``locality``.
    """

    id: str | int
    skills: tuple[tuple[str, int], ...]
    text: str = ""
    locality: str | None = None
    preferred_localities: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_skill_levels(self.skills, f"LearnerProfile {self.id!r}")
        if not isinstance(self.preferred_localities, tuple):
            raise TypeError(f"LearnerProfile {self.id!r}: preferred_localities must be a tuple")


@dataclass(frozen=True, slots=True)
class ProgrammeProfile:
    """A training programme and the skills it teaches, each with the level reached."""

    id: str | int
    name: str
    skills: tuple[tuple[str, int], ...]

    def __post_init__(self) -> None:
        _check_skill_levels(self.skills, f"ProgrammeProfile {self.id!r}")


@dataclass(frozen=True, slots=True)
class SkillMatch:
    """How one order skill meets one learner.

    ``learner_level`` is 0 when the learner lacks the skill; ``weight`` is the
    skill's effective weight in the score (the order's weight times the skill's
    rarity), so the explanation shows why a skill mattered. ``via`` is set when a
    missing skill earned partial credit through a *related* skill the learner holds:
    it names that skill, and ``learner_level`` is then that skill's level.
    """

    skill_id: str
    required_level: int
    learner_level: int
    weight: float
    via: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form: ``{"skill_id", "required_level", "learner_level", "weight"}``,
        plus ``"via"`` when the credit came through a related skill."""
        out: dict[str, Any] = {
            "skill_id": self.skill_id,
            "required_level": self.required_level,
            "learner_level": self.learner_level,
            "weight": self.weight,
        }
        if self.via is not None:
            out["via"] = self.via
        return out


@dataclass(frozen=True, slots=True)
class MatchResult:
    """One scored (order, learner) pair with its explanation.

    ``score`` is in 0..1 and ``tier`` a :class:`Tier`; results sort by tier, then
    score, then id. ``matched`` are required skills held at or above the level
    asked, ``partial`` those held below it, ``missing`` every recognised required
    skill not held (``learner_level`` 0), whether or not it earned related credit;
    ``related`` is the subset of ``missing`` credited through a related skill (with
    ``via`` and that skill's level); ``unknown`` are the order's unrecognised
    required terms (nobody holds them). ``nice`` are the nice-to-have skills the
    learner holds. ``components`` is a tuple of (name, value) pairs: each weighted
    component of the score, in the order of :class:`matchhub.matching.rank.Weights`,
    plus the raw sub-scores; :meth:`component` reads one by name.
    """

    order_id: str | int
    learner_id: str | int
    score: float
    tier: Tier
    matched: tuple[SkillMatch, ...]
    partial: tuple[SkillMatch, ...]
    missing: tuple[SkillMatch, ...]
    components: tuple[tuple[str, float], ...]
    nice: tuple[SkillMatch, ...] = field(default=())
    related: tuple[SkillMatch, ...] = field(default=())
    unknown: tuple[str, ...] = field(default=())

    @property
    def qualifies(self) -> bool:
        """Meets or nearly meets the requirements: exactly ``tier >= Tier.NEAR``."""
        return self.tier >= Tier.NEAR

    def component(self, name: str) -> float:
        """Value of the component called ``name``; KeyError when there is none."""
        for key, value in self.components:
            if key == name:
                return value
        raise KeyError(name)

    def components_map(self) -> MappingProxyType[str, float]:
        """The components as a read-only mapping."""
        return MappingProxyType(dict(self.components))

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form of the whole result (skills as dicts, components as a dict)."""
        return {
            "order_id": self.order_id,
            "learner_id": self.learner_id,
            "score": self.score,
            "qualifies": self.qualifies,
            "tier": self.tier.label,
            "matched": [m.as_dict() for m in self.matched],
            "partial": [m.as_dict() for m in self.partial],
            "missing": [m.as_dict() for m in self.missing],
            "related": [m.as_dict() for m in self.related],
            "unknown": list(self.unknown),
            "nice": [m.as_dict() for m in self.nice],
            "components": dict(self.components),
        }
