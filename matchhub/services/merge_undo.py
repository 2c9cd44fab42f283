"""Undoing a skill merge: its journal (:mod:`matchhub.services.skill_merges`) played backwards.

Only rows still as the merge left them are touched: a row deleted since stays deleted, a
level someone set since is kept. Undo is refused while a later merge involving either
skill stands (undos go newest first), or when the skills changed otherwise. A learner who
deleted their account is no longer in any journal (:func:`.skill_merges.erase`): their
rows are neither touched nor brought back. Like the merge, it writes skill, alias and
profile rows, so the cache version bumps by itself.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import defer

from matchhub.extensions import db
from matchhub.i18n import skill_name
from matchhub.models import Skill, SkillAlias, SkillMerge, User, utcnow
from matchhub.services import ServiceError, audit
from matchhub.services.skill_merges import REFERENCES, Reference, chunks, lock, returning_ids


def undo_blocker(merge: SkillMerge) -> str | None:
    """Why ``merge`` cannot be undone cleanly now, or ``None`` when it can.

    A later merge that still stands and involves either skill rewrote rows this one
    wrote (or merged the survivor away): undo it first. Undos therefore go newest first.
    """
    if merge.undone_at is not None:
        return _("This merge has already been undone.")
    pair = (merge.source_id, merge.target_id)
    later = db.session.scalar(
        sa.select(SkillMerge)
        .where(
            SkillMerge.id > merge.id,
            SkillMerge.undone_at.is_(None),
            sa.or_(SkillMerge.source_id.in_(pair), SkillMerge.target_id.in_(pair)),
        )
        .order_by(SkillMerge.id)
        .limit(1)
        .options(defer(SkillMerge.journal))
    )
    if later is not None:
        return _(
            "A later merge (no. %(id)d: %(source)s into %(target)s) involves the same skills: "
            "undo it first.",
            id=later.id,
            source=skill_name(later.source),
            target=skill_name(later.target),
        )
    if merge.source.merged_into_id != merge.target_id or merge.target.merged_into_id is not None:
        return _("These skills have changed since the merge, so it cannot be undone cleanly.")
    return None


def _owners_holding(ref: Reference, skill_id: int, owners: set[int]) -> set[int]:
    owner = ref.table.c[ref.owner]
    held: set[int] = set()
    for chunk in chunks(sorted(owners)):
        held.update(
            db.session.scalars(
                sa.select(owner).where(ref.table.c.skill_id == skill_id, owner.in_(chunk))
            )
        )
    return held


def _undo_rows(ref: Reference, entry: dict, source_id: int, target_id: int) -> int:
    """Put ``ref``'s rows back as they were before the merge, where they are still as the
    merge left them; a row deleted or edited since stays as it is. Returns the rows restored."""
    t = ref.table
    owner = t.c[ref.owner]
    # Moved rows still on the target go back, unless their owner holds the source again.
    still: dict[int, int] = {}
    for chunk in chunks(entry["moved"]):
        still.update(
            (row_id, row_owner)
            for row_id, row_owner in db.session.execute(
                sa.select(t.c.id, owner).where(t.c.id.in_(chunk), t.c.skill_id == target_id)
            )
        )
    held = _owners_holding(ref, source_id, set(still.values()))
    back = [i for i, o in still.items() if o not in held]
    for chunk in chunks(back):
        db.session.execute(sa.update(t).where(t.c.id.in_(chunk)).values(skill_id=source_id))
    # Target rows the merge raised go back to their level, if nobody changed them since.
    changed = entry["changed"]
    if changed:
        columns = list(changed[0]["after"])
        db.session.execute(
            sa.update(t)
            .where(
                t.c.id == sa.bindparam("_id"),
                t.c.skill_id == target_id,
                *(t.c[c] == sa.bindparam(f"_after_{c}") for c in columns),
            )
            .values({c: sa.bindparam(f"_before_{c}") for c in columns}),
            [
                {
                    "_id": r["id"],
                    **{f"_after_{c}": r["after"][c] for c in columns},
                    **{f"_before_{c}": r["before"][c] for c in columns},
                }
                for r in changed
            ],
        )
    # Source rows the merge dropped come back, for owners that still exist and do not
    # hold the source already; under their old id when it is free.
    dropped = entry["dropped"]
    restored = len(back)
    if dropped:
        existing: set[int] = set()
        for chunk in chunks(sorted({r[ref.owner] for r in dropped})):
            existing.update(
                db.session.scalars(sa.select(ref.owner_id).where(ref.owner_id.in_(chunk)))
            )
        existing -= _owners_holding(ref, source_id, existing)
        used: set[int] = set()
        for chunk in chunks([r["id"] for r in dropped]):
            used.update(db.session.scalars(sa.select(t.c.id).where(t.c.id.in_(chunk))))
        rows = [
            {k: v for k, v in r.items() if k != "id" or v not in used}
            for r in dropped
            if r[ref.owner] in existing
        ]
        # One statement per shape: rows keeping their old id, rows taking a new one.
        for with_id in (True, False):
            batch = [r for r in rows if ("id" in r) is with_id]
            if batch:
                db.session.execute(sa.insert(t), batch)
        restored += len(rows)
    return restored


def undo_merge(admin: User, merge: SkillMerge) -> dict[str, int]:
    """Undo ``merge``: the source skill is live again, with exactly the references the
    merge took from it that still exist (rows deleted since are not brought back).
    Refused (``ServiceError``) when :func:`undo_blocker` says it cannot be done cleanly.
    Returns the rows restored per table. O(rows the merge rewrote)."""
    source, target = merge.source, merge.target
    lock(source, target)
    db.session.refresh(merge, with_for_update=True)
    reason = undo_blocker(merge)
    if reason is not None:
        raise ServiceError(reason)
    journal = merge.journal
    # A table that references skills since the merge was recorded has nothing to move back.
    nothing = {"moved": [], "dropped": [], "changed": [], "added": []}
    restored = {
        ref.table.name: _undo_rows(ref, journal.get(ref.table.name, nothing), source.id, target.id)
        for ref in REFERENCES
    }
    aliases = journal.get("skill_aliases", nothing)
    back = returning_ids(
        sa.update(SkillAlias)
        .where(SkillAlias.skill_id == target.id)
        .values(skill_id=source.id)
        .returning(SkillAlias.id)
        .execution_options(synchronize_session=False),
        aliases["moved"],
        SkillAlias.id,
    )
    # The source's names the merge gave the target: the source answers to them again.
    for chunk in chunks(aliases["added"]):
        db.session.execute(
            sa.delete(SkillAlias)
            .where(SkillAlias.id.in_(chunk), SkillAlias.skill_id == target.id)
            .execution_options(synchronize_session=False)
        )
    restored["aliases"] = len(back)
    restored["merged_skills"] = len(
        returning_ids(
            sa.update(Skill)
            .where(Skill.merged_into_id == target.id)
            .values(merged_into_id=source.id)
            .returning(Skill.id)
            .execution_options(synchronize_session=False),
            journal.get("skills", nothing)["moved"],
            Skill.id,
        )
    )
    source.merged_into_id = None
    merge.undone_at = utcnow()
    merge.undone_by_id = admin.id
    audit.record(
        "taxonomy.merge_undone",
        actor=admin,
        obj=source,
        merge_id=merge.id,
        source=source.slug,
        target=target.slug,
        **restored,
    )
    db.session.commit()
    return restored
