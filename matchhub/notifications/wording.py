"""A notification's wording in the current language: the dashboard box and the mail.

The service stores a notification as its ``kind`` and payload; these functions
turn them into sentences when a page or a mail is rendered (template globals
``notification_message`` and ``notification_subject``).
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _

from matchhub.i18n import date_text
from matchhub.labels import label
from matchhub.models import ApplicationStatus, Notification


def message(note: Notification) -> str:
    """The notification worded in the current language."""
    p = note.payload or {}
    reason = p.get("reason") or ""
    if note.kind == "org.verified":
        return _(
            "The province office verified %(name)s: your orders can now go live.",
            name=p.get("name", ""),
        )
    if note.kind == "org.rejected":
        return _(
            "The province office rejected %(name)s. Reason: %(reason)s",
            name=p.get("name", ""),
            reason=reason,
        )
    if note.kind == "org.suspended":
        return _(
            "The province office suspended %(name)s and closed its open orders. Reason: %(reason)s",
            name=p.get("name", ""),
            reason=reason,
        )
    if note.kind == "round.published":
        return _(
            "The results of the allocation round “%(name)s” are published.", name=p.get("round", "")
        )
    order = p.get("order", "")
    if note.kind == "application.invited":
        return _(
            "%(org)s invites you to apply to “%(order)s”: answer from your applications.",
            org=p.get("org", ""),
            order=order,
        )
    if note.kind == "application.moved":
        return _(
            "Your application to “%(order)s” at %(org)s is now: %(stage)s.",
            order=order,
            org=p.get("org", ""),
            stage=_stage(p.get("stage")),
        )
    if note.kind == "application.applied":
        return _("%(learner)s applied to “%(order)s”.", learner=p.get("learner", ""), order=order)
    if note.kind == "application.withdrawn":
        return _(
            "%(learner)s withdrew from “%(order)s”.", learner=p.get("learner", ""), order=order
        )
    if note.kind == "application.message":
        return _message_news(p, order)
    if note.kind.startswith(("interview.", "job_offer.")):
        return _hiring(note.kind, p)
    if note.kind == "offer.received":
        return _(
            "%(college)s offers to train %(seats)s people for “%(order)s”.",
            college=p.get("college", ""),
            seats=p.get("seats", ""),
            order=order,
        )
    if note.kind == "offer.accepted":
        return _(
            "%(org)s accepted your training offer for “%(order)s”.",
            org=p.get("org", ""),
            order=order,
        )
    if note.kind == "offer.declined":
        return _(
            "%(org)s declined your training offer for “%(order)s”.",
            org=p.get("org", ""),
            order=order,
        )
    if note.kind == "offer.updated":
        return _(
            "%(college)s changed its training offer for “%(order)s”.",
            college=p.get("college", ""),
            order=order,
        )
    if note.kind == "offer.withdrawn":
        return _(
            "%(college)s withdrew its training offer for “%(order)s”.",
            college=p.get("college", ""),
            order=order,
        )
    return note.kind


def subject(note: Notification) -> str:
    """A short subject line for the mailed notification, in the current language."""
    p = note.payload or {}
    if note.kind.startswith("org."):
        return _("MatchHub: a decision about %(name)s", name=p.get("name", ""))
    if note.kind.startswith("application."):
        return _("MatchHub: your application to “%(order)s”", order=p.get("order", ""))
    if note.kind.startswith("interview."):
        return _("MatchHub: interview for “%(order)s”", order=p.get("order", ""))
    if note.kind.startswith("job_offer."):
        return _("MatchHub: job offer for “%(order)s”", order=p.get("order", ""))
    if note.kind.startswith("offer."):
        return _("MatchHub: training order “%(order)s”", order=p.get("order", ""))
    return _("MatchHub: news for you")


def _message_news(p: dict, order: str) -> str:
    """A message on an application: from the enterprise (to the learner, maybe with the
    stage it moved the application to) or from the learner (to the enterprise)."""
    if p.get("side") == "learner":
        return _(
            "%(learner)s sent you a message about “%(order)s”.",
            learner=p.get("learner", ""),
            order=order,
        )
    if p.get("stage"):
        return _(
            "%(org)s sent you a message about “%(order)s”; your application is now: %(stage)s.",
            org=p.get("org", ""),
            order=order,
            stage=_stage(p.get("stage")),
        )
    return _("%(org)s sent you a message about “%(order)s”.", org=p.get("org", ""), order=order)


def _moment(value: str | None) -> str:
    """An ISO time from a payload as the pages write it (dd/mm/yyyy HH:mm, Vietnam's time)."""
    if not value:
        return ""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return value
    return date_text(parsed)


def _hiring(kind: str, p: dict) -> str:
    """Interviews and job offers, worded for the side that reads them."""
    order, org, learner = p.get("order", ""), p.get("org", ""), p.get("learner", "")
    to_learner = p.get("side") != "enterprise"
    when = _moment(p.get("starts_at"))
    if kind == "interview.proposed":
        return _(
            "%(org)s proposes interview times for “%(order)s”: choose one in your applications.",
            org=org,
            order=order,
        )
    if kind == "interview.rescheduled":
        if to_learner:
            return _(
                "%(org)s changed the interview times for “%(order)s”: choose a new one.",
                org=org,
                order=order,
            )
        return _(
            "The interview with %(learner)s for “%(order)s” is moved: they choose a new time.",
            learner=learner,
            order=order,
        )
    if kind == "interview.booked":
        if to_learner:
            return _(
                "Your interview for “%(order)s” at %(org)s is booked for %(when)s.",
                order=order,
                org=org,
                when=when,
            )
        return _(
            "%(learner)s booked the interview for “%(order)s” on %(when)s.",
            learner=learner,
            order=order,
            when=when,
        )
    if kind == "interview.another_time":
        if to_learner:
            return _(
                "You asked %(org)s for another interview time for “%(order)s”.",
                org=org,
                order=order,
            )
        return _(
            "%(learner)s asks for another interview time for “%(order)s”: %(message)s",
            learner=learner,
            order=order,
            message=p.get("message", ""),
        )
    if kind == "interview.cancelled":
        if to_learner:
            return _("The interview for “%(order)s” at %(org)s is cancelled.", order=order, org=org)
        return _(
            "The interview with %(learner)s for “%(order)s” is cancelled.",
            learner=learner,
            order=order,
        )
    if kind == "interview.withdrawn":  # the candidate deleted their account: no name
        return _(
            "The interview for “%(order)s” on %(when)s is cancelled: the candidate withdrew "
            "and deleted their account.",
            order=order,
            when=when,
        )
    if kind == "job_offer.sent":
        return _(
            "%(org)s offers you the position “%(position)s”: reply by %(date)s.",
            org=org,
            position=p.get("position", ""),
            date=_day(p.get("reply_by")),
        )
    if kind == "job_offer.accepted":
        return _(
            "%(learner)s accepted your offer for “%(order)s”: hired.", learner=learner, order=order
        )
    if kind == "job_offer.declined":
        return _("%(learner)s declined your offer for “%(order)s”.", learner=learner, order=order)
    return kind


def _day(value: str | None) -> str:
    try:
        return date_text(date.fromisoformat(value or ""))
    except ValueError:
        return value or ""


def _stage(value: str | None) -> str:
    try:
        return str(label(ApplicationStatus(value)))
    except ValueError:
        return value or ""
