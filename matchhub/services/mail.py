"""Outgoing email: password-reset links and the notifications of decisions.

Messages are plain text, rendered from ``templates/mail/`` in the recipient's own
language. Two ways out:

- :func:`send` delivers now (the reset link: the user is waiting for it);
- :func:`queue` holds a message until the current database transaction commits,
  and drops it on rollback, so nobody is told about a decision that was not saved.

With ``MAIL_SERVER`` unset (development, tests) a message is written to the log
instead, which is how a developer follows a reset link without a mail server.
A failing server is logged, never raised: the action that triggered the message
has already happened and must not look failed to the user.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from flask import Flask, current_app, render_template
from flask_babel import force_locale
from sqlalchemy import event
from sqlalchemy.orm import Session

from matchhub.extensions import db
from matchhub.models import User

_OUTBOX = "matchhub_outbox"


@dataclass(frozen=True, slots=True)
class Mail:
    """One rendered message to one address."""

    to: str
    subject: str
    body: str


def render(user: User, template: str, **context) -> Mail:
    """Render ``mail/<template>.txt`` for ``user`` in their language.

    The template's first line is the subject, the rest the body.
    """
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        text = render_template(f"mail/{template}.txt", user=user, **context)
    subject, _, body = text.strip().partition("\n")
    return Mail(to=user.email, subject=subject.strip(), body=body.strip() + "\n")


def send(mails: Mail | Iterable[Mail]) -> int:
    """Deliver now over one SMTP connection; returns how many were accepted."""
    batch = [mails] if isinstance(mails, Mail) else list(mails)
    if not batch:
        return 0
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        for mail in batch:
            if config.get("MAIL_LOG_BODY", True):  # development: follow the link from the log
                current_app.logger.warning(
                    "No MAIL_SERVER set; mail to %s not sent.\nSubject: %s\n\n%s",
                    mail.to,
                    mail.subject,
                    mail.body,
                )
            else:  # production: the body may hold a reset link, never log it
                current_app.logger.warning(
                    "No MAIL_SERVER set; mail to %s not sent (subject: %s)", mail.to, mail.subject
                )
        return 0
    try:
        with _connect(config) as smtp:
            for mail in batch:
                smtp.send_message(_message(mail, config))
    except (OSError, smtplib.SMTPException) as exc:
        current_app.logger.error("Mail to %s not sent: %s", ", ".join(m.to for m in batch), exc)
        return 0
    return len(batch)


def queue(mail: Mail) -> None:
    """Send ``mail`` once the current transaction commits (dropped on rollback)."""
    db.session.info.setdefault(_OUTBOX, []).append(mail)


def _message(mail: Mail, config) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = config["MAIL_SENDER"]
    msg["To"] = mail.to
    msg["Subject"] = mail.subject
    msg["Message-ID"] = make_msgid(domain=config["MAIL_SENDER"].rpartition("@")[2].strip("> "))
    msg.set_content(mail.body)
    return msg


def _connect(config) -> smtplib.SMTP:
    host, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
    if config["MAIL_USE_SSL"]:
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
        if config["MAIL_USE_TLS"]:
            smtp.starttls(context=ssl.create_default_context())
    if config.get("MAIL_USERNAME"):
        smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    return smtp


def _flush(session: Session) -> None:
    outbox = session.info.pop(_OUTBOX, None)
    if outbox:
        send(outbox)


def _drop(session: Session, previous_transaction) -> None:
    # a savepoint's rollback leaves the outer transaction (and its mail) alive
    if not previous_transaction.nested:
        session.info.pop(_OUTBOX, None)


def init_app(app: Flask) -> None:
    """Hook the outbox to the session's commit and rollback (once per process)."""
    if not event.contains(Session, "after_commit", _flush):
        event.listen(Session, "after_commit", _flush)
        event.listen(Session, "after_soft_rollback", _drop)
