"""In a real browser, in Vietnamese: a learner uploads a CV, confirms the skills it names,
and the matches page shows the opening those skills meet."""

import re

import pytest
from cvfiles import docx_bytes
from factories import PASSWORD, make_order, make_org, make_user
from playwright.sync_api import expect

from matchhub.models import Role

pytestmark = pytest.mark.browser


def test_cv_upload_to_suggested_skills_to_matches(page, ctx, tmp_path):
    make_order(make_org(), title="Kỹ sư triển khai Docker", skills=("docker",))
    user = make_user(Role.LEARNER, email="an@sv.vn")
    cv = tmp_path / "CV Nguyễn Văn An.docx"
    cv.write_bytes(
        docx_bytes(
            "Nguyễn Văn An - lập trình viên",
            "Built web services in Python and deployed them with Docker.",
        )
    )
    page.goto("/auth/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    page.goto("/learner/profile")
    # The profile's own link (the section bar has one too, since "My CV" joined it).
    page.locator("#my-cv").click()
    page.get_by_label("Tệp CV (PDF hoặc DOCX)").set_input_files(str(cv))
    page.get_by_role("button", name="Tải lên").click()
    expect(page.locator("#cv-current")).to_contain_text("CV Nguyễn Văn An.docx")

    docker = page.locator('tr[data-skill="docker"]')
    expect(docker).to_contain_text("deployed them with Docker")
    expect(docker.locator("[data-confidence]")).to_be_visible()
    python = page.locator('tr[data-skill="python"]')
    python.get_by_role("checkbox").uncheck()
    docker.get_by_role("checkbox").check()
    docker.get_by_role("combobox").select_option("4")
    page.get_by_role("button", name="Thêm các kỹ năng đã đánh dấu vào hồ sơ").click()

    expect(page).to_have_url(re.compile(r"/learner/matches$"))
    expect(page.get_by_text("Kỹ sư triển khai Docker").first).to_be_visible()
    page.goto("/learner/profile")
    expect(page.get_by_text("Docker · 4/5")).to_be_visible()
    expect(page.get_by_text("Python · ")).to_have_count(0)
