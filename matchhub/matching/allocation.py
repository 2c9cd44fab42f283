"""Internship allocation rounds: learner-proposing deferred acceptance with capacities.

This is the hospitals/residents problem. Learners (residents) rank the orders
(internships, the hospitals) they want; each order ranks the learners it would
take and has a number of seats. :func:`deferred_acceptance` returns the
*learner-optimal* stable matching: no learner and order would both rather be
matched to each other than keep what they got, and among all such matchings it is
the one every learner weakly prefers (Gale & Shapley 1962; Roth 1984). It is
unique, so the result does not depend on the order in which the input is given
beyond the order of the output containers.

Semantics shared by every function here:

* preferences are strict lists, best first; incomplete lists are fine;
* a learner only goes to an order on its own list, and an order only takes a
  learner on its own ranking: a pair must be *mutually acceptable*;
* an order's capacity is an ``int >= 0`` (``0`` means no seats this round);
* ids are any hashable values (ints, strings, ...); learner ids and order ids live
  in separate namespaces, so learner ``1`` and order ``1`` are unrelated.

Bad input (a duplicate in a list, an id that is not part of the round, a negative
or non-integer capacity) raises :class:`ValueError` naming the culprit.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

__all__ = [
    "Allocation",
    "BlockingPair",
    "Explanation",
    "ExplanationCode",
    "Problem",
    "check_stability",
    "deferred_acceptance",
    "explain_outcome",
]

LearnerId = Hashable
OrderId = Hashable


@dataclass(frozen=True, slots=True)
class Allocation:
    """The result of an allocation round.

    ``assignment`` maps each matched learner to its order (learners in input
    order); ``by_order`` gives every order of the round its admitted learners,
    best-ranked first by that order; ``unmatched_learners`` lists the learners who
    got nothing (in input order); ``empty_seats`` gives every order its number of
    unfilled seats. The mappings are read-only views.
    """

    assignment: Mapping[LearnerId, OrderId]
    by_order: Mapping[OrderId, tuple[LearnerId, ...]]
    unmatched_learners: tuple[LearnerId, ...]
    empty_seats: Mapping[OrderId, int]

    @property
    def match_rate(self) -> float:
        """Share of the round's learners who got a seat, in ``[0, 1]`` (``0.0`` for no learners)."""
        total = len(self.assignment) + len(self.unmatched_learners)
        return len(self.assignment) / total if total else 0.0

    @property
    def seats_filled(self) -> int:
        """Number of learners placed (equals ``len(assignment)``)."""
        return len(self.assignment)


class Problem(StrEnum):
    """Why :func:`check_stability` flags a (learner, order) pair.

    The first five are feasibility problems of the assignment itself; the last two
    are blocking pairs proper (both sides would rather be matched to each other).
    """

    UNKNOWN_LEARNER = "unknown_learner"
    """The assignment names a learner who is not in ``learner_prefs``."""
    UNKNOWN_ORDER = "unknown_order"
    """The assignment names an order that is not in ``capacities``."""
    UNACCEPTABLE_TO_LEARNER = "unacceptable_to_learner"
    """The learner was assigned an order it did not list."""
    UNACCEPTABLE_TO_ORDER = "unacceptable_to_order"
    """The learner was assigned an order that did not rank it."""
    OVER_CAPACITY = "over_capacity"
    """The order holds more learners than seats; its lowest-ranked extra learners are flagged."""
    EMPTY_SEAT = "empty_seat"
    """Blocking: the learner prefers the order, which ranks it and still has a free seat."""
    PREFERRED_TO_ADMITTED = "preferred_to_admitted"
    """Blocking: the learner prefers the order, which ranks it above someone it admitted."""


_BLOCKING = frozenset({Problem.EMPTY_SEAT, Problem.PREFERRED_TO_ADMITTED})


@dataclass(frozen=True, slots=True)
class BlockingPair:
    """One problem found by :func:`check_stability`: a learner, an order and why."""

    learner: LearnerId
    order: OrderId
    reason: Problem

    @property
    def is_blocking(self) -> bool:
        """True for a blocking pair proper, False for a feasibility problem."""
        return self.reason in _BLOCKING


