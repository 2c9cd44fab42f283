"""The learner import: reading every accepted format, per-cell errors, idempotency, atomicity."""

import codecs
import io
import unicodedata
import zipfile
from decimal import Decimal

import pytest
import sqlalchemy as sa
from factories import (
    COHORT_HEADERS_EN,
    cohort_csv,
    cohort_rows,
    cohort_xlsx,
    cp1258,
    make_org,
    make_programme,
    make_user,
)
from flask_babel import force_locale

from matchhub.extensions import db
from matchhub.models import AuditEvent, Learner, LearnerSkill, OrgKind, Role, Visibility
from matchhub.services import ServiceError, import_write, imports, tabular, textcodec


@pytest.fixture
def college(ctx):
    org = make_org(OrgKind.COLLEGE, code="NDTC")
    make_programme(org, code="CNTT", name="Công nghệ thông tin")
    return org


@pytest.fixture
def staff(college):
    return make_user(Role.COLLEGE, org=college)


def _issues(parsed):
    return {(i.row, i.column) for i in parsed.errors}


def _learners(college):
    return list(
        db.session.scalars(
            sa.select(Learner)
            .where(Learner.college_id == college.id)
            .order_by(Learner.student_code)
        )
    )


def test_valid_csv_rows_are_parsed_and_skills_normalised(college):
    parsed = imports.parse_file(college, cohort_csv(cohort_rows(4)), "k.csv")
    assert parsed.errors == []
    first = parsed.rows[0]
    assert first.line == 2
    assert first.values["student_code"] == "SV00001"
    assert first.values["gpa"] == Decimal("2.10")
    assert first.values["programme_id"] is not None
    assert [(s.slug, s.level) for s in first.skills] == [("java", 3), ("git", 3)]
    assert [(s.slug, s.level) for s in parsed.rows[3].skills] == [("python", 4), ("sql", 3)]


def test_errors_are_reported_by_row_and_column(college):
    rows = cohort_rows(6)
    rows[0][3] = "khong-phai-email"  # row 2: email
    rows[1][5] = "Ngành không có"  # row 3: programme
    rows[2][7] = "11,5"  # row 4: GPA out of range
    rows[3][0] = rows[4][0]  # row 5 repeats the code of row 6
    rows[5][2] = "31/02/2004"  # row 7: not a date
    rows[5][6] = "năm sau"  # row 7: graduation year
    parsed = imports.parse_file(college, cohort_csv(rows), "k.csv")
    assert _issues(parsed) == {
        (2, "Email"),
        (3, "Chương trình đào tạo"),
        (4, "Điểm trung bình"),
        (6, "Mã sinh viên"),  # the second occurrence is the error, naming the first
        (7, "Ngày sinh"),
        (7, "Năm tốt nghiệp"),
    }
    duplicate = next(i for i in parsed.errors if i.row == 6)
    assert "5" in duplicate.message


@pytest.mark.parametrize("bad", ["phuong,ng@gmail.com", "<script>@x.vn", "ánh@gmail.com", "a@b"])
def test_malformed_emails_are_row_errors(college, bad):
    rows = cohort_rows(2)
    rows[0][3] = bad
    parsed = imports.parse_file(college, cohort_csv(rows), "k.csv")
    assert _issues(parsed) == {(2, "Email")}


def test_the_same_email_on_two_rows_is_flagged_on_the_second(college):
    rows = cohort_rows(3)
    rows[2][3] = rows[0][3].upper()  # same mailbox, other case
    parsed = imports.parse_file(college, cohort_csv(rows), "k.csv")
    assert _issues(parsed) == {(4, "Email")}
    assert "2" in parsed.errors[0].message


def test_english_headers_semicolons_and_bom_are_accepted(college):
    content = cohort_csv(cohort_rows(3), headers=COHORT_HEADERS_EN, delimiter=";", bom=True)
    parsed = imports.parse_file(college, content, "k.csv")
    assert parsed.errors == []
    assert parsed.headers["student_code"] == "Student code"  # the BOM is not part of the header
    assert [r.values["student_code"] for r in parsed.rows] == ["SV00001", "SV00002", "SV00003"]


