"""Orders as enterprises, learners and the public see them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from matchhub.extensions import db
from matchhub.models import (
    Application,
    ApplicationStatus,
    Order,
    OrderKind,
    OrderSkill,
    OrderStatus,
    Organization,
    User,
    utcnow,
)
from matchhub.security import owned_or_404
from matchhub.services import ServiceError, audit, taxonomy_cache
from matchhub.services.skill_specs import MAX_ORDER_SKILLS, MAX_WEIGHT
from matchhub.services.skills import skill_ids_by_slug

#: The furthest an application deadline may lie from today.
MAX_DEADLINE_DAYS = 366
#: The longest training an order may ask for (five years), and the largest budget per
#: trainee (as for offers' fees: more is a typing mistake).
MAX_TRAINING_WEEKS = 260
MAX_BUDGET = 1_000_000_000


_LOADS = (
    selectinload(Order.skills).selectinload(OrderSkill.skill),
    selectinload(Order.organization),
)


def readable(user: User, order_id: int) -> Order:
    """The order when ``user`` may read it (their organisation's, a live one, or one the
    learner applied to), with its skills and organisation; 404 otherwise."""
    return owned_or_404(Order, user, Order.id == order_id, options=_LOADS)


def editable(user: User, order_id: int) -> Order:
    """The order when it is the enterprise's of ``user`` (edit, pipeline, candidates); 404
    otherwise."""
    return owned_or_404(Order, user, Order.id == order_id, write=True, options=_LOADS)


def orders_of(org: Organization, status: OrderStatus | None = None) -> list[Order]:
    """An organisation's orders, newest first, with their skills loaded."""
    query = (
        sa.select(Order)
        .where(Order.organization_id == org.id)
        .options(selectinload(Order.skills).selectinload(OrderSkill.skill))
        .order_by(Order.created_at.desc(), Order.id.desc())
    )
    if status is not None:
        query = query.where(Order.status == status)
    return list(db.session.scalars(query))


def orders_page(org: Organization, status: OrderStatus | None, page: int, per_page: int):
    """One page of :func:`orders_of`, counted and cut in the database (LIMIT/OFFSET)."""
    query = (
        sa.select(Order)
        .where(Order.organization_id == org.id)
        .options(
            selectinload(Order.skills).selectinload(OrderSkill.skill),
            selectinload(Order.organization),
        )
        .order_by(Order.created_at.desc(), Order.id.desc())
    )
    if status is not None:
        query = query.where(Order.status == status)
    return db.paginate(query, page=page, per_page=per_page, max_per_page=per_page, error_out=False)


def status_counts(org: Organization) -> dict[OrderStatus, int]:
    rows = db.session.execute(
        sa.select(Order.status, sa.func.count(Order.id))
        .where(Order.organization_id == org.id)
        .group_by(Order.status)
    )
    counts = dict.fromkeys(OrderStatus, 0)
    counts.update(dict(rows.all()))
    return counts


def pipeline_counts(order_ids: list[int]) -> dict[int, Counter]:
    """Per order, how many applications sit in each stage."""
    result: dict[int, Counter] = {oid: Counter() for oid in order_ids}
    if not order_ids:
        return result
    rows = db.session.execute(
        sa.select(Application.order_id, Application.status, sa.func.count(Application.id))
        .where(Application.order_id.in_(order_ids))
        .group_by(Application.order_id, Application.status)
    )
    for order_id, status, n in rows:
        result[order_id][status] = n
    return result


def recent_applications(org: Organization, limit: int = 10) -> list[Application]:
    """The newest applications learners sent to ``org``'s orders."""
    return list(
        db.session.scalars(
            sa.select(Application)
            .join(Order)
            .where(
                Order.organization_id == org.id,
                Application.status == ApplicationStatus.APPLIED,
            )
            .options(selectinload(Application.learner), selectinload(Application.order))
            .order_by(Application.created_at.desc(), Application.id.desc())
            .limit(limit)
        )
    )


def applications_for(order: Order) -> list[Application]:
    return list(
        db.session.scalars(
            sa.select(Application)
            .where(Application.order_id == order.id)
            .options(selectinload(Application.learner))
            .order_by(Application.updated_at.desc(), Application.id)
        )
    )


def public_open_orders(
    kind: OrderKind | None = None, locality: str | None = None, page: int = 1, per_page: int = 20
):
    """Live openings (jobs and internships, ``Order.is_opening``), newest first, paginated:
    training orders are addressed to colleges, not offered to the public."""
    query = (
        sa.select(Order)
        .where(Order.is_opening)
        .options(
            selectinload(Order.organization),
            selectinload(Order.skills).selectinload(OrderSkill.skill),
        )
        .order_by(Order.published_at.desc(), Order.id.desc())
    )
    if kind is not None:
        query = query.where(Order.kind == kind)
    if locality:
        query = query.where(Order.locality == locality)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


# --- Writing orders ---


