"""User management: search, deactivate, reactivate, reset links, roles."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchhub.admin import bp
from matchhub.admin.forms import ActionForm, RoleForm
from matchhub.forms import choices
from matchhub.labels import label
from matchhub.models import Role
from matchhub.services import ServiceError, orgs, users


def _role_form(user) -> RoleForm:
    form = RoleForm()
    form.role.choices = choices((r.value, label(r)) for r in Role)
    form.organization.choices = choices(
        [("", "—")]
        + [(str(o.id), f"{o.name} ({label(o.kind)})") for o in users.organizations_for_roles()]
    )
    if not form.is_submitted():
        form.role.data = user.role.value
        form.organization.data = str(user.organization.id) if user.organization else ""
    return form


@bp.route("/users")
def user_list():
    role = request.args.get("role")
    role_enum = Role(role) if role in {r.value for r in Role} else None
    search = request.args.get("q", "").strip()
    return render_template(
        "admin/user_list.html",
        pagination=users.list_users(
            search or None, role_enum, page=request.args.get("page", 1, type=int)
        ),
        search=search,
        role=role_enum,
        roles=list(Role),
    )


@bp.route("/users/<int:user_id>")
def user_detail(user_id: int):
    user = users.readable(current_user, user_id)
    return render_template(
        "admin/user_detail.html",
        user=user,
        action_form=ActionForm(),
        role_form=_role_form(user),
        reset_url=None,
    )


def _act(user_id: int, action, done: str):
    user = users.readable(current_user, user_id)
    if ActionForm().validate_on_submit():
        try:
            action(current_user, user)
        except ServiceError as exc:
            flash(exc.message, "danger")
        else:
            flash(done, "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.route("/users/<int:user_id>/deactivate", methods=["POST"])
def user_deactivate(user_id: int):
    return _act(user_id, users.deactivate_user, _("The account is deactivated and signed out."))


@bp.route("/users/<int:user_id>/reactivate", methods=["POST"])
def user_reactivate(user_id: int):
    return _act(user_id, users.reactivate_user, _("The account is active again."))


@bp.route("/users/<int:user_id>/reset-link", methods=["POST"])
def user_reset_link(user_id: int):
    user = users.readable(current_user, user_id)
    reset_url = None
    if ActionForm().validate_on_submit():
        try:
            token = users.issue_reset_token(current_user, user)
        except ServiceError as exc:
            flash(exc.message, "danger")
        else:
            # Shown once, on this response only: it is not stored anywhere.
            reset_url = url_for("auth.reset_password", token=token, _external=True)
    return render_template(
        "admin/user_detail.html",
        user=user,
        action_form=ActionForm(),
        role_form=_role_form(user),
        reset_url=reset_url,
    )


@bp.route("/users/<int:user_id>/role", methods=["POST"])
def user_role_change(user_id: int):
    user = users.readable(current_user, user_id)
    form = _role_form(user)
    if form.validate_on_submit():
        org = orgs.get_organization(int(form.organization.data)) if form.organization.data else None
        try:
            users.change_role(current_user, user, Role(form.role.data), org)
        except ServiceError as exc:
            flash(exc.message, "danger")
        else:
            flash(_("The role is changed; the user's sessions ended."), "success")
            return redirect(url_for("admin.user_detail", user_id=user.id))
    return render_template(
        "admin/user_detail.html",
        user=user,
        action_form=ActionForm(),
        role_form=form,
        reset_url=None,
    ), 400
