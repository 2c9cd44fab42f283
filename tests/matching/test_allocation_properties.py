"""Properties of the allocation round, checked against brute force and the `matching` package."""

import itertools
import random
import warnings

from hypothesis import given, settings
from hypothesis import strategies as st
from matching.games import HospitalResident

from matchhub.matching.allocation import (
    ExplanationCode,
    check_stability,
    deferred_acceptance,
    explain_outcome,
)

SETTINGS = settings(max_examples=200, deadline=None)


def make_round(seed, max_learners=5, max_orders=3, max_capacity=2):
    """A random round: ranked lists on both sides, often complete, not always mutual.

    Mostly a balanced market (about as many learners as seats) with preferences
    that cross, since that is where several stable matchings exist and
    learner-optimality means something; sometimes a tiny or lopsided one.
    """
    rnd = random.Random(seed)
    n_orders = max(0, max_orders - rnd.choice([0, 0, 0, 1, max_orders]))
    orders = [f"o{j}" for j in range(n_orders)]
    capacities = {
        order: 0 if rnd.random() < 0.05 else rnd.randint(1, max_capacity) for order in orders
    }
    seats = sum(capacities.values())
    if rnd.random() < 0.8:
        n_learners = min(max_learners, max(0, seats + rnd.choice([-1, 0, 0, 0, 1])))
    else:
        n_learners = rnd.randint(0, max_learners)
    # Learners are ints or strings that look like order ids: the two sides must not mix.
    learners = rnd.choice([list(range(n_learners)), [f"o{i}" for i in range(n_learners)]])
    style = rnd.choice(["any", "applicants", "adverse", "adverse", "adverse"])

    def ranked(items, incomplete=0.1):
        perm = rnd.sample(items, len(items))
        return perm[: rnd.randint(0, len(perm))] if rnd.random() < incomplete else perm

    learner_prefs = {learner: ranked(orders) for learner in learners}
    order_prefs = {}
    for order in orders:
        if style == "any":
            order_prefs[order] = ranked(learners)
            continue
        applicants = ranked([x for x in learners if order in learner_prefs[x]], 0.05)
        if style == "adverse":
            # Ranking first those who like the order least pits the two sides against
            # each other, which is what makes several stable matchings exist.
            applicants.sort(key=lambda x: -learner_prefs[x].index(order))
        order_prefs[order] = applicants
    return learner_prefs, order_prefs, capacities


def rounds(**sizes):
    """Rounds from :func:`make_round`, seeded by hypothesis.

    Hypothesis' own sizes and permutations lean so hard towards the small and the
    identity that rounds with several stable matchings (where learner-optimality
    means something) hardly ever showed up; a seeded generator does not, and a
    failure still prints its seed.
    """
    return st.integers(0, 2**32 - 1).map(lambda seed: make_round(seed, **sizes))


def is_stable(assignment, learner_prefs, order_prefs, capacities):
    """Textbook definition, written independently of the code under test."""
    holders = {order: [] for order in capacities}
    for learner, order in assignment.items():
        if order not in learner_prefs[learner] or learner not in order_prefs.get(order, []):
            return False
        holders[order].append(learner)
    if any(len(held) > capacities[order] for order, held in holders.items()):
        return False
    for learner, prefs in learner_prefs.items():
        for order in prefs:
            if assignment.get(learner) == order:
                break
            ranking = order_prefs.get(order, [])
            if learner not in ranking:
                continue
            if len(holders[order]) < capacities[order]:
                return False
            if any(ranking.index(learner) < ranking.index(h) for h in holders[order]):
                return False
    return True


def all_assignments(learner_prefs):
    """Every way to give each learner nothing or one of the orders it listed."""
    learners = list(learner_prefs)
    options = [[None, *learner_prefs[learner]] for learner in learners]
    for combo in itertools.product(*options):
        yield {
            learner: order
            for learner, order in zip(learners, combo, strict=True)
            if order is not None
        }


def choice_index(prefs, order):
    """Position of ``order`` on a learner's list; unmatched ranks below every listed order."""
    return len(prefs) if order is None else prefs.index(order)


