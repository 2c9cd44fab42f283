"""Login throttling: failures per address, a back-off per account that never locks the owner
out (issue 13, fault 4a)."""

import time

from conftest import csrf_token
from factories import PASSWORD, make_user


def _post(client, token, email, password, address):
    return client.post(
        "/auth/login",
        data={"email": email, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": address},
    )


def _attack(app, email, n=10):
    """``n`` wrong passwords for ``email``, each from its own address."""
    attacker = app.test_client()
    token = csrf_token(attacker, "/auth/login")
    return [
        _post(attacker, token, email, "wrong-wrong-wrong", f"10.9.0.{i}").status_code
        for i in range(1, n + 1)
    ]


def test_the_owner_on_a_known_device_passes_during_the_back_off(app, client, ctx):
    make_user(email="victim@example.vn")
    token = csrf_token(client, "/auth/login")
    assert _post(client, token, "victim@example.vn", PASSWORD, "10.0.0.1").status_code == 302
    out = client.post(
        "/auth/logout", data={"csrf_token": token}, environ_base={"REMOTE_ADDR": "10.0.0.1"}
    )
    assert out.status_code == 302 and out.headers["Location"] == "/"
    assert _attack(app, "victim@example.vn") == [200] * 10
    # a stranger's device waits, even with the right password...
    stranger = app.test_client()
    stoken = csrf_token(stranger, "/auth/login")
    refused = _post(stranger, stoken, "victim@example.vn", PASSWORD, "10.0.0.2")
    assert refused.status_code == 429
    assert "Hãy thử lại sau" in refused.get_data(as_text=True)
    # ...the owner's own browser does not
    token = csrf_token(client, "/auth/login")
    assert _post(client, token, "victim@example.vn", PASSWORD, "10.0.0.1").status_code == 302


def test_the_right_password_passes_after_the_short_delay(app, client, ctx):
    make_user(email="victim@example.vn")
    assert _attack(app, "victim@example.vn") == [200] * 10
    token = csrf_token(client, "/auth/login")
    assert _post(client, token, "victim@example.vn", PASSWORD, "10.0.0.3").status_code == 429
    time.sleep(1.2)  # the first delay is one second
    assert _post(client, token, "victim@example.vn", PASSWORD, "10.0.0.3").status_code == 302


def test_the_delay_doubles_with_each_further_failure(app, ctx):
    from matchhub.auth import throttle

    make_user(email="victim@example.vn")
    _attack(app, "victim@example.vn", 10)
    with app.test_request_context():
        assert throttle.wait_seconds("victim@example.vn") == 1
        throttle.record_failure("victim@example.vn")
        throttle.record_failure("victim@example.vn")
        assert throttle.wait_seconds("Victim@example.vn ") == 4


def test_only_failures_count_per_address(app, ctx):
    users = [make_user() for _ in range(12)]
    codes = []
    for user in users:
        browser = app.test_client()
        token = csrf_token(browser, "/auth/login")
        codes.append(_post(browser, token, user.email, PASSWORD, "10.0.0.7").status_code)
    assert codes == [302] * 12


def test_a_shared_school_address_gets_the_higher_limit(app, client, ctx, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_SHARED_ADDRESSES", "10.20.0.0/16, 192.0.2.1")
    monkeypatch.setitem(app.config, "LOGIN_SHARED_LIMIT", "15 per minute")
    token = csrf_token(client, "/auth/login")
    school = [
        _post(client, token, f"pupil{i}@example.vn", "wrong-wrong", "10.20.3.4").status_code
        for i in range(16)
    ]
    assert school[:15] == [200] * 15 and school[15] == 429
    elsewhere = [
        _post(client, token, f"x{i}@example.vn", "wrong-wrong", "10.30.3.4").status_code
        for i in range(11)
    ]
    assert elsewhere[:10] == [200] * 10 and elsewhere[10] == 429


def test_with_rate_limiting_off_the_back_off_is_off_and_silent(
    app, client, ctx, monkeypatch, caplog
):
    """RATELIMIT_ENABLED=False (benchmarks, some deployments behind their own limiter)
    gives Flask-Limiter no storage: the per-account back-off stands down quietly instead
    of logging a storage failure on every login."""
    from matchhub.extensions import limiter

    monkeypatch.setattr(limiter, "enabled", False)
    make_user(email="quiet@example.vn")
    assert _attack(app, "quiet@example.vn") == [200] * 10
    stranger = app.test_client()
    token = csrf_token(stranger, "/auth/login")
    assert _post(stranger, token, "quiet@example.vn", PASSWORD, "10.0.0.9").status_code == 302
    assert "back-off storage unavailable" not in caplog.text
