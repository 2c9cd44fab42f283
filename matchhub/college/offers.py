"""Training orders of enterprises, and the offers the college sends back."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchhub.college import bp
from matchhub.college.forms import OfferForm
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
        data = training.OfferInput(
            programme_id=int(form.programme.data) if form.programme.data else None,
            course_name=form.course_name.data or "",
            seats=form.seats.data,
            start_date=form.start_date.data,
            note=form.note.data or "",
        )
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
        my_offers=my_offers,
        seats_left=training.seats_left(order),
        verified=current_user.organization.state is VerificationState.VERIFIED,
    )
