"""Searching openings (the public list and the learner's), salaries on the cards, and the
public pages of an opening and of an enterprise."""

from __future__ import annotations

import html as htmllib
import re

import sqlalchemy as sa
from conftest import submit
from factories import PASSWORD, make_order, make_org, make_user

from matchhub.extensions import db
from matchhub.models import (
    Order,
    OrderKind,
    OrderStatus,
    OrgKind,
    Role,
    VerificationState,
    utcnow,
)
from matchhub.services import openings
from matchhub.services.openings import OpeningFilters


def _world():
    org = make_org(name="Công ty Dệt Nam Định", description="Dệt may xuất khẩu từ 1990.")
    accountant = make_order(
        org,
        title="Kế toán tổng hợp",
        description="Lập báo cáo thuế hàng tháng.",
        skills=("sql",),
        salary_min=8_000_000,
        salary_max=12_000_000,
    )
    intern = make_order(
        org,
        title="Thực tập sinh lập trình",
        kind=OrderKind.INTERNSHIP,
        locality="ha-noi",
        salary_min=5_500_000,
    )
    draft = make_order(org, title="Kế toán nháp", status=OrderStatus.DRAFT)
    pending = make_org(name="Chờ duyệt", state=VerificationState.PENDING)
    unverified = make_order(pending, title="Kế toán chưa duyệt")
    return org, accountant, intern, draft, unverified


def _ids(filters: OpeningFilters) -> list[int]:
    return [o.id for o in openings.search(filters).items]


# ---------------------------------------------------------------- the service


def test_keywords_ignore_accents_and_case_and_find_only_live_orders(ctx):
    _org, accountant, intern, _draft, _unverified = _world()
    for query in ("ke toan", "KẾ TOÁN", "  kế   toan ", "bao cao thue", "toan ke"):
        assert _ids(OpeningFilters(query=query)) == [accountant.id], query
    assert _ids(OpeningFilters(query="ke toan python")) == []  # every word must match
    assert set(_ids(OpeningFilters())) == {accountant.id, intern.id}
    # LIKE's wildcards are plain characters in a search
    assert _ids(OpeningFilters(query="%")) == [] and _ids(OpeningFilters(query="_")) == []


def test_skill_kind_locality_and_salary_filters(ctx):
    _org, accountant, intern, _d, _u = _world()
    assert _ids(OpeningFilters(skill="SQL")) == [accountant.id]
    assert _ids(OpeningFilters(skill="python")) == [intern.id]
    assert _ids(OpeningFilters(skill="a skill nobody knows")) == []
    assert _ids(OpeningFilters(kind=OrderKind.INTERNSHIP)) == [intern.id]
    assert _ids(OpeningFilters(locality="ha-noi")) == [intern.id]
    # the top of the range counts; an order without a top, its bottom
    assert _ids(OpeningFilters(salary_min=10)) == [accountant.id]
    assert set(_ids(OpeningFilters(salary_min=5))) == {accountant.id, intern.id}
    assert _ids(OpeningFilters(salary_min=13)) == []
    assert _ids(OpeningFilters(salary_min=10**9)) == []  # bounded, no overflow


def test_the_search_column_follows_every_write(ctx):
    org, accountant, *_ = _world()
    accountant.title = "Nhân viên Hành chính"
    db.session.commit()
    assert _ids(OpeningFilters(query="hanh chinh")) == [accountant.id]
    assert _ids(OpeningFilters(query="ke toan")) == []
    # a bulk INSERT (demo seed, benches) fills it from the row's own values
    db.session.execute(
        sa.insert(Order),
        [
            {
                "organization_id": org.id,
                "kind": OrderKind.JOB,
                "title": "Điều dưỡng viên",
                "description": "",
                "headcount": 1,
                "status": OrderStatus.OPEN,
                "published_at": utcnow(),
            }
        ],
    )
    db.session.commit()
    assert [o.title for o in openings.search(OpeningFilters(query="dieu duong")).items] == [
        "Điều dưỡng viên"
    ]