@dataclass(frozen=True)
class OrderInput:
    """What an enterprise fills in for an order.

    Skills are free-text terms with a level and, optionally, a weight:
    ``(term, level)`` or ``(term, level, weight)`` (weight 1 when absent).
    """

    kind: OrderKind
    title: str
    description: str
    headcount: int
    locality: str | None
    remote: bool
    salary_min: int | None
    salary_max: int | None
    start_date: date | None
    deadline: date | None
    required: list[tuple[str, int] | tuple[str, int, float]]
    nice: list[tuple[str, int] | tuple[str, int, float]]
    #: A training order's own terms; jobs and internships leave them out.
    duration_weeks: int | None = None
    budget_per_trainee: int | None = None  # VND

    def for_kind(self) -> OrderInput:
        """The input with only its kind's fields: a training order (addressed to colleges)
        has no pay, remote work or application deadline; a job or internship no duration
        or budget per trainee. What a client sent for the other kind is ignored."""
        if self.kind is OrderKind.TRAINING:
            return replace(self, remote=False, salary_min=None, salary_max=None, deadline=None)
        return replace(self, duration_weeks=None, budget_per_trainee=None)


def today_in_vietnam() -> date:
    return datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()


def _validate(data: OrderInput) -> None:
    if not data.required:
        raise ServiceError(_("Name at least one required skill."), field="required_skills")
    if len(data.required) + len(data.nice) > MAX_ORDER_SKILLS:
        raise ServiceError(
            _("List at most %(num)s skills in all.", num=MAX_ORDER_SKILLS), field="required_skills"
        )
    for name, specs in (("required_skills", data.required), ("nice_skills", data.nice)):
        for spec in specs:
            if len(spec) > 2 and not 0 < spec[2] <= MAX_WEIGHT:
                raise ServiceError(
                    _("A skill's weight must be above 0 and at most 5: %(term)s.", term=spec[0]),
                    field=name,
                )
    if not 1 <= data.headcount <= 500:
        message = (
            _("The number of trainees must be between 1 and 500.")
            if data.kind is OrderKind.TRAINING
            else _("The number of positions must be between 1 and 500.")
        )
        raise ServiceError(message, field="headcount")
    if data.duration_weeks is not None and not 1 <= data.duration_weeks <= MAX_TRAINING_WEEKS:
        raise ServiceError(
            _("The duration must be between 1 and %(n)d weeks.", n=MAX_TRAINING_WEEKS),
            field="duration_weeks",
        )
    if data.budget_per_trainee is not None and not 0 <= data.budget_per_trainee <= MAX_BUDGET:
        raise ServiceError(
            _("The budget per trainee must be between 0 and 1,000,000,000 ₫."),
            field="budget_per_trainee",
        )
    if data.deadline is not None and data.deadline < today_in_vietnam():
        raise ServiceError(_("The deadline cannot be in the past."), field="deadline")
    # A deadline years away (9999-12-31) is a typo, and keeps an order "open" forever.
    if data.deadline is not None and (data.deadline - today_in_vietnam()).days > MAX_DEADLINE_DAYS:
        raise ServiceError(_("The deadline must be within a year from today."), field="deadline")
    if data.start_date is not None and data.start_date.year > today_in_vietnam().year + 3:
        raise ServiceError(
            _("The start date must be within the next three years."), field="start_date"
        )
    # Colleges plan a training from its start: one already past cannot be answered.
    if (
        data.kind is OrderKind.TRAINING
        and data.start_date is not None
        and data.start_date < today_in_vietnam()
    ):
        raise ServiceError(_("The start date cannot be in the past."), field="start_date")
    if data.start_date and data.deadline and data.start_date < data.deadline:
        raise ServiceError(
            _("The start date cannot come before the application deadline."), field="start_date"
        )
    if (
        data.salary_min is not None
        and data.salary_max is not None
        and data.salary_min > data.salary_max
    ):
        raise ServiceError(_("The lowest pay is above the highest."), field="salary_min")


def unrecognised_required(order: Order) -> list[str]:
    """The order's required terms that match no skill yet, as HR typed them.

    They are kept on the order and wait in the province office's curation queue;
    until mapped, every learner lacks them (no candidate meets the order). No query
    when the order's skills are loaded.
    """
    return [s.term for s in order.skills if s.required and s.skill_id is None]


def _require_recognised(skills: list[OrderSkill]) -> None:
    """An order that names no recognised required skill would rank everyone alike:
    it may not be open to learners."""
    if any(s.required and s.skill_id is not None for s in skills):
        return
    unknown = [s.term for s in skills if s.required and s.skill_id is None]
    message = _("Name at least one required skill the platform recognises.")
    if unknown:
        message += " " + _("Not recognised yet: %(terms)s.", terms=", ".join(unknown))
    raise ServiceError(message, field="required_skills")


