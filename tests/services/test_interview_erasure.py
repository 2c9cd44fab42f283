"""A learner with a booked interview deletes their account: the HR organiser's calendar
loses each interview still to come (CANCEL, same UID, SEQUENCE raised), by mail after the
commit, and neither the mail nor the notices name the person."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import sqlalchemy as sa
from factories import PASSWORD, make_order, make_org, make_user

from matchhub.extensions import db
from matchhub.models import Interview, Notification, Role, Visibility, utcnow
from matchhub.notifications import wording
from matchhub.services import applications, interviews, notifications, privacy
from matchhub.services.learners import learner_of_user

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NAME, ADDRESS = "Lê Văn Cường", "sv@example.vn"


def _local(days: int, hour: int = 9) -> datetime:
    day = datetime.now(VN).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, 0)


def _world():
    org = make_org(name="Công ty Phần mềm Vị Hoàng")
    hr = make_user(Role.ENTERPRISE, org=org, email="hr@vihoang.vn", full_name="Trần Nhân Sự")
    colleague = make_user(Role.ENTERPRISE, org=org, email="dong.nghiep@vihoang.vn")
    student = make_user(email=ADDRESS, full_name=NAME)
    learner = learner_of_user(student)
    learner.visibility, learner.consent_at = Visibility.ENTERPRISES, utcnow()
    db.session.commit()

    def booked(title: str, days: int) -> Interview:
        app = applications.apply(make_order(org, title=title), learner, student, "Em xin ứng tuyển")
        interview = interviews.propose(
            app, hr, [_local(days)], duration_minutes=45, location="Tầng 3", online_url=None
        )
        interviews.book(app, student, interview.slots[0].id)
        return interview

    return hr, colleague, student, learner, booked


def _calendars(messages) -> list[icalendar.Calendar]:
    return [
        icalendar.Calendar.from_ical(part.get_content())
        for msg in messages
        for part in msg.iter_attachments()
        if part.get_content_type() == "text/calendar"
    ]


def test_hr_gets_a_cancel_for_each_booked_interview_to_come_naming_nobody(ctx, inbox):
    hr, colleague, student, learner, booked = _world()
    first, second = booked("Lập trình viên Python", 3), booked("Kiểm thử phần mềm", 5)
    done = booked("Thực tập sinh", 2)
    done.starts_at = utcnow() - timedelta(days=1)  # already held: nothing to withdraw
    proposed_app = applications.apply(
        make_order(hr.organization, title="Chỉ mới đề xuất"), learner, student
    )
    interviews.propose(
        proposed_app, hr, [_local(4)], duration_minutes=30, location="Phòng họp", online_url=None
    )
    db.session.commit()
    expected = {
        f"interview-{first.id}@localhost": (first.sequence + 1, "Lập trình viên Python"),
        f"interview-{second.id}@localhost": (second.sequence + 1, "Kiểm thử phần mềm"),
    }
    before_hr, before_learner = len(inbox.to("hr@vihoang.vn")), len(inbox.to(ADDRESS))

    privacy.delete_account(learner, student, PASSWORD)

    mails = inbox.to("hr@vihoang.vn")[before_hr:]
    assert len(inbox.to(ADDRESS)) == before_learner  # the account is gone: nothing to them
    assert inbox.to("dong.nghiep@vihoang.vn") == []  # colleagues read it in the app
    cancels = _calendars(mails)
    assert len(mails) == len(cancels) == 2
    seen = {}
    for cal in cancels:
        assert cal["METHOD"] == "CANCEL"
        [event] = cal.walk("VEVENT")
        assert str(event["STATUS"]) == "CANCELLED"
        assert str(event["ORGANIZER"]) == "mailto:hr@vihoang.vn"
        assert "ATTENDEE" not in event
        assert "rút lui" in str(event["SUMMARY"])  # HR's language
        seen[str(event["UID"])] = (event["SEQUENCE"], str(event["SUMMARY"]))
    assert set(seen) == set(expected)
    for uid, (sequence, title) in expected.items():
        assert seen[uid][0] == sequence == 1 and title in seen[uid][1]
    for msg in mails:
        # what the mail job carries, the .ics included
        raw = msg.as_string() + "".join(p.get_content() for p in msg.iter_attachments())
        assert NAME not in raw and ADDRESS not in raw and "Cuong" not in raw
        assert "xoá tài khoản" in msg.get_body(("plain",)).get_content()
    # The other HR staff read it in the app, without the name either.
    texts = [wording.message(n) for n in notifications.unread_for(colleague)]
    withdrawn = [t for t in texts if "xoá tài khoản" in t]
    assert len(withdrawn) == 2 and all(NAME not in t for t in withdrawn)
    notes = db.session.scalars(sa.select(Notification).where(Notification.user_id == hr.id))
    assert all(NAME not in str(n.payload) for n in notes)
    assert db.session.scalar(sa.select(sa.func.count(Interview.id))) == 0


def test_the_cancel_goes_only_once_the_erasure_is_committed(ctx, inbox):
    _hr, _colleague, _student, learner, booked = _world()
    booked("Lập trình viên Python", 3)
    before = len(inbox.messages)
    assert interviews.withdraw_erased(learner.id) == 1
    db.session.rollback()  # the erasure failed: nobody is told
    assert len(inbox.messages) == before
    assert interviews.withdraw_erased(learner.id) == 1
    db.session.commit()
    [cal] = _calendars(inbox.messages[before:])
    assert cal["METHOD"] == "CANCEL"
