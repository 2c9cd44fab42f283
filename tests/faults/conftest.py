"""Fixtures of the fault tests: a database of their own, and real processes to kill.

A test here kills a process in the middle of a transaction, cuts the database's
connection or serves the database through a proxy it stops. It does so on a
database nobody else uses: a SQLite file, or, when ``TEST_DATABASE_URL`` names a
PostgreSQL server, a fresh database created on that server for this session and
dropped after it (the shared ``test`` database stays untouched).
"""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa

from faults.faultkit import app_on, empty_database
from matchhub.config import database_url
from matchhub.extensions import db


def _server_url(url: sa.engine.URL) -> sa.engine.Engine:
    return sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def scratch_url(tmp_path_factory):
    """The URL of a database of the fault tests' own (SQLite file or scratch PostgreSQL)."""
    raw = os.environ.get("TEST_DATABASE_URL")
    if not raw or not raw.startswith(("postgres", "postgresql")):
        yield f"sqlite:///{tmp_path_factory.mktemp('faults') / 'faults.sqlite'}"
        return
    url = sa.engine.make_url(database_url(raw))
    name = f"{url.database}_faults_{uuid.uuid4().hex[:8]}"
    server = _server_url(url)
    with server.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


@pytest.fixture(scope="session")
def fault_app(scratch_url):
    app = app_on(scratch_url)
    with app.app_context():
        db.create_all()
        from matchhub.services.skills import sync_taxonomy

        sync_taxonomy()
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def fctx(fault_app):
    """A request context on the fault database, emptied (but for the taxonomy) afterwards."""
    with fault_app.test_request_context():
        yield
        empty_database()
