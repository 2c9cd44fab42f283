"""In-app notifications: the platform telling a user about a decision that concerns them.

A notification is data: its ``kind`` and a JSON payload. Its wording, in the
reader's language, is the presentation's (``matchhub.notifications.wording``,
used by the dashboard box and the mail template).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from matchhub.extensions import db
from matchhub.models import Membership, Notification, User, utcnow
from matchhub.security import owned_or_404
from matchhub.services import mail

# How many unread notifications a dashboard shows at most.
SHOWN = 20


def notify(
    user: User | int,
    kind: str,
    *,
    email: bool = False,
    attachments: tuple[mail.Attachment, ...] = (),
    **payload: Any,
) -> Notification:
    """Queue a notification of ``kind`` for ``user`` in the current transaction (no commit).

    ``payload`` must be JSON-serialisable: it fills the translated wording of
    ``kind`` when the user reads it (``matchhub.notifications.wording``). With
    ``email`` the user also gets it by mail, in their language, once the
    transaction commits, with ``attachments`` (an interview's .ics).
    """
    user_id = user if isinstance(user, int) else user.id
    note = Notification(user_id=user_id, kind=kind, payload=payload)
    db.session.add(note)
    if email:
        recipient = user if isinstance(user, User) else db.session.get(User, user_id)
        if recipient is not None and recipient.active:
            message = mail.render(recipient, "notification", note=note)
            mail.queue(replace(message, attachments=tuple(attachments)))
    return note


def notify_organization(
    organization_id: int,
    kind: str,
    *,
    email: bool = True,
    mail_user_ids: Collection[int] = (),
    attachments: tuple[mail.Attachment, ...] = (),
    **payload: Any,
) -> int:
    """Notify every user of an organisation, by default in the app and by mail;
    returns how many were notified (no commit). Decisions about an organisation are
    rare and matter, so they are mailed; mass notices (round results, every
    application that arrives) stay in the app. ``mail_user_ids`` are mailed (with
    ``attachments``) even when ``email`` is off: the one person a matter is theirs
    (the HR officer who organises an interview)."""
    user_ids = list(
        db.session.scalars(
            sa.select(Membership.user_id).where(Membership.organization_id == organization_id)
        )
    )
    for uid in user_ids:
        mailed = email or uid in mail_user_ids
        notify(uid, kind, email=mailed, attachments=attachments if mailed else (), **payload)
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
