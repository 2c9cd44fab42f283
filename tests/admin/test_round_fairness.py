"""The fairness report of a round's latest run: choices got, groups, seats left, stability."""

import csv
import io
from datetime import timedelta

from conftest import csrf_token
from factories import make_learner, make_order, make_org, make_programme, make_user

from matchhub.models import OrderKind, OrgKind, Role, utcnow
from matchhub.services import round_fairness, round_results, rounds


def _ran_round():
    """Two colleges; college A's five learners all want the one-seat internship X.

    College B's five learners each get their own seat, so A's match rate (1 of 5 at
    best plus whoever falls back to Y) sits far below the round's.
    """
    admin = make_user(Role.ADMIN)
    ent = make_org(name="Công ty Fair")
    x = make_order(ent, kind=OrderKind.INTERNSHIP, headcount=1, title="X")
    y = make_order(ent, kind=OrderKind.INTERNSHIP, headcount=1, title="Y")
    z = make_order(make_org(name="Công ty Zeta"), kind=OrderKind.INTERNSHIP, headcount=5, title="Z")
    rnd = rounds.create_round(
        admin,
        "Đợt công bằng",
        utcnow() + timedelta(days=3),
        {
            x.id: 1,
            y.id: 1,
            z.id: 5,
        },
    )
    rounds.open_round(rnd, admin)
    college_a = make_org(OrgKind.COLLEGE, name="Cao đẳng A")
    college_b = make_org(OrgKind.COLLEGE, name="Cao đẳng B")
    programme = make_programme(college_b, code="KTPM", name="Kỹ thuật phần mềm")
    a_learners = [
        make_learner(college_a, skills=(("python", 3 + (i % 2)),), locality="nd-hai-hau")
        for i in range(5)
    ]
    b_learners = [make_learner(college_b, programme=programme) for _ in range(5)]
    for i, learner in enumerate(a_learners):
        # The first learner also lists Y second; the others list only X.
        rounds.save_choices(rnd, learner, [x.id, y.id] if i == 0 else [x.id])
    for learner in b_learners:
        rounds.save_choices(rnd, learner, [z.id])
    rounds.close_round(rnd, admin)
    round_results.run_round(rnd, admin)
    return admin, rnd, college_a, college_b, ent


def test_report_counts_choices_groups_seats_and_checks_stability(app, ctx):
    _admin, rnd, college_a, college_b, _ent = _ran_round()
    report = round_fairness.fairness(rnd)

    assert report.overall.learners == 10
    # One of A's learners gets X (1st choice); if it is not learner 0, learner 0 gets Y
    # (2nd); B's five all get Z (1st).
    assert report.overall.placed in (6, 7)
    firsts, seconds, later = report.overall.choice_counts()
    assert firsts == 6 and seconds == report.overall.placed - 6 and later == 0
    assert report.blocking_pairs == 0

    by_college = {g.key: g for g in report.groups["college"]}
    a, b = by_college[college_a.id], by_college[college_b.id]
    assert (a.learners, b.learners) == (5, 5)
    assert b.match_rate == 1.0 and b.placed == 5
    assert a.match_rate <= 0.4
    assert a.flagged and not b.flagged
    assert [g.name for g in report.flagged if g.kind == "college"] == ["Cao đẳng A"]
    # Lowest match rate first, so the group to look at is on top.
    assert report.groups["college"][0].key == college_a.id
    # Mean fit is that of the placements only, a share in [0, 1].
    assert a.mean_fit is not None and 0 < a.mean_fit <= 1

    programmes = {g.key: g for g in report.groups["programme"]}
    assert {g.name for g in programmes.values()} >= {"Kỹ thuật phần mềm"}
    assert programmes[None].learners == 5  # college A's learners have no programme
    localities = {g.key: g for g in report.groups["locality"]}
    assert localities["nd-hai-hau"].learners == 5

    seats = {s.enterprise: s for s in report.seats}
    assert (seats["Công ty Zeta"].seats, seats["Công ty Zeta"].left) == (5, 0)
    assert seats["Công ty Fair"].seats == 2
    assert seats["Công ty Fair"].left == 2 - (report.overall.placed - 5)


def test_no_report_before_the_round_ran(app, ctx):
    admin = make_user(Role.ADMIN)
    order = make_order(make_org(), kind=OrderKind.INTERNSHIP)
    rnd = rounds.create_round(admin, "Chưa chạy", utcnow() + timedelta(days=1), {order.id: 1})
    assert round_fairness.fairness(rnd) is None


def test_page_and_exports_for_the_office_only(app, client, ctx, login):
    admin, rnd, _a, _b, ent = _ran_round()
    url = f"/admin/rounds/{rnd.id}/fairness"

    login(make_user(Role.ENTERPRISE, org=ent).email)
    assert client.get(url).status_code in (403, 404)
    assert client.get(f"{url}/export?format=csv").status_code in (403, 404)
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/enterprise/")})

    login(admin.email)
    detail = client.get(f"/admin/rounds/{rnd.id}").get_data(as_text=True)
    assert f'href="{url}"' in detail
    page = client.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="fairness-flagged"' in html and "Cao đẳng A" in html
    assert 'id="blocking-pairs" data-count="0"' in html

    response = client.get(f"{url}/export?format=csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    header, overall = rows[0], rows[1]
    assert len(header) == 11
    assert overall[2] == "10"  # learners in the whole round
    flagged = [r for r in rows[1:] if r[1] == "Cao đẳng A"]
    assert flagged and flagged[0][-1] != ""
    xlsx = client.get(f"{url}/export?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    assert client.get(f"{url}/export?format=pdf").status_code == 404
    assert client.get("/admin/rounds/999999/fairness").status_code == 404


def test_vietnamese_page(app, client, ctx, login):
    admin, rnd, *_ = _ran_round()
    login(admin.email)
    html = client.get(f"/admin/rounds/{rnd.id}/fairness").get_data(as_text=True)
    assert '<html lang="vi">' in html
    assert "Mức độ công bằng" in html and "Chưa cung cấp" in html
