"""Orders with HR's required list: the real-posting benchmark's order -> learners
direction when each order's ``required`` is a hand-made list, not read by the extractor.

Called by :func:`bench.ranking.run` (keys ``ranking_real_hr_*``, null without
``../shared/data``). Everything is :mod:`bench.ranking`'s (postings, learners,
candidates, relevance from job group and tags, TF-IDF baseline of the same texts)
except the **queries** and their **orders**:

- the queries are the ITviec postings of ``bench/data/extract_labels.json`` (its
  ``itviec`` rows; ``key`` is the 0-based data row of the CSV, the posting's id
  here) that are queries of the main benchmark;
- each query's order is the main benchmark's text-built order (same id, kind, title
  and description) with ``required`` replaced by the posting's hand labels: skill
  ids at the default level, weight 1, as the web app builds an order whose HR picked
  those skills (``services/engine_profiles._order``). These labels were decided by
  reading the title and requirements text; ITviec's tags were not copied
  (``bench/data/README.md``). ``ranking_real_hr_label_tag_share`` (share of label
  skills that are one of the posting's normalised tags) and
  ``ranking_real_hr_tag_label_share`` (share of normalised tags found among the
  labels) are printed with every run.

Keys (precision@10 means over the same queries):

- ``ranking_real_hr_p10``: the engine with the hand-labelled orders;
- ``ranking_real_hr_text_p10``: the **control**, the engine with the main
  benchmark's text-built orders for the same queries (so the difference is the
  required list only: its skills and their weights);
- ``ranking_real_hr_titled_p10``: the hand labels again, a label the posting's title
  names weighing ``TITLE_WEIGHT`` (3) as the control's title skills do, so that
  against the control only the list's content differs;
- ``ranking_real_hr_tfidf_p10``: the TF-IDF baseline on the same queries (it reads
  the texts only, so it is the same for both);
- ``ranking_real_hr_vs_tfidf``, ``ranking_real_hr_text_vs_tfidf``,
  ``ranking_real_hr_vs_text``, ``ranking_real_hr_titled_vs_tfidf``,
  ``ranking_real_hr_titled_vs_text``: ratios of those means, each with a bootstrap 95 %
  percentile interval ``_ci95_low`` / ``_ci95_high`` (:data:`RESAMPLES` resamples of
  the queries with replacement, one resample shared by numerator and denominator);
- ``ranking_real_hr_queries``; ``ranking_real_hr_required_median`` /
  ``ranking_real_hr_text_required_median``: distinct required skills per order, median.
"""

from __future__ import annotations

import dataclasses
import json
import statistics
from pathlib import Path

import numpy as np

from bench.ranking import TOP, Bench, make_index
from matchhub.commands.match import TITLE_WEIGHT, Terms
from matchhub.matching.rank import Weights
from matchhub.matching.types import DEFAULT_LEVEL, SkillReq

LABELS = Path(__file__).resolve().parent / "data" / "extract_labels.json"
RESAMPLES = 10_000
SEED = 6

KEYS = (
    "ranking_real_hr_p10",
    "ranking_real_hr_tfidf_p10",
    "ranking_real_hr_vs_tfidf",
    "ranking_real_hr_vs_tfidf_ci95_low",
    "ranking_real_hr_vs_tfidf_ci95_high",
    "ranking_real_hr_text_p10",
    "ranking_real_hr_text_vs_tfidf",
    "ranking_real_hr_text_vs_tfidf_ci95_low",
    "ranking_real_hr_text_vs_tfidf_ci95_high",
    "ranking_real_hr_vs_text",
    "ranking_real_hr_vs_text_ci95_low",
    "ranking_real_hr_vs_text_ci95_high",
    "ranking_real_hr_titled_p10",
    "ranking_real_hr_titled_vs_tfidf",
    "ranking_real_hr_titled_vs_tfidf_ci95_low",
    "ranking_real_hr_titled_vs_tfidf_ci95_high",
    "ranking_real_hr_titled_vs_text",
    "ranking_real_hr_titled_vs_text_ci95_low",
    "ranking_real_hr_titled_vs_text_ci95_high",
    "ranking_real_hr_queries",
    "ranking_real_hr_required_median",
    "ranking_real_hr_text_required_median",
    "ranking_real_hr_label_tag_share",
    "ranking_real_hr_tag_label_share",
)


def hand_labels(path: Path = LABELS) -> dict[int, tuple[str, ...]]:
    """Posting id (CSV data row) -> its hand-labelled skill ids, for the ITviec rows."""
    rows = json.loads(path.read_text("utf-8"))
    return {int(x["key"]): tuple(x["skills"]) for x in rows if x["source"] == "itviec"}


