"""Bulk actions on an order's candidates: shortlist, invite or reject several at once.

HR selects learners on the candidates page or the pipeline (by learner id: an
application is one learner on one order). Each selected learner goes through the
same rules as one at a time (``applications.add_to_pipeline`` and ``move_step``,
ENTERPRISE_MOVES); one who cannot move (already hired, already in the pipeline…) is
skipped with the reason, and the rest move in one transaction. An id that is not a
candidate of this order for this enterprise (unknown, hidden, erased, another's) is
ignored and only counted, so that the answer reveals nothing about it.

An optional message, from a translated template with placeholders ({name}, {order},
{org}) that HR edits before sending, goes to each candidate whose thread is open
(``messages.thread_open``) with one notice saying both the move and the message.
A private shortlist is never messaged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from matchhub.extensions import db
from matchhub.labels import label
from matchhub.models import Application, ApplicationStatus, Learner, Order, OrderStatus, User
from matchhub.security import MAX_INT
from matchhub.services import ServiceError, applications, messages, pair_scores

S = ApplicationStatus

#: The actions, in the order the form offers them.
ACTIONS = ("shortlist", "invite", "reject")
#: The most learners one action takes (a pipeline page rarely holds more).
MAX_SELECTED = 200

#: Message templates: (title, text); placeholders are filled per candidate.
TEMPLATES = {
    "invite": (
        _l("Invitation to apply"),
        _l(
            "Hello {name},\n\nWe read your profile and think you would fit “{order}” well. "
            "We invite you to apply: you can answer from your applications on MatchHub.\n\n"
            "Best regards,\n{org}"
        ),
    ),
    "reject": (
        _l("Not selected this time"),
        _l(
            "Hello {name},\n\nThank you for your interest in “{order}”. After careful review "
            "we will not take your application further this time. We wish you every success "
            "and hope to meet you for another opening.\n\nBest regards,\n{org}"
        ),
    ),
    "next_steps": (
        _l("We will be in touch"),
        _l(
            "Hello {name},\n\nThank you for your application to “{order}”. We will contact "
            "you soon about the next steps.\n\nBest regards,\n{org}"
        ),
    ),
}
#: The template a form starts with for each action (none for the private shortlist).
DEFAULT_TEMPLATE = {"shortlist": "", "invite": "invite", "reject": "reject"}
_PLACEHOLDER = re.compile(r"\{(name|order|org)\}")


def template_text(key: str | None) -> str:
    """The text of template ``key`` in the current language ("" for none or unknown)."""
    found = TEMPLATES.get(key or "")
    return str(found[1]) if found else ""


def personalise(text: str, learner: Learner, order: Order) -> str:
    """``text`` with {name}, {order} and {org} filled for one candidate; any other brace
    is left as written (no format string: nothing but these three is reachable)."""
    values = {"name": learner.full_name, "order": order.title, "org": order.organization.name}
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def parse_ids(values: Iterable[str]) -> list[int]:
    """Learner ids from repeated form values: digits only, each once, in the order given."""
    out: list[int] = []
    for raw in values:
        raw = (raw or "").strip()
        if raw.isdigit() and 0 < int(raw) <= MAX_INT and int(raw) not in out:
            out.append(int(raw))
    return out


@dataclass(frozen=True)
class Item:
    """One selected candidate: the learner, their application on the order if any, and
    why the action would skip them (``None``: they move)."""

    learner: Learner
    application: Application | None
    reason: str | None


@dataclass(frozen=True)
class Plan:
    """What an action would do: the candidates found and how many ids were ignored."""

    action: str
    items: list[Item]
    ignored: int

    @property
    def moving(self) -> list[Item]:
        return [i for i in self.items if i.reason is None]

    @property
    def skipped(self) -> list[Item]:
        return [i for i in self.items if i.reason is not None]


@dataclass
class Outcome:
    """What an action did: who moved, who was skipped and why, ids ignored, messages sent."""

    moved: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    ignored: int = 0
    messaged: int = 0


def _check_action(order: Order, action: str) -> None:
    """Refuse the whole action when the order allows it for nobody."""
    if action not in ACTIONS:
        raise ServiceError(_("Choose what to do with the selected candidates."), field="action")
    if action == "reject":
        return
    if not order.organization.is_verified:
        raise ServiceError(
            _("Candidates are shown once the province office has verified your organisation.")
        )
    if action == "invite" and order.status is not OrderStatus.OPEN:
        raise ServiceError(_("Publish the order before inviting learners."))
    if order.status not in (OrderStatus.DRAFT, OrderStatus.OPEN):
        raise ServiceError(_("This order is no longer open."))


def _reason(action: str, learner: Learner, app: Application | None) -> str | None:
    if action == "shortlist":
        return _("already in the pipeline") if app is not None else None
    if app is None:
        return _("not in the pipeline") if action == "reject" else None
    to = S.INVITED if action == "invite" else S.REJECTED
    if to not in applications.ENTERPRISE_MOVES.get(app.status, ()):
        return _("cannot move from “%(stage)s”", stage=label(app.status))
    if to is S.INVITED and not pair_scores.is_matchable(learner):
        return _("profile not available")
    return None


def _messaged(action: str, app: Application | None) -> bool:
    """Whether a bulk message reaches this candidate: an invitation opens the thread; a
    rejection is written only where the learner knew of the application (a private
    shortlist is rejected silently); a shortlist is never messaged."""
    if action == "invite":
        return True
    return action == "reject" and app is not None and messages.thread_open(app)


def plan(order: Order, action: str, learner_ids: list[int]) -> Plan:
    """What ``action`` would do to the selected learners on ``order`` (nothing is written).

    ``order`` comes from ``orders.editable``. A learner counts as this order's candidate
    when the pipeline page shows their application (``applications.shown_in_pipeline``)
    or, without one, when they may be ranked (``pair_scores.is_matchable``); any other id
    is ignored.
    """
    _check_action(order, action)
    if not learner_ids:
        raise ServiceError(_("Select at least one candidate."), field="learner_id")
    if len(learner_ids) > MAX_SELECTED:
        raise ServiceError(
            _("Select at most %(max)s candidates at a time.", max=MAX_SELECTED), field="learner_id"
        )
    found = {
        lr.id: lr
        for lr in db.session.scalars(sa.select(Learner).where(Learner.id.in_(learner_ids)))
    }
    apps = {
        a.learner_id: a
        for a in db.session.scalars(
            sa.select(Application)
            .where(Application.order_id == order.id, Application.learner_id.in_(learner_ids))
            .options(selectinload(Application.events))
        )
    }
    items, ignored = [], 0
    for learner_id in learner_ids:
        learner, app = found.get(learner_id), apps.get(learner_id)
        if learner is None:
            ignored += 1
        elif app is not None and applications.shown_in_pipeline(app):
            items.append(Item(learner, app, _reason(action, learner, app)))
        elif app is None and pair_scores.is_matchable(learner):
            items.append(Item(learner, None, _reason(action, learner, None)))
        else:
            ignored += 1
    return Plan(action, items, ignored)


def run(
    order: Order, user: User, action: str, learner_ids: list[int], message: str | None = None
) -> Outcome:
    """Apply ``action`` to the selected learners on ``order`` in one transaction.

    Each candidate moves by the one-at-a-time rules or is skipped with the reason;
    ``message`` (a template, personalised per candidate) goes to each one whose thread
    is open, in the same notice as the move. Refused as a whole, before any write, for
    an action the order allows nobody or a message that is too long for someone.
    """
    planned = plan(order, action, learner_ids)
    text = (message or "").strip() if action != "shortlist" else ""
    bodies: dict[int, str] = {}
    try:
        for item in planned.moving if text else ():
            if _messaged(action, item.application):
                bodies[item.learner.id] = messages.clean_body(
                    personalise(text, item.learner, order)
                )
    except ServiceError as exc:
        raise ServiceError(exc.message, field="message") from None
    outcome = Outcome(ignored=planned.ignored)
    for item in planned.items:
        name = item.learner.full_name
        if item.reason is not None:
            outcome.skipped.append((name, item.reason))
            continue
        body = bodies.get(item.learner.id)
        app = item.application
        try:
            # Checks come before any change in both helpers: a refusal leaves nothing
            # behind. The message's notice replaces the move's own (one notice, one mail).
            if app is None:
                app = applications.add_to_pipeline(
                    order, item.learner, user, invite=action == "invite", tell=not body
                )
            else:
                to = S.INVITED if action == "invite" else S.REJECTED
                applications.move_step(app, user, to, tell=not body)
        except ServiceError as exc:
            outcome.skipped.append((name, exc.message))
            continue
        outcome.moved.append(name)
        if body:
            msg = messages.post(app, user, body)
            messages.announce(app, msg, stage=app.status)
            outcome.messaged += 1
    db.session.commit()
    return outcome
