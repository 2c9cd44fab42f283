"""Hand-made instances for the allocation round (deferred acceptance with capacities)."""

import dataclasses

import pytest

from matchhub.matching.allocation import (
    Allocation,
    BlockingPair,
    Explanation,
    ExplanationCode,
    Problem,
    check_stability,
    deferred_acceptance,
    explain_outcome,
)

# The hospitals/residents example of the `matching` package's documentation
# (residents A, S, D, J, L; hospitals M, C, G with two posts each).
HR_RESIDENTS = {
    "A": ["C"],
    "S": ["C", "M"],
    "D": ["C", "M", "G"],
    "J": ["C", "G", "M"],
    "L": ["M", "C", "G"],
}
HR_HOSPITALS = {
    "M": ["D", "L", "S", "J"],
    "C": ["D", "A", "S", "L", "J"],
    "G": ["D", "J", "L"],
}
HR_CAPACITIES = {"M": 2, "C": 2, "G": 2}

# One-to-one with cyclic preferences: three stable matchings; the learner-optimal
# one gives every learner its first choice, the order-optimal one every order its.
CYCLIC_LEARNERS = {1: ["a", "b", "c"], 2: ["b", "c", "a"], 3: ["c", "a", "b"]}
CYCLIC_ORDERS = {"a": [2, 3, 1], "b": [3, 1, 2], "c": [1, 2, 3]}
CYCLIC_CAPACITIES = {"a": 1, "b": 1, "c": 1}


def test_textbook_hospitals_residents():
    result = deferred_acceptance(HR_RESIDENTS, HR_HOSPITALS, HR_CAPACITIES)
    assert dict(result.assignment) == {"A": "C", "S": "M", "D": "C", "J": "G", "L": "M"}
    assert dict(result.by_order) == {"M": ("L", "S"), "C": ("D", "A"), "G": ("J",)}
    assert result.unmatched_learners == ()
    assert dict(result.empty_seats) == {"M": 0, "C": 0, "G": 1}
    assert result.match_rate == 1.0
    assert result.seats_filled == 5
    assert check_stability(result, HR_RESIDENTS, HR_HOSPITALS, HR_CAPACITIES) == ()


def test_learner_optimal_among_several_stable_matchings():
    result = deferred_acceptance(CYCLIC_LEARNERS, CYCLIC_ORDERS, CYCLIC_CAPACITIES)
    assert dict(result.assignment) == {1: "a", 2: "b", 3: "c"}
    order_optimal = {2: "a", 3: "b", 1: "c"}
    middle = {3: "a", 1: "b", 2: "c"}
    for other in (order_optimal, middle):
        assert check_stability(other, CYCLIC_LEARNERS, CYCLIC_ORDERS, CYCLIC_CAPACITIES) == ()


def test_rejection_chain_moves_bumped_learners_down_their_lists():
    learners = {"x": ["p", "q"], "y": ["p", "q"], "z": ["p", "q", "r"]}
    orders = {"p": ["z", "y", "x"], "q": ["x", "z", "y"], "r": ["z"]}
    result = deferred_acceptance(learners, orders, {"p": 1, "q": 1, "r": 1})
    # x is bumped from p by y, then y by z; x takes q and y, rejected there, is left out.
    assert dict(result.assignment) == {"x": "q", "z": "p"}
    assert result.unmatched_learners == ("y",)
    assert dict(result.empty_seats) == {"p": 0, "q": 0, "r": 1}
    assert result.match_rate == pytest.approx(2 / 3)


def test_capacity_zero_offers_no_seats_and_larger_capacity_leaves_empty_seats():
    learners = {"u": ["full", "big"], "v": ["full", "big"], "w": ["big"]}
    orders = {"full": ["u", "v"], "big": ["w", "v", "u"]}
    result = deferred_acceptance(learners, orders, {"full": 0, "big": 5})
    assert result.by_order["full"] == ()
    assert result.by_order["big"] == ("w", "v", "u")
    assert dict(result.empty_seats) == {"full": 0, "big": 2}


def test_capacity_keeps_the_orders_best_ranked_learners():
    learners = {i: ["o"] for i in range(6)}
    orders = {"o": [4, 2, 5, 0, 1, 3]}
    result = deferred_acceptance(learners, orders, {"o": 3})
    assert result.by_order["o"] == (4, 2, 5)
    assert result.unmatched_learners == (0, 1, 3)
    assert result.empty_seats["o"] == 0


def test_incomplete_lists_need_mutual_acceptability():
    learners = {"ann": ["acme", "bolt"], "bob": ["acme"], "cao": []}
    # acme does not rank ann; bolt ranks cao, who did not list it.
    orders = {"acme": ["bob"], "bolt": ["cao", "ann"]}
    result = deferred_acceptance(learners, orders, {"acme": 1, "bolt": 1})
    assert dict(result.assignment) == {"ann": "bolt", "bob": "acme"}
    assert result.unmatched_learners == ("cao",)


