"""Importing the valid rows of a file with errors, the rejected rows as a file to fix, and
the GPA scale chosen per import."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from factories import cohort_csv, cohort_rows, cohort_xlsx, make_org, make_programme, make_user
from flask_babel import force_locale
from openpyxl import load_workbook

from matchhub.extensions import db
from matchhub.models import AuditEvent, Learner, OrgKind, PendingImport, RejectedRows, Role
from matchhub.services import ServiceError, exports, import_rejects, imports


@pytest.fixture
def college(ctx):
    org = make_org(OrgKind.COLLEGE, code="NDTC")
    make_programme(org, code="CNTT", name="Công nghệ thông tin")
    return org


@pytest.fixture
def staff(college):
    return make_user(Role.COLLEGE, org=college)


def _count(college) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Learner.id)).where(Learner.college_id == college.id)
    )


def _gpas(college) -> dict[str, Decimal | None]:
    return dict(
        db.session.execute(
            sa.select(Learner.student_code, Learner.gpa).where(Learner.college_id == college.id)
        ).all()
    )


def _bad_rows():
    """Ten rows, three of them with errors (spreadsheet rows 3, 6 and 9)."""
    rows = cohort_rows(10)
    rows[1][3] = "khong-phai-email"
    rows[4][7] = "12"  # GPA out of range on the 4-point scale
    rows[7][5] = "Ngành lạ"  # unknown programme
    return rows


def _csv_table(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


# --- Importing the valid rows, on request ---


def test_rows_with_errors_refuse_the_commit_unless_the_college_skips_them(college, staff):
    token = imports.stage_upload(college, staff, cohort_csv(_bad_rows()), "k.csv")
    with pytest.raises(ServiceError):
        imports.commit_upload(college, staff, token)
    assert _count(college) == 0
    preview = imports.preview_upload(college, token)
    assert not preview.can_commit and preview.can_skip
    assert preview.parsed.valid_count == 7 and len(preview.parsed.rejected) == 3
    result = imports.commit_upload(college, staff, token, skip_invalid=True)
    assert (result.created, result.skipped) == (7, 3)
    assert result.rejects
    codes = set(_gpas(college))
    assert codes == {f"SV{i:05d}" for i in (1, 3, 4, 6, 7, 9, 10)}
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "learners.imported")
    ).one()
    assert event.detail["skipped"] == 3
    assert db.session.scalar(sa.select(sa.func.count(PendingImport.id))) == 0


def test_skipping_is_idempotent_and_the_fixed_rejected_file_imports_the_rest(college, staff):
    content = cohort_csv(_bad_rows())
    first = imports.commit_upload(
        college, staff, imports.stage_upload(college, staff, content, "k.csv"), skip_invalid=True
    )
    again = imports.commit_upload(
        college, staff, imports.stage_upload(college, staff, content, "k.csv"), skip_invalid=True
    )
    assert first.created == 7
    assert (again.changes, again.unchanged, again.skipped) == (0, 7, 3)
    assert _count(college) == 7

    rejected = imports.stored_rejects(college, first.rejects)
    headers = [*rejected.headers, "Lý do bị từ chối"]  # as the view writes it
    body, _mimetype = exports.table_file("csv", headers, rejected.rows, "x")
    table = _csv_table(body)
    table[1][3] = "sv2@example.vn"  # the college fixes each row where it says why
    table[2][7] = "3.5"
    table[3][5] = "CNTT"
    fixed = io.StringIO()
    csv.writer(fixed).writerows(table)
    token = imports.stage_upload(college, staff, fixed.getvalue().encode(), "k-fixed.csv")
    preview = imports.preview_upload(college, token)
    # The reason column is known and ignored: no warning about an unknown column.
    assert preview.parsed.errors == [] and preview.parsed.file_issues == []
    result = imports.commit_upload(college, staff, token)
    assert (result.created, result.skipped) == (3, 0)
    assert _count(college) == 10
    assert _gpas(college)["SV00005"] == Decimal("3.50")


def test_the_rejected_rows_keep_the_files_columns_as_written_and_say_why(college, staff):
    rows = _bad_rows()
    rows[1][1] = "@Nguyễn An"  # formula-like: stays text in the download
    rows[4][7] = 12  # a number cell
    token = imports.stage_upload(college, staff, cohort_xlsx(rows), "khoá 2026.xlsx")
    with force_locale("vi"):
        rejected = imports.rejected_rows(college, token)
    assert rejected.headers == [
        "Mã sinh viên", "Họ và tên", "Ngày sinh", "Email", "Số điện thoại",
        "Chương trình đào tạo", "Năm tốt nghiệp", "Điểm trung bình", "Kỹ năng",
    ]  # fmt: skip
    assert rejected.filename == "khoá 2026.xlsx"
    assert all(len(r) == len(rejected.headers) + 1 for r in rejected.rows)  # the reason last
    assert [r[0] for r in rejected.rows] == ["SV00002", "SV00005", "SV00008"]
    assert rejected.rows[0][3] == "khong-phai-email"
    assert rejected.rows[1][7] == 12  # a number stays a number, as the workbook held it
    assert rejected.rows[0][-1].startswith("Email: ")
    assert "thang điểm 4" in rejected.rows[1][-1]
    assert "Ngành lạ" in rejected.rows[2][-1]
    body, _mimetype = exports.table_file("xlsx", [*rejected.headers, "?"], rejected.rows, "x")
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet["B2"].value == "@Nguyễn An" and sheet["B2"].quotePrefix
    csv_body, _mimetype = exports.table_file("csv", [*rejected.headers, "?"], rejected.rows, "x")
    assert _csv_table(csv_body)[1][1] == "'@Nguyễn An"


def test_nothing_is_written_when_no_row_is_valid_or_the_file_has_no_row(college, staff):
    rows = cohort_rows(2)
    rows[0][3] = rows[1][3] = "sai"
    token = imports.stage_upload(college, staff, cohort_csv(rows), "k.csv")
    assert not imports.preview_upload(college, token).can_skip
    with pytest.raises(ServiceError):
        imports.commit_upload(college, staff, token, skip_invalid=True)
    empty = imports.stage_upload(college, staff, cohort_csv([]), "k.csv")
    with pytest.raises(ServiceError):
        imports.commit_upload(college, staff, empty, skip_invalid=True)
    assert _count(college) == 0
    assert db.session.scalar(sa.select(sa.func.count(RejectedRows.id))) == 0


def test_a_commit_without_errors_keeps_no_rejected_rows(college, staff):
    token = imports.stage_upload(college, staff, cohort_csv(cohort_rows(3)), "k.csv")
    result = imports.commit_upload(college, staff, token, skip_invalid=True)
    assert (result.created, result.skipped, result.rejects) == (3, 0, None)
    assert db.session.scalar(sa.select(sa.func.count(RejectedRows.id))) == 0


def test_rejected_rows_are_only_the_importing_colleges_and_expire(college, staff):
    other = make_org(OrgKind.COLLEGE, code="KHAC")
    token = imports.stage_upload(college, staff, cohort_csv(_bad_rows()), "k.csv")
    with pytest.raises(ServiceError):
        imports.rejected_rows(other, token)
    result = imports.commit_upload(college, staff, token, skip_invalid=True)
    with pytest.raises(ServiceError):
        imports.stored_rejects(other, result.rejects)
    assert len(imports.stored_rejects(college, result.rejects).rows) == 3
    kept = db.session.scalars(sa.select(RejectedRows)).one()
    kept.created_at -= import_rejects.REJECTS_TTL + timedelta(minutes=1)
    db.session.commit()
    with pytest.raises(ServiceError):
        imports.stored_rejects(college, result.rejects)
    imports.stage_upload(college, staff, cohort_csv(cohort_rows(1)), "k.csv")  # purges
    assert db.session.scalar(sa.select(sa.func.count(RejectedRows.id))) == 0


def test_cells_past_the_header_and_control_characters_survive_the_download(college, staff):
    content = (
        "Mã sinh viên,Họ và tên,Email\n"
        "SV1,An,an@example.vn\n"
        "SV2,Bình,sai,thừa\n"  # one cell more than the header: an error, the cell kept
    ).encode()
    parsed = imports.parse_file(college, content, "k.csv")
    rejected = import_rejects.table(parsed)
    assert rejected.headers == ["Mã sinh viên", "Họ và tên", "Email", ""]
    assert rejected.rows[0][:4] == ["SV2", "Bình", "sai", "thừa"]
    assert import_rejects._cell("a\x01b\x00") == "ab"


# --- The GPA scale ---


def test_a_10_point_gpa_is_checked_on_that_scale_and_kept_out_of_4(college, staff):
    rows = cohort_rows(4)
    rows[0][7] = "8"
    rows[1][7] = "7,33"
    rows[2][7] = "10"
    rows[3][7] = "10.5"  # out of range on the 10-point scale
    parsed = imports.parse_file(college, cohort_csv(rows), "k.csv", gpa_scale=10)
    assert [r.values.get("gpa") for r in parsed.rows] == [
        Decimal("3.20"), Decimal("2.93"), Decimal("4.00"), None,
    ]  # fmt: skip
    assert [r.gpa_written for r in parsed.rows[:2]] == [Decimal("8.00"), Decimal("7.33")]
    assert [(i.row, i.column) for i in parsed.errors] == [(5, "Điểm trung bình")]
    assert "10" in parsed.errors[0].message
    assert parsed.gpa_scale == 10


def test_a_4_point_file_refuses_10_point_values(college):
    rows = cohort_rows(2)
    rows[0][7] = "4.01"
    rows[1][7] = "4"
    parsed = imports.parse_file(college, cohort_csv(rows), "k.csv", gpa_scale=4)
    assert [i.row for i in parsed.errors] == [2]
    assert parsed.rows[1].values["gpa"] == Decimal("4.00")


def test_a_nul_in_a_csv_refuses_the_file(college):
    rows = cohort_rows(1)
    rows[0][7] = "8\x00"
    with pytest.raises(ServiceError):
        imports.parse_file(college, cohort_csv(rows), "k.csv", gpa_scale=10)


@pytest.mark.parametrize("value", ["1e999999", "9" * 5000, "NaN", "sNaN", "-inf", "-0.01", "１０"])
def test_hostile_gpa_values_are_row_errors(college, value):
    rows = cohort_rows(1)
    rows[0][7] = value
    parsed = imports.parse_file(college, cohort_csv(rows), "k.csv", gpa_scale=10)
    if value == "１０":  # full-width digits: Decimal reads them as 10
        assert parsed.rows[0].values["gpa"] == Decimal("4.00")
        return
    assert [(i.row, i.column) for i in parsed.errors] == [(2, "Điểm trung bình")]


def test_a_10_point_file_that_looks_4_point_is_warned(college):
    parsed = imports.parse_file(college, cohort_csv(cohort_rows(5)), "k.csv", gpa_scale=10)
    assert parsed.errors == []
    assert [(i.row, i.error) for i in parsed.file_issues] == [(1, False)]
    assert imports.preview_upload  # the warning does not refuse the commit
    same = imports.parse_file(college, cohort_csv(cohort_rows(5)), "k.csv", gpa_scale=4)
    assert same.file_issues == []


def test_the_scale_is_kept_with_the_upload_and_reimporting_changes_nothing(college, staff):
    rows = cohort_rows(3)
    for i, row in enumerate(rows):
        row[7] = f"{7 + i}.5"
    content = cohort_xlsx(rows)
    token = imports.stage_upload(college, staff, content, "k.xlsx", gpa_scale=10)
    assert imports.preview_upload(college, token).parsed.gpa_scale == 10
    assert imports.commit_upload(college, staff, token).created == 3
    assert sorted(_gpas(college).values()) == [Decimal("3.00"), Decimal("3.40"), Decimal("3.80")]
    again = imports.stage_upload(college, staff, content, "k.xlsx", gpa_scale=10)
    assert imports.commit_upload(college, staff, again).changes == 0


@pytest.mark.parametrize("scale", [7, 0, -4, 10**30])
def test_a_scale_other_than_4_or_10_is_refused(college, staff, scale):
    with pytest.raises(ServiceError):
        imports.stage_upload(college, staff, cohort_csv(cohort_rows(1)), "k.csv", gpa_scale=scale)
    assert db.session.scalar(sa.select(sa.func.count(PendingImport.id))) == 0


def test_a_file_without_a_gpa_column_imports_on_either_scale(college, staff):
    content = "Mã sinh viên,Họ và tên\nSV1,Nguyễn An\n".encode()
    token = imports.stage_upload(college, staff, content, "k.csv", gpa_scale=10)
    preview = imports.preview_upload(college, token)
    assert preview.parsed.errors == [] and preview.parsed.file_issues == []
    assert imports.commit_upload(college, staff, token).created == 1
    assert _gpas(college) == {"SV1": None}


def test_the_cli_takes_the_scale_and_can_skip_invalid_rows(app, college, tmp_path):
    path = tmp_path / "k.csv"
    rows = cohort_rows(3)
    rows[0][7] = "9"
    rows[2][3] = "sai"
    path.write_bytes(cohort_csv(rows))
    runner = app.test_cli_runner()
    args = ["import-learners", str(path), "--college", "NDTC", "--gpa-scale", "10"]
    refused = runner.invoke(args=args)
    assert refused.exit_code != 0 and _count(college) == 0
    done = runner.invoke(args=[*args, "--skip-invalid"])
    assert done.exit_code == 0, done.output
    assert "2 new" in done.output and "1 row(s) with errors skipped" in done.output
    assert _gpas(college)["SV00001"] == Decimal("3.60")
    assert runner.invoke(args=[*args[:-1], "7"]).exit_code != 0


def test_the_import_job_skips_the_rejected_rows_when_asked(college, staff):
    from matchhub.services import import_jobs

    token = imports.stage_upload(college, staff, cohort_csv(_bad_rows()), "k.csv")
    refused = import_jobs.commit_job(college.id, staff.id, token, "never")
    assert "error" in refused and _count(college) == 0
    done = import_jobs.commit_job(college.id, staff.id, token, "never", True)
    assert (done["created"], done["skipped"]) == (7, 3)
    assert len(imports.stored_rejects(college, done["rejects"]).rows) == 3


def test_a_column_not_known_is_a_warning_that_does_not_refuse_the_file(college, staff):
    content = "Mã sinh viên,Họ và tên,Ghi chú\nSV1,Nguyễn An,lớp trưởng\n".encode()
    token = imports.stage_upload(college, staff, content, "k.csv")
    preview = imports.preview_upload(college, token)
    assert [i.error for i in preview.parsed.file_issues] == [False]
    assert preview.parsed.errors == [] and preview.can_commit
    assert imports.commit_upload(college, staff, token).created == 1


@pytest.mark.parametrize("header", ["Why rejected", "Lý do bị từ chối", "LÝ DO BỊ TỪ CHỐI"])
def test_the_reason_column_is_ignored_in_either_language(college, header):
    content = f"Mã sinh viên,Họ và tên,{header}\nSV1,Nguyễn An,Email: sai\n".encode()
    parsed = imports.parse_file(college, content, "k.csv")
    assert parsed.errors == [] and parsed.file_issues == []
    assert parsed.columns == ["student_code", "full_name"]
