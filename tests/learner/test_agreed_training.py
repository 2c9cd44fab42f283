"""Learners never apply to a training order: they see only the training a college agreed
to deliver (an offer the enterprise accepted), with the college, its terms and how to enrol."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from apiclient import token_for
from conftest import csrf_token, submit
from factories import make_learner, make_order, make_org, make_programme, make_user, skill

from matchhub.extensions import db
from matchhub.models import (
    Application,
    LearnerSkill,
    OfferStatus,
    Order,
    OrderKind,
    OrderStatus,
    OrgKind,
    Role,
    TrainingMode,
    TrainingOffer,
    VerificationState,
    utcnow,
)
from matchhub.services import ServiceError, applications, learners, stats, training
from matchhub.services.orders import today_in_vietnam

ENROL = "Gọi phòng tuyển sinh 0228 3 123 456 trước 15/01, mang CCCD."


def _world():
    enterprise = make_org(name="Công ty Dệt Nam Định")
    order = make_order(
        enterprise,
        kind=OrderKind.TRAINING,
        title="Đào tạo 20 lập trình viên Python",
        headcount=20,
        deadline=None,
        duration_weeks=12,
    )
    college = make_org(OrgKind.COLLEGE, name="Cao đẳng Công nghệ Nam Định", code="CDCN")
    programme = make_programme(college, code="PY", name="Lập trình Python ứng dụng")
    return enterprise, order, college, programme


def _offer(order, college, programme=None, status=OfferStatus.ACCEPTED, **kw):
    offer = TrainingOffer(
        order=order,
        college=college,
        programme=programme,
        course_name=kw.pop("course_name", ""),
        seats=kw.pop("seats", 10),
        status=status,
        start_date=kw.pop("start_date", today_in_vietnam() + timedelta(days=30)),
        duration_weeks=kw.pop("duration_weeks", 10),
        mode=kw.pop("mode", TrainingMode.BLENDED),
        location=kw.pop("location", "Cơ sở 2, đường Trần Hưng Đạo"),
        enrolment=kw.pop("enrolment", ENROL),
        **kw,
    )
    db.session.add(offer)
    db.session.commit()
    return offer


def _learner_user():
    user = make_user(Role.LEARNER)
    learner = learners.learner_of_user(user)
    learner.skills.append(LearnerSkill(skill=skill("python"), term="Python", level=3))
    learner.consent_at = utcnow()
    db.session.commit()
    return user, learner


def test_learners_see_agreed_training_with_how_to_enrol(client, ctx, login):
    _enterprise, order, college, programme = _world()
    agreed = _offer(order, college, programme)
    login(_learner_user()[0].email)
    page = client.get("/learner/training")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'data-offer="{agreed.id}"' in html
    for shown in (
        "Lập trình Python ứng dụng",
        "Cao đẳng Công nghệ Nam Định",
        "Đào tạo 20 lập trình viên Python",
        agreed.start_date.strftime("%d/%m/%Y"),
        "10 tuần",
        "Kết hợp",
        "Cơ sở 2, đường Trần Hưng Đạo",
        ENROL,
        "Cách đăng ký",
    ):
        assert shown in html, shown
    # The nav leads there; nothing on the page lets a learner apply.
    assert 'href="/learner/training"' in html and "Ứng tuyển" not in html
    client.set_cookie("lang", "en")
    assert "How to enrol" in client.get("/learner/training").get_data(as_text=True)


def test_only_agreed_training_is_shown(client, ctx, login):
    enterprise, order, college, programme = _world()
    shown = _offer(order, college, programme, course_name="Khoá đã nhận")
    pending = _offer(order, college, None, OfferStatus.PENDING, course_name="Khoá đang chờ")
    declined = _offer(order, college, None, OfferStatus.DECLINED, course_name="Khoá bị từ chối")
    started = _offer(
        order,
        college,
        None,
        course_name="Khoá đã khai giảng",
        start_date=today_in_vietnam() - timedelta(days=1),
    )
    suspended = make_org(OrgKind.COLLEGE, state=VerificationState.SUSPENDED, code="SUSP")
    from_suspended = _offer(order, suspended, None, course_name="Khoá của trường bị đình chỉ")
    cancelled_order = make_order(
        enterprise, kind=OrderKind.TRAINING, status=OrderStatus.CANCELLED, deadline=None
    )
    on_cancelled = _offer(cancelled_order, college, None, course_name="Khoá của đơn đã huỷ")
    job = make_order(enterprise, title="Việc làm thường")
    assert [o.id for o in training.agreed_training()] == [shown.id]
    login(_learner_user()[0].email)
    html = client.get("/learner/training").get_data(as_text=True)
    assert f'data-offer="{shown.id}"' in html and "Lập trình Python ứng dụng" in html
    for hidden in (pending, declined, started, from_suspended, on_cancelled):
        assert f'data-offer="{hidden.id}"' not in html, hidden.course_name
    assert job.title not in html

    # Every seat agreed (the order is filled): the training still lies ahead, still shown.
    order.status = OrderStatus.FILLED
    db.session.commit()
    assert [o.id for o in training.agreed_training()] == [shown.id]


def test_the_rule_agrees_in_python_and_in_sql(ctx):
    enterprise, order, college, _programme = _world()
    offers = [
        _offer(order, college, status=status, course_name=status.value) for status in OfferStatus
    ]
    in_sql = set(
        db.session.scalars(sa.select(TrainingOffer.id).where(TrainingOffer.is_open_to_learners))
    )
    assert in_sql == {o.id for o in offers if o.is_open_to_learners}
    assert in_sql == {offers[1].id}  # accepted
    job = make_order(enterprise)
    openings = set(db.session.scalars(sa.select(Order.id).where(Order.is_opening)))
    assert openings == {job.id} and job.is_opening and not order.is_opening
    assert order.is_live and order.shows_agreed_training and not job.shows_agreed_training


def test_a_training_order_is_never_an_opening_for_learners(client, ctx, login):
    _enterprise, order, college, programme = _world()
    _offer(order, college, programme)
    user, _learner = _learner_user()
    login(user.email)
    for url in ("/learner/matches?tier=all", "/learner/openings", "/learner/", "/orders", "/"):
        assert order.title not in client.get(url).get_data(as_text=True), url
    assert client.get(f"/learner/orders/{order.id}").status_code == 404
    assert client.get(f"/orders/{order.id}").status_code == 404
    assert stats.overview().open_seats == 0  # trainees are not positions offered
    token = token_for(user)
    headers = {"Authorization": f"Bearer {token}"}
    listed = client.get("/api/v1/orders/open?per_page=100", headers=headers).get_json()
    assert order.id not in [o["id"] for o in listed["items"]]
    for url in (f"/api/v1/orders/{order.id}", "/api/v1/matches?kind=training"):
        response = client.get(url, headers=headers)
        assert response.status_code == 404 or response.get_json()["items"] == [], url
    # A college reads it: it is addressed to colleges.
    college_token = token_for(make_user(Role.COLLEGE, org=college))
    response = client.get(
        f"/api/v1/orders/{order.id}", headers={"Authorization": f"Bearer {college_token}"}
    )
    assert response.status_code == 200 and response.get_json()["kind"] == "training"


def test_a_learner_cannot_apply_to_a_training_order(client, ctx, login):
    _enterprise, order, _college, _programme = _world()
    user, learner = _learner_user()
    with pytest.raises(ServiceError, match="không nhận hồ sơ ứng tuyển"):
        applications.apply(order, learner, user)
    login(user.email)
    job = make_order(order.organization)
    url = f"/learner/orders/{order.id}/apply"
    response = submit(client, url, {"message": "Cho em học"}, form_url=f"/learner/orders/{job.id}")
    assert response.status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(Application.id))) == 0


def test_an_enterprise_cannot_shortlist_or_invite_for_a_training_order(ctx):
    enterprise, order, _college, _programme = _world()
    boss = make_user(Role.ENTERPRISE, org=enterprise)
    learner = make_learner()
    for invite in (False, True):
        with pytest.raises(ServiceError):
            applications.shortlist(order, learner, boss, invite=invite)
    assert db.session.scalar(sa.select(sa.func.count(Application.id))) == 0


def test_enrolment_text_is_escaped_and_the_college_is_named_without_it(client, ctx, login):
    _enterprise, order, college, programme = _world()
    _offer(order, college, programme, enrolment='<script>alert("x")</script>')
    plain = _offer(order, college, None, course_name="Khoá không hướng dẫn", enrolment="")
    login(_learner_user()[0].email)
    html = client.get("/learner/training").get_data(as_text=True)
    assert '<script>alert("x")</script>' not in html and "&lt;script&gt;" in html
    card = html.split(f'data-offer="{plain.id}"', 1)[1].split("</article>", 1)[0]
    assert "Hãy liên hệ trực tiếp với Cao đẳng Công nghệ Nam Định" in card


def test_a_college_says_how_to_enrol_and_the_enterprise_reads_it(client, ctx, login):
    enterprise, order, college, programme = _world()
    login(make_user(Role.COLLEGE, org=college).email)
    url = f"/college/training-orders/{order.id}"
    form = client.get(url).get_data(as_text=True)
    assert 'name="enrolment"' in form
    offer = {"programme": str(programme.id), "seats": "5"}
    too_long = submit(client, url, {**offer, "enrolment": "x" * 2001})
    assert too_long.status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(TrainingOffer.id))) == 0
    sent = submit(client, url, {**offer, "enrolment": ENROL})
    assert sent.status_code == 302
    offer = db.session.scalars(sa.select(TrainingOffer)).one()
    assert offer.enrolment == ENROL
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})
    login(make_user(Role.ENTERPRISE, org=enterprise).email)
    detail = client.get(f"/enterprise/orders/{order.id}").get_data(as_text=True)
    assert ENROL in detail


def test_the_college_updates_how_to_enrol_after_the_agreement(client, ctx, login):
    _enterprise, order, college, programme = _world()
    agreed = _offer(order, college, programme, enrolment="Gọi số cũ")
    declined = _offer(order, college, None, OfferStatus.DECLINED, course_name="Khoá bị từ chối")
    other = make_org(OrgKind.COLLEGE, code="KHAC")
    foreign = _offer(order, other, None, course_name="Khoá của trường khác")
    login(make_user(Role.COLLEGE, org=college).email)
    page = f"/college/training-orders/{order.id}"
    assert f'id="enrolment-{agreed.id}"' in client.get(page).get_data(as_text=True)

    def post(offer, text):
        url = f"/college/training-offers/{offer.id}/enrolment"
        return submit(client, url, {"enrolment": text}, form_url=page, follow_redirects=True)

    saved = post(agreed, "Gọi số mới 0228 3 999 999")
    assert "Đã lưu cách đăng ký" in saved.get_data(as_text=True)
    too_long = post(agreed, "x" * 2001)
    assert "2000" in too_long.get_data(as_text=True)
    assert post(foreign, "Không phải của tôi").status_code == 404
    with pytest.raises(ServiceError):
        training.update_enrolment(declined, make_user(Role.COLLEGE, org=college), "Gọi tôi")
    db.session.refresh(agreed)
    db.session.refresh(foreign)
    assert agreed.enrolment == "Gọi số mới 0228 3 999 999" and foreign.enrolment == ENROL
    assert post(agreed, "a\x00b").status_code == 400
    db.session.refresh(agreed)
    assert agreed.enrolment == "Gọi số mới 0228 3 999 999"
