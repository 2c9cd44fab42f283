"""GPA is kept out of 4: the database refuses more (0018_gpa_out_of_4), and every way in
(the upload page, the API, the command line read the same rows) refuses it first, per
field, in the user's language."""

import io
import re
from decimal import Decimal

import pytest
import sqlalchemy as sa
from apiclient import call, token_for
from conftest import csrf_token
from factories import cohort_csv, cohort_rows, make_learner, make_org, make_programme, make_user

from matchhub.extensions import db
from matchhub.models import Learner, OrgKind, Role

WRITE = ("read", "write")


@pytest.mark.parametrize("gpa", ["4.5", "4.01", "10", "-0.5"])
def test_the_database_refuses_a_gpa_outside_0_to_4(ctx, gpa):
    learner = make_learner()
    learner.gpa = Decimal(gpa)
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_the_database_keeps_0_and_4(ctx):
    low, high = make_learner(), make_learner()
    low.gpa, high.gpa = Decimal("0"), Decimal("4.00")
    db.session.commit()
    db.session.expire_all()
    assert sorted(db.session.scalars(sa.select(Learner.gpa).where(Learner.gpa.is_not(None)))) == [
        Decimal("0.00"),
        Decimal("4.00"),
    ]


def _college_user(locale="vi"):
    college = make_org(OrgKind.COLLEGE, code="NDTC")
    make_programme(college, code="CNTT")
    return college, make_user(Role.COLLEGE, org=college, locale=locale)


def _rows(*gpas):
    rows = cohort_rows(len(gpas))
    for row, gpa in zip(rows, gpas, strict=True):
        row[7] = gpa
    return rows


def test_the_upload_form_gives_the_gpa_column_its_error(client, ctx, login):
    _college, user = _college_user()
    login(user.email)
    content = cohort_csv(_rows("3.50", "4.5", "4,01"))
    response = client.post(
        "/college/imports",
        data={
            "csrf_token": csrf_token(client, "/college/imports"),
            "file": (io.BytesIO(content), "khoa.csv"),
            "gpa_scale": "4",
        },
        content_type="multipart/form-data",
    )
    token = re.search(r"/college/imports/([A-Za-z0-9_-]+)$", response.headers["Location"])[1]
    page = client.get(f"/college/imports/{token}").get_data(as_text=True)
    errors = re.findall(r'<tr data-row="(\d+)" data-column="([^"]+)"><td>\d+</td><td>[^<]*</td>'
                        r"<td>([^<]*)</td>", page)  # fmt: skip
    assert [(row, column) for row, column, _ in errors] == [
        ("3", "Điểm trung bình"),
        ("4", "Điểm trung bình"),
    ]
    for *_, message in errors:
        assert "thang điểm 4" in message and "từ 0 đến 4" in message, message
    assert 'id="import-commit"' not in page  # nothing above 4 reaches the database


def test_the_api_import_names_the_gpa_column_in_english_and_writes_only_0_to_4(client, ctx):
    _college, user = _college_user(locale="en")
    token = token_for(user, scopes=WRITE)
    content = cohort_csv(_rows("4.00", "4.5"))
    preview = call(
        client,
        "POST",
        "/api/v1/imports",
        token,
        data={"file": (io.BytesIO(content), "k.csv")},
        content_type="multipart/form-data",
    ).get_json()
    [error] = preview["errors"]
    assert (error["row"], error["column"]) == (3, "Điểm trung bình")
    assert error["message"].startswith("The GPA “4.5” is out of range")
    assert "from 0 to 4" in error["message"]
    done = call(
        client, "POST", f"/api/v1/imports/{preview['id']}/commit?skip_invalid=true", token
    ).get_json()
    assert (done["created"], done["skipped"]) == (1, 1)
    assert list(db.session.scalars(sa.select(Learner.gpa))) == [Decimal("4.00")]


def test_a_10_point_file_is_kept_within_4(client, ctx):
    _college, user = _college_user(locale="en")
    token = token_for(user, scopes=WRITE)
    content = cohort_csv(_rows("10", "9.999"))
    preview = call(
        client,
        "POST",
        "/api/v1/imports?gpa_scale=10",
        token,
        data={"file": (io.BytesIO(content), "k.csv")},
        content_type="multipart/form-data",
    ).get_json()
    assert preview["errors"] == []
    call(client, "POST", f"/api/v1/imports/{preview['id']}/commit", token)
    assert set(db.session.scalars(sa.select(Learner.gpa))) == {Decimal("4.00")}
