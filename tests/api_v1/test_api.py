"""The /api/v1 endpoints: each role's reads, the same ownership rules as the pages, JSON
errors in the user's language. Every successful answer is checked against the
OpenAPI document by ``apiclient.call``."""

from __future__ import annotations

import sqlalchemy as sa
from apiclient import call, token_for
from factories import make_learner, make_order, make_org, make_programme, make_user

from matchhub.extensions import db
from matchhub.models import (
    AuditEvent,
    Learner,
    LearnerSkill,
    OrderSkill,
    OrderStatus,
    OrgKind,
    Role,
    Skill,
    VerificationState,
    Visibility,
    utcnow,
)
from matchhub.services import applications


def _enterprise(**kw):
    org = make_org(**kw)
    return org, make_user(Role.ENTERPRISE, org=org)


def test_an_enterprise_reads_its_orders_and_ranked_explained_candidates(client, ctx):
    org, boss = _enterprise()
    order = make_order(org, skills=("python", "django"))
    make_order(org, status=OrderStatus.DRAFT, title="Bản nháp")
    strong = make_learner(skills=(("python", 4), ("django", 3)), full_name="Phạm Thu Hà")
    weak = make_learner(skills=(("python", 1),))
    make_learner(skills=(("python", 5),), visibility=Visibility.HIDDEN)  # never ranked
    token = token_for(boss)

    listed = call(client, "GET", "/api/v1/orders", token).get_json()
    assert listed["total"] == 2 and {o["title"] for o in listed["items"]} >= {"Bản nháp"}
    drafts = call(client, "GET", "/api/v1/orders?status=draft", token).get_json()
    assert [o["title"] for o in drafts["items"]] == ["Bản nháp"]

    ranked = call(client, "GET", f"/api/v1/orders/{order.id}/candidates", token).get_json()
    assert [c["learner"]["id"] for c in ranked["items"]] == [strong.id, weak.id]
    best = ranked["items"][0]
    assert best["rank"] == 1 and best["result"]["qualifies"] is True
    assert {m["skill_id"] for m in best["result"]["matched"]} == {"python", "django"}
    assert best["learner"]["email"] is None  # contact only once the learner applies
    assert ranked["items"][1]["result"]["missing"][0]["skill_id"] == "django"

    page2 = call(client, "GET", f"/api/v1/orders/{order.id}/candidates?per_page=1&page=2", token)
    assert [c["learner"]["id"] for c in page2.get_json()["items"]] == [weak.id]


def test_contacts_appear_once_the_learner_applies_and_a_profile_view_is_audited(client, ctx):
    org, boss = _enterprise()
    order = make_order(org)
    student = make_user(email="ha@example.vn")
    learner = db.session.scalars(sa.select(Learner).where(Learner.user_id == student.id)).one()
    learner.phone, learner.visibility, learner.consent_at = (
        "0912345678",
        Visibility.ENTERPRISES,
        utcnow(),
    )
    python = db.session.scalars(sa.select(Skill).where(Skill.slug == "python")).one()
    learner.skills.append(LearnerSkill(skill=python, term="Python", level=3))
    db.session.commit()
    applications.apply(order, learner, student)
    token = token_for(boss)
    ranked = call(client, "GET", f"/api/v1/orders/{order.id}/candidates", token).get_json()
    assert ranked["items"][0]["learner"]["email"] == "ha@example.vn"
    assert ranked["items"][0]["application"]["status"] == "applied"
    detail = call(client, "GET", f"/api/v1/orders/{order.id}/candidates/{learner.id}", token)
    assert detail.get_json()["learner"]["phone"] == "0912345678"
    assert detail.get_json()["learner"]["skills"][0]["id"] == "python"
    viewed = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "profile.viewed")
    ).one()
    assert viewed.actor_id == boss.id


