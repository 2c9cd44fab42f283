"""An enterprise's candidates for an order and its hiring pipeline.

Every route loads the order (or application) through ``orders.editable`` (or
``applications.readable``/``editable``): another organisation's id answers 404.
"""

import io

from flask import Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchhub.enterprise import bp
from matchhub.enterprise.forms import (
    BulkForm,
    CandidateFilterForm,
    MoveForm,
    NoteForm,
    ShortlistForm,
)
from matchhub.forms import MessageForm, choices
from matchhub.labels import label, tier_label
from matchhub.models import ApplicationStatus
from matchhub.services import (
    ServiceError,
    applications,
    cvs,
    exports,
    learners,
    localities,
    messages,
    orders,
    pair_scores,
    pipeline_exports,
    profiles,
    ranked_pages,
)
from matchhub.services.orders import today_in_vietnam

PER_PAGE = 20


def _filters(form: CandidateFilterForm, valid: bool) -> ranked_pages.CandidateFilters:
    """The form's filters; an invalid form filters nothing but the default tier."""
    tier = ranked_pages.TIER_FILTERS.get(form.tier.data or "", ranked_pages.TIER_FILTERS["near"])
    if not valid:
        return ranked_pages.CandidateFilters(min_tier=tier)
    programme = form.programme.data
    return ranked_pages.CandidateFilters(
        locality=form.locality.data or None,
        graduation_year=form.graduation_year.data,
        programme_id=int(programme) if programme and programme.isdigit() else None,
        min_score=float(form.min_score.data) / 100 if form.min_score.data else None,
        min_tier=tier,
        learner_ids=learners.search_ids(form.q.data),
    )


@bp.route("/orders/<int:order_id>/candidates")
def candidate_list(order_id: int):
    order = orders.editable(current_user, order_id)
    form = CandidateFilterForm(request.args)
    form.locality.choices = choices([("", _("Any locality")), *localities.choices()])
    form.programme.choices = choices(
        [("", _("Any programme"))]
        + [(str(p.id), f"{p.name} · {p.organization.name}") for p in profiles.verified_programmes()]
    )
    if form.q.data and "tier" not in request.args:
        form.tier.data = "all"  # a search by name looks for that person, fit or not
    page = None
    if order.organization.is_verified:
        page = ranked_pages.candidates_for(
            order,
            _filters(form, form.validate()),
            page=request.args.get("page", 1, type=int),
            per_page=PER_PAGE,
        )
    return render_template(
        "enterprise/candidate_list.html",
        order=order,
        form=form,
        page=page,
        shortlist_form=ShortlistForm(),
        bulk_form=BulkForm(),
        contact_visible=applications.contact_visible,
        unknown=orders.unrecognised_required(order),
        skills=pair_scores.skills_of(c.result for c in page.items) if page else {},
        inferred=pair_scores.inferred_skills(c.learner.id for c in page.items) if page else {},
    )


@bp.route("/orders/<int:order_id>/candidates/<int:learner_id>")
def candidate_detail(order_id: int, learner_id: int):
    order = orders.editable(current_user, order_id)
    try:
        view = profiles.view_candidate(order, learner_id, current_user)
    except ServiceError:
        abort(404)
    result = pair_scores.explain(order, view.learner)
    return render_template(
        "enterprise/candidate_detail.html",
        order=order,
        view=view,
        result=result,
        skills=pair_scores.skills_of([result]),
        inferred=pair_scores.inferred_skills_of(view.learner),
        shortlist_form=ShortlistForm(),
        cv_file=cvs.summary(view.learner.id) if view.contact_visible else None,
    )


@bp.route("/orders/<int:order_id>/candidates/<int:learner_id>/cv")
def candidate_cv(order_id: int, learner_id: int):
    """An applicant's CV file (see ``cvs.for_applicant``: applicants only, audited)."""
    row = cvs.for_applicant(current_user, order_id, learner_id)
    return send_file(
        io.BytesIO(row.content),
        mimetype=row.content_type,
        as_attachment=True,
        download_name=row.filename,
        max_age=0,
    )


@bp.route("/orders/<int:order_id>/candidates/<int:learner_id>/shortlist", methods=["POST"])
def candidate_shortlist(order_id: int, learner_id: int):
    order = orders.editable(current_user, order_id)
    form = ShortlistForm()
    if not form.validate_on_submit():
        abort(400)
    learner = learners.get_learner(learner_id)
    if learner is None or not order.organization.is_verified:
        abort(404)
    invite = form.invite.data == "1"
    try:
        applications.shortlist(order, learner, current_user, invite=invite)
    except ServiceError as exc:
        flash(exc.message, "warning")
    else:
        flash(
            _("%(name)s is invited to apply.", name=learner.full_name)
            if invite
            else _("%(name)s is on the shortlist.", name=learner.full_name),
            "success",
        )
    back = request.form.get("next_url")
    if not _safe(back):
        back = url_for("enterprise.candidate_list", order_id=order.id)
    return redirect(back)


