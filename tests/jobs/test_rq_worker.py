"""Jobs through a real RQ queue on the machine's Redis, run by RQ's own worker."""

import os
import re
import uuid

import pytest
import sqlalchemy as sa
from conftest import csrf_token, submit
from factories import PASSWORD, make_user
from rq import SimpleWorker

from matchhub import jobs
from matchhub.extensions import db
from matchhub.jobs import runner
from matchhub.models import Role

REDIS_URL = os.environ.get("TEST_JOBS_REDIS_URL", "redis://127.0.0.1:6379/14")
ATTEMPTS: list[str] = []


def always_fails(label: str) -> None:
    ATTEMPTS.append(label)
    raise RuntimeError("still broken")


def _redis_up() -> bool:
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


@pytest.fixture
def rq_app(app, monkeypatch):
    """The suite's app with a queue of its own (a fresh name) on Redis."""
    if not _redis_up():
        message = f"Redis is not reachable at {REDIS_URL} (set TEST_JOBS_REDIS_URL)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    name = f"test-{uuid.uuid4().hex}"
    monkeypatch.setitem(app.config, "JOBS_REDIS_URL", REDIS_URL)
    monkeypatch.setitem(app.config, "JOBS_QUEUE", name)
    monkeypatch.setitem(app.config, "JOBS_EAGER", False)
    monkeypatch.setitem(app.config, "JOBS_RETRY_INTERVALS", [0, 0, 0])  # retry at once
    state = app.extensions["matchhub_jobs"]
    saved = (state.redis, dict(state.queues))
    ATTEMPTS.clear()
    yield app
    with app.app_context():
        connection = jobs.connection()
        for key in connection.scan_iter("rq:job:*"):  # this queue's jobs and their results
            if connection.hget(key, "origin") == name.encode():
                job_id = key.decode().rpartition(":")[2]
                connection.delete(key, f"rq:results:{job_id}")
        for key in connection.scan_iter(f"*{name}*"):
            connection.delete(key)
        connection.srem("rq:queues", f"rq:queue:{name}")
    state.redis, state.queues = saved[0], saved[1]
    runner.use_app(None)


def _work(app) -> None:
    """RQ's worker, as ``flask jobs worker`` runs it, outside any app context: each job
    must make its own."""
    jobs.make_worker(app, worker_class=SimpleWorker).work(burst=True)


def test_reset_mail_is_sent_by_the_worker_not_the_request(rq_app, client, inbox):
    with rq_app.app_context():
        make_user(email="worker@example.vn", full_name="Lê Văn Thợ")
        db.session.commit()
    assert submit(client, "/auth/reset", {"email": "worker@example.vn"}).status_code == 302
    assert inbox.messages == []  # the request only queued it
    with rq_app.app_context():
        assert jobs.queue().count == 1
    _work(rq_app)
    [msg] = inbox.to("worker@example.vn")
    body = msg.get_body(preferencelist=("plain",)).get_content()
    assert "Lê Văn Thợ" in body  # the worker read the database
    link = re.search(r"http://localhost(/auth/reset/\S+)", body).group(1)  # and built the link
    assert client.get(link).status_code == 200


def test_a_failing_job_is_retried_then_listed_for_the_province_office(rq_app, client, login):
    with rq_app.app_context():
        jobs.enqueue(always_fails, "x", _summary="test job")
    _work(rq_app)
    assert ATTEMPTS == ["x"] * 4  # the run and its three retries

    with rq_app.app_context():
        make_user(Role.ADMIN, email="office@example.vn")
        db.session.commit()
    login("office@example.vn")
    page = client.get("/admin/jobs").get_data(as_text=True)
    assert "RuntimeError: still broken" in page and "test job" in page
    key = re.search(r'data-key="(rq-[^"]+)"', page).group(1)

    done = submit(client, f"/admin/jobs/{key}/retry", {}, form_url="/admin/jobs")
    assert done.status_code == 302
    with rq_app.app_context():
        assert jobs.queue().count == 1  # queued again
    assert key not in client.get("/admin/jobs").get_data(as_text=True)


def test_a_large_import_runs_as_a_job_with_progress_that_survives_a_reload(
    rq_app, client, login, monkeypatch
):
    import io

    from factories import cohort_csv, cohort_rows, make_org, make_programme

    from matchhub.models import Learner, OrgKind
    from matchhub.services import import_jobs

    monkeypatch.setattr(import_jobs, "JOB_MIN_BYTES", 0)  # every upload counts as large
    with rq_app.app_context():
        college = make_org(OrgKind.COLLEGE, code="NDTC")
        make_programme(college, code="CNTT")
        make_user(Role.COLLEGE, org=college, email="staff@ndtc.edu.vn")
        make_user(Role.COLLEGE, org=make_org(OrgKind.COLLEGE, code="OTHER"), email="o@x.vn")
        db.session.commit()
    login("staff@ndtc.edu.vn")
    upload = client.post(
        "/college/imports",
        data={
            "csrf_token": csrf_token(client, "/college/imports"),
            "file": (io.BytesIO(cohort_csv(cohort_rows(1200))), "k.csv"),
        },
        content_type="multipart/form-data",
    )
    preview = upload.headers["Location"]
    started = submit(client, f"{preview}/commit", {"invite": "later"}, form_url=preview)
    progress_url = started.headers["Location"]
    assert "/college/imports/jobs/" in progress_url
    page = client.get(progress_url)
    assert page.headers["Refresh"] == "3" and 'data-state="queued"' in page.get_data(as_text=True)
    assert client.get(f"{progress_url}.json").get_json()["state"] == "queued"
    assert 'id="import-running"' in client.get("/college/imports").get_data(as_text=True)
    with rq_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Learner.id))) == 0

    _work(rq_app)
    status = client.get(f"{progress_url}.json").get_json()
    assert status["state"] == "finished"
    assert (status["done"], status["total"]) == (1200, 1200)
    assert status["result"]["created"] == 1200 and status["result"]["waiting"] == 1200
    page = client.get(progress_url)  # a reload after the end shows the outcome
    assert "Refresh" not in page.headers
    assert 'data-created="1200"' in page.get_data(as_text=True)
    with rq_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Learner.id))) == 1200

    other = rq_app.test_client()
    submit(other, "/auth/login", {"email": "o@x.vn", "password": PASSWORD})
    assert other.get(progress_url).status_code == 404  # another college's job
    assert other.get(f"{progress_url}.json").status_code == 404


