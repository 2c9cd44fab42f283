from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from matchhub.forms import Form, SelectField, strip

SKILLS_HELP = _l(
    "One skill per line or separated by commas, with your level from 1 (aware of it) to 5 "
    "(expert) after a colon, e.g. “Python:4”. Vietnamese or English names and small typos "
    "are understood; terms the taxonomy does not know are kept and flagged."
)


class ProfileForm(Form):
    full_name = StringField(
        _l("Full name"), filters=[strip], validators=[DataRequired(), Length(max=120)]
    )
    phone = StringField(_l("Phone"), filters=[strip], validators=[Optional(), Length(max=20)])
    programme = SelectField(_l("Programme"), validators=[Optional()])
    graduation_year = IntegerField(
        _l("Graduation year"), validators=[Optional(), NumberRange(1990, 2100)]
    )
    locality = SelectField(_l("Locality"), validators=[Optional()])
    preferred_localities = SelectMultipleField(
        _l("Other localities where I would work"), validators=[Optional()]
    )
    available_from = DateField(_l("Available from"), validators=[Optional()])
    skills = TextAreaField(_l("Skills"), validators=[Optional(), Length(max=3000)])
    cv_text = TextAreaField(_l("CV"), validators=[Optional(), Length(max=20000)])


class MatchFilterForm(Form):
    """Filters of the matches page (GET: nothing is written, so no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(_l("Keywords"), filters=[strip], validators=[Optional(), Length(max=100)])
    kind = SelectField(_l("Kind"), validators=[Optional()])
    locality = SelectField(_l("Locality"), validators=[Optional()])
    # Openings the learner meets or nearly meets first; the full list is one choice away.
    tier = SelectField(
        _l("Show"),
        choices=[
            SelectChoice("near", _l("Meets or nearly meets the requirements")),
            SelectChoice("meets", _l("Meets the requirements")),
            SelectChoice("all", _l("All openings, best first")),
        ],
        default="near",
        validators=[Optional()],
    )


class ApplyForm(Form):
    message = TextAreaField(
        _l("Message to the enterprise (optional)"), validators=[Optional(), Length(max=2000)]
    )


class ActionForm(Form):
    """A button (decline, withdraw, withdraw consent, export): only the CSRF token."""


class VisibilityForm(Form):
    visibility = RadioField(_l("Who may see my profile"), validators=[InputRequired()])


class ConsentForm(Form):
    agree = BooleanField(_l("I agree"), validators=[DataRequired()])


class DeleteAccountForm(Form):
    password = PasswordField(_l("Your password"), validators=[DataRequired()])
    confirm = BooleanField(
        _l("I understand that my account and personal data are erased for good"),
        validators=[DataRequired()],
    )


class CVUploadForm(Form):
    file = FileField(
        _l("CV file (PDF or DOCX)"),
        validators=[FileRequired(message=_l("Choose a file to upload."))],
    )


class SaveForm(Form):
    """Save or unsave button: the CSRF token and the page to go back to."""

    next = HiddenField(validators=[Optional(), Length(max=2000)])


class AlertForm(Form):
    active = BooleanField(_l("Mail me new matches every week"))
    min_score = SelectField(
        _l("Only openings that match me at least"), validators=[InputRequired()]
    )
    kind = SelectField(_l("Kind"), validators=[Optional()])
