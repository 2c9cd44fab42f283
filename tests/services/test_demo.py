"""The demo province: counts, logins, plausibility and idempotency of ``seed_demo``."""

from __future__ import annotations

import itertools
import re
import time
from datetime import date

import pytest
import sqlalchemy as sa
from werkzeug.security import check_password_hash

from matchhub.extensions import db
from matchhub.matching.taxonomy import load_taxonomy
from matchhub.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    JobOffer,
    JobOfferStatus,
    Learner,
    LearnerSkill,
    OfferStatus,
    Order,
    OrderKind,
    OrderSkill,
    OrderStatus,
    Organization,
    OrgKind,
    Programme,
    Role,
    Skill,
    TrainingOffer,
    User,
    VerificationState,
    Visibility,
)
from matchhub.services import demo
from matchhub.services.localities import locality_codes
from matchhub.services.orgs import SECTORS, valid_tax_code

TODAY = date(2026, 11, 26)
_KEPT_TABLES = {"skills", "skill_aliases"}


@pytest.fixture(autouse=True)
def _clean_database():
    """Replaces the suite's per-test cleaning: this module's tests share one seeded database."""
    yield


@pytest.fixture(scope="module")
def report(app):
    """Seed once for the whole module (a few seconds), empty the tables afterwards."""
    with app.app_context():
        started = time.perf_counter()
        result = demo.seed_demo(today=TODAY)
        print(f"seed_demo took {time.perf_counter() - started:.2f} s")
        db.session.remove()
    yield result
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                if table.name not in _KEPT_TABLES:
                    conn.execute(table.delete())


def _count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _table_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def test_shipped_demo_data_names_only_taxonomy_skills():
    """The seed skips unknown skills to survive taxonomy merges; this catches the drift."""
    known = {s.id for s in load_taxonomy()}
    programmes, _, mixes = demo._load_all()
    used = set()
    for programme in programmes["programmes"]:
        used |= set(programme["skills"]) | set(programme["electives"])
        assert all(1 <= level <= 5 for level in programme["skills"].values())
    used |= {slug for t in demo.TEMPLATES.values() for slug in t.pinned}
    used |= {slug for slug, _ in demo.TRANSVERSAL}
    assert used - known == set()
    in_mixes = {slug for group in mixes["groups"].values() for slug in group["skills"]}
    assert in_mixes - known == set(), "re-run scripts/build_demo_stats.py"
    assert {t.group for t in demo.TEMPLATES.values()} <= set(mixes["groups"])
    assert set(demo.SECTOR_TEMPLATES) <= set(SECTORS)
    assert all(set(t) <= set(demo.TEMPLATES) for t in demo.SECTOR_TEMPLATES.values())
    sectors = {sector for _, _, sector, _ in demo.ENTERPRISES}
    assert sectors <= set(demo.SECTOR_TEMPLATES)


def test_report_and_database_agree_on_the_counts(report, ctx):
    assert report.created
    assert report.colleges == _count(Organization, Organization.kind == OrgKind.COLLEGE) == 5
    assert report.enterprises == _count(Organization, Organization.kind == OrgKind.ENTERPRISE) == 60
    assert report.programmes == _count(Programme) and 10 <= report.programmes <= 14
    assert report.learners == _count(Learner) == 1500
    assert report.orders == _count(Order) == 150
    assert report.learner_skills == _count(LearnerSkill)
    assert report.order_skills == _count(OrderSkill)
    assert report.applications == _count(Application) and 300 <= report.applications <= 600
    assert report.application_events == _count(ApplicationEvent) >= report.applications
    assert report.users == _count(User) == 1 + 65 + 1  # admin, one per organisation, learner


def test_learners_find_training_that_colleges_agreed_to_deliver(report, ctx):
    offers = db.session.scalars(sa.select(TrainingOffer)).all()
    assert report.training_offers == len(offers) >= 5
    assert {o.order.kind for o in offers} == {OrderKind.TRAINING}
    assert all(o.enrolment and 1 <= o.seats <= o.order.headcount for o in offers)
    assert {o.status for o in offers} == {OfferStatus.ACCEPTED, OfferStatus.PENDING}
    assert any(o.is_open_to_learners for o in offers)


