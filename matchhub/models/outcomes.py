"""What a graduate was doing 6 and 12 months after graduating, and the survey asking it.

One row per learner and wave (6 or 12 months). The row exists once a survey is queued
for that wave or once someone records the answer: the learner through the survey link,
or their college. ``situation`` is null while the survey waits for an answer. The
answer is the learner's personal data: it is in their data export and goes with their
account (see services/privacy.py).
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchhub.extensions import db
from matchhub.models._types import UTCDateTime, enum_column, utcnow
from matchhub.models.learners import Learner

#: The waves: months after graduation.
WAVES = (6, 12)


class Situation(enum.StrEnum):
    EMPLOYED_IN_FIELD = "employed_in_field"
    EMPLOYED_ELSEWHERE = "employed_elsewhere"
    STUDYING = "studying"
    SEEKING = "seeking"


class OutcomeSource(enum.StrEnum):
    LEARNER = "learner"  # the learner's own answer to the survey
    COLLEGE = "college"  # recorded by their college


class GraduateOutcome(db.Model):
    __tablename__ = "graduate_outcomes"
    __table_args__ = (
        sa.UniqueConstraint("learner_id", "wave"),
        sa.CheckConstraint("wave IN (6, 12)", name="wave_months"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("learners.id", ondelete="CASCADE"), index=True
    )
    wave: Mapped[int]
    situation: Mapped[Situation | None] = mapped_column(enum_column(Situation), index=True)
    source: Mapped[OutcomeSource | None] = mapped_column(enum_column(OutcomeSource, 10))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The survey mail, as invitations: "queued" while a job is to send it, then "sent".
    survey: Mapped[str | None] = mapped_column(sa.String(10))
    survey_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    learner: Mapped[Learner] = relationship()
