"""In a real browser: a college imports the valid rows of a file with errors, downloads the
rejected rows, fixes them and uploads them again."""

import csv
import io
import re
from pathlib import Path

import pytest
from browser_steps import log_in
from factories import cohort_rows, cohort_xlsx, make_org, make_programme, make_user
from openpyxl import load_workbook
from playwright.sync_api import expect

from matchhub.models import OrgKind, Role

pytestmark = pytest.mark.browser


def _college_in(page, email):
    log_in(page, email)
    expect(page).to_have_url(re.compile(r"/college/$"))


def _upload(page, path, scale_label=None):
    page.goto("/college/imports")
    page.locator("input[type=file]").set_input_files(str(path))
    if scale_label:
        page.get_by_label(scale_label).check()
    page.locator("#upload-submit").click()
    expect(page).to_have_url(re.compile(r"/college/imports/[A-Za-z0-9_-]+$"))


def test_college_imports_the_valid_rows_and_fixes_the_rejected_ones(page, ctx, tmp_path):
    college = make_org(OrgKind.COLLEGE, code="NDTC", name="Cao đẳng Công nghệ Nam Định")
    make_programme(college, code="CNTT")
    user = make_user(Role.COLLEGE, org=college)

    rows = cohort_rows(40)
    for row in rows:  # the file is on the 10-point scale
        row[7] = "8.5"
    rows[4][3] = "khong-phai-email"  # spreadsheet row 6
    rows[19][7] = "10.5"  # row 21: over 10
    rows[29][5] = "Ngành lạ"  # row 31: unknown programme
    bad_path = tmp_path / "khoa-2026.xlsx"
    cohort_xlsx(rows, path=bad_path)

    _college_in(page, user.email)
    _upload(page, bad_path, scale_label="Thang điểm 10 (ví dụ 8,0): quy đổi sang thang điểm 4")
    expect(page.locator("#import-gpa-scale")).to_have_attribute("data-scale", "10")
    errors = page.locator("#import-errors tbody tr")
    expect(errors).to_have_count(3)
    expect(page.locator("#import-errors tr[data-row='6'][data-column='Email']")).to_have_count(1)
    expect(page.locator("#import-errors tr[data-row='21']")).to_have_count(1)
    expect(page.locator("#import-errors tr[data-row='31']")).to_have_count(1)
    expect(page.locator("#import-commit")).to_have_count(0)
    skip = page.locator("#import-skip-invalid")
    expect(skip).to_have_text(re.compile(r"Nhập 37 dòng hợp lệ và bỏ qua 3 dòng bị từ chối"))

    page.get_by_label("Không bao giờ gửi").check()
    skip.click()
    expect(page.locator("#import-result")).to_have_attribute("data-created", "37")
    expect(page.locator("#import-skipped")).to_have_attribute("data-skipped", "3")

    with page.expect_download() as csv_download:
        page.locator("#rejected-csv").click()
    download = csv_download.value
    assert download.suggested_filename == "khoa-2026-bi-tu-choi.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][0] == "Mã sinh viên" and table[0][-1] == "Lý do bị từ chối"
    assert [r[0] for r in table[1:]] == ["SV00005", "SV00020", "SV00030"]
    assert "email" in table[1][-1] and "10.5" in table[2][-1] and "Ngành lạ" in table[3][-1]

    with page.expect_download() as xlsx_download:
        page.locator("#rejected-xlsx").click()
    assert xlsx_download.value.suggested_filename == "khoa-2026-bi-tu-choi.xlsx"
    sheet = load_workbook(io.BytesIO(Path(xlsx_download.value.path()).read_bytes())).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][-1] == "Lý do bị từ chối"
    assert [r[0] for r in values[1:]] == ["SV00005", "SV00020", "SV00030"]

    # Fixed where each row says why, the rejected rows go back in.
    table[1][3], table[2][7], table[3][5] = "sv5@example.vn", "9", "CNTT"
    fixed_path = tmp_path / "khoa-2026-sua.csv"
    with open(fixed_path, "w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(table)
    _upload(page, fixed_path, scale_label="Thang điểm 10 (ví dụ 8,0): quy đổi sang thang điểm 4")
    expect(page.locator("#import-summary")).to_have_attribute("data-errors", "0")
    expect(page.locator("#import-summary")).to_have_attribute("data-created", "3")
    page.locator("#import-commit").click()
    expect(page.locator("#import-result")).to_have_attribute("data-created", "3")
    expect(page.locator("#import-skipped")).to_have_count(0)
