"""Next-skill advice: which one skill would make a learner qualify for the most orders.

A learner qualifies for an order when they meet or nearly meet it (tier NEAR or
above; see :mod:`matchhub.matching.rank` for the rule). For every order the learner
does not qualify for, the one skill that alone could change that is the one required
skill the learner lacks or holds too low, when exactly one blocks and the order has
no unrecognised required term. Each such skill is then tried for real: the learner
is re-scored against the orders it could unlock with the skill raised to the highest
level those orders ask, and the orders that now qualify are counted. Candidates are
tried in order of how many orders they could unlock at most, and the search stops as
soon as no remaining candidate can beat the ``k``-th best, so the answer is exact.
Ties are broken by skill id; only skills that unlock at least one order are returned.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from matchhub.matching.index import MatchIndex
from matchhub.matching.rank import id_sort_key, learner_levels, order_skills
from matchhub.matching.types import LearnerProfile, OrderProfile, ProgrammeProfile

__all__ = ["SkillAdvice", "next_skills", "next_skills_for"]


@dataclass(frozen=True, slots=True)
class SkillAdvice:
    """Learn ``skill_id`` to ``level`` and ``unlocks`` more orders qualify.

    ``order_ids`` are those orders (id order); ``programmes`` are the programmes that
    teach the skill, those reaching ``level`` first, then by taught level and id.
    """

    skill_id: str
    level: int
    unlocks: int
    order_ids: tuple[str | int, ...]
    programmes: tuple[ProgrammeProfile, ...]


def _candidates(
    learner: LearnerProfile, orders: Iterable[OrderProfile], qualify_gap: int
) -> dict[str, tuple[int, list]]:
    """skill -> (level needed, order ids it could unlock), from non-qualifying orders."""
    levels = learner_levels(learner)
    found: dict[str, tuple[int, list]] = {}

    def add(skill_id: str, level: int, order_id) -> None:
        best, ids = found.get(skill_id, (0, []))
        ids.append(order_id)
        found[skill_id] = (max(best, level), ids)

    for order in orders:
        if order.unknown_required:
            continue
        required, _ = order_skills(order)
        blocking = [
            r
            for r in required
            if levels.get(r.skill_id, 0) < r.level - qualify_gap or r.skill_id not in levels
        ]
        if len(blocking) == 1:
            add(blocking[0].skill_id, blocking[0].level, order.id)
    return found


def next_skills(
    index: MatchIndex,
    learner: LearnerProfile | str | int,
    programmes: Sequence[ProgrammeProfile] = (),
    k: int = 2,
    candidates: Collection | None = None,
) -> tuple[SkillAdvice, ...]:
    """The ``k`` skills that make the most orders of ``index`` qualify for ``learner``.

    ``learner`` is an indexed id or a profile; ``candidates`` restricts the orders
    (e.g. open orders the learner may see). O(orders) to find candidates, then one
    O(orders) numpy re-score per candidate tried.
    """
    if not isinstance(learner, LearnerProfile):
        learner = index.learner(learner)
    if k <= 0:
        return ()
    base = index.order_scores(learner, candidates)
    # An order short of two or more required terms cannot be unlocked by one skill.
    reachable = ~base.qualifies & (base.short == 1)
    open_ids = sorted(base.ids[reachable].tolist(), key=id_sort_key)
    qualify_gap = index.weights.qualify_gap
    found = _candidates(learner, (index.order(i) for i in open_ids), qualify_gap)
    ranked = sorted(found.items(), key=lambda kv: (-len(kv[1][1]), kv[0]))
    levels = learner_levels(learner)
    results: list[tuple[int, str, int, tuple]] = []
    for skill_id, (level, ids) in ranked:
        if len(results) >= k and len(ids) < results[k - 1][0]:
            break
        target = max(level, levels.get(skill_id, 0))
        trial = LearnerProfile(
            id=learner.id,
            skills=(
                *((s, lv) for s, lv in levels.items() if s != skill_id),
                (skill_id, target),
            ),
            text=learner.text,
            locality=learner.locality,
            preferred_localities=learner.preferred_localities,
        )
        scores = index.order_scores(trial, ids)
        unlocked = tuple(i for i, q in zip(scores.ids, scores.qualifies, strict=True) if q)
        if unlocked:
            results.append((len(unlocked), skill_id, target, unlocked))
            results.sort(key=lambda r: (-r[0], r[1]))
    out = []
    for count, skill_id, target, unlocked in results[:k]:
        teaching = [
            (max((lv for s, lv in p.skills if s == skill_id), default=0), p) for p in programmes
        ]
        teaching = [(lv, p) for lv, p in teaching if lv > 0]
        teaching.sort(key=lambda t: (t[0] < target, -t[0], id_sort_key(t[1].id)))
        out.append(
            SkillAdvice(
                skill_id=skill_id,
                level=target,
                unlocks=count,
                order_ids=tuple(sorted(unlocked, key=id_sort_key)),
                programmes=tuple(p for _, p in teaching),
            )
        )
    return tuple(out)


def next_skills_for(
    learner: LearnerProfile,
    orders: Sequence[OrderProfile],
    programmes: Sequence[ProgrammeProfile] = (),
    k: int = 2,
    supply: Sequence[LearnerProfile] | None = None,
) -> tuple[SkillAdvice, ...]:
    """:func:`next_skills` over plain sequences: builds an index of ``supply`` (default:
    just ``learner``) and ``orders`` first. O(index build)."""
    supply = list(supply) if supply is not None else []
    if all(s.id != learner.id for s in supply):
        supply.append(learner)
    return next_skills(MatchIndex(supply, orders), learner, programmes, k)
