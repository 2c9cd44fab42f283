"""Demand report, curriculum gaps, outcomes and their exports, as a college sees them."""

import io
import json
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from factories import make_learner, make_order, make_org, make_programme, make_user, skill
from openpyxl import load_workbook

from matchhub.extensions import db
from matchhub.models import (
    Application,
    ApplicationStatus,
    Order,
    OrderStatus,
    OrgKind,
    ProgrammeSkill,
    Role,
    VerificationState,
)
from matchhub.services import demand, orders, outcomes


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


def test_demand_is_computed_once_per_version_of_the_orders(province, monkeypatch):
    """The province-wide figures are cached per worker: an order's change shows at once
    (its commit bumps the cache version); a learner's change or a mere re-read computes
    nothing again."""
    college, programme = province
    computed = []
    compute = demand._compute_province
    monkeypatch.setattr(
        demand,
        "_compute_province",
        lambda today, filters=demand.ALL: computed.append(today) or compute(today, filters),
    )
    assert demand.demand_report(college).orders == 3
    assert demand.programme_gap_report(programme).report is not None
    assert len(demand.gap_overview([programme])) == 1
    assert len(computed) == 1

    make_learner(college)  # commits: a new version, of learners only
    assert demand.demand_report(college).orders == 3
    assert len(computed) == 1

    admin = make_user(Role.ADMIN)
    order = db.session.scalar(sa.select(Order).where(Order.headcount == 2))
    orders.change_order_status(order, admin, OrderStatus.CLOSED)
    report = demand.demand_report(college)
    assert len(computed) == 2
    assert report.orders == 2
    assert "excel" not in {r.skill.slug for r in report.skills}
    # Vietnam's tomorrow: between 17:00 and 24:00 UTC the machine's date is a day behind.
    tomorrow = orders.today_in_vietnam() + timedelta(days=1)
    assert demand.demand_report(college, today=tomorrow).orders == 2
    assert len(computed) == 3  # another day: the weights have aged


def test_a_programme_gap_report_is_kept_until_the_programme_or_the_demand_changes(province):
    _, programme = province
    first = demand.programme_gap_report(programme).report
    assert demand.programme_gap_report(programme).report is first
    assert [g.skill_id for g in first.missing] == ["docker", "excel"]

    programme.skills.append(ProgrammeSkill(skill=skill("docker"), level=3))
    db.session.commit()  # a programme edit touches nothing: its profile is the key
    taught = demand.programme_gap_report(programme).report
    assert [g.skill_id for g in taught.missing] == ["excel"]

    make_order(make_org(sector="software"), skills=("excel",), headcount=9)
    again = demand.programme_gap_report(programme).report
    assert again is not taught and [g.skill_id for g in again.missing] == ["excel"]
    assert again.covered_share < taught.covered_share  # more demand it does not cover


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
    sheet = load_workbook(io.BytesIO(xlsx.data)).worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    formula_like = [c for c in cells if c.value.startswith("=HYPERLINK")]
    assert formula_like and all((c.data_type, c.quotePrefix) == ("s", True) for c in formula_like)


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


def _section(page: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}".*?</(table|ul)>', page, re.S)
    return match.group(0) if match else ""


