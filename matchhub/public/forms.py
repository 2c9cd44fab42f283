"""The openings search form: the public list and the learner's openings page share it."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, SelectChoice, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from matchhub.forms import Form, SelectField, choices, strip
from matchhub.labels import label
from matchhub.models import OrderKind, Situation
from matchhub.models.orders import OPENING_KINDS
from matchhub.services import localities, openings


class OpeningSearchForm(Form):
    """Filters of an openings list (GET: no CSRF token, nothing is written; the values
    stay in the URL so that a search can be shared and paged)."""

    class Meta:
        csrf = False

    q = StringField(
        _l("Keywords"), filters=[strip], validators=[Optional(), Length(max=openings.MAX_QUERY)]
    )
    skill = StringField(
        _l("Skill"), filters=[strip], validators=[Optional(), Length(max=openings.MAX_SKILL)]
    )
    kind = SelectField(_l("Kind"), validators=[Optional()])
    locality = SelectField(_l("Locality"), validators=[Optional()])
    salary_min = IntegerField(
        _l("Salary from (million VND a month)"),
        validators=[Optional(), NumberRange(0, openings.MAX_SALARY_MILLIONS)],
    )


def opening_search_form(args) -> tuple[OpeningSearchForm, openings.OpeningFilters]:
    """The form read from the query string and the filters it gives: a field that does
    not validate (too long, out of range, not a choice) filters nothing and shows why."""
    form = OpeningSearchForm(args)
    form.kind.choices = choices(
        [
            ("", _("All kinds")),
            *((k.value, label(k)) for k in OPENING_KINDS),
        ]
    )
    form.locality.choices = choices([("", _("All localities")), *localities.choices()])
    form.validate()

    def ok(field):
        return field.data if not field.errors and field.data not in ("", None) else None

    kind = ok(form.kind)
    return form, openings.OpeningFilters(
        query=ok(form.q),
        skill=ok(form.skill),
        kind=OrderKind(kind) if kind else None,
        locality=ok(form.locality),
        salary_min=ok(form.salary_min),
    )


class SurveyForm(Form):
    """The graduate survey: one question, answered through a mailed link."""

    situation = RadioField(
        _l("What are you doing now?"),
        choices=[
            SelectChoice(
                Situation.EMPLOYED_IN_FIELD.value, _l("Working in the field I trained for")
            ),
            SelectChoice(Situation.EMPLOYED_ELSEWHERE.value, _l("Working in another field")),
            SelectChoice(Situation.STUDYING.value, _l("Studying further")),
            SelectChoice(Situation.SEEKING.value, _l("Looking for work")),
        ],
        validators=[DataRequired(message=_l("Choose the answer closest to your situation."))],
    )


class UnsubscribeForm(Form):
    """The one button of an alert mail's unsubscribe page: only the CSRF token."""
