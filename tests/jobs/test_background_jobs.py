"""Jobs without a queue: eager in tests, after the response in ``make run``; failures are
recorded, listed for the province office without personal data, and run again."""

import pytest
import sqlalchemy as sa
from conftest import submit
from factories import make_user
from flask import url_for

from matchhub import jobs
from matchhub.extensions import db
from matchhub.models import FailedJob, Role

CALLS: list[tuple] = []
BROKEN = {"on": True}


def record(address: str) -> None:
    """A job that notes where it ran: its link and the database it sees."""
    CALLS.append((address, url_for("auth.login", _external=True), db.session.get(FailedJob, 1)))


def flaky(address: str) -> None:
    if BROKEN["on"]:
        raise ConnectionError(f"mail server refused {address}")
    CALLS.append((address,))


@pytest.fixture(autouse=True)
def _reset():
    CALLS.clear()
    BROKEN["on"] = True


def test_a_job_is_a_module_function_with_json_arguments(ctx):
    with pytest.raises(ValueError):
        jobs.enqueue(lambda: None)
    with pytest.raises(TypeError):
        jobs.enqueue(record, object())
    assert jobs.job_path(record) == f"{__name__}:record"


def test_eager_job_runs_at_once_in_an_app_context_with_site_links(ctx):
    jobs.enqueue(f"{__name__}:record", "a@example.vn")
    assert CALLS == [("a@example.vn", "http://localhost/auth/login", None)]


def test_a_job_after_commit_waits_for_it_and_a_rollback_drops_it(ctx):
    jobs.enqueue_after_commit(record, "kept@example.vn")
    assert CALLS == []
    db.session.commit()
    assert [c[0] for c in CALLS] == ["kept@example.vn"]
    jobs.enqueue_after_commit(record, "dropped@example.vn")
    db.session.rollback()
    db.session.commit()
    assert [c[0] for c in CALLS] == ["kept@example.vn"]


# Without a queue and outside the tests, a job runs once the response is sent:
# tests/auth/test_auth.py::test_reset_mail_goes_out_after_the_answer.


def test_failed_job_is_recorded_listed_without_personal_data_and_run_again(
    client, ctx, login, caplog
):
    jobs.enqueue(flaky, "private@example.vn", _summary="1 mail")
    assert f"Job {__name__}:flaky failed" in caplog.text
    [row] = db.session.scalars(sa.select(FailedJob)).all()
    key = f"db-{row.id}"
    assert row.func == f"{__name__}:flaky"
    assert row.error == "ConnectionError: mail server refused …@…"

    make_user(Role.ADMIN, email="office@example.vn")
    login("office@example.vn")
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert 'id="failed-jobs"' in page and key in page
    assert "mail server refused" in page and "1 mail" in page
    assert "private@example.vn" not in page
    assert "Không có hàng đợi" in page  # no queue configured: said so

    BROKEN["on"] = False
    done = submit(client, f"/admin/jobs/{key}/retry", {}, form_url="/admin/jobs")
    assert done.status_code == 302
    assert CALLS == [("private@example.vn",)]
    db.session.expire_all()
    assert db.session.scalars(sa.select(FailedJob)).all() == []
    assert submit(client, f"/admin/jobs/{key}/retry", {}, form_url="/admin/jobs").status_code == 404


def test_only_the_province_office_sees_jobs(client, ctx, login):
    make_user(Role.COLLEGE, email="college@example.vn")
    login("college@example.vn")
    assert client.get("/admin/jobs").status_code in (403, 404)


def test_with_the_queue_down_mail_still_goes_and_the_office_is_told(
    app, client, ctx, login, inbox, monkeypatch
):
    from conftest import free_port

    monkeypatch.setitem(app.config, "JOBS_REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")
    monkeypatch.setitem(app.config, "JOBS_EAGER", False)
    state = app.extensions["matchhub_jobs"]
    monkeypatch.setattr(state, "redis", None)
    monkeypatch.setattr(state, "queues", {})
    make_user(email="a@example.vn")
    assert submit(client, "/auth/reset", {"email": "a@example.vn"}).status_code == 302
    assert len(inbox.to("a@example.vn")) == 1  # from the web process, after the answer

    make_user(Role.ADMIN, email="office@example.vn")
    login("office@example.vn")
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert 'id="queue-unreachable"' in page
