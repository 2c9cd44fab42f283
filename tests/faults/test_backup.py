"""scripts/backup.sh: dump, wipe, restore and compare, on the fault tests' scratch database.

PostgreSQL only (the script is pg_dump and pg_restore); on SQLite the database is one file,
copied while the server is stopped (docs/operations.md), so these tests are skipped there.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest
import sqlalchemy as sa
from factories import make_learner, make_order, make_org, make_round, make_user

from faults.faultkit import ROOT
from matchhub.extensions import db
from matchhub.models import OrderKind, OrgKind, Role, User
from matchhub.services import round_results, rounds

SCRIPT = ROOT / "scripts" / "backup.sh"


@pytest.fixture
def pg_url(scratch_url):
    if not scratch_url.startswith("postgresql"):
        pytest.skip(
            "scripts/backup.sh is for PostgreSQL: run with TEST_DATABASE_URL=postgresql+psycopg://…"
        )
    if not shutil.which("pg_dump"):
        message = "pg_dump and pg_restore are not installed (Debian: postgresql-client)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return scratch_url


def backup(url: str, *args: str) -> subprocess.CompletedProcess:
    db.session.remove()
    db.engine.dispose()  # the wipe drops every table: hold no connection to them
    try:
        return subprocess.run(
            ["bash", str(SCRIPT), *args],
            env={**os.environ, "DATABASE_URL": url},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    finally:
        db.engine.dispose()  # connections made before may have prepared the old tables


def _counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def _populate():
    admin = make_user(Role.ADMIN)
    college = make_org(OrgKind.COLLEGE)
    make_user(Role.COLLEGE, org=college)
    orders = [make_order(make_org(), kind=OrderKind.INTERNSHIP, headcount=1) for _ in range(2)]
    learners = [make_learner(college, skills=(("python", 3), ("sql", 2))) for _ in range(4)]
    rnd = make_round(admin, orders)
    for learner in learners:
        rounds.save_choices(rnd, learner, [o.id for o in orders])
    rounds.close_round(rnd, admin)
    round_results.run_round(rnd, admin)
    return admin


def test_verify_round_trip_restores_every_row_and_prunes_old_dumps(pg_url, fctx, tmp_path):
    admin = _populate()
    admin_id, admin_hash = admin.id, admin.password_hash
    before = _counts()
    assert before["round_results"] == 4 and before["learners"] == 4 and before["skills"] > 1000
    old = tmp_path / "matchhub-20200101T000000Z.dump"
    old.write_bytes(b"an old dump")
    month_ago = time.time() - 30 * 24 * 3600
    os.utime(old, (month_ago, month_ago))

    done = backup(pg_url, "--verify", "--dir", str(tmp_path), "--keep", "14")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "verified:" in done.stdout and "identical counts" in done.stdout

    # Checked here too, not only by the script: the same rows, the same content, and the
    # sequences go on (a new row does not collide with a restored one).
    assert _counts() == before
    assert db.session.get(User, admin_id).password_hash == admin_hash
    assert make_user(Role.LEARNER).id > admin_id
    dumps = sorted(p.name for p in tmp_path.glob("matchhub-*.dump"))
    assert len(dumps) == 1 and not old.exists()  # the month-old one went, the new one stays
    assert (tmp_path / dumps[0]).stat().st_mode & 0o077 == 0  # personal data: owner only


def test_restore_refuses_a_database_that_is_not_empty(pg_url, fctx, tmp_path):
    make_user(Role.ADMIN)
    done = backup(pg_url, "--dir", str(tmp_path))
    assert done.returncode == 0, done.stderr
    dump = done.stdout.strip()
    refused = backup(pg_url, "--restore", dump)
    assert refused.returncode == 2 and "--wipe" in refused.stderr
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1
