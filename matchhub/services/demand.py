"""The province's skill demand as a college sees it, and the curriculum gaps of its programmes.

Demand comes from the open orders (jobs, internships and training orders) of
verified enterprises, through the engine's :mod:`matchhub.matching.gaps`: each
order weighs ``headcount * 0.5 ** (age / 90 days)`` from its publication date,
and a skill's demand is the weight of the orders requiring it plus half the
weight of those wishing for it. The monthly trend is simpler on purpose: per
month of publication (open, closed and filled orders alike), the headcount of
orders listing the skill, so that a month's figure does not change as it ages.

The province-wide part (demand of every open order, by sector and by locality, the
trend) is the same for every college: each worker computes it once per day and per
version of the orders in the matching log (:func:`match_index.orders_changed`: every
writer of orders touches it, learner changes leave it be) instead of at every request,
which took most of a report's time at 2,000 orders (``make loadtest``); the gap reports
of programmes are kept with it (:func:`_gaps`).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from matchhub.extensions import db
from matchhub.matching.gaps import (
    Demand,
    GapReport,
    demand_profile,
    programme_gaps,
)
from matchhub.matching.types import OrderProfile
from matchhub.models import (
    Order,
    OrderKind,
    OrderSkill,
    OrderStatus,
    Organization,
    Programme,
    ProgrammeSkill,
    Skill,
    VerificationState,
)
from matchhub.services import engine_profiles, match_index, taxonomy_cache
from matchhub.services.orders import today_in_vietnam

_VN = ZoneInfo("Asia/Ho_Chi_Minh")
TOP_SKILLS = 20
TREND_SKILLS = 5
TREND_MONTHS = 12
#: The periods a report may cover, in calendar months up to the current one; "all": every
#: open order, however old (its weight has halved every 90 days).
PERIODS = ("3", "6", "12", "all")
DEFAULT_PERIOD = "all"


def months_of(period: str) -> int | None:
    """The calendar months a period of :data:`PERIODS` covers (None: all time). The page
    and the API check ``period`` against :data:`PERIODS` before asking."""
    return None if period == "all" else int(period)


@dataclass(frozen=True)
class SkillRow:
    skill: Skill
    demand: float
    share: float
    orders: int
    level: int
    programmes: list[tuple[Programme, int]]  # my programmes teaching it, with the level


@dataclass(frozen=True)
class SplitRow:
    """Demand of one sector or locality: its orders, their weight and its top skills."""

    key: str | None
    orders: int
    demand: float
    top_skills: list[Skill]


@dataclass(frozen=True)
class DemandReport:
    today: date
    orders: int
    total: float
    skills: list[SkillRow]
    months: list[str]  # "YYYY-MM", oldest first
    trend: list[tuple[Skill, list[int]]]
    sectors: list[SplitRow]
    localities: list[SplitRow]
    since: date | None = None  # first day counted (the period's); None: every open order


@dataclass(frozen=True)
class _OpenOrder:
    profile: OrderProfile
    sector: str | None
    locality: str | None
    kind: str | None = None


@dataclass(frozen=True)
class DemandFilters:
    """Which orders a demand report counts: one kind, sector or locality (None: all), and
    those published in the last ``months`` calendar months, the current one included
    (None: all)."""

    kind: str | None = None
    sector: str | None = None
    locality: str | None = None
    months: int | None = None

    def since(self, today: date) -> date | None:
        """The first day of the period (Vietnam's calendar), None for all time."""
        if self.months is None:
            return None
        first = _months(today, self.months)[0]
        return date(int(first[:4]), int(first[5:]), 1)

    def keeps(self, order: _OpenOrder, since: date | None = None) -> bool:
        return (
            (self.kind is None or order.kind == self.kind)
            and (self.sector is None or order.sector == self.sector)
            and (self.locality is None or order.locality == self.locality)
            and (
                since is None
                or (order.profile.posted is not None and order.profile.posted >= since)
            )
        )

    def conditions(self) -> list:
        """The same rule in SQL, for a query joining orders and their organisation."""
        out = []
        if self.kind is not None:
            out.append(Order.kind == OrderKind(self.kind))
        if self.sector is not None:
            out.append(Organization.sector == self.sector)
        if self.locality is not None:
            out.append(Order.locality == self.locality)
        return out

    @property
    def any(self) -> bool:
        return bool(self.kind or self.sector or self.locality or self.months)

    @property
    def period(self) -> str:
        """The period as the report's select names it."""
        return str(self.months) if self.months else "all"


ALL = DemandFilters()


def _local_day(moment: datetime | None) -> date | None:
    return moment.astimezone(_VN).date() if moment is not None else None


def _open_orders() -> list[_OpenOrder]:
    """Open orders of verified organisations as the engine's profiles (the one loader,
    without their text: demand never reads it). Three queries."""
    return [
        _OpenOrder(profile=profile, sector=meta.sector, locality=meta.locality, kind=meta.kind)
        for profile, meta in engine_profiles.load_orders(
            engine_profiles.vocabulary(), with_text=False
        )
    ]


def _skills(slugs) -> dict[str, Skill]:
    slugs = list(set(slugs))
    if not slugs:
        return {}
    return {s.slug: s for s in db.session.scalars(sa.select(Skill).where(Skill.slug.in_(slugs)))}


def _teaching(college: Organization) -> dict[str, list[tuple[Programme, int]]]:
    """Skill slug -> the college's programmes teaching it, highest level first."""
    out: dict[str, list[tuple[Programme, int]]] = defaultdict(list)
    rows = db.session.execute(
        sa.select(Programme, Skill.slug, ProgrammeSkill.level)
        .join(ProgrammeSkill, ProgrammeSkill.programme_id == Programme.id)
        .join(Skill, Skill.id == ProgrammeSkill.skill_id)
        .where(Programme.organization_id == college.id)
        .order_by(ProgrammeSkill.level.desc(), Programme.name)
    )
    for programme, slug, level in rows:
        out[slug].append((programme, level))
    return out


def _months(today: date, n: int) -> list[str]:
    year, month = today.year, today.month
    out = []
    for _ in range(n):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def _trend(
    slugs: list[str], today: date, filters: DemandFilters = ALL
) -> tuple[list[str], dict[str, list[int]]]:
    """Headcount of orders listing each skill, per month of publication: the period's
    months, or the last 12 for all time."""
    months = _months(today, filters.months or TREND_MONTHS)
    index = {m: i for i, m in enumerate(months)}
    series = {s: [0] * len(months) for s in slugs}
    if not slugs:
        return months, series
    first = datetime(int(months[0][:4]), int(months[0][5:]), 1, tzinfo=_VN)
    rows = db.session.execute(
        sa.select(Order.id, Order.published_at, Order.headcount, Skill.slug)
        .join(Organization, Organization.id == Order.organization_id)
        .join(OrderSkill, OrderSkill.order_id == Order.id)
        .join(Skill, Skill.id == OrderSkill.skill_id)
        .where(
            Organization.state == VerificationState.VERIFIED,
            Order.published_at.is_not(None),
            Order.published_at >= first,
            Order.status.in_((OrderStatus.OPEN, OrderStatus.CLOSED, OrderStatus.FILLED)),
            Skill.slug.in_(slugs),
            *filters.conditions(),
        )
    )
    seen: set[tuple[int, str]] = set()
    for order_id, published, headcount, slug in rows:
        if (order_id, slug) in seen:
            continue
        seen.add((order_id, slug))
        month = published.astimezone(_VN).strftime("%Y-%m")
        if month in index:
            series[slug][index[month]] += headcount
    return months, series


@dataclass(frozen=True)
class _Split:
    key: str | None
    orders: int
    demand: float
    top: tuple[str, ...]  # slugs of its top skills


@dataclass(frozen=True)
class _Province:
    """What every college's report shares, as slugs (no database objects: it outlives
    the request that computed it)."""

    today: date
    orders: int
    demand: Demand
    sectors: tuple[_Split, ...]
    localities: tuple[_Split, ...]
    months: list[str]
    trend: dict[str, list[int]]  # the top known skills' series, in rank order
    # programme gap reports against this demand (see _gaps), filled as they are asked
    gaps: dict = field(default_factory=dict, compare=False)


def _splits(groups: dict[str | None, list[_OpenOrder]], today: date) -> tuple[_Split, ...]:
    rows = []
    for key, members in groups.items():
        d = demand_profile([m.profile for m in members], today)
        rows.append(_Split(key, len(members), d.total, tuple(s.skill_id for s in d.skills[:3])))
    rows.sort(key=lambda r: (-r.demand, r.key or ""))
    return tuple(rows)


def _compute_province(today: date, filters: DemandFilters = ALL) -> _Province:
    since = filters.since(today)
    open_orders = [o for o in _open_orders() if filters.keeps(o, since)]
    demand = demand_profile([o.profile for o in open_orders], today)
    top = [s.skill_id for s in demand.skills[:TOP_SKILLS]]
    known = set(db.session.scalars(sa.select(Skill.slug).where(Skill.slug.in_(top))))
    months, series = _trend([s for s in top if s in known][:TREND_SKILLS], today, filters)
    by_sector: dict[str | None, list[_OpenOrder]] = defaultdict(list)
    by_locality: dict[str | None, list[_OpenOrder]] = defaultdict(list)
    for o in open_orders:
        by_sector[o.sector].append(o)
        by_locality[o.locality].append(o)
    return _Province(
        today=today,
        orders=len(open_orders),
        demand=demand,
        sectors=_splits(by_sector, today),
        localities=_splits(by_locality, today),
        months=months,
        trend=series,
    )


# Filtered reports kept per worker at most; the unfiltered one is what every page reads.
FILTERED_KEPT = 32


def _province(today: date, filters: DemandFilters = ALL) -> _Province:
    """This worker's province-wide figures for ``today`` (and ``filters``), recomputed when
    an order changed (one primary-key read per call; one more query when the matching
    version moved)."""
    holder = current_app.extensions.setdefault(
        "matchhub.demand", {"lock": threading.Lock(), "version": None, "values": {}}
    )
    current = match_index.version()
    if current is None:  # nobody touched this database yet: nothing to trust
        return _compute_province(today, filters)
    with holder["lock"]:
        values, seen = holder["values"], holder["version"]
        if seen is None or match_index.orders_changed(seen, current):
            values.clear()
        holder["version"] = current
        cached = values.get(filters)
        if cached is None or cached.today != today:
            if len(values) >= FILTERED_KEPT:
                values.pop(next(k for k in values if k != ALL), None)
            values[filters] = cached = _compute_province(today, filters)
    return cached


def demand_report(
    college: Organization, today: date | None = None, filters: DemandFilters = ALL
) -> DemandReport:
    """Skills in demand across the province, their trend, sectors and localities, and which of
    ``college``'s programmes teach each. The province-wide part is cached per worker (see the
    module), per ``filters``; then a handful of queries."""
    province = _province(today or today_in_vietnam(), filters)
    top = province.demand.skills[:TOP_SKILLS]
    splits = (*province.sectors, *province.localities)
    skills = _skills([*(s.skill_id for s in top), *(slug for r in splits for slug in r.top)])
    teaching = _teaching(college)
    rows = [
        SkillRow(
            skill=skills[s.skill_id],
            demand=s.demand,
            share=s.share,
            orders=s.orders,
            level=s.level,
            programmes=teaching.get(s.skill_id, []),
        )
        for s in top
        if s.skill_id in skills
    ]

    def split_rows(group: tuple[_Split, ...]) -> list[SplitRow]:
        return [
            SplitRow(r.key, r.orders, r.demand, [skills[s] for s in r.top if s in skills])
            for r in group
        ]

    return DemandReport(
        today=province.today,
        orders=province.orders,
        total=province.demand.total,
        skills=rows,
        months=province.months,
        trend=[(skills[s], series) for s, series in province.trend.items() if s in skills],
        sectors=split_rows(province.sectors),
        localities=split_rows(province.localities),
        since=filters.since(province.today),
    )


# --- Curriculum gaps ---


@dataclass(frozen=True)
class ProgrammeGaps:
    programme: Programme
    report: GapReport
    skills: dict[str, Skill]  # slug -> skill, for every slug the report names


def _gaps(programme: Programme, today: date | None, **options) -> GapReport:
    """``programme_gaps`` of ``programme`` against the province's demand, kept with that
    demand (see the module) for this profile of the programme and this taxonomy: a
    programme whose skills change has another profile, hence another entry."""
    province = _province(today or today_in_vietnam())
    normalizer = (
        taxonomy_cache.normalizer()
    )  # rebuilt, with the implications, when the taxonomy changes
    profile = engine_profiles.programme_profile(programme, engine_profiles.vocabulary())
    key = (profile, tuple(sorted(options.items())))
    hit = province.gaps.get(key)
    if hit is None or hit[0] is not normalizer:
        report = programme_gaps(
            profile,
            province.demand,
            categories=_categories(),
            implications=taxonomy_cache.implications(),
            **options,
        )
        province.gaps[key] = hit = (normalizer, report)
    return hit[1]


def _categories() -> dict[str, str]:
    """Each skill's taxonomy category: the gap report groups and judges a field by it."""
    return {s.id: s.category for s in taxonomy_cache.normalizer().taxonomy}


def _slugs(report: GapReport) -> list[str]:
    slugs = [g.skill_id for g in (*report.missing, *report.level_gaps, *report.far)]
    return slugs + [s for m in report.modules for s in m.skills]


def programme_gap_report(programme: Programme, today: date | None = None) -> ProgrammeGaps:
    """What the province's demand asks that ``programme`` does not teach (or too low), ranked by
    the demand behind it, grouped into suggested modules with the covered share after each."""
    report = _gaps(programme, today)
    return ProgrammeGaps(programme, report, _skills(_slugs(report)))


def gap_overview(programmes: list[Programme], today: date | None = None) -> list[ProgrammeGaps]:
    """The gap report of each programme against one demand built once; a fixed number of
    queries whatever the number of programmes."""
    if programmes:  # their skills in one query, not one per programme
        db.session.scalars(
            sa.select(Programme)
            .where(Programme.id.in_([p.id for p in programmes]))
            .options(selectinload(Programme.skills))
        ).all()
    reports = [_gaps(programme, today, max_missing=5) for programme in programmes]
    named = _skills(slug for report in reports for slug in _slugs(report))
    return [
        ProgrammeGaps(programme, report, named)
        for programme, report in zip(programmes, reports, strict=True)
    ]
