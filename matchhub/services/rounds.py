"""Internship allocation rounds: set-up and the learners' side (the enterprises' side
is :mod:`matchhub.services.round_rankings`).

Life of a round: the province office creates it (draft) with the internship
orders taking part and their seats, opens it, learners rank up to
:data:`MAX_CHOICES` of its internships and enterprises rank the candidates who
listed theirs, until the deadline. Then the office runs the allocation, reviews
it, may rerun it and publishes it (:mod:`matchhub.services.round_results`).
Published results never change: every write below refuses a published round.

Both sides' pre-filled orders come from the serving index, so they carry the
score and tier of every other page. A learner's list is pre-filled with the
internships they meet or nearly meet, best first; nobody is placed where they
lack a required skill unless they listed that internship themselves. An
enterprise that has not ranked its candidates is taken to accept them in its
candidates page's order (tier, then score); a candidate who listed the order
after the enterprise saved its ranking is appended in that order after the
ranked ones. Only a candidate explicitly marked unacceptable is excluded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from matchhub.extensions import db
from matchhub.matching.types import MatchResult, Tier
from matchhub.models import (
    AllocationRound,
    Learner,
    Order,
    OrderKind,
    Organization,
    RoundChoice,
    RoundOrder,
    RoundRanking,
    RoundStatus,
    User,
    utcnow,
)
from matchhub.security import allowed, owned_or_404
from matchhub.services import ServiceError, audit, pair_scores, round_rules

MAX_CHOICES = 10


# --- Reading ---------------------------------------------------------------------


def readable(user: User, round_id: int) -> AllocationRound:
    """The round with its orders and their enterprises, when ``user`` may see it (the
    office: any; a learner: any but a draft; an enterprise: those its orders are in);
    404 otherwise."""
    return owned_or_404(
        AllocationRound,
        user,
        AllocationRound.id == round_id,
        options=(
            selectinload(AllocationRound.orders)
            .selectinload(RoundOrder.order)
            .selectinload(Order.organization),
        ),
    )


def round_order_editable(user: User, rnd: AllocationRound, order_id: int) -> RoundOrder:
    """The round's entry for ``order_id`` when it is an order of the enterprise of ``user``
    (to rank its candidates); 404 otherwise."""
    return owned_or_404(
        RoundOrder,
        user,
        RoundOrder.round_id == rnd.id,
        RoundOrder.order_id == order_id,
        write=True,
        options=(selectinload(RoundOrder.order).selectinload(Order.organization),),
    )


def readable_rounds(user: User) -> list[AllocationRound]:
    """The rounds ``user`` may see (the rule of :func:`readable`), newest first."""
    return list(
        db.session.scalars(
            sa.select(AllocationRound)
            .where(allowed(AllocationRound, user))
            .order_by(AllocationRound.created_at.desc(), AllocationRound.id.desc())
        )
    )


def admitting(listed: list[AllocationRound], learner: Learner) -> list[AllocationRound]:
    """The rounds of ``listed`` whose rules admit ``learner``, plus any they took part in."""
    taken = set(
        db.session.scalars(
            sa.select(RoundChoice.round_id).where(RoundChoice.learner_id == learner.id).distinct()
        )
    )
    return [r for r in listed if r.id in taken or round_rules.Rules.of(r).admits(learner)]


def eligible_orders() -> list[Order]:
    """Open internship orders of verified enterprises: what a round may include."""
    return list(
        db.session.scalars(
            sa.select(Order)
            .join(Organization)
            .where(Order.kind == OrderKind.INTERNSHIP, Order.is_live)
            .options(selectinload(Order.organization))
            .order_by(Organization.name, Order.title, Order.id)
        )
    )


def accepting_rounds(organization_id: int | None = None) -> list[AllocationRound]:
    """Rounds open for ranking now; with ``organization_id``, only those it takes part in."""
    query = (
        sa.select(AllocationRound)
        .where(AllocationRound.status == RoundStatus.OPEN, AllocationRound.deadline > utcnow())
        .order_by(AllocationRound.deadline, AllocationRound.id)
    )
    if organization_id is not None:
        query = query.where(
            AllocationRound.orders.any(
                RoundOrder.order.has(Order.organization_id == organization_id)
            )
        )
    return list(db.session.scalars(query))


def accepts_rankings(rnd: AllocationRound, now: datetime | None = None) -> bool:
    """True while learners and enterprises may still rank."""
    return rnd.status is RoundStatus.OPEN and (now or utcnow()) < rnd.deadline


def participation(rnd: AllocationRound) -> dict[str, int]:
    """How many learners chose and how many orders were ranked so far."""
    learners = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(RoundChoice.learner_id))).where(
            RoundChoice.round_id == rnd.id
        )
    )
    ranked = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(RoundRanking.order_id))).where(
            RoundRanking.round_id == rnd.id
        )
    )
    return {"learners": learners or 0, "orders_ranked": ranked or 0, "orders": len(rnd.orders)}


# --- Fit: the pre-filled order of both sides ------------------------------------------


def _best_first(result: MatchResult) -> tuple:
    # The engine's one order: tier, then score, then id.
    return (-int(result.tier), -result.score, result.order_id, result.learner_id)


def _orders_by_fit(learner: Learner, order_ids: list[int]) -> list[MatchResult]:
    """The round's orders for a learner, best first, with the very score and tier the
    learner's matches page shows (the serving index, :mod:`services.pair_scores`)."""
    if not order_ids:
        return []
    return sorted(pair_scores.scores_for_learner(learner, order_ids).values(), key=_best_first)


