"""The province's skill demand as a college sees it, and the curriculum gaps of its programmes.

Demand comes from the open orders (jobs, internships and training orders) of
verified enterprises, through the engine's :mod:`matchhub.matching.gaps`: each
order weighs ``headcount * 0.5 ** (age / 90 days)`` from its publication date,
and a skill's demand is the weight of the orders requiring it plus half the
weight of those wishing for it. The monthly trend is simpler on purpose: per
month of publication (open, closed and filled orders alike), the headcount of
orders listing the skill, so that a month's figure does not change as it ages.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from matchhub.extensions import db
from matchhub.matching.gaps import (
    DEFAULT_HALF_LIFE_DAYS,
    Demand,
    GapReport,
    demand_profile,
    programme_gaps,
)
from matchhub.matching.taxonomy import expand_skills
from matchhub.matching.types import OrderProfile, ProgrammeProfile, SkillReq
from matchhub.models import (
    Order,
    OrderSkill,
    OrderStatus,
    Organization,
    Programme,
    ProgrammeSkill,
    Skill,
    VerificationState,
)
from matchhub.services import engine
from matchhub.services.orders import today_in_vietnam

_VN = ZoneInfo("Asia/Ho_Chi_Minh")
TOP_SKILLS = 20
TREND_SKILLS = 5
TREND_MONTHS = 12


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


@dataclass(frozen=True)
class _OpenOrder:
    profile: OrderProfile
    sector: str | None
    locality: str | None


def _local_day(moment: datetime | None) -> date | None:
    return moment.astimezone(_VN).date() if moment is not None else None


def _open_orders() -> list[_OpenOrder]:
    """Open orders of verified organisations as the engine's profiles. Two queries."""
    orders = db.session.execute(
        sa.select(
            Order.id,
            Order.kind,
            Order.headcount,
            Order.locality,
            Order.remote,
            Order.published_at,
            Order.created_at,
            Organization.sector,
        )
        .join(Organization, Organization.id == Order.organization_id)
        .where(Order.status == OrderStatus.OPEN, Organization.state == VerificationState.VERIFIED)
        .order_by(Order.id)
    ).all()
    skills: dict[int, list[tuple[str, bool, int, float]]] = defaultdict(list)
    ids = [o.id for o in orders]
    for start in range(0, len(ids), 5000):
        for order_id, slug, required, level, weight in db.session.execute(
            sa.select(
                OrderSkill.order_id, Skill.slug, OrderSkill.required, OrderSkill.level,
                OrderSkill.weight,
            )
            .join(Skill, Skill.id == OrderSkill.skill_id)
            .where(OrderSkill.order_id.in_(ids[start : start + 5000]))
            .order_by(OrderSkill.id)
        ):  # fmt: skip
            skills[order_id].append((slug, required, level, weight))
    out = []
    for o in orders:
        listed = skills.get(o.id, [])
        out.append(
            _OpenOrder(
                profile=OrderProfile(
                    id=o.id,
                    kind=o.kind.value,
                    required=tuple(SkillReq(s, lv, w) for s, req, lv, w in listed if req),
                    nice=tuple(SkillReq(s, lv, w) for s, req, lv, w in listed if not req),
                    locality=o.locality,
                    remote=o.remote,
                    headcount=o.headcount,
                    posted=_local_day(o.published_at or o.created_at),
                ),
                sector=o.sector,
                locality=o.locality,
            )
        )
    return out


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


def _split(groups: dict[str | None, list[_OpenOrder]], today: date) -> list[SplitRow]:
    rows = []
    for key, members in groups.items():
        demand = demand_profile([m.profile for m in members], today)
        rows.append((key, len(members), demand))
    skills = _skills(s.skill_id for _, _, d in rows for s in d.skills[:3])
    out = [
        SplitRow(
            key, n, d.total, [skills[s.skill_id] for s in d.skills[:3] if s.skill_id in skills]
        )
        for key, n, d in rows
    ]
    out.sort(key=lambda r: (-r.demand, r.key or ""))
    return out


def _months(today: date, n: int) -> list[str]:
    year, month = today.year, today.month
    out = []
    for _ in range(n):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def _trend(slugs: list[str], today: date) -> tuple[list[str], dict[str, list[int]]]:
    """Headcount of orders listing each skill, per month of publication (last 12 months)."""
    months = _months(today, TREND_MONTHS)
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


def demand_report(college: Organization, today: date | None = None) -> DemandReport:
    """Skills in demand across the province, their trend, sectors and localities, and which of
    ``college``'s programmes teach each. O(order skills); a handful of queries."""
    today = today or today_in_vietnam()
    open_orders = _open_orders()
    demand = demand_profile([o.profile for o in open_orders], today)
    top = demand.skills[:TOP_SKILLS]
    skills = _skills(s.skill_id for s in top)
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
    trend_slugs = [r.skill.slug for r in rows[:TREND_SKILLS]]
    months, series = _trend(trend_slugs, today)
    by_sector: dict[str | None, list[_OpenOrder]] = defaultdict(list)
    by_locality: dict[str | None, list[_OpenOrder]] = defaultdict(list)
    for o in open_orders:
        by_sector[o.sector].append(o)
        by_locality[o.locality].append(o)
    return DemandReport(
        today=today,
        orders=len(open_orders),
        total=demand.total,
        skills=rows,
        months=months,
        trend=[(skills[s], series[s]) for s in trend_slugs],
        sectors=_split(by_sector, today),
        localities=_split(by_locality, today),
    )


# --- Curriculum gaps ---


@dataclass(frozen=True)
class ProgrammeGaps:
    programme: Programme
    report: GapReport
    skills: dict[str, Skill]  # slug -> skill, for every slug the report names


def _demand(today: date | None) -> Demand:
    return demand_profile(
        [o.profile for o in _open_orders()],
        today or today_in_vietnam(),
        half_life_days=DEFAULT_HALF_LIFE_DAYS,
    )


def _profile(programme: Programme, implications) -> ProgrammeProfile:
    return ProgrammeProfile(
        id=programme.id,
        name=programme.name,
        # a programme teaching React teaches JavaScript too (one level below)
        skills=expand_skills(((ps.skill.slug, ps.level) for ps in programme.skills), implications),
    )


def _categories() -> dict[str, str]:
    """Each skill's taxonomy category: the gap report groups and judges a field by it."""
    return {s.id: s.category for s in engine.normalizer().taxonomy}


def _named(report: GapReport) -> dict[str, Skill]:
    slugs = [g.skill_id for g in (*report.missing, *report.level_gaps, *report.far)]
    slugs += [s for m in report.modules for s in m.skills]
    return _skills(slugs)


def programme_gap_report(programme: Programme, today: date | None = None) -> ProgrammeGaps:
    """What the province's demand asks that ``programme`` does not teach (or too low), ranked by
    the demand behind it, grouped into suggested modules with the covered share after each."""
    implications = engine.implications()
    report = programme_gaps(
        _profile(programme, implications),
        _demand(today),
        categories=_categories(),
        implications=implications,
    )
    return ProgrammeGaps(programme, report, _named(report))


def gap_overview(programmes: list[Programme], today: date | None = None) -> list[ProgrammeGaps]:
    """The gap report of each programme against one demand built once."""
    demand = _demand(today)
    implications = engine.implications()
    categories = _categories()
    out = []
    for programme in programmes:
        report = programme_gaps(
            _profile(programme, implications),
            demand,
            categories=categories,
            implications=implications,
            max_missing=5,
        )
        out.append(ProgrammeGaps(programme, report, _named(report)))
    return out
