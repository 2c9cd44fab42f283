"""The skill taxonomy in the database, kept in step with the shipped file."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from matchhub.extensions import db
from matchhub.matching.taxonomy import Taxonomy, load_taxonomy
from matchhub.matching.text import fold
from matchhub.models import Skill, SkillAlias


@dataclass(frozen=True)
class SyncReport:
    skills_added: int
    skills_updated: int
    aliases_added: int


def sync_taxonomy(taxonomy: Taxonomy | None = None) -> SyncReport:
    """Insert or update every skill of ``taxonomy`` (default: the shipped one) with its aliases.

    Idempotent: a second run changes nothing. Names of existing skills follow the
    file; aliases an admin added are kept. An alias whose accent-free key already
    belongs to another skill is skipped (the first owner keeps it). O(skills + aliases).
    """
    taxonomy = taxonomy or load_taxonomy()
    existing = {s.slug: s for s in db.session.scalars(sa.select(Skill))}
    keys = set(db.session.scalars(sa.select(SkillAlias.key)))
    added = updated = aliases_added = 0
    new_aliases: list[tuple[Skill, str, str]] = []
    for item in taxonomy:
        row = existing.get(item.id)
        fields = {
            "name_en": item.name_en[:160],
            "name_vi": item.name_vi[:160],
            "category": item.category,
            "esco_uri": item.esco_uri,
            "onet": (item.onet or None) and item.onet[:200],
        }
        if row is None:
            row = Skill(slug=item.id, **fields)
            db.session.add(row)
            existing[item.id] = row
            added += 1
        elif any(getattr(row, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(row, k, v)
            updated += 1
        for term in item.labels():
            key = fold(term)[:160]
            if key and key not in keys:
                keys.add(key)
                new_aliases.append((row, term[:160], key))
    db.session.flush()
    if new_aliases:
        db.session.execute(
            sa.insert(SkillAlias),
            [
                {"skill_id": s.id, "term": t, "key": k, "source": "taxonomy"}
                for s, t, k in new_aliases
            ],
        )
        aliases_added = len(new_aliases)
    db.session.commit()
    return SyncReport(added, updated, aliases_added)


def skill_ids_by_slug() -> dict[str, int]:
    """Map of the engine's skill id (slug) to the database id."""
    return dict(db.session.execute(sa.select(Skill.slug, Skill.id)).all())
