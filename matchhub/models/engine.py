"""What the matching caches of every worker follow: one version and a change log.

Every transaction that changes learners, their skills, visibility or consent, orders
or their skills, organisations' verification or the taxonomy bumps
``EngineState.version`` and logs which rows changed in ``EngineChange``, through
session events (:mod:`matchhub.services.cache_version`); a worker whose in-memory
index is at an older version patches exactly those rows (or rebuilds when too much
changed).
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
    """A learner or order that changed at ``version``; kind "taxonomy" (skills or
    aliases) or "all" means rebuild everything."""

    __tablename__ = "engine_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    object_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
