"""Province-wide figures for the public home page and the province dashboard."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from matchhub.extensions import db
from matchhub.models import (
    Learner,
    Order,
    OrderSkill,
    Organization,
    OrgKind,
    Skill,
    VerificationState,
)


@dataclass(frozen=True)
class Overview:
    enterprises: int
    colleges: int
    learners: int
    open_orders: int
    open_seats: int
    pending_organizations: int


def overview() -> Overview:
    """Counts of verified organisations, learners, live orders and the seats they offer."""

    def count(stmt) -> int:
        return db.session.scalar(stmt) or 0

    verified = Organization.state == VerificationState.VERIFIED
    return Overview(
        enterprises=count(
            sa.select(sa.func.count()).where(Organization.kind == OrgKind.ENTERPRISE, verified)
        ),
        colleges=count(
            sa.select(sa.func.count()).where(Organization.kind == OrgKind.COLLEGE, verified)
        ),
        learners=count(sa.select(sa.func.count(Learner.id))),
        open_orders=count(sa.select(sa.func.count(Order.id)).where(Order.is_live)),
        # Positions people can apply to: a training order's trainees are not jobs.
        open_seats=count(
            sa.select(sa.func.coalesce(sa.func.sum(Order.headcount), 0)).where(Order.is_opening)
        ),
        pending_organizations=count(
            sa.select(sa.func.count()).where(Organization.state == VerificationState.PENDING)
        ),
    )


def top_demanded_skills(limit: int = 10) -> list[tuple[Skill, int]]:
    """Skills required by the most live orders, weighted by headcount."""
    weight = sa.func.sum(Order.headcount).label("weight")
    rows = db.session.execute(
        sa.select(Skill, weight)
        .join(OrderSkill, OrderSkill.skill_id == Skill.id)
        .join(Order, Order.id == OrderSkill.order_id)
        .where(Order.is_live, OrderSkill.required.is_(True))
        .group_by(Skill.id)
        .order_by(weight.desc(), Skill.slug)
        .limit(limit)
    )
    return [(skill, int(w)) for skill, w in rows]
