"""Failed jobs, for the province office: RQ's failed-job registry and, without a
queue, the ``failed_jobs`` table; both listed the same way and run again the same way.

A failure shows the job's name, how many arguments it had and its one-line error
(addresses and secret links removed), never the arguments themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from matchhub import jobs
from matchhub.extensions import db
from matchhub.jobs import runner
from matchhub.models import FailedJob

LIMIT = 200


@dataclass(frozen=True, slots=True)
class Failure:
    key: str  # "rq-<job id>" or "db-<row id>": what the retry button sends back
    func: str
    summary: str
    nargs: int
    error: str
    failed_at: datetime | None


@dataclass(frozen=True, slots=True)
class Status:
    queue_configured: bool
    queued: int | None  # waiting in the queue; None without one
    failures: list[Failure]
    reachable: bool = True  # False: the queue's Redis did not answer


def status() -> Status:
    """The queue's state and every failed job, newest first."""
    failures = _table_failures()
    queued, reachable = None, True
    if jobs.mode() == "rq":
        from redis.exceptions import RedisError

        try:
            queued = jobs.queue().count
            failures = _rq_failures() + failures
        except RedisError:
            reachable = False
    failures.sort(key=lambda f: f.failed_at or datetime.min.replace(tzinfo=UTC), reverse=True)
    return Status(jobs.mode() == "rq", queued, failures[:LIMIT], reachable)


def _table_failures() -> list[Failure]:
    rows = db.session.scalars(sa.select(FailedJob).order_by(FailedJob.id.desc()).limit(LIMIT))
    return [
        Failure(
            f"db-{r.id}",
            r.func,
            r.summary,
            len((r.args or {}).get("args", [])) + len((r.args or {}).get("kwargs", {})),
            r.error,
            r.failed_at,
        )
        for r in rows
    ]


def _registry():
    from rq.registry import FailedJobRegistry

    return FailedJobRegistry(queue=jobs.queue())


def _rq_failures() -> list[Failure]:
    from rq.job import Job

    registry = _registry()
    ids = registry.get_job_ids(0, LIMIT - 1, desc=True)
    found = Job.fetch_many(ids, connection=jobs.connection(), serializer=registry.serializer)
    failures = []
    for job in found:
        if job is None:
            continue
        result = job.latest_result()
        error = result.exc_string if result is not None and result.exc_string else ""
        ended = job.ended_at
        if ended is not None and ended.tzinfo is None:
            ended = ended.replace(tzinfo=UTC)
        failures.append(
            Failure(
                f"rq-{job.id}",
                job.meta.get("func", job.func_name),
                job.meta.get("summary", ""),
                int(job.meta.get("nargs", 0)),
                runner.error_text(error),
                ended,
            )
        )
    return failures


def retry(key: str) -> bool:
    """Run a failed job again; ``False`` when there is no such failure (any more)."""
    kind, _, ident = key.partition("-")
    if kind == "rq" and jobs.mode() == "rq":
        from rq.exceptions import InvalidJobOperation, NoSuchJobError

        try:
            _registry().requeue(ident)
        except (InvalidJobOperation, NoSuchJobError):
            return False
        return True
    if kind == "db" and ident.isdigit():
        row = db.session.get(FailedJob, int(ident))
        if row is None or row.args is None:
            return False
        saved = row.args
        job = jobs.Job(row.func, saved.get("args", []), saved.get("kwargs", {}),
                       saved.get("env", {}), row.summary)  # fmt: skip
        db.session.delete(row)
        db.session.commit()
        # Once more through today's configuration: the queue if there is one now.
        jobs.dispatch(job)
        return True
    return False
