"""The message thread on both sides' application pages: writing, reading, isolation, bad input."""

from __future__ import annotations

import sqlalchemy as sa
from conftest import csrf_token, submit
from factories import make_order, make_org, make_user

from matchhub.extensions import db
from matchhub.models import ApplicationMessage, Role, Visibility, utcnow
from matchhub.services import applications, messages, notifications
from matchhub.services.learners import learner_of_user


def _setup():
    org = make_org(name="Công ty Phần mềm Vị Hoàng")
    hr = make_user(Role.ENTERPRISE, org=org, full_name="Trần Thu Hà")
    order = make_order(org, title="Lập trình viên Python")
    student = make_user(full_name="Lê Văn Cường")
    learner = learner_of_user(student)
    learner.visibility, learner.consent_at = Visibility.ENTERPRISES, utcnow()
    db.session.commit()
    app = applications.apply(order, learner, student, "Em xin ứng tuyển.")
    return hr, student, app


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count(ApplicationMessage.id)))


def test_hr_writes_the_candidate_reads_and_replies(client, ctx, login):
    hr, student, app = _setup()
    login(hr.email)
    page = f"/enterprise/applications/{app.id}"
    response = submit(
        client, f"{page}/messages", {"body": "Mời em <b>phỏng vấn</b> thứ Hai."}, form_url=page
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{page}#messages")
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})

    login(student.email)
    listing = client.get("/learner/applications").get_data(as_text=True)
    assert "1 tin nhắn mới" in listing
    mine = f"/learner/applications/{app.id}"
    html = client.get(mine).get_data(as_text=True)
    assert 'id="messages"' in html and "Trần Thu Hà" in html
    assert "Mời em &lt;b&gt;phỏng vấn&lt;/b&gt; thứ Hai." in html  # escaped, never markup
    assert "<b>phỏng vấn</b>" not in html
    assert "1 tin nhắn mới" not in client.get("/learner/applications").get_data(as_text=True)
    submit(client, f"{mine}/messages", {"body": "Dạ em đi được ạ."}, form_url=mine)
    assert [m.body for m in db.session.scalars(sa.select(ApplicationMessage))] == [
        "Mời em <b>phỏng vấn</b> thứ Hai.",
        "Dạ em đi được ạ.",
    ]
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})

    login(hr.email)
    pipeline = client.get(f"/enterprise/orders/{app.order_id}/pipeline").get_data(as_text=True)
    assert "1 tin nhắn mới" in pipeline
    assert "Dạ em đi được ạ." in client.get(page).get_data(as_text=True)


def test_a_refused_message_keeps_the_text_with_the_error_under_the_box(client, ctx, login):
    hr, _student, app = _setup()
    login(hr.email)
    page = f"/enterprise/applications/{app.id}"
    too_long = "Nội dung dài. " * 200  # 2,800 characters
    response = submit(client, f"{page}/messages", {"body": too_long}, form_url=page)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="body-errors"' in html and "2000" in html and "invalid-feedback" in html
    assert "Nội dung dài. Nội dung dài." in html
    empty = submit(client, f"{page}/messages", {"body": "  \r\n "}, form_url=page)
    assert "Hãy viết tin nhắn trước." in empty.get_data(as_text=True)
    assert _count() == 0


def test_hostile_input_never_fails(client, ctx, login):
    hr, _student, app = _setup()
    login(hr.email)
    page = f"/enterprise/applications/{app.id}"
    token = csrf_token(client, page)
    url = f"{page}/messages"
    nul = client.post(url, data={"csrf_token": token, "body": "a\x00b"})
    assert nul.status_code == 400
    repeated = client.post(url, data={"csrf_token": token, "body": ["một", "hai"]})
    assert repeated.status_code == 302
    missing = client.post(url, data={"csrf_token": token})
    assert missing.status_code == 200
    huge = client.post(url, data={"csrf_token": token, "body": "x" * 200_000})
    assert huge.status_code in (200, 413)
    assert [m.body for m in db.session.scalars(sa.select(ApplicationMessage))] == ["một"]


def test_posting_without_the_csrf_token_is_refused(client, ctx, login):
    hr, _student, app = _setup()
    login(hr.email)
    response = client.post(f"/enterprise/applications/{app.id}/messages", data={"body": "Chào"})
    assert response.status_code == 400
    assert _count() == 0


def test_another_enterprise_never_reads_or_writes_the_thread(client, ctx, login):
    hr, _student, app = _setup()
    messages.send(app, hr, "Bí mật của Vị Hoàng")
    rival = make_user(Role.ENTERPRISE, org=make_org(name="Đối thủ"))
    login(rival.email)
    page = f"/enterprise/applications/{app.id}"
    assert client.get(page).status_code == 404
    token = csrf_token(client, "/enterprise/")
    response = client.post(f"{page}/messages", data={"csrf_token": token, "body": "Xin chào"})
    assert response.status_code == 404
    assert _count() == 1


def test_a_learner_reads_and_writes_only_their_own_thread(client, ctx, login):
    hr, student, app = _setup()
    messages.send(app, hr, "Chỉ dành cho Cường")
    other = make_user(full_name="Người khác")
    login(other.email)
    page = f"/learner/applications/{app.id}"
    assert client.get(page).status_code == 404
    token = csrf_token(client, "/learner/")
    response = client.post(f"{page}/messages", data={"csrf_token": token, "body": "Xin chào"})
    assert response.status_code == 404
    assert _count() == 1
    assert messages.unread_counts(student, [app.id]) == {app.id: 1}  # nobody else read it


def test_a_private_shortlist_shows_no_message_box(client, ctx, login):
    org = make_org()
    hr = make_user(Role.ENTERPRISE, org=org)
    order = make_order(org)
    student = make_user()
    learner = learner_of_user(student)
    learner.visibility, learner.consent_at = Visibility.ENTERPRISES, utcnow()
    db.session.commit()
    app = applications.shortlist(order, learner, hr)
    login(hr.email)
    page = f"/enterprise/applications/{app.id}"
    html = client.get(page).get_data(as_text=True)
    assert 'id="thread-closed"' in html and 'id="message-form"' not in html
    response = submit(client, f"{page}/messages", {"body": "Chào"}, form_url=page)
    assert response.status_code == 200
    assert "Có thể nhắn tin khi ứng viên đã được mời hoặc đã ứng tuyển." in response.get_data(
        as_text=True
    )
    assert _count() == 0


def test_a_flood_of_messages_is_stopped(client, ctx, login):
    _hr, student, app = _setup()
    login(student.email)
    page = f"/learner/applications/{app.id}"
    token = csrf_token(client, page)
    answers = [
        client.post(f"{page}/messages", data={"csrf_token": token, "body": f"Tin {i}"}).status_code
        for i in range(11)
    ]
    assert answers == [302] * 10 + [429]
    assert _count() == 10


def test_the_notice_opens_the_thread(client, ctx, login):
    hr, student, app = _setup()
    messages.send(app, student, "Em chào chị.")
    login(hr.email)
    [note] = [n for n in notifications.unread_for(hr) if n.kind == "application.message"]
    response = client.get(f"/notifications/{note.id}")
    assert response.headers["Location"].endswith(f"/enterprise/applications/{app.id}#messages")
