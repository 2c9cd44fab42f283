"""What the demo's past cohorts were doing 6 and 12 months after graduating."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa

from matchhub.extensions import db
from matchhub.models import WAVES, GraduateOutcome, Learner, OutcomeSource, Situation
from matchhub.services.demo.rows import insert
from matchhub.services.surveys import wave_opens

#: Of those surveyed, the share who answer (or whom the college records).
_ANSWERED = 0.7


class OutcomesMixin:
    """Survey answers of the graduated cohorts; part of ``seed._Builder``. Drawn last, so
    the rest of the demo is the same with or without it."""

    def build_outcomes(self, learners) -> int:
        rng, today = self.rng, self.today
        years = dict(
            db.session.execute(
                sa.select(Learner.id, Learner.graduation_year).where(
                    Learner.graduation_year < today.year
                )
            ).all()
        )
        now = datetime.combine(today, time(1), UTC)  # nothing after the demo's day
        rows = []
        for learner in learners:
            year = years.get(learner["id"])
            if year is None or learner["demo"]:
                continue
            # A broader, deeper skill set finds work more often: the outcomes page's
            # comparison of skills then shows something, as it would on real data.
            strength = min(1.0, sum(learner["skills"].values()) / 30)
            before = None
            for wave in WAVES:
                opens = wave_opens(year, wave)
                if opens > today:
                    break
                sent = min(
                    datetime.combine(opens + timedelta(days=rng.randrange(14)), time(2), UTC),
                    now,
                )
                row = {
                    "learner_id": learner["id"],
                    "wave": wave,
                    "survey": "sent",
                    "survey_sent_at": sent,
                    "created_at": sent,
                }
                if rng.random() < _ANSWERED:
                    situation = self._situation(strength, before)
                    before = situation
                    by_college = rng.random() < 0.2
                    answered = sent + timedelta(days=rng.randrange(1, 30))
                    row.update(
                        situation=situation,
                        source=OutcomeSource.COLLEGE if by_college else OutcomeSource.LEARNER,
                        answered_at=min(answered, now),
                    )
                rows.append(row)
        insert(GraduateOutcome, rows)
        return sum(1 for r in rows if r.get("situation"))

    def _situation(self, strength: float, before: Situation | None) -> Situation:
        s = Situation
        if before in (s.EMPLOYED_IN_FIELD, s.EMPLOYED_ELSEWHERE) and self.rng.random() < 0.85:
            return before  # a job found at 6 months is mostly still held at 12
        weights = (0.25 + 0.45 * strength, 0.2, 0.1, 0.45 - 0.35 * strength)
        return self.rng.choices(list(s), weights)[0]
