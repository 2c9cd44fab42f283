"""What the matching index of every worker must follow: a version and a change log.

Each service that changes learners, their skills, visibility or consent, orders or
their skills calls ``services.matching.touch()`` before it commits. That bumps
``EngineState.version`` in the same transaction and logs which rows changed in
``EngineChange``; a worker whose in-memory index is at an older version patches
exactly those rows (or rebuilds when too much changed).
"""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from matchhub.extensions import db
from matchhub.models._types import UTCDateTime, utcnow


def _epoch() -> str:
    return uuid.uuid4().hex


class EngineState(db.Model):
    """One row per index (key "matching"): its version, bumped by every relevant write."""

    __tablename__ = "engine_state"

    key: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
    # A new row (a restored or emptied database) gets a new epoch, so a worker never
    # mistakes another history's version N for the one it has seen.
    epoch: Mapped[str] = mapped_column(sa.String(32), default=_epoch)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class EngineChange(db.Model):
    """A learner or order that changed at ``version``; kind "all" means rebuild everything."""

    __tablename__ = "engine_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    object_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
