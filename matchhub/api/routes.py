"""The ``/api/v1`` read endpoints. Thin, like the pages: parse (the ``arguments``
schema), call one service, answer (the ``response`` schema shapes it)."""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify
from flask_babel import gettext as _
from flask_login import current_user

from matchhub.api import bp, error, inputs, schemas
from matchhub.api.spec import spec
from matchhub.i18n import current_lang
from matchhub.models import Order, OrderKind, OrderStatus, Role
from matchhub.models.orders import LEARNER_VISIBLE
from matchhub.security import require
from matchhub.services import (
    ServiceError,
    applications,
    demand,
    orders,
    pair_scores,
    profiles,
    province,
    ranked_pages,
    taxonomy_cache,
)


def _skill(s) -> dict[str, Any]:
    """A skill's fields, for a :class:`schemas.Skill` row composed with other values."""
    return {"slug": s.slug, "name_en": s.name_en, "name_vi": s.name_vi, "category": s.category}


def readable_order(order_id: int) -> Order:
    """An order the current user may read (the rule of ``orders.readable``); 404 otherwise."""
    return orders.readable(current_user, order_id)


def own_order(order_id: int) -> Order:
    """The enterprise's own order: another role is refused (403), another's order is 404."""
    require(Role.ENTERPRISE)
    return orders.editable(current_user, order_id)


# ---------------------------------------------------------------- everyone


@bp.get("/openapi.json")
@bp.doc(security=[], tags=["meta"])
@bp.response(200, description="This document (OpenAPI 3.1)")
def openapi():
    """This document"""
    return jsonify(spec())


@bp.get("/me")
@bp.doc(tags=["meta"])
@bp.response(200, schemas.Me)
def me():
    """The token's user"""
    return current_user


@bp.get("/skills")
@bp.doc(tags=["skills"])
@bp.arguments(inputs.SkillSearchArgs, location="query", as_kwargs=True)
@bp.response(200, schemas.SkillHits, description="Best first")
def skill_search(q: str, limit: int):
    """Search the skill taxonomy (typos and Vietnamese accepted)"""
    return {"items": profiles.suggest_skills(q, current_lang(), limit=limit)}


@bp.post("/skills/normalize")
@bp.doc(tags=["skills"])
@bp.arguments(inputs.NormalizeBody, as_kwargs=True)
@bp.response(200, schemas.NormalizedList, description="One result per term, in order")
@bp.alt_response(413, schema=schemas.Error, description="Too many terms")
def skill_normalize(terms: list[str]):
    """Normalise free-text skill terms to taxonomy skills"""
    if len(terms) > inputs.MAX_TERMS:
        return error(413, _("At most %(n)d terms per call.", n=inputs.MAX_TERMS))
    taxonomy = taxonomy_cache.normalizer().taxonomy
    items = []
    for norm in taxonomy_cache.normalize_terms(terms):
        skill = taxonomy.get(norm.skill_id) if norm.skill_id else None
        items.append(
            {
                "term": norm.term,
                "skill_id": norm.skill_id,
                "name_en": skill.name_en if skill else None,
                "name_vi": skill.name_vi if skill else None,
                "score": norm.score,
            }
        )
    return {"items": items}


@bp.post("/skills/extract")
@bp.doc(tags=["skills"])
@bp.arguments(inputs.ExtractBody, as_kwargs=True)
@bp.response(200, schemas.Mentions, description="Mentions in text order")
@bp.alt_response(413, schema=schemas.Error, description="Text too long")
def skill_extract(text: str):
    """Find the skills a text (CV, job description) mentions, with their spans"""
    if len(text) > inputs.MAX_TEXT:
        return error(413, _("At most %(n)d characters per call.", n=inputs.MAX_TEXT))
    taxonomy = taxonomy_cache.normalizer().taxonomy
    return {
        "skills": [
            {
                "skill_id": m.skill_id,
                "name_en": taxonomy.get(m.skill_id).name_en,
                "start": m.start,
                "end": m.end,
            }
            for m in taxonomy_cache.extractor().extract(text)
        ]
    }


@bp.get("/orders/open")
@bp.doc(tags=["orders"])
@bp.arguments(inputs.OpenOrdersArgs, location="query", as_kwargs=True)
@bp.response(200, schemas.OrderPage, description="One page, newest first")
def open_orders(page: int, per_page: int, min_tier: str, kind=None, locality=None):
    """Open orders of verified organisations, newest first"""
    result = orders.public_open_orders(
        kind=OrderKind(kind) if kind else None,
        locality=locality or None,
        page=page,
        per_page=per_page,
    )
    return schemas.page(result.items, page, per_page, result.total or 0)


@bp.get("/orders/<int:order_id>")
@bp.doc(tags=["orders"])
@bp.response(200, schemas.Order)
def order_detail(order_id: int):
    """One order: your organisation's own, or any open one"""
    return readable_order(order_id)


# ---------------------------------------------------------------- enterprises


@bp.get("/orders")
@bp.doc(tags=["enterprises"])
@bp.arguments(inputs.OwnOrdersArgs, location="query", as_kwargs=True)
@bp.response(200, schemas.OrderPage, description="One page, newest first")
def own_orders(page: int, per_page: int, status=None):
    """Your organisation's orders (enterprises)"""
    require(Role.ENTERPRISE)
    result = orders.orders_page(
        current_user.organization, OrderStatus(status) if status else None, page, per_page
    )
    return schemas.page(result.items, page, per_page, result.total or 0)


