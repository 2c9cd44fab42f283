"""Accounts: registration, login, passwords."""

from __future__ import annotations

import gzip
import hashlib
import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.security import check_password_hash, generate_password_hash

from matchhub.extensions import db
from matchhub.matching.text import fold
from matchhub.models import (
    Learner,
    Membership,
    Organization,
    OrgKind,
    OrgRole,
    Role,
    User,
    VerificationState,
    Visibility,
    utcnow,
)
from matchhub.services import ServiceError, audit

MIN_PASSWORD_LENGTH = 10
#: SecLists' common passwords (414,614 distinct, lowercased; NOTICE names the source).
_COMMON_PASSWORDS = Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt.gz"
#: What is left of a password once the user's own name and email are taken out must be
#: at least this long.
_MIN_OWN_REST = 6


def _digest(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")


@lru_cache(maxsize=1)
def _common_passwords() -> np.ndarray:
    """The list as a sorted array of 64-bit hashes: 3.3 MB per process, where a frozenset
    of the strings takes 41 MB. Read once per process (about a second)."""
    words = gzip.decompress(_COMMON_PASSWORDS.read_bytes()).decode("utf-8").split("\n")
    return np.unique(np.fromiter((_digest(w) for w in words if w), dtype=np.uint64))


def is_common_password(word: str) -> bool:
    """Whether ``word`` (any case) is on the common-password list. O(log n)."""
    table = _common_passwords()
    key = np.uint64(_digest(unicodedata.normalize("NFC", word).lower()))
    i = int(np.searchsorted(table, key))
    return i < len(table) and table[i] == key


def normalize_email(email: str) -> str:
    return email.strip().lower()


def _letters(text: str) -> str:
    return "".join(c for c in fold(text) if c.isalnum())


def _is_monotonous(text: str) -> bool:
    """Repeated (``aaaa``, ``abcabc…``) or consecutive (``abcd``, ``12345678901``, ``9876``)
    characters, allowing one break (``1234567890abcd``)."""
    n = len(text)
    for period in range(1, n // 2 + 1):
        if all(text[i] == text[i - period] for i in range(period, n)):
            return True
    breaks = 0
    for a, b in itertools.pairwise(text):
        step = ord(b) - ord(a)
        if a.isdigit() and b.isdigit():
            step = (step + 10) % 10  # 9 → 0 continues 7, 8, 9, 0, 1
            step = step - 10 if step > 5 else step
        if step not in (-1, 0, 1):
            breaks += 1
    return breaks <= 1


def _is_common_with_affixes(word: str) -> bool:
    """A common password with digits or symbols stuck on either end (``monkey2024!``)."""
    core = re.sub(r"^[\W\d_]+|[\W\d_]+$", "", word)
    return core != word and len(core) >= 4 and is_common_password(core)


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why ``password`` is refused, translated, or ``None`` when it is acceptable.

    Refused: shorter than :data:`MIN_PASSWORD_LENGTH`; on the common-password list,
    alone or with digits and symbols around it; made of the account's ``email``
    (or its local part) or ``name`` with little else; repeated or consecutive
    characters.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        return _("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH)
    if is_common_password(password) or _is_common_with_affixes(password.lower()):
        return _("This password is among the most common ones. Choose another.")
    flat = _letters(password)
    if _is_monotonous(password.lower()) or (len(flat) >= 4 and _is_monotonous(flat)):
        return _(
            "This password is only repeated or consecutive characters (such as “aaaa” or "
            "“1234”). Choose another."
        )
    own = [_letters(email), _letters(email.partition("@")[0]), _letters(name)]
    own += [w for w in (_letters(w) for w in fold(name).split()) if len(w) >= 3]
    rest = flat
    for token in sorted({t for t in own if len(t) >= 3}, key=len, reverse=True):
        rest = rest.replace(token, "")
    if rest != flat and (len(rest) < _MIN_OWN_REST or _is_monotonous(rest)):
        return _("This password is made of your email address or your name. Choose another.")
    return None


def hash_password(password: str) -> str:
    return generate_password_hash(password)


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalize_email(email)))


def load_user_for_session(user_id: str) -> User | None:
    """Flask-Login's loader: ``id:version``; a bumped version ends old sessions."""
    try:
        raw_id, raw_version = user_id.split(":", 1)
        uid, version = int(raw_id), int(raw_version)
    except ValueError:
        return None
    user = db.session.get(User, uid)
    if user is None or user.session_version != version:
        return None
    return user


@dataclass(frozen=True)
class Registration:
    role: Role
    email: str
    password: str
    full_name: str
    organization_name: str | None = None
    tax_code: str | None = None
    locality: str | None = None
    sector: str | None = None
    locale: str | None = None


def register(data: Registration) -> User | None:
    """Create a user; an enterprise or college user also creates their (pending) organisation.

    The account cannot log in before its owner follows the link mailed to the address
    (:mod:`matchhub.services.confirmation`), so registering proves nothing about who
    has an account: the caller answers every address the same way.

    ``None`` when the email already has a confirmed account: the owner is told by mail
    (:func:`existing_account_notice`). An account still waiting for confirmation is
    taken over by the new registration (its password and name; earlier links die), so
    someone who registered another person's address first cannot keep the account once
    its owner confirms it. The password is hashed either way, so that every answer takes
    the same time.
    """
    if data.role is Role.ADMIN:
        raise ServiceError(_("This kind of account cannot be registered."))
    problem = password_problem(data.password, email=data.email, name=data.full_name)
    if problem:
        raise ServiceError(problem, field="password")
    email = normalize_email(data.email)
    password_hash = hash_password(data.password)
    existing = get_user_by_email(email)
    if existing is not None:
        if existing.email_confirmed_at is not None or not existing.active:
            return None
        existing.password_hash = password_hash
        existing.full_name = data.full_name.strip()
        existing.locale = data.locale
        end_sessions(existing)  # the links mailed for the earlier registration stop working
        audit.record("account.register_again", actor=existing, obj=existing)
        db.session.commit()
        return existing

    user = User(
        email=email,
        password_hash=password_hash,
        full_name=data.full_name.strip(),
        role=data.role,
        locale=data.locale,
    )
    db.session.add(user)
    org = None
    if data.role in (Role.ENTERPRISE, Role.COLLEGE):
        org = Organization(
            kind=OrgKind(data.role.value),
            name=(data.organization_name or "").strip(),
            tax_code=(data.tax_code or None),
            locality=data.locality or "",
            sector=data.sector,
            state=VerificationState.PENDING,
        )
        db.session.add(org)
        db.session.add(Membership(user=user, organization=org, org_role=OrgRole.OWNER))
    elif data.role is Role.LEARNER:
        db.session.add(
            Learner(
                user=user,
                full_name=user.full_name,
                email=email,
                locality=data.locality,
                visibility=Visibility.HIDDEN,  # nothing is shown before the learner consents
            )
        )
    db.session.flush()
    audit.record("account.register", actor=user, organization_id=org.id if org else None, obj=user)
    db.session.commit()
    return user


class OrganizationSuspended(ServiceError):
    """The password was right, but the user's organisation is suspended."""


class EmailNotConfirmed(ServiceError):
    """The password was right, but the address was never confirmed."""


def suspended_message(org: Organization) -> str:
    """What a member of suspended ``org`` is told at login: why they are out, whom to ask."""
    contact = current_app.config.get("SUPPORT_CONTACT") or _("the province office")
    message = _(
        "Your organisation %(name)s is suspended by the province office, so its accounts "
        "cannot log in. To find out more or to have it lifted, contact %(contact)s.",
        name=org.name,
        contact=contact,
    )
    if org.state_reason:
        reason = _("Reason given by the province office: %(reason)s", reason=org.state_reason)
        message = f"{message} {reason}"
    return message


def authenticate(email: str, password: str) -> User | None:
    """The user when ``email``/``password`` match an active account; every attempt is audited.

    Raises :class:`EmailNotConfirmed` or :class:`OrganizationSuspended` (with what to
    tell the user) when the password is right but the address was never confirmed or the
    organisation is suspended; ``None`` for anything else, a wrong password first.
    """
    user = get_user_by_email(email)
    ok = user is not None and check_password_hash(user.password_hash, password)
    if not ok:
        # Hash anyway so that timing does not reveal whether the email exists.
        if user is None:
            check_password_hash(_dummy_hash(), password)
        audit.record("auth.login_failed", actor=user, email=normalize_email(email)[:254])
        db.session.commit()
        return None
    if not user.active:
        audit.record("auth.login_refused", actor=user)
        db.session.commit()
        return None
    if user.email_confirmed_at is None:
        # After the password check: only someone who knows it learns the address waits.
        audit.record("auth.login_refused", actor=user, reason="email_not_confirmed")
        db.session.commit()
        raise EmailNotConfirmed(
            _(
                "Confirm your email address first: follow the link we sent to it when you "
                "registered."
            )
        )
    if _organization_suspended(user):
        # Only someone who knows the password gets here, so saying why reveals nothing.
        audit.record("auth.login_refused", actor=user, reason="organization_suspended")
        db.session.commit()
        raise OrganizationSuspended(suspended_message(user.organization))
    user.last_login_at = utcnow()
    audit.record("auth.login", actor=user)
    db.session.commit()
    return user


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return generate_password_hash("not-a-real-password-at-all")


def _organization_suspended(user: User) -> bool:
    org = user.organization
    return org is not None and org.state is VerificationState.SUSPENDED


def record_logout(user: User) -> None:
    """Log out everywhere: a copied session cookie or remember token stops working too."""
    end_sessions(user)
    audit.record("auth.logout", actor=user)
    db.session.commit()


def end_sessions(user: User) -> None:
    """Bump the session version: every session and remember cookie of ``user`` names the
    old one, so :func:`load_user_for_session` refuses them from the next request on."""
    user.session_version = (user.session_version or 0) + 1


def change_password(user: User, current: str, new: str, *, keep_api_tokens: bool = False) -> None:
    """Change the password after checking the current one; every session ends, and every
    API token is revoked unless the user keeps them."""
    if not check_password_hash(user.password_hash, current):
        raise ServiceError(_("The current password is wrong."), field="current_password")
    problem = password_problem(new, email=user.email, name=user.full_name)
    if problem:
        raise ServiceError(problem, field="new_password")
    _set_password(user, new, keep_api_tokens)
    audit.record("account.password_changed", actor=user, obj=user, kept_api_tokens=keep_api_tokens)
    db.session.commit()


def _set_password(user: User, password: str, keep_api_tokens: bool) -> None:
    from matchhub.services import api_tokens

    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    end_sessions(user)
    if not keep_api_tokens:
        # whoever learnt the old password may have made a token with it
        api_tokens.revoke_all(user)


def set_locale(user: User, locale: str) -> None:
    if locale in current_app.config["LANGUAGES"]:
        user.locale = locale
        db.session.commit()


def link_token(purpose: str, data: dict) -> str:
    """A signed, timestamped token for a link mailed to an account (a reset, a
    confirmation). ``purpose`` salts the signature: a link of one kind never passes as
    another."""
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose).dumps(data)


