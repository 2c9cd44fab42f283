"""Weekly alerts: a mail of the new openings the engine ranks above a learner's threshold.

A learner turns alerts on with a threshold (:data:`THRESHOLDS`, percent of the match
score) and, if they wish, one kind of opening. ``flask alerts send`` (cron, once a
week; docs/operations.md) calls :func:`send_weekly`, which for each due subscriber:

- takes the live openings published since the subscriber's ``checked_until`` and not
  mailed to them before (``alerts_sent``);
- ranks them for the learner with the matches page's own ranking
  (``ranked_pages.matches_for`` with ``min_score``), so a mail never shows a score the
  page would not;
- records the openings it mails and the week (ISO week, Vietnam's calendar), and
  enqueues one mail job (:func:`mail_job`) after that commit.

A second run in the same week finds nobody due, and an opening is never mailed twice;
each subscriber is one transaction, so a run that dies half-way is finished by the
next. Deactivated or deleted accounts, unconfirmed addresses and learners who
withdrew their consent get nothing. Every mail carries a signed one-click
unsubscribe link (:func:`unsubscribe_token`), which needs no login.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from matchhub import jobs
from matchhub.extensions import db
from matchhub.models import (
    AlertSent,
    AlertSubscription,
    Learner,
    Order,
    OrderKind,
    Organization,
    User,
    utcnow,
)
from matchhub.models.orders import OPENING_KINDS
from matchhub.services import ServiceError, accounts, audit, mail, ranked_pages

#: The thresholds a learner picks from, in percent of the match score.
THRESHOLDS = (50, 60, 70, 80, 90)
DEFAULT_THRESHOLD = 70
#: Openings listed in one mail; the rest are counted, with a link to the matches page.
MAX_PER_MAIL = 10
#: Subscribers loaded at a time by a run.
BATCH = 100
#: A turned-on alert's first mail covers the week before it was turned on.
LOOKBACK = timedelta(days=7)
UNSUBSCRIBE_PURPOSE = "alerts-unsubscribe"
#: An unsubscribe link in an old mail still works for a year.
UNSUBSCRIBE_MAX_AGE = 365 * 24 * 3600
_VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class AlertSettings:
    """What the settings form shows: off by default."""

    active: bool = False
    min_score: int = DEFAULT_THRESHOLD
    kind: OrderKind | None = None


def settings_of(learner: Learner) -> AlertSettings:
    """The learner's alert settings (the defaults when they never set any)."""
    sub = _subscription(learner.id)
    if sub is None:
        return AlertSettings()
    return AlertSettings(sub.active, sub.min_score, sub.kind)


def _subscription(learner_id: int) -> AlertSubscription | None:
    return db.session.scalar(
        sa.select(AlertSubscription).where(AlertSubscription.learner_id == learner_id)
    )


def set_alerts(learner: Learner, user: User, settings: AlertSettings) -> None:
    """Save the learner's alert settings; turning alerts on starts from a week back."""
    if settings.min_score not in THRESHOLDS:
        raise ServiceError(_("Choose one of the thresholds offered."), field="min_score")
    if settings.kind is not None and settings.kind not in OPENING_KINDS:
        raise ServiceError(_("Choose one of the kinds offered."), field="kind")
    sub = _subscription(learner.id)
    if sub is None:
        sub = AlertSubscription(learner_id=learner.id, active=False)
        db.session.add(sub)
    if settings.active and not sub.active:
        sub.checked_until = utcnow() - LOOKBACK
    if sub.active != settings.active:
        audit.record(
            "alerts.subscribed" if settings.active else "alerts.unsubscribed",
            actor=user,
            obj=learner,
        )
    sub.active = settings.active
    sub.min_score = settings.min_score
    sub.kind = settings.kind
    db.session.commit()


def unsubscribe_token(learner: Learner) -> str:
    """The signed token of the unsubscribe link: names the learner and their account, so
    a link outlives neither."""
    return accounts.link_token(UNSUBSCRIBE_PURPOSE, {"lid": learner.id, "uid": learner.user_id})


