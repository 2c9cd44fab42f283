"""Internship allocation rounds: set up, open, close, run, review and publish."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import (
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from matchhub.admin import bp
from matchhub.admin.forms import ActionForm, RoundForm
from matchhub.i18n import current_lang
from matchhub.models import RoundStatus, utcnow
from matchhub.services import (
    ServiceError,
    pair_scores,
    round_jobs,
    round_results,
    round_rules,
    rounds,
)
from matchhub.services import round_fairness as round_fairness_service


def _local_tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def _seats_from(form_data) -> dict[int, int]:
    """The chosen orders and their capacities from the set-up table (bad numbers: 0 seats)."""
    seats: dict[int, int] = {}
    for raw in form_data.getlist("order"):
        if raw.isdigit():
            capacity = form_data.get(f"capacity-{raw}", "")
            seats[int(raw)] = int(capacity) if capacity.strip().isdigit() else -1
    return seats


@bp.route("/rounds")
def round_list():
    return render_template("admin/round_list.html", rounds=rounds.readable_rounds(current_user))


@bp.route("/rounds/new", methods=["GET", "POST"])
def round_create():
    form = RoundForm()
    form.colleges.choices = [SelectChoice(i, n) for i, n in round_rules.college_choices()]
    form.programmes.choices = [SelectChoice(i, n) for i, n in round_rules.programme_choices()]
    eligible = rounds.eligible_orders()
    chosen = _seats_from(request.form) if form.is_submitted() else {}
    if not form.is_submitted():
        default = (utcnow() + timedelta(days=14)).astimezone(_local_tz())
        form.deadline.data = default.replace(tzinfo=None, second=0, microsecond=0)
    if form.validate_on_submit():
        deadline = form.deadline.data.replace(tzinfo=_local_tz())
        try:
            rules = round_rules.build(
                form.years.data or "",
                form.colleges.data or (),
                form.programmes.data or (),
                form.min_fit.data,
            )
            rnd = rounds.create_round(current_user, form.name.data, deadline, chosen, rules)
        except ServiceError as exc:
            target = getattr(form, exc.field, None) if exc.field else None
            if target is not None and hasattr(target, "errors"):
                target.errors = [*target.errors, exc.message]
            else:
                flash(exc.message, "danger")
        else:
            flash(_("The round is created as a draft: check it, then open it."), "success")
            return redirect(url_for("admin.round_detail", round_id=rnd.id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "admin/round_form.html", form=form, eligible=eligible, chosen=chosen
    ), status


@bp.route("/rounds/<int:round_id>")
def round_detail(round_id: int):
    rnd = rounds.readable(current_user, round_id)
    unmatched_only = request.args.get("unmatched") == "1"
    results = (
        round_results.results(
            rnd, page=request.args.get("page", 1, type=int), unmatched_only=unmatched_only
        )
        if rnd.ran_at
        else None
    )
    # How well each placement fits: a learner is placed where they lack a required
    # skill only when they listed that internship themselves.
    fit = pair_scores.pair_results(
        (r.order_id, r.learner_id) for r in (results.items if results else ()) if r.order_id
    )
    run_job = round_jobs.current_run(rnd)
    page = render_template(
        "admin/round_detail.html",
        run_job=run_job,
        rnd=rnd,
        action_form=ActionForm(),
        participation=rounds.participation(rnd),
        rules=round_rules.describe(round_rules.Rules.of(rnd)),
        seats=round_results.seats_by_order(rnd),
        results=results,
        fit=fit,
        skills=pair_scores.skill_names(fit.values(), current_lang()),
        unmatched_only=unmatched_only,
        accepting=rounds.accepts_rankings(rnd),
        RoundStatus=RoundStatus,
    )
    response = make_response(page)
    if run_job is not None and run_job.state in ("queued", "running"):
        response.headers["Refresh"] = "3"  # follow the run without JavaScript
    return response


def _act(round_id: int, action, done: str):
    rnd = rounds.readable(current_user, round_id)
    if ActionForm().validate_on_submit():
        try:
            action(rnd, current_user)
        except ServiceError as exc:
            flash(exc.message, "danger")
        else:
            flash(done, "success")
    return redirect(url_for("admin.round_detail", round_id=rnd.id))


@bp.route("/rounds/<int:round_id>/fairness")
def round_fairness(round_id: int):
    rnd = rounds.readable(current_user, round_id)
    report = round_fairness_service.fairness(rnd)
    if report is None:
        abort(404)
    return render_template(
        "admin/round_fairness.html",
        rnd=rnd,
        report=report,
        kinds=round_fairness_service.GROUP_KINDS,
        kind_label=round_fairness_service.kind_label,
        flag_gap=round_fairness_service.FLAG_GAP,
        flag_min=round_fairness_service.FLAG_MIN_LEARNERS,
    )


@bp.route("/rounds/<int:round_id>/fairness/export")
def round_fairness_export(round_id: int):
    result = round_fairness_service.export(
        rounds.readable(current_user, round_id), current_user, request.args.get("format", "csv")
    )
    if result is None:
        abort(404)
    filename, data, mime = result
    return Response(
        data, mimetype=mime, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@bp.route("/rounds/<int:round_id>/open", methods=["POST"])
def round_open(round_id: int):
    return _act(round_id, rounds.open_round, _("The round is open for ranking."))


@bp.route("/rounds/<int:round_id>/close", methods=["POST"])
def round_close(round_id: int):
    return _act(round_id, rounds.close_round, _("Ranking is closed: run the allocation."))


@bp.route("/rounds/<int:round_id>/run", methods=["POST"])
def round_run(round_id: int):
    if round_jobs.runs_as_job():
        rnd = rounds.readable(current_user, round_id)
        if ActionForm().validate_on_submit():
            round_jobs.start_run(rnd, current_user)
            flash(_("The allocation is running: this page shows its progress."), "info")
        return redirect(url_for("admin.round_detail", round_id=rnd.id))
    return _act(round_id, round_results.run_round, _("The allocation ran: review it below."))


@bp.route("/rounds/<int:round_id>/publish", methods=["POST"])
def round_publish(round_id: int):
    return _act(
        round_id,
        round_results.publish_round,
        _("The results are published and participants notified."),
    )
