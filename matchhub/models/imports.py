"""Uploaded learner files waiting between their preview and their commit.

The file itself is kept server-side (never a copy sent back by the browser):
the commit re-reads exactly the bytes that were previewed, checked against
their hash, for the same college and user, before the upload expires.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from matchhub.extensions import db
from matchhub.models._types import UTCDateTime, utcnow


class PendingImport(db.Model):
    __tablename__ = "pending_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Random, unguessable, and only ever looked up together with the college id.
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    college_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(sa.String(200))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
