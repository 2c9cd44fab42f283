"""Messages on an application: who may write when, who is told, export and erasure."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from factories import PASSWORD, make_order, make_org, make_user

from matchhub.extensions import db
from matchhub.models import (
    ApplicationMessage,
    ApplicationStatus,
    Notification,
    Role,
    Side,
    Visibility,
    utcnow,
)
from matchhub.notifications import wording
from matchhub.services import ServiceError, applications, messages, notifications, privacy
from matchhub.services.learners import learner_of_user

S = ApplicationStatus


def _setup(name="Lê Văn Cường", email="cuong@sv.vn"):
    org = make_org(name="Công ty Phần mềm Vị Hoàng")
    hr = make_user(Role.ENTERPRISE, org=org, email="hr@vihoang.vn", full_name="Trần Thu Hà")
    order = make_order(org, title="Lập trình viên Python")
    student = make_user(email=email, full_name=name)
    learner = learner_of_user(student)
    learner.visibility, learner.consent_at = Visibility.ENTERPRISES, utcnow()
    db.session.commit()
    return org, hr, order, student, learner


def _texts(user) -> list[str]:
    return [wording.message(n) for n in notifications.unread_for(user)]


def _body(msg) -> str:
    return msg.get_body(preferencelist=("plain",)).get_content()


def test_hr_and_candidate_write_to_each_other_in_the_app_and_by_mail(ctx, inbox):
    _org, hr, order, student, learner = _setup()
    app = applications.shortlist(order, learner, hr, invite=True)
    inbox.messages.clear()
    messages.send(app, hr, "Chào Cường,\r\nEm có thể phỏng vấn thứ Hai không?")
    assert "Công ty Phần mềm Vị Hoàng đã gửi cho bạn một tin nhắn về “Lập trình viên Python”." in (
        _texts(student)
    )
    [mail] = inbox.to("cuong@sv.vn")
    assert "Lập trình viên Python" in mail["Subject"]
    body = _body(mail)
    assert "Em có thể phỏng vấn thứ Hai không?" in body
    assert "Trần Thu Hà (Công ty Phần mềm Vị Hoàng)" in body
    assert f"/learner/applications/{app.id}#messages" in body

    messages.send(app, student, "Dạ được ạ.")
    [notice] = [t for t in _texts(hr) if "Cường" in t]
    assert "Lê Văn Cường" in notice and "Lập trình viên Python" in notice
    [reply] = inbox.to("hr@vihoang.vn")
    assert "Dạ được ạ." in _body(reply)
    assert f"/enterprise/applications/{app.id}#messages" in _body(reply)

    thread = messages.open_thread(student, app)
    assert [m.body for m in thread.messages] == [
        "Chào Cường,\nEm có thể phỏng vấn thứ Hai không?",  # CRLF kept as one line break
        "Dạ được ạ.",
    ]
    assert [m.side for m in thread.messages] == [Side.ENTERPRISE, Side.LEARNER]


def test_a_private_shortlist_has_no_thread(ctx, inbox):
    _org, hr, order, _student, learner = _setup()
    app = applications.shortlist(order, learner, hr)
    with pytest.raises(ServiceError) as refused:
        messages.send(app, hr, "Xin chào")
    assert refused.value.field == "body"
    applications.move(app, hr, S.REJECTED)  # rejected straight from the shortlist
    assert not messages.thread_open(app)
    assert db.session.scalar(sa.select(sa.func.count(ApplicationMessage.id))) == 0
    assert inbox.messages == []


@pytest.mark.parametrize(
    "text",
    ["", "   \r\n  ", "\x07\x1b", "x" * (messages.MAX_BODY + 1)],
    ids=["empty", "blank", "controls", "too-long"],
)
def test_bad_messages_are_refused_on_the_field(ctx, text):
    _org, hr, order, _student, learner = _setup()
    app = applications.apply(order, learner, learner.user)
    with pytest.raises(ServiceError) as refused:
        messages.send(app, hr, text)
    assert refused.value.field == "body"


def test_line_breaks_count_once_and_control_characters_go(ctx):
    _org, hr, order, _student, learner = _setup()
    app = applications.apply(order, learner, learner.user)
    text = "\r\n".join(["a"] * 1000)  # 1,999 characters as the box counts them
    msg = messages.send(app, hr, text + "\x1b\x07")
    assert msg.body == "\n".join(["a"] * 1000)


def test_unread_counts_per_side_and_reading_marks_read(ctx):
    _org, hr, order, student, learner = _setup()
    app = applications.apply(order, learner, student)
    messages.send(app, hr, "Một")
    messages.send(app, hr, "Hai")
    messages.send(app, student, "Ba")
    assert messages.unread_counts(student, [app.id]) == {app.id: 2}
    assert messages.unread_counts(hr, [app.id]) == {app.id: 1}
    colleague = make_user(Role.ENTERPRISE, org=app.order.organization)
    thread = messages.open_thread(colleague, app)  # any colleague reads for the enterprise
    assert len(thread.new_ids) == 1
    assert messages.unread_counts(hr, [app.id]) == {}
    assert messages.unread_counts(student, [app.id]) == {app.id: 2}


def test_a_learners_reply_reaches_the_colleagues_in_the_thread(ctx, inbox):
    org, hr, order, student, learner = _setup()
    other = make_user(Role.ENTERPRISE, org=org, email="ketoan@vihoang.vn")
    app = applications.apply(order, learner, student)
    messages.send(app, student, "Em xin hỏi lịch phỏng vấn.")  # nobody wrote yet: everyone
    assert {m["To"] for m in inbox.messages} == {"hr@vihoang.vn", "ketoan@vihoang.vn"}
    messages.send(app, hr, "Thứ Hai nhé.")
    inbox.messages.clear()
    messages.send(app, student, "Dạ vâng.")  # now only the one who answered
    assert [m["To"] for m in inbox.messages] == ["hr@vihoang.vn"]
    kinds = [n.kind for n in notifications.unread_for(other)]
    assert kinds.count("application.message") == 1


def test_messages_are_in_the_learners_export(ctx):
    _org, hr, order, student, learner = _setup()
    app = applications.apply(order, learner, student)
    messages.send(app, hr, "Mời em phỏng vấn.")
    messages.send(app, student, "Dạ em cảm ơn.")
    data = json.loads(privacy.export_data(learner, student))
    [exported] = data["applications"]
    assert [(m["from"], m["author"], m["text"]) for m in exported["messages"]] == [
        ("enterprise", "Trần Thu Hà", "Mời em phỏng vấn."),
        ("learner", "Lê Văn Cường", "Dạ em cảm ơn."),
    ]


def test_deleting_the_account_erases_the_thread_and_its_notices(ctx):
    _org, hr, order, student, learner = _setup(name="Phạm Thị Riêng Tư")
    app = applications.apply(order, learner, student)
    messages.send(app, hr, "Chào chị Riêng Tư")
    messages.send(app, student, "Số của em là 0912000111")
    privacy.delete_account(learner, student, PASSWORD)
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(ApplicationMessage.id))) == 0
    left = db.session.scalars(sa.select(Notification)).all()
    assert all("Riêng Tư" not in str(n.payload) for n in left)
    assert not messages.thread_open(app)
    with pytest.raises(ServiceError):
        messages.send(app, hr, "Còn đó không?")


def test_an_english_learner_reads_english(ctx, inbox):
    _org, hr, order, student, learner = _setup(email="en@sv.vn")
    student.locale = "en"
    db.session.commit()
    app = applications.apply(order, learner, student)
    messages.send(app, hr, "Could you come on Monday?")
    [mail] = inbox.to("en@sv.vn")
    assert mail["Subject"] == "MatchHub: a message about “Lập trình viên Python”"
    body = _body(mail)
    assert body.startswith(f"Hello {student.full_name},")
    assert "Trần Thu Hà (Công ty Phần mềm Vị Hoàng) wrote about" in body
    assert "Could you come on Monday?" in body
