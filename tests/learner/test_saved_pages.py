"""Saving openings from the learner's pages, the Saved page, alert settings and the
unsubscribe link (views: matchhub/learner/saved.py, matchhub/public/routes.py)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from conftest import csrf_token, submit
from factories import make_order, make_org, make_user, skill

from matchhub.extensions import db
from matchhub.models import (
    AlertSubscription,
    LearnerSkill,
    OrderKind,
    OrderStatus,
    Role,
    SavedOrder,
    utcnow,
)
from matchhub.services import alerts
from matchhub.services.learners import learner_of_user


def _learner_in(login):
    user = make_user(Role.LEARNER)
    learner = learner_of_user(user)
    learner.skills.append(LearnerSkill(skill=skill("python"), term="Python", level=4))
    learner.consent_at = utcnow()
    db.session.commit()
    login(user.email)
    return user, learner


def _saved_count() -> int:
    db.session.rollback()  # read what the requests committed
    return db.session.scalar(sa.select(sa.func.count(SavedOrder.id)))


def _save_form(html: str, order_id: int) -> re.Match | None:
    return re.search(
        rf'<form[^>]*class="d-inline save-form[^"]*" data-save="{order_id}"\s*'
        rf'action="(/learner/orders/{order_id}/(?:save|unsave))"',
        html,
    )


def test_save_from_the_matches_page_then_find_it_on_the_saved_page(client, ctx, login):
    _learner_in(login)
    order = make_order(make_org(name="Công ty Lưu"), title="Lập trình viên Python")
    page = client.get("/learner/matches").get_data(as_text=True)
    form = _save_form(page, order.id)
    assert form and form.group(1).endswith("/save")
    back = "/learner/matches?tier=all"
    response = submit(client, form.group(1), {"next": back}, form_url="/learner/matches")
    assert response.status_code == 302 and response.headers["Location"] == back
    assert _saved_count() == 1
    # The card now says so, and its button unsaves.
    page = client.get("/learner/matches").get_data(as_text=True)
    assert _save_form(page, order.id).group(1).endswith("/unsave")
    assert 'aria-pressed="true"' in page
    saved_page = client.get("/learner/saved").get_data(as_text=True)
    assert "Lập trình viên Python" in saved_page and "Công ty Lưu" in saved_page
    assert 'data-score="0.7' in saved_page  # the matches page's score


def test_save_from_the_openings_search_and_both_detail_pages(client, ctx, login):
    _learner_in(login)
    order = make_order(make_org(), title="Thực tập Python", kind=OrderKind.INTERNSHIP)
    for url in ("/learner/openings", f"/learner/orders/{order.id}", f"/orders/{order.id}"):
        html = client.get(url).get_data(as_text=True)
        assert _save_form(html, order.id), url
    submit(client, f"/learner/orders/{order.id}/save", {}, form_url=f"/orders/{order.id}")
    html = client.get(f"/orders/{order.id}").get_data(as_text=True)
    assert _save_form(html, order.id).group(1).endswith("/unsave")


def test_no_save_button_for_visitors_other_roles_or_training(client, ctx, login):
    order = make_order(make_org())
    training = make_order(make_org(), kind=OrderKind.TRAINING, title="Đào tạo")
    assert not _save_form(client.get(f"/orders/{order.id}").get_data(as_text=True), order.id)
    login(make_user(Role.ENTERPRISE, org=make_org()).email)
    assert not _save_form(client.get(f"/orders/{order.id}").get_data(as_text=True), order.id)
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})
    _learner_in(login)
    html = client.get(f"/orders/{training.id}").get_data(as_text=True)
    assert not _save_form(html, training.id)


def test_a_closed_saved_opening_is_shown_closed(client, ctx, login):
    _learner_in(login)
    order = make_order(make_org(), title="Sắp đóng")
    submit(client, f"/learner/orders/{order.id}/save", {}, form_url="/learner/matches")
    order.status = OrderStatus.FILLED
    db.session.commit()
    html = client.get("/learner/saved").get_data(as_text=True)
    assert 'data-live="false"' in html and "Sắp đóng" in html
    assert "opening-closed" in html and "Đã tuyển đủ" in html
    # No link to a page the learner may no longer open.
    assert f'href="/learner/orders/{order.id}"' not in html
    response = submit(client, f"/learner/orders/{order.id}/unsave", {}, form_url="/learner/saved")
    assert response.headers["Location"] == "/learner/saved"
    assert _saved_count() == 0


def test_saving_needs_the_csrf_token(client, ctx, login):
    _learner_in(login)
    order = make_order(make_org())
    assert client.post(f"/learner/orders/{order.id}/save").status_code == 400
    assert (
        client.post(f"/learner/orders/{order.id}/save", data={"csrf_token": "x"}).status_code == 400
    )
    assert _saved_count() == 0


@pytest.mark.parametrize(
    "back",
    ["//evil.example/", "https://evil.example/", "/\\evil.example", "/\t/evil.example", "x"],
)
def test_the_way_back_never_leaves_the_site(client, ctx, login, back):
    _learner_in(login)
    order = make_order(make_org())
    response = submit(
        client, f"/learner/orders/{order.id}/save", {"next": back}, form_url="/learner/matches"
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/learner/orders/{order.id}"


def test_hostile_input_never_breaks_a_page(client, ctx, login):
    _learner_in(login)
    order = make_order(make_org())
    token = csrf_token(client, "/learner/saved")
    assert (
        client.post(f"/learner/orders/{2**40}/save", data={"csrf_token": token}).status_code == 404
    )
    for data in (
        {"next": "/a\x00b"},
        {"next": "/" + "x" * 5000},
    ):
        got = client.post(f"/learner/orders/{order.id}/save", data={**data, "csrf_token": token})
        assert got.status_code == 400
    # Repeated fields: the first one counts, nothing breaks.
    got = client.post(
        f"/learner/orders/{order.id}/save",
        data={"csrf_token": [token, token], "next": ["/learner/saved", "//evil"]},
    )
    assert got.status_code == 302 and got.headers["Location"] == "/learner/saved"
    assert _saved_count() == 1


def test_alert_settings_are_saved_and_bad_values_refused_per_field(client, ctx, login):
    _user, learner = _learner_in(login)
    html = client.get("/learner/saved").get_data(as_text=True)
    assert 'id="alert-form"' in html and "Thông báo hằng tuần" in html
    response = submit(
        client,
        "/learner/saved/alerts",
        {"active": "y", "min_score": "80", "kind": "internship"},
        form_url="/learner/saved",
    )
    assert response.status_code == 302
    assert alerts.settings_of(learner) == alerts.AlertSettings(True, 80, OrderKind.INTERNSHIP)
    for bad in (
        {"min_score": "55"},
        {"min_score": "abc"},
        {"min_score": str(10**20)},
        {"min_score": "70", "kind": "training"},
        {"min_score": "70", "kind": "x" * 3000},
    ):
        response = submit(
            client, "/learner/saved/alerts", {"active": "y", **bad}, form_url="/learner/saved"
        )
        assert response.status_code == 400, bad
        assert "invalid-feedback" in response.get_data(as_text=True)
    db.session.rollback()
    assert alerts.settings_of(learner) == alerts.AlertSettings(True, 80, OrderKind.INTERNSHIP)
    # Off: unticked box.
    submit(client, "/learner/saved/alerts", {"min_score": "80"}, form_url="/learner/saved")
    db.session.rollback()
    assert alerts.settings_of(learner).active is False


def test_alert_settings_need_the_csrf_token(client, ctx, login):
    _learner_in(login)
    response = client.post("/learner/saved/alerts", data={"active": "y", "min_score": "70"})
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(AlertSubscription.id))) == 0


def test_the_unsubscribe_link_needs_no_login_and_one_button(app, client, ctx):
    user = make_user(Role.LEARNER)
    learner = learner_of_user(user)
    alerts.set_alerts(learner, user, alerts.AlertSettings(True, 70))
    url = f"/alerts/unsubscribe/{alerts.unsubscribe_token(learner)}"
    page = client.get(url).get_data(as_text=True)
    assert 'id="unsubscribe-form"' in page
    db.session.rollback()
    assert alerts.settings_of(learner).active  # following the link alone changes nothing
    assert client.post(url).status_code == 400  # the button's POST carries its CSRF token
    response = submit(client, url, {})
    assert response.status_code == 200 and 'id="unsubscribed"' in response.get_data(as_text=True)
    db.session.rollback()
    assert alerts.settings_of(learner).active is False


def test_the_mail_programs_one_click_post_needs_no_session_and_no_csrf(client, ctx):
    user = make_user(Role.LEARNER)
    learner = learner_of_user(user)
    alerts.set_alerts(learner, user, alerts.AlertSettings(True, 70))
    url = f"/alerts/unsubscribe/{alerts.unsubscribe_token(learner)}/one-click"
    assert client.post(url).status_code == 400  # not what RFC 8058 sends
    assert client.get(url).status_code == 405
    body = {"List-Unsubscribe": "One-Click"}
    assert client.post("/alerts/unsubscribe/forged/one-click", data=body).status_code == 400
    db.session.rollback()
    assert alerts.settings_of(learner).active
    assert client.post(url, data=body).status_code == 204
    assert client.post(url, data=body).status_code == 204  # twice: still off
    db.session.rollback()
    assert alerts.settings_of(learner).active is False


@pytest.mark.parametrize("token", ["forged", "a" * 3000, "eyJsaWQiOjF9.abc.def"])
def test_a_forged_unsubscribe_link_is_refused_plainly(client, ctx, token):
    response = client.get(f"/alerts/unsubscribe/{token}")
    assert response.status_code == 400
    assert 'id="unsubscribe-error"' in response.get_data(as_text=True)


def test_the_learner_menu_links_my_cv_and_saved(client, ctx, login):
    _learner_in(login)
    html = client.get("/learner/").get_data(as_text=True)
    assert 'href="/learner/cv"' in html and "CV của tôi" in html
    assert 'href="/learner/saved"' in html
