"""Login throttling shared through Redis, as several gunicorn workers need it."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

# Two separate app instances (as two workers would be) share one Redis: the
# 11th attempt is refused by the second one although it saw only one request.
SCRIPT = """
import re, sys
from matchhub import create_app
from matchhub.config import TestConfig
from matchhub.extensions import db

class Worker(TestConfig):
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    RATELIMIT_STORAGE_URI = sys.argv[1]

codes = []
for worker, attempts in (("a", 10), ("b", 1)):
    app = create_app(Worker)
    with app.app_context():
        db.create_all()
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    for _ in range(attempts):
        codes.append(client.post("/auth/login", data={
            "email": sys.argv[2], "password": "wrong-password-x", "csrf_token": token,
        }, environ_base={"REMOTE_ADDR": sys.argv[3]}).status_code)
print(" ".join(map(str, codes)))
"""


def _redis_up() -> bool:
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def test_login_throttle_is_shared_through_redis():
    if not _redis_up():
        message = f"Redis is not reachable at {REDIS_URL} (set TEST_REDIS_URL)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Fresh keys: counters of an earlier run (same minute) must not count here.
    email = f"{uuid.uuid4().hex}@example.vn"
    address = "10.{}.{}.{}".format(*uuid.uuid4().bytes[:3])
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, REDIS_URL, email, address],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    codes = done.stdout.split()
    assert codes[:10] == ["200"] * 10
    assert codes[10] == "429"
