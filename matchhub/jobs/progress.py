"""Progress of long jobs (a large import, a round run), for the page of the person who
started it: the job reports rows done / total into its RQ meta; the page reads it back
by the job's id, so it survives a reload. Only with a queue: without one, long work runs
inside its request as before and needs no progress page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from matchhub import jobs


def report(done: int, total: int) -> None:
    """Record how far the current RQ job is; does nothing outside one."""
    from rq import get_current_job

    job = get_current_job()
    if job is not None:
        job.meta["progress"] = {"done": int(done), "total": int(total)}
        job.save_meta()


@dataclass(frozen=True, slots=True)
class State:
    state: str  # "queued", "running", "finished", "failed"
    done: int
    total: int
    result: Any
    meta: dict

    def as_dict(self) -> dict:
        return {
            "state": self.state,
            "done": self.done,
            "total": self.total,
            "result": self.result if self.state == "finished" else None,
        }


def state(job_id: str) -> State | None:
    """The state of job ``job_id``; ``None`` when unknown (or no queue is configured)."""
    if jobs.mode() != "rq":
        return None
    from redis.exceptions import RedisError
    from rq.exceptions import NoSuchJobError
    from rq.job import Job, JobStatus

    try:
        job = Job.fetch(job_id, connection=jobs.connection(), serializer=jobs.queue().serializer)
    except (NoSuchJobError, RedisError):
        return None
    status = job.get_status()
    meta = job.get_meta()
    progress = meta.get("progress") or {}
    if status == JobStatus.FINISHED:
        name = "finished"
    elif status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
        name = "failed"
    elif status == JobStatus.STARTED:
        name = "running"
    else:  # queued, or waiting for a retry
        name = "queued"
    result = job.return_value() if name == "finished" else None
    return State(name, progress.get("done", 0), progress.get("total", 0), result, meta)
