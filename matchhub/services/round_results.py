"""Running an allocation round, publishing it, and reading its results.

The office runs the learner-proposing deferred-acceptance allocation
(``matchhub.matching.allocation``) over both sides' preferences as
:mod:`matchhub.services.rounds` keeps them (learners' saved choices; each
enterprise's saved ranking, else its candidates page's order), reviews the
outcome, may rerun it, and publishes it. Published results never change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from matchhub.extensions import db
from matchhub.matching.allocation import (
    Allocation,
    BlockingPair,
    check_stability,
    deferred_acceptance,
    explain_outcome,
)
from matchhub.matching.types import Tier
from matchhub.models import (
    AllocationRound,
    Learner,
    Membership,
    Order,
    Organization,
    RoundChoice,
    RoundOrder,
    RoundResult,
    RoundStatus,
    User,
    utcnow,
)
from matchhub.services import ServiceError, audit, notifications, pair_scores, round_rules
from matchhub.services.round_rankings import (
    candidates_of,
    order_preferences,
    orders_of_in_round,
)
from matchhub.services.rounds import _require_unpublished

# --- Running and publishing --------------------------------------------------------


@dataclass(frozen=True)
class Preferences:
    learner_prefs: dict[int, list[int]]
    order_prefs: dict[int, list[int]]
    capacities: dict[int, int]


def preferences(rnd: AllocationRound) -> Preferences:
    """Both sides' preferences as the engine takes them. O(choices + rankings)."""
    learner_prefs: dict[int, list[int]] = defaultdict(list)
    by_order: dict[int, list[int]] = defaultdict(list)
    choices = db.session.execute(
        sa.select(RoundChoice.learner_id, RoundChoice.order_id)
        .where(RoundChoice.round_id == rnd.id)
        .order_by(RoundChoice.learner_id, RoundChoice.rank)
    ).all()
    # The round's rules hold at the run too: a learner whose profile changed after
    # listing (another programme, a lost skill) cannot slip past them.
    rules = round_rules.Rules.of(rnd)
    admitted = rules.admitted_ids({lid for lid, _oid in choices})
    fit = (
        pair_scores.pair_results((oid, lid) for lid, oid in choices if lid in admitted)
        if rules.min_tier > Tier.MISSING
        else None
    )
    for lid, oid in choices:
        if lid not in admitted:
            continue
        learner_prefs[lid]
        if fit is not None and ((oid, lid) not in fit or fit[(oid, lid)].tier < rules.min_tier):
            continue
        learner_prefs[lid].append(oid)
        by_order[oid].append(lid)
    # An enterprise suspended since the round opened keeps its place in the round but
    # offers no seats: its candidates read "no seats in this round" as the reason.
    capacities = {
        ro.order_id: ro.capacity if ro.order.organization.is_verified else 0 for ro in rnd.orders
    }
    order_prefs = {
        oid: order_preferences(rnd, oid, sorted(by_order.get(oid, [])))[0] for oid in capacities
    }
    return Preferences(dict(learner_prefs), order_prefs, capacities)


def check_assignment(
    rnd: AllocationRound, assignment: dict[int, int | None]
) -> tuple[BlockingPair, ...]:
    """Check an assignment (learner id → order id or None) against the round's preferences.

    Returns every feasibility problem and blocking pair; ``()`` means stable.
    """
    prefs = preferences(rnd)
    return check_stability(assignment, prefs.learner_prefs, prefs.order_prefs, prefs.capacities)


def _explanations(
    allocation: Allocation, learner_id: int, prefs: Preferences
) -> list[dict[str, object]]:
    return [
        {
            "order": e.order,
            "choice": e.choice,
            "code": e.code.value,
            "your_rank": e.your_rank,
            "seats": e.seats,
            "admitted": e.admitted,
            "last_admitted_rank": e.last_admitted_rank,
        }
        for e in explain_outcome(learner_id, allocation, prefs.learner_prefs, prefs.order_prefs)
    ]


def run_round(
    rnd: AllocationRound, admin: User, progress: Callable[[int, int], None] | None = None
) -> dict[str, object]:
    """Run (or rerun) the allocation of a round whose ranking is over; returns its summary.

    Closes an open round whose deadline has passed. The previous run's results
    are replaced; nothing is visible to participants before publication.
    O(S log c) for the allocation plus O(S) to store it (S = total choices).
    ``progress(done, total)`` is told after each step (a job's progress page).
    """
    report = progress or (lambda done, total: None)
    _require_unpublished(rnd)
    if rnd.status is RoundStatus.OPEN and utcnow() >= rnd.deadline:
        rnd.status = RoundStatus.CLOSED
    if rnd.status is not RoundStatus.CLOSED:
        raise ServiceError(_("The allocation runs once the ranking is closed."))
    report(0, 4)
    prefs = preferences(rnd)
    report(1, 4)
    allocation = deferred_acceptance(prefs.learner_prefs, prefs.order_prefs, prefs.capacities)
    report(2, 4)
    problems = check_stability(allocation, prefs.learner_prefs, prefs.order_prefs, prefs.capacities)
    report(3, 4)
    db.session.execute(sa.delete(RoundResult).where(RoundResult.round_id == rnd.id))
    rows = [
        {
            "round_id": rnd.id,
            "learner_id": lid,
            "order_id": allocation.assignment.get(lid),
            "explanation": _explanations(allocation, lid, prefs),
        }
        for lid in prefs.learner_prefs
    ]
    if rows:
        db.session.execute(sa.insert(RoundResult), rows)
    summary = {
        "learners": len(prefs.learner_prefs),
        "matched": allocation.seats_filled,
        "match_rate": round(allocation.match_rate, 4),
        "unmatched": len(allocation.unmatched_learners),
        "seats": sum(prefs.capacities.values()),
        "empty_seats": sum(allocation.empty_seats.values()),
        "stable": not problems,
        "problems": len(problems),
    }
    rnd.summary = summary
    rnd.ran_at = utcnow()
    audit.record("round.run", actor=admin, obj=rnd, **summary)
    db.session.commit()
    report(4, 4)
    return summary