def read_link_token(purpose: str, token: str, max_age: int, *, expired: str, invalid: str) -> dict:
    """What :func:`link_token` signed; ``ServiceError(expired)`` after ``max_age`` seconds,
    ``ServiceError(invalid)`` when tampered with or made for another purpose."""
    serializer = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)
    try:
        data = serializer.loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise ServiceError(expired) from exc
    except BadSignature as exc:
        raise ServiceError(invalid) from exc
    if not isinstance(data, dict):
        raise ServiceError(invalid)
    return data


def password_reset_token(user: User) -> str:
    """A signed token, valid for an hour and only until the password changes."""
    return link_token("password-reset", {"uid": user.id, "v": user.session_version})


def existing_account_notice(email: str) -> User | None:
    """The active owner of ``email`` to tell that someone tried to register it (audited)."""
    user = get_user_by_email(email)
    if user is None or not user.active:
        return None
    audit.record("account.register_existing", actor=None, obj=user)
    db.session.commit()
    return user


def request_password_reset(email: str) -> tuple[User, str] | None:
    """The user and a reset token when the email is known (the caller sends the link)."""
    user = get_user_by_email(email)
    if user is None or not user.active:
        return None
    audit.record("account.password_reset_requested", actor=user, obj=user)
    db.session.commit()
    return user, password_reset_token(user)


