"""Allocation rounds through the service layer: ranking, running, publishing, immutability."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from factories import make_learner, make_order, make_org, make_round, make_user

from matchhub.extensions import db
from matchhub.matching.allocation import Problem
from matchhub.matching.types import Tier
from matchhub.models import (
    AuditEvent,
    Notification,
    OrderKind,
    OrgKind,
    Role,
    RoundResult,
    RoundStatus,
    utcnow,
)
from matchhub.services import ServiceError, ranked_pages, round_rankings, round_results, rounds


@pytest.fixture
def setting(ctx):
    """Two enterprises with one-seat internships, four learners and an open round."""
    admin = make_user(Role.ADMIN)
    college = make_org(OrgKind.COLLEGE)
    ent_a, ent_b = make_org(name="A"), make_org(name="B")
    users = {"a": make_user(Role.ENTERPRISE, org=ent_a), "b": make_user(Role.ENTERPRISE, org=ent_b)}
    a = make_order(ent_a, kind=OrderKind.INTERNSHIP, headcount=1, title="Python A")
    b = make_order(ent_b, kind=OrderKind.INTERNSHIP, headcount=1, title="Python B", skills=("sql",))
    learners = [
        make_learner(college, skills=(("python", level), ("sql", 6 - level)))
        for level in (5, 4, 2, 1)
    ]
    rnd = make_round(admin, [a, b])
    return admin, rnd, a, b, learners, users, (ent_a, ent_b)


def _close(rnd):
    rnd.deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()


def test_suggestions_hold_only_what_the_learner_meets_or_nearly_meets_best_first(setting):
    _admin, rnd, a, b, learners, *_ = setting
    # A asks Python at 3, B SQL at 3
    assert rounds.suggested_choices(rnd, learners[0]) == [a.id]  # python 5, sql 1 (2 short)
    assert rounds.suggested_choices(rnd, learners[1]) == [a.id, b.id]  # meets A, 1 short for B
    assert rounds.suggested_choices(rnd, learners[2]) == [b.id, a.id]  # 1 short for A, meets B
    assert rounds.suggested_choices(rnd, learners[3]) == [b.id]  # python 1, sql 5
    fit = rounds.order_fit_for(rnd, learners[0])
    assert fit[a.id].tier is Tier.MEETS and fit[b.id].tier is Tier.MISSING


def test_nobody_is_placed_in_an_internship_they_lack_a_skill_for_unless_they_chose_it(ctx):
    admin = make_user(Role.ADMIN)
    plc = make_order(make_org(), kind=OrderKind.INTERNSHIP, skills=("plc",), title="PLC")
    web = make_order(make_org(), kind=OrderKind.INTERNSHIP, skills=("javascript",), title="Web")
    software = [make_learner(skills=(("react", 4), ("python", 3))) for _ in range(2)]
    rnd = make_round(admin, [plc, web], capacity=5)
    for learner in software:
        # what the learner's page pre-fills, saved unchanged
        rounds.save_choices(rnd, learner, rounds.suggested_choices(rnd, learner))
    rounds.close_round(rnd, admin)
    round_results.run_round(rnd, admin)
    placed = dict(db.session.execute(sa.select(RoundResult.learner_id, RoundResult.order_id)).all())
    assert placed == {learner.id: web.id for learner in software}

    # a learner who lists the PLC internship themselves may be placed there
    rnd2 = make_round(admin, [plc], capacity=5, name="Đợt hai")
    rounds.save_choices(rnd2, software[0], [plc.id])
    rounds.close_round(rnd2, admin)
    round_results.run_round(rnd2, admin)
    assert (
        db.session.scalar(sa.select(RoundResult.order_id).where(RoundResult.round_id == rnd2.id))
        == plc.id
    )


def test_an_enterprise_default_ranking_is_its_candidates_page(setting):
    _admin, rnd, a, _b, learners, *_ = setting
    for learner in learners:
        rounds.save_choices(rnd, learner, [a.id])
    page = ranked_pages.candidates_for(a, per_page=50)
    expected = [c.learner.id for c in page.items if c.learner.id in {lr.id for lr in learners}]
    rows = round_rankings.ranking_of(rnd, a.id)
    assert [row.learner.id for row in rows] == expected
    assert round_results.preferences(rnd).order_prefs[a.id] == expected
    by_id = {c.learner.id: c.result for c in page.items}
    assert all(row.result.score == by_id[row.learner.id].score for row in rows)
    assert [row.result.tier for row in rows] == sorted(
        (row.result.tier for row in rows), reverse=True
    )


def test_full_round_is_stable_explained_published_and_then_immutable(setting):
    admin, rnd, a, b, learners, users, (ent_a, _ent_b) = setting
    l1, l2, l3, l4 = learners
    for learner in learners:
        rounds.save_choices(rnd, learner, [a.id, b.id])
    # A prefers l2 over l1 and refuses l4; B keeps the score order (not saved).
    round_rankings.save_ranking(rnd, users["a"], a.id, [l2.id, l1.id, l3.id], {l4.id})

    _close(rnd)
    summary = round_results.run_round(rnd, admin)
    assert rnd.status is RoundStatus.CLOSED
    assert summary["stable"] and summary["problems"] == 0
    assert summary["matched"] == 2 and summary["learners"] == 4 and summary["match_rate"] == 0.5
    result = {r.learner_id: r for r in db.session.scalars(sa.select(RoundResult))}
    assert result[l2.id].order_id == a.id
    assert result[l1.id].order_id is None or result[l1.id].order_id == b.id
    codes = {e["code"] for e in result[l1.id].explanation}
    assert "filled_by_higher_ranked" in codes
    assert result[l4.id].explanation[0]["code"] == "unranked"

    # Nothing is visible before publication.
    assert round_results.result_of(rnd, l2) is None
    round_results.publish_round(rnd, admin)
    assert rnd.status is RoundStatus.PUBLISHED and rnd.published_at is not None
    assert round_results.result_of(rnd, l2).order_id == a.id
    outcome = round_results.enterprise_outcome(rnd, ent_a)[0]
    assert [lr.id for lr in outcome.admitted] == [l2.id] and outcome.unacceptable == 1
    notified = set(db.session.scalars(sa.select(Notification.user_id)))
    assert {users["a"].id, users["b"].id} <= notified
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"round.created", "round.run", "round.published", "round.ranking_saved"} <= actions

    # Published results are final.
    before = [(r.learner_id, r.order_id) for r in db.session.scalars(sa.select(RoundResult))]
    for attempt in (
        lambda: round_results.run_round(rnd, admin),
        lambda: round_results.publish_round(rnd, admin),
        lambda: rounds.save_choices(rnd, l1, [b.id]),
        lambda: round_rankings.save_ranking(rnd, users["a"], a.id, [l1.id], set()),
    ):
        with pytest.raises(ServiceError):
            attempt()
    after = [(r.learner_id, r.order_id) for r in db.session.scalars(sa.select(RoundResult))]
    assert before == after


def test_a_round_can_be_rerun_before_publication(setting):
    admin, rnd, a, _b, learners, users, (_ent_a, _) = setting
    for learner in learners:
        rounds.save_choices(rnd, learner, [a.id])
    rounds.close_round(rnd, admin)
    round_results.run_round(rnd, admin)
    first = db.session.scalar(sa.select(RoundResult.learner_id).where(RoundResult.order_id == a.id))
    assert first == learners[0].id  # best score
    # The ranking is closed, so the office cannot be overridden by a late enterprise ranking...
    with pytest.raises(ServiceError):
        round_rankings.save_ranking(rnd, users["a"], a.id, [learners[3].id], set())
    # ...but a rerun replaces the previous results (still one row per learner).
    round_results.run_round(rnd, admin)
    assert db.session.scalar(sa.select(sa.func.count(RoundResult.id))) == len(learners)


def test_stability_check_fails_on_a_hand_made_unstable_assignment(setting):
    _admin, rnd, a, b, learners, users, (_ent_a, _) = setting
    l1, l2, *_ = learners
    rounds.save_choices(rnd, l1, [a.id, b.id])
    rounds.save_choices(rnd, l2, [a.id, b.id])
    round_rankings.save_ranking(rnd, users["a"], a.id, [l1.id, l2.id], set())
    # l1 is A's first choice and wants A, yet A holds l2: a blocking pair.
    problems = round_results.check_assignment(rnd, {l1.id: b.id, l2.id: a.id})
    assert problems
    assert any(
        p.learner == l1.id and p.order == a.id and p.reason is Problem.PREFERRED_TO_ADMITTED
        for p in problems
    )
    # The allocation itself passes the same check.
    assert round_results.check_assignment(rnd, {l1.id: a.id, l2.id: b.id}) == ()


def test_choices_are_validated(setting):
    _admin, rnd, a, b, learners, *_ = setting
    learner = learners[0]
    with pytest.raises(ServiceError):
        rounds.save_choices(rnd, learner, [a.id, a.id])
    other = make_order(make_org(), kind=OrderKind.INTERNSHIP)
    with pytest.raises(ServiceError):
        rounds.save_choices(rnd, learner, [other.id])
    with pytest.raises(ServiceError):
        rounds.save_choices(rnd, learner, list(range(1, 12)))
    rounds.save_choices(rnd, learner, [b.id, a.id])
    assert rounds.saved_choices(rnd, learner) == [b.id, a.id]
    _close(rnd)
    with pytest.raises(ServiceError):
        rounds.save_choices(rnd, learner, [a.id])


def test_only_open_internships_of_verified_enterprises_take_part(ctx):
    admin = make_user(Role.ADMIN)
    job = make_order(make_org(), kind=OrderKind.JOB)
    with pytest.raises(ServiceError):
        rounds.create_round(admin, "Đợt 1", utcnow() + timedelta(days=3), {job.id: 1})
    internship = make_order(make_org(), kind=OrderKind.INTERNSHIP)
    with pytest.raises(ServiceError):
        rounds.create_round(admin, "Đợt 1", utcnow() - timedelta(days=1), {internship.id: 1})
    rnd = rounds.create_round(admin, "Đợt 1", utcnow() + timedelta(days=3), {internship.id: 2})
    assert rnd.status is RoundStatus.DRAFT and rnd.orders[0].capacity == 2


def test_a_suspended_enterprise_offers_no_seats(setting):
    admin, rnd, a, b, learners, _users, (ent_a, _ent_b) = setting
    from matchhub.services import orgs

    for learner in learners:
        rounds.save_choices(rnd, learner, [a.id, b.id])
    orgs.suspend_organization(ent_a, admin, "Vi phạm quy định")
    rounds.close_round(rnd, admin)
    summary = round_results.run_round(rnd, admin)
    assert summary["stable"] and summary["matched"] == 1
    assert db.session.scalar(sa.select(RoundResult).where(RoundResult.order_id == a.id)) is None
    first = db.session.scalar(
        sa.select(RoundResult).where(RoundResult.learner_id == learners[0].id)
    )
    assert first.explanation[0]["code"] == "no_seats"


def test_explanations_are_worded_for_the_learner(app):
    from types import SimpleNamespace

    from flask_babel import force_locale

    from matchhub.learner.rounds import learner_reasons

    order = SimpleNamespace(order=SimpleNamespace(title="Python A"))
    result = SimpleNamespace(
        explanation=[
            {
                "order": 1,
                "choice": 1,
                "code": "filled_by_higher_ranked",
                "your_rank": 4,
                "seats": 2,
                "admitted": 2,
                "last_admitted_rank": 3,
            },
            {
                "order": 1,
                "choice": 2,
                "code": "unranked",
                "your_rank": None,
                "seats": 2,
                "admitted": 2,
                "last_admitted_rank": 3,
            },
        ]
    )
    with app.test_request_context(), force_locale("en"):
        first, second = learner_reasons(result, {1: order})
    assert first.startswith("Python A (your choice 1): all 2 seats went to candidates")
    assert "you were number 4, the last one admitted was number 3" in first
    assert second == "Python A (your choice 2): the enterprise did not accept you."
