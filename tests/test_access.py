"""Every page checks the role, and objects of another organisation answer 404."""

import pytest
from factories import make_order, make_org, make_user

from matchhub.models import OrgKind, Role

ROLE_HOMES = {
    Role.ADMIN: "/admin/",
    Role.ENTERPRISE: "/enterprise/",
    Role.COLLEGE: "/college/",
    Role.LEARNER: "/learner/",
}
PAGES = {
    Role.ADMIN: ["/admin/", "/admin/organizations"],
    Role.ENTERPRISE: ["/enterprise/", "/enterprise/orders"],
    Role.COLLEGE: ["/college/", "/college/programmes", "/college/learners"],
    Role.LEARNER: ["/learner/", "/learner/profile", "/learner/openings"],
}


def _user(role: Role):
    if role is Role.ENTERPRISE:
        return make_user(role, org=make_org(OrgKind.ENTERPRISE))
    if role is Role.COLLEGE:
        return make_user(role, org=make_org(OrgKind.COLLEGE))
    return make_user(role)


@pytest.mark.parametrize("role", list(Role))
def test_each_role_lands_on_its_own_dashboard(client, ctx, login, role):
    user = _user(role)
    response = login(user.email)
    assert response.headers["Location"] == ROLE_HOMES[role]
    for url in PAGES[role]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", list(Role))
def test_other_roles_pages_are_forbidden(client, ctx, login, role):
    login(_user(role).email)
    for other, urls in PAGES.items():
        if other is role:
            continue
        for url in urls:
            response = client.get(url)
            assert response.status_code == 403, (role, url)
            assert "Không có quyền truy cập" in response.get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_login(client, ctx):
    for urls in PAGES.values():
        for url in urls:
            response = client.get(url)
            assert response.status_code == 302
            assert response.headers["Location"].startswith("/auth/login?next=")


def test_enterprise_cannot_open_another_enterprises_order(client, ctx, login):
    mine, theirs = make_org(name="Mine"), make_org(name="Theirs")
    own_order = make_order(mine, title="Đơn của tôi")
    other_order = make_order(theirs, title="Đơn của người khác")
    login(make_user(Role.ENTERPRISE, org=mine).email)
    assert client.get(f"/enterprise/orders/{own_order.id}").status_code == 200
    response = client.get(f"/enterprise/orders/{other_order.id}")
    assert response.status_code == 404
    assert "Đơn của người khác" not in response.get_data(as_text=True)
    listing = client.get("/enterprise/orders").get_data(as_text=True)
    assert "Đơn của tôi" in listing and "Đơn của người khác" not in listing
    assert client.get("/enterprise/orders/999999").status_code == 404
