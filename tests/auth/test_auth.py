"""Registration, login, throttling, CSRF, password change and reset."""

import re

import sqlalchemy as sa
from conftest import csrf_token, submit
from factories import PASSWORD, make_org, make_user
from werkzeug.security import check_password_hash

from matchhub import jobs
from matchhub.extensions import db
from matchhub.models import (
    AuditEvent,
    Learner,
    Organization,
    OrgKind,
    Role,
    User,
    VerificationState,
)


def _register(client, **data):
    form = {
        "role": "learner",
        "full_name": "Nguyễn Văn An",
        "email": "an@example.vn",
        "password": "mat-khau-rat-dai-2026",
        "confirm": "mat-khau-rat-dai-2026",
        "locality": "nd-nam-dinh",
        "organization_name": "",
        "tax_code": "",
        "sector": "",
    }
    form.update(data)
    return submit(client, "/auth/register", form)


def _confirm_link(caplog) -> str:
    """The confirmation link the job wrote to the log (no mail server in the tests)."""
    return re.findall(r"(/auth/confirm/\S+)", caplog.text)[-1]


def test_learner_registers_confirms_and_lands_on_dashboard(client, ctx, caplog):
    with caplog.at_level("WARNING"):
        response = _register(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"  # not logged in before confirming
    assert client.get("/learner/").status_code == 302
    user = db.session.scalar(sa.select(User).where(User.email == "an@example.vn"))
    assert user.role is Role.LEARNER
    assert user.email_confirmed_at is None
    assert user.password_hash != "mat-khau-rat-dai-2026"
    learner = db.session.scalar(sa.select(Learner).where(Learner.user_id == user.id))
    assert learner.full_name == "Nguyễn Văn An"
    confirmed = submit(client, _confirm_link(caplog), {})
    assert confirmed.headers["Location"] == "/learner/"
    assert client.get("/learner/").status_code == 200


def test_enterprise_registration_creates_pending_organization(client, ctx, caplog):
    with caplog.at_level("WARNING"):
        response = _register(
            client,
            role="enterprise",
            email="hr@dn.vn",
            organization_name="Công ty TNHH Phần mềm Thử",
            tax_code="0601234567",
            sector="software",
        )
    assert response.status_code == 302
    org = db.session.scalar(sa.select(Organization).where(Organization.name.like("%Phần mềm Thử")))
    assert org.kind is OrgKind.ENTERPRISE
    assert org.state is VerificationState.PENDING
    submit(client, _confirm_link(caplog), {})
    page = client.get("/enterprise/").get_data(as_text=True)
    assert "Chờ xác minh" in page or "Pending verification" in page


def test_enterprise_needs_a_valid_tax_code(client, ctx):
    response = _register(
        client, role="enterprise", organization_name="DN", tax_code="12345", sector="software"
    )
    assert response.status_code == 200
    assert "10 chữ số" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_short_and_common_passwords_are_refused(client, ctx):
    short = _register(client, password="short", confirm="short")
    assert "10 ký tự" in short.get_data(as_text=True)
    common = _register(client, password="1234567890", confirm="1234567890")
    assert "phổ biến" in common.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


def _without_csrf(page: str) -> str:
    """A page without what differs per session (its CSRF token and CSP nonce)."""
    page = re.sub(r"<input[^>]*csrf_token[^>]*>", "", page)
    return re.sub(r'<meta name="csrf-token"[^>]*>|nonce="[^"]*"', "", page)


def test_registering_a_taken_email_answers_as_for_a_new_one_and_mails_the_owner(app, ctx, inbox):
    owner = make_user(email="an@example.vn", full_name="Nguyễn Văn An", password=PASSWORD)
    taken = app.test_client()
    new = app.test_client()
    answers = [_register(taken), _register(new, email="binh@example.vn")]
    assert [r.status_code for r in answers] == [302, 302]
    assert answers[0].headers["Location"] == answers[1].headers["Location"] == "/auth/login"
    pages = [_without_csrf(c.get("/auth/login").get_data(as_text=True)) for c in (taken, new)]
    assert pages[0] == pages[1]  # nobody is logged in; the same page, the same message
    assert "đã tồn tại" not in pages[0] and "Hãy kiểm tra hộp thư" in pages[0]
    # nothing changed on the existing account; its owner is told, the new one confirms
    db.session.expire_all()
    assert (
        db.session.scalar(sa.select(sa.func.count(User.id)).where(User.email == "an@example.vn"))
        == 1
    )
    assert check_password_hash(db.session.get(User, owner.id).password_hash, PASSWORD)
    [msg] = inbox.to("an@example.vn")
    assert "đăng ký email của bạn" in msg["Subject"]
    assert "/auth/reset" in msg.get_body(preferencelist=("plain",)).get_content()
    [msg] = inbox.to("binh@example.vn")
    assert "Xác nhận địa chỉ email" in msg["Subject"]
    assert "/auth/confirm/" in msg.get_body(preferencelist=("plain",)).get_content()


def test_login_and_logout(client, ctx, login):
    user = make_user(Role.ADMIN, email="admin@example.vn")
    response = login("ADMIN@example.vn ")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    token = csrf_token(client, "/admin/")
    assert client.post("/auth/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/admin/").status_code == 302  # back to the login page
    actions = set(
        db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.actor_id == user.id))
    )
    assert {"auth.login", "auth.logout"} <= actions


def test_wrong_password_is_refused_and_audited(client, ctx, login):
    user = make_user(email="a@example.vn")
    response = login("a@example.vn", "wrong-password-123")
    assert response.status_code == 200
    assert "Sai email hoặc mật khẩu" in response.get_data(as_text=True)
    failed = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "auth.login_failed")
    ).all()
    assert [e.actor_id for e in failed] == [user.id]