def test_unknown_skill_terms_are_flagged_but_kept(college, staff):
    rows = cohort_rows(1)
    rows[0][8] = "Python:4, nghề đan lát truyền thống"
    parsed = imports.parse_file(college, cohort_csv(rows), "k.csv")
    assert parsed.errors == []
    assert [(w.row, w.column) for w in parsed.warnings] == [(2, "Kỹ năng")]
    imports.import_file(college, staff, cohort_csv(rows), "k.csv")
    terms = {(s.skill_id is None, s.term) for s in _learners(college)[0].skills}
    assert (True, "nghề đan lát truyền thống") in terms


def test_skill_level_outside_one_to_five_is_an_error(college):
    rows = cohort_rows(1)
    rows[0][8] = "Python:7"
    parsed = imports.parse_file(college, cohort_csv(rows), "k.csv")
    assert _issues(parsed) == {(2, "Kỹ năng")}


def test_xlsx_is_read_in_streaming_mode(college, tmp_path):
    rows = cohort_rows(5)
    rows[0][6] = 2027  # numbers stay numbers in a workbook
    rows[1][4] = 912345678  # a phone typed as a number lost its leading zero
    content = cohort_xlsx(rows)
    parsed = imports.parse_file(college, content, "k.xlsx")
    assert parsed.errors == []
    assert parsed.rows[0].values["graduation_year"] == 2027
    assert parsed.rows[1].values["phone"] == "0912345678"


def test_missing_required_column_refuses_the_file(college):
    content = "Họ và tên,Email\nAn,an@example.vn\n".encode()
    with pytest.raises(ServiceError) as err:
        imports.parse_file(college, content, "k.csv")
    assert err.value.field == "file"


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"this is not a zip at all", "k.xlsx"),  # an .xlsx that is not a zip
        (b"PK\x03\x04\x00\x00garbage", "k.xlsx"),  # a broken zip
        (b"\x00\x01\x02binary\x00data" * 10, "k.csv"),  # a binary "CSV"
        ("Mã sinh viên,Họ và tên\nSV1,Ăn\n".encode("cp1258", errors="replace"), "k.csv"),
        (b"%PDF-1.4", "k.pdf"),
        (b"\xd0\xcf\x11\xe0", "k.xls"),
    ],
)
def test_files_that_are_not_what_they_say_are_refused(college, content, name):
    with pytest.raises(ServiceError) as err:
        imports.parse_file(college, content, name)
    assert err.value.field == "file" and err.value.message


def test_xlsx_renamed_csv_is_refused(college):
    with pytest.raises(ServiceError):
        imports.parse_file(college, cohort_xlsx(cohort_rows(2)), "k.csv")


def test_zip_without_a_workbook_is_refused(college):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    with pytest.raises(ServiceError):
        imports.parse_file(college, out.getvalue(), "k.xlsx")


def test_zip_bomb_is_refused_before_unpacking(college, monkeypatch):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        # 50 MB of zeros: deflates to ~50 KB, a ratio of ~1000.
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (50 * 1024 * 1024))
    opened = []
    monkeypatch.setattr(
        "openpyxl.load_workbook", lambda *a, **k: opened.append(1) or pytest.fail("unpacked")
    )
    with pytest.raises(ServiceError) as err:
        imports.parse_file(college, out.getvalue(), "k.xlsx")
    assert err.value.field == "file"
    assert opened == []


def test_row_limit(college, monkeypatch):
    with pytest.raises(ServiceError):
        imports.parse_file(college, cohort_csv(cohort_rows(11)), "k.csv", max_rows=10)
    assert len(imports.parse_file(college, cohort_csv(cohort_rows(10)), "k.csv", 10).rows) == 10