def _order_skills(data: OrderInput) -> list[OrderSkill]:
    """Normalise every term; unknown terms are kept (with no skill) for the province office."""
    specs = [(*s, 1.0)[:3] for s in data.required] + [(*s, 1.0)[:3] for s in data.nice]
    terms = [t for t, _lv, _w in specs]
    normalized = taxonomy_cache.normalize_terms(terms)
    ids = skill_ids_by_slug()
    rows: list[OrderSkill] = []
    seen: set[int | str] = set()
    for i, ((term, level, weight), norm) in enumerate(zip(specs, normalized, strict=True)):
        skill_id = ids.get(norm.skill_id) if norm.skill_id else None
        key = skill_id if skill_id is not None else term.casefold()
        if key in seen:  # the same skill twice: the first (required) mention wins
            continue
        seen.add(key)
        rows.append(
            OrderSkill(
                skill_id=skill_id,
                term=term,
                required=i < len(data.required),
                level=level,
                weight=weight,
            )
        )
    return rows


def save_order(
    org: Organization, user: User, data: OrderInput, order: Order | None = None
) -> Order:
    """Create a draft order, or update ``order``; an order already closed cannot change.

    Only the fields of the order's kind are kept (:meth:`OrderInput.for_kind`); a training
    order stays one (colleges answered it, learners never applied), and a job or an
    internship never becomes one.
    """
    data = data.for_kind()
    _validate(data)
    if order is not None and order.status not in (OrderStatus.DRAFT, OrderStatus.OPEN):
        raise ServiceError(_("A closed, filled or cancelled order cannot be edited."))
    if order is not None and (order.kind is OrderKind.TRAINING) != (
        data.kind is OrderKind.TRAINING
    ):
        raise ServiceError(
            _("A training order cannot become a job or an internship, nor the reverse: "
              "create a new order instead."),
            field="kind",
        )  # fmt: skip
    skills = _order_skills(data)
    if order is not None and order.status is OrderStatus.OPEN:
        _require_recognised(skills)
    created = order is None
    if created:
        order = Order(organization_id=org.id, created_by_id=user.id, status=OrderStatus.DRAFT)
        db.session.add(order)
    order.kind = data.kind
    order.title = data.title.strip()
    order.description = data.description.strip()
    order.headcount = data.headcount
    order.locality = data.locality
    order.remote = data.remote
    order.salary_min = data.salary_min
    order.salary_max = data.salary_max
    order.start_date = data.start_date
    order.deadline = data.deadline
    order.duration_weeks = data.duration_weeks
    order.budget_per_trainee = data.budget_per_trainee
    order.skills = skills
    db.session.flush()
    audit.record(
        "order.created" if created else "order.updated",
        actor=user,
        organization_id=org.id,
        obj=order,
    )
    db.session.commit()
    return order


def publish_order(order: Order, user: User) -> None:
    """Open a draft: a job or an internship to learners, a training order to colleges (they
    answer it with offers). Only a verified organisation may publish."""
    if not order.organization.is_verified:
        raise ServiceError(
            _("Your organisation must be verified by the province office before it can publish.")
        )
    if order.status is not OrderStatus.DRAFT:
        raise ServiceError(_("Only a draft can be published."))
    if order.deadline is not None and order.deadline < today_in_vietnam():
        raise ServiceError(_("The deadline has passed: change it before publishing."))
    _require_recognised(order.skills)
    order.status = OrderStatus.OPEN
    order.published_at = utcnow()
    audit.record("order.published", actor=user, organization_id=order.organization_id, obj=order)
    db.session.commit()


_TRANSITIONS = {
    OrderStatus.CLOSED: {OrderStatus.OPEN},
    OrderStatus.FILLED: {OrderStatus.OPEN, OrderStatus.CLOSED},
    OrderStatus.CANCELLED: {OrderStatus.DRAFT, OrderStatus.OPEN},
}


def change_order_status(order: Order, user: User, status: OrderStatus) -> None:
    """Close, mark filled or cancel an order, when its current status allows it."""
    if order.status not in _TRANSITIONS.get(status, set()):
        raise ServiceError(_("This order cannot change to that status now."))
    order.status = status
    order.closed_at = utcnow()
    audit.record(
        f"order.{status.value}", actor=user, organization_id=order.organization_id, obj=order
    )
    db.session.commit()


def duplicate_order(order: Order, user: User) -> Order:
    """A new draft copying ``order``'s content and skills (no dates, no applications)."""
    copy = Order(
        organization_id=order.organization_id,
        created_by_id=user.id,
        status=OrderStatus.DRAFT,
        kind=order.kind,
        # The copy's title says it is one, within the column's 200 characters.
        title=_("Copy of %(title)s", title=order.title)[:200],
        description=order.description,
        headcount=order.headcount,
        locality=order.locality,
        remote=order.remote,
        salary_min=order.salary_min,
        salary_max=order.salary_max,
        duration_weeks=order.duration_weeks,
        budget_per_trainee=order.budget_per_trainee,
        skills=[
            OrderSkill(
                skill_id=s.skill_id,
                term=s.term,
                required=s.required,
                level=s.level,
                weight=s.weight,
            )
            for s in order.skills
        ],
    )
    db.session.add(copy)
    db.session.flush()
    audit.record(
        "order.duplicated",
        actor=user,
        organization_id=order.organization_id,
        obj=copy,
        source_id=order.id,
    )
    db.session.commit()
    return copy
