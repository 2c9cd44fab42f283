"""Background jobs that failed in the web process (no queue configured).

With RQ, failed jobs stay in RQ's own failed-job registry; without it (``make run``,
a small install) a job that raises is written here, so the province office sees it
and can run it again. ``args`` keeps what a retry needs; pages show only ``summary``,
which names the job and counts its arguments, never their values.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from matchhub.extensions import db
from matchhub.models._types import UTCDateTime, utcnow


class FailedJob(db.Model):
    __tablename__ = "failed_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    func: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.String(200))
    # The arguments as JSON, for a retry; null when they could not be kept.
    args: Mapped[Any | None] = mapped_column(sa.JSON)
    error: Mapped[str] = mapped_column(sa.String(500))
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
