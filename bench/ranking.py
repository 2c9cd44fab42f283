"""Ranking quality on real postings: the engine against a plain TF-IDF cosine.

    .venv/bin/python -m bench.ranking            # JSON of run()
    .venv/bin/python -m bench.ranking --fit      # JSON: weights fitted on train queries
    .venv/bin/python -m bench.ranking --diagnose # JSON: each score part alone, oracles

Reads ``../shared/data/jobs/itviec_2025-11.csv`` (1,469 ITviec postings); without it
every key is null and a note goes to stderr. Nothing here is a test.

Each posting plays two parts, both built by the ``flask match rank`` code path
(:func:`matchhub.commands.match.order_profile` / ``learner_profile``):

- an **order** from its title and requirements text only, with no ``required``
  list, so its skills are extracted from that text. Its tags are never shown.
- a **learner** like a CV's skill list: its tags as skills, and as text its title
  followed by the tags ("Senior Java Backend Developer. Java, Spring Boot, Oracle").

A posting ``c`` is **relevant** to a posting ``q`` when both have the same coarse job
group (:data:`GROUPS`; ITviec's "Other" group falls back to the position name) and
share at least one tag (case-folded). Candidates for ``q`` exclude every posting of
the same company and any near-duplicate of ``q`` (TF-IDF cosine of title +
requirements >= 0.9), so neither a repost nor the query itself can be found.
Queries are the postings with a group, at least one tag and at least one relevant
candidate. Two directions, same queries and candidates:

- ``order``: the query posting as an order (text only), rank the learners;
- ``learner``: the query posting as a learner (tags only), rank the orders.

Precision@10 is the share of relevant results among the first 10, averaged (mean)
over the queries of a direction; ``ranking_real_p10`` is the mean of the two
directions. The TF-IDF baseline ranks the same candidates by the cosine of
scikit-learn ``TfidfVectorizer(sublinear_tf=True, strip_accents="unicode")`` vectors
of the same texts (fitted on all order and learner texts), ties by id.

``ranking_vacuous_top10_share``: in the ``learner`` direction with orders built as an
import would build them (``required`` = the posting's tags, 28 postings have none;
the CLI then takes skills from the text), the share of top-10 results that are orders
with no recognised required skill. ``_text`` is the same over the text-built orders.
``ranking_skillless_qualified_share``: of the learners with no recognised skill (the
untagged postings), the share that "qualify" for an imported order in their top 10.

``ranking_real_hr_*`` (:mod:`bench.ranking_hr`): the ``order`` direction for the 40
hand-labelled postings of ``bench/data/extract_labels.json``, each order's required
list set to its hand labels (what HR would enter) instead of the extracted skills;
beside the text-built control and TF-IDF on the same queries, with bootstrap 95 %
intervals of the ratios.

``--fit``: queries are split by company (``crc32(company) % 3 == 0`` held out, so no
held-out company is a train query), a coordinate search over round values of the
:class:`~matchhub.matching.rank.Weights` fields the data can inform picks the best
train precision@10, and the held-out figure is printed beside the defaults' and
TF-IDF's. Locality and nice-to-have weights are not fitted: these queries carry no
locality signal and no nice-to-have skills.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from bench.quality import ITVIEC, parse_tags, read_itviec
from matchhub.commands.match import Terms, learner_profile, order_profile
from matchhub.matching.index import MatchIndex
from matchhub.matching.rank import Weights
from matchhub.matching.text import fold

#: ITviec job groups folded into coarse groups (spelling variants of one group).
GROUPS = {
    "backend developer": "backend",
    "backend": "backend",
    "fullstack developer": "fullstack",
    "fullstack": "fullstack",
    "full": "fullstack",
    "full stack developer": "fullstack",
    "frontend developer": "frontend",
    "frontend": "frontend",
    "data / ai": "data",
    "data": "data",
    "data engineer": "data",
    "artificial": "data",
    "database": "data",
    "data analyst": "data",
    "qa / tester": "qa",
    "qa": "qa",
    "automation tester": "qa",
    "manual tester": "qa",
    "manager / lead": "manager",
    "product": "manager",
    "it": "manager",
    "mobile developer": "mobile",
    "mobile application developer": "mobile",
    "devops / cloud": "devops",
    "devops engineer": "devops",
    "devops": "devops",
    "cloud": "devops",
    "ux/ui designer": "design",
    "ux": "design",
    "security": "security",
    "cybersecurity": "security",
    "cyber": "security",
}
NEAR_DUPLICATE = 0.9
TOP = 10


@dataclass(frozen=True)
class Posting:
    id: int
    title: str
    text: str
    company: str
    group: str | None
    raw_tags: tuple[str, ...]
    tags: frozenset[str]


def coarse_group(job_group: str, position: str) -> str | None:
    """The coarse group of a posting; ITviec's "Other" falls back to the position."""
    key = job_group.strip().casefold()
    if key and key != "other":
        return GROUPS.get(key, key)
    pos = position.strip().casefold()
    return GROUPS.get(pos, pos) or None


