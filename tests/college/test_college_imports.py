"""The import through the web: upload, preview with per-cell errors, commit, re-import."""

import codecs
import io
import re
import unicodedata

import sqlalchemy as sa
from conftest import csrf_token
from factories import (
    cohort_csv,
    cohort_rows,
    cohort_xlsx,
    cp1258,
    make_org,
    make_programme,
    make_user,
)
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from matchhub.extensions import db
from matchhub.models import Learner, OrgKind, PendingImport, Role


def _college_user(code="NDTC"):
    college = make_org(OrgKind.COLLEGE, code=code)
    make_programme(college, code="CNTT")
    return college, make_user(Role.COLLEGE, org=college)


def _upload(client, content: bytes, name: str):
    token = csrf_token(client, "/college/imports")
    return client.post(
        "/college/imports",
        data={"csrf_token": token, "file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def _token(response) -> str:
    match = re.search(r"/college/imports/([A-Za-z0-9_-]+)$", response.headers["Location"])
    assert match, response.headers.get("Location")
    return match.group(1)


def _commit(client, token: str):
    form = f"/college/imports/{token}"
    return client.post(
        f"{form}/commit", data={"csrf_token": csrf_token(client, form)}, follow_redirects=True
    )


def test_upload_preview_commit_and_reimport(client, ctx, login):
    _college, user = _college_user()
    login(user.email)
    content = cohort_xlsx(cohort_rows(30))
    response = _upload(client, content, "khoa-2026.xlsx")
    assert response.status_code == 302
    token = _token(response)
    preview = client.get(f"/college/imports/{token}").get_data(as_text=True)
    assert 'data-rows="30"' in preview and 'data-errors="0"' in preview
    assert 'data-created="30"' in preview
    assert db.session.scalar(sa.select(sa.func.count(Learner.id))) == 0  # nothing written yet
    done = _commit(client, token).get_data(as_text=True)
    assert 'data-created="30"' in done
    assert db.session.scalar(sa.select(sa.func.count(Learner.id))) == 30
    assert db.session.scalar(sa.select(sa.func.count(PendingImport.id))) == 0

    again = _token(_upload(client, content, "khoa-2026.xlsx"))
    preview = client.get(f"/college/imports/{again}").get_data(as_text=True)
    assert 'data-changes="0"' in preview and 'id="no-changes"' in preview
    done = _commit(client, again).get_data(as_text=True)
    assert 'data-changes="0"' in done
    assert db.session.scalar(sa.select(sa.func.count(Learner.id))) == 30


def test_preview_lists_each_error_with_row_and_column_and_refuses_commit(client, ctx, login):
    _college, user = _college_user()
    login(user.email)
    rows = cohort_rows(10)
    rows[1][3] = "sai@"
    rows[6][7] = "-1"
    token = _token(_upload(client, cohort_csv(rows), "k.csv"))
    page = client.get(f"/college/imports/{token}").get_data(as_text=True)
    errors = set(re.findall(r'<tr data-row="(\d+)" data-column="([^"]+)">', page))
    assert errors == {("3", "Email"), ("8", "Điểm trung bình")}
    assert 'id="import-commit"' not in page
    response = _commit(client, token)
    assert db.session.scalar(sa.select(sa.func.count(Learner.id))) == 0
    assert response.status_code == 200


def test_unreadable_file_is_refused_on_the_upload_form(client, ctx, login):
    _college, user = _college_user()
    login(user.email)
    response = _upload(client, b"not a workbook", "k.xlsx")
    assert response.status_code == 200
    assert 'id="file-errors"' in response.get_data(as_text=True)
    assert 'invalid-feedback d-block">' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(PendingImport.id))) == 0