def test_eleventh_wrong_password_in_a_minute_is_throttled(client, ctx, login):
    make_user(email="a@example.vn")
    token = csrf_token(client, "/auth/login")
    codes = [
        client.post(
            "/auth/login",
            data={"email": "a@example.vn", "password": f"wrong-{i}-xxxxx", "csrf_token": token},
        ).status_code
        for i in range(11)
    ]
    assert codes[:10] == [200] * 10
    assert codes[10] == 429
    # Throttled even with the right password, and the page says why in Vietnamese.
    response = client.post(
        "/auth/login", data={"email": "a@example.vn", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 429
    assert "Quá nhiều" in response.get_data(as_text=True)


def test_throttle_is_per_account_across_addresses(client, ctx):
    make_user(email="target@example.vn")
    token = csrf_token(client, "/auth/login")
    codes = []
    for i in range(11):
        codes.append(
            client.post(
                "/auth/login",
                data={
                    "email": "target@example.vn",
                    "password": "nope-nope-nope",
                    "csrf_token": token,
                },
                environ_base={"REMOTE_ADDR": f"10.0.0.{i + 1}"},
            ).status_code
        )
    assert codes[-1] == 429 and codes[:10] == [200] * 10


def test_post_without_csrf_token_is_refused(client, ctx):
    make_user(email="a@example.vn")
    response = client.post("/auth/login", data={"email": "a@example.vn", "password": PASSWORD})
    assert response.status_code == 400
    assert "biểu mẫu" in response.get_data(as_text=True)


def test_suspended_organisation_cannot_log_in(client, ctx, login):
    org = make_org(state=VerificationState.SUSPENDED)
    make_user(Role.ENTERPRISE, org=org, email="e@example.vn")
    response = login("e@example.vn")
    assert response.status_code == 200
    assert client.get("/enterprise/").status_code == 302


def test_open_redirect_is_ignored(client, ctx):
    make_user(Role.ADMIN, email="admin@example.vn")
    token = csrf_token(client, "/auth/login")
    response = client.post(
        "/auth/login?next=https://evil.example/",
        data={"email": "admin@example.vn", "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/admin/"


def test_change_password_ends_other_sessions(app, client, ctx, login):
    make_user(email="a@example.vn")
    login("a@example.vn")
    other = app.test_client()
    submit(other, "/auth/login", {"email": "a@example.vn", "password": PASSWORD})
    assert other.get("/learner/").status_code == 200

    bad = submit(
        client,
        "/auth/password",
        {
            "current_password": "wrong-one-xx",
            "new_password": "mot-mat-khau-moi",
            "confirm": "mot-mat-khau-moi",
        },
    )
    assert "không đúng" in bad.get_data(as_text=True)
    ok = submit(
        client,
        "/auth/password",
        {
            "current_password": PASSWORD,
            "new_password": "mot-mat-khau-moi",
            "confirm": "mot-mat-khau-moi",
        },
    )
    assert ok.status_code == 302
    assert client.get("/learner/").status_code == 200  # this device stays logged in
    assert other.get("/learner/").status_code == 302  # the other one is logged out


def test_password_reset_flow(app, client, ctx, caplog):
    make_user(email="a@example.vn")
    with caplog.at_level("WARNING"):
        response = submit(client, "/auth/reset", {"email": "a@example.vn"})
    assert response.status_code == 302
    link = re.search(r"(/auth/reset/\S+)", caplog.text).group(1)
    done = submit(
        client, link, {"password": "mat-khau-moi-hoan-toan", "confirm": "mat-khau-moi-hoan-toan"}
    )
    assert done.status_code == 302
    again = submit(
        client, link, {"password": "mat-khau-khac-nua-di", "confirm": "mat-khau-khac-nua-di"}
    )
    assert "đã được sử dụng" in again.get_data(as_text=True)
    login_ok = submit(
        client, "/auth/login", {"email": "a@example.vn", "password": "mat-khau-moi-hoan-toan"}
    )
    assert login_ok.headers["Location"] == "/learner/"


def test_reset_request_does_the_same_work_for_known_and_unknown_emails(client, ctx):
    """The request only enqueues one job with the address; the job looks it up. Nothing in
    the request path (and so in its timing) depends on whether the account exists."""
    make_user(email="a@example.vn")
    with jobs.capture() as queued:
        known = submit(client, "/auth/reset", {"email": "a@example.vn"})
        unknown = submit(client, "/auth/reset", {"email": "nobody@example.vn"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    assert [(j.path, j.args) for j in queued] == [
        ("matchhub.auth.jobs:send_reset_link", ["a@example.vn"]),
        ("matchhub.auth.jobs:send_reset_link", ["nobody@example.vn"]),
    ]


def test_reset_mail_goes_out_after_the_answer(app, client, ctx, caplog, monkeypatch):
    """Without a queue (``make run``), the job runs once the response is sent (the server
    closes it): the answer never waits for the lookup or the mail."""
    monkeypatch.setitem(app.config, "JOBS_EAGER", False)
    make_user(email="a@example.vn")
    token = csrf_token(client, "/auth/reset")
    with caplog.at_level("WARNING"):
        response = client.post(
            "/auth/reset", data={"email": "a@example.vn", "csrf_token": token}, buffered=False
        )
        assert response.status_code == 302
        assert "/auth/reset/" not in caplog.text  # answered, nothing looked up or sent yet
        response.close()  # what the server does once the body is sent
    assert "/auth/reset/" in caplog.text


def test_reset_for_unknown_email_says_the_same(client, ctx, caplog):
    response = submit(client, "/auth/reset", {"email": "nobody@example.vn"}, follow_redirects=True)
    assert "Nếu có tài khoản" in response.get_data(as_text=True)
    assert "/auth/reset/" not in caplog.text
