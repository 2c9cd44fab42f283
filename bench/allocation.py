"""Benchmark of the allocation round (learner-proposing deferred acceptance).

Synthetic, deterministic instances (fixed seed): learners draw their ranked
choices from the orders with a popularity skew (Plackett-Luce over Zipf-like
weights, so popular internships are oversubscribed), and each order ranks the
learners who listed it by a noisy score (a shared merit plus per-order noise).

Keys:
  allocate_20k_s                20,000 learners x 5,000 internships (capacity 1-10),
                                20 choices each: median of 3 full calls of
                                ``deferred_acceptance`` (validation included).
  allocate_500_ours_s           500 learners x 50 internships (capacity 1-10),
                                20 choices each: median of 7 of our calls.
  allocate_500_matching_pkg_s   same instance through the ``matching`` package
                                (HospitalResident.create_from_dictionaries + solve,
                                resident-optimal): median of 3.
  allocate_vs_matching_speedup  ratio of the two medians above; both results are
                                asserted equal first.

Run: ``.venv/bin/python -m bench.allocation``.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
import warnings
from collections.abc import Callable

import numpy as np

from matchhub.matching.allocation import Allocation, check_stability, deferred_acceptance

SEED = 20260611

Instance = tuple[dict[int, list[int]], dict[int, list[int]], dict[int, int]]


def make_instance(
    n_learners: int,
    n_orders: int,
    n_choices: int,
    max_capacity: int = 10,
    seed: int = SEED,
) -> Instance:
    """Build (learner_prefs, order_prefs, capacities) with integer ids, deterministically."""
    rng = np.random.default_rng(seed)
    n_choices = min(n_choices, n_orders)
    popularity = np.log(1.0 / np.arange(1, n_orders + 1) ** 0.8)
    rng.shuffle(popularity)
    capacities = rng.integers(1, max_capacity + 1, size=n_orders)

    # Gumbel top-k draws an ordered sample without replacement proportional to the
    # weights (a Plackett-Luce ranking); chunks keep the noise matrix small.
    choices = np.empty((n_learners, n_choices), dtype=np.int64)
    chunk = max(1, 4_000_000 // n_orders)
    for start in range(0, n_learners, chunk):
        stop = min(n_learners, start + chunk)
        keys = popularity + rng.gumbel(size=(stop - start, n_orders))
        top = np.argpartition(-keys, n_choices - 1, axis=1)[:, :n_choices]
        order = np.argsort(-np.take_along_axis(keys, top, axis=1), axis=1)
        choices[start:stop] = np.take_along_axis(top, order, axis=1)

    merit = rng.normal(size=n_learners)
    learners = np.repeat(np.arange(n_learners), n_choices)
    orders = choices.ravel()
    score = merit[learners] + rng.normal(scale=0.7, size=learners.size)
    ranked = np.lexsort((-score, orders))
    bounds = np.searchsorted(orders[ranked], np.arange(n_orders + 1))
    ranked_learners = learners[ranked].tolist()

    learner_prefs = dict(enumerate(choices.tolist()))
    order_prefs = {j: ranked_learners[bounds[j] : bounds[j + 1]] for j in range(n_orders)}
    caps = {j: int(c) for j, c in enumerate(capacities)}
    return learner_prefs, order_prefs, caps


def _median_time(fn: Callable[[], object], repeats: int) -> tuple[float, object]:
    times = []
    result: object = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def solve_with_matching_package(
    learner_prefs: dict, order_prefs: dict, capacities: dict
) -> dict[object, set]:
    """Solve with ``matching`` (resident-optimal); return order -> set of learners.

    The package wants every hospital to rank exactly the residents who rank it,
    no empty lists and capacities >= 1 (it warns, or crashes, otherwise), so the
    instance is first reduced to its mutually acceptable pairs; that reduction
    does not change the set of stable matchings.
    """
    from matching.games import HospitalResident

    accepts = {o: set(ls) for o, ls in order_prefs.items() if capacities.get(o, 0) > 0}
    residents = {
        learner: [o for o in prefs if o in accepts and learner in accepts[o]]
        for learner, prefs in learner_prefs.items()
    }
    residents = {learner: prefs for learner, prefs in residents.items() if prefs}
    listed = {o: set() for o in accepts}
    for learner, prefs in residents.items():
        for o in prefs:
            listed[o].add(learner)
    hospitals = {
        o: [learner for learner in order_prefs[o] if learner in listed[o]] for o in accepts
    }
    hospitals = {o: ls for o, ls in hospitals.items() if ls}
    caps = {o: capacities[o] for o in hospitals}
    with warnings.catch_warnings():
        # A warning here would mean the reduction above is wrong: make it loud.
        warnings.simplefilter("error")
        game = HospitalResident.create_from_dictionaries(residents, hospitals, caps)
        matching = game.solve(optimal="resident")
    return {h.name: {r.name for r in rs} for h, rs in matching.items()}


def _same_result(ours: Allocation, theirs: dict[object, set]) -> bool:
    mine = {o: set(ls) for o, ls in ours.by_order.items() if ls}
    return mine == {o: ls for o, ls in theirs.items() if ls}


def run() -> dict:
    """Run the allocation benchmarks; return flat JSON-able medians in seconds."""
    big = make_instance(20_000, 5_000, 20)
    big_s, big_alloc = _median_time(lambda: deferred_acceptance(*big), 3)
    assert isinstance(big_alloc, Allocation)
    assert check_stability(big_alloc, *big) == ()

    small = make_instance(500, 50, 20)
    ours_s, ours = _median_time(lambda: deferred_acceptance(*small), 7)
    theirs_s, theirs = _median_time(lambda: solve_with_matching_package(*small), 3)
    assert isinstance(ours, Allocation)
    assert isinstance(theirs, dict)
    if not _same_result(ours, theirs):
        raise AssertionError("deferred_acceptance and the matching package disagree")

    return {
        "allocate_20k_s": round(big_s, 4),
        "allocate_20k_match_rate": round(big_alloc.match_rate, 4),
        "allocate_500_ours_s": round(ours_s, 5),
        "allocate_500_matching_pkg_s": round(theirs_s, 4),
        "allocate_vs_matching_speedup": round(theirs_s / ours_s, 1),
    }


if __name__ == "__main__":
    json.dump(run(), sys.stdout, indent=2)
    sys.stdout.write("\n")
