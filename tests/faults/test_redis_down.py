"""Redis (the rate limiter's storage) down: logins fail open, with a logged warning.

The choice, documented in docs/operations.md ("Redis"): Redis holds only counters, and
a province's users must still be able to log in when it is unreachable; guessing is then
slowed by the password hash alone until it is back. The machine's Redis is left alone:
the app is pointed at a local port where nothing listens.
"""

from __future__ import annotations

import logging
import socket

import pytest
from factories import PASSWORD, make_user

from faults.faultkit import app_on, log_in
from matchhub.extensions import db, limiter
from matchhub.models import Role


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again: nothing listens there


@pytest.fixture
def redis_down_app(scratch_url):
    # The limiter is one object whose storage is the last app's: give it back afterwards,
    # or every later test in this process would count in a dead Redis.
    saved = limiter._storage, limiter._limiter
    app = app_on(scratch_url, RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{_dead_port()}/0")
    yield app
    limiter._storage, limiter._limiter = saved
    with app.app_context():
        db.engine.dispose()


def test_logins_fail_open_with_a_logged_warning_when_redis_is_down(
    redis_down_app, fault_app, fctx, caplog
):
    user = make_user(Role.ADMIN)
    caplog.set_level(logging.WARNING)
    client = redis_down_app.test_client()
    client.set_cookie("lang", "en")

    # Wrong passwords get the usual answer (a form error), never a 500; the limit is not
    # enforced meanwhile (11 failures from one address, over the limit of 10).
    for _ in range(11):
        response = log_in(client, user.email, "wrong-password-123")
        assert response.status_code == 200
        assert "Wrong email or password" in response.get_data(as_text=True)
    assert log_in(client, user.email, PASSWORD).status_code == 302
    assert client.get("/admin/").status_code == 200

    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert any("storage unavailable" in r.getMessage() for r in warnings), [
        r.getMessage() for r in warnings
    ]
