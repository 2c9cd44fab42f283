"""The app factory, configuration, health and security headers."""

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

import pytest
from factories import make_org, make_user

from matchhub import create_app
from matchhub.config import Config, ProdConfig, TestConfig, database_url
from matchhub.models import OrgKind, Role


def test_testing_config(app):
    assert app.testing
    assert not create_app().testing


def test_database_url_defaults_to_sqlite_in_instance():
    assert database_url(None).startswith("sqlite:///")
    assert database_url(None).endswith("instance/matchhub.sqlite")


@pytest.mark.parametrize("raw", ["postgres://u@h/db", "postgresql://u@h/db"])
def test_database_url_accepts_plain_postgres_urls(raw):
    assert database_url(raw) == "postgresql+psycopg://u@h/db"


def test_production_refuses_to_start_without_secret(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("MATCHHUB_ENV", "production")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


@pytest.mark.parametrize("secret", ["", "short", "dev-only-not-secret"])
def test_production_refuses_weak_secrets(monkeypatch, secret):
    monkeypatch.setenv("SECRET_KEY", secret)
    monkeypatch.setenv("MATCHHUB_ENV", "production")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_production_starts_with_a_secret_set_before_import(tmp_path):
    # The environment of a real deployment is set before Python starts.
    code = (
        "from matchhub import create_app; app = create_app(); "
        "assert app.config['SECRET_KEY'] == 'a-real-secret-of-some-length'; print('ok')"
    )
    env = {
        **os.environ,
        "MATCHHUB_ENV": "production",
        "SECRET_KEY": "a-real-secret-of-some-length",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_production_config_has_secure_cookies(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("MATCHHUB_ENV", "production")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["DEMO_ALLOWED"] is False
    assert ProdConfig.DEMO_ALLOWED is False


def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_unreachable_database():
    class Broken(TestConfig):
        SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://nobody@127.0.0.1:1/none"
        SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {"connect_args": {"connect_timeout": 1}}

    response = create_app(Broken).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "error"}


def test_security_headers_on_every_response(client):
    for url in ("/", "/auth/login", "/no-such-page", "/healthz"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_no_inline_script_or_style_in_pages(client):
    html = client.get("/").get_data(as_text=True)
    assert "<script>" not in html and "style=" not in html
    assert '<script src="/static/' in html


def test_static_assets_are_local(client):
    html = client.get("/auth/login").get_data(as_text=True)
    assert "//cdn" not in html and "https://" not in html.split("<footer")[0]
    with client.get("/static/vendor/bootstrap-5.3.9/bootstrap.min.css") as response:
        assert response.status_code == 200


SECTIONS = {
    "enterprise": ["/enterprise/", "/enterprise/orders", "/enterprise/rounds"],
    "college": [
        "/college/",
        "/college/programmes",
        "/college/learners",
        "/college/imports",
        "/college/demand",
        "/college/gaps",
        "/college/training-orders",
        "/college/rounds",
        "/college/outcomes",
    ],
    "learner": [
        "/learner/",
        "/learner/matches",
        "/learner/applications",
        "/learner/training",
        "/learner/next-skills",
        "/learner/saved",
        "/learner/rounds",
        "/learner/profile",
        "/learner/cv",
        "/learner/privacy",
    ],
    "admin": [
        "/admin/",
        "/admin/organizations",
        "/admin/province",
        "/admin/rounds",
        "/admin/taxonomy",
        "/admin/audit",
        "/admin/users",
        "/admin/jobs",
    ],
}


CURRENT = re.compile(r'class="nav-link active" href="([^"]+)"\s+aria-current="page"')


@pytest.mark.parametrize("role", list(SECTIONS))
def test_section_links_are_the_roles_own_with_the_current_page_marked(client, ctx, login, role):
    kind = {"enterprise": OrgKind.ENTERPRISE, "college": OrgKind.COLLEGE}.get(role)
    login(make_user(Role(role), org=make_org(kind=kind) if kind else None).email)
    links = SECTIONS[role]
    for lang, dashboard in (("vi", "Bảng điều khiển"), ("en", "Dashboard")):
        client.set_cookie("lang", lang)
        for here in (links[0], links[1]):
            html = client.get(here).get_data(as_text=True)
            nav = html.split('<nav class="border-bottom')[1].split("</nav>")[0]
            assert re.findall(r'href="([^"]+)"', nav) == links
            assert CURRENT.findall(nav) == [here] and nav.count("active") == 1
            assert f">{dashboard}</a>" in nav


def test_visitors_get_no_section_links(client):
    assert '<nav class="border-bottom' not in client.get("/").get_data(as_text=True)


# ---------------------------------------------------------------- issue 13, faults 7 and 8


def test_production_refuses_the_dev_secret_however_the_app_is_created(monkeypatch):
    from matchhub.config import DEV_SECRET_KEY

    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("MATCHHUB_ENV", raising=False)
    monkeypatch.setattr(ProdConfig, "SECRET_KEY", DEV_SECRET_KEY)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProdConfig)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"ENV_NAME": "production"})
    monkeypatch.setenv("MATCHHUB_ENV", "production")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(Config)  # the development class, on a production machine
    monkeypatch.setenv("SECRET_KEY", "x" * 40)  # set after the config module was imported
    assert create_app(ProdConfig).config["SECRET_KEY"] == "x" * 40