def test_order_without_a_ranking_accepts_nobody():
    learners = {1: ["silent", "loud"], 2: ["silent"]}
    result = deferred_acceptance(learners, {"loud": [1]}, {"silent": 3, "loud": 1})
    assert dict(result.assignment) == {1: "loud"}
    assert result.unmatched_learners == (2,)
    assert result.empty_seats["silent"] == 3


def test_ids_of_the_two_sides_live_apart_and_are_not_coerced():
    # Learner 1 and order 1 are unrelated; the string "1" is not the int 1.
    learners = {1: [1, "1"], "1": [1]}
    orders = {1: ["1", 1], "1": [1]}
    result = deferred_acceptance(learners, orders, {1: 1, "1": 1})
    assert dict(result.assignment) == {1: "1", "1": 1}
    assert result.by_order[1] == ("1",)
    assert result.by_order["1"] == (1,)


def test_tuple_ids_and_tuple_lists_work():
    learners = {("cohort", 1): (("acme", "dev"),), ("cohort", 2): (("acme", "dev"),)}
    orders = {("acme", "dev"): (("cohort", 2), ("cohort", 1))}
    result = deferred_acceptance(learners, orders, {("acme", "dev"): 1})
    assert dict(result.assignment) == {("cohort", 2): ("acme", "dev")}


def test_empty_round():
    result = deferred_acceptance({}, {}, {})
    assert result == Allocation(assignment={}, by_order={}, unmatched_learners=(), empty_seats={})
    assert result.match_rate == 0.0
    only_orders = deferred_acceptance({}, {"o": []}, {"o": 2})
    assert dict(only_orders.empty_seats) == {"o": 2}


def test_result_does_not_depend_on_input_order():
    forward = deferred_acceptance(HR_RESIDENTS, HR_HOSPITALS, HR_CAPACITIES)
    backward = deferred_acceptance(
        dict(reversed(HR_RESIDENTS.items())),
        dict(reversed(HR_HOSPITALS.items())),
        dict(reversed(HR_CAPACITIES.items())),
    )
    assert dict(forward.assignment) == dict(backward.assignment)
    assert dict(forward.by_order) == dict(backward.by_order)
    # Containers follow the input order: learners' for assignment, capacities' for orders.
    assert list(backward.assignment) == ["L", "J", "D", "S", "A"]
    assert list(backward.by_order) == ["G", "C", "M"]


def test_allocation_is_read_only():
    result = deferred_acceptance(HR_RESIDENTS, HR_HOSPITALS, HR_CAPACITIES)
    with pytest.raises(TypeError):
        result.assignment["A"] = "M"  # type: ignore[index]
    with pytest.raises(TypeError):
        result.empty_seats["G"] = 0  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.unmatched_learners = ("A",)  # type: ignore[misc]


def test_input_is_not_modified():
    learners = {k: list(v) for k, v in HR_RESIDENTS.items()}
    orders = {k: list(v) for k, v in HR_HOSPITALS.items()}
    deferred_acceptance(learners, orders, HR_CAPACITIES)
    assert learners == HR_RESIDENTS
    assert orders == HR_HOSPITALS


@pytest.mark.parametrize(
    ("learners", "orders", "capacities", "message"),
    [
        ({1: ["a", "a"]}, {"a": [1]}, {"a": 1}, "learner 1 lists order 'a' more than once"),
        ({1: ["a"], 2: ["a"]}, {"a": [2, 1, 2]}, {"a": 1}, "order 'a' ranks learner 2 more"),
        ({1: ["a", "zz"]}, {"a": [1]}, {"a": 1}, "learner 1 lists unknown order 'zz'"),
        ({1: ["a"]}, {"a": [1, 7]}, {"a": 1}, "order 'a' ranks unknown learner 7"),
        ({1: ["a"]}, {"a": [1], "b": [1]}, {"a": 1}, "order 'b' ranks learners but has no capa"),
        ({1: ["a"]}, {"a": [1]}, {"a": -1}, "capacity of order 'a' must be >= 0, got -1"),
        ({1: ["a"]}, {"a": [1]}, {"a": 1.5}, "capacity of order 'a' must be an integer"),
        ({1: ["a"]}, {"a": [1]}, {"a": "2"}, "capacity of order 'a' must be an integer"),
        ({1: ["a"]}, {"a": [1]}, {"a": True}, "capacity of order 'a' must be an integer"),
        ({1: "a"}, {"a": [1]}, {"a": 1}, "preferences of learner 1 must be a sequence"),
        ({1: {"a"}}, {"a": [1]}, {"a": 1}, "preferences of learner 1 must be a sequence"),
        ({1: ["a"]}, {"a": 1}, {"a": 1}, "ranking of order 'a' must be a sequence"),
        ({1: [["a"]]}, {"a": [1]}, {"a": 1}, r"learner 1 lists unknown order \['a'\]"),
    ],
)
def test_bad_input_raises_a_clear_value_error(learners, orders, capacities, message):
    with pytest.raises(ValueError, match=message):
        deferred_acceptance(learners, orders, capacities)
    with pytest.raises(ValueError, match=message):
        check_stability({}, learners, orders, capacities)