def test_import_creates_hidden_learners_with_claim_codes_and_invitations(college, staff, inbox):
    _parsed, result = imports.import_file(college, staff, cohort_csv(cohort_rows(3)), "k.csv")
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert result.invited == 3
    learners = _learners(college)
    assert [lr.student_code for lr in learners] == ["SV00001", "SV00002", "SV00003"]
    assert all(lr.claim_code and lr.visibility is Visibility.HIDDEN for lr in learners)
    assert all(lr.consent_at is None and lr.user_id is None for lr in learners)
    assert learners[0].programme.code == "CNTT"
    # mailed by a job after the commit, each with the learner's own claim link
    assert len(inbox.messages) == 3
    [first] = inbox.to(learners[0].email)
    assert f"/auth/claim/{learners[0].claim_code}" in first.get_body().get_content()
    assert {lr.invitation for lr in learners} == {"sent"}
    assert all(lr.invited_at is not None for lr in learners)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "learners.imported"))
    assert event.detail["created"] == 3


def test_reimporting_the_same_file_changes_nothing(college, staff):
    content = cohort_csv(cohort_rows(20))
    imports.import_file(college, staff, content, "k.csv")
    before = {(lr.id, lr.updated_at, lr.claim_code) for lr in _learners(college)}
    skills_before = db.session.scalar(sa.select(sa.func.count(LearnerSkill.id)))
    db.session.expire_all()
    _parsed, result = imports.import_file(college, staff, content, "k.csv")
    assert (result.created, result.updated, result.unchanged, result.changes) == (0, 0, 20, 0)
    db.session.expire_all()
    assert {(lr.id, lr.updated_at, lr.claim_code) for lr in _learners(college)} == before
    assert db.session.scalar(sa.select(sa.func.count(LearnerSkill.id))) == skills_before


def test_the_same_rows_as_xlsx_after_csv_change_nothing(college, staff):
    rows = cohort_rows(5)
    imports.import_file(college, staff, cohort_csv(rows), "k.csv")
    xlsx_rows = [[*r[:6], int(r[6]), float(r[7]), r[8]] for r in rows]
    _parsed, result = imports.import_file(college, staff, cohort_xlsx(xlsx_rows), "k.xlsx")
    assert result.changes == 0


def test_a_changed_row_updates_that_learner_only(college, staff):
    rows = cohort_rows(5)
    imports.import_file(college, staff, cohort_csv(rows), "k.csv")
    ids = {lr.student_code: lr.id for lr in _learners(college)}
    rows[2][1] = "Nguyễn Văn Ba Đổi Tên"
    rows[2][7] = "3.90"
    rows[2][8] = "Docker:2"
    _parsed, result = imports.import_file(college, staff, cohort_csv(rows), "k.csv")
    assert (result.created, result.updated, result.unchanged) == (0, 1, 4)
    db.session.expire_all()
    changed = db.session.get(Learner, ids["SV00003"])
    assert changed.full_name == "Nguyễn Văn Ba Đổi Tên"
    assert changed.gpa == Decimal("3.90")
    assert [(s.skill.slug, s.level) for s in changed.skills] == [("docker", 2)]
    assert {lr.student_code: lr.id for lr in _learners(college)} == ids  # no learner re-created


def test_a_claimed_profile_keeps_what_the_learner_owns(college, staff):
    rows = cohort_rows(1)
    imports.import_file(college, staff, cohort_csv(rows), "k.csv")
    learner = _learners(college)[0]
    owner = make_user(Role.LEARNER)
    # the learner signed up, then claimed the imported profile instead of their empty one
    db.session.execute(sa.delete(Learner).where(Learner.user_id == owner.id))
    learner.user_id = owner.id
    learner.email = "ca-nhan@example.vn"
    db.session.commit()
    rows[0][3] = "khac@example.vn"
    rows[0][6] = 2027
    _parsed, result = imports.import_file(college, staff, cohort_csv(rows), "k.csv")
    assert result.updated == 1
    db.session.expire_all()
    learner = db.session.get(Learner, learner.id)
    assert learner.email == "ca-nhan@example.vn"  # the learner's own field is kept
    assert learner.graduation_year == 2027  # the college's academic field follows the file


