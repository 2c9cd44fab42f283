"""Reports sent upward: the province dashboard and a college's demand and outcome reports
as DOCX documents (opened here with python-docx) and as print pages, with their access."""

import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from conftest import submit
from docx import Document
from factories import PASSWORD, make_learner, make_order, make_org, make_programme, make_user

from matchhub.extensions import db
from matchhub.models import (
    Application,
    ApplicationStatus,
    AuditEvent,
    Learner,
    OrderStatus,
    OrgKind,
    Role,
    Situation,
    utcnow,
)
from matchhub.reports.charts import Chart
from matchhub.reports.docx import DOCX_MIME
from matchhub.services import demand, province, surveys

PNG = b"\x89PNG\r\n\x1a\n"
DOCX_ROUTES = {
    "admin": ("/admin/province/report.docx", "/admin/province/print"),
    "college": (
        "/college/demand.docx",
        "/college/demand/print",
        "/college/outcomes.docx",
        "/college/outcomes/print",
    ),
}


@pytest.fixture
def market(ctx):
    """One college with a cohort, two enterprises in two sectors, a filled order."""
    college = make_org(OrgKind.COLLEGE, name="Cao đẳng Thành Nam", code="CDTN")
    programme = make_programme(college, code="CNTT", name="Công nghệ thông tin")
    learners = [
        make_learner(college, programme=programme, skills=(("python", 3),), graduation_year=2026)
        for _ in range(3)
    ]
    learners.append(
        make_learner(college, programme=programme, skills=(("sql", 3),), graduation_year=2025)
    )
    soft = make_org(sector="software", locality="nd-nam-dinh")
    textile = make_org(sector="textile", locality="nd-thien-truong")
    make_order(soft, skills=("python",), headcount=2)
    make_order(textile, skills=("excel",), headcount=5, locality="nd-thien-truong")
    filled = make_order(soft, status=OrderStatus.FILLED, skills=("sql",), headcount=1)
    filled.published_at = utcnow() - timedelta(days=10)
    filled.closed_at = filled.published_at + timedelta(days=6)
    db.session.add(
        Application(order_id=filled.id, learner_id=learners[3].id, status=ApplicationStatus.HIRED)
    )
    db.session.commit()
    return college, programme


def _docx(response):
    assert response.status_code == 200, response.status_code
    assert response.mimetype == DOCX_MIME
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return Document(io.BytesIO(response.get_data()))


def _text(doc) -> str:
    """Every paragraph of the body and of every table cell, one per line."""
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    return "\n".join(lines)


def _table(doc, *headers: str):
    """The rows (header included) of the first table whose header row starts so."""
    for table in doc.tables:
        rows = [[c.text for c in row.cells] for row in table.rows]
        if rows and rows[0][: len(headers)] == list(headers):
            return rows
    raise AssertionError(f"no table headed {headers!r}")


def _images(doc) -> list[bytes]:
    return [
        rel.target_part.blob for rel in doc.part.rels.values() if rel.reltype.endswith("/image")
    ]


def test_province_docx_is_an_administrative_report_with_the_pages_figures(client, market, login):
    admin = make_user(Role.ADMIN)
    login(admin.email)
    doc = _docx(client.get("/admin/province/report.docx?period=90"))
    text = _text(doc)
    # The header block: issuing body, national motto, place and date in Vietnamese.
    header = [p.text for cell in doc.tables[0].rows[0].cells for p in cell.paragraphs]
    assert "UỶ BAN NHÂN DÂN TỈNH NINH BÌNH" in header and "SỞ NỘI VỤ" in header
    assert "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header
    assert "Độc lập - Tự do - Hạnh phúc" in header
    assert any(re.fullmatch(r"Nam Định, ngày \d\d tháng \d{1,2} năm 20\d\d", h) for h in header)
    assert "BÁO CÁO" in text and "Tình hình cung – cầu kỹ năng lao động trên địa bàn tỉnh" in text
    assert re.search(r"Kỳ báo cáo: từ ngày \d\d/\d\d/\d{4} đến ngày", text)
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings[:2] == ["I. Số liệu chính", "II. Chênh lệch kỹ năng: nhu cầu so với nguồn cung"]

    # The tables say what the page says.
    rep = province.report(province.Filters(period="90"))
    key = dict(_table(doc, "Chỉ tiêu", "Giá trị")[1:])
    assert key["Người học"] == str(rep.learners) == "4"
    page = client.get("/admin/province?period=90").get_data(as_text=True)
    fill_rate = re.search(r'id="kpi-fill-rate">([^<]+)<', page).group(1)
    assert key["Tỷ lệ tuyển (được tuyển ÷ vị trí)"] == fill_rate == "12%"  # 1 of 8 positions
    gap = {row[0]: row[1:] for row in _table(doc, "Kỹ năng", "Số vị trí cần tuyển")[1:]}
    python = next(g for g in rep.gaps if g.skill.slug == "python")
    assert gap[python.skill.name_vi] == ["2", "3", "0,67", "thiếu hụt"]
    placement = _table(doc, "Cơ sở đào tạo", "Người học", "Đã tuyển")
    assert placement[1] == ["Cao đẳng Thành Nam", "4", "1", "25%"]
    sectors = {row[0]: row[1:] for row in _table(doc, "Ngành", "Đơn đặt hàng")[1:]}
    assert len(sectors) == 2

    # Charts are images; the text is Times New Roman 13 pt.
    images = _images(doc)
    assert len(images) >= 5 and all(i.startswith(PNG) for i in images)
    assert len(doc.inline_shapes) == len(images)
    normal = doc.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size.pt == 13
    assert doc.sections[0].page_width.cm == pytest.approx(21, abs=0.01)

    exported = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "export.province")
    )
    assert exported.detail["format"] == "docx" and exported.detail["period"] == "90"