def _proxied(proxies: int):
    class Behind(TestConfig):
        SQLALCHEMY_DATABASE_URI = "sqlite://"
        TRUSTED_PROXIES = proxies

    return create_app(Behind).test_client()


def test_trusted_proxies_apply_proxyfix(app):
    headers = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    direct = _proxied(0).get("/auth/login", headers=headers)
    assert "Strict-Transport-Security" not in direct.headers
    behind = _proxied(1).get("/auth/login", headers=headers)
    assert behind.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_production_logs_hold_no_reset_or_claim_link(caplog):
    from conftest import IsolatedClient, submit
    from factories import make_user

    from matchhub.extensions import db
    from matchhub.logs import mask

    class Prod(TestConfig):
        SQLALCHEMY_DATABASE_URI = "sqlite://"
        MAIL_LOG_BODY = False

    prod = create_app(Prod)
    prod.test_client_class = IsolatedClient
    with prod.app_context():
        db.create_all()
        make_user(email="a@example.vn")
    client = prod.test_client()
    with caplog.at_level("WARNING"):
        assert submit(client, "/auth/reset", {"email": "a@example.vn"}).status_code == 302
        with prod.app_context():
            prod.logger.error("Exception on /auth/claim/AbC-123 [POST]")
    assert "mail to a@example.vn not sent" in caplog.text
    assert "/auth/reset/" not in caplog.text
    assert "/auth/claim/…" in caplog.text and "AbC-123" not in caplog.text
    line = 'GET /auth/reset/eyJ1aWQiOjF9.Zx_y HTTP/1.1" 200 "https://h/auth/claim/K9?x=1"'
    assert mask(line) == 'GET /auth/reset/… HTTP/1.1" 200 "https://h/auth/claim/…?x=1"'


def test_the_gunicorn_logger_masks_the_access_log():
    from datetime import timedelta
    from types import SimpleNamespace

    from matchhub.logs import gunicorn_logger_class

    logger = gunicorn_logger_class().__new__(gunicorn_logger_class())
    logger.cfg = SimpleNamespace(logconfig_dict=None, logconfig=None)
    req = SimpleNamespace(
        headers=[("REFERER", "https://h/auth/reset/tok.en")],
        method="GET",
        uri="/auth/claim/code1",
        path="/auth/claim/code1",
        query="",
        version=(1, 1),
    )
    resp = SimpleNamespace(status="200 OK", headers=[], sent=10, response_length=10)
    environ = {
        "RAW_URI": "/auth/claim/code1",
        "REMOTE_ADDR": "1.2.3.4",
        "REQUEST_METHOD": "GET",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": "/auth/claim/code1",
        "QUERY_STRING": "",
    }

    atoms = logger.atoms(resp, req, environ, timedelta(seconds=0.01))
    text = " ".join(str(v) for v in atoms.values())
    assert "code1" not in text and "tok.en" not in text and "/auth/claim/…" in text


def test_static_files_are_fingerprinted_and_cached_for_a_year(client):
    page = client.get("/").get_data(as_text=True)
    import re

    url = re.search(r'href="(/static/[^"]+\.css\?v=[0-9a-f]{12})"', page).group(1)
    cached = client.get(url)
    assert cached.status_code == 200
    assert "max-age=31536000" in cached.headers["Cache-Control"]
    assert "immutable" in cached.headers["Cache-Control"]
    cached.close()
    stale = client.get(url.split("?v=")[0] + "?v=000000000000")
    assert "immutable" not in stale.headers.get("Cache-Control", "")
    stale.close()


def test_irreversible_actions_ask_for_confirmation(client, ctx, login):
    from factories import make_org, make_user

    from matchhub.models import OrgKind, Role

    org = make_org(OrgKind.COLLEGE)
    login(make_user(Role.ADMIN).email)
    page = client.get(f"/admin/organizations/{org.id}").get_data(as_text=True)
    suspend = page.split('id="suspend-form"', 1)[1].split(">", 1)[0]
    assert "data-confirm=" in suspend
    assert "js/confirm.js" in page
    script = client.get("/static/js/confirm.js")
    assert b"window.confirm" in script.data
    script.close()


def test_an_unverified_enterprise_sees_why_it_cannot_publish(client, ctx, login):
    from factories import make_order, make_org, make_user

    from matchhub.models import OrderStatus, Role, VerificationState

    org = make_org(state=VerificationState.PENDING)
    order = make_order(org, status=OrderStatus.DRAFT)
    login(make_user(Role.ENTERPRISE, org=org).email)
    page = client.get(f"/enterprise/orders/{order.id}").get_data(as_text=True)
    button = page.split('id="publish"', 1)[1].split(">", 1)[0]
    assert "disabled" in button and 'aria-describedby="publish-blocked"' in button
    assert 'id="publish-blocked"' in page
