"""Scores and explanations of given pairs, and what a page needs to show them.

A learner's or an order's row becomes an engine profile through the one loader
(:mod:`matchhub.services.engine_profiles`) and is scored by this worker's index
(:mod:`matchhub.services.match_index`), so a pair has one score and one tier on every
page, in the API and in allocation rounds. Whole ranked pages are
:mod:`matchhub.services.ranked_pages`'.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from matchhub.extensions import db
from matchhub.matching.taxonomy import expand_skills
from matchhub.matching.types import LearnerProfile, MatchResult, OrderProfile
from matchhub.models import Learner, LearnerSkill, Order, OrderSkill, Skill, Visibility
from matchhub.services import engine_profiles
from matchhub.services.match_index import _holder, _slug_state, _State, _state

__all__ = [
    "explain",
    "inferred_skills",
    "inferred_skills_of",
    "is_matchable",
    "learner_profile",
    "order_profile",
    "pair_results",
    "scores_for_learner",
    "scores_for_order",
    "skill_names",
    "skills_of",
]

# ----------------------------------------------------------------- profiles of rows


def is_matchable(learner: Learner) -> bool:
    """Whether ``learner``'s visibility and consent let them appear in rankings."""
    return learner.visibility is not Visibility.HIDDEN and learner.consent_at is not None


def learner_profile(learner: Learner, state: _State | None = None) -> LearnerProfile:
    """The engine's view of a learner row (its skills must be loadable)."""
    return engine_profiles.learner_profile(learner, (state or _state()).vocab)


def order_profile(order: Order, state: _State | None = None) -> OrderProfile:
    """The engine's view of an order row, whatever its status (drafts can be previewed)."""
    return engine_profiles.order_profile(order, (state or _state()).vocab)


def _indexed_or_fresh(profile: LearnerProfile, state: _State) -> LearnerProfile:
    """The index's own copy of ``profile`` when it is equal, else ``profile``.

    Same scores either way; the index's copy lets it reuse the learner's hashed CV
    text instead of vectorising it again. O(profile size).
    """
    indexed = state.index.learner(profile.id) if state.index.has_learner(profile.id) else None
    return indexed if indexed == profile else profile


# ----------------------------------------------------------------- scores of pairs


def explain(order: Order, learner: Learner) -> MatchResult:
    """Score and explanation of one pair, from the rows as they are now. O(pair size)."""
    with _holder()["lock"]:
        state = _state()
        return state.index.explain(order_profile(order, state), learner_profile(learner, state))


def scores_for_learner(learner: Learner, order_ids: Iterable[int]) -> dict[int, MatchResult]:
    """The learner's score for each of ``order_ids`` (orders that exist; any status).

    For pre-filling allocation-round choices. Open orders are scored through the
    index; others (drafts, closed) from their rows. O(orders asked).
    """
    wanted = list(dict.fromkeys(order_ids))
    with _holder()["lock"]:
        state = _state()
        profile = learner_profile(learner, state)
        indexed = [i for i in wanted if i in state.orders]
        out = {
            r.order_id: r
            for r in (
                state.index.rank_orders(profile, k=len(indexed), candidates=indexed)
                if indexed
                else ()
            )
        }
        rest = [i for i in wanted if i not in out]
        if rest:
            for order in _orders_by_id(rest).values():
                out[order.id] = state.index.explain(order_profile(order, state), profile)
    return out


def scores_for_order(order: Order, learner_ids: Iterable[int]) -> dict[int, MatchResult]:
    """Each matchable learner of ``learner_ids``' score for ``order``.

    For pre-filling an enterprise's allocation-round ranking. Learners who are hidden
    or withdrew consent are left out: no ranking may show them. O(learners asked).
    """
    wanted = list(dict.fromkeys(learner_ids))
    with _holder()["lock"]:
        state = _state()
        indexed = [i for i in wanted if i in state.learners]
        if not indexed:
            return {}
        results = state.index.rank_learners(
            order_profile(order, state), k=len(indexed), candidates=indexed
        )
    return {r.learner_id: r for r in results}


