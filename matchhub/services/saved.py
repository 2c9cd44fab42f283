"""A learner's saved openings: save and unsave (idempotent), and the "Saved" page.

Only a live job or internship can be saved (``security.PUBLIC``: anything else is the
same 404 as an id that does not exist); a saved opening that closes later stays on
the list, shown closed, so that the learner is not left wondering where it went. The
rows are the learner's personal data (exported and erased by services/privacy.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from matchhub.extensions import db
from matchhub.matching.types import MatchResult
from matchhub.models import Learner, Order, SavedOrder, User
from matchhub.security import owned_or_404, public_or_404
from matchhub.services import pair_scores


def _saveable_or_404(order_id: int) -> Order:
    return public_or_404(Order, Order.id == order_id, Order.is_opening)


def save(learner: Learner, order_id: int) -> bool:
    """Save the live opening ``order_id`` for ``learner``; 404 when it is not one.

    Saving twice (a double click, two tabs) keeps one row. True when a row was added.
    """
    _saveable_or_404(order_id)
    if is_saved(learner, order_id):
        return False
    try:
        with db.session.begin_nested():
            db.session.add(SavedOrder(learner_id=learner.id, order_id=order_id))
    except IntegrityError:  # the same save from another request won the race
        return False
    db.session.commit()
    return True


def unsave(user: User, learner: Learner, order_id: int) -> bool:
    """Take ``order_id`` off the learner's saved list; True when it was on it.

    Unsaving what is not saved changes nothing, but only for an opening the learner
    could have saved: any other id is a 404, as everywhere.
    """
    if not is_saved(learner, order_id):
        _saveable_or_404(order_id)
        return False
    row = owned_or_404(SavedOrder, user, SavedOrder.order_id == order_id, write=True)
    db.session.delete(row)
    db.session.commit()
    return True


def is_saved(learner: Learner, order_id: int) -> bool:
    """Whether the learner saved ``order_id``."""
    return order_id in saved_ids(learner, (order_id,))


def saved_ids(learner: Learner, order_ids: Iterable[int]) -> frozenset[int]:
    """Those of ``order_ids`` the learner saved (one query; for a page of cards)."""
    wanted = list(dict.fromkeys(order_ids))
    if not wanted:
        return frozenset()
    return frozenset(
        db.session.scalars(
            sa.select(SavedOrder.order_id).where(
                SavedOrder.learner_id == learner.id, SavedOrder.order_id.in_(wanted)
            )
        )
    )


@dataclass(frozen=True)
class SavedItem:
    """One saved opening as the Saved page shows it: live or not, and the learner's
    score for it (the same score and tier as on the matches page)."""

    order: Order
    saved_at: object
    live: bool
    result: MatchResult | None


def saved_list(learner: Learner) -> list[SavedItem]:
    """The learner's saved openings, newest saved first, live and closed alike.

    Three queries (saved rows with their orders, organisations) plus the scoring of
    the openings through the match index (``pair_scores.scores_for_learner``).
    """
    rows = db.session.execute(
        sa.select(SavedOrder, Order.is_live)
        .join(Order, Order.id == SavedOrder.order_id)
        .where(SavedOrder.learner_id == learner.id)
        .options(selectinload(SavedOrder.order).selectinload(Order.organization))
        .order_by(SavedOrder.created_at.desc(), SavedOrder.id.desc())
    ).all()
    scores = pair_scores.scores_for_learner(learner, [row.order_id for row, _live in rows])
    return [
        SavedItem(row.order, row.created_at, bool(live), scores.get(row.order_id))
        for row, live in rows
    ]


def export_of(learner_id: int) -> list[dict]:
    """The saved openings for "export my data"."""
    rows = db.session.execute(
        sa.select(Order.title, SavedOrder.created_at)
        .join(Order, Order.id == SavedOrder.order_id)
        .where(SavedOrder.learner_id == learner_id)
        .order_by(SavedOrder.id)
    )
    return [{"order": title, "saved_at": at.isoformat()} for title, at in rows]


def erase(learner_id: int) -> None:
    """Forget the learner's saved openings (account deletion; the caller commits)."""
    db.session.execute(sa.delete(SavedOrder).where(SavedOrder.learner_id == learner_id))
