"""Every page of the province office renders on the demo province."""

import re
from datetime import timedelta

import sqlalchemy as sa

from matchhub.extensions import db
from matchhub.models import Learner, Organization, User, utcnow
from matchhub.services import curation, demo, round_results, rounds, skill_merges


def test_every_admin_get_page_renders_on_the_demo(app, client, ctx, login):
    demo.seed_demo()
    admin = db.session.scalar(sa.select(User).where(User.email == demo.ADMIN_EMAIL))
    eligible = rounds.eligible_orders()[:5]
    rnd = rounds.create_round(
        admin, "Đợt kiểm tra", utcnow() + timedelta(days=2), {o.id: 2 for o in eligible}
    )
    # Ran, so that its results and fairness pages have something to show.
    rounds.open_round(rnd, admin)
    for learner in db.session.scalars(sa.select(Learner).limit(30)):
        rounds.save_choices(rnd, learner, [o.id for o in eligible[:3]])
    rounds.close_round(rnd, admin)
    round_results.run_round(rnd, admin)
    merged = curation.create_skill(admin, "Kỹ năng gộp", "Merged skill", "tool")
    merge = skill_merges.merge_skills(admin, merged.slug, "python")
    ids = {
        "merge_id": merge.id,
        "org_id": db.session.scalar(sa.select(Organization.id).limit(1)),
        "round_id": rnd.id,
        "user_id": admin.id,
    }
    login(demo.ADMIN_EMAIL, demo.DEMO_PASSWORD)
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin.") or "GET" not in rule.methods:
            continue
        url = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: str(ids[m.group(1)]), rule.rule)
        if rule.endpoint == "admin.province_export":
            url += "?table=supply_programme&format=xlsx"
        if rule.endpoint == "admin.round_fairness_export":
            url += "?format=xlsx"
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
