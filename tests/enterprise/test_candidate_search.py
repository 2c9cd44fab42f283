"""HR searches an order's candidates by name and by keyword (skills, CV text)."""

from __future__ import annotations

from factories import PASSWORD, make_learner, make_order, make_org, make_user

from matchhub.extensions import db
from matchhub.models import Role, Visibility
from matchhub.services import learners


def _market(login):
    org = make_org()
    login(make_user(Role.ENTERPRISE, org=org).email)
    order = make_order(org, skills=("python", "sql"))
    hoa = make_learner(
        full_name="Nguyễn Thị Hoà",
        skills=(("python", 4), ("sql", 4)),
        cv_text="Thực tập phân tích dữ liệu bán hàng.",
    )
    duc = make_learner(full_name="Trần Minh Đức", skills=(("python", 2),))
    hidden = make_learner(
        full_name="Nguyễn Văn Ẩn", skills=(("python", 5), ("sql", 5)), visibility=Visibility.HIDDEN
    )
    db.session.commit()
    return order, hoa, duc, hidden


def test_search_ids_read_name_cv_and_skills_without_accents(ctx, login):
    _order, hoa, duc, hidden = _market(login)
    assert learners.search_ids("  ") is None
    assert learners.search_ids("nguyen thi hoa") == {hoa.id}
    assert learners.search_ids("DUC") == {duc.id}
    assert learners.search_ids("phan tich du lieu") == {hoa.id}
    assert learners.search_ids("sql") == {hoa.id, hidden.id}  # ranking drops the hidden one
    assert learners.search_ids("nguyen sql") == {hoa.id, hidden.id}
    assert learners.search_ids("100%") == frozenset()
    # renamed through the ORM: the search follows
    duc.full_name = "Trần Minh Khoa"
    db.session.commit()
    assert learners.search_ids("khoa") == {duc.id} and learners.search_ids("duc") == frozenset()


def test_hr_searches_the_candidates_page(client, ctx, login):
    order, hoa, duc, hidden = _market(login)
    url = f"/enterprise/orders/{order.id}/candidates"
    html = client.get(url + "?q=duc").get_data(as_text=True)
    # a search by name shows that person whatever their fit
    assert f'data-learner-id="{duc.id}"' in html and f'data-learner-id="{hoa.id}"' not in html
    assert 'value="duc"' in html
    html = client.get(url + "?q=nguyen").get_data(as_text=True)
    assert f'data-learner-id="{hoa.id}"' in html and f'data-learner-id="{hidden.id}"' not in html
    html = client.get(url + "?q=du+lieu&tier=meets").get_data(as_text=True)
    assert f'data-learner-id="{hoa.id}"' in html and f'data-learner-id="{duc.id}"' not in html
    html = client.get(url + "?q=nobody+here").get_data(as_text=True)
    assert 'data-total="0"' in html
    response = client.get(url + "?q=" + "x" * 5000 + "&q=y")
    assert response.status_code == 200
    assert "không được dài quá 100 ký tự" in response.get_data(as_text=True)
    client.set_cookie("lang", "en")
    assert "Name, skill or CV keyword" in client.get(url).get_data(as_text=True)


def test_an_erased_learner_is_not_found_by_their_old_name(ctx, login):
    from matchhub.services import privacy
    from matchhub.services.learners import learner_of_user

    user = make_user(Role.LEARNER, full_name="Lê Thị Xuân")
    learner = learner_of_user(user)
    learner.cv_text = "Kinh nghiệm kế toán kho"
    db.session.commit()
    assert learners.search_ids("xuan") == {learner.id}
    privacy.delete_account(learner, user, PASSWORD)
    db.session.commit()
    assert learners.search_ids("xuan") == frozenset()
    assert learners.search_ids("ke toan kho") == frozenset()
    assert "xuan" not in learner.search_text


def test_the_enterprise_links_its_live_order_to_the_public_page(client, ctx, login):
    order, *_ = _market(login)
    html = client.get(f"/enterprise/orders/{order.id}").get_data(as_text=True)
    assert f'href="/orders/{order.id}"' in html and "Trang công khai" in html
