"""A report's DOCX built by a background job when a queue runs.

Building the province's document takes a couple of seconds (its charts most of it); on
a busy server that is a worker held for each download. With a queue
(``JOBS_REDIS_URL``) the download link starts a job instead and the person lands on a
page that follows it (and survives a reload); the finished file waits there for an
hour, for that person only. Without a queue the file is built in the request, as
before. What the document says is :mod:`matchhub.reports.build`'s either way.
"""

from __future__ import annotations

import base64

from flask_babel import force_locale

from matchhub import jobs
from matchhub.extensions import db
from matchhub.jobs import progress
from matchhub.models import User
from matchhub.reports import build
from matchhub.reports.docx import to_docx

#: How long a finished report can be downloaded from its page (seconds).
RESULT_TTL = 3600


def start(kind: str, user: User, params: dict, lang: str) -> str:
    """Queue the DOCX of report ``kind`` for ``user``; returns the job's id."""
    return jobs.enqueue(
        build_job,
        kind,
        user.id,
        params,
        lang,
        _summary=f"{kind} report",
        _meta={"user_id": user.id, "kind": "report", "report": kind},
        _result_ttl=RESULT_TTL,
    )


def build_job(kind: str, user_id: int, params: dict, lang: str) -> dict:
    """The job: the document in ``lang``, as a file name and base64 bytes (the queue's
    results are JSON)."""
    user = db.session.get(User, user_id)
    if user is None or not user.active:
        return {"error": "gone"}
    with force_locale(lang):
        document = build.document(kind, user, params, lang)
        data = to_docx(document)
    return {"filename": document.filename, "data": base64.b64encode(data).decode("ascii")}


def state_for(user: User, job_id: str) -> progress.State | None:
    """The state of ``user``'s report job ``job_id``; None for anyone else's, or none."""
    found = progress.state(job_id)
    if found is None or found.meta.get("kind") != "report":
        return None
    if found.meta.get("user_id") != user.id:
        return None
    return found


def file_of(state: progress.State) -> tuple[str, bytes] | None:
    """(file name, bytes) of a finished job; None before, or when it built nothing."""
    result = state.result if state.state == "finished" else None
    if not isinstance(result, dict) or "data" not in result:
        return None
    return result["filename"], base64.b64decode(result["data"])
