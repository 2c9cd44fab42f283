"""The JSON API, ``/api/v1``: what the pages offer, for other systems (an enterprise's
HR system, a college's student records, the province's statistics office).

Every call carries a personal token (``Authorization: Bearer mh_…``, created on the
account's "API tokens" page) and acts as that token's user, so the role and
organisation checks of the pages apply unchanged. Session cookies are ignored, so
no CSRF token is needed and a browser cannot be tricked into calling the API.
Errors are JSON, ``{"error": {"status", "message"}}``, in the user's language.
A token carries scopes chosen when it was made: every token reads; only a token with
the ``write`` scope may call the routes marked :func:`writes`.

Routes are declared with flask-smorest: the query strings and bodies they accept
(:mod:`matchhub.api.inputs`) and the answers they give (:mod:`matchhub.api.schemas`)
are marshmallow schemas, and the contract, ``/api/v1/openapi.json``, is generated from
them (:mod:`matchhub.api.spec`).
"""

from __future__ import annotations

from flask import Response, current_app, g, jsonify, request
from flask_babel import gettext as _
from flask_smorest import Api, Blueprint
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import HTTPException

from matchhub.api.schemas import Error
from matchhub.extensions import csrf, limiter
from matchhub.services import ServiceError, api_tokens


class _Parser(FlaskParser):
    # Bad input is a 400, like every other refusal of the API (webargs says 422).
    DEFAULT_VALIDATION_STATUS = 400


class _Blueprint(Blueprint):
    ARGUMENTS_PARSER = _Parser()


class _Api(Api):
    ERROR_SCHEMA = Error

    def _register_error_handlers(self) -> None:
        # flask-smorest would answer every error of the whole site in its own JSON
        # shape; the blueprint's handler below answers the API's, the pages keep theirs.
        pass


bp = _Blueprint("api", __name__, description="MatchHub API")
api = _Api()

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


def error(status: int, message: str, **extra) -> Response:
    """A JSON error response: ``{"error": {"status", "message", ...extra}}``."""
    response = jsonify(error={"status": status, "message": message, **extra})
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
    view = current_app.view_functions.get(request.endpoint)
    scope = getattr(view, "api_scope", "read")
    if not token.allows(scope):
        return error(
            403,
            _("This token may only read. Create a token that may also write on the API page."),
        )
    # Flask-Login reads the request's user from g._login_user; setting it here (and never
    # touching the session) makes current_user the token's user for this request only.
    g._login_user = user
    return None


def writes(view):
    """Mark a route as writing: only a token with the ``write`` scope may call it.

    Put it right above the ``def``, below flask-smorest's decorators, which copy the mark.
    """
    view.api_scope = "write"
    view._apidoc = {
        **getattr(view, "_apidoc", {}),
        "manual_doc": {"security": [{"token": ["write"]}]},
    }
    return view


def _leaves(messages):
    """Every message of a marshmallow error tree, depth first."""
    if isinstance(messages, dict):
        for value in messages.values():
            yield from _leaves(value)
    elif isinstance(messages, list | tuple):
        for value in messages:
            yield from _leaves(value)
    else:
        yield str(messages)


def _validation_error(code: int, messages: dict) -> Response:
    # webargs nests the messages under the location (json, query, files): a field's
    # name is the key below it.
    by_field = {}
    for location, problems in messages.items():
        if isinstance(problems, dict):
            for name, value in problems.items():
                by_field[str(name)] = list(_leaves(value))
        else:
            by_field[location] = list(_leaves(problems))
    if "json" in by_field and by_field["json"] == ["Invalid JSON body."]:
        return error(code, _("The body is not valid JSON."))
    first = next((m for ms in by_field.values() for m in ms), _("Bad request"))
    return error(code, first, fields=by_field)


@bp.errorhandler(ServiceError)
def _refused(exc: ServiceError):
    extra = {"field": exc.field} if exc.field else {}
    return error(400, exc.message, **extra)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    from matchhub.errors import MESSAGES

    code = exc.code or 500
    messages = (getattr(exc, "data", None) or {}).get("messages")
    if isinstance(messages, dict):
        return _validation_error(code, messages)
    if exc.description != type(exc).description:  # ours, translated where it was raised
        return error(code, str(exc.description))
    message = MESSAGES.get(code, MESSAGES[500])[1]
    return error(code, str(message))


def init_app(app) -> None:
    """Register the blueprint under ``/api/v1``: no CSRF, its own rate limit, its
    OpenAPI document generated from the routes' schemas."""
    from matchhub.api import import_routes, order_routes, routes, spec  # noqa: F401

    csrf.exempt(bp)
    limiter.limit(_rate_limit, key_func=_rate_key)(bp)
    api.init_app(app, spec_kwargs=spec.SPEC_KWARGS)
    api.register_blueprint(bp, url_prefix="/api/v1")
    # flask-smorest's `flask openapi print` shows its raw document, not the one served
    # (paths relative to the server, the errors every call may meet): one contract only.
    app.cli.commands.pop("openapi", None)
