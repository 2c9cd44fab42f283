"""A learner's own profile, and an enterprise looking at a candidate's profile."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from matchhub.extensions import db
from matchhub.matching.text import fold
from matchhub.models import (
    Application,
    Learner,
    LearnerSkill,
    Order,
    Organization,
    Programme,
    Skill,
    SkillAlias,
    User,
    VerificationState,
)
from matchhub.services import (
    ServiceError,
    applications,
    audit,
    localities,
    pair_scores,
    taxonomy_cache,
)
from matchhub.services.skill_specs import bad_levels, level_message, parse_skill_terms
from matchhub.services.skills import skill_ids_by_slug

MAX_CV = 20_000
MAX_SKILLS = 60
MAX_PREFERRED = 10


@dataclass(frozen=True)
class ProfileInput:
    """What a learner edits on their profile; skills are free text ("Python:4, SQL (2)")."""

    full_name: str
    phone: str | None
    programme_id: int | None
    graduation_year: int | None
    locality: str | None
    preferred_localities: list[str]
    available_from: date | None
    cv_text: str
    skills: str


def verified_programmes() -> list[Programme]:
    """Every programme of a verified training institution, by institution and name."""
    return list(
        db.session.scalars(
            sa.select(Programme)
            .join(Organization, Organization.id == Programme.organization_id)
            .where(Organization.state == VerificationState.VERIFIED)
            .options(selectinload(Programme.organization))
            .order_by(Organization.name, Programme.name, Programme.id)
        )
    )


def programme_choices(learner: Learner) -> list[Programme]:
    """Programmes a learner may pick: their college's, or any verified college's."""
    query = (
        sa.select(Programme)
        .join(Organization, Organization.id == Programme.organization_id)
        .options(selectinload(Programme.organization))
        .order_by(Organization.name, Programme.name, Programme.id)
    )
    if learner.college_id is not None:
        query = query.where(Programme.organization_id == learner.college_id)
    else:
        query = query.where(Organization.state == VerificationState.VERIFIED)
    return list(db.session.scalars(query))


def skills_text(learner: Learner, lang: str) -> str:
    """The learner's skills as the free text the profile form shows ("Python:4"), named in
    ``lang``. A Vietnamese name is used only where it reads back as the same skill (two
    skills may share a Vietnamese wording); otherwise the English name, which always does.
    """
    names = [
        (s.skill.name_vi if lang == "vi" else s.skill.name_en) if s.skill else s.term
        for s in learner.skills
    ]
    if lang == "vi":
        back = taxonomy_cache.normalize_terms(names)
        names = [
            name if s.skill is None or b.skill_id == s.skill.slug else s.skill.name_en
            for name, s, b in zip(names, learner.skills, back, strict=True)
        ]
    return "\n".join(f"{name}:{s.level}" for name, s in zip(names, learner.skills, strict=True))


def update_profile(learner: Learner, user: User, data: ProfileInput) -> list[str]:
    """Save the learner's profile; returns the skill terms the taxonomy does not know.

    Skills are normalised (misspellings and Vietnamese or English aliases find their
    skill); unknown terms are kept as they were typed and flagged, never dropped.
    """
    codes = set(localities.locality_codes())
    if data.locality and data.locality not in codes:
        raise ServiceError(_("Choose a locality from the list."), field="locality")
    preferred = [c for c in dict.fromkeys(data.preferred_localities) if c in codes]
    if len(preferred) > MAX_PREFERRED:
        raise ServiceError(
            _("Choose at most %(num)s preferred localities.", num=MAX_PREFERRED),
            field="preferred_localities",
        )
    if data.programme_id is not None and data.programme_id not in {
        p.id for p in programme_choices(learner)
    }:
        raise ServiceError(_("Choose a programme from the list."), field="programme_id")
    if len(data.cv_text or "") > MAX_CV:
        raise ServiceError(
            _("The CV text is too long (at most %(num)s characters).", num=MAX_CV),
            field="cv_text",
        )
    bad = bad_levels(data.skills)
    if bad:
        raise ServiceError(level_message(bad), field="skills")
    terms = parse_skill_terms(data.skills)
    if len(terms) > MAX_SKILLS:
        raise ServiceError(_("List at most %(num)s skills.", num=MAX_SKILLS), field="skills")
    name = (data.full_name or "").strip()
    if not name:
        raise ServiceError(_("Enter your name."), field="full_name")
    learner.full_name = name[:120]
    learner.phone = (data.phone or "").strip()[:20] or None
    learner.programme_id = data.programme_id
    learner.graduation_year = data.graduation_year
    learner.locality = data.locality or None
    learner.preferred_localities = preferred
    learner.available_from = data.available_from
    learner.cv_text = (data.cv_text or "").strip()
    learner.skills = _learner_skills(terms)
    unknown = [s.term for s in learner.skills if s.skill_id is None]
    audit.record("profile.updated", actor=user, obj=learner, unknown_terms=len(unknown))
    db.session.commit()
    return unknown


def _learner_skills(terms: list[tuple[str, int]]) -> list[LearnerSkill]:
    normalized = taxonomy_cache.normalize_terms([t for t, _lv in terms])
    ids = skill_ids_by_slug()
    rows: list[LearnerSkill] = []
    seen: set[int | str] = set()
    for (term, level), norm in zip(terms, normalized, strict=True):
        skill_id = ids.get(norm.skill_id) if norm.skill_id else None
        key = skill_id if skill_id is not None else term.casefold()
        if key in seen:  # "Python:4, python3:2": the first mention wins
            continue
        seen.add(key)
        rows.append(LearnerSkill(skill_id=skill_id, term=term, level=level))
    return rows


# --- an enterprise viewing a candidate ---


@dataclass(frozen=True)
class CandidateView:
    """A candidate as an enterprise sees them, with their application to the order if any."""

    learner: Learner
    application: Application | None
    contact_visible: bool


def view_candidate(order: Order, learner_id: int, user: User) -> CandidateView:
    """A candidate's profile as the order's enterprise may see it; the view is audited.

    Refused (ServiceError, shown as 404) unless the learner may be matched or has
    applied to this order. Contact details only when the learner applied or accepted
    an invitation. Records "profile.viewed" so the learner sees who looked.
    """
    learner = db.session.scalar(
        sa.select(Learner)
        .where(Learner.id == learner_id)
        .options(
            selectinload(Learner.skills).selectinload(LearnerSkill.skill),
            selectinload(Learner.programme),
            selectinload(Learner.college),
        )
    )
    app = None
    if learner is not None:
        app = db.session.scalar(
            sa.select(Application).where(
                Application.order_id == order.id, Application.learner_id == learner.id
            )
        )
    visible = applications.contact_visible(app)
    if (
        learner is None
        or not order.organization.is_verified
        or not (pair_scores.is_matchable(learner) or visible)
    ):
        raise ServiceError(_("This learner's profile is not available."))
    audit.record(
        "profile.viewed",
        actor=user,
        organization_id=order.organization_id,
        obj=learner,
        learner_id=learner.id,
        order_id=order.id,
    )
    db.session.commit()
    return CandidateView(learner, app, visible)


# --- the skill picker ---

MAX_QUERY = 80


def suggest_skills(query: str, lang: str, limit: int = 10) -> list[dict[str, str]]:
    """Taxonomy skills for a skill picker: what the normaliser reads ``query`` as (typos
    included: "pyhton" gives Python) first, then skills with a name or alias starting
    with it (accents and case ignored). One scan of the alias keys (a few thousand rows).
    ``name`` is the skill's name in ``lang``, the reader's language.
    """
    query = (query or "").strip()[:MAX_QUERY]
    key = fold(query)
    if not key:
        return []
    found: dict[int, tuple[Skill, str]] = {}
    [norm] = taxonomy_cache.normalize_terms([query])
    if norm.skill_id:
        skill = db.session.scalar(sa.select(Skill).where(Skill.slug == norm.skill_id))
        if skill is not None:
            found[skill.id] = (skill, "exact" if norm.score >= 1 else "normalised")
    pattern = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = db.session.scalars(
        sa.select(Skill)
        .join(SkillAlias, SkillAlias.skill_id == Skill.id)
        .where(SkillAlias.key.like(pattern, escape="\\"), Skill.merged_into_id.is_(None))
        .order_by(sa.func.length(SkillAlias.key), Skill.id)
        .limit(limit * 4)
    )
    for skill in rows:
        if len(found) >= limit:
            break
        found.setdefault(skill.id, (skill, "prefix"))
    return [
        {
            "slug": s.slug,
            "name": s.name(lang),
            "name_en": s.name_en,
            "name_vi": s.name_vi,
            "category": s.category,
            "match": how,
        }
        for s, how in found.values()
    ]
