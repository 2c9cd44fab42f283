"""What ``/api/v1`` answers, declared once: these schemas shape every response and are
the OpenAPI document's components (see :mod:`matchhub.api.spec`).

They dump model objects where the answer is the object (an order, a skill, the user)
and plain dicts where the route composes several sources (a ranked candidate).
"""

from __future__ import annotations

from marshmallow import Schema, fields
from marshmallow.validate import OneOf, Range

from matchhub.i18n import current_lang
from matchhub.matching.types import Tier
from matchhub.models import ApplicationStatus, OrderKind, OrderStatus, OrgKind, Role
from matchhub.services import demand, orders

_TIERS = [t.label for t in Tier]


def _nullable(field_cls, **kw):
    return field_cls(allow_none=True, **kw)


class ErrorDetail(Schema):
    status = fields.Integer(required=True)
    message = fields.String(required=True, metadata={"description": "in the user's language"})
    field = fields.String(
        metadata={"description": "the input field a refusal is about, when there is one"}
    )
    fields_ = fields.Dict(
        data_key="fields",
        keys=fields.String(),
        metadata={"description": "schema validation: each bad input and what is wrong with it"},
    )


class Error(Schema):
    """Every error: ``{"error": {"status", "message"}}``."""

    error = fields.Nested(ErrorDetail, required=True)


class Skill(Schema):
    id = fields.String(
        attribute="slug", required=True, metadata={"description": "stable skill id, `spring-boot`"}
    )
    name_en = fields.String(required=True)
    name_vi = fields.String(required=True)
    category = fields.String(required=True)


class SkillHit(Skill):
    match = fields.String(required=True, validate=OneOf(["exact", "normalised", "prefix"]))


class SkillHits(Schema):
    items = fields.List(fields.Nested(SkillHit), required=True)


