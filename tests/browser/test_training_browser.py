"""In a real browser, in Vietnamese: a training order goes to colleges, not to learners.

An enterprise writes a training order on its own form (no pay, no deadline) and publishes
it to the training institutions; a college offers a programme with how to enrol; the
enterprise accepts; a learner, who could never apply to the order, finds the agreed
training with the college, its terms and how to enrol.
"""

import re
from datetime import timedelta

import pytest
from browser_steps import log_in, log_out
from factories import make_org, make_programme, make_user
from playwright.sync_api import expect

from matchhub.models import OrgKind, Role
from matchhub.services.orders import today_in_vietnam

pytestmark = pytest.mark.browser

ENROL = "Gọi phòng đào tạo 0228 3 123 456, mang CCCD"


def test_training_order_to_enrolment(page, ctx):
    enterprise = make_org(name="Công ty Cơ khí Thành Nam")
    boss = make_user(Role.ENTERPRISE, org=enterprise, email="daotao@thanhnam.vn")
    college = make_org(OrgKind.COLLEGE, code="CDCN", name="Cao đẳng Công nghệ Nam Định")
    make_programme(college, code="PY", name="Lập trình Python ứng dụng")
    teacher = make_user(Role.COLLEGE, org=college, email="tuyensinh@cdcn.edu.vn")
    student = make_user(Role.LEARNER, email="minh@sv.vn")
    start = today_in_vietnam() + timedelta(days=40)
    page.on("dialog", lambda dialog: dialog.accept())

    log_in(page, boss.email)
    page.goto("/enterprise/orders")
    page.locator("#new-training-order").click()
    expect(page.locator("#order-form")).to_have_attribute("data-kind", "training")
    expect(page.locator("#salary_min")).to_have_count(0)
    expect(page.locator("#deadline")).to_have_count(0)
    page.get_by_label("Tiêu đề").fill("Đào tạo 15 lập trình viên Python")
    page.get_by_label("Kỹ năng cần đào tạo, kèm mức cần đạt").fill("Python:3")
    page.get_by_label("Số học viên").fill("15")
    page.get_by_label("Ngày bắt đầu đào tạo").fill(start.isoformat())
    page.get_by_label("Thời lượng (tuần)").fill("12")
    page.get_by_role("button", name="Lưu").click()
    expect(page).to_have_url(re.compile(r"/enterprise/orders/\d+$"))
    order_url = page.url
    expect(page.locator("#training-terms")).to_contain_text("12 tuần")
    expect(page.locator("#candidates-link")).to_have_count(0)
    page.locator("#publish").click()
    expect(page.get_by_role("alert")).to_contain_text("gửi đến các cơ sở đào tạo")
    log_out(page)

    log_in(page, teacher.email)
    page.goto("/college/training-orders")
    page.get_by_role("link", name="Đào tạo 15 lập trình viên Python").click()
    expect(page.locator("#order-duration")).to_have_text("12 tuần")
    page.get_by_label("Chương trình").select_option(label="Lập trình Python ứng dụng (PY)")
    page.get_by_label("Số chỗ").fill("15")
    page.get_by_label("Cách người học đăng ký (liên hệ, điện thoại, đường dẫn)").fill(ENROL)
    page.get_by_role("button", name="Gửi đề xuất").click()
    expect(page.get_by_role("alert")).to_contain_text("đã được gửi")
    log_out(page)

    log_in(page, student.email)
    page.goto("/learner/training")
    expect(page.locator("#no-training")).to_be_visible()  # nothing agreed yet
    order_id = order_url.rsplit("/", 1)[1]
    page.goto(f"/learner/orders/{order_id}")
    expect(page.locator("#apply-form")).to_have_count(0)
    log_out(page)

    log_in(page, boss.email)
    page.goto(order_url)
    page.locator("#training-offers").get_by_role("button", name="Chấp nhận").click()
    expect(page.locator("#training-offers [data-status='accepted']")).to_have_count(1)
    log_out(page)

    log_in(page, student.email)
    page.get_by_role("link", name="Đào tạo", exact=True).click()
    card = page.locator("article[data-offer]")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Lập trình Python ứng dụng")
    expect(card).to_contain_text("Cao đẳng Công nghệ Nam Định")
    expect(card).to_contain_text(start.strftime("%d/%m/%Y"))
    expect(card).to_contain_text("12 tuần")
    expect(card.locator(".enrolment")).to_have_text(ENROL)
    expect(page.get_by_role("button", name="Ứng tuyển")).to_have_count(0)