# --- Setting a round up -----------------------------------------------------------


def _require_unpublished(rnd: AllocationRound) -> None:
    if rnd.status is RoundStatus.PUBLISHED:
        raise ServiceError(_("This round is published: its results can no longer change."))


def _validate_orders(seats: dict[int, int]) -> dict[int, Order]:
    if not seats:
        raise ServiceError(_("Choose at least one internship for the round."), field="orders")
    eligible = {o.id: o for o in eligible_orders()}
    for order_id, capacity in seats.items():
        if order_id not in eligible:
            raise ServiceError(
                _("Only open internships of verified enterprises can take part."), field="orders"
            )
        if not 0 <= capacity <= 500:
            raise ServiceError(_("Seats must be between 0 and 500."), field="orders")
    return eligible


def create_round(
    admin: User,
    name: str,
    deadline: datetime,
    seats: dict[int, int],
    rules: round_rules.Rules | None = None,
) -> AllocationRound:
    """Create a draft round over ``seats`` (order id → capacity) closing at ``deadline``,
    open to the learners ``rules`` admit (everyone by default)."""
    name = name.strip()
    if not name:
        raise ServiceError(_("Give the round a name."), field="name")
    if deadline <= utcnow():
        raise ServiceError(_("The deadline must be in the future."), field="deadline")
    _validate_orders(seats)
    rnd = AllocationRound(
        name=name[:200],
        deadline=deadline,
        created_by_id=admin.id,
        rules=(rules or round_rules.Rules()).as_json(),
    )
    rnd.orders = [RoundOrder(order_id=oid, capacity=cap) for oid, cap in seats.items()]
    db.session.add(rnd)
    db.session.flush()
    audit.record(
        "round.created", actor=admin, obj=rnd, orders=len(seats), seats=sum(seats.values())
    )
    db.session.commit()
    return rnd


def open_round(rnd: AllocationRound, admin: User) -> None:
    """Open a draft round to learners and enterprises."""
    if rnd.status is not RoundStatus.DRAFT:
        raise ServiceError(_("Only a draft round can be opened."))
    if rnd.deadline <= utcnow():
        raise ServiceError(_("The deadline has passed: create a new round."))
    rnd.status = RoundStatus.OPEN
    audit.record("round.opened", actor=admin, obj=rnd)
    db.session.commit()


def close_round(rnd: AllocationRound, admin: User) -> None:
    """End the ranking (at or before the deadline) so that the allocation can run."""
    if rnd.status is not RoundStatus.OPEN:
        raise ServiceError(_("Only an open round can be closed."))
    rnd.status = RoundStatus.CLOSED
    audit.record("round.closed", actor=admin, obj=rnd, early=utcnow() < rnd.deadline)
    db.session.commit()


