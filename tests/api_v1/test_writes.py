"""Writing through /api/v1: orders (create, update, publish) and a cohort import
(upload, preview, commit), with the write scope, the pages' rules and the one error shape."""

from __future__ import annotations

import io

import sqlalchemy as sa
from apiclient import call, token_for
from factories import cohort_csv, cohort_rows, make_order, make_org, make_programme, make_user
from flask_babel import force_locale

from matchhub.extensions import db
from matchhub.models import (
    Learner,
    Order,
    OrderStatus,
    OrgKind,
    PendingImport,
    Role,
    VerificationState,
)
from matchhub.services import skill_specs

WRITE = ("read", "write")


def _enterprise(state=VerificationState.VERIFIED, **kw):
    org = make_org(state=state)
    return org, make_user(Role.ENTERPRISE, org=org, **kw)


def _body(**changes):
    body = {
        "kind": "job",
        "title": "Lập trình viên backend",
        "description": "Xây dựng API.",
        "headcount": 2,
        "locality": "nd-nam-dinh",
        "required_skills": [{"term": "Python", "level": 3}, {"term": "SQL", "level": 2}],
        "nice_skills": [{"term": "Docker", "level": 2, "weight": 0.5}],
    }
    return {**body, **changes}


def _orders() -> int:
    return db.session.scalar(sa.select(sa.func.count(Order.id)))


def test_an_enterprise_creates_updates_and_publishes_an_order(client, ctx):
    _org, boss = _enterprise()
    token = token_for(boss, scopes=WRITE)
    created = call(client, "POST", "/api/v1/orders", token, json=_body())
    assert created.status_code == 201
    order = created.get_json()
    assert order["status"] == "draft" and order["headcount"] == 2
    assert [s["id"] for s in order["skills"] if s["required"]] == ["python", "sql"]
    assert order["published_at"] is None

    url = f"/api/v1/orders/{order['id']}"
    updated = call(client, "PUT", url, token, json=_body(title="Kỹ sư dữ liệu", headcount=3))
    assert updated.status_code == 200
    assert (updated.get_json()["title"], updated.get_json()["headcount"]) == ("Kỹ sư dữ liệu", 3)

    published = call(client, "POST", f"{url}/publish", token)
    assert published.status_code == 200 and published.get_json()["status"] == "open"
    listed = call(client, "GET", "/api/v1/orders/open", token).get_json()
    assert [o["id"] for o in listed["items"]] == [order["id"]]
    again = call(client, "POST", f"{url}/publish", token)
    assert again.status_code == 409 and again.get_json()["error"]["status"] == 409


def test_no_vacuous_order_is_published(client, ctx):
    _org, boss = _enterprise()
    token = token_for(boss, scopes=WRITE)
    body = _body(required_skills=[{"term": "Kỹ năng không ai biết xyz", "level": 3}])
    draft = call(client, "POST", "/api/v1/orders", token, json=body).get_json()
    assert draft["unrecognised_required"] == ["Kỹ năng không ai biết xyz"]
    refused = call(client, "POST", f"/api/v1/orders/{draft['id']}/publish", token)
    assert refused.status_code == 409
    assert "Kỹ năng không ai biết xyz" in refused.get_json()["error"]["message"]
    assert db.session.get(Order, draft["id"]).status is OrderStatus.DRAFT

    _pending, newcomer = _enterprise(state=VerificationState.PENDING)
    token = token_for(newcomer, scopes=WRITE)
    draft = call(client, "POST", "/api/v1/orders", token, json=_body()).get_json()
    refused = call(client, "POST", f"/api/v1/orders/{draft['id']}/publish", token)
    assert refused.status_code == 409
    assert db.session.get(Order, draft["id"]).status is OrderStatus.DRAFT


