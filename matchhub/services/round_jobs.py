"""A round's allocation run as a background job when a queue is configured.

The run (preferences, deferred acceptance, stability check, storing every learner's
result) can take a while for a province's whole cohort. With a queue, the "run" button
enqueues it and the round's page shows its progress to every province office user,
also after a reload: the job's id is kept in Redis under the round for a day.
Without a queue the run stays in the request.
"""

from __future__ import annotations

from matchhub import jobs
from matchhub.extensions import db
from matchhub.jobs import progress
from matchhub.models import AllocationRound, User
from matchhub.services import ServiceError, round_results

_KEY = "matchhub:round-run:{}"
_TTL = 24 * 3600


def runs_as_job() -> bool:
    return jobs.mode() == "rq"


def start_run(rnd: AllocationRound, admin: User) -> str:
    """Queue the allocation run of ``rnd``; returns the job's id."""
    job_id = jobs.enqueue(
        run_job,
        rnd.id,
        admin.id,
        _summary=f"round {rnd.id}",
        _meta={"round_id": rnd.id, "kind": "round"},
        _result_ttl=_TTL,
    )
    jobs.connection().set(_KEY.format(rnd.id), job_id, ex=_TTL)
    return job_id


def run_job(round_id: int, admin_id: int) -> dict:
    """The job: run the allocation, reporting its steps; the summary, or why it was refused."""
    rnd, admin = db.session.get(AllocationRound, round_id), db.session.get(User, admin_id)
    if rnd is None or admin is None:
        return {"error": "gone"}
    try:
        return round_results.run_round(rnd, admin, progress=progress.report)
    except ServiceError as exc:
        return {"error": exc.message}


def current_run(rnd: AllocationRound) -> progress.State | None:
    """The run of ``rnd`` queued or running now, or just ended without a result to show
    (failed, refused: shown once); ``None`` when there is none."""
    if not runs_as_job():
        return None
    key = _KEY.format(rnd.id)
    job_id = jobs.connection().get(key)
    if job_id is None:
        return None
    state = progress.state(job_id.decode())
    if state is None or state.meta.get("round_id") != rnd.id:
        return None
    if state.state in ("finished", "failed"):
        jobs.connection().delete(key)  # the page shows the run's summary from now on
        if state.state == "finished" and not (state.result or {}).get("error"):
            return None
    return state
