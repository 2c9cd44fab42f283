"""No vacuous matches: an order needs a recognised required skill to be open, and the
required terms nobody recognises are kept, shown to HR, count as missing for everyone
and wait in the province office's curation queue."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from apiclient import call, token_for
from conftest import submit
from factories import make_learner, make_order, make_org, make_user

from matchhub.extensions import db
from matchhub.matching.types import Tier
from matchhub.models import Order, OrderSkill, OrderStatus, Role
from matchhub.services import ServiceError, curation, orders, pair_scores, ranked_pages
from matchhub.services.orders import today_in_vietnam


def _form(**over):
    data = {
        "kind": "job",
        "title": "Kỹ sư điều khiển",
        "description": "Vận hành dây chuyền.",
        "required_skills": "kỹ năng làm xyzzy:3",
        "nice_skills": "",
        "headcount": "1",
        "locality": "nd-nam-dinh",
        "deadline": (today_in_vietnam() + timedelta(days=20)).isoformat(),
    }
    data.update(over)
    return data


def _boss(login):
    org = make_org()
    user = make_user(Role.ENTERPRISE, org=org)
    login(user.email)
    return org, user


def test_an_order_without_a_recognised_required_skill_cannot_be_published(client, ctx, login):
    org, boss = _boss(login)
    response = submit(client, "/enterprise/orders/new", _form(), follow_redirects=True)
    html = response.get_data(as_text=True)
    # saved as a draft, the term kept and HR told it is not recognised
    assert "Chưa nhận diện được, đã giữ lại và gửi Văn phòng tỉnh: kỹ năng làm xyzzy" in html
    assert 'id="unrecognised-terms"' in html
    order = db.session.scalar(sa.select(Order).where(Order.organization_id == org.id))
    assert [(s.term, s.skill_id) for s in order.skills] == [("kỹ năng làm xyzzy", None)]

    url = f"/enterprise/orders/{order.id}"
    response = submit(client, f"{url}/publish", {}, form_url=url, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Hãy nêu ít nhất một kỹ năng bắt buộc mà hệ thống nhận diện được." in html
    assert "Chưa nhận diện được: kỹ năng làm xyzzy." in html
    db.session.refresh(order)
    assert order.status is OrderStatus.DRAFT
    assert 'id="unrecognised-terms"' in client.get(f"{url}/edit").get_data(as_text=True)

    # in English too
    client.set_cookie("lang", "en")
    response = submit(client, f"{url}/publish", {}, form_url=url, follow_redirects=True)
    assert "Name at least one required skill the platform recognises." in response.get_data(
        as_text=True
    )

    # with one recognised skill beside it, it publishes; the unknown term stays on it
    submit(client, f"{url}/edit", _form(required_skills="Python:3\nkỹ năng làm xyzzy:3"))
    submit(client, f"{url}/publish", {}, form_url=url)
    db.session.refresh(order)
    assert order.status is OrderStatus.OPEN
    assert orders.unrecognised_required(order) == ["kỹ năng làm xyzzy"]
    body = call(client, "GET", f"/api/v1/orders/{order.id}", token_for(boss)).get_json()
    assert body["unrecognised_required"] == ["kỹ năng làm xyzzy"]


def test_an_open_order_cannot_lose_its_last_recognised_required_skill(ctx):
    org = make_org()
    user = make_user(Role.ENTERPRISE, org=org)
    order = make_order(org)
    data = orders.OrderInput(
        kind=order.kind,
        title=order.title,
        description="",
        headcount=1,
        locality=None,
        remote=False,
        salary_min=None,
        salary_max=None,
        start_date=None,
        deadline=None,
        required=[("kỹ năng làm xyzzy", 3)],
        nice=[("Python", 3)],
    )
    with pytest.raises(ServiceError) as refused:
        orders.save_order(org, user, data, order=order)
    assert refused.value.field == "required_skills"
    db.session.rollback()
    db.session.refresh(order)
    assert [s.skill.slug for s in order.skills] == ["python"]


def test_an_unrecognised_required_term_counts_as_missing_for_everyone_until_mapped(
    client, ctx, login
):
    org, _user = _boss(login)
    order = make_order(org, skills=("sql",))
    order.skills.append(OrderSkill(skill_id=None, term="Lập trình Xyzzy", required=True, level=3))
    db.session.commit()
    expert = make_learner(skills=(("python", 5), ("sql", 4)))

    result = pair_scores.explain(order, expert)
    assert result.tier is Tier.MISSING and result.unknown == ("Lập trình Xyzzy",)
    assert (
        ranked_pages.candidates_for(order, ranked_pages.CandidateFilters(min_tier=Tier.NEAR)).total
        == 0
    )

    url = f"/enterprise/orders/{order.id}/candidates"
    html = client.get(url).get_data(as_text=True)
    assert 'id="unrecognised-terms"' in html and 'data-total="0"' in html
    assert 'id="show-everyone"' in html
    html = client.get(f"{url}?tier=all").get_data(as_text=True)
    card = html[html.index(f'data-learner-id="{expert.id}"') :]
    assert "“Lập trình Xyzzy”" in card and 'class="badge text-bg-light border border-danger' in card

    # the province office sees it in the curation queue and maps it: the expert now meets it
    queued = {t.label: t for t in curation.unknown_terms()}
    assert queued["Lập trình Xyzzy"].orders == 1
    admin = make_user(Role.ADMIN)
    assert curation.map_term(admin, "Lập trình Xyzzy", "python") == 1
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    assert pair_scores.explain(order, expert).tier is Tier.MEETS
    assert [c.learner.id for c in ranked_pages.candidates_for(order).items] == [expert.id]
