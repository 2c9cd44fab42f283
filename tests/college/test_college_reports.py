"""Demand report, curriculum gaps, outcomes and their exports, as a college sees them."""

import io
import json
import re

import pytest
from factories import make_learner, make_order, make_org, make_programme, make_user
from openpyxl import load_workbook

from matchhub.extensions import db
from matchhub.models import (
    Application,
    ApplicationStatus,
    OrderStatus,
    OrgKind,
    Role,
    VerificationState,
)
from matchhub.services import demand, outcomes


@pytest.fixture
def province(ctx):
    """Two verified enterprises and one unverified, with open and closed orders."""
    soft = make_org(sector="software", locality="nd-nam-dinh")
    textile = make_org(sector="textile", locality="nd-thien-truong")
    pending = make_org(state=VerificationState.PENDING)
    make_order(soft, skills=("python", "sql"), headcount=5)
    make_order(soft, skills=("python", "docker"), headcount=3)
    make_order(textile, skills=("excel",), headcount=2, locality="nd-thien-truong")
    make_order(pending, skills=("java",), headcount=50)  # unverified
    make_order(soft, status=OrderStatus.CLOSED, skills=("rust",), headcount=40)  # not open
    college = make_org(OrgKind.COLLEGE, code="NDTC")
    programme = make_programme(college, code="CNTT", skills=(("python", 3), ("sql", 3)))
    return college, programme


def test_demand_report_service(province):
    college, programme = province
    report = demand.demand_report(college)
    assert report.orders == 3  # the unverified and the closed orders do not count
    slugs = [r.skill.slug for r in report.skills]
    assert slugs[0] == "python"  # 8 positions
    assert set(slugs) == {"python", "sql", "docker", "excel"}
    python = report.skills[0]
    assert python.programmes == [(programme, 3)]
    assert next(r for r in report.skills if r.skill.slug == "docker").programmes == []
    assert {r.key for r in report.sectors} == {"software", "textile"}
    assert report.sectors[0].key == "software"
    assert len(report.months) == 12 and report.trend[0][0].slug == "python"
    assert report.trend[0][1][-1] == 8  # positions published this month


def test_demand_page_has_charts_with_tables_and_data(client, province, login):
    college, _programme = province
    login(make_user(Role.COLLEGE, org=college).email)
    page = client.get("/college/demand").get_data(as_text=True)
    for key in ("skills", "trend", "sectors", "localities"):
        assert f'data-chart="{key}"' in page and f'id="table-{key}"' in page
    data = json.loads(re.search(r'id="demand-data">(.*?)</script>', page, re.S).group(1))
    assert len(data["skills"]["labels"]) == 4
    assert "chart.umd.min.js" in page and "college-charts.js" in page
    assert "<script>" not in page  # no inline script (CSP)


def test_demand_exports_are_formula_escaped(client, ctx, login):
    enterprise = make_org()
    make_order(enterprise, skills=("python",))
    college = make_org(OrgKind.COLLEGE, code="NDTC")
    make_programme(college, code="CNTT", name='=HYPERLINK("http://x")')
    login(make_user(Role.COLLEGE, org=college).email)
    csv_response = client.get("/college/demand.csv")
    assert csv_response.status_code == 200
    text = csv_response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    assert "'=HYPERLINK" in text
    xlsx = client.get("/college/demand.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data), read_only=True).worksheets[0]
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert any(v.startswith("'=HYPERLINK") for v in values)


def test_gap_report_ranks_missing_skills_and_modules(client, province, login):
    college, programme = province
    gaps = demand.programme_gap_report(programme)
    missing = [g.skill_id for g in gaps.report.missing]
    assert missing == ["docker", "excel"]  # 3 positions behind Docker, 2 behind Excel
    assert 0 < gaps.report.covered_share < 1  # the python+sql order is covered
    assert gaps.report.modules
    assert gaps.report.modules[-1].cumulative_share_after == pytest.approx(1.0)
    login(make_user(Role.COLLEGE, org=college).email)
    page = client.get(f"/college/programmes/{programme.id}/gaps").get_data(as_text=True)
    assert 'id="gap-modules"' in page and 'data-skill="docker"' in page
    overview = client.get("/college/gaps").get_data(as_text=True)
    assert f'data-programme="{programme.id}"' in overview


def test_outcomes_by_programme_and_cohort(client, ctx, login):
    college = make_org(OrgKind.COLLEGE, code="NDTC")
    programme = make_programme(college, code="CNTT")
    enterprise = make_org()
    order = make_order(enterprise)
    other_order = make_order(enterprise)
    hired = make_learner(college, programme=programme, graduation_year=2026)
    applied = make_learner(college, programme=programme, graduation_year=2026)
    make_learner(college, programme=programme, graduation_year=2025)
    db.session.add_all(
        [
            Application(order=order, learner=hired, status=ApplicationStatus.HIRED),
            Application(order=other_order, learner=hired, status=ApplicationStatus.REJECTED),
            Application(order=order, learner=applied, status=ApplicationStatus.APPLIED),
        ]
    )
    db.session.commit()
    rows = {(c.programme.code, c.year): c for c in outcomes.outcomes_of(college)}
    cohort = rows[("CNTT", 2026)]
    assert cohort.learners == 2 and cohort.hired_learners == 1
    assert cohort.statuses == {
        ApplicationStatus.HIRED: 1,
        ApplicationStatus.REJECTED: 1,
        ApplicationStatus.APPLIED: 1,
    }
    assert cohort.placement_rate == 0.5
    assert rows[("CNTT", 2025)].placement_rate == 0
    login(make_user(Role.COLLEGE, org=college).email)
    page = client.get("/college/outcomes").get_data(as_text=True)
    assert f'data-programme="{programme.id}" data-year="2026" data-hired="1"' in page
    assert client.get("/college/outcomes.xlsx").status_code == 200
    assert client.get("/college/outcomes.csv").data.startswith("\ufeff".encode())


def test_dashboard_links_every_tool(client, ctx, login):
    college = make_org(OrgKind.COLLEGE)
    login(make_user(Role.COLLEGE, org=college).email)
    page = client.get("/college/").get_data(as_text=True)
    for url in ("/college/imports", "/college/demand", "/college/gaps", "/college/training-orders",
                "/college/outcomes", "/college/programmes"):  # fmt: skip
        assert f'href="{url}"' in page
        assert client.get(url).status_code == 200, url
