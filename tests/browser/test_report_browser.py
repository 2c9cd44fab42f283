"""In a real browser: the province office and a college download their reports as DOCX
(opened with python-docx) and open the print page."""

import re

import pytest
from browser_steps import log_in
from docx import Document
from playwright.sync_api import expect

from matchhub.services import demo

pytestmark = pytest.mark.browser


def _download(page):
    """Click the page's DOCX link; the downloaded file, opened with python-docx."""
    # Drawing a dozen charts on a loaded machine can take a while: wait for the file, not
    # for a navigation the click does not make.
    with page.expect_download(timeout=60_000) as download:
        page.locator("#report-docx").click(no_wait_after=True)
    assert download.value.suggested_filename.endswith(".docx")
    return Document(download.value.path())


def _rows(doc, *headers: str) -> list[list[str]]:
    """The rows of the first table whose header row starts with ``headers``."""
    for table in doc.tables:
        rows = [[c.text for c in row.cells] for row in table.rows]
        if rows and rows[0][: len(headers)] == list(headers):
            return rows
    raise AssertionError(f"no table headed {headers!r}")


def test_province_office_downloads_and_prints_its_report(page, ctx):
    demo.seed_demo()
    log_in(page, demo.ADMIN_EMAIL, demo.DEMO_PASSWORD)
    page.goto("/admin/province?period=all")
    first_gap = page.locator('[data-table="gap"] tbody tr').first
    expect(first_gap).to_be_visible()
    skill, demanded = (first_gap.locator("td").nth(i).inner_text() for i in (0, 1))

    doc = _download(page)
    header = [p.text for cell in doc.tables[0].rows[0].cells for p in cell.paragraphs]
    assert "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header
    assert "Độc lập - Tự do - Hạnh phúc" in header
    body = [p.text for p in doc.paragraphs]
    assert "BÁO CÁO" in body
    assert any(t.startswith("Kỳ báo cáo: toàn bộ thời gian") for t in body)
    gap = _rows(doc, "Kỹ năng")
    assert gap[1][:2] == [skill, demanded]  # the document's figures are the page's
    assert len(doc.inline_shapes) >= 10  # every chart of the dashboard, as an image

    page.locator("#report-print").click()
    expect(page).to_have_url(re.compile(r"/admin/province/print\?period=all$"))
    expect(page.locator("h2").first).to_have_text("I. Số liệu chính")
    image = page.locator(".report-figure img").first
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    expect(page.locator(".report-toolbar")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".report-toolbar")).to_be_hidden()
    expect(page.locator(".report-table").first).to_be_visible()


def test_college_downloads_its_outcome_report(page, ctx):
    demo.seed_demo()
    log_in(page, demo.COLLEGE_EMAIL, demo.DEMO_PASSWORD)
    page.goto("/college/outcomes")
    row = page.locator("#outcomes tbody tr").first
    expect(row).to_be_visible()
    programme, learners = (row.locator("td").nth(i).inner_text() for i in (0, 2))

    doc = _download(page)
    cohorts = _rows(doc, "Chương trình đào tạo", "Khoá")
    assert any(r[0] == programme and r[2] == learners for r in cohorts[1:])
    assert len(doc.inline_shapes) == 1
    assert doc.styles["Normal"].font.name == "Times New Roman"
