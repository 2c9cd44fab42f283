from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from matchhub.forms import Form, SelectField, SkillLevels, strip
from matchhub.labels import label
from matchhub.models import Situation

CODE_RULE = Regexp(
    r"^[0-9A-Za-z][0-9A-Za-z._\-]*$",
    message=_l("Use letters, digits, dots, dashes and underscores."),
)

SKILLS_HELP = _l(
    "Skills not suggested above: one per line or separated by commas, with a level "
    "from 1 to 5 after a colon, e.g. “Docker:2”."
)


class ActionForm(Form):
    """A button that acts (commit, discard, accept, decline): only the CSRF token."""


class CommitForm(Form):
    """Confirm a previewed import, choosing when the new learners are invited."""

    invite = RadioField(
        _l("Invitations to claim their profiles"),
        choices=[
            SelectChoice("now", _l("Send them now, by mail")),
            SelectChoice("later", _l("Later: I will send them from the import page")),
            SelectChoice("never", _l("Never send them")),
        ],
        default="now",
    )
    #: Set by the "import the valid rows, skip the rejected ones" button.
    skip_invalid = BooleanField()


class UploadForm(Form):
    file = FileField(
        _l("Learner file (CSV or XLSX)"),
        validators=[FileRequired(message=_l("Choose a file to upload."))],
    )
    # The default is the scale GPA is stored on; a 10-point file read as 4-point gives
    # visible row errors, while the other way round would shrink every GPA silently.
    # Left out of the form data (older scripts), it is that default too.
    gpa_scale = RadioField(
        _l("GPA scale of the file"),
        choices=[
            SelectChoice("4", _l("4-point scale (e.g. 3.20)")),
            SelectChoice("10", _l("10-point scale (e.g. 8.0): converted to the 4-point scale")),
        ],
        default="4",
    )


class ProgrammeForm(Form):
    code = StringField(
        _l("Code"), filters=[strip], validators=[DataRequired(), Length(max=30), CODE_RULE]
    )
    name = StringField(
        _l("Programme name"), filters=[strip], validators=[DataRequired(), Length(max=200)]
    )
    level = SelectField(_l("Level"), validators=[DataRequired()])
    field = StringField(
        _l("Field of study"), filters=[strip], validators=[DataRequired(), Length(max=120)]
    )
    yearly_intake = IntegerField(
        _l("Yearly intake"), default=0, validators=[Optional(), NumberRange(0, 100_000)]
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])


class CourseForm(Form):
    """A course; the skills it teaches come from checkboxes the view reads itself."""

    code = StringField(
        _l("Code"), filters=[strip], validators=[DataRequired(), Length(max=30), CODE_RULE]
    )
    name = StringField(
        _l("Course name"), filters=[strip], validators=[DataRequired(), Length(max=200)]
    )
    credits = IntegerField(_l("Credits"), default=3, validators=[Optional(), NumberRange(0, 60)])
    # A syllabus is pasted whole (a page or two): a box tall enough to read it in.
    syllabus = TextAreaField(
        _l("Syllabus (learning outcomes, topics)"),
        validators=[Optional(), Length(max=20_000)],
        render_kw={"rows": 14},
    )
    extra_skills = TextAreaField(
        _l("Other skills taught"), validators=[Optional(), Length(max=2000), SkillLevels()]
    )


class OfferForm(Form):
    programme = SelectField(_l("Programme"), validators=[Optional()])
    course_name = StringField(
        _l("Short course name"), filters=[strip], validators=[Optional(), Length(max=200)]
    )
    seats = IntegerField(_l("Seats"), default=10, validators=[DataRequired(), NumberRange(1, 1000)])
    start_date = DateField(_l("Start date"), validators=[Optional()])
    duration_weeks = IntegerField(
        _l("Duration (weeks)"), validators=[Optional(), NumberRange(1, 260)]
    )
    mode = SelectField(
        _l("How it is given"),
        choices=[
            SelectChoice("", _l("— not stated —")),
            SelectChoice("in_person", _l("In person")),
            SelectChoice("online", _l("Online")),
            SelectChoice("blended", _l("Blended (in person and online)")),
        ],
        validators=[Optional()],
    )
    location = StringField(_l("Where"), filters=[strip], validators=[Optional(), Length(max=200)])
    fee_per_trainee = IntegerField(
        _l("Fee per trainee (₫, empty if free)"),
        validators=[Optional(), NumberRange(0, 1_000_000_000)],
    )
    enrolment = TextAreaField(
        _l("How learners enrol (contact, phone, link)"),
        validators=[Optional(), Length(max=2000)],
    )
    note = TextAreaField(_l("Note to the enterprise"), validators=[Optional(), Length(max=2000)])


def situation_choices(blank) -> list[SelectChoice]:
    """A blank option (nothing known) then every situation, translated."""
    return [SelectChoice("", blank), *(SelectChoice(s.value, label(s)) for s in Situation)]


class SurveySendForm(Form):
    """Mail the graduate survey of one wave to one cohort."""

    year = SelectField(_l("Cohort (graduation year)"), validators=[DataRequired()])
    wave = SelectField(
        _l("When"),
        choices=[
            SelectChoice("6", _l("6 months after graduation")),
            SelectChoice("12", _l("12 months after graduation")),
        ],
        validators=[DataRequired()],
    )


class LearnerOutcomeForm(Form):
    """A learner's situation at 6 and at 12 months, as the college knows it."""

    wave_6 = SelectField(_l("6 months after graduation"), validators=[Optional()])
    wave_12 = SelectField(_l("12 months after graduation"), validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in (self.wave_6, self.wave_12):
            field.choices = situation_choices(_l("Not known"))


class EnrolmentForm(Form):
    """How learners enrol in an offer's training: changeable after the enterprise accepts."""

    enrolment = TextAreaField(
        _l("How learners enrol (contact, phone, link)"),
        validators=[DataRequired(), Length(max=2000)],
    )
