"""Mail the auth pages send by a job: the request only enqueues, the job looks up.

The reset form and the registration form answer every address the same way and in
the same time: each request enqueues one job with the address, whether an account
exists or not, and the job decides whether there is anyone to mail.
"""

from __future__ import annotations

from flask import url_for

from matchhub.services import accounts, mail


def send_reset_link(email: str) -> None:
    found = accounts.request_password_reset(email)
    if found is not None:
        user, token = found
        link = url_for("auth.reset_password", token=token, _external=True)
        mail.deliver(mail.render(user, "password_reset", link=link))


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
