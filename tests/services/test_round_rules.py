"""Eligibility rules of a round: cohorts, colleges, programmes and a minimum fit."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from conftest import submit
from factories import make_learner, make_order, make_org, make_programme, make_user

from matchhub.extensions import db
from matchhub.matching.types import Tier
from matchhub.models import AllocationRound, OrderKind, OrgKind, Role, RoundResult, utcnow
from matchhub.services import ServiceError, round_results, round_rules, rounds


def _round(rules):
    admin = make_user(Role.ADMIN)
    ent = make_org()
    python = make_order(ent, kind=OrderKind.INTERNSHIP, headcount=2, title="Python")
    java = make_order(ent, kind=OrderKind.INTERNSHIP, headcount=2, title="Java", skills=("java",))
    rnd = rounds.create_round(
        admin, "Đợt có điều kiện", utcnow() + timedelta(days=2), {python.id: 2, java.id: 2}, rules
    )
    rounds.open_round(rnd, admin)
    return admin, rnd, python, java


def test_cohort_college_and_programme_rules_refuse_others_with_the_reason(app, ctx):
    college, other_college = make_org(OrgKind.COLLEGE), make_org(OrgKind.COLLEGE)
    programme = make_programme(college, code="KTPM")
    rules = round_rules.Rules(years=(2026,), colleges=(college.id,), programmes=(programme.id,))
    _admin, rnd, python, _java = _round(rules)
    admitted = make_learner(college, programme=programme, graduation_year=2026)
    wrong_year = make_learner(college, programme=programme, graduation_year=2024)
    wrong_college = make_learner(other_college, graduation_year=2026)
    wrong_programme = make_learner(college, graduation_year=2026)

    rounds.save_choices(rnd, admitted, [python.id])
    assert rounds.saved_choices(rnd, admitted) == [python.id]
    for learner, words in (
        (wrong_year, "2026"),
        (wrong_college, ""),
        (wrong_programme, ""),
    ):
        with pytest.raises(ServiceError) as refused:
            rounds.save_choices(rnd, learner, [python.id])
        assert words in refused.value.message
        assert rounds.suggested_choices(rnd, learner) == []
        assert rnd not in rounds.admitting(rounds.accepting_rounds(), learner)
    assert rnd in rounds.admitting(rounds.accepting_rounds(), admitted)


def test_minimum_fit_refuses_internships_below_it(app, ctx):
    _admin, rnd, python, java = _round(round_rules.Rules(min_tier=Tier.NEAR))
    learner = make_learner(skills=(("python", 2),))  # one level short for Python, no Java
    with pytest.raises(ServiceError) as refused:
        rounds.save_choices(rnd, learner, [python.id, java.id])
    assert "Java" in refused.value.message
    rounds.save_choices(rnd, learner, [python.id])
    assert rounds.saved_choices(rnd, learner) == [python.id]

    meets_only = _round(round_rules.Rules(min_tier=Tier.MEETS))[1]
    with pytest.raises(ServiceError):
        rounds.save_choices(meets_only, learner, [meets_only.orders[0].order_id])


def test_the_run_applies_the_rules_to_profiles_changed_after_listing(app, ctx):
    admin, rnd, python, _java = _round(round_rules.Rules(years=(2026,)))
    stays = make_learner(graduation_year=2026)
    moved = make_learner(graduation_year=2026)
    rounds.save_choices(rnd, stays, [python.id])
    rounds.save_choices(rnd, moved, [python.id])
    moved.graduation_year = 2027  # the college corrected the cohort after she listed
    db.session.commit()
    rounds.close_round(rnd, admin)
    summary = round_results.run_round(rnd, admin)
    assert summary["learners"] == 1 and summary["matched"] == 1
    placed = set(
        db.session.scalars(
            sa.select(RoundResult.learner_id).where(
                RoundResult.round_id == rnd.id, RoundResult.order_id.is_not(None)
            )
        )
    )
    assert placed == {stays.id}


def test_rules_parse_and_refuse_bad_values(app, ctx):
    assert round_rules.parse_years("2026, 2025 2026") == (2025, 2026)
    for bad in ("abc", "99999999999999999999", "1999", "20\x0026"):
        with pytest.raises(ServiceError):
            round_rules.parse_years(bad)
    with pytest.raises(ServiceError):
        round_rules.build("", [10**12], [], "any")
    with pytest.raises(ServiceError):
        round_rules.build("", [], [10**12], "any")
    with pytest.raises(ServiceError):
        round_rules.build("", [], [], "best")
    college = make_org(OrgKind.COLLEGE)
    with pytest.raises(ServiceError):  # an enterprise is not a training institution
        round_rules.build("", [make_org().id], [], "any")
    rules = round_rules.build("2026", [college.id], [], "near")
    assert rules == round_rules.Rules((2026,), (college.id,), (), Tier.NEAR)
    assert round_rules.Rules.of(AllocationRound(rules=rules.as_json())) == rules


def test_office_sets_rules_on_the_form_and_reads_them_on_the_round(app, client, ctx, login):
    admin = make_user(Role.ADMIN)
    order = make_order(make_org(), kind=OrderKind.INTERNSHIP, headcount=1)
    college = make_org(OrgKind.COLLEGE, name="Cao đẳng Nam Định")
    login(admin.email)
    deadline = (utcnow() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    base = {
        "name": "Đợt 2026",
        "deadline": deadline,
        "order": [order.id],
        f"capacity-{order.id}": "1",
    }
    bad = submit(client, "/admin/rounds/new", {**base, "years": "2026, hai"})
    assert bad.status_code == 400 and "hai" in bad.get_data(as_text=True)
    hostile = submit(client, "/admin/rounds/new", {**base, "colleges": ["x", "1" * 30]})
    assert hostile.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(AllocationRound.id))) == 0

    made = submit(
        client,
        "/admin/rounds/new",
        {**base, "years": "2026", "colleges": [college.id], "min_fit": "near"},
    )
    assert made.status_code == 302
    rnd = db.session.scalar(sa.select(AllocationRound))
    assert round_rules.Rules.of(rnd) == round_rules.Rules((2026,), (college.id,), (), Tier.NEAR)
    page = client.get(f"/admin/rounds/{rnd.id}").get_data(as_text=True)
    assert "Cao đẳng Nam Định" in page and "2026" in page


def test_learner_outside_the_rules_reads_why_on_the_round_page(app, client, ctx, login):
    _admin, rnd, _python, _java = _round(round_rules.Rules(years=(2030,)))
    user = make_user(Role.LEARNER)
    from matchhub.services import learners

    learner = learners.learner_of_user(user)
    learner.graduation_year = 2026
    db.session.commit()
    login(user.email)
    assert f'data-round-id="{rnd.id}"' not in client.get("/learner/").get_data(as_text=True)
    page = client.get(f"/learner/rounds/{rnd.id}").get_data(as_text=True)
    assert 'id="round-refusal"' in page and "2030" in page
    assert 'id="choices-form"' not in page
