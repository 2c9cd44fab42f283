"""Graduates' situation at 6 and 12 months: mailing the survey, and the college's own
records, one learner at a time or a cohort on one page (services/surveys.py)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from matchhub.college import bp
from matchhub.college.forms import ActionForm, LearnerOutcomeForm, situation_choices
from matchhub.college.outcomes import survey_form
from matchhub.forms import show_service_error
from matchhub.models import ERASED_NAME, WAVES, Learner, Situation
from matchhub.security import owned_or_404
from matchhub.services import ServiceError, learners, surveys

#: Learners shown on the cohort page at most: a cohort of a few hundred fits; a larger
#: one is recorded page by page of the learner list, or by the survey itself.
COHORT_PAGE = 500
_SITUATIONS = {s.value: s for s in Situation}


def _year_wave() -> tuple[int | None, int]:
    """The cohort and wave from the query string; anything else: none and 6 months."""
    years = learners.graduation_years(current_user.organization)
    year = request.args.get("year", type=int)
    wave = request.args.get("wave", type=int)
    return (year if year in years else None), (wave if wave in WAVES else WAVES[0])


@bp.route("/outcomes/surveys", methods=["POST"])
def outcome_survey_send():
    college = current_user.organization
    form = survey_form(college)
    if form.validate_on_submit():
        try:
            n = surveys.send_surveys(
                current_user, college, int(form.year.data), int(form.wave.data)
            )
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            if n:
                flash(
                    ngettext(
                        "%(num)s survey link is being mailed.",
                        "%(num)s survey links are being mailed.",
                        n,
                    ),
                    "success",
                )
            else:
                flash(_("Nobody to mail: everyone has answered or was mailed recently."), "info")
            return redirect(url_for("college.outcome_report", year=form.year.data))
    for errors in form.errors.values():  # the form sits on the report page: say why there
        for message in errors:
            flash(message, "danger")
    return redirect(url_for("college.outcome_report"))


@bp.route("/learners/<int:learner_id>/outcomes", methods=["GET", "POST"])
def learner_outcomes(learner_id: int):
    learner = owned_or_404(
        Learner,
        current_user,
        Learner.id == learner_id,
        Learner.full_name != ERASED_NAME,
        write=True,
    )
    rows = surveys.outcomes_of_learner(learner)
    data = {
        f"wave_{w}": rows[w].situation.value
        for w in WAVES
        if w in rows and rows[w].situation is not None
    }
    form = LearnerOutcomeForm(data=data)
    if form.validate_on_submit():
        answers = {w: _SITUATIONS.get(getattr(form, f"wave_{w}").data or "") for w in WAVES}
        changed = surveys.record_by_college(current_user, learner, answers)
        flash(_("Saved.") if changed else _("Nothing changed."), "success" if changed else "info")
        return redirect(url_for("college.learner_outcomes", learner_id=learner.id))
    return render_template(
        "college/learner_outcomes.html", learner=learner, form=form, rows=rows, waves=WAVES
    )


@bp.route("/outcomes/record", methods=["GET", "POST"])
def outcome_cohort():
    """One cohort's situations at one wave, on one page; each select posts as
    ``situation-<learner id>`` and only the cohort's learners are read."""
    college = current_user.organization
    year, wave = _year_wave()
    form = ActionForm()
    cohort = surveys.cohort_learners(college, year, COHORT_PAGE + 1) if year else []
    more = len(cohort) > COHORT_PAGE
    cohort = cohort[:COHORT_PAGE]
    if request.method == "POST":
        if not form.validate_on_submit() or year is None:
            abort(400)
        answers = {}
        for learner in cohort:
            raw = request.form.get(f"situation-{learner.id}")
            if raw is not None:  # a select left out of the post changes nothing
                answers[learner.id] = _SITUATIONS.get(raw)
        changed = surveys.record_cohort(current_user, college, year, wave, answers)
        flash(
            ngettext("%(num)s answer saved.", "%(num)s answers saved.", changed),
            "success" if changed else "info",
        )
        return redirect(url_for("college.outcome_cohort", year=year, wave=wave))
    return render_template(
        "college/outcome_cohort.html",
        form=form,
        year=year,
        wave=wave,
        waves=WAVES,
        years=learners.graduation_years(college),
        cohort=cohort,
        more=more,
        answers=surveys.cohort_answers([lr.id for lr in cohort], wave),
        choices=situation_choices(_("Not known")),
        opens=surveys.wave_opens(year, wave) if year else None,
    )