def reset_password(token: str, new: str, *, keep_api_tokens: bool = False) -> User:
    """Set a new password from a reset token; the token dies with the change."""
    data = read_link_token(
        "password-reset",
        token,
        current_app.config["PASSWORD_RESET_MAX_AGE"],
        expired=_("This reset link has expired. Ask for a new one."),
        invalid=_("This reset link is not valid."),
    )
    user = db.session.get(User, data.get("uid"))
    if user is None or user.session_version != data.get("v"):
        raise ServiceError(_("This reset link has already been used."))
    problem = password_problem(new, email=user.email, name=user.full_name)
    if problem:
        raise ServiceError(problem, field="password")
    _set_password(user, new, keep_api_tokens)
    if user.email_confirmed_at is None:  # the link was mailed to the address: proven too
        user.email_confirmed_at = utcnow()
    audit.record("account.password_reset", actor=user, obj=user, kept_api_tokens=keep_api_tokens)
    db.session.commit()
    return user


def create_admin(email: str, full_name: str, password: str) -> User:
    """Create a province-office (admin) account; the CLI's way in, since nobody may register one.

    Refuses a weak password and an email already in use (``ServiceError``).
    """
    problem = password_problem(password, email=email, name=full_name)
    if problem:
        raise ServiceError(problem, field="password")
    email = normalize_email(email)
    if not email or "@" not in email:
        raise ServiceError(_("Enter a valid email address."), field="email")
    if get_user_by_email(email) is not None:
        raise ServiceError(_("An account with this email already exists."), field="email")
    if not full_name.strip():
        raise ServiceError(_("Enter a name."), field="full_name")
    user = User(
        email=email,
        password_hash=hash_password(password),
        full_name=full_name.strip(),
        role=Role.ADMIN,
        email_confirmed_at=utcnow(),  # made from the command line by someone who knows it
    )
    db.session.add(user)
    db.session.flush()
    audit.record("account.admin_created", actor=user, obj=user)
    db.session.commit()
    return user
