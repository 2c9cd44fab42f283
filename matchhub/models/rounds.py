"""Internship allocation rounds run by the province office."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchhub.extensions import db
from matchhub.models._types import UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from matchhub.models.accounts import User
    from matchhub.models.learners import Learner
    from matchhub.models.orders import Order


class RoundStatus(enum.StrEnum):
    DRAFT = "draft"  # being set up: orders and capacities
    OPEN = "open"  # learners and enterprises rank until the deadline
    CLOSED = "closed"  # ranking over; the office runs and reviews the allocation
    PUBLISHED = "published"  # results are final and visible


class AllocationRound(db.Model):
    __tablename__ = "allocation_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[RoundStatus] = mapped_column(
        enum_column(RoundStatus), default=RoundStatus.DRAFT, index=True
    )
    deadline: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set by each run: the office reviews the latest run before publishing it.
    ran_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    summary: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    # Who may take part and how well they must fit (services.round_rules.Rules as JSON).
    rules: Mapped[dict[str, Any]] = mapped_column(
        sa.JSON, default=dict, server_default=sa.text("'{}'")
    )
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_by: Mapped[User | None] = relationship()
    orders: Mapped[list[RoundOrder]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="RoundOrder.id"
    )


class RoundOrder(db.Model):
    """An internship order taking part in a round, with the seats it offers there."""

    __tablename__ = "round_orders"
    __table_args__ = (
        sa.UniqueConstraint("round_id", "order_id"),
        sa.CheckConstraint("capacity >= 0", name="capacity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("allocation_rounds.id", ondelete="CASCADE"), index=True
    )
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("orders.id", ondelete="CASCADE"))
    capacity: Mapped[int] = mapped_column(default=1)

    round: Mapped[AllocationRound] = relationship(back_populates="orders")
    order: Mapped[Order] = relationship()


class RoundChoice(db.Model):
    """A learner's ranked choice of one of the round's internships (rank 1 = best)."""

    __tablename__ = "round_choices"
    __table_args__ = (
        # Two unique constraints on the same leading column: named, so their names differ.
        sa.UniqueConstraint("round_id", "learner_id", "order_id", name="uq_round_choices_order"),
        sa.UniqueConstraint("round_id", "learner_id", "rank", name="uq_round_choices_rank"),
        sa.CheckConstraint("rank BETWEEN 1 AND 10", name="rank_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("allocation_rounds.id", ondelete="CASCADE"), index=True
    )
    learner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("learners.id", ondelete="CASCADE"), index=True
    )
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("orders.id", ondelete="CASCADE"))
    rank: Mapped[int]

    order: Mapped[Order] = relationship()


class RoundRanking(db.Model):
    """An enterprise's rank of a candidate for one order; ``rank`` is null when unacceptable."""

    __tablename__ = "round_rankings"
    __table_args__ = (sa.UniqueConstraint("round_id", "order_id", "learner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("allocation_rounds.id", ondelete="CASCADE"), index=True
    )
    order_id: Mapped[int] = mapped_column(sa.ForeignKey("orders.id", ondelete="CASCADE"))
    learner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("learners.id", ondelete="CASCADE"), index=True
    )
    rank: Mapped[int | None]
    unacceptable: Mapped[bool] = mapped_column(default=False)


class RoundResult(db.Model):
    """Where a learner ended up in a round (``order_id`` null: unmatched) and why."""

    __tablename__ = "round_results"
    __table_args__ = (sa.UniqueConstraint("round_id", "learner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("allocation_rounds.id", ondelete="CASCADE"), index=True
    )
    learner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("learners.id", ondelete="CASCADE"), index=True
    )
    order_id: Mapped[int | None] = mapped_column(sa.ForeignKey("orders.id", ondelete="SET NULL"))
    # explain_outcome's entries as plain data (order, choice, code, ranks, seats).
    explanation: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)

    learner: Mapped[Learner] = relationship()
    order: Mapped[Order | None] = relationship()
