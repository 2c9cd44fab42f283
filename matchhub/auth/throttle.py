"""Login throttling that slows guessing without letting a stranger lock anyone out.

- **Per address**: only failed attempts count (``LOGIN_LIMIT``, 10 a minute), so a school
  whose pupils all log in from one address is not refused for succeeding; addresses listed
  in ``LOGIN_SHARED_ADDRESSES`` (a school's NAT) get ``LOGIN_SHARED_LIMIT`` instead.
- **Per account**: after ``FREE_FAILURES`` failures within ``WINDOW`` seconds, each further
  failure makes the account wait twice as long as the last (1 s, 2 s, 4 s, … at most
  ``MAX_DELAY``) before a password is checked again. The right password after the wait,
  or at once from a device that has logged in to this account before (a signed cookie),
  still passes: the owner is slowed at worst, never locked out.

Counters live in the rate limiter's storage (memory, or Redis shared by every worker),
keyed by a hash of the email so that no address is written there in clear. If that storage
is down, logins fail open with a logged warning: the per-address limit of Flask-Limiter
behaves the same way, and a province's users must still be able to log in.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

from matchhub.extensions import limiter
from matchhub.services.accounts import normalize_email

FREE_FAILURES = 10
MAX_DELAY = 300  # seconds
WINDOW = 3600  # seconds a failure is remembered
DEVICE_COOKIE = "mh_device"
DEVICE_MAX_AGE = 180 * 24 * 3600
_DEVICE_ACCOUNTS = 5  # accounts one browser remembers


def _id(email: str) -> str:
    return hashlib.sha256(normalize_email(email).encode()).hexdigest()[:32]


def address_limit() -> str:
    """The per-address limit on failed logins: higher for a listed shared address."""
    config = current_app.config
    shared = config.get("LOGIN_SHARED_ADDRESSES") or ()
    if isinstance(shared, str):
        shared = [part for part in shared.replace(",", " ").split() if part]
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return config["LOGIN_LIMIT"]
    for network in shared:
        try:
            if address in ipaddress.ip_network(network, strict=False):
                return config["LOGIN_SHARED_LIMIT"]
        except ValueError:
            current_app.logger.warning("LOGIN_SHARED_ADDRESSES: %r is not a network", network)
    return config["LOGIN_LIMIT"]


def failed(response: Response) -> bool:
    """Flask-Limiter's ``deduct_when``: a login POST that did not log anyone in."""
    return response.status_code != 302


def wait_seconds(email: str) -> int:
    """Seconds the account must still wait before a password is checked (0: none)."""
    if not limiter.enabled:
        return 0
    key = "login-wait:" + _id(email)
    try:
        if limiter.storage.get(key) <= 0:
            return 0
        return max(1, math.ceil(limiter.storage.get_expiry(key) - time.time()))
    except Exception:  # any storage failure: fail open, as the module says
        current_app.logger.warning("login back-off storage unavailable", exc_info=True)
        return 0


def record_failure(email: str) -> None:
    if not limiter.enabled:  # RATELIMIT_ENABLED=False turns the back-off off too
        return
    try:
        failures = limiter.storage.incr("login-fail:" + _id(email), WINDOW)
        if failures >= FREE_FAILURES:
            delay = min(2 ** (failures - FREE_FAILURES), MAX_DELAY)
            wait_key = "login-wait:" + _id(email)
            limiter.storage.clear(wait_key)
            limiter.storage.incr(wait_key, delay)
    except Exception:  # see wait_seconds
        current_app.logger.warning("login back-off storage unavailable", exc_info=True)


def record_success(email: str) -> None:
    if not limiter.enabled:
        return
    try:
        for prefix in ("login-fail:", "login-wait:"):
            limiter.storage.clear(prefix + _id(email))
    except Exception:  # see wait_seconds
        current_app.logger.warning("login back-off storage unavailable", exc_info=True)


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="known-device")


def _known() -> list[str]:
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return []
    try:
        value = _serializer().loads(raw)
    except BadSignature:
        return []
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def known_device(email: str) -> bool:
    """Whether this browser has logged in to the account before."""
    return _id(email) in _known()


def remember_device(response: Response, email: str) -> None:
    """Mark this browser as known to the account (after a successful login)."""
    ids = [_id(email), *(i for i in _known() if i != _id(email))][:_DEVICE_ACCOUNTS]
    response.set_cookie(
        DEVICE_COOKIE,
        _serializer().dumps(ids),
        max_age=DEVICE_MAX_AGE,
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        samesite="Lax",
    )
