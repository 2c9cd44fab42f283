"""Background jobs for the province office: the queue's state, failed jobs, run again."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from matchhub.admin import bp
from matchhub.admin.forms import ActionForm
from matchhub.jobs import failures

#: What each job does, in the office's words (a job not named here shows its code name).
JOB_LABELS = {
    "matchhub.services.mail:deliver_job": _l("Mail"),
    "matchhub.auth.jobs:send_reset_link": _l("Password reset link"),
    "matchhub.auth.jobs:tell_owner": _l("Notice to an account's owner"),
    "matchhub.services.invitations:send_job": _l("Invitations to claim profiles"),
    "matchhub.services.import_jobs:commit_job": _l("Learner import"),
    "matchhub.services.round_jobs:run_job": _l("Allocation round run"),
}


@bp.route("/jobs")
def job_list():
    return render_template(
        "admin/job_list.html", status=failures.status(), labels=JOB_LABELS, form=ActionForm()
    )


@bp.route("/jobs/<key>/retry", methods=["POST"])
def job_retry(key: str):
    if not ActionForm().validate_on_submit():
        abort(400)
    if not failures.retry(key):
        abort(404)
    flash(_("The job was queued again."), "success")
    return redirect(url_for("admin.job_list"))
