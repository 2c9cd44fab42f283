"""A learner's saved openings and weekly alerts of new matches (personal data: exported
with "my data" and erased with the account, see services/privacy.py)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchhub.extensions import db
from matchhub.models._types import UTCDateTime, enum_column, utcnow
from matchhub.models.orders import OrderKind

if TYPE_CHECKING:
    from matchhub.models.learners import Learner
    from matchhub.models.orders import Order


class SavedOrder(db.Model):
    """An opening a learner keeps to come back to; it stays when the opening closes, so
    the learner sees it closed rather than gone."""

    __tablename__ = "saved_orders"
    __table_args__ = (sa.UniqueConstraint("learner_id", "order_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("learners.id", ondelete="CASCADE"), index=True
    )
    order_id: Mapped[int] = mapped_column(
        sa.ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    order: Mapped[Order] = relationship()


class AlertSubscription(db.Model):
    """A learner's weekly mail of new openings the engine scores at least ``min_score``
    percent for them; ``kind`` keeps one kind of opening (None: jobs and internships)."""

    __tablename__ = "alert_subscriptions"
    __table_args__ = (sa.CheckConstraint("min_score BETWEEN 0 AND 100", name="min_score_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("learners.id", ondelete="CASCADE"), unique=True
    )
    active: Mapped[bool] = mapped_column(default=True)
    min_score: Mapped[int] = mapped_column(default=70)
    kind: Mapped[OrderKind | None] = mapped_column(enum_column(OrderKind))
    # Openings published up to this instant were considered by the last run (or, before
    # the first run, the subscription's start): the next run looks only after it.
    checked_until: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # ISO week ("2026-W49") of the last run that considered this learner: one mail a week.
    last_week: Mapped[str | None] = mapped_column(sa.String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    learner: Mapped[Learner] = relationship()


class AlertSent(db.Model):
    """One opening mailed to one learner in one week's alert (never mailed twice)."""

    __tablename__ = "alerts_sent"
    __table_args__ = (sa.UniqueConstraint("learner_id", "order_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("learners.id", ondelete="CASCADE"), index=True
    )
    order_id: Mapped[int] = mapped_column(
        sa.ForeignKey("orders.id", ondelete="CASCADE"), index=True
    )
    week: Mapped[str] = mapped_column(sa.String(8))
    score: Mapped[int]  # percent, as the mail showed it
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    order: Mapped[Order] = relationship()
