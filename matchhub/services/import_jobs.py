"""A large import's commit as a background job, with its progress, when a queue runs.

With a queue (``JOBS_REDIS_URL``), committing a previewed upload of more than
``JOB_MIN_ROWS`` rows is a job: the request answers at once with a progress page that
reads the job's rows done / total (and survives a reload). Without a queue, or for a
small file, the commit runs in the request as before.
"""

from __future__ import annotations

from dataclasses import asdict

from matchhub import jobs
from matchhub.extensions import db
from matchhub.jobs import progress
from matchhub.models import Organization, User
from matchhub.services import ServiceError, imports

#: Uploads larger than this (about 1,000 rows of CSV) are committed by a job when a
#: queue is configured.
JOB_MIN_BYTES = 100_000
#: How long the result stays readable after the job finishes (seconds).
RESULT_TTL = 24 * 3600


def should_run_as_job(college: Organization, token: str) -> bool:
    """Whether this upload's commit goes to the queue (a queue runs and the file is large).

    Refuses an expired or foreign upload (``ServiceError``) here, not in the job.
    """
    size = imports.pending_size(college, token)
    return jobs.mode() == "rq" and size > JOB_MIN_BYTES


def start_commit(
    college: Organization, user: User, token: str, invite: str, skip_invalid: bool = False
) -> str:
    """Queue the commit of a previewed upload; returns the job's id for its progress page."""
    return jobs.enqueue(
        commit_job,
        college.id,
        user.id,
        token,
        invite,
        skip_invalid,
        _summary=f"college {college.id}",
        _meta={"college_id": college.id, "kind": "import"},
        _result_ttl=RESULT_TTL,
    )


def commit_job(
    college_id: int, user_id: int, token: str, invite: str, skip_invalid: bool = False
) -> dict:
    """The job: commit the upload, reporting progress; returns the result (or the reason
    it was refused, which a retry would not change)."""
    college = db.session.get(Organization, college_id)
    user = db.session.get(User, user_id)
    if college is None or user is None:
        return {"error": "gone"}
    try:
        result = imports.commit_upload(
            college,
            user,
            token,
            invite=invite,
            progress=progress.report,
            skip_invalid=skip_invalid,
        )
    except ServiceError as exc:
        return {"error": exc.message}
    return asdict(result)


def state_for(college: Organization, job_id: str) -> progress.State | None:
    """The progress of this college's import job ``job_id``; ``None`` for another's."""
    found = progress.state(job_id)
    if found is None or found.meta.get("college_id") != college.id:
        return None
    return found