def test_province_docx_follows_the_filters_and_speaks_english(client, market, login):
    login(make_user(Role.ADMIN).email)
    doc = _docx(client.get("/admin/province/report.docx?period=all&year=2026"))
    assert dict(_table(doc, "Chỉ tiêu", "Giá trị")[1:])["Người học"] == "3"
    assert "năm tốt nghiệp: 2026" in _text(doc)

    # Unknown or hostile filter values never give a 500.
    for query in ("period=nope&year=abc", "year=99999999999999999999", "period=30&period=all"):
        assert client.get(f"/admin/province/report.docx?{query}").status_code == 200, query

    client.set_cookie("lang", "en")
    doc = _docx(client.get("/admin/province/report.docx?period=90"))
    text = _text(doc)
    assert "SOCIALIST REPUBLIC OF VIETNAM" in text and "Independence - Freedom - Happiness" in text
    assert "REPORT" in text and "Skill supply and demand in the province" in text
    assert re.search(r"Nam Dinh, [A-Z][a-z]+ \d{1,2}, 20\d\d", text)
    assert dict(_table(doc, "Indicator", "Value")[1:])["Learners"] == "4"
    assert "CỘNG HOÀ" not in text


def test_demand_docx_carries_the_pages_filters_and_figures(client, market, login):
    college, _programme = market
    login(make_user(Role.COLLEGE, org=college).email)
    doc = _docx(client.get("/college/demand.docx?sector=software"))
    text = _text(doc)
    assert "CAO ĐẲNG THÀNH NAM" in text and "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Đơn hàng được tính: Tất cả các loại; Phần mềm và dịch vụ công nghệ thông tin" in text
    report = demand.demand_report(college, filters=demand.DemandFilters(sector="software"))
    rows = _table(doc, "Kỹ năng", "Nhu cầu")[1:]
    assert [r[0] for r in rows] == [r.skill.name_vi for r in report.skills]
    assert rows[0][3] == str(report.skills[0].orders)
    assert rows[0][5] == "Công nghệ thông tin (3/5)"  # the college's programme teaching it
    assert "Excel" not in " ".join(r[0] for r in rows)  # the textile order is filtered out
    assert len(_images(doc)) == 4  # skills, trend, sectors, localities

    recent = _text(_docx(client.get("/college/demand.docx?period=3&sector=software")))
    assert "Các đơn hàng đang mở được đăng từ ngày" in recent
    page = client.get("/college/demand/print?period=3").get_data(as_text=True)
    assert 'href="/college/demand.docx?period=3"' in page

    unfiltered = _docx(client.get("/college/demand.docx"))
    assert len(_table(unfiltered, "Kỹ năng", "Nhu cầu")) > len(rows) + 1
    # Unknown or hostile filter values mean "all", never a 500.
    for query in ("sector=nope", "locality=" + "x" * 5000, "kind=job&kind=x"):
        assert client.get(f"/college/demand.docx?{query}").status_code == 200


def test_outcome_docx_is_the_colleges_own(app, client, market, login):
    college, _programme = market
    other = make_org(OrgKind.COLLEGE, name="Trường Khác", code="TK")
    make_programme(other, code="KT", name="Kế toán doanh nghiệp")
    make_learner(other, graduation_year=2026)

    login(make_user(Role.COLLEGE, org=college).email)
    doc = _docx(client.get("/college/outcomes.docx"))
    text = _text(doc)
    assert "Kết quả việc làm của người học của nhà trường" in text
    assert "4 người học, trong đó 1 người đã được tuyển dụng ít nhất một lần (25%)." in text
    by_programme = _table(doc, "Chương trình đào tạo", "Người học", "Người học được tuyển")
    assert by_programme[1] == ["Công nghệ thông tin", "4", "1", "25%"]
    cohorts = {(r[0], r[1]): r for r in _table(doc, "Chương trình đào tạo", "Khoá")[1:]}
    assert cohorts[("Công nghệ thông tin", "2025")][-1] == "100%"
    assert "Kế toán doanh nghiệp" not in text and "TRƯỜNG KHÁC" not in text
    assert _images(doc) and _images(doc)[0].startswith(PNG)

    theirs_client = app.test_client()
    submit(
        theirs_client,
        "/auth/login",
        {"email": make_user(Role.COLLEGE, org=other).email, "password": PASSWORD},
    )
    theirs = _text(_docx(theirs_client.get("/college/outcomes.docx")))
    assert "TRƯỜNG KHÁC" in theirs and "Công nghệ thông tin" not in theirs
    assert "CAO ĐẲNG THÀNH NAM" not in theirs


