"""Learners as their college and they themselves see them."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import defaultload, selectinload

from matchhub.extensions import db
from matchhub.models import (
    Learner,
    LearnerSkill,
    Organization,
    Programme,
    ProgrammeSkill,
    SkillAlias,
    User,
)
from matchhub.services.openings import escaped_words


def learner_of_user(user: User) -> Learner | None:
    """``user``'s learner row; its skills, programme and college load when first read.

    The learner pages read different parts of it: the applications, openings,
    privacy and round pages only its columns, the dashboard, order and advice
    pages its skills, the profile pages all of it. Eager loads cost every page
    four more queries. The skills come with their taxonomy rows in one query, so
    a profile page runs the same queries however many skills it shows.
    """
    return db.session.scalar(
        sa.select(Learner)
        .where(Learner.user_id == user.id)
        .options(defaultload(Learner.skills).joinedload(LearnerSkill.skill))
    )


def programmes_of(college: Organization) -> list[Programme]:
    return list(
        db.session.scalars(
            sa.select(Programme)
            .where(Programme.organization_id == college.id)
            .options(selectinload(Programme.skills).selectinload(ProgrammeSkill.skill))
            .order_by(Programme.name)
        )
    )


def learner_counts_by_programme(college: Organization) -> dict[int | None, int]:
    rows = db.session.execute(
        sa.select(Learner.programme_id, sa.func.count(Learner.id))
        .where(Learner.college_id == college.id)
        .group_by(Learner.programme_id)
    )
    return dict(rows.all())


def learners_of(
    college: Organization,
    *,
    search: str | None = None,
    programme_id: int | None = None,
    graduation_year: int | None = None,
    page: int = 1,
    per_page: int = 50,
):
    """A college's own learners (never another college's), filtered and paginated."""
    query = (
        sa.select(Learner)
        .where(Learner.college_id == college.id)
        .options(selectinload(Learner.programme))
        .order_by(Learner.full_name, Learner.id)
    )
    if search:
        like = f"%{search.strip()}%"
        query = query.where(sa.or_(Learner.full_name.ilike(like), Learner.student_code.ilike(like)))
    if programme_id:
        query = query.where(Learner.programme_id == programme_id)
    if graduation_year:
        query = query.where(Learner.graduation_year == graduation_year)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def graduation_years(college: Organization) -> list[int]:
    return list(
        db.session.scalars(
            sa.select(Learner.graduation_year)
            .where(Learner.college_id == college.id, Learner.graduation_year.is_not(None))
            .distinct()
            .order_by(Learner.graduation_year.desc())
        )
    )


def get_learner(learner_id: int) -> Learner | None:
    return db.session.scalar(
        sa.select(Learner)
        .where(Learner.id == learner_id)
        .options(
            selectinload(Learner.skills).selectinload(LearnerSkill.skill),
            selectinload(Learner.programme),
        )
    )


def search_ids(query: str | None) -> frozenset[int] | None:
    """Ids of the learners whose name, CV text or skills hold every word of ``query``
    (accents and case ignored), for the candidates page; None when ``query`` has no word.

    Each word matches the folded name and CV (``Learner.search_text``) or the name of a
    skill the learner lists (a taxonomy alias, or their own term). One query in the
    database; ranking then keeps only the matchable ones among them.
    """
    words = escaped_words(query)
    if not words:
        return None
    conditions = []
    for word in words:
        pattern = f"%{word}%"
        by_skill = sa.select(LearnerSkill.learner_id).where(
            sa.or_(
                LearnerSkill.skill_id.in_(
                    sa.select(SkillAlias.skill_id).where(SkillAlias.key.like(pattern, escape="\\"))
                ),
                sa.func.lower(LearnerSkill.term).like(pattern, escape="\\"),
            )
        )
        text = Learner.search_text.like(pattern, escape="\\")
        conditions.append(sa.or_(text, Learner.id.in_(by_skill)))
    return frozenset(db.session.scalars(sa.select(Learner.id).where(*conditions)))
