from flask_babel import lazy_gettext as _l
from wtforms import (
    DateTimeLocalField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from matchhub.forms import Form, SelectField


class VerifyForm(Form):
    """Approve an organisation (the token is all it carries)."""


class ActionForm(Form):
    """A button that changes something: the CSRF token is all it carries."""


class RejectForm(Form):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=500)])


class SuspendForm(Form):
    reason = TextAreaField(
        _l("Reason for the suspension"), validators=[DataRequired(), Length(max=500)]
    )


class RoundForm(Form):
    name = StringField(_l("Name of the round"), validators=[DataRequired(), Length(max=200)])
    deadline = DateTimeLocalField(
        _l("Ranking deadline (Vietnam time)"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[DataRequired()],
    )
    # Eligibility (services.round_rules): empty means everyone may take part.
    years = StringField(
        _l("Graduating years (empty: all)"),
        validators=[Optional(), Length(max=100)],
    )
    colleges = SelectMultipleField(
        _l("Training institutions (none chosen: all)"),
        coerce=int,
        validate_choice=False,
        render_kw={"size": 8},
    )
    programmes = SelectMultipleField(
        _l("Programmes (none chosen: all)"),
        coerce=int,
        validate_choice=False,
        render_kw={"size": 8},
    )
    min_fit = SelectField(
        _l("Minimum fit to list an internship"),
        choices=[
            SelectChoice("any", _l("None: learners may list any internship of the round")),
            SelectChoice("near", _l("Meets or nearly meets the requirements")),
            SelectChoice("meets", _l("Meets the requirements")),
        ],
        default="any",
    )


class MapTermForm(Form):
    term = StringField(_l("Term"), validators=[DataRequired(), Length(max=160)])
    skill = StringField(_l("Skill (id or name)"), validators=[DataRequired(), Length(max=160)])


class SkillForm(Form):
    name_vi = StringField(_l("Name in Vietnamese"), validators=[DataRequired(), Length(max=160)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=160)])
    category = SelectField(_l("Category"), validators=[DataRequired()])
    term = StringField(_l("Unknown term to link"), validators=[Optional(), Length(max=160)])


class MergeForm(Form):
    source = StringField(
        _l("Merge this skill (id or name)"), validators=[DataRequired(), Length(max=160)]
    )
    target = StringField(
        _l("into this skill (id or name)"), validators=[DataRequired(), Length(max=160)]
    )


class RoleForm(Form):
    role = SelectField(_l("Role"), validators=[DataRequired()])
    organization = SelectField(_l("Organisation"), validators=[Optional()])
