"""Messages between an enterprise's HR and a candidate, kept with the application."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchhub.extensions import db
from matchhub.models._types import UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from matchhub.models.accounts import User
    from matchhub.models.orders import Application


class Side(enum.StrEnum):
    """Which side of an application wrote a message."""

    ENTERPRISE = "enterprise"
    LEARNER = "learner"


class ApplicationMessage(db.Model):
    """One message of an application's thread, plain text.

    ``side`` is stored, not derived from the author: an author's account may go
    (``author_id`` becomes null) while the thread must still read right. ``read_at``
    is when the other side first saw it (for an enterprise: any of its users).
    """

    __tablename__ = "application_messages"
    __table_args__ = (
        sa.Index("ix_application_messages_unread", "application_id", "side", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE")
    )
    side: Mapped[Side] = mapped_column(enum_column(Side))
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    application: Mapped[Application] = relationship()
    author: Mapped[User | None] = relationship()