def check_unsubscribe(token: str) -> AlertSubscription:
    """The subscription an unsubscribe link names; ``ServiceError`` for a forged, expired
    or stale one (its account deleted)."""
    invalid = _("This unsubscribe link is not valid.")
    data = accounts.read_link_token(
        UNSUBSCRIBE_PURPOSE,
        token,
        UNSUBSCRIBE_MAX_AGE,
        expired=_("This unsubscribe link has expired. Turn alerts off on your Saved page."),
        invalid=invalid,
    )
    lid, uid = data.get("lid"), data.get("uid")
    if not isinstance(lid, int) or not isinstance(uid, int):
        raise ServiceError(invalid)
    sub = db.session.scalar(
        sa.select(AlertSubscription)
        .join(Learner, Learner.id == AlertSubscription.learner_id)
        .where(Learner.id == lid, Learner.user_id == uid)
    )
    if sub is None:
        raise ServiceError(invalid)
    return sub


def unsubscribe(token: str) -> None:
    """Turn off the alerts of the link's learner (no login: the signed token is the
    proof); doing it twice changes nothing."""
    sub = check_unsubscribe(token)
    if sub.active:
        sub.active = False
        audit.record("alerts.unsubscribed", obj=sub.learner, via="link")
    db.session.commit()


# ----------------------------------------------------------------- the weekly run


def week_of(moment: datetime) -> str:
    """The ISO week of ``moment`` on Vietnam's calendar, e.g. ``"2026-W49"``."""
    year, week, _day = moment.astimezone(_VIETNAM).isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class SendReport:
    """What a run did: subscribers considered, mails queued, openings listed in them."""

    considered: int
    mailed: int
    openings: int


def _due(week: str, now: datetime):
    return (
        sa.select(AlertSubscription.id)
        .join(Learner, Learner.id == AlertSubscription.learner_id)
        .join(User, User.id == Learner.user_id)
        .where(
            AlertSubscription.active,
            sa.or_(AlertSubscription.last_week.is_(None), AlertSubscription.last_week != week),
            AlertSubscription.checked_until < now,
            User.active,
            User.email_confirmed_at.is_not(None),
            Learner.consent_at.is_not(None),
        )
        .order_by(AlertSubscription.id)
    )


def send_weekly(now: datetime | None = None) -> SendReport:
    """Queue this week's alert mails (see the module docstring); idempotent per week.

    Cost per subscriber: one ranking of the new openings through the match index, no
    query per opening. Commits once per subscriber.
    """
    now = now or utcnow()
    week = week_of(now)
    ids = list(db.session.scalars(_due(week, now)))
    considered = mailed = listed = 0
    for start in range(0, len(ids), BATCH):
        subs = list(
            db.session.scalars(
                sa.select(AlertSubscription)
                .where(AlertSubscription.id.in_(ids[start : start + BATCH]))
                .options(joinedload(AlertSubscription.learner).selectinload(Learner.skills))
                .order_by(AlertSubscription.id)
            )
        )
        fresh = _published(min(s.checked_until for s in subs), now)
        sent = _already_sent([s.learner_id for s in subs], [o for o, _k, _p in fresh])
        for sub in subs:
            considered += 1
            n = _send_one(sub, fresh, sent[sub.learner_id], week, now)
            mailed += bool(n)
            listed += n
    return SendReport(considered, mailed, listed)


def _published(since: datetime, now: datetime) -> list[tuple[int, OrderKind, datetime]]:
    """Live openings (of the alert kinds) published after ``since``, up to ``now``."""
    rows = db.session.execute(
        sa.select(Order.id, Order.kind, Order.published_at).where(
            Order.is_opening,
            Order.published_at > since,
            Order.published_at <= now,
        )
    )
    return [(order_id, kind, at) for order_id, kind, at in rows]


def _already_sent(learner_ids: list[int], order_ids: list[int]) -> dict[int, set[int]]:
    out: dict[int, set[int]] = defaultdict(set)
    if order_ids:
        rows = db.session.execute(
            sa.select(AlertSent.learner_id, AlertSent.order_id).where(
                AlertSent.learner_id.in_(learner_ids), AlertSent.order_id.in_(order_ids)
            )
        )
        for learner_id, order_id in rows:
            out[learner_id].add(order_id)
    return out


