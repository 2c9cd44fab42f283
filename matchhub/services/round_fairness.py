"""How fair a round's latest run is: who got which choice, by college, programme and locality.

The office reads this before publishing: the choice each learner got (1st, 2nd, …,
unplaced), the match rate and the mean fit of the placements for every college,
programme and locality, the seats each enterprise has left, and the stability check
that the run made on the preferences it allocated with. A group whose match rate is far below the
round's is flagged so that the office looks at why (few seats near them, lists too
short, skills nobody asked for) before the results are final.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from matchhub.extensions import db
from matchhub.models import (
    AllocationRound,
    Learner,
    Order,
    Organization,
    Programme,
    RoundChoice,
    RoundOrder,
    RoundResult,
    User,
)
from matchhub.services import audit, exports, localities, pair_scores

# A group is flagged when at least FLAG_MIN_LEARNERS of its learners took part and its
# match rate is FLAG_GAP (15 points) or more below the round's. Smaller groups swing too
# much on one placement to say anything.
FLAG_GAP = 0.15
FLAG_MIN_LEARNERS = 5
# Choices are listed one by one up to this rank; later ones are counted together.
CHOICE_COLUMNS = 3

GROUP_KINDS = ("college", "programme", "locality")


@dataclass
class Group:
    """The learners of one college, programme or locality in a round's latest run."""

    kind: str
    key: object
    name: str
    learners: int = 0
    placed: int = 0
    fit_total: float = 0.0
    # Count per choice rank got (1, 2, …); unplaced learners are learners - placed.
    choices: Counter = field(default_factory=Counter)
    flagged: bool = False

    @property
    def match_rate(self) -> float:
        return self.placed / self.learners if self.learners else 0.0

    @property
    def mean_fit(self) -> float | None:
        return self.fit_total / self.placed if self.placed else None

    @property
    def unplaced(self) -> int:
        return self.learners - self.placed

    def choice_counts(self) -> list[int]:
        """Learners who got their 1st, 2nd, … choice, the last column counting the rest."""
        head = [self.choices.get(rank, 0) for rank in range(1, CHOICE_COLUMNS)]
        return [*head, self.placed - sum(head)]


@dataclass(frozen=True)
class SeatsLeft:
    enterprise: str
    seats: int
    placed: int

    @property
    def left(self) -> int:
        return self.seats - self.placed


@dataclass(frozen=True)
class Fairness:
    overall: Group
    groups: dict[str, list[Group]]
    seats: list[SeatsLeft]
    blocking_pairs: int

    @property
    def flagged(self) -> list[Group]:
        return [g for kind in GROUP_KINDS for g in self.groups[kind] if g.flagged]


def _placements(rnd: AllocationRound) -> list[sa.Row]:
    """(learner, order placed in, choice rank got, college, programme, locality) per learner."""
    got = sa.orm.aliased(RoundChoice)
    return db.session.execute(
        sa.select(
            RoundResult.learner_id,
            RoundResult.order_id,
            got.rank,
            Learner.college_id,
            Learner.programme_id,
            Learner.locality,
        )
        .join(Learner, Learner.id == RoundResult.learner_id)
        .outerjoin(
            got,
            sa.and_(
                got.round_id == RoundResult.round_id,
                got.learner_id == RoundResult.learner_id,
                got.order_id == RoundResult.order_id,
            ),
        )
        .where(RoundResult.round_id == rnd.id)
    ).all()


def _names(model, ids: Iterable[int]) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(model.id, model.name).where(model.id.in_(ids))).all())


def _seats_left(rnd: AllocationRound, placed_by_order: Counter) -> list[SeatsLeft]:
    per_org: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for name, order_id, capacity in db.session.execute(
        sa.select(Organization.name, RoundOrder.order_id, RoundOrder.capacity)
        .join(Order, Order.id == RoundOrder.order_id)
        .join(Organization, Organization.id == Order.organization_id)
        .where(RoundOrder.round_id == rnd.id)
    ):
        per_org[name][0] += capacity
        per_org[name][1] += placed_by_order.get(order_id, 0)
    rows = [SeatsLeft(name, seats, placed) for name, (seats, placed) in per_org.items()]
    return sorted(rows, key=lambda r: (-r.left, r.enterprise))


