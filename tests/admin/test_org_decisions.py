"""Suspension, notifications of decisions, and the tax-code warning."""

import sqlalchemy as sa
from conftest import submit
from factories import make_order, make_org, make_user

from matchhub.extensions import db
from matchhub.models import (
    AuditEvent,
    Notification,
    OrderStatus,
    OrgKind,
    Role,
    VerificationState,
)


def _admin(login):
    admin = make_user(Role.ADMIN, email="office@example.vn")
    login(admin.email)
    return admin


def test_suspension_closes_orders_ends_sessions_and_refuses_login(app, client, ctx, login):
    org = make_org(name="Công ty Bị Đình Chỉ")
    member = make_user(Role.ENTERPRISE, org=org)
    open_order = make_order(org)
    draft = make_order(org, status=OrderStatus.DRAFT)

    # The member is signed in in another browser.
    other = app.test_client()
    submit(other, "/auth/login", {"email": member.email, "password": "correct-horse-battery"})
    assert other.get("/enterprise/").status_code == 200

    _admin(login)
    url = f"/admin/organizations/{org.id}"
    empty = submit(client, f"{url}/suspend", {"reason": " "}, form_url=url)
    assert empty.status_code == 400
    response = submit(client, f"{url}/suspend", {"reason": "Giấy phép bị thu hồi"}, form_url=url)
    assert response.status_code == 302
    for row in (org, open_order, draft, member):
        db.session.refresh(row)
    assert org.state is VerificationState.SUSPENDED and org.state_reason == "Giấy phép bị thu hồi"
    assert open_order.status is OrderStatus.CLOSED and open_order.closed_at is not None
    assert draft.status is OrderStatus.DRAFT
    assert member.session_version == 2
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "org.suspended"))
    assert event.detail["orders_closed"] == 1 and event.organization_id == org.id

    # The open session is over and a new login is refused.
    assert other.get("/enterprise/").status_code == 302
    submit(other, "/auth/login", {"email": member.email, "password": "correct-horse-battery"})
    assert other.get("/enterprise/").status_code == 302
    refused = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "auth.login_refused")
    )
    assert refused.actor_id == member.id


def test_decisions_notify_the_members_who_mark_them_read(app, client, ctx, login):
    org = make_org(OrgKind.COLLEGE, state=VerificationState.PENDING, name="Trường Chờ")
    member = make_user(Role.COLLEGE, org=org)
    _admin(login)
    url = f"/admin/organizations/{org.id}"
    assert submit(client, f"{url}/verify", {}, form_url=url).status_code == 302
    note = db.session.scalar(sa.select(Notification).where(Notification.user_id == member.id))
    assert note.kind == "org.verified" and note.read_at is None

    member_client = app.test_client()
    submit(
        member_client, "/auth/login", {"email": member.email, "password": "correct-horse-battery"}
    )
    page = member_client.get("/college/").get_data(as_text=True)
    assert 'data-notification="org.verified"' in page
    read_url = f"/notifications/{note.id}/read"
    assert submit(member_client, read_url, {}, form_url="/college/").status_code == 302
    db.session.refresh(note)
    assert note.read_at is not None
    page = member_client.get("/college/").get_data(as_text=True)
    assert 'data-notification="org.verified"' not in page


def test_nobody_marks_another_users_notification(app, client, ctx, login):
    from matchhub.services import notifications

    owner = make_user(Role.LEARNER)
    note = notifications.notify(owner, "round.published", round="Đợt 1")
    db.session.commit()
    intruder = make_user(Role.LEARNER)
    login(intruder.email)
    response = submit(client, f"/notifications/{note.id}/read", {}, form_url="/learner/")
    assert response.status_code == 404
    db.session.refresh(note)
    assert note.read_at is None


def test_invalid_tax_codes_get_a_warning_badge(client, ctx, login):
    bad = make_org(state=VerificationState.PENDING, tax_code="12345", name="Mã Sai")
    good = make_org(state=VerificationState.PENDING, tax_code="0601234567-001", name="Mã Đúng")
    _admin(login)
    home = client.get("/admin/").get_data(as_text=True)
    assert home.count('data-tax-code="invalid"') == 1
    assert 'data-tax-code="invalid"' in client.get(f"/admin/organizations/{bad.id}").get_data(
        as_text=True
    )
    assert 'data-tax-code="invalid"' not in client.get(f"/admin/organizations/{good.id}").get_data(
        as_text=True
    )
