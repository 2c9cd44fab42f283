"""Training orders: a college offers, the enterprise that placed the order decides."""

import sqlalchemy as sa
from conftest import csrf_token, submit
from factories import make_order, make_org, make_programme, make_user

from matchhub.extensions import db
from matchhub.models import (
    OfferStatus,
    OrderKind,
    OrderStatus,
    OrgKind,
    Role,
    TrainingOffer,
    VerificationState,
)


def _setup():
    enterprise = make_org(name="Công ty Dệt Nam Định")
    order = make_order(
        enterprise, kind=OrderKind.TRAINING, title="Đào tạo 20 thợ may công nghiệp", headcount=20
    )
    college = make_org(OrgKind.COLLEGE, code="NDTC")
    programme = make_programme(college, code="MAY", name="May thời trang")
    return enterprise, order, college, programme


def _logout(client):
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})


def test_college_offers_and_enterprise_accepts(client, ctx, login):
    enterprise, order, college, programme = _setup()
    make_order(enterprise, kind=OrderKind.JOB, title="Việc làm, không phải đào tạo")
    pending = make_org(state=VerificationState.PENDING)
    make_order(pending, kind=OrderKind.TRAINING, title="Đơn của tổ chức chưa xác minh")
    college_user = make_user(Role.COLLEGE, org=college)
    login(college_user.email)
    listing = client.get("/college/training-orders").get_data(as_text=True)
    assert f'data-order="{order.id}"' in listing
    assert "Việc làm, không phải đào tạo" not in listing
    assert "Đơn của tổ chức chưa xác minh" not in listing
    url = f"/college/training-orders/{order.id}"
    response = submit(
        client, url, {"programme": str(programme.id), "seats": "20", "note": "Khai giảng sớm"}
    )
    assert response.status_code == 302
    offer = db.session.scalar(sa.select(TrainingOffer))
    assert (offer.college_id, offer.programme_id, offer.seats) == (college.id, programme.id, 20)
    again = submit(client, url, {"course_name": "Khóa ngắn", "seats": "5"})
    assert again.status_code == 200  # one pending offer per order and college
    assert db.session.scalar(sa.select(sa.func.count(TrainingOffer.id))) == 1
    _logout(client)

    login(make_user(Role.ENTERPRISE, org=enterprise).email)
    detail = client.get(f"/enterprise/orders/{order.id}").get_data(as_text=True)
    assert f'data-offer="{offer.id}" data-status="pending"' in detail
    submit(
        client,
        f"/enterprise/offers/{offer.id}/accept",
        {},
        form_url=f"/enterprise/orders/{order.id}",
    )
    db.session.refresh(offer)
    assert offer.status is OfferStatus.ACCEPTED and offer.decided_at is not None
    _logout(client)

    login(college_user.email)
    mine = client.get("/college/training-orders").get_data(as_text=True)
    assert f'data-offer="{offer.id}" data-status="accepted"' in mine


def test_only_the_orders_enterprise_decides(client, ctx, login):
    _enterprise, order, college, programme = _setup()
    offer = TrainingOffer(
        order=order, college=college, programme=programme, seats=5, status=OfferStatus.PENDING
    )
    db.session.add(offer)
    db.session.commit()
    rival = make_org(name="Đối thủ")
    login(make_user(Role.ENTERPRISE, org=rival).email)
    token = csrf_token(client, "/enterprise/")
    response = client.post(f"/enterprise/offers/{offer.id}/decline", data={"csrf_token": token})
    assert response.status_code == 404
    assert client.get(f"/enterprise/orders/{order.id}").status_code == 404
    db.session.refresh(offer)
    assert offer.status is OfferStatus.PENDING


def test_offer_rules(client, ctx, login):
    _enterprise, order, college, _programme = _setup()
    other = make_org(OrgKind.COLLEGE, code="KHAC")
    theirs = make_programme(other, code="X")
    login(make_user(Role.COLLEGE, org=college).email)
    url = f"/college/training-orders/{order.id}"
    for data in (
        {"seats": "5"},  # neither a programme nor a course
        {"programme": str(theirs.id), "seats": "5"},  # another college's programme
        {"course_name": "Khóa ngắn", "seats": "5", "start_date": "2000-01-01"},
    ):
        assert submit(client, url, data).status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(TrainingOffer.id))) == 0
    order.status = OrderStatus.CLOSED
    db.session.commit()
    assert client.get(url).status_code == 404


def _offer(order, college, seats, status=OfferStatus.PENDING):
    offer = TrainingOffer(
        order_id=order.id, college_id=college.id, course_name="Khoá ngắn", seats=seats,
        status=status,
    )  # fmt: skip
    db.session.add(offer)
    db.session.commit()
    return offer


def test_an_unverified_college_cannot_offer_and_sees_why(client, ctx, login):
    _enterprise, order, college, programme = _setup()
    college.state = VerificationState.PENDING
    db.session.commit()
    login(make_user(Role.COLLEGE, org=college).email)
    url = f"/college/training-orders/{order.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'id="offer-needs-verification"' in page and 'name="seats"' not in page
    response = submit(client, url, {"programme": str(programme.id), "seats": "5"})
    assert response.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(TrainingOffer.id))) == 0


def test_an_offer_of_a_college_no_longer_verified_cannot_be_accepted(client, ctx, login):
    enterprise, order, college, _programme = _setup()
    offer = _offer(order, college, 5)
    college.state = VerificationState.REJECTED
    db.session.commit()
    login(make_user(Role.ENTERPRISE, org=enterprise).email)
    detail = client.get(f"/enterprise/orders/{order.id}").get_data(as_text=True)
    assert "Từ chối" in detail.split(f'data-offer="{offer.id}"', 1)[1].split("</tr>", 1)[0]
    token = csrf_token(client, f"/enterprise/orders/{order.id}")
    client.post(f"/enterprise/offers/{offer.id}/accept", data={"csrf_token": token})
    db.session.refresh(offer)
    assert offer.status is OfferStatus.PENDING


def test_accepted_seats_never_exceed_the_order(client, ctx, login):
    enterprise, order, college, _programme = _setup()
    order.headcount = 25
    second = make_org(OrgKind.COLLEGE, code="NDTC2")
    first_offer, second_offer = _offer(order, college, 25), _offer(order, second, 25)
    login(make_user(Role.ENTERPRISE, org=enterprise).email)
    url = f"/enterprise/orders/{order.id}"
    for offer in (first_offer, second_offer):
        client.post(
            f"/enterprise/offers/{offer.id}/accept", data={"csrf_token": csrf_token(client, url)}
        )
    db.session.refresh(first_offer)
    db.session.refresh(second_offer)
    assert (first_offer.status, second_offer.status) == (OfferStatus.ACCEPTED, OfferStatus.PENDING)
    assert 'data-seats-left="0"' in client.get(url).get_data(as_text=True)
    # A college cannot even offer more seats than are left.
    _logout(client)
    third = make_org(OrgKind.COLLEGE, code="NDTC3")
    login(make_user(Role.COLLEGE, org=third).email)
    page = client.get(f"/college/training-orders/{order.id}").get_data(as_text=True)
    assert 'id="seats-left">0<' in page
