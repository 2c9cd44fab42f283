from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from matchhub.forms import Form


class VerifyForm(Form):
    """Approve an organisation (the token is all it carries)."""


class RejectForm(Form):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=500)])
