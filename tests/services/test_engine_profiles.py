"""The one way from rows to engine profiles, and one score and tier for a pair everywhere:
the candidates page, the learner's matches page and dashboard, the API and a round."""

from __future__ import annotations

import re

import sqlalchemy as sa
from apiclient import call, token_for
from conftest import submit
from factories import make_learner, make_order, make_org, make_programme, make_round, make_user

from matchhub.extensions import db
from matchhub.matching.types import Tier
from matchhub.models import (
    Learner,
    LearnerSkill,
    OrderKind,
    OrderSkill,
    OrderStatus,
    OrgKind,
    Role,
    Skill,
    Visibility,
    utcnow,
)
from matchhub.services import engine_profiles, pair_scores, round_rankings, rounds


def _skill(slug: str) -> Skill:
    return db.session.scalars(sa.select(Skill).where(Skill.slug == slug)).one()


def test_the_batch_loader_and_the_row_converter_give_equal_profiles(ctx):
    org = make_org()
    order = make_order(org, skills=("python",), description="Dịch vụ web")
    order.skills.append(OrderSkill(skill=_skill("react"), term="React", required=False, level=2))
    order.skills.append(OrderSkill(skill_id=None, term="Kỹ năng bí ẩn", required=True, level=3))
    order.skills.append(OrderSkill(skill_id=None, term="Điều gì đó", required=False, level=3))
    learner = make_learner(skills=(("react", 4), ("python", 2)), cv_text="Tôi làm React")
    college = make_org(OrgKind.COLLEGE)
    programme = make_programme(college, skills=(("django", 3),))
    db.session.commit()

    vocab = engine_profiles.vocabulary()
    [(loaded, meta)] = engine_profiles.load_learners(vocab, [learner.id])
    assert loaded == engine_profiles.learner_profile(learner, vocab)
    # implied skills are part of the profile: React at 4 implies JavaScript at 3
    assert ("javascript", 3) in loaded.skills and ("react", 4) in loaded.skills
    assert meta.locality == learner.locality and meta.graduation_year == learner.graduation_year

    [(order_loaded, order_meta)] = engine_profiles.load_orders(vocab, [order.id])
    assert order_loaded == engine_profiles.order_profile(order, vocab)
    assert [r.skill_id for r in order_loaded.required] == ["python"]
    assert [r.skill_id for r in order_loaded.nice] == ["react"]
    # an unrecognised required term is kept; an unrecognised nice-to-have one is not a requirement
    assert order_loaded.unknown_required == ("Kỹ năng bí ẩn",)
    assert "Dịch vụ web" in order_loaded.text and order_meta.sector == org.sector
    [(bare, _meta)] = engine_profiles.load_orders(vocab, [order.id], with_text=False)
    assert bare.text == "" and bare.required == order_loaded.required

    [programme_loaded] = engine_profiles.load_programmes(vocab, [programme.id])
    assert programme_loaded == engine_profiles.programme_profile(programme, vocab)
    assert ("python", 2) in programme_loaded.skills  # Django implies Python


def test_loaders_keep_only_who_takes_part_unless_asked(ctx):
    org = make_org()
    draft = make_order(org, status=OrderStatus.DRAFT)
    live = make_order(org)
    hidden = make_learner(visibility=Visibility.HIDDEN)
    shown = make_learner()
    vocab = engine_profiles.vocabulary()
    learner_ids = [p.id for p, _m in engine_profiles.load_learners(vocab, [hidden.id, shown.id])]
    assert learner_ids == [shown.id]
    every = engine_profiles.load_learners(vocab, [hidden.id, shown.id], matchable_only=False)
    assert [p.id for p, _m in every] == [hidden.id, shown.id]
    assert [p.id for p, _m in engine_profiles.load_orders(vocab)] == [live.id]
    assert len(engine_profiles.load_orders(vocab, [draft.id], live_only=False)) == 1


def test_a_merged_skill_reads_as_the_skill_it_was_merged_into(ctx):
    from matchhub.services import skill_merges

    admin = make_user(Role.ADMIN)
    learner = make_learner(skills=(("mysql", 3),))
    skill_merges.merge_skills(admin, "mysql", "sql")
    db.session.expire_all()
    vocab = engine_profiles.vocabulary()
    [(profile, _meta)] = engine_profiles.load_learners(vocab, [learner.id])
    assert ("sql", 3) in profile.skills and "mysql" not in dict(profile.skills)


def _card(html: str, attr: str, value: int) -> tuple[str, str]:
    """(score, tier) of the card with ``attr="value"`` on a page."""
    start = html.index(f'{attr}="{value}"')
    card = html[start:]
    score = re.search(r'data-score="([\d.]+)"', card)[1]
    tier = re.search(r'data-tier="(\w+)"', card)[1]
    return score, tier


def test_one_pair_has_one_score_and_tier_on_every_page_the_api_and_a_round(client, ctx, login):
    org = make_org()
    boss = make_user(Role.ENTERPRISE, org=org)
    admin = make_user(Role.ADMIN)
    # a JavaScript internship and a learner who lists React (which implies JavaScript)
    order = make_order(
        org, kind=OrderKind.INTERNSHIP, skills=("javascript",), title="Thực tập JavaScript"
    )
    student = make_user(email="react@example.vn")
    me = db.session.scalars(sa.select(Learner).where(Learner.user_id == student.id)).one()
    me.skills.append(LearnerSkill(skill=_skill("react"), term="React", level=4))
    me.cv_text = "Xây dựng giao diện web bằng React"
    me.visibility, me.consent_at = Visibility.ENTERPRISES, utcnow()
    db.session.commit()
    for level in (1, 3, 5):  # others, so that rarity and text weights are not trivial
        make_learner(skills=(("javascript", level), ("html", 3)))
    rnd = make_round(admin, [order])

    expected = pair_scores.explain(order, me)
    assert expected.tier is Tier.MEETS
    want = (f"{expected.score:.4f}", expected.tier.label)

    login(boss.email)
    html = client.get(f"/enterprise/orders/{order.id}/candidates").get_data(as_text=True)
    assert _card(html, "data-learner-id", me.id) == want
    token = token_for(boss)
    body = call(client, "GET", f"/api/v1/orders/{order.id}/candidates", token).get_json()
    [mine] = [c["result"] for c in body["items"] if c["learner"]["id"] == me.id]
    assert (f"{mine['score']:.4f}", mine["tier"]) == want

    submit(client, "/auth/logout", {}, form_url="/enterprise/")
    login("react@example.vn")
    html = client.get("/learner/matches").get_data(as_text=True)
    assert _card(html, "data-order-id", order.id) == want
    html = client.get("/learner/").get_data(as_text=True)
    assert _card(html, "data-order-id", order.id) == want
    html = client.get(f"/learner/rounds/{rnd.id}").get_data(as_text=True)
    assert _card(html, "data-order-id", order.id) == want
    body = call(client, "GET", "/api/v1/matches", token_for(student)).get_json()
    [match] = [m for m in body["items"] if m["order"]["id"] == order.id]
    assert (f"{match['result']['score']:.4f}", match["result"]["tier"]) == want

    # the round: pre-filled with it, and the enterprise's default ranking is the same pair
    assert rounds.suggested_choices(rnd, me) == [order.id]
    fit = rounds.order_fit_for(rnd, me)[order.id]
    assert (f"{fit.score:.4f}", fit.tier.label) == want
    rounds.save_choices(rnd, me, [order.id])
    [row] = [r for r in round_rankings.ranking_of(rnd, order.id) if r.learner.id == me.id]
    assert (f"{row.result.score:.4f}", row.result.tier.label) == want
