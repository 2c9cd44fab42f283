"""The one way from database rows to the engine's profiles.

Learners, orders and programmes become :class:`LearnerProfile`, :class:`OrderProfile`
and :class:`ProgrammeProfile` here and nowhere else: the serving index
(:mod:`matchhub.services.match_index`, which every page, the API and allocation rounds
rank through), next-skill advice, demand and curriculum gaps. Two doors lead in, a
batch loader (columns, a few queries for any number of rows) and a converter of a
row already loaded with its skills (no query), and both go through the same
builders, so a profile never depends on which door it came through.

What a profile holds, once for everyone:

- skills as engine ids (slugs), a merged skill read as the skill it was merged into;
- a learner's and a programme's skills *with what they imply* (React > JavaScript,
  one level below), :func:`matchhub.matching.taxonomy.expand_skills`;
- an order's required terms that match no skill, as ``unknown_required``: nobody
  holds them, so the order qualifies nobody until the province office maps them;
- an order's text (title and description) and its ``posted`` day in Vietnam
  (publication, else creation).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app

from matchhub.extensions import db
from matchhub.matching.taxonomy import expand_skills
from matchhub.matching.types import LearnerProfile, OrderProfile, ProgrammeProfile, SkillReq
from matchhub.models import (
    Learner,
    LearnerSkill,
    Order,
    OrderKind,
    OrderSkill,
    Organization,
    Programme,
    ProgrammeSkill,
    Skill,
    VerificationState,
    Visibility,
)
from matchhub.services import taxonomy_cache

__all__ = [
    "LearnerMeta",
    "OrderMeta",
    "Vocabulary",
    "learner_profile",
    "load_learners",
    "load_orders",
    "load_programmes",
    "matchable_learner",
    "order_profile",
    "programme_profile",
    "related",
    "vocabulary",
]

_VN = ZoneInfo("Asia/Ho_Chi_Minh")
#: Ids per ``IN (...)`` list: well under every database's bound-parameter limit.
_CHUNK = 5000


# ----------------------------------------------------------------- who takes part


def matchable_learner():
    """SQL condition: the learner may appear in rankings (not hidden, consent given)."""
    return sa.and_(Learner.visibility != Visibility.HIDDEN, Learner.consent_at.is_not(None))


# ----------------------------------------------------------------- skills as the engine sees them


class Vocabulary:
    """Database skill ids as engine ids, and which skill implies which.

    A merged skill maps to its survivor's slug. A skill added after this vocabulary
    was read (the province office creates one) is fetched on its first miss.
    """

    def __init__(self, implies: Mapping[str, tuple[str, ...]] | None = None):
        self.slugs = _skill_slugs()
        self.implies = taxonomy_cache.implications() if implies is None else implies

    def slug(self, skill_id: int | None) -> str | None:
        if skill_id is None:
            return None
        slug = self.slugs.get(skill_id)
        if slug is None:
            self.slugs = _skill_slugs()
            slug = self.slugs.get(skill_id)
        return slug


def vocabulary() -> Vocabulary:
    """This worker's vocabulary for the database's taxonomy as it is now.

    Kept beside the normaliser and rebuilt with it: :mod:`services.taxonomy_cache` rebuilds
    on every new skill, alias or merge (a "taxonomy" change of the one cache
    version), which is all that can change a slug. A skill added between two such
    reads is fetched on its first miss.
    """
    implies = taxonomy_cache.implications()  # brings the engine's cached state up to date
    state = current_app.extensions["matchhub.engine"]
    if state.get("vocabulary_for") != state["generation"]:
        state["vocabulary"] = Vocabulary(implies)
        state["vocabulary_for"] = state["generation"]
    return state["vocabulary"]


def related() -> Mapping[str, Iterable[str]]:
    """The *related* relation the ranking gives partial credit through (Windows ~ Windows
    Server, SQL ~ MySQL): never a merge. From the shipped taxonomy, cached with the
    normaliser (:func:`matchhub.services.taxonomy_cache.related`)."""
    return taxonomy_cache.related()


def _skill_slugs() -> dict[int, str]:
    rows = db.session.execute(sa.select(Skill.id, Skill.slug, Skill.merged_into_id)).all()
    slug = {r.id: r.slug for r in rows}
    into = {r.id: r.merged_into_id for r in rows if r.merged_into_id is not None}
    out = {}
    for skill_id in slug:
        target, hops = skill_id, 0
        while target in into and hops < 10:  # bounded: a merge cycle must not hang a request
            target, hops = into[target], hops + 1
        out[skill_id] = slug.get(target, slug[skill_id])
    return out


# ----------------------------------------------------------------- builders (the one place)


@dataclass(frozen=True)
class LearnerMeta:
    """What filters of the candidates page read of a learner, beside the profile."""

    locality: str | None
    graduation_year: int | None
    programme_id: int | None


@dataclass(frozen=True)
class OrderMeta:
    """What filters and the demand report read of an order, beside the profile."""

    kind: str
    locality: str | None
    remote: bool
    organization_id: int
    sector: str | None = None


def _learner(vocab: Vocabulary, row, listed: Iterable[tuple[int | None, int]]) -> LearnerProfile:
    skills = [(slug, level) for skill_id, level in listed if (slug := vocab.slug(skill_id))]
    return LearnerProfile(
        id=row.id,
        skills=expand_skills(skills, vocab.implies),
        text=row.cv_text or "",
        locality=row.locality,
        preferred_localities=tuple(row.preferred_localities or ()),
    )


def _posted(published_at: datetime | None, created_at: datetime | None) -> date | None:
    moment = published_at or created_at
    return moment.astimezone(_VN).date() if moment is not None else None


def _order(
    vocab: Vocabulary,
    row,
    listed: Iterable[tuple[int | None, str, bool, int, float]],
    with_text: bool = True,
) -> OrderProfile:
    """``listed``: (skill id or None, term, required, level, weight) in the order's order."""
    required: list[SkillReq] = []
    nice: list[SkillReq] = []
    unknown: list[str] = []
    for skill_id, term, is_required, level, weight in listed:
        slug = vocab.slug(skill_id)
        if slug is not None:
            (required if is_required else nice).append(SkillReq(slug, level, float(weight)))
        elif is_required and term.strip():
            unknown.append(term.strip())
    return OrderProfile(
        id=row.id,
        kind=OrderKind(row.kind).value,
        required=tuple(required),
        nice=tuple(nice),
        text=f"{row.title or ''}\n{row.description or ''}".strip() if with_text else "",
        locality=row.locality,
        remote=bool(row.remote),
        headcount=row.headcount,
        posted=_posted(row.published_at, row.created_at),
        unknown_required=tuple(dict.fromkeys(unknown)),
    )


