"""Speed of the ranking index (``matchhub.matching.index.MatchIndex``).

    .venv/bin/python -m bench.engine          # JSON of run()

Data comes from ``bench.synth`` (deterministic, fixed seeds; skills from the shipped
taxonomy): 100,000 learners and 20,000 orders. Generating it is not timed.

- ``index_build_100k_s`` / ``index_rss_100k_mb``: in a fresh subprocess, the data is
  generated, VmRSS is read from /proc/self/status, the index is built (timed), and
  VmRSS is read again: the growth is the index's resident memory (profiles are input
  and counted before). Build time is the median of 3 builds in that subprocess.
- ``rank_learners_100k_p50_ms`` / ``_p99_ms``: ``rank_learners(order_id, k=20)``
  for 400 orders drawn with a fixed seed, explanations of the 20 results included.
- ``rank_orders_20k_p50_ms`` / ``_p99_ms``: ``rank_orders(learner_id, k=20)`` for 400
  learners.
- ``rank_learners_100k_candidates_p50_ms``: the same with ``candidates`` = a fixed
  half of the learners (the web app's visibility filter).
- ``upsert_learner_p50_ms`` and ``rank_learners_after_upsert_p50_ms``: one patch,
  then the next query, which pays the lazy refresh of the IDF vectors and the delta
  block; ``index_compact_100k_s``: then ``compact()``, folding the patches into the
  base (what a query does by itself every ~sqrt(100k) writes).
- ``next_skill_20k_p50_ms``: ``advice.next_skills(index, learner_id, programmes, k=2)``
  over the 20,000 orders and 30 synthetic programmes, 100 learners.
- ``curriculum_gaps_20k_30_programmes_s``: ``gaps.curriculum_gaps`` of 30 programmes
  against the 20,000 orders (demand built once per call), median of 3.
- Baselines for the same top-20: ``rank_learners_100k_baseline_tfidf_p50_ms`` is a
  plain scikit-learn ``TfidfVectorizer`` cosine over all learners' texts (sparse
  matrix-vector product + argpartition, text only, no skills), and
  ``rank_learners_100k_baseline_python_p50_ms`` scores every learner in Python with
  the skill and locality rules of the index (``rank.explain_pair``, supply
  statistics precomputed; text similarity left out, which only flatters it).
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
N_LEARNERS = 100_000
N_ORDERS = 20_000
K = 20


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024.0
    return float("nan")


def _build_child() -> dict:
    """Runs in a fresh interpreter: build time and resident growth of the index."""
    from bench import synth
    from matchhub.matching.index import MatchIndex

    learners = synth.learners(N_LEARNERS)
    orders = synth.orders(N_ORDERS)
    before = _rss_mb()
    times = []
    t = time.perf_counter()
    index = MatchIndex(learners, orders)
    times.append(time.perf_counter() - t)
    grown = _rss_mb() - before
    assert index.n_learners == N_LEARNERS
    del index
    for _ in range(2):
        t = time.perf_counter()
        MatchIndex(learners, orders)
        times.append(time.perf_counter() - t)
    return {"index_build_100k_s": statistics.median(times), "index_rss_100k_mb": grown}


def _percentiles(samples_ms: list[float]) -> tuple[float, float]:
    arr = np.asarray(samples_ms)
    return float(np.percentile(arr, 50)), float(np.percentile(arr, 99))


def _timed(fn, args) -> list[float]:
    out = []
    for a in args:
        t = time.perf_counter()
        fn(a)
        out.append((time.perf_counter() - t) * 1000.0)
    return out


def _baseline_tfidf(learners, orders, order_ids) -> list[float]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(sublinear_tf=True)
    matrix = vectorizer.fit_transform([lp.text for lp in learners]).tocsr()

    def query(oid):
        q = vectorizer.transform([orders[oid].text])
        sims = (matrix @ q.T).toarray().ravel()
        top = np.argpartition(-sims, K)[:K]
        return top[np.lexsort((top, -sims[top]))]

    return _timed(query, order_ids)


def _baseline_python(learners, orders, order_ids, index) -> list[float]:
    from matchhub.matching.rank import Weights, explain_pair

    weights = Weights()
    idf = {s: index.skill_idf(s) for s in index.skill_supply()}

    def query(oid):
        order = orders[oid]
        results = [
            explain_pair(
                order, lp, skill_idf=lambda s: idf.get(s, 1.0), text_sim=0.0, weights=weights
            )
            for lp in learners
        ]
        results.sort(key=lambda r: (-r.score, r.learner_id))
        return results[:K]

    return _timed(query, order_ids)


def run() -> dict:
    """All engine speed figures (medians / percentiles in ms unless the key says s/mb)."""
    out: dict = {}
    child = subprocess.run(
        [sys.executable, "-m", "bench.engine", "--build-child"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    out.update(json.loads(child.stdout.strip().splitlines()[-1]))

    from bench import synth
    from matchhub.matching.index import MatchIndex

    learners = synth.learners(N_LEARNERS)
    orders = synth.orders(N_ORDERS)
    index = MatchIndex(learners, orders)
    rng = random.Random(11)
    order_ids = [rng.randrange(N_ORDERS) for _ in range(400)]
    learner_ids = [rng.randrange(N_LEARNERS) for _ in range(400)]
    for oid in order_ids[:20]:  # warm caches (IDF vectors, norms) outside the timing
        index.rank_learners(oid, k=K)
        index.rank_orders(oid, k=K)

    p50, p99 = _percentiles(_timed(lambda o: index.rank_learners(o, k=K), order_ids))
    out["rank_learners_100k_p50_ms"], out["rank_learners_100k_p99_ms"] = p50, p99
    p50, p99 = _percentiles(_timed(lambda lid: index.rank_orders(lid, k=K), learner_ids))
    out["rank_orders_20k_p50_ms"], out["rank_orders_20k_p99_ms"] = p50, p99

    visible = frozenset(rng.sample(range(N_LEARNERS), N_LEARNERS // 2))
    samples = _timed(lambda o: index.rank_learners(o, k=K, candidates=visible), order_ids[:100])
    out["rank_learners_100k_candidates_p50_ms"] = _percentiles(samples)[0]

    upserts, after = [], []
    for i, oid in enumerate(order_ids[:30]):
        lp = learners[i]
        t = time.perf_counter()
        index.upsert_learner(lp)
        upserts.append((time.perf_counter() - t) * 1000.0)
        after.extend(_timed(lambda o: index.rank_learners(o, k=K), [oid]))
    out["upsert_learner_p50_ms"] = statistics.median(upserts)
    out["rank_learners_after_upsert_p50_ms"] = statistics.median(after)
    t = time.perf_counter()
    index.compact()
    out["index_compact_100k_s"] = time.perf_counter() - t

    from matchhub.matching.advice import next_skills
    from matchhub.matching.gaps import curriculum_gaps

    programmes = synth.programmes(30)
    samples = _timed(lambda lid: next_skills(index, lid, programmes, k=2), learner_ids[:100])
    out["next_skill_20k_p50_ms"] = _percentiles(samples)[0]
    gaps = []
    for _ in range(3):
        t = time.perf_counter()
        curriculum_gaps(programmes, orders, synth.TODAY)
        gaps.append(time.perf_counter() - t)
    out["curriculum_gaps_20k_30_programmes_s"] = statistics.median(gaps)

    out["rank_learners_100k_baseline_tfidf_p50_ms"] = _percentiles(
        _baseline_tfidf(learners, orders, order_ids[:100])
    )[0]
    out["rank_learners_100k_baseline_python_p50_ms"] = _percentiles(
        _baseline_python(learners, orders, order_ids[:3], index)
    )[0]
    return {key: _rounded(key, value) for key, value in out.items()}


def _rounded(key: str, value: float) -> float:
    if key.endswith("_ms") or key.endswith("_mb"):
        return round(value, 2)
    return round(value, 3)


if __name__ == "__main__":
    if "--build-child" in sys.argv:
        print(json.dumps(_build_child()))
    else:
        print(json.dumps(run(), indent=2, sort_keys=True))
