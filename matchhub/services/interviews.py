"""Interviews on an application: HR proposes slots, the learner books one or asks for another.

One interview is in progress per application at a time (:func:`current`); its life:

    proposed ──book──▶ scheduled ──HR proposes new slots──▶ proposed (a reschedule)
       │  ▲                │
       │  └─HR proposes────┴──learner asks for another time──▶ reschedule
       └────────── HR cancels (from any state) ──────────────▶ cancelled

Booking moves the application to "interview". Every change is told to the other side
in the app and by mail; once a time is booked, both the learner and the HR officer who
organises it get the calendar event (.ics REQUEST), and a booked time that goes away (a
new proposal, a request for another time, a cancellation) is withdrawn from their
calendars with a CANCEL of the same UID and a higher SEQUENCE (:mod:`.calendar`).
Times are typed and shown in Vietnam's time and stored in UTC.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from matchhub.extensions import db
from matchhub.models import (
    Application,
    ApplicationStatus,
    Interview,
    InterviewSlot,
    InterviewStatus,
    Order,
    User,
    utcnow,
)
from matchhub.services import ServiceError, audit, calendar, notifications

S = ApplicationStatus
I = InterviewStatus  # noqa: E741
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

#: Stages in which HR may propose an interview (after an offer too: a last talk, or new
#: times the candidate asked for).
PROPOSABLE = frozenset({S.APPLIED, S.INTERVIEW, S.OFFER})
MAX_SLOTS = 5
#: How far ahead a slot may be: an interview is weeks away, not years.
MAX_DAYS_AHEAD = 365
MAX_TEXT = 2000


def _now_local() -> datetime:
    return datetime.now(VIETNAM).replace(tzinfo=None)


def current(app: Application) -> Interview | None:
    """The application's interview in progress (not cancelled), if any."""
    return current_for([app.id]).get(app.id)


def current_for(application_ids: Iterable[int]) -> dict[int, Interview]:
    """Each application's interview in progress, by application id (one query)."""
    ids = list(application_ids)
    if not ids:
        return {}
    rows = db.session.scalars(
        sa.select(Interview)
        .where(Interview.application_id.in_(ids), Interview.status != I.CANCELLED)
        .options(selectinload(Interview.slots), selectinload(Interview.organizer))
        .order_by(Interview.id)
    )
    return {i.application_id: i for i in rows}  # the latest wins


def _check_slots(slots: Sequence[datetime]) -> list[datetime]:
    """Distinct future wall-clock times in Vietnam, sorted; refused with a message otherwise.

    Compared as naive local times before any zone arithmetic: a year 1 or 9999 typed
    in the form is refused here, never overflows a conversion.
    """
    picked = sorted({s.replace(tzinfo=None, second=0, microsecond=0) for s in slots if s})
    if not picked:
        raise ServiceError(_("Propose at least one time."), field="slots")
    if len(picked) > MAX_SLOTS:
        raise ServiceError(_("Propose at most %(n)d times.", n=MAX_SLOTS), field="slots")
    now = _now_local()
    if picked[0] <= now:
        raise ServiceError(_("Every proposed time must be in the future."), field="slots")
    if picked[-1] > now + timedelta(days=MAX_DAYS_AHEAD):
        raise ServiceError(_("Propose times within the next twelve months."), field="slots")
    return [s.replace(tzinfo=VIETNAM) for s in picked]


def _clean(text: str | None, limit: int) -> str | None:
    return (text or "").strip()[:limit] or None


def _is_link(url: str) -> bool:
    return url.startswith(("https://", "http://")) and " " not in url and len(url) > 10


# --- telling the other side -------------------------------------------------


def _learner_contact(app: Application) -> tuple[str, str] | None:
    user = app.learner.user
    return (app.learner.full_name, user.email) if user is not None else None


def _organizer_contact(interview: Interview) -> tuple[str, str] | None:
    user = interview.organizer
    return (user.full_name, user.email) if user is not None else None


def _ics(interview: Interview, method: str, for_learner: bool, *, anonymous: bool = False):
    """The .ics attachment of the booked time for one side (worded in its language).
    ``anonymous``: the candidate deleted their account, so the organiser's event names
    nobody and says only that (no attendee)."""
    app = interview.application
    reader = app.learner.user if for_learner else interview.organizer
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale((reader.locale if reader else None) or default):
        summary = _("Interview: %(order)s", order=app.order.title)
        if anonymous:
            who = _(
                "The candidate withdrew and deleted their account: this interview is cancelled."
            )
    if anonymous:
        description = who
    else:
        who = app.order.organization.name if for_learner else app.learner.full_name
        description = "\n".join(
            p for p in (who, interview.note or "", interview.online_url or "") if p
        )
    text = calendar.interview_ics(
        interview,
        method,
        summary=f"{summary} · {who}",
        description=description,
        organizer=_organizer_contact(interview),
        attendee=None if anonymous else _learner_contact(app),
    )
    return calendar.attachment(text, method)