def pair_results(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], MatchResult]:
    """Score and tier of each (order id, learner id) pair, whatever the order's status and
    the learner's visibility (a round's placements after it closed), as the pages score
    them. Learners in the index are scored by the index, grouped by order (the very
    ranking the candidates page makes); the others (hidden, consent withdrawn) are
    loaded and explained one by one. At most four queries for any number of pairs."""
    wanted = list(dict.fromkeys(pairs))
    if not wanted:
        return {}
    with _holder()["lock"]:
        state = _state()
        vocab = state.vocab
        orders = {
            p.id: p
            for p, _m in engine_profiles.load_orders(
                vocab, {o for o, _l in wanted}, live_only=False
            )
        }
        by_order: dict[int, list[int]] = defaultdict(list)
        loose: list[tuple[int, int]] = []
        for o, lr in wanted:
            if o not in orders:
                continue
            if lr in state.learners:
                by_order[o].append(lr)
            else:
                loose.append((o, lr))
        out: dict[tuple[int, int], MatchResult] = {}
        for o, ids in by_order.items():
            for r in state.index.rank_learners(orders[o], k=len(ids), candidates=ids):
                out[(o, r.learner_id)] = r
        if loose:
            learners = {
                p.id: p
                for p, _m in engine_profiles.load_learners(
                    vocab, {lr for _o, lr in loose}, matchable_only=False
                )
            }
            for o, lr in loose:
                if lr in learners:
                    out[(o, lr)] = state.index.explain(orders[o], learners[lr])
        return out


# ----------------------------------------------------------------- what pages show


def _inferred(state: _State, listed: list[tuple[str, int]]) -> frozenset[str]:
    own = {slug for slug, _ in listed}
    implied = expand_skills(listed, state.vocab.implies)
    return frozenset(slug for slug, _ in implied if slug not in own)


def inferred_skills(learner_ids: Iterable[int]) -> dict[int, frozenset[str]]:
    """For each learner, the skills the ranking credits them with only because a skill
    they listed implies it (React > JavaScript), so pages can say so. One query."""
    ids = list(dict.fromkeys(learner_ids))
    if not ids:
        return {}
    with _holder()["lock"]:
        state = _slug_state()
        listed: dict[int, list[tuple[str, int]]] = defaultdict(list)
        rows = db.session.execute(
            sa.select(LearnerSkill.learner_id, LearnerSkill.skill_id, LearnerSkill.level).where(
                LearnerSkill.learner_id.in_(ids), LearnerSkill.skill_id.is_not(None)
            )
        )
        for learner_id, skill_id, level in rows:
            slug = state.vocab.slug(skill_id)
            if slug is not None:
                listed[learner_id].append((slug, level))
        return {learner_id: _inferred(state, skills) for learner_id, skills in listed.items()}


def inferred_skills_of(learner: Learner) -> frozenset[str]:
    """:func:`inferred_skills` of one learner whose skills are loaded: no query."""
    with _holder()["lock"]:
        state = _slug_state()
        listed = [
            (slug, s.level)
            for s in learner.skills
            if (slug := state.vocab.slug(s.skill_id)) is not None
        ]
        return _inferred(state, listed)


def skill_names(results: Iterable[MatchResult], lang: str) -> dict[str, str]:
    """The names in ``lang`` of the skills named in ``results``' explanations, by engine
    id: what a page of results shows of them, in one query of three columns."""
    slugs = _slugs_in(results)
    if not slugs:
        return {}
    with _holder()["lock"]:
        # Kept with the index: a renamed or new skill is a taxonomy change, which rebuilds it.
        state = _holder()["state"]
        known = state.names.setdefault(lang, {}) if state is not None else {}
        missing = slugs - known.keys()
        if missing:
            rows = db.session.execute(
                sa.select(Skill.slug, Skill.name_en, Skill.name_vi).where(Skill.slug.in_(missing))
            )
            # As Skill.name: English when asked for, else Vietnamese.
            known.update(
                (slug, name_en if lang == "en" else name_vi) for slug, name_en, name_vi in rows
            )
        return {slug: known[slug] for slug in slugs if slug in known}


def _slugs_in(results: Iterable[MatchResult]) -> set[str]:
    return {
        slug
        for r in results
        for group in (r.matched, r.partial, r.missing, r.nice, r.related)
        for m in group
        for slug in (m.skill_id, m.via)
        if slug is not None
    }


def skills_of(results: Iterable[MatchResult]) -> dict[str, Skill]:
    """The Skill rows named in ``results``' explanations, by engine id, for display."""
    slugs = _slugs_in(results)
    if not slugs:
        return {}
    return {s.slug: s for s in db.session.scalars(sa.select(Skill).where(Skill.slug.in_(slugs)))}


def _orders_by_id(ids: list[int]) -> dict[int, Order]:
    if not ids:
        return {}
    rows = db.session.scalars(
        sa.select(Order)
        .where(Order.id.in_(ids))
        .options(
            selectinload(Order.skills).selectinload(OrderSkill.skill),
            selectinload(Order.organization),
        )
    )
    return {r.id: r for r in rows}
