"""Training programmes, learners and the skills each has."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchhub.extensions import db
from matchhub.models._search import column_default, keep_in_step
from matchhub.models._types import UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from matchhub.models.accounts import User
    from matchhub.models.orgs import Organization
    from matchhub.models.skills import Skill


class ProgrammeLevel(enum.StrEnum):
    UNIVERSITY = "university"
    COLLEGE = "college"
    VOCATIONAL = "vocational"
    SHORT_COURSE = "short_course"


class Visibility(enum.StrEnum):
    HIDDEN = "hidden"
    ENTERPRISES = "enterprises"  # verified enterprises only
    VERIFIED = "verified"  # every verified user


class Programme(db.Model):
    __tablename__ = "programmes"
    __table_args__ = (sa.UniqueConstraint("organization_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(sa.String(30))
    name: Mapped[str] = mapped_column(sa.String(200))
    level: Mapped[ProgrammeLevel] = mapped_column(enum_column(ProgrammeLevel))
    field: Mapped[str] = mapped_column(sa.String(120))
    yearly_intake: Mapped[int] = mapped_column(default=0)
    description: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organization: Mapped[Organization] = relationship()
    skills: Mapped[list[ProgrammeSkill]] = relationship(
        back_populates="programme", cascade="all, delete-orphan"
    )


class ProgrammeSkill(db.Model):
    __tablename__ = "programme_skills"
    __table_args__ = (
        sa.UniqueConstraint("programme_id", "skill_id"),
        sa.CheckConstraint("level BETWEEN 1 AND 5", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    skill_id: Mapped[int] = mapped_column(
        sa.ForeignKey("skills.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[int] = mapped_column(default=3)

    programme: Mapped[Programme] = relationship(back_populates="skills")
    skill: Mapped[Skill] = relationship()


#: The name an erased learner keeps: the column is not nullable, and "—" reads as nobody.
ERASED_NAME = "—"


class Learner(db.Model):
    """A person's profile: signed up, or imported by a college and claimed later."""

    __tablename__ = "learners"
    __table_args__ = (
        sa.UniqueConstraint("college_id", "student_code"),
        # GPA is kept out of 4 (services.import_rows.GPA_STORED_SCALE); see 0018_gpa_out_of_4.
        sa.CheckConstraint("gpa IS NULL OR (gpa >= 0 AND gpa <= 4)", name="gpa_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), unique=True
    )
    college_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    programme_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("programmes.id", ondelete="SET NULL"), index=True
    )
    student_code: Mapped[str | None] = mapped_column(sa.String(30))
    full_name: Mapped[str] = mapped_column(sa.String(120))
    date_of_birth: Mapped[date | None]
    email: Mapped[str | None] = mapped_column(sa.String(254), index=True)
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    graduation_year: Mapped[int | None] = mapped_column(index=True)
    gpa: Mapped[Decimal | None] = mapped_column(sa.Numeric(4, 2))
    locality: Mapped[str | None] = mapped_column(sa.String(40), index=True)
    preferred_localities: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    available_from: Mapped[date | None]
    cv_text: Mapped[str] = mapped_column(sa.Text, default="")
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility), default=Visibility.ENTERPRISES, index=True
    )
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consent_purpose: Mapped[str | None] = mapped_column(sa.String(200))
    # Lets an imported learner claim the profile; cleared once claimed.
    claim_code: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    # The invitation to claim it (see services/invitations.py): "held" until the college is
    # verified, "later" until the college sends it, "never", "queued", then "sent".
    invitation: Mapped[str | None] = mapped_column(sa.String(10), index=True)
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Name and CV text folded for the enterprise's accent-free search (models/_search.py).
    search_text: Mapped[str] = mapped_column(
        sa.Text, default=column_default("full_name", "cv_text"), server_default=""
    )

    user: Mapped[User | None] = relationship()
    college: Mapped[Organization | None] = relationship()
    programme: Mapped[Programme | None] = relationship()
    skills: Mapped[list[LearnerSkill]] = relationship(
        back_populates="learner", cascade="all, delete-orphan", order_by="LearnerSkill.id"
    )

    @property
    def has_consent(self) -> bool:
        return self.consent_at is not None

    @property
    def is_erased(self) -> bool:
        """Whether the learner deleted their account: the row stays, anonymised, only so
        that placement statistics still count (see services.privacy.delete_account)."""
        return self.user_id is None and self.student_code is None and self.full_name == ERASED_NAME


keep_in_step(Learner, "full_name", "cv_text")


class LearnerSkill(db.Model):
    """A skill a learner claims; ``skill_id`` is null for a term the taxonomy does not know."""

    __tablename__ = "learner_skills"
    __table_args__ = (sa.CheckConstraint("level BETWEEN 1 AND 5", name="level_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("learners.id", ondelete="CASCADE"), index=True
    )
    skill_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("skills.id", ondelete="SET NULL"), index=True
    )
    term: Mapped[str] = mapped_column(sa.String(160))
    level: Mapped[int] = mapped_column(default=3)

    learner: Mapped[Learner] = relationship(back_populates="skills")
    skill: Mapped[Skill | None] = relationship()