def test_numpy_integer_capacity_is_accepted():
    np = pytest.importorskip("numpy")
    result = deferred_acceptance({1: ["a"]}, {"a": [1]}, {"a": np.int64(1)})
    assert dict(result.assignment) == {1: "a"}


def _problems(assignment, learners=HR_RESIDENTS, orders=HR_HOSPITALS, caps=HR_CAPACITIES):
    return {
        (p.learner, p.order, p.reason) for p in check_stability(assignment, learners, orders, caps)
    }


def test_check_stability_accepts_a_plain_mapping():
    stable = {"A": "C", "S": "M", "D": "C", "J": "G", "L": "M"}
    assert check_stability(stable, HR_RESIDENTS, HR_HOSPITALS, HR_CAPACITIES) == ()
    # None and absence both mean unmatched.
    with_none = {1: "b", 2: None}
    learners, orders = {1: ["b"], 2: ["b"]}, {"b": [1]}
    assert check_stability(with_none, learners, orders, {"b": 1}) == ()


def test_check_stability_finds_an_empty_seat():
    # G has an empty seat and ranks J, who prefers G to M.
    assignment = {"A": "C", "S": "M", "D": "C", "J": "M"}
    assert _problems(assignment) == {
        ("J", "G", Problem.EMPTY_SEAT),
        ("L", "M", Problem.PREFERRED_TO_ADMITTED),
        ("L", "G", Problem.EMPTY_SEAT),
    }


def test_check_stability_finds_a_learner_preferred_to_an_admitted_one():
    # C took J over D, whom it ranks first and who wants C most.
    assignment = {"A": "C", "J": "C", "D": "M", "S": "M", "L": "G"}
    problems = _problems(assignment)
    assert ("D", "C", Problem.PREFERRED_TO_ADMITTED) in problems
    assert all(
        reason in {Problem.PREFERRED_TO_ADMITTED, Problem.EMPTY_SEAT} for _, _, reason in problems
    )
    found = check_stability(assignment, HR_RESIDENTS, HR_HOSPITALS, HR_CAPACITIES)
    assert all(p.is_blocking for p in found)


def test_check_stability_on_the_cyclic_instance():
    order_optimal = {1: "c", 2: "a", 3: "b"}
    assert check_stability(order_optimal, CYCLIC_LEARNERS, CYCLIC_ORDERS, CYCLIC_CAPACITIES) == ()
    # 3 got its last choice while "a", its second, ranks it above its holder 1.
    lopsided = {1: "a", 2: "c", 3: "b"}
    found = check_stability(lopsided, CYCLIC_LEARNERS, CYCLIC_ORDERS, CYCLIC_CAPACITIES)
    assert found == (BlockingPair(3, "a", Problem.PREFERRED_TO_ADMITTED),)


def test_check_stability_flags_an_empty_assignment():
    found = check_stability({}, HR_RESIDENTS, HR_HOSPITALS, HR_CAPACITIES)
    assert {(p.learner, p.order) for p in found} == {
        ("A", "C"),
        ("S", "C"),
        ("S", "M"),
        ("D", "C"),
        ("D", "M"),
        ("D", "G"),
        ("J", "C"),
        ("J", "G"),
        ("J", "M"),
        ("L", "M"),
        ("L", "C"),
        ("L", "G"),
    }
    assert {p.reason for p in found} == {Problem.EMPTY_SEAT}


def test_check_stability_reports_infeasible_assignments():
    assignment = {"A": "M", "S": "C", "D": "C", "J": "C", "L": "G"}
    problems = _problems(assignment)
    assert ("A", "M", Problem.UNACCEPTABLE_TO_LEARNER) in problems
    assert ("A", "M", Problem.UNACCEPTABLE_TO_ORDER) in problems
    # C holds S, D and J for two seats: J, its lowest ranked, is the excess.
    assert ("J", "C", Problem.OVER_CAPACITY) in problems
    assert ("S", "C", Problem.OVER_CAPACITY) not in problems
    found = check_stability(assignment, HR_RESIDENTS, HR_HOSPITALS, HR_CAPACITIES)
    assert not found[0].is_blocking


