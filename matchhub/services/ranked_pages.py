"""Ranked pages: the candidates for an order and the matches of a learner, with reasons.

Both rank through this worker's index (:mod:`matchhub.services.match_index`, fresh
through :mod:`matchhub.services.cache_version`); a ranked page is kept per index
version, so the next view of it skips the ranking. The scores of given pairs and the
names a page shows live in :mod:`matchhub.services.pair_scores`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from matchhub.extensions import db
from matchhub.matching.types import MatchResult, Tier
from matchhub.models import (
    Application,
    ApplicationStatus,
    Learner,
    Order,
    OrderKind,
    Organization,
    SavedOrder,
    User,
)
from matchhub.services.match_index import _holder, _State, _state
from matchhub.services.pair_scores import _indexed_or_fresh, learner_profile, order_profile
from matchhub.services.result_page import ResultPage

__all__ = [
    "DEFAULT_TIER_FILTER",
    "TIER_FILTERS",
    "Candidate",
    "CandidateFilters",
    "Match",
    "OrderCard",
    "ResultPage",
    "candidates_for",
    "learner_to_match",
    "matches_for",
]

#: The pages' "show" filter and the API's ``tier`` parameter: the lowest tier kept.
TIER_FILTERS: dict[str, Tier | None] = {"near": Tier.NEAR, "meets": Tier.MEETS, "all": None}
#: What the candidates and matches pages show first: who meets or nearly meets.
DEFAULT_TIER_FILTER = "near"


@dataclass(frozen=True)
class CandidateFilters:
    """Filters of the candidates page; ``min_score`` is 0..1; ``min_tier`` keeps those
    at that tier or better (None: everyone)."""

    locality: str | None = None
    graduation_year: int | None = None
    programme_id: int | None = None
    min_score: float | None = None
    min_tier: Tier | None = None
    #: Only these learners (a name or keyword search's, ``learners.search_ids``).
    learner_ids: frozenset[int] | None = None


@dataclass(frozen=True)
class Candidate:
    """A ranked learner: the row, the engine's explanation, and any application to the order."""

    learner: Learner
    result: MatchResult
    application: Application | None
    rank: int


@dataclass(frozen=True)
class OrderCard:
    """What a match card shows of an order: plain columns, no skills (the explanation
    names them), so that a page of cards is one query."""

    id: int
    kind: OrderKind
    title: str
    organization_name: str
    locality: str | None
    remote: bool
    deadline: date | None
    salary_min: int | None = None
    salary_max: int | None = None


@dataclass(frozen=True)
class Match:
    """A ranked order for a learner, with the status of the learner's application to it
    if any (the template decides what the learner may see of it) and whether the
    learner saved it."""

    order: OrderCard
    result: MatchResult
    application_status: ApplicationStatus | None
    rank: int
    saved: bool = False


def _page_bounds(page: int, per_page: int) -> tuple[int, int]:
    page = max(1, page)
    return page, (page - 1) * per_page


def candidates_for(
    order: Order, filters: CandidateFilters | None = None, page: int = 1, per_page: int = 20
) -> ResultPage:
    """Ranked learners for ``order`` (best first) with explanations, one page of them.

    Only matchable learners (not hidden, consent given) are ever ranked, by tier,
    then score (the engine's one order). Filters narrow by locality, graduation
    year, programme, minimum score and minimum tier. O(learners holding the order's
    skills) numpy work + O(n log n) sorting of those left + O(page) explanations.
    """
    filters = filters or CandidateFilters()
    page, offset = _page_bounds(page, per_page)
    with _holder()["lock"]:
        state = _state()
        profile = order_profile(order, state)
        allowed = None
        if (
            filters.locality
            or filters.graduation_year
            or filters.programme_id
            or filters.learner_ids is not None
        ):
            allowed = [
                i
                for i, m in state.learners.items()
                if (filters.learner_ids is None or i in filters.learner_ids)
                and (not filters.locality or m.locality == filters.locality)
                and (not filters.graduation_year or m.graduation_year == filters.graduation_year)
                and (not filters.programme_id or m.programme_id == filters.programme_id)
            ]
        ranked = state.index.ranked_learner_ids(
            profile, allowed, min_score=filters.min_score or None, min_tier=filters.min_tier
        )
        total = len(ranked)
        page_ids = list(ranked[offset : offset + per_page])
        results = (
            state.index.rank_learners(profile, k=len(page_ids), candidates=page_ids)
            if page_ids
            else ()
        )
    rows = _learners_by_id(page_ids)
    apps = _applications(order_ids=[order.id], learner_ids=page_ids)
    items = [
        Candidate(rows[r.learner_id], r, apps.get((order.id, r.learner_id)), offset + n + 1)
        for n, r in enumerate(results)
        if r.learner_id in rows
    ]
    return ResultPage(items, page, per_page, total)


