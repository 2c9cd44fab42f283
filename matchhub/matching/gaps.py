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

Missing skills far from the programme's field are reported apart and never
suggested; the others are grouped into suggested modules of skills that share a
taxonomy category or that orders ask for together strongly (the rules are in
:mod:`matchhub.matching.gap_modules`). Skills enter in (demand desc, id) order, so
the grouping is deterministic.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from matchhub.matching.gap_modules import group_skills, in_field, shared_category
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


class _Matrices:
    """Order x skill incidence of a demand, for vectorised coverage and co-occurrence."""

    __slots__ = ("col", "listed", "req_cols", "req_levels", "req_rows", "weights")

    def __init__(self, orders: Sequence[OrderProfile], weights: np.ndarray):
        self.col: dict[str, int] = {}
        req_rows, req_cols, req_levels, l_rows, l_cols = [], [], [], [], []
        for r, order in enumerate(orders):
            required, nice = order_skills(order)
            for req in required:
                c = self.col.setdefault(req.skill_id, len(self.col))
                req_rows.append(r)
                req_cols.append(c)
                req_levels.append(req.level)
                l_rows.append(r)
                l_cols.append(c)
            for req in nice:
                l_rows.append(r)
                l_cols.append(self.col.setdefault(req.skill_id, len(self.col)))
        self.req_rows = np.asarray(req_rows, dtype=np.int64)
        self.req_cols = np.asarray(req_cols, dtype=np.int64)
        self.req_levels = np.asarray(req_levels, dtype=np.int64)
        self.listed = sparse.csc_matrix(
            (
                np.ones(len(l_rows)),
                (np.asarray(l_rows, dtype=np.int64), np.asarray(l_cols, dtype=np.int64)),
            ),
            shape=(len(orders), len(self.col)),
        )
        self.weights = weights


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
    _matrices: _Matrices = field(repr=False, compare=False)

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
    weight_array = np.asarray([w for _, w in weights], dtype=np.float64)
    return Demand(
        today=today,
        half_life_days=half_life_days,
        nice_factor=nice_factor,
        total=float(weight_array.sum()) if len(weights) else 0.0,
        skills=skills,
        order_weights=tuple(weights),
        _matrices=_Matrices(orders, weight_array),
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
    """A suggested module: missing skills to teach together.

    ``demand`` sums the skills' demand; ``covered_share_after`` is the covered share
    after adopting this module alone, ``cumulative_share_after`` after adopting it
    and every module ranked before it. Why its skills are together: ``category``, the
    taxonomy category they all share (None when they do not, or share a broad one),
    and ``together``, the number of orders asking for at least two of them.
    """

    skills: tuple[str, ...]
    demand: float
    covered_share_after: float
    cumulative_share_after: float
    category: str | None = None
    together: int = 0


@dataclass(frozen=True, slots=True)
class GapReport:
    """The gaps of one programme against a :class:`Demand`.

    ``covered_share``: share of order weight the programme covers now;
    ``skill_share``: share of skill demand it teaches at a sufficient level;
    ``missing``: untaught skills in the programme's field, ranked by demand; ``far``:
    untaught skills far from its field (never suggested), ranked by demand;
    ``level_gaps``: taught skills below the level demand asks; ``modules``: suggested
    modules, best first.
    """

    programme_id: str | int
    covered_share: float
    skill_share: float
    missing: tuple[SkillGap, ...]
    level_gaps: tuple[SkillGap, ...]
    modules: tuple[Module, ...]
    far: tuple[SkillGap, ...] = ()


def _share(value: float, total: float) -> float:
    return value / total if total > 0 else 0.0


def programme_gaps(
    programme: ProgrammeProfile,
    demand: Demand,
    *,
    categories: Mapping[str, str] | None = None,
    implications: Mapping[str, Sequence[str]] | None = None,
    qualify_gap: int = 1,
    max_missing: int = 50,
    module_skills: int = 30,
    link_threshold: float = 0.3,
    min_support: int = 2,
    field_share: float = 0.25,
    max_module_size: int = 6,
) -> GapReport:
    """Gaps of ``programme`` against ``demand``.

    ``categories`` maps skill ids to their taxonomy category (skills it lacks have
    none: they group and anchor by co-occurrence only); ``implications`` maps a skill
    to the skills it implies (React: JavaScript), which keeps it in the field of a
    programme teaching them. ``max_missing`` caps the
    listed missing (and far) skills; the ``module_skills`` most demanded missing
    skills in the field are grouped into modules of at most ``max_module_size``
    skills; ``link_threshold``, ``min_support`` and ``field_share`` are the rules'
    thresholds (:mod:`matchhub.matching.gap_modules`). O(order skills) numpy work +
    O(module_skills^2 log module_skills).
    """
    categories = categories or {}
    m = demand._matrices
    taught: dict[str, int] = {}
    for skill_id, level in programme.skills:
        taught[skill_id] = max(level, taught.get(skill_id, 0))
    taught_col = np.zeros(len(m.col), dtype=np.int64)
    for skill_id, c in m.col.items():
        taught_col[c] = taught.get(skill_id, 0)
    n_orders = len(m.weights)
    fail = taught_col[m.req_cols] < np.maximum(m.req_levels - qualify_gap, 1)
    fail_rows, fail_cols = m.req_rows[fail], m.req_cols[fail]
    n_fails = np.bincount(fail_rows, minlength=n_orders)
    fails = sparse.csr_matrix(
        (np.ones(len(fail_rows)), (fail_rows, fail_cols)), shape=(n_orders, len(m.col))
    )
    covered = float(m.weights[n_fails == 0].sum())
    total = demand.total
    single = n_fails[fail_rows] == 1
    single_gain = np.bincount(
        fail_cols[single], weights=m.weights[fail_rows[single]], minlength=len(m.col)
    )

    def share_after(adopted: Iterable[str]) -> float:
        keep = np.ones(len(m.col))
        keep[[m.col[s] for s in adopted]] = 0.0
        still = fails @ keep
        gain = float(m.weights[(n_fails > 0) & (still == 0)].sum())
        return _share(covered + gain, total)

    def gap(sd: SkillDemand, taught_level: int) -> SkillGap:
        return SkillGap(
            skill_id=sd.skill_id,
            demand=sd.demand,
            share=sd.share,
            orders=sd.orders,
            level=sd.level,
            taught_level=taught_level,
            covered_share_after=_share(covered + float(single_gain[m.col[sd.skill_id]]), total),
        )

    untaught = [gap(sd, 0) for sd in demand.skills if sd.skill_id not in taught]
    near = in_field(
        [g.skill_id for g in untaught],
        taught,
        categories,
        implications or {},
        m.listed,
        m.weights,
        m.col,
        field_share,
    )
    missing = [g for g, ok in zip(untaught, near, strict=True) if ok]
    far = [g for g, ok in zip(untaught, near, strict=True) if not ok]
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
    x = m.listed[:, [m.col[s] for s in top]]
    groups = group_skills(
        top,
        categories,
        x,
        m.weights,
        link_threshold=link_threshold,
        min_support=min_support,
        max_size=max_module_size,
    )
    groups = [sorted(g, key=lambda s: (-by_skill[s].demand, s)) for g in groups]
    groups.sort(key=lambda g: (-sum(by_skill[s].demand for s in g), g[0]))
    # How many of each module's skills every order asks: one product for all modules.
    pos = {s: i for i, s in enumerate(top)}
    member = sparse.csr_matrix(
        (
            np.ones(len(top)),
            ([pos[s] for g in groups for s in g], [k for k, g in enumerate(groups) for _ in g]),
        ),
        shape=(len(top), len(groups)),
    )
    together = np.asarray(((x @ member) >= 2).sum(axis=0)).ravel() if groups else []
    modules = []
    adopted: list[str] = []
    for k, group in enumerate(groups):
        adopted.extend(group)
        modules.append(
            Module(
                skills=tuple(group),
                demand=sum(by_skill[s].demand for s in group),
                covered_share_after=share_after(group),
                cumulative_share_after=share_after(adopted),
                category=shared_category(group, categories),
                together=int(together[k]),
            )
        )
    return GapReport(
        programme_id=programme.id,
        covered_share=_share(covered, total),
        skill_share=_share(skill_ok, skill_total),
        missing=tuple(missing[:max_missing]),
        level_gaps=level_gaps,
        modules=tuple(modules),
        far=tuple(far[:max_missing]),
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