def _send_one(sub: AlertSubscription, fresh, sent: set[int], week: str, now: datetime) -> int:
    """Record and queue one subscriber's mail (if anything is new); how many openings.

    The subscriber is claimed for the week first, in this transaction: a second run
    going at the same time (two cron lines, a rerun by hand) waits for this row's lock,
    then finds it taken and moves on, so nobody gets two mails.
    """
    claimed = db.session.execute(
        sa.update(AlertSubscription)
        .where(
            AlertSubscription.id == sub.id,
            AlertSubscription.active,
            sa.or_(AlertSubscription.last_week.is_(None), AlertSubscription.last_week != week),
        )
        .values(last_week=week)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        return 0
    wanted = frozenset(
        order_id
        for order_id, kind, published_at in fresh
        if published_at > sub.checked_until
        and (sub.kind is None or kind == sub.kind)
        and order_id not in sent
    )
    items = []
    total = 0
    if wanted:
        page = ranked_pages.matches_for(
            sub.learner, order_ids=wanted, per_page=MAX_PER_MAIL, min_score=sub.min_score / 100
        )
        items, total = page.items, page.total
    for m in items:
        db.session.add(
            AlertSent(
                learner_id=sub.learner_id,
                order_id=m.order.id,
                week=week,
                score=round(m.result.score * 100),
                sent_at=now,
            )
        )
    if items:
        jobs.enqueue_after_commit(
            mail_job, sub.learner_id, week, total, _summary=f"alert {week} learner {sub.learner_id}"
        )
    sub.last_week = week
    sub.checked_until = now
    db.session.commit()
    return len(items)


def mail_job(learner_id: int, week: str, total: int) -> int:
    """The job: mail the learner the openings recorded for ``week``; 1 when sent.

    Checked again here: an account deleted, deactivated or unsubscribed since the run
    gets nothing.
    """
    learner = db.session.get(Learner, learner_id)
    user = db.session.get(User, learner.user_id) if learner and learner.user_id else None
    sub = _subscription(learner_id)
    if user is None or not user.active or sub is None or not sub.active:
        return 0
    rows = db.session.execute(
        sa.select(AlertSent.order_id, AlertSent.score, Order.title, Organization.name)
        .join(Order, Order.id == AlertSent.order_id)
        .join(Organization, Organization.id == Order.organization_id)
        .where(AlertSent.learner_id == learner_id, AlertSent.week == week)
        .order_by(AlertSent.score.desc(), AlertSent.order_id)
    ).all()
    if not rows:
        return 0
    token = unsubscribe_token(learner)
    message = mail.render(
        user,
        "alerts",
        items=rows,
        more=max(0, total - len(rows)),
        threshold=sub.min_score,
        token=token,
    )
    # Mail programs show their own "Unsubscribe" button for these headers, and press it
    # with a POST (RFC 8058): one click, nothing to open.
    one_click = url_for("public.alerts_unsubscribe_one_click", token=token, _external=True)
    headers = (
        ("List-Unsubscribe", f"<{one_click}>"),
        ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
    )
    mail.deliver(replace(message, headers=headers))
    return 1


# ----------------------------------------------------------------- personal data


def export_of(learner_id: int) -> dict:
    """The alert settings and the openings mailed, for "export my data"."""
    sub = _subscription(learner_id)
    rows = db.session.execute(
        sa.select(Order.title, AlertSent.week, AlertSent.score, AlertSent.sent_at)
        .join(Order, Order.id == AlertSent.order_id)
        .where(AlertSent.learner_id == learner_id)
        .order_by(AlertSent.id)
    )
    return {
        "settings": None
        if sub is None
        else {
            "active": sub.active,
            "min_score_percent": sub.min_score,
            "kind": sub.kind.value if sub.kind else None,
            "created_at": sub.created_at.isoformat(),
        },
        "sent": [
            {"order": title, "week": week, "score_percent": score, "sent_at": at.isoformat()}
            for title, week, score, at in rows
        ],
    }


def erase(learner_id: int) -> None:
    """Forget the learner's alert settings and history (account deletion; the caller
    commits)."""
    db.session.execute(sa.delete(AlertSent).where(AlertSent.learner_id == learner_id))
    db.session.execute(
        sa.delete(AlertSubscription).where(AlertSubscription.learner_id == learner_id)
    )
