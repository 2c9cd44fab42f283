"""Security headers on every response, input every view can trust, and the one ownership
check every view uses.

Input guards (here, once, rather than in each view):

- a NUL byte (or, in JSON, a lone surrogate) anywhere in the path, the query string, a form
  field or a JSON body is refused with 400: PostgreSQL cannot store NUL in text and no
  legitimate client sends one;
- ``request.args.get(name, type=int)`` and ``request.form.get(..., type=int)`` treat an integer
  beyond the database's 32-bit columns (or a non-finite float) as absent, like any other value
  that does not convert, so ``page=10**20`` is page 1 and not an overflow in the query;
- ``<int:…>`` in a URL matches only what a 32-bit key can hold (404 beyond it).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from flask import Flask, abort, request
from flask import Request as FlaskRequest
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

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


#: The largest value an integer column (and so an id, a page, a year) holds on PostgreSQL.
MAX_INT = 2**31 - 1
_FORBIDDEN = re.compile("[\x00\ud800-\udfff]")


class BoundedArgs(ImmutableMultiDict):
    """Query and form values whose typed ``get`` refuses numbers no column can hold."""

    def get(self, key, default=None, type=None):
        value = super().get(key, default, type)
        if type is None or value is default:
            return value
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
            return default
        if isinstance(value, float) and not math.isfinite(value):
            return default
        return value


class Request(FlaskRequest):
    parameter_storage_class = BoundedArgs


class BoundedIntConverter(IntegerConverter):
    """``<int:…>`` up to :data:`MAX_INT`: a larger id cannot exist, so it is a 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_INT, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def _has_forbidden(value) -> bool:
    if isinstance(value, str):
        return _FORBIDDEN.search(value) is not None
    if isinstance(value, dict):
        return any(_has_forbidden(k) or _has_forbidden(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_forbidden(v) for v in value)
    return False


def _refuse_forbidden_characters():
    suspects = [request.path]
    for source in (request.args, request.form):
        for key, values in source.lists():
            suspects.append(key)
            suspects.extend(values)
    if request.is_json:
        suspects.append(request.get_json(silent=True))
    if any(_has_forbidden(value) for value in suspects):
        raise BadRequest(_("The request contains a character that is not allowed (NUL)."))


def init_app(app: Flask) -> None:
    app.request_class = Request
    app.before_request(_refuse_forbidden_characters)
    app.after_request(_headers)


def register_converters(app: Flask) -> None:
    """Before any blueprint registers a route: URL converters apply when rules are added."""
    app.url_map.converters["int"] = BoundedIntConverter


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
