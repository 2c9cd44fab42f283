"""Merging one skill into another, the history of merges, and undoing one.

A merge rewrites every reference to the source skill (each table in :data:`REFERENCES`,
the aliases, and the skills merged into it before) and writes down exactly what it
rewrote in a :class:`~matchhub.models.SkillMerge`: the ids it moved, the rows it dropped
because their owner also held the target, and the rows whose level it raised. Undo
plays that journal backwards, row by row, touching only rows still as the merge left
them, and is refused while a later merge involving either skill stands.

Both write skill, alias and profile rows, so the cache version
(:mod:`matchhub.services.cache_version`) bumps by itself: bulk statements on those
tables are seen as "taxonomy" and "rebuild" changes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from matchhub.extensions import db
from matchhub.i18n import skill_name
from matchhub.matching.text import fold
from matchhub.models import (
    CourseSkill,
    LearnerSkill,
    OrderSkill,
    ProgrammeSkill,
    Skill,
    SkillAlias,
    SkillMerge,
    User,
    utcnow,
)
from matchhub.security import owned_or_404
from matchhub.services import ServiceError, audit
from matchhub.services.curation import find_skill

#: Ids per ``IN (...)``: well under SQLite's and PostgreSQL's bound-parameter limits.
CHUNK = 2000
HISTORY_PER_PAGE = 20


@dataclass(frozen=True)
class Reference:
    """A table of rows that give their owner a skill (one row per owner and skill,
    or per owner and term). When an owner holds both skills, the target's row keeps
    the highest ``level`` and, for ``any_of`` columns, true if either row had it."""

    model: type
    owner: str
    any_of: tuple[str, ...] = ()

    @property
    def table(self) -> sa.Table:
        return self.model.__table__

    @property
    def owner_id(self) -> sa.Column:
        """The primary key the owner column points at (to check the owner still exists)."""
        return next(iter(self.table.c[self.owner].foreign_keys)).column


#: Every table whose rows hold a skill for an owner. tests/admin/test_skill_merges.py
#: walks the schema's foreign keys to ``skills`` and fails on one missing here.
REFERENCES = (
    Reference(LearnerSkill, "learner_id"),
    Reference(OrderSkill, "order_id", any_of=("required",)),
    Reference(ProgrammeSkill, "programme_id"),
    # A programme's skills are recomputed from its courses when one is saved: a
    # course left on the source would bring the merged skill back.
    Reference(CourseSkill, "course_id"),
)
#: The tables of :data:`REFERENCES` by name: the keys of a merge's counts and journal.
REFERENCE_TABLES = tuple(ref.table.name for ref in REFERENCES)
#: The other columns pointing at ``skills``, and why a merge treats them as it does.
OTHER_REFERENCES = {
    ("skill_aliases", "skill_id"): "moved to the target, journalled",
    ("skills", "merged_into_id"): "skills merged into the source now point at the target",
    ("skill_merges", "source_id"): "the history names the skills as they were",
    ("skill_merges", "target_id"): "the history names the skills as they were",
}


def _chunks(ids: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _returning_ids(statement, ids: Iterable[int] | None = None, column=None) -> list[int]:
    """Run an UPDATE/DELETE ``... RETURNING id``, restricted to ``ids`` in chunks when given."""
    if ids is None:
        return list(db.session.scalars(statement))
    out: list[int] = []
    for chunk in _chunks(sorted(ids)):
        out += db.session.scalars(statement.where(column.in_(chunk)))
    return out


# --------------------------------------------------------------------------- merging


def _merge_rows(ref: Reference, source: Skill, target: Skill) -> dict:
    """Move ``ref``'s rows from ``source`` to ``target``; an owner holding both keeps its
    target row at the higher level. Returns the journal: ids ``moved``, rows ``dropped``
    (every column), target rows ``changed`` (``id``, ``before``, ``after``)."""
    t = ref.table
    owner = t.c[ref.owner]
    both = (
        sa.select(owner)
        .where(t.c.skill_id == source.id)
        .intersect(sa.select(owner).where(t.c.skill_id == target.id))
        .subquery()
    )
    rows = db.session.execute(
        sa.select(t)
        .where(t.c.skill_id.in_((source.id, target.id)), owner.in_(sa.select(both)))
        .order_by(t.c.id)
    ).mappings()
    by_owner: dict[int, list] = defaultdict(list)
    for row in rows:
        by_owner[row[ref.owner]].append(dict(row))
    dropped, changed = [], []
    for held in by_owner.values():
        merged = {"level": max(r["level"] for r in held)}
        merged.update({c: any(r[c] for r in held) for c in ref.any_of})
        for row in held:
            if row["skill_id"] == source.id:
                dropped.append(row)
                continue
            before = {c: row[c] for c in merged}
            if before != merged:
                changed.append({"id": row["id"], "before": before, "after": merged})
    if changed:
        db.session.execute(
            sa.update(t)
            .where(t.c.id == sa.bindparam("_id"))
            .values({c: sa.bindparam(f"_{c}") for c in changed[0]["after"]}),
            [{"_id": r["id"], **{f"_{c}": v for c, v in r["after"].items()}} for r in changed],
        )
    for chunk in _chunks([r["id"] for r in dropped]):
        db.session.execute(sa.delete(t).where(t.c.id.in_(chunk)))
    moved = _returning_ids(
        sa.update(t).where(t.c.skill_id == source.id).values(skill_id=target.id).returning(t.c.id)
    )
    return {"moved": moved, "dropped": dropped, "changed": changed}


def _move_aliases(source: Skill, target: Skill) -> dict:
    """The source's aliases go to the target, and its names become aliases of the target
    where no alias has them yet (so that the old names keep normalising)."""
    moved = _returning_ids(
        sa.update(SkillAlias)
        .where(SkillAlias.skill_id == source.id)
        .values(skill_id=target.id)
        .returning(SkillAlias.id)
        .execution_options(synchronize_session=False)
    )
    added: list[SkillAlias] = []
    for label in (source.name_en, source.name_vi):
        key = fold(label)[:160]
        if (
            key
            and key not in {a.key for a in added}
            and not db.session.scalar(sa.select(SkillAlias.id).where(SkillAlias.key == key))
        ):
            added.append(SkillAlias(skill_id=target.id, term=label[:160], key=key, source="admin"))
    db.session.add_all(added)
    db.session.flush()
    return {"moved": moved, "added": [a.id for a in added]}


def _lock(*skills: Skill) -> None:
    """Lock the skills' rows (PostgreSQL) so that two merges or undos of the same skills
    run one after the other, and read them afresh."""
    for skill in skills:
        db.session.refresh(skill, with_for_update=True)


def merge_skills(admin: User, source_text: str, target_text: str) -> SkillMerge:
    """Merge ``source`` into ``target``: every reference and alias moves to the target.

    The source keeps its row with ``merged_into_id`` so that old links resolve; an
    owner that had both keeps one row at the higher level. Returns the recorded merge,
    whose ``counts`` are the rows moved per table. O(rows referencing either skill).
    """
    source, target = find_skill(source_text), find_skill(target_text)
    if source is None:
        raise ServiceError(_("No skill has this id or name."), field="source")
    if target is None:
        raise ServiceError(_("No skill has this id or name."), field="target")
    if source.id == target.id:
        raise ServiceError(_("Choose two different skills."), field="target")
    _lock(source, target)
    if source.merged_into_id is not None or target.merged_into_id is not None:
        raise ServiceError(_("One of these skills was merged meanwhile: try again."))
    journal = {ref.table.name: _merge_rows(ref, source, target) for ref in REFERENCES}
    journal["skill_aliases"] = _move_aliases(source, target)
    journal["skills"] = {
        "moved": _returning_ids(
            sa.update(Skill)
            .where(Skill.merged_into_id == source.id)
            .values(merged_into_id=target.id)
            .returning(Skill.id)
            .execution_options(synchronize_session=False)
        )
    }
    source.merged_into_id = target.id
    counts = {
        name: len(journal[name]["moved"]) + len(journal[name]["dropped"])
        for name in REFERENCE_TABLES
    }
    counts["aliases"] = len(journal["skill_aliases"]["moved"]) + len(
        journal["skill_aliases"]["added"]
    )
    counts["merged_skills"] = len(journal["skills"]["moved"])
    merge = SkillMerge(
        source_id=source.id, target_id=target.id, actor_id=admin.id, counts=counts, journal=journal
    )
    db.session.add(merge)
    db.session.flush()
    audit.record(
        "taxonomy.skills_merged",
        actor=admin,
        obj=target,
        merge_id=merge.id,
        source=source.slug,
        target=target.slug,
        **counts,
    )
    db.session.commit()
    return merge


# --------------------------------------------------------------------------- history


def readable(user: User, merge_id: int) -> SkillMerge:
    """The merge ``merge_id`` for the province office; 404 for anyone else or no such merge."""
    return owned_or_404(
        SkillMerge,
        user,
        SkillMerge.id == merge_id,
        options=(selectinload(SkillMerge.source), selectinload(SkillMerge.target)),
    )


def history(page: int = 1):
    """The merges, newest first, a page at a time (``db.paginate``: never a 404 past the end)."""
    return db.paginate(
        sa.select(SkillMerge)
        .options(
            selectinload(SkillMerge.source),
            selectinload(SkillMerge.target),
            selectinload(SkillMerge.actor),
            selectinload(SkillMerge.undone_by),
        )
        .order_by(SkillMerge.id.desc()),
        page=page,
        per_page=HISTORY_PER_PAGE,
        error_out=False,
    )


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


# --------------------------------------------------------------------------- undoing


def _owners_holding(ref: Reference, skill_id: int, owners: set[int]) -> set[int]:
    owner = ref.table.c[ref.owner]
    held: set[int] = set()
    for chunk in _chunks(sorted(owners)):
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
    for chunk in _chunks(entry["moved"]):
        still.update(
            (row_id, row_owner)
            for row_id, row_owner in db.session.execute(
                sa.select(t.c.id, owner).where(t.c.id.in_(chunk), t.c.skill_id == target_id)
            )
        )
    held = _owners_holding(ref, source_id, set(still.values()))
    back = [i for i, o in still.items() if o not in held]
    for chunk in _chunks(back):
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
        for chunk in _chunks(sorted({r[ref.owner] for r in dropped})):
            existing.update(
                db.session.scalars(sa.select(ref.owner_id).where(ref.owner_id.in_(chunk)))
            )
        existing -= _owners_holding(ref, source_id, existing)
        used: set[int] = set()
        for chunk in _chunks([r["id"] for r in dropped]):
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
    _lock(source, target)
    db.session.refresh(merge, with_for_update=True)
    reason = undo_blocker(merge)
    if reason is not None:
        raise ServiceError(reason)
    journal = merge.journal
    restored = {
        ref.table.name: _undo_rows(ref, journal[ref.table.name], source.id, target.id)
        for ref in REFERENCES
    }
    aliases = journal["skill_aliases"]
    back = _returning_ids(
        sa.update(SkillAlias)
        .where(SkillAlias.skill_id == target.id)
        .values(skill_id=source.id)
        .returning(SkillAlias.id)
        .execution_options(synchronize_session=False),
        aliases["moved"],
        SkillAlias.id,
    )
    # The source's names the merge gave the target: the source answers to them again.
    for chunk in _chunks(aliases["added"]):
        db.session.execute(
            sa.delete(SkillAlias)
            .where(SkillAlias.id.in_(chunk), SkillAlias.skill_id == target.id)
            .execution_options(synchronize_session=False)
        )
    restored["aliases"] = len(back)
    restored["merged_skills"] = len(
        _returning_ids(
            sa.update(Skill)
            .where(Skill.merged_into_id == target.id)
            .values(merged_into_id=source.id)
            .returning(Skill.id)
            .execution_options(synchronize_session=False),
            journal["skills"]["moved"],
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
