"""``flask match …``: rank learners and orders from JSON-lines files.

    flask --app wsgi match rank --orders orders.jsonl --learners learners.jsonl \\
        [--k 10] [--for learners|orders]

Orders are ``{"id", "title", "description", "required": [terms], "nice": [terms],
"locality"}`` (optional: ``"kind"`` job|internship|training, ``"remote"``,
``"headcount"``); learners are ``{"id", "text", "skills": [terms], "locality"}``
(optional ``"preferred_localities"``), and a learner without ``"skills"`` gets the
skills extracted from its text. A term is free text normalised to the taxonomy and
may carry a level, ``"python:4"`` (default level 3). Terms that match no skill are
left out and counted on stderr, except in an order's ``"required"``: there an
unrecognised term stays as an *unknown* requirement that every learner lacks (the
order then qualifies nobody until the term is mapped to a skill). An order whose
``"required"`` is missing or names no known skill takes its required skills from its
title and description, the way a learner without ``"skills"`` does (a skill it lists
as ``"nice"`` stays nice to have, and a skill its title names weighs
``TITLE_WEIGHT`` times the others); an order that names no skill anywhere qualifies
nobody. stderr says how many orders took their skills from their text. Skills the
taxonomy relates (SQL ~ MySQL) earn partial credit, never a match.

``--for learners`` (default) prints one line per learner,
``{"learner_id", "results": [{"order_id", "score", "tier", "qualifies", "matched",
"missing", "related", "unknown"}]}``, best order first; ``--for orders`` prints one
line per order, ``{"order_id", "results": [{"learner_id", ...}]}``. Results come by
``tier``, then ``score``: ``"meets"`` (every required skill at the level asked) before
``"near"`` (every one held, some a level short) before ``"missing"`` (a required skill
not held, or an unknown one); ``qualifies`` is true for meets and near. ``matched``
lists the required skills the learner holds (``learner_level`` below
``required_level`` means partial credit) and ``missing`` those it lacks, each
``{"skill_id", "required_level", "learner_level"}``; ``related`` are the missing ones
credited through a related skill the learner holds, with ``"via"`` naming it
(``learner_level`` is that skill's); ``unknown`` lists the order's unrecognised
required terms. Output streams line by line; a bad input line is reported on stderr
with its file and line number and skipped.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import click
from flask.cli import AppGroup

from matchhub.matching.extract import Extractor
from matchhub.matching.index import MatchIndex
from matchhub.matching.normalize import Normalizer
from matchhub.matching.taxonomy import expand_skills
from matchhub.matching.types import (
    DEFAULT_LEVEL,
    MAX_LEVEL,
    MIN_LEVEL,
    LearnerProfile,
    MatchResult,
    OrderProfile,
    SkillMatch,
    SkillReq,
)

#: Weight of a skill its title names, in an order whose skills come from its text (the
#: others weigh 1); measured on real postings in bench/ranking.py (docs/benchmarks.md).
TITLE_WEIGHT = 3.0

match_cli = AppGroup("match", help="Rank learners for orders and orders for learners.")


class BadLine(ValueError):
    """An input line that cannot become a profile; the message says why."""


class Terms:
    """Free-text terms to (skill id, level), with a cache: cohorts repeat their terms."""

    def __init__(self) -> None:
        self._normalizer = Normalizer.default()
        self.implications = self._normalizer.taxonomy.implications()
        related = getattr(self._normalizer.taxonomy, "related", None)
        # skill -> related skills (Windows ~ Windows Server), when the taxonomy has them
        self.related = related() if callable(related) else None
        self._extractor: Extractor | None = None
        self._cache: dict[str, str | None] = {}
        self.unknown = 0
        self.orders_from_text = 0
        self.orders_without_skills = 0

    def skill(self, term: str) -> str | None:
        if term not in self._cache:
            self._cache[term] = self._normalizer.normalize(term).skill_id
        return self._cache[term]

    def split(self, raw: Any) -> tuple[str, int]:
        """``"python:4"`` -> ("python", 4); a term without a level gets DEFAULT_LEVEL."""
        if not isinstance(raw, str):
            raise BadLine(f"a skill term must be a string, got {raw!r}")
        term, level = raw, DEFAULT_LEVEL
        head, sep, tail = raw.rpartition(":")
        if sep and tail.strip().isdigit():
            term, level = head, int(tail.strip())
            if not MIN_LEVEL <= level <= MAX_LEVEL:
                raise BadLine(f"level {level} in {raw!r} is not {MIN_LEVEL}..{MAX_LEVEL}")
        term = term.strip()
        if not term:
            raise BadLine(f"empty skill term {raw!r}")
        return term, level

    def parse_list(self, raw: Any, field: str) -> list[tuple[str, int]]:
        """The recognised (skill id, level) pairs of a term list."""
        return self.parse_terms(raw, field)[0]

    def parse_terms(self, raw: Any, field: str) -> tuple[list[tuple[str, int]], list[str]]:
        """The recognised (skill id, level) pairs of a term list, and the unrecognised terms
        (without their level), each counted in ``unknown``."""
        if raw is None:
            return [], []
        if not isinstance(raw, list):
            raise BadLine(f'"{field}" must be a list of terms')
        known: list[tuple[str, int]] = []
        unknown: list[str] = []
        for item in raw:
            term, level = self.split(item)
            skill_id = self.skill(term)
            if skill_id is None:
                self.unknown += 1
                unknown.append(term)
            else:
                known.append((skill_id, level))
        return known, unknown

    def extract(self, text: str) -> list[tuple[str, int]]:
        """The skills a free text names, each at DEFAULT_LEVEL, in order of mention."""
        if self._extractor is None:
            self._extractor = Extractor.default()
        return [(m.skill_id, DEFAULT_LEVEL) for m in self._extractor.extract(text)]


def _get_id(obj: dict) -> str | int:
    item_id = obj.get("id")
    if isinstance(item_id, bool) or not isinstance(item_id, str | int) or item_id == "":
        raise BadLine('"id" must be a non-empty string or an integer')
    return item_id


def _text(obj: dict, *fields: str) -> str:
    parts = []
    for field in fields:
        value = obj.get(field)
        if value is None:
            continue
        if not isinstance(value, str):
            raise BadLine(f'"{field}" must be a string')
        parts.append(value)
    return "\n".join(parts)


def _locality(obj: dict, field: str = "locality") -> str | None:
    value = obj.get(field)
    if value is not None and not isinstance(value, str):
        raise BadLine(f'"{field}" must be a string')
    return value


def _flag(obj: dict, field: str) -> bool:
    value = obj.get(field, False)
    if not isinstance(value, bool):
        raise BadLine(f'"{field}" must be true or false')
    return value


def order_profile(obj: dict, terms: Terms) -> OrderProfile:
    """An order line as the engine's profile (the module docstring says how)."""
    required, unknown = terms.parse_terms(obj.get("required"), "required")
    nice = terms.parse_list(obj.get("nice"), "nice")
    text = _text(obj, "title", "description")
    weights: dict[str, float] = {}
    if not required:
        # Without a recognised required skill an order would ask for nothing and
        # "qualify" everyone; its own words say what it needs, as a learner's text
        # does. A skill it lists as nice to have stays nice.
        listed_nice = {s for s, _ in nice}
        required = [p for p in terms.extract(text) if p[0] not in listed_nice]
        # A title names what the job is ("Java Backend Developer"); a long
        # description also names the tools around it, which should count less.
        weights = dict.fromkeys((s for s, _ in terms.extract(_text(obj, "title"))), TITLE_WEIGHT)
        terms.orders_from_text += 1
        terms.orders_without_skills += not required
    try:
        return OrderProfile(
            id=_get_id(obj),
            kind=obj.get("kind", "job"),
            required=tuple(SkillReq(s, lv, weights.get(s, 1.0)) for s, lv in required),
            nice=tuple(SkillReq(s, lv) for s, lv in nice),
            text=text,
            unknown_required=tuple(dict.fromkeys(unknown)),
            locality=_locality(obj),
            remote=_flag(obj, "remote"),
            headcount=obj.get("headcount", 1),
        )
    except (TypeError, ValueError) as exc:
        raise BadLine(str(exc)) from None


