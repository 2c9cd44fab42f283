"""In-app notifications: the platform telling a user about a decision that concerns them."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from matchhub.extensions import db
from matchhub.labels import label
from matchhub.models import ApplicationStatus, Membership, Notification, User, utcnow
from matchhub.security import owned_or_404
from matchhub.services import mail

# How many unread notifications a dashboard shows at most.
SHOWN = 20


def notify(user: User | int, kind: str, *, email: bool = False, **payload: Any) -> Notification:
    """Queue a notification of ``kind`` for ``user`` in the current transaction (no commit).

    ``payload`` must be JSON-serialisable: it fills the translated wording of
    ``kind`` when the user reads it (see :func:`message`). With ``email`` the user
    also gets it by mail, in their language, once the transaction commits.
    """
    user_id = user if isinstance(user, int) else user.id
    note = Notification(user_id=user_id, kind=kind, payload=payload)
    db.session.add(note)
    if email:
        recipient = user if isinstance(user, User) else db.session.get(User, user_id)
        if recipient is not None and recipient.active:
            mail.queue(
                mail.render(recipient, "notification", note=note, message=message, subject=subject)
            )
    return note


def notify_organization(
    organization_id: int, kind: str, *, email: bool = True, **payload: Any
) -> int:
    """Notify every user of an organisation, by default in the app and by mail;
    returns how many were notified (no commit). Decisions about an organisation are
    rare and matter, so they are mailed; mass notices (round results, every
    application that arrives) stay in the app."""
    user_ids = list(
        db.session.scalars(
            sa.select(Membership.user_id).where(Membership.organization_id == organization_id)
        )
    )
    for uid in user_ids:
        notify(uid, kind, email=email, **payload)
    return len(user_ids)


def unread_for(user: User, limit: int = SHOWN) -> list[Notification]:
    """The user's unread notifications, newest first."""
    return list(
        db.session.scalars(
            sa.select(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def open_notification(user: User, notification_id: int) -> Notification:
    """One of the user's own notifications, marked read; 404 when it is not theirs or unknown."""
    note = owned_or_404(Notification, user, Notification.id == notification_id, write=True)
    if note.read_at is None:
        note.read_at = utcnow()
        db.session.commit()
    return note


def mark_all_read(user: User) -> int:
    """Mark every unread notification of the user read; returns how many."""
    result = db.session.execute(
        sa.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    return result.rowcount or 0


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


def _stage(value: str | None) -> str:
    try:
        return str(label(ApplicationStatus(value)))
    except ValueError:
        return value or ""
