"""Error pages, in the visitor's language."""

from __future__ import annotations

from flask import Flask, current_app, g, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException

#: Seconds a client is asked to wait when the database is unreachable.
RETRY_AFTER = 30

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood.")),
    401: (_l("Not signed in"), _l("Log in, or send a valid API token.")),
    403: (_l("Access denied"), _l("You do not have permission to open this page.")),
    404: (
        _l("Page not found"),
        _l("The page you asked for does not exist or is not yours to see."),
    ),
    405: (_l("Method not allowed"), _l("This address does not accept that kind of request.")),
    413: (_l("File too large"), _l("The upload is larger than the allowed size.")),
    429: (
        _l("Too many attempts"),
        _l("Too many requests in a short time. Wait a minute and try again."),
    ),
    500: (_l("Something went wrong"), _l("An unexpected error occurred. The team has been told.")),
    503: (
        _l("Service unavailable"),
        _l("The service is temporarily unavailable. Try again shortly."),
    ),
}


def _render(code: int, detail: str | None = None):
    title, text = MESSAGES.get(code, MESSAGES[500])
    if request.path.startswith("/api/"):
        # an API client gets JSON even for an address no route matches
        from matchhub.api import error

        return error(code, str(detail or text))
    return render_template("errors/error.html", code=code, title=title, text=detail or text), code


def init_app(app: Flask) -> None:
    @app.errorhandler(401)
    def unauthorized(error):
        if request.path.startswith("/api/"):
            return _render(401)
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _render(
            400,
            str(
                _l(
                    "The form expired or was not sent from this site. "
                    "Reload the page and try again."
                )
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        # A description set where the error was raised is ours and translated; Werkzeug's
        # class defaults are English, so the page's own text replaces them.
        own = error.description if error.description != type(error).description else None
        return _render(error.code, own)

    @app.errorhandler(500)
    def server_error(error):
        return _render(500)

    # The database unreachable (server down, network cut, pool exhausted, SQLite file gone),
    # wherever in the request it shows: a translated 503 that asks to retry, not a 500 with
    # a stack trace. The pool's pre-ping reconnects on the next request once it is back.
    app.register_error_handler(sa_exc.OperationalError, database_unavailable)
    app.register_error_handler(sa_exc.TimeoutError, database_unavailable)


def database_unavailable(error: Exception):
    from matchhub.extensions import db, login_manager
    from matchhub.services import health

    try:
        db.session.rollback()
    except Exception:  # the connection is gone; the pool drops it
        current_app.logger.debug("rollback after a database error failed", exc_info=True)
    # SQLite reports a bad query (no such table, a syntax error) as an OperationalError too:
    # unless the connection could not be made or was lost, ask the database whether it
    # answers; if it does, this is a bug, and it stays a 500 with its traceback in the log.
    lost = getattr(error, "connection_invalidated", False) or getattr(error, "statement", 0) is None
    if not isinstance(error, sa_exc.TimeoutError) and not lost and health.database_ok():
        raise error
    reason = getattr(error, "orig", None) or error
    # One line, without the statement: its parameters may hold personal data.
    current_app.logger.error(
        "database unavailable on %s %s: %s: %s",
        request.method,
        request.path,
        type(reason).__name__,
        str(reason).strip().splitlines()[0] if str(reason).strip() else "",
    )
    # The page must not touch the database again: the signed-in user (whose attributes
    # the rollback expired, or whose loading is what failed) is shown as a visitor.
    g._login_user = login_manager.anonymous_user()
    response = current_app.make_response(_render(503))
    response.headers["Retry-After"] = str(RETRY_AFTER)
    return response
