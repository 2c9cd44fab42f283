"""The database goes away while the app runs, then comes back.

Every page then answers a translated 503 (no stack trace, ``Retry-After``) and
``/healthz`` 503; once the database is back the next request works again on the same
app (the pool's pre-ping replaces the broken connections): no restart.

On PostgreSQL the app reaches the fault tests' scratch database through a TCP proxy
that the test stops (closing every connection, refusing new ones) and starts again, a
real server going away without touching the shared one. On SQLite the database file's
directory is moved away and back; a SQLite connection keeps reading a moved file
through its open descriptor, so the pool is emptied when it moves, as a restarted
worker would find it.
"""

from __future__ import annotations

import shutil
import socket
import threading

import pytest
import sqlalchemy as sa
from factories import PASSWORD, make_user

from faults.faultkit import TcpProxy, app_on, empty_database, log_in
from matchhub.extensions import db
from matchhub.models import Role

TEXT = {
    "vi": ("Dịch vụ tạm thời không khả dụng", "Vui lòng thử lại sau ít phút."),
    "en": ("Service unavailable", "Try again shortly."),
}
PAGES = ("/", "/orders", "/admin/")  # public, a list read from the database, signed-in only


@pytest.fixture
def outage(fault_app, scratch_url, tmp_path):
    """(app, stop, start): an app whose database can be taken away and given back."""
    url = sa.engine.make_url(scratch_url)
    if url.get_backend_name() == "postgresql":
        with fault_app.app_context():
            admin = make_user(Role.ADMIN)
            email = admin.email
        proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
        proxy.start()
        app = app_on(url.set(host="127.0.0.1", port=proxy.port).render_as_string(False))
        try:
            yield app, email, proxy.stop, proxy.start
        finally:
            proxy.stop()
            with app.app_context():
                db.engine.dispose()
            with fault_app.app_context():
                empty_database()
        return
    # SQLite: a database of its own, in a directory that can be moved away.
    here, away = tmp_path / "data", tmp_path / "moved"
    here.mkdir()
    app = app_on(f"sqlite:///{here / 'matchhub.sqlite'}")
    with app.app_context():
        db.create_all()
        email = make_user(Role.ADMIN).email
        db.session.remove()

    def stop():
        shutil.move(here, away)
        with app.app_context():
            db.engine.dispose()

    def start():
        shutil.move(away, here)

    yield app, email, stop, start
    with app.app_context():
        db.engine.dispose()


def _assert_unavailable(response, lang: str) -> None:
    page = response.get_data(as_text=True)
    assert response.status_code == 503, page[:500]
    assert response.headers["Retry-After"].isdigit()
    title, text = TEXT[lang]
    assert title in page and text in page
    assert "Traceback" not in page and "sqlalchemy" not in page.lower()
    assert f'<html lang="{lang}"' in page


def test_database_down_gives_a_translated_503_and_healthz_503_then_recovers(outage, caplog):
    app, email, stop, start = outage
    client = app.test_client()
    assert log_in(client, email, PASSWORD).status_code == 302
    for url in (*PAGES, "/healthz"):
        assert client.get(url).status_code == 200, url

    stop()
    for lang in ("vi", "en"):
        client.set_cookie("lang", lang)
        for url in PAGES:
            _assert_unavailable(client.get(url), lang)
    # A visitor who never signed in gets the same page.
    anonymous = app.test_client()
    anonymous.set_cookie("lang", "en")
    _assert_unavailable(anonymous.get("/orders"), "en")
    # The API answers in JSON (the token's lookup is what fails).
    api = anonymous.get("/api/v1/orders/open", headers={"Authorization": "Bearer mh_x"})
    assert api.status_code == 503 and api.get_json()["error"]["status"] == 503
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json() == {"status": "error", "database": "error"}
    assert any("database unavailable" in r.getMessage() for r in caplog.records)

    start()
    # The same app, the same signed-in browser: no restart, no new login.
    for url in (*PAGES, "/healthz"):
        assert client.get(url).status_code == 200, url
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok"}


def test_a_database_that_never_answers_gives_the_503_after_the_connect_timeout(caplog):
    """A host that accepts the connection and then says nothing (down behind a proxy,
    packets dropped): without a connect timeout every request would hang until gunicorn
    kills its worker. The listener is closed after a minute in any case, so that a missing
    timeout fails this test (another error is logged) instead of hanging it."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # never accepted: the handshake completes, no answer ever comes
    closer = threading.Timer(60, silent.close)
    closer.start()
    try:
        port = silent.getsockname()[1]
        app = app_on(
            f"postgresql+psycopg://nobody@127.0.0.1:{port}/none", DATABASE_CONNECT_TIMEOUT=1
        )
        client = app.test_client()
        client.set_cookie("lang", "en")
        _assert_unavailable(client.get("/orders"), "en")
        assert client.get("/healthz").status_code == 503
        with app.app_context():
            db.engine.dispose()
    finally:
        closer.cancel()
        silent.close()
    assert any("timeout expired" in r.getMessage() for r in caplog.records), [
        r.getMessage() for r in caplog.records
    ]


def test_a_bad_query_with_the_database_up_stays_a_500(scratch_url):
    """SQLite reports a bad query as an OperationalError too: the database answering, that
    is a bug (500, traceback logged), not "Service unavailable"."""
    app = app_on(scratch_url)

    def broken():
        db.session.execute(sa.text("SELECT * FROM no_such_table"))
        return "unreachable"

    app.add_url_rule("/broken-query", view_func=broken)
    try:
        response = app.test_client().get("/broken-query")
        assert response.status_code == 500
        assert "Retry-After" not in response.headers
    finally:
        with app.app_context():
            db.engine.dispose()