def fairness(rnd: AllocationRound) -> Fairness | None:
    """The fairness report of the round's latest run, or ``None`` before it ran.

    Five queries, then O(learners); the fit scores each placement once.
    """
    if rnd.ran_at is None:
        return None
    rows = _placements(rnd)
    unknown = _("Not given")
    pairs = [(oid, lid) for lid, oid, *_ in rows if oid is not None]
    fit = pair_scores.pair_results(pairs)
    colleges = _names(Organization, (r[3] for r in rows))
    programmes = _names(Programme, (r[4] for r in rows))

    overall = Group("all", None, "")
    groups: dict[str, dict[object, Group]] = {kind: {} for kind in GROUP_KINDS}
    placed_by_order: Counter = Counter()
    for lid, oid, rank, college_id, programme_id, locality in rows:
        keys = {
            "college": (college_id, colleges.get(college_id, unknown)),
            "programme": (programme_id, programmes.get(programme_id, unknown)),
            "locality": (locality, localities.name_of(locality) if locality else unknown),
        }
        score = fit[(oid, lid)].score if (oid, lid) in fit else 0.0
        targets = [overall]
        for kind, (key, name) in keys.items():
            group = groups[kind].get(key)
            if group is None:
                group = groups[kind][key] = Group(kind, key, name)
            targets.append(group)
        for group in targets:
            group.learners += 1
            if oid is not None:
                group.placed += 1
                group.fit_total += score
                if rank is not None:
                    group.choices[rank] += 1
        if oid is not None:
            placed_by_order[oid] += 1

    for kind_groups in groups.values():
        for group in kind_groups.values():
            group.flagged = (
                group.learners >= FLAG_MIN_LEARNERS
                and group.match_rate <= overall.match_rate - FLAG_GAP
            )
    return Fairness(
        overall=overall,
        groups={
            kind: sorted(kind_groups.values(), key=lambda g: (g.match_rate, g.name))
            for kind, kind_groups in groups.items()
        },
        seats=_seats_left(rnd, placed_by_order),
        # The check the run made on the very preferences it allocated with: the default
        # rankings follow the learners' fit, which may have moved since, and that is no
        # fault of the allocation.
        blocking_pairs=int(rnd.summary.get("problems", 0)),
    )


def kind_label(kind: str) -> str:
    return {
        "all": _("Whole round"),
        "college": _("Training institution"),
        "programme": _("Programme"),
        "locality": _("Locality"),
    }[kind]


def table(report: Fairness) -> tuple[list[str], list[list[object]]]:
    """The report's groups as one table (headers, rows): the whole round first."""
    headers = [
        _("Group by"),
        _("Group"),
        _("Learners"),
        _("Placed"),
        _("Match rate"),
        _("Mean fit"),
        _("1st choice"),
        _("2nd choice"),
        _("3rd choice or later"),
        _("Unplaced"),
        _("Far below the round"),
    ]
    rows = []
    for group in [report.overall, *(g for kind in GROUP_KINDS for g in report.groups[kind])]:
        mean_fit = group.mean_fit
        rows.append(
            [
                kind_label(group.kind),
                group.name or kind_label(group.kind),
                group.learners,
                group.placed,
                round(group.match_rate, 4),
                round(mean_fit, 4) if mean_fit is not None else None,
                *group.choice_counts(),
                group.unplaced,
                _("yes") if group.flagged else "",
            ]
        )
    return headers, rows


def export(rnd: AllocationRound, admin: User, fmt: str) -> tuple[str, bytes, str] | None:
    """The fairness table as a CSV or XLSX file: (file name, bytes, MIME type); audited.

    ``None`` for an unknown format or a round that has not run.
    """
    if fmt not in exports.MIMETYPES:
        return None
    report = fairness(rnd)
    if report is None:
        return None
    headers, rows = table(report)
    data, mime = exports.table_file(fmt, headers, rows, _("Fairness"))
    audit.record("export.round_fairness", actor=admin, obj=rnd, format=fmt, rows=len(rows))
    db.session.commit()
    return f"matchhub-round-{rnd.id}-fairness.{fmt}", data, mime
