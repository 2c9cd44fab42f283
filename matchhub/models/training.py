"""Colleges' offers in answer to enterprises' training orders."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchhub.extensions import db
from matchhub.models._types import UTCDateTime, enum_column, utcnow
from matchhub.models.orders import Order
from matchhub.models.orgs import Organization, VerificationState

if TYPE_CHECKING:
    from matchhub.models.accounts import User
    from matchhub.models.learners import Programme


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
    # How a learner signs up once the enterprise accepts (contact, phone, link, steps):
    # learners never apply to a training order, they enrol with the college.
    enrolment: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
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

    @hybrid_property
    def is_open_to_learners(self) -> bool:
        """Training a college agreed to deliver, shown to learners with how to enrol: the
        enterprise accepted the offer, the college is still verified and the order still
        shows its agreed training (``Order.shows_agreed_training``)."""
        return (
            self.status is OfferStatus.ACCEPTED
            and self.college.state is VerificationState.VERIFIED
            and self.order.shows_agreed_training
        )

    @is_open_to_learners.inplace.expression
    @classmethod
    def _is_open_to_learners_expression(cls) -> sa.ColumnElement[bool]:
        # Uncorrelated INs, like Order.is_live: usable with or without joins.
        verified = sa.select(Organization.id).where(
            Organization.state == VerificationState.VERIFIED
        )
        shown = sa.select(Order.id).where(Order.shows_agreed_training)
        return sa.and_(
            cls.status == OfferStatus.ACCEPTED,
            cls.college_id.in_(verified),
            cls.order_id.in_(shown),
        )
