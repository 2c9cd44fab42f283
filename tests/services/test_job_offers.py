"""Job offers: "hired" follows an accepted offer only, before its reply-by date."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from factories import PASSWORD, make_order, make_org, make_user

from matchhub.extensions import db
from matchhub.models import (
    ApplicationStatus,
    Interview,
    InterviewSlot,
    JobOffer,
    JobOfferStatus,
    Notification,
    Role,
    Visibility,
    utcnow,
)
from matchhub.notifications import wording
from matchhub.services import (
    ServiceError,
    applications,
    interviews,
    job_offers,
    notifications,
    privacy,
)
from matchhub.services.learners import learner_of_user
from matchhub.services.orders import today_in_vietnam

S = ApplicationStatus
O = JobOfferStatus  # noqa: E741


def _setup():
    org = make_org(name="Công ty Phần mềm Vị Hoàng")
    hr = make_user(Role.ENTERPRISE, org=org, email="hr@vihoang.vn")
    order = make_order(org, title="Lập trình viên Python")
    student = make_user(email="sv@example.vn", full_name="Lê Văn Cường")
    learner = learner_of_user(student)
    learner.visibility, learner.consent_at = Visibility.ENTERPRISES, utcnow()
    db.session.commit()
    return hr, student, applications.apply(order, learner, student)


def _offer(**kw) -> job_offers.OfferInput:
    today = today_in_vietnam()
    values = {
        "position": "Lập trình viên Python",
        "start_date": today + timedelta(days=30),
        "reply_by": today + timedelta(days=7),
        "salary": 12_000_000,
        "message": "Chào mừng em!",
    }
    return job_offers.OfferInput(**values | kw)


def test_accepting_the_offer_is_the_way_to_hired(ctx, inbox):
    hr, student, app = _setup()
    for stage in (S.OFFER, S.HIRED):
        assert stage not in sum(applications.ENTERPRISE_MOVES.values(), ())
        with pytest.raises(ServiceError):
            applications.move(app, hr, stage)
    offer = job_offers.send(app, hr, _offer())
    assert app.status is S.OFFER and offer.status is O.SENT
    [mail] = inbox.to("sv@example.vn")
    assert "Lập trình viên Python" in mail["Subject"]
    with pytest.raises(ServiceError):
        applications.move(app, hr, S.HIRED)
    job_offers.accept(app, student, "Em xin nhận")
    assert app.status is S.HIRED and offer.status is O.ACCEPTED and offer.decided_at
    assert app.events[-1].to_status is S.HIRED and app.events[-1].actor_id == student.id
    [note] = notifications.unread_for(hr)[:1]
    assert "đã nhận lời mời" in wording.message(note)
    assert inbox.to("hr@vihoang.vn")  # the officer who sent it is mailed
    with pytest.raises(ServiceError):  # an answer is given once
        job_offers.decline(app, student)


def test_an_expired_offer_cannot_be_accepted_but_can_be_declined_or_replaced(ctx):
    hr, student, app = _setup()
    offer = job_offers.send(app, hr, _offer())
    offer.reply_by = today_in_vietnam() - timedelta(days=1)
    db.session.commit()
    assert job_offers.is_expired(offer) and not job_offers.can_accept(offer)
    with pytest.raises(ServiceError):
        job_offers.accept(app, student)
    assert app.status is S.OFFER
    newer = job_offers.send(app, hr, _offer(position="Kỹ sư phần mềm"))
    assert offer.status is O.WITHDRAWN and job_offers.latest(app) == newer
    job_offers.decline(app, student, "Em đã nhận nơi khác")
    assert newer.status is O.DECLINED and app.status is S.WITHDRAWN
    assert "từ chối" in wording.message(notifications.unread_for(hr)[0])


def test_an_offer_is_refused_before_the_candidate_applied(ctx):
    hr, _student, app = _setup()
    shortlisted = applications.shortlist(
        make_order(app.order.organization, title="Khác"), make_user_learner(), hr
    )
    with pytest.raises(ServiceError):
        job_offers.send(shortlisted, hr, _offer())
    applications.move(app, hr, S.REJECTED)
    with pytest.raises(ServiceError):
        job_offers.send(app, hr, _offer())


def make_user_learner():
    learner = learner_of_user(make_user())
    learner.visibility, learner.consent_at = Visibility.ENTERPRISES, utcnow()
    db.session.commit()
    return learner


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"position": "  "}, "position"),
        ({"position": "x" * 201}, "position"),
        ({"start_date": date(9999, 12, 31)}, "start_date"),
        ({"start_date": date(1, 1, 1)}, "start_date"),
        ({"start_date": None}, "start_date"),
        ({"reply_by": date(9999, 12, 31)}, "reply_by"),
        ({"reply_by": date(2000, 1, 1)}, "reply_by"),
        ({"reply_by": today_in_vietnam() + timedelta(days=60)}, "reply_by"),  # after the start
        ({"salary": 10**18}, "salary"),
        ({"salary": -1}, "salary"),
        ({"message": "x" * 2001}, "message"),
    ],
)
def test_bad_offers_are_refused_per_field(ctx, kw, field):
    hr, _student, app = _setup()
    with pytest.raises(ServiceError) as refused:
        job_offers.send(app, hr, _offer(**kw))
    assert refused.value.field == field
    assert job_offers.latest(app) is None and app.status is S.APPLIED


def test_withdrawing_the_application_withdraws_the_open_offer(ctx):
    hr, student, app = _setup()
    offer = job_offers.send(app, hr, _offer())
    applications.withdraw(app, student)
    assert offer.status is O.WITHDRAWN
    with pytest.raises(ServiceError):
        job_offers.accept(app, student)


def test_interviews_and_offers_are_in_the_export_and_go_with_the_account(ctx):
    hr, student, app = _setup()
    day = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date() + timedelta(days=3)
    interview = interviews.propose(
        app,
        hr,
        [datetime(day.year, day.month, day.day, 9, 30)],
        duration_minutes=30,
        location=None,
        online_url="https://meet.example.vn/phong-1",
        note="Mang theo bảng điểm",
    )
    interviews.book(app, student, interview.slots[0].id)
    job_offers.send(app, hr, _offer())
    job_offers.accept(app, student, "Em cảm ơn anh chị")
    learner = learner_of_user(student)
    data = json.loads(privacy.export_data(learner, student))
    [exported] = data["applications"]
    [i] = exported["interviews"]
    assert i["status"] == "scheduled" and i["online_url"] == "https://meet.example.vn/phong-1"
    assert i["note"] == "Mang theo bảng điểm" and i["starts_at"]
    [o] = exported["offers"]
    assert o["status"] == "accepted" and o["salary"] == 12_000_000
    assert o["my_reply"] == "Em cảm ơn anh chị"

    app_id = app.id
    privacy.delete_account(learner, student, PASSWORD)
    for model in (Interview, InterviewSlot, JobOffer):
        assert db.session.scalar(sa.select(sa.func.count()).select_from(model)) == 0
    left = db.session.scalars(sa.select(Notification)).all()
    assert all(n.payload.get("application_id") != app_id for n in left)
    # The hire stays a hire for the statistics.
    assert db.session.get(type(app), app_id).status is S.HIRED
