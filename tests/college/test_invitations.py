"""Invitations to claim imported profiles: now, later (the college's button) or never,
mailed by a job, and the page says what happened."""

import io
import re

import sqlalchemy as sa
from conftest import csrf_token, submit
from factories import cohort_csv, cohort_rows, make_org, make_programme, make_user

from matchhub import jobs
from matchhub.extensions import db
from matchhub.models import FailedJob, Learner, OrgKind, Role
from matchhub.services import invitations, mail


def _college_user():
    college = make_org(OrgKind.COLLEGE, code="NDTC")
    make_programme(college, code="CNTT")
    return college, make_user(Role.COLLEGE, org=college)


def _import(client, n: int, invite: str | None):
    token = csrf_token(client, "/college/imports")
    response = client.post(
        "/college/imports",
        data={"csrf_token": token, "file": (io.BytesIO(cohort_csv(cohort_rows(n))), "k.csv")},
        content_type="multipart/form-data",
    )
    preview = response.headers["Location"]
    page = client.get(preview).get_data(as_text=True)
    assert 'name="invite"' in page  # the choice is on the commit form
    data = {"invite": invite} if invite else {}
    return submit(client, f"{preview}/commit", data, form_url=preview, follow_redirects=True)


def _states():
    return sorted(db.session.scalars(sa.select(Learner.invitation)).all())


def test_now_mails_each_new_learner_a_claim_link_that_works(client, ctx, login, inbox):
    college, user = _college_user()
    login(user.email)
    page = _import(client, 3, "now").get_data(as_text=True)
    assert 'id="invitations-queued-result"' in page and "3" in page
    assert len(inbox.messages) == 3
    body = inbox.messages[0].get_body().get_content()
    assert college.name in body and "nhận hồ sơ" in body  # Vietnamese: no account, no language
    link = re.search(r"http://localhost(/auth/claim/\S+)", body).group(1)
    assert client.get(link).status_code == 200
    db.session.expire_all()
    assert _states() == ["sent"] * 3
    assert 'id="invitations-sent"' in client.get("/college/imports").get_data(as_text=True)


def test_later_waits_for_the_colleges_button(client, ctx, login, inbox):
    _college, user = _college_user()
    login(user.email)
    page = _import(client, 4, "later").get_data(as_text=True)
    assert 'id="invitations-later-result"' in page
    assert 'id="send-invitations"' in page and 'id="invitations-later"' in page
    assert inbox.messages == [] and _states() == ["later"] * 4

    done = submit(client, "/college/imports/invitations", {}, form_url="/college/imports")
    assert done.status_code == 302
    assert len(inbox.messages) == 4
    db.session.expire_all()
    assert _states() == ["sent"] * 4
    page = client.get("/college/imports").get_data(as_text=True)
    assert "4 lời mời đã được đưa vào hàng đợi" in page
    assert 'id="send-invitations"' not in page


def test_never_sends_nothing_even_from_the_button(client, ctx, login, inbox):
    _college, user = _college_user()
    login(user.email)
    page = _import(client, 2, "never").get_data(as_text=True)
    assert 'id="invitations-never-result"' in page and 'id="invitations-never"' in page
    assert 'id="send-invitations"' not in page
    submit(client, "/college/imports/invitations", {}, form_url="/college/imports")
    assert inbox.messages == [] and _states() == ["never", "never"]


def test_the_default_is_now(client, ctx, login):
    _college, user = _college_user()
    login(user.email)
    with jobs.capture() as queued:
        _import(client, 2, None)
    assert [j.path for j in queued] == ["matchhub.services.invitations:send_job"]


def test_a_failed_send_is_retried_without_mailing_anyone_twice(ctx, monkeypatch, inbox):
    college, user = _college_user()
    from matchhub.services import imports

    real, calls = mail.deliver, []

    def flaky(messages, sent=None):
        calls.append(len(messages))
        if len(calls) == 1:  # the connection drops after the first message
            real(messages[:1], sent)
            raise OSError("connection reset")
        return real(messages, sent)

    monkeypatch.setattr(mail, "deliver", flaky)
    imports.import_file(college, user, cohort_csv(cohort_rows(3)), "k.csv")
    db.session.expire_all()
    assert _states() == ["queued", "queued", "sent"]  # the first went out, then it failed
    assert db.session.scalar(sa.select(sa.func.count(FailedJob.id))) == 1
    assert invitations.send_job(college.id) == 2  # the retry sends the other two only
    assert len(inbox.messages) == 3 and len({m["To"] for m in inbox.messages}) == 3
    db.session.expire_all()
    assert _states() == ["sent"] * 3
