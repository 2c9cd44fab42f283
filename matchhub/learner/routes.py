from flask import abort, render_template, request
from flask_login import current_user

from matchhub.learner import bp
from matchhub.models import OrderKind
from matchhub.services import learners, orders


def _own_profile():
    learner = learners.learner_of_user(current_user)
    if learner is None:
        abort(404)
    return learner


@bp.route("/")
def dashboard():
    learner = _own_profile()
    return render_template(
        "learner/dashboard.html",
        learner=learner,
        applications=learners.applications_of(learner),
        nearby=orders.public_open_orders(locality=learner.locality, per_page=8).items,
    )


@bp.route("/profile")
def profile():
    return render_template("learner/profile.html", learner=_own_profile())


@bp.route("/openings")
def opening_list():
    learner = _own_profile()
    kind = request.args.get("kind")
    kind_enum = OrderKind(kind) if kind in {k.value for k in OrderKind} else None
    pagination = orders.public_open_orders(
        kind=kind_enum, page=request.args.get("page", 1, type=int)
    )
    return render_template(
        "learner/opening_list.html",
        learner=learner,
        pagination=pagination,
        kind=kind_enum,
        kinds=list(OrderKind),
    )