def _next_sequence(interview: Interview) -> None:
    """The calendars already hold this event: a new version of it (SEQUENCE past the first)."""
    if interview.invited:
        interview.sequence += 1
    interview.invited = True


def _send(
    interview: Interview,
    kind: str,
    *,
    method: str | None = None,
    learner: bool = False,
    enterprise: bool = False,
    **extra,
) -> None:
    """Tell ``kind`` to the learner (in the app and by mail) and/or the enterprise (in the
    app for all its staff, by mail for the organiser).

    With ``method`` (the booked time is set or withdrawn) both sides get it, whoever
    acted, with the .ics: each calendar must follow. SEQUENCE grows past the first.
    """
    app = interview.application
    if method is not None:
        _next_sequence(interview)
        learner = enterprise = True
    payload = {
        "order": app.order.title,
        "org": app.order.organization.name,
        "learner": app.learner.full_name,
        "application_id": app.id,
        "starts_at": interview.starts_at.isoformat() if interview.starts_at else None,
        **extra,
    }
    if learner and app.learner.user_id is not None:
        files = (_ics(interview, method, True),) if method else ()
        notifications.notify(
            app.learner.user_id, kind, email=True, attachments=files, side="learner", **payload
        )
    if enterprise:
        # Other HR staff read it in the app; the organiser is mailed (with the event).
        files = (_ics(interview, method, False),) if method else ()
        notifications.notify_organization(
            app.order.organization_id,
            kind,
            email=False,
            mail_user_ids={interview.organizer_id} - {None},
            attachments=files,
            side="enterprise",
            **payload,
        )


def _unbook(interview: Interview) -> bool:
    """Whether a time is booked (its event is in both calendars and must be withdrawn)."""
    return interview.status is I.SCHEDULED and interview.starts_at is not None


# --- the enterprise side -----------------------------------------------------


def propose(
    app: Application,
    user: User,
    slots: Sequence[datetime],
    *,
    duration_minutes: int,
    location: str | None,
    online_url: str | None,
    note: str | None = None,
) -> Interview:
    """HR proposes interview times (Vietnam's wall-clock, naive) with a place or a link.

    Over an interview in progress, the new times replace the old ones: a booked time
    is withdrawn from both calendars and the learner picks again.
    """
    if app.learner.is_erased:
        raise ServiceError(_("This learner deleted their account."))
    if app.status not in PROPOSABLE:
        if app.status in (S.SHORTLISTED, S.INVITED):
            raise ServiceError(_("An interview can be arranged once the candidate has applied."))
        raise ServiceError(_("This application is no longer in progress."))
    if not 5 <= (duration_minutes or 0) <= 480:
        raise ServiceError(_("Enter a duration from 5 to 480 minutes."), field="duration_minutes")
    location = _clean(location, 300)
    online_url = _clean(online_url, 500)
    if online_url and not _is_link(online_url):
        raise ServiceError(_("Enter a link starting with https://."), field="online_url")
    if not location and not online_url:
        raise ServiceError(_("Give a place or an online meeting link."), field="location")
    times = _check_slots(slots)
    interview = current(app)
    was_booked = interview is not None and _unbook(interview)
    if interview is None:
        interview = Interview(application=app)
        db.session.add(interview)
    interview.organizer = user
    interview.duration_minutes = duration_minutes
    interview.location, interview.online_url = location, online_url
    interview.note = _clean(note, MAX_TEXT)
    interview.request_message = None
    interview.slots = [InterviewSlot(starts_at=t) for t in times]
    db.session.flush()
    if was_booked:
        # Both calendars drop the old time; the learner picks a new one.
        _send(interview, "interview.rescheduled", method=calendar.CANCEL)
    else:
        _send(interview, "interview.proposed", learner=True, slots=len(times))
    interview.status, interview.starts_at = I.PROPOSED, None
    audit.record(
        "interview.proposed",
        actor=user,
        organization_id=app.order.organization_id,
        obj=app,
        slots=len(times),
    )
    db.session.commit()
    return interview


def cancel(app: Application, user: User, reason: str | None = None) -> None:
    """HR cancels the interview in progress; a booked time leaves both calendars."""
    interview = current(app)
    if interview is None:
        raise ServiceError(_("There is no interview in progress."))
    _end(interview, reason, by_learner=False)
    audit.record(
        "interview.cancelled", actor=user, organization_id=app.order.organization_id, obj=app
    )
    db.session.commit()


def _end(interview: Interview, reason: str | None, *, by_learner: bool) -> None:
    booked = _unbook(interview)
    interview.status = I.CANCELLED
    _send(
        interview,
        "interview.cancelled",
        method=calendar.CANCEL if booked else None,
        learner=not by_learner,
        enterprise=by_learner,
        reason=_clean(reason, 300) or "",
    )


