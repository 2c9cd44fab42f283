"""The import pages and API: import the valid rows and download the rejected ones; the GPA
scale on the upload form."""

import csv
import io
import re
from decimal import Decimal

import pytest
import sqlalchemy as sa
from apiclient import call, token_for
from conftest import csrf_token
from factories import cohort_csv, cohort_rows, cohort_xlsx, make_org, make_programme, make_user
from openpyxl import load_workbook

from matchhub.api.spec import spec
from matchhub.extensions import db
from matchhub.models import Learner, OrgKind, PendingImport, RejectedRows, Role


def _college_user(code="NDTC"):
    college = make_org(OrgKind.COLLEGE, code=code)
    make_programme(college, code="CNTT")
    return college, make_user(Role.COLLEGE, org=college)


def _upload(client, content: bytes, name: str, **fields):
    token = csrf_token(client, "/college/imports")
    return client.post(
        "/college/imports",
        data={"csrf_token": token, "file": (io.BytesIO(content), name), **fields},
        content_type="multipart/form-data",
    )


def _token(response) -> str:
    match = re.search(r"/college/imports/([A-Za-z0-9_-]+)$", response.headers["Location"])
    assert match, response.headers.get("Location")
    return match.group(1)


def _commit(client, token: str, **fields):
    form = f"/college/imports/{token}"
    return client.post(
        f"{form}/commit",
        data={"csrf_token": csrf_token(client, form), **fields},
        follow_redirects=True,
    )


def _learners() -> int:
    return db.session.scalar(sa.select(sa.func.count(Learner.id)))


def _bad_rows():
    rows = cohort_rows(6)
    rows[1][3] = "khong-phai-email"  # row 3
    rows[4][7] = "12"  # row 6
    return rows


