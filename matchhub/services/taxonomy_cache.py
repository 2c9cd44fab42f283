"""The taxonomy as the web app uses it: a normaliser built from the database, cached per process.

Each worker keeps one normaliser. It is rebuilt when the taxonomy in the
database changes (a new skill, alias or merge): the one version of
:mod:`matchhub.services.cache_version` (one primary-key read) tells that something
changed, and its log whether the taxonomy did, so no worker keeps normalising with
a stale taxonomy.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable

import sqlalchemy as sa
from flask import current_app

from matchhub.extensions import db
from matchhub.matching.extract import Extractor
from matchhub.matching.normalize import Normalized, Normalizer
from matchhub.matching.taxonomy import Taxonomy, load_taxonomy
from matchhub.models import Skill, SkillAlias
from matchhub.services import cache_version

_lock = threading.Lock()


def _taxonomy_moved(state: dict, now: cache_version.Version | None) -> bool:
    """Whether the normaliser in ``state`` misses a taxonomy change up to ``now``;
    advances its version when the changes since were about other things."""
    if "normalizer" not in state or state.get("redo"):
        return True
    built = state["built"]
    if not cache_version.follows(built, now):
        return True
    if now is None or now.number == built[1]:
        return False
    if cache_version.changes_between(db.session, built[1], now.number).taxonomy:
        return True
    # Not past this transaction's own bumps: they may still roll back.
    state["built"] = (now.epoch, now.committed)
    return False


def database_taxonomy() -> Taxonomy:
    """The taxonomy as stored: shipped skills plus whatever the province office added."""
    aliases: dict[int, list[str]] = defaultdict(list)
    for skill_id, term in db.session.execute(sa.select(SkillAlias.skill_id, SkillAlias.term)):
        aliases[skill_id].append(term)
    skills = db.session.scalars(
        sa.select(Skill).where(Skill.merged_into_id.is_(None)).order_by(Skill.id)
    )
    return Taxonomy.from_records(
        {
            "id": s.slug,
            "name_en": s.name_en,
            "name_vi": s.name_vi,
            "category": s.category,
            "esco_uri": s.esco_uri,
            "onet": s.onet,
            "aliases": aliases.get(s.id, []),
        }
        for s in skills
    )


def normalizer() -> Normalizer:
    """This worker's normaliser over the database taxonomy, rebuilt when the taxonomy changes."""
    state = current_app.extensions.setdefault("matchhub.engine", {})
    now = cache_version.current(db.session)
    with _lock:
        if _taxonomy_moved(state, now):
            state["normalizer"] = Normalizer(database_taxonomy())
            # Each build is a new generation: the relations and vocabulary follow it.
            state["generation"] = state.get("generation", 0) + 1
            state["built"] = (now.epoch, now.committed) if now is not None else None
            # Built from this transaction's uncommitted taxonomy: build again next time.
            state["redo"] = bool(now and now.own and now.own.taxonomy)
    return state["normalizer"]


def implications() -> dict[str, tuple[str, ...]]:
    """Which skill implies which (React > JavaScript), from the shipped taxonomy,
    limited to the skills the database still has unmerged. Rebuilt with the normaliser."""
    return _relation("implications", lambda taxonomy: taxonomy.implications())


def related() -> dict[str, tuple[str, ...]]:
    """Which skills are related (Windows ~ Windows Server, SQL ~ MySQL): partial
    evidence, never the same skill. Symmetric, from the shipped taxonomy (see
    ``Taxonomy.related``), limited to the skills the database still has unmerged.
    Rebuilt with the normaliser."""
    return _relation("related", lambda taxonomy: taxonomy.related())


def _relation(
    name: str, read: Callable[[Taxonomy], dict[str, tuple[str, ...]]]
) -> dict[str, tuple[str, ...]]:
    """A relation of the shipped taxonomy without the skills the database lacks,
    cached in this worker's engine state for the normaliser's generation."""
    normalizer()  # brings the cached state up to the database's taxonomy
    state = current_app.extensions["matchhub.engine"]
    if state.get(f"{name}_for") != state["generation"]:
        known = state["normalizer"].taxonomy
        state[name] = {
            source: kept
            for source, targets in read(load_taxonomy()).items()
            if source in known and (kept := tuple(t for t in targets if t in known))
        }
        state[f"{name}_for"] = state["generation"]
    return state[name]


def extractor() -> Extractor:
    """This worker's extractor, one per normaliser: rebuilt only when the taxonomy changes."""
    normalizer_ = normalizer()
    state = current_app.extensions.setdefault("matchhub.extractor", {})
    if state.get("normalizer") is not normalizer_:
        state["extractor"] = Extractor(normalizer_)
        state["normalizer"] = normalizer_
    return state["extractor"]


def normalize_terms(terms: list[str]) -> list[Normalized]:
    """Normalise free-text skill terms; unknown ones come back with ``skill_id=None``."""
    return normalizer().normalize_many(terms)