def test_another_organisations_orders_and_candidates_answer_404(client, ctx):
    _mine, boss = _enterprise()
    theirs, _ = _enterprise()
    draft = make_order(theirs, status=OrderStatus.DRAFT)
    open_order = make_order(theirs)
    learner = make_learner()
    token = token_for(boss)
    assert call(client, "GET", f"/api/v1/orders/{draft.id}", token).status_code == 404
    for path in (
        f"/api/v1/orders/{open_order.id}/candidates",
        f"/api/v1/orders/{open_order.id}/candidates/{learner.id}",
        f"/api/v1/orders/{draft.id}/candidates",
    ):
        response = call(client, "GET", path, token)
        assert response.status_code == 404, path
        assert response.get_json()["error"]["status"] == 404
    # an open order of a verified enterprise is public, as on the site
    assert call(client, "GET", f"/api/v1/orders/{open_order.id}", token).status_code == 200
    assert not db.session.scalar(
        sa.select(AuditEvent.id).where(AuditEvent.action == "profile.viewed")
    )


def test_an_unverified_enterprise_sees_no_candidates(client, ctx):
    org, boss = _enterprise(state=VerificationState.PENDING)
    order = make_order(org, status=OrderStatus.DRAFT)
    response = call(client, "GET", f"/api/v1/orders/{order.id}/candidates", token_for(boss))
    assert response.status_code == 403


def test_a_learner_reads_ranked_matches_and_open_orders_only(client, ctx):
    org, _ = _enterprise(name="Công ty Thành Nam")
    good = make_order(org, title="Python backend", skills=("python",))
    make_order(org, title="Thiết kế", skills=("photoshop",))
    draft = make_order(org, status=OrderStatus.DRAFT)
    student = make_user()
    me = db.session.scalars(sa.select(Learner).where(Learner.user_id == student.id)).one()
    python = db.session.scalars(sa.select(Skill).where(Skill.slug == "python")).one()
    me.skills.append(LearnerSkill(skill=python, term="Python", level=4))
    me.visibility, me.consent_at = Visibility.ENTERPRISES, utcnow()
    db.session.commit()
    token = token_for(student)
    matches = call(client, "GET", "/api/v1/matches", token).get_json()
    assert matches["total"] == 2
    assert matches["items"][0]["order"]["id"] == good.id
    assert matches["items"][0]["order"]["organization"] == "Công ty Thành Nam"
    assert matches["items"][0]["result"]["matched"][0]["skill_id"] == "python"
    assert [m["result"]["tier"] for m in matches["items"]] == ["meets", "missing"]
    near = call(client, "GET", "/api/v1/matches?min_tier=near", token).get_json()
    assert near["total"] == 1 and [m["order"]["id"] for m in near["items"]] == [good.id]
    bad = call(client, "GET", "/api/v1/matches?min_tier=best", token)
    assert bad.status_code == 400 and "min_tier" in bad.get_json()["error"]["message"]
    opened = call(client, "GET", "/api/v1/orders/open?kind=job", token).get_json()
    assert draft.id not in {o["id"] for o in opened["items"]} and opened["total"] == 2
    assert call(client, "GET", f"/api/v1/orders/{draft.id}", token).status_code == 404
    assert call(client, "GET", "/api/v1/orders", token).status_code == 403
    assert call(client, "GET", "/api/v1/stats/skill-gaps", token).status_code == 403


def test_a_college_reads_demand_with_its_programmes(client, ctx):
    enterprise, _ = _enterprise()
    make_order(enterprise, skills=("python",), headcount=5)
    college = make_org(OrgKind.COLLEGE)
    teacher = make_user(Role.COLLEGE, org=college)
    make_programme(college, skills=(("python", 3),))
    body = call(client, "GET", "/api/v1/demand", token_for(teacher)).get_json()
    [row] = body["skills"]
    assert row["id"] == "python" and row["programmes"][0]["level"] == 3


def test_the_province_office_reads_skill_gaps(client, ctx):
    enterprise, _ = _enterprise()
    make_order(enterprise, skills=("python",), headcount=4)
    make_learner(skills=(("python", 2),))
    admin = make_user(Role.ADMIN)
    token = token_for(admin)
    body = call(client, "GET", "/api/v1/stats/skill-gaps?period=all", token).get_json()
    python = next(g for g in body["gaps"] if g["id"] == "python")
    assert (python["demand"], python["supply"]) == (4, 1)
    assert call(client, "GET", "/api/v1/stats/skill-gaps?period=7", token).status_code == 400