def test_outcome_docx_reports_the_graduates_answers_as_the_page(client, market, login):
    """The 6- and 12-month answers go upward too: by wave, by programme, and the skills
    of those employed against those still seeking, with the page's figures."""
    college, _programme = market
    hr = make_user(Role.COLLEGE, org=college)
    learners = db.session.scalars(
        sa.select(Learner).where(Learner.college_id == college.id).order_by(Learner.id)
    ).all()
    surveys.record_by_college(hr, learners[0], {6: Situation.EMPLOYED_IN_FIELD})
    surveys.record_by_college(hr, learners[1], {6: Situation.EMPLOYED_ELSEWHERE})
    surveys.record_by_college(hr, learners[2], {6: Situation.SEEKING, 12: Situation.STUDYING})

    login(hr.email)
    doc = _docx(client.get("/college/outcomes.docx"))
    text = _text(doc)
    assert "Người tốt nghiệp sau 6 và 12 tháng" in text
    waves = _table(doc, "Số tháng sau tốt nghiệp", "Khảo sát đã gửi", "Câu trả lời")
    six = next(r for r in waves[1:] if r[0] == "6")
    assert six[2] == "3" and six[-1] == "67%"  # two of three employed
    twelve = next(r for r in waves[1:] if r[0] == "12")
    assert twelve[2] == "1" and twelve[-1] == "0%"
    skills = _table(doc, "Kỹ năng", "Tỷ lệ trong nhóm có việc làm")
    assert ["Python", "100%", "0%"] in [r[:3] for r in skills]
    page = client.get("/college/outcomes").get_data(as_text=True)
    assert "67%" in page


@pytest.mark.parametrize("role", [Role.LEARNER, Role.ENTERPRISE, Role.COLLEGE, Role.ADMIN])
def test_only_the_right_role_gets_a_report(client, ctx, login, role):
    org = make_org(OrgKind(role.value)) if role in (Role.ENTERPRISE, Role.COLLEGE) else None
    login(make_user(role, org=org).email)
    for section, urls in DOCX_ROUTES.items():
        for url in urls:
            expected = 200 if section == role.value else 403
            assert client.get(url).status_code == expected, (role, url)


def test_anonymous_visitors_are_sent_to_log_in(client, ctx):
    for urls in DOCX_ROUTES.values():
        for url in urls:
            response = client.get(url)
            assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_print_pages_have_the_documents_sections_without_the_site_navigation(client, market, login):
    login(make_user(Role.ADMIN).email)
    page = client.get("/admin/province/print?period=90").get_data(as_text=True)
    assert "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page and "I. Số liệu chính" in page
    assert "Bảng 1. Số liệu chính" in page and 'src="data:image/png;base64,' in page
    assert "navbar" not in page and "nav-underline" not in page
    assert "css/report-print.css" in page
    assert 'href="/admin/province/report.docx?period=90"' in page
    dashboard = client.get("/admin/province?period=90").get_data(as_text=True)
    assert 'href="/admin/province/report.docx?period=90"' in dashboard
    assert 'href="/admin/province/print?period=90"' in dashboard
    css = client.get("/static/css/report-print.css").get_data(as_text=True)
    assert "@media print" in css and ".report-toolbar { display: none; }" in css
    assert "@media print" in client.get("/static/css/app.css").get_data(as_text=True)


def test_college_print_pages_follow_the_filters(client, market, login):
    college, _programme = market
    login(make_user(Role.COLLEGE, org=college).email)
    page = client.get("/college/demand/print?sector=software").get_data(as_text=True)
    assert "Đơn hàng được tính: Tất cả các loại; Phần mềm và dịch vụ công nghệ thông tin" in page
    assert 'href="/college/demand.docx?sector=software"' in page
    assert "/college/demand/print?sector=software" in client.get(
        "/college/demand?sector=software"
    ).get_data(as_text=True)
    outcomes = client.get("/college/outcomes/print").get_data(as_text=True)
    assert "Công nghệ thông tin" in outcomes and "navbar" not in outcomes


def test_charts_render_as_png_with_vietnamese_labels(app):
    for chart in (
        Chart("Nhu cầu", ["Lập trình web", "Kế toán"], [("Vị trí", [12, 3])]),
        Chart("Tỷ lệ", ["Khoá 2025"], [("Tỷ lệ", [0.004])], percent=True, kind="bar"),
        Chart("Chênh lệch", ["Python", "Go"], [("Cầu", [200, 5]), ("Cung", [3, 0])], log=True),
        Chart("Xu hướng", ["01/2026", "02/2026"], [("SQL", [0, 7])], kind="line"),
        Chart("Trống", [], []),
    ):
        assert chart.png.startswith(PNG)
        assert chart.data_uri.startswith("data:image/png;base64,")
