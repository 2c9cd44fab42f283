"""Merging one skill into another, and the history of merges.

A merge rewrites every reference to the source skill (each table in :data:`REFERENCES`,
the aliases, and the skills merged into it before) and writes down exactly what it
rewrote in a :class:`~matchhub.models.SkillMerge`: the ids it moved, the rows it dropped
because their owner also held the target, and the rows whose level it raised.
:mod:`matchhub.services.merge_undo` plays that journal backwards.

A merge writes skill, alias and profile rows, so the cache version
(:mod:`matchhub.services.cache_version`) bumps by itself: bulk statements on those
tables are seen as "taxonomy" and "rebuild" changes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import defer, selectinload

from matchhub.extensions import db
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


def chunks(ids: list, size: int | None = None) -> Iterator[list]:
    """``ids`` a :data:`CHUNK` at a time (read at each call, so a test can make it small)."""
    size = size or CHUNK
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def returning_ids(statement, ids: Iterable[int] | None = None, column=None) -> list[int]:
    """Run an UPDATE/DELETE ``... RETURNING id``, restricted to ``ids`` in chunks when given."""
    if ids is None:
        return list(db.session.scalars(statement))
    out: list[int] = []
    for chunk in chunks(sorted(ids)):
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
    for chunk in chunks([r["id"] for r in dropped]):
        db.session.execute(sa.delete(t).where(t.c.id.in_(chunk)))
    moved = returning_ids(
        sa.update(t).where(t.c.skill_id == source.id).values(skill_id=target.id).returning(t.c.id)
    )
    return {"moved": moved, "dropped": dropped, "changed": changed}


def _move_aliases(source: Skill, target: Skill) -> dict:
    """The source's aliases go to the target, and its names become aliases of the target
    where no alias has them yet (so that the old names keep normalising)."""
    moved = returning_ids(
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


def lock(*skills: Skill) -> None:
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
    lock(source, target)
    if source.merged_into_id is not None or target.merged_into_id is not None:
        raise ServiceError(_("One of these skills was merged meanwhile: try again."))
    journal = {ref.table.name: _merge_rows(ref, source, target) for ref in REFERENCES}
    journal["skill_aliases"] = _move_aliases(source, target)
    journal["skills"] = {
        "moved": returning_ids(
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


# --------------------------------------------------------------------------- erasure


def erase(learner_id: int) -> int:
    """Forget the learner's skill rows in every merge's journal, undone ones too (account
    deletion: call it before their rows go; the caller commits). The learner row stays,
    anonymised, so an undo would otherwise put the rows the merge dropped back onto it
    (with the terms they wrote), and would move ids that were theirs, which SQLite may
    give to someone else's row. The other rows of each journal stay: undo still restores
    them. Returns how many merges were rewritten. One query plus one per merge."""
    name, owner = LearnerSkill.__tablename__, "learner_id"
    mine = set(
        db.session.scalars(sa.select(LearnerSkill.id).where(LearnerSkill.learner_id == learner_id))
    )
    rewritten = 0
    for merge in db.session.scalars(sa.select(SkillMerge).order_by(SkillMerge.id)):
        entry = (merge.journal or {}).get(name)
        if not entry:
            continue
        kept = {
            "moved": [i for i in entry.get("moved", ()) if i not in mine],
            "dropped": [r for r in entry.get("dropped", ()) if r.get(owner) != learner_id],
            "changed": [c for c in entry.get("changed", ()) if c.get("id") not in mine],
        }
        if any(len(rows) != len(entry.get(key, ())) for key, rows in kept.items()):
            merge.journal = {**merge.journal, name: {**entry, **kept}}  # a new value: saved
            rewritten += 1
    return rewritten


# --------------------------------------------------------------------------- history


def readable(user: User, merge_id: int) -> SkillMerge:
    """The merge ``merge_id`` for the province office; 404 for anyone else or no such merge."""
    return owned_or_404(
        SkillMerge,
        user,
        SkillMerge.id == merge_id,
        # The journal (as long as the merge was large) is read by the undo only.
        options=(
            selectinload(SkillMerge.source),
            selectinload(SkillMerge.target),
            defer(SkillMerge.journal),
        ),
    )


def history(page: int = 1):
    """The merges, newest first, a page at a time (``db.paginate``: never a 404 past the end)."""
    return db.paginate(
        sa.select(SkillMerge)
        .options(
            defer(SkillMerge.journal),
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
