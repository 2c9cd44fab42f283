from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectChoice,
    StringField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from matchhub.forms import Form, SelectField, strip
from matchhub.services.orgs import valid_tax_code


class LoginForm(Form):
    email = EmailField(
        _l("Email"), filters=[strip], validators=[DataRequired(), Email(), Length(max=254)]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Keep me signed in"))


class ResendConfirmationForm(Form):
    """The "send the link again" button the login page shows an unconfirmed account."""

    email = HiddenField(filters=[strip], validators=[DataRequired(), Email(), Length(max=254)])


class RegisterForm(Form):
    role = RadioField(
        _l("I am"),
        choices=[
            SelectChoice("learner", _l("A learner (student, graduate or worker)")),
            SelectChoice("enterprise", _l("An enterprise")),
            SelectChoice("college", _l("A training institution")),
        ],
        default="learner",
        validators=[DataRequired()],
    )
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(
        _l("Email"), filters=[strip], validators=[DataRequired(), Email(), Length(max=254)]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )
    organization_name = StringField(
        _l("Organisation name"), validators=[Optional(), Length(max=200)]
    )
    tax_code = StringField(_l("Tax code"), validators=[Optional(), Length(max=14)])
    locality = SelectField(_l("Locality"), validators=[DataRequired()])
    sector = SelectField(_l("Sector"), validators=[Optional()])

    def validate_organization_name(self, field):
        if self.role.data in ("enterprise", "college") and not (field.data or "").strip():
            raise ValidationError(_l("Enter the organisation's name."))

    def validate_tax_code(self, field):
        if self.role.data != "enterprise":
            return
        if not (field.data or "").strip():
            raise ValidationError(_l("Enter the enterprise's tax code."))
        if not valid_tax_code(field.data):
            raise ValidationError(_l("A tax code has 10 digits, or 13 for a branch."))

    def validate_sector(self, field):
        if self.role.data == "enterprise" and not field.data:
            raise ValidationError(_l("Choose a sector."))


KEEP_TOKENS_LABEL = _l(
    "Keep my API tokens (otherwise every token stops working, as every other session does)"
)


class ChangePasswordForm(Form):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=200)]
    )
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(),
            EqualTo("new_password", message=_l("The passwords do not match.")),
        ],
    )
    keep_api_tokens = BooleanField(KEEP_TOKENS_LABEL)


class ResetRequestForm(Form):
    email = EmailField(
        _l("Email"), filters=[strip], validators=[DataRequired(), Email(), Length(max=254)]
    )


class ResetPasswordForm(Form):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)])
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )
    keep_api_tokens = BooleanField(KEEP_TOKENS_LABEL)


class TokenForm(Form):
    name = StringField(
        _l("Token name"), filters=[strip], validators=[DataRequired(), Length(max=80)]
    )
    lifetime = SelectField(_l("Valid for"), default="90")
    # Read-only by default: a system that only reads cannot write even if its token leaks.
    scopes = RadioField(
        _l("The token may"),
        choices=[
            SelectChoice("read", _l("Read only")),
            SelectChoice(
                "read write", _l("Read and write (create and publish orders, import cohorts)")
            ),
        ],
        default="read",
        validators=[DataRequired()],
    )


class RevokeTokenForm(Form):
    """The "revoke" button: the CSRF token is all it carries."""
