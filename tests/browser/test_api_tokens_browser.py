"""In a real browser: an enterprise creates an API token, its HR system reads the
ranked candidates with it, and once revoked the token is refused."""

import re

import pytest
from factories import make_learner, make_order, make_org, make_user
from playwright.sync_api import expect

from matchhub.models import Role

pytestmark = pytest.mark.browser


def test_a_token_from_the_account_page_reads_the_api_until_revoked(page, ctx):
    org = make_org(name="Công ty Dệt may Sơn Nam")
    boss = make_user(Role.ENTERPRISE, org=org)
    order = make_order(org, skills=("python",))
    learner = make_learner(skills=(("python", 4),))

    page.goto("/auth/login")
    page.get_by_label("Email").fill(boss.email)
    page.get_by_label("Mật khẩu").fill("correct-horse-battery")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/enterprise/$"))

    page.get_by_role("link", name="API").click()
    page.get_by_label("Tên mã").fill("Phần mềm nhân sự")
    page.get_by_label("Hiệu lực trong").select_option("30")
    expect(page.get_by_label("Chỉ đọc")).to_be_checked()  # a token reads unless made to write
    page.get_by_role("button", name="Tạo mã").click()
    token = page.locator("#new-token").inner_text().strip()
    assert token.startswith("mh_")

    answer = page.request.get(
        f"/api/v1/orders/{order.id}/candidates", headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status == 200
    assert [c["learner"]["id"] for c in answer.json()["items"]] == [learner.id]
    # the browser's own session cookie is not a way in
    assert page.request.get("/api/v1/me").status == 401

    page.goto("/auth/tokens")
    expect(page.locator("#new-token")).to_have_count(0)  # shown once
    page.get_by_role("button", name="Thu hồi").click()
    expect(page.get_by_role("status").or_(page.locator(".alert-success"))).to_contain_text(
        "thu hồi"
    )
    refused = page.request.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert refused.status == 401
