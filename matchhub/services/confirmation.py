"""Email confirmation: a registered account proves its address before it can log in.

Registration answers every address the same way (see :func:`accounts.register`); what
tells a new account from a taken one happens in a job, by mail: the owner of a new
account gets a link (:func:`link_token`), the owner of an existing one a notice. The
link is signed, expires after ``EMAIL_CONFIRM_MAX_AGE`` and works once; it names the
account's session version, so a later registration of the same unconfirmed address
(which takes the account over) kills the earlier links.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from matchhub.extensions import db
from matchhub.models import User, utcnow
from matchhub.services import ServiceError, accounts, audit

PURPOSE = "email-confirm"


def link_token(user: User, next_url: str | None = None) -> str:
    """The token of the confirmation link; ``next_url`` is where it leads afterwards (the
    caller checks it is a local address when the link is followed)."""
    return accounts.link_token(
        PURPOSE, {"uid": user.id, "v": user.session_version, "next": next_url or None}
    )


def waiting(email: str) -> User | None:
    """The active account of ``email`` that still waits for confirmation, if any."""
    user = accounts.get_user_by_email(email)
    if user is None or not user.active or user.email_confirmed_at is not None:
        return None
    return user


def confirm(token: str) -> tuple[User, str | None]:
    """Confirm the address the link was sent to; the user and where to go next."""
    data = accounts.read_link_token(
        PURPOSE,
        token,
        current_app.config["EMAIL_CONFIRM_MAX_AGE"],
        expired=_("This confirmation link has expired. Log in to have a new one sent."),
        invalid=_("This confirmation link is not valid."),
    )
    user = db.session.get(User, data.get("uid"))
    if user is not None and user.email_confirmed_at is not None:
        # A link lying in a mailbox must not stay a way to log in.
        raise ServiceError(_("This confirmation link has already been used. Log in."))
    if user is None or not user.active or user.session_version != data.get("v"):
        raise ServiceError(_("This confirmation link is not valid."))
    mark_confirmed(user)
    audit.record("account.email_confirmed", actor=user, obj=user)
    db.session.commit()
    next_url = data.get("next")
    return user, next_url if isinstance(next_url, str) else None


def mark_confirmed(user: User) -> None:
    """The address is proven (a confirmation link, or another link mailed to it)."""
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
