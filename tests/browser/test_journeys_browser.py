"""In a real browser, in Vietnamese: both sides of the market, end to end.

An enterprise writes an order with a misspelt skill, sees it normalised, ranks the
candidates with their reasons, shortlists and invites the best one; the learner
accepts the invitation; the enterprise moves them to interview (hiring follows an
accepted offer only: tests/browser/test_hiring_browser.py walks it).
"""

import re
from datetime import timedelta

import pytest
from browser_steps import log_in, log_out
from factories import make_learner, make_org, make_user
from playwright.sync_api import expect

from matchhub.extensions import db
from matchhub.models import LearnerSkill, Role, Visibility, utcnow
from matchhub.services.learners import learner_of_user
from matchhub.services.orders import today_in_vietnam

pytestmark = pytest.mark.browser


def test_order_to_hire_across_both_sides(page, ctx):
    from factories import skill

    org = make_org(name="Công ty Phần mềm Thành Nam")
    boss = make_user(Role.ENTERPRISE, org=org, email="tuyendung@thanhnam.vn")
    user = make_user(Role.LEARNER, email="lan@sv.vn", full_name="Nguyễn Thị Lan")
    lan = learner_of_user(user)
    lan.consent_at = utcnow()
    lan.visibility = Visibility.ENTERPRISES
    lan.phone = "0912000111"
    lan.cv_text = "Lập trình Python, Django và SQL cho dịch vụ web."
    for slug, level in (("python", 4), ("sql", 3)):
        s = skill(slug)
        lan.skills.append(LearnerSkill(skill=s, term=s.name_en, level=level))
    weaker = make_learner(skills=(("python", 2),), full_name="Trần Văn Nam")
    db.session.commit()

    # The enterprise writes the order; "pyhton" is read as Python.
    log_in(page, boss.email)
    page.goto("/enterprise/orders/new")
    page.get_by_label("Loại").select_option("internship")
    page.get_by_label("Tiêu đề").fill("Thực tập sinh lập trình Python")
    page.get_by_label("Kỹ năng bắt buộc").fill("pyhton:3\nSQL:2")
    page.get_by_label("Số vị trí").fill("2")
    page.get_by_label("Địa phương").select_option("nd-nam-dinh")
    deadline = today_in_vietnam() + timedelta(days=20)
    page.get_by_label("Hạn nộp hồ sơ").fill(deadline.isoformat())
    page.get_by_role("button", name="Lưu").click()
    expect(page).to_have_url(re.compile(r"/enterprise/orders/\d+$"))
    skills = page.locator("dd").filter(has_text="Python").first
    expect(skills).to_be_visible()
    expect(page.get_by_text("pyhton ?")).to_have_count(0)  # normalised, not flagged unknown
    page.get_by_role("button", name="Công bố").click()

    # Ranked candidates with their reasons: Lan first, Python matched.
    page.locator("#candidates-link").click()
    expect(page).to_have_url(re.compile(r"/candidates$"))
    first = page.locator("li.candidate").first
    expect(first).to_have_attribute("data-learner-id", str(lan.id))
    # Nam lacks SQL: by default the list holds who meets or nearly meets the order.
    expect(page.locator(f'li.candidate[data-learner-id="{weaker.id}"]')).to_have_count(0)
    expect(first.locator('[data-skill="python"]')).to_be_visible()
    expect(first.locator('.tier[data-tier="meets"]')).to_have_text("Đáp ứng đủ")
    expect(first).not_to_contain_text("lan@sv.vn")  # no contact before she applies

    page.get_by_label("Hiển thị").select_option("all")
    page.get_by_role("button", name="Lọc").click()
    missing = page.locator(f'li.candidate[data-learner-id="{weaker.id}"] .tier')
    expect(missing).to_have_attribute("data-tier", "missing")
    expect(missing).to_contain_text("Thiếu")
    first = page.locator("li.candidate").first
    expect(first).to_have_attribute("data-learner-id", str(lan.id))

    # Shortlist her, then invite her from the pipeline.
    first.locator('button[name="invite"][value="0"]').click()
    first = page.locator(f'li.candidate[data-learner-id="{lan.id}"]')
    first.locator("a[href*='/enterprise/applications/']").click()
    expect(page.locator("#application")).to_have_attribute("data-status", "shortlisted")
    page.locator("#move-form select").select_option("invited")
    page.locator("#move-form button").click()
    expect(page.locator("#application")).to_have_attribute("data-status", "invited")
    application_url = page.url
    log_out(page)

    # The learner sees the invitation and applies.
    log_in(page, user.email)
    invitation = page.locator("#invitations li").first
    expect(invitation).to_contain_text("Thực tập sinh lập trình Python")
    invitation.locator("a").click()
    page.locator("#invitation textarea").fill("Em rất mong được thực tập tại công ty.")
    page.locator("#accept-invitation").click()
    expect(page.locator("#application")).to_have_attribute("data-status", "applied")
    expect(page.locator("#history li")).to_have_count(2)  # invited, applied
    log_out(page)

    # The enterprise now sees her contact details and moves her on; "hired" is not
    # among the stages it may choose (it follows an accepted offer).
    log_in(page, boss.email)
    page.goto(application_url)
    expect(page.locator("#contact")).to_contain_text("lan@sv.vn")
    expect(page.locator("#contact")).to_contain_text("0912000111")
    expect(page.locator('#move-form option[value="hired"]')).to_have_count(0)
    page.locator("#move-form select").select_option("interview")
    page.locator("#move-form button").click()
    expect(page.locator("#application")).to_have_attribute("data-status", "interview")
    expect(page.locator("#history li")).to_have_count(4)


def test_skill_picker_suggests_from_the_taxonomy(page, ctx):
    org = make_org()
    boss = make_user(Role.ENTERPRISE, org=org)
    log_in(page, boss.email)
    page.goto("/enterprise/orders/new")
    area = page.get_by_label("Kỹ năng bắt buộc")
    area.press_sequentially("SQL:2\npyhton")
    option = page.locator('#required_skills-suggestions [data-slug="python"]')
    expect(option).to_be_visible()
    option.click()
    expect(area).to_have_value(re.compile(r"^SQL:2\nPython$"))
    area.press_sequentially(":4")
    expect(area).to_have_value(re.compile(r"^SQL:2\nPython:4$"))


def test_skill_suggestions_stay_shut_once_the_person_moves_on(page, ctx):
    """Suggestions that arrive after the person left the box (a slow answer, a fast
    typist) would cover the fields and the save button below it: they stay hidden."""
    org = make_org()
    boss = make_user(Role.ENTERPRISE, org=org)
    log_in(page, boss.email)
    page.goto("/enterprise/orders/new")
    page.route(  # the server answers late, as a busy one does
        "**/enterprise/skills/suggest*",
        lambda route: (page.wait_for_timeout(400), route.continue_()),
    )
    page.get_by_label("Kỹ năng bắt buộc").press_sequentially("pyhton")
    page.keyboard.press("Tab")
    page.wait_for_timeout(1200)
    expect(page.locator("#required_skills-suggestions")).to_be_hidden()
    expect(page.locator('#required_skills-suggestions [data-slug="python"]')).to_have_count(0)
