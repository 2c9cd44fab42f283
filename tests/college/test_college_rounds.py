"""A college reads its own learners' placements in published rounds, and nobody else's."""

import re
from datetime import timedelta

from factories import make_learner, make_order, make_org, make_user

from matchhub.models import OrderKind, OrgKind, Role, utcnow
from matchhub.services import round_results, rounds


def _round(publish=True):
    admin = make_user(Role.ADMIN)
    ent = make_org(name="Công ty Thực tập")
    x = make_order(ent, kind=OrderKind.INTERNSHIP, headcount=1, title="Thực tập X")
    y = make_order(ent, kind=OrderKind.INTERNSHIP, headcount=1, title="Thực tập Y")
    rnd = rounds.create_round(admin, "Đợt xuân", utcnow() + timedelta(days=2), {x.id: 1, y.id: 1})
    rounds.open_round(rnd, admin)
    mine, theirs = make_org(OrgKind.COLLEGE), make_org(OrgKind.COLLEGE)
    first = make_learner(mine, full_name="Nguyễn Văn Một", skills=(("python", 5),))
    second = make_learner(mine, full_name="Trần Thị Hai", skills=(("python", 3),))
    other = make_learner(theirs, full_name="Lê Người Khác", skills=(("python", 4),))
    rounds.save_choices(rnd, first, [x.id, y.id])
    rounds.save_choices(rnd, second, [x.id])
    rounds.save_choices(rnd, other, [y.id])
    rounds.close_round(rnd, admin)
    round_results.run_round(rnd, admin)
    if publish:
        round_results.publish_round(rnd, admin)
    return rnd, mine, theirs


def test_college_sees_its_learners_placements_only(app, client, ctx, login):
    rnd, mine, _theirs = _round()
    login(make_user(Role.COLLEGE, org=mine).email)
    listing = client.get("/college/rounds")
    assert listing.status_code == 200
    html = listing.get_data(as_text=True)
    assert f'data-round-id="{rnd.id}"' in html and "Đợt xuân" in html

    page = client.get(f"/college/rounds/{rnd.id}").get_data(as_text=True)
    assert "Nguyễn Văn Một" in page and "Trần Thị Hai" in page
    assert "Lê Người Khác" not in page
    # Both wanted X (one seat): the enterprise's default ranking puts the stronger
    # Python learner first, so she gets X, her 1st of 2 choices; the other is unmatched.
    rows = {
        m.group(1): m.group(2)
        for m in re.finditer(r'data-learner-id="(\d+)">(.*?)</tr>', page, re.S)
    }
    first, second = (lr for lr in rnd_learners(rnd, mine))
    assert "Thực tập X" in rows[str(first)] and "nguyện vọng 1/2" in rows[str(first)]
    assert "Thực tập" not in rows[str(second)] and "1 nguyện vọng" in rows[str(second)]


def rnd_learners(rnd, college):
    from matchhub.services import college_rounds

    by_name = {p.learner.full_name: p.learner.id for p in college_rounds.placements(rnd, college)}
    return by_name["Nguyễn Văn Một"], by_name["Trần Thị Hai"]


def test_no_learner_in_round_or_unpublished_is_not_found(app, client, ctx, login):
    rnd, mine, _theirs = _round(publish=False)
    login(make_user(Role.COLLEGE, org=mine).email)
    assert client.get(f"/college/rounds/{rnd.id}").status_code == 404
    html = client.get("/college/rounds").get_data(as_text=True)
    assert 'id="college-rounds-empty"' in html


def test_college_without_learners_in_the_round_gets_404(app, client, ctx, login):
    rnd, _mine, _theirs = _round()
    stranger = make_org(OrgKind.COLLEGE)
    login(make_user(Role.COLLEGE, org=stranger).email)
    assert client.get(f"/college/rounds/{rnd.id}").status_code == 404
    assert f'data-round-id="{rnd.id}"' not in client.get("/college/rounds").get_data(as_text=True)


def test_other_roles_cannot_open_college_rounds(app, client, ctx, login):
    _round()
    login(make_user(Role.ENTERPRISE, org=make_org()).email)
    assert client.get("/college/rounds").status_code in (403, 404)