def test_check_stability_reports_unknown_ids():
    assignment = {"A": "C", "ghost": "C", "D": "nowhere"}
    problems = _problems(assignment)
    assert ("ghost", "C", Problem.UNKNOWN_LEARNER) in problems
    assert ("D", "nowhere", Problem.UNKNOWN_ORDER) in problems


def test_check_stability_counts_an_unranked_holder_as_worst():
    learners = {1: ["o"], 2: ["o"]}
    orders = {"o": [2]}
    found = check_stability({1: "o"}, learners, orders, {"o": 1})
    assert set(found) == {
        BlockingPair(1, "o", Problem.UNACCEPTABLE_TO_ORDER),
        BlockingPair(2, "o", Problem.PREFERRED_TO_ADMITTED),
    }


def test_check_stability_ignores_orders_without_seats():
    assert check_stability({}, {1: ["o"]}, {"o": [1]}, {"o": 0}) == ()
    found = check_stability({1: "o"}, {1: ["o"]}, {"o": [1]}, {"o": 0})
    assert found == (BlockingPair(1, "o", Problem.OVER_CAPACITY),)


def test_explain_outcome_of_an_unmatched_learner_covers_its_whole_list():
    learners = {"me": ["picky", "closed", "popular"], "star": ["popular"], "ace": ["popular"]}
    orders = {"picky": ["star"], "closed": ["me"], "popular": ["ace", "star", "me"]}
    caps = {"picky": 1, "closed": 0, "popular": 2}
    result = deferred_acceptance(learners, orders, caps)
    assert result.unmatched_learners == ("me",)
    assert explain_outcome("me", result, learners, orders) == (
        Explanation("picky", 1, ExplanationCode.UNRANKED, None, 1, 0, None),
        Explanation("closed", 2, ExplanationCode.NO_SEATS, 1, 0, 0, None),
        Explanation("popular", 3, ExplanationCode.FILLED_BY_HIGHER_RANKED, 3, 2, 2, 2),
    )


def test_explain_outcome_stops_at_the_assigned_order():
    result = deferred_acceptance(HR_RESIDENTS, HR_HOSPITALS, HR_CAPACITIES)
    (why,) = explain_outcome("J", result, HR_RESIDENTS, HR_HOSPITALS)
    assert why.order == "C"
    assert why.code is ExplanationCode.FILLED_BY_HIGHER_RANKED
    assert (why.choice, why.your_rank, why.seats, why.admitted) == (1, 5, 2, 2)
    assert why.last_admitted_rank == 2
    assert why.code == "filled_by_higher_ranked"
    assert explain_outcome("D", result, HR_RESIDENTS, HR_HOSPITALS) == ()


def test_explain_outcome_on_an_unstable_allocation_says_so():
    # C keeps a seat empty although it ranks J.
    unstable = Allocation(
        assignment={"J": "G", "D": "C"},
        by_order={"M": (), "C": ("D",), "G": ("J",)},
        unmatched_learners=("A", "S", "L"),
        empty_seats={"M": 2, "C": 1, "G": 1},
    )
    (why,) = explain_outcome("J", unstable, HR_RESIDENTS, HR_HOSPITALS)
    assert why.code is ExplanationCode.NOT_STABLE
    assert (why.seats, why.admitted, why.last_admitted_rank, why.your_rank) == (2, 1, 1, 5)
    # C is full, but with S and J, both ranked below D.
    full_of_worse = Allocation(
        assignment={"S": "C", "J": "C", "D": "G"},
        by_order={"M": (), "C": ("S", "J"), "G": ("D",)},
        unmatched_learners=("A", "L"),
        empty_seats={"M": 2, "C": 0, "G": 1},
    )
    first, second = explain_outcome("D", full_of_worse, HR_RESIDENTS, HR_HOSPITALS)
    assert (first.order, first.code) == ("C", ExplanationCode.NOT_STABLE)
    assert (first.your_rank, first.last_admitted_rank, first.admitted) == (1, 5, 2)
    assert (second.order, second.code) == ("M", ExplanationCode.NOT_STABLE)


def test_explain_outcome_rejects_unknown_ids():
    result = deferred_acceptance(HR_RESIDENTS, HR_HOSPITALS, HR_CAPACITIES)
    with pytest.raises(ValueError, match="unknown learner 'nobody'"):
        explain_outcome("nobody", result, HR_RESIDENTS, HR_HOSPITALS)
    with pytest.raises(ValueError, match="unknown order 'X'"):
        explain_outcome("A", result, {"A": ["X"]}, HR_HOSPITALS)
    with pytest.raises(ValueError, match="learner 'J' lists order 'C' more than once"):
        explain_outcome("J", result, {"J": ["C", "M", "C", "G"]}, HR_HOSPITALS)