def load_postings(path: Path = ITVIEC) -> list[Posting]:
    postings = []
    for i, row in enumerate(read_itviec(path)):
        raw = tuple(dict.fromkeys(parse_tags(row.get("array_skills") or "[]")))
        postings.append(
            Posting(
                id=i,
                title=(row.get("job_names") or "").strip(),
                text=(row.get("exp_skills") or "").strip(),
                company=(row.get("company_names") or "").strip().casefold(),
                group=coarse_group(row.get("job_group") or "", row.get("position_names") or ""),
                raw_tags=raw,
                tags=frozenset(fold(t).strip() for t in raw),
            )
        )
    return postings


def order_json(p: Posting, *, imported: bool = False) -> dict:
    """The posting as a ``match rank`` order line; ``imported`` adds its tags as required."""
    obj = {"id": p.id, "title": p.title, "description": p.text}
    if imported:
        obj["required"] = list(p.raw_tags)
    return obj


def learner_json(p: Posting) -> dict:
    """The posting as a ``match rank`` learner line: a CV's title and skill list."""
    text = p.title + (". " + ", ".join(p.raw_tags) if p.raw_tags else "")
    return {"id": p.id, "text": text, "skills": list(p.raw_tags)}


def relevant(q: Posting, c: Posting) -> bool:
    return q.group is not None and q.group == c.group and bool(q.tags & c.tags)


def _cosines(texts: Sequence[str], others: Sequence[str], fit_on: Sequence[str]) -> np.ndarray:
    vec = TfidfVectorizer(sublinear_tf=True, strip_accents="unicode")
    vec.fit(fit_on)
    return (vec.transform(texts) @ vec.transform(others).T).toarray()


class Bench:
    """Postings, their profiles, candidate sets, queries and the TF-IDF baseline."""

    def __init__(self, postings: list[Posting]) -> None:
        self.postings = postings
        terms = Terms()
        self.orders = [order_profile(order_json(p), terms) for p in postings]
        self.imported = [order_profile(order_json(p, imported=True), terms) for p in postings]
        self.learners = [learner_profile(learner_json(p), terms) for p in postings]
        self.untagged = sum(not p.raw_tags for p in postings)
        n = len(postings)
        full = [f"{p.title}\n{p.text}" for p in postings]
        dup = _cosines(full, full, full) >= NEAR_DUPLICATE
        companies = np.array([p.company for p in postings])
        excluded = dup | (companies[:, None] == companies[None, :])
        np.fill_diagonal(excluded, True)
        self.allowed = [frozenset(np.flatnonzero(~excluded[i]).tolist()) for i in range(n)]
        self.queries = [
            p.id
            for p in postings
            if p.group and p.tags and any(relevant(p, postings[c]) for c in self.allowed[p.id])
        ]
        self.relevant = {
            q: frozenset(c for c in self.allowed[q] if relevant(postings[q], postings[c]))
            for q in self.queries
        }
        order_texts = [o.text for o in self.orders]
        learner_texts = [lr.text for lr in self.learners]
        both = order_texts + learner_texts
        # [q, c]: query posting q as order vs candidate c as learner, and the reverse
        self.tfidf_order = _cosines(order_texts, learner_texts, both)
        self.tfidf_learner = self.tfidf_order.T.copy()
        self.near_duplicates = int(dup.sum() - n) // 2

    def precision(self, q: int, ranked: Sequence[int]) -> float:
        rel = self.relevant[q]
        return sum(1 for c in ranked[:TOP] if c in rel) / TOP

    def tfidf_top(self, q: int, sims: np.ndarray) -> list[int]:
        cand = np.fromiter(self.allowed[q], dtype=np.int64)
        row = sims[q, cand]
        order = np.lexsort((cand, -row))[:TOP]
        return cand[order].tolist()


def related_map() -> dict | None:
    """The taxonomy's related relation as the CLI passes it to the engine (None if none)."""
    return Terms().related


def make_index(learners, orders, weights: Weights, related) -> MatchIndex:
    if related is None:
        return MatchIndex(learners, orders, weights)
    return MatchIndex(learners, orders, weights, related=related)


