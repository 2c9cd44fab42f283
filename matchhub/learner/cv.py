"""The learner's CV file: upload, the skills it suggests, download, delete.

No id in these addresses: a learner has at most one CV and only ever reaches their own.
"""

import io

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from matchhub.errors import _render as render_error
from matchhub.learner import bp
from matchhub.learner.forms import ActionForm, CVUploadForm
from matchhub.learner.routes import own_profile
from matchhub.services import ServiceError, cvs, programmes


@bp.errorhandler(RequestEntityTooLarge)
def cv_too_large(error: RequestEntityTooLarge):
    # The body is refused while the CSRF check reads the form, before the view runs:
    # stay on the CV page and say the limit rather than show a bare error page.
    if request.endpoint != "learner.cv":
        return render_error(413)
    form = CVUploadForm(formdata=None)
    form.file.errors = [_("The file is larger than %(mb)s MB.", mb=_limit_mb())]
    return _page(own_profile(), form), 413


def _limit_mb() -> str:
    """The upload limit in MB: the CV's own, or the whole request's if an operator set it lower."""
    limit = min(cvs.MAX_BYTES, current_app.config.get("MAX_CONTENT_LENGTH") or cvs.MAX_BYTES)
    return format_decimal(limit / (1024 * 1024), "#,##0.#")


def _page(learner, form: CVUploadForm):
    candidates = [
        {
            "skill": s.skill,
            "level": programmes.SUGGESTED_LEVEL,
            "checked": s.pre_ticked,
            "suggested": True,
            "confidence": s.confidence,
            "evidence": s.evidence,
        }
        for s in cvs.suggestions(learner)
    ]
    return render_template(
        "learner/cv.html",
        learner=learner,
        cv=cvs.cv_of(learner),
        form=form,
        action_form=ActionForm(formdata=None),
        candidates=candidates,
        pretick=programmes.SUGGESTION_PRETICK,
        max_mb=_limit_mb(),
        max_pages=cvs.MAX_PAGES,
    )


@bp.route("/cv", methods=["GET", "POST"])
def cv():
    learner = own_profile()
    form = CVUploadForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            # One byte past the limit is enough to refuse it, without reading the rest.
            cvs.upload(learner, current_user, upload.filename or "", upload.read(cvs.MAX_BYTES + 1))
        except ServiceError as exc:
            form.file.errors = [*form.file.errors, exc.message]
        else:
            flash(
                _(
                    "Your CV is saved and its text is now your profile's CV text, which "
                    "matching reads. Confirm below the skills it names."
                ),
                "success",
            )
            return redirect(url_for("learner.cv"))
    return _page(learner, form), 400 if form.errors else 200


def _level(value: str | None) -> int:
    try:
        return min(max(int(value or programmes.SUGGESTED_LEVEL), 1), 5)
    except ValueError:
        return programmes.SUGGESTED_LEVEL


@bp.route("/cv/skills", methods=["POST"])
def cv_skills():
    learner = own_profile()
    if not ActionForm().validate_on_submit():
        abort(400)
    chosen = [
        (slug, _level(request.form.get(f"level-{slug}"))) for slug in request.form.getlist("skill")
    ]
    if not chosen:
        flash(_("No skill was ticked: nothing was added."), "info")
        return redirect(url_for("learner.cv"))
    try:
        added = cvs.add_skills(learner, current_user, chosen)
    except ServiceError as exc:
        flash(exc.message, "warning")
        return redirect(url_for("learner.cv"))
    flash(
        ngettext(
            "%(num)d skill added to your profile: your matches now count it.",
            "%(num)d skills added to your profile: your matches now count them.",
            added,
        ),
        "success",
    )
    return redirect(url_for("learner.match_list"))


@bp.route("/cv/file")
def cv_download():
    row = cvs.cv_of(own_profile())
    if row is None:
        abort(404)
    # send_file writes both the ASCII and the UTF-8 name (RFC 6266): Vietnamese names survive.
    return send_file(
        io.BytesIO(row.content),
        mimetype=row.content_type,
        as_attachment=True,
        download_name=row.filename,
        max_age=0,
    )


@bp.route("/cv/delete", methods=["POST"])
def cv_delete():
    learner = own_profile()
    if ActionForm().validate_on_submit() and cvs.delete(learner, current_user):
        flash(_("Your CV file and the CV text read from it are deleted."), "success")
    return redirect(url_for("learner.cv"))
