"""What ``/api/v1`` accepts, declared once: query strings and bodies are parsed and
validated by these schemas before a route runs, and documented from them.

Every refusal names the field in the user's language: :class:`Input` gives each field
translated messages, so a bad value is a 400 with the API's one error shape (see
:func:`matchhub.api._http_error`), never a 422 or a 500.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_smorest.fields import Upload
from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validates_schema
from marshmallow.validate import Length, OneOf, Range

from matchhub.models import OrderKind, OrderStatus
from matchhub.security import MAX_INT
from matchhub.services import demand, localities, orders, province, ranked_pages, skill_specs

MAX_PER_PAGE = 100
MAX_TERMS = 1000
MAX_TEXT = 50_000


def _kind_of(field: fields.Field) -> str:
    if isinstance(field, fields.Integer):
        return "integer"
    if isinstance(field, fields.Number):
        return "number"
    if isinstance(field, fields.Boolean):
        return "boolean"
    if isinstance(field, fields.Date):
        return "date"
    if isinstance(field, fields.List):
        return "list"
    if isinstance(field, fields.Nested):
        return "object"
    return "text"


_INVALID = {
    "integer": lambda n: _l("“%(field)s” must be a whole number.", field=n),
    "number": lambda n: _l("“%(field)s” must be a number.", field=n),
    "boolean": lambda n: _l("“%(field)s” must be true or false.", field=n),
    "date": lambda n: _l("“%(field)s” must be a date (YYYY-MM-DD).", field=n),
    "list": lambda n: _l("“%(field)s” must be a list.", field=n),
    "object": lambda n: _l("“%(field)s” must be an object.", field=n),
    "text": lambda n: _l("“%(field)s” must be text.", field=n),
}


def _defaults(field: fields.Field) -> dict:
    merged: dict = {}
    for cls in reversed(type(field).__mro__):
        merged.update(getattr(cls, "default_error_messages", {}))
    return merged


class Input(Schema):
    """Base of every input schema: messages in the user's language that name the field."""

    class Meta:
        unknown = EXCLUDE

    error_messages = {  # noqa: RUF012  (marshmallow's class-level defaults)
        "unknown": _l("Unknown field."),
        "type": _l("Send a JSON object."),
    }

    def on_bind_field(self, field_name: str, field_obj: fields.Field) -> None:
        name = field_obj.data_key or field_name
        for f in (field_obj, getattr(field_obj, "inner", None)):
            if f is None:
                continue
            defaults = _defaults(f)
            ours = {
                "required": _l("“%(field)s” is required.", field=name),
                "null": _l("“%(field)s” cannot be null.", field=name),
                "too_large": _l("“%(field)s” is too large.", field=name),
                **{
                    key: _INVALID[_kind_of(f)](name)
                    for key in ("invalid", "type", "invalid_utf8", "special")
                },
            }
            for key, message in ours.items():
                # Only replace marshmallow's English defaults: a message a field was
                # given on purpose (“terms” must be a list of strings) stays.
                if key in f.error_messages and f.error_messages[key] == defaults.get(key):
                    f.error_messages[key] = message


def between(name: str, low: float, high: float) -> Range:
    message = _l("“%(field)s” must be from %(min)s to %(max)s.", field=name, min=low, max=high)
    return Range(low, high, error=message)


def not_blank(name: str):
    """Refuse text that is only spaces, as the forms' strip filter and DataRequired do."""

    def check(value: str) -> None:
        if not value.strip():
            raise ValidationError(_l("“%(field)s” is required.", field=name))

    return check


def one_of(name: str, choices, message=None) -> OneOf:
    return OneOf(
        list(choices),
        error=message
        or _l("“%(field)s” must be one of: %(choices)s.", field=name, choices=", ".join(choices)),
    )


# --- Query strings ---


class PageArgs(Input):
    page = fields.Integer(load_default=1, validate=between("page", 1, MAX_INT))
    per_page = fields.Integer(load_default=20, validate=between("per_page", 1, MAX_PER_PAGE))


_TIERS = list(ranked_pages.TIER_FILTERS)
_TIER_MESSAGE = _l("“min_tier” must be one of meets, near and all.")


def _min_tier():
    return fields.String(
        load_default="all",
        validate=one_of("min_tier", _TIERS, _TIER_MESSAGE),
        metadata={
            "description": "`near`: who meets or nearly meets the requirements (what the pages "
            "show first); `meets`: who meets them; `all`: everyone, best first"
        },
    )


def _kind():
    return fields.String(validate=one_of("kind", [k.value for k in OrderKind]))


class SkillSearchArgs(Input):
    q = fields.String(
        load_default="", validate=Length(max=80), metadata={"description": "what the user typed"}
    )
    limit = fields.Integer(load_default=10, validate=between("limit", 1, 50))


class OpenOrdersArgs(PageArgs):
    kind = _kind()
    locality = fields.String()
    min_tier = _min_tier()


class OwnOrdersArgs(PageArgs):
    status = fields.String(validate=one_of("status", [s.value for s in OrderStatus]))


class CandidateArgs(PageArgs):
    locality = fields.String()
    graduation_year = fields.Integer(validate=between("graduation_year", 1900, 2100))
    min_score = fields.Float(validate=between("min_score", 0, 1))
    min_tier = _min_tier()


