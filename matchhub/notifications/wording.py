"""A notification's wording in the current language: the dashboard box and the mail.

The service stores a notification as its ``kind`` and payload; these functions
turn them into sentences when a page or a mail is rendered (template globals
``notification_message`` and ``notification_subject``).
"""

from __future__ import annotations

from flask_babel import gettext as _

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


def _stage(value: str | None) -> str:
    try:
        return str(label(ApplicationStatus(value)))
    except ValueError:
        return value or ""
