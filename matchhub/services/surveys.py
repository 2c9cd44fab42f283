"""Graduates' situation 6 and 12 months after graduating: the survey and the records.

A college chooses a cohort (graduation year) and a wave (6 or 12 months); each of its
graduates of that year who has an email and has not answered gets a link by mail (a
job, as invitations: each message accepted by the server is marked sent, so a retried
job mails nobody twice). The link is signed and expires
(``OUTCOME_SURVEY_MAX_AGE``): it opens a one-question page without logging in. A
signed-in learner whose survey is due reaches the same page from the dashboard. The
college may also record or correct the answer itself, one learner at a time or for a
whole cohort on one page. The last answer wins, and says who gave it.

A cohort "graduates" on 1 July of its year (:data:`GRADUATION_MONTH`): Vietnamese
colleges hand out their diplomas in the summer, and only the year is known.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from matchhub import jobs
from matchhub.extensions import db
from matchhub.models import (
    ERASED_NAME,
    WAVES,
    GraduateOutcome,
    Learner,
    Organization,
    OutcomeSource,
    Situation,
    User,
    utcnow,
)
from matchhub.services import ServiceError, accounts, audit, invitations, mail
from matchhub.services.orders import today_in_vietnam

GRADUATION_MONTH = 7
#: A wave's survey is due from its month until the next wave opens (the last: 24 months).
_WINDOW_END = {6: 12, 12: 24}
#: A learner who has not answered may be sent the link again after this long, not before.
REMIND_AFTER = timedelta(days=7)
_PURPOSE = "outcome-survey"


def wave_opens(year: int, wave: int) -> date:
    """The day the cohort of ``year`` reaches ``wave`` months after graduating."""
    months = GRADUATION_MONTH - 1 + wave
    return date(year + months // 12, months % 12 + 1, 1)


def open_wave(year: int | None, today: date | None = None) -> int | None:
    """The wave whose survey the cohort of ``year`` answers ``today`` (None: none now)."""
    if year is None:
        return None
    today = today or today_in_vietnam()
    for wave in WAVES:
        if wave_opens(year, wave) <= today < wave_opens(year, _WINDOW_END[wave]):
            return wave
    return None


def outcomes_of_learner(learner: Learner) -> dict[int, GraduateOutcome]:
    """The learner's rows by wave (answered or only surveyed)."""
    rows = db.session.scalars(
        sa.select(GraduateOutcome).where(GraduateOutcome.learner_id == learner.id)
    )
    return {row.wave: row for row in rows}


def due_wave(learner: Learner, today: date | None = None) -> int | None:
    """The wave the learner is asked about now and has not answered yet, if any; none for
    a learner of no college (nobody would read the answer)."""
    wave = open_wave(learner.graduation_year, today)
    if wave is None or learner.college_id is None or learner.is_erased:
        return None
    row = outcomes_of_learner(learner).get(wave)
    return wave if row is None or row.situation is None else None


# --- The link ---


def survey_token(learner: Learner, wave: int) -> str:
    return accounts.link_token(_PURPOSE, {"l": learner.id, "w": wave})


def survey_url(learner: Learner, wave: int) -> str:
    return url_for("public.outcome_survey", token=survey_token(learner, wave), _external=True)


def read_token(token: str) -> tuple[Learner, int]:
    """The learner and wave of a survey link; ``ServiceError`` when it expired, was
    tampered with, or names nobody (an erased account)."""
    invalid = _("This survey link is not valid.")
    data = accounts.read_link_token(
        _PURPOSE,
        token,
        current_app.config["OUTCOME_SURVEY_MAX_AGE"],
        expired=_("This survey link has expired. Ask your college for a new one."),
        invalid=invalid,
    )
    learner_id, wave = data.get("l"), data.get("w")
    if type(learner_id) is not int or wave not in WAVES or type(wave) is not int:
        raise ServiceError(invalid)
    learner = db.session.get(Learner, learner_id)
    if learner is None or learner.is_erased:
        raise ServiceError(invalid)
    return learner, wave


# --- Recording ---


def _cohort(college: Organization, year: int):
    """The college's learners of the ``year`` cohort (erased ones left out)."""
    return sa.and_(
        Learner.college_id == college.id,
        Learner.graduation_year == year,
        Learner.full_name != ERASED_NAME,
    )


