"""The interview and offer forms on both sides' application pages."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from conftest import csrf_token, submit
from factories import PASSWORD, make_order, make_org, make_user

from matchhub.extensions import db
from matchhub.models import ApplicationStatus, InterviewStatus, JobOfferStatus, Role, Visibility
from matchhub.services import applications, interviews, job_offers
from matchhub.services.learners import learner_of_user
from matchhub.services.orders import today_in_vietnam

S = ApplicationStatus
VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def world(ctx):
    org = make_org(name="Công ty Phần mềm Vị Hoàng")
    hr = make_user(Role.ENTERPRISE, org=org, email="hr@vihoang.vn")
    student = make_user(email="sv@example.vn", full_name="Lê Văn Cường")
    learner = learner_of_user(student)
    learner.visibility = Visibility.ENTERPRISES
    db.session.commit()
    app = applications.apply(make_order(org, title="Lập trình viên Python"), learner, student)
    return hr, student, app


def _as(client, email):
    client.post("/auth/logout", data={"csrf_token": csrf_token(client, "/")})
    submit(client, "/auth/login", {"email": email, "password": PASSWORD})


def _slot(days: int, hour: int = 9) -> str:
    day = datetime.now(VN).date() + timedelta(days=days)
    return f"{day.isoformat()}T{hour:02d}:00"


def _propose(client, app, **fields):
    url = f"/enterprise/applications/{app.id}"
    data = {
        "slot_1": _slot(3),
        "slot_2": _slot(4, 14),
        "slot_3": "",
        "duration_minutes": "45",
        "location": "Tầng 3, 12 Trần Hưng Đạo",
        "online_url": "",
        "note": "Mang theo CV",
    } | fields
    return submit(client, f"{url}/interview", data, form_url=url)


def test_hr_proposes_the_learner_books_and_both_pages_show_it(client, world):
    hr, student, app = world
    _as(client, hr.email)
    assert _propose(client, app).status_code == 302
    page = client.get(f"/enterprise/applications/{app.id}").get_data(as_text=True)
    assert 'data-interview-status="proposed"' in page and "Tầng 3, 12 Trần Hưng Đạo" in page

    _as(client, student.email)
    url = f"/learner/applications/{app.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'data-interview-status="proposed"' in page
    slot = interviews.current(app).slots[1]
    response = submit(client, f"{url}/interview/book", {"slot": str(slot.id)}, form_url=url)
    assert response.status_code == 302
    page = client.get(url).get_data(as_text=True)
    when = slot.starts_at.astimezone(VN).strftime("%d/%m/%Y %H:%M")
    assert 'data-interview-status="scheduled"' in page and when in page
    assert 'data-status="interview"' in page
    listing = client.get("/learner/applications").get_data(as_text=True)
    assert 'data-interview="scheduled"' in listing and when in listing

    _as(client, hr.email)
    page = client.get(f"/enterprise/applications/{app.id}").get_data(as_text=True)
    assert 'data-interview-status="scheduled"' in page and when in page


def test_the_learner_asks_for_another_time(client, world):
    hr, student, app = world
    _as(client, hr.email)
    _propose(client, app)
    _as(client, student.email)
    url = f"/learner/applications/{app.id}"
    submit(client, f"{url}/interview/another-time", {"message": ""}, form_url=url)
    assert interviews.current(app).status is InterviewStatus.PROPOSED  # a reason is needed
    submit(client, f"{url}/interview/another-time", {"message": "Chiều thứ Sáu ạ"}, form_url=url)
    db.session.expire_all()
    assert interviews.current(app).status is InterviewStatus.RESCHEDULE
    _as(client, hr.email)
    page = client.get(f"/enterprise/applications/{app.id}").get_data(as_text=True)
    assert "Chiều thứ Sáu ạ" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"slot_1": "9999-12-31T23:59"}, "mười hai tháng"),
        ({"slot_1": "99999-01-01T10:00"}, "Ngày giờ không hợp lệ"),
        ({"slot_1": _slot(-2)}, "trong tương lai"),
        ({"duration_minutes": str(10**20)}, "5 đến 480"),
        ({"location": "", "online_url": ""}, "địa điểm hoặc liên kết"),
        ({"online_url": "javascript:alert(1)"}, "https://"),
        ({"note": "Việt\r\n" * 2000}, "2000"),
    ],
)
def test_a_refused_proposal_keeps_what_was_typed_with_the_message(client, world, fields, message):
    hr, _student, app = world
    _as(client, hr.email)
    response = _propose(client, app, **fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page and "invalid-feedback" in page
    assert "Tầng 3, 12 Trần Hưng Đạo" in page or fields.get("location") == ""  # kept
    assert interviews.current(app) is None


def test_nul_and_a_missing_csrf_token_are_refused(client, world):
    hr, _student, app = world
    _as(client, hr.email)
    assert _propose(client, app, note="a\x00b").status_code == 400
    response = client.post(
        f"/enterprise/applications/{app.id}/interview",
        data={"slot_1": _slot(3), "duration_minutes": "30", "location": "Phòng họp"},
    )
    assert response.status_code == 400
    assert interviews.current(app) is None


def _send_offer(client, app, **fields):
    url = f"/enterprise/applications/{app.id}"
    today = today_in_vietnam()
    data = {
        "position": "Lập trình viên Python",
        "start_date": (today + timedelta(days=30)).isoformat(),
        "reply_by": (today + timedelta(days=7)).isoformat(),
        "salary": "12000000",
        "message": "Chào mừng em!",
    } | fields
    return submit(client, f"{url}/job-offer", data, form_url=url)


def test_offer_accepted_after_the_confirmation_step(client, world):
    hr, student, app = world
    _as(client, hr.email)
    assert _send_offer(client, app).status_code == 302
    _as(client, student.email)
    url = f"/learner/applications/{app.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'data-offer-status="sent"' in page and "12.000.000" in page
    confirm = f"{url}/job-offer/accept"
    assert "offer-confirm-form" in client.get(confirm).get_data(as_text=True)
    submit(client, confirm, {"reply": "Em xin nhận"}, form_url=confirm)  # box not ticked
    db.session.expire_all()
    assert app.status is S.OFFER
    submit(client, confirm, {"reply": "Em xin nhận", "confirm": "y"}, form_url=confirm)
    db.session.expire_all()
    assert app.status is S.HIRED
    assert job_offers.latest(app).status is JobOfferStatus.ACCEPTED


def test_an_expired_offer_shows_so_and_cannot_be_accepted(client, world):
    hr, student, app = world
    _as(client, hr.email)
    _send_offer(client, app)
    offer = job_offers.latest(app)
    offer.reply_by = today_in_vietnam() - timedelta(days=1)
    db.session.commit()
    _as(client, student.email)
    url = f"/learner/applications/{app.id}"
    page = client.get(url).get_data(as_text=True)
    assert "offer-accept" not in page and "Đã quá hạn trả lời" in page
    confirm = f"{url}/job-offer/accept"
    token = csrf_token(client, url)
    client.post(confirm, data={"csrf_token": token, "confirm": "y"})
    db.session.expire_all()
    assert app.status is S.OFFER


@pytest.mark.parametrize(
    "fields",
    [
        {"start_date": "9999-12-31"},
        {"reply_by": "9999-12-31"},
        {"salary": str(10**20)},
        {"position": "x" * 5000},
        {"message": "Việt\r\n" * 2000},
    ],
)
def test_a_refused_offer_is_a_form_error(client, world, fields):
    hr, _student, app = world
    _as(client, hr.email)
    response = _send_offer(client, app, **fields)
    assert response.status_code == 200
    assert "invalid-feedback" in response.get_data(as_text=True)
    assert job_offers.latest(app) is None


def test_hired_is_not_offered_to_hr_and_a_forged_move_is_refused(client, world):
    hr, _student, app = world
    _as(client, hr.email)
    _send_offer(client, app)
    url = f"/enterprise/applications/{app.id}"
    assert 'value="hired"' not in client.get(url).get_data(as_text=True)
    submit(client, f"{url}/move", {"to_status": "hired"}, form_url=url)
    db.session.expire_all()
    assert app.status is S.OFFER


def test_a_hiring_notice_links_to_the_application(client, world):
    hr, student, app = world
    _as(client, hr.email)
    _send_offer(client, app)
    _as(client, student.email)
    dashboard = client.get("/learner/").get_data(as_text=True)
    assert 'data-notification="job_offer.sent"' in dashboard
    from matchhub.services import notifications

    [note] = [n for n in notifications.unread_for(student) if n.kind == "job_offer.sent"]
    opened = client.get(f"/notifications/{note.id}")
    assert opened.headers["Location"] == f"/learner/applications/{app.id}#hiring"


def test_another_enterprise_or_learner_cannot_touch_the_interview_or_offer(client, world):
    hr, _student, app = world
    _as(client, hr.email)
    _propose(client, app)
    _send_offer(client, app)
    slot = interviews.current(app).slots[0]
    rival = make_user(Role.ENTERPRISE, org=make_org(name="Đối thủ"))
    _as(client, rival.email)
    token = csrf_token(client, "/enterprise/")
    base = f"/enterprise/applications/{app.id}"
    for path in ("", "/interview", "/interview/cancel", "/job-offer"):
        method = client.get if path == "" else client.post
        assert method(base + path, data={"csrf_token": token}).status_code == 404
    stranger = make_user(email="khac@example.vn")
    _as(client, stranger.email)
    token = csrf_token(client, "/learner/")
    base = f"/learner/applications/{app.id}"
    posts = {
        "/interview/book": {"slot": str(slot.id)},
        "/interview/another-time": {"message": "Giờ khác"},
        "/job-offer/accept": {"confirm": "y"},
        "/job-offer/decline": {"confirm": "y"},
    }
    for path, data in posts.items():
        assert client.post(base + path, data={**data, "csrf_token": token}).status_code == 404
    assert client.get(f"{base}/job-offer/accept").status_code == 404
    db.session.expire_all()
    assert interviews.current(app).status is InterviewStatus.PROPOSED
    assert app.status is S.OFFER and job_offers.latest(app).status is JobOfferStatus.SENT


def test_the_learner_forms_need_their_csrf_token(client, world):
    hr, student, app = world
    _as(client, hr.email)
    _propose(client, app)
    _send_offer(client, app)
    slot = interviews.current(app).slots[0]
    _as(client, student.email)
    base = f"/learner/applications/{app.id}"
    client.post(f"{base}/interview/book", data={"slot": str(slot.id)})
    client.post(f"{base}/job-offer/accept", data={"confirm": "y"})
    db.session.expire_all()
    assert interviews.current(app).status is InterviewStatus.PROPOSED
    assert app.status is S.OFFER
