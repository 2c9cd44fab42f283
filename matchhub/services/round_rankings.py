"""The enterprises' side of an allocation round: their candidates and rankings.

An enterprise that has not ranked its candidates is taken to accept them in its
candidates page's order (tier, then score, from the serving index, as every other
page); a candidate who listed the order after the enterprise saved its ranking is
appended in that order after the ranked ones. Only a candidate explicitly marked
unacceptable is excluded. Set-up and the learners' side are in
:mod:`matchhub.services.rounds`.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from matchhub.extensions import db
from matchhub.matching.types import MatchResult
from matchhub.models import (
    AllocationRound,
    Learner,
    Order,
    Organization,
    RoundChoice,
    RoundOrder,
    RoundRanking,
    User,
)
from matchhub.security import allowed
from matchhub.services import ServiceError, audit, pair_scores
from matchhub.services.rounds import (
    _best_first,
    _require_unpublished,
    accepts_rankings,
    round_order_map,
)


def _learners_by_fit(order: Order, learner_ids: list[int]) -> list[tuple[int, MatchResult | None]]:
    """Candidates for an order, best first, as its candidates page ranks them.

    A candidate who hid their profile or withdrew consent since choosing the order
    is in no ranking (no score is shown for them), yet keeps their place in the
    round: they come after the ranked ones, by id, with ``None``.
    """
    if not learner_ids:
        return []
    results = pair_scores.scores_for_order(order, learner_ids)
    ranked = [(r.learner_id, r) for r in sorted(results.values(), key=_best_first)]
    return ranked + [(lid, None) for lid in sorted(set(learner_ids) - set(results))]


def orders_of_in_round(rnd: AllocationRound, org: Organization) -> list[RoundOrder]:
    """The organisation's internships taking part in ``rnd``."""
    return [ro for ro in rnd.orders if ro.order.organization_id == org.id]


def candidates_of(rnd: AllocationRound, order_id: int) -> list[int]:
    """Learners who listed the order in this round."""
    return list(
        db.session.scalars(
            sa.select(RoundChoice.learner_id)
            .where(RoundChoice.round_id == rnd.id, RoundChoice.order_id == order_id)
            .order_by(RoundChoice.learner_id)
        )
    )


@dataclass(frozen=True)
class CandidateRow:
    learner: Learner
    result: MatchResult | None  # None: the learner is in no ranking any more (hidden)
    unacceptable: bool
    choice: int  # where the learner put this order on their own list

    @property
    def score(self) -> float:
        return self.result.score if self.result is not None else 0.0


def ranking_of(rnd: AllocationRound, order_id: int) -> list[CandidateRow]:
    """The order's candidates in the enterprise's order: its saved ranking, else by score.

    Candidates ranked after the enterprise saved come after the ranked ones (by
    score); those marked unacceptable come last, flagged.
    """
    candidate_ids = candidates_of(rnd, order_id)
    acceptable, unacceptable = order_preferences(rnd, order_id, candidate_ids)
    fit = dict(_learners_by_fit(round_order_map(rnd)[order_id].order, candidate_ids))
    learners = {
        lr.id: lr
        for lr in db.session.scalars(
            sa.select(Learner)
            .where(Learner.id.in_(candidate_ids))
            .options(selectinload(Learner.college), selectinload(Learner.programme))
        )
    }
    choice = dict(
        db.session.execute(
            sa.select(RoundChoice.learner_id, RoundChoice.rank).where(
                RoundChoice.round_id == rnd.id, RoundChoice.order_id == order_id
            )
        ).all()
    )
    refused = [lid for lid, _r in fit.items() if lid in unacceptable]
    return [
        CandidateRow(learners[lid], fit.get(lid), lid in unacceptable, choice[lid])
        for lid in [*acceptable, *refused]
    ]


def ranking_saved(rnd: AllocationRound, order_id: int) -> bool:
    """True once the enterprise has saved a ranking for the order in this round."""
    return (
        db.session.scalar(
            sa.select(RoundRanking.id)
            .where(RoundRanking.round_id == rnd.id, RoundRanking.order_id == order_id)
            .limit(1)
        )
        is not None
    )


def order_preferences(
    rnd: AllocationRound, order_id: int, candidate_ids: list[int]
) -> tuple[list[int], set[int]]:
    """(acceptable candidates best first, unacceptable ones) as the allocation will use them."""
    saved = db.session.execute(
        sa.select(RoundRanking.learner_id, RoundRanking.rank, RoundRanking.unacceptable)
        .where(RoundRanking.round_id == rnd.id, RoundRanking.order_id == order_id)
        .order_by(RoundRanking.rank)
    ).all()
    candidates = set(candidate_ids)
    unacceptable = {lid for lid, _rank, flag in saved if flag and lid in candidates}
    ranked = [
        lid for lid, rank, flag in saved if not flag and rank is not None and lid in candidates
    ]
    seen = set(ranked) | unacceptable
    order = round_order_map(rnd)[order_id].order
    rest = [lid for lid, _r in _learners_by_fit(order, [c for c in candidate_ids if c not in seen])]
    return ranked + rest, unacceptable


def save_ranking(
    rnd: AllocationRound,
    user: User,
    order_id: int,
    ranked: list[int],
    unacceptable: set[int],
) -> None:
    """Store the enterprise's ranking of an order's candidates (best first) and who it refuses.

    Every id must be a candidate who listed the order; candidates missing from
    both lists are appended by score at allocation time.
    """
    _require_unpublished(rnd)
    if not accepts_rankings(rnd):
        raise ServiceError(_("This round no longer accepts rankings."))
    ro = db.session.scalar(
        sa.select(RoundOrder).where(
            RoundOrder.round_id == rnd.id,
            RoundOrder.order_id == order_id,
            allowed(RoundOrder, user, write=True),
        )
    )
    if ro is None:
        raise ServiceError(_("That internship is not part of this round."))
    candidates = set(candidates_of(rnd, order_id))
    ranked = [lid for lid in ranked if lid not in unacceptable]
    if len(set(ranked)) != len(ranked) or not (set(ranked) | unacceptable) <= candidates:
        raise ServiceError(_("Rank only the candidates who chose this internship, once each."))
    db.session.execute(
        sa.delete(RoundRanking).where(
            RoundRanking.round_id == rnd.id, RoundRanking.order_id == order_id
        )
    )
    rows = [
        RoundRanking(round_id=rnd.id, order_id=order_id, learner_id=lid, rank=i)
        for i, lid in enumerate(ranked, start=1)
    ]
    rows += [
        RoundRanking(
            round_id=rnd.id, order_id=order_id, learner_id=lid, rank=None, unacceptable=True
        )
        for lid in sorted(unacceptable)
    ]
    db.session.add_all(rows)
    audit.record(
        "round.ranking_saved",
        actor=user,
        organization_id=ro.order.organization_id,
        obj=rnd,
        order_id=order_id,
        ranked=len(ranked),
        unacceptable=len(unacceptable),
    )
    db.session.commit()