def test_upload_over_the_size_limit_gets_413(app, client, ctx, login):
    _college, user = _college_user()
    login(user.email)
    big = b"a" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    token = csrf_token(client, "/college/imports")
    # Encoded in memory: the test client would spool a body this big to an unclosed temp file.
    boundary, body = encode_multipart(
        {"csrf_token": token, "file": FileStorage(io.BytesIO(big), "k.csv")}
    )
    response = client.post(
        "/college/imports", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 413


def test_another_college_cannot_preview_or_commit_my_upload(client, ctx, login):
    _college, user = _college_user("A")
    _other, intruder = _college_user("B")
    login(user.email)
    token = _token(_upload(client, cohort_csv(cohort_rows(3)), "k.csv"))
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/college/")})
    login(intruder.email)
    preview = client.get(f"/college/imports/{token}")
    assert preview.status_code == 302  # refused: back to the upload page
    client.post(
        f"/college/imports/{token}/commit",
        data={"csrf_token": csrf_token(client, "/college/imports")},
    )
    assert db.session.scalar(sa.select(sa.func.count(Learner.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(PendingImport.id))) == 1  # still A's


def test_templates_in_both_languages(client, ctx, login):
    _college, user = _college_user()
    login(user.email)
    vi = client.get("/college/imports/template.csv?lang=vi")
    assert vi.status_code == 200 and vi.data.startswith("\ufeff".encode())
    assert "Mã sinh viên" in vi.get_data(as_text=True)
    en = client.get("/college/imports/template.xlsx?lang=en")
    assert en.status_code == 200 and en.data[:2] == b"PK"
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(en.data), read_only=True).worksheets[0]
    header = next(sheet.iter_rows(values_only=True))
    assert header[0] == "Student code"
    # the template, filled in as it comes, imports cleanly
    assert _upload(client, en.data, "template.xlsx").status_code == 302


def test_cli_imports_a_file_into_a_college(app, ctx, tmp_path):
    college, _user = _college_user("NDTC")
    path = tmp_path / "khoa.csv"
    path.write_bytes(cohort_csv(cohort_rows(12), delimiter=";", bom=True))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import-learners", str(path), "--college", "NDTC"])
    assert result.exit_code == 0, result.output
    assert "12 new" in result.output
    again = runner.invoke(args=["import-learners", str(path), "--college", "NDTC"])
    assert "0 changes" in again.output
    assert db.session.scalar(sa.select(sa.func.count(Learner.id))) == 12
    bad = tmp_path / "bad.csv"
    rows = cohort_rows(2)
    rows[0][3] = "x"
    bad.write_bytes(cohort_csv(rows))
    failed = runner.invoke(args=["import-learners", str(bad), "--college", "NDTC"])
    assert failed.exit_code != 0 and "row 2" in failed.output
    unknown = runner.invoke(args=["import-learners", str(path), "--college", "NOPE"])
    assert unknown.exit_code != 0
    assert college.id


def test_preview_of_a_file_without_optional_columns(client, ctx, login):
    # A training office's first export often has only the two required columns.
    _college, user = _college_user()
    login(user.email)
    content = "Mã sinh viên,Họ và tên\nSV001,Nguyễn Văn An\nSV002,Trần Thị Bình\n".encode()
    token = _token(_upload(client, content, "toi-thieu.csv"))
    response = client.get(f"/college/imports/{token}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'data-rows="2"' in page and 'data-errors="0"' in page
    assert "Nguyễn Văn An" in page


def test_a_file_over_the_size_limit_stays_on_the_import_screen(
    app, client, ctx, login, monkeypatch
):
    _college, user = _college_user()
    login(user.email)
    # The app is shared by the session: the limit must come back for the next tests.
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 200 * 1024)
    response = _upload(client, b"x" * (300 * 1024), "lon.csv")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert 'id="upload-submit"' in page  # the upload form, not a bare error page
    assert "0,2 MB" in page  # the limit, in the page's (Vietnamese) number format


def _discard(client, token: str):
    return client.post(
        f"/college/imports/{token}/discard",
        data={"csrf_token": csrf_token(client, "/college/imports")},
    )


def test_discarding_another_colleges_upload_is_a_404_and_keeps_it(client, ctx, login):
    _college, user = _college_user("A")
    _other, intruder = _college_user("B")
    login(user.email)
    token = _token(_upload(client, cohort_csv(cohort_rows(3)), "k.csv"))
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/college/")})
    login(intruder.email)
    response = _discard(client, token)
    assert response.status_code == 404  # not "discarded" while doing nothing
    assert db.session.scalar(sa.select(sa.func.count(PendingImport.id))) == 1
    assert _discard(client, "no-such-token").status_code == 404


def test_discarding_my_own_upload_removes_it(client, ctx, login):
    _college, user = _college_user()
    login(user.email)
    token = _token(_upload(client, cohort_csv(cohort_rows(3)), "k.csv"))
    response = _discard(client, token)
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(PendingImport.id))) == 0