class ExplanationCode(StrEnum):
    """Why a learner did not get an order it ranked above the one it got."""

    UNRANKED = "unranked"
    """The order did not rank the learner: it finds the learner unacceptable."""
    NO_SEATS = "no_seats"
    """The order ranked the learner but offered no seats in this round."""
    FILLED_BY_HIGHER_RANKED = "filled_by_higher_ranked"
    """Every seat went to a learner the order ranked higher."""
    NOT_STABLE = "not_stable"
    """The order would have taken the learner: the allocation is not stable for this pair.

    Never produced for a result of :func:`deferred_acceptance`.
    """


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why one learner is not in one order it preferred; codes and numbers, no prose.

    Ranks are 1-based. ``choice`` is where the learner put the order on its own
    list; ``your_rank`` is where the order put the learner (``None``: unranked);
    ``seats`` is the order's capacity and ``admitted`` how many it took;
    ``last_admitted_rank`` is the order's rank of the lowest-ranked learner it
    admitted (``None`` if it admitted nobody).
    """

    order: OrderId
    choice: int
    code: ExplanationCode
    your_rank: int | None
    seats: int
    admitted: int
    last_admitted_rank: int | None


@dataclass(frozen=True, slots=True)
class _Instance:
    """A validated round mapped to dense ints: learners ``0..n-1``, orders ``0..m-1``."""

    learners: tuple[LearnerId, ...]
    orders: tuple[OrderId, ...]
    learner_index: dict[LearnerId, int]
    order_index: dict[OrderId, int]
    learner_lists: list[list[int]]
    order_lists: list[tuple[LearnerId, ...]]
    order_ranked: list[list[int]]
    ranks: list[dict[int, int]]
    capacities: list[int]


def _as_id_list(value: Any, what: str) -> Sequence[Any]:
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        raise ValueError(f"{what} must be a sequence of ids (a list or tuple), got {value!r}")
    return value


def _first_duplicate(items: Sequence[Any]) -> tuple[bool, Any]:
    """``(True, item)`` for the first item seen twice, else ``(False, None)``."""
    seen = set()
    for item in items:
        if item in seen:
            return True, item
        seen.add(item)
    return False, None


def _capacity(order: OrderId, value: Any) -> int:
    # bool is an int subclass, but `True` seats is almost surely a bug upstream.
    if isinstance(value, bool):
        raise ValueError(f"capacity of order {order!r} must be an integer, got {value!r}")
    try:
        seats = value.__index__()
    except (AttributeError, TypeError):
        raise ValueError(f"capacity of order {order!r} must be an integer, got {value!r}") from None
    if seats < 0:
        raise ValueError(f"capacity of order {order!r} must be >= 0, got {seats}")
    return seats


def _build(
    learner_prefs: Mapping[LearnerId, Sequence[OrderId]],
    order_prefs: Mapping[OrderId, Sequence[LearnerId]],
    capacities: Mapping[OrderId, int],
) -> _Instance:
    """Validate a round and map its ids to ints. O(total preference list length)."""
    learners = tuple(learner_prefs)
    orders = tuple(capacities)
    learner_index = {learner: i for i, learner in enumerate(learners)}
    order_index = {order: j for j, order in enumerate(orders)}
    caps = [_capacity(order, capacities[order]) for order in orders]

    for order in order_prefs:
        if order not in order_index:
            raise ValueError(f"order {order!r} ranks learners but has no capacity")

    learner_lists: list[list[int]] = []
    for learner in learners:
        seq = _as_id_list(learner_prefs[learner], f"preferences of learner {learner!r}")
        try:
            idx = [order_index[order] for order in seq]
        except (KeyError, TypeError):
            unknown = next(o for o in seq if not isinstance(o, Hashable) or o not in order_index)
            raise ValueError(f"learner {learner!r} lists unknown order {unknown!r}") from None
        if len(set(idx)) != len(idx):
            raise ValueError(
                f"learner {learner!r} lists order {_first_duplicate(seq)[1]!r} more than once"
            )
        learner_lists.append(idx)

    order_lists: list[tuple[LearnerId, ...]] = []
    order_ranked: list[list[int]] = []
    ranks: list[dict[int, int]] = []
    for order in orders:
        seq = tuple(_as_id_list(order_prefs.get(order, ()), f"ranking of order {order!r}"))
        try:
            idx = [learner_index[learner] for learner in seq]
        except (KeyError, TypeError):
            unknown = next(x for x in seq if not isinstance(x, Hashable) or x not in learner_index)
            raise ValueError(f"order {order!r} ranks unknown learner {unknown!r}") from None
        rank = dict(zip(idx, range(len(idx)), strict=True))
        if len(rank) != len(idx):
            raise ValueError(
                f"order {order!r} ranks learner {_first_duplicate(seq)[1]!r} more than once"
            )
        order_lists.append(seq)
        order_ranked.append(idx)
        ranks.append(rank)

    return _Instance(
        learners=learners,
        orders=orders,
        learner_index=learner_index,
        order_index=order_index,
        learner_lists=learner_lists,
        order_lists=order_lists,
        order_ranked=order_ranked,
        ranks=ranks,
        capacities=caps,
    )


def _propose(inst: _Instance) -> list[list[int]]:
    """Run learner-proposing DA; return each order's heap of negated admitted ranks.

    Each order keeps a max-heap (negated min-heap) of the ranks it holds, so its
    worst holder is at the top; a rank identifies the learner within the order.
    O(P log c) for P proposals (at most the total list length) and capacity c.
    """
    ranks = inst.ranks
    caps = inst.capacities
    # Keep only mutually acceptable choices with seats, with the order's rank of the
    # learner alongside, so the loop below never looks at a dead proposal.
    choices: list[list[tuple[int, int]]] = []
    for learner, idx in enumerate(inst.learner_lists):
        choices.append(
            [(o, r) for o in idx if caps[o] and (r := ranks[o].get(learner)) is not None]
        )
    heaps: list[list[int]] = [[] for _ in caps]
    order_ranked = inst.order_ranked
    next_choice = [0] * len(choices)
    push = heapq.heappush
    replace = heapq.heapreplace
    # A stack, filled so learner 0 proposes first; any processing order gives the
    # same matching, the fixed one just keeps runs reproducible step by step.
    free = list(range(len(choices) - 1, -1, -1))
    while free:
        learner = free.pop()
        mine = choices[learner]
        i = next_choice[learner]
        n = len(mine)
        while i < n:
            o, r = mine[i]
            i += 1
            heap = heaps[o]
            if len(heap) < caps[o]:
                push(heap, -r)
                break
            if -heap[0] > r:
                evicted = -replace(heap, -r)
                free.append(order_ranked[o][evicted])
                break
        next_choice[learner] = i
    return heaps


def deferred_acceptance(
    learner_prefs: Mapping[LearnerId, Sequence[OrderId]],
    order_prefs: Mapping[OrderId, Sequence[LearnerId]],
    capacities: Mapping[OrderId, int],
) -> Allocation:
    """Allocate learners to orders: the learner-optimal stable matching.

    ``learner_prefs`` maps every learner of the round to the orders it wants, best
    first; ``order_prefs`` maps an order to the learners it accepts, best first
    (an order absent from it accepts nobody); ``capacities`` maps every order of
    the round to its number of seats and defines the set of orders.

    Learners propose down their lists; each order holds the best learners it has
    been offered up to its capacity and rejects the rest. The result is stable,
    unique, and weakly the best stable outcome for every learner.

    Complexity: O(L + O + S · log c) time and O(S) memory, for S the total length
    of all preference lists and c the largest capacity.

    Raises ``ValueError`` on an unknown id, a duplicate in a list, or a capacity
    that is negative or not an integer.
    """
    inst = _build(learner_prefs, order_prefs, capacities)
    heaps = _propose(inst)

    learner_index = inst.learner_index
    assigned = [-1] * len(inst.learners)
    by_order: dict[OrderId, tuple[LearnerId, ...]] = {}
    empty_seats: dict[OrderId, int] = {}
    for o, order in enumerate(inst.orders):
        ranking = inst.order_lists[o]
        admitted = tuple(ranking[r] for r in sorted(-x for x in heaps[o]))
        for learner in admitted:
            assigned[learner_index[learner]] = o
        by_order[order] = admitted
        empty_seats[order] = inst.capacities[o] - len(admitted)

    learners = inst.learners
    orders = inst.orders
    assignment = {learners[i]: orders[o] for i, o in enumerate(assigned) if o >= 0}
    unmatched = tuple(learners[i] for i, o in enumerate(assigned) if o < 0)
    return Allocation(
        assignment=MappingProxyType(assignment),
        by_order=MappingProxyType(by_order),
        unmatched_learners=unmatched,
        empty_seats=MappingProxyType(empty_seats),
    )


def check_stability(
    assignment: Allocation | Mapping[LearnerId, OrderId | None],
    learner_prefs: Mapping[LearnerId, Sequence[OrderId]],
    order_prefs: Mapping[OrderId, Sequence[LearnerId]],
    capacities: Mapping[OrderId, int],
) -> tuple[BlockingPair, ...]:
    """List everything that makes an assignment infeasible or unstable; ``()`` means stable.

    ``assignment`` is an :class:`Allocation` or a mapping learner → order (a
    learner missing from it, or mapped to ``None``, is unmatched). Feasibility
    problems come first (unknown ids, pairs that are not mutually acceptable,
    orders over capacity), then blocking pairs, learners in input order and each
    learner's orders in its preference order. A learner held in an order it did not
    list counts as worse off than unmatched. See :class:`Problem` for the codes.

    Complexity: O(S + A log A) for S the total preference list length and A the
    size of the assignment.
    """
    if isinstance(assignment, Allocation):
        assignment = assignment.assignment
    inst = _build(learner_prefs, order_prefs, capacities)
    ranks = inst.ranks
    caps = inst.capacities
    problems: list[BlockingPair] = []

    current = [-1] * len(inst.learners)
    holders: list[list[int]] = [[] for _ in caps]
    for learner, order in assignment.items():
        if order is None and None not in inst.order_index:
            continue
        i = inst.learner_index.get(learner) if isinstance(learner, Hashable) else None
        o = inst.order_index.get(order) if isinstance(order, Hashable) else None
        if i is None:
            problems.append(BlockingPair(learner, order, Problem.UNKNOWN_LEARNER))
            continue
        if o is None:
            problems.append(BlockingPair(learner, order, Problem.UNKNOWN_ORDER))
            continue
        if o not in inst.learner_lists[i]:
            problems.append(BlockingPair(learner, order, Problem.UNACCEPTABLE_TO_LEARNER))
        if i not in ranks[o]:
            problems.append(BlockingPair(learner, order, Problem.UNACCEPTABLE_TO_ORDER))
        current[i] = o
        holders[o].append(i)

    # An unranked holder counts as worse than every ranked learner.
    unranked = len(inst.learners)
    worst = [-1] * len(caps)
    for o, held in enumerate(holders):
        if not held:
            continue
        rank = ranks[o]
        ordered = sorted(held, key=lambda i, rank=rank: rank.get(i, unranked))
        worst[o] = rank.get(ordered[-1], unranked)
        for i in ordered[caps[o] :]:
            problems.append(BlockingPair(inst.learners[i], inst.orders[o], Problem.OVER_CAPACITY))

    for i, idx in enumerate(inst.learner_lists):
        mine = current[i]
        for o in idx:
            if o == mine:
                break
            r = ranks[o].get(i)
            if r is None or not caps[o]:
                continue
            if len(holders[o]) < caps[o]:
                problems.append(BlockingPair(inst.learners[i], inst.orders[o], Problem.EMPTY_SEAT))
            elif worst[o] > r:
                problems.append(
                    BlockingPair(inst.learners[i], inst.orders[o], Problem.PREFERRED_TO_ADMITTED)
                )
    return tuple(problems)


def explain_outcome(
    learner: LearnerId,
    allocation: Allocation,
    learner_prefs: Mapping[LearnerId, Sequence[OrderId]],
    order_prefs: Mapping[OrderId, Sequence[LearnerId]],
) -> tuple[Explanation, ...]:
    """Explain, for each order a learner preferred to what it got, why it did not get it.

    Covers the orders the learner listed above its assigned one, or its whole
    list if it is unmatched, in the learner's order. Each entry carries an
    :class:`ExplanationCode` and the numbers a page needs (seats, the learner's
    rank, the rank of the last learner admitted) so the web app can word it in
    any language.

    Complexity: O(k + sum of the ranking lengths of those k orders).
    Raises ``ValueError`` if the learner or one of its orders is not in the round.
    """
    if learner not in learner_prefs:
        raise ValueError(f"unknown learner {learner!r}")
    got = allocation.assignment.get(learner)
    matched = learner in allocation.assignment
    seq = _as_id_list(learner_prefs[learner], f"preferences of learner {learner!r}")
    repeated, duplicate = _first_duplicate(seq)
    if repeated:
        raise ValueError(f"learner {learner!r} lists order {duplicate!r} more than once")
    out: list[Explanation] = []
    for choice, order in enumerate(seq, start=1):
        if matched and order == got:
            break
        if order not in allocation.empty_seats:
            raise ValueError(f"learner {learner!r} lists unknown order {order!r}")
        admitted = allocation.by_order.get(order, ())
        seats = len(admitted) + allocation.empty_seats[order]
        position = {x: r for r, x in enumerate(order_prefs.get(order, ()), start=1)}
        your_rank = position.get(learner)
        last_rank = position.get(admitted[-1]) if admitted else None
        if your_rank is None:
            code = ExplanationCode.UNRANKED
        elif seats == 0:
            code = ExplanationCode.NO_SEATS
        elif len(admitted) >= seats and last_rank is not None and last_rank < your_rank:
            code = ExplanationCode.FILLED_BY_HIGHER_RANKED
        else:
            code = ExplanationCode.NOT_STABLE
        out.append(
            Explanation(
                order=order,
                choice=choice,
                code=code,
                your_rank=your_rank,
                seats=seats,
                admitted=len(admitted),
                last_admitted_rank=last_rank,
            )
        )
    return tuple(out)