class MatchArgs(PageArgs):
    kind = _kind()
    locality = fields.String()
    min_tier = _min_tier()


class DemandArgs(Input):
    period = fields.String(
        load_default=demand.DEFAULT_PERIOD,
        validate=one_of("period", demand.PERIODS),
        metadata={
            "description": "orders published in the last 3, 6 or 12 calendar months (the "
            "current one included), or `all` open orders, as on the college's demand page"
        },
    )


class GapArgs(Input):
    period = fields.String(
        load_default=province.DEFAULT_PERIOD, validate=one_of("period", province.PERIODS)
    )
    graduation_year = fields.Integer(validate=between("graduation_year", 1900, 2100))


# --- Bodies ---


class NormalizeBody(Input):
    terms = fields.List(
        fields.String(error_messages={"invalid": _l("“terms” must be a list of strings.")}),
        required=True,
        error_messages={"invalid": _l("“terms” must be a list of strings.")},
        metadata={"maxItems": MAX_TERMS},
    )


class ExtractBody(Input):
    text = fields.String(
        required=True,
        error_messages={"invalid": _l("“text” must be a string.")},
        metadata={"maxLength": MAX_TEXT},
    )


class SkillSpec(Input):
    """One skill an order asks for: a term as HR writes it, a level, a weight."""

    class Meta:
        unknown = RAISE

    term = fields.String(required=True, validate=[Length(1, 100), not_blank("term")])
    level = fields.Integer(load_default=3, metadata={"minimum": 1, "maximum": 5})
    weight = fields.Float(load_default=1.0, metadata={"exclusiveMinimum": 0, "maximum": 5})

    @validates_schema
    def _level(self, data, **kwargs):
        # The pages' refusal, word for word, naming the item as the form would show it.
        level = data.get("level", 3)
        if not 1 <= level <= 5:
            item = f"{data.get('term', '')}:{level}"
            raise ValidationError(skill_specs.level_message([item]), field_name="level")


class OrderBody(Input):
    """An order as the enterprise's form has it; skills as lists instead of free text."""

    class Meta:
        unknown = RAISE

    kind = fields.String(required=True, validate=one_of("kind", [k.value for k in OrderKind]))
    title = fields.String(required=True, validate=[Length(1, 200), not_blank("title")])
    description = fields.String(load_default="", validate=Length(max=5000))
    headcount = fields.Integer(load_default=1, validate=between("headcount", 1, 500))
    locality = fields.String(required=True, metadata={"description": "a locality code"})
    remote = fields.Boolean(load_default=False)
    salary_min = fields.Integer(
        load_default=None, allow_none=True, validate=between("salary_min", 0, 1_000_000_000)
    )
    salary_max = fields.Integer(
        load_default=None, allow_none=True, validate=between("salary_max", 0, 1_000_000_000)
    )
    start_date = fields.Date(load_default=None, allow_none=True)
    deadline = fields.Date(load_default=None, allow_none=True)
    required_skills = fields.List(
        fields.Nested(SkillSpec),
        required=True,
        validate=Length(min=1, error=_l("Name at least one required skill.")),
    )
    nice_skills = fields.List(fields.Nested(SkillSpec), load_default=list)
    # A training order's own terms (ignored for a job or an internship, whose pay, remote
    # work and deadline a training order ignores in turn).
    duration_weeks = fields.Integer(
        load_default=None, allow_none=True, validate=between("duration_weeks", 1, 260)
    )
    budget_per_trainee = fields.Integer(
        load_default=None,
        allow_none=True,
        validate=between("budget_per_trainee", 0, 1_000_000_000),
    )

    @validates_schema
    def _locality(self, data, **kwargs):
        # The same list the form's select offers.
        if "locality" in data and data["locality"] not in localities.locality_codes():
            raise ValidationError(
                _l("Unknown locality “%(code)s”.", code=data["locality"]), field_name="locality"
            )

    def to_input(self, data: dict) -> orders.OrderInput:
        def specs(items):
            return [(s["term"].strip(), s["level"], s["weight"]) for s in items]

        return orders.OrderInput(
            kind=OrderKind(data["kind"]),
            title=data["title"].strip(),
            description=data["description"],
            headcount=data["headcount"],
            locality=data["locality"],
            remote=data["remote"],
            salary_min=data["salary_min"],
            salary_max=data["salary_max"],
            start_date=data["start_date"],
            deadline=data["deadline"],
            required=specs(data["required_skills"]),
            nice=specs(data["nice_skills"]),
            duration_weeks=data["duration_weeks"],
            budget_per_trainee=data["budget_per_trainee"],
        )


class UploadBody(Input):
    file = Upload(required=True, metadata={"description": "the cohort file, CSV or XLSX"})


class UploadArgs(Input):
    gpa_scale = fields.Integer(
        load_default=4,
        validate=OneOf([4, 10], error=_l("“gpa_scale” must be 4 or 10.")),
        metadata={
            "description": "the scale of the file's GPA column (4 or 10); GPA is kept out of "
            "4, a 10-point GPA converted (x 0.4)"
        },
    )


class CommitArgs(Input):
    skip_invalid = fields.Boolean(
        load_default=False,
        metadata={
            "description": "write the valid rows and skip the rows with errors (refused "
            "when no row is valid); without it, any error refuses the commit"
        },
    )
