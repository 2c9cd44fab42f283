"""Placement outcomes of the college's learners, on screen and exported: applications and
hires per cohort, and what graduates were doing 6 and 12 months on (the survey)."""

from flask import Response, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from matchhub.college import bp
from matchhub.college.forms import SurveySendForm
from matchhub.i18n import current_lang, skill_name
from matchhub.labels import label
from matchhub.models import ApplicationStatus, Organization, Situation
from matchhub.reports import build
from matchhub.reports.routes import download
from matchhub.services import exports, learners, outcomes, surveys


def survey_form(college: Organization) -> SurveySendForm:
    form = SurveySendForm()
    form.year.choices = [SelectChoice(str(y), str(y)) for y in learners.graduation_years(college)]
    return form


def _year() -> int | None:
    """The cohort shown, from the query string; a year the college has none of: all."""
    year = request.args.get("year", type=int)
    return year if year in learners.graduation_years(current_user.organization) else None


@bp.route("/outcomes")
def outcome_report():
    college = current_user.organization
    year = _year()
    form = survey_form(college)
    if year is not None:
        form.year.data = str(year)
    return render_template(
        "college/outcome_report.html",
        cohorts=outcomes.outcomes_of(college),
        statuses=list(ApplicationStatus),
        graduates=outcomes.graduate_report(college, year),
        situations=list(Situation),
        surveyed=surveys.survey_counts(college, year),
        years=learners.graduation_years(college),
        year=year,
        survey_form=form,
        survey_days=current_app.config["OUTCOME_SURVEY_MAX_AGE"] // 86400,
        remind_days=surveys.REMIND_AFTER.days,
    )


def _applications_table():
    cohorts = outcomes.outcomes_of(current_user.organization)
    statuses = list(ApplicationStatus)
    headers = [
        _("Programme"),
        _("Graduation year"),
        _("Learners"),
        *[label(s) for s in statuses],
        _("Hired learners"),
        _("Placement rate"),
    ]
    rows = [
        [
            c.programme.name if c.programme else _("No programme"),
            c.year or "",
            c.learners,
            *[c.statuses.get(s, 0) for s in statuses],
            c.hired_learners,
            round(c.placement_rate, 4),
        ]
        for c in cohorts
    ]
    return headers, rows, _("Outcomes")


def _rate(value: float | None):
    return round(value, 4) if value is not None else ""


def _waves_table():
    report = outcomes.graduate_report(current_user.organization, _year())
    headers = [
        _("Months after graduation"),
        _("Surveys sent"),
        _("Answers"),
        *[label(s) for s in Situation],
        _("Employment rate"),
    ]
    rows = [
        [
            w.wave,
            w.surveyed,
            w.answered,
            *[w.situations.get(s, 0) for s in Situation],
            _rate(w.employment_rate),
        ]
        for w in report.waves
    ]
    return headers, rows, _("Situation by wave")


def _programmes_table():
    report = outcomes.graduate_report(current_user.organization, _year())
    headers = [
        _("Programme"),
        _("Months after graduation"),
        _("Answers"),
        *[label(s) for s in Situation],
        _("Employment rate"),
        _("In-field rate"),
    ]
    rows = [
        [
            r.programme.name if r.programme else _("No programme"),
            r.wave,
            r.answered,
            *[r.situations.get(s, 0) for s in Situation],
            _rate(r.employment_rate),
            _rate(r.in_field_rate),
        ]
        for r in report.programmes
    ]
    return headers, rows, _("Placement by programme")


def _skills_table():
    report = outcomes.graduate_report(current_user.organization, _year())
    headers = [
        _("Skill"),
        _("Employed graduates holding it"),
        _("Share of the employed"),
        _("Graduates still seeking holding it"),
        _("Share of those seeking"),
    ]
    rows = [
        [
            skill_name(r.skill),
            r.employed,
            round(r.employed_share, 4),
            r.seeking,
            round(r.seeking_share, 4),
        ]
        for r in report.skills
    ]
    return headers, rows, _("Skills of graduates")


#: Each table of the page, exported as it is shown (same rows, same cohort filter).
TABLES = {
    "applications": _applications_table,
    "waves": _waves_table,
    "programmes": _programmes_table,
    "skills": _skills_table,
}


@bp.route("/outcomes.<any(csv, xlsx):fmt>")
def outcome_export(fmt: str):
    key = request.args.get("table", "applications")
    build = TABLES.get(key)
    if build is None:
        abort(404)
    headers, rows, title = build()
    body, mimetype = exports.table_file(fmt, headers, rows, title)
    name = "outcomes" if key == "applications" else f"outcomes-{key}"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f"attachment; filename={name}.{fmt}"},
    )


@bp.route("/outcomes.docx")
def outcome_docx():
    return download("outcomes", {})


@bp.route("/outcomes/print")
def outcome_print():
    return render_template(
        "reports/print.html",
        report=build.document("outcomes", current_user, {}, current_lang()),
        back=url_for("college.outcome_report"),
        docx=url_for("college.outcome_docx"),
    )