def test_rows_with_errors_refuse_the_whole_file(college, staff):
    rows = cohort_rows(5)
    rows[4][7] = "12"
    parsed, result = imports.import_file(college, staff, cohort_csv(rows), "k.csv")
    assert result is None and len(parsed.errors) == 1
    assert _learners(college) == []


def test_a_crash_mid_import_leaves_nothing_of_the_file(college, staff, monkeypatch):
    monkeypatch.setattr(import_write, "CHUNK", 10)
    real = import_write._insert_learners
    calls = []

    def crash_on_third_chunk(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(import_write, "_insert_learners", crash_on_third_chunk)
    with pytest.raises(RuntimeError):
        imports.import_file(college, staff, cohort_csv(cohort_rows(45)), "k.csv")
    db.session.remove()
    assert db.session.scalar(sa.select(sa.func.count(Learner.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(LearnerSkill.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == 0


def test_a_crash_during_updates_keeps_the_previous_data(college, staff, monkeypatch):
    rows = cohort_rows(30)
    imports.import_file(college, staff, cohort_csv(rows), "k.csv")
    monkeypatch.setattr(import_write, "CHUNK", 10)
    monkeypatch.setattr(
        import_write,
        "_update_learners",
        lambda updates: (_ for _ in ()).throw(RuntimeError("crash")),
    )
    changed = [[r[0], r[1] + " X", *r[2:]] for r in rows] + cohort_rows(5, prefix="NEW")
    with pytest.raises(RuntimeError):
        imports.import_file(college, staff, cohort_csv(changed), "k.csv")
    db.session.remove()
    names = db.session.scalars(sa.select(Learner.full_name)).all()
    assert len(names) == 30 and not any(n.endswith(" X") for n in names)


def test_staged_upload_is_bound_to_its_college(college, staff):
    other = make_org(OrgKind.COLLEGE, code="KHAC")
    token = imports.stage_upload(college, staff, cohort_csv(cohort_rows(2)), "k.csv")
    with pytest.raises(ServiceError):
        imports.preview_upload(other, token)
    with pytest.raises(ServiceError):
        imports.commit_upload(other, make_user(Role.COLLEGE, org=other), token)
    assert db.session.scalar(sa.select(sa.func.count(Learner.id))) == 0
    preview = imports.preview_upload(college, token)
    assert (preview.created, preview.updated, preview.unchanged) == (2, 0, 0)
    result = imports.commit_upload(college, staff, token)
    assert result.created == 2
    with pytest.raises(ServiceError):  # a token is used once
        imports.commit_upload(college, staff, token)


def test_other_colleges_learners_with_the_same_codes_are_untouched(college, staff):
    other = make_org(OrgKind.COLLEGE, code="KHAC")
    make_programme(other, code="CNTT")
    imports.import_file(other, None, cohort_csv(cohort_rows(3)), "k.csv")
    _parsed, result = imports.import_file(college, staff, cohort_csv(cohort_rows(3)), "k.csv")
    assert result.created == 3  # same student codes, different college: new learners
    assert len(_learners(other)) == 3 and len(_learners(college)) == 3


def test_dates_in_the_usual_spellings(college):
    rows = cohort_rows(4)
    for row, text in zip(rows, ("3/2/2004", "03-02-2004", "03.02.2004", "2004-02-03"), strict=True):
        row[2] = text
    parsed = imports.parse_file(college, cohort_csv(rows), "k.csv")
    assert parsed.errors == []
    assert {r.values["date_of_birth"].isoformat() for r in parsed.rows} == {"2004-02-03"}


def test_a_concurrent_import_of_the_same_learners_is_refused_cleanly(college, staff, monkeypatch):
    content = cohort_csv(cohort_rows(3))
    imports.import_file(college, staff, content, "k.csv")
    # As if another import had committed these learners after this one compared them.
    monkeypatch.setattr(import_write, "_existing", lambda college, codes: {})
    with pytest.raises(ServiceError):
        imports.import_file(college, staff, content, "k.csv")
    db.session.remove()
    assert db.session.scalar(sa.select(sa.func.count(Learner.id))) == 3


def test_only_an_import_that_changes_something_moves_the_matching_index(college, staff):
    from matchhub.models.engine import EngineState

    def version():
        db.session.expire_all()
        return db.session.scalar(sa.select(EngineState.version)) or 0

    content = cohort_csv(cohort_rows(3))
    imports.import_file(college, staff, content, "k.csv")
    after_first = version()
    assert after_first >= 1
    imports.import_file(college, staff, content, "k.csv")
    assert version() == after_first


def test_unquoted_skills_in_the_last_column_are_kept_whole(college):
    header = "Mã sinh viên,Họ và tên,Kỹ năng\n"
    content = (header + "SV1,An,Python:4, SQL:2, Git\n").encode()
    parsed = imports.parse_file(college, content, "k.csv")
    assert parsed.errors == []
    assert [(s.slug, s.level) for s in parsed.rows[0].skills] == [
        ("python", 4),
        ("sql", 2),
        ("git", 3),
    ]
    shifted = "Mã sinh viên,Kỹ năng,Họ và tên\nSV1,Python, SQL,An\n".encode()
    assert [i.row for i in imports.parse_file(college, shifted, "k.csv").errors] == [2]


def _hostile_xlsx(sheet_data: str, dimension: str = "A1:XFD50001") -> bytes:
    """A real (few KB) workbook written by hand, with a sheet shaped as the attacker likes."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types xmlns="{pkg}/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{pkg}/relationships"><Relationship Id="rId1" '
            f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{ns}" xmlns:r="{rel}"><sheets>'
            '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{pkg}/relationships"><Relationship Id="rId1" '
            f'Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{ns}"><dimension ref="{dimension}"/>'
            f"<sheetData>{sheet_data}</sheetData></worksheet>",
        )
    return out.getvalue()


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


_HEADER_ROW = '<row r="1">' + _inline("A1", "Mã sinh viên") + _inline("B1", "Họ và tên") + "</row>"
_LEARNER_ROW = '<row r="2">' + _inline("A2", "SV1") + _inline("B2", "Nguyễn Văn An") + "</row>"


def test_a_far_cell_under_a_huge_declared_dimension_is_refused_without_padding(college):
    # The probe's file: a declared A1:XFD50001 and one value at XFD50001.
    far = '<row r="50001">' + _inline("XFD50001", "x") + "</row>"
    content = _hostile_xlsx(_HEADER_ROW + _LEARNER_ROW + far)
    assert len(content) < 5 * 1024
    stats = tabular.ReadStats()
    with pytest.raises(ServiceError) as err:
        list(tabular.read_rows(content, "k.xlsx", imports.MAX_WEB_ROWS, stats))
    assert err.value.field == "file" and "XFD" in err.value.message
    assert stats.cells < 20  # the elements the XML holds, nothing padded
    with pytest.raises(ServiceError):
        imports.parse_file(college, content, "k.xlsx")


def test_a_declared_dimension_is_ignored_and_rows_are_not_padded(college):
    content = _hostile_xlsx(_HEADER_ROW + _LEARNER_ROW)
    stats = tabular.ReadStats()
    rows = list(tabular.read_rows(content, "k.xlsx", imports.MAX_WEB_ROWS, stats))
    assert rows == [["Mã sinh viên", "Họ và tên"], ["SV1", "Nguyễn Văn An"]]
    assert stats.cells < 20
    parsed = imports.parse_file(college, content, "k.xlsx")
    assert parsed.errors == [] and len(parsed.rows) == 1


def test_a_lone_row_far_below_stops_at_the_row_limit(college):
    far = '<row r="1000000">' + _inline("A1000000", "SV9") + "</row>"
    content = _hostile_xlsx(_HEADER_ROW + _LEARNER_ROW + far, dimension="A1:B1000000")
    stats = tabular.ReadStats()
    with pytest.raises(ServiceError) as err:
        list(tabular.read_rows(content, "k.xlsx", 100, stats))
    assert "100" in err.value.message
    assert stats.cells < 20  # the gap is never materialised beyond the limit


def test_a_sheet_of_empty_cells_is_stopped_by_the_work_budget(college):
    # 40 columns of empty, styled cells on 100 rows: cheap to send, costly to walk.
    rows = "".join(
        f'<row r="{r}">' + '<c s="0"/>' * 40 + "</row>" for r in range(3, 103)
    )
    content = _hostile_xlsx(_HEADER_ROW + _LEARNER_ROW + rows)
    stats = tabular.ReadStats()
    with pytest.raises(ServiceError) as err:
        list(tabular.read_rows(content, "k.xlsx", 50, stats))
    assert err.value.field == "file"
    assert stats.cells <= 51 * tabular.ELEMENTS_PER_ROW + 1


def test_a_value_beyond_the_column_limit_is_refused_in_csv_too(college):
    header = ",".join(["Mã sinh viên", "Họ và tên", *[""] * 70, "X"])
    with pytest.raises(ServiceError) as err:
        imports.parse_file(college, f"{header}\nSV1,An\n".encode(), "k.csv")
    assert err.value.field == "file"


def test_reloading_a_preview_does_not_decode_the_file_again(college, staff, monkeypatch):
    token = imports.stage_upload(college, staff, cohort_xlsx(cohort_rows(5)), "k.xlsx")
    decoded = []
    real = tabular.read_rows
    monkeypatch.setattr(tabular, "read_rows", lambda *a, **k: decoded.append(1) or real(*a, **k))
    first = imports.preview_upload(college, token)
    second = imports.preview_upload(college, token)
    assert decoded == [1]
    assert len(first.parsed.rows) == len(second.parsed.rows) == 5
    assert imports.commit_upload(college, staff, token).created == 5
    assert decoded == [1]


def test_reloading_the_preview_of_a_refused_file_costs_nothing_again(college, staff, monkeypatch):
    far = '<row r="50001">' + _inline("XFD50001", "x") + "</row>"
    # The header is fine, so the upload is staged; the far cell is met by the preview.
    token = imports.stage_upload(
        college, staff, _hostile_xlsx(_HEADER_ROW + _LEARNER_ROW + far), "k.xlsx"
    )
    decoded = []
    real = tabular.read_rows
    monkeypatch.setattr(tabular, "read_rows", lambda *a, **k: decoded.append(1) or real(*a, **k))
    for _attempt in range(3):
        with pytest.raises(ServiceError):
            imports.preview_upload(college, token)
    assert decoded == [1]


# --- Files saved by Excel on Windows: their encoding is detected, not refused ---

_VI_TEXT = "Mã sinh viên,Họ và tên\nSV001,Nguyễn Thị Hoà\nSV002,Trần Văn Đức\n"


def _names(parsed):
    return [r.values["full_name"] for r in parsed.rows]


def test_a_vietnamese_windows_file_is_read_and_its_names_are_nfc(college):
    content = cp1258(_VI_TEXT)
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")  # the file really is not UTF-8
    assert b"\xde" in content  # Nguyễn's tilde written as a combining mark, as Windows does
    parsed = imports.parse_file(college, content, "k.csv")
    assert parsed.errors == [] and parsed.encoding == "cp1258"
    names = _names(parsed)
    assert names == ["Nguyễn Thị Hoà", "Trần Văn Đức"]
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    assert parsed.headers["full_name"] == "Họ và tên"


def test_a_western_windows_file_is_read(college):
    content = "Student code,Full name\nSV001,Müller Jürgen\nSV002,François Señor\n"
    parsed = imports.parse_file(college, content.encode("cp1252"), "k.csv")
    assert parsed.errors == [] and parsed.encoding == "cp1252"
    assert _names(parsed) == ["Müller Jürgen", "François Señor"]


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        (codecs.BOM_UTF16_LE + _VI_TEXT.encode("utf-16-le"), "utf_16_le"),
        (codecs.BOM_UTF16_BE + _VI_TEXT.encode("utf-16-be"), "utf_16_be"),
        (codecs.BOM_UTF8 + _VI_TEXT.encode(), "utf_8_sig"),
        (_VI_TEXT.encode(), "utf_8"),
        # A Mac's decomposed UTF-8 is stored composed too.
        (unicodedata.normalize("NFD", _VI_TEXT).encode(), "utf_8"),
    ],
)
def test_unicode_files_are_read_and_named(college, content, encoding):
    parsed = imports.parse_file(college, content, "k.csv")
    assert parsed.errors == [] and parsed.encoding == encoding
    assert _names(parsed) == ["Nguyễn Thị Hoà", "Trần Văn Đức"]
    assert parsed.headers["student_code"] == "Mã sinh viên"  # no BOM in the header


def test_the_encoding_is_named_in_both_languages(college):
    parsed = imports.parse_file(college, cp1258(_VI_TEXT), "k.csv")
    with force_locale("vi"):
        assert parsed.encoding_label == "Windows-1258 (tiếng Việt)"
    with force_locale("en"):
        assert parsed.encoding_label == "Windows-1258 (Vietnamese)"
    workbook = imports.parse_file(college, cohort_xlsx(cohort_rows(2)), "k.xlsx")
    assert workbook.encoding is None


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\x01\x02binary\x00data" * 10,
        bytes(range(256)) * 20,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(7, 250)) * 8,
        # A UTF-16 BOM in front of bytes that are no UTF-16 text.
        codecs.BOM_UTF16_LE + b"\x00\xd8\x00\x01\x02\x03" * 20,
    ],
)
def test_binary_junk_is_still_refused_as_not_text(college, content):
    with force_locale("en"), pytest.raises(ServiceError) as err:
        imports.parse_file(college, content, "k.csv")
    assert err.value.field == "file"
    assert "not a CSV text file" in err.value.message


def test_the_same_learners_from_utf8_then_cp1258_change_nothing(college, staff):
    rows = cohort_rows(20)
    text = cohort_csv(rows).decode("utf-8")
    _parsed, first = imports.import_file(college, staff, text.encode(), "k.csv")
    assert first.created == 20
    db.session.expire_all()
    before = {(lr.id, lr.full_name, lr.updated_at) for lr in _learners(college)}
    parsed, again = imports.import_file(college, staff, cp1258(text), "k.csv")
    assert parsed.encoding == "cp1258"
    assert (again.created, again.updated, again.unchanged, again.changes) == (0, 0, 20, 0)
    db.session.expire_all()
    after = {(lr.id, lr.full_name, lr.updated_at) for lr in _learners(college)}
    assert after == before
    assert all(unicodedata.is_normalized("NFC", lr.full_name) for lr in _learners(college))


@pytest.mark.parametrize("name", ["Bùi Thị Thu", "Phạm Đức Anh", "Nguyễn Thị Hoà"])
def test_a_few_short_vietnamese_rows_are_not_taken_for_western(name):
    # Too little text for the detector's statistics alone: a toned vowel decides.
    assert textcodec.decode(cp1258(f"SV1,{name}\n")) == (f"SV1,{name}\n", "cp1258")


def test_a_short_western_row_stays_western():
    assert textcodec.decode("SV1,Müller\n".encode("cp1252")) == ("SV1,Müller\n", "cp1252")
