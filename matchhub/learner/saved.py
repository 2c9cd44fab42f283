"""The learner's saved openings and weekly alert settings."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchhub.forms import choices, show_service_error
from matchhub.i18n import current_lang
from matchhub.labels import label
from matchhub.learner import bp
from matchhub.learner.forms import AlertForm, SaveForm
from matchhub.learner.routes import own_profile
from matchhub.models import OrderKind
from matchhub.models.orders import OPENING_KINDS
from matchhub.security import local_url
from matchhub.services import ServiceError, alerts, pair_scores, saved


def _back(form: SaveForm, order_id: int):
    return redirect(local_url(form.next.data) or url_for("learner.order_detail", order_id=order_id))


@bp.route("/orders/<int:order_id>/save", methods=["POST"])
def order_save(order_id: int):
    learner = own_profile()
    form = SaveForm()
    if not form.validate_on_submit():
        abort(400)
    if saved.save(learner, order_id):
        flash(_("Saved: you find it on your Saved page."), "success")
    return _back(form, order_id)


@bp.route("/orders/<int:order_id>/unsave", methods=["POST"])
def order_unsave(order_id: int):
    learner = own_profile()
    form = SaveForm()
    if not form.validate_on_submit():
        abort(400)
    if saved.unsave(current_user, learner, order_id):
        flash(_("Removed from your saved openings."), "success")
    return redirect(local_url(form.next.data) or url_for("learner.saved_list"))


def _alert_form(formdata=None, settings: alerts.AlertSettings | None = None) -> AlertForm:
    if settings is not None:
        form = AlertForm(
            formdata=None,
            active=settings.active,
            min_score=str(settings.min_score),
            kind=settings.kind.value if settings.kind else "",
        )
    else:
        form = AlertForm()
    form.min_score.choices = choices(
        (str(t), _("%(num)d%% or more", num=t)) for t in alerts.THRESHOLDS
    )
    kinds = ((k.value, label(k)) for k in OPENING_KINDS)
    form.kind.choices = choices([("", _("Jobs and internships")), *kinds])
    return form


def _page(alert_form: AlertForm, status: int = 200):
    learner = own_profile()
    items = saved.saved_list(learner)
    return render_template(
        "learner/saved_list.html",
        learner=learner,
        items=items,
        skills=pair_scores.skill_names(
            (i.result for i in items if i.result is not None), current_lang()
        ),
        alert_form=alert_form,
    ), status


@bp.route("/saved")
def saved_list():
    learner = own_profile()
    return _page(_alert_form(settings=alerts.settings_of(learner)))


@bp.route("/saved/alerts", methods=["POST"])
def alerts_update():
    learner = own_profile()
    form = _alert_form()
    if form.validate_on_submit():
        settings = alerts.AlertSettings(
            active=form.active.data,
            min_score=int(form.min_score.data),
            kind=OrderKind(form.kind.data) if form.kind.data else None,
        )
        try:
            alerts.set_alerts(learner, current_user, settings)
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            flash(
                _("Alerts are on: new matches come by mail once a week.")
                if settings.active
                else _("Alerts are off: no more mail of new matches."),
                "success",
            )
            return redirect(url_for("learner.saved_list"))
    return _page(form, 400)
