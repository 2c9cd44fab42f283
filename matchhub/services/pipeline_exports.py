"""An order's pipeline as a file: the rows an enterprise exports, and the record that it did.

The export lists exactly the pipeline page's learners
(:func:`matchhub.services.applications.visible_pipeline`), with each one's score and
tier from the one ranking, and contact details only where the learner applied. The
view words the headers and writes the CSV or XLSX.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from matchhub.extensions import db
from matchhub.matching.types import MatchResult
from matchhub.models import ApplicationStatus, Learner, Order, User
from matchhub.services import ServiceError, audit, exports, pair_scores
from matchhub.services.applications import contact_visible, visible_pipeline


@dataclass(frozen=True)
class PipelineRow:
    """One line of the pipeline export, as data: the view words and formats it."""

    name: str
    status: ApplicationStatus
    result: MatchResult | None
    college: str | None
    programme: str | None
    graduation_year: int | None
    locality: str | None
    email: str | None
    phone: str | None
    updated_at: datetime


def export_pipeline(order: Order, user: User, fmt: str) -> list[PipelineRow]:
    """The order's pipeline (shortlist and later stages) for a ``fmt`` export; audited.

    It lists exactly the pipeline page's learners (:func:`visible_pipeline`); contact
    details appear only where the learner applied. The export is recorded (who, which
    learners, which format) before the file exists, in this transaction.
    """
    if fmt not in exports.MIMETYPES:
        raise ServiceError(_("Unknown export format."))
    apps = visible_pipeline(order)
    learners = {
        lr.id: lr
        for lr in db.session.scalars(
            sa.select(Learner)
            .where(Learner.id.in_([a.learner_id for a in apps]))
            .options(selectinload(Learner.programme), selectinload(Learner.college))
        )
    }
    scores = pair_scores.scores_for_order(order, list(learners))
    rows = []
    for a in apps:
        lr = learners[a.learner_id]
        visible = contact_visible(a)
        rows.append(
            PipelineRow(
                name=lr.full_name,
                status=a.status,
                result=scores.get(lr.id),
                college=lr.college.name if lr.college else None,
                programme=lr.programme.name if lr.programme else None,
                graduation_year=lr.graduation_year,
                locality=lr.locality,
                email=lr.email if visible else None,
                phone=lr.phone if visible else None,
                updated_at=a.updated_at,
            )
        )
    audit.record(
        "pipeline.exported",
        actor=user,
        organization_id=order.organization_id,
        obj=order,
        format=fmt,
        rows=len(rows),
        learner_ids=[a.learner_id for a in apps],
    )
    db.session.commit()
    return rows