def _row(learner: Learner, wave: int) -> GraduateOutcome:
    row = db.session.scalar(
        sa.select(GraduateOutcome).where(
            GraduateOutcome.learner_id == learner.id, GraduateOutcome.wave == wave
        )
    )
    if row is None:
        row = GraduateOutcome(learner_id=learner.id, wave=wave)
        db.session.add(row)
    return row


def _set(
    learner: Learner, wave: int, situation: Situation | None, source: OutcomeSource, actor
) -> bool:
    """Set one answer (None clears it) in the session; whether anything changed."""
    if wave not in WAVES:
        raise ServiceError(_("Choose 6 or 12 months."), field="wave")
    row = _row(learner, wave)
    if row.situation is situation and (situation is None or row.source is source):
        return False
    row.situation = situation
    row.source = source if situation is not None else None
    row.answered_at = utcnow() if situation is not None else None
    audit.record(
        "outcome.recorded",
        actor=actor,
        organization_id=learner.college_id if source is OutcomeSource.COLLEGE else None,
        obj=learner,
        wave=wave,
        situation=situation.value if situation else None,
        source=source.value,
    )
    return True


def answer(learner: Learner, wave: int, situation: Situation) -> None:
    """The learner's own answer (through the link or their dashboard); commits."""
    _set(learner, wave, situation, OutcomeSource.LEARNER, learner.user)
    db.session.commit()


def record_by_college(user: User, learner: Learner, answers: dict[int, Situation | None]) -> int:
    """The college records (or clears, with None) its learner's answer per wave; commits.
    The caller loaded ``learner`` through the access rule. Returns how many changed."""
    changed = sum(
        _set(learner, wave, situation, OutcomeSource.COLLEGE, user)
        for wave, situation in answers.items()
    )
    db.session.commit()
    return changed


def cohort_learners(college: Organization, year: int, limit: int | None = None) -> list[Learner]:
    """The college's learners of the ``year`` cohort, by name (erased ones left out)."""
    query = (
        sa.select(Learner)
        .where(_cohort(college, year))
        .order_by(Learner.full_name, Learner.id)
        .options(selectinload(Learner.programme))
    )
    if limit is not None:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def cohort_answers(learner_ids: Iterable[int], wave: int) -> dict[int, GraduateOutcome]:
    ids = list(learner_ids)
    if not ids:
        return {}
    rows = db.session.scalars(
        sa.select(GraduateOutcome).where(
            GraduateOutcome.learner_id.in_(ids), GraduateOutcome.wave == wave
        )
    )
    return {row.learner_id: row for row in rows}


def record_cohort(
    user: User, college: Organization, year: int, wave: int, answers: dict[int, Situation | None]
) -> int:
    """The college's answers for several learners of one cohort at once (learner id ->
    situation, None clears); ids that are not this cohort's learners are ignored. Commits;
    returns how many answers changed."""
    learners = {
        row.id: row
        for row in db.session.scalars(
            sa.select(Learner).where(Learner.id.in_(list(answers)), _cohort(college, year))
        )
    }
    changed = 0
    for learner_id, situation in answers.items():
        learner = learners.get(learner_id)
        if learner is not None:
            changed += _set(learner, wave, situation, OutcomeSource.COLLEGE, user)
    db.session.commit()
    return changed


# --- Sending the links ---


