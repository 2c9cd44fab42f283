"""Next-skill advice for a learner: which skill unlocks the most open orders, and where
to learn it. Ranks through this worker's index, like every page."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from matchhub.extensions import db
from matchhub.matching import advice
from matchhub.models import (
    Course,
    CourseSkill,
    Learner,
    Organization,
    Programme,
    Skill,
    VerificationState,
)
from matchhub.services import engine_profiles
from matchhub.services.match_index import _holder, _state


@dataclass(frozen=True)
class Advice:
    """Learn ``skill`` to ``level`` and ``unlocks`` more open orders would qualify."""

    skill: Skill
    level: int
    unlocks: int
    order_ids: tuple[int, ...]
    programmes: list[Programme]
    courses: list[Course]


def next_skills(learner: Learner, k: int = 2, teaching_limit: int = 5) -> list[Advice]:
    """The ``k`` skills that would make the most open orders qualify for ``learner``,
    each with the programmes (verified colleges', short courses included) and courses
    that teach it, best level first. O(open orders) per candidate skill tried.
    """
    with _holder()["lock"]:
        state = _state()
        programme_profiles = engine_profiles.load_programmes(state.vocab)
        profile = engine_profiles.learner_profile(learner, state.vocab)
        found = advice.next_skills(
            state.index, profile, programme_profiles, k=k, candidates=list(state.orders)
        )
    if not found:
        return []
    skills = {
        s.slug: s
        for s in db.session.scalars(
            sa.select(Skill).where(Skill.slug.in_([a.skill_id for a in found]))
        )
    }
    wanted_programmes = {p.id for a in found for p in a.programmes[:teaching_limit]}
    programmes = {
        p.id: p
        for p in db.session.scalars(
            sa.select(Programme)
            .where(Programme.id.in_(wanted_programmes))
            .options(selectinload(Programme.organization))
        )
    }
    out = []
    for a in found:
        skill = skills.get(a.skill_id)
        if skill is None:
            continue
        out.append(
            Advice(
                skill=skill,
                level=a.level,
                unlocks=a.unlocks,
                order_ids=tuple(a.order_ids),
                programmes=[
                    programmes[p.id] for p in a.programmes[:teaching_limit] if p.id in programmes
                ],
                courses=_courses_teaching(skill, teaching_limit),
            )
        )
    return out


def _courses_teaching(skill: Skill, limit: int) -> list[Course]:
    return list(
        db.session.scalars(
            sa.select(Course)
            .join(CourseSkill, CourseSkill.course_id == Course.id)
            .join(Programme, Programme.id == Course.programme_id)
            .join(Organization, Organization.id == Programme.organization_id)
            .where(
                CourseSkill.skill_id == skill.id,
                Organization.state == VerificationState.VERIFIED,
            )
            .options(selectinload(Course.programme).selectinload(Programme.organization))
            .order_by(CourseSkill.level.desc(), Course.id)
            .limit(limit)
        )
    )
