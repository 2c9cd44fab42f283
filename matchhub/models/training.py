"""Colleges' offers in answer to enterprises' training orders."""

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
    from matchhub.models.learners import Programme
    from matchhub.models.orders import Order
    from matchhub.models.orgs import Organization


class OfferStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class TrainingMode(enum.StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    BLENDED = "blended"


class TrainingOffer(db.Model):
    """A college's answer to a training order: a programme or a short course, with seats."""

    __tablename__ = "training_offers"
    __table_args__ = (
        sa.CheckConstraint("seats BETWEEN 1 AND 1000", name="seats_range"),
        sa.Index("ix_training_offers_order_status", "order_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        sa.ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    college_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    programme_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("programmes.id", ondelete="SET NULL")
    )
    course_name: Mapped[str] = mapped_column(sa.String(200), default="")
    seats: Mapped[int] = mapped_column(default=1)
    start_date: Mapped[date | None]
    note: Mapped[str] = mapped_column(sa.Text, default="")
    # What the enterprise weighs before accepting; each is optional.
    fee_per_trainee: Mapped[int | None]  # VND
    duration_weeks: Mapped[int | None]
    mode: Mapped[TrainingMode | None] = mapped_column(enum_column(TrainingMode))
    location: Mapped[str | None] = mapped_column(sa.String(200))
    status: Mapped[OfferStatus] = mapped_column(
        enum_column(OfferStatus), default=OfferStatus.PENDING, index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    order: Mapped[Order] = relationship()
    college: Mapped[Organization] = relationship()
    programme: Mapped[Programme | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
