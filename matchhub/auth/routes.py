from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from matchhub import jobs
from matchhub.auth import bp, throttle
from matchhub.auth import jobs as auth_jobs
from matchhub.auth.forms import (
    ChangePasswordForm,
    LoginForm,
    RegisterForm,
    ResendConfirmationForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from matchhub.extensions import limiter
from matchhub.forms import Form, choices, show_service_error
from matchhub.i18n import LANG_COOKIE, select_locale
from matchhub.models import Role
from matchhub.services import ServiceError, accounts, confirmation, localities, orgs


def _remembered() -> bool:
    """Whether this device holds a remember cookie (kept, with the new version, after a change)."""
    name = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    return bool(request.cookies.get(name))


def home_for(user) -> str:
    """The dashboard a user lands on after logging in."""
    return url_for(f"{user.role.value}.dashboard")


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
# Failures per address only (see matchhub.auth.throttle); per account: the back-off below.
@limiter.limit(throttle.address_limit, methods=["POST"], deduct_when=throttle.failed)
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data
        wait = throttle.wait_seconds(email)
        if wait and not throttle.known_device(email):
            flash(
                _(
                    "Too many failed attempts for this account. Try again in %(num)d seconds.",
                    num=wait,
                ),
                "danger",
            )
            return render_template("auth/login.html", form=form), 429
        try:
            user = accounts.authenticate(email, form.password.data)
        except accounts.OrganizationSuspended as exc:
            # The right password: no failure to count against the account.
            flash(exc.message, "danger")
            return render_template("auth/login.html", form=form)
        except accounts.EmailNotConfirmed as exc:
            # The right password too; offer the link again (the button's answer is the
            # same for every address, see confirm_again).
            flash(exc.message, "warning")
            resend = ResendConfirmationForm(formdata=None, email=email)
            return render_template("auth/login.html", form=form, resend=resend)
        if user is None:
            throttle.record_failure(email)
            flash(_("Wrong email or password, or the account is not active."), "danger")
        else:
            throttle.record_success(email)
            # A language picked before logging in (the switch on the login page) becomes
            # the account's: it then follows the user to other devices and into mail.
            chosen = request.cookies.get(LANG_COOKIE)
            if chosen and chosen != user.locale:
                accounts.set_locale(user, chosen)
            login_user(user, remember=form.remember.data)
            flash(_("Welcome, %(name)s.", name=user.full_name), "success")
            response = redirect(_safe_next(request.args.get("next")) or home_for(user))
            throttle.remember_device(response, email)
            return response
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    accounts.record_logout(current_user)
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("public.index"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = RegisterForm()
    form.locality.choices = choices(localities.choices())
    form.sector.choices = choices([("", _("— choose —")), *orgs.sector_choices()])
    if form.validate_on_submit():
        data = accounts.Registration(
            role=Role(form.role.data),
            email=form.email.data,
            password=form.password.data,
            full_name=form.full_name.data,
            organization_name=form.organization_name.data,
            tax_code=(form.tax_code.data or "").replace("-", "") or None,
            locality=form.locality.data,
            sector=form.sector.data or None,
            locale=select_locale(),
        )
        try:
            accounts.register(data)
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            # Nobody is logged in here and every address gets the same answer after the same
            # work (one job): the job mails a new account its confirmation link and the
            # owner of a taken address a notice, so the form reveals nothing about who has
            # an account. A learner who came from an opening's "Apply" goes back to it
            # once she has confirmed (the link carries it).
            back = _safe_next(request.args.get("next")) if data.role is Role.LEARNER else None
            jobs.enqueue(auth_jobs.after_registration, data.email, back)
            flash(_("Check your mailbox: we sent a link to confirm your address."), "info")
            return redirect(url_for("auth.login"))
    return render_template("auth/register.html", form=form)


@bp.route("/confirm/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute")
def confirm_email(token: str):
    # Opening the link shows a button; only the press confirms. Mail scanners that fetch
    # every link in a message would otherwise use up the one-time link (and log in).
    form = Form()
    if not form.validate_on_submit():
        return render_template("auth/confirm.html", form=form)
    try:
        user, next_url = confirmation.confirm(token)
    except ServiceError as exc:
        flash(exc.message, "danger")
        return redirect(url_for("auth.login"))
    logout_user()  # whoever was logged in on this device, the link's owner is now
    login_user(user)
    flash(_("Your email address is confirmed. Welcome, %(name)s.", name=user.full_name), "success")
    if user.role is Role.LEARNER:
        flash(_("Complete your profile to see matching openings."), "info")
        return redirect(_safe_next(next_url) or home_for(user))
    if user.role in (Role.ENTERPRISE, Role.COLLEGE):
        flash(
            _(
                "Your organisation is registered and waits for verification by the "
                "province office. "
                "You can prepare drafts meanwhile."
            ),
            "info",
        )
    return redirect(home_for(user))


@bp.route("/confirm-again", methods=["POST"])
@limiter.limit("5 per hour", methods=["POST"])
def confirm_again():
    form = ResendConfirmationForm()
    if form.validate_on_submit():
        # The same answer and work for every address: the job looks it up.
        jobs.enqueue(auth_jobs.send_confirmation, form.email.data)
    flash(
        _("If this address has an account waiting for confirmation, we sent a new link to it."),
        "info",
    )
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password_change():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            accounts.change_password(
                user,
                form.current_password.data,
                form.new_password.data,
                keep_api_tokens=form.keep_api_tokens.data,
            )
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            # The session version changed: log in again on this device only.
            login_user(user, remember=_remembered())
            flash(_("Your password has been changed."), "success")
            return redirect(home_for(user))
    return render_template("auth/password_change.html", form=form)


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit("5 per minute", methods=["POST"])
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        # Looked up and mailed by a job: every address gets the same answer after the same
        # work (one job enqueued), so the form does not reveal who has an account.
        jobs.enqueue(auth_jobs.send_reset_link, form.email.data)
        flash(_("If an account exists for this email, a reset link has been sent."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.reset_password(
                token, form.password.data, keep_api_tokens=form.keep_api_tokens.data
            )
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            flash(_("Your password has been reset. Log in with the new one."), "success")
            return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form)
