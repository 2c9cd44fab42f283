"""Personal API tokens: how another system acts as a user through /api/v1."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchhub.extensions import db
from matchhub.models._types import UTCDateTime, utcnow
from matchhub.models.accounts import User


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # What the owner calls it ("HR system", "college SIS"), to tell tokens apart.
    name: Mapped[str] = mapped_column(sa.String(80))
    # The first characters of the token, shown in the list so the owner can find a
    # leaked one; the token itself is never stored, only its SHA-256.
    prefix: Mapped[str] = mapped_column(sa.String(16))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the token may do, chosen when it is made: "read", or "read write" for a
    # system that also creates orders or imports cohorts. Tokens made before scopes
    # existed only read.
    scopes: Mapped[str] = mapped_column(sa.String(40), default="read", server_default="read")

    user: Mapped[User] = relationship()

    def allows(self, scope: str) -> bool:
        return scope in self.scopes.split()

    def __repr__(self) -> str:
        return f"<ApiToken {self.prefix}… of user {self.user_id}>"
