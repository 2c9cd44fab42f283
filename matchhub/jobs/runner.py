"""Running one job: in an application context, wherever it runs.

:func:`run` is the function RQ calls in the worker (its arguments are JSON); it finds
the application (the worker's, or one it creates), pushes an application context of
its own (its own database session) and a request context on the site's address, then
calls the job. :func:`run_here` does the same in the web process and records a failure
instead of raising it: the person who caused the job has their answer already.
"""

from __future__ import annotations

import importlib
import os
import re
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app, has_app_context

if TYPE_CHECKING:
    from matchhub.jobs import Job

_APP: Flask | None = None
_PID = os.getpid()
_EMAIL = re.compile(r"[^\s@<>'\"(),;:]+@[^\s@<>'\"(),;:]+")


def use_app(app: Flask) -> None:
    """The application jobs run in when no context is active (the worker's)."""
    global _APP
    _APP = app


def _app() -> Flask:
    global _APP
    if has_app_context():
        return current_app._get_current_object()
    if _APP is None:
        from matchhub import create_app

        _APP = create_app()
    return _APP


def resolve(path: str):
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def run(path: str, args: list, kwargs: dict, env: dict) -> Any:
    """Call the job ``path`` with its arguments in a fresh application context."""
    app = _app()
    with app.app_context():
        _fresh_connections_after_fork()
        headers = {"Accept-Language": env.get("language") or ""}
        base_url = env.get("base_url") or app.config["PUBLIC_URL"]
        with app.test_request_context("/", base_url=base_url, headers=headers):
            return resolve(path)(*args, **kwargs)


def _fresh_connections_after_fork() -> None:
    # RQ's worker forks a process per job: connections inherited from the parent are
    # shared sockets, so the child opens its own (and leaves the parent's alone).
    global _PID
    if os.getpid() != _PID:
        from matchhub.extensions import db

        db.engine.dispose(close=False)
        _PID = os.getpid()


def rq_call(app: Flask, job: Job) -> dict:
    """The arguments of ``Queue.enqueue_call`` for ``job``: retried with back-off, and
    described by its name only (RQ's default description would show its arguments)."""
    from rq import Retry

    intervals = list(app.config["JOBS_RETRY_INTERVALS"])
    return {
        "func": run,
        "args": (job.path, job.args, job.kwargs, job.env),
        "timeout": app.config["JOBS_TIMEOUT"],
        "retry": Retry(max=max(1, len(intervals)), interval=intervals or 0),
        "description": job.path,
        "failure_ttl": 30 * 24 * 3600,  # a failed job stays a month for the province office
        # A finished mail job is gone in a minute (its arguments hold addresses).
        "result_ttl": job.result_ttl if job.result_ttl is not None else 60,
        "meta": {**job.meta, "func": job.path, "summary": job.summary, "nargs": _nargs(job)},
    }


def _nargs(job: Job) -> int:
    return len(job.args) + len(job.kwargs)


def error_text(exc: BaseException | str) -> str:
    """A one-line error without addresses or secret links, for pages and the table."""
    from matchhub.logs import mask

    text = exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}"
    text = text.strip().splitlines()[-1] if text.strip() else ""
    return _EMAIL.sub("…@…", mask(text))[:500]


def run_here(app: Flask, job: Job) -> None:
    """Run ``job`` in this process; a failure is logged and recorded, never raised."""
    try:
        run(job.path, job.args, job.kwargs, job.env)
    except Exception as exc:
        app.logger.exception("Job %s failed", job.path)
        _record_failure(app, job, exc)


def _record_failure(app: Flask, job: Job, exc: Exception) -> None:
    from matchhub.extensions import db
    from matchhub.models import FailedJob

    try:
        with app.app_context():
            db.session.add(
                FailedJob(
                    func=job.path,
                    summary=job.summary,
                    args={"args": job.args, "kwargs": job.kwargs, "env": job.env},
                    error=error_text(exc),
                )
            )
            db.session.commit()
    except Exception:  # the database itself may be what failed: the log has it
        app.logger.exception("Job %s: the failure could not be recorded", job.path)