def engine_scores(
    bench: Bench, weights: Weights, queries: Sequence[int], related
) -> dict[str, list[float]]:
    """Per-query precision@10 of the engine in both directions."""
    index = make_index(bench.learners, bench.orders, weights, related)
    out: dict[str, list[float]] = {"order": [], "learner": []}
    for q in queries:
        allowed = bench.allowed[q]
        top = index.rank_learners(q, k=TOP, candidates=allowed)
        out["order"].append(bench.precision(q, [r.learner_id for r in top]))
        top = index.rank_orders(q, k=TOP, candidates=allowed)
        out["learner"].append(bench.precision(q, [r.order_id for r in top]))
    return out


def tfidf_scores(bench: Bench, queries: Sequence[int]) -> dict[str, list[float]]:
    return {
        "order": [bench.precision(q, bench.tfidf_top(q, bench.tfidf_order)) for q in queries],
        "learner": [bench.precision(q, bench.tfidf_top(q, bench.tfidf_learner)) for q in queries],
    }


def vacuous_share(bench: Bench, orders, weights: Weights, related) -> float:
    """Share of learner -> orders top-10 results that are orders with no required skill."""
    index = make_index(bench.learners, orders, weights, related)
    empty = {o.id for o in orders if not o.required}
    hits = total = 0
    for q in bench.queries:
        top = index.rank_orders(q, k=TOP, candidates=bench.allowed[q])
        hits += sum(1 for r in top if r.order_id in empty)
        total += len(top)
    return hits / total if total else 0.0


def skillless_qualified_share(bench: Bench, orders, weights: Weights, related) -> float | None:
    """Share of learners with no recognised skill who qualify for any of their top 10."""
    index = make_index(bench.learners, orders, weights, related)
    bare = [lr.id for lr in bench.learners if not lr.skills]
    if not bare:
        return None
    hits = sum(any(r.qualifies for r in index.rank_orders(i, k=TOP)) for i in bare)
    return round(hits / len(bare), 4)


def _mean(values: Sequence[float]) -> float:
    return round(statistics.fmean(values), 4) if values else 0.0


def summary(scores: dict[str, list[float]]) -> dict[str, float]:
    out = {d: _mean(v) for d, v in scores.items()}
    out["both"] = round((out["order"] + out["learner"]) / 2, 4)
    return out


KEYS = (
    "ranking_real_p10",
    "ranking_real_tfidf_p10",
    "ranking_real_vs_tfidf",
    "ranking_real_order_p10",
    "ranking_real_order_tfidf_p10",
    "ranking_real_learner_p10",
    "ranking_real_learner_tfidf_p10",
    "ranking_real_queries",
    "ranking_vacuous_top10_share",
    "ranking_vacuous_top10_share_text",
    "ranking_skillless_qualified_share",
)


def _all_keys() -> tuple[str, ...]:
    from bench.ranking_hr import KEYS as HR_KEYS

    return KEYS + HR_KEYS


def run() -> dict:
    if not ITVIEC.exists():
        print(f"note: {ITVIEC} not found; ranking keys are null", file=sys.stderr)
        return dict.fromkeys(_all_keys())
    from bench.ranking_hr import run_hr  # imports this module

    bench = Bench(load_postings())
    related = related_map()
    weights = Weights()
    eng = summary(engine_scores(bench, weights, bench.queries, related))
    base = summary(tfidf_scores(bench, bench.queries))
    return {
        "ranking_real_p10": eng["both"],
        "ranking_real_tfidf_p10": base["both"],
        "ranking_real_vs_tfidf": round(eng["both"] / base["both"], 3) if base["both"] else None,
        "ranking_real_order_p10": eng["order"],
        "ranking_real_order_tfidf_p10": base["order"],
        "ranking_real_learner_p10": eng["learner"],
        "ranking_real_learner_tfidf_p10": base["learner"],
        "ranking_real_queries": len(bench.queries),
        "ranking_vacuous_top10_share": round(
            vacuous_share(bench, bench.imported, weights, related), 4
        ),
        "ranking_vacuous_top10_share_text": round(
            vacuous_share(bench, bench.orders, weights, related), 4
        ),
        "ranking_skillless_qualified_share": skillless_qualified_share(
            bench, bench.imported, weights, related
        ),
    } | run_hr(bench, weights, related)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ranking", description=__doc__)
    parser.add_argument("--fit", action="store_true", help="fit Weights on train queries")
    parser.add_argument("--diagnose", action="store_true", help="each score part alone")
    args = parser.parse_args(argv)
    if (args.fit or args.diagnose) and not ITVIEC.exists():
        print(f"note: {ITVIEC} not found; nothing to fit or diagnose", file=sys.stderr)
        return 1
    if args.diagnose:
        from bench.ranking_diag import diagnose

        print(json.dumps(diagnose(), indent=2, sort_keys=True))
    elif args.fit:
        from bench.ranking_fit import fit  # numpy-heavy search, only when asked

        print(json.dumps(fit(), indent=2, sort_keys=True))
    else:
        print(json.dumps(run(), indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
