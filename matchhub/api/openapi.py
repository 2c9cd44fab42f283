"""The OpenAPI 3.1 description of ``/api/v1``, served at ``/api/v1/openapi.json``.

Written by hand, next to the routes it describes; the test suite checks that it is
a valid OpenAPI document, that it lists exactly the routes the blueprint has, and
that real responses validate against its schemas.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from matchhub.matching.types import Tier
from matchhub.models import ApplicationStatus, OrderKind, OrderStatus, Role

VERSION = "1.0.0"

# Enumerations come from the models, so the document cannot drift from the data.
_ORDER_KINDS = [k.value for k in OrderKind]
_ORDER_STATUSES = [s.value for s in OrderStatus]
_ROLES = [r.value for r in Role]
_APPLICATION_STATUSES = [s.value for s in ApplicationStatus]
_TIERS = [t.label for t in Tier]


def _nullable(type_: str, **extra) -> dict[str, Any]:
    return {"type": [type_, "null"], **extra}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _extends(base: str, properties: dict[str, Any]) -> dict[str, Any]:
    """Schema ``base`` plus ``properties``, all of them required."""
    return {
        "allOf": [
            _ref(base),
            {"type": "object", "required": list(properties), "properties": properties},
        ]
    }


def _page_of(item: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["items", "page", "per_page", "total", "pages"],
        "properties": {
            "items": {"type": "array", "items": _ref(item)},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
            "total": {"type": "integer", "minimum": 0},
            "pages": {"type": "integer", "minimum": 0},
        },
    }


_SKILL = {
    "type": "object",
    "required": ["id", "name_en", "name_vi", "category"],
    "properties": {
        "id": {"type": "string", "description": "stable skill id, e.g. `spring-boot`"},
        "name_en": {"type": "string"},
        "name_vi": {"type": "string"},
        "category": {"type": "string"},
    },
}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["status", "message"],
                "properties": {
                    "status": {"type": "integer"},
                    "message": {"type": "string", "description": "in the user's language"},
                },
            }
        },
    },
    "Me": {
        "type": "object",
        "required": ["id", "email", "full_name", "role", "locale", "organization"],
        "properties": {
            "id": {"type": "integer"},
            "email": {"type": "string"},
            "full_name": {"type": "string"},
            "role": {"enum": _ROLES},
            "locale": {"enum": ["vi", "en"]},
            "organization": {
                "oneOf": [
                    {"type": "null"},
                    {
                        "type": "object",
                        "required": ["id", "name", "kind", "verified"],
                        "properties": {
                            "id": {"type": "integer"},
                            "name": {"type": "string"},
                            "kind": {"enum": ["enterprise", "college"]},
                            "verified": {"type": "boolean"},
                        },
                    },
                ]
            },
        },
    },
    "Skill": _SKILL,
    "SkillHit": _extends("Skill", {"match": {"enum": ["exact", "normalised", "prefix"]}}),
    "Normalized": {
        "type": "object",
        "required": ["term", "skill_id", "name_en", "name_vi", "score"],
        "properties": {
            "term": {"type": "string"},
            "skill_id": _nullable("string", description="null when the term is unknown"),
            "name_en": _nullable("string"),
            "name_vi": _nullable("string"),
            "score": {"type": "number", "minimum": 0, "maximum": 1},
        },
    },
    "Mention": {
        "type": "object",
        "required": ["skill_id", "name_en", "start", "end"],
        "properties": {
            "skill_id": {"type": "string"},
            "name_en": {"type": "string"},
            "start": {"type": "integer", "description": "character offset in the text"},
            "end": {"type": "integer"},
        },
    },
    "OrderSkill": _extends(
        "Skill",
        {
            "term": {"type": "string", "description": "as the enterprise wrote it"},
            "required": {"type": "boolean", "description": "false: nice to have"},
            "level": {"type": "integer", "minimum": 1, "maximum": 5},
            "weight": {"type": "number"},
        },
    ),
    "Order": {
        "type": "object",
        "required": [
            "id",
            "kind",
            "status",
            "title",
            "organization",
            "headcount",
            "skills",
            "unrecognised_required",
        ],
        "properties": {
            "id": {"type": "integer"},
            "kind": {"enum": _ORDER_KINDS},
            "status": {"enum": _ORDER_STATUSES},
            "title": {"type": "string"},
            "description": {"type": "string"},
            "organization": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
            },
            "headcount": {"type": "integer"},
            "locality": _nullable("string"),
            "remote": {"type": "boolean"},
            "salary_min": _nullable("integer"),
            "salary_max": _nullable("integer"),
            "start_date": _nullable("string", format="date"),
            "deadline": _nullable("string", format="date"),
            "published_at": _nullable("string", format="date-time"),
            "skills": {"type": "array", "items": _ref("OrderSkill")},
            "unrecognised_required": {
                "type": "array",
                "items": {"type": "string"},
                "description": (
                    "required terms no skill matches yet, as typed: kept for the province "
                    "office to map, missing for every candidate until then"
                ),
            },
        },
    },
    "SkillMatch": {
        "type": "object",
        "required": ["skill_id", "required_level", "learner_level", "weight"],
        "properties": {
            "skill_id": {"type": "string"},
            "required_level": {"type": "integer"},
            "learner_level": {
                "type": "integer",
                "description": "0: the learner lacks it; with `via`, the related skill's level",
            },
            "weight": {"type": "number"},
            "via": {
                "type": "string",
                "description": "only on related credit: the learner's related skill that earned it",
            },
        },
    },
    "MatchResult": {
        "type": "object",
        "description": "The engine's score of one (order, learner) pair, explained.",
        "required": [
            "order_id",
            "learner_id",
            "score",
            "qualifies",
            "tier",
            "matched",
            "partial",
            "missing",
            "related",
            "unknown",
            "nice",
            "components",
        ],
        "properties": {
            "order_id": {"type": "integer"},
            "learner_id": {"type": "integer"},
            "score": {"type": "number", "minimum": 0, "maximum": 1},
            "qualifies": {"type": "boolean", "description": "exactly `tier` != `missing`"},
            "tier": {
                "enum": _TIERS,
                "description": (
                    "`meets`: every required skill at the level asked; `near`: every one, "
                    "some a level short; `missing`: lacks one (or the order names a required "
                    "term nobody recognises yet). Results sort by tier, then score."
                ),
            },
            "matched": {"type": "array", "items": _ref("SkillMatch")},
            "partial": {"type": "array", "items": _ref("SkillMatch")},
            "missing": {"type": "array", "items": _ref("SkillMatch")},
            "related": {
                "type": "array",
                "items": _ref("SkillMatch"),
                "description": "the missing skills credited in part through a related skill",
            },
            "unknown": {
                "type": "array",
                "items": {"type": "string"},
                "description": "the order's required terms nobody recognises yet",
            },
            "nice": {"type": "array", "items": _ref("SkillMatch")},
            "components": {
                "type": "object",
                "additionalProperties": {"type": "number"},
                "description": "each weighted part of the score and the raw sub-scores",
            },
        },
    },
    "CandidateLearner": {
        "type": "object",
        "required": ["id", "full_name", "graduation_year", "locality", "email", "phone"],
        "properties": {
            "id": {"type": "integer"},
            "full_name": {"type": "string"},
            "college": _nullable("string"),
            "programme": _nullable("string"),
            "graduation_year": _nullable("integer"),
            "locality": _nullable("string"),
            "email": _nullable("string", description="only once the learner applied"),
            "phone": _nullable("string", description="only once the learner applied"),
        },
    },
    "Candidate": {
        "type": "object",
        "required": ["rank", "learner", "inferred_skills", "application", "result"],
        "properties": {
            "rank": {"type": "integer", "minimum": 1},
            "learner": _ref("CandidateLearner"),
            "inferred_skills": _ref("InferredSkills"),
            "application": {
                "oneOf": [
                    {"type": "null"},
                    {
                        "type": "object",
                        "required": ["id", "status"],
                        "properties": {
                            "id": {"type": "integer"},
                            "status": {"enum": _APPLICATION_STATUSES},
                        },
                    },
                ]
            },
            "result": _ref("MatchResult"),
        },
    },
    "CandidateDetail": {
        "type": "object",
        "required": ["learner", "inferred_skills", "result"],
        "properties": {
            "inferred_skills": _ref("InferredSkills"),
            "learner": _extends(
                "CandidateLearner",
                {
                    "cv_text": {"type": "string"},
                    "skills": {
                        "type": "array",
                        "items": {
                            "allOf": [
                                _ref("Skill"),
                                {
                                    "type": "object",
                                    "required": ["level"],
                                    "properties": {"level": {"type": "integer"}},
                                },
                            ]
                        },
                    },
                },
            ),
            "result": _ref("MatchResult"),
        },
    },
    "Match": {
        "type": "object",
        "required": ["rank", "order", "application_status", "inferred_skills", "result"],
        "properties": {
            "inferred_skills": _ref("InferredSkills"),
            "rank": {"type": "integer", "minimum": 1},
            "order": {
                "type": "object",
                "required": ["id", "kind", "title", "organization", "locality", "remote"],
                "properties": {
                    "id": {"type": "integer"},
                    "kind": {"enum": _ORDER_KINDS},
                    "title": {"type": "string"},
                    "organization": {"type": "string"},
                    "locality": _nullable("string"),
                    "remote": {"type": "boolean"},
                    "deadline": _nullable("string", format="date"),
                },
            },
            "application_status": {
                "enum": [*_APPLICATION_STATUSES, None],
                "description": "the learner's own application to the order, if any",
            },
            "result": _ref("MatchResult"),
        },
    },
    "InferredSkills": {
        "type": "array",
        "items": {"type": "string"},
        "description": (
            "skill ids the learner did not list but another listed skill implies "
            "(React implies JavaScript); the result credits them one level below it"
        ),
    },
    "OrderPage": _page_of("Order"),
    "CandidatePage": _page_of("Candidate"),
    "MatchPage": _page_of("Match"),
    "Demand": {
        "type": "object",
        "required": ["orders", "skills"],
        "properties": {
            "orders": {"type": "integer", "description": "open orders counted"},
            "skills": {
                "type": "array",
                "items": _extends(
                    "Skill",
                    {
                        "demand": {
                            "type": "number",
                            "description": "positions, halved every 90 days of age",
                        },
                        "share": {"type": "number"},
                        "orders": {"type": "integer"},
                        "level": {"type": "integer"},
                        "programmes": {
                            "type": "array",
                            "description": "your programmes teaching it",
                            "items": {
                                "type": "object",
                                "required": ["id", "name", "level"],
                                "properties": {
                                    "id": {"type": "integer"},
                                    "name": {"type": "string"},
                                    "level": {"type": "integer"},
                                },
                            },
                        },
                    },
                ),
            },
        },
    },
    "SkillGaps": {
        "type": "object",
        "required": ["period", "learners", "positions", "hired", "fill_rate", "gaps"],
        "properties": {
            "period": {"enum": ["30", "90", "365", "all"]},
            "learners": {"type": "integer"},
            "positions": {"type": "integer"},
            "hired": {"type": "integer"},
            "fill_rate": _nullable("number"),
            "gaps": {
                "type": "array",
                "items": _extends(
                    "Skill",
                    {
                        "demand": {"type": "integer"},
                        "supply": {"type": "integer"},
                        "ratio": _nullable("number"),
                        "flag": {"enum": ["shortage", "balanced", "surplus"]},
                    },
                ),
            },
        },
    },
}


def _json(schema: dict) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def _ok(schema_name: str, description: str) -> dict[str, Any]:
    return {"description": description, **_json(_ref(schema_name))}


def _list_of(key: str, item: str, description: str) -> dict[str, Any]:
    """A 200 answer ``{key: [item, ...]}``."""
    return {
        "description": description,
        **_json(
            {
                "type": "object",
                "required": [key],
                "properties": {key: {"type": "array", "items": _ref(item)}},
            }
        ),
    }


_ERRORS = {
    "400": {"description": "Bad input", **_json(_ref("Error"))},
    "401": {"description": "No valid token", **_json(_ref("Error"))},
    "403": {"description": "Not allowed for this role", **_json(_ref("Error"))},
    "404": {"description": "Not found, or not yours", **_json(_ref("Error"))},
    "429": {"description": "Rate limit exceeded", **_json(_ref("Error"))},
}


def _op(summary: str, ok: dict, *, tag: str, params=(), body=None, public=False) -> dict:
    op: dict[str, Any] = {
        "summary": summary,
        "tags": [tag],
        "responses": {"200": ok, **_ERRORS},
    }
    if params:
        op["parameters"] = list(params)
    if body is not None:
        op["requestBody"] = {"required": True, **_json(body)}
        op["responses"]["413"] = {"description": "Too much input", **_json(_ref("Error"))}
    if public:
        op["security"] = []
    return op


def _q(name: str, schema: dict, description: str = "") -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


def _path(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


_PAGE = (
    _q("page", {"type": "integer", "minimum": 1, "default": 1}),
    _q("per_page", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}),
)
_KIND = _q("kind", {"enum": _ORDER_KINDS})
_MIN_TIER = _q(
    "min_tier",
    {"enum": ["meets", "near", "all"], "default": "all"},
    "`near`: who meets or nearly meets the requirements (what the pages show first); "
    "`meets`: who meets them; `all`: everyone, best first",
)


@cache
def spec() -> dict[str, Any]:
    """The OpenAPI document (built once; treat it as read-only)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "MatchHub API",
            "version": VERSION,
            "description": (
                "Skill orders, ranked and explained candidates, matches, demand and gaps. "
                "Every call but this document needs a personal token from the account's "
                "“API tokens” page: `Authorization: Bearer mh_…`. A token acts as its "
                "user, with that user's role and organisation. Messages follow the "
                "user's language. Rate limit: 300 calls a minute per token."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"token": []}],
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
            "schemas": SCHEMAS,
        },
        "paths": {
            "/openapi.json": {
                "get": _op(
                    "This document",
                    {"description": "OpenAPI 3.1", **_json({"type": "object"})},
                    tag="meta",
                    public=True,
                )
            },
            "/me": {"get": _op("The token's user", _ok("Me", "The user"), tag="meta")},
            "/skills": {
                "get": _op(
                    "Search the skill taxonomy (typos and Vietnamese accepted)",
                    _list_of("items", "SkillHit", "Best first"),
                    tag="skills",
                    params=(
                        _q("q", {"type": "string", "maxLength": 80}, "what the user typed"),
                        _q(
                            "limit", {"type": "integer", "minimum": 1, "maximum": 50, "default": 10}
                        ),
                    ),
                )
            },
            "/skills/normalize": {
                "post": _op(
                    "Normalise free-text skill terms to taxonomy skills",
                    _list_of("items", "Normalized", "One result per term, in order"),
                    tag="skills",
                    body={
                        "type": "object",
                        "required": ["terms"],
                        "properties": {
                            "terms": {
                                "type": "array",
                                "items": {"type": "string"},
                                "maxItems": 1000,
                            }
                        },
                    },
                )
            },
            "/skills/extract": {
                "post": _op(
                    "Find the skills a text (CV, job description) mentions, with their spans",
                    _list_of("skills", "Mention", "Mentions in text order"),
                    tag="skills",
                    body={
                        "type": "object",
                        "required": ["text"],
                        "properties": {"text": {"type": "string", "maxLength": 50000}},
                    },
                )
            },
            "/orders/open": {
                "get": _op(
                    "Open orders of verified organisations, newest first",
                    _ok("OrderPage", "One page"),
                    tag="orders",
                    params=(_KIND, _q("locality", {"type": "string"}), _MIN_TIER, *_PAGE),
                )
            },
            "/orders/{order_id}": {
                "get": _op(
                    "One order: your organisation's own, or any open one",
                    _ok("Order", "The order"),
                    tag="orders",
                    params=(_path("order_id"),),
                )
            },
            "/orders": {
                "get": _op(
                    "Your organisation's orders (enterprises)",
                    _ok("OrderPage", "One page, newest first"),
                    tag="enterprises",
                    params=(
                        _q("status", {"enum": _ORDER_STATUSES}),
                        *_PAGE,
                    ),
                )
            },
            "/orders/{order_id}/candidates": {
                "get": _op(
                    "Learners ranked for one of your orders, each result explained (enterprises)",
                    _ok("CandidatePage", "One page, best first"),
                    tag="enterprises",
                    params=(
                        _path("order_id"),
                        _q("locality", {"type": "string"}),
                        _q("graduation_year", {"type": "integer"}),
                        _q("min_score", {"type": "number", "minimum": 0, "maximum": 1}),
                        _MIN_TIER,
                        *_PAGE,
                    ),
                )
            },
            "/orders/{order_id}/candidates/{learner_id}": {
                "get": _op(
                    "One candidate's profile; the learner sees that you viewed it (enterprises)",
                    _ok("CandidateDetail", "The candidate"),
                    tag="enterprises",
                    params=(_path("order_id"), _path("learner_id")),
                )
            },
            "/matches": {
                "get": _op(
                    "Open orders ranked for you, with reasons (learners)",
                    _ok("MatchPage", "One page, best first"),
                    tag="learners",
                    params=(_KIND, _q("locality", {"type": "string"}), _MIN_TIER, *_PAGE),
                )
            },
            "/demand": {
                "get": _op(
                    "Skills in demand across the province and your programmes teaching them "
                    "(colleges)",
                    _ok("Demand", "Most demanded first"),
                    tag="colleges",
                )
            },
            "/stats/skill-gaps": {
                "get": _op(
                    "Supply and demand per skill across the province (province office)",
                    _ok("SkillGaps", "Largest demand first"),
                    tag="province",
                    params=(
                        _q("period", {"enum": ["30", "90", "365", "all"], "default": "365"}),
                        _q("graduation_year", {"type": "integer"}),
                    ),
                )
            },
        },
    }