def test_bad_bodies_and_queries_are_400_with_the_error_shape(client, ctx):
    _org, boss = _enterprise(locale="en")
    token = token_for(boss, scopes=WRITE)
    cases = [
        ({k: v for k, v in _body().items() if k != "title"}, "title"),
        (_body(title="   "), "title"),
        (_body(required_skills=[{"term": " ", "level": 2}]), "required_skills"),
        (_body(headcount=0), "headcount"),
        (_body(headcount="many"), "headcount"),
        (_body(kind="gig"), "kind"),
        (_body(locality="atlantis"), "locality"),
        (_body(required_skills=[]), "required_skills"),
        (_body(deadline="tomorrow"), "deadline"),
        (_body(colour="blue"), "colour"),
        ([1, 2], "_schema"),
    ]
    for body, field in cases:
        response = call(client, "POST", "/api/v1/orders", token, json=body)
        assert response.status_code == 400, body
        error = response.get_json()["error"]
        assert error["status"] == 400 and error["message"], body
        assert field in error["fields"], (field, error)
    # the form's refusal of a level, word for word
    docker = _body(required_skills=[{"term": "Docker", "level": 9}])
    response = call(client, "POST", "/api/v1/orders", token, json=docker)
    with force_locale("en"):
        assert response.get_json()["error"]["message"] == skill_specs.level_message(["Docker:9"])
    # the service's own rules answer in the same shape, with the field
    past = call(client, "POST", "/api/v1/orders", token, json=_body(deadline="2020-01-01"))
    assert past.status_code == 400 and past.get_json()["error"]["field"] == "deadline"
    broken = client.post(
        "/api/v1/orders",
        data="{not json",
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert broken.status_code == 400 and broken.get_json()["error"]["status"] == 400
    assert _orders() == 0
    for query in ("page=100000000000000000000", "page=0", "per_page=101", "status=lost"):
        response = call(client, "GET", f"/api/v1/orders?{query}", token)
        assert response.status_code == 400, query
        assert response.get_json()["error"]["message"].startswith("“"), query


def test_messages_of_bad_input_follow_the_users_language(client, ctx):
    _org, boss = _enterprise()  # Vietnamese by default
    token = token_for(boss, scopes=WRITE)
    response = call(client, "GET", "/api/v1/orders?page=0", token)
    assert response.get_json()["error"]["message"] == "“page” phải từ 1 đến 2147483647."


def test_own_orders_are_paginated_in_the_database(client, ctx):
    org, boss = _enterprise()
    for i in range(5):
        make_order(org, title=f"Đơn {i}")
    token = token_for(boss)
    page = call(client, "GET", "/api/v1/orders?per_page=2&page=3", token).get_json()
    assert (page["total"], page["pages"], len(page["items"])) == (5, 3, 1)
    beyond = call(client, "GET", "/api/v1/orders?per_page=2&page=2147483647", token).get_json()
    assert beyond["items"] == [] and beyond["total"] == 5


def test_writing_needs_a_token_made_to_write(client, ctx):
    org, boss = _enterprise()
    order = make_order(org, status=OrderStatus.DRAFT)
    reader = token_for(boss)
    for method, path, kwargs in (
        ("POST", "/api/v1/orders", {"json": _body()}),
        ("PUT", f"/api/v1/orders/{order.id}", {"json": _body()}),
        ("POST", f"/api/v1/orders/{order.id}/publish", {}),
        ("POST", "/api/v1/imports", {"data": {}}),
    ):
        response = call(client, method, path, reader, **kwargs)
        assert response.status_code == 403, path
        assert response.get_json()["error"]["status"] == 403
    assert _orders() == 1 and db.session.get(Order, order.id).status is OrderStatus.DRAFT
    # reading still works, and a learner's writing token is no enterprise
    assert call(client, "GET", "/api/v1/orders", reader).status_code == 200
    learner = token_for(make_user(), scopes=WRITE)
    assert call(client, "POST", "/api/v1/orders", learner, json=_body()).status_code == 403


def test_another_organisations_orders_and_imports_answer_404(client, ctx):
    _mine, boss = _enterprise()
    theirs, _ = _enterprise()
    draft = make_order(theirs, status=OrderStatus.DRAFT)
    token = token_for(boss, scopes=WRITE)
    for method, path, kwargs in (
        ("PUT", f"/api/v1/orders/{draft.id}", {"json": _body()}),
        ("POST", f"/api/v1/orders/{draft.id}/publish", {}),
    ):
        response = call(client, method, path, token, **kwargs)
        assert response.status_code == 404 and response.get_json()["error"]["status"] == 404
    assert db.session.get(Order, draft.id).status is OrderStatus.DRAFT

    one, other = _college("A1"), _college("B2")
    upload = _upload(client, token_for(one, scopes=WRITE), cohort_csv(cohort_rows(2)))
    upload_id = upload.get_json()["id"]
    stranger = token_for(other, scopes=WRITE)
    for method, path in (
        ("GET", f"/api/v1/imports/{upload_id}"),
        ("POST", f"/api/v1/imports/{upload_id}/commit"),
        ("DELETE", f"/api/v1/imports/{upload_id}"),
    ):
        response = call(client, method, path, stranger)
        assert response.status_code == 404, (method, path)
    assert db.session.scalar(sa.select(sa.func.count(PendingImport.id))) == 1
    assert _learners() == 0


def _college(code="NDTC"):
    college = make_org(OrgKind.COLLEGE, code=code)
    make_programme(college, code="CNTT")
    return make_user(Role.COLLEGE, org=college)


def _upload(client, token, content: bytes, name="khoa-2026.csv"):
    return call(
        client,
        "POST",
        "/api/v1/imports",
        token,
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def _learners() -> int:
    return db.session.scalar(sa.select(sa.func.count(Learner.id)))


def test_a_cohort_is_uploaded_previewed_and_committed_once(client, ctx):
    token = token_for(_college(), scopes=WRITE)
    content = cohort_csv(cohort_rows(3))
    uploaded = _upload(client, token, content)
    assert uploaded.status_code == 201
    preview = uploaded.get_json()
    assert (preview["rows"], preview["created"], preview["can_commit"]) == (3, 3, True)
    assert _learners() == 0  # a preview writes nothing
    url = f"/api/v1/imports/{preview['id']}"
    assert call(client, "GET", url, token).get_json() == preview

    result = call(client, "POST", f"{url}/commit", token)
    assert result.status_code == 200
    assert (result.get_json()["created"], result.get_json()["updated"]) == (3, 0)
    assert _learners() == 3
    again = call(client, "POST", f"{url}/commit", token)  # committed once, then gone
    assert again.status_code == 404 and again.get_json()["error"]["status"] == 404
    assert _learners() == 3

    # the same file again changes nothing
    second = _upload(client, token, content).get_json()
    assert (second["created"], second["unchanged"]) == (0, 3)
    result = call(client, "POST", f"/api/v1/imports/{second['id']}/commit", token).get_json()
    assert (result["created"], result["updated"], result["unchanged"]) == (0, 0, 3)
    assert _learners() == 3


def test_row_errors_are_previewed_and_refuse_the_commit(client, ctx):
    token = token_for(_college(), scopes=WRITE)
    rows = cohort_rows(3)
    rows[1][3] = "not-an-email"
    preview = _upload(client, token, cohort_csv(rows)).get_json()
    assert preview["can_commit"] is False and preview["error_count"] == 1
    [issue] = preview["errors"]
    assert issue["row"] == 3 and issue["column"] == "Email" and issue["message"]
    refused = call(client, "POST", f"/api/v1/imports/{preview['id']}/commit", token)
    assert refused.status_code == 409 and _learners() == 0
    discarded = call(client, "DELETE", f"/api/v1/imports/{preview['id']}", token)
    assert discarded.status_code == 204
    assert call(client, "GET", f"/api/v1/imports/{preview['id']}", token).status_code == 404


def test_a_file_that_is_no_cohort_is_refused_at_upload(client, ctx):
    token = token_for(_college(), scopes=WRITE)
    response = _upload(client, token, b"\x00\x01binary", name="photo.png")
    assert response.status_code == 400 and response.get_json()["error"]["message"]
    missing = call(client, "POST", "/api/v1/imports", token, data={})
    assert missing.status_code == 400 and "file" in missing.get_json()["error"]["fields"]
    assert db.session.scalar(sa.select(sa.func.count(PendingImport.id))) == 0
