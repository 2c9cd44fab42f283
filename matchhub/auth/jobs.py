"""Mail the auth pages send by a job: the request only enqueues, the job looks up.

The reset form and the registration form answer every address the same way and in
the same time: each request enqueues one job with the address, whether an account
exists or not, and the job decides whether there is anyone to mail.
"""

from __future__ import annotations

from flask import url_for

from matchhub.services import accounts, confirmation, mail


def send_reset_link(email: str) -> None:
    found = accounts.request_password_reset(email)
    if found is not None:
        user, token = found
        link = url_for("auth.reset_password", token=token, _external=True)
        mail.deliver(mail.render(user, "password_reset", link=link))


def after_registration(email: str, next_url: str | None = None) -> None:
    """Every registration enqueues this one job: a new (unconfirmed) account gets its
    confirmation link, an address that already had an account a notice to its owner."""
    if confirmation.waiting(email) is not None:
        send_confirmation(email, next_url)
    else:
        tell_owner(email)


def send_confirmation(email: str, next_url: str | None = None) -> None:
    """Mail the confirmation link, if ``email`` has an account waiting for one (the
    "send the link again" button enqueues this for any address)."""
    user = confirmation.waiting(email)
    if user is not None:
        token = confirmation.link_token(user, next_url)
        link = url_for("auth.confirm_email", token=token, _external=True)
        mail.deliver(mail.render(user, "confirm_email", link=link))


def tell_owner(email: str) -> None:
    """Someone tried to register an address that has an account: tell its owner."""
    user = accounts.existing_account_notice(email)
    if user is not None:
        mail.deliver(
            mail.render(
                user,
                "account_exists",
                login=url_for("auth.login", _external=True),
                reset=url_for("auth.reset_request", _external=True),
            )
        )
