"""The seeding entry point: one builder, one transaction, one report."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from matchhub.extensions import db
from matchhub.matching.taxonomy import load_taxonomy
from matchhub.models import Role, User
from matchhub.services.accounts import hash_password
from matchhub.services.demo.catalogue import (
    ADMIN_EMAIL,
    ADMIN_NAME,
    DEMO_PASSWORD,
    _load_all,
)
from matchhub.services.demo.learners import LearnersMixin
from matchhub.services.demo.offers import OffersMixin
from matchhub.services.demo.orders import OrdersMixin
from matchhub.services.demo.organisations import OrganisationsMixin
from matchhub.services.demo.outcomes import OutcomesMixin
from matchhub.services.demo.pipelines import PipelinesMixin
from matchhub.services.demo.rows import insert_returning_ids
from matchhub.services.localities import all_localities
from matchhub.services.skills import skill_ids_by_slug, sync_taxonomy


@dataclass(frozen=True)
class DemoReport:
    """What ``seed_demo`` wrote (all zero when the demo was already there)."""

    created: bool
    colleges: int = 0
    programmes: int = 0
    learners: int = 0
    learner_skills: int = 0
    enterprises: int = 0
    orders: int = 0
    order_skills: int = 0
    applications: int = 0
    application_events: int = 0
    training_offers: int = 0
    users: int = 0
    graduate_outcomes: int = 0


def database_is_empty() -> bool:
    """True when no account exists yet: a fresh database the demo may fill."""
    return db.session.scalar(sa.select(User.id).limit(1)) is None


def seed_demo(today: date | None = None, seed: int = 2026) -> DemoReport:
    """Build the demo province in one transaction, unless it is already there.

    Syncs the skill taxonomy first (always). When the demo admin account exists
    nothing else happens and ``created`` is false. Deterministic for a given
    ``seed`` and ``today``; every date is relative to ``today``. About 32,000 rows,
    one bulk INSERT per table: one to three seconds on SQLite or PostgreSQL.
    """
    sync_taxonomy()
    if db.session.scalar(sa.select(User.id).where(User.email == ADMIN_EMAIL)) is not None:
        return DemoReport(created=False)
    try:
        report = _Builder(today or date.today(), random.Random(seed)).run()
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    return report


class _Builder(
    OrganisationsMixin, LearnersMixin, OrdersMixin, PipelinesMixin, OffersMixin, OutcomesMixin
):
    """Holds the generated rows while the demo is assembled; one use only.

    Every part draws from the one ``rng`` in a fixed order (``run``), which is
    what makes the demo the same for a given seed and day.
    """

    def __init__(self, today: date, rng: random.Random) -> None:
        self.today = today
        self.rng = rng
        self.now = datetime.combine(today, time(2, 0), tzinfo=UTC)
        self.programme_data, self.names, self.mixes = _load_all()
        self.taxonomy = {s.id: s for s in load_taxonomy()}
        # Only skills both the engine and the database know: a skill the taxonomy
        # dropped or merged since the demo data was written is left out, not fatal.
        self.skill_ids = {
            slug: sid for slug, sid in skill_ids_by_slug().items() if slug in self.taxonomy
        }
        self.localities = {loc.code: loc for loc in all_localities()}
        self.password_hash = hash_password(DEMO_PASSWORD)

    # -- helpers the parts share ---------------------------------------------------

    def days_ago(self, days: float) -> datetime:
        return self.now - timedelta(days=days, minutes=self.rng.randrange(600))

    def skill_term(self, slug: str) -> str:
        # The Vietnamese name is how a local CV or posting writes the skill; for a
        # technology it is its usual (English) name anyway.
        return self.taxonomy[slug].name_vi

    def skill_name_vi(self, slug: str) -> str:
        return self.taxonomy[slug].name_vi

    def locality_name(self, code: str) -> str:
        loc = self.localities.get(code)
        return loc.name_vi if loc else code

    def user_row(self, email: str, name: str, role: Role, days: float) -> dict[str, Any]:
        return {
            "email": email,
            "password_hash": self.password_hash,
            "full_name": name,
            "role": role,
            "locale": "vi",
            "active": True,
            "session_version": 1,
            "created_at": self.days_ago(days),
            "email_confirmed_at": self.days_ago(days),
        }

    # -- the build ----------------------------------------------------------------

    def run(self) -> DemoReport:
        admin = self.user_row(ADMIN_EMAIL, ADMIN_NAME, Role.ADMIN, 420)
        self.admin_id = insert_returning_ids(User, [admin])[0]
        colleges = self.build_colleges()
        enterprises = self.build_enterprises()
        users = self.build_org_users(colleges, enterprises)
        programmes = self.build_programmes(colleges)
        learners, learner_skills = self.build_learners(programmes)
        orders, order_skills = self.build_orders(enterprises, users)
        apps, events = self.build_applications(orders, learners, users)
        offers = self.build_training_offers(orders, enterprises, programmes, users)
        # Last: drawing from ``rng`` here leaves everything built before as it was.
        outcomes = self.build_outcomes(learners)
        return DemoReport(
            created=True,
            colleges=len(colleges),
            programmes=len(programmes),
            learners=len(learners),
            learner_skills=learner_skills,
            enterprises=len(enterprises),
            orders=len(orders),
            order_skills=order_skills,
            applications=apps,
            application_events=events,
            training_offers=offers,
            users=2 + len(users),  # the admin, one per organisation, the demo learner
            graduate_outcomes=outcomes,
        )
