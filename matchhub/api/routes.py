"""The ``/api/v1`` endpoints. Thin, like the pages: parse, call one service, shape JSON.

Shapes are documented, and tested against, :mod:`matchhub.api.openapi`.
"""

from __future__ import annotations

from typing import Any

from flask import abort, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from matchhub.api import bp, error
from matchhub.api.openapi import spec
from matchhub.i18n import current_lang
from matchhub.models import Order, OrderKind, OrderStatus, Role
from matchhub.models.orders import LEARNER_VISIBLE
from matchhub.security import require
from matchhub.services import (
    ServiceError,
    applications,
    demand,
    engine,
    matching,
    orders,
    profiles,
    province,
)

MAX_PER_PAGE = 100
MAX_TERMS = 1000
MAX_TEXT = 50_000


# ---------------------------------------------------------------- helpers


def _page_args(default: int = 20) -> tuple[int, int]:
    page = request.args.get("page", 1, type=int) or 1
    per_page = request.args.get("per_page", default, type=int) or default
    return max(1, page), min(max(1, per_page), MAX_PER_PAGE)


def _paged(items: list, page: int, per_page: int, total: int):
    return jsonify(
        items=items,
        page=page,
        per_page=per_page,
        total=total,
        pages=-(-total // per_page) if total else 0,
    )


def _json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400)
    return body


def _skill(s) -> dict[str, Any]:
    return {"id": s.slug, "name_en": s.name_en, "name_vi": s.name_vi, "category": s.category}


def _order(order: Order) -> dict[str, Any]:
    return {
        "id": order.id,
        "kind": order.kind.value,
        "status": order.status.value,
        "title": order.title,
        "description": order.description,
        "organization": {"id": order.organization.id, "name": order.organization.name},
        "headcount": order.headcount,
        "locality": order.locality,
        "remote": order.remote,
        "salary_min": order.salary_min,
        "salary_max": order.salary_max,
        "start_date": order.start_date.isoformat() if order.start_date else None,
        "deadline": order.deadline.isoformat() if order.deadline else None,
        "published_at": order.published_at.isoformat() if order.published_at else None,
        "skills": [
            {
                **_skill(s.skill),
                "term": s.term,
                "required": s.required,
                "level": s.level,
                "weight": s.weight,
            }
            for s in order.skills
            if s.skill is not None
        ],
        "unrecognised_required": orders.unrecognised_required(order),
    }


def _min_tier() -> str:
    """The ``min_tier`` parameter (a key of ``matching.TIER_FILTERS``); everyone by default,
    as before tiers existed."""
    return request.args.get("min_tier") or "all"


def _own_order(order_id: int) -> Order:
    """The enterprise's own order: another role is refused (403), another's order is 404."""
    require(Role.ENTERPRISE)
    return orders.editable(current_user, order_id)


# ---------------------------------------------------------------- everyone


@bp.get("/openapi.json")
def openapi():
    return jsonify(spec())


@bp.get("/me")
def me():
    org = current_user.organization
    return jsonify(
        id=current_user.id,
        email=current_user.email,
        full_name=current_user.full_name,
        role=current_user.role.value,
        locale=current_lang(),
        organization=(
            {"id": org.id, "name": org.name, "kind": org.kind.value, "verified": org.is_verified}
            if org is not None
            else None
        ),
    )


@bp.get("/skills")
def skill_search():
    limit = min(max(1, request.args.get("limit", 10, type=int) or 10), 50)
    found = profiles.suggest_skills(request.args.get("q", ""), limit=limit)
    return jsonify(
        items=[
            {
                "id": s["slug"],
                "name_en": s["name_en"],
                "name_vi": s["name_vi"],
                "category": s["category"],
                "match": s["match"],
            }
            for s in found
        ]
    )


@bp.post("/skills/normalize")
def skill_normalize():
    terms = _json_body().get("terms")
    if not isinstance(terms, list) or not all(isinstance(t, str) for t in terms):
        return error(400, _("“terms” must be a list of strings."))
    if len(terms) > MAX_TERMS:
        return error(413, _("At most %(n)d terms per call.", n=MAX_TERMS))
    taxonomy = engine.normalizer().taxonomy
    items = []
    for norm in engine.normalize_terms(terms):
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
    return jsonify(items=items)


@bp.post("/skills/extract")
def skill_extract():
    text = _json_body().get("text")
    if not isinstance(text, str):
        return error(400, _("“text” must be a string."))
    if len(text) > MAX_TEXT:
        return error(413, _("At most %(n)d characters per call.", n=MAX_TEXT))
    taxonomy = engine.normalizer().taxonomy
    return jsonify(
        skills=[
            {
                "skill_id": m.skill_id,
                "name_en": taxonomy.get(m.skill_id).name_en,
                "start": m.start,
                "end": m.end,
            }
            for m in engine.extractor().extract(text)
        ]
    )


@bp.get("/orders/open")
def open_orders():
    page, per_page = _page_args()
    kind = request.args.get("kind") or None
    if kind is not None and kind not in {k.value for k in OrderKind}:
        return error(400, _("Unknown order kind “%(kind)s”.", kind=kind))
    result = orders.public_open_orders(
        kind=OrderKind(kind) if kind else None,
        locality=request.args.get("locality") or None,
        page=page,
        per_page=per_page,
    )
    return _paged([_order(o) for o in result.items], page, per_page, result.total or 0)