def publish_round(rnd: AllocationRound, admin: User) -> None:
    """Make the latest run final and tell every participant; irreversible."""
    _require_unpublished(rnd)
    if rnd.status is not RoundStatus.CLOSED or rnd.ran_at is None:
        raise ServiceError(_("Run the allocation before publishing it."))
    if not rnd.summary.get("stable"):
        raise ServiceError(_("The allocation failed its stability check: run it again."))
    rnd.status = RoundStatus.PUBLISHED
    rnd.published_at = utcnow()
    learner_users = db.session.scalars(
        sa.select(Learner.user_id)
        .join(RoundResult, RoundResult.learner_id == Learner.id)
        .where(RoundResult.round_id == rnd.id, Learner.user_id.is_not(None))
    )
    org_users = db.session.scalars(
        sa.select(Membership.user_id)
        .join(Order, Order.organization_id == Membership.organization_id)
        .join(RoundOrder, RoundOrder.order_id == Order.id)
        .where(RoundOrder.round_id == rnd.id)
        .distinct()
    )
    for uid in {*learner_users, *org_users}:
        notifications.notify(uid, "round.published", round=rnd.name, round_id=rnd.id)
    audit.record("round.published", actor=admin, obj=rnd, **rnd.summary)
    db.session.commit()


# --- Results --------------------------------------------------------------------------


def result_of(rnd: AllocationRound, learner: Learner) -> RoundResult | None:
    """The learner's published result (``None`` before publication or if they did not take part)."""
    if rnd.status is not RoundStatus.PUBLISHED:
        return None
    return db.session.scalar(
        sa.select(RoundResult)
        .where(RoundResult.round_id == rnd.id, RoundResult.learner_id == learner.id)
        .options(selectinload(RoundResult.order).selectinload(Order.organization))
    )


def results(rnd: AllocationRound, page: int = 1, per_page: int = 50, unmatched_only: bool = False):
    """The latest run's results for the office's review, paginated."""
    query = (
        sa.select(RoundResult)
        .where(RoundResult.round_id == rnd.id)
        .options(
            selectinload(RoundResult.learner).selectinload(Learner.college),
            selectinload(RoundResult.order).selectinload(Order.organization),
        )
        .order_by(RoundResult.order_id.is_(None).desc(), RoundResult.learner_id)
    )
    if unmatched_only:
        query = query.where(RoundResult.order_id.is_(None))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def seats_by_order(rnd: AllocationRound) -> list[tuple[RoundOrder, int]]:
    """Each order of the round with the number of learners the latest run placed there."""
    filled = dict(
        db.session.execute(
            sa.select(RoundResult.order_id, sa.func.count(RoundResult.id))
            .where(RoundResult.round_id == rnd.id, RoundResult.order_id.is_not(None))
            .group_by(RoundResult.order_id)
        ).all()
    )
    return [(ro, filled.get(ro.order_id, 0)) for ro in rnd.orders]


@dataclass(frozen=True)
class OrderOutcome:
    """What one of an enterprise's internships got from a published round, and why."""

    round_order: RoundOrder
    admitted: list[Learner]
    # Candidates it ranked but lost to an internship they preferred.
    went_elsewhere: int
    # Candidates it ranked who got no seat there because it was full.
    below_cut: int
    unacceptable: int


def enterprise_outcome(rnd: AllocationRound, org: Organization) -> list[OrderOutcome]:
    """Per internship of ``org`` in a published round: who was placed and why others were not."""
    if rnd.status is not RoundStatus.PUBLISHED:
        return []
    placed = dict(
        db.session.execute(
            sa.select(RoundResult.learner_id, RoundResult.order_id).where(
                RoundResult.round_id == rnd.id
            )
        ).all()
    )
    choice_rank = {
        (lid, oid): rank
        for lid, oid, rank in db.session.execute(
            sa.select(RoundChoice.learner_id, RoundChoice.order_id, RoundChoice.rank).where(
                RoundChoice.round_id == rnd.id
            )
        )
    }
    out = []
    for ro in orders_of_in_round(rnd, org):
        candidate_ids = candidates_of(rnd, ro.order_id)
        acceptable, unacceptable = order_preferences(rnd, ro.order_id, candidate_ids)
        admitted_ids = [lid for lid in acceptable if placed.get(lid) == ro.order_id]
        elsewhere = below = 0
        for lid in acceptable:
            got = placed.get(lid)
            if got == ro.order_id:
                continue
            if got is not None and choice_rank[(lid, got)] < choice_rank[(lid, ro.order_id)]:
                elsewhere += 1
            else:
                below += 1
        learners = {
            lr.id: lr
            for lr in db.session.scalars(sa.select(Learner).where(Learner.id.in_(admitted_ids)))
        }
        out.append(
            OrderOutcome(
                ro, [learners[i] for i in admitted_ids], elsewhere, below, len(unacceptable)
            )
        )
    return out