# --- Learners' choices --------------------------------------------------------------


@dataclass(frozen=True)
class ChoiceRow:
    round_order: RoundOrder
    score: float


def round_order_map(rnd: AllocationRound) -> dict[int, RoundOrder]:
    """The round's participating orders keyed by order id."""
    return {ro.order_id: ro for ro in rnd.orders}


def saved_choices(rnd: AllocationRound, learner: Learner) -> list[int]:
    """The order ids the learner ranked in ``rnd``, best first (empty when none saved)."""
    return list(
        db.session.scalars(
            sa.select(RoundChoice.order_id)
            .where(RoundChoice.round_id == rnd.id, RoundChoice.learner_id == learner.id)
            .order_by(RoundChoice.rank)
        )
    )


def suggested_choices(rnd: AllocationRound, learner: Learner) -> list[int]:
    """Up to :data:`MAX_CHOICES` of the round's internships that the learner meets or
    nearly meets, best first: never one they lack a required skill for (they may
    still add it themselves)."""
    rules = round_rules.Rules.of(rnd)
    if not rules.admits(learner):
        return []
    ranked = _orders_by_fit(learner, [ro.order_id for ro in rnd.orders])
    floor = max(Tier.NEAR, rules.min_tier)
    return [r.order_id for r in ranked if r.tier >= floor][:MAX_CHOICES]


def order_fit_for(rnd: AllocationRound, learner: Learner) -> dict[int, MatchResult]:
    """Score and tier of every internship of the round for the learner, by order id."""
    return {r.order_id: r for r in _orders_by_fit(learner, [ro.order_id for ro in rnd.orders])}


def save_choices(rnd: AllocationRound, learner: Learner, order_ids: list[int]) -> None:
    """Replace the learner's ranked choices with ``order_ids`` (best first, at most 10).

    Refused once the round no longer accepts rankings (deadline passed, closed,
    published), for an internship not in the round, and for a repeated one.
    """
    _require_unpublished(rnd)
    if not accepts_rankings(rnd):
        raise ServiceError(_("This round no longer accepts rankings."))
    if len(order_ids) > MAX_CHOICES:
        raise ServiceError(_("Rank at most %(n)d internships.", n=MAX_CHOICES), field="choices")
    if len(set(order_ids)) != len(order_ids):
        raise ServiceError(_("Each internship can be listed only once."), field="choices")
    in_round = round_order_map(rnd)
    if any(oid not in in_round for oid in order_ids):
        raise ServiceError(_("That internship is not part of this round."), field="choices")
    rules = round_rules.Rules.of(rnd)
    refusal = rules.refusal(learner)
    if refusal:
        raise ServiceError(refusal)
    if rules.min_tier > Tier.MISSING and order_ids:
        fit = {r.order_id: r.tier for r in _orders_by_fit(learner, order_ids)}
        below = [oid for oid in order_ids if fit.get(oid, Tier.MISSING) < rules.min_tier]
        if below:
            raise ServiceError(
                _(
                    "“%(title)s” asks for more than you have: this round lets you list only "
                    "internships you meet or nearly meet.",
                    title=in_round[below[0]].order.title,
                )
                if rules.min_tier is Tier.NEAR
                else _(
                    "“%(title)s” asks for more than you have: this round lets you list only "
                    "internships whose requirements you meet.",
                    title=in_round[below[0]].order.title,
                ),
                field="choices",
            )
    db.session.execute(
        sa.delete(RoundChoice).where(
            RoundChoice.round_id == rnd.id, RoundChoice.learner_id == learner.id
        )
    )
    db.session.add_all(
        RoundChoice(round_id=rnd.id, learner_id=learner.id, order_id=oid, rank=i)
        for i, oid in enumerate(order_ids, start=1)
    )
    audit.record(
        "round.choices_saved",
        actor=learner.user,
        obj=rnd,
        learner_id=learner.id,
        choices=len(order_ids),
    )
    db.session.commit()