@bp.get("/orders/<int:order_id>")
def order_detail(order_id: int):
    return jsonify(_order(orders.readable(current_user, order_id)))


# ---------------------------------------------------------------- enterprises


@bp.get("/orders")
def own_orders():
    require(Role.ENTERPRISE)
    page, per_page = _page_args()
    status = request.args.get("status") or None
    if status is not None and status not in {s.value for s in OrderStatus}:
        return error(400, _("Unknown order status “%(status)s”.", status=status))
    rows = orders.orders_of(current_user.organization, OrderStatus(status) if status else None)
    start = (page - 1) * per_page
    return _paged([_order(o) for o in rows[start : start + per_page]], page, per_page, len(rows))


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


def _candidate(c: matching.Candidate, inferred: frozenset[str]) -> dict[str, Any]:
    return {
        "rank": c.rank,
        "learner": _learner(c.learner, applications.contact_visible(c.application)),
        "inferred_skills": sorted(inferred),
        "application": (
            {"id": c.application.id, "status": c.application.status.value}
            if c.application is not None
            else None
        ),
        "result": c.result.as_dict(),
    }


@bp.get("/orders/<int:order_id>/candidates")
def order_candidates(order_id: int):
    order = _own_order(order_id)
    if not order.organization.is_verified:
        return error(
            403, _("Candidates are shown once the province office has verified your organisation.")
        )
    page, per_page = _page_args()
    min_score = request.args.get("min_score", type=float)
    if min_score is not None and not 0 <= min_score <= 1:
        return error(400, _("“min_score” must be between 0 and 1."))
    min_tier = _min_tier()
    if min_tier not in matching.TIER_FILTERS:
        return error(400, _("“min_tier” must be one of meets, near and all."))
    filters = matching.CandidateFilters(
        locality=request.args.get("locality") or None,
        graduation_year=request.args.get("graduation_year", type=int),
        min_score=min_score or None,
        min_tier=matching.TIER_FILTERS[min_tier],
    )
    result = matching.candidates_for(order, filters, page=page, per_page=per_page)
    inferred = matching.inferred_skills(c.learner.id for c in result.items)
    items = [_candidate(c, inferred.get(c.learner.id, frozenset())) for c in result.items]
    return _paged(items, page, per_page, result.total)


@bp.get("/orders/<int:order_id>/candidates/<int:learner_id>")
def candidate_detail(order_id: int, learner_id: int):
    order = _own_order(order_id)
    try:
        view = profiles.view_candidate(order, learner_id, current_user)  # audited
    except ServiceError:
        abort(404)
    learner = view.learner
    return jsonify(
        learner={
            **_learner(learner, view.contact_visible),
            "cv_text": learner.cv_text,
            "skills": [
                {**_skill(s.skill), "level": s.level} for s in learner.skills if s.skill is not None
            ],
        },
        inferred_skills=sorted(matching.inferred_skills_of(learner)),
        result=matching.explain(order, learner).as_dict(),
    )


# ---------------------------------------------------------------- learners


@bp.get("/matches")
def my_matches():
    require(Role.LEARNER)
    learner = matching.learner_to_match(current_user)
    if learner is None:
        abort(404)
    page, per_page = _page_args()
    kind = request.args.get("kind") or None
    if kind is not None and kind not in {k.value for k in OrderKind}:
        return error(400, _("Unknown order kind “%(kind)s”.", kind=kind))
    min_tier = _min_tier()
    if min_tier not in matching.TIER_FILTERS:
        return error(400, _("“min_tier” must be one of meets, near and all."))
    result = matching.matches_for(
        learner,
        kind=kind,
        locality=request.args.get("locality") or None,
        page=page,
        per_page=per_page,
        min_tier=matching.TIER_FILTERS[min_tier],
    )
    inferred = sorted(matching.inferred_skills_of(learner))
    items = [
        {
            "rank": m.rank,
            "order": {
                "id": m.order.id,
                "kind": m.order.kind.value,
                "title": m.order.title,
                "organization": m.order.organization_name,
                "locality": m.order.locality,
                "remote": m.order.remote,
                "deadline": m.order.deadline.isoformat() if m.order.deadline else None,
            },
            "application_status": (
                m.application_status.value
                if m.application_status in LEARNER_VISIBLE
                else None
            ),
            "inferred_skills": inferred,
            "result": m.result.as_dict(),
        }
        for m in result.items
    ]
    return _paged(items, page, per_page, result.total)


# ---------------------------------------------------------------- colleges


@bp.get("/demand")
def skill_demand():
    require(Role.COLLEGE)
    report = demand.demand_report(current_user.organization)
    return jsonify(
        orders=report.orders,
        skills=[
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
    )


# ---------------------------------------------------------------- province office


@bp.get("/stats/skill-gaps")
def skill_gaps():
    require(Role.ADMIN)
    period = request.args.get("period", province.DEFAULT_PERIOD)
    if period not in province.PERIODS and period != "all":
        return error(400, _("Unknown period “%(period)s”.", period=period))
    report = province.report(
        province.Filters(
            period=period, graduation_year=request.args.get("graduation_year", type=int)
        )
    )
    return jsonify(
        period=period,
        learners=report.learners,
        positions=report.positions,
        hired=report.hired,
        fill_rate=report.fill_rate,
        gaps=[
            {
                **_skill(g.skill),
                "demand": g.demand,
                "supply": g.supply,
                "ratio": g.ratio,
                "flag": g.flag,
            }
            for g in report.gaps
        ],
    )
