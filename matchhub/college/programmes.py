"""Programmes and their courses; skills suggested from the syllabus, confirmed by the user."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchhub.college import bp
from matchhub.college.forms import SKILLS_HELP, ActionForm, CourseForm, ProgrammeForm
from matchhub.forms import choices, show_service_error
from matchhub.labels import label
from matchhub.models import ProgrammeLevel
from matchhub.services import ServiceError
from matchhub.services import programmes as service
from matchhub.services.skill_specs import parse_skill_terms


def _programme_form(programme=None) -> ProgrammeForm:
    form = ProgrammeForm(obj=programme)
    form.level.choices = choices((lv.value, label(lv)) for lv in ProgrammeLevel)
    if programme is not None and not form.is_submitted():
        form.level.data = programme.level.value
    return form


def _programme_input(form: ProgrammeForm) -> service.ProgrammeInput:
    return service.ProgrammeInput(
        code=form.code.data,
        name=form.name.data,
        level=ProgrammeLevel(form.level.data),
        field=form.field.data,
        yearly_intake=form.yearly_intake.data or 0,
        description=form.description.data or "",
    )


@bp.route("/programmes/new", methods=["GET", "POST"])
def programme_create():
    form = _programme_form()
    if form.validate_on_submit():
        try:
            programme = service.save_programme(
                current_user.organization, current_user, _programme_input(form)
            )
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            flash(
                _("The programme is saved. Add its courses and the skills they teach."), "success"
            )
            return redirect(url_for("college.programme_detail", programme_id=programme.id))
    return render_template("college/programme_form.html", form=form, programme=None)


@bp.route("/programmes/<int:programme_id>/edit", methods=["GET", "POST"])
def programme_edit(programme_id: int):
    programme = service.editable(current_user, programme_id)
    form = _programme_form(programme)
    if form.validate_on_submit():
        try:
            service.save_programme(
                current_user.organization, current_user, _programme_input(form), programme
            )
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            flash(_("The programme is saved."), "success")
            return redirect(url_for("college.programme_detail", programme_id=programme.id))
    return render_template("college/programme_form.html", form=form, programme=programme)


@bp.route("/programmes/<int:programme_id>")
def programme_detail(programme_id: int):
    programme = service.readable(current_user, programme_id)
    return render_template(
        "college/programme_detail.html",
        programme=programme,
        courses=service.courses_of(programme),
        action_form=ActionForm(),
    )


def _level(value: str | None) -> int:
    try:
        level = int(value or service.SUGGESTED_LEVEL)
    except ValueError:
        return service.SUGGESTED_LEVEL
    return min(max(level, 1), 5)


def _confidence(value: str | None) -> float | None:
    """A suggestion's confidence carried by the form (None when absent or not a number)."""
    try:
        return min(max(float(value), 0.0), 1.0) if value else None
    except ValueError:
        return None


def _candidates(course=None) -> list[dict]:
    """The skill checkboxes: those already on the form (ticked or not, with the confidence
    and evidence of a suggestion carried along), else the course's."""
    if request.method == "POST":
        slugs = request.form.getlist("candidate")
        ticked = set(request.form.getlist("skill"))
        skills = service.skills_by_slug(slugs)
        out = []
        for s in skills:
            confidence = _confidence(request.form.get(f"confidence-{s.slug}"))
            out.append(
                {
                    "skill": s,
                    "level": _level(request.form.get(f"level-{s.slug}")),
                    "checked": s.slug in ticked,
                    "suggested": confidence is not None,
                    "confidence": confidence,
                    "evidence": (request.form.get(f"evidence-{s.slug}") or "")[:300],
                }
            )
        return out
    if course is not None:
        return [
            {"skill": cs.skill, "level": cs.level, "checked": True, "suggested": False}
            for cs in course.skills
        ]
    return []


def _with_suggestions(form: CourseForm, candidates: list[dict]) -> list[dict]:
    """Add the skills the name and syllabus name; only the confident ones come ticked."""
    known = {c["skill"].slug for c in candidates}
    for found in service.suggest_skills(form.name.data or "", form.syllabus.data or ""):
        if found.skill.slug not in known:
            candidates.append(
                {
                    "skill": found.skill,
                    "level": service.SUGGESTED_LEVEL,
                    "checked": found.pre_ticked,
                    "suggested": True,
                    "confidence": found.confidence,
                    "evidence": found.evidence,
                    "fresh": True,
                }
            )
    return candidates


def _course_page(programme, course):
    form = CourseForm(obj=course)
    candidates = _candidates(course)
    # Suggesting saves nothing, so it runs even on a half-filled form (CSRF is checked app-wide).
    if form.is_submitted() and request.form.get("action") == "suggest":
        candidates = _with_suggestions(form, candidates)
        fresh = [c for c in candidates if c.get("fresh")]
        if fresh:
            flash(
                _(
                    "%(n)d skills found in the text; the %(ticked)d it states clearly are "
                    "ticked. Check each against the sentence shown, untick those the course "
                    "does not teach, tick the others it does, adjust the levels, then save.",
                    n=len(fresh),
                    ticked=sum(1 for c in fresh if c["checked"]),
                ),
                "info",
            )
        else:
            flash(_("No new skill was found in the name and syllabus."), "info")
    elif form.validate_on_submit():
        data = service.CourseInput(
            code=form.code.data,
            name=form.name.data,
            credits=form.credits.data or 0,
            syllabus=form.syllabus.data or "",
            skills=[(c["skill"].slug, c["level"]) for c in candidates if c["checked"]],
            extra=parse_skill_terms(form.extra_skills.data or ""),
        )
        try:
            service.save_course(programme, current_user, data, course)
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            flash(_("The course is saved; the programme's skills are updated."), "success")
            return redirect(url_for("college.programme_detail", programme_id=programme.id))
    return render_template(
        "college/course_form.html",
        form=form,
        programme=programme,
        course=course,
        candidates=candidates,
        skills_help=SKILLS_HELP,
        pretick=service.SUGGESTION_PRETICK,
    )


@bp.route("/programmes/<int:programme_id>/courses/new", methods=["GET", "POST"])
def course_create(programme_id: int):
    return _course_page(service.editable(current_user, programme_id), None)


@bp.route("/courses/<int:course_id>/edit", methods=["GET", "POST"])
def course_edit(course_id: int):
    course = service.course_editable(current_user, course_id)
    return _course_page(course.programme, course)


@bp.route("/courses/<int:course_id>/delete", methods=["POST"])
def course_delete(course_id: int):
    course = service.course_editable(current_user, course_id)
    programme_id = course.programme_id
    if ActionForm().validate_on_submit():
        service.delete_course(course, current_user)
        flash(_("The course is deleted; the programme's skills are updated."), "success")
    return redirect(url_for("college.programme_detail", programme_id=programme_id))
