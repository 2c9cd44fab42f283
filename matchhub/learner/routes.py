from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from matchhub.forms import MessageForm, choices, show_service_error
from matchhub.i18n import current_lang
from matchhub.labels import label
from matchhub.learner import bp
from matchhub.learner.forms import (
    SKILLS_HELP,
    ActionForm,
    ApplyForm,
    ConsentForm,
    DeleteAccountForm,
    MatchFilterForm,
    ProfileForm,
    VisibilityForm,
)
from matchhub.models import ApplicationStatus, Visibility
from matchhub.models.orders import OPENING_KINDS
from matchhub.public.forms import opening_search_form
from matchhub.services import (
    ServiceError,
    applications,
    learners,
    localities,
    messages,
    next_skill,
    openings,
    orders,
    pair_scores,
    privacy,
    profiles,
    ranked_pages,
    saved,
    surveys,
)

PER_PAGE = 20


def own_profile(load=learners.learner_of_user):
    """The signed-in user's learner row, as ``load`` loads it; 404 without one."""
    learner = load(current_user)
    if learner is None:
        abort(404)
    return learner


@bp.route("/")
def dashboard():
    learner = own_profile()
    apps = applications.applications_of(learner)
    # The matches page's ranking kept to the learner's locality (and remote work), with
    # the same score and tier: what they meet or nearly meet, else the best there is.
    near = (
        ranked_pages.matches_for(
            learner,
            locality=learner.locality,
            per_page=6,
            min_tier=ranked_pages.TIER_FILTERS[ranked_pages.DEFAULT_TIER_FILTER],
        ).items
        or ranked_pages.matches_for(learner, locality=learner.locality, per_page=6).items
    )
    survey_wave = surveys.due_wave(learner)
    return render_template(
        "learner/dashboard.html",
        learner=learner,
        applications=apps,
        invitations=[a for a in apps if a.status is ApplicationStatus.INVITED],
        matches=near,
        skills=pair_scores.skill_names((m.result for m in near), current_lang()),
        survey_wave=survey_wave,
        survey_token=surveys.survey_token(learner, survey_wave) if survey_wave else None,
    )


@bp.route("/profile")
def profile():
    return render_template("learner/profile.html", learner=own_profile())


@bp.route("/profile/edit", methods=["GET", "POST"])
def profile_edit():
    learner = own_profile()
    form = ProfileForm(obj=learner)
    programmes = profiles.programme_choices(learner)
    form.programme.choices = choices(
        [("", _("None"))] + [(str(p.id), f"{p.name} · {p.organization.name}") for p in programmes]
    )
    form.locality.choices = choices([("", _("Not given")), *localities.choices()])
    form.preferred_localities.choices = choices(localities.choices())
    if not form.is_submitted():
        form.programme.data = str(learner.programme_id or "")
        form.preferred_localities.data = list(learner.preferred_localities or [])
        form.skills.data = profiles.skills_text(learner, current_lang())
    if form.validate_on_submit():
        data = profiles.ProfileInput(
            full_name=form.full_name.data,
            phone=form.phone.data,
            programme_id=int(form.programme.data) if form.programme.data else None,
            graduation_year=form.graduation_year.data,
            locality=form.locality.data or None,
            preferred_localities=form.preferred_localities.data or [],
            available_from=form.available_from.data,
            cv_text=form.cv_text.data or "",
            skills=form.skills.data or "",
        )
        try:
            unknown = profiles.update_profile(learner, current_user, data)
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            flash(_("Your profile is saved."), "success")
            if unknown:
                flash(
                    _(
                        "Not in the taxonomy yet, kept as you wrote them: %(terms)s",
                        terms=", ".join(unknown),
                    ),
                    "info",
                )
            return redirect(url_for("learner.profile"))
    return render_template(
        "learner/profile_form.html", form=form, learner=learner, skills_help=SKILLS_HELP
    )


