"""Bulk import of learners: upload, preview, commit; and the template to start from."""

import io
from dataclasses import asdict
from pathlib import PurePath

from flask import (
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from matchhub.college import bp
from matchhub.college.forms import ActionForm, CommitForm, UploadForm
from matchhub.errors import _render as render_error
from matchhub.i18n import current_lang
from matchhub.services import ServiceError, exports, import_jobs, imports, invitations

PREVIEW_PAGE_SIZE = 200
_RESULT_KEY = "college.import_result"
_JOB_KEY = "college.import_job"  # the import running as a job, for the upload page's link


def _upload_limit_mb() -> str:
    return format_decimal(current_app.config["MAX_CONTENT_LENGTH"] / (1024 * 1024), "#,##0.#")


@bp.errorhandler(RequestEntityTooLarge)
def upload_too_large(error: RequestEntityTooLarge):
    # The body is refused while the CSRF check reads the form, before any view runs:
    # on the import screen, stay there and say the limit instead of a bare error page.
    if request.endpoint != "college.import_upload":
        return render_error(413)
    form = UploadForm(formdata=None)
    form.file.errors = [
        _("The file is larger than %(mb)s MB: split it into smaller files.", mb=_upload_limit_mb())
    ]
    return _upload_page(form), 413


@bp.route("/imports", methods=["GET", "POST"])
def import_upload():
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            token = imports.stage_upload(
                current_user.organization,
                current_user,
                upload.read(),
                upload.filename or "",
                gpa_scale=int(form.gpa_scale.data),  # one of the form's choices
            )
        except ServiceError as exc:
            form.file.errors = [*form.file.errors, exc.message]
        else:
            return redirect(url_for("college.import_preview", token=token))
    return _upload_page(form)


def _upload_page(form: UploadForm) -> str:
    return render_template(
        "college/import_upload.html",
        form=form,
        result=session.pop(_RESULT_KEY, None),
        columns=imports.COLUMNS,
        max_rows=imports.MAX_WEB_ROWS,
        max_mb=_upload_limit_mb(),
        invitations_allowed=invitations.allowed(current_user.organization),
        invitation_counts=invitations.counts(current_user.organization),
        mail_configured=bool(current_app.config.get("MAIL_SERVER")),
        send_form=ActionForm(formdata=None),  # also drawn for a refused (413) upload
        running_job=session.get(_JOB_KEY),
    )


@bp.route("/imports/<token>")
def import_preview(token: str):
    try:
        preview = imports.preview_upload(current_user.organization, token)
    except ServiceError as exc:
        flash(exc.message, "warning")
        return redirect(url_for("college.import_upload"))
    rows = preview.parsed.rows
    pages = max(1, -(-len(rows) // PREVIEW_PAGE_SIZE))
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    start = (page - 1) * PREVIEW_PAGE_SIZE
    return render_template(
        "college/import_preview.html",
        preview=preview,
        parsed=preview.parsed,
        errors=preview.parsed.errors,
        warnings=preview.parsed.warnings,
        file_warnings=[i for i in preview.parsed.file_issues if not i.error],
        rows=rows[start : start + PREVIEW_PAGE_SIZE],
        page=page,
        pages=pages,
        form=CommitForm(),
        discard_form=ActionForm(),
    )


@bp.route("/imports/<token>/commit", methods=["POST"])
def import_commit(token: str):
    form = CommitForm()
    if not form.validate_on_submit():
        abort(400)
    college, invite = current_user.organization, form.invite.data
    skip = form.skip_invalid.data
    try:
        if import_jobs.should_run_as_job(college, token):
            job_id = import_jobs.start_commit(college, current_user, token, invite, skip)
            session[_JOB_KEY] = job_id
            return redirect(url_for("college.import_progress", job_id=job_id))
        result = imports.commit_upload(
            college, current_user, token, invite=invite, skip_invalid=skip
        )
    except ServiceError as exc:
        flash(exc.message, "danger")
        return redirect(url_for("college.import_preview", token=token))
    session[_RESULT_KEY] = asdict(result)
    return redirect(url_for("college.import_upload"))


@bp.route("/imports/jobs/<job_id>")
def import_progress(job_id: str):
    state = import_jobs.state_for(current_user.organization, job_id)
    if state is None:
        abort(404)
    if state.state in ("finished", "failed") and session.get(_JOB_KEY) == job_id:
        session.pop(_JOB_KEY)
    response = make_response(render_template("college/import_progress.html", job=state))
    if state.state in ("queued", "running"):
        response.headers["Refresh"] = "3"  # the page follows the job without JavaScript
    return response


@bp.route("/imports/jobs/<job_id>.json")
def import_progress_json(job_id: str):
    state = import_jobs.state_for(current_user.organization, job_id)
    if state is None:
        abort(404)
    return state.as_dict()


@bp.route("/imports/invitations", methods=["POST"])
def import_send_invitations():
    if not ActionForm().validate_on_submit():
        abort(400)
    queued = invitations.send_waiting(current_user.organization)
    if queued:
        flash(
            ngettext(
                "%(num)s invitation queued: it is sent by mail in the next minutes.",
                "%(num)s invitations queued: they are sent by mail in the next minutes.",
                queued,
            ),
            "success",
        )
    else:
        flash(_("No invitation was waiting to be sent."), "info")
    return redirect(url_for("college.import_upload"))


@bp.route("/imports/<token>/discard", methods=["POST"])
def import_discard(token: str):
    if not ActionForm().validate_on_submit():
        abort(400)
    if not imports.discard_upload(current_user.organization, token):
        abort(404)  # not this college's upload: nothing was discarded
    flash(_("The upload was discarded; nothing was imported."), "info")
    return redirect(url_for("college.import_upload"))


def _rejected_file(rejected: imports.RejectedTable, fmt: str) -> Response:
    # The reason column's header is one the import recognises and ignores in either language.
    headers = [*rejected.headers, _("Why rejected")]
    body, mimetype = exports.table_file(fmt, headers, rejected.rows, _("Rejected rows"))
    name = _("%(name)s-rejected", name=PurePath(rejected.filename).stem[:120] or "upload")
    # send_file writes a file name in Vietnamese as the header's RFC 6266 filename*.
    return send_file(
        io.BytesIO(body),
        mimetype=mimetype,
        as_attachment=True,
        download_name=f"{name}.{fmt}",
        max_age=0,
    )


@bp.route("/imports/<token>/rejected.<any(csv, xlsx):fmt>")
def import_rejected_preview(token: str, fmt: str):
    """The rows of a staged upload that have errors, before anything is imported."""
    try:
        rejected = imports.rejected_rows(current_user.organization, token)
    except ServiceError:
        abort(404)  # another college's upload, or one gone
    return _rejected_file(rejected, fmt)


@bp.route("/imports/rejected/<token>.<any(csv, xlsx):fmt>")
def import_rejected(token: str, fmt: str):
    """The rows a commit skipped, kept a while for the college that imported them."""
    try:
        rejected = imports.stored_rejects(current_user.organization, token)
    except ServiceError:
        abort(404)
    return _rejected_file(rejected, fmt)


@bp.route("/imports/template.<any(csv, xlsx):fmt>")
def import_template(fmt: str):
    lang = request.args.get("lang") or current_lang()
    lang = lang if lang in ("vi", "en") else "vi"
    headers = imports.template_headers(lang)
    rows = imports.template_rows(current_user.organization)
    name = f"matchhub-learners-{lang}.{fmt}"
    body, mimetype = exports.table_file(fmt, headers, rows, _("Learners"))
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={name}"}
    )
