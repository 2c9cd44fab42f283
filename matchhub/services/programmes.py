"""A college's programmes, their courses, and the skills each course teaches.

A programme's skills (``ProgrammeSkill``) are the aggregate of its courses'
skills, the highest level per skill, rewritten whenever a course changes, so
the pages and the engine that read ``ProgrammeSkill`` see courses without
knowing about them. A programme without any course keeps the skills it was
given directly (the demo province and older data).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from matchhub.extensions import db
from matchhub.matching.extract import PRETICK, Suggestion
from matchhub.matching.types import DEFAULT_LEVEL
from matchhub.models import (
    Course,
    CourseSkill,
    Organization,
    Programme,
    ProgrammeLevel,
    ProgrammeSkill,
    Skill,
    User,
)
from matchhub.security import owned_or_404
from matchhub.services import ServiceError, audit, taxonomy_cache

#: Level a suggested skill starts at in the form.
SUGGESTED_LEVEL = DEFAULT_LEVEL
#: A suggestion at least this confident comes ticked on the form.
SUGGESTION_PRETICK = PRETICK


@dataclass(frozen=True)
class ProgrammeInput:
    code: str
    name: str
    level: ProgrammeLevel
    field: str
    yearly_intake: int
    description: str


@dataclass(frozen=True)
class CourseInput:
    """A course as filled in: ``skills`` are (skill slug, level) pairs the user confirmed;
    ``extra`` free-text (term, level) pairs typed in besides the suggestions."""

    code: str
    name: str
    credits: int
    syllabus: str
    skills: list[tuple[str, int]]
    extra: list[tuple[str, int]]


_PROGRAMME_LOADS = (
    selectinload(Programme.skills).selectinload(ProgrammeSkill.skill),
    selectinload(Programme.organization),
)


def readable(user: User, programme_id: int) -> Programme:
    """The programme with its skills when it is the college's of ``user``; else 404."""
    return owned_or_404(Programme, user, Programme.id == programme_id, options=_PROGRAMME_LOADS)


def editable(user: User, programme_id: int) -> Programme:
    """The programme when ``user``'s college may change it (its own); else 404."""
    return owned_or_404(
        Programme, user, Programme.id == programme_id, write=True, options=_PROGRAMME_LOADS
    )


def courses_of(programme: Programme) -> list[Course]:
    """The programme's courses by code, with the skills each teaches."""
    return list(
        db.session.scalars(
            sa.select(Course)
            .where(Course.programme_id == programme.id)
            .options(selectinload(Course.skills).selectinload(CourseSkill.skill))
            .order_by(Course.code)
        )
    )


def course_editable(user: User, course_id: int) -> Course:
    """The course with its skills and programme when it is the college's of ``user``; else
    404."""
    return owned_or_404(
        Course,
        user,
        Course.id == course_id,
        write=True,
        options=(
            selectinload(Course.skills).selectinload(CourseSkill.skill),
            selectinload(Course.programme).selectinload(Programme.organization),
        ),
    )


def save_programme(
    college: Organization, user: User, data: ProgrammeInput, programme: Programme | None = None
) -> Programme:
    """Create a programme of ``college`` or update ``programme``; codes are unique per college."""
    code = data.code.strip()
    clash = db.session.scalar(
        sa.select(Programme.id).where(
            Programme.organization_id == college.id,
            sa.func.lower(Programme.code) == code.lower(),
            Programme.id != (programme.id if programme is not None else -1),
        )
    )
    if clash is not None:
        raise ServiceError(_("Another of your programmes already has this code."), field="code")
    created = programme is None
    if created:
        programme = Programme(organization_id=college.id)
        db.session.add(programme)
    programme.code = code
    programme.name = data.name.strip()
    programme.level = data.level
    programme.field = data.field.strip()
    programme.yearly_intake = data.yearly_intake
    programme.description = data.description.strip() or None
    db.session.flush()
    audit.record(
        "programme.created" if created else "programme.updated",
        actor=user,
        organization_id=college.id,
        obj=programme,
    )
    db.session.commit()
    return programme


@dataclass(frozen=True)
class SkillSuggestion:
    """A skill the course's text names: how sure the extractor is (0..1), the sentence
    that triggered it, and whether the form ticks it (only the confident ones)."""

    skill: Skill
    confidence: float
    evidence: str
    pre_ticked: bool


def suggest_skills(*texts: str, kind: str = "syllabus") -> list[SkillSuggestion]:
    """Skills a course's name and syllabus (Vietnamese or English) teach, first mention
    first, each with its confidence and evidence; a skill found in several texts keeps its
    most confident finding. Lecturers' titles, textbooks, the teaching platform and generic
    skills are not suggested (see ``matchhub.matching.extract_context``). O(length of the
    texts). ``kind`` is the extractor's kind of text: a learner's CV is "text"."""
    best: dict[str, Suggestion] = {}
    for text in texts:
        for found in taxonomy_cache.extractor().suggest(text or "", kind=kind):
            if found.skill_id not in best or found.confidence > best[found.skill_id].confidence:
                best[found.skill_id] = found
    skills = skills_by_slug(list(best))
    return [
        SkillSuggestion(s, best[s.slug].confidence, best[s.slug].evidence, best[s.slug].pre_ticked)
        for s in skills
    ]


