"""An imported learner takes over the profile their college created: /auth/claim/<code>."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField

from matchhub.auth import bp
from matchhub.extensions import limiter
from matchhub.forms import Form
from matchhub.models import Role
from matchhub.services import ServiceError, profile_claims


class ClaimForm(Form):
    """A learner takes over an imported profile; showing it to enterprises needs consent."""

    consent = BooleanField(
        _l(
            "Show my profile to verified enterprises so they can offer me internships and jobs "
            "(you can change this at any time)."
        ),
        default=True,
    )


@bp.route("/claim/<code>", methods=["GET", "POST"])
@limiter.limit("30 per minute")
def claim(code: str):
    learner = profile_claims.claimable_profile(code)
    if learner is None:
        abort(404)
    form = ClaimForm()
    is_learner = current_user.is_authenticated and current_user.role is Role.LEARNER
    if is_learner and form.validate_on_submit():
        try:
            profile_claims.claim_profile(code, current_user, consent=form.consent.data)
        except ServiceError as exc:
            flash(exc.message, "danger")
        else:
            flash(_("The profile is yours now: check your skills and privacy settings."), "success")
            return redirect(url_for("learner.dashboard"))
    return render_template(
        "auth/claim.html", learner=learner, form=form, is_learner=is_learner, code=code
    )
