"""Invitations to claim a profile a college imported, sent by mail when the college chooses.

At each import the college chooses: invite the new learners **now**, **later** (from
the import page, when it is ready) or **never** (it hands out the links another way).
A learner's ``invitation`` says where their invitation stands:

- ``held``: "now" was chosen by a college the province office has not verified yet;
  sent when it verifies the college (as orders wait to publish);
- ``later``: waiting for the college's "send" button; ``never``: not to be sent;
- ``queued``: a job will send it; ``sent``: the mail server accepted it (``invited_at``).

Only learners with an email and no account yet have one. The sending job marks each
message as sent as it goes, so a retried job never mails anyone twice.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, url_for

from matchhub import jobs
from matchhub.extensions import db
from matchhub.models import Learner, Organization, VerificationState, utcnow
from matchhub.services import mail

NOW, LATER, NEVER = "now", "later", "never"
CHOICES = (NOW, LATER, NEVER)
STATES = ("held", "later", "never", "queued", "sent")


def allowed(college: Organization) -> bool:
    """Whether this college's invitations may go out: only once it is verified."""
    return college.state is VerificationState.VERIFIED


def state_for(college: Organization, choice: str) -> str:
    """The state an import gives its new learners' invitations."""
    if choice not in CHOICES:
        raise ValueError(f"invitations: {choice!r} is not one of {CHOICES}")
    if choice == NOW:
        return "queued" if allowed(college) else "held"
    return choice


def _waiting(college: Organization, state: str):
    return sa.and_(
        Learner.college_id == college.id,
        Learner.invitation == state,
        Learner.user_id.is_(None),
        Learner.claim_code.is_not(None),
        Learner.email.is_not(None),
    )


def counts(college: Organization) -> dict[str, int]:
    """How many of the college's unclaimed learners' invitations are in each state."""
    rows = db.session.execute(
        sa.select(Learner.invitation, sa.func.count(Learner.id))
        .where(
            Learner.college_id == college.id,
            Learner.invitation.is_not(None),
            Learner.user_id.is_(None),
        )
        .group_by(Learner.invitation)
    ).all()
    found = dict(rows)
    return {state: found.get(state, 0) for state in STATES}


def send_after_commit(college: Organization) -> None:
    """Enqueue the sending of the college's queued invitations once the transaction commits."""
    jobs.enqueue_after_commit(send_job, college.id, _summary=f"college {college.id}")


def send_waiting(college: Organization, state: str = LATER) -> int:
    """Queue the invitations waiting in ``state`` (the college's button: ``later``; the
    province office's verification: ``held``); commits. Returns how many were queued."""
    if not allowed(college):
        return 0
    queued = db.session.execute(
        sa.update(Learner)
        .where(_waiting(college, state))
        .values(invitation="queued", updated_at=Learner.updated_at)  # the profile is unchanged
    ).rowcount
    if queued:
        send_after_commit(college)
    db.session.commit()
    return queued


def send_job(college_id: int) -> int:
    """The job: mail every queued invitation of the college; returns how many were sent.

    A hundred at a time over one SMTP connection; each one the server accepted is marked
    sent (and committed) even when the connection then fails, so the retry sends only
    the rest.
    """
    college = db.session.get(Organization, college_id)
    if college is None or not allowed(college):
        return 0
    sent = 0
    while True:
        batch = db.session.execute(
            sa.select(Learner.id, Learner.email, Learner.full_name, Learner.claim_code)
            .where(_waiting(college, "queued"))
            .order_by(Learner.id)
            .limit(100)
        ).all()
        if not batch:
            return sent
        ids = {}
        messages = []
        for row in batch:
            message = mail.render_to(
                row.email,
                current_app.config["BABEL_DEFAULT_LOCALE"],  # the learner has no account yet
                "invitation",
                name=row.full_name,
                college=college.name,
                link=url_for("auth.claim", code=row.claim_code, _external=True),
            )
            ids[id(message)] = row.id
            messages.append(message)
        accepted: list[int] = []
        try:  # one SMTP connection per batch
            mail.deliver(messages, sent=lambda m, ids=ids, done=accepted: done.append(ids[id(m)]))
        finally:  # what the server accepted stays sent, even when the rest failed
            if accepted:
                db.session.execute(
                    sa.update(Learner)
                    .where(Learner.id.in_(accepted))
                    .values(invitation="sent", invited_at=utcnow(), updated_at=Learner.updated_at)
                )
                db.session.commit()
            sent += len(accepted)