def test_gap_page_says_why_skills_are_grouped_and_leaves_far_skills_out(client, ctx, login):
    from conftest import csrf_token

    soft = make_org(sector="software")
    factory = make_org(sector="manufacturing")
    for _ in range(2):
        make_order(soft, skills=("python", "docker", "kubernetes"))
    make_order(soft, skills=("python", "sql"))
    make_order(soft, skills=("japanese", "figma"))
    make_order(factory, skills=("plc", "automation"), headcount=10)
    college = make_org(OrgKind.COLLEGE, code="NDTC")
    programme = make_programme(college, skills=(("python", 3), ("sql", 3), ("java", 3)))

    report = demand.programme_gap_report(programme).report
    modules = {m.skills: m for m in report.modules}
    cloud = modules[("docker", "kubernetes")]
    assert (cloud.category, cloud.together) == ("cloud-devops", 2)
    suggested = {s for m in report.modules for s in m.skills}
    assert {"plc", "automation", "figma"} <= {g.skill_id for g in report.far}
    assert not suggested & {"plc", "automation", "figma"}
    assert ("japanese",) in modules  # a language suits any programme; Figma stays apart

    login(make_user(Role.COLLEGE, org=college).email)
    url = f"/college/programmes/{programme.id}/gaps"
    page = client.get(url).get_data(as_text=True)
    table = _section(page, "gap-modules")
    assert "Cùng nhóm Điện toán đám mây và DevOps" in table
    assert "Thường được yêu cầu cùng nhau trong 2 đơn hàng" in table
    assert "cloud-devops</div>" not in table  # the category is named, not its slug
    assert "Ít khi được yêu cầu cùng kỹ năng còn thiếu nào khác" in table
    assert 'data-skill="plc"' in _section(page, "gap-far") and "PLC" not in table
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/"), "next": url})
    table = _section(client.get(url).get_data(as_text=True), "gap-modules")
    assert "Same group: Cloud and DevOps" in table
    assert "Often asked together: in 2 orders" in table


def test_every_skill_category_has_a_translated_name(app):
    from flask_babel import force_locale

    from matchhub.labels import category_label
    from matchhub.matching.taxonomy import CATEGORIES

    with app.test_request_context():
        with force_locale("vi"):
            vi = [category_label(c) for c in CATEGORIES]
        with force_locale("en"):
            en = [category_label(c) for c in CATEGORIES]
    assert all(name != slug for name, slug in zip(vi, CATEGORIES, strict=True))
    assert len(set(vi)) == len(set(en)) == len(CATEGORIES)
    assert vi != en


def test_the_current_month_is_marked_as_not_over(client, province, login):
    """The trend's last month is counted only so far: it says so, on the table and chart."""
    from matchhub.college.demand import month_labels

    labels = month_labels(["2026-11", "2026-12"], date(2026, 12, 3))
    assert labels[0] == "11/2026"
    assert labels[1].startswith("12/2026") and "03/12" in labels[1]
    assert month_labels(["2026-11"], date(2026, 12, 3)) == ["11/2026"]  # a past month is whole
    college, _programme = province
    login(make_user(Role.COLLEGE, org=college).email)
    page = client.get("/college/demand").get_data(as_text=True)
    from matchhub.services.orders import today_in_vietnam

    today = today_in_vietnam()  # the report's day, not the machine's (UTC+7 at midnight)
    data = json.loads(re.search(r'id="demand-data">(.*?)</script>', page, re.S).group(1))
    last = data["trend"]["labels"][-1]
    assert last.startswith(today.strftime("%m/%Y")) and "chưa hết tháng" in last
    assert last in page  # the table's row says the same


def test_demand_filters_by_kind_sector_and_locality(client, province, login):
    """The report counts only the orders the filters keep, and its exports follow them."""
    college, _programme = province
    full = demand.demand_report(college)
    software = demand.demand_report(college, filters=demand.DemandFilters(sector="software"))
    textile = demand.demand_report(college, filters=demand.DemandFilters(sector="textile"))
    assert 0 < software.orders < full.orders and software.orders + textile.orders == full.orders
    assert {r.key for r in software.sectors} == {"software"}
    nowhere = demand.demand_report(college, filters=demand.DemandFilters(locality="ha-noi"))
    assert nowhere.orders == 0 and nowhere.skills == []

    login(make_user(Role.COLLEGE, org=college).email)
    page = client.get("/college/demand?sector=software").get_data(as_text=True)
    assert '<option value="software" selected>' in page
    assert f"{software.orders}" in page
    export = client.get("/college/demand.csv?sector=software").get_data(as_text=True)
    assert export.count("\n") - 1 == len(software.skills)
    # Unknown or hostile values mean "all", never a 500 (a NUL byte is refused with 400
    # before any view, as everywhere).
    for query in ("sector=nope", "locality=" + "x" * 5000, "fmt=xlsx&kind=job&kind=x"):
        assert client.get(f"/college/demand?{query}").status_code == 200
    assert client.get("/college/demand?kind=%00").status_code == 400