def _programme(vocab: Vocabulary, row, listed: Iterable[tuple[int, int]]) -> ProgrammeProfile:
    skills = [(slug, level) for skill_id, level in listed if (slug := vocab.slug(skill_id))]
    # a programme teaching React teaches JavaScript too (one level below)
    return ProgrammeProfile(row.id, row.name, expand_skills(skills, vocab.implies))


# ----------------------------------------------------------------- rows already loaded


def learner_profile(learner: Learner, vocab: Vocabulary | None = None) -> LearnerProfile:
    """The profile of a learner row whose skills are (or may be lazily) loaded; any
    visibility: a hidden learner still sees their own matches."""
    vocab = vocab or vocabulary()
    return _learner(vocab, learner, ((s.skill_id, s.level) for s in learner.skills))


def order_profile(order: Order, vocab: Vocabulary | None = None) -> OrderProfile:
    """The profile of an order row with its skills; any status (drafts can be previewed)."""
    vocab = vocab or vocabulary()
    return _order(
        vocab, order, ((s.skill_id, s.term, s.required, s.level, s.weight) for s in order.skills)
    )


def programme_profile(programme: Programme, vocab: Vocabulary | None = None) -> ProgrammeProfile:
    """The profile of a programme row with its skills."""
    vocab = vocab or vocabulary()
    listed = sorted(programme.skills, key=lambda ps: ps.id)
    return _programme(vocab, programme, ((ps.skill_id, ps.level) for ps in listed))


# ----------------------------------------------------------------- batch loaders


