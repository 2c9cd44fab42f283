"""Training orders of enterprises, and the offers the college sends back."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchhub.college import bp
from matchhub.college.forms import ActionForm, EnrolmentForm, OfferForm
from matchhub.forms import choices, show_service_error
from matchhub.models import VerificationState
from matchhub.services import ServiceError, learners, training


def _offer_form() -> OfferForm:
    form = OfferForm()
    form.programme.choices = choices(
        [("", _("— a short course instead —"))]
        + [
            (str(p.id), f"{p.name} ({p.code})")
            for p in learners.programmes_of(current_user.organization)
        ]
    )
    return form


def _offer_input(form: OfferForm) -> training.OfferInput:
    return training.OfferInput(
        programme_id=int(form.programme.data) if form.programme.data else None,
        course_name=form.course_name.data or "",
        seats=form.seats.data,
        start_date=form.start_date.data,
        note=form.note.data or "",
        fee_per_trainee=form.fee_per_trainee.data,
        duration_weeks=form.duration_weeks.data,
        mode=form.mode.data or None,
        location=form.location.data or "",
        enrolment=form.enrolment.data or "",
    )


@bp.route("/training-orders")
def training_order_list():
    offers = training.offers_of_college(current_user.organization)
    mine: dict[int, list] = {}
    for offer in offers:
        mine.setdefault(offer.order_id, []).append(offer)
    return render_template(
        "college/training_order_list.html",
        orders=training.open_training_orders(),
        mine=mine,
        offers=offers,
    )


@bp.route("/training-orders/<int:order_id>", methods=["GET", "POST"])
def training_order_detail(order_id: int):
    order = training.readable_training_order(current_user, order_id)
    form = _offer_form()
    if form.validate_on_submit():
        data = _offer_input(form)
        try:
            training.make_offer(current_user.organization, current_user, order, data)
        except ServiceError as exc:
            show_service_error(form, exc, "warning")
        else:
            flash(_("Your offer was sent to the enterprise."), "success")
            return redirect(url_for("college.training_order_list"))
    my_offers = [
        o for o in training.offers_of_college(current_user.organization) if o.order_id == order.id
    ]
    return render_template(
        "college/training_order_detail.html",
        order=order,
        form=form,
        enrolment_form=EnrolmentForm(),
        my_offers=my_offers,
        seats_left=training.seats_left(order),
        action_form=ActionForm(),
        verified=current_user.organization.state is VerificationState.VERIFIED,
    )


@bp.route("/training-offers/<int:offer_id>/edit", methods=["GET", "POST"])
def training_offer_edit(offer_id: int):
    offer = training.own_offer(current_user, offer_id)
    form = _offer_form()
    if not form.is_submitted():
        form.process(
            obj=offer,
            programme=str(offer.programme_id) if offer.programme_id else "",
            mode=offer.mode.value if offer.mode else "",
        )
    elif form.validate():
        try:
            training.edit_offer(offer, current_user, _offer_input(form))
        except ServiceError as exc:
            show_service_error(form, exc, "warning")
        else:
            flash(_("Your offer is changed; the enterprise is told."), "success")
            return redirect(url_for("college.training_order_detail", order_id=offer.order_id))
    return render_template("college/training_offer_edit.html", offer=offer, form=form)


@bp.route("/training-offers/<int:offer_id>/withdraw", methods=["POST"])
def training_offer_withdraw(offer_id: int):
    offer = training.own_offer(current_user, offer_id)
    if ActionForm().validate_on_submit():
        try:
            training.withdraw_offer(offer, current_user)
        except ServiceError as exc:
            flash(exc.message, "warning")
        else:
            flash(_("Your offer is withdrawn; the enterprise is told."), "success")
    return redirect(url_for("college.training_order_detail", order_id=offer.order_id))


@bp.route("/training-offers/<int:offer_id>/enrolment", methods=["POST"])
def training_offer_enrolment(offer_id: int):
    """Say (again) how learners enrol in an accepted offer's training."""
    offer = training.own_offer(current_user, offer_id)
    form = EnrolmentForm()
    if form.validate_on_submit():
        try:
            training.update_enrolment(offer, current_user, form.enrolment.data)
        except ServiceError as exc:
            flash(exc.message, "warning")
        else:
            flash(_("How to enrol is saved: learners read it with the training."), "success")
    else:
        for errors in form.errors.values():
            flash(" ".join(errors), "warning")
    return redirect(url_for("college.training_order_detail", order_id=offer.order_id))