def _learner(learner, contact_visible: bool) -> dict[str, Any]:
    """A candidate as an enterprise may see them: contacts only once they applied."""
    return {
        "id": learner.id,
        "full_name": learner.full_name,
        "college": learner.college.name if learner.college else None,
        "programme": learner.programme.name if learner.programme else None,
        "graduation_year": learner.graduation_year,
        "locality": learner.locality,
        "email": learner.email if contact_visible else None,
        "phone": learner.phone if contact_visible else None,
    }


@bp.get("/orders/<int:order_id>/candidates")
@bp.doc(tags=["enterprises"])
@bp.arguments(inputs.CandidateArgs, location="query", as_kwargs=True)
@bp.response(200, schemas.CandidatePage, description="One page, best first")
def order_candidates(order_id: int, page: int, per_page: int, min_tier: str, **filters):
    """Learners ranked for one of your orders, each result explained (enterprises)"""
    order = own_order(order_id)
    if not order.organization.is_verified:
        return error(
            403, _("Candidates are shown once the province office has verified your organisation.")
        )
    result = ranked_pages.candidates_for(
        order,
        ranked_pages.CandidateFilters(
            locality=filters.get("locality") or None,
            graduation_year=filters.get("graduation_year"),
            min_score=filters.get("min_score") or None,
            min_tier=ranked_pages.TIER_FILTERS[min_tier],
        ),
        page=page,
        per_page=per_page,
    )
    inferred = pair_scores.inferred_skills(c.learner.id for c in result.items)
    items = [
        {
            "rank": c.rank,
            "learner": _learner(c.learner, applications.contact_visible(c.application)),
            "inferred_skills": sorted(inferred.get(c.learner.id, frozenset())),
            "application": c.application,
            "result": c.result.as_dict(),
        }
        for c in result.items
    ]
    return schemas.page(items, page, per_page, result.total)


@bp.get("/orders/<int:order_id>/candidates/<int:learner_id>")
@bp.doc(tags=["enterprises"])
@bp.response(200, schemas.CandidateDetail)
def candidate_detail(order_id: int, learner_id: int):
    """One candidate's profile; the learner sees that you viewed it (enterprises)"""
    order = own_order(order_id)
    try:
        view = profiles.view_candidate(order, learner_id, current_user)  # audited
    except ServiceError:
        abort(404)
    learner = view.learner
    return {
        "learner": {
            **_learner(learner, view.contact_visible),
            "cv_text": learner.cv_text,
            "skills": [
                {**_skill(s.skill), "level": s.level} for s in learner.skills if s.skill is not None
            ],
        },
        "inferred_skills": sorted(pair_scores.inferred_skills_of(learner)),
        "result": pair_scores.explain(order, learner).as_dict(),
    }


# ---------------------------------------------------------------- learners


@bp.get("/matches")
@bp.doc(tags=["learners"])
@bp.arguments(inputs.MatchArgs, location="query", as_kwargs=True)
@bp.response(200, schemas.MatchPage, description="One page, best first")
def my_matches(page: int, per_page: int, min_tier: str, kind=None, locality=None):
    """Open orders ranked for you, with reasons (learners)"""
    require(Role.LEARNER)
    learner = ranked_pages.learner_to_match(current_user)
    if learner is None:
        abort(404)
    result = ranked_pages.matches_for(
        learner,
        kind=kind,
        locality=locality or None,
        page=page,
        per_page=per_page,
        min_tier=ranked_pages.TIER_FILTERS[min_tier],
    )
    inferred = sorted(pair_scores.inferred_skills_of(learner))
    items = [
        {
            "rank": m.rank,
            "order": m.order,
            "application_status": (
                m.application_status if m.application_status in LEARNER_VISIBLE else None
            ),
            "inferred_skills": inferred,
            "result": m.result.as_dict(),
        }
        for m in result.items
    ]
    return schemas.page(items, page, per_page, result.total)


# ---------------------------------------------------------------- colleges


@bp.get("/demand")
@bp.doc(tags=["colleges"])
@bp.arguments(inputs.DemandArgs, location="query", as_kwargs=True)
@bp.response(200, schemas.Demand, description="Most demanded first")
def skill_demand(period: str):
    """Skills in demand across the province and your programmes teaching them (colleges)"""
    require(Role.COLLEGE)
    filters = demand.DemandFilters(months=demand.months_of(period))
    report = demand.demand_report(current_user.organization, filters=filters)
    return {
        "period": period,
        "since": report.since,
        "orders": report.orders,
        "skills": [
            {
                **_skill(row.skill),
                "demand": row.demand,
                "share": row.share,
                "orders": row.orders,
                "level": row.level,
                "programmes": [
                    {"id": p.id, "name": p.name, "level": lvl} for p, lvl in row.programmes
                ],
            }
            for row in report.skills
        ],
    }


# ---------------------------------------------------------------- province office


@bp.get("/stats/skill-gaps")
@bp.doc(tags=["province"])
@bp.arguments(inputs.GapArgs, location="query", as_kwargs=True)
@bp.response(200, schemas.SkillGaps, description="Largest demand first")
def skill_gaps(period: str, graduation_year=None):
    """Supply and demand per skill across the province (province office)"""
    require(Role.ADMIN)
    report = province.report(province.Filters(period=period, graduation_year=graduation_year))
    return {
        "period": period,
        "learners": report.learners,
        "positions": report.positions,
        "hired": report.hired,
        "fill_rate": report.fill_rate,
        "gaps": [
            {
                **_skill(g.skill),
                "demand": g.demand,
                "supply": g.supply,
                "ratio": g.ratio,
                "flag": g.flag,
            }
            for g in report.gaps
        ],
    }