def test_salary_reads_the_vietnamese_way(app):
    from flask_babel import force_locale

    from matchhub.i18n import salary_range

    with app.test_request_context():
        with force_locale("vi"):
            assert salary_range(8_000_000, 12_000_000) == "8–12 triệu ₫"
            assert salary_range(8_500_000, None) == "từ 8,5 triệu ₫"
            assert salary_range(None, 12_000_000) == "đến 12 triệu ₫"
            assert salary_range(10_000_000, 10_000_000) == "10 triệu ₫"
            assert salary_range(None, None) == "Thoả thuận"
        with force_locale("en"):
            assert salary_range(8_000_000, 12_000_000) == "8–12 million ₫"
            assert salary_range(8_500_000, None) == "from 8.5 million ₫"
            assert salary_range(None, None) == "Negotiable"


# ---------------------------------------------------------------- the lists


def test_public_list_searches_keeps_values_in_the_url_and_shows_salaries(client, ctx):
    _org, accountant, _intern, *_ = _world()
    page = client.get("/orders?q=ke+toan&salary_min=8&kind=job")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Kế toán tổng hợp" in html and "Thực tập sinh lập trình" not in html
    assert "Kế toán nháp" not in html and "Kế toán chưa duyệt" not in html
    assert 'name="q" type="text" value="ke toan"' in html
    assert 'name="salary_min" type="number" value="8"' in html
    assert "8–12 triệu ₫" in html
    assert f'href="/orders/{accountant.id}"' in html
    html = client.get("/orders?locality=ha-noi").get_data(as_text=True)
    assert "Thực tập sinh lập trình" in html and "từ 5,5 triệu ₫" in html
    client.set_cookie("lang", "en")
    html = client.get("/orders").get_data(as_text=True)
    assert "8–12 million ₫" in html and "Salary from (million VND a month)" in html


def test_public_list_answers_hostile_filters_without_crashing(client, ctx):
    _world()
    for query in (
        "q=" + "a" * 5000,
        "skill=" + "b" * 5000,
        "salary_min=" + "9" * 30,
        "salary_min=-5",
        "salary_min=abc",
        "kind=training&kind=job",
        "locality=nowhere",
        "q=a&q=b&page=99999999999999999999",
    ):
        response = client.get("/orders?" + query)
        assert response.status_code == 200, query
    html = client.get("/orders?q=" + "a" * 500).get_data(as_text=True)
    assert "không được dài quá 100 ký tự" in html  # said, and ignored
    assert "Kế toán tổng hợp" in html
    assert client.get("/orders?q=a%00b").status_code == 400


def test_a_learner_searches_openings_and_cards_lead_to_the_apply_page(client, ctx, login):
    org, _accountant, intern, *_ = _world()
    training = make_order(org, title="Đặt hàng đào tạo thực tập", kind=OrderKind.TRAINING)
    login(make_user(Role.LEARNER).email)
    # A training order is addressed to colleges: never an opening learners apply to.
    html = client.get("/learner/openings?q=dao+tao").get_data(as_text=True)
    assert "Đặt hàng đào tạo thực tập" not in html
    assert f'href="/learner/orders/{training.id}"' not in html
    assert client.get(f"/orders/{training.id}").status_code == 404
    html = client.get("/learner/openings?q=thuc+tap&skill=Python").get_data(as_text=True)
    assert "Thực tập sinh lập trình" in html and "Kế toán tổng hợp" not in html
    assert f'href="/learner/orders/{intern.id}"' in html
    assert 'value="thuc tap"' in html and 'value="Python"' in html
    html = client.get("/learner/openings?kind=internship&page=2").get_data(as_text=True)
    assert "Kế toán tổng hợp" not in html


# ---------------------------------------------------------------- public pages