def learner_profile(obj: dict, terms: Terms) -> LearnerProfile:
    """A learner line as the engine's profile (the module docstring says how)."""
    text = _text(obj, "text")
    raw_skills = obj.get("skills")
    skills = terms.extract(text) if raw_skills is None else terms.parse_list(raw_skills, "skills")
    prefs = obj.get("preferred_localities", [])
    if not isinstance(prefs, list) or not all(isinstance(p, str) for p in prefs):
        raise BadLine('"preferred_localities" must be a list of strings')
    try:
        return LearnerProfile(
            id=_get_id(obj),
            # what the listed skills imply (React > JavaScript), as the web app ranks
            skills=expand_skills(skills, terms.implications),
            text=text,
            locality=_locality(obj),
            preferred_localities=tuple(prefs),
        )
    except (TypeError, ValueError) as exc:
        raise BadLine(str(exc)) from None


def _read(path: str, build: Callable[[dict], Any]) -> Iterator[Any]:
    """Profiles from a JSON-lines file; bad lines reported on stderr and skipped."""
    seen: set = set()
    with open(path, encoding="utf-8-sig") as fh:  # tolerate a BOM from spreadsheet exports
        for lineno, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                try:
                    obj = json.loads(raw)
                except json.JSONDecodeError as exc:
                    raise BadLine(f"not JSON ({exc.msg})") from None
                if not isinstance(obj, dict):
                    raise BadLine("not a JSON object")
                profile = build(obj)
                if profile.id in seen:
                    raise BadLine(f"duplicate id {profile.id!r}")
            except BadLine as exc:
                click.echo(f"{path}:{lineno}: skipped: {exc}", err=True)
                continue
            seen.add(profile.id)
            yield profile