def matches_for(
    learner: Learner,
    kind: OrderKind | str | None = None,
    locality: str | None = None,
    page: int = 1,
    per_page: int = 20,
    min_tier: Tier | None = None,
    order_ids: frozenset[int] | None = None,
    min_score: float | None = None,
) -> ResultPage:
    """Open orders ranked for ``learner`` (tier, then score) with reasons, one page.

    ``kind`` keeps one kind of order; ``locality`` keeps orders there plus remote
    ones; ``order_ids`` only those (a keyword search's, ``openings.live_ids``);
    ``min_tier`` those the learner meets (``Tier.MEETS``) or at least nearly
    meets (``Tier.NEAR``); ``min_score`` (0..1) those scoring at least that (the weekly
    alerts' threshold). The learner's own row is scored (fresh), whatever their
    visibility: a hidden learner still sees their matches. Only the page is ranked:
    the index's top ``offset + per_page`` (pruned, O(orders needing the learner's
    skills) numpy work), with explanations for the page's rows; the total is the
    number of orders the filters keep (with ``min_tier``, one unsorted numpy pass
    over the eligible orders counts them). The ranked page is kept per index
    version (and learner and filters): the next view of it skips the ranking.
    Then one query loads the page's cards and the learner's applications to them.
    """
    kind_value = OrderKind(kind).value if kind else None
    page, offset = _page_bounds(page, per_page)
    with _holder()["lock"]:
        state = _state()
        # Every input is a row the cache version covers (the learner's own row too,
        # whatever their visibility): the page is kept for the version.
        key = (
            "matches",
            learner.id,
            kind_value,
            locality,
            min_tier,
            order_ids,
            offset,
            per_page,
            min_score,
        )
        total, results = state.cached(
            key,
            lambda: _rank_orders(
                state,
                learner,
                kind_value,
                locality,
                offset,
                per_page,
                min_tier,
                order_ids,
                min_score,
            ),
        )
    cards = _order_cards([r.order_id for r in results], learner.id)
    items = []
    for n, r in enumerate(results):
        if r.order_id in cards:  # not an order deleted since the ranking
            card, status, saved = cards[r.order_id]
            items.append(Match(card, r, status, offset + n + 1, saved))
    return ResultPage(items, page, per_page, total)


def _rank_orders(
    state: _State,
    learner: Learner,
    kind_value: str | None,
    locality: str | None,
    offset: int,
    per_page: int,
    min_tier: Tier | None,
    order_ids: frozenset[int] | None = None,
    min_score: float | None = None,
) -> tuple[int, tuple[MatchResult, ...]]:
    """The total the filters keep and one page of orders ranked for ``learner``."""
    profile = _indexed_or_fresh(learner_profile(learner, state), state)
    allowed = None
    if kind_value or locality or order_ids is not None:
        allowed = [
            i
            for i, m in state.orders.items()
            if (order_ids is None or i in order_ids)
            and (not kind_value or m.kind == kind_value)
            and (not locality or m.locality == locality or m.remote)
        ]
    if min_tier is None and min_score is None:
        # state.orders and the index hold the same orders, all of them eligible.
        total = state.index.n_orders if allowed is None else len(allowed)
    else:
        scores = state.index.order_scores(profile, allowed)
        kept = scores.tier >= int(min_tier or 0)
        if min_score is not None:
            kept &= scores.score >= min_score
        total = int(kept.sum())
    results = (
        state.index.rank_orders(
            profile,
            k=per_page,
            candidates=allowed,
            offset=offset,
            min_tier=min_tier,
            min_score=min_score,
        )
        if offset < total
        else ()
    )
    return total, tuple(results)


def learner_to_match(user: User) -> Learner | None:
    """``user``'s learner row with its skills, all that :func:`matches_for` reads of it;
    not the programme, college and Skill rows that profile pages load with it."""
    return (
        db.session.scalars(
            sa.select(Learner).where(Learner.user_id == user.id).options(joinedload(Learner.skills))
        )
        .unique()
        .one_or_none()
    )


# ----------------------------------------------------------------- row loading


def _learners_by_id(ids: list[int]) -> dict[int, Learner]:
    """Learner rows with programme and college; not their skills (a page of candidates
    shows the explanation's skills, and learners list twenty-odd skills each)."""
    if not ids:
        return {}
    rows = db.session.scalars(
        sa.select(Learner)
        .where(Learner.id.in_(ids))
        .options(selectinload(Learner.programme), selectinload(Learner.college))
    )
    return {r.id: r for r in rows}


def _order_cards(
    ids: list[int], learner_id: int
) -> dict[int, tuple[OrderCard, ApplicationStatus | None, bool]]:
    """The cards of orders ``ids`` with the status of ``learner_id``'s application to
    each (None without one) and whether the learner saved it: one query, plain
    columns (no ORM objects)."""
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(
            Order.id,
            Order.kind,
            Order.title,
            Organization.name,
            Order.locality,
            Order.remote,
            Order.deadline,
            Order.salary_min,
            Order.salary_max,
            Application.status,
            SavedOrder.order_id.is_not(None),
        )
        .join(Organization, Organization.id == Order.organization_id)
        .outerjoin(
            Application,
            # (order_id, learner_id) is unique: at most one row per order.
            sa.and_(Application.order_id == Order.id, Application.learner_id == learner_id),
        )
        .outerjoin(
            SavedOrder,  # (learner_id, order_id) is unique too
            sa.and_(SavedOrder.order_id == Order.id, SavedOrder.learner_id == learner_id),
        )
        .where(Order.id.in_(ids))
    )
    return {row[0]: (OrderCard(*row[:9]), row[9], bool(row[10])) for row in rows}


def _applications(order_ids: list[int], learner_ids: list[int]) -> dict[tuple[int, int], Any]:
    if not order_ids or not learner_ids:
        return {}
    rows = db.session.scalars(
        sa.select(Application).where(
            Application.order_id.in_(order_ids), Application.learner_id.in_(learner_ids)
        )
    )
    return {(a.order_id, a.learner_id): a for a in rows}
