"""Small per-pair rules shared by the reference ranker and the index.

How a level shortfall is credited, how localities compare, how an order's skill
lists and a learner's skills are read (repeats dropped), the symmetric *related*
relation, how scores are rounded and how ids are ordered. The score they feed is
documented in :mod:`matchhub.matching.rank`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from matchhub.matching.types import LearnerProfile, OrderProfile, SkillReq

if TYPE_CHECKING:
    from matchhub.matching.rank import Weights

__all__ = [
    "SCORE_DECIMALS",
    "Related",
    "id_sort_key",
    "learner_levels",
    "level_credit",
    "locality_fit",
    "locality_key",
    "order_skills",
    "related_closure",
    "round_score",
]

#: Decimals kept in a score; see :mod:`matchhub.matching.rank` for why scores are rounded.
SCORE_DECIMALS = 10

#: The related relation after :func:`related_closure`: skill -> the skills related to it.
Related = Mapping[str, frozenset[str]]

_SCALE = 10.0**SCORE_DECIMALS


def round_score(value: float) -> float:
    """Round a score the way every code path does.

    Bit-for-bit what ``np.round(array, SCORE_DECIMALS)`` does to each element (scale,
    round half to even, unscale), without numpy's per-call overhead.
    """
    return round(value * _SCALE) / _SCALE


def level_credit(learner_level: int, required_level: int, step: float) -> float:
    """Credit (0..1) of holding a skill at ``learner_level`` when ``required_level`` is asked.

    0 when the skill is not held (level 0), 1 at or above the level, and
    ``1 - step * shortfall`` (never below 0) in between.
    """
    if learner_level <= 0:
        return 0.0
    gap = max(required_level - learner_level, 0)
    return min(max(1.0 - step * gap, 0.0), 1.0)


def id_sort_key(value: str | int) -> tuple[int, int, str]:
    """Total order over mixed int/str ids: ints first by value, then strs."""
    if isinstance(value, int):
        return (0, value, "")
    return (1, 0, str(value))


def locality_key(locality: str | None) -> str | None:
    """Comparison key of a locality name: case-folded, whitespace collapsed; None if blank."""
    if locality is None:
        return None
    key = " ".join(locality.split()).casefold()
    return key or None


def learner_levels(learner: LearnerProfile) -> dict[str, int]:
    """The learner's skills as ``{skill_id: level}``; a repeated skill keeps its highest level."""
    levels: dict[str, int] = {}
    for skill_id, level in learner.skills:
        if level > levels.get(skill_id, 0):
            levels[skill_id] = level
    return levels


def order_skills(order: OrderProfile) -> tuple[tuple[SkillReq, ...], tuple[SkillReq, ...]]:
    """The order's (required, nice) skills with repeats dropped.

    A skill listed twice keeps its first listing; a skill both required and nice
    counts as required only. Order of listing is kept (explanations follow it).
    """
    seen: set[str] = set()
    required = []
    for req in order.required:
        if req.skill_id not in seen:
            seen.add(req.skill_id)
            required.append(req)
    nice = []
    for req in order.nice:
        if req.skill_id not in seen:
            seen.add(req.skill_id)
            nice.append(req)
    return tuple(required), tuple(nice)


def locality_fit(order: OrderProfile, learner: LearnerProfile, weights: Weights) -> float:
    """Locality fit (0..1) of ``learner`` for ``order``; see :mod:`matchhub.matching.rank`."""
    if order.remote:
        return weights.locality_same
    order_loc = locality_key(order.locality)
    learner_loc = locality_key(learner.locality)
    if order_loc is None or learner_loc is None:
        return weights.locality_unknown
    if order_loc == learner_loc:
        return weights.locality_same
    if any(locality_key(p) == order_loc for p in learner.preferred_localities):
        return weights.locality_preferred
    return weights.locality_other


def related_closure(related: Mapping[str, Iterable[str]] | None) -> dict[str, frozenset[str]]:
    """The symmetric closure of a skill -> related skills mapping (a skill is never
    related to itself). Not transitive: SQL ~ MySQL and SQL ~ PostgreSQL do not make
    MySQL ~ PostgreSQL. O(pairs)."""
    out: dict[str, set[str]] = {}
    for skill_id, others in (related or {}).items():
        for other in others:
            if other != skill_id:
                out.setdefault(skill_id, set()).add(other)
                out.setdefault(other, set()).add(skill_id)
    return {skill_id: frozenset(others) for skill_id, others in out.items()}


def best_related(
    skill_id: str, levels: Mapping[str, int], related: Related
) -> tuple[str, int] | None:
    """The learner's related skill that earns the most credit for ``skill_id``: the
    highest level, then the smallest skill id; None when they hold no related skill."""
    best = None
    for other in related.get(skill_id, ()):
        level = levels.get(other, 0)
        if level and (best is None or (-level, other) < (-best[1], best[0])):
            best = (other, level)
    return best