def send_surveys(
    user: User, college: Organization, year: int | None, wave: int | None, today: date | None = None
) -> int:
    """Queue the survey of ``wave`` for the ``year`` cohort; commits and mails by a job.

    Everyone of the cohort with an email who has not answered this wave, except those
    mailed less than :data:`REMIND_AFTER` ago. Refused (``ServiceError`` on its field)
    for a year the college has no graduates of, a wave the cohort has not reached, or a
    college not verified yet. Returns how many links are queued.
    """
    if wave not in WAVES:
        raise ServiceError(_("Choose 6 or 12 months."), field="wave")
    if year is None or not db.session.scalar(sa.select(sa.exists().where(_cohort(college, year)))):
        raise ServiceError(_("Your college has no graduate of that year."), field="year")
    opens = wave_opens(year, wave)
    if (today or today_in_vietnam()) < opens:
        raise ServiceError(
            _("The %(year)s cohort reaches %(months)s months after graduation on %(day)s.",
              year=year, months=wave, day=format_date(opens, "dd/MM/yyyy")),
            field="wave",
        )  # fmt: skip
    if not invitations.allowed(college):
        raise ServiceError(
            _("Surveys can be mailed once the province office has verified your college.")
        )
    mailable = sa.or_(Learner.email.is_not(None), Learner.user_id.is_not(None))
    ids = db.session.scalars(sa.select(Learner.id).where(_cohort(college, year), mailable)).all()
    existing = cohort_answers(ids, wave)
    now = utcnow()
    queued = 0
    for learner_id in ids:
        row = existing.get(learner_id)
        if row is None:
            db.session.add(GraduateOutcome(learner_id=learner_id, wave=wave, survey="queued"))
        elif row.situation is not None or (
            row.survey == "sent" and row.survey_sent_at and now - row.survey_sent_at < REMIND_AFTER
        ):
            continue
        else:
            row.survey = "queued"
        queued += 1
    if queued:
        audit.record(
            "outcome.survey_sent",
            actor=user,
            organization_id=college.id,
            obj=college,
            year=year,
            wave=wave,
            learners=queued,
        )
        jobs.enqueue_after_commit(
            send_job, college.id, year, wave, _summary=f"college {college.id} {year}/{wave}"
        )
    db.session.commit()
    return queued


def send_job(college_id: int, year: int, wave: int) -> int:
    """The job: mail every queued survey link of the cohort and wave; how many were sent.

    A hundred at a time over one SMTP connection; each message the server accepted is
    marked sent (and committed) even when the connection then fails, so a retry sends
    only the rest. A learner who answered in the meantime is not mailed.
    """
    college = db.session.get(Organization, college_id)
    if college is None or not invitations.allowed(college):
        return 0
    waiting = sa.and_(
        GraduateOutcome.wave == wave,
        GraduateOutcome.survey == "queued",
        GraduateOutcome.learner_id.in_(sa.select(Learner.id).where(_cohort(college, year))),
    )
    db.session.execute(
        sa.update(GraduateOutcome)
        .where(waiting, GraduateOutcome.situation.is_not(None))
        .values(survey=None)
    )
    db.session.commit()
    default_locale = current_app.config["BABEL_DEFAULT_LOCALE"]
    sent = 0
    while True:
        batch = db.session.execute(
            sa.select(GraduateOutcome.id, Learner, User.email, User.locale)
            .join(Learner, Learner.id == GraduateOutcome.learner_id)
            .outerjoin(User, User.id == Learner.user_id)
            .where(waiting, sa.or_(User.email.is_not(None), Learner.email.is_not(None)))
            .order_by(GraduateOutcome.id)
            .limit(100)
        ).all()
        if not batch:
            return sent
        ids, messages = {}, []
        for row_id, learner, account_email, locale in batch:
            message = mail.render_to(
                account_email or learner.email,  # the account's address is the one kept current
                locale or default_locale,
                "outcome_survey",
                college=college.name,
                months=wave,
                days=current_app.config["OUTCOME_SURVEY_MAX_AGE"] // 86400,
                link=survey_url(learner, wave),
            )
            ids[id(message)] = row_id
            messages.append(message)
        accepted: list[int] = []
        try:  # one SMTP connection per batch
            mail.deliver(messages, sent=lambda m, ids=ids, done=accepted: done.append(ids[id(m)]))
        finally:  # what the server accepted stays sent, even when the rest failed
            if accepted:
                db.session.execute(
                    sa.update(GraduateOutcome)
                    .where(GraduateOutcome.id.in_(accepted))
                    .values(survey="sent", survey_sent_at=utcnow())
                )
                db.session.commit()
            sent += len(accepted)


def survey_counts(college: Organization, year: int | None = None) -> dict[int, dict[str, int]]:
    """Per wave: links sent and still queued, for the college's learners (of ``year``)."""
    where = [Learner.college_id == college.id, GraduateOutcome.survey.is_not(None)]
    if year is not None:
        where.append(Learner.graduation_year == year)
    rows = db.session.execute(
        sa.select(GraduateOutcome.wave, GraduateOutcome.survey, sa.func.count())
        .join(Learner, Learner.id == GraduateOutcome.learner_id)
        .where(*where)
        .group_by(GraduateOutcome.wave, GraduateOutcome.survey)
    )
    out = {wave: {"queued": 0, "sent": 0} for wave in WAVES}
    for wave, state, n in rows:
        if wave in out and state in out[wave]:
            out[wave][state] = n
    return out
