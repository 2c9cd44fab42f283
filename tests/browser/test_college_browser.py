"""In a real browser: a college imports a 1,500-row cohort and reads the demand report."""

import re

import pytest
from browser_steps import log_in
from factories import cohort_rows, cohort_xlsx, make_order, make_org, make_programme, make_user
from playwright.sync_api import expect

from matchhub.models import OrgKind, Role

pytestmark = pytest.mark.browser


def _college_in(page, email):
    log_in(page, email)
    expect(page).to_have_url(re.compile(r"/college/$"))


def _upload(page, path):
    page.goto("/college/imports")
    page.locator("input[type=file]").set_input_files(str(path))
    page.locator("#upload-submit").click()
    expect(page).to_have_url(re.compile(r"/college/imports/[A-Za-z0-9_-]+$"))


def test_college_imports_a_cohort_then_reads_the_demand(page, ctx, tmp_path):
    college = make_org(OrgKind.COLLEGE, code="NDTC", name="Cao đẳng Công nghệ Nam Định")
    make_programme(college, code="CNTT", skills=(("python", 3),))
    user = make_user(Role.COLLEGE, org=college)
    enterprise = make_org(sector="software")
    make_order(enterprise, skills=("python", "sql"), headcount=4)
    make_order(enterprise, skills=("java", "git"), headcount=2, locality="nd-thien-truong")

    rows = cohort_rows(1500)
    bad = [row[:] for row in rows]
    bad[99][3] = "khong-phai-email"  # spreadsheet row 101
    bad[499][7] = "12"  # row 501: GPA out of range
    bad[1199][5] = "Ngành lạ"  # row 1201: unknown programme
    bad_path = tmp_path / "khoa-2026-loi.xlsx"
    good_path = tmp_path / "khoa-2026.xlsx"
    cohort_xlsx(bad, path=bad_path)
    cohort_xlsx(rows, path=good_path)

    _college_in(page, user.email)
    _upload(page, bad_path)
    errors = page.locator("#import-errors tbody tr")
    expect(errors).to_have_count(3)
    expect(page.locator("#import-errors tr[data-row='101'][data-column='Email']")).to_have_count(1)
    expect(page.locator("#import-errors tr[data-row='501']")).to_have_count(1)
    expect(page.locator("#import-errors tr[data-row='1201']")).to_have_count(1)
    expect(page.locator("#import-commit")).to_have_count(0)

    _upload(page, good_path)
    expect(page.locator("#import-summary")).to_have_attribute("data-created", "1500")
    page.locator("#import-commit").click()
    expect(page.locator("#import-result")).to_have_attribute("data-created", "1500")

    _upload(page, good_path)
    expect(page.locator("#no-changes")).to_be_visible()
    page.locator("#import-commit").click()
    expect(page.locator("#import-result")).to_have_attribute("data-changes", "0")
    expect(page.locator("#import-changes")).to_have_text("0")

    page.goto("/college/demand")
    for key in ("skills", "trend", "sectors", "localities"):
        canvas = page.locator(f"canvas[data-chart='{key}']")
        expect(canvas).to_have_attribute("data-chart-rendered", "true")
        assert canvas.bounding_box()["width"] > 0
        assert canvas.evaluate("c => Chart.getChart(c) !== undefined && c.width > 0")
        expect(page.locator(f"#table-{key}")).to_be_visible()
    expect(page.locator("#table-skills tbody tr")).to_have_count(4)
