"""The province dashboard: skill supply against demand, fill and placement, all in SQL.

Every figure comes from an aggregate query (GROUP BY in the database) over
indexed id columns; only the groups (a skill, a programme, a sector) reach
Python, never a learner or order row, so the page stays fast at 100,000 learners
(``bench/dashboard.py``). Every query runs on the request's own session, so the
whole page reads one snapshot.

Definitions (shown on the page as well):

* **Supply** of a skill: learners who list it (any level). Supply is a stock:
  the period does not filter it; the graduation year does.
* **Demand** of a skill: positions (headcount) of the orders that require it
  and were open during the period (published before its end, not closed before
  its start; drafts and cancelled orders excluded), of every organisation.
* **Gap** of a skill: demand ÷ supply, positions per learner who has the skill.
  ``shortage`` from :data:`SHORTAGE_AT` up (fewer than two learners per
  position, or no learner at all), ``surplus`` below :data:`SURPLUS_BELOW`
  (more than twenty learners per position), ``balanced`` between.
* **Fill rate**: hired applications ÷ positions, over the orders open during the
  period (hires beyond an order's headcount are not counted).
* **Time to fill**: for orders marked filled during the period,
  ``closed_at - published_at`` in days; the median is reported.
* **Placement rate** of a college or programme: its learners with at least one
  hired application (hired during the period) ÷ its learners.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from matchhub.extensions import db
from matchhub.models import (
    Application,
    ApplicationStatus,
    Learner,
    LearnerSkill,
    Order,
    OrderSkill,
    OrderStatus,
    Organization,
    Programme,
    Skill,
)

SHORTAGE_AT = 0.5
SURPLUS_BELOW = 0.05
PERIODS = ("30", "90", "365", "all")
DEFAULT_PERIOD = "365"
# How many skills the gap table lists (the most demanded first).
GAP_ROWS = 40
_VN = ZoneInfo("Asia/Ho_Chi_Minh")
_DEMANDED = (OrderStatus.OPEN, OrderStatus.CLOSED, OrderStatus.FILLED)


@dataclass(frozen=True)
class Filters:
    period: str = DEFAULT_PERIOD
    graduation_year: int | None = None
    today: date | None = None

    def bounds(self) -> tuple[datetime | None, datetime]:
        """(start, end) of the period as UTC instants; start is ``None`` for "all"."""
        today = self.today or datetime.now(_VN).date()
        end = datetime.combine(today + timedelta(days=1), time(0), tzinfo=_VN).astimezone(UTC)
        if self.period == "all" or self.period not in PERIODS:
            return (None, end) if self.period == "all" else (end - timedelta(days=365), end)
        return end - timedelta(days=int(self.period)), end


@dataclass(frozen=True)
class GapRow:
    skill: Skill
    demand: int
    supply: int
    ratio: float | None  # None: no learner has the skill
    flag: str  # shortage | balanced | surplus


@dataclass
class Report:
    filters: Filters
    learners: int = 0
    supply_by_skill: list[tuple[Skill, int]] = field(default_factory=list)
    supply_by_programme: list[tuple[str, str, int]] = field(default_factory=list)
    supply_by_college: list[tuple[str, int]] = field(default_factory=list)
    supply_by_year: list[tuple[int | None, int]] = field(default_factory=list)
    demand_by_skill: list[tuple[Skill, int]] = field(default_factory=list)
    demand_by_sector: list[tuple[str | None, int, int]] = field(default_factory=list)
    demand_by_locality: list[tuple[str | None, int, int]] = field(default_factory=list)
    gaps: list[GapRow] = field(default_factory=list)
    positions: int = 0
    hired: int = 0
    fill_rate: float | None = None
    filled_orders: int = 0
    median_days_to_fill: float | None = None
    placement_by_college: list[tuple[str, int, int, float]] = field(default_factory=list)
    placement_by_programme: list[tuple[str, str, int, int, float]] = field(default_factory=list)


def flag_for(demand: int, supply: int) -> tuple[float | None, str]:
    """The gap ratio and its flag (see the module's definitions)."""
    if supply == 0:
        return None, "shortage"
    ratio = demand / supply
    # Flag the ratio as the page shows it (two decimals): 0.0496 and 0.0504 both read
    # "0.05" and must not be called surplus and balanced side by side.
    shown = round(ratio, 2)
    if shown >= SHORTAGE_AT:
        return ratio, "shortage"
    if shown < SURPLUS_BELOW:
        return ratio, "surplus"
    return ratio, "balanced"


def _learner_filter(filters: Filters):
    if filters.graduation_year:
        return Learner.graduation_year == filters.graduation_year
    return sa.true()


def _open_during(filters: Filters, *, scan: bool = False):
    """Orders open at some point of the period.

    ``scan`` words the status test as an exclusion: most orders qualify, and a
    query over orders alone is faster reading the table straight through than
    through the (unselective) status index, which an exclusion does not use. A
    join with order skills is the opposite: there the index drives the better plan.
    """
    start, end = filters.bounds()
    status = (
        Order.status.not_in((OrderStatus.DRAFT, OrderStatus.CANCELLED))
        if scan
        else Order.status.in_(_DEMANDED)
    )
    cond = sa.and_(status, Order.published_at.is_not(None), Order.published_at < end)
    if start is not None:
        cond = sa.and_(cond, sa.or_(Order.closed_at.is_(None), Order.closed_at >= start))
    return cond


def _days_between(later, earlier):
    """Portable ``later - earlier`` in days as a float expression."""
    if db.session.get_bind().dialect.name == "postgresql":
        return sa.func.extract("epoch", later - earlier) / 86400.0
    return sa.func.julianday(later) - sa.func.julianday(earlier)


def _median_days(condition) -> tuple[int, float | None]:
    """How many orders match ``condition`` and the median of their days to fill.

    The median is taken in the database: count, then read the middle one or two
    values in order (no row list in Python).
    """
    days = _days_between(Order.closed_at, Order.published_at).label("days")
    n = db.session.scalar(sa.select(sa.func.count(Order.id)).where(condition)) or 0
    if not n:
        return 0, None
    middle = list(
        db.session.scalars(
            sa.select(days)
            .where(condition)
            .order_by(days)
            .offset((n - 1) // 2)
            .limit(2 if n % 2 == 0 else 1)
        )
    )
    return n, round(sum(float(x) for x in middle) / len(middle), 1)


def report(filters: Filters | None = None) -> Report:
    """Every figure of the province dashboard for ``filters``.

    A fixed number of aggregate queries (about a dozen), each O(rows scanned) in
    the database; Python only handles the groups.
    """
    filters = filters or Filters()
    out = Report(filters)
    lf = _learner_filter(filters)
    start, end = filters.bounds()

    # --- supply. Grouping by the indexed id columns (names are looked up for the few
    # groups afterwards) lets the database count from its indexes alone.
    # No "skill_id IS NOT NULL" filter: the unknown-term rows form one NULL group,
    # dropped below, which is cheaper than a filtered index range scan.
    supply_q = sa.select(LearnerSkill.skill_id, sa.func.count())
    if filters.graduation_year:
        # IN (subquery) rather than a join: the database reads only that cohort's
        # skill rows instead of checking every skill row's learner.
        supply_q = supply_q.where(LearnerSkill.learner_id.in_(sa.select(Learner.id).where(lf)))
    demand_q = (
        sa.select(OrderSkill.skill_id, sa.func.sum(Order.headcount))
        .join(Order, Order.id == OrderSkill.order_id)
        .where(_open_during(filters), OrderSkill.required.is_(True))
        .group_by(OrderSkill.skill_id)
    )
    by_programme = dict(
        db.session.execute(
            sa.select(Learner.programme_id, sa.func.count(Learner.id))
            .where(lf)
            .group_by(Learner.programme_id)
        ).all()
    )
    by_college = dict(
        db.session.execute(
            sa.select(Learner.college_id, sa.func.count(Learner.id))
            .where(lf)
            .group_by(Learner.college_id)
        ).all()
    )
    programmes = {
        pid: (college_id, name)
        for pid, college_id, name in db.session.execute(
            sa.select(Programme.id, Programme.organization_id, Programme.name).where(
                Programme.id.in_([p for p in by_programme if p is not None])
            )
        )
    }
    college_names = dict(
        db.session.execute(
            sa.select(Organization.id, Organization.name).where(
                Organization.id.in_(
                    {c for c in by_college if c is not None} | {c for c, _n in programmes.values()}
                )
            )
        ).all()
    )

    def college_of(pid):
        return college_names.get(programmes[pid][0], "—") if pid in programmes else "—"

    def programme_of(pid):
        return programmes[pid][1] if pid in programmes else "—"

    out.learners = sum(by_college.values())
    out.supply_by_programme = sorted(
        ((college_of(pid), programme_of(pid), n) for pid, n in by_programme.items()),
        key=lambda r: (-r[2], r[0], r[1]),
    )
    out.supply_by_college = sorted(
        ((college_names.get(cid, "—"), n) for cid, n in by_college.items()),
        key=lambda r: (-r[1], r[0]),
    )
    out.supply_by_year = list(
        db.session.execute(
            sa.select(Learner.graduation_year, sa.func.count(Learner.id))
            .where(lf)
            .group_by(Learner.graduation_year)
            .order_by(Learner.graduation_year)
        ).all()
    )

    # --- demand
    # One pass over the orders for both breakdowns (sectors x localities is small).
    sectors: dict[str | None, list[int]] = {}
    localities: dict[str | None, list[int]] = {}
    for sector, locality, orders, positions in db.session.execute(
        sa.select(
            Organization.sector,
            Order.locality,
            sa.func.count(Order.id),
            sa.func.sum(Order.headcount),
        )
        .join(Organization, Organization.id == Order.organization_id)
        .where(_open_during(filters, scan=True))
        .group_by(Organization.sector, Order.locality)
    ):
        for table, key in ((sectors, sector), (localities, locality)):
            acc = table.setdefault(key, [0, 0])
            acc[0] += int(orders)
            acc[1] += int(positions or 0)
    out.demand_by_sector = sorted(
        ((k, o, p) for k, (o, p) in sectors.items()), key=lambda r: (-r[2], r[0] or "")
    )
    out.demand_by_locality = sorted(
        ((k, o, p) for k, (o, p) in localities.items()), key=lambda r: (-r[2], r[0] or "")
    )

    # --- skills: only the rows shown are loaded
    supply = dict(db.session.execute(supply_q.group_by(LearnerSkill.skill_id)).all())
    supply.pop(None, None)
    demand = dict(db.session.execute(demand_q).all())
    demand.pop(None, None)
    top_demand = sorted(demand, key=lambda s: (-demand[s], s))[:GAP_ROWS]
    top_supply = sorted(supply, key=lambda s: (-supply[s], s))[:GAP_ROWS]
    wanted = set(top_demand) | set(top_supply)
    skills = {s.id: s for s in db.session.scalars(sa.select(Skill).where(Skill.id.in_(wanted)))}
    out.demand_by_skill = [(skills[s], int(demand[s])) for s in top_demand]
    out.supply_by_skill = [(skills[s], int(supply[s])) for s in top_supply]
    for sid in top_demand:
        d, n = int(demand[sid]), int(supply.get(sid, 0))
        ratio, flag = flag_for(d, n)
        out.gaps.append(GapRow(skills[sid], d, n, ratio, flag))
    out.gaps.sort(key=lambda g: (-(g.ratio if g.ratio is not None else float("inf")), g.skill.slug))

    # --- fill rate: hires capped at each order's headcount
    hires = (
        sa.select(Application.order_id, sa.func.count(Application.id).label("hired"))
        .where(Application.status == ApplicationStatus.HIRED)
        .group_by(Application.order_id)
        .subquery()
    )
    positions, hired = db.session.execute(
        sa.select(
            sa.func.coalesce(sa.func.sum(Order.headcount), 0),
            sa.func.coalesce(
                sa.func.sum(
                    sa.case(
                        (hires.c.hired > Order.headcount, Order.headcount),
                        else_=sa.func.coalesce(hires.c.hired, 0),
                    )
                ),
                0,
            ),
        )
        .select_from(Order)
        .outerjoin(hires, hires.c.order_id == Order.id)
        .where(_open_during(filters, scan=True))
    ).one()
    out.positions, out.hired = int(positions), int(hired)
    out.fill_rate = out.hired / out.positions if out.positions else None
    filled = sa.and_(
        Order.status == OrderStatus.FILLED,
        Order.closed_at.is_not(None),
        Order.published_at.is_not(None),
        Order.closed_at < end,
    )
    if start is not None:
        filled = sa.and_(filled, Order.closed_at >= start)
    out.filled_orders, out.median_days_to_fill = _median_days(filled)

    # --- placement: only hired applications are read, then spread over the groups above
    hired_cond = Application.status == ApplicationStatus.HIRED
    if start is not None:
        hired_cond = sa.and_(hired_cond, Application.updated_at >= start)
    placed = {
        (cid, pid): n
        for cid, pid, n in db.session.execute(
            sa.select(
                Learner.college_id,
                Learner.programme_id,
                sa.func.count(sa.distinct(Application.learner_id)),
            )
            .join(Learner, Learner.id == Application.learner_id)
            .where(hired_cond, lf)
            .group_by(Learner.college_id, Learner.programme_id)
        )
    }
    placed_by_college: dict[int | None, int] = {}
    placed_by_programme: dict[int | None, int] = {}
    for (cid, pid), n in placed.items():
        placed_by_college[cid] = placed_by_college.get(cid, 0) + n
        placed_by_programme[pid] = placed_by_programme.get(pid, 0) + n
    out.placement_by_college = sorted(
        (
            (
                college_names.get(cid, "—"),
                n,
                placed_by_college.get(cid, 0),
                placed_by_college.get(cid, 0) / n,
            )
            for cid, n in by_college.items()
            if n
        ),
        key=lambda r: r[0],
    )
    out.placement_by_programme = sorted(
        (
            (
                college_of(pid),
                programme_of(pid),
                n,
                placed_by_programme.get(pid, 0),
                placed_by_programme.get(pid, 0) / n,
            )
            for pid, n in by_programme.items()
            if n
        ),
        key=lambda r: (r[0], r[1]),
    )
    return out


def graduation_years() -> list[int]:
    """Graduation years present among learners, newest first."""
    return list(
        db.session.scalars(
            sa.select(Learner.graduation_year)
            .where(Learner.graduation_year.is_not(None))
            .distinct()
            .order_by(Learner.graduation_year.desc())
        )
    )
