"""A learner who lists React is not "missing" JavaScript: the ranking credits what a
listed skill implies, one level below, and every page says the credit was inferred."""

from __future__ import annotations

import re

import sqlalchemy as sa
from apiclient import call, token_for
from factories import make_learner, make_order, make_org, make_user

from matchhub.extensions import db
from matchhub.models import Learner, LearnerSkill, Role, Skill, Visibility, utcnow
from matchhub.services import ranked_pages


def _badge(html: str, skill: str) -> str:
    return re.search(rf'<span class="badge[^"]*" data-skill="{skill}"[^>]*>[^<]*</span>', html)[0]


def test_candidates_get_credit_for_implied_skills_marked_as_inferred(client, ctx, login):
    org = make_org()
    boss = make_user(Role.ENTERPRISE, org=org)
    order = make_order(org, skills=("javascript",))  # level 3 asked
    react_dev = make_learner(skills=(("react", 4),))
    js_dev = make_learner(skills=(("javascript", 3),))
    nobody = make_learner(skills=(("photoshop", 4),))
    page = ranked_pages.candidates_for(order)
    by_id = {c.learner.id: c.result for c in page.items}
    implied = by_id[react_dev.id]
    assert [(m.skill_id, m.learner_level) for m in implied.matched] == [("javascript", 3)]
    assert implied.qualifies and by_id[js_dev.id].qualifies
    assert not by_id[nobody.id].qualifies
    # the learner's own list is unchanged: only the ranking infers
    assert [s.skill.slug for s in react_dev.skills] == ["react"]

    login(boss.email)
    html = client.get(f"/enterprise/orders/{order.id}/candidates").get_data(as_text=True)
    inferred = _badge(html[html.index(f'data-learner-id="{react_dev.id}"') :], "javascript")
    assert 'data-implied="true"' in inferred and "suy ra" in inferred
    listed = _badge(html[html.index(f'data-learner-id="{js_dev.id}"') :], "javascript")
    assert "data-implied" not in listed
    detail = client.get(f"/enterprise/orders/{order.id}/candidates/{react_dev.id}")
    assert 'data-implied="true"' in detail.get_data(as_text=True)

    token = token_for(boss)
    ranked = call(client, "GET", f"/api/v1/orders/{order.id}/candidates", token).get_json()
    inferred = {c["learner"]["id"]: c["inferred_skills"] for c in ranked["items"]}
    assert inferred[react_dev.id] == ["javascript"] and inferred[js_dev.id] == []


def test_a_learner_sees_which_credit_was_inferred(client, ctx, login):
    org = make_org()
    order = make_order(org, title="Lập trình viên Django", skills=("python",))
    user = make_user(email="sv@example.vn")
    me = db.session.scalars(sa.select(Learner).where(Learner.user_id == user.id)).one()
    django = db.session.scalars(sa.select(Skill).where(Skill.slug == "django")).one()
    me.skills.append(LearnerSkill(skill=django, term="Django", level=3))
    me.visibility, me.consent_at = Visibility.ENTERPRISES, utcnow()
    db.session.commit()
    login("sv@example.vn")
    html = client.get("/learner/matches").get_data(as_text=True)
    badge = _badge(html, "python")
    assert 'data-implied="true"' in badge and "2/3" in badge
    detail = client.get(f"/learner/orders/{order.id}").get_data(as_text=True)
    assert 'data-implied="true"' in _badge(detail, "python")


def test_a_programme_teaching_a_framework_is_not_missing_its_language(ctx):
    from factories import make_programme

    from matchhub.models import OrgKind
    from matchhub.services import demand

    enterprise = make_org()
    make_order(enterprise, skills=("python", "django"))
    college = make_org(OrgKind.COLLEGE)
    programme = make_programme(college, skills=(("django", 3),))
    report = demand.programme_gap_report(programme).report
    # Django at 3 teaches Python at 2: within a level of the 3 asked, so no gap at all
    assert not report.missing
    assert "python" not in {g.skill_id for g in report.level_gaps}
