"""In a real browser: a college mails its cohort the graduate survey, a graduate answers
through the link without logging in, and the college's outcomes page counts the answer."""

import re
from datetime import date

import pytest
from factories import make_learner, make_org, make_programme, make_user
from playwright.sync_api import expect

from matchhub.models import OrgKind, Role
from matchhub.services import surveys

pytestmark = pytest.mark.browser


def test_a_graduate_answers_the_mailed_survey(page, browser, live_server, ctx, inbox, monkeypatch):
    monkeypatch.setattr(surveys, "today_in_vietnam", lambda: date(2025, 2, 1))  # 7 months on
    college = make_org(OrgKind.COLLEGE, code="NDTC", name="Cao đẳng Công nghệ Nam Định")
    programme = make_programme(college, code="CNTT", name="Công nghệ thông tin")
    graduate = make_learner(
        college, programme_id=programme.id, graduation_year=2024, email="an@example.vn"
    )
    user = make_user(Role.COLLEGE, org=college)

    page.goto("/auth/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Mật khẩu").fill("correct-horse-battery")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(r"/college/$"))
    page.goto("/college/outcomes")
    expect(page.locator("#no-graduate-answers")).to_be_visible()
    form = page.locator("#survey-send")
    form.get_by_label("Khoá (năm tốt nghiệp)").select_option("2024")
    form.get_by_label("Thời điểm").select_option("6")
    form.get_by_role("button", name="Gửi khảo sát").click()
    expect(page.locator(".alert-success")).to_contain_text("1 đường dẫn khảo sát")

    [message] = inbox.to(graduate.email)
    path = re.search(r"https?://[^/\s]+(/survey/\S+)", message.get_body().get_content()).group(1)

    # The graduate: another browser, nobody logged in.
    context = browser.new_context(base_url=live_server, locale="vi-VN")
    survey = context.new_page()
    survey.goto(path)
    expect(survey.locator("h1")).to_contain_text("6 tháng sau tốt nghiệp")
    survey.get_by_role("button", name="Gửi câu trả lời").click()  # nothing chosen
    expect(survey.locator(".invalid-feedback")).to_contain_text("Chọn câu trả lời")
    survey.get_by_label("Đang làm việc đúng ngành được đào tạo").check()
    survey.get_by_role("button", name="Gửi câu trả lời").click()
    expect(survey.locator("#survey-done")).to_contain_text("Có việc làm đúng ngành")
    context.close()

    page.reload()
    expect(page.locator("#outcome-waves tr[data-wave='6']")).to_have_attribute("data-answered", "1")
    expect(
        page.locator(f"#outcome-programmes tr[data-programme='{programme.id}']")
    ).to_contain_text("100")
