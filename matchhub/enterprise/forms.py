from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    HiddenField,
    IntegerField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from matchhub.forms import Form, SelectField, SkillLevels, strip
from matchhub.services.messages import MAX_BODY as MESSAGE_MAX

SKILLS_HELP = _l(
    "One skill per line or separated by commas; add a level from 1 to 5 after a colon, "
    "e.g. “Python:4”, and, if a skill matters more than the others, a weight up to 5 "
    "after a star, e.g. “Python:4*2”. Terms the taxonomy does not know are kept and flagged."
)


# The limit written out for people, as the translation formats it ("1.000.000.000 đồng").
_SALARY_RANGE = _l("Enter an amount from 0 to 1,000,000,000 VND a month.")


class _OrderFields(Form):
    """What every order says: what it is, the skills, how many people, where, from when."""

    title = StringField(_l("Title"), filters=[strip], validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    required_skills = TextAreaField(
        _l("Required skills"), validators=[DataRequired(), Length(max=2000), SkillLevels()]
    )
    # InputRequired, not DataRequired: 0 is an answer (out of range), not a missing one.
    headcount = IntegerField(
        _l("Number of positions"),
        default=1,
        validators=[
            InputRequired(),
            NumberRange(1, 500, message=_l("Enter a whole number from 1 to 500.")),
        ],
    )
    locality = SelectField(_l("Locality"), validators=[DataRequired()])
    start_date = DateField(_l("Start date"), validators=[Optional()])


class OrderForm(_OrderFields):
    """A job or an internship: learners apply to it."""

    kind = SelectField(_l("Kind"), validators=[DataRequired()])
    nice_skills = TextAreaField(
        _l("Nice-to-have skills"), validators=[Optional(), Length(max=2000), SkillLevels()]
    )
    remote = BooleanField(_l("Remote work possible"))
    salary_min = IntegerField(
        _l("Lowest monthly pay (VND)"),
        validators=[Optional(), NumberRange(0, 1_000_000_000, message=_SALARY_RANGE)],
    )
    salary_max = IntegerField(
        _l("Highest monthly pay (VND)"),
        validators=[Optional(), NumberRange(0, 1_000_000_000, message=_SALARY_RANGE)],
    )
    deadline = DateField(_l("Application deadline"), validators=[Optional()])


TRAINING_SKILLS_HELP = _l(
    "The skills the trainees should have at the end, one per line or separated by commas, "
    "each with the level to reach from 1 to 5 after a colon, e.g. “CNC:3”."
)


class TrainingOrderForm(_OrderFields):
    """A training order: addressed to colleges, which answer with offers. No pay, remote
    work or application deadline: nobody applies to it."""

    required_skills = TextAreaField(
        _l("Skills to train, with the level to reach"),
        validators=[DataRequired(), Length(max=2000), SkillLevels()],
    )
    headcount = IntegerField(
        _l("Number of trainees"),
        default=10,
        validators=[
            InputRequired(),
            NumberRange(1, 500, message=_l("Enter a whole number from 1 to 500.")),
        ],
    )
    locality = SelectField(_l("Where the training takes place"), validators=[DataRequired()])
    start_date = DateField(_l("Training starts on"), validators=[Optional()])
    duration_weeks = IntegerField(
        _l("Duration (weeks)"),
        validators=[
            Optional(),
            NumberRange(1, 260, message=_l("Enter a whole number of weeks from 1 to 260.")),
        ],
    )
    budget_per_trainee = IntegerField(
        _l("Budget per trainee (₫, optional)"),
        validators=[
            Optional(),
            NumberRange(0, 1_000_000_000, message=_l("Enter an amount from 0 to 1,000,000,000 ₫.")),
        ],
    )


class ActionForm(Form):
    """A button that changes an order (publish, close, cancel): only the CSRF token."""


class CandidateFilterForm(Form):
    """Filters of the candidates page (GET: no CSRF token, nothing is written)."""

    class Meta:
        csrf = False

    # A name, a skill or a word of the CV; accents and case ignored (learners.search_ids).
    q = StringField(
        _l("Name, skill or CV keyword"),
        filters=[strip],
        validators=[Optional(), Length(max=100)],
    )
    locality = SelectField(_l("Locality"), validators=[Optional()])
    graduation_year = IntegerField(
        _l("Graduation year"), validators=[Optional(), NumberRange(1990, 2100)]
    )
    programme = SelectField(_l("Programme"), validators=[Optional()])
    min_score = DecimalField(
        _l("Lowest match (%)"), places=0, validators=[Optional(), NumberRange(0, 100)]
    )
    # Who meets or nearly meets first; the full list is one choice away.
    tier = SelectField(
        _l("Show"),
        choices=[
            SelectChoice("near", _l("Meets or nearly meets the requirements")),
            SelectChoice("meets", _l("Meets the requirements")),
            SelectChoice("all", _l("Everyone, best first")),
        ],
        default="near",
        validators=[Optional()],
    )


class ShortlistForm(Form):
    """Shortlist (or shortlist and invite) one ranked learner."""

    invite = HiddenField()


class MoveForm(Form):
    to_status = SelectField(_l("Move to"), validators=[DataRequired()])
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), Length(max=2000)])


class NoteForm(Form):
    note = TextAreaField(_l("Note"), validators=[DataRequired(), Length(max=2000)])


class BulkForm(Form):
    """A bulk action on candidates; their learner ids come as repeated ``learner_id`` values
    (``services.bulk_actions``)."""

    action = SelectField(
        _l("With the selected candidates"),
        choices=[
            SelectChoice("shortlist", _l("Shortlist")),
            SelectChoice("invite", _l("Invite to apply")),
            SelectChoice("reject", _l("Reject")),
        ],
        validators=[DataRequired()],
    )
    template = SelectField(_l("Message template"), validators=[Optional()])
    message = TextAreaField(
        _l("Message to each candidate (optional)"),
        validators=[Optional(), Length(max=MESSAGE_MAX)],
        render_kw={"rows": 9},
    )
