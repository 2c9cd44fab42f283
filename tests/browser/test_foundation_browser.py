"""In a real browser: Vietnamese first, English on request, registration, confirmation of the
address and verification."""

import re

import pytest
from factories import make_org, make_user
from playwright.sync_api import expect

from matchhub.models import Role, VerificationState

pytestmark = pytest.mark.browser


def test_home_is_vietnamese_and_switches_to_english(page):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("#nav").get_by_role("link", name="Đăng nhập")).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#nav").get_by_role("link", name="Log in")).to_be_visible()
    page.goto("/auth/login")  # the choice persists across pages
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_enterprise_registers_and_admin_verifies_it(page, app, ctx, inbox):
    make_user(Role.ADMIN, email="admin@example.vn")
    page.goto("/auth/register")
    org_fields = page.locator("#org-fields")
    expect(org_fields).to_be_hidden()  # a learner needs no organisation
    page.get_by_label("Doanh nghiệp", exact=True).check()
    expect(org_fields).to_be_visible()
    page.get_by_label("Họ và tên").fill("Trần Thị Bình")
    page.get_by_label("Email").fill("binh@dn.vn")
    page.get_by_label("Mật khẩu", exact=True).fill("mat-khau-doanh-nghiep")
    page.get_by_label("Nhập lại mật khẩu").fill("mat-khau-doanh-nghiep")
    page.get_by_label("Tên tổ chức").fill("Công ty TNHH Phần mềm Vị Khê")
    page.get_by_label("Mã số thuế").fill("0601987654")
    page.get_by_label("Ngành").select_option("software")
    page.get_by_role("button", name="Tạo tài khoản").click()
    # not logged in yet: the address is confirmed through the link mailed to it
    expect(page).to_have_url(re.compile(r"/auth/login$"))
    expect(page.get_by_text("Hãy kiểm tra hộp thư")).to_be_visible()
    [mail] = inbox.to("binh@dn.vn")
    body = mail.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://\S+(/auth/confirm/\S+)", body).group(1)
    page.goto(link)
    page.get_by_role("button", name="Xác nhận địa chỉ của tôi").click()
    expect(page).to_have_url(re.compile(r"/enterprise/$"))
    expect(page.get_by_text("Chờ xác minh").first).to_be_visible()
    page.get_by_role("button", name="Đăng xuất").click()

    page.goto("/auth/login")
    page.get_by_label("Email").fill("admin@example.vn")
    page.get_by_label("Mật khẩu").fill("correct-horse-battery")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    page.get_by_role("link", name="Công ty TNHH Phần mềm Vị Khê").click()
    page.get_by_role("button", name="Xác minh tổ chức này").click()
    expect(page.get_by_text("đã được xác minh")).to_be_visible()


def test_registration_errors_are_shown_per_field(page):
    page.goto("/auth/register")
    page.get_by_label("Họ và tên").fill("Lê Văn Cường")
    page.get_by_label("Email").fill("khong-phai-email")
    page.get_by_label("Mật khẩu", exact=True).fill("ngan")
    page.get_by_label("Nhập lại mật khẩu").fill("khac")
    page.get_by_role("button", name="Tạo tài khoản").click()
    expect(page.locator("#email-errors")).not_to_be_empty()
    expect(page.locator("#confirm-errors")).not_to_be_empty()
    expect(page.get_by_label("Họ và tên")).to_have_value("Lê Văn Cường")  # nothing typed is lost


def test_pending_enterprise_sees_its_state(page, ctx):
    org = make_org(state=VerificationState.PENDING, name="Công ty Chờ")
    user = make_user(Role.ENTERPRISE, org=org)
    page.goto("/auth/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Mật khẩu").fill("correct-horse-battery")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_text("chưa xác minh").first).to_be_visible()
