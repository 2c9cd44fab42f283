"""The demand report's period: orders published in the last 3, 6 or 12 calendar months,
or every open order; the trend covers the period, and the current month stays marked as
not over."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from factories import make_order, make_org, make_programme, make_user
from openpyxl import load_workbook

from matchhub.extensions import db
from matchhub.models import OrgKind, Role
from matchhub.services import demand
from matchhub.services.orders import today_in_vietnam


def _months_ago(n: int) -> datetime:
    """Noon on the 15th of the month ``n`` calendar months before this one (UTC)."""
    today = today_in_vietnam()
    year, month = today.year, today.month - n
    while month < 1:
        year, month = year - 1, month + 12
    return datetime(year, month, 15, 5, tzinfo=UTC)


@pytest.fixture
def aged(ctx):
    """Open orders published this month, 4 months ago and 10 months ago."""
    soft = make_org(sector="software")
    make_order(soft, skills=("python",), headcount=5)
    mid = make_order(soft, skills=("sql",), headcount=3)
    old = make_order(soft, skills=("excel",), headcount=2)
    mid.published_at, old.published_at = _months_ago(4), _months_ago(10)
    db.session.commit()
    college = make_org(OrgKind.COLLEGE, code="NDTC")
    make_programme(college, code="CNTT")
    return college


def _slugs(report) -> set[str]:
    return {r.skill.slug for r in report.skills}


def test_the_period_keeps_orders_published_in_its_months(aged):
    college = aged

    def report(months):
        return demand.demand_report(college, filters=demand.DemandFilters(months=months))

    assert _slugs(report(None)) == {"python", "sql", "excel"}
    assert report(None).since is None and len(report(None).months) == 12
    three = report(3)
    assert _slugs(three) == {"python"} and three.orders == 1
    assert len(three.months) == 3 and three.months[-1] == today_in_vietnam().strftime("%Y-%m")
    assert three.since == date.fromisoformat(three.months[0] + "-01")
    assert _slugs(report(6)) == {"python", "sql"} and len(report(6).months) == 6
    assert _slugs(report(12)) == {"python", "sql", "excel"}
    # the trend of a period counts only its months
    (python, series), *_ = report(3).trend
    assert python.slug == "python" and series[-1] == 5


def test_the_first_day_of_the_period_counts(aged):
    today = today_in_vietnam()
    since = demand.DemandFilters(months=3).since(today)
    assert since.day == 1 and (today - since) < timedelta(days=93)
    assert demand.DemandFilters(months=1).since(today) == today.replace(day=1)
    assert demand.DemandFilters().since(today) is None


def test_the_page_and_export_follow_the_period(client, aged, login):
    login(make_user(Role.COLLEGE, org=aged).email)
    page = client.get("/college/demand?period=3").get_data(as_text=True)
    assert '<option value="3" selected>' in page and 'id="demand-since"' in page
    assert 'data-skill="python"' in page and 'data-skill="excel"' not in page
    assert "chưa hết tháng" in page  # the current month is still marked as not over
    assert "period=3" in page  # the export links keep it
    sheet = load_workbook(io.BytesIO(client.get("/college/demand.xlsx?period=3").data)).active
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["Python"]
    every = client.get("/college/demand").get_data(as_text=True)
    assert '<option value="all" selected>' in every and 'id="demand-since"' not in every


@pytest.mark.parametrize(
    "query",
    [
        "period=0",
        "period=-3",
        "period=7",
        "period=" + "9" * 40,
        "period=3.5",
        "period=" + "x" * 5000,
        "period=3&period=ALL",
        "period=%E2%80%8B3",
    ],
)
def test_a_hostile_period_is_the_default(client, aged, login, query):
    login(make_user(Role.COLLEGE, org=aged).email)
    for url in (f"/college/demand?{query}", f"/college/demand.csv?{query}"):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(f"/college/demand?{query}").get_data(as_text=True)
    if not query.startswith("period=3&"):
        assert '<option value="all" selected>' in page and 'data-skill="excel"' in page
