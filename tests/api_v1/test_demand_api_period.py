"""``GET /api/v1/demand?period=``: the demand page's period (last 3, 6 or 12 calendar
months, or every open order by default) over the API; a value outside the list is the
API's 400 like any other bad query parameter, and the contract lists the parameter."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from apiclient import call, token_for
from factories import make_order, make_org, make_programme, make_user

from matchhub.api.spec import spec
from matchhub.extensions import db
from matchhub.models import OrgKind, Role
from matchhub.services import demand
from matchhub.services.orders import today_in_vietnam


def _months_ago(n: int) -> datetime:
    today = today_in_vietnam()
    year, month = today.year, today.month - n
    while month < 1:
        year, month = year - 1, month + 12
    return datetime(year, month, 15, 5, tzinfo=UTC)


@pytest.fixture
def college_token(ctx):
    """Open orders published this month (python), 4 months ago (sql), 10 months ago (excel)."""
    soft = make_org(sector="software")
    make_order(soft, skills=("python",), headcount=5)
    mid = make_order(soft, skills=("sql",), headcount=3)
    old = make_order(soft, skills=("excel",), headcount=2)
    mid.published_at, old.published_at = _months_ago(4), _months_ago(10)
    db.session.commit()
    college = make_org(OrgKind.COLLEGE, code="NDTC")
    make_programme(college, code="CNTT")
    return token_for(make_user(Role.COLLEGE, org=college, locale="en"))


def _demand(client, token, query=""):
    return call(client, "GET", f"/api/v1/demand{query}", token)


def test_the_period_keeps_the_orders_published_in_its_months(client, college_token):
    def slugs(body):
        return {s["id"] for s in body["skills"]}

    every = _demand(client, college_token).get_json()
    assert every["period"] == "all" and every["since"] is None
    assert every["orders"] == 3 and slugs(every) == {"python", "sql", "excel"}
    three = _demand(client, college_token, "?period=3").get_json()
    assert three["orders"] == 1 and slugs(three) == {"python"}
    since = demand.DemandFilters(months=3).since(today_in_vietnam())
    assert three["period"] == "3" and date.fromisoformat(three["since"]) == since
    six = _demand(client, college_token, "?period=6").get_json()
    assert six["orders"] == 2 and slugs(six) == {"python", "sql"}
    twelve = _demand(client, college_token, "?period=12").get_json()
    assert twelve["orders"] == 3
    assert _demand(client, college_token, "?period=all").get_json() == every


@pytest.mark.parametrize(
    "value", ["0", "-3", "7", "9" * 40, "3.5", "x" * 5000, "ALL", "%E2%80%8B3", ""]
)
def test_a_period_not_in_the_list_is_the_apis_400(client, college_token, value):
    response = _demand(client, college_token, f"?period={value}")
    assert response.status_code == 400
    body = response.get_json()["error"]
    assert body["status"] == 400
    assert body["message"] == "“period” must be one of: 3, 6, 12, all."
    assert body["fields"] == {"period": [body["message"]]}


def test_the_refusal_is_in_the_users_language(client, college_token):
    teacher = make_user(Role.COLLEGE, org=make_org(OrgKind.COLLEGE, code="VI"))
    response = _demand(client, token_for(teacher), "?period=24")
    assert response.status_code == 400
    assert "period" in response.get_json()["error"]["message"]
    assert "must be" not in response.get_json()["error"]["message"]  # Vietnamese


def test_the_openapi_document_lists_the_period(app):
    operation = spec(app)["paths"]["/demand"]["get"]
    [period] = [p for p in operation["parameters"] if p["name"] == "period"]
    assert period["in"] == "query" and period["required"] is False
    assert period["schema"]["enum"] == list(demand.PERIODS)
    assert period["schema"]["default"] == demand.DEFAULT_PERIOD
    assert "400" in operation["responses"]
    answer = spec(app)["components"]["schemas"]["Demand"]
    assert {"period", "since"} <= set(answer["required"])
