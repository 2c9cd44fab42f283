"""Enterprise A can neither read, change, export nor rank for enterprise B's orders,
whatever URL it types; and a hidden learner is in no ranking and no export."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from conftest import csrf_token
from factories import make_learner, make_order, make_org, make_user

from matchhub.extensions import db
from matchhub.models import (
    Application,
    ApplicationEvent,
    AuditEvent,
    Order,
    OrderSkill,
    Role,
    Visibility,
)
from matchhub.services import applications, pair_scores


def _endpoints(app) -> list:
    """Every enterprise route that names an order or an application in its URL."""
    return sorted(
        (
            rule
            for rule in app.url_map.iter_rules()
            if rule.endpoint.startswith("enterprise.")
            and ({"order_id", "application_id"} & set(rule.arguments))
        ),
        key=lambda r: (r.endpoint, r.rule),
    )


def _url(rule, ids: dict) -> str:
    values = {}
    for arg in rule.arguments:
        converter = rule._converters[arg]
        choices = getattr(converter, "items", None)
        if choices:  # an any(...) converter: its first value
            values[arg] = sorted(choices)[0]
        else:
            values[arg] = ids.get(arg, 1)
    path = rule.rule
    for arg, value in values.items():
        path = re.sub(rf"<(?:[^:<>]+:)?{arg}(?:\([^)]*\))?>", str(value), path)
        path = re.sub(rf"<[^<>]*:{arg}>", str(value), path)
    return path


@pytest.fixture
def two_enterprises(client, ctx, login):
    org_a, org_b = make_org(name="Công ty A"), make_org(name="Công ty B")
    user_a = make_user(Role.ENTERPRISE, org=org_a)
    user_b = make_user(Role.ENTERPRISE, org=org_b)
    order_b = make_order(org_b, title="Đơn của B")
    learner = make_learner()
    db.session.commit()
    app_b = applications.shortlist(order_b, learner, user_b, invite=True)
    login(user_a.email)
    return {"order_b": order_b, "app_b": app_b, "learner": learner, "user_a": user_a}


def test_the_route_list_covers_orders_and_applications(app):
    endpoints = {r.endpoint for r in _endpoints(app)}
    assert {
        "enterprise.order_detail",
        "enterprise.order_edit",
        "enterprise.order_publish",
        "enterprise.order_status_change",
        "enterprise.order_duplicate",
        "enterprise.candidate_list",
        "enterprise.candidate_detail",
        "enterprise.candidate_shortlist",
        "enterprise.pipeline",
        "enterprise.pipeline_export",
        "enterprise.application_detail",
        "enterprise.application_move",
        "enterprise.application_note",
    } <= endpoints


def test_every_order_and_application_route_answers_404_for_another_enterprise(
    app, client, two_enterprises
):
    ids = {
        "order_id": two_enterprises["order_b"].id,
        "application_id": two_enterprises["app_b"].id,
        "learner_id": two_enterprises["learner"].id,
    }
    token = csrf_token(client, "/enterprise/orders/new")
    before = (
        db.session.scalar(sa.select(sa.func.count(Order.id))),
        db.session.scalar(sa.select(sa.func.count(ApplicationEvent.id))),
        db.session.scalar(sa.select(sa.func.count(OrderSkill.id))),
    )
    checked = 0
    for rule in _endpoints(app):
        url = _url(rule, ids)
        if "GET" in rule.methods:
            response = client.get(url)
            assert response.status_code == 404, (rule.endpoint, url, response.status_code)
            checked += 1
        if "POST" in rule.methods:
            response = client.post(
                url,
                data={
                    "csrf_token": token,
                    "to_status": "interview",
                    "note": "tampered",
                    "invite": "1",
                    "title": "Đã bị sửa",
                },
            )
            assert response.status_code == 404, (rule.endpoint, url, response.status_code)
            checked += 1
    assert checked >= 13
    db.session.expire_all()
    after = (
        db.session.scalar(sa.select(sa.func.count(Order.id))),
        db.session.scalar(sa.select(sa.func.count(ApplicationEvent.id))),
        db.session.scalar(sa.select(sa.func.count(OrderSkill.id))),
    )
    assert after == before
    order_b = db.session.get(Order, ids["order_id"])
    assert order_b.title == "Đơn của B"
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert "pipeline.exported" not in actions and "profile.viewed" not in actions


def test_hidden_learner_is_in_no_ranking_and_no_export(client, ctx, login):
    org = make_org()
    user = make_user(Role.ENTERPRISE, org=org)
    order = make_order(org, skills=("python",))
    shown = make_learner(skills=(("python", 3),), full_name="Người Hiện")
    hidden = make_learner(
        skills=(("python", 5),), visibility=Visibility.HIDDEN, full_name="Người Ẩn Danh"
    )
    db.session.commit()
    applications.shortlist(order, shown, user)
    # Shortlisted while visible, then hidden: gone from the export and the pipeline too.
    later = make_learner(skills=(("python", 4),), full_name="Người Ẩn Sau")
    db.session.commit()
    applications.shortlist(order, later, user)
    later.visibility = Visibility.HIDDEN
    db.session.commit()

    login(user.email)
    pages = [
        client.get(f"/enterprise/orders/{order.id}/candidates").get_data(as_text=True),
        client.get(f"/enterprise/orders/{order.id}/candidates?min_score=1").get_data(as_text=True),
        client.get(f"/enterprise/orders/{order.id}/pipeline").get_data(as_text=True),
        client.get(f"/enterprise/orders/{order.id}/pipeline/export.csv").data.decode("utf-8-sig"),
    ]
    for body in pages:
        assert "Người Ẩn Danh" not in body and "Người Ẩn Sau" not in body
    assert "Người Hiện" in pages[0]
    assert set(pair_scores.scores_for_order(order, [hidden.id, later.id, shown.id])) == {shown.id}
    assert client.get(f"/enterprise/orders/{order.id}/candidates/{hidden.id}").status_code == 404
    assert (
        db.session.scalar(
            sa.select(sa.func.count(Application.id)).where(Application.learner_id == hidden.id)
        )
        == 0
    )