def _safe(url: str | None) -> bool:
    """Only same-site paths are followed back (no open redirect)."""
    return bool(url) and url.startswith("/") and not url.startswith("//")


@bp.route("/orders/<int:order_id>/pipeline")
def pipeline(order_id: int):
    order = orders.editable(current_user, order_id)
    apps = [a for a in applications.pipeline(order) if applications.shown_in_pipeline(a)]
    return render_template(
        "enterprise/pipeline.html",
        order=order,
        applications=apps,
        counts=applications.stage_counts(apps),
        contact_visible=applications.contact_visible,
        bulk_form=BulkForm(),
        unread=messages.unread_counts(current_user, (a.id for a in apps)),
    )


@bp.route("/orders/<int:order_id>/pipeline/export.<any(csv, xlsx):fmt>")
def pipeline_export(order_id: int, fmt: str):
    order = orders.editable(current_user, order_id)
    rows = pipeline_exports.export_pipeline(order, current_user, fmt)
    headers = [
        _("Name"),
        _("Stage"),
        _("Score"),
        _("Fit"),
        _("Training institution"),
        _("Programme"),
        _("Graduation year"),
        _("Locality"),
        _("Email"),
        _("Phone"),
        _("Last change"),
    ]
    cells = [
        [
            r.name,
            str(label(r.status)),
            round(r.result.score * 100, 1) if r.result else None,
            tier_label(r.result.tier) if r.result else None,
            r.college,
            r.programme,
            r.graduation_year,
            localities.name_of(r.locality) if r.locality else None,
            r.email,
            r.phone,
            r.updated_at,
        ]
        for r in rows
    ]
    # The sheet is named after the list, not the "Shortlist" button (same English word).
    data, mimetype = exports.table_file(fmt, headers, cells, _("Pipeline"))
    filename = f"order-{order.id}-{today_in_vietnam().isoformat()}.{fmt}"
    return Response(
        data,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.route("/applications/<int:application_id>")
def application_detail(application_id: int, message_form: MessageForm | None = None):
    # ``message_form``: a refused message, shown again with its error (messages.py).
    app = applications.readable(current_user, application_id)
    try:
        # The same check and audit as the candidate's profile: this page shows it too.
        profiles.view_candidate(app.order, app.learner_id, current_user)
    except ServiceError:
        abort(404)
    move_form = MoveForm()
    move_form.to_status.choices = choices(
        (s.value, label(s)) for s in applications.ENTERPRISE_MOVES.get(app.status, ())
    )
    result = pair_scores.explain(app.order, app.learner)
    return render_template(
        "enterprise/application_detail.html",
        app=app,
        order=app.order,
        move_form=move_form,
        note_form=NoteForm(),
        contact_visible=applications.contact_visible(app),
        result=result,
        skills=pair_scores.skills_of([result]),
        inferred=pair_scores.inferred_skills_of(app.learner),
        thread=messages.open_thread(current_user, app),
        message_form=message_form or MessageForm(),
    )


@bp.route("/applications/<int:application_id>/move", methods=["POST"])
def application_move(application_id: int):
    app = applications.editable(current_user, application_id)
    form = MoveForm()
    form.to_status.choices = choices(
        (s.value, label(s)) for s in applications.ENTERPRISE_MOVES.get(app.status, ())
    )
    if form.validate_on_submit():
        try:
            applications.move(
                app, current_user, ApplicationStatus(form.to_status.data), form.note.data
            )
        except ServiceError as exc:
            flash(exc.message, "warning")
        else:
            flash(_("Moved to: %(status)s.", status=label(app.status)), "success")
    else:
        flash(_("This application cannot move to that stage now."), "warning")
    return redirect(url_for("enterprise.application_detail", application_id=app.id))


@bp.route("/applications/<int:application_id>/note", methods=["POST"])
def application_note(application_id: int):
    app = applications.editable(current_user, application_id)
    form = NoteForm()
    if form.validate_on_submit():
        applications.add_note(app, current_user, form.note.data)
        flash(_("The note is saved."), "success")
    else:
        flash(_("Write a note first."), "warning")
    return redirect(url_for("enterprise.application_detail", application_id=app.id))
