from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchhub.enterprise import bp
from matchhub.enterprise.forms import (
    SKILLS_HELP,
    TRAINING_SKILLS_HELP,
    ActionForm,
    OrderForm,
    TrainingOrderForm,
)
from matchhub.forms import choices, show_service_error
from matchhub.i18n import current_lang
from matchhub.labels import label
from matchhub.models import OrderKind, OrderStatus
from matchhub.models.orders import OPENING_KINDS
from matchhub.services import ServiceError, applications, localities, orders, profiles, skill_specs


def _order_form(order=None) -> OrderForm | TrainingOrderForm:
    """The order's form: a training order has its own (it is addressed to colleges);
    a job or an internship the other, whose kinds are these two."""
    training = order is not None and order.kind is OrderKind.TRAINING
    form = TrainingOrderForm(obj=order) if training else OrderForm(obj=order)
    if not training:
        form.kind.choices = choices((k.value, label(k)) for k in OPENING_KINDS)
    form.locality.choices = choices(localities.choices())
    if order is not None and not form.is_submitted():
        if not training:
            form.kind.data = order.kind.value
            form.nice_skills.data = _terms(order.nice_skills)
        form.required_skills.data = _terms(order.required_skills)
    return form


def _terms(skills) -> str:
    """Skills back as the free text the form takes, weights kept ("Python:4*2")."""
    return "\n".join(
        f"{s.skill.name_en if s.skill else s.term}:{s.level}"
        + (f"*{s.weight:g}" if s.weight != 1 else "")
        for s in skills
    )


def _input(form: OrderForm | TrainingOrderForm, order=None) -> orders.OrderInput:
    common = {
        "title": form.title.data,
        "description": form.description.data or "",
        "headcount": form.headcount.data,
        "locality": form.locality.data,
        "start_date": form.start_date.data,
        "required": skill_specs.parse_skill_specs(form.required_skills.data),
    }
    if isinstance(form, TrainingOrderForm):
        return orders.OrderInput(
            kind=OrderKind.TRAINING,
            remote=False,
            salary_min=None,
            salary_max=None,
            deadline=None,
            # The form has no nice-to-have list: an older order keeps the one it had.
            nice=[(s.term, s.level, s.weight) for s in order.nice_skills] if order else [],
            duration_weeks=form.duration_weeks.data,
            budget_per_trainee=form.budget_per_trainee.data,
            **common,
        )
    return orders.OrderInput(
        kind=OrderKind(form.kind.data),
        remote=form.remote.data,
        salary_min=form.salary_min.data,
        salary_max=form.salary_max.data,
        deadline=form.deadline.data,
        nice=skill_specs.parse_skill_specs(form.nice_skills.data or ""),
        **common,
    )


def _render_form(form, order, unknown=()):
    training = isinstance(form, TrainingOrderForm)
    return render_template(
        "enterprise/order_form.html",
        form=form,
        order=order,
        training=training,
        skills_help=TRAINING_SKILLS_HELP if training else SKILLS_HELP,
        unknown=unknown,
    )


def _flash_unrecognised(order) -> None:
    unknown = orders.unrecognised_required(order)
    if unknown:
        flash(
            _(
                "Not recognised yet, kept and sent to the province office: %(terms)s. "
                "Until mapped, they count as missing for every candidate.",
                terms=", ".join(unknown),
            ),
            "warning",
        )


@bp.route("/")
def dashboard():
    org = current_user.organization
    open_orders = orders.orders_of(org, OrderStatus.OPEN)
    return render_template(
        "enterprise/dashboard.html",
        org=org,
        counts=orders.status_counts(org),
        open_orders=open_orders,
        pipelines=orders.pipeline_counts([o.id for o in open_orders]),
        recent=orders.recent_applications(org),
    )


@bp.route("/skills/suggest")
def skills_suggest():
    """Skill picker suggestions as JSON: ``{"query": q, "skills": [...]}``."""
    query = request.args.get("q", "")
    return jsonify(query=query, skills=profiles.suggest_skills(query, current_lang()))


@bp.route("/orders")
def order_list():
    org = current_user.organization
    all_orders = orders.orders_of(org)
    return render_template(
        "enterprise/order_list.html",
        org=org,
        orders=all_orders,
        pipelines=orders.pipeline_counts([o.id for o in all_orders]),
    )


@bp.route("/orders/new", methods=["GET", "POST"])
def order_create():
    return _create(_order_form())


@bp.route("/orders/new/training", methods=["GET", "POST"])
def training_order_create():
    """A training order: its own form (trainees, skills to reach, start, duration, place)."""
    form = TrainingOrderForm()
    form.locality.choices = choices(localities.choices())
    return _create(form)


def _create(form):
    if form.validate_on_submit():
        try:
            order = orders.save_order(current_user.organization, current_user, _input(form))
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            flash(_("The order is saved as a draft."), "success")
            _flash_unrecognised(order)
            return redirect(url_for("enterprise.order_detail", order_id=order.id))
    return _render_form(form, None)


@bp.route("/orders/<int:order_id>/edit", methods=["GET", "POST"])
def order_edit(order_id: int):
    order = orders.editable(current_user, order_id)
    form = _order_form(order)
    if form.validate_on_submit():
        try:
            orders.save_order(order.organization, current_user, _input(form, order), order=order)
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            flash(_("The order is saved."), "success")
            _flash_unrecognised(order)
            return redirect(url_for("enterprise.order_detail", order_id=order.id))
    return _render_form(form, order, orders.unrecognised_required(order))


@bp.route("/orders/<int:order_id>")
def order_detail(order_id: int):
    order = orders.editable(current_user, order_id)
    apps = [a for a in applications.pipeline(order) if applications.shown_in_pipeline(a)]
    return render_template(
        "enterprise/order_detail.html",
        order=order,
        applications=apps,
        stage_counts=applications.stage_counts(apps),
        action_form=ActionForm(),
        unknown=orders.unrecognised_required(order),
    )


@bp.route("/orders/<int:order_id>/duplicate", methods=["POST"])
def order_duplicate(order_id: int):
    order = orders.editable(current_user, order_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    copy = orders.duplicate_order(order, current_user)
    flash(_("A copy of the order is saved as a draft: check it before publishing."), "success")
    return redirect(url_for("enterprise.order_edit", order_id=copy.id))


@bp.route("/orders/<int:order_id>/publish", methods=["POST"])
def order_publish(order_id: int):
    order = orders.editable(current_user, order_id)
    if ActionForm().validate_on_submit():
        try:
            orders.publish_order(order, current_user)
        except ServiceError as exc:
            flash(exc.message, "warning")
        else:
            flash(
                _("The training order is sent to the training institutions: they answer it "
                  "with offers.")
                if order.kind is OrderKind.TRAINING
                else _("The order is open to learners."),
                "success",
            )  # fmt: skip
    return redirect(url_for("enterprise.order_detail", order_id=order.id))


@bp.route("/orders/<int:order_id>/<any(closed, filled, cancelled):status>", methods=["POST"])
def order_status_change(order_id: int, status: str):
    order = orders.editable(current_user, order_id)
    if ActionForm().validate_on_submit():
        try:
            orders.change_order_status(order, current_user, OrderStatus(status))
        except ServiceError as exc:
            flash(exc.message, "warning")
        else:
            flash(_("The order is now: %(status)s.", status=label(order.status)), "success")
    return redirect(url_for("enterprise.order_detail", order_id=order.id))
