"""The courses of a programme and the skills each course teaches.

A programme's skills (``ProgrammeSkill``) are the aggregate of its courses'
skills, the highest level per skill; the services keep them in step so the
pages and the engine that read ``ProgrammeSkill`` need not know about courses.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchhub.extensions import db
from matchhub.models._types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from matchhub.models.learners import Programme
    from matchhub.models.skills import Skill


class Course(db.Model):
    __tablename__ = "courses"
    __table_args__ = (
        sa.UniqueConstraint("programme_id", "code"),
        sa.CheckConstraint("credits BETWEEN 0 AND 60", name="credits_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(sa.String(30))
    name: Mapped[str] = mapped_column(sa.String(200))
    credits: Mapped[int] = mapped_column(default=0)
    syllabus: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    programme: Mapped[Programme] = relationship()
    skills: Mapped[list[CourseSkill]] = relationship(
        back_populates="course", cascade="all, delete-orphan", order_by="CourseSkill.id"
    )


class CourseSkill(db.Model):
    __tablename__ = "course_skills"
    __table_args__ = (
        sa.UniqueConstraint("course_id", "skill_id"),
        sa.CheckConstraint("level BETWEEN 1 AND 5", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        sa.ForeignKey("courses.id", ondelete="CASCADE"), index=True
    )
    skill_id: Mapped[int] = mapped_column(
        sa.ForeignKey("skills.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[int] = mapped_column(default=3)

    course: Mapped[Course] = relationship(back_populates="skills")
    skill: Mapped[Skill] = relationship()
