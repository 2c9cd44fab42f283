"""The matching engine's index as each worker keeps it: built from the database, never stale.

Each worker process keeps one :class:`~matchhub.matching.index.MatchIndex` in
``current_app.extensions``, holding the learners who may be matched (visibility not
hidden *and* consent given) and the open orders of verified organisations. Pages
never recompute the whole market: they rank against this index.

Freshness. Every service that changes learners, their skills, visibility or consent,
orders or their skills (or an organisation's verification) calls :func:`touch` before
it commits: it bumps ``EngineState.version`` in the same transaction and logs the
changed learner and order ids in ``EngineChange``. Because the bump is an ``UPDATE``
of one row, concurrent writers are serialised by that row's lock, so versions are
committed in order and a reader that sees version ``V`` also sees every change up to
``V``. Before serving, a worker reads the version (one primary-key lookup per
request); when it moved, the worker reloads just the logged rows and upserts or
removes them in the index, or rebuilds when the log says "everything" or too much
changed. With no ``EngineState`` row at all (a database nobody touched yet) nothing
can be trusted, so the index is rebuilt at every request until the first touch.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from matchhub.extensions import db
from matchhub.matching.index import MatchIndex
from matchhub.matching.rank import Weights, weights_from_mapping
from matchhub.matching.types import LearnerProfile, OrderProfile
from matchhub.models import EngineChange, EngineState, Learner, Order, utcnow
from matchhub.services import engine_profiles

KEY = "matching"
#: Versions of change log kept; a worker further behind than this rebuilds.
RETAIN_VERSIONS = 5000
#: A patch reloads at most this many rows per side; beyond it a rebuild is cheaper.
PATCH_LIMIT = 2000
_EXT = "matchhub.matching"


# ----------------------------------------------------------------- freshness


def touch(
    *,
    learners: Iterable[Learner | int] = (),
    orders: Iterable[Order | int] = (),
    everything: bool = False,
) -> int:
    """Record that ``learners`` and/or ``orders`` changed (or ``everything``); flushes.

    Call it in the writing transaction, just before the commit, with the rows whose
    matching data changed (skills, CV text, locality, visibility, consent; an order's
    text, skills, status, locality). Called with no rows it means "everything": use
    that for bulk writes (imports, verification of an organisation, the demo seed).
    Returns the new version. O(rows).
    """
    db.session.flush()
    learner_ids = {x if isinstance(x, int) else x.id for x in learners}
    order_ids = {x if isinstance(x, int) else x.id for x in orders}
    if not learner_ids and not order_ids:
        everything = True
    version = _bump()
    changes = [{"version": version, "kind": "learner", "object_id": i} for i in learner_ids]
    changes += [{"version": version, "kind": "order", "object_id": i} for i in order_ids]
    if everything:
        changes.append({"version": version, "kind": "all", "object_id": None})
    if changes:
        now = utcnow()
        db.session.execute(sa.insert(EngineChange), [{**c, "created_at": now} for c in changes])
    if version % 500 == 0:
        # Workers further behind than the window rebuild anyway; keep the log small.
        db.session.execute(
            sa.delete(EngineChange).where(EngineChange.version <= version - RETAIN_VERSIONS)
        )
    return version


def _bump() -> int:
    """Increment the version row (creating it on first use); the row lock orders writers."""
    update = (
        sa.update(EngineState)
        .where(EngineState.key == KEY)
        .values(version=EngineState.version + 1, updated_at=utcnow())
        .returning(EngineState.version)
    )
    version = db.session.execute(update).scalar()
    if version is not None:
        return version
    # First touch of this database: create the row unless a concurrent writer just did.
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    db.session.execute(
        dialect.insert(EngineState)
        .values(key=KEY, version=0, epoch=uuid.uuid4().hex, updated_at=utcnow())
        .on_conflict_do_nothing(index_elements=["key"])
    )
    return db.session.execute(update).scalar_one()


def _db_version() -> tuple[str, int] | None:
    row = db.session.execute(
        sa.select(EngineState.epoch, EngineState.version).where(EngineState.key == KEY)
    ).first()
    return (row.epoch, row.version) if row else None


def version() -> tuple[str, int] | None:
    """The database's ``(epoch, version)`` of matching data (None before the first touch)."""
    return _db_version()


