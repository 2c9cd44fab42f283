"""The JSON API, ``/api/v1``: what the pages offer, for other systems (an enterprise's
HR system, a college's student records, the province's statistics office).

Every call carries a personal token (``Authorization: Bearer mh_…``, created on the
account's "API tokens" page) and acts as that token's user, so the role and
organisation checks of the pages apply unchanged. Session cookies are ignored, so
no CSRF token is needed and a browser cannot be tricked into calling the API.
Errors are JSON, ``{"error": {"status", "message"}}``, in the user's language.
The contract is ``/api/v1/openapi.json`` (see :mod:`matchhub.api.openapi`).
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, g, jsonify, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from matchhub.extensions import csrf, limiter
from matchhub.services import api_tokens

bp = Blueprint("api", __name__)

#: Calls one token may make per minute (per client address without a valid token);
#: ``API_RATE_LIMIT`` in the config overrides it.
RATE_LIMIT = "300 per minute"
#: Endpoints anyone may read without a token.
PUBLIC = frozenset({"api.openapi"})


def _rate_limit() -> str:
    return current_app.config.get("API_RATE_LIMIT") or RATE_LIMIT


def _request_token():
    """The working token this request carries, looked up once per request.

    ``Bearer`` is matched in any case and with any spacing, as RFC 7235 allows; the rate
    limit (which runs before :func:`_authenticate`) and the authentication share the answer.
    """
    if "api_token" not in g:
        parts = request.headers.get("Authorization", "").split(None, 1)
        valid = len(parts) == 2 and parts[0].lower() == "bearer"
        g.api_token = api_tokens.find(parts[1].strip()) if valid else None
    return g.api_token


def _rate_key() -> str:
    # Keyed on the token itself, so that rewriting the header gets no fresh quota; calls
    # without a working token share their address's quota.
    token = _request_token()
    if token is not None:
        return f"api-token:{token.id}"
    return "api-ip:" + (request.remote_addr or "")


def error(status: int, message: str) -> Response:
    """A JSON error response."""
    response = jsonify(error={"status": status, "message": message})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="MatchHub API"'
    return response


@bp.before_request
def _authenticate():
    if request.endpoint in PUBLIC:
        return None
    token = _request_token()
    user = api_tokens.use(token) if token is not None else None
    if user is None:
        return error(401, _("Send a valid API token in the header: Authorization: Bearer mh_…"))
    # Flask-Login reads the request's user from g._login_user; setting it here (and never
    # touching the session) makes current_user the token's user for this request only.
    g._login_user = user
    return None


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    from matchhub.errors import MESSAGES

    code = exc.code or 500
    if exc.description != type(exc).description:  # ours, translated where it was raised
        return error(code, str(exc.description))
    message = MESSAGES.get(code, MESSAGES[500])[1]
    return error(code, str(message))


def init_app(app) -> None:
    """Register the blueprint under ``/api/v1``: no CSRF, its own rate limit."""
    from matchhub.api import routes  # noqa: F401  (the routes register on bp)

    csrf.exempt(bp)
    limiter.limit(_rate_limit, key_func=_rate_key)(bp)
    app.register_blueprint(bp, url_prefix="/api/v1")
