"""The province office verifies or rejects organisations, and every decision is audited."""

import sqlalchemy as sa
from conftest import csrf_token, submit
from factories import make_org, make_user

from matchhub.extensions import db
from matchhub.models import AuditEvent, OrgKind, Role, VerificationState


def _admin(login):
    admin = make_user(Role.ADMIN, email="admin@example.vn")
    login(admin.email)
    return admin


def test_pending_organisations_are_listed_oldest_first(client, ctx, login):
    make_org(name="Đã xác minh")
    first = make_org(name="Chờ thứ nhất", state=VerificationState.PENDING)
    second = make_org(OrgKind.COLLEGE, name="Chờ thứ hai", state=VerificationState.PENDING)
    _admin(login)
    html = client.get("/admin/").get_data(as_text=True)
    assert html.index(first.name) < html.index(second.name)
    assert "Đã xác minh" not in html.split("Skills in demand")[0].split("Kỹ năng")[0]


def test_admin_verifies_an_organisation(client, ctx, login):
    org = make_org(state=VerificationState.PENDING)
    admin = _admin(login)
    url = f"/admin/organizations/{org.id}"
    response = submit(client, f"{url}/verify", {}, form_url=url)
    assert response.status_code == 302
    db.session.refresh(org)
    assert org.state is VerificationState.VERIFIED
    assert org.verified_by_id == admin.id and org.verified_at is not None
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "org.verified"))
    assert event.actor_id == admin.id and event.organization_id == org.id


def test_rejection_needs_a_reason_and_records_it(client, ctx, login):
    org = make_org(state=VerificationState.PENDING)
    _admin(login)
    url = f"/admin/organizations/{org.id}"
    empty = submit(client, f"{url}/reject", {"reason": "  "}, form_url=url)
    assert empty.status_code == 400
    db.session.refresh(org)
    assert org.state is VerificationState.PENDING

    done = submit(
        client, f"{url}/reject", {"reason": "Mã số thuế không khớp giấy phép"}, form_url=url
    )
    assert done.status_code == 302
    db.session.refresh(org)
    assert org.state is VerificationState.REJECTED
    assert org.state_reason == "Mã số thuế không khớp giấy phép"
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "org.rejected"))
    assert event.detail == {"reason": "Mã số thuế không khớp giấy phép"}


def test_rejected_organisation_sees_the_reason(client, ctx, login):
    org = make_org(state=VerificationState.REJECTED, state_reason="Thiếu giấy phép kinh doanh")
    login(make_user(Role.ENTERPRISE, org=org).email)
    assert "Thiếu giấy phép kinh doanh" in client.get("/enterprise/").get_data(as_text=True)


def test_only_admins_can_decide(client, ctx, login):
    org = make_org(state=VerificationState.PENDING)
    login(make_user(Role.ENTERPRISE, org=make_org()).email)
    token = csrf_token(client, "/enterprise/")
    response = client.post(f"/admin/organizations/{org.id}/verify", data={"csrf_token": token})
    assert response.status_code == 403
    db.session.refresh(org)
    assert org.state is VerificationState.PENDING


def test_unknown_organisation_is_404(client, ctx, login):
    _admin(login)
    assert client.get("/admin/organizations/424242").status_code == 404
