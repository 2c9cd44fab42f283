"""Who may take part in an allocation round, and how well they must fit.

The office can restrict a round to some cohorts (graduation years), some colleges or
some programmes, and ask for a minimum fit: "nearly meets" or "meets" the
requirements of an internship before a learner may list it. An empty rule admits
everyone; the default minimum fit is none (a learner may list any internship of the
round, as before, and is only ever *suggested* the ones they at least nearly meet).

The rules are checked where a learner lists internships (refused with the reason)
and again when the allocation runs, so that a profile changed after listing cannot
slip past them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from matchhub.extensions import db
from matchhub.matching.types import Tier
from matchhub.models import AllocationRound, Learner, Organization, OrgKind, Programme
from matchhub.security import MAX_INT
from matchhub.services import ServiceError

MIN_FIT_CHOICES = {"any": Tier.MISSING, "near": Tier.NEAR, "meets": Tier.MEETS}
YEAR_RANGE = (2000, 2100)


@dataclass(frozen=True)
class Rules:
    years: tuple[int, ...] = ()
    colleges: tuple[int, ...] = ()
    programmes: tuple[int, ...] = ()
    min_tier: Tier = Tier.MISSING

    @classmethod
    def of(cls, rnd: AllocationRound) -> Rules:
        data: dict[str, Any] = rnd.rules or {}
        return cls(
            years=tuple(data.get("years", ())),
            colleges=tuple(data.get("colleges", ())),
            programmes=tuple(data.get("programmes", ())),
            min_tier=Tier(data.get("min_tier", int(Tier.MISSING))),
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "years": list(self.years),
            "colleges": list(self.colleges),
            "programmes": list(self.programmes),
            "min_tier": int(self.min_tier),
        }

    @property
    def restricted(self) -> bool:
        return bool(self.years or self.colleges or self.programmes)

    @property
    def min_fit_key(self) -> str:
        return next(k for k, t in MIN_FIT_CHOICES.items() if t == self.min_tier)

    def refusal(self, learner: Learner) -> str | None:
        """Why ``learner`` may not take part, or ``None`` when they may."""
        if self.years and learner.graduation_year not in self.years:
            return _("This round is for the graduating years %(years)s.", years=_years(self.years))
        if self.colleges and learner.college_id not in self.colleges:
            return _("This round is for learners of other training institutions.")
        if self.programmes and learner.programme_id not in self.programmes:
            return _("This round is for learners of other programmes.")
        return None

    def admits(self, learner: Learner) -> bool:
        return self.refusal(learner) is None

    def admitted_ids(self, learner_ids: Iterable[int]) -> set[int]:
        """The learners among ``learner_ids`` that the rules admit (one query)."""
        ids = set(learner_ids)
        if not self.restricted or not ids:
            return ids
        query = sa.select(Learner.id).where(Learner.id.in_(ids))
        if self.years:
            query = query.where(Learner.graduation_year.in_(self.years))
        if self.colleges:
            query = query.where(Learner.college_id.in_(self.colleges))
        if self.programmes:
            query = query.where(Learner.programme_id.in_(self.programmes))
        return set(db.session.scalars(query))


def _years(years: Iterable[int]) -> str:
    return ", ".join(str(y) for y in sorted(years))


def parse_years(text: str) -> tuple[int, ...]:
    """Graduation years from "2025, 2026" (commas or spaces); ServiceError when not years."""
    years = set()
    for part in text.replace(",", " ").split():
        if not part.isdigit() or not YEAR_RANGE[0] <= int(part) <= YEAR_RANGE[1]:
            raise ServiceError(
                _(
                    "“%(value)s” is not a graduation year (%(low)d–%(high)d).",
                    value=part[:12],
                    low=YEAR_RANGE[0],
                    high=YEAR_RANGE[1],
                ),
                field="years",
            )
        years.add(int(part))
    return tuple(sorted(years))


def build(years: str, colleges: Iterable[int], programmes: Iterable[int], min_fit: str) -> Rules:
    """Rules from the office's form; unknown colleges, programmes or fit are refused."""
    college_ids = tuple(sorted(set(colleges)))
    programme_ids = tuple(sorted(set(programmes)))
    # Ids come from a form: one outside what the database can hold is simply unknown
    # (PostgreSQL refuses to compare an integer column with 10**12).
    if any(not 0 < i <= MAX_INT for i in college_ids):
        raise ServiceError(_("Choose training institutions from the list."), field="colleges")
    if any(not 0 < i <= MAX_INT for i in programme_ids):
        raise ServiceError(_("Choose programmes from the list."), field="programmes")
    if college_ids:
        known = set(
            db.session.scalars(
                sa.select(Organization.id).where(
                    Organization.id.in_(college_ids), Organization.kind == OrgKind.COLLEGE
                )
            )
        )
        if known != set(college_ids):
            raise ServiceError(_("Choose training institutions from the list."), field="colleges")
    if programme_ids:
        known = set(
            db.session.scalars(sa.select(Programme.id).where(Programme.id.in_(programme_ids)))
        )
        if known != set(programme_ids):
            raise ServiceError(_("Choose programmes from the list."), field="programmes")
    if min_fit not in MIN_FIT_CHOICES:
        raise ServiceError(_("Choose a minimum fit from the list."), field="min_fit")
    return Rules(parse_years(years), college_ids, programme_ids, MIN_FIT_CHOICES[min_fit])


def college_choices() -> list[tuple[int, str]]:
    return [
        (cid, name)
        for cid, name in db.session.execute(
            sa.select(Organization.id, Organization.name)
            .where(Organization.kind == OrgKind.COLLEGE)
            .order_by(Organization.name, Organization.id)
        )
    ]


def programme_choices() -> list[tuple[int, str]]:
    return [
        (pid, f"{name} · {college}")
        for pid, name, college in db.session.execute(
            sa.select(Programme.id, Programme.name, Organization.name)
            .join(Organization, Organization.id == Programme.organization_id)
            .order_by(Organization.name, Programme.name, Programme.id)
        )
    ]


def describe(rules: Rules) -> list[str]:
    """The rules in words for the round's pages (empty: everyone may take part)."""
    lines = []
    if rules.years:
        lines.append(_("Graduating years: %(years)s", years=_years(rules.years)))
    if rules.colleges:
        names = _names(Organization, rules.colleges)
        lines.append(_("Training institutions: %(names)s", names=", ".join(names)))
    if rules.programmes:
        names = _names(Programme, rules.programmes)
        lines.append(_("Programmes: %(names)s", names=", ".join(names)))
    if rules.min_tier is Tier.NEAR:
        lines.append(_("Only internships the learner meets or nearly meets may be listed."))
    elif rules.min_tier is Tier.MEETS:
        lines.append(_("Only internships whose requirements the learner meets may be listed."))
    return lines


def _names(model, ids: Iterable[int]) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(model.name).where(model.id.in_(list(ids))).order_by(model.name)
        )
    )
