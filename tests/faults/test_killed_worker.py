"""A worker killed (SIGKILL: no cleanup, no except, no finally) in the middle of a learner
import or of an allocation run leaves nothing half-written, and the work runs again.

The worker is a real separate process on a file-based database (see conftest). It stops
at a known point of the transaction, announces it on stdout and sleeps there until it is
killed: right after a given SQL statement (an import's first chunk of learners, a run's
deletion of the previous results), or with everything flushed and only the COMMIT missing.
"""

from __future__ import annotations

import select
import signal
import time

import pytest
import sqlalchemy as sa
from factories import (
    cohort_csv,
    cohort_rows,
    make_learner,
    make_order,
    make_org,
    make_programme,
    make_round,
    make_user,
)

from faults.faultkit import python
from matchhub.extensions import db
from matchhub.models import (
    AllocationRound,
    AuditEvent,
    EngineState,
    Learner,
    LearnerSkill,
    OrderKind,
    OrgKind,
    PendingImport,
    Role,
    RoundResult,
    RoundStatus,
)
from matchhub.services import imports, round_results, rounds

WORKER = r"""
import logging, sys, time
from sqlalchemy import event
from sqlalchemy.orm import Session
from matchhub import create_app
from matchhub.config import TestConfig
from matchhub.extensions import db
from matchhub.models import AllocationRound, Organization, User
from matchhub.services import import_write, imports, round_results

url, job, pause, *ids = sys.argv[1:]
logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
import_write.CHUNK = 10  # several statements per import, so that one can stop between them

class Worker(TestConfig):
    TESTING = False
    SQLALCHEMY_DATABASE_URI = url

def stop(where):
    print("paused at", where, flush=True)
    time.sleep(3600)  # until killed

app = create_app(Worker)
with app.test_request_context():
    if pause == "COMMIT":
        @event.listens_for(Session, "before_commit")
        def at_commit(session):
            session.flush()  # everything is sent; only the COMMIT is missing
            stop("COMMIT")
    else:
        @event.listens_for(db.engine, "after_cursor_execute")
        def after(conn, cursor, statement, params, context, many):
            if statement.lstrip().upper().startswith(pause):
                stop(pause)
    if job == "import":
        college, user = db.session.get(Organization, int(ids[0])), db.session.get(User, int(ids[1]))
        imports.commit_upload(college, user, ids[2])
    else:
        rnd, admin = db.session.get(AllocationRound, int(ids[0])), db.session.get(User, int(ids[1]))
        round_results.run_round(rnd, admin)
print("finished", flush=True)
"""


def kill_when_paused(url: str, job: str, pause: str, *ids, tmp_path) -> str:
    """Run ``job`` in a worker process, SIGKILL it where it pauses; returns its stderr."""
    db.session.remove()  # hold no lock and no transaction while the worker writes
    err = tmp_path / f"worker-{job}.err"
    with err.open("w") as stderr:
        proc = python(WORKER, url, job, pause, *map(str, ids), stdout=-1, stderr=stderr)
    try:
        # Not a timing assertion: a bound so that a worker that never pauses fails the test
        # instead of hanging it.
        ready, _w, _x = select.select([proc.stdout], [], [], 120)
        line = proc.stdout.readline() if ready else ""
        assert line.startswith("paused at"), f"worker did not pause: {line!r}\n{err.read_text()}"
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
    return err.read_text()


def _engine_version() -> int | None:
    return db.session.scalar(sa.select(EngineState.version))


def _settle():
    """Start reading afresh, after the killed worker's connection is gone."""
    db.session.remove()
    if db.engine.dialect.name == "postgresql":
        # The server ends the dead client's transaction when it reads the closed socket.
        for _ in range(100):
            busy = db.session.scalar(
                sa.text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()"
                )
            )
            db.session.remove()
            if not busy:
                break
            time.sleep(0.05)


# ------------------------------------------------------------------------------- import


