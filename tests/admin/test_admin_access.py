"""No page of the province office answers to any other role, nor to anonymous visitors."""

import re

import pytest
from conftest import csrf_token
from factories import make_org, make_user

from matchhub.models import OrgKind, Role

HOMES = {Role.ENTERPRISE: "/enterprise/", Role.COLLEGE: "/college/", Role.LEARNER: "/learner/"}


def _admin_urls(app) -> list[tuple[str, str]]:
    """(method, url) of every admin endpoint, path arguments filled with 1."""
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin."):
            continue
        url = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", "1", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            urls.append((method, url))
    return urls


def test_every_admin_endpoint_is_enumerated(app):
    urls = _admin_urls(app)
    assert len(urls) >= 25
    assert ("POST", "/admin/rounds/1/publish") in urls and ("GET", "/admin/province") in urls


@pytest.mark.parametrize("role", [Role.ENTERPRISE, Role.COLLEGE, Role.LEARNER])
def test_other_roles_get_403_everywhere(app, client, ctx, login, role):
    org = make_org(OrgKind(role.value)) if role is not Role.LEARNER else None
    login(make_user(role, org=org).email)
    token = csrf_token(client, HOMES[role])
    for method, url in _admin_urls(app):
        data = {"csrf_token": token} if method == "POST" else None
        response = client.open(url, method=method, data=data)
        assert response.status_code == 403, (role, method, url, response.status_code)


def test_anonymous_visitors_are_sent_to_login_everywhere(app, client, ctx):
    token = csrf_token(client, "/auth/login")
    for method, url in _admin_urls(app):
        data = {"csrf_token": token} if method == "POST" else None
        response = client.open(url, method=method, data=data)
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"].startswith("/auth/login"), (method, url)
