"""In a real browser, in Vietnamese: an interview booked and an offer accepted.

HR proposes two interview times; the learner picks one; both see the booked time on
their pages. HR sends an offer; the learner accepts it after the confirmation step,
and only then is the application "hired".
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from browser_steps import log_in, log_out
from factories import make_order, make_org, make_user
from playwright.sync_api import expect

from matchhub.extensions import db
from matchhub.models import Role, Visibility, utcnow
from matchhub.services import applications
from matchhub.services.learners import learner_of_user
from matchhub.services.orders import today_in_vietnam

pytestmark = pytest.mark.browser
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_interview_booked_then_offer_accepted(page, ctx):
    org = make_org(name="Công ty Phần mềm Thành Nam")
    boss = make_user(Role.ENTERPRISE, org=org, email="tuyendung@thanhnam.vn")
    user = make_user(Role.LEARNER, email="lan@sv.vn", full_name="Nguyễn Thị Lan")
    lan = learner_of_user(user)
    lan.consent_at, lan.visibility = utcnow(), Visibility.ENTERPRISES
    db.session.commit()
    order = make_order(org, title="Lập trình viên Python")
    app = applications.apply(order, lan, user, "Em xin ứng tuyển.")
    day = datetime.now(VN).date() + timedelta(days=5)

    # HR proposes two times, in Vietnam's time, with a place.
    log_in(page, boss.email)
    page.goto(f"/enterprise/applications/{app.id}")
    page.get_by_label("Thời gian 1").fill(f"{day.isoformat()}T09:00")
    page.get_by_label("Thời gian 2 (không bắt buộc)").fill(f"{day.isoformat()}T14:30")
    page.get_by_label("Địa điểm").fill("Tầng 3, 12 Trần Hưng Đạo, Nam Định")
    page.locator("#interview-propose").click()
    expect(page.locator("#interview")).to_have_attribute("data-interview-status", "proposed")
    log_out(page)

    # The learner picks the afternoon.
    log_in(page, user.email)
    page.goto("/learner/applications")
    page.get_by_role("link", name="Lập trình viên Python").click()
    afternoon = f"{day.strftime('%d/%m/%Y')} 14:30"
    page.get_by_label(afternoon).check()
    page.locator("#interview-book-button").click()
    expect(page.locator("#interview")).to_have_attribute("data-interview-status", "scheduled")
    expect(page.locator("#interview-time")).to_contain_text(afternoon)
    expect(page.locator("#application")).to_have_attribute("data-status", "interview")
    page.goto("/learner/applications")
    expect(page.locator(f'tr[data-application-id="{app.id}"]')).to_contain_text(afternoon)
    log_out(page)

    # HR sees the booked time, then sends an offer; "hired" is not theirs to choose.
    log_in(page, boss.email)
    page.goto(f"/enterprise/applications/{app.id}")
    expect(page.locator("#interview-time")).to_contain_text(afternoon)
    expect(page.locator('#move-form option[value="hired"]')).to_have_count(0)
    today = today_in_vietnam()
    page.get_by_label("Ngày bắt đầu").fill((today + timedelta(days=30)).isoformat())
    page.get_by_label("Lương tháng (đồng, không bắt buộc)").fill("12000000")
    page.get_by_label("Hạn trả lời").fill((today + timedelta(days=7)).isoformat())
    page.locator("#offer-send").click()
    expect(page.locator("#job-offer")).to_have_attribute("data-offer-status", "sent")
    expect(page.locator("#application")).to_have_attribute("data-status", "offer")
    log_out(page)

    # The learner accepts, through the confirmation page.
    log_in(page, user.email)
    page.goto(f"/learner/applications/{app.id}")
    expect(page.locator("#job-offer")).to_contain_text("12.000.000")
    page.locator("#offer-accept").click()
    page.get_by_label("Tôi xác nhận câu trả lời của mình").check()
    page.locator("#offer-confirm").click()
    expect(page.locator("#application")).to_have_attribute("data-status", "hired")
    expect(page.locator("#job-offer")).to_have_attribute("data-offer-status", "accepted")
    log_out(page)

    log_in(page, boss.email)
    page.goto(f"/enterprise/applications/{app.id}")
    expect(page.locator("#application")).to_have_attribute("data-status", "hired")
    expect(page.get_by_text("Đã tuyển").first).to_be_visible()