@pytest.fixture
def staged(fctx):
    """A verified college with one learner, and a staged file: that learner changed + 29 new."""
    college = make_org(OrgKind.COLLEGE)
    staff = make_user(Role.COLLEGE, org=college)
    make_programme(college, code="CNTT")
    make_learner(college, student_code="SV00001", full_name="Tên Cũ", skills=(("python", 2),))
    token = imports.stage_upload(college, staff, cohort_csv(cohort_rows(30)), "khoa-2026.csv")
    before = {
        "learners": db.session.scalar(sa.select(sa.func.count(Learner.id))),
        "skills": db.session.scalar(sa.select(sa.func.count(LearnerSkill.id))),
        "version": _engine_version(),
    }
    return college, staff, token, before


@pytest.mark.parametrize("pause", ["INSERT INTO LEARNERS", "COMMIT"])
def test_an_import_killed_midway_leaves_nothing_and_runs_again(
    staged, scratch_url, pause, tmp_path
):
    college, staff, token, before = staged
    log = kill_when_paused(
        scratch_url, "import", pause, college.id, staff.id, token, tmp_path=tmp_path
    )
    _settle()

    assert db.session.scalar(sa.select(sa.func.count(Learner.id))) == before["learners"]
    assert db.session.scalar(sa.select(sa.func.count(LearnerSkill.id))) == before["skills"]
    assert (
        db.session.scalar(sa.select(Learner.full_name).where(Learner.student_code == "SV00001"))
        == "Tên Cũ"
    )
    assert _engine_version() == before["version"]
    assert (
        db.session.scalar(
            sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "learners.imported")
        )
        == 0
    )
    # Not committed: the upload is still there to commit, and nobody was invited to a
    # profile that does not exist.
    assert db.session.scalar(sa.select(PendingImport).where(PendingImport.token == token))
    assert "Invitation to" not in log

    college = db.session.merge(college)
    result = imports.commit_upload(college, db.session.merge(staff), token)
    assert (result.created, result.updated) == (29, 1)
    assert (
        db.session.scalar(
            sa.select(sa.func.count(Learner.id)).where(Learner.college_id == college.id)
        )
        == 30
    )
    assert db.session.scalar(sa.select(PendingImport).where(PendingImport.token == token)) is None


# -------------------------------------------------------------------------------- round


@pytest.fixture
def ran(fctx):
    """A closed round whose allocation ran once (results stored, not published)."""
    admin = make_user(Role.ADMIN)
    orders = [
        make_order(make_org(), kind=OrderKind.INTERNSHIP, headcount=1, title=f"Thực tập {i}")
        for i in range(2)
    ]
    learners = [make_learner(skills=(("python", 3 + i % 2),)) for i in range(5)]
    rnd = make_round(admin, orders)
    for learner in learners:
        rounds.save_choices(rnd, learner, [o.id for o in orders])
    rounds.close_round(rnd, admin)
    round_results.run_round(rnd, admin)
    before = {
        "results": _results(rnd.id),
        "ran_at": rnd.ran_at,
        "summary": dict(rnd.summary),
    }
    return rnd, admin, before


def _results(round_id: int) -> set[tuple]:
    return set(
        db.session.execute(
            sa.select(RoundResult.id, RoundResult.learner_id, RoundResult.order_id).where(
                RoundResult.round_id == round_id
            )
        ).all()
    )


@pytest.mark.parametrize("pause", ["DELETE FROM ROUND_RESULTS", "COMMIT"])
def test_a_round_run_killed_midway_keeps_the_previous_run_and_runs_again(
    ran, scratch_url, pause, tmp_path
):
    rnd, admin, before = ran
    assert len(before["results"]) == 5
    kill_when_paused(scratch_url, "round", pause, rnd.id, admin.id, tmp_path=tmp_path)
    _settle()

    rnd = db.session.get(AllocationRound, rnd.id)
    assert rnd.status is RoundStatus.CLOSED
    assert rnd.ran_at == before["ran_at"] and rnd.summary == before["summary"]
    # The very rows of the first run (same ids): the deletion was undone with the rest.
    assert _results(rnd.id) == before["results"]
    assert (
        db.session.scalar(
            sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "round.run")
        )
        == 1
    )

    summary = round_results.run_round(rnd, db.session.merge(admin))
    assert summary["stable"] and summary["learners"] == 5 and summary["matched"] == 2
    assert len(_results(rnd.id)) == 5
    assert (
        db.session.scalar(
            sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "round.run")
        )
        == 2
    )
    assert rnd.ran_at >= before["ran_at"]