class OrgBrief(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    kind = fields.Enum(OrgKind, by_value=True, required=True)
    verified = fields.Boolean(attribute="is_verified", required=True)


class Me(Schema):
    id = fields.Integer(required=True)
    email = fields.String(required=True)
    full_name = fields.String(required=True)
    role = fields.Enum(Role, by_value=True, required=True)
    locale = fields.String(required=True, validate=OneOf(["vi", "en"]))
    organization = fields.Nested(OrgBrief, allow_none=True, required=True)

    def get_attribute(self, obj, attr, default):
        if attr == "locale":  # the language the request answers in, not only the setting
            return current_lang()
        return super().get_attribute(obj, attr, default)


class Normalized(Schema):
    term = fields.String(required=True)
    skill_id = _nullable(
        fields.String, required=True, metadata={"description": "null when the term is unknown"}
    )
    name_en = _nullable(fields.String, required=True)
    name_vi = _nullable(fields.String, required=True)
    score = fields.Float(required=True, validate=Range(0, 1))


class NormalizedList(Schema):
    items = fields.List(fields.Nested(Normalized), required=True)


class Mention(Schema):
    skill_id = fields.String(required=True)
    name_en = fields.String(required=True)
    start = fields.Integer(required=True, metadata={"description": "character offset in the text"})
    end = fields.Integer(required=True)


class Mentions(Schema):
    skills = fields.List(fields.Nested(Mention), required=True)


class OrderSkill(Schema):
    """A recognised skill of an order, with what the order asks of it."""

    id = fields.String(attribute="skill.slug", required=True)
    name_en = fields.String(attribute="skill.name_en", required=True)
    name_vi = fields.String(attribute="skill.name_vi", required=True)
    category = fields.String(attribute="skill.category", required=True)
    term = fields.String(required=True, metadata={"description": "as the enterprise wrote it"})
    required = fields.Boolean(required=True, metadata={"description": "false: nice to have"})
    level = fields.Integer(required=True, validate=Range(1, 5))
    weight = fields.Float(required=True)


class OrderOrg(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class Order(Schema):
    id = fields.Integer(required=True)
    kind = fields.Enum(OrderKind, by_value=True, required=True)
    status = fields.Enum(OrderStatus, by_value=True, required=True)
    title = fields.String(required=True)
    description = fields.String()
    organization = fields.Nested(OrderOrg, required=True)
    headcount = fields.Integer(required=True)
    locality = _nullable(fields.String)
    remote = fields.Boolean()
    salary_min = _nullable(fields.Integer)
    salary_max = _nullable(fields.Integer)
    start_date = _nullable(fields.Date)
    deadline = _nullable(fields.Date)
    duration_weeks = _nullable(fields.Integer, metadata={"description": "training orders only"})
    budget_per_trainee = _nullable(
        fields.Integer, metadata={"description": "training orders only: VND per trainee"}
    )
    published_at = _nullable(fields.DateTime)
    skills = fields.List(fields.Nested(OrderSkill), required=True)
    unrecognised_required = fields.List(
        fields.String(),
        required=True,
        metadata={
            "description": "required terms no skill matches yet, as typed: kept for the province "
            "office to map, missing for every candidate until then"
        },
    )

    def get_attribute(self, obj, attr, default):
        if attr == "skills":
            return [s for s in obj.skills if s.skill is not None]
        if attr == "unrecognised_required":
            return orders.unrecognised_required(obj)
        return super().get_attribute(obj, attr, default)


def page_of(item: type[Schema], name: str) -> type[Schema]:
    """The schema of one page of ``item``: ``{"items", "page", "per_page", "total", "pages"}``."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item), required=True),
            "page": fields.Integer(required=True, validate=Range(min=1)),
            "per_page": fields.Integer(required=True, validate=Range(1, 100)),
            "total": fields.Integer(required=True, validate=Range(min=0)),
            "pages": fields.Integer(required=True, validate=Range(min=0)),
        },
        name=name,
    )


def page(items, page: int, per_page: int, total: int) -> dict:
    """The body of one page, for :func:`page_of`'s schema."""
    return {
        "items": items,
        "page": page,
        "per_page": per_page,
        "total": total,
        "pages": -(-total // per_page) if total else 0,
    }


class SkillMatch(Schema):
    skill_id = fields.String(required=True)
    required_level = fields.Integer(required=True)
    learner_level = fields.Integer(
        required=True,
        metadata={"description": "0: the learner lacks it; with `via`, the related skill's level"},
    )
    weight = fields.Float(required=True)
    via = fields.String(
        metadata={
            "description": "only on related credit: the learner's related skill that earned it"
        }
    )


class MatchResult(Schema):
    """The engine's score of one (order, learner) pair, explained."""

    order_id = fields.Integer(required=True)
    learner_id = fields.Integer(required=True)
    score = fields.Float(required=True, validate=Range(0, 1))
    qualifies = fields.Boolean(
        required=True, metadata={"description": "exactly `tier` != `missing`"}
    )
    tier = fields.String(
        required=True,
        validate=OneOf(_TIERS),
        metadata={
            "description": "`meets`: every required skill at the level asked; `near`: every one, "
            "some a level short; `missing`: lacks one (or the order names a required term "
            "nobody recognises yet). Results sort by tier, then score."
        },
    )
    matched = fields.List(fields.Nested(SkillMatch), required=True)
    partial = fields.List(fields.Nested(SkillMatch), required=True)
    missing = fields.List(fields.Nested(SkillMatch), required=True)
    related = fields.List(
        fields.Nested(SkillMatch),
        required=True,
        metadata={"description": "the missing skills credited in part through a related skill"},
    )
    unknown = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "the order's required terms nobody recognises yet"},
    )
    nice = fields.List(fields.Nested(SkillMatch), required=True)
    components = fields.Dict(
        keys=fields.String(),
        values=fields.Float(),
        required=True,
        metadata={"description": "each weighted part of the score and the raw sub-scores"},
    )


_INFERRED = {
    "description": "skill ids the learner did not list but another listed skill implies "
    "(React implies JavaScript); the result credits them one level below it"
}


class CandidateLearner(Schema):
    id = fields.Integer(required=True)
    full_name = fields.String(required=True)
    college = _nullable(fields.String)
    programme = _nullable(fields.String)
    graduation_year = _nullable(fields.Integer, required=True)
    locality = _nullable(fields.String, required=True)
    email = _nullable(
        fields.String, required=True, metadata={"description": "only once the learner applied"}
    )
    phone = _nullable(
        fields.String, required=True, metadata={"description": "only once the learner applied"}
    )


class ApplicationRef(Schema):
    id = fields.Integer(required=True)
    status = fields.Enum(ApplicationStatus, by_value=True, required=True)


class Candidate(Schema):
    rank = fields.Integer(required=True, validate=Range(min=1))
    learner = fields.Nested(CandidateLearner, required=True)
    inferred_skills = fields.List(fields.String(), required=True, metadata=_INFERRED)
    application = fields.Nested(ApplicationRef, allow_none=True, required=True)
    result = fields.Nested(MatchResult, required=True)


class LearnerSkill(Skill):
    level = fields.Integer(required=True)


class CandidateProfile(CandidateLearner):
    cv_text = _nullable(fields.String, required=True)
    skills = fields.List(fields.Nested(LearnerSkill), required=True)


class CandidateDetail(Schema):
    learner = fields.Nested(CandidateProfile, required=True)
    inferred_skills = fields.List(fields.String(), required=True, metadata=_INFERRED)
    result = fields.Nested(MatchResult, required=True)


class MatchOrder(Schema):
    id = fields.Integer(required=True)
    kind = fields.Enum(OrderKind, by_value=True, required=True)
    title = fields.String(required=True)
    organization = fields.String(attribute="organization_name", required=True)
    locality = _nullable(fields.String, required=True)
    remote = fields.Boolean(required=True)
    deadline = _nullable(fields.Date)


class Match(Schema):
    rank = fields.Integer(required=True, validate=Range(min=1))
    order = fields.Nested(MatchOrder, required=True)
    application_status = fields.Enum(
        ApplicationStatus,
        by_value=True,
        allow_none=True,
        required=True,
        metadata={"description": "the learner's own application to the order, if any"},
    )
    inferred_skills = fields.List(fields.String(), required=True, metadata=_INFERRED)
    result = fields.Nested(MatchResult, required=True)


class ProgrammeLevel(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    level = fields.Integer(required=True)


class DemandSkill(Skill):
    demand = fields.Float(
        required=True, metadata={"description": "positions, halved every 90 days of age"}
    )
    share = fields.Float(required=True)
    orders = fields.Integer(required=True)
    level = fields.Integer(required=True)
    programmes = fields.List(
        fields.Nested(ProgrammeLevel),
        required=True,
        metadata={"description": "your programmes teaching it"},
    )


class Demand(Schema):
    period = fields.String(required=True, validate=OneOf(list(demand.PERIODS)))
    since = _nullable(
        fields.Date,
        required=True,
        metadata={"description": "the first day of the period counted; null for `all`"},
    )
    orders = fields.Integer(required=True, metadata={"description": "open orders counted"})
    skills = fields.List(fields.Nested(DemandSkill), required=True)


class SkillGap(Skill):
    demand = fields.Integer(required=True)
    supply = fields.Integer(required=True)
    ratio = _nullable(fields.Float, required=True)
    flag = fields.String(required=True, validate=OneOf(["shortage", "balanced", "surplus"]))


class SkillGaps(Schema):
    period = fields.String(required=True, validate=OneOf(["30", "90", "365", "all"]))
    learners = fields.Integer(required=True)
    positions = fields.Integer(required=True)
    hired = fields.Integer(required=True)
    fill_rate = _nullable(fields.Float, required=True)
    gaps = fields.List(fields.Nested(SkillGap), required=True)


OrderPage = page_of(Order, "OrderPage")
CandidatePage = page_of(Candidate, "CandidatePage")
MatchPage = page_of(Match, "MatchPage")


class ImportIssue(Schema):
    row = fields.Integer(required=True, metadata={"description": "spreadsheet row (header: 1)"})
    column = fields.String(required=True, metadata={"description": "the header as written"})
    message = fields.String(required=True)


class ImportPreview(Schema):
    """An uploaded cohort file, every row checked against the database; nothing written."""

    id = fields.String(required=True, metadata={"description": "the upload's id, to commit it"})
    filename = fields.String(required=True)
    rows = fields.Integer(required=True)
    created = fields.Integer(required=True, metadata={"description": "learners it would add"})
    updated = fields.Integer(required=True, metadata={"description": "learners it would change"})
    unchanged = fields.Integer(required=True)
    can_commit = fields.Boolean(required=True, metadata={"description": "no error in any row"})
    can_skip = fields.Boolean(
        required=True,
        metadata={"description": "some rows have errors; the others can be committed with "
                  "`skip_invalid`"},
    )  # fmt: skip
    valid_rows = fields.Integer(required=True, metadata={"description": "rows without error"})
    rejected_rows = fields.Integer(required=True, metadata={"description": "rows with errors"})
    gpa_scale = fields.Integer(
        required=True, metadata={"description": "the scale the GPA column was read on (4 or 10)"}
    )
    error_count = fields.Integer(required=True)
    errors = fields.List(
        fields.Nested(ImportIssue),
        required=True,
        metadata={"description": "the first 1,000 errors, by row: any error refuses the commit"},
    )
    warning_count = fields.Integer(required=True)
    warnings = fields.List(
        fields.Nested(ImportIssue),
        required=True,
        metadata={"description": "the first 1,000 warnings (unknown skill terms are kept)"},
    )


class ImportResult(Schema):
    created = fields.Integer(required=True)
    updated = fields.Integer(required=True)
    unchanged = fields.Integer(required=True)
    invited = fields.Integer(required=True, metadata={"description": "invitations sent"})
    held = fields.Integer(
        required=True,
        metadata={"description": "invitations waiting for the college's verification"},
    )
    skipped = fields.Integer(
        required=True,
        metadata={"description": "rows left out for their errors (with `skip_invalid`)"},
    )
