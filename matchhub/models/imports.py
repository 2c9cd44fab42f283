"""Uploaded learner files waiting between their preview and their commit, and the rows
an import skipped.

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
    #: The scale the file's GPA column is written on (4 or 10), chosen on the upload form.
    gpa_scale: Mapped[int] = mapped_column(sa.SmallInteger, default=4, server_default="4")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class RejectedRows(db.Model):
    """The rows an import skipped for their errors, as written in the file, with why.

    Kept a while after the commit (whose upload is gone) so that the college can
    download them, fix them and upload them again.
    """

    __tablename__ = "import_rejects"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Random, unguessable, and only ever looked up together with the college id.
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    college_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(sa.String(200))
    #: The file's header row as written, then the rows (cells as read, the reason last).
    headers: Mapped[list] = mapped_column(sa.JSON)
    rows: Mapped[list] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