@bp.route("/skills/suggest")
def skills_suggest():
    """Skill picker suggestions as JSON: ``{"query": q, "skills": [...]}``."""
    query = request.args.get("q", "")
    return jsonify(query=query, skills=profiles.suggest_skills(query, current_lang()))


@bp.route("/openings")
def opening_list():
    learner = own_profile()
    form, filters = opening_search_form(request.args)
    pagination = openings.search(filters, page=request.args.get("page", 1, type=int))
    return render_template(
        "learner/opening_list.html",
        learner=learner,
        pagination=pagination,
        form=form,
        saved_ids=saved.saved_ids(learner, (o.id for o in pagination.items)),
    )


@bp.route("/matches")
def match_list():
    learner = own_profile(ranked_pages.learner_to_match)
    # Names for the cards too: each is translated once per page, not once per card.
    kinds = {k: label(k) for k in OPENING_KINDS}
    places = localities.choices()
    form = MatchFilterForm(request.args)
    form.kind.choices = choices([("", _("All kinds")), *((k.value, n) for k, n in kinds.items())])
    form.locality.choices = choices([("", _("Any locality")), *places])
    valid = form.validate()
    tier = form.tier.data if valid and form.tier.data else ranked_pages.DEFAULT_TIER_FILTER
    page = ranked_pages.matches_for(
        learner,
        kind=form.kind.data or None if valid else None,
        locality=form.locality.data or None if valid else None,
        page=request.args.get("page", 1, type=int),
        per_page=PER_PAGE,
        min_tier=ranked_pages.TIER_FILTERS.get(tier, ranked_pages.TIER_FILTERS["near"]),
        order_ids=openings.live_ids(form.q.data) if valid else None,
    )
    return render_template(
        "learner/match_list.html",
        learner=learner,
        form=form,
        page=page,
        skills=pair_scores.skill_names((m.result for m in page.items), current_lang()),
        inferred=pair_scores.inferred_skills_of(learner),
        kind_names=kinds,
        locality_names=dict(places),
    )


@bp.route("/orders/<int:order_id>", methods=["GET"])
def order_detail(order_id: int):
    learner = own_profile()
    order = orders.readable(current_user, order_id)
    app = next((a for a in applications.applications_of(learner) if a.order_id == order.id), None)
    result = pair_scores.explain(order, learner)
    return render_template(
        "learner/order_detail.html",
        learner=learner,
        order=order,
        application=app,
        result=result,
        skills=pair_scores.skills_of([result]),
        inferred=pair_scores.inferred_skills_of(learner),
        apply_form=ApplyForm(),
        is_saved=saved.is_saved(learner, order.id),
        saveable=order.is_opening,
        can_apply=order.is_opening
        and (app is None or app.status in (ApplicationStatus.INVITED, ApplicationStatus.WITHDRAWN)),
    )


@bp.route("/orders/<int:order_id>/apply", methods=["POST"])
def order_apply(order_id: int):
    learner = own_profile()
    order = orders.readable(current_user, order_id)
    form = ApplyForm()
    if form.validate_on_submit():
        try:
            app = applications.apply(order, learner, current_user, form.message.data)
        except ServiceError as exc:
            flash(exc.message, "warning")
        else:
            flash(_("Your application is sent."), "success")
            return redirect(url_for("learner.application_detail", application_id=app.id))
    return redirect(url_for("learner.order_detail", order_id=order_id))


@bp.route("/applications")
def application_list():
    learner = own_profile()
    apps = applications.applications_of(learner)
    return render_template(
        "learner/application_list.html",
        learner=learner,
        applications=apps,
        unread=messages.unread_counts(current_user, (a.id for a in apps)),
    )


@bp.route("/applications/<int:application_id>")
def application_detail(application_id: int, message_form: MessageForm | None = None):
    # ``message_form``: a refused message, shown again with its error (messages.py).
    app = applications.readable(current_user, application_id)
    return render_template(
        "learner/application_detail.html",
        app=app,
        apply_form=ApplyForm(),
        action_form=ActionForm(),
        withdrawable=app.status in applications.WITHDRAWABLE,
        thread=messages.open_thread(current_user, app),
        message_form=message_form or MessageForm(),
    )