def _chunks(ids: Collection[int] | None):
    if ids is None:
        yield None
        return
    ids = list(ids)
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def load_learners(
    vocab: Vocabulary, ids: Collection[int] | None = None, *, matchable_only: bool = True
) -> list[tuple[LearnerProfile, LearnerMeta]]:
    """Learners (all, or those of ``ids``) as profiles with their meta, by id.

    ``matchable_only`` keeps those who may appear in rankings. Two queries per
    5,000 ids. O(learners + their skills).
    """
    out = []
    for chunk in _chunks(ids):
        query = sa.select(
            Learner.id,
            Learner.cv_text,
            Learner.locality,
            Learner.preferred_localities,
            Learner.graduation_year,
            Learner.programme_id,
        )
        skill_query = (
            sa.select(LearnerSkill.learner_id, LearnerSkill.skill_id, LearnerSkill.level)
            .join(Learner, Learner.id == LearnerSkill.learner_id)
            .where(LearnerSkill.skill_id.is_not(None))
            .order_by(LearnerSkill.id)
        )
        if matchable_only:
            query = query.where(matchable_learner())
            skill_query = skill_query.where(matchable_learner())
        if chunk is not None:
            query = query.where(Learner.id.in_(chunk))
            skill_query = skill_query.where(LearnerSkill.learner_id.in_(chunk))
        listed: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for learner_id, skill_id, level in db.session.execute(skill_query):
            listed[learner_id].append((skill_id, level))
        for row in db.session.execute(query.order_by(Learner.id)):
            out.append(
                (
                    _learner(vocab, row, listed.get(row.id, ())),
                    LearnerMeta(row.locality, row.graduation_year, row.programme_id),
                )
            )
    return out


def load_orders(
    vocab: Vocabulary,
    ids: Collection[int] | None = None,
    *,
    live_only: bool = True,
    openings_only: bool = False,
    with_text: bool = True,
) -> list[tuple[OrderProfile, OrderMeta]]:
    """Orders (all, or those of ``ids``) as profiles with their meta, by id.

    ``live_only`` keeps open orders of verified organisations, ``openings_only`` only
    those learners may apply to (``Order.is_opening``: no training order); ``with_text=False``
    leaves the title and description out (demand statistics never read them).
    Two queries per 5,000 ids. O(orders + their skills).
    """
    out = []
    for chunk in _chunks(ids):
        text = (
            (Order.title, Order.description)
            if with_text
            else (sa.null().label("title"), sa.null().label("description"))
        )
        query = sa.select(
            Order.id,
            Order.kind,
            *text,
            Order.locality,
            Order.remote,
            Order.headcount,
            Order.published_at,
            Order.created_at,
            Order.organization_id,
            Organization.sector,
        ).join(Organization, Organization.id == Order.organization_id)
        skill_query = (
            sa.select(
                OrderSkill.order_id,
                OrderSkill.skill_id,
                OrderSkill.term,
                OrderSkill.required,
                OrderSkill.level,
                OrderSkill.weight,
            )
            .join(Order, Order.id == OrderSkill.order_id)
            .order_by(OrderSkill.id)
        )
        if live_only or openings_only:
            live = Order.is_opening if openings_only else Order.is_live
            query = query.where(live)
            skill_query = skill_query.where(live)
        if chunk is not None:
            query = query.where(Order.id.in_(chunk))
            skill_query = skill_query.where(OrderSkill.order_id.in_(chunk))
        listed: dict[int, list[tuple]] = defaultdict(list)
        for order_id, *spec in db.session.execute(skill_query):
            listed[order_id].append(tuple(spec))
        for row in db.session.execute(query.order_by(Order.id)):
            out.append(
                (
                    _order(vocab, row, listed.get(row.id, ()), with_text),
                    OrderMeta(
                        OrderKind(row.kind).value,
                        row.locality,
                        bool(row.remote),
                        row.organization_id,
                        row.sector,
                    ),
                )
            )
    return out


def load_programmes(
    vocab: Vocabulary, ids: Collection[int] | None = None, *, verified_only: bool = True
) -> list[ProgrammeProfile]:
    """Programmes (all, or those of ``ids``) as profiles, by id; ``verified_only``
    keeps verified colleges' programmes. One query per 5,000 ids."""
    out = []
    for chunk in _chunks(ids):
        query = (
            sa.select(Programme.id, Programme.name, ProgrammeSkill.skill_id, ProgrammeSkill.level)
            .join(ProgrammeSkill, ProgrammeSkill.programme_id == Programme.id)
            .join(Organization, Organization.id == Programme.organization_id)
            .order_by(Programme.id, ProgrammeSkill.id)
        )
        if verified_only:
            query = query.where(Organization.state == VerificationState.VERIFIED)
        if chunk is not None:
            query = query.where(Programme.id.in_(chunk))
        rows: dict[int, object] = {}
        listed: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for row in db.session.execute(query):
            rows.setdefault(row.id, row)
            listed[row.id].append((row.skill_id, row.level))
        out.extend(_programme(vocab, rows[i], listed[i]) for i in rows)
    return out