def test_a_live_opening_has_a_public_page_with_opengraph_tags(client, ctx):
    org, accountant, _intern, draft, unverified = _world()
    page = client.get(f"/orders/{accountant.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<meta property="og:title" content="Kế toán tổng hợp · Công ty Dệt Nam Định">' in html
    assert '<meta property="og:description" content="Lập báo cáo thuế hàng tháng.">' in html
    assert f'<meta property="og:url" content="http://localhost/orders/{accountant.id}">' in html
    assert "8–12 triệu ₫" in html
    assert f'href="/enterprises/{org.id}"' in html
    # Apply: to the login page, then to the learner's apply page
    login_link = htmllib.unescape(re.search(r'href="(/auth/login\?next=[^"]+)"', html).group(1))
    assert login_link == f"/auth/login?next=/learner/orders/{accountant.id}"
    for hidden in (draft, unverified):
        assert client.get(f"/orders/{hidden.id}").status_code == 404
    accountant.status = OrderStatus.CLOSED
    db.session.commit()
    assert client.get(f"/orders/{accountant.id}").status_code == 404


def test_apply_from_a_public_page_after_login_or_registration(app, client, ctx, caplog):
    _org, accountant, *_ = _world()
    student = make_user(Role.LEARNER)
    target = f"/learner/orders/{accountant.id}"
    response = submit(
        client, f"/auth/login?next={target}", {"email": student.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == target
    assert 'id="apply-form"' in client.get(target).get_data(as_text=True)
    html = client.get(f"/orders/{accountant.id}").get_data(as_text=True)
    assert f'href="{target}"' in html  # signed in as a learner: straight to applying
    fresh = app.test_client()
    with caplog.at_level("WARNING"):
        response = submit(
            fresh,
            f"/auth/register?next={target}",
            {
                "role": "learner",
                "email": "moi@example.vn",
                "password": PASSWORD,
                "full_name": "Người Mới",
                "locality": "nd-nam-dinh",
                "confirm": PASSWORD,
            },
        )
    assert response.status_code == 302
    # the confirmation link mailed to her carries the opening: confirming leads back to it
    link = re.findall(r"(/auth/confirm/\S+)", caplog.text)[-1]
    response = submit(fresh, link, {})
    assert response.status_code == 302 and response.headers["Location"] == target


def test_a_verified_enterprise_has_a_public_profile_with_its_open_orders(client, ctx):
    org, accountant, _intern, _draft, unverified = _world()
    html = client.get(f"/enterprises/{org.id}").get_data(as_text=True)
    assert "Công ty Dệt Nam Định" in html and "Dệt may xuất khẩu từ 1990." in html
    assert "Kế toán tổng hợp" in html and "Thực tập sinh lập trình" in html
    assert "Kế toán nháp" not in html
    assert '<meta property="og:title" content="Công ty Dệt Nam Định">' in html
    assert f'href="/orders/{accountant.id}"' in html
    pending = db.session.get(Order, unverified.id).organization
    college = make_org(OrgKind.COLLEGE, name="Trường Cao đẳng")
    suspended = make_org(name="Bị đình chỉ", state=VerificationState.SUSPENDED)
    for other in (pending, college, suspended):
        assert client.get(f"/enterprises/{other.id}").status_code == 404
    client.set_cookie("lang", "en")
    html = client.get(f"/enterprises/{org.id}").get_data(as_text=True)
    assert "Openings" in html and "8–12 million ₫" in html


def test_a_learner_narrows_the_matches_by_keyword(client, ctx, login):

    _org, accountant, intern, *_ = _world()
    login(make_user(Role.LEARNER).email)
    html = client.get("/learner/matches?tier=all").get_data(as_text=True)
    assert f'data-order-id="{accountant.id}"' in html and f'data-order-id="{intern.id}"' in html
    html = client.get("/learner/matches?tier=all&q=THUC+tap").get_data(as_text=True)
    assert f'data-order-id="{accountant.id}"' not in html and f'data-order-id="{intern.id}"' in html
    assert 'value="THUC tap"' in html
    assert 'data-total="1"' in html
    assert "từ 5,5 triệu ₫" in html  # the salary on the match card
    html = client.get(f"/learner/orders/{accountant.id}").get_data(as_text=True)
    assert "8–12 triệu ₫" in html
    html = client.get("/learner/matches?tier=all&q=nothing+like+this").get_data(as_text=True)
    assert 'data-total="0"' in html
    assert client.get("/learner/matches?q=" + "x" * 5000).status_code == 200
