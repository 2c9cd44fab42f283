"""Searching live openings, and what the public pages show of one opening or enterprise.

A search runs in the database on either engine: keywords against the folded
``search_text`` column (accents and case ignored, see models/_search.py), the skill
through the taxonomy's aliases, kind, locality and a minimum salary as plain columns,
then LIMIT/OFFSET. Only live openings (``Order.is_opening``: jobs and internships) are
ever found; a training order is addressed to colleges, not to learners.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from matchhub.extensions import db
from matchhub.matching.text import fold
from matchhub.models import Order, OrderKind, OrderSkill, Organization, Skill, SkillAlias
from matchhub.security import public_or_404
from matchhub.services import taxonomy_cache

#: The longest keyword text read, and the most words of it (each is one LIKE).
MAX_QUERY = 100
MAX_WORDS = 6
#: The longest skill term read (a skill name or alias).
MAX_SKILL = 80
#: Salary filters are in millions of dong a month; the form refuses more than this.
MAX_SALARY_MILLIONS = 1000
MILLION = 1_000_000

_LOADS = (
    selectinload(Order.organization),
    selectinload(Order.skills).selectinload(OrderSkill.skill),
)


@dataclass(frozen=True)
class OpeningFilters:
    """What a learner or a visitor searches openings by; every field optional."""

    query: str | None = None
    skill: str | None = None
    kind: OrderKind | None = None
    locality: str | None = None
    salary_min: int | None = None  # millions of VND a month


def escaped_words(query: str | None) -> list[str]:
    """The folded words of ``query`` (at most :data:`MAX_WORDS` of :data:`MAX_QUERY`
    characters), LIKE's wildcards escaped with a backslash."""
    words = fold((query or "")[:MAX_QUERY]).split()[:MAX_WORDS]
    return [w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for w in words]


def keyword_conditions(column, query: str | None) -> list[sa.ColumnElement[bool]]:
    """One ``column LIKE '%word%'`` per folded word of ``query`` (all must match).

    ``column`` holds folded text, so "ke toan" finds "Kế toán".
    """
    return [column.like(f"%{w}%", escape="\\") for w in escaped_words(query)]


def skill_ids(term: str | None) -> list[int]:
    """Taxonomy skills ``term`` names: what the normaliser reads it as, else the skills
    with an alias equal to it (accents and case ignored). Empty when none."""
    term = (term or "").strip()[:MAX_SKILL]
    if not fold(term):
        return []
    [norm] = taxonomy_cache.normalize_terms([term])
    if norm.skill_id:
        found = db.session.scalar(sa.select(Skill.id).where(Skill.slug == norm.skill_id))
        if found is not None:
            return [found]
    return list(
        db.session.scalars(
            sa.select(SkillAlias.skill_id).where(SkillAlias.key == fold(term)[:160]).distinct()
        )
    )


def search(filters: OpeningFilters, page: int = 1, per_page: int = 20):
    """Live openings matching ``filters``, newest first, one page (counted and cut in SQL).

    The skill matches an order's required or nice-to-have skills (a term the taxonomy
    does not know: the order's own term, case-insensitive); the salary keeps orders that
    pay at least that much at their top (or their bottom when no top is given).
    """
    query = sa.select(Order).where(
        Order.is_opening, *keyword_conditions(Order.search_text, filters.query)
    )
    if filters.kind is not None:
        query = query.where(Order.kind == filters.kind)
    if filters.locality:
        query = query.where(Order.locality == filters.locality)
    if filters.skill and filters.skill.strip():
        ids = skill_ids(filters.skill)
        term = filters.skill.strip()[:MAX_SKILL].lower()
        wanted = OrderSkill.skill_id.in_(ids) if ids else sa.func.lower(OrderSkill.term) == term
        query = query.where(Order.id.in_(sa.select(OrderSkill.order_id).where(wanted)))
    if filters.salary_min:
        floor = min(filters.salary_min, MAX_SALARY_MILLIONS) * MILLION
        query = query.where(sa.func.coalesce(Order.salary_max, Order.salary_min) >= floor)
    query = query.options(*_LOADS).order_by(Order.published_at.desc(), Order.id.desc())
    return db.paginate(query, page=page, per_page=per_page, max_per_page=per_page, error_out=False)


def live_ids(query: str | None) -> frozenset[int] | None:
    """Ids of the live openings whose title or description hold every word of ``query``
    (accents and case ignored), for the matches page; None when ``query`` has no word."""
    words = keyword_conditions(Order.search_text, query)
    if not words:
        return None
    return frozenset(db.session.scalars(sa.select(Order.id).where(Order.is_opening, *words)))


def public_order(order_id: int) -> Order:
    """A live opening for its public page; 404 for any other (security.PUBLIC)."""
    return public_or_404(Order, Order.id == order_id, options=_LOADS)


def public_enterprise(org_id: int) -> Organization:
    """A verified enterprise for its public profile; 404 for any other (security.PUBLIC)."""
    return public_or_404(Organization, Organization.id == org_id)


def open_orders_of(org: Organization, limit: int = 50) -> list[Order]:
    """The enterprise's live openings (no training order), newest first."""
    return list(
        db.session.scalars(
            sa.select(Order)
            .where(Order.organization_id == org.id, Order.is_opening)
            .options(*_LOADS)
            .order_by(Order.published_at.desc(), Order.id.desc())
            .limit(limit)
        )
    )


def summary(text: str | None, limit: int = 200) -> str:
    """The first ``limit`` characters of ``text`` on one line (an OpenGraph description)."""
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"
