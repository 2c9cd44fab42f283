"""The audit log's search and export, and user management."""

import re

import sqlalchemy as sa
from conftest import submit
from factories import PASSWORD, make_org, make_user

from matchhub.extensions import db
from matchhub.models import AuditEvent, Learner, Membership, OrgKind, Role
from matchhub.services import audit as audit_writer
from matchhub.services import users


def _admin(login, **kw):
    admin = make_user(Role.ADMIN, **kw)
    login(admin.email)
    return admin


def test_audit_log_search_pagination_and_export(client, ctx, login):
    org = make_org(name="Công ty Nhật Ký")
    member = make_user(Role.ENTERPRISE, org=org, email="nhatky@example.vn")
    for i in range(60):
        audit_writer.record("order.updated", actor=member, organization_id=org.id, n=i)
    audit_writer.record("auth.login_failed", email="=cmd|' /C calc'!A0")
    db.session.commit()
    _admin(login, email="office@example.vn")

    page = client.get("/admin/audit?actor=nhatky").get_data(as_text=True)
    assert page.count('data-action="order.updated"') == 50  # first page
    assert "?actor=nhatky&amp;page=2" in page or "actor=nhatky&amp;page=2" in page
    page2 = client.get("/admin/audit?actor=nhatky&page=2").get_data(as_text=True)
    assert page2.count('data-action="order.updated"') == 10
    by_org = client.get("/admin/audit?org=Nhật+Ký&action=order.updated").get_data(as_text=True)
    assert by_org.count('data-action="order.updated"') == 50
    none = client.get("/admin/audit?action=order.updated&from=2001-01-01&to=2001-01-02")
    assert 'data-action="order.updated"' not in none.get_data(as_text=True)
    prefix = client.get("/admin/audit?action=auth.").get_data(as_text=True)
    assert 'data-action="auth.login"' in prefix and 'data-action="order.updated"' not in prefix

    export = client.get("/admin/audit/export?action=auth.login_failed")
    text = export.get_data().decode("utf-8-sig")
    assert export.get_data().startswith("\ufeff".encode())
    assert "'=cmd|" in text and "\n=cmd" not in text
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "export.audit_log"))
    assert event.detail == {"search": {"action": "auth.login_failed"}}


def test_user_list_filters(client, ctx, login):
    make_user(Role.LEARNER, email="hoc.vien@example.vn", full_name="Nguyễn Học Viên")
    make_user(Role.ENTERPRISE, org=make_org(), email="doanh.nghiep@example.vn")
    _admin(login)
    page = client.get("/admin/users?q=hoc").get_data(as_text=True)
    assert "hoc.vien@example.vn" in page and "doanh.nghiep@example.vn" not in page
    page = client.get("/admin/users?role=enterprise").get_data(as_text=True)
    assert "doanh.nghiep@example.vn" in page and "hoc.vien@example.vn" not in page


def test_deactivation_ends_sessions_and_reactivation_restores(app, client, ctx, login):
    user = make_user(Role.LEARNER)
    other = app.test_client()
    submit(other, "/auth/login", {"email": user.email, "password": PASSWORD})
    assert other.get("/learner/").status_code == 200
    _admin(login)
    url = f"/admin/users/{user.id}"
    assert submit(client, f"{url}/deactivate", {}, form_url=url).status_code == 302
    db.session.refresh(user)
    assert not user.active and user.session_version == 2
    assert other.get("/learner/").status_code == 302
    assert submit(client, f"{url}/reactivate", {}, form_url=url).status_code == 302
    db.session.refresh(user)
    assert user.active
    actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"account.deactivated", "account.reactivated"} <= actions


def test_reset_link_is_shown_once_and_works(app, client, ctx, login):
    user = make_user(Role.LEARNER)
    _admin(login)
    url = f"/admin/users/{user.id}"
    page = submit(client, f"{url}/reset-link", {}, form_url=url).get_data(as_text=True)
    link = re.search(r'value="(http[^"]+/auth/reset/[^"]+)"', page)
    assert link, page
    assert 'id="reset-link"' not in client.get(url).get_data(as_text=True)
    assert db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "account.reset_link_issued")
    )
    path = link.group(1).split("localhost", 1)[-1]
    fresh = app.test_client()
    response = submit(
        fresh, path, {"password": "mot-mat-khau-moi-dai", "confirm": "mot-mat-khau-moi-dai"}
    )
    assert response.status_code == 302


def test_role_changes_and_the_last_admin(client, ctx, login):
    admin = _admin(login)
    college = make_org(OrgKind.COLLEGE)
    user = make_user(Role.LEARNER)
    url = f"/admin/users/{user.id}"
    wrong = submit(
        client, f"{url}/role", {"role": "enterprise", "organization": str(college.id)}, form_url=url
    )
    assert wrong.status_code == 400
    ok = submit(
        client, f"{url}/role", {"role": "college", "organization": str(college.id)}, form_url=url
    )
    assert ok.status_code == 302
    db.session.refresh(user)
    assert user.role is Role.COLLEGE and user.organization.id == college.id
    assert user.session_version == 2

    # The only admin cannot demote or deactivate themself.
    own = f"/admin/users/{admin.id}"
    refused = submit(client, f"{own}/role", {"role": "learner", "organization": ""}, form_url=own)
    assert refused.status_code == 400
    submit(client, f"{own}/deactivate", {}, form_url=own)
    db.session.refresh(admin)
    assert admin.role is Role.ADMIN and admin.active

    # With a second admin the change goes through; a learner profile is created.
    second = make_user(Role.ADMIN)
    users.change_role(admin, second, Role.LEARNER, None)
    assert db.session.scalar(sa.select(Learner).where(Learner.user_id == second.id)) is not None
    assert not db.session.scalars(
        sa.select(Membership).where(Membership.user_id == second.id)
    ).all()


def test_audit_log_reads_in_words_not_codes(client, ctx, login):
    org = make_org(OrgKind.COLLEGE, name="Cao đẳng Nhật Ký")
    member = make_user(Role.COLLEGE, org=org)
    audit_writer.record("offer.sent", actor=member, organization_id=org.id, obj=org)
    db.session.commit()
    _admin(login)
    page = client.get("/admin/audit").get_data(as_text=True)
    row = page.split('data-action="offer.sent"', 1)[1].split("</tr>", 1)[0]
    assert "Đã gửi đề xuất đào tạo" in row and "Tổ chức #" in row
    assert "Organization" not in row and ">offer.sent<" not in row
    assert "offer.*" not in page  # the kinds in the filter read as words too
