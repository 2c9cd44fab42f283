"""College A never sees college B's learners: pages, exports, reports, import tokens."""

import io
import re

import sqlalchemy as sa
from conftest import csrf_token
from factories import (
    cohort_csv,
    cohort_rows,
    make_learner,
    make_order,
    make_org,
    make_programme,
    make_user,
)
from openpyxl import load_workbook

from matchhub.extensions import db
from matchhub.models import Application, ApplicationStatus, Learner, OrgKind, Role
from matchhub.services import imports

SECRET_NAME = "Bí Mật Của Trường B"
SECRET_CODE = "BSECRET01"


def _pages():
    return [
        "/college/",
        "/college/learners",
        f"/college/learners?q={SECRET_CODE}",
        "/college/programmes",
        "/college/demand",
        "/college/demand.csv",
        "/college/demand.xlsx",
        "/college/gaps",
        "/college/outcomes",
        "/college/outcomes.csv",
        "/college/training-orders",
    ]


def test_college_a_never_sees_college_b(client, ctx, login):
    a = make_org(OrgKind.COLLEGE, code="A", name="Trường A")
    b = make_org(OrgKind.COLLEGE, code="B", name="Trường B")
    make_programme(a, code="CNTT")
    b_programme = make_programme(b, code="BPROG", name="Chương trình riêng của B")
    secret = make_learner(b, full_name=SECRET_NAME, student_code=SECRET_CODE, programme=b_programme)
    order = make_order(make_org())
    db.session.add(Application(order=order, learner=secret, status=ApplicationStatus.HIRED))
    db.session.commit()
    b_user = make_user(Role.COLLEGE, org=b)
    b_token = imports.stage_upload(b, b_user, cohort_csv(cohort_rows(2, prefix="BB")), "b.csv")

    login(make_user(Role.COLLEGE, org=a).email)
    for url in _pages():
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.data.decode("utf-8", errors="replace")
        if url.endswith(".xlsx"):
            sheet = load_workbook(io.BytesIO(response.data), read_only=True).worksheets[0]
            body = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row)
        if "?q=" in url:  # the search box echoes the query: look at the results only
            body = body.split("<tbody>", 1)[1]
        assert SECRET_NAME not in body and SECRET_CODE not in body, url
        assert "Chương trình riêng của B" not in body, url
    outcomes = client.get("/college/outcomes").get_data(as_text=True)
    assert 'data-hired="1"' not in outcomes  # B's hire is not counted for A

    # B's staged upload: not previewable, not committable by A
    assert client.get(f"/college/imports/{b_token}").status_code == 302
    client.post(
        f"/college/imports/{b_token}/commit",
        data={"csrf_token": csrf_token(client, "/college/imports")},
    )
    assert (
        db.session.scalar(sa.select(sa.func.count(Learner.id)).where(Learner.college_id == a.id))
        == 0
    )
    # Programme ids of B are not accepted in A's import either
    rows = cohort_rows(1, programme="BPROG")
    parsed = imports.parse_file(a, cohort_csv(rows), "a.csv")
    assert [(i.row, i.column) for i in parsed.errors] == [(2, "Chương trình đào tạo")]
    assert re.search("BPROG", parsed.errors[0].message)
