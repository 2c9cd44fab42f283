"""Helpers shared by every blueprint's forms.

WTForms ships no Vietnamese catalog, so its built-in validation messages are
listed here for extraction into MatchHub's own catalog, and every form takes
its translations from Flask-Babel (see :class:`Form`).
"""

from collections.abc import Iterable

import wtforms
from flask import flash, redirect, url_for
from flask_babel import get_translations, gettext
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _ln
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import SelectChoice, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError
from wtforms.widgets import Select as _WTFormsSelect

from matchhub.services import ServiceError, messages
from matchhub.services.messages import MAX_BODY as MESSAGE_MAX
from matchhub.services.skill_specs import bad_levels, level_message


class _BabelTranslations:
    """WTForms' translation interface, answered by MatchHub's catalog."""

    def gettext(self, string: str) -> str:
        return gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        # WTForms formats the result itself with its own names (%(max)d, %(min)d);
        # Flask-Babel's ngettext would format it first with only %(num)s and fail.
        return get_translations().ungettext(singular, plural, n)


def _unix_newlines(value):
    """Browsers send a textarea's line breaks as CRLF, and its ``maxlength`` counts each as
    one character: count (and store) them as one, so what fitted the box fits the field."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


class Form(FlaskForm):
    """The base of every MatchHub form: CSRF from Flask-WTF, messages in the user's language."""

    class Meta:
        def get_translations(self, form):
            return _BabelTranslations()

        def bind_field(self, form, unbound_field, options):
            if issubclass(unbound_field.field_class, TextAreaField):
                filters = unbound_field.kwargs.get("filters") or ()
                options = {**options, "filters": [_unix_newlines, *filters]}
            return unbound_field.bind(form=form, **options)

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        # A submitted form says everything: a field it lacks is empty, never the edited
        # object's attribute of the same name (``Learner.skills`` is a list of rows, not the
        # text the form's "skills" field holds), so a crafted post cannot crash the view.
        formdata = self.meta.wrap_formdata(self, formdata)
        if formdata:
            obj = None
        super().process(formdata, obj, data=data, extra_filters=extra_filters, **kwargs)


# WTForms' own messages: listed so that `make catalog` extracts them. Never displayed from here.
WTFORMS_MESSAGES = (
    _l("Field must be equal to %(other_name)s."),
    _ln(
        "Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.",
        1,
    ),
    _ln(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
        1,
    ),
    _ln(
        "Field must be exactly %(max)d character long.",
        "Field must be exactly %(max)d characters long.",
        1,
    ),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Date must be at least %(min)s."),
    _l("Date must be at most %(max)s."),
    _l("Date must be between %(min)s and %(max)s."),
    _l("This field is required."),
    _l("Invalid input."),
    _l("Invalid email address."),
    _l("Invalid URL."),
    _l("Invalid value, must be one of: %(values)s."),
    _l("Not a valid choice."),
    _l("Not a valid datetime value."),
    _l("Not a valid date value."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Not a valid float value."),
)


class Select(_WTFormsSelect):
    """WTForms' select widget with a lean ``<option>``: the same HTML, built with one
    f-string instead of ``html_params`` and ``Markup.format`` per option. A filter form
    renders a few dozen options on every page view (``bench.throughput --parts``)."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        if choice.render_kw or kwargs:  # extra attributes: WTForms' general path
            return super().render_option(choice, **kwargs)
        value = choice.value
        value = escape(str(value) if isinstance(value, bool) else value)
        label = escape(choice.label or choice.value)
        selected = " selected" if choice.selected else ""
        return Markup(f'<option{selected} value="{value}">{label}</option>')  # noqa: S704 - both parts escaped above


class SelectField(wtforms.SelectField):
    """Every MatchHub select: WTForms' field with the lean :class:`Select` widget."""

    widget = Select()


def choices(pairs: Iterable[tuple[str, object]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms select options."""
    return [SelectChoice(value, str(label)) for value, label in pairs]


def strip(value: str | None) -> str | None:
    """Field filter: drop the spaces people paste around emails and codes."""
    return value.strip() if isinstance(value, str) else value


def show_service_error(form: Form, exc: ServiceError, category: str = "danger") -> None:
    """Show a refused use case: under its field when the service named one, else as a flash."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, exc.message]
    else:
        flash(exc.message, category)


class SkillLevels:
    """Field validator: every "term:level" in a skill list has a level from 1 to 5.

    "Docker:9" or "Excel:abc" is refused with the items named, never read as level 3.
    """

    def __call__(self, form, field) -> None:
        bad = bad_levels(field.data)
        if bad:
            raise ValidationError(level_message(bad))


# --- Ranking lists (allocation rounds): the learner's and the enterprise's round pages ---
#
# Reordering works without JavaScript: the page posts the current list as hidden
# inputs and the button pressed ("up:3", "down:0", "remove:2", "add"), and the
# view applies that one move before saving.


class RoundActionForm(Form):
    """A ranking form: the CSRF token; the lists come as repeated plain inputs."""


def apply_move(items: list[int], action: str, add: int | None) -> list[int]:
    """The list after one button: "up:i", "down:i", "remove:i", or "add" (``add`` appended)."""
    items = list(items)
    verb, _sep, raw = action.partition(":")
    i = int(raw) if raw.isdigit() else -1
    if verb == "up" and 0 < i < len(items):
        items[i - 1], items[i] = items[i], items[i - 1]
    elif verb == "down" and 0 <= i < len(items) - 1:
        items[i], items[i + 1] = items[i + 1], items[i]
    elif verb == "remove" and 0 <= i < len(items):
        del items[i]
    elif verb == "add" and add is not None and add not in items:
        items.append(add)
    return items


def int_list(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


#: How often one user may send messages on applications: each one is mailed to the
#: other side, so a script must not turn the thread into a mail cannon.
MESSAGE_RATE = "10 per minute;60 per hour"


def message_rate_key() -> str:
    """The message limit is per signed-in user, wherever they connect from."""
    return f"messages:{current_user.get_id()}"


class MessageForm(Form):
    """A message on an application's thread: the enterprise's and the learner's pages."""

    body = TextAreaField(
        _l("Your message"),
        validators=[
            DataRequired(message=_l("Write a message first.")),
            Length(max=MESSAGE_MAX),
        ],
        render_kw={"rows": 4},
    )


def post_message(app, detail_endpoint: str, render_detail):
    """Both sides' "send" on an application's thread: the message goes and the page
    shows the thread again, or the page comes back with the text kept and the error
    under the box (``render_detail(app_id, message_form=form)``)."""
    form = MessageForm()
    if form.validate_on_submit():
        try:
            messages.send(app, current_user, form.body.data)
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            flash(gettext("Your message is sent."), "success")
            return redirect(url_for(detail_endpoint, application_id=app.id, _anchor="messages"))
    return render_detail(app.id, message_form=form)
