"""Logout, password change and password reset end every session, remember cookie and (unless
the user keeps them) API token of that user."""

import re

import sqlalchemy as sa
from apiclient import token_for
from conftest import csrf_token, submit
from factories import PASSWORD, make_user

from matchhub.extensions import db
from matchhub.models import ApiToken, Role

NEW = "mot-mat-khau-moi-2026"


def _cookies(client) -> dict[str, str]:
    return {c.key: c.value for c in client._cookies.values()}


def _replay(app, cookies: dict[str, str]):
    """A fresh client holding only ``cookies``, as an attacker who copied them would."""
    thief = app.test_client()
    for key, value in cookies.items():
        thief.set_cookie(key, value)
    return thief


def _login(client, email, remember=False):
    data = {"email": email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = submit(client, "/auth/login", data)
    assert response.status_code == 302
    return response


def test_a_copied_session_cookie_dies_at_logout(app, client, ctx):
    make_user(Role.ADMIN, email="admin@example.vn")
    _login(client, "admin@example.vn")
    copied = {k: v for k, v in _cookies(client).items() if k == "session"}
    assert _replay(app, copied).get("/admin/").status_code == 200
    token = csrf_token(client, "/admin/")
    assert client.post("/auth/logout", data={"csrf_token": token}).status_code == 302
    assert _replay(app, copied).get("/admin/").status_code == 302


def test_a_remember_cookie_dies_at_logout(app, client, ctx):
    make_user(Role.ADMIN, email="admin@example.vn")
    _login(client, "admin@example.vn", remember=True)
    remember = {k: v for k, v in _cookies(client).items() if k == "remember_token"}
    assert remember, "no remember cookie was set"
    assert _replay(app, remember).get("/admin/").status_code == 200
    other = app.test_client()
    _login(other, "admin@example.vn")
    submit(other, "/auth/logout", {}, form_url="/admin/")
    # logging out on another device ends this one too
    assert _replay(app, remember).get("/admin/").status_code == 302
    assert client.get("/admin/").status_code == 302


def _change(client, keep=False):
    data = {"current_password": PASSWORD, "new_password": NEW, "confirm": NEW}
    if keep:
        data["keep_api_tokens"] = "y"
    return submit(client, "/auth/password", data)


def _working(user) -> int:
    db.session.expire_all()
    return len(
        db.session.scalars(
            sa.select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        ).all()
    )


def test_password_change_ends_remember_cookies_and_revokes_tokens(app, client, ctx):
    user = make_user(email="a@example.vn")
    raw = token_for(user)
    phone = app.test_client()
    _login(phone, "a@example.vn", remember=True)
    remember = {k: v for k, v in _cookies(phone).items() if k == "remember_token"}
    _login(client, "a@example.vn")
    assert _change(client).status_code == 302
    assert client.get("/learner/").status_code == 200  # this device stays in
    assert _replay(app, remember).get("/learner/").status_code == 302
    assert _working(user) == 0
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 401


def test_password_change_keeps_tokens_when_asked(app, client, ctx):
    user = make_user(email="a@example.vn")
    raw = token_for(user)
    _login(client, "a@example.vn")
    page = client.get("/auth/password").get_data(as_text=True)
    assert "Giữ lại các mã API của tôi" in page
    assert _change(client, keep=True).status_code == 302
    assert _working(user) == 1
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200


def test_password_reset_ends_sessions_and_revokes_tokens(app, client, ctx, caplog):
    user = make_user(email="a@example.vn")
    kept = make_user(email="b@example.vn")
    token_for(user), token_for(kept)
    laptop = app.test_client()
    _login(laptop, "a@example.vn", remember=True)
    for email, keep in (("a@example.vn", False), ("b@example.vn", True)):
        with caplog.at_level("WARNING"):
            submit(client, "/auth/reset", {"email": email})
        link = re.findall(r"(/auth/reset/\S+)", caplog.text)[-1]
        data = {"password": NEW, "confirm": NEW, **({"keep_api_tokens": "y"} if keep else {})}
        assert submit(client, link, data).status_code == 302
    assert laptop.get("/learner/").status_code == 302
    assert _working(user) == 0 and _working(kept) == 1