def orders_changed(since: tuple[str, int], until: tuple[str, int]) -> bool:
    """Whether an order (or everything) was touched after version ``since`` up to ``until``.

    True when the log cannot tell: another epoch, an older ``until``, or a gap longer
    than the log keeps. Learner changes alone answer False: what is cached from orders
    only (the demand reports) stays good. One query when the versions differ.
    """
    if since[0] != until[0] or until[1] < since[1] or until[1] - since[1] > RETAIN_VERSIONS:
        return True
    if until[1] == since[1]:
        return False
    return (
        db.session.scalar(
            sa.select(EngineChange.version)
            .where(
                EngineChange.version > since[1],
                EngineChange.version <= until[1],
                EngineChange.kind.in_(("order", "all")),
            )
            .limit(1)
        )
        is not None
    )


@dataclass
class _State:
    index: MatchIndex | None
    epoch: str | None
    version: int
    # skill ids as engine ids, and implications (React > JavaScript): learners are
    # ranked with what their skills imply, so one who lists React is not "missing" it
    vocab: engine_profiles.Vocabulary
    learners: dict[int, engine_profiles.LearnerMeta] = field(default_factory=dict)
    orders: dict[int, engine_profiles.OrderMeta] = field(default_factory=dict)


def _holder() -> dict[str, Any]:
    return current_app.extensions.setdefault(_EXT, {"lock": threading.RLock(), "state": None})


def _state() -> _State:
    """This worker's index, brought up to the database's version.

    One primary-key read per call (not cached per request: a page that writes and
    then ranks must see its own write).
    """
    holder = _holder()
    current = _db_version()
    with holder["lock"]:
        state = holder["state"]
        if current is None:
            state = _build(None, 0)
        elif _stale(state, *current) or (
            current[1] > state.version and not _patch(state, current[1])
        ):
            state = _build(*current)
        holder["state"] = state
    return state


def _stale(state: _State | None, epoch: str, version: int) -> bool:
    """True when ``state`` cannot be patched up to ``version``: it must be rebuilt."""
    return (
        state is None
        or state.epoch != epoch
        or version < state.version
        or version - state.version > RETAIN_VERSIONS
    )


def _load_learners(state: _State, ids: Collection[int] | None) -> list[LearnerProfile]:
    """Matchable learners (all, or those of ``ids``) as profiles; updates ``state.learners``."""
    out = []
    for profile, meta in engine_profiles.load_learners(state.vocab, ids):
        state.learners[profile.id] = meta
        out.append(profile)
    return out


def _load_orders(state: _State, ids: Collection[int] | None) -> list[OrderProfile]:
    """Open orders of verified organisations (all, or those of ``ids``) as profiles."""
    out = []
    for profile, meta in engine_profiles.load_orders(state.vocab, ids):
        state.orders[profile.id] = meta
        out.append(profile)
    return out


def _weights() -> Weights | None:
    values = current_app.config.get("MATCHING_WEIGHTS")
    return weights_from_mapping(values) if values else None


def _build(epoch: str | None, version: int) -> _State:
    """Load every matchable learner and live order and index them. O(market size)."""
    state = _State(index=None, epoch=epoch, version=version, vocab=engine_profiles.vocabulary())
    learners = _load_learners(state, None)
    orders = _load_orders(state, None)
    state.index = MatchIndex(learners, orders, _weights(), related=engine_profiles.related())
    return state


def _patch(state: _State, version: int) -> bool:
    """Apply the logged changes after ``state.version``; False when a rebuild is due."""
    rows = db.session.execute(
        sa.select(EngineChange.kind, EngineChange.object_id).where(
            EngineChange.version > state.version, EngineChange.version <= version
        )
    ).all()
    learner_ids = {i for kind, i in rows if kind == "learner"}
    order_ids = {i for kind, i in rows if kind == "order"}
    if any(kind == "all" for kind, _ in rows) or max(len(learner_ids), len(order_ids)) > max(
        PATCH_LIMIT, state.index.n_learners // 20
    ):
        return False
    if learner_ids:
        fresh = _load_learners(state, learner_ids)
        for profile in fresh:
            state.index.upsert_learner(profile)
        for gone in learner_ids - {p.id for p in fresh}:
            state.index.remove_learner(gone)
            state.learners.pop(gone, None)
    if order_ids:
        fresh = _load_orders(state, order_ids)
        for profile in fresh:
            state.index.upsert_order(profile)
        for gone in order_ids - {p.id for p in fresh}:
            state.index.remove_order(gone)
            state.orders.pop(gone, None)
    state.version = version
    return True


def _slug_state() -> _State:
    """This worker's state for slug and implication lookups: as built, without the
    version read (neither goes stale in a way that matters: a new skill's slug is
    fetched on a miss, implications only change with a new release)."""
    return _holder()["state"] or _state()
