"""Interviews: HR proposes times, the learner books or asks for another; both calendars follow."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from factories import make_order, make_org, make_user

from matchhub.extensions import db
from matchhub.models import ApplicationStatus, InterviewStatus, Role, Visibility, utcnow
from matchhub.notifications import wording
from matchhub.services import ServiceError, applications, interviews, notifications
from matchhub.services.learners import learner_of_user

S = ApplicationStatus
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def _setup():
    org = make_org(name="Công ty Phần mềm Vị Hoàng")
    hr = make_user(Role.ENTERPRISE, org=org, email="hr@vihoang.vn", full_name="Trần Thị Nhân Sự")
    colleague = make_user(Role.ENTERPRISE, org=org, email="dong.nghiep@vihoang.vn")
    order = make_order(org, title="Lập trình viên Python")
    student = make_user(email="sv@example.vn", full_name="Lê Văn Cường")
    learner = learner_of_user(student)
    learner.visibility, learner.consent_at = Visibility.ENTERPRISES, utcnow()
    db.session.commit()
    app = applications.apply(order, learner, student, "Em xin ứng tuyển")
    return hr, colleague, student, app


def _local(days: int, hour: int = 9) -> datetime:
    """A wall-clock time in Vietnam ``days`` from today, as HR types it (naive)."""
    day = datetime.now(VN).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, 0)


def _propose(app, hr, *slots, **kw):
    options = {"duration_minutes": 45, "location": "Tầng 3, 12 Trần Hưng Đạo", "online_url": None}
    return interviews.propose(app, hr, list(slots or [_local(3), _local(4, 14)]), **options | kw)


def _calendar(msg) -> icalendar.Calendar:
    [part] = [p for p in msg.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert part.get_filename() == "interview.ics"
    return icalendar.Calendar.from_ical(part.get_content())


def test_booking_a_time_schedules_it_moves_the_application_and_mails_both_an_ics(ctx, inbox):
    hr, colleague, student, app = _setup()
    interview = _propose(app, hr)
    assert interview.status is InterviewStatus.PROPOSED and len(interview.slots) == 2
    [proposal] = inbox.to("sv@example.vn")
    assert "Lập trình viên Python" in proposal["Subject"]
    assert not list(proposal.iter_attachments())  # no time booked yet: no calendar event

    slot = interview.slots[1]
    interviews.book(app, student, slot.id)
    assert app.status is S.INTERVIEW and interview.status is InterviewStatus.SCHEDULED
    assert interview.starts_at == slot.starts_at
    learner_mail = inbox.to("sv@example.vn")[-1]
    hr_mail = inbox.to("hr@vihoang.vn")[-1]
    assert inbox.to("dong.nghiep@vihoang.vn") == []  # colleagues read it in the app only
    for msg in (learner_mail, hr_mail):
        cal = _calendar(msg)
        assert cal["METHOD"] == "REQUEST"
        [event] = cal.walk("VEVENT")
        assert str(event["UID"]) == f"interview-{interview.id}@localhost"
        assert event["SEQUENCE"] == 0
        start = event["DTSTART"].dt
        assert start.tzinfo is not None and start.utcoffset() == timedelta(0)  # UTC
        assert start == _local(4, 14).replace(tzinfo=VN).astimezone(UTC)
        assert event["DTEND"].dt - start == timedelta(minutes=45)
        assert "Trần Hưng Đạo" in str(event["LOCATION"])
        assert str(event["ORGANIZER"]) == "mailto:hr@vihoang.vn"
        assert str(event["ATTENDEE"]) == "mailto:sv@example.vn"
    # The application page's history and the enterprise's notices say so.
    assert app.events[-1].to_status is S.INTERVIEW
    texts = [wording.message(n) for n in notifications.unread_for(colleague)]
    assert any("Lê Văn Cường" in t and "đặt lịch phỏng vấn" in t for t in texts), texts


def test_a_new_proposal_over_a_booked_time_cancels_it_in_both_calendars(ctx, inbox):
    hr, _colleague, student, app = _setup()
    interview = _propose(app, hr)
    interviews.book(app, student, interview.slots[0].id)
    _propose(app, hr, _local(10))
    assert interview.status is InterviewStatus.PROPOSED and interview.starts_at is None
    cancel = _calendar(inbox.to("hr@vihoang.vn")[-1])
    assert cancel["METHOD"] == "CANCEL"
    [event] = cancel.walk("VEVENT")
    assert event["SEQUENCE"] == 1 and str(event["STATUS"]) == "CANCELLED"
    interviews.book(app, student, interview.slots[0].id)
    again = _calendar(inbox.to("sv@example.vn")[-1])
    [event] = again.walk("VEVENT")
    assert again["METHOD"] == "REQUEST" and event["SEQUENCE"] == 2
    assert str(event["UID"]) == f"interview-{interview.id}@localhost"  # the same event


def test_the_learner_asks_for_another_time_and_hr_cancels(ctx, inbox):
    hr, _colleague, student, app = _setup()
    interview = _propose(app, hr)
    with pytest.raises(ServiceError):
        interviews.ask_another_time(app, student, "   ")
    interviews.ask_another_time(app, student, "Em bận thi tuần này, tuần sau được ạ")
    assert interview.status is InterviewStatus.RESCHEDULE
    assert "tuần sau" in interview.request_message
    texts = [wording.message(n) for n in notifications.unread_for(hr)]
    assert any("tuần sau" in t for t in texts)
    interviews.cancel(app, hr, "Đã tuyển đủ")
    assert interview.status is InterviewStatus.CANCELLED
    assert interviews.current(app) is None
    learner_texts = [wording.message(n) for n in notifications.unread_for(student)]
    assert any("bị huỷ" in t for t in learner_texts), learner_texts


def test_rejecting_or_withdrawing_ends_a_booked_interview(ctx, inbox):
    hr, _colleague, student, app = _setup()
    interview = _propose(app, hr)
    interviews.book(app, student, interview.slots[0].id)
    applications.withdraw(app, student)
    assert interview.status is InterviewStatus.CANCELLED
    assert _calendar(inbox.to("hr@vihoang.vn")[-1])["METHOD"] == "CANCEL"


@pytest.mark.parametrize(
    ("slots", "kw", "field"),
    [
        ([], {}, "slots"),
        ([datetime(9999, 12, 31, 23, 59)], {}, "slots"),
        ([datetime(1, 1, 1, 0, 0)], {}, "slots"),
        ([_local(-1)], {}, "slots"),
        ([_local(1 + d) for d in range(6)], {}, "slots"),
        ([_local(2)], {"duration_minutes": 0}, "duration_minutes"),
        ([_local(2)], {"duration_minutes": 10**9}, "duration_minutes"),
        ([_local(2)], {"location": "", "online_url": ""}, "location"),
        ([_local(2)], {"location": None, "online_url": "javascript:alert(1)"}, "online_url"),
    ],
)
def test_bad_proposals_are_refused_per_field(ctx, slots, kw, field):
    hr, _colleague, _student, app = _setup()
    with pytest.raises(ServiceError) as refused:
        interviews.propose(
            app,
            hr,
            slots,
            **{"duration_minutes": 30, "location": "Phòng họp", "online_url": None} | kw,
        )
    assert refused.value.field == field
    assert interviews.current(app) is None


def test_no_interview_before_the_candidate_applied_and_no_foreign_slot(ctx):
    hr, _colleague, student, app = _setup()
    other_app = applications.apply(
        make_order(app.order.organization, title="Khác"), app.learner, student
    )
    theirs = _propose(other_app, hr)
    mine = _propose(app, hr)
    with pytest.raises(ServiceError):
        interviews.book(app, student, theirs.slots[0].id)  # another interview's slot
    assert mine.status is InterviewStatus.PROPOSED
    applications.move(app, hr, S.REJECTED)
    with pytest.raises(ServiceError):
        _propose(app, hr)


def test_each_side_reads_its_event_in_its_own_language(ctx, inbox):
    hr, _colleague, student, app = _setup()
    student.locale = "en"
    db.session.commit()
    interview = _propose(app, hr)
    interviews.book(app, student, interview.slots[0].id)
    [learner_event] = _calendar(inbox.to("sv@example.vn")[-1]).walk("VEVENT")
    [hr_event] = _calendar(inbox.to("hr@vihoang.vn")[-1]).walk("VEVENT")
    assert str(learner_event["SUMMARY"]).startswith("Interview: Lập trình viên Python")
    assert str(hr_event["SUMMARY"]).startswith("Phỏng vấn: Lập trình viên Python")
    assert "Lê Văn Cường" in str(hr_event["SUMMARY"])
