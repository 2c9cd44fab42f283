"""Enterprises and training institutions, and their verification by the province."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchhub.extensions import db
from matchhub.models._types import UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from matchhub.models.accounts import Membership, User


class OrgKind(enum.StrEnum):
    ENTERPRISE = "enterprise"
    COLLEGE = "college"


class VerificationState(enum.StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"
    SUSPENDED = "suspended"


class Organization(db.Model):
    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[OrgKind] = mapped_column(enum_column(OrgKind), index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    # Short code a college is known by in imports and the CLI (e.g. "NDTC").
    code: Mapped[str | None] = mapped_column(sa.String(20), unique=True)
    tax_code: Mapped[str | None] = mapped_column(sa.String(14), index=True)
    locality: Mapped[str] = mapped_column(sa.String(40))
    sector: Mapped[str | None] = mapped_column(sa.String(40))
    address: Mapped[str | None] = mapped_column(sa.String(300))
    website: Mapped[str | None] = mapped_column(sa.String(200))
    description: Mapped[str | None] = mapped_column(sa.Text)
    state: Mapped[VerificationState] = mapped_column(
        enum_column(VerificationState), default=VerificationState.PENDING, index=True
    )
    state_reason: Mapped[str | None] = mapped_column(sa.String(500))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="organization", cascade="all, delete-orphan"
    )
    verified_by: Mapped[User | None] = relationship(foreign_keys=[verified_by_id])

    @property
    def is_verified(self) -> bool:
        return self.state is VerificationState.VERIFIED

    def __repr__(self) -> str:
        return f"<Organization {self.id} {self.kind} {self.name!r}>"