def test_the_four_demo_accounts_log_in_with_the_demo_password(report, ctx):
    roles = {
        demo.ADMIN_EMAIL: Role.ADMIN,
        demo.ENTERPRISE_EMAIL: Role.ENTERPRISE,
        demo.COLLEGE_EMAIL: Role.COLLEGE,
        demo.LEARNER_EMAIL: Role.LEARNER,
    }
    for email, role in roles.items():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        assert user is not None and user.active and user.role is role, email
        assert check_password_hash(user.password_hash, demo.DEMO_PASSWORD), email
    staff = db.session.scalars(sa.select(User).where(User.email.like("hr.%@demo.vn"))).all()
    assert len(staff) == 63 and all(u.organization is not None for u in staff)


def test_demo_enterprise_has_open_orders_with_pipelines(report, ctx):
    user = db.session.scalar(sa.select(User).where(User.email == demo.ENTERPRISE_EMAIL))
    org = user.organization
    assert org.state is VerificationState.VERIFIED and org.sector == "software"
    open_orders = db.session.scalars(
        sa.select(Order).where(Order.organization_id == org.id, Order.status == OrderStatus.OPEN)
    ).all()
    assert len(open_orders) >= 3
    assert all(len(o.applications) >= 5 for o in open_orders)
    statuses = {a.status for o in open_orders for a in o.applications}
    assert {ApplicationStatus.APPLIED, ApplicationStatus.INTERVIEW} <= statuses


def test_demo_college_is_the_biggest_and_the_demo_learner_studies_there(report, ctx):
    college = db.session.scalar(
        sa.select(User).where(User.email == demo.COLLEGE_EMAIL)
    ).organization
    sizes = dict(
        db.session.execute(
            sa.select(Learner.college_id, sa.func.count()).group_by(Learner.college_id)
        ).all()
    )
    assert sizes[college.id] == max(sizes.values()) >= 300
    assert _count(Programme, Programme.organization_id == college.id) >= 2

    user = db.session.scalar(sa.select(User).where(User.email == demo.LEARNER_EMAIL))
    learner = db.session.scalar(sa.select(Learner).where(Learner.user_id == user.id))
    assert learner.college_id == college.id
    assert learner.has_consent and learner.visibility is not Visibility.HIDDEN
    assert len(learner.skills) >= 8 and learner.cv_text
    applications = db.session.scalars(
        sa.select(Application).where(Application.learner_id == learner.id)
    ).all()
    assert len(applications) >= 2
    assert ApplicationStatus.INVITED in {a.status for a in applications}


def test_every_learner_skill_is_a_taxonomy_skill(report, ctx):
    assert _count(LearnerSkill, LearnerSkill.skill_id.is_(None)) == 0
    slugs = set(
        db.session.scalars(
            sa.select(Skill.slug).join(LearnerSkill, LearnerSkill.skill_id == Skill.id).distinct()
        )
    )
    assert slugs <= {s.id for s in load_taxonomy()}
    levels = set(db.session.scalars(sa.select(LearnerSkill.level).distinct()))
    assert levels <= {1, 2, 3, 4, 5} and len(levels) >= 4
    without_skills = _count(Learner, ~Learner.skills.any())
    assert without_skills == 0


def test_every_order_asks_for_at_least_one_required_skill(report, ctx):
    assert _count(Order, ~Order.skills.any(OrderSkill.required.is_(True))) == 0
    assert _count(OrderSkill, OrderSkill.skill_id.is_(None)) == 0


def test_order_mix_dates_and_money_are_plausible(report, ctx):
    orders = db.session.scalars(sa.select(Order)).all()
    kinds = {k: sum(o.kind is k for o in orders) for k in OrderKind}
    assert kinds[OrderKind.JOB] > kinds[OrderKind.INTERNSHIP] > kinds[OrderKind.TRAINING] >= 10
    assert sum(o.status is OrderStatus.OPEN for o in orders) >= 90
    for order in orders:
        if order.kind is OrderKind.JOB:
            assert 1 <= order.headcount <= 10 and order.salary_min >= 5_000_000
        elif order.kind is OrderKind.INTERNSHIP:
            assert 2 <= order.headcount <= 15 and order.salary_max <= 6_000_000
        else:  # addressed to colleges: no pay, no application deadline, a duration
            assert 10 <= order.headcount <= 40 and order.salary_min is None
            assert order.deadline is None and 8 <= order.duration_weeks <= 16
        if order.salary_min is not None:
            assert order.salary_min < order.salary_max
        if order.status is OrderStatus.OPEN and order.kind is not OrderKind.TRAINING:
            assert order.deadline >= TODAY
            assert 0 <= (TODAY - order.published_at.date()).days <= 183
        if order.status is OrderStatus.DRAFT:
            assert order.published_at is None
        assert order.published_at is None or order.published_at.tzinfo is not None


