"""In a real browser, in Vietnamese: a learner saves an opening from their matches, finds
it on the Saved page with its score, turns weekly alerts on, then unsaves it."""

import re

import pytest
from factories import PASSWORD, make_order, make_org, make_user, skill
from playwright.sync_api import expect

from matchhub.extensions import db
from matchhub.models import LearnerSkill, Role, utcnow
from matchhub.services import alerts
from matchhub.services.learners import learner_of_user

pytestmark = pytest.mark.browser


def test_save_from_matches_then_the_saved_page_and_alerts(page, ctx):
    user = make_user(Role.LEARNER, email="lan@sv.vn")
    learner = learner_of_user(user)
    learner.skills.append(LearnerSkill(skill=skill("python"), term="Python", level=4))
    learner.consent_at = utcnow()
    db.session.commit()
    order = make_order(make_org(name="Công ty Phần mềm Sông Hồng"), title="Lập trình viên Python")

    page.goto("/auth/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto("/learner/matches?tier=all")
    card = page.locator(f'li.match[data-order-id="{order.id}"]')
    card.get_by_role("button", name="Lưu").click()
    # Back on the same page (its filters kept), the card's button now says it is saved.
    expect(page).to_have_url(re.compile(r"/learner/matches\?tier=all$"))
    expect(card.get_by_role("button", name="Đã lưu")).to_have_attribute("aria-pressed", "true")

    page.locator("nav").get_by_role("link", name="Đã lưu").click()
    expect(page).to_have_url(re.compile(r"/learner/saved$"))
    saved = page.locator(f'.saved-opening[data-order-id="{order.id}"]')
    expect(saved).to_contain_text("Lập trình viên Python")
    expect(saved).to_contain_text("Công ty Phần mềm Sông Hồng")
    expect(saved.locator("[data-score]")).to_have_text("70%")

    page.get_by_label("Gửi thư cho tôi các cơ hội phù hợp mới mỗi tuần").check()
    page.get_by_label("Chỉ những cơ hội phù hợp với tôi từ").select_option("80")
    page.get_by_role("button", name="Lưu cài đặt thông báo").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã bật thông báo")
    db.session.rollback()
    assert alerts.settings_of(learner) == alerts.AlertSettings(True, 80, None)

    saved.get_by_role("button", name="Đã lưu").click()
    expect(page.locator(".saved-opening")).to_have_count(0)
    expect(page.locator("#saved")).to_contain_text("Chưa lưu cơ hội nào")
