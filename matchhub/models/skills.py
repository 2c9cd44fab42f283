"""The skill taxonomy as the web app stores it (seeded from matchhub/data/skills.json)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchhub.extensions import db
from matchhub.models._types import UTCDateTime, utcnow


class Skill(db.Model):
    __tablename__ = "skills"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The engine's stable id ("python", "spring-boot"): what links rows to the taxonomy.
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name_en: Mapped[str] = mapped_column(sa.String(160))
    name_vi: Mapped[str] = mapped_column(sa.String(160))
    category: Mapped[str] = mapped_column(sa.String(40), index=True)
    esco_uri: Mapped[str | None] = mapped_column(sa.String(200))
    onet: Mapped[str | None] = mapped_column(sa.String(200))
    # A merged skill keeps its row so old references resolve to the survivor.
    merged_into_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("skills.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    aliases: Mapped[list[SkillAlias]] = relationship(
        back_populates="skill", cascade="all, delete-orphan"
    )

    def name(self, locale: str) -> str:
        """The skill's name in ``locale`` (Vietnamese unless English is asked for)."""
        return self.name_en if locale == "en" else self.name_vi

    def __repr__(self) -> str:
        return f"<Skill {self.slug}>"


class SkillAlias(db.Model):
    __tablename__ = "skill_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    skill_id: Mapped[int] = mapped_column(
        sa.ForeignKey("skills.id", ondelete="CASCADE"), index=True
    )
    term: Mapped[str] = mapped_column(sa.String(160))
    # Accent-free, case-folded form of ``term``: one alias per key across the taxonomy.
    key: Mapped[str] = mapped_column(sa.String(160), unique=True)
    source: Mapped[str] = mapped_column(sa.String(20), default="taxonomy")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    skill: Mapped[Skill] = relationship(back_populates="aliases")