def test_enterprises_are_fictional_with_valid_tax_codes_and_known_sectors(report, ctx):
    enterprises = db.session.scalars(
        sa.select(Organization).where(Organization.kind == OrgKind.ENTERPRISE)
    ).all()
    codes = [e.tax_code for e in enterprises]
    assert all(valid_tax_code(c) and len(c) == 10 for c in codes)
    assert len(set(codes)) == len(codes)
    assert {e.sector for e in enterprises} <= set(SECTORS)
    states = [e.state for e in enterprises]
    assert states.count(VerificationState.PENDING) == 4
    rejected = [e for e in enterprises if e.state is VerificationState.REJECTED]
    assert len(rejected) == 1 and rejected[0].state_reason
    # Unverified enterprises may not have published anything.
    unverified = [e.id for e in enterprises if e.state is not VerificationState.VERIFIED]
    assert _count(Order, Order.organization_id.in_(unverified), Order.published_at.isnot(None)) == 0


def test_learners_look_like_a_provincial_cohort(report, ctx):
    learners = db.session.scalars(sa.select(Learner)).all()
    phone = re.compile(r"^0[35789]\d{8}$")
    assert all(phone.match(p.phone) for p in learners)
    assert all(p.gpa is None or 0 <= p.gpa <= 4 for p in learners)
    years = [p.graduation_year for p in learners]
    assert set(years) <= {2025, 2026, 2027} and years.count(2026) > len(years) / 2
    known = set(locality_codes())
    assert {p.locality for p in learners} <= known
    assert all(set(p.preferred_localities) <= known for p in learners)
    local = sum(p.locality.startswith("nd-") for p in learners)
    assert local > 0.7 * len(learners)
    hidden = [p for p in learners if p.visibility is Visibility.HIDDEN]
    assert 0.02 * len(learners) <= len(hidden) <= 0.1 * len(learners)
    assert all(p.consent_at and p.consent_purpose for p in learners if p not in hidden)
    assert all(len(p.full_name.split()) >= 3 for p in learners)
    assert len({(p.college_id, p.student_code) for p in learners}) == len(learners)


def test_application_histories_end_in_the_current_status(report, ctx):
    applications = db.session.scalars(sa.select(Application)).all()
    for application in applications:
        events = application.events
        assert events[0].from_status is None
        assert events[-1].to_status is application.status
        for before, after in itertools.pairwise(events):
            assert after.from_status is before.to_status
            assert after.created_at >= before.created_at


def test_every_hire_is_an_accepted_offer_and_every_offer_is_open(report, ctx):
    """The demo follows the app's rule: "hired" only through an accepted offer."""
    offers = {o.application_id: o for o in db.session.scalars(sa.select(JobOffer))}
    hired = offered = 0
    for application in db.session.scalars(sa.select(Application)):
        offer = offers.get(application.id)
        if application.status is ApplicationStatus.HIRED:
            hired += 1
            assert offer is not None and offer.status is JobOfferStatus.ACCEPTED
            accepted_by = application.events[-1].actor  # the learner (no account: nobody)
            assert accepted_by is None or accepted_by.role is Role.LEARNER
        elif application.status is ApplicationStatus.OFFER:
            offered += 1
            assert offer.status is JobOfferStatus.SENT and offer.reply_by >= TODAY
    assert hired and offered


def test_a_second_run_creates_nothing(report, ctx):
    before = _table_counts()
    again = demo.seed_demo(today=TODAY)
    assert not again.created
    assert again.learners == again.orders == 0
    assert _table_counts() == before


def test_past_cohorts_have_answered_the_graduate_survey(report, ctx):
    from datetime import UTC, datetime

    from matchhub.models import GraduateOutcome
    from matchhub.services import outcomes

    answered = GraduateOutcome.situation.is_not(None)
    assert report.graduate_outcomes == _count(GraduateOutcome, answered) >= 50
    graduated = sa.select(Learner.id).where(Learner.graduation_year < TODAY.year)
    assert _count(GraduateOutcome, GraduateOutcome.learner_id.not_in(graduated)) == 0
    latest = db.session.scalar(
        sa.select(
            sa.func.max(
                sa.func.coalesce(GraduateOutcome.answered_at, GraduateOutcome.survey_sent_at)
            )
        )
    )
    assert latest.replace(tzinfo=UTC) <= datetime(
        TODAY.year, TODAY.month, TODAY.day + 1, tzinfo=UTC
    )
    college = db.session.scalar(
        sa.select(User).where(User.email == demo.COLLEGE_EMAIL)
    ).organization
    shown = outcomes.graduate_report(college)
    assert shown.any and shown.programmes and shown.skills
