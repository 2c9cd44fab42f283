"""Fixtures shared by the whole suite.

The database is ``TEST_DATABASE_URL`` when set (CI runs the suite on PostgreSQL
too), else a throwaway SQLite file. The schema is built once per session and
every table is emptied after each test, so tests never see each other's rows.
"""

from __future__ import annotations

import email
import email.policy
import os
import re
import socket
import threading

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from factories import PASSWORD
from flask.testing import FlaskClient

from matchhub import create_app
from matchhub.config import TestConfig, database_url
from matchhub.extensions import db, limiter
from matchhub.models import Skill, SkillAlias

# Tables whose rows come from the shipped taxonomy: kept between tests.
_TAXONOMY_TABLES = {"skills", "skill_aliases"}


@pytest.fixture(scope="session")
def database_uri(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return database_url(url)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own application context.

    Without this, a request made while a test holds a context would share that
    context's ``g`` (the logged-in user) and database session, which no real
    request does.
    """

    def open(self, *args, **kwargs):
        # Buffered, as a server sends the whole body and then closes the response: work
        # scheduled with ``response.call_on_close`` (mail after the answer) runs before
        # the call returns, as it would before the next request on that worker.
        kwargs.setdefault("buffered", True)
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(database_uri):
    class SuiteConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = database_uri

    app = create_app(SuiteConfig)
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.drop_all()
        db.create_all()
        from matchhub.services.skills import sync_taxonomy

        sync_taxonomy()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(request):
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                if table.name not in _TAXONOMY_TABLES:
                    conn.execute(table.delete())
            # Skills and aliases a test added (admin curation) go too.
            conn.execute(sa.delete(SkillAlias).where(SkillAlias.source != "taxonomy"))
            # A merge of shipped skills moves their aliases: lay the taxonomy anew.
            merged = conn.execute(
                sa.select(sa.func.count(Skill.id)).where(Skill.merged_into_id.is_not(None))
            ).scalar()
            if merged:
                conn.execute(sa.delete(SkillAlias))
                conn.execute(sa.delete(Skill))
            else:
                conn.execute(sa.delete(Skill).where(~Skill.aliases.any()))
        if merged:
            from matchhub.services.skills import sync_taxonomy

            sync_taxonomy()
            db.session.commit()
            db.session.remove()
    limiter.reset()


@pytest.fixture
def ctx(app):
    """An application context for tests that call services directly."""
    with app.test_request_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


_TOKEN = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


def csrf_token(client, url: str) -> str:
    """The CSRF token of the form at ``url``, as a browser would read it."""
    page = client.get(url).get_data(as_text=True)
    match = _TOKEN.search(page)
    assert match, f"no CSRF token on {url}"
    return match.group(1) or match.group(2)


def submit(client, url: str, data: dict, *, form_url: str | None = None, **kwargs):
    """POST ``data`` to ``url`` with the CSRF token of the form at ``form_url`` (or ``url``)."""
    token = csrf_token(client, form_url or url)
    return client.post(url, data={**data, "csrf_token": token}, **kwargs)


@pytest.fixture
def login(client):
    """Log ``user`` in through the real login form; returns the response."""

    def _login(email: str, password: str = PASSWORD):
        return submit(client, "/auth/login", {"email": email, "password": password})

    return _login


# --- Browser tests: Playwright driving Debian's Chromium against a live server ---

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = (
            f"browser tests need Chromium at {CHROMIUM}: install Debian's package "
            "(`sudo apt-get install chromium`) or set CHROMIUM_PATH"
        )
        if os.environ.get("CI") or os.environ.get("MATCHHUB_BROWSER_REQUIRED"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_server(app):
    """The app served over real HTTP on a free local port, for the browser."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


# ---------------------------------------------------------------- mail


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(msg)
        return "250 Message accepted"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def inbox(app, monkeypatch):
    """A real SMTP server on a free local port, with the app configured to send to it."""
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    for key, value in {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": False,
        "MAIL_SENDER": "MatchHub <no-reply@matchhub.example.vn>",
    }.items():
        monkeypatch.setitem(app.config, key, value)
    yield handler
    controller.stop()
