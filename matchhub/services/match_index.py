"""The matching engine's index as each worker keeps it: built from the database, never stale.

Each worker process keeps one :class:`~matchhub.matching.index.MatchIndex` in
``current_app.extensions``, holding the learners who may be matched (visibility not
hidden *and* consent given) and the open orders of verified organisations. Pages
never recompute the whole market: they rank against this index.

Freshness is :mod:`matchhub.services.cache_version`'s: every transaction that changes
learners, orders, organisations' verification or the taxonomy bumps one version and
logs the changed rows, without the writer doing anything. Before serving, a worker
reads the version (one primary-key lookup per call); when it moved, the worker
reloads just the logged rows and upserts or removes them in the index, or rebuilds
when the log says "all" (or "taxonomy"), or too much changed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Collection, Hashable
from dataclasses import dataclass, field
from typing import Any

from flask import current_app

from matchhub.extensions import db
from matchhub.matching.index import MatchIndex
from matchhub.matching.rank import Weights, weights_from_mapping
from matchhub.matching.types import LearnerProfile, OrderProfile
from matchhub.services import cache_version, engine_profiles

#: A patch reloads at most this many rows per side; beyond it a rebuild is cheaper.
PATCH_LIMIT = 2000
#: Pages of ranked results a worker keeps for the current version (least recently used go).
RANKED_CACHE_SIZE = 2048
_EXT = "matchhub.matching"


# ----------------------------------------------------------------- freshness


def version() -> tuple[str, int] | None:
    """The database's ``(epoch, version)`` of matching data (None before the first change)."""
    now = cache_version.current(db.session)
    return now.key if now is not None else None


def orders_changed(since: tuple[str, int], until: tuple[str, int]) -> bool:
    """Whether an order, the taxonomy or everything changed after version ``since`` up to
    ``until``.

    True when the log cannot tell: another epoch, an older ``until``, or a gap longer
    than the log keeps. Learner changes alone answer False: what is cached from orders
    only (the demand reports) stays good. One query when the versions differ.
    """
    if (
        since[0] != until[0]
        or until[1] < since[1]
        or until[1] - since[1] > cache_version.RETAIN_VERSIONS
    ):
        return True
    if until[1] == since[1]:
        return False
    changed = cache_version.changes_between(db.session, since[1], until[1])
    return bool(changed.orders or changed.taxonomy or changed.everything)


@dataclass
class _State:
    index: MatchIndex | None
    # (epoch, version) of the database this index shows; None: no version row yet
    built: tuple[str, int] | None
    # skill ids as engine ids, and implications (React > JavaScript): learners are
    # ranked with what their skills imply, so one who lists React is not "missing" it
    vocab: engine_profiles.Vocabulary
    learners: dict[int, engine_profiles.LearnerMeta] = field(default_factory=dict)
    orders: dict[int, engine_profiles.OrderMeta] = field(default_factory=dict)
    # rows patched in from a transaction that had not committed: reloaded next time
    redo: cache_version.Changes | None = None
    # ranked pages for this version (see ranked_cache), and skill names by language
    ranked: OrderedDict[Hashable, Any] = field(default_factory=OrderedDict)
    names: dict[str, dict[str, str]] = field(default_factory=dict)

    def cached(self, key: Hashable, compute):
        """``compute()`` for ``key``, kept while this index is at the same version.

        For results that depend only on the database (which the version covers) and
        ``key``. Nothing is kept while the index shows a transaction's uncommitted
        writes. Call with the holder's lock held. Bounded LRU."""
        if self.redo is not None or self.built is None:
            return compute()
        hit = self.ranked.get(key)
        if hit is not None:
            self.ranked.move_to_end(key)
            return hit
        value = self.ranked[key] = compute()
        if len(self.ranked) > RANKED_CACHE_SIZE:
            self.ranked.popitem(last=False)
        return value


def _holder() -> dict[str, Any]:
    return current_app.extensions.setdefault(_EXT, {"lock": threading.RLock(), "state": None})


def _state() -> _State:
    """This worker's index, brought up to the database's version.

    One primary-key read per call (not cached per request: a page that writes and
    then ranks must see its own write).
    """
    holder = _holder()
    now = cache_version.current(db.session)
    with holder["lock"]:
        state = holder["state"]
        if (
            state is None
            or not cache_version.follows(state.built, now)
            or (
                now is not None
                and (now.number > state.built[1] or state.redo)
                and not _patch(state, now)
            )
        ):
            state = _build(now)
        if now is not None and now.own:
            # Served from this transaction's own writes: the next call reloads those
            # rows from whatever was committed (or rolled back) by then.
            state.built = (now.epoch, now.committed)
            state.redo = now.own
            state.ranked.clear()
        holder["state"] = state
    return state


def _load_learners(state: _State, ids: Collection[int] | None) -> list[LearnerProfile]:
    """Matchable learners (all, or those of ``ids``) as profiles; updates ``state.learners``."""
    out = []
    for profile, meta in engine_profiles.load_learners(state.vocab, ids):
        state.learners[profile.id] = meta
        out.append(profile)
    return out


def _load_orders(state: _State, ids: Collection[int] | None) -> list[OrderProfile]:
    """Live openings (all, or those of ``ids``) as profiles: what learners' matches, next
    skill advice and alerts rank. Training orders are addressed to colleges: never here."""
    out = []
    for profile, meta in engine_profiles.load_orders(state.vocab, ids, openings_only=True):
        state.orders[profile.id] = meta
        out.append(profile)
    return out


def _weights() -> Weights | None:
    values = current_app.config.get("MATCHING_WEIGHTS")
    return weights_from_mapping(values) if values else None


def _build(now: cache_version.Version | None) -> _State:
    """Load every matchable learner and live order and index them. O(market size)."""
    built = now.key if now is not None else None
    state = _State(index=None, built=built, vocab=engine_profiles.vocabulary())
    learners = _load_learners(state, None)
    orders = _load_orders(state, None)
    state.index = MatchIndex(learners, orders, _weights(), related=engine_profiles.related())
    return state


def _patch(state: _State, now: cache_version.Version) -> bool:
    """Apply the logged changes after ``state.built``; False when a rebuild is due."""
    changes = cache_version.changes_between(db.session, state.built[1], now.number)
    if state.redo is not None:
        changes.learners |= state.redo.learners
        changes.orders |= state.redo.orders
        changes.taxonomy |= state.redo.taxonomy
        changes.everything |= state.redo.everything
    learner_ids, order_ids = changes.learners, changes.orders
    if (
        changes.everything
        or changes.taxonomy
        or max(len(learner_ids), len(order_ids)) > max(PATCH_LIMIT, state.index.n_learners // 20)
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
    state.built = now.key
    state.redo = None
    state.ranked.clear()
    return True


def _slug_state() -> _State:
    """This worker's state for slug and implication lookups: as built, without the
    version read (neither goes stale in a way that matters: a new skill's slug is
    fetched on a miss, implications only change with a new release)."""
    return _holder()["state"] or _state()
