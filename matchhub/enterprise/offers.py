"""An enterprise decides on the offers colleges send to its training orders."""

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchhub.enterprise import bp
from matchhub.enterprise.forms import ActionForm
from matchhub.models import OrderKind
from matchhub.services import ServiceError, training


@bp.context_processor
def _training_offers():
    # The order page's included section asks for its offers; only for training orders.
    def training_offers_for(order):
        # The page loaded ``order`` through ``orders.editable``: it is this enterprise's.
        if order is None or order.kind is not OrderKind.TRAINING:
            return []
        return training.offers_for_order(order)

    def training_seats_left(order):
        return training.seats_left(order)

    return {"training_offers_for": training_offers_for, "training_seats_left": training_seats_left}


@bp.route("/offers/<int:offer_id>/<any(accept, decline):decision>", methods=["POST"])
def offer_decide(offer_id: int, decision: str):
    offer = training.offer_editable(current_user, offer_id)
    if ActionForm().validate_on_submit():
        try:
            training.decide_offer(offer, current_user, accept=decision == "accept")
        except ServiceError as exc:
            flash(exc.message, "warning")
        else:
            flash(
                _("The offer is accepted.")
                if decision == "accept"
                else _("The offer is declined."),
                "success",
            )
    return redirect(url_for("enterprise.order_detail", order_id=offer.order_id))
