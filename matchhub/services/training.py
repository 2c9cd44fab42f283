"""Training orders answered by colleges' offers, and the enterprise's decision on them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from matchhub.extensions import db
from matchhub.models import (
    OfferStatus,
    Order,
    OrderKind,
    OrderSkill,
    Organization,
    Programme,
    TrainingMode,
    TrainingOffer,
    User,
    VerificationState,
    utcnow,
)
from matchhub.security import allowed, owned_or_404
from matchhub.services import ServiceError, audit, notifications
from matchhub.services.orders import today_in_vietnam


@dataclass(frozen=True)
class OfferInput:
    programme_id: int | None
    course_name: str
    seats: int
    start_date: date | None
    note: str
    fee_per_trainee: int | None = None  # VND
    duration_weeks: int | None = None
    mode: str | None = None  # a TrainingMode value
    location: str = ""
    enrolment: str = ""  # how learners enrol once the enterprise accepts


MAX_FEE = 1_000_000_000  # VND per trainee: more is a typing mistake
MAX_WEEKS = 260
MAX_ENROLMENT = 2000


def _open_training():
    return sa.select(Order).where(Order.kind == OrderKind.TRAINING, Order.is_live)


def open_training_orders() -> list[Order]:
    """Open training orders of verified enterprises, newest first, with their skills."""
    return list(
        db.session.scalars(
            _open_training()
            .options(
                selectinload(Order.organization),
                selectinload(Order.skills).selectinload(OrderSkill.skill),
            )
            .order_by(Order.published_at.desc(), Order.id.desc())
        )
    )


def readable_training_order(user: User, order_id: int) -> Order:
    """A live training order ``user`` may read (and a college answer); 404 otherwise."""
    return owned_or_404(
        Order,
        user,
        Order.id == order_id,
        Order.kind == OrderKind.TRAINING,
        options=(
            selectinload(Order.organization),
            selectinload(Order.skills).selectinload(OrderSkill.skill),
        ),
    )


def agreed_training() -> list[TrainingOffer]:
    """The training learners may join: offers the enterprise accepted on a training order
    that still shows its agreed training (``TrainingOffer.is_open_to_learners``), not yet
    started, soonest first (undated last), with the order, its skills and the college.

    Learners never apply to a training order; each offer says how to enrol with the
    college that delivers it. Two queries and the loads.
    """
    start = sa.func.coalesce(TrainingOffer.start_date, Order.start_date)
    return list(
        db.session.scalars(
            sa.select(TrainingOffer)
            .join(Order, Order.id == TrainingOffer.order_id)
            .where(
                TrainingOffer.is_open_to_learners,
                sa.or_(start.is_(None), start >= today_in_vietnam()),
            )
            .options(
                selectinload(TrainingOffer.order).selectinload(Order.organization),
                selectinload(TrainingOffer.order)
                .selectinload(Order.skills)
                .selectinload(OrderSkill.skill),
                selectinload(TrainingOffer.college),
                selectinload(TrainingOffer.programme),
            )
            .order_by(sa.case((start.is_(None), 1), else_=0), start, TrainingOffer.id)
        )
    )


def offers_of_college(college: Organization) -> list[TrainingOffer]:
    """Every offer ``college`` sent, newest first."""
    return list(
        db.session.scalars(
            sa.select(TrainingOffer)
            .where(TrainingOffer.college_id == college.id)
            .options(
                selectinload(TrainingOffer.order).selectinload(Order.organization),
                selectinload(TrainingOffer.programme),
            )
            .order_by(TrainingOffer.created_at.desc(), TrainingOffer.id.desc())
        )
    )


def accepted_seats(order_id: int) -> int:
    """Seats of the offers the enterprise accepted on this training order."""
    return int(
        db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(TrainingOffer.seats), 0)).where(
                TrainingOffer.order_id == order_id,
                TrainingOffer.status == OfferStatus.ACCEPTED,
            )
        )
    )


def seats_left(order: Order) -> int:
    """Trainees the order still asks for: its headcount less the seats already accepted."""
    return max(order.headcount - accepted_seats(order.id), 0)


def _must_be_verified(college: Organization) -> None:
    # Like orders, offers bind an organisation: only one the province office verified
    # (and has not suspended since) may make or keep them.
    if college.state is not VerificationState.VERIFIED:
        raise ServiceError(
            _("Only a training institution verified by the province office can make offers.")
        )


def _checked_terms(user: User, order: Order, data: OfferInput, left: int) -> dict:
    """The offer's terms as columns, or ServiceError naming the field at fault.

    ``left`` is how many seats the order can still take from this offer."""
    programme = None
    if data.programme_id is not None:
        programme = db.session.scalar(
            sa.select(Programme).where(
                Programme.id == data.programme_id, allowed(Programme, user, write=True)
            )
        )
        if programme is None:
            raise ServiceError(_("Choose one of your programmes."), field="programme")
    course_name = data.course_name.strip()
    if programme is None and not course_name:
        raise ServiceError(
            _("Choose one of your programmes or name a short course."), field="course_name"
        )
    if not 1 <= data.seats <= 1000:
        raise ServiceError(_("The number of seats must be between 1 and 1,000."), field="seats")
    if data.seats > left:
        raise ServiceError(
            _("The order has %(n)d seats left: offer at most that many.", n=left), field="seats"
        )
    if data.start_date is not None and data.start_date < today_in_vietnam():
        raise ServiceError(_("The start date cannot be in the past."), field="start_date")
    if data.fee_per_trainee is not None and not 0 <= data.fee_per_trainee <= MAX_FEE:
        raise ServiceError(
            _("The fee per trainee must be between 0 and 1,000,000,000 ₫."),
            field="fee_per_trainee",
        )
    if data.duration_weeks is not None and not 1 <= data.duration_weeks <= MAX_WEEKS:
        raise ServiceError(
            _("The duration must be between 1 and %(n)d weeks.", n=MAX_WEEKS),
            field="duration_weeks",
        )
    if data.mode is not None and data.mode not in {m.value for m in TrainingMode}:
        raise ServiceError(_("Choose how the training is given."), field="mode")
    return {
        "programme_id": programme.id if programme is not None else None,
        "course_name": course_name,
        "seats": data.seats,
        "start_date": data.start_date,
        "note": data.note.strip(),
        "fee_per_trainee": data.fee_per_trainee,
        "duration_weeks": data.duration_weeks,
        "mode": TrainingMode(data.mode) if data.mode else None,
        "location": data.location.strip()[:200] or None,
        "enrolment": data.enrolment.strip()[:MAX_ENROLMENT],
    }


def make_offer(college: Organization, user: User, order: Order, data: OfferInput) -> TrainingOffer:
    """Answer an open training order with a programme or a short course.

    Only a verified college may offer, and never more seats than the order has left.
    """
    _must_be_verified(college)
    if order.kind is not OrderKind.TRAINING or not order.is_live:
        raise ServiceError(_("This training order is no longer open."))
    terms = _checked_terms(user, order, data, seats_left(order))
    pending = db.session.scalar(
        sa.select(TrainingOffer.id).where(
            TrainingOffer.order_id == order.id,
            TrainingOffer.college_id == college.id,
            TrainingOffer.status == OfferStatus.PENDING,
        )
    )
    if pending is not None:
        raise ServiceError(_("You already have an offer awaiting a decision on this order."))
    offer = TrainingOffer(
        order_id=order.id,
        college_id=college.id,
        status=OfferStatus.PENDING,
        created_by_id=user.id,
        **terms,
    )
    db.session.add(offer)
    db.session.flush()
    audit.record("offer.sent", actor=user, organization_id=college.id, obj=offer, order=order.id)
    notifications.notify_organization(
        order.organization_id,
        "offer.received",
        college=college.name,
        seats=offer.seats,
        order=order.title,
        offer_id=offer.id,
        order_id=order.id,
    )
    db.session.commit()
    return offer


def offers_for_order(order: Order) -> list[TrainingOffer]:
    """The offers colleges sent to ``order`` (the caller checks it is the user's)."""
    return list(
        db.session.scalars(
            sa.select(TrainingOffer)
            .where(TrainingOffer.order_id == order.id)
            .options(selectinload(TrainingOffer.college), selectinload(TrainingOffer.programme))
            .order_by(TrainingOffer.created_at, TrainingOffer.id)
        )
    )


def offer_editable(user: User, offer_id: int) -> TrainingOffer:
    """The offer when ``user`` may decide it (the order's enterprise); 404 otherwise."""
    return owned_or_404(
        TrainingOffer,
        user,
        TrainingOffer.id == offer_id,
        write=True,
        options=(selectinload(TrainingOffer.order).selectinload(Order.organization),),
    )


def own_offer(user: User, offer_id: int) -> TrainingOffer:
    """One of the offers the college of ``user`` sent; 404 otherwise (the enterprise that
    received it reads it too, but only the sender may change it)."""
    return owned_or_404(
        TrainingOffer,
        user,
        TrainingOffer.id == offer_id,
        TrainingOffer.college_id == (user.organization.id if user.organization else 0),
        options=(selectinload(TrainingOffer.order).selectinload(Order.organization),),
    )


def _require_pending(offer: TrainingOffer) -> None:
    if offer.status is not OfferStatus.PENDING:
        raise ServiceError(_("This offer has been decided: it can no longer change."))


def edit_offer(offer: TrainingOffer, user: User, data: OfferInput) -> None:
    """Change a pending offer's terms (the enterprise is told); never once decided."""
    _require_pending(offer)
    college = db.session.get(Organization, offer.college_id)
    _must_be_verified(college)
    terms = _checked_terms(user, offer.order, data, seats_left(offer.order))
    for name, value in terms.items():
        setattr(offer, name, value)
    audit.record("offer.updated", actor=user, organization_id=college.id, obj=offer)
    notifications.notify_organization(
        offer.order.organization_id,
        "offer.updated",
        college=college.name,
        order=offer.order.title,
        offer_id=offer.id,
        order_id=offer.order_id,
    )
    db.session.commit()


def update_enrolment(offer: TrainingOffer, user: User, text: str) -> None:
    """The sending college says how learners enrol, while the offer awaits a decision or
    once accepted: learners read it on the agreed training, and a phone number or a date
    may change after the agreement. Not once declined or withdrawn."""
    if offer.status not in (OfferStatus.PENDING, OfferStatus.ACCEPTED):
        raise ServiceError(_("This offer was declined or withdrawn: nobody enrols in it."))
    text = (text or "").strip()
    if len(text) > MAX_ENROLMENT:
        raise ServiceError(_("At most %(n)d characters.", n=MAX_ENROLMENT), field="enrolment")
    offer.enrolment = text
    audit.record(
        "offer.updated", actor=user, organization_id=offer.college_id, obj=offer, enrolment=True
    )
    db.session.commit()


def withdraw_offer(offer: TrainingOffer, user: User) -> None:
    """Take back a pending offer (the enterprise is told); never once decided."""
    _require_pending(offer)
    offer.status = OfferStatus.WITHDRAWN
    offer.decided_at = utcnow()
    offer.decided_by_id = user.id
    audit.record("offer.withdrawn", actor=user, organization_id=offer.college_id, obj=offer)
    notifications.notify_organization(
        offer.order.organization_id,
        "offer.withdrawn",
        college=offer.college.name,
        order=offer.order.title,
        offer_id=offer.id,
        order_id=offer.order_id,
    )
    db.session.commit()


def decide_offer(offer: TrainingOffer, user: User, accept: bool) -> None:
    """The enterprise accepts or declines a pending offer on its training order.

    Accepting is refused when the college is no longer verified or when the offer's
    seats would take the accepted seats past the order's headcount. The order row is
    locked first (on PostgreSQL) so two acceptances at once cannot both pass the cap.
    """
    if offer.status is not OfferStatus.PENDING:
        raise ServiceError(_("This offer has already been decided."))
    if accept:
        db.session.execute(sa.select(Order.id).where(Order.id == offer.order_id).with_for_update())
        college = db.session.get(Organization, offer.college_id)
        if college is None or college.state is not VerificationState.VERIFIED:
            raise ServiceError(
                _("This training institution is not verified by the province office: "
                  "its offer cannot be accepted.")
            )  # fmt: skip
        left = seats_left(offer.order)
        if offer.seats > left:
            raise ServiceError(
                _("Accepting would exceed the order: %(seats)d seats offered, %(left)d left.",
                  seats=offer.seats, left=left)
            )  # fmt: skip
    offer.status = OfferStatus.ACCEPTED if accept else OfferStatus.DECLINED
    offer.decided_at = utcnow()
    offer.decided_by_id = user.id
    audit.record(
        f"offer.{offer.status.value}",
        actor=user,
        organization_id=offer.order.organization_id,
        obj=offer,
        college=offer.college_id,
    )
    notifications.notify_organization(
        offer.college_id,
        f"offer.{offer.status.value}",
        org=offer.order.organization.name,
        order=offer.order.title,
        offer_id=offer.id,
        order_id=offer.order_id,
    )
    db.session.commit()
