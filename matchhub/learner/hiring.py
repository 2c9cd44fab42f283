"""A learner answers interview times and job offers on their own applications.

The application page includes ``learner/_interview.html`` and ``_offer.html`` (their
data come from :func:`_hiring`). Accepting or declining an offer is irreversible, so it
goes through a confirmation page (which works without JavaScript). Every route loads
the application through ``applications.editable``: another learner's id answers 404.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from matchhub.forms import Form, choices
from matchhub.i18n import date_text
from matchhub.learner import bp
from matchhub.services import ServiceError, applications, interviews, job_offers


class BookForm(Form):
    slot = RadioField(_l("Choose a time"), validators=[InputRequired()])


class AnotherTimeForm(Form):
    message = TextAreaField(
        _l("Which times suit you?"), validators=[DataRequired(), Length(max=2000)]
    )


class OfferReplyForm(Form):
    reply = TextAreaField(_l("Message (optional)"), validators=[Optional(), Length(max=2000)])
    confirm = BooleanField(_l("I confirm my answer"), validators=[DataRequired()])


def _book_form(interview, bound: bool = True) -> BookForm:
    """The choice among the interview's proposed times (``bound``: to the request's form)."""
    form = BookForm() if bound else BookForm(formdata=None)
    form.slot.choices = choices(
        (str(s.id), date_text(s.starts_at)) for s in (interview.slots if interview else ())
    )
    return form


@bp.context_processor
def _hiring():
    def hiring_for(app):
        interview = interviews.current(app)
        offer = job_offers.latest(app)
        return {
            "interview": interview,
            "book_form": _book_form(interview, bound=False),
            "another_form": AnotherTimeForm(formdata=None),
            "offer": offer,
            "offer_expired": offer is not None and job_offers.is_expired(offer),
            "can_answer": job_offers.can_accept(offer) and app.status.value == "offer",
        }

    def hiring_summary(apps):
        ids = [a.id for a in apps]
        return {"interviews": interviews.current_for(ids), "offers": job_offers.latest_for(ids)}

    return {"hiring_for": hiring_for, "hiring_summary": hiring_summary}


def _back(app):
    return redirect(url_for("learner.application_detail", application_id=app.id) + "#hiring")


@bp.route("/applications/<int:application_id>/interview/book", methods=["POST"])
def interview_book(application_id: int):
    app = applications.editable(current_user, application_id)
    form = _book_form(interviews.current(app))
    if form.validate_on_submit():
        try:
            interview = interviews.book(app, current_user, int(form.slot.data))
        except ServiceError as exc:
            flash(exc.message, "warning")
        else:
            flash(
                _("Your interview is booked for %(when)s.", when=date_text(interview.starts_at)),
                "success",
            )
    else:
        flash(_("Choose one of the proposed times."), "warning")
    return _back(app)


@bp.route("/applications/<int:application_id>/interview/another-time", methods=["POST"])
def interview_another_time(application_id: int):
    app = applications.editable(current_user, application_id)
    form = AnotherTimeForm()
    if form.validate_on_submit():
        try:
            interviews.ask_another_time(app, current_user, form.message.data)
        except ServiceError as exc:
            flash(exc.message, "warning")
        else:
            flash(_("Your request is sent to the enterprise."), "success")
    else:
        message = form.message.errors[0] if form.message.errors else _("Say which times suit you.")
        flash(message, "warning")
    return _back(app)


@bp.route(
    "/applications/<int:application_id>/job-offer/<any(accept, decline):decision>",
    methods=["GET", "POST"],
)
def job_offer_reply(application_id: int, decision: str):
    """The confirmation page (GET), then the answer (POST with the box ticked)."""
    app = applications.editable(current_user, application_id)
    offer = job_offers.latest(app)
    if offer is None:
        abort(404)
    form = OfferReplyForm()
    if form.validate_on_submit():
        try:
            if decision == "accept":
                job_offers.accept(app, current_user, form.reply.data)
            else:
                job_offers.decline(app, current_user, form.reply.data)
        except ServiceError as exc:
            flash(exc.message, "warning")
        else:
            flash(
                _("You accepted the offer: congratulations!")
                if decision == "accept"
                else _("You declined the offer; the enterprise is told."),
                "success",
            )
        return _back(app)
    return render_template(
        "learner/job_offer_confirm.html",
        app=app,
        offer=offer,
        decision=decision,
        form=form,
        expired=job_offers.is_expired(offer),
        # Waiting for an answer; the page still refuses to accept past the reply-by date.
        open=offer.status.value == "sent" and app.status.value == "offer",
    )
