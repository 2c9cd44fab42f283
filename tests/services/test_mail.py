"""Outgoing mail, delivered to a real SMTP server (aiosmtpd) on a free local port."""

import re

from conftest import free_port, submit
from factories import make_org, make_user

from matchhub.extensions import db
from matchhub.models import OrgKind, Role, VerificationState
from matchhub.services import mail, notifications, orgs


def _body(msg) -> str:
    return msg.get_body(preferencelist=("plain",)).get_content()


def test_reset_link_is_mailed_in_vietnamese_and_works(client, ctx, inbox):
    make_user(email="a@example.vn", full_name="Trần Thị Bình")
    assert submit(client, "/auth/reset", {"email": "a@example.vn"}).status_code == 302
    [msg] = inbox.to("a@example.vn")
    assert msg["From"] == "MatchHub <no-reply@matchhub.example.vn>"
    assert "mật khẩu" in msg["Subject"]
    body = _body(msg)
    assert "Trần Thị Bình" in body
    link = re.search(r"http://localhost(/auth/reset/\S+)", body).group(1)
    done = submit(
        client, link, {"password": "mat-khau-moi-tu-thu", "confirm": "mat-khau-moi-tu-thu"}
    )
    assert done.status_code == 302
    ok = submit(client, "/auth/login", {"email": "a@example.vn", "password": "mat-khau-moi-tu-thu"})
    assert ok.headers["Location"] == "/learner/"


def test_reset_mail_follows_the_users_language(client, ctx, inbox):
    make_user(email="en@example.vn", locale="en")
    submit(client, "/auth/reset", {"email": "en@example.vn"})
    [msg] = inbox.to("en@example.vn")
    assert msg["Subject"] == "Reset your MatchHub password"
    assert "within an hour" in _body(msg)


def test_unknown_address_gets_no_mail(client, ctx, inbox):
    submit(client, "/auth/reset", {"email": "nobody@example.vn"})
    assert inbox.messages == []


def test_organisation_decisions_are_mailed_to_every_member_after_commit(ctx, inbox):
    org = make_org(state=VerificationState.PENDING, name="Công ty Sông Hồng")
    owner = make_user(Role.ENTERPRISE, org=org, email="owner@songhong.vn")
    make_user(Role.ENTERPRISE, org=org, email="hr@songhong.vn", locale="en")
    admin = make_user(Role.ADMIN)
    orgs.reject_organization(org, admin, "Mã số thuế không khớp")
    [vi] = inbox.to("owner@songhong.vn")
    assert "Công ty Sông Hồng" in vi["Subject"]
    assert "Mã số thuế không khớp" in _body(vi)
    assert "từ chối" in _body(vi)
    [en] = inbox.to("hr@songhong.vn")
    assert "rejected" in _body(en)
    orgs.verify_organization(org, admin)
    assert len(inbox.to(owner.email)) == 2
    assert "verified" in _body(inbox.to("hr@songhong.vn")[-1])


def test_rolled_back_decision_sends_nothing(ctx, inbox):
    org = make_org(OrgKind.COLLEGE)
    make_user(Role.COLLEGE, org=org, email="college@example.vn")
    notifications.notify_organization(org.id, "org.verified", name=org.name)
    db.session.rollback()
    db.session.commit()  # a later commit must not deliver the dropped message
    assert inbox.messages == []


def test_mass_notices_stay_in_the_app(ctx, inbox):
    user = make_user(email="learner@example.vn")
    notifications.notify(user, "round.published", round="Đợt 1", round_id=1)
    db.session.commit()
    assert inbox.messages == []
    assert [n.kind for n in notifications.unread_for(user)] == ["round.published"]


def test_a_dead_mail_server_is_logged_not_raised(app, client, ctx, monkeypatch, caplog):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())  # nothing listens there
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    make_user(email="a@example.vn")
    response = submit(client, "/auth/reset", {"email": "a@example.vn"})
    assert response.status_code == 302
    assert "Mail to a@example.vn not sent" in caplog.text


def test_without_a_server_the_message_goes_to_the_log(ctx, caplog):
    user = make_user(email="dev@example.vn")
    assert mail.deliver(mail.render(user, "password_reset", link="http://x/auth/reset/t")) == 0
    assert "http://x/auth/reset/t" in caplog.text


def test_a_queued_mail_keeps_its_extra_headers_and_attachments(ctx, inbox):
    """The job carries the whole message: an alert's List-Unsubscribe and an
    interview's .ics both survive the trip through the queue."""
    message = mail.Mail(
        to="both@example.vn",
        subject="Lịch phỏng vấn",
        body="Xem tệp đính kèm.\n",
        headers=(("List-Unsubscribe", "<https://matchhub.example.vn/u/abc>"),),
        attachments=(
            mail.Attachment(
                "interview.ics", "text/calendar", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
            ),
        ),
    )
    mail.queue(message)
    db.session.commit()
    [msg] = inbox.to("both@example.vn")
    assert msg["List-Unsubscribe"] == "<https://matchhub.example.vn/u/abc>"
    [ics] = list(msg.iter_attachments())
    assert ics.get_filename() == "interview.ics"
    assert "BEGIN:VCALENDAR" in ics.get_content()