def skills_by_slug(slugs: list[str]) -> list[Skill]:
    """The skills of ``slugs`` in that order (unknown slugs dropped)."""
    if not slugs:
        return []
    found = {s.slug: s for s in db.session.scalars(sa.select(Skill).where(Skill.slug.in_(slugs)))}
    return [found[s] for s in slugs if s in found]


def _course_skills(data: CourseInput) -> dict[int, int]:
    """Skill id -> level for the confirmed skills plus the typed ones (unknown terms refused)."""
    levels: dict[int, int] = {}
    by_slug = {s.slug: s.id for s in skills_by_slug([slug for slug, _ in data.skills])}
    for slug, level in data.skills:
        if slug in by_slug:
            levels[by_slug[slug]] = max(level, levels.get(by_slug[slug], 0))
    if data.extra:
        terms = [t for t, _ in data.extra]
        normalized = taxonomy_cache.normalize_terms(terms)
        unknown = [t for t, n in zip(terms, normalized, strict=True) if n.skill_id is None]
        if unknown:
            raise ServiceError(
                _("Not in the skill taxonomy: %(terms)s. Use another name, or ask the province "
                  "office to add it.", terms=", ".join(unknown)),
                field="extra_skills",
            )  # fmt: skip
        ids = {s.slug: s.id for s in skills_by_slug([n.skill_id for n in normalized if n.skill_id])}
        for (_term, level), n in zip(data.extra, normalized, strict=True):
            sid = ids.get(n.skill_id)
            if sid is not None:
                levels[sid] = max(level, levels.get(sid, 0))
    return levels


def save_course(
    programme: Programme, user: User, data: CourseInput, course: Course | None = None
) -> Course:
    """Create or update a course of ``programme`` with the skills the user confirmed,
    then rewrite the programme's skills as the aggregate of its courses."""
    code = data.code.strip()
    clash = db.session.scalar(
        sa.select(Course.id).where(
            Course.programme_id == programme.id,
            sa.func.lower(Course.code) == code.lower(),
            Course.id != (course.id if course is not None else -1),
        )
    )
    if clash is not None:
        raise ServiceError(_("This programme already has a course with this code."), field="code")
    levels = _course_skills(data)
    created = course is None
    if created:
        course = Course(programme_id=programme.id)
        db.session.add(course)
    course.code = code
    course.name = data.name.strip()
    course.credits = data.credits
    course.syllabus = data.syllabus.strip()
    keep = {cs.skill_id: cs for cs in course.skills}
    course.skills = [
        _course_skill(keep.get(sid), sid, level) for sid, level in sorted(levels.items())
    ]
    db.session.flush()
    _aggregate(programme)
    audit.record(
        "course.created" if created else "course.updated",
        actor=user,
        organization_id=programme.organization_id,
        obj=course,
        skills=len(levels),
    )
    db.session.commit()
    return course


def _course_skill(row: CourseSkill | None, skill_id: int, level: int) -> CourseSkill:
    if row is None:
        return CourseSkill(skill_id=skill_id, level=level)
    row.level = level
    return row


def delete_course(course: Course, user: User) -> None:
    """Remove a course; the programme's skills follow its remaining courses."""
    programme = course.programme
    audit.record(
        "course.deleted", actor=user, organization_id=programme.organization_id, obj=course
    )
    db.session.delete(course)
    db.session.flush()
    _aggregate(programme, allow_empty=True)
    db.session.commit()


def _aggregate(programme: Programme, allow_empty: bool = False) -> None:
    """Rewrite ``ProgrammeSkill`` as the highest level per skill over the courses (flushes)."""
    rows = db.session.execute(
        sa.select(CourseSkill.skill_id, sa.func.max(CourseSkill.level))
        .join(Course)
        .where(Course.programme_id == programme.id)
        .group_by(CourseSkill.skill_id)
    ).all()
    has_courses = db.session.scalar(
        sa.select(sa.func.count(Course.id)).where(Course.programme_id == programme.id)
    )
    if not has_courses and not allow_empty:
        return
    wanted = dict(rows)
    current = {ps.skill_id: ps for ps in programme.skills}
    for skill_id, ps in current.items():
        if skill_id not in wanted:
            programme.skills.remove(ps)
    for skill_id, level in wanted.items():
        if skill_id in current:
            current[skill_id].level = level
        else:
            programme.skills.append(ProgrammeSkill(skill_id=skill_id, level=level))
    db.session.flush()