def _skill_json(m: SkillMatch) -> dict:
    item = {
        "skill_id": m.skill_id,
        "required_level": m.required_level,
        "learner_level": m.learner_level,
    }
    if m.via is not None:
        item["via"] = m.via
    return item


def result_json(result: MatchResult, other_id: str) -> dict:
    """One result line item: the other side's id under ``other_id``, then the explanation."""
    return {
        other_id: result.learner_id if other_id == "learner_id" else result.order_id,
        "score": result.score,
        "tier": result.tier.label,
        "qualifies": result.qualifies,
        "matched": [_skill_json(m) for m in result.matched + result.partial],
        "missing": [_skill_json(m) for m in result.missing],
        "related": [_skill_json(m) for m in result.related],
        "unknown": list(result.unknown),
    }


@match_cli.command("rank")
@click.option(
    "--orders",
    "orders_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help='JSON lines: {"id", "title", "description", "required", "nice", "locality"}.',
)
@click.option(
    "--learners",
    "learners_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False),
    help='JSON lines: {"id", "text", "skills", "locality"}; terms may read "python:4".',
)
@click.option(
    "--k", default=10, show_default=True, type=click.IntRange(min=1), help="Results per line."
)
@click.option(
    "--for",
    "for_",
    type=click.Choice(["learners", "orders"]),
    default="learners",
    show_default=True,
    help="One output line per learner (its best orders) or per order (its best learners).",
)
def rank_command(orders_path: str, learners_path: str, k: int, for_: str) -> None:
    """Rank orders for every learner (or learners for every order), as JSON lines."""
    terms = Terms()
    orders = list(_read(orders_path, lambda obj: order_profile(obj, terms)))
    learners = list(_read(learners_path, lambda obj: learner_profile(obj, terms)))
    if terms.unknown:
        click.echo(f"{terms.unknown} skill terms matched no skill and were left out", err=True)
    if terms.orders_from_text:
        click.echo(
            f"{terms.orders_from_text} orders had no recognised required skill and took their"
            f" skills from their title and description; {terms.orders_without_skills} of them"
            " name none and qualify nobody",
            err=True,
        )
    index = MatchIndex(learners, orders, related=terms.related)
    if for_ == "learners":
        for learner in learners:
            results = [result_json(r, "order_id") for r in index.rank_orders(learner.id, k=k)]
            click.echo(_dumps({"learner_id": learner.id, "results": results}))
    else:
        for order in orders:
            results = [result_json(r, "learner_id") for r in index.rank_learners(order.id, k=k)]
            click.echo(_dumps({"order_id": order.id, "results": results}))


def _dumps(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)
