"""The skill taxonomy as the web app stores it (seeded from matchhub/data/skills.json)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchhub.extensions import db
from matchhub.models._types import UTCDateTime, utcnow
from matchhub.models.accounts import User


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


class SkillMerge(db.Model):
    """One merge of a skill into another, with exactly the rows it rewrote, so that it can
    be listed and undone (:mod:`matchhub.services.skill_merges` writes and reads ``journal``).

    The two skills keep their rows after a merge (the source as merged), so the history
    names them by id; a skill is never deleted by the app.
    """

    __tablename__ = "skill_merges"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(
        sa.ForeignKey("skills.id", ondelete="CASCADE"), index=True
    )
    target_id: Mapped[int] = mapped_column(
        sa.ForeignKey("skills.id", ondelete="CASCADE"), index=True
    )
    # Kept after the account is deleted, like the audit log.
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Rows moved per kind of reference, for the history list.
    counts: Mapped[dict[str, int]] = mapped_column(sa.JSON, default=dict)
    # Per referencing table, the ids moved and the rows dropped or changed.
    journal: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    undone_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    source: Mapped[Skill] = relationship(foreign_keys=[source_id])
    target: Mapped[Skill] = relationship(foreign_keys=[target_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    undone_by: Mapped[User | None] = relationship(foreign_keys=[undone_by_id])