def test_an_unverified_college_imports_but_its_invitations_wait(client, ctx, login, inbox):
    from matchhub.models import User, VerificationState
    from matchhub.services import orgs

    college = make_org(OrgKind.COLLEGE, code="NEW", state=VerificationState.PENDING)
    make_programme(college, code="CNTT")
    user = make_user(Role.COLLEGE, org=college)
    login(user.email)
    page = client.get("/college/imports").get_data(as_text=True)
    assert 'id="invitations-held"' in page
    token = _token(_upload(client, cohort_csv(cohort_rows(3)), "k.csv"))
    done = _commit(client, token).get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Learner.id))) == 3  # prepared
    assert 'id="invitations-held-result"' in done
    assert 'id="invitations-held-count"' in done
    assert inbox.messages == []  # none sent

    admin = make_user(Role.ADMIN)
    orgs.verify_organization(db.session.get(type(college), college.id), admin)
    invited = [m for m in inbox.messages if "/auth/claim/" in m.get_body().get_content()]
    assert len(invited) == 3  # every imported learner with an email, once verified
    assert db.session.get(User, user.id) is not None
    page = client.get("/college/imports").get_data(as_text=True)
    assert 'id="invitations-held"' not in page
    assert 'id="invitations-sent"' in page


def test_a_vietnamese_windows_csv_is_previewed_with_its_encoding_named(client, ctx, login):
    _college, user = _college_user()
    login(user.email)
    form = client.get("/college/imports").get_data(as_text=True)
    assert "CSV (UTF-8, UTF-16 hoặc Windows-1258/1252" in form  # the form says what is read
    text = "Mã sinh viên,Họ và tên\nSV001,Nguyễn Thị Hoà\nSV002,Trần Văn Đức\n"
    response = _upload(client, cp1258(text), "windows.csv")
    assert response.status_code == 302
    token = _token(response)
    page = client.get(f"/college/imports/{token}").get_data(as_text=True)
    assert 'data-rows="2"' in page and 'data-errors="0"' in page
    assert "Bảng mã: Windows-1258 (tiếng Việt)" in page
    assert "Nguyễn Thị Hoà" in page  # composed, as the page and the database keep it
    client.post("/language/en", data={"csrf_token": csrf_token(client, "/")})
    page = client.get(f"/college/imports/{token}").get_data(as_text=True)
    assert "Encoding: Windows-1258 (Vietnamese)" in page
    _commit(client, token)
    names = set(db.session.scalars(sa.select(Learner.full_name)))
    assert names == {"Nguyễn Thị Hoà", "Trần Văn Đức"}
    assert all(unicodedata.is_normalized("NFC", n) for n in names)


def test_every_csv_preview_names_its_encoding(client, ctx, login):
    _college, user = _college_user()
    login(user.email)
    text = "Mã sinh viên,Họ và tên\nSV001,Nguyễn Văn An\n"
    for content, label in [
        (text.encode(), "Bảng mã: UTF-8<"),
        (codecs.BOM_UTF8 + text.encode(), "Bảng mã: UTF-8 (có BOM)"),
        (codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "Bảng mã: UTF-16 LE (có BOM)"),
        ("Student code,Full name\nSV9,Müller\n".encode("cp1252"), "Bảng mã: Windows-1252 (Tây Âu)"),
    ]:
        token = _token(_upload(client, content, "k.csv"))
        page = client.get(f"/college/imports/{token}").get_data(as_text=True)
        assert 'data-errors="0"' in page and label in page, label


def test_the_same_learners_in_cp1258_after_utf8_are_0_changes(client, ctx, login):
    _college, user = _college_user()
    login(user.email)
    text = cohort_csv(cohort_rows(10)).decode("utf-8")
    _commit(client, _token(_upload(client, text.encode(), "k.csv")))
    assert db.session.scalar(sa.select(sa.func.count(Learner.id))) == 10
    again = _token(_upload(client, cp1258(text), "k.csv"))
    page = client.get(f"/college/imports/{again}").get_data(as_text=True)
    assert "Windows-1258" in page
    assert 'data-changes="0"' in page and 'id="no-changes"' in page
    assert 'data-changes="0"' in _commit(client, again).get_data(as_text=True)


def test_a_binary_csv_is_still_refused_on_the_upload_form(client, ctx, login):
    _college, user = _college_user()
    login(user.email)
    response = _upload(client, bytes(range(256)) * 20, "k.csv")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="file-errors"' in page and "Tệp này không phải tệp văn bản CSV" in page
    assert db.session.scalar(sa.select(sa.func.count(PendingImport.id))) == 0
