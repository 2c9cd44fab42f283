"""A member of a suspended organisation is told so, and whom to contact, but only after
the right password: a stranger still gets the answer every wrong login gets."""

import html

import sqlalchemy as sa
from factories import make_org, make_user

from matchhub.extensions import db
from matchhub.models import AuditEvent, OrgKind, Role, VerificationState

GENERIC_VI = "Sai email hoặc mật khẩu"


def _page(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _suspended_member(email="e@example.vn"):
    org = make_org(
        OrgKind.ENTERPRISE,
        name="Công ty Sông Đào",
        state=VerificationState.SUSPENDED,
        state_reason="Giấy phép bị thu hồi",
    )
    return make_user(Role.ENTERPRISE, org=org, email=email)


def test_the_right_password_tells_a_suspended_member_why_and_whom_to_contact(
    app, client, ctx, login, monkeypatch
):
    monkeypatch.setitem(app.config, "SUPPORT_CONTACT", "Sở Lao động, matchhub@namdinh.gov.vn")
    _suspended_member()
    page = _page(login("e@example.vn"))
    assert "Công ty Sông Đào" in page and "tạm ngừng" in page
    assert "Sở Lao động, matchhub@namdinh.gov.vn" in page
    assert "Giấy phép bị thu hồi" in page
    assert GENERIC_VI not in page
    assert client.get("/enterprise/").status_code == 302  # still not logged in
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "auth.login_refused")
    )
    assert event.detail["reason"] == "organization_suspended"


def test_without_a_configured_contact_the_province_office_is_named(client, ctx, login):
    _suspended_member()
    page = _page(login("e@example.vn"))
    assert "liên hệ Văn phòng tỉnh" in page


def test_a_wrong_password_reveals_nothing_about_the_suspension(client, ctx, login):
    _suspended_member()
    page = _page(login("e@example.vn", "not-the-password-at-all"))
    assert GENERIC_VI in page
    assert "tạm ngừng" not in page and "Sông Đào" not in page
    unknown = _page(login("nobody@example.vn", "not-the-password-at-all"))
    assert GENERIC_VI in unknown


def test_the_message_is_translated(client, ctx, login):
    _suspended_member()
    client.set_cookie("lang", "en")
    page = _page(login("e@example.vn"))
    assert "Your organisation Công ty Sông Đào is suspended by the province office" in page
    assert "contact the province office" in page