@bp.route("/applications/<int:application_id>/accept", methods=["POST"])
def application_accept(application_id: int):
    app = applications.editable(current_user, application_id)
    form = ApplyForm()
    if form.validate_on_submit():
        try:
            applications.accept_invitation(app, current_user, form.message.data)
        except ServiceError as exc:
            flash(exc.message, "warning")
        else:
            flash(_("You accepted the invitation: your application is sent."), "success")
    return redirect(url_for("learner.application_detail", application_id=app.id))


@bp.route("/applications/<int:application_id>/<any(decline, withdraw):action>", methods=["POST"])
def application_withdraw(application_id: int, action: str):
    app = applications.editable(current_user, application_id)
    if ActionForm().validate_on_submit():
        try:
            if action == "decline":
                applications.decline_invitation(app, current_user)
            else:
                applications.withdraw(app, current_user)
        except ServiceError as exc:
            flash(exc.message, "warning")
        else:
            flash(
                _("You declined the invitation.")
                if action == "decline"
                else _("Your application is withdrawn."),
                "success",
            )
    return redirect(url_for("learner.application_detail", application_id=app.id))


@bp.route("/next-skills")
def skill_advice():
    learner = own_profile()
    return render_template(
        "learner/skill_advice.html",
        learner=learner,
        advice=next_skill.next_skills(learner, k=2),
    )


@bp.route("/privacy")
def privacy_settings():
    learner = own_profile()
    visibility_form = VisibilityForm(visibility=learner.visibility.value)
    visibility_form.visibility.choices = choices((v.value, label(v)) for v in Visibility)
    return render_template(
        "learner/privacy.html",
        learner=learner,
        visibility_form=visibility_form,
        consent_form=ConsentForm(),
        action_form=ActionForm(),
        delete_form=DeleteAccountForm(),
        purpose=privacy.purpose_text(learner.consent_purpose or privacy.CONSENT_PURPOSE),
        views=privacy.profile_views(learner),
    )


@bp.route("/privacy/visibility", methods=["POST"])
def privacy_visibility():
    learner = own_profile()
    form = VisibilityForm()
    form.visibility.choices = choices((v.value, label(v)) for v in Visibility)
    if form.validate_on_submit():
        privacy.set_visibility(learner, current_user, Visibility(form.visibility.data))
        flash(_("Your visibility is saved."), "success")
    return redirect(url_for("learner.privacy_settings"))


@bp.route("/privacy/consent", methods=["POST"])
def privacy_consent():
    learner = own_profile()
    if ConsentForm().validate_on_submit():
        privacy.give_consent(learner, current_user)
        flash(_("Thank you: your consent is recorded."), "success")
    else:
        flash(_("Tick the box to give your consent."), "warning")
    return redirect(url_for("learner.privacy_settings"))


@bp.route("/privacy/consent/withdraw", methods=["POST"])
def privacy_consent_withdraw():
    learner = own_profile()
    if ActionForm().validate_on_submit():
        privacy.withdraw_consent(learner, current_user)
        flash(_("Your consent is withdrawn: you no longer appear in any ranking."), "success")
    return redirect(url_for("learner.privacy_settings"))


@bp.route("/privacy/export", methods=["POST"])
def privacy_export():
    learner = own_profile()
    if not ActionForm().validate_on_submit():
        abort(400)
    data = privacy.export_data(learner, current_user)
    return Response(
        data,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="matchhub-my-data.json"'},
    )


@bp.route("/privacy/delete", methods=["POST"])
def privacy_delete():
    learner = own_profile()
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            privacy.delete_account(learner, current_user, form.password.data)
        except ServiceError as exc:
            flash(exc.message, "danger")
        else:
            logout_user()
            flash(_("Your account is deleted and your personal data erased."), "success")
            return redirect(url_for("public.index"))
    else:
        flash(_("Enter your password and tick the box to delete your account."), "warning")
    return redirect(url_for("learner.privacy_settings"))
