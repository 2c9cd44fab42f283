"""The graduate survey behind a mailed link: one page, no login (services/surveys.py)."""

from flask import render_template
from flask_babel import gettext as _

from matchhub.labels import label
from matchhub.models import Situation
from matchhub.public import bp
from matchhub.public.forms import SurveyForm
from matchhub.services import ServiceError, surveys


@bp.route("/survey/<token>", methods=["GET", "POST"])
def outcome_survey(token: str):
    try:
        learner, wave = surveys.read_token(token)
    except ServiceError as exc:
        # Expired, tampered with or for an erased account: say so, reveal nothing else.
        return render_template("public/outcome_survey.html", error=exc.message), 400
    current = surveys.outcomes_of_learner(learner).get(wave)
    form = SurveyForm(
        data={"situation": current.situation.value} if current and current.situation else None
    )
    done = False
    if form.validate_on_submit():
        surveys.answer(learner, wave, Situation(form.situation.data))
        done = True
    return render_template(
        "public/outcome_survey.html",
        form=form,
        wave=wave,
        college=learner.college.name if learner.college else None,
        done=done,
        answer=label(Situation(form.situation.data)) if done else None,
        title=_("Your situation %(months)s months after graduation", months=wave),
    )