def test_a_round_run_is_a_job_whose_progress_the_round_page_shows(rq_app, client, login):
    from factories import make_order, make_org, make_round

    from matchhub.models import AllocationRound, OrderKind
    from matchhub.services import rounds

    with rq_app.app_context():
        admin = make_user(Role.ADMIN, email="office@example.vn")
        order = make_order(make_org(name="Công ty A"), kind=OrderKind.INTERNSHIP, headcount=2)
        rnd = make_round(admin, [order])
        rounds.close_round(rnd, admin)
        url = f"/admin/rounds/{rnd.id}"
    login("office@example.vn")
    assert submit(client, f"{url}/run", {}, form_url=url).status_code == 302
    page = client.get(url)  # also after a reload: the job is found under the round
    assert page.headers["Refresh"] == "3"
    assert 'id="round-run-job" data-state="queued"' in page.get_data(as_text=True)
    with rq_app.app_context():
        assert db.session.get(AllocationRound, rnd.id).ran_at is None

    _work(rq_app)
    page = client.get(url)
    assert "Refresh" not in page.headers
    text = page.get_data(as_text=True)
    assert 'id="round-run-job"' not in text and 'id="round-summary"' in text
    with rq_app.app_context():
        assert db.session.get(AllocationRound, rnd.id).summary["stable"] is True


def test_a_report_docx_is_built_by_a_job_for_the_person_who_asked(rq_app, client, login):
    import io

    from docx import Document
    from factories import make_learner, make_org, make_programme

    from matchhub.models import AuditEvent, OrgKind

    with rq_app.app_context():
        college = make_org(OrgKind.COLLEGE, name="Cao đẳng Thành Nam", code="CDTN")
        make_learner(college, programme=make_programme(college, code="CNTT"))
        make_user(Role.COLLEGE, org=college, email="staff@cdtn.edu.vn")
        make_user(Role.COLLEGE, org=college, email="colleague@cdtn.edu.vn")
        make_user(Role.ADMIN, email="office@example.vn")
        db.session.commit()
    login("staff@cdtn.edu.vn")
    started = client.get("/college/outcomes.docx")
    assert started.status_code == 302
    job_url = started.headers["Location"]
    assert "/reports/jobs/" in job_url
    page = client.get(job_url)  # the request built nothing: the job waits for a worker
    assert page.headers["Refresh"] == "2"
    assert 'id="report-job" data-state="queued"' in page.get_data(as_text=True)
    assert client.get(f"{job_url}.docx").status_code == 404

    colleague = rq_app.test_client()  # even a colleague: the file is the asker's
    submit(colleague, "/auth/login", {"email": "colleague@cdtn.edu.vn", "password": PASSWORD})
    assert colleague.get(job_url).status_code == 404
    assert colleague.get(f"{job_url}.docx").status_code == 404

    _work(rq_app)
    page = client.get(job_url)  # a reload after the end offers the file
    assert "Refresh" not in page.headers
    assert 'id="report-download"' in page.get_data(as_text=True)
    got = client.get(f"{job_url}.docx")
    assert got.status_code == 200 and got.headers["Content-Disposition"].startswith("attachment")
    doc = Document(io.BytesIO(got.get_data()))
    header = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "CAO ĐẲNG THÀNH NAM" in header
    assert "Kết quả việc làm của người học" in "\n".join(p.text for p in doc.paragraphs)

    # The province's report: audited when asked for, built by the worker, in English too.
    office = rq_app.test_client()
    submit(office, "/auth/login", {"email": "office@example.vn", "password": PASSWORD})
    # The report is worded in the asker's language.
    office.post("/language/en", data={"csrf_token": csrf_token(office, "/"), "next": "/"})
    started = office.get("/admin/province/report.docx?period=365")
    assert started.status_code == 302
    _work(rq_app)
    got = office.get(f"{started.headers['Location']}.docx")
    assert got.status_code == 200
    doc = Document(io.BytesIO(got.get_data()))
    header = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "SOCIALIST REPUBLIC OF VIETNAM" in header
    with rq_app.app_context():
        audited = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "export.province")
        ).all()
        assert [e.detail.get("format") for e in audited] == ["docx"]