def end_with_application(app: Application, acted_by_learner: bool) -> None:
    """The application left the pipeline (rejected, withdrawn, erased): its interview in
    progress is cancelled and the other side told; no commit (the caller's)."""
    interview = current(app)
    if interview is not None:
        _end(interview, None, by_learner=acted_by_learner)


def withdraw_erased(learner_id: int) -> int:
    """The learner deletes their account: each booked interview still to come leaves the
    organiser's calendar (CANCEL of the same UID, SEQUENCE raised), mailed after the commit;
    the other HR staff read it in the app. Neither says more than that the candidate
    withdrew and deleted their account: no name, no address (the mail waits in the job
    queue, the notice stays). Call it before the interviews go; no commit (the caller's).
    Returns how many were withdrawn."""
    booked = db.session.scalars(
        sa.select(Interview)
        .join(Application, Application.id == Interview.application_id)
        .where(
            Application.learner_id == learner_id,
            Interview.status == I.SCHEDULED,
            Interview.starts_at > utcnow(),
        )
        .options(
            selectinload(Interview.organizer),
            selectinload(Interview.application)
            .selectinload(Application.order)
            .selectinload(Order.organization),
        )
        .order_by(Interview.id)
    ).all()
    for interview in booked:
        order = interview.application.order
        _next_sequence(interview)
        interview.status = I.CANCELLED
        notifications.notify_organization(
            order.organization_id,
            "interview.withdrawn",
            email=False,
            mail_user_ids={interview.organizer_id} - {None},
            attachments=(_ics(interview, calendar.CANCEL, False, anonymous=True),),
            side="enterprise",
            order=order.title,
            org=order.organization.name,
            starts_at=interview.starts_at.isoformat(),
        )
    return len(booked)


# --- the learner side -------------------------------------------------------


def book(app: Application, user: User, slot_id: int) -> Interview:
    """The learner books one of the proposed times; the application moves to "interview"."""
    interview = current(app)
    if interview is None or interview.status not in (I.PROPOSED, I.RESCHEDULE):
        raise ServiceError(_("There is no interview time to choose now."))
    slot = next((s for s in interview.slots if s.id == slot_id), None)
    if slot is None:
        raise ServiceError(_("Choose one of the proposed times."), field="slot")
    if slot.starts_at <= datetime.now(VIETNAM):
        raise ServiceError(_("This time has passed: choose another or ask for another time."))
    interview.starts_at = slot.starts_at
    interview.status = I.SCHEDULED
    interview.request_message = None
    if app.status is S.APPLIED:
        from matchhub.services.applications import record_move

        record_move(app, S.INTERVIEW, user)
    _send(interview, "interview.booked", method=calendar.REQUEST)
    audit.record("interview.booked", actor=user, organization_id=app.order.organization_id, obj=app)
    db.session.commit()
    return interview


def ask_another_time(app: Application, user: User, message: str) -> None:
    """The learner asks for another time, saying why (or when suits them)."""
    message = _clean(message, MAX_TEXT)
    if not message:
        raise ServiceError(_("Say which times suit you."), field="message")
    interview = current(app)
    if interview is None or interview.status not in (I.PROPOSED, I.SCHEDULED):
        raise ServiceError(_("There is no interview time to change now."))
    booked = _unbook(interview)
    interview.request_message = message
    _send(
        interview,
        "interview.another_time",
        method=calendar.CANCEL if booked else None,
        enterprise=True,
        message=message[:300],
    )
    interview.status, interview.starts_at = I.RESCHEDULE, None
    audit.record(
        "interview.another_time", actor=user, organization_id=app.order.organization_id, obj=app
    )
    db.session.commit()


# --- the learner's data -----------------------------------------------------


def export_of(application_ids: Iterable[int]) -> dict[int, list[dict]]:
    """Every interview (cancelled ones too) of these applications, for "export my data"."""
    out: dict[int, list[dict]] = {}
    ids = list(application_ids)
    if not ids:
        return out
    rows = db.session.scalars(
        sa.select(Interview)
        .where(Interview.application_id.in_(ids))
        .options(selectinload(Interview.slots))
        .order_by(Interview.id)
    )
    for i in rows:
        out.setdefault(i.application_id, []).append(
            {
                "status": i.status.value,
                "proposed_times": [s.starts_at.isoformat() for s in i.slots],
                "starts_at": i.starts_at.isoformat() if i.starts_at else None,
                "duration_minutes": i.duration_minutes,
                "location": i.location,
                "online_url": i.online_url,
                "note": i.note,
                "my_request": i.request_message,
                "created_at": i.created_at.isoformat(),
            }
        )
    return out
