"""Enterprises write orders: drafts, normalised skills, publication only once verified."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from conftest import submit
from factories import make_order, make_org, make_user

from matchhub.extensions import db
from matchhub.models import AuditEvent, Order, OrderStatus, Role, VerificationState
from matchhub.services import skill_specs
from matchhub.services.orders import today_in_vietnam
from matchhub.services.skill_specs import parse_skill_terms


def _form(**over):
    data = {
        "kind": "internship",
        "title": "Thực tập sinh lập trình Python",
        "description": "Tham gia phát triển API.",
        "required_skills": "pyhton:3\nSQL (2)\nkỹ năng làm xyzzy",
        "nice_skills": "Git",
        "headcount": "3",
        "locality": "nd-nam-dinh",
        "salary_min": "3000000",
        "salary_max": "5000000",
        "start_date": (today_in_vietnam() + timedelta(days=40)).isoformat(),
        "deadline": (today_in_vietnam() + timedelta(days=20)).isoformat(),
    }
    data.update(over)
    return data


def _enterprise(login, state=VerificationState.VERIFIED):
    org = make_org(state=state)
    login(make_user(Role.ENTERPRISE, org=org).email)
    return org


def test_parse_skill_terms_reads_levels_and_drops_repeats():
    assert parse_skill_terms("Python:4, sql (2)\n\nJava 1.8; python") == [
        ("Python", 4),
        ("sql", 2),
        ("Java 1.8", 3),
    ]


def test_create_draft_normalises_misspelt_skills_and_keeps_unknown_terms(client, ctx, login):
    org = _enterprise(login)
    response = submit(client, "/enterprise/orders/new", _form())
    assert response.status_code == 302
    order = db.session.scalar(sa.select(Order).where(Order.organization_id == org.id))
    assert order.status is OrderStatus.DRAFT
    by_term = {s.term: s for s in order.skills}
    assert by_term["pyhton"].skill.slug == "python" and by_term["pyhton"].level == 3
    assert by_term["SQL"].skill.slug == "sql" and by_term["SQL"].level == 2
    assert by_term["kỹ năng làm xyzzy"].skill_id is None  # kept, flagged, never lost
    assert by_term["Git"].required is False
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "kỹ năng làm xyzzy ?" in page


def test_invalid_order_shows_errors_per_field_and_keeps_input(client, ctx, login):
    _enterprise(login)
    yesterday = (today_in_vietnam() - timedelta(days=1)).isoformat()
    response = submit(
        client,
        "/enterprise/orders/new",
        _form(required_skills="", headcount="501", deadline=yesterday),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Trường này là bắt buộc." in html
    assert "Thực tập sinh lập trình Python" in html
    assert db.session.scalar(sa.select(sa.func.count(Order.id))) == 0
    past = submit(client, "/enterprise/orders/new", _form(deadline=yesterday))
    assert "quá khứ" in past.get_data(as_text=True)


def _field_errors(html: str) -> str:
    parts = html.split('class="invalid-feedback')[1:]
    return " ".join(part.split("</div>", 1)[0] for part in parts)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("headcount", "0", "từ 1 đến 500"),
        ("headcount", "2.5", "số nguyên"),
        ("salary_max", "2000000000", "1.000.000.000"),
        ("deadline", "9999-12-31", "trong vòng một năm"),
    ],
)
def test_out_of_range_values_say_what_is_allowed(client, ctx, login, field, value, message):
    _enterprise(login)
    response = submit(client, "/enterprise/orders/new", _form(**{field: value}))
    errors = _field_errors(response.get_data(as_text=True))
    assert message in errors and "bắt buộc" not in errors
    assert db.session.scalar(sa.select(sa.func.count(Order.id))) == 0


def test_pending_organisation_prepares_drafts_but_cannot_publish(client, ctx, login):
    org = _enterprise(login, state=VerificationState.PENDING)
    submit(client, "/enterprise/orders/new", _form())
    order = db.session.scalar(sa.select(Order).where(Order.organization_id == org.id))
    url = f"/enterprise/orders/{order.id}"
    response = submit(client, f"{url}/publish", {}, form_url=url, follow_redirects=True)
    assert "phải được Văn phòng tỉnh xác minh" in response.get_data(as_text=True)
    db.session.refresh(order)
    assert order.status is OrderStatus.DRAFT


def test_verified_organisation_publishes_then_closes(client, ctx, login):
    org = _enterprise(login)
    order = make_order(org, status=OrderStatus.DRAFT)
    url = f"/enterprise/orders/{order.id}"
    submit(client, f"{url}/publish", {}, form_url=url)
    db.session.refresh(order)
    assert order.status is OrderStatus.OPEN and order.published_at is not None
    assert client.get("/orders").get_data(as_text=True).count(order.title) == 1
    submit(client, f"{url}/closed", {}, form_url=url)
    db.session.refresh(order)
    assert order.status is OrderStatus.CLOSED
    actions = list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[-2:] == ["order.published", "order.closed"]


def test_edit_keeps_terms_and_updates(client, ctx, login):
    org = _enterprise(login)
    order = make_order(org, status=OrderStatus.OPEN, skills=("python", "sql"))
    url = f"/enterprise/orders/{order.id}/edit"
    assert "Python:3" in client.get(url).get_data(as_text=True)
    submit(client, url, _form(title="Đã sửa", required_skills="Java:4"))
    db.session.refresh(order)
    assert order.title == "Đã sửa"
    assert [(s.skill.slug, s.level, s.required) for s in order.skills] == [
        ("java", 4, True),
        ("git", 3, False),
    ]


def test_another_enterprise_cannot_touch_the_order(client, ctx, login):
    theirs = make_order(make_org(name="Theirs"), status=OrderStatus.DRAFT)
    _enterprise(login)
    base = f"/enterprise/orders/{theirs.id}"
    assert client.get(f"{base}/edit").status_code == 404
    form_page = "/enterprise/orders/new"
    for action in ("publish", "closed", "cancelled"):
        assert submit(client, f"{base}/{action}", {}, form_url=form_page).status_code == 404
    assert submit(client, f"{base}/edit", _form(), form_url=form_page).status_code == 404
    db.session.refresh(theirs)
    assert theirs.status is OrderStatus.DRAFT


def test_bad_skill_levels_are_refused_by_name_and_repeats_keep_the_highest(client, ctx, login):
    typed = "Docker:9, Kotlin:0\nFigma:-1; Excel:abc, Vue.js:2.5, SQL (7)"
    assert skill_specs.bad_levels(typed) == [
        "Docker:9", "Kotlin:0", "Figma:-1", "Excel:abc", "Vue.js:2.5", "SQL (7)"
    ]  # fmt: skip
    assert skill_specs.bad_levels("Python:4, SQL (2), Git*2, Java: 5/5, Node.js (Express)") == []
    assert skill_specs.parse_skill_terms("Python:2, python:4, PYTHON") == [("Python", 4)]
    _enterprise(login)
    response = submit(
        client, "/enterprise/orders/new", _form(required_skills="Python:4\nDocker:9\nExcel:abc")
    )
    errors = _field_errors(response.get_data(as_text=True))
    assert "“Docker:9”" in errors and "“Excel:abc”" in errors and "1 đến 5" in errors
    assert db.session.scalar(sa.select(sa.func.count(Order.id))) == 0
