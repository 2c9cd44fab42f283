"""What a college sees of published allocation rounds: where its own learners were placed.

Only published rounds (results are final and participants were told) and only the
college's own learners: a college never sees another college's learners here.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from matchhub.extensions import db
from matchhub.models import (
    AllocationRound,
    Learner,
    Order,
    Organization,
    RoundChoice,
    RoundResult,
    RoundStatus,
)


@dataclass(frozen=True)
class RoundLine:
    round: AllocationRound
    learners: int
    placed: int

    @property
    def match_rate(self) -> float:
        return self.placed / self.learners if self.learners else 0.0


@dataclass(frozen=True)
class Placement:
    learner: Learner
    order: Order | None
    # Rank of the placement in the learner's own list (1 = first choice).
    choice: int | None
    choices: int


def rounds_of(college: Organization) -> list[RoundLine]:
    """Published rounds in which the college's learners took part, newest first."""
    rows = db.session.execute(
        sa.select(
            AllocationRound,
            sa.func.count(RoundResult.id),
            sa.func.count(RoundResult.order_id),
        )
        .join(RoundResult, RoundResult.round_id == AllocationRound.id)
        .join(Learner, Learner.id == RoundResult.learner_id)
        .where(AllocationRound.status == RoundStatus.PUBLISHED, Learner.college_id == college.id)
        .group_by(AllocationRound.id)
        .order_by(AllocationRound.published_at.desc(), AllocationRound.id.desc())
    ).all()
    return [RoundLine(rnd, learners, placed) for rnd, learners, placed in rows]


def placements(rnd: AllocationRound, college: Organization) -> list[Placement]:
    """Each of the college's learners in the published round: where they were placed."""
    if rnd.status is not RoundStatus.PUBLISHED:
        return []
    results = db.session.scalars(
        sa.select(RoundResult)
        .join(Learner, Learner.id == RoundResult.learner_id)
        .where(RoundResult.round_id == rnd.id, Learner.college_id == college.id)
        .options(
            selectinload(RoundResult.learner).selectinload(Learner.programme),
            selectinload(RoundResult.order).selectinload(Order.organization),
        )
        .order_by(RoundResult.order_id.is_(None).desc(), Learner.full_name, Learner.id)
    ).all()
    learner_ids = [r.learner_id for r in results]
    ranks: dict[tuple[int, int], int] = {}
    counts: dict[int, int] = {}
    if learner_ids:
        for lid, oid, rank in db.session.execute(
            sa.select(RoundChoice.learner_id, RoundChoice.order_id, RoundChoice.rank).where(
                RoundChoice.round_id == rnd.id, RoundChoice.learner_id.in_(learner_ids)
            )
        ):
            ranks[(lid, oid)] = rank
            counts[lid] = counts.get(lid, 0) + 1
    return [
        Placement(
            r.learner,
            r.order,
            ranks.get((r.learner_id, r.order_id)) if r.order_id else None,
            counts.get(r.learner_id, 0),
        )
        for r in results
    ]