def _csv(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _log_out(client):
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/college/")})


# --- Import the valid rows, download the rejected ones ---


def test_the_preview_offers_to_skip_the_rejected_rows_and_the_result_to_download_them(
    client, ctx, login
):
    _college, user = _college_user()
    login(user.email)
    token = _token(_upload(client, cohort_csv(_bad_rows()), "khoa.csv"))
    page = client.get(f"/college/imports/{token}").get_data(as_text=True)
    assert 'id="import-commit"' not in page
    button = re.search(r'<button[^>]*id="import-skip-invalid"[^>]*>([^<]*)</button>', page)
    assert button and 'data-valid="4"' in button.group(0) and 'data-rejected="2"' in button.group(0)
    assert "Nhập 4 dòng hợp lệ và bỏ qua 2 dòng bị từ chối" in button.group(1)
    assert f"/college/imports/{token}/rejected.xlsx" in page

    # Without the explicit choice, the commit is still refused.
    refused = _commit(client, token)
    assert refused.status_code == 200 and _learners() == 0

    done = _commit(client, token, skip_invalid="y").get_data(as_text=True)
    assert 'data-created="4"' in done and 'data-skipped="2"' in done
    assert _learners() == 4
    links = re.findall(r'href="(/college/imports/rejected/[A-Za-z0-9_-]+\.(csv|xlsx))"', done)
    assert {fmt for _href, fmt in links} == {"csv", "xlsx"}
    csv_url = next(href for href, fmt in links if fmt == "csv")
    xlsx_url = next(href for href, fmt in links if fmt == "xlsx")

    response = client.get(csv_url)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    table = _csv(response.data)
    assert table[0][-1] == "Lý do bị từ chối" and table[0][0] == "Mã sinh viên"
    assert [r[0] for r in table[1:]] == ["SV00002", "SV00005"]
    assert "email" in table[1][-1] and "12" in table[2][-1]

    workbook = load_workbook(io.BytesIO(client.get(xlsx_url).data))
    values = [[c.value for c in row] for row in workbook.active.iter_rows()]
    assert values[0][-1] == "Lý do bị từ chối"
    assert [r[0] for r in values[1:]] == ["SV00002", "SV00005"]

    # Fixed and uploaded again, the rejected rows import.
    table[1][3], table[2][7] = "sv2@example.vn", "3.9"
    fixed = io.StringIO()
    csv.writer(fixed).writerows(table)
    again = _token(_upload(client, fixed.getvalue().encode(), "khoa-sua.csv"))
    assert 'data-created="2"' in client.get(f"/college/imports/{again}").get_data(as_text=True)
    assert 'data-created="2"' in _commit(client, again).get_data(as_text=True)
    assert _learners() == 6


def test_reimporting_with_skip_changes_nothing(client, ctx, login):
    _college, user = _college_user()
    login(user.email)
    content = cohort_xlsx(_bad_rows())
    _commit(client, _token(_upload(client, content, "k.xlsx")), skip_invalid="y")
    page = _commit(client, _token(_upload(client, content, "k.xlsx")), skip_invalid="y")
    assert 'data-changes="0"' in page.get_data(as_text=True)
    assert _learners() == 4


def test_the_rejected_rows_download_before_the_commit(client, ctx, login):
    _college, user = _college_user()
    login(user.email)
    token = _token(_upload(client, cohort_csv(_bad_rows()), "khoá.csv"))
    response = client.get(f"/college/imports/{token}/rejected.csv")
    assert response.status_code == 200
    assert "filename*=UTF-8''kho%C3%A1-bi-tu-choi.csv" in response.headers["Content-Disposition"]
    assert [r[0] for r in _csv(response.data)[1:]] == ["SV00002", "SV00005"]
    assert _learners() == 0 and db.session.scalar(sa.select(sa.func.count(PendingImport.id))) == 1
    assert client.get(f"/college/imports/{token}/rejected.pdf").status_code == 404


def test_another_college_cannot_download_my_rejected_rows(client, ctx, login):
    _college, user = _college_user("A")
    _other, intruder = _college_user("B")
    login(user.email)
    token = _token(_upload(client, cohort_csv(_bad_rows()), "k.csv"))
    before = f"/college/imports/{token}/rejected.csv"
    _commit(client, token, skip_invalid="y")
    kept = db.session.scalars(sa.select(RejectedRows)).one()
    after = f"/college/imports/rejected/{kept.token}.csv"
    assert client.get(after).status_code == 200
    staged = _token(_upload(client, cohort_csv(_bad_rows()), "k.csv"))
    _log_out(client)

    login(intruder.email)
    for url in (after, f"/college/imports/{staged}/rejected.xlsx", before):
        assert client.get(url).status_code == 404, url
    _log_out(client)
    assert client.get(after).status_code in (302, 401)  # signed out: to the login page
    enterprise = make_user(Role.ENTERPRISE, org=make_org())
    login(enterprise.email)
    assert client.get(after).status_code in (403, 404)


# --- The GPA scale ---


def test_a_10_point_file_is_previewed_on_its_scale_and_stored_out_of_4(client, ctx, login):
    _college, user = _college_user()
    login(user.email)
    page = client.get("/college/imports").get_data(as_text=True)
    assert 'name="gpa_scale" type="radio" value="10"' in page
    rows = cohort_rows(2)
    rows[0][7], rows[1][7] = "8", "9,5"
    token = _token(_upload(client, cohort_csv(rows), "k.csv", gpa_scale="10"))
    preview = client.get(f"/college/imports/{token}").get_data(as_text=True)
    assert 'id="import-gpa-scale" data-scale="10"' in preview
    assert "3,20" in preview and "8,00 trên thang 10" in preview
    _commit(client, token)
    gpas = db.session.scalars(sa.select(Learner.gpa).order_by(Learner.student_code)).all()
    assert gpas == [Decimal("3.20"), Decimal("3.80")]


def test_the_default_scale_is_4_and_shown_on_the_preview(client, ctx, login):
    _college, user = _college_user()
    login(user.email)
    token = _token(_upload(client, cohort_csv(cohort_rows(2)), "k.csv"))
    assert 'data-scale="4"' in client.get(f"/college/imports/{token}").get_data(as_text=True)


@pytest.mark.parametrize("value", ["7", "", "1" * 5000, "-4", "4.0", "１０"])
def test_a_scale_other_than_4_or_10_is_a_form_error(client, ctx, login, value):
    _college, user = _college_user()
    login(user.email)
    response = _upload(client, cohort_csv(cohort_rows(1)), "k.csv", gpa_scale=value)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "invalid-feedback d-block" in page and 'id="upload-submit"' in page
    assert db.session.scalar(sa.select(sa.func.count(PendingImport.id))) == 0


@pytest.mark.parametrize("value", ["\x00", "4\x00"])
def test_a_nul_in_the_scale_is_a_400(client, ctx, login, value):
    _college, user = _college_user()
    login(user.email)
    response = _upload(client, cohort_csv(cohort_rows(1)), "k.csv", gpa_scale=value)
    assert response.status_code == 400  # refused for every form (matchhub.security)
    assert db.session.scalar(sa.select(sa.func.count(PendingImport.id))) == 0


def test_a_repeated_scale_takes_the_first(client, ctx, login):
    _college, user = _college_user()
    login(user.email)
    rows = cohort_rows(1)
    rows[0][7] = "9"
    response = _upload(client, cohort_csv(rows), "k.csv", gpa_scale=["10", "4"])
    token = _token(response)
    assert db.session.scalars(sa.select(PendingImport.gpa_scale)).one() == 10
    assert 'data-errors="0"' in client.get(f"/college/imports/{token}").get_data(as_text=True)


def test_a_file_without_a_gpa_column_previews_and_imports(client, ctx, login):
    _college, user = _college_user()
    login(user.email)
    content = "Mã sinh viên,Họ và tên\nSV1,Nguyễn An\n".encode()
    token = _token(_upload(client, content, "k.csv", gpa_scale="10"))
    preview = client.get(f"/college/imports/{token}")
    assert preview.status_code == 200 and 'id="import-gpa-scale"' not in preview.get_data(
        as_text=True
    )
    assert 'data-created="1"' in _commit(client, token).get_data(as_text=True)


# --- The API ---


def _api_upload(client, token, content: bytes, query=""):
    return call(
        client,
        "POST",
        f"/api/v1/imports{query}",
        token,
        data={"file": (io.BytesIO(content), "k.csv")},
        content_type="multipart/form-data",
    )


def test_the_api_commits_the_valid_rows_on_request(client, ctx):
    _college, user = _college_user()
    token = token_for(user, scopes=("read", "write"))
    preview = _api_upload(client, token, cohort_csv(_bad_rows())).get_json()
    assert (preview["can_commit"], preview["can_skip"]) == (False, True)
    assert (preview["valid_rows"], preview["rejected_rows"], preview["gpa_scale"]) == (4, 2, 4)
    url = f"/api/v1/imports/{preview['id']}/commit"
    assert call(client, "POST", url, token).status_code == 409
    assert call(client, "POST", f"{url}?skip_invalid=maybe", token).status_code == 400
    done = call(client, "POST", f"{url}?skip_invalid=true", token)
    assert done.status_code == 200
    assert (done.get_json()["created"], done.get_json()["skipped"]) == (4, 2)
    assert _learners() == 4


def test_the_api_reads_gpa_on_the_chosen_scale(client, ctx):
    _college, user = _college_user()
    token = token_for(user, scopes=("read", "write"))
    rows = cohort_rows(1)
    rows[0][7] = "8"
    for bad in ("7", "1" * 400, "abc", "%00"):
        refused = _api_upload(client, token, cohort_csv(rows), f"?gpa_scale={bad}")
        assert refused.status_code == 400, bad
        if bad != "%00":  # a NUL is refused before any route, for every field
            assert "gpa_scale" in refused.get_json()["error"]["fields"], bad
    preview = _api_upload(client, token, cohort_csv(rows), "?gpa_scale=10&gpa_scale=4").get_json()
    assert preview["gpa_scale"] == 10 and preview["can_commit"]
    call(client, "POST", f"/api/v1/imports/{preview['id']}/commit", token)
    assert db.session.scalars(sa.select(Learner.gpa)).one() == Decimal("3.20")


def test_the_openapi_document_names_the_new_options(app):
    with app.test_request_context():
        doc = spec()
    upload = doc["paths"]["/imports"]["post"]
    commit = doc["paths"]["/imports/{token}/commit"]["post"]
    assert "gpa_scale" in {p["name"] for p in upload["parameters"]}
    assert "skip_invalid" in {p["name"] for p in commit["parameters"]}