def solve_with_matching_package(learner_prefs, order_prefs, capacities):
    """The `matching` package's resident-optimal result, as order -> set of learners.

    The package requires each hospital to rank exactly the residents who rank it,
    non-empty lists and capacities >= 1, so the round is reduced to its mutually
    acceptable pairs first (which leaves the stable matchings unchanged).
    """
    accepts = {o: set(ls) for o, ls in order_prefs.items() if capacities[o] > 0}
    residents = {
        learner: [o for o in prefs if o in accepts and learner in accepts[o]]
        for learner, prefs in learner_prefs.items()
    }
    residents = {learner: prefs for learner, prefs in residents.items() if prefs}
    hospitals = {
        o: [learner for learner in order_prefs[o] if o in residents.get(learner, ())]
        for o in accepts
    }
    hospitals = {o: ls for o, ls in hospitals.items() if ls}
    if not residents:
        return {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        game = HospitalResident.create_from_dictionaries(
            residents, hospitals, {o: capacities[o] for o in hospitals}
        )
        solved = game.solve(optimal="resident")
    return {h.name: {r.name for r in rs} for h, rs in solved.items() if rs}


@SETTINGS
@given(rounds())
def test_result_is_feasible_stable_and_consistent(instance):
    learner_prefs, order_prefs, capacities = instance
    result = deferred_acceptance(learner_prefs, order_prefs, capacities)

    assert check_stability(result, *instance) == ()
    assert is_stable(dict(result.assignment), *instance)
    assert set(result.assignment).isdisjoint(result.unmatched_learners)
    assert set(result.assignment) | set(result.unmatched_learners) == set(learner_prefs)
    assert list(result.by_order) == list(capacities) == list(result.empty_seats)
    for order, admitted in result.by_order.items():
        ranking = order_prefs.get(order, [])
        assert [ranking.index(learner) for learner in admitted] == sorted(
            ranking.index(learner) for learner in admitted
        )
        assert all(result.assignment[learner] == order for learner in admitted)
        assert result.empty_seats[order] == capacities[order] - len(admitted) >= 0
    assert sum(len(a) for a in result.by_order.values()) == len(result.assignment)


@settings(max_examples=300, deadline=None)
@given(rounds())
def test_learner_optimal_against_brute_force(instance):
    learner_prefs = instance[0]
    result = deferred_acceptance(*instance)
    mine = dict(result.assignment)

    stable = []
    for assignment in all_assignments(learner_prefs):
        brute = is_stable(assignment, *instance)
        # The checker agrees with the textbook definition on every candidate.
        assert (check_stability(assignment, *instance) == ()) == brute
        if brute:
            stable.append(assignment)

    assert mine in stable
    for other in stable:
        for learner, prefs in learner_prefs.items():
            assert choice_index(prefs, mine.get(learner)) <= choice_index(prefs, other.get(learner))
        # Rural hospitals theorem: the same learners are placed in every stable matching.
        assert set(other) == set(mine)


@SETTINGS
@given(rounds(max_learners=12, max_orders=5, max_capacity=4))
def test_same_result_as_the_matching_package(instance):
    result = deferred_acceptance(*instance)
    ours = {o: set(ls) for o, ls in result.by_order.items() if ls}
    assert ours == solve_with_matching_package(*instance)


@SETTINGS
@given(rounds(max_learners=8, max_orders=4, max_capacity=3), st.integers(0, 2**32 - 1))
def test_result_does_not_depend_on_input_order(instance, seed):
    learner_prefs, order_prefs, capacities = instance
    rnd = random.Random(seed)

    def shuffled(mapping):
        items = list(mapping.items())
        rnd.shuffle(items)
        return dict(items)

    first = deferred_acceptance(*instance)
    second = deferred_acceptance(
        shuffled(learner_prefs), shuffled(order_prefs), shuffled(capacities)
    )
    assert dict(first.assignment) == dict(second.assignment)
    assert dict(first.by_order) == dict(second.by_order)
    assert set(first.unmatched_learners) == set(second.unmatched_learners)


@SETTINGS
@given(rounds(max_learners=8, max_orders=4, max_capacity=3))
def test_every_learner_gets_an_explanation_for_each_better_order(instance):
    learner_prefs, order_prefs, _ = instance
    result = deferred_acceptance(*instance)
    for learner, prefs in learner_prefs.items():
        got = result.assignment.get(learner)
        above = prefs[: choice_index(prefs, got)]
        explained = explain_outcome(learner, result, learner_prefs, order_prefs)
        assert [e.order for e in explained] == above
        assert [e.choice for e in explained] == list(range(1, len(above) + 1))
        for e in explained:
            assert e.code is not ExplanationCode.NOT_STABLE
            if e.code is ExplanationCode.UNRANKED:
                assert learner not in order_prefs.get(e.order, [])
            elif e.code is ExplanationCode.FILLED_BY_HIGHER_RANKED:
                assert e.admitted == e.seats > 0
                assert e.last_admitted_rank < e.your_rank
            else:
                assert e.seats == 0
