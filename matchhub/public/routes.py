from flask import abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from matchhub.extensions import csrf
from matchhub.i18n import LANG_COOKIE
from matchhub.models import Role
from matchhub.models.orders import OPENING_KINDS
from matchhub.public import bp
from matchhub.public.forms import UnsubscribeForm, opening_search_form
from matchhub.services import (
    ServiceError,
    accounts,
    alerts,
    health,
    learners,
    openings,
    orders,
    saved,
    stats,
)


@bp.route("/")
def index():
    return render_template(
        "public/index.html",
        overview=stats.overview(),
        top_skills=stats.top_demanded_skills(8),
        latest=orders.public_open_orders(per_page=6).items,
    )


@bp.route("/orders")
def order_list():
    form, filters = opening_search_form(request.args)
    pagination = openings.search(filters, page=request.args.get("page", 1, type=int))
    return render_template("public/order_list.html", pagination=pagination, form=form)


@bp.route("/orders/<int:order_id>")
def opening_detail(order_id: int):
    """A live order's own page: shareable, no login; any other order is a 404."""
    order = openings.public_order(order_id)
    return render_template(
        "public/opening_detail.html",
        order=order,
        summary=openings.summary(order.description),
        is_saved=_saved_by_learner(order),
    )


def _saved_by_learner(order) -> bool | None:
    """Whether the signed-in learner saved ``order``; None when there is no save button
    (a visitor, another role, a training order)."""
    if not current_user.is_authenticated or current_user.role is not Role.LEARNER:
        return None
    if order.kind not in OPENING_KINDS:
        return None
    learner = learners.learner_of_user(current_user)
    return saved.is_saved(learner, order.id) if learner is not None else None


@bp.route("/enterprises/<int:org_id>")
def enterprise_profile(org_id: int):
    """A verified enterprise's public profile with its live orders; else a 404."""
    org = openings.public_enterprise(org_id)
    return render_template(
        "public/enterprise_profile.html",
        org=org,
        open_orders=openings.open_orders_of(org),
        summary=openings.summary(org.description),
    )


@bp.route("/language/<lang>", methods=["POST"])
def language_set(lang: str):
    if lang not in current_app.config["LANGUAGES"]:
        abort(404)
    if current_user.is_authenticated:
        accounts.set_locale(current_user, lang)
    target = request.form.get("next") or url_for("public.index")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("public.index")
    response = redirect(target)
    response.set_cookie(
        LANG_COOKIE,
        lang,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


@bp.route("/healthz")
@csrf.exempt
def healthz():
    ok = health.database_ok()
    body = {"status": "ok" if ok else "error", "database": "ok" if ok else "error"}
    return jsonify(body), 200 if ok else 503


@bp.route("/alerts/unsubscribe/<token>", methods=["GET", "POST"])
def alerts_unsubscribe(token: str):
    """The link of every alert mail: no login, the signed token is the proof.

    The link opens a page with one button (a POST): mail scanners that follow links
    must not unsubscribe anyone.
    """
    form = UnsubscribeForm()
    try:
        sub = alerts.check_unsubscribe(token)
        if form.validate_on_submit():
            alerts.unsubscribe(token)
            sub = alerts.check_unsubscribe(token)
    except ServiceError as exc:
        return render_template("public/alerts_unsubscribe.html", error=exc.message), 400
    return render_template("public/alerts_unsubscribe.html", form=form, active=sub.active)


@bp.route("/alerts/unsubscribe/<token>/one-click", methods=["POST"])
@csrf.exempt
def alerts_unsubscribe_one_click(token: str):
    """RFC 8058: the mail program's own "Unsubscribe" button POSTs here, without cookies.

    No CSRF token: nothing here rides on a session, the signed token in the URL is the
    whole authority (a forger cannot make one), and the body must say what RFC 8058 says.
    """
    if request.form.get("List-Unsubscribe") != "One-Click":
        abort(400)
    try:
        alerts.unsubscribe(token)
    except ServiceError:
        abort(400)
    return "", 204
