"""In a real browser, in Vietnamese: a message thread on an application, and a bulk rejection.

HR writes to an applicant from the application page; the learner sees the new message
on their applications, reads it and replies; HR sees the reply and its notice. Then HR
selects two candidates on the pipeline with the "select all" box and rejects them with
the template, after checking the list.
"""

import re

import pytest
from browser_steps import log_in, log_out
from factories import hire, make_order, make_org, make_user
from playwright.sync_api import expect
from test_accessibility_browser import axe_result, describe, start_axe

from matchhub.extensions import db
from matchhub.models import Role, Visibility, utcnow
from matchhub.services import applications
from matchhub.services.learners import learner_of_user

pytestmark = pytest.mark.browser


def _applicant(order, name: str, email: str):
    user = make_user(Role.LEARNER, email=email, full_name=name)
    learner = learner_of_user(user)
    learner.consent_at, learner.visibility = utcnow(), Visibility.ENTERPRISES
    db.session.commit()
    return user, applications.apply(order, learner, user, "Em xin ứng tuyển.")


def test_hr_writes_the_learner_replies_hr_reads(page, ctx):
    org = make_org(name="Công ty Phần mềm Thành Nam")
    hr = make_user(Role.ENTERPRISE, org=org, email="tuyendung@thanhnam.vn", full_name="Đỗ Hạnh")
    order = make_order(org, title="Thực tập sinh Python")
    lan, app = _applicant(order, "Nguyễn Thị Lan", "lan@sv.vn")

    log_in(page, hr.email)
    page.goto(f"/enterprise/applications/{app.id}")
    expect(page.locator("#thread-empty")).to_be_visible()
    page.get_by_label("Tin nhắn của bạn").fill(
        "Chào Lan,\nEm phỏng vấn <thứ Hai> 9 giờ được không?"
    )
    page.get_by_role("button", name="Gửi tin nhắn").click()
    expect(page).to_have_url(re.compile(rf"/enterprise/applications/{app.id}#messages$"))
    expect(page.locator("#thread li")).to_have_count(1)
    expect(page.locator("#thread li").first).to_contain_text("<thứ Hai>")  # text, not markup
    log_out(page)

    log_in(page, lan.email)
    page.goto("/learner/applications")
    badge = page.locator(f'tr[data-application-id="{app.id}"] .unread-messages')
    expect(badge).to_have_text("1 tin nhắn mới")
    badge.click()
    first = page.locator('#thread li[data-side="enterprise"]')
    expect(first).to_contain_text("Đỗ Hạnh")
    expect(first).to_contain_text("Em phỏng vấn <thứ Hai> 9 giờ được không?")
    expect(page.locator("#messages-new")).to_have_text("1 mới")
    page.get_by_label("Tin nhắn của bạn").fill("Dạ em đi được ạ. Em cảm ơn chị.")
    page.get_by_role("button", name="Gửi tin nhắn").click()
    expect(page.locator("#thread li")).to_have_count(2)
    expect(page.locator('#thread li[data-side="learner"]')).to_contain_text("Dạ em đi được ạ.")
    page.goto("/learner/applications")
    expect(page.locator(".unread-messages")).to_have_count(0)
    log_out(page)

    log_in(page, hr.email)
    notice = page.locator("#notifications").get_by_text(
        "Nguyễn Thị Lan đã gửi cho bạn một tin nhắn"
    )
    expect(notice).to_be_visible()
    page.goto(f"/enterprise/orders/{order.id}/pipeline")
    row = page.locator(f'tr[data-application-id="{app.id}"]')
    row.locator(".unread-messages").click()
    reply = page.locator('#thread li[data-side="learner"]')
    expect(reply).to_contain_text("Nguyễn Thị Lan")
    expect(reply).to_contain_text("Dạ em đi được ạ. Em cảm ơn chị.")


def test_bulk_reject_with_the_template(page, ctx):
    org = make_org(name="Công ty Phần mềm Thành Nam")
    hr = make_user(Role.ENTERPRISE, org=org, email="tuyendung@thanhnam.vn")
    order = make_order(org, title="Thực tập sinh Python")
    _lan, lan_app = _applicant(order, "Nguyễn Thị Lan", "lan@sv.vn")
    nam, nam_app = _applicant(order, "Trần Văn Nam", "nam@sv.vn")
    hire(nam_app, hr, nam)

    log_in(page, hr.email)
    page.goto(f"/enterprise/orders/{order.id}/pipeline")
    page.get_by_label("Chọn tất cả trên trang này").check()  # shown once JavaScript runs
    page.get_by_label("Với các ứng viên đã chọn").select_option("reject")
    page.get_by_role("button", name="Tiếp tục với các ứng viên đã chọn").click()

    expect(page.locator("#bulk-moving li")).to_have_count(1)
    start_axe(page)  # the review page is reached by a POST: the page list cannot hold it
    assert describe(page.url, axe_result(page)) == []
    expect(page.locator("#bulk-skipped li")).to_contain_text("Trần Văn Nam")
    message = page.get_by_label("Tin nhắn gửi từng ứng viên (không bắt buộc)")
    expect(message).to_have_value(re.compile(r"^Chào \{name\},"))
    message.fill("Chào {name}, cảm ơn bạn đã ứng tuyển “{order}”.")
    page.get_by_role("button", name="Xác nhận").click()

    expect(page.locator(".alert").first).to_contain_text(
        "Đã chuyển 1 ứng viên; bỏ qua 1: Trần Văn Nam"
    )
    expect(page.locator(f'tr[data-application-id="{lan_app.id}"]')).to_have_attribute(
        "data-status", "rejected"
    )
    page.goto(f"/enterprise/applications/{lan_app.id}")
    expect(page.locator("#thread li")).to_contain_text(
        "Chào Nguyễn Thị Lan, cảm ơn bạn đã ứng tuyển “Thực tập sinh Python”."
    )
