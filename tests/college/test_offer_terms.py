"""A training offer's terms (fee, duration, mode, place), changed or withdrawn until decided."""

import sqlalchemy as sa
from conftest import csrf_token, submit
from factories import make_order, make_org, make_programme, make_user

from matchhub.extensions import db
from matchhub.models import (
    Notification,
    OfferStatus,
    OrderKind,
    OrgKind,
    Role,
    TrainingMode,
    TrainingOffer,
)


def _setup():
    enterprise = make_org(name="Công ty Dệt Nam Định")
    order = make_order(enterprise, kind=OrderKind.TRAINING, title="Đào tạo thợ may", headcount=20)
    college = make_org(OrgKind.COLLEGE, code="NDTC")
    programme = make_programme(college, code="MAY", name="May thời trang")
    return enterprise, order, college, programme


def _logout(client):
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})


def test_terms_are_sent_shown_changed_and_withdrawn(client, ctx, login):
    enterprise, order, college, programme = _setup()
    hr = make_user(Role.ENTERPRISE, org=enterprise)  # told of each change
    login(make_user(Role.COLLEGE, org=college).email)
    url = f"/college/training-orders/{order.id}"
    sent = submit(client, url, {
        "programme": str(programme.id), "seats": "10", "duration_weeks": "12",
        "mode": "blended", "location": "Trường NDTC, Nam Định", "fee_per_trainee": "2500000",
    })  # fmt: skip
    assert sent.status_code == 302
    offer = db.session.scalar(sa.select(TrainingOffer))
    assert (offer.duration_weeks, offer.mode, offer.fee_per_trainee) == (
        12, TrainingMode.BLENDED, 2_500_000,
    )  # fmt: skip
    assert offer.location == "Trường NDTC, Nam Định"
    page = client.get(url).get_data(as_text=True)
    assert "12 tuần" in page and "2.500.000 ₫" in page

    # Bad terms are refused per field, and nothing changes.
    edit = f"/college/training-offers/{offer.id}/edit"
    assert 'value="12"' in client.get(edit).get_data(as_text=True)
    bad = submit(client, edit, {
        "programme": str(programme.id), "seats": "10", "duration_weeks": "900",
        "fee_per_trainee": "-5", "mode": "teleport",
    })  # fmt: skip
    assert bad.status_code == 200
    db.session.refresh(offer)
    assert offer.duration_weeks == 12
    changed = submit(client, edit, {
        "programme": str(programme.id), "seats": "8", "duration_weeks": "10", "mode": "online",
        "fee_per_trainee": "0",
    })  # fmt: skip
    assert changed.status_code == 302
    db.session.refresh(offer)
    assert (offer.seats, offer.duration_weeks, offer.mode, offer.fee_per_trainee) == (
        8, 10, TrainingMode.ONLINE, 0,
    )  # fmt: skip
    assert offer.location is None
    kinds = set(db.session.scalars(sa.select(Notification.kind)))
    assert "offer.updated" in kinds

    # The enterprise reads the terms on its order page.
    _logout(client)
    login(hr.email)
    detail = client.get(f"/enterprise/orders/{order.id}").get_data(as_text=True)
    assert "10 tuần" in detail and "Trực tuyến" in detail
    _logout(client)

    # Withdrawn: told to the enterprise, and it can no longer change or be accepted.
    login(make_user(Role.COLLEGE, org=college).email)
    done = submit(client, f"/college/training-offers/{offer.id}/withdraw", {}, form_url=url)
    assert done.status_code == 302
    db.session.refresh(offer)
    assert offer.status is OfferStatus.WITHDRAWN
    assert "offer.withdrawn" in set(db.session.scalars(sa.select(Notification.kind)))
    again = submit(client, edit, {"programme": str(programme.id), "seats": "5"}, form_url=url)
    assert again.status_code == 200
    db.session.refresh(offer)
    assert offer.seats == 8


def test_another_college_and_the_enterprise_cannot_change_an_offer(client, ctx, login):
    enterprise, order, college, programme = _setup()
    offer = TrainingOffer(order_id=order.id, college_id=college.id, programme_id=programme.id,
                          seats=5, status=OfferStatus.PENDING)  # fmt: skip
    db.session.add(offer)
    db.session.commit()
    for user in (
        make_user(Role.COLLEGE, org=make_org(OrgKind.COLLEGE, code="KHAC")),
        make_user(Role.ENTERPRISE, org=enterprise),
    ):
        login(user.email)
        expected = 404 if user.role is Role.COLLEGE else 403
        assert client.get(f"/college/training-offers/{offer.id}/edit").status_code == expected
        _logout(client)
    db.session.refresh(offer)
    assert offer.status is OfferStatus.PENDING
