"""The account's personal API tokens: create one (shown once), list and revoke them."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from matchhub.auth import bp
from matchhub.auth.forms import RevokeTokenForm, TokenForm
from matchhub.forms import choices, show_service_error
from matchhub.services import ServiceError, api_tokens


def _lifetime_choices():
    return choices(
        (str(days), ngettext("%(num)d day", "%(num)d days", days))
        if days
        else ("never", _("Until revoked"))
        for days in api_tokens.LIFETIMES
    )


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    form = TokenForm()
    form.lifetime.choices = _lifetime_choices()
    created = None
    if form.validate_on_submit():
        days = None if form.lifetime.data == "never" else int(form.lifetime.data)
        try:
            token, raw = api_tokens.create_token(
                current_user, form.name.data, days, tuple(form.scopes.data.split())
            )
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            # Rendered into this response only: a flash would put the secret in the
            # session cookie, which is signed but readable.
            created = (token, raw)
            form = TokenForm(formdata=None)
            form.lifetime.choices = _lifetime_choices()
    return render_template(
        "auth/tokens.html",
        form=form,
        created=created,
        tokens=api_tokens.tokens_of(current_user),
        revoke_form=RevokeTokenForm(),
    )


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def token_revoke(token_id: int):
    if not RevokeTokenForm().validate_on_submit():
        abort(400)
    if not api_tokens.revoke(current_user, token_id):
        abort(404)
    flash(_("The token is revoked: calls made with it are refused from now on."), "success")
    return redirect(url_for("auth.tokens"))
