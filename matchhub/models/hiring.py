"""The later steps of an application: the interview and the job offer.

An application has at most one interview in progress at a time (earlier, cancelled
ones stay as history) and any number of offers, of which only the latest counts.
Both belong to the application: its access rule is theirs, and they go with it.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchhub.extensions import db
from matchhub.models._types import UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from matchhub.models.accounts import User
    from matchhub.models.orders import Application


class InterviewStatus(enum.StrEnum):
    PROPOSED = "proposed"  # HR offered slots; the learner has not picked one
    SCHEDULED = "scheduled"  # the learner picked a slot
    RESCHEDULE = "reschedule"  # the learner asked for another time
    CANCELLED = "cancelled"


class Interview(db.Model):
    """One interview of an application: the slots HR proposed and the one booked.

    ``sequence`` is the iCalendar SEQUENCE of the event sent so far: every change
    after the first invitation (a new time, a cancellation) raises it, so calendars
    replace their copy instead of keeping two.
    """

    __tablename__ = "interviews"
    __table_args__ = (
        sa.CheckConstraint("duration_minutes BETWEEN 5 AND 480", name="duration_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[InterviewStatus] = mapped_column(
        enum_column(InterviewStatus), default=InterviewStatus.PROPOSED
    )
    duration_minutes: Mapped[int] = mapped_column(default=60)
    location: Mapped[str | None] = mapped_column(sa.String(300))
    online_url: Mapped[str | None] = mapped_column(sa.String(500))
    note: Mapped[str | None] = mapped_column(sa.Text)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The learner's words when they ask for another time.
    request_message: Mapped[str | None] = mapped_column(sa.Text)
    sequence: Mapped[int] = mapped_column(default=0)
    # Whether any calendar event (.ics) of this interview went out: the next one then
    # carries a higher SEQUENCE.
    invited: Mapped[bool] = mapped_column(default=False)
    organizer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    application: Mapped[Application] = relationship()
    organizer: Mapped[User | None] = relationship()
    slots: Mapped[list[InterviewSlot]] = relationship(
        back_populates="interview", cascade="all, delete-orphan", order_by="InterviewSlot.starts_at"
    )

    @property
    def is_open(self) -> bool:
        return self.status is not InterviewStatus.CANCELLED


class InterviewSlot(db.Model):
    """A start time HR proposes for an interview."""

    __tablename__ = "interview_slots"

    id: Mapped[int] = mapped_column(primary_key=True)
    interview_id: Mapped[int] = mapped_column(
        sa.ForeignKey("interviews.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)

    interview: Mapped[Interview] = relationship(back_populates="slots")


class JobOfferStatus(enum.StrEnum):
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"  # replaced by a newer offer, or the application ended


class JobOffer(db.Model):
    """An enterprise's offer to a candidate; accepting it is the only way to "hired"."""

    __tablename__ = "job_offers"
    __table_args__ = (
        sa.CheckConstraint(
            "salary IS NULL OR salary BETWEEN 0 AND 1000000000", name="salary_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[JobOfferStatus] = mapped_column(
        enum_column(JobOfferStatus), default=JobOfferStatus.SENT
    )
    position: Mapped[str] = mapped_column(sa.String(200))
    start_date: Mapped[date]
    salary: Mapped[int | None] = mapped_column(sa.BigInteger)  # VND per month
    reply_by: Mapped[date]
    message: Mapped[str | None] = mapped_column(sa.Text)
    # The learner's words when they accept or decline.
    reply: Mapped[str | None] = mapped_column(sa.Text)
    sent_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    application: Mapped[Application] = relationship()
    sent_by: Mapped[User | None] = relationship()
