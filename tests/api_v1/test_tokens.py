"""Personal API tokens: the account page, what a token may do, and when it stops working."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from apiclient import call, token_for
from conftest import submit
from factories import make_user

from matchhub.extensions import db
from matchhub.models import ApiToken, AuditEvent, utcnow
from matchhub.services import ServiceError, api_tokens


def _create(client, name="Hệ thống nhân sự", lifetime="90", scopes="read"):
    return submit(client, "/auth/tokens", {"name": name, "lifetime": lifetime, "scopes": scopes})


def test_a_token_is_shown_once_stored_hashed_and_works(client, ctx, login):
    user = make_user(email="an@example.vn")
    login("an@example.vn")
    page = _create(client).get_data(as_text=True)
    raw = re.search(r'id="new-token">(mh_[\w-]+)<', page).group(1)
    stored = db.session.scalars(sa.select(ApiToken)).one()
    assert stored.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in stored.prefix + stored.name and stored.prefix == raw[:10]
    assert stored.expires_at - utcnow() > timedelta(days=89)
    listing = client.get("/auth/tokens").get_data(as_text=True)
    assert raw not in listing and f"{raw[:10]}…" in listing
    assert call(client, "GET", "/api/v1/me", raw).get_json()["email"] == "an@example.vn"
    assert db.session.scalar(
        sa.select(AuditEvent.id).where(
            AuditEvent.action == "api_token.created", AuditEvent.actor_id == user.id
        )
    )


def test_revoked_expired_and_deactivated_tokens_are_refused(client, ctx, login):
    user = make_user(email="an@example.vn")
    revoked, expired, orphan = token_for(user), token_for(user), token_for(make_user())
    tokens = {t.prefix: t for t in db.session.scalars(sa.select(ApiToken))}
    login("an@example.vn")
    submit(client, f"/auth/tokens/{tokens[revoked[:10]].id}/revoke", {}, form_url="/auth/tokens")
    tokens[expired[:10]].expires_at = utcnow() - timedelta(seconds=1)
    tokens[orphan[:10]].user.active = False
    db.session.commit()
    for raw in (revoked, expired, orphan, "mh_not-a-real-token", "garbage"):
        response = call(client, "GET", "/api/v1/me", raw)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/auth/tokens").get_data(as_text=True).count("<code>mh_") == 0


def test_nobody_revokes_another_users_token(client, ctx, login):
    owner = make_user()
    token_for(owner)
    theirs = db.session.scalars(sa.select(ApiToken)).one()
    make_user(email="other@example.vn")
    login("other@example.vn")
    response = submit(client, f"/auth/tokens/{theirs.id}/revoke", {}, form_url="/auth/tokens")
    assert response.status_code == 404
    db.session.refresh(theirs)
    assert theirs.revoked_at is None


def test_bad_input_is_refused_per_field(client, ctx, login):
    make_user(email="an@example.vn")
    login("an@example.vn")
    page = _create(client, name="   ", lifetime="7").get_data(as_text=True)
    assert page.count("invalid-feedback") >= 2
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0


def test_at_most_ten_active_tokens(ctx):
    user = make_user()
    for _ in range(api_tokens.MAX_ACTIVE):
        token_for(user, None)
    with pytest.raises(ServiceError):
        token_for(user)


def test_the_api_ignores_session_cookies_and_sets_none(client, ctx, login):
    user = make_user(email="an@example.vn")
    raw = token_for(user)
    login("an@example.vn")  # a browser session is no way into the API (no CSRF risk)
    assert call(client, "GET", "/api/v1/me", None).status_code == 401
    response = call(client, "GET", "/api/v1/me", raw)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_the_token_page_needs_a_login(client):
    assert client.get("/auth/tokens").status_code == 302


def test_the_rate_limit_follows_the_token_not_the_header_spelling(app, client, ctx, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "3 per minute")
    raw = token_for(make_user())
    spellings = [
        f"Bearer {raw}",
        f"bearer {raw}",
        f"BEARER  {raw}",
        f"Bearer {raw} ",
        f"\tbearer\t{raw}",
    ]
    codes = [
        client.get("/api/v1/me", headers={"Authorization": header}).status_code
        for header in spellings
    ]
    assert codes == [200, 200, 200, 429, 429]
    # another token has its own quota
    other = token_for(make_user())
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {other}"}).status_code == 200


def test_garbage_tokens_share_the_address_quota(app, client, ctx, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "3 per minute")
    codes = [
        client.get("/api/v1/me", headers={"Authorization": f"Bearer mh_guess{i}"}).status_code
        for i in range(4)
    ]
    assert codes == [401, 401, 401, 429]


def test_a_suspended_organisations_tokens_are_refused(client, ctx):
    from factories import make_org

    from matchhub.models import Role, VerificationState

    org = make_org()
    raw = token_for(make_user(Role.ENTERPRISE, org=org))
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    org.state = VerificationState.SUSPENDED
    db.session.commit()
    for path in ("/api/v1/me", "/api/v1/orders"):
        assert client.get(path, headers=headers).status_code == 401


def test_a_token_reads_only_unless_made_to_write(client, ctx, login):
    make_user(email="an@example.vn")
    login("an@example.vn")
    _create(client, name="Chỉ đọc")
    page = _create(client, name="Hệ thống nhân sự", scopes="read write").get_data(as_text=True)
    assert "Đọc và ghi" in page and "Chỉ đọc" in page
    tokens = {t.name: t for t in db.session.scalars(sa.select(ApiToken))}
    assert tokens["Chỉ đọc"].scopes == "read" and not tokens["Chỉ đọc"].allows("write")
    assert tokens["Hệ thống nhân sự"].allows("read") and tokens["Hệ thống nhân sự"].allows("write")
    refused = _create(client, name="Lạ", scopes="admin").get_data(as_text=True)
    assert "invalid-feedback" in refused
    assert db.session.scalar(sa.select(sa.func.count(ApiToken.id))) == 2


def test_tokens_made_before_scopes_only_read(ctx):
    # A row written without the column (as before the migration) gets the server default.
    user = make_user()
    db.session.execute(
        sa.text(
            "INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at) "
            "VALUES (:user, 'old', 'mh_old', :hash, :now)"
        ),
        {"user": user.id, "hash": "0" * 64, "now": utcnow()},
    )
    db.session.commit()
    old = db.session.scalars(sa.select(ApiToken)).one()
    assert old.scopes == "read" and not old.allows("write")
