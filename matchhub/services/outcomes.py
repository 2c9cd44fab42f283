"""Where a college's learners went: applications and hires per programme and cohort, and
what its graduates were doing 6 and 12 months after graduating (survey answers)."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from matchhub.extensions import db
from matchhub.models import (
    WAVES,
    Application,
    ApplicationStatus,
    GraduateOutcome,
    Learner,
    LearnerSkill,
    Organization,
    Programme,
    Situation,
    Skill,
)


@dataclass
class CohortOutcome:
    """One (programme, graduation year) cohort: its learners, their applications per status,
    and how many were hired at least once."""

    programme: Programme | None
    year: int | None
    learners: int = 0
    statuses: dict[ApplicationStatus, int] = field(default_factory=dict)
    hired_learners: int = 0

    @property
    def applications(self) -> int:
        return sum(self.statuses.values())

    @property
    def placement_rate(self) -> float:
        return self.hired_learners / self.learners if self.learners else 0.0


def outcomes_of(college: Organization) -> list[CohortOutcome]:
    """The college's own learners only, by programme then cohort (newest first). Three queries."""
    programmes = {
        p.id: p
        for p in db.session.scalars(
            sa.select(Programme).where(Programme.organization_id == college.id)
        )
    }
    cohorts: dict[tuple[int | None, int | None], CohortOutcome] = {}

    def cohort(pid, year) -> CohortOutcome:
        key = (pid, year)
        if key not in cohorts:
            cohorts[key] = CohortOutcome(programmes.get(pid), year)
        return cohorts[key]

    mine = Learner.college_id == college.id
    for pid, year, n in db.session.execute(
        sa.select(Learner.programme_id, Learner.graduation_year, sa.func.count(Learner.id))
        .where(mine)
        .group_by(Learner.programme_id, Learner.graduation_year)
    ):
        cohort(pid, year).learners = n
    for pid, year, status, n in db.session.execute(
        sa.select(
            Learner.programme_id, Learner.graduation_year, Application.status,
            sa.func.count(Application.id),
        )
        .join(Learner, Learner.id == Application.learner_id)
        .where(mine)
        .group_by(Learner.programme_id, Learner.graduation_year, Application.status)
    ):  # fmt: skip
        cohort(pid, year).statuses[status] = n
    for pid, year, n in db.session.execute(
        sa.select(
            Learner.programme_id, Learner.graduation_year,
            sa.func.count(sa.distinct(Application.learner_id)),
        )
        .join(Learner, Learner.id == Application.learner_id)
        .where(mine, Application.status == ApplicationStatus.HIRED)
        .group_by(Learner.programme_id, Learner.graduation_year)
    ):  # fmt: skip
        cohort(pid, year).hired_learners = n
    return sorted(
        cohorts.values(),
        key=lambda c: (
            c.programme is None,
            c.programme.name if c.programme else "",
            -(c.year or 0),
        ),
    )


# --- What graduates were doing 6 and 12 months on (services/surveys.py records it) ---

#: Situations counted as employed, in field or elsewhere.
EMPLOYED = (Situation.EMPLOYED_IN_FIELD, Situation.EMPLOYED_ELSEWHERE)
TOP_SKILLS = 10


@dataclass
class WaveTotal:
    """One wave (6 or 12 months) of the college's graduates: answers per situation, and
    how many were asked (survey links sent)."""

    wave: int
    situations: dict[Situation, int] = field(default_factory=dict)
    surveyed: int = 0

    @property
    def answered(self) -> int:
        return sum(self.situations.values())

    @property
    def employment_rate(self) -> float | None:
        if not self.answered:
            return None
        return sum(self.situations.get(s, 0) for s in EMPLOYED) / self.answered


@dataclass
class ProgrammeWave:
    """Placement of one programme's graduates at one wave, from the recorded answers."""

    programme: Programme | None
    wave: int
    situations: dict[Situation, int] = field(default_factory=dict)

    @property
    def answered(self) -> int:
        return sum(self.situations.values())

    @property
    def employment_rate(self) -> float:
        return sum(self.situations.get(s, 0) for s in EMPLOYED) / self.answered

    @property
    def in_field_rate(self) -> float:
        return self.situations.get(Situation.EMPLOYED_IN_FIELD, 0) / self.answered


@dataclass(frozen=True)
class SkillShare:
    """A skill and the share of the employed, and of those still seeking, who hold it."""

    skill: Skill
    employed: int
    seeking: int
    employed_share: float
    seeking_share: float


@dataclass
class GraduateReport:
    year: int | None  # the cohort shown; None: every cohort
    waves: list[WaveTotal]
    programmes: list[ProgrammeWave]
    skills: list[SkillShare]
    employed: int  # graduates whose latest answer is a job
    seeking: int  # ... who are still seeking

    @property
    def any(self) -> bool:
        return any(w.answered for w in self.waves)


def _graduates(college: Organization, year: int | None) -> list:
    where = [Learner.college_id == college.id]
    if year is not None:
        where.append(Learner.graduation_year == year)
    return where


