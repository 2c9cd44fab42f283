"""Storage of the index: blocks of learners and orders, vocabularies, document frequencies.

Writes are patches, not rebuilds. Each side keeps a large *base* block and a small
*delta* block: an upsert marks the old row dead in the base (an alive mask) and puts
the profile in the delta; a removal marks it dead. The delta is rebuilt lazily at the
next query (O(delta size)) and folded into the base once it outgrows
``max(256, sqrt(base))`` rows (O(base nnz), vectorised, no re-tokenising): the
square root balances rebuilding the delta after each write against folding it. Document
frequencies (skill rarity over learners, token IDF over learners and orders) are
exact integer counts kept up to date on every write, and everything derived from
them (IDF vectors, TF-IDF norms, per-order weight sums, skill-profile norms) is
recomputed lazily from them, so a patched index ranks exactly like one built from
scratch.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from matchhub.matching import tfidf
from matchhub.matching.blocks import Block, Side
from matchhub.matching.rules import id_sort_key, learner_levels, locality_key, order_skills
from matchhub.matching.sparse import Doc, DocStore, doc_of, docs_coo, store_coo
from matchhub.matching.tfidf import TEXT_FEATURES, smooth_idf
from matchhub.matching.types import LearnerProfile, OrderProfile

__all__ = ["IndexStore"]


class IndexStore:
    """Learners and orders in blocks, their vocabularies and document frequencies,
    kept current by patches; the query side lives in :class:`~matchhub.matching.index.MatchIndex`.

    ``compact_at`` is the least delta size that is folded into the base.
    """

    def __init__(
        self,
        learners: Iterable[LearnerProfile],
        orders: Iterable[OrderProfile],
        *,
        compact_at: int,
    ) -> None:
        self.compact_at = compact_at
        self._skill_col: dict[str, int] = {}
        self._loc_code: dict[str, int] = {}
        self._loc_raw: dict[str | None, int] = {}
        self._skill_df = np.zeros(0, dtype=np.int64)
        self._text_df = np.zeros(TEXT_FEATURES, dtype=np.int64)
        self._n_docs = 0
        self._skill_version = 0
        self._text_version = 0
        self._skill_idf_cache: tuple[int, np.ndarray] | None = None
        self._skill_idf_memo: tuple[int, dict[str, float]] = (-1, {})
        self._text_idf_cache: tuple[int, np.ndarray] | None = None
        self._learners = Side()
        self._orders = Side()
        self._bulk_learners(list(learners))
        self._bulk_orders(list(orders))

    # ----------------------------------------------------------------- vocabularies

    def _skill(self, skill_id: str) -> int:
        col = self._skill_col.get(skill_id)
        if col is None:
            col = self._skill_col[skill_id] = len(self._skill_col)
            self._skill_df = np.append(self._skill_df, 0)
        return col

    def _loc(self, locality: str | None) -> int:
        # Localities repeat across a whole cohort: remember raw spellings.
        code = self._loc_raw.get(locality)
        if code is not None:
            return code
        key = locality_key(locality)
        if key is None:
            code = -1
        else:
            code = self._loc_code.get(key)
            if code is None:
                code = self._loc_code[key] = len(self._loc_code)
        self._loc_raw[locality] = code
        return code

    # ----------------------------------------------------------------- building

    def _cols_of(self, skill_ids: list[str]) -> np.ndarray:
        # New skills get columns in sorted order so a build does not depend on hashing.
        for skill_id in sorted(set(skill_ids).difference(self._skill_col)):
            self._skill(skill_id)
        return np.fromiter(
            map(self._skill_col.__getitem__, skill_ids), dtype=np.int64, count=len(skill_ids)
        )

    def _learner_coo(self, profiles: list[LearnerProfile], docs: tuple) -> dict:
        n = len(profiles)
        counts = np.fromiter((len(lp.skills) for lp in profiles), dtype=np.int64, count=n)
        skill_ids = [s for lp in profiles for s, _ in lp.skills]
        levels = np.array([lv for lp in profiles for _, lv in lp.skills], dtype=np.float64)
        rows = np.repeat(np.arange(n, dtype=np.int64), counts)
        cols = self._cols_of(skill_ids)
        # A skill listed twice keeps its highest level (as learner_levels() does);
        # sorting by (row, col, -level) also makes the entries row-major.
        key = rows * max(len(self._skill_col), 1) + cols
        order = np.lexsort((-levels, key))
        key = key[order]
        first = np.ones(len(key), dtype=bool)
        first[1:] = key[1:] != key[:-1]
        order = order[first]
        loc = np.array([self._loc(lp.locality) for lp in profiles], dtype=np.int64).reshape(n)
        p_rows, p_cols = [], []
        for r, lp in enumerate(profiles):
            if lp.preferred_localities:
                codes = {self._loc(p) for p in lp.preferred_localities} - {-1, int(loc[r])}
                for code in sorted(codes):
                    p_rows.append(r)
                    p_cols.append(code)
        return {
            "skills": (rows[order], cols[order], (levels[order],)),
            "pref": (np.asarray(p_rows, dtype=np.int64), np.asarray(p_cols, dtype=np.int64), ()),
            "text": docs,
            "loc": loc,
        }

    def _order_coo(self, profiles: list[OrderProfile], docs: tuple) -> dict:
        req = ([], [], [], [])
        nice = ([], [], [], [])
        n = len(profiles)
        loc = np.empty(n, dtype=np.int64)
        remote = np.zeros(n, dtype=bool)
        n_req = np.zeros(n, dtype=np.int64)
        n_unknown = np.zeros(n, dtype=np.int64)
        for r, op in enumerate(profiles):
            required, nice_reqs = order_skills(op)
            n_req[r] = len(required)
            n_unknown[r] = len(op.unknown_terms())
            for target, reqs in ((req, required), (nice, nice_reqs)):
                for sr in reqs:
                    target[0].append(r)
                    target[1].append(self._skill(sr.skill_id))
                    target[2].append(sr.level)
                    target[3].append(sr.weight)
            loc[r] = self._loc(op.locality)
            remote[r] = op.remote

        def pack(t):
            return (
                np.asarray(t[0], dtype=np.int64),
                np.asarray(t[1], dtype=np.int64),
                (np.asarray(t[2], dtype=np.float64), np.asarray(t[3], dtype=np.float64)),
            )

        return {
            "skills": pack(req),
            "nice": pack(nice),
            "text": docs,
            "loc": loc,
            "remote": remote,
            "n_req": n_req,
            "n_unknown": n_unknown,
        }

    def _bulk_learners(self, profiles: list[LearnerProfile]) -> None:
        side = self._learners
        side.profiles = {lp.id: lp for lp in profiles}
        profiles = list(side.profiles.values())
        ids = list(side.profiles)
        side.docs = DocStore([lp.text for lp in profiles], ids)
        coo = self._learner_coo(profiles, store_coo(side.docs))
        # Counted in bulk (one bincount) rather than per profile as patches do.
        self._skill_df += np.bincount(coo["skills"][1], minlength=len(self._skill_col))
        self._skill_version += 1
        self._count_docs_bulk(coo["text"][1], len(profiles))
        side.base = Block(ids, len(self._skill_col), len(self._loc_code), coo)
        side.base_row = {i: r for r, i in enumerate(ids)}
        side.delta = self._block_for(side, [], learners=True)

    def _bulk_orders(self, profiles: list[OrderProfile]) -> None:
        side = self._orders
        side.profiles = {op.id: op for op in profiles}
        profiles = list(side.profiles.values())
        ids = list(side.profiles)
        side.docs = DocStore([op.text for op in profiles], ids, tfidf.ORDER_HEADLINE)
        coo = self._order_coo(profiles, store_coo(side.docs))
        self._count_docs_bulk(coo["text"][1], len(profiles))
        side.base = Block(ids, len(self._skill_col), len(self._loc_code), coo)
        side.base_row = {i: r for r, i in enumerate(ids)}
        side.delta = self._block_for(side, [], learners=False)

    def _block_for(self, side: Side, ids: list, *, learners: bool) -> Block:
        profiles = [side.profiles[i] for i in ids]
        docs = docs_coo([side.docs.get(i) for i in ids])
        coo = self._learner_coo(profiles, docs) if learners else self._order_coo(profiles, docs)
        return Block(ids, len(self._skill_col), len(self._loc_code), coo)

    def _count_learner(self, lp: LearnerProfile, doc: Doc, sign: int) -> None:
        for skill_id in learner_levels(lp):
            # The column first: _skill() may grow (replace) the df array.
            col = self._skill(skill_id)
            self._skill_df[col] += sign
        self._skill_version += 1
        self._count_doc(doc, sign)

    def _count_docs_bulk(self, feats: np.ndarray, n_docs: int) -> None:
        self._text_df += np.bincount(feats, minlength=TEXT_FEATURES)
        self._n_docs += n_docs
        self._text_version += 1

    def _count_doc(self, doc: Doc, sign: int) -> None:
        self._text_df[doc.feats] += sign
        self._n_docs += sign
        self._text_version += 1

    # ----------------------------------------------------------------- patching

    def _upsert(self, side: Side, profile, *, learners: bool) -> None:
        if profile.id in side.profiles:
            self._remove(side, profile.id, learners=learners)
        doc = doc_of(profile.text, 1.0 if learners else tfidf.ORDER_HEADLINE)
        side.profiles[profile.id] = profile
        side.docs.put(profile.id, doc)
        if learners:
            self._count_learner(profile, doc, +1)
        else:
            self._count_doc(doc, +1)
        side.delta_profiles[profile.id] = profile
        side.delta_dirty = True
        side._rank_cache = None

    def _remove(self, side: Side, item_id, *, learners: bool) -> bool:
        profile = side.profiles.pop(item_id, None)
        if profile is None:
            return False
        doc = side.docs.pop(item_id)
        if learners:
            self._count_learner(profile, doc, -1)
        else:
            self._count_doc(doc, -1)
        if side.delta_profiles.pop(item_id, None) is not None:
            side.delta_dirty = True
        else:
            side.base.alive[side.base_row[item_id]] = False
        side._rank_cache = None
        return True

    def upsert_learner(self, learner: LearnerProfile) -> None:
        """Add ``learner`` or replace the learner with its id. O(profile) now, O(delta) later."""
        self._upsert(self._learners, learner, learners=True)

    def remove_learner(self, learner_id) -> bool:
        """Drop a learner; True if it was there. O(profile)."""
        return self._remove(self._learners, learner_id, learners=True)

    def upsert_order(self, order: OrderProfile) -> None:
        """Add ``order`` or replace the order with its id. O(profile) now, O(delta) later."""
        self._upsert(self._orders, order, learners=False)

    def remove_order(self, order_id) -> bool:
        """Drop an order; True if it was there. O(profile)."""
        return self._remove(self._orders, order_id, learners=False)

    def _fresh(self, side: Side, *, learners: bool) -> Side:
        """Bring the delta block (and, when it outgrew its bound, the base) up to date."""
        if not side.delta_dirty:
            return side
        if len(side.delta_profiles) > max(self.compact_at, math.isqrt(side.base.n)):
            self._fold(side, learners=learners)
        side.delta = self._block_for(side, list(side.delta_profiles), learners=learners)
        side.delta_dirty = False
        side._rank_cache = None
        return side

    def _fold(self, side: Side, *, learners: bool) -> None:
        fresh = self._block_for(side, list(side.delta_profiles), learners=learners)
        side.base = Block.merge(side.base, fresh, len(self._skill_col), len(self._loc_code))
        side.base_row = {i: r for r, i in enumerate(side.base.ids)}
        side.delta_profiles = {}
        side.delta_dirty = True

    def compact(self) -> None:
        """Fold every patch into the base blocks now. O(total size), vectorised.

        Queries do this on their own once a delta outgrows its bound; a server may
        call it from a quiet moment instead, so that no request pays for it.
        """
        for side, learners in ((self._learners, True), (self._orders, False)):
            if side.delta_profiles or not side.base.alive.all():
                self._fold(side, learners=learners)
            self._fresh(side, learners=learners)

    # ----------------------------------------------------------------- statistics

    @property
    def n_learners(self) -> int:
        """Number of learners in the index."""
        return len(self._learners)

    @property
    def n_orders(self) -> int:
        """Number of orders in the index."""
        return len(self._orders)

    def has_learner(self, learner_id) -> bool:
        """Whether a learner with this id is in the index. O(1)."""
        return learner_id in self._learners.profiles

    def has_order(self, order_id) -> bool:
        """Whether an order with this id is in the index. O(1)."""
        return order_id in self._orders.profiles

    def learner(self, learner_id) -> LearnerProfile:
        """The stored profile of a learner; KeyError when absent."""
        return self._learners.profiles[learner_id]

    def order(self, order_id) -> OrderProfile:
        """The stored profile of an order; KeyError when absent."""
        return self._orders.profiles[order_id]

    def learner_ids(self) -> tuple:
        """Every learner id, in id order."""
        return tuple(sorted(self._learners.profiles, key=id_sort_key))

    def order_ids(self) -> tuple:
        """Every order id, in id order."""
        return tuple(sorted(self._orders.profiles, key=id_sort_key))

    def skill_idf(self, skill_id: str) -> float:
        """Rarity of ``skill_id`` among the learners: ``ln((1+N)/(1+df)) + 1``. O(1)."""
        cache = self._skill_idf_memo
        if cache[0] != self._skill_version:
            cache = self._skill_idf_memo = (self._skill_version, {})
        value = cache[1].get(skill_id)
        if value is None:
            col = self._skill_col.get(skill_id)
            df = int(self._skill_df[col]) if col is not None else 0
            value = cache[1][skill_id] = float(smooth_idf(df, len(self._learners)))
        return value

    def skill_supply(self) -> dict[str, int]:
        """Number of learners holding each skill (skills held by nobody omitted)."""
        return {s: int(self._skill_df[c]) for s, c in self._skill_col.items() if self._skill_df[c]}

    def _skill_idf_array(self) -> np.ndarray:
        cache = self._skill_idf_cache
        if cache is None or cache[0] != self._skill_version or len(cache[1]) != len(self._skill_df):
            # Same math.log path as skill_idf() so both agree to the last bit.
            n = len(self._learners)
            arr = np.array([smooth_idf(int(d), n) for d in self._skill_df], dtype=np.float64)
            cache = self._skill_idf_cache = (self._skill_version, arr)
        return cache[1]

    def _text_idf_array(self) -> np.ndarray:
        cache = self._text_idf_cache
        if cache is None or cache[0] != self._text_version:
            cache = self._text_idf_cache = (
                self._text_version,
                smooth_idf(self._text_df, self._n_docs),
            )
        return cache[1]

    # ----------------------------------------------------------------- query documents

    def _query_doc(self, side: Side, profile) -> Doc:
        if side.profiles.get(profile.id) is profile:
            return side.docs.get(profile.id)
        return doc_of(profile.text, _headline(profile))


def _headline(profile) -> float:
    """Weight of the first line of ``profile``'s text (orders' titles; see tfidf)."""
    return tfidf.ORDER_HEADLINE if isinstance(profile, OrderProfile) else 1.0
