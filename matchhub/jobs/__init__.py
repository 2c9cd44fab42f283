"""Background jobs: the one way to do work outside the user's request.

``enqueue("module:function", *args)`` (or a module-level function) runs a job; its
arguments must be JSON (they travel through Redis and into the failed-job table).
``enqueue_after_commit`` holds the job until the current transaction commits and drops
it on rollback: a job about rows must find them, and nobody is mailed about a decision
that was not saved. Where a job runs depends on the configuration:

- ``JOBS_REDIS_URL`` set: an RQ queue (``JOBS_QUEUE``) on that Redis, run by
  ``flask jobs worker``; a failure is retried three times with back-off
  (``JOBS_RETRY_INTERVALS``), then kept in RQ's failed-job registry;
- ``JOBS_EAGER`` (the tests): at once, where it is enqueued;
- neither (``make run``, a small install): in this process once the response is sent
  (at once outside a request: the command line); a failure is logged and recorded in
  ``failed_jobs``.

Every job runs through :func:`matchhub.jobs.runner.run`: in an application context, with
a request context on the site's address (``url_for(..., _external=True)`` works) and the
language of the person who caused it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

from matchhub.jobs import runner

_PENDING = "matchhub_jobs"  # session.info key: jobs waiting for the commit
_LATER = "_matchhub_jobs_later"  # g key: jobs to run once the response is sent
_IN_REQUEST = "_matchhub_jobs_in_request"


@dataclass(frozen=True, slots=True)
class Job:
    """One call to run: what, with what, and where its links point."""

    path: str
    args: list
    kwargs: dict
    env: dict
    summary: str = ""
    # With RQ: kept in the job's meta (who may read its progress) and how long its
    # result stays after it finishes (a page that shows it must survive a reload).
    meta: dict = field(default_factory=dict)
    result_ttl: int | None = None


@dataclass
class _State:
    captured: list[Job] | None = None
    redis: Any = None
    queues: dict[str, Any] = field(default_factory=dict)


def job_path(func: str | Callable) -> str:
    """``"module:function"`` for ``func``; a lambda or a nested function is refused (a
    worker in another process must be able to import it)."""
    if isinstance(func, str):
        if ":" not in func:
            raise ValueError(f"a job is named 'module:function', not {func!r}")
        return func
    name = getattr(func, "__qualname__", "")
    if not name or "<" in name or "." in name:
        raise ValueError(f"{func!r} is not a module-level function: it cannot be a job")
    return f"{func.__module__}:{name}"


def mode(app: Flask | None = None) -> str:
    """``"rq"``, ``"eager"`` or ``"after_response"`` (see the module's docstring)."""
    config = (app or current_app).config
    if config.get("JOBS_REDIS_URL"):
        return "rq"
    return "eager" if config.get("JOBS_EAGER") else "after_response"


def _state(app: Flask | None = None) -> _State:
    return (app or current_app).extensions["matchhub_jobs"]


def _env() -> dict:
    """Where links in the job point and which language it speaks: the request's."""
    if has_request_context():
        return {
            "base_url": request.host_url,
            "language": request.headers.get("Accept-Language", ""),
        }
    return {"base_url": current_app.config["PUBLIC_URL"], "language": ""}


def _job(func: str | Callable, args: tuple, kwargs: dict, summary: str, **options) -> Job:
    job = Job(job_path(func), list(args), dict(kwargs), _env(), summary[:200], **options)
    json.dumps([job.args, job.kwargs])  # fail where the job is made, not in the worker
    return job


def enqueue(
    func: str | Callable,
    *args,
    _summary: str = "",
    _meta: dict | None = None,
    _result_ttl: int | None = None,
    **kwargs,
) -> str | None:
    """Run ``func(*args, **kwargs)`` as a job; returns the RQ job id (``None`` in process).

    ``_summary`` is a short description without personal data (shown when it fails);
    ``_meta`` and ``_result_ttl`` are for a job whose progress and result a page shows.
    """
    return dispatch(_job(func, args, kwargs, _summary, meta=_meta or {}, result_ttl=_result_ttl))


def enqueue_after_commit(func: str | Callable, *args, _summary: str = "", **kwargs) -> None:
    """Enqueue once the current transaction commits; forgotten if it rolls back."""
    from matchhub.extensions import db

    job = _job(func, args, kwargs, _summary)
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so that a rollback before any write drops the job too
    session.info.setdefault(_PENDING, []).append(job)


def dispatch(job: Job) -> str | None:
    app = current_app._get_current_object()
    state = _state(app)
    if state.captured is not None:
        state.captured.append(job)
        return None
    how = mode(app)
    if how == "rq":
        from redis.exceptions import RedisError

        try:
            return queue(app).enqueue_call(**runner.rq_call(app, job)).id
        except RedisError:
            if job.result_ttl is not None:  # a page follows this one: it must be queued
                raise
            # Redis down: the mail still goes, from this process, without retries.
            app.logger.exception("Job queue unreachable: %s runs in this process", job.path)
    if how != "eager" and has_request_context() and g.get(_IN_REQUEST):
        g.setdefault(_LATER, []).append(job)
        return None
    runner.run_here(app, job)
    return None


@contextmanager
def capture() -> Iterator[list[Job]]:
    """Record the jobs enqueued inside the block instead of running them (tests)."""
    state = _state()
    previous, state.captured = state.captured, []
    try:
        yield state.captured
    finally:
        state.captured = previous


def connection(app: Flask | None = None):
    """The Redis connection of the job queues (``JOBS_REDIS_URL``)."""
    app = app or current_app._get_current_object()
    state = _state(app)
    if state.redis is None:
        import redis

        state.redis = redis.Redis.from_url(app.config["JOBS_REDIS_URL"])
    return state.redis


def queue(app: Flask | None = None, name: str | None = None):
    """The RQ queue ``name`` (default ``JOBS_QUEUE``), with JSON arguments."""
    from rq import Queue
    from rq.serializers import JSONSerializer

    app = app or current_app._get_current_object()
    name = name or app.config["JOBS_QUEUE"]
    state = _state(app)
    if name not in state.queues:
        state.queues[name] = Queue(name, connection=connection(app), serializer=JSONSerializer)
    return state.queues[name]


def make_worker(app: Flask, names: tuple[str, ...] = (), worker_class=None):
    """An RQ worker on the queues ``names`` (default ``JOBS_QUEUE``) whose jobs run in
    ``app`` (``flask jobs worker`` runs one; a test runs a ``SimpleWorker`` in burst)."""
    from rq import Worker
    from rq.serializers import JSONSerializer

    runner.use_app(app)
    queues = [queue(app, name) for name in names or (app.config["JOBS_QUEUE"],)]
    return (worker_class or Worker)(queues, connection=connection(app), serializer=JSONSerializer)


# --- After the commit, after the response ---


def _flush(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    for job in pending or ():
        dispatch(job)


def _drop(session: Session, previous_transaction) -> None:
    # a savepoint's rollback leaves the outer transaction (and its jobs) alive
    if not previous_transaction.nested:
        session.info.pop(_PENDING, None)


def _mark_request() -> None:
    g.setdefault(_IN_REQUEST, True)


def _run_after_response(response):
    later = g.pop(_LATER, None)
    if later:
        app = current_app._get_current_object()
        # The server calls this once the body is sent (gunicorn, Werkzeug, the test client).
        response.call_on_close(lambda: [runner.run_here(app, job) for job in later])
    return response


def _run_leftovers(_exc) -> None:
    # Enqueued after the response was finished (a commit in a teardown): run now.
    g.pop(_IN_REQUEST, None)
    for job in g.pop(_LATER, None) or ():
        runner.run_here(current_app._get_current_object(), job)


def init_app(app: Flask) -> None:
    app.extensions["matchhub_jobs"] = _State()
    app.before_request(_mark_request)
    app.after_request(_run_after_response)
    app.teardown_request(_run_leftovers)
    if not event.contains(Session, "after_commit", _flush):  # once per process
        event.listen(Session, "after_commit", _flush)
        event.listen(Session, "after_soft_rollback", _drop)
    from matchhub.jobs.cli import jobs_cli

    app.cli.add_command(jobs_cli)
