"""Downloads of reports and the page of a report being built by a job."""

from __future__ import annotations

import io

from flask import Blueprint, abort, make_response, redirect, render_template, send_file, url_for
from flask_login import current_user

from matchhub import jobs
from matchhub.i18n import current_lang
from matchhub.reports import build
from matchhub.reports import jobs as report_jobs
from matchhub.reports.docx import DOCX_MIME, to_docx

bp = Blueprint("reports", __name__)


@bp.before_request
def _signed_in():
    if not current_user.is_authenticated:
        abort(401)


def download(kind: str, params: dict):
    """The response to a DOCX link: the file itself, or (with a queue) the page of the
    job that builds it. The caller has checked the user may read this report."""
    if jobs.mode() == "rq":
        job_id = report_jobs.start(kind, current_user, params, current_lang())
        return redirect(url_for("reports.job", job_id=job_id))
    document = build.document(kind, current_user, params, current_lang())
    return send_file(
        io.BytesIO(to_docx(document)),
        mimetype=DOCX_MIME,
        as_attachment=True,
        download_name=document.filename,
    )


@bp.route("/jobs/<job_id>")
def job(job_id: str):
    state = report_jobs.state_for(current_user, job_id)
    if state is None:
        abort(404)
    response = make_response(
        render_template("reports/job.html", job=state, ready=report_jobs.file_of(state))
    )
    if state.state in ("queued", "running"):
        response.headers["Refresh"] = "2"
    return response


@bp.route("/jobs/<job_id>.docx")
def job_file(job_id: str):
    state = report_jobs.state_for(current_user, job_id)
    ready = report_jobs.file_of(state) if state is not None else None
    if ready is None:
        abort(404)
    filename, data = ready
    return send_file(
        io.BytesIO(data), mimetype=DOCX_MIME, as_attachment=True, download_name=filename
    )
