"""Job offers: HR offers a position to a candidate; accepting it is the only way to "hired".

Sending an offer moves the application to "offer"; a newer offer replaces an open
one (which is withdrawn). The learner accepts it until its reply-by date (Vietnam's
calendar) and the application becomes "hired", or declines it and the application is
withdrawn. Either way the other side is told in the app and by mail.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from matchhub.extensions import db
from matchhub.models import Application, ApplicationStatus, JobOffer, JobOfferStatus, User, utcnow
from matchhub.services import ServiceError, audit, notifications
from matchhub.services.orders import today_in_vietnam

S = ApplicationStatus
O = JobOfferStatus  # noqa: E741

#: Stages from which HR may send an offer (a new one replaces the one under way).
OFFERABLE = frozenset({S.APPLIED, S.INTERVIEW, S.OFFER})
MAX_SALARY = 1_000_000_000
MAX_TEXT = 2000
#: How long a candidate may be given to answer, and how far off a start may be.
MAX_REPLY_DAYS = 180
MAX_START_DAYS = 730


@dataclass(frozen=True)
class OfferInput:
    position: str
    start_date: date | None
    reply_by: date | None
    salary: int | None = None
    message: str | None = None


def is_expired(offer: JobOffer, today: date | None = None) -> bool:
    """An offer still waiting for an answer after its reply-by date (Vietnam's day)."""
    return offer.status is O.SENT and offer.reply_by < (today or today_in_vietnam())


def can_accept(offer: JobOffer | None) -> bool:
    return offer is not None and offer.status is O.SENT and not is_expired(offer)


def latest_for(application_ids: Iterable[int]) -> dict[int, JobOffer]:
    """Each application's latest offer, by application id (one query)."""
    ids = list(application_ids)
    if not ids:
        return {}
    rows = db.session.scalars(
        sa.select(JobOffer).where(JobOffer.application_id.in_(ids)).order_by(JobOffer.id)
    )
    return {o.application_id: o for o in rows}


def latest(app: Application) -> JobOffer | None:
    return latest_for([app.id]).get(app.id)


def _validate(data: OfferInput) -> tuple[str, str | None]:
    position = (data.position or "").strip()
    if not position:
        raise ServiceError(_("Name the position."), field="position")
    if len(position) > 200:
        raise ServiceError(_("Use at most 200 characters."), field="position")
    today = today_in_vietnam()
    if data.start_date is None:
        raise ServiceError(_("Give a start date."), field="start_date")
    if not today <= data.start_date <= today + timedelta(days=MAX_START_DAYS):
        raise ServiceError(_("Give a start date within the next two years."), field="start_date")
    if data.reply_by is None:
        raise ServiceError(_("Give a date to reply by."), field="reply_by")
    if not today <= data.reply_by <= today + timedelta(days=MAX_REPLY_DAYS):
        raise ServiceError(
            _("Give a reply-by date from today to six months ahead."), field="reply_by"
        )
    if data.reply_by > data.start_date:
        raise ServiceError(_("The reply must come before the start date."), field="reply_by")
    if data.salary is not None and not 0 <= data.salary <= MAX_SALARY:
        raise ServiceError(
            _("Enter an amount from 0 to 1,000,000,000 VND a month."), field="salary"
        )
    message = (data.message or "").strip()
    if len(message) > MAX_TEXT:
        raise ServiceError(_("Use at most 2000 characters."), field="message")
    return position, message or None


def _payload(app: Application, offer: JobOffer) -> dict:
    return {
        "order": app.order.title,
        "org": app.order.organization.name,
        "learner": app.learner.full_name,
        "application_id": app.id,
        "position": offer.position,
        "reply_by": offer.reply_by.isoformat(),
    }


def send(app: Application, user: User, data: OfferInput) -> JobOffer:
    """HR sends an offer; the application moves to "offer" and the learner is told."""
    if app.learner.is_erased:
        raise ServiceError(_("This learner deleted their account."))
    if app.status not in OFFERABLE:
        if app.status in (S.SHORTLISTED, S.INVITED):
            raise ServiceError(_("An offer can be sent once the candidate has applied."))
        raise ServiceError(_("This application is no longer in progress."))
    position, message = _validate(data)
    previous = latest(app)
    if previous is not None and previous.status is O.SENT:
        previous.status, previous.decided_at = O.WITHDRAWN, utcnow()
    offer = JobOffer(
        application_id=app.id,
        position=position,
        start_date=data.start_date,
        reply_by=data.reply_by,
        salary=data.salary,
        message=message,
        sent_by_id=user.id,
    )
    db.session.add(offer)
    if app.status is not S.OFFER:
        from matchhub.services.applications import record_move

        record_move(app, S.OFFER, user)
    db.session.flush()
    audit.record(
        "application.offer", actor=user, organization_id=app.order.organization_id, obj=app
    )
    if app.learner.user_id is not None:
        notifications.notify(
            app.learner.user_id, "job_offer.sent", email=True, **_payload(app, offer)
        )
    db.session.commit()
    return offer


def _open_offer(app: Application) -> JobOffer:
    offer = latest(app)
    if offer is None or offer.status is not O.SENT or app.status is not S.OFFER:
        raise ServiceError(_("There is no offer waiting for your answer."))
    return offer


def accept(app: Application, user: User, reply: str | None = None) -> JobOffer:
    """The learner accepts the open offer before its reply-by date: the application is
    "hired" (the only way there) and the enterprise is told."""
    offer = _open_offer(app)
    if is_expired(offer):
        raise ServiceError(_("The reply-by date of this offer has passed."))
    offer.status, offer.decided_at = O.ACCEPTED, utcnow()
    offer.reply = (reply or "").strip()[:MAX_TEXT] or None
    from matchhub.services.applications import record_move

    record_move(app, S.HIRED, user, offer.reply)
    audit.record(
        "application.hired", actor=user, organization_id=app.order.organization_id, obj=app
    )
    _tell_enterprise(app, offer, "job_offer.accepted")
    db.session.commit()
    return offer


def decline(app: Application, user: User, reply: str | None = None) -> JobOffer:
    """The learner declines the open offer (even past its date): the application is
    withdrawn, and the enterprise is told."""
    offer = _open_offer(app)
    offer.status, offer.decided_at = O.DECLINED, utcnow()
    offer.reply = (reply or "").strip()[:MAX_TEXT] or None
    from matchhub.services.applications import record_move

    record_move(app, S.WITHDRAWN, user, offer.reply)
    # An interview still on the calendar goes too (told to the enterprise with the decline).
    from matchhub.services import interviews

    interviews.end_with_application(app, acted_by_learner=True)
    audit.record(
        "job_offer.declined", actor=user, organization_id=app.order.organization_id, obj=app
    )
    _tell_enterprise(app, offer, "job_offer.declined")
    db.session.commit()
    return offer


def _tell_enterprise(app: Application, offer: JobOffer, kind: str) -> None:
    # The whole team sees it in the app; the officer who sent the offer is mailed.
    notifications.notify_organization(
        app.order.organization_id,
        kind,
        email=False,
        mail_user_ids={offer.sent_by_id} - {None},
        **_payload(app, offer),
    )


def end_with_application(app: Application) -> None:
    """The application left the pipeline: an offer still open is withdrawn (no commit)."""
    offer = latest(app)
    if offer is not None and offer.status is O.SENT:
        offer.status, offer.decided_at = O.WITHDRAWN, utcnow()


def export_of(application_ids: Iterable[int]) -> dict[int, list[dict]]:
    """Every offer of these applications, for "export my data"."""
    out: dict[int, list[dict]] = {}
    ids = list(application_ids)
    if not ids:
        return out
    for o in db.session.scalars(
        sa.select(JobOffer).where(JobOffer.application_id.in_(ids)).order_by(JobOffer.id)
    ):
        out.setdefault(o.application_id, []).append(
            {
                "status": o.status.value,
                "position": o.position,
                "start_date": o.start_date.isoformat(),
                "salary": o.salary,
                "reply_by": o.reply_by.isoformat(),
                "message": o.message,
                "my_reply": o.reply,
                "sent_at": o.created_at.isoformat(),
                "decided_at": o.decided_at.isoformat() if o.decided_at else None,
            }
        )
    return out
