"""Taxonomy curation by the province office: unknown terms, new skills, aliases, and
the skill picker's suggestions (merges are :mod:`matchhub.services.skill_merges`).

Every change writes skill or alias rows, which bumps the one cache version
(:mod:`matchhub.services.cache_version`) as a taxonomy change, so every worker's
normaliser and matching index rebuild at their next use. Every change is audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from matchhub.extensions import db
from matchhub.labels import category_label
from matchhub.matching.taxonomy import CATEGORIES
from matchhub.matching.text import fold
from matchhub.models import (
    AuditEvent,
    LearnerSkill,
    OrderSkill,
    Skill,
    SkillAlias,
    User,
)
from matchhub.services import ServiceError, audit


@dataclass
class UnknownTerm:
    """Free-text terms that fold to the same key and match no skill, with where they occur."""

    key: str
    terms: set[str] = field(default_factory=set)
    orders: int = 0
    learners: int = 0

    @property
    def total(self) -> int:
        return self.orders + self.learners

    @property
    def label(self) -> str:
        """The most readable spelling: the shortest, then alphabetical."""
        return min(self.terms, key=lambda t: (len(t), t))


def unknown_terms(search: str | None = None) -> list[UnknownTerm]:
    """Unknown terms of orders and learner profiles (imports included), most frequent first.

    Counting is one GROUP BY per table on the raw term; the folding that merges
    spellings ("Lập trình PLC", "lap trinh plc") runs over the distinct terms only.
    """
    groups: dict[str, UnknownTerm] = {}
    for model, attr in ((OrderSkill, "orders"), (LearnerSkill, "learners")):
        rows = db.session.execute(
            sa.select(model.term, sa.func.count(model.id))
            .where(model.skill_id.is_(None))
            .group_by(model.term)
        )
        for term, n in rows:
            key = fold(term)
            if not key:
                continue
            group = groups.setdefault(key, UnknownTerm(key))
            group.terms.add(term)
            setattr(group, attr, getattr(group, attr) + n)
    items = list(groups.values())
    if search:
        needle = fold(search)
        items = [g for g in items if needle in g.key]
    items.sort(key=lambda g: (-g.total, g.key))
    return items


def find_skill(text: str) -> Skill | None:
    """A live skill by its id (slug) or exact name in either language, else ``None``."""
    text = (text or "").strip()
    if not text:
        return None
    skill = db.session.scalar(sa.select(Skill).where(Skill.slug == text))
    if skill is None:
        skill = db.session.scalar(
            sa.select(Skill)
            .where(sa.or_(Skill.name_en == text, Skill.name_vi == text))
            .order_by(Skill.merged_into_id.is_not(None), Skill.id)
            .limit(1)
        )
    while skill is not None and skill.merged_into_id is not None:
        skill = db.session.get(Skill, skill.merged_into_id)
    return skill


def live_skills() -> list[tuple[str, str, str]]:
    """(slug, English name, Vietnamese name) of every skill not merged away, for pickers."""
    return list(
        db.session.execute(
            sa.select(Skill.slug, Skill.name_en, Skill.name_vi)
            .where(Skill.merged_into_id.is_(None))
            .order_by(Skill.name_en)
        ).all()
    )


#: The picker's longest query (a skill name is at most 160 characters; the start is enough).
MAX_QUERY = 80
#: Suggestions per query: enough to pick from, few enough to read.
SUGGESTIONS = 10


def _escape_like(key: str) -> str:
    return key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def suggest_skills(query: str, lang: str, limit: int = SUGGESTIONS) -> list[dict[str, str]]:
    """Live skills for the curation pickers: those with an id, a name or an alias that
    contains ``query`` (accents and case ignored: "ung dung web" finds "Ứng dụng web"),
    an exact match first, then the ones starting with it, then the shortest.

    ``name`` is the skill's name in ``lang``. One join of skills and aliases (a few
    thousand rows) filtered with ``LIKE``, the same on SQLite and PostgreSQL.
    """
    key = fold((query or "")[:MAX_QUERY])
    if not key:
        return []
    slug = re.sub(r"[^a-z0-9]+", "-", key).strip("-") or key
    rank = sa.func.min(
        sa.case(
            (sa.or_(SkillAlias.key == key, Skill.slug == slug), 0),
            (SkillAlias.key.like(_escape_like(key) + "%", escape="\\"), 1),
            else_=2,
        )
    )
    rows = db.session.execute(
        sa.select(Skill, rank)
        .join(SkillAlias, SkillAlias.skill_id == Skill.id, isouter=True)
        .where(
            Skill.merged_into_id.is_(None),
            sa.or_(
                SkillAlias.key.like(f"%{_escape_like(key)}%", escape="\\"),
                Skill.slug.like(f"%{_escape_like(slug)}%", escape="\\"),
            ),
        )
        .group_by(Skill.id)
        .order_by(rank, sa.func.length(Skill.name_en), Skill.id)
        .limit(limit)
    ).all()
    return [
        {
            "slug": skill.slug,
            "name": skill.name(lang),
            "name_en": skill.name_en,
            "name_vi": skill.name_vi,
            "category": str(category_label(skill.category)),
        }
        for skill, _rank in rows
    ]


def _terms_with_key(key: str) -> list[str]:
    terms: set[str] = set()
    for model in (OrderSkill, LearnerSkill):
        for (term,) in db.session.execute(
            sa.select(model.term).where(model.skill_id.is_(None)).group_by(model.term)
        ):
            if fold(term) == key:
                terms.add(term)
    return sorted(terms)


def _link_rows(key: str, skill: Skill) -> int:
    """Give the unknown rows whose term folds to ``key`` the skill; drop a row whose owner
    already has that skill. Returns the number of rows linked. Flushes."""
    terms = _terms_with_key(key)
    if not terms:
        return 0
    linked = 0
    for model, owner in (
        (OrderSkill, OrderSkill.order_id),
        (LearnerSkill, LearnerSkill.learner_id),
    ):
        unknown = sa.and_(model.skill_id.is_(None), model.term.in_(terms))
        has_it = sa.select(owner).where(model.skill_id == skill.id).scalar_subquery()
        db.session.execute(
            sa.delete(model)
            .where(unknown, owner.in_(has_it))
            .execution_options(synchronize_session=False)
        )
        result = db.session.execute(
            sa.update(model)
            .where(unknown)
            .values(skill_id=skill.id)
            .execution_options(synchronize_session=False)
        )
        linked += result.rowcount or 0
    return linked


def _add_alias(skill: Skill, term: str, source: str = "admin") -> SkillAlias | None:
    """Add ``term`` as an alias of ``skill``; ``None`` if the skill already has it; refuses a
    term that names another skill."""
    term = term.strip()[:160]
    key = fold(term)[:160]
    if not key:
        raise ServiceError(_("Enter a term."), field="term")
    existing = db.session.scalar(sa.select(SkillAlias).where(SkillAlias.key == key))
    if existing is not None:
        if existing.skill_id == skill.id:
            return None
        owner = db.session.get(Skill, existing.skill_id)
        raise ServiceError(
            _("“%(term)s” already names the skill %(skill)s.", term=term, skill=owner.name_en),
            field="term",
        )
    alias = SkillAlias(skill_id=skill.id, term=term, key=key, source=source)
    db.session.add(alias)
    db.session.flush()
    return alias


def map_term(admin: User, term: str, skill_text: str) -> int:
    """Make ``term`` an alias of a skill and link every unknown row with that term to it.

    Returns the number of order and profile rows linked.
    """
    skill = find_skill(skill_text)
    if skill is None:
        raise ServiceError(_("No skill has this id or name."), field="skill")
    _add_alias(skill, term)
    linked = _link_rows(fold(term), skill)
    audit.record("taxonomy.alias_added", actor=admin, obj=skill, term=term.strip(), linked=linked)
    db.session.commit()
    return linked


def _slug(name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:70] or "skill"
    slug, n = base, 2
    while db.session.scalar(sa.select(Skill.id).where(Skill.slug == slug)) is not None:
        slug, n = f"{base}-{n}", n + 1
    return slug


def create_skill(
    admin: User, name_vi: str, name_en: str, category: str, term: str | None = None
) -> Skill:
    """Add a skill (its id is made from the English name, unique) with both names as aliases;
    when ``term`` is given, it becomes an alias too and its unknown rows are linked."""
    name_vi, name_en = name_vi.strip(), name_en.strip()
    if not name_vi or not name_en:
        raise ServiceError(_("Give the skill a name in both languages."), field="name_en")
    if category not in CATEGORIES:
        raise ServiceError(_("Choose a category."), field="category")
    skill = Skill(
        slug=_slug(name_en), name_vi=name_vi[:160], name_en=name_en[:160], category=category
    )
    db.session.add(skill)
    db.session.flush()
    for label in dict.fromkeys([name_en, name_vi, *([term] if term else [])]):
        _add_alias(skill, label)
    linked = _link_rows(fold(term), skill) if term else 0
    audit.record(
        "taxonomy.skill_created",
        actor=admin,
        obj=skill,
        slug=skill.slug,
        name_en=skill.name_en,
        name_vi=skill.name_vi,
        category=category,
        term=term,
        linked=linked,
    )
    db.session.commit()
    return skill


def recent_changes(limit: int = 20):
    """The latest taxonomy edits from the audit log."""
    return list(
        db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.action.like("taxonomy.%"))
            .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
            .limit(limit)
        )
    )
