"""Security headers on every response, and the one ownership check every view uses."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, abort, request
from flask_login import current_user

from matchhub.models import Organization, Role

# No inline script anywhere: every script is a file under /static.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def _headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    # Pages show personal data: never keep them in shared caches.
    if not request.path.startswith("/static/"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    app.after_request(_headers)


def require(roles: Iterable[Role] | Role, organization: Organization | None = None) -> None:
    """Abort unless the user has one of ``roles`` and, when given, belongs to ``organization``.

    Unauthenticated users get 401 (Flask-Login turns it into the login page);
    a wrong role gets 403; an object of another organisation answers 404 so
    that its existence is not revealed.
    """
    if not current_user.is_authenticated:
        abort(401)
    allowed = {roles} if isinstance(roles, Role) else set(roles)
    if current_user.role not in allowed:
        abort(403)
    if organization is not None:
        own = current_user.organization
        if own is None or own.id != organization.id:
            abort(404)
