"""Where a college's learners went: applications and hires per programme and cohort."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from matchhub.extensions import db
from matchhub.models import Application, ApplicationStatus, Learner, Organization, Programme


@dataclass
class CohortOutcome:
    """One (programme, graduation year) cohort: its learners, their applications per status,
    and how many were hired at least once."""

    programme: Programme | None
    year: int | None
    learners: int = 0
    statuses: dict[ApplicationStatus, int] = field(default_factory=dict)
    hired_learners: int = 0

    @property
    def applications(self) -> int:
        return sum(self.statuses.values())

    @property
    def placement_rate(self) -> float:
        return self.hired_learners / self.learners if self.learners else 0.0


def outcomes_of(college: Organization) -> list[CohortOutcome]:
    """The college's own learners only, by programme then cohort (newest first). Three queries."""
    programmes = {
        p.id: p
        for p in db.session.scalars(
            sa.select(Programme).where(Programme.organization_id == college.id)
        )
    }
    cohorts: dict[tuple[int | None, int | None], CohortOutcome] = {}

    def cohort(pid, year) -> CohortOutcome:
        key = (pid, year)
        if key not in cohorts:
            cohorts[key] = CohortOutcome(programmes.get(pid), year)
        return cohorts[key]

    mine = Learner.college_id == college.id
    for pid, year, n in db.session.execute(
        sa.select(Learner.programme_id, Learner.graduation_year, sa.func.count(Learner.id))
        .where(mine)
        .group_by(Learner.programme_id, Learner.graduation_year)
    ):
        cohort(pid, year).learners = n
    for pid, year, status, n in db.session.execute(
        sa.select(
            Learner.programme_id, Learner.graduation_year, Application.status,
            sa.func.count(Application.id),
        )
        .join(Learner, Learner.id == Application.learner_id)
        .where(mine)
        .group_by(Learner.programme_id, Learner.graduation_year, Application.status)
    ):  # fmt: skip
        cohort(pid, year).statuses[status] = n
    for pid, year, n in db.session.execute(
        sa.select(
            Learner.programme_id, Learner.graduation_year,
            sa.func.count(sa.distinct(Application.learner_id)),
        )
        .join(Learner, Learner.id == Application.learner_id)
        .where(mine, Application.status == ApplicationStatus.HIRED)
        .group_by(Learner.programme_id, Learner.graduation_year)
    ):  # fmt: skip
        cohort(pid, year).hired_learners = n
    return sorted(
        cohorts.values(),
        key=lambda c: (
            c.programme is None,
            c.programme.name if c.programme else "",
            -(c.year or 0),
        ),
    )
