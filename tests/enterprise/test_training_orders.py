"""A training order is addressed to colleges, not a job ad: its own form and fields
(trainees, skills and levels, start, duration, place, budget per trainee), none of a job's
(pay, remote work, application deadline), and publishing says where it goes."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from apiclient import call, token_for
from conftest import submit
from factories import make_order, make_org, make_user

from matchhub.extensions import db
from matchhub.models import Order, OrderKind, OrderStatus, OrgKind, Role, VerificationState
from matchhub.services import ServiceError, orders
from matchhub.services.orders import today_in_vietnam

NEW = "/enterprise/orders/new/training"


def _form(**over):
    data = {
        "title": "Đào tạo 20 thợ vận hành máy CNC",
        "description": "Khoá vận hành và bảo trì máy CNC cho công nhân mới.",
        "required_skills": "CNC:3\nAutoCAD:2",
        "headcount": "20",
        "locality": "nd-nam-dinh",
        "start_date": (today_in_vietnam() + timedelta(days=45)).isoformat(),
        "duration_weeks": "12",
        "budget_per_trainee": "3500000",
    }
    data.update(over)
    return data


def _enterprise(login, state=VerificationState.VERIFIED):
    org = make_org(state=state)
    login(make_user(Role.ENTERPRISE, org=org).email)
    return org


def _names(html: str) -> set[str]:
    return {part.split('"', 1)[0] for part in html.split(' name="')[1:]}


def _field_errors(html: str) -> str:
    parts = html.split('class="invalid-feedback')[1:]
    return " ".join(part.split("</div>", 1)[0] for part in parts)


def _only_order() -> Order:
    return db.session.scalars(sa.select(Order)).one()


def test_each_kind_has_its_own_form(client, ctx, login):
    _enterprise(login)
    training = client.get(NEW).get_data(as_text=True)
    assert _names(training) >= {
        "title",
        "description",
        "required_skills",
        "headcount",
        "locality",
        "start_date",
        "duration_weeks",
        "budget_per_trainee",
    }
    assert not _names(training) & {"kind", "salary_min", "salary_max", "remote", "deadline"}
    assert "Số học viên" in training and "Kinh phí cho mỗi học viên" in training
    job = client.get("/enterprise/orders/new").get_data(as_text=True)
    assert {"salary_min", "salary_max", "remote", "deadline", "kind"} <= _names(job)
    assert not _names(job) & {"duration_weeks", "budget_per_trainee"}
    # The job form's kinds are the two learners apply to; it links to the training form.
    assert 'value="training"' not in job and f'href="{NEW}"' in job


def test_a_training_order_keeps_its_fields_and_ignores_a_jobs(client, ctx, login):
    org = _enterprise(login)
    crafted = _form(
        salary_min="9000000",
        salary_max="12000000",
        remote="y",
        deadline=(today_in_vietnam() + timedelta(days=10)).isoformat(),
        kind="job",
    )
    response = submit(client, NEW, crafted)
    assert response.status_code == 302
    order = _only_order()
    assert (order.organization_id, order.kind, order.status) == (
        org.id,
        OrderKind.TRAINING,
        OrderStatus.DRAFT,
    )
    assert (order.headcount, order.duration_weeks, order.budget_per_trainee) == (20, 12, 3_500_000)
    assert (order.salary_min, order.salary_max, order.remote, order.deadline) == (
        None,
        None,
        False,
        None,
    )
    assert [(s.term, s.level, s.required) for s in order.skills] == [
        ("CNC", 3, True),
        ("AutoCAD", 2, True),
    ]
    page = client.get(f"/enterprise/orders/{order.id}").get_data(as_text=True)
    assert 'id="training-terms"' in page and "12 tuần" in page and "3.500.000" in page
    # Addressed to colleges: no ranked candidates, pipeline or public page to offer.
    assert 'id="candidates-link"' not in page and 'id="public-link"' not in page


def test_a_job_form_cannot_make_a_training_order(client, ctx, login):
    _enterprise(login)
    response = submit(
        client,
        "/enterprise/orders/new",
        {
            "kind": "training",
            "title": "Lập trình viên",
            "required_skills": "Python:3",
            "headcount": "2",
            "locality": "nd-nam-dinh",
        },
    )
    assert response.status_code == 200
    assert 'id="kind-errors"><div class="invalid-feedback' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Order.id))) == 0


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("headcount", "0", "từ 1 đến 500"),
        ("headcount", "2.5", "số nguyên"),
        ("duration_weeks", "0", "từ 1 đến 260"),
        ("duration_weeks", "9" * 40, "từ 1 đến 260"),
        ("budget_per_trainee", "-1", "1.000.000.000"),
        ("budget_per_trainee", "9" * 40, "1.000.000.000"),
        ("title", "Đ" * 201, "200"),
        ("required_skills", "CNC:9", "“CNC:9”"),
        ("start_date", (today_in_vietnam() - timedelta(days=1)).isoformat(), "quá khứ"),
    ],
)
def test_hostile_input_is_refused_per_field(client, ctx, login, field, value, message):
    _enterprise(login)
    response = submit(client, NEW, _form(**{field: value}))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in _field_errors(html)
    assert "Đào tạo 20 thợ vận hành máy CNC" in html or field == "title"  # input kept
    assert db.session.scalar(sa.select(sa.func.count(Order.id))) == 0


def test_repeated_fields_and_nul_bytes_never_give_a_500(client, ctx, login):
    _enterprise(login)
    repeated = {**_form(), "duration_weeks": ["6", "9999"], "budget_per_trainee": ["1", "x"]}
    assert submit(client, NEW, repeated).status_code in (200, 302)
    assert submit(client, NEW, _form(description="a\x00b")).status_code == 400
    crlf = _form(description="dòng\r\n" * 1200)  # over 5,000 characters once CRLF counts 1
    assert submit(client, NEW, crlf).status_code == 200


def test_editing_keeps_it_a_training_order_and_its_other_skills(client, ctx, login):
    org = _enterprise(login)
    order = make_order(org, status=OrderStatus.DRAFT, kind=OrderKind.TRAINING, deadline=None)
    order.skills[0].required = False  # an older order's nice-to-have skill
    db.session.commit()
    url = f"/enterprise/orders/{order.id}/edit"
    form = client.get(url).get_data(as_text=True)
    assert 'name="duration_weeks"' in form and 'name="salary_min"' not in form
    assert submit(client, url, _form(title="Đã sửa")).status_code == 302
    db.session.refresh(order)
    assert (order.title, order.kind, order.duration_weeks) == ("Đã sửa", OrderKind.TRAINING, 12)
    assert [s.skill.slug for s in order.skills if not s.required] == ["python"]


def test_the_service_keeps_a_training_order_one(ctx):
    org = make_org()
    boss = make_user(Role.ENTERPRISE, org=org)
    job = make_order(org, status=OrderStatus.DRAFT)
    data = orders.OrderInput(
        kind=OrderKind.TRAINING,
        title="Đào tạo",
        description="",
        headcount=5,
        locality="nd-nam-dinh",
        remote=True,
        salary_min=1,
        salary_max=2,
        start_date=None,
        deadline=None,
        required=[("Python", 3)],
        nice=[],
        duration_weeks=4,
    )
    with pytest.raises(ServiceError) as refused:
        orders.save_order(org, boss, data, order=job)
    assert refused.value.field == "kind"
    made = orders.save_order(org, boss, data)
    assert (made.remote, made.salary_min, made.salary_max, made.duration_weeks) == (
        False,
        None,
        None,
        4,
    )


def test_publishing_says_where_the_order_goes(client, ctx, login):
    org = _enterprise(login)
    training = make_order(org, status=OrderStatus.DRAFT, kind=OrderKind.TRAINING, deadline=None)
    job = make_order(org, status=OrderStatus.DRAFT)
    said = {}
    for order in (training, job):
        url = f"/enterprise/orders/{order.id}"
        response = submit(client, f"{url}/publish", {}, form_url=url, follow_redirects=True)
        said[order.kind] = response.get_data(as_text=True)
    assert "gửi đến các cơ sở đào tạo" in said[OrderKind.TRAINING]
    assert "mở cho người học" not in said[OrderKind.TRAINING]
    assert "mở cho người học" in said[OrderKind.JOB]
    client.set_cookie("lang", "en")
    draft = make_order(org, status=OrderStatus.DRAFT, kind=OrderKind.TRAINING, deadline=None)
    url = f"/enterprise/orders/{draft.id}"
    response = submit(client, f"{url}/publish", {}, form_url=url, follow_redirects=True)
    assert "sent to the training institutions" in response.get_data(as_text=True)


def test_colleges_see_the_training_terms(client, ctx, login):
    enterprise = make_org(name="Công ty Cơ khí Nam Định")
    order = make_order(
        enterprise,
        kind=OrderKind.TRAINING,
        deadline=None,
        duration_weeks=10,
        budget_per_trainee=2_000_000,
        headcount=15,
    )
    login(make_user(Role.COLLEGE, org=make_org(OrgKind.COLLEGE)).email)
    listing = client.get("/college/training-orders").get_data(as_text=True)
    assert "15 học viên" in listing and "10 tuần" in listing and "2.000.000" in listing
    detail = client.get(f"/college/training-orders/{order.id}").get_data(as_text=True)
    assert 'id="order-duration">10 tuần' in detail and "2.000.000" in detail


def test_the_api_writes_a_training_orders_own_fields(client, ctx):
    org = make_org()
    token = token_for(make_user(Role.ENTERPRISE, org=org), scopes=("read", "write"))
    body = {
        "kind": "training",
        "title": "Đào tạo thợ hàn",
        "headcount": 12,
        "locality": "nd-nam-dinh",
        "required_skills": [{"term": "Python", "level": 3}],
        "salary_min": 5_000_000,
        "remote": True,
        "duration_weeks": 8,
        "budget_per_trainee": 1_500_000,
    }
    made = call(client, "POST", "/api/v1/orders", token, json=body)
    assert made.status_code == 201
    got = made.get_json()
    assert (got["duration_weeks"], got["budget_per_trainee"]) == (8, 1_500_000)
    assert (got["salary_min"], got["remote"]) == (None, False)
    huge = call(client, "POST", "/api/v1/orders", token, json={**body, "duration_weeks": 10**30})
    assert huge.status_code == 400
    job = call(client, "POST", "/api/v1/orders", token, json={**body, "kind": "job"}).get_json()
    assert (job["duration_weeks"], job["budget_per_trainee"]) == (None, None)
    url = f"/api/v1/orders/{got['id']}"
    switched = call(client, "PUT", url, token, json={**body, "kind": "job"})
    assert switched.status_code == 400
    assert switched.get_json()["error"]["field"] == "kind"