def test_skills_normalise_and_extract(client, ctx):
    token = token_for(make_user())
    found = call(
        client,
        "POST",
        "/api/v1/skills/normalize",
        token,
        json={"terms": ["lập trình PHP7", "làm việc nhóm", "không-có-thật"]},
    ).get_json()["items"]
    assert [f["skill_id"] for f in found] == ["php", "teamwork", None]
    text = "Thành thạo Java, Spring Boot và MySQL"
    mentions = call(client, "POST", "/api/v1/skills/extract", token, json={"text": text})
    assert [text[m["start"] : m["end"]] for m in mentions.get_json()["skills"]] == [
        "Java",
        "Spring Boot",
        "MySQL",
    ]
    hits = call(client, "GET", "/api/v1/skills?q=pyhton", token).get_json()["items"]
    assert hits[0]["id"] == "python"


def test_bad_input_gets_a_json_error_in_the_users_language(client, ctx):
    vi, en = token_for(make_user()), token_for(make_user(locale="en"))
    bad = call(client, "POST", "/api/v1/skills/normalize", vi, json={"terms": "php"})
    assert bad.status_code == 400 and "danh sách" in bad.get_json()["error"]["message"]
    bad_en = call(client, "POST", "/api/v1/skills/normalize", en, json={"terms": [1]})
    assert bad_en.get_json()["error"]["message"] == "“terms” must be a list of strings."
    too_many = call(client, "POST", "/api/v1/skills/normalize", en, json={"terms": ["x"] * 1001})
    assert too_many.status_code == 413
    not_json = call(client, "POST", "/api/v1/skills/extract", en, data="text=hi")
    assert not_json.status_code == 400
    unknown = client.get("/api/v1/nothing-here", headers={"Authorization": f"Bearer {en}"})
    assert unknown.status_code == 404 and unknown.get_json()["error"]["status"] == 404
    wrong_method = client.delete("/api/v1/me", headers={"Authorization": f"Bearer {en}"})
    assert wrong_method.status_code == 405 and wrong_method.is_json


def test_each_token_is_rate_limited(app, client, ctx):
    token = token_for(make_user())
    statuses = [
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code
        for _ in range(301)
    ]
    assert statuses[:300] == [200] * 300
    assert statuses[300] == 429
    other = token_for(make_user())
    assert call(client, "GET", "/api/v1/me", other).status_code == 200


def test_candidates_carry_their_tier_and_filter_by_it(client, ctx):
    org, boss = _enterprise()
    order = make_order(org, skills=("python", "sql"))
    order.skills.append(OrderSkill(skill_id=None, term="Kỹ năng lạ", required=False, level=3))
    db.session.commit()
    meets = make_learner(skills=(("python", 3), ("sql", 4)))
    near = make_learner(skills=(("python", 2), ("sql", 5)))
    lacks = make_learner(skills=(("python", 5),))
    token = token_for(boss)
    url = f"/api/v1/orders/{order.id}/candidates"
    ranked = call(client, "GET", url, token).get_json()
    tiers = [(c["learner"]["id"], c["result"]["tier"]) for c in ranked["items"]]
    assert tiers == [(meets.id, "meets"), (near.id, "near"), (lacks.id, "missing")]
    assert all(c["result"]["unknown"] == [] for c in ranked["items"])
    detail = call(client, "GET", f"/api/v1/orders/{order.id}", token).get_json()
    assert detail["unrecognised_required"] == []  # the unknown term is only nice to have
    kept = call(client, "GET", f"{url}?min_tier=near", token).get_json()
    assert [c["learner"]["id"] for c in kept["items"]] == [meets.id, near.id]
    assert kept["total"] == 2
    only = call(client, "GET", f"{url}?min_tier=meets", token).get_json()
    assert [c["learner"]["id"] for c in only["items"]] == [meets.id]
    assert call(client, "GET", f"{url}?min_tier=x", token).status_code == 400
