"""Why a direction of the real-posting benchmark wins or loses: the parts one by one.

    .venv/bin/python -m bench.ranking --diagnose     # prints JSON

Uses :mod:`bench.ranking`'s postings, queries, candidates and relevance (all queries).
Each score part of every (learner, order) pair is read from the engine
(:func:`bench.ranking_fit.part`: that part's weight 1, the others 0), then the
candidates are ranked by that part alone, with the tier first (the ranking
contract) and without it, in both directions. Also:

- ``oracle_tier``: relevant candidates first within each tier (ties by id), the best
  any score can do under the tier-first contract;
- ``tag_orders``: the engine when every order's required list is its posting's ITviec
  tags (the ``imported`` orders). It **leaks** half of the relevance label into the
  orders, so it is a diagnostic of how much the hidden tags are worth, never a
  figure of the engine.

Every figure is ``{"order": P@10, "learner": P@10}`` (means over the queries).
"""

from __future__ import annotations

import numpy as np

from bench.ranking import TOP, Bench, load_postings, make_index, related_map, summary
from bench.ranking_fit import part
from matchhub.matching.rank import Weights


class Ranker:
    """P@10 of any ``[learner, order]`` score matrix, with or without the tier."""

    def __init__(self, bench: Bench, tier: np.ndarray) -> None:
        self.queries = bench.queries
        self.tier = tier
        self.cands = [np.fromiter(sorted(bench.allowed[q]), dtype=np.int64) for q in self.queries]
        n = len(bench.postings)
        self.rel = np.zeros((n, n), dtype=bool)
        for q in self.queries:
            self.rel[q, list(bench.relevant[q])] = True

    def p10(self, score: np.ndarray, *, tiered: bool = True) -> dict[str, float]:
        tier = self.tier if tiered else np.zeros_like(self.tier)
        hits = {"order": 0, "learner": 0}
        for q, c in zip(self.queries, self.cands, strict=True):
            # order q ranks learners c (column q); learner q ranks orders c (row q)
            for name, s, t in (
                ("order", score[c, q], tier[c, q]),
                ("learner", score[q, c], tier[q, c]),
            ):
                top = c[np.lexsort((c, -s, -t))[:TOP]]
                hits[name] += int(self.rel[q, top].sum())
        return {k: round(v / (TOP * len(self.queries)), 4) for k, v in hits.items()}


def diagnose() -> dict:
    bench = Bench(load_postings())
    related = related_map()
    text, tier = part(bench, "text", related)
    coverage, _ = part(bench, "required", related)
    overlap, _ = part(bench, "overlap", related)
    ranker = Ranker(bench, tier)
    d = Weights()
    default = d.required * coverage + d.text * text + d.overlap * overlap
    tfidf = bench.tfidf_learner  # [learner, order]
    out: dict = {}
    for name, score in (
        ("engine_default", default),
        ("coverage", coverage),
        ("skill_overlap", overlap),
        ("text_similarity", text),
        ("tfidf", tfidf),
    ):
        out[name] = {"tier": ranker.p10(score), "no_tier": ranker.p10(score, tiered=False)}
    both = ranker.rel | ranker.rel.T  # relevance is symmetric in the pair
    out["oracle_tier"] = ranker.p10(both.astype(float))
    out["tag_orders"] = {}
    for w in (d, Weights(required=0.1, text=0.4, overlap=0.3)):
        index = make_index(bench.learners, bench.imported, w, related)
        got: dict[str, list[float]] = {"order": [], "learner": []}
        for q in bench.queries:
            top = index.rank_learners(q, k=TOP, candidates=bench.allowed[q])
            got["order"].append(bench.precision(q, [r.learner_id for r in top]))
            top = index.rank_orders(q, k=TOP, candidates=bench.allowed[q])
            got["learner"].append(bench.precision(q, [r.order_id for r in top]))
        out["tag_orders"][f"{w.required}/{w.text}/{w.overlap}"] = summary(got)
    n_required = [len(o.required) for o in bench.orders]
    out["order_required_median"] = float(np.median(n_required))
    out["learner_skills_median"] = float(np.median([len(lr.skills) for lr in bench.learners]))
    return out
