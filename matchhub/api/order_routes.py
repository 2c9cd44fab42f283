"""Orders written by other systems: create a draft, update it, publish it.

The same use cases as the enterprise's pages (:mod:`matchhub.services.orders`), so
the same rules hold: a draft needs a required skill, levels are 1 to 5, and only a
verified organisation publishes an order that names a skill the platform recognises.
"""

from __future__ import annotations

from flask_login import current_user

from matchhub.api import bp, error, inputs, schemas, writes
from matchhub.api.routes import own_order
from matchhub.models import Role
from matchhub.security import require
from matchhub.services import ServiceError, orders


@bp.post("/orders")
@bp.doc(tags=["enterprises"])
@bp.arguments(inputs.OrderBody)
@bp.response(201, schemas.Order, description="The new draft")
@writes
def order_create(data: dict):
    """Create a draft order (enterprises, `write` scope)"""
    require(Role.ENTERPRISE)
    return orders.save_order(
        current_user.organization, current_user, inputs.OrderBody().to_input(data)
    )


@bp.put("/orders/<int:order_id>")
@bp.doc(tags=["enterprises"])
@bp.arguments(inputs.OrderBody)
@bp.response(200, schemas.Order, description="The order as saved")
@writes
def order_update(data: dict, order_id: int):
    """Replace a draft or open order's content (enterprises, `write` scope)"""
    order = own_order(order_id)
    return orders.save_order(
        order.organization, current_user, inputs.OrderBody().to_input(data), order=order
    )


@bp.post("/orders/<int:order_id>/publish")
@bp.doc(tags=["enterprises"])
@bp.response(
    200, schemas.Order, description="The order, now open: to learners, or to colleges (training)"
)
@bp.alt_response(409, schema=schemas.Error, description="The order cannot be published now")
@writes
def order_publish(order_id: int):
    """Open a draft: to learners, a training order to colleges (enterprises, `write` scope)

    Refused (409) unless the organisation is verified, the order is a draft, its
    deadline has not passed and it names a required skill the platform recognises.
    """
    order = own_order(order_id)
    try:
        orders.publish_order(order, current_user)
    except ServiceError as exc:
        return error(409, exc.message)
    return order
