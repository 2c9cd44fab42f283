"""In-app notifications: what the platform tells a user (a decision, a round result)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from matchhub.extensions import db
from matchhub.models._types import UTCDateTime, utcnow


class Notification(db.Model):
    """One message for one user; ``kind`` picks the translated wording, ``payload`` fills it.

    Stored as a code and data rather than prose so that it reads in the language
    the user has when they open it, not the one the sender had.
    """

    __tablename__ = "notifications"
    __table_args__ = (sa.Index("ix_notifications_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