def _wave_totals(college: Organization, year: int | None) -> list[WaveTotal]:
    totals = {wave: WaveTotal(wave) for wave in WAVES}
    for wave, situation, surveyed, n in db.session.execute(
        sa.select(
            GraduateOutcome.wave, GraduateOutcome.situation,
            GraduateOutcome.survey_sent_at.is_not(None), sa.func.count(),
        )
        .join(Learner, Learner.id == GraduateOutcome.learner_id)
        .where(*_graduates(college, year))
        .group_by(
            GraduateOutcome.wave, GraduateOutcome.situation,
            GraduateOutcome.survey_sent_at.is_not(None),
        )
    ):  # fmt: skip
        total = totals[wave]
        if situation is not None:
            total.situations[situation] = total.situations.get(situation, 0) + n
        if surveyed:
            total.surveyed += n
    return list(totals.values())


def _programme_waves(college: Organization, year: int | None) -> list[ProgrammeWave]:
    programmes = {
        p.id: p
        for p in db.session.scalars(
            sa.select(Programme).where(Programme.organization_id == college.id)
        )
    }
    rows: dict[tuple[int | None, int], ProgrammeWave] = {}
    for pid, wave, situation, n in db.session.execute(
        sa.select(Learner.programme_id, GraduateOutcome.wave, GraduateOutcome.situation,
                  sa.func.count())
        .join(Learner, Learner.id == GraduateOutcome.learner_id)
        .where(*_graduates(college, year), GraduateOutcome.situation.is_not(None))
        .group_by(Learner.programme_id, GraduateOutcome.wave, GraduateOutcome.situation)
    ):  # fmt: skip
        key = (pid, wave)
        if key not in rows:
            rows[key] = ProgrammeWave(programmes.get(pid), wave)
        rows[key].situations[situation] = n
    return sorted(
        rows.values(),
        key=lambda r: (r.programme is None, r.programme.name if r.programme else "", r.wave),
    )


def _latest_groups(college: Organization, year: int | None):
    """Each answering graduate's latest answer as "employed" or "seeking" (studying: no
    group), as a subquery (learner_id, grp)."""
    later = sa.orm.aliased(GraduateOutcome)
    group = sa.case(
        (GraduateOutcome.situation.in_(EMPLOYED), sa.literal("employed")),
        (GraduateOutcome.situation == Situation.SEEKING, sa.literal("seeking")),
        else_=sa.null(),
    )
    return (
        sa.select(GraduateOutcome.learner_id, group.label("grp"))
        .join(Learner, Learner.id == GraduateOutcome.learner_id)
        .where(
            *_graduates(college, year),
            GraduateOutcome.situation.is_not(None),
            ~sa.exists().where(
                later.learner_id == GraduateOutcome.learner_id,
                later.wave > GraduateOutcome.wave,
                later.situation.is_not(None),
            ),
        )
        .subquery()
    )


def _skill_shares(college: Organization, year: int | None) -> tuple[list[SkillShare], int, int]:
    latest = _latest_groups(college, year)
    sizes = dict(
        db.session.execute(
            sa.select(latest.c.grp, sa.func.count()).where(latest.c.grp.is_not(None))
            .group_by(latest.c.grp)
        ).all()
    )  # fmt: skip
    employed, seeking = sizes.get("employed", 0), sizes.get("seeking", 0)
    counts: dict[int, dict[str, int]] = {}
    for grp, skill_id, n in db.session.execute(
        sa.select(latest.c.grp, LearnerSkill.skill_id,
                  sa.func.count(sa.distinct(LearnerSkill.learner_id)))
        .join(LearnerSkill, LearnerSkill.learner_id == latest.c.learner_id)
        .where(latest.c.grp.is_not(None), LearnerSkill.skill_id.is_not(None))
        .group_by(latest.c.grp, LearnerSkill.skill_id)
    ):  # fmt: skip
        counts.setdefault(skill_id, {})[grp] = n

    def top(grp: str) -> list[int]:
        held = [sid for sid, c in counts.items() if c.get(grp)]
        return sorted(held, key=lambda sid: (-counts[sid][grp], sid))[:TOP_SKILLS]

    chosen = list(dict.fromkeys([*top("employed"), *top("seeking")]))
    skills = {s.id: s for s in db.session.scalars(sa.select(Skill).where(Skill.id.in_(chosen)))}
    rows = []
    for sid in chosen:
        if sid not in skills:
            continue
        e, s = counts[sid].get("employed", 0), counts[sid].get("seeking", 0)
        rows.append(
            SkillShare(
                skills[sid],
                e,
                s,
                e / employed if employed else 0.0,
                s / seeking if seeking else 0.0,
            )
        )
    rows.sort(key=lambda r: (-(r.employed_share - r.seeking_share), r.skill.slug))
    return rows, employed, seeking


def graduate_report(college: Organization, year: int | None = None) -> GraduateReport:
    """What the college's graduates (of cohort ``year``, or all) were doing at 6 and 12
    months: totals per wave and situation, placement by programme, and the skills the
    employed held against those still seeking (each graduate counted once, at their
    latest answer). The college's own learners only; a handful of queries."""
    skills, employed, seeking = _skill_shares(college, year)
    return GraduateReport(
        year=year,
        waves=_wave_totals(college, year),
        programmes=_programme_waves(college, year),
        skills=skills,
        employed=employed,
        seeking=seeking,
    )
