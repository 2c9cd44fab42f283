from flask import abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from matchhub.extensions import csrf
from matchhub.i18n import LANG_COOKIE
from matchhub.models import OrderKind
from matchhub.public import bp
from matchhub.services import accounts, health, localities, orders, stats


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
    kind = request.args.get("kind")
    locality = request.args.get("locality") or None
    page = request.args.get("page", 1, type=int)
    kind_enum = OrderKind(kind) if kind in {k.value for k in OrderKind} else None
    pagination = orders.public_open_orders(kind=kind_enum, locality=locality, page=page)
    return render_template(
        "public/order_list.html",
        pagination=pagination,
        kind=kind_enum,
        kinds=list(OrderKind),
        locality=locality,
        locality_choices=localities.choices(),
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
