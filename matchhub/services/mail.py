"""Outgoing email: reset links, invitations and the notifications of decisions.

Messages are plain text, rendered from ``templates/mail/`` in the recipient's own
language, and always sent by a background job (:mod:`matchhub.jobs`), never inside
the user's request:

- :func:`queue` holds a message until the current database transaction commits,
  then enqueues :func:`deliver_job` (dropped on rollback, so nobody is told about a
  decision that was not saved);
- a job that mails (the reset link, invitations) renders and calls :func:`deliver`
  itself: it is already outside the request.

With ``MAIL_SERVER`` unset (development, tests) a message is written to the log
instead, which is how a developer follows a reset link without a mail server. A
failing server raises from :func:`deliver`, so the job is retried (see the queue's
back-off) and, in the end, listed as failed for the province office.
"""

from __future__ import annotations

import email.policy
import smtplib
import ssl
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template
from flask_babel import force_locale

from matchhub import jobs
from matchhub.models import User


@dataclass(frozen=True, slots=True)
class Attachment:
    """A text file sent with a message (an .ics invitation): JSON-safe, so it travels
    through the job queue as it is."""

    filename: str
    mimetype: str  # "text/calendar"
    text: str
    # Extra Content-Type parameters, e.g. {"method": "REQUEST"} for calendar clients.
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Mail:
    """One rendered message to one address."""

    to: str
    subject: str
    body: str
    #: Extra header lines, e.g. List-Unsubscribe (RFC 2369 and 8058) on the weekly alerts.
    headers: tuple[tuple[str, str], ...] = ()
    attachments: tuple[Attachment, ...] = ()


def render(user: User, template: str, **context) -> Mail:
    """Render ``mail/<template>.txt`` for ``user`` in their language.

    The template's first line is the subject, the rest the body.
    """
    return render_to(user.email, user.locale, template, user=user, **context)


def render_to(to: str, locale: str | None, template: str, **context) -> Mail:
    """Render ``mail/<template>.txt`` for an address without an account (an invitation)."""
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        text = render_template(f"mail/{template}.txt", **context)
    subject, _, body = text.strip().partition("\n")
    return Mail(to=to, subject=subject.strip(), body=body.strip() + "\n")


def deliver(mails: Mail | Iterable[Mail], sent: Callable[[Mail], None] | None = None) -> int:
    """Deliver now over one SMTP connection; returns how many were accepted.

    ``sent(mail)`` is called as the server accepts each one (or it is logged, without a
    server). A server that refuses or cannot be reached is logged and raised: the job
    retries.
    """
    sent = sent or (lambda mail: None)
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
            sent(mail)
        return 0
    try:
        with _connect(config) as smtp:
            for mail in batch:
                smtp.send_message(_message(mail, config))
                sent(mail)
    except (OSError, smtplib.SMTPException) as exc:
        current_app.logger.error("Mail to %s not sent: %s", ", ".join(m.to for m in batch), exc)
        raise
    return len(batch)


def deliver_job(
    to: str,
    subject: str,
    body: str,
    attachments: list[dict] | None = None,
    headers: list[list[str]] | None = None,
) -> None:
    """The job :func:`queue` enqueues: one message, so a retry resends only that one."""
    files = tuple(Attachment(**a) for a in attachments or ())
    extra = tuple((name, value) for name, value in headers or ())
    deliver(Mail(to, subject, body, headers=extra, attachments=files))


def queue(mail: Mail) -> None:
    """Send ``mail`` by a job once the current transaction commits (dropped on rollback)."""
    files = [asdict(a) for a in mail.attachments]
    extra = [list(h) for h in mail.headers]
    jobs.enqueue_after_commit(
        deliver_job,
        mail.to,
        mail.subject,
        mail.body,
        files or None,
        extra or None,
        _summary="1 mail",
    )


# Folding a Vietnamese subject at 78 columns drops the space between two encoded words
# ("Lập trìnhviên"): headers fold only past RFC 5322's hard limit of 998 instead.
_POLICY = email.policy.default.clone(max_line_length=998)


def _message(mail: Mail, config) -> EmailMessage:
    msg = EmailMessage(policy=_POLICY)
    msg["From"] = config["MAIL_SENDER"]
    msg["To"] = mail.to
    msg["Subject"] = mail.subject
    msg["Message-ID"] = make_msgid(domain=config["MAIL_SENDER"].rpartition("@")[2].strip("> "))
    for name, value in mail.headers:
        msg[name] = value
    msg.set_content(mail.body)
    for a in mail.attachments:
        maintype, _, subtype = a.mimetype.partition("/")
        msg.add_attachment(
            a.text.encode("utf-8"),
            maintype=maintype,
            subtype=subtype,
            filename=a.filename,
            params={**a.params, "charset": "utf-8"},
        )
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
