"""An enterprise arranges interviews and sends job offers on an application.

The application page includes ``enterprise/_interviews.html`` and ``_offer.html``; they
ask :func:`_hiring` (a context processor) for the interview, the offer and the forms,
so the page's own view is unchanged. A refused form shows the page again with what was
typed and the message under its field. Every route loads the application through
``applications.editable``: another organisation's id answers 404.
"""

from __future__ import annotations

from flask import flash, g, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import DateField, DateTimeLocalField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from matchhub.enterprise import bp, candidates
from matchhub.forms import Form, show_service_error, strip
from matchhub.services import ServiceError, applications, interviews, job_offers

_SALARY_RANGE = _l("Enter an amount from 0 to 1,000,000,000 VND a month.")
_TIME_HELP = _l("Vietnam's time (UTC+7).")


class InterviewForm(Form):
    slot_1 = DateTimeLocalField(_l("Time 1"), validators=[InputRequired()])
    slot_2 = DateTimeLocalField(_l("Time 2 (optional)"), validators=[Optional()])
    slot_3 = DateTimeLocalField(_l("Time 3 (optional)"), validators=[Optional()])
    duration_minutes = IntegerField(
        _l("Duration (minutes)"),
        default=60,
        validators=[
            InputRequired(),
            NumberRange(5, 480, message=_l("Enter a duration from 5 to 480 minutes.")),
        ],
    )
    location = StringField(_l("Place"), filters=[strip], validators=[Optional(), Length(max=300)])
    online_url = StringField(
        _l("Online meeting link"), filters=[strip], validators=[Optional(), Length(max=500)]
    )
    note = TextAreaField(_l("Note to the candidate"), validators=[Optional(), Length(max=2000)])


class CancelInterviewForm(Form):
    reason = TextAreaField(_l("Reason (optional)"), validators=[Optional(), Length(max=300)])


class JobOfferForm(Form):
    position = StringField(
        _l("Position"), filters=[strip], validators=[DataRequired(), Length(max=200)]
    )
    start_date = DateField(_l("Start date"), validators=[InputRequired()])
    salary = IntegerField(
        _l("Monthly pay (VND, optional)"),
        validators=[Optional(), NumberRange(0, 1_000_000_000, message=_SALARY_RANGE)],
    )
    reply_by = DateField(_l("Reply by"), validators=[InputRequired()])
    message = TextAreaField(_l("Message"), validators=[Optional(), Length(max=2000)])


@bp.context_processor
def _hiring():
    def hiring_for(app):
        # The page loaded ``app`` through ``applications.readable``: it is this enterprise's.
        forms = g.get("hiring_forms", {})
        offer = job_offers.latest(app)
        offer_form = forms.get("offer") or JobOfferForm(
            formdata=None, position=app.order.title if offer is None else offer.position
        )
        return {
            "interview": interviews.current(app),
            "can_propose": app.status in interviews.PROPOSABLE and not app.learner.is_erased,
            "interview_form": forms.get("interview") or InterviewForm(formdata=None),
            "cancel_form": CancelInterviewForm(formdata=None),
            "offer": offer,
            "offer_expired": offer is not None and job_offers.is_expired(offer),
            "can_offer": app.status in job_offers.OFFERABLE and not app.learner.is_erased,
            "offer_form": offer_form,
        }

    return {"hiring_for": hiring_for}


def _again(application_id: int, **forms):
    """The application page again, with the refused form as it was typed."""
    g.hiring_forms = forms
    return candidates.application_detail(application_id)


def _back(app):
    return redirect(url_for("enterprise.application_detail", application_id=app.id) + "#hiring")


@bp.route("/applications/<int:application_id>/interview", methods=["POST"])
def interview_propose(application_id: int):
    app = applications.editable(current_user, application_id)
    form = InterviewForm()
    if form.validate_on_submit():
        try:
            interviews.propose(
                app,
                current_user,
                [form.slot_1.data, form.slot_2.data, form.slot_3.data],
                duration_minutes=form.duration_minutes.data,
                location=form.location.data,
                online_url=form.online_url.data,
                note=form.note.data,
            )
        except ServiceError as exc:
            # The service names the times together ("slots"): show it under the first.
            if exc.field == "slots":
                exc = ServiceError(exc.message, field="slot_1")
            show_service_error(form, exc)
        else:
            flash(_("The interview times are sent to the candidate."), "success")
            return _back(app)
    return _again(application_id, interview=form)


@bp.route("/applications/<int:application_id>/interview/cancel", methods=["POST"])
def interview_cancel(application_id: int):
    app = applications.editable(current_user, application_id)
    form = CancelInterviewForm()
    if form.validate_on_submit():
        try:
            interviews.cancel(app, current_user, form.reason.data)
        except ServiceError as exc:
            flash(exc.message, "warning")
        else:
            flash(_("The interview is cancelled and the candidate told."), "success")
    else:
        flash(_("The interview could not be cancelled: try again."), "warning")
    return _back(app)


@bp.route("/applications/<int:application_id>/job-offer", methods=["POST"])
def job_offer_send(application_id: int):
    app = applications.editable(current_user, application_id)
    form = JobOfferForm()
    if form.validate_on_submit():
        data = job_offers.OfferInput(
            position=form.position.data,
            start_date=form.start_date.data,
            reply_by=form.reply_by.data,
            salary=form.salary.data,
            message=form.message.data,
        )
        try:
            job_offers.send(app, current_user, data)
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            flash(_("The offer is sent to the candidate."), "success")
            return _back(app)
    return _again(application_id, offer=form)
