"""Curriculum gaps: what demand a programme's taught skills miss, and what to add.

Demand is built from orders, each weighted by ``headcount * 0.5 ** (age / half_life)``
where ``age`` is the number of days from the order's ``posted`` date to the
``today`` argument (never the clock: the engine is deterministic). An order posted
``half_life_days`` ago counts half as much as one posted today; an order without a
``posted`` date, or dated after ``today``, counts as posted today.

A skill's demand is the sum of the weights of the orders that require it, plus
``nice_factor`` times the weights of those that merely wish for it. A programme
*covers* an order when it teaches every required skill at no more than
``qualify_gap`` levels below the level asked, the same rule by which a learner
qualifies (see :mod:`matchhub.matching.rank`); the *covered share* is the weight of
covered orders over the total weight.

Missing skills that orders ask for together are grouped into suggested modules:
average-linkage agglomerative clustering over the cosine association of their
demand-weighted co-occurrence (``C_st / sqrt(D_s * D_t)`` where ``C_st`` is the weight
of orders listing both), cut where the association drops below
``link_threshold``; skills enter in (demand desc, id) order, so the grouping is
deterministic.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage

from matchhub.matching.rank import order_skills
from matchhub.matching.types import OrderProfile, ProgrammeProfile

__all__ = [
    "DEFAULT_HALF_LIFE_DAYS",
    "Demand",
    "GapReport",
    "Module",
    "SkillDemand",
    "SkillGap",
    "curriculum_gaps",
    "demand_profile",
    "order_weight",
    "programme_gaps",
]

#: Default half-life of an order's weight in demand, in days.
DEFAULT_HALF_LIFE_DAYS = 90.0


def order_weight(order: OrderProfile, today: datetime.date, half_life_days: float) -> float:
    """Demand weight of one order: ``headcount * 0.5 ** (age_days / half_life_days)``."""
    if half_life_days <= 0:
        raise ValueError("half_life_days must be > 0")
    age = 0 if order.posted is None else max((today - order.posted).days, 0)
    return order.headcount * 0.5 ** (age / half_life_days)


@dataclass(frozen=True, slots=True)
class SkillDemand:
    """Demand behind one skill: weighted demand, its share of all skill demand, the
    number of orders listing it, and the level those orders ask (weighted median)."""

    skill_id: str
    demand: float
    share: float
    orders: int
    level: int


@dataclass(frozen=True, slots=True)
class Demand:
    """Demand of a set of orders at a date; build it with :func:`demand_profile`.

    ``skills`` are ranked by demand (desc, then id). ``order_weights`` pairs each
    order id with its weight; ``total`` is their sum.
    """

    today: datetime.date
    half_life_days: float
    nice_factor: float
    total: float
    skills: tuple[SkillDemand, ...]
    order_weights: tuple[tuple[str | int, float], ...]
    orders: tuple[OrderProfile, ...]

    def skill(self, skill_id: str) -> SkillDemand | None:
        """The demand of ``skill_id``, or None when no order lists it. O(skills)."""
        return next((s for s in self.skills if s.skill_id == skill_id), None)


def _weighted_median(pairs: list[tuple[int, float]]) -> int:
    pairs.sort()
    half = sum(w for _, w in pairs) / 2.0
    acc = 0.0
    for level, w in pairs:
        acc += w
        if acc >= half:
            return level
    return pairs[-1][0]


def demand_profile(
    orders: Iterable[OrderProfile],
    today: datetime.date,
    *,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
    nice_factor: float = 0.5,
) -> Demand:
    """Weighted skill demand of ``orders`` as of ``today``. O(total skills of the orders)."""
    orders = tuple(orders)
    demand: dict[str, float] = {}
    counts: dict[str, int] = {}
    levels: dict[str, list[tuple[int, float]]] = {}
    weights = []
    for order in orders:
        w = order_weight(order, today, half_life_days)
        weights.append((order.id, w))
        required, nice = order_skills(order)
        for reqs, factor in ((required, 1.0), (nice, nice_factor)):
            for req in reqs:
                demand[req.skill_id] = demand.get(req.skill_id, 0.0) + w * factor
                counts[req.skill_id] = counts.get(req.skill_id, 0) + 1
                levels.setdefault(req.skill_id, []).append((req.level, w * factor))
    skill_total = sum(demand.values())
    skills = tuple(
        SkillDemand(
            skill_id=s,
            demand=d,
            share=d / skill_total if skill_total > 0 else 0.0,
            orders=counts[s],
            level=_weighted_median(levels[s]),
        )
        for s, d in sorted(demand.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    return Demand(
        today=today,
        half_life_days=half_life_days,
        nice_factor=nice_factor,
        total=sum(w for _, w in weights),
        skills=skills,
        order_weights=tuple(weights),
        orders=orders,
    )


@dataclass(frozen=True, slots=True)
class SkillGap:
    """A demanded skill the programme misses (``taught_level`` 0) or teaches too low.

    ``level`` is the level demand asks (weighted median); ``covered_share_after`` is
    the programme's covered share if it taught this skill at the level each order asks.
    """

    skill_id: str
    demand: float
    share: float
    orders: int
    level: int
    taught_level: int
    covered_share_after: float


@dataclass(frozen=True, slots=True)
class Module:
    """A suggested module: missing skills that demand asks for together.

    ``demand`` sums the skills' demand; ``covered_share_after`` is the covered share
    after adopting this module alone, ``cumulative_share_after`` after adopting it
    and every module ranked before it.
    """

    skills: tuple[str, ...]
    demand: float
    covered_share_after: float
    cumulative_share_after: float


@dataclass(frozen=True, slots=True)
class GapReport:
    """The gaps of one programme against a :class:`Demand`.

    ``covered_share``: share of order weight the programme covers now;
    ``skill_share``: share of skill demand it teaches at a sufficient level;
    ``missing``: untaught skills ranked by demand; ``level_gaps``: taught skills
    below the level demand asks; ``modules``: suggested modules, best first.
    """

    programme_id: str | int
    covered_share: float
    skill_share: float
    missing: tuple[SkillGap, ...]
    level_gaps: tuple[SkillGap, ...]
    modules: tuple[Module, ...]


def _share(value: float, total: float) -> float:
    return value / total if total > 0 else 0.0


def _cluster(
    skills: list[str], sets: list[tuple[float, frozenset[str]]], threshold: float, max_size: int
) -> list[list[str]]:
    """Average-linkage groups of ``skills`` by demand-weighted co-occurrence cosine."""
    n = len(skills)
    if n <= 1:
        return [skills] if skills else []
    pos = {s: i for i, s in enumerate(skills)}
    co = np.zeros((n, n))
    for w, members in sets:
        idx = sorted(pos[s] for s in members if s in pos)
        if idx:
            co[np.ix_(idx, idx)] += w
    diag = np.sqrt(np.diag(co))
    with np.errstate(divide="ignore", invalid="ignore"):
        assoc = np.where(np.outer(diag, diag) > 0, co / np.outer(diag, diag), 0.0)
    dist = np.clip(1.0 - assoc, 0.0, 1.0)
    np.fill_diagonal(dist, 0.0)
    condensed = dist[np.triu_indices(n, k=1)]
    tree = linkage(condensed, method="average")
    labels = fcluster(tree, t=1.0 - threshold, criterion="distance")
    groups: dict[int, list[str]] = {}
    for s, label in zip(skills, labels, strict=True):
        groups.setdefault(int(label), []).append(s)
    out: list[list[str]] = []
    for group in groups.values():
        if len(group) <= max_size:
            out.append(group)
            continue
        # Too broad to teach as one module: split it by the same tree, finer.
        out.extend(_split(group, dist, pos, max_size))
    return out


def _split(
    group: list[str], dist: np.ndarray, pos: dict[str, int], max_size: int
) -> list[list[str]]:
    idx = [pos[s] for s in group]
    sub = dist[np.ix_(idx, idx)]
    tree = linkage(sub[np.triu_indices(len(idx), k=1)], method="average")
    labels = fcluster(tree, t=math.ceil(len(group) / max_size), criterion="maxclust")
    parts: dict[int, list[str]] = {}
    for s, label in zip(group, labels, strict=True):
        parts.setdefault(int(label), []).append(s)
    out = []
    for part in parts.values():
        if len(part) > max_size and len(part) < len(group):
            out.extend(_split(part, dist, pos, max_size))
        else:
            # Still too big only when distances tie everywhere: cut in demand order.
            out.extend(part[i : i + max_size] for i in range(0, len(part), max_size))
    return out


def programme_gaps(
    programme: ProgrammeProfile,
    demand: Demand,
    *,
    qualify_gap: int = 1,
    max_missing: int = 50,
    module_skills: int = 30,
    link_threshold: float = 0.25,
    max_module_size: int = 6,
) -> GapReport:
    """Gaps of ``programme`` against ``demand``.

    ``max_missing`` caps the listed missing skills; the ``module_skills`` most
    demanded missing skills are grouped into modules of at most ``max_module_size``
    skills. O(order skills + module_skills^2 + orders x modules).
    """
    taught: dict[str, int] = {}
    for skill_id, level in programme.skills:
        taught[skill_id] = max(level, taught.get(skill_id, 0))
    weights = dict(demand.order_weights)
    covered = 0.0
    failing: list[tuple[float, frozenset[str]]] = []
    listed: list[tuple[float, frozenset[str]]] = []
    for order in demand.orders:
        w = weights[order.id]
        required, nice = order_skills(order)
        fails = frozenset(
            r.skill_id
            for r in required
            if taught.get(r.skill_id, 0) < max(r.level - qualify_gap, 1)
        )
        if fails:
            failing.append((w, fails))
        else:
            covered += w
        listed.append((w, frozenset(r.skill_id for r in required + nice)))
    total = demand.total

    def share_after(adopted: frozenset[str] | set[str]) -> float:
        gain = sum(w for w, fails in failing if fails <= adopted)
        return _share(covered + gain, total)

    single_gain: dict[str, float] = {}
    for w, fails in failing:
        if len(fails) == 1:
            (s,) = fails
            single_gain[s] = single_gain.get(s, 0.0) + w

    def gap(sd, taught_level: int) -> SkillGap:
        return SkillGap(
            skill_id=sd.skill_id,
            demand=sd.demand,
            share=sd.share,
            orders=sd.orders,
            level=sd.level,
            taught_level=taught_level,
            covered_share_after=_share(covered + single_gain.get(sd.skill_id, 0.0), total),
        )

    missing = [gap(sd, 0) for sd in demand.skills if sd.skill_id not in taught]
    level_gaps = tuple(
        gap(sd, taught[sd.skill_id])
        for sd in demand.skills
        if sd.skill_id in taught and taught[sd.skill_id] < sd.level - qualify_gap
    )
    skill_total = sum(sd.demand for sd in demand.skills)
    skill_ok = sum(
        sd.demand
        for sd in demand.skills
        if sd.skill_id in taught and taught[sd.skill_id] >= sd.level - qualify_gap
    )
    top = [g.skill_id for g in missing[:module_skills]]
    by_skill = {g.skill_id: g for g in missing}
    groups = _cluster(top, listed, link_threshold, max_module_size)
    groups = [sorted(g, key=lambda s: (-by_skill[s].demand, s)) for g in groups]
    groups.sort(key=lambda g: (-sum(by_skill[s].demand for s in g), g[0]))
    modules = []
    adopted: set[str] = set()
    for group in groups:
        adopted.update(group)
        modules.append(
            Module(
                skills=tuple(group),
                demand=sum(by_skill[s].demand for s in group),
                covered_share_after=share_after(frozenset(group)),
                cumulative_share_after=share_after(adopted),
            )
        )
    return GapReport(
        programme_id=programme.id,
        covered_share=_share(covered, total),
        skill_share=_share(skill_ok, skill_total),
        missing=tuple(missing[:max_missing]),
        level_gaps=level_gaps,
        modules=tuple(modules),
    )


def curriculum_gaps(
    programmes: Sequence[ProgrammeProfile],
    orders: Iterable[OrderProfile],
    today: datetime.date,
    *,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
    nice_factor: float = 0.5,
    **options: float,
) -> tuple[GapReport, ...]:
    """One :class:`GapReport` per programme, against the demand of ``orders`` at ``today``.

    ``options`` pass on to :func:`programme_gaps`. The demand is built once.
    """
    demand = demand_profile(orders, today, half_life_days=half_life_days, nice_factor=nice_factor)
    return tuple(programme_gaps(p, demand, **options) for p in programmes)
