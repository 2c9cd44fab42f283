"""Messages on an application: one thread between the order's enterprise and the candidate.

A thread opens once the learner has been told of the application (invited, or they
applied): an enterprise's private shortlist has none, so nobody writes to a learner
who cannot see where the message came from. Messages are plain text (shown escaped),
kept with the application, part of the learner's "export my data" and erased with
the learner's account (see :mod:`matchhub.services.privacy`).

Writing notifies the other side in the app and by mail with the text (sent by a job
after the commit): the learner, or on the enterprise's side the colleagues who already
wrote in the thread (all the organisation's users while nobody has).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from matchhub.extensions import db
from matchhub.models import (
    Application,
    ApplicationMessage,
    ApplicationStatus,
    Membership,
    Role,
    Side,
    User,
    utcnow,
)
from matchhub.security import allowed
from matchhub.services import ServiceError, mail, notifications

#: The longest message, in characters (line breaks count one).
MAX_BODY = 2000
# Control characters other than tab and line feed: nothing a person types, and they
# garble mail and terminals. (NUL never gets this far: security.py refuses it.)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_TOLD = frozenset({ApplicationStatus.INVITED, ApplicationStatus.APPLIED})


def thread_open(app: Application) -> bool:
    """Whether both sides may write on ``app``: the learner was invited or applied at
    some point (so they see it), and still has an account."""
    if app.learner.is_erased:
        return False
    return any(e.to_status in _TOLD for e in app.events)


def side_of(user: User) -> Side:
    """The side ``user`` writes and reads from."""
    return Side.LEARNER if user.role is Role.LEARNER else Side.ENTERPRISE


def clean_body(body: str | None) -> str:
    """The message as stored: Unix line breaks, no control characters, trimmed; a
    ``ServiceError`` on the ``body`` field when empty or longer than :data:`MAX_BODY`."""
    text = _CONTROL.sub("", (body or "").replace("\r\n", "\n").replace("\r", "\n")).strip()
    if not text:
        raise ServiceError(_("Write a message first."), field="body")
    if len(text) > MAX_BODY:
        raise ServiceError(
            _(
                "A message holds at most %(max)s characters; this one has %(count)s.",
                max=MAX_BODY,
                count=len(text),
            ),
            field="body",
        )
    return text


@dataclass(frozen=True)
class Thread:
    """What the application page shows: the messages oldest first, which of them the
    reader had not seen before this visit, and whether the reader may write."""

    messages: list[ApplicationMessage]
    new_ids: frozenset[int]
    open: bool
    side: Side


def open_thread(user: User, app: Application) -> Thread:
    """The thread of ``app`` as ``user`` may read it; the other side's messages are marked
    read (for an enterprise: read by the organisation). ``app`` comes from
    ``applications.readable``; the messages are loaded through the same access rule."""
    side = side_of(user)
    found = list(
        db.session.scalars(
            sa.select(ApplicationMessage)
            .where(
                ApplicationMessage.application_id == app.id,
                allowed(ApplicationMessage, user),
            )
            .options(selectinload(ApplicationMessage.author))
            .order_by(ApplicationMessage.created_at, ApplicationMessage.id)
        )
    )
    new = frozenset(m.id for m in found if m.side is not side and m.read_at is None)
    if new:
        now = utcnow()
        for m in found:
            if m.id in new:
                m.read_at = now
        db.session.commit()
    return Thread(found, new, thread_open(app), side)


def send(app: Application, user: User, body: str | None) -> ApplicationMessage:
    """``user`` (the learner, or a user of the order's enterprise) writes on ``app``'s
    thread; the other side is told in the app and by mail. ``app`` comes from
    ``applications.editable``. Refused on the ``body`` field when the text is empty or
    too long, or when the thread is not open (:func:`thread_open`)."""
    text = clean_body(body)
    if not thread_open(app):
        raise ServiceError(
            _("Messages open once the candidate is invited or applies."), field="body"
        )
    msg = post(app, user, text)
    announce(app, msg)
    db.session.commit()
    return msg


def post(app: Application, user: User, text: str) -> ApplicationMessage:
    """Add an already cleaned message to the thread (flush, no commit, nobody told)."""
    msg = ApplicationMessage(
        application_id=app.id, side=side_of(user), author_id=user.id, body=text
    )
    msg.author = user
    db.session.add(msg)
    db.session.flush()
    return msg


def announce(app: Application, msg: ApplicationMessage, stage: ApplicationStatus | None = None):
    """Tell the other side of ``msg`` in the app and by mail (queued until the commit).

    ``stage`` is the application's new stage when the message goes with a move (a
    bulk action): the one notice then says both, instead of two.
    """
    order = app.order
    payload = {
        "order": order.title,
        "org": order.organization.name,
        "learner": app.learner.full_name,
        "application_id": app.id,
        "side": msg.side.value,
    }
    if stage is not None:
        payload["stage"] = stage.value
    if msg.side is Side.ENTERPRISE:
        recipients = [app.learner.user] if app.learner.user is not None else []
        sender = _sender_name(app, msg)
    else:
        recipients = _enterprise_readers(app)
        sender = app.learner.full_name
    for user in recipients:
        notifications.notify(user.id, "application.message", **payload)
        if user.active:
            mail.queue(
                mail.render(
                    user,
                    "application_message",
                    order=order.title,
                    sender=sender,
                    body=msg.body,
                    stage=stage,
                    application_id=app.id,
                )
            )


def _sender_name(app: Application, msg: ApplicationMessage) -> str:
    org = app.order.organization.name
    if msg.author is None:
        return org
    return f"{msg.author.full_name} ({org})"


def _enterprise_readers(app: Application) -> list[User]:
    """Who on the enterprise's side hears of a learner's message: its users who wrote in
    the thread, or all of them while none has (a first message reaches everyone)."""
    members = list(
        db.session.scalars(
            sa.select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.organization_id == app.order.organization_id)
            .order_by(User.id)
        )
    )
    writers = set(
        db.session.scalars(
            sa.select(ApplicationMessage.author_id).where(
                ApplicationMessage.application_id == app.id,
                ApplicationMessage.side == Side.ENTERPRISE,
            )
        )
    )
    return [u for u in members if u.id in writers] or members


def unread_counts(user: User, application_ids: Iterable[int]) -> dict[int, int]:
    """For each of the applications, how many of the other side's messages ``user``'s side
    has not read (only applications with some; one query)."""
    ids = list(application_ids)
    if not ids:
        return {}
    side = side_of(user)
    rows = db.session.execute(
        sa.select(ApplicationMessage.application_id, sa.func.count())
        .where(
            ApplicationMessage.application_id.in_(ids),
            ApplicationMessage.side != side,
            ApplicationMessage.read_at.is_(None),
            allowed(ApplicationMessage, user),
        )
        .group_by(ApplicationMessage.application_id)
    )
    return dict(rows.all())


def of_applications(application_ids: Iterable[int]) -> dict[int, list[ApplicationMessage]]:
    """The messages of the applications, oldest first, by application (for the learner's
    data export: the caller already holds the learner's own applications)."""
    ids = list(application_ids)
    out: dict[int, list[ApplicationMessage]] = {i: [] for i in ids}
    if not ids:
        return out
    for m in db.session.scalars(
        sa.select(ApplicationMessage)
        .where(ApplicationMessage.application_id.in_(ids))
        .options(selectinload(ApplicationMessage.author))
        .order_by(ApplicationMessage.created_at, ApplicationMessage.id)
    ):
        out[m.application_id].append(m)
    return out
