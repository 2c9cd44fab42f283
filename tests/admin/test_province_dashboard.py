"""The province dashboard's figures, page and exports on a small hand-made province."""

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from factories import make_learner, make_order, make_org, make_user
from openpyxl import load_workbook

from matchhub.extensions import db
from matchhub.models import (
    Application,
    ApplicationStatus,
    AuditEvent,
    OrderStatus,
    OrgKind,
    Programme,
    ProgrammeLevel,
    Role,
    utcnow,
)
from matchhub.services import province


@pytest.fixture
def market(ctx):
    college = make_org(OrgKind.COLLEGE, name="=HYPERLINK(1)")
    prog = Programme(
        organization_id=college.id,
        code="CNTT",
        name="Công nghệ thông tin",
        level=ProgrammeLevel.COLLEGE,
        field="IT",
    )
    db.session.add(prog)
    db.session.commit()
    learners = [
        make_learner(college, programme=prog, skills=(("python", 3),), graduation_year=2026)
        for _ in range(3)
    ]
    learners.append(make_learner(college, skills=(("sql", 3),), graduation_year=2025))
    ent = make_org(sector="software")
    make_order(ent, headcount=2)  # python, open now
    filled = make_order(ent, status=OrderStatus.FILLED, skills=("sql",), headcount=1)
    filled.published_at = utcnow() - timedelta(days=10)
    filled.closed_at = filled.published_at + timedelta(days=6)
    db.session.add(
        Application(order_id=filled.id, learner_id=learners[3].id, status=ApplicationStatus.HIRED)
    )
    make_order(ent, status=OrderStatus.DRAFT, skills=("java",))  # never demand
    db.session.commit()
    return learners


def test_figures(market):
    rep = province.report(province.Filters(period="90"))
    assert rep.learners == 4
    supply = {s.slug: n for s, n in rep.supply_by_skill}
    demand = {s.slug: n for s, n in rep.demand_by_skill}
    assert supply == {"python": 3, "sql": 1}
    assert demand == {"python": 2, "sql": 1}
    gaps = {g.skill.slug: g for g in rep.gaps}
    assert gaps["python"].ratio == pytest.approx(2 / 3) and gaps["python"].flag == "shortage"
    assert rep.positions == 3 and rep.hired == 1 and rep.fill_rate == pytest.approx(1 / 3)
    assert rep.filled_orders == 1 and rep.median_days_to_fill == pytest.approx(6.0, abs=0.01)
    ((_name, n, placed, rate),) = rep.placement_by_college
    assert (n, placed, rate) == (4, 1, 0.25)
    assert dict(rep.supply_by_year) == {2025: 1, 2026: 3}
    assert rep.demand_by_sector == [("software", 2, 3)]

    by_year = province.report(province.Filters(period="90", graduation_year=2026))
    assert by_year.learners == 3
    assert {s.slug: n for s, n in by_year.supply_by_skill} == {"python": 3}


def test_period_excludes_orders_closed_before_it(market):
    rep = province.report(
        province.Filters(period="30", today=(utcnow() + timedelta(days=40)).date())
    )
    # The filled order closed more than 30 days before that "today"; the open one is still open.
    assert {s.slug for s, _n in rep.demand_by_skill} == {"python"}
    assert rep.filled_orders == 0 and rep.median_days_to_fill is None


def test_gap_thresholds():
    assert province.flag_for(5, 0) == (None, "shortage")
    assert province.flag_for(1, 2)[1] == "shortage"
    assert province.flag_for(1, 10)[1] == "balanced"
    assert province.flag_for(1, 25)[1] == "surplus"


def test_gap_flag_follows_the_ratio_people_read():
    # 0.0496 and 0.0504 both read "0,05" on the page: both must carry the same flag.
    assert province.flag_for(62, 1250)[1] == province.flag_for(63, 1250)[1] == "balanced"


def test_graduation_years_read_as_years(app, client, market, login):
    login(make_user(Role.ADMIN).email)
    page = client.get("/admin/province?period=90").get_data(as_text=True)
    table = page.split('data-table="supply_year"', 1)[1].split("</table>", 1)[0]
    assert ">2025<" in table and ">2026<" in table
    assert "2.025" not in table and "2,025" not in table


def test_page_and_exports(app, client, market, login):
    login(make_user(Role.ADMIN).email)
    page = client.get("/admin/province?period=90").get_data(as_text=True)
    assert 'data-skill="python" data-flag="shortage"' in page
    assert 'id="chart-data"' in page and "admin-charts.js" in page and "chart.umd.min.js" in page

    csv = client.get("/admin/province/export?table=placement_college&format=csv&period=90")
    assert csv.status_code == 200
    body = csv.get_data()
    assert body.startswith("\ufeff".encode())
    assert "'=HYPERLINK(1)" in body.decode("utf-8-sig")
    assert "attachment" in csv.headers["Content-Disposition"]

    xlsx = client.get("/admin/province/export?table=gap&format=xlsx&period=90")
    sheet = load_workbook(io.BytesIO(xlsx.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3  # header + python + sql

    assert client.get("/admin/province/export?table=nope&format=csv").status_code == 404
    exported = list(
        db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "export.province"))
    )
    assert {e.detail["table"] for e in exported} == {"placement_college", "gap"}