def hr_orders(bench: Bench, labels: dict[int, tuple[str, ...]], terms: Terms | None = None) -> list:
    """The main benchmark's orders with each labelled one's ``required`` set to its labels.

    With ``terms``, a label its title names weighs ``TITLE_WEIGHT``, as the CLI weighs
    the skills of an order read from its text (the control's weighting).
    """
    orders = list(bench.orders)
    for pid, skills in labels.items():
        titled = {s for s, _ in terms.extract(bench.postings[pid].title)} if terms else set()
        required = tuple(
            SkillReq(s, DEFAULT_LEVEL, TITLE_WEIGHT if s in titled else 1.0)
            for s in dict.fromkeys(skills)
        )
        orders[pid] = dataclasses.replace(orders[pid], required=required)
    return orders


def order_direction(bench: Bench, orders, weights: Weights, related, queries) -> list[float]:
    """Per-query precision@10 of ``orders[q]`` ranking the learners."""
    index = make_index(bench.learners, orders, weights, related)
    out = []
    for q in queries:
        top = index.rank_learners(q, k=TOP, candidates=bench.allowed[q])
        out.append(bench.precision(q, [r.learner_id for r in top]))
    return out


def ratio_ci(
    num: list[float], den: list[float], rng: np.random.Generator
) -> tuple[float | None, float | None, float | None]:
    """Ratio of means and its bootstrap 95 % percentile interval (paired resamples)."""
    a, b = np.asarray(num, dtype=float), np.asarray(den, dtype=float)
    if not len(a) or b.sum() == 0:
        return None, None, None
    idx = rng.integers(0, len(a), size=(RESAMPLES, len(a)))
    sa, sb = a[idx].sum(axis=1), b[idx].sum(axis=1)
    ratios = sa[sb > 0] / sb[sb > 0]
    low, high = np.percentile(ratios, [2.5, 97.5])
    return round(a.sum() / b.sum(), 3), round(float(low), 3), round(float(high), 3)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def run_hr(bench: Bench, weights: Weights, related) -> dict:
    labels = hand_labels()
    if max(labels) >= len(bench.postings):
        raise RuntimeError("a labelled ITviec row is past the end of the postings file")
    queryset = set(bench.queries)
    queries = sorted(q for q in labels if q in queryset)
    labels = {q: labels[q] for q in queries}
    terms = Terms()
    hr = order_direction(bench, hr_orders(bench, labels), weights, related, queries)
    titled = order_direction(bench, hr_orders(bench, labels, terms), weights, related, queries)
    text = order_direction(bench, bench.orders, weights, related, queries)
    base = [bench.precision(q, bench.tfidf_top(q, bench.tfidf_order)) for q in queries]
    label_total = tag_total = both = 0
    for q in queries:
        tags = {s for t in bench.postings[q].raw_tags if (s := terms.skill(t))}
        lab = set(labels[q])
        label_total += len(lab)
        tag_total += len(tags)
        both += len(lab & tags)
    rng = np.random.default_rng(SEED)
    out = {
        "ranking_real_hr_p10": round(statistics.fmean(hr), 4) if hr else None,
        "ranking_real_hr_titled_p10": round(statistics.fmean(titled), 4) if titled else None,
        "ranking_real_hr_text_p10": round(statistics.fmean(text), 4) if text else None,
        "ranking_real_hr_tfidf_p10": round(statistics.fmean(base), 4) if base else None,
        "ranking_real_hr_queries": len(queries),
        "ranking_real_hr_required_median": statistics.median(len(labels[q]) for q in queries),
        "ranking_real_hr_text_required_median": statistics.median(
            len({r.skill_id for r in bench.orders[q].required}) for q in queries
        ),
        "ranking_real_hr_label_tag_share": _share(both, label_total),
        "ranking_real_hr_tag_label_share": _share(both, tag_total),
    }
    for name, num, den in (
        ("ranking_real_hr_vs_tfidf", hr, base),
        ("ranking_real_hr_text_vs_tfidf", text, base),
        ("ranking_real_hr_vs_text", hr, text),
        ("ranking_real_hr_titled_vs_tfidf", titled, base),
        ("ranking_real_hr_titled_vs_text", titled, text),
    ):
        value, low, high = ratio_ci(num, den, rng)
        out[name], out[f"{name}_ci95_low"], out[f"{name}_ci95_high"] = value, low, high
    return out
