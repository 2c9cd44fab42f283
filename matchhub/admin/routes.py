from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from matchhub.admin import bp
from matchhub.admin.forms import RejectForm, SuspendForm, VerifyForm
from matchhub.models import OrgKind, VerificationState
from matchhub.services import ServiceError, orgs, stats


@bp.app_template_global()
def valid_tax_code(value: str | None) -> bool:
    """Template check for the tax-code warning badge (``None`` is not valid)."""
    return bool(value) and orgs.valid_tax_code(value)


@bp.route("/")
def dashboard():
    return render_template(
        "admin/dashboard.html",
        overview=stats.overview(),
        pending=orgs.pending_organizations(),
        top_skills=stats.top_demanded_skills(10),
    )


@bp.route("/organizations")
def organization_list():
    kind = request.args.get("kind")
    state = request.args.get("state")
    kind_enum = OrgKind(kind) if kind in {k.value for k in OrgKind} else None
    state_enum = VerificationState(state) if state in {s.value for s in VerificationState} else None
    return render_template(
        "admin/organization_list.html",
        organizations=orgs.list_organizations(kind_enum, state_enum),
        kind=kind_enum,
        state=state_enum,
        kinds=list(OrgKind),
        states=list(VerificationState),
    )


@bp.route("/organizations/<int:org_id>")
def organization_detail(org_id: int):
    org = orgs.readable(current_user, org_id)
    return render_template(
        "admin/organization_detail.html",
        org=org,
        verify_form=VerifyForm(),
        reject_form=RejectForm(),
        suspend_form=SuspendForm(),
        open_orders=orgs.count_open_orders(org),
    )


@bp.route("/organizations/<int:org_id>/verify", methods=["POST"])
def organization_verify(org_id: int):
    org = orgs.readable(current_user, org_id)
    if VerifyForm().validate_on_submit():
        try:
            orgs.verify_organization(org, current_user)
        except ServiceError as exc:
            flash(exc.message, "warning")
        else:
            flash(_("%(name)s is verified.", name=org.name), "success")
    return redirect(url_for("admin.organization_detail", org_id=org.id))


@bp.route("/organizations/<int:org_id>/reject", methods=["POST"])
def organization_reject(org_id: int):
    org = orgs.readable(current_user, org_id)
    form = RejectForm()
    if form.validate_on_submit():
        try:
            orgs.reject_organization(org, current_user, form.reason.data)
        except ServiceError as exc:
            flash(exc.message, "danger")
        else:
            flash(_("%(name)s is rejected.", name=org.name), "warning")
            return redirect(url_for("admin.dashboard"))
    return render_template(
        "admin/organization_detail.html",
        org=org,
        verify_form=VerifyForm(),
        reject_form=form,
        suspend_form=SuspendForm(),
        open_orders=orgs.count_open_orders(org),
    ), 400


@bp.route("/organizations/<int:org_id>/suspend", methods=["POST"])
def organization_suspend(org_id: int):
    org = orgs.readable(current_user, org_id)
    form = SuspendForm()
    if form.validate_on_submit():
        try:
            closed = orgs.suspend_organization(org, current_user, form.reason.data)
        except ServiceError as exc:
            flash(exc.message, "danger")
        else:
            flash(
                ngettext(
                    "%(name)s is suspended; %(num)s open order was closed.",
                    "%(name)s is suspended; %(num)s open orders were closed.",
                    closed,
                    name=org.name,
                ),
                "warning",
            )
            return redirect(url_for("admin.organization_detail", org_id=org.id))
    return render_template(
        "admin/organization_detail.html",
        org=org,
        verify_form=VerifyForm(),
        reject_form=RejectForm(),
        suspend_form=form,
        open_orders=orgs.count_open_orders(org),
    ), 400
