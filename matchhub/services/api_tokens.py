"""Personal API tokens: create, list, revoke, and authenticate a request by one.

A token is ``mh_`` + 43 random URL-safe characters (256 bits). Only its SHA-256
is stored: a slow password hash buys nothing against a secret this long, and a
lookup by hash is one indexed query. The raw token is shown once, at creation.
A token acts as its user with that user's role and organisation, so every check
the web pages make applies to the API too; it dies with the user's deactivation,
a revocation, its expiry date or a password change (unless the user keeps their
tokens), and answers nothing while the user's organisation is suspended.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from matchhub.extensions import db
from matchhub.models import ApiToken, User, VerificationState, utcnow
from matchhub.security import owned_or_404
from matchhub.services import ServiceError, audit

PREFIX = "mh_"
#: Active tokens one user may hold at once.
MAX_ACTIVE = 10
#: Lifetimes a user may choose, in days (``None``: until revoked).
LIFETIMES = (30, 90, 365, None)
#: What a token may be allowed, chosen when it is made: reading, or reading and writing
#: (creating and publishing orders, importing cohorts). ``write`` always comes with ``read``.
SCOPES = ("read", "write")
# Writing last_used_at on every call would turn each API read into a write.
_TOUCH_EVERY = timedelta(minutes=5)


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _active():
    now = utcnow()
    return sa.and_(
        ApiToken.revoked_at.is_(None),
        sa.or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > now),
    )


def tokens_of(user: User) -> list[ApiToken]:
    """The user's tokens that still work, newest first."""
    return list(
        db.session.scalars(
            sa.select(ApiToken)
            .where(ApiToken.user_id == user.id, _active())
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def create_token(
    user: User, name: str, days: int | None, scopes: tuple[str, ...] = ("read",)
) -> tuple[ApiToken, str]:
    """A new token for ``user`` allowed ``scopes``; returns it with the raw secret (shown
    once). Audited."""
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("Give the token a name."), field="name")
    if days not in LIFETIMES:
        raise ServiceError(_("Choose one of the offered lifetimes."), field="lifetime")
    if not scopes or any(s not in SCOPES for s in scopes):
        raise ServiceError(_("Choose what the token may do."), field="scopes")
    scopes = tuple(s for s in SCOPES if s in scopes or s == "read")
    if len(tokens_of(user)) >= MAX_ACTIVE:
        raise ServiceError(
            _("You already have %(n)d active tokens: revoke one first.", n=MAX_ACTIVE)
        )
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name[:80],
        prefix=raw[:10],
        token_hash=_digest(raw),
        expires_at=utcnow() + timedelta(days=days) if days else None,
        scopes=" ".join(scopes),
    )
    db.session.add(token)
    db.session.flush()
    audit.record("api_token.created", actor=user, obj=token, name=token.name, scopes=token.scopes)
    db.session.commit()
    return token, raw


def revoke(user: User, token_id: int) -> bool:
    """Revoke one of the user's own tokens (404 when it is not theirs or unknown); False when
    it is already revoked."""
    token = owned_or_404(ApiToken, user, ApiToken.id == token_id, write=True)
    if token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    audit.record("api_token.revoked", actor=user, obj=token, name=token.name)
    db.session.commit()
    return True


def revoke_all(user: User) -> int:
    """Revoke every working token of ``user`` (password change or reset); the caller commits."""
    now = utcnow()
    revoked = tokens_of(user)
    for token in revoked:
        token.revoked_at = now
    if revoked:
        audit.record("api_token.revoked_all", actor=user, obj=user, count=len(revoked))
    return len(revoked)


def find(raw: str | None) -> ApiToken | None:
    """The working token ``raw`` is (unknown, revoked, expired: ``None``); its user unchecked."""
    if not raw or not raw.startswith(PREFIX) or len(raw) > 100:
        return None
    return db.session.scalar(
        sa.select(ApiToken).where(ApiToken.token_hash == _digest(raw), _active())
    )


def authenticate(raw: str | None) -> User | None:
    """The user a raw token acts for, or ``None``: see :func:`use`."""
    token = find(raw)
    return use(token) if token is not None else None


def use(token: ApiToken) -> User | None:
    """The user ``token`` acts for, or ``None`` when the user is deactivated or their
    organisation suspended (a suspended organisation is refused at login too)."""
    user = token.user
    org = user.organization
    if not user.active or (org is not None and org.state is VerificationState.SUSPENDED):
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > _TOUCH_EVERY:
        token.last_used_at = now
        db.session.commit()
    return token.user
