"""A learner's uploaded CV file, kept so that they can download, replace or delete it.

At most one per learner. The bytes live in the database (a few MB at most, see
``matchhub.services.cvs.MAX_BYTES``) so that backups, the data export and erasure
treat the file like the rest of the learner's personal data.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from matchhub.extensions import db
from matchhub.models._types import UTCDateTime, utcnow


class LearnerCV(db.Model):
    __tablename__ = "learner_cvs"

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        sa.ForeignKey("learners.id", ondelete="CASCADE"), unique=True
    )
    filename: Mapped[str] = mapped_column(sa.String(200))
    # Decided from the bytes (never from the browser's word): one of services.cvs.TYPES.
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
