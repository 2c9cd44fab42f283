"""A live order (``Order.is_live``: open, of a verified organisation) is the only kind any
public surface offers: a suspended or unverified organisation's open order, a closed one
and a draft appear on none of them, while a live one appears on all."""

import pytest
import sqlalchemy as sa
from apiclient import token_for
from factories import make_order, make_org, make_user, skill

from matchhub.extensions import db
from matchhub.models import (
    LearnerSkill,
    Order,
    OrderKind,
    OrderStatus,
    Role,
    VerificationState,
    utcnow,
)
from matchhub.services import learners, rounds, stats

LIVE = "Thực tập đang mở"
NOT_LIVE = {
    "suspended": "Thực tập của doanh nghiệp bị đình chỉ",
    "unverified": "Thực tập của doanh nghiệp chưa xác minh",
    "closed": "Thực tập đã đóng",
    "draft": "Thực tập bản nháp",
}


@pytest.fixture
def orders(ctx):
    verified = make_org(name="Doanh nghiệp đã xác minh")
    made = {
        # Suspending closes an organisation's orders; one left open must still not show.
        "suspended": make_order(
            make_org(state=VerificationState.SUSPENDED), title=NOT_LIVE["suspended"]
        ),
        "unverified": make_order(
            make_org(state=VerificationState.PENDING), title=NOT_LIVE["unverified"]
        ),
        "closed": make_order(verified, status=OrderStatus.CLOSED, title=NOT_LIVE["closed"]),
        "draft": make_order(verified, status=OrderStatus.DRAFT, title=NOT_LIVE["draft"]),
        "live": make_order(verified, title=LIVE),
    }
    for order in made.values():
        order.kind = OrderKind.INTERNSHIP
    db.session.commit()
    return made


def test_is_live_agrees_in_python_and_in_sql(orders):
    assert {k for k, o in orders.items() if o.is_live} == {"live"}
    found = db.session.scalars(sa.select(Order.title).where(Order.is_live)).all()
    assert found == [LIVE]


def _shows(html: str) -> set[str]:
    return {k for k, title in {**NOT_LIVE, "live": LIVE}.items() if title in html}


def test_public_list_and_home_page(client, orders):
    assert _shows(client.get("/orders").get_data(as_text=True)) == {"live"}
    assert _shows(client.get("/").get_data(as_text=True)) == {"live"}
    overview = stats.overview()
    assert (overview.open_orders, overview.open_seats) == (1, orders["live"].headcount)


def test_learner_matches_and_openings(client, orders, login):
    user = make_user(Role.LEARNER)
    learner = learners.learner_of_user(user)
    learner.skills.append(LearnerSkill(skill=skill("python"), term="Python", level=3))
    learner.consent_at = utcnow()
    db.session.commit()
    login(user.email)
    for url in ("/learner/matches?tier=all", "/learner/openings", "/learner/"):
        assert _shows(client.get(url).get_data(as_text=True)) == {"live"}, url
    for key, order in orders.items():
        expected = 200 if key == "live" else 404
        assert client.get(f"/learner/orders/{order.id}").status_code == expected, key


def test_api_open_orders_and_order_detail(client, orders):
    token = token_for(make_user(Role.LEARNER))
    headers = {"Authorization": f"Bearer {token}"}
    body = client.get("/api/v1/orders/open?per_page=100", headers=headers).get_json()
    assert [o["title"] for o in body["items"]] == [LIVE]
    for key, order in orders.items():
        expected = 200 if key == "live" else 404
        response = client.get(f"/api/v1/orders/{order.id}", headers=headers)
        assert response.status_code == expected, key


def test_round_prefill(client, orders, login):
    assert [o.title for o in rounds.eligible_orders()] == [LIVE]
    login(make_user(Role.ADMIN).email)
    page = client.get("/admin/rounds/new").get_data(as_text=True)
    for key, order in orders.items():
        assert (f'id="order-{order.id}"' in page) == (key == "live"), key
