"""In a real browser: the office picks skills from the suggestions, merges them, undoes it."""

import re

import pytest
import sqlalchemy as sa
from factories import PASSWORD, make_learner, make_user
from playwright.sync_api import expect

from matchhub.extensions import db
from matchhub.models import LearnerSkill, Role, Skill, SkillMerge
from matchhub.services import curation

pytestmark = pytest.mark.browser


def test_pick_suggestions_merge_then_undo(page, ctx):
    admin = make_user(Role.ADMIN)
    old = curation.create_skill(admin, "Ứng dụng Zorbweb", "Zorbweb apps", "tool")
    new = curation.create_skill(admin, "Lập trình Zorbweb", "Zorbweb coding", "tool")
    learner = make_learner(skills=())
    learner.skills.append(LearnerSkill(skill_id=old.id, term="Zorbweb", level=3))
    db.session.commit()

    page.goto("/auth/login")
    page.get_by_label("Email").fill(admin.email)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto("/admin/taxonomy")

    # Typed without accents, picked with the mouse.
    source = page.locator("#merge-source")
    source.press_sequentially("ung dung zorb")
    option = page.locator("#merge-source-listbox [role=option]")
    expect(option).to_have_count(1)
    expect(source).to_have_attribute("aria-expanded", "true")
    option.first.click()
    expect(source).to_have_value(old.slug)
    expect(page.locator("#merge-source-chosen")).to_contain_text("Ứng dụng Zorbweb")
    expect(source).to_have_attribute("aria-expanded", "false")

    # Picked with the keyboard.
    target = page.locator("#merge-target")
    target.press_sequentially("lap trinh zorbweb")
    expect(page.locator("#merge-target-listbox [role=option]")).to_have_count(1)
    target.press("ArrowDown")
    expect(target).to_have_attribute("aria-activedescendant", "merge-target-listbox-0")
    target.press("Enter")
    expect(target).to_have_value(new.slug)

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#merge-form button").click()
    expect(page.locator(".alert-success")).to_contain_text("Lập trình Zorbweb")
    merge = db.session.scalar(sa.select(SkillMerge))
    row = page.locator(f'#merge-history tr[data-merge-id="{merge.id}"]')
    expect(row).to_contain_text("Ứng dụng Zorbweb")

    # Undo asks first, on its own page.
    row.get_by_role("link", name="Huỷ gộp…").click()
    expect(page).to_have_url(re.compile(rf"/admin/taxonomy/merges/{merge.id}/undo$"))
    expect(page.locator("#merge-counts")).to_contain_text("Hồ sơ: 1")
    page.get_by_role("button", name="Huỷ gộp").click()
    expect(page.locator(".alert-success")).to_contain_text("Đã huỷ gộp")
    expect(row).to_contain_text("Đã huỷ")
    db.session.expire_all()
    assert db.session.get(Skill, old.id).merged_into_id is None
    assert db.session.get(LearnerSkill, learner.skills[0].id).skill_id == old.id
