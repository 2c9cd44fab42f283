"""Bulk actions on an order's candidates, in two steps that work without JavaScript.

The candidates page and the pipeline post the selected learners (checkboxes, or every
one shown on the page) to a review page that lists who will move and who will be
skipped, with a message template to edit; its button runs the action
(``services.bulk_actions``). The order loads through ``orders.editable``: another
organisation's order is a 404, and learner ids that are not this order's candidates
are ignored and counted.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from matchhub.enterprise import bp
from matchhub.enterprise.candidates import _safe
from matchhub.enterprise.forms import BulkForm
from matchhub.forms import choices
from matchhub.services import ServiceError, bulk_actions, orders

#: How many skipped candidates the result names (the rest are counted).
NAMED = 10


def _form() -> BulkForm:
    form = BulkForm()
    form.template.choices = choices(
        [("", _("No message"))] + [(k, t) for k, (t, _text) in bulk_actions.TEMPLATES.items()]
    )
    return form


def _back(order) -> str:
    back = request.form.get("next_url")
    return back if _safe(back) else url_for("enterprise.pipeline", order_id=order.id)


def _selected() -> list[int]:
    # "Everyone on this page" posts the page's ids as ``every``; the boxes as ``learner_id``.
    name = "every" if request.form.get("scope") == "page" else "learner_id"
    return bulk_actions.parse_ids(request.form.getlist(name))


def _review(order, form: BulkForm, plan, ids: list[int]):
    return render_template(
        "enterprise/bulk_review.html",
        order=order,
        form=form,
        plan=plan,
        ids=ids,
        back=_back(order),
    )


@bp.route("/orders/<int:order_id>/bulk", methods=["POST"])
def bulk_review(order_id: int):
    order = orders.editable(current_user, order_id)
    form = _form()
    ids = _selected()
    if not form.action.validate(form):
        flash(_("Choose what to do with the selected candidates."), "warning")
        return redirect(_back(order))
    try:
        plan = bulk_actions.plan(order, form.action.data, ids)
    except ServiceError as exc:
        flash(exc.message, "warning")
        return redirect(_back(order))
    # A template chosen on this page replaces the text; else the action's own template.
    if "use_template" in request.form and form.template.validate(form):
        key = form.template.data
    else:
        key = bulk_actions.DEFAULT_TEMPLATE[form.action.data]
    form.template.data = key
    form.message.data = bulk_actions.template_text(key)
    return _review(order, form, plan, ids)


@bp.route("/orders/<int:order_id>/bulk/apply", methods=["POST"])
def bulk_apply(order_id: int):
    order = orders.editable(current_user, order_id)
    form = _form()
    ids = _selected()
    valid, action = form.validate(), form.action.data
    try:
        plan = bulk_actions.plan(order, action, ids)
        if valid:
            outcome = bulk_actions.run(order, current_user, action, ids, form.message.data)
    except ServiceError as exc:
        if exc.field != "message":
            flash(exc.message, "warning")
            return redirect(_back(order))
        form.message.errors = [*form.message.errors, exc.message]
        valid = False
    if not valid:
        return _review(order, form, plan, ids)
    flash(_summary(outcome), "success" if outcome.moved else "warning")
    return redirect(url_for("enterprise.pipeline", order_id=order.id))


def _summary(outcome: bulk_actions.Outcome) -> str:
    """ "12 moved; 2 skipped: Lan (cannot move from “Hired”), …; 3 messages sent." """
    parts = [ngettext("%(num)s candidate moved", "%(num)s candidates moved", len(outcome.moved))]
    if outcome.skipped:
        named = ", ".join(f"{name} ({why})" for name, why in outcome.skipped[:NAMED])
        if len(outcome.skipped) > NAMED:
            named += ", …"
        parts.append(
            ngettext(
                "%(num)s skipped: %(names)s",
                "%(num)s skipped: %(names)s",
                len(outcome.skipped),
                names=named,
            )
        )
    if outcome.ignored:
        parts.append(
            ngettext(
                "%(num)s selection ignored (not a candidate of this order)",
                "%(num)s selections ignored (not candidates of this order)",
                outcome.ignored,
            )
        )
    if outcome.messaged:
        parts.append(ngettext("%(num)s message sent", "%(num)s messages sent", outcome.messaged))
    return "; ".join(parts) + "."
