"""In a real browser, in Vietnamese: a visitor searches openings typing without accents,
opens one's public page, applies, signs in and lands on the apply form."""

import re

import pytest
from factories import PASSWORD, make_order, make_org, make_user
from playwright.sync_api import expect

from matchhub.models import OrderKind, Role

pytestmark = pytest.mark.browser


def test_search_open_the_public_page_and_apply_after_signing_in(page, ctx):
    org = make_org(name="Công ty Dệt Nam Định")
    order = make_order(
        org,
        title="Kế toán tổng hợp",
        skills=("sql",),
        salary_min=8_000_000,
        salary_max=12_000_000,
    )
    make_order(org, title="Thực tập sinh lập trình", kind=OrderKind.INTERNSHIP)
    student = make_user(Role.LEARNER, email="hoa@sv.vn")

    page.goto("/orders")
    page.get_by_label("Từ khoá").fill("ke toan")
    page.get_by_label("Lương từ (triệu ₫/tháng)").fill("10")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page).to_have_url(re.compile(r"q=ke\+toan.*salary_min=10"))
    expect(page.get_by_label("Từ khoá")).to_have_value("ke toan")
    cards = page.locator(".card-order")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("8–12 triệu ₫")

    cards.first.get_by_role("link", name="Kế toán tổng hợp").click()
    expect(page).to_have_url(re.compile(rf"/orders/{order.id}$"))
    expect(page.locator('meta[property="og:title"]')).to_have_attribute(
        "content", "Kế toán tổng hợp · Công ty Dệt Nam Định"
    )
    page.locator("#apply").get_by_role("link", name="Ứng tuyển").click()
    page.get_by_label("Email").fill(student.email)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(rf"/learner/orders/{order.id}$"))
    expect(page.locator("#apply-form")).to_be_visible()
