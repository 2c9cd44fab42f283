"""Who hears about a move in the hiring pipeline or a training offer, and how."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from factories import make_learner, make_order, make_org, make_user

from matchhub.extensions import db
from matchhub.models import (
    ApplicationStatus,
    Learner,
    OrderKind,
    OrgKind,
    Role,
    Visibility,
    utcnow,
)
from matchhub.notifications import wording
from matchhub.services import applications, job_offers, notifications, training
from matchhub.services.orders import today_in_vietnam

S = ApplicationStatus


def _offer() -> job_offers.OfferInput:
    today = today_in_vietnam()
    return job_offers.OfferInput(
        "Lập trình viên Python", today + timedelta(days=30), today + timedelta(days=7)
    )


def _messages(user) -> list[str]:
    return [wording.message(n) for n in notifications.unread_for(user)]


def _setup():
    org = make_org(name="Công ty Phần mềm Vị Hoàng")
    boss = make_user(Role.ENTERPRISE, org=org, email="boss@vihoang.vn")
    order = make_order(org, title="Lập trình viên Python")
    student = make_user(email="sv@example.vn", full_name="Lê Văn Cường")
    learner = db.session.scalars(sa.select(Learner).where(Learner.user_id == student.id)).one()
    learner.visibility, learner.consent_at = Visibility.ENTERPRISES, utcnow()
    db.session.commit()
    return boss, order, student, learner


def test_an_invitation_reaches_the_learner_in_the_app_and_by_mail(ctx, inbox):
    boss, order, student, learner = _setup()
    applications.shortlist(order, learner, boss, invite=True)
    [text] = _messages(student)
    assert "Công ty Phần mềm Vị Hoàng" in text and "Lập trình viên Python" in text
    [msg] = inbox.to("sv@example.vn")
    assert "Lập trình viên Python" in msg["Subject"]
    assert _messages(boss) == []


def test_the_private_shortlist_stays_private(ctx, inbox):
    boss, order, student, learner = _setup()
    app = applications.shortlist(order, learner, boss)
    applications.move(app, boss, S.REJECTED)
    assert _messages(student) == []
    assert inbox.messages == []


def test_stage_changes_are_told_to_the_learner_and_applications_to_the_enterprise(ctx, inbox):
    boss, order, student, learner = _setup()
    app = applications.apply(order, learner, student)
    assert _messages(boss) == ["Lê Văn Cường đã ứng tuyển vào “Lập trình viên Python”."]
    assert inbox.messages == []  # arrivals can be many: the enterprise reads them in the app
    applications.move(app, boss, S.INTERVIEW)
    job_offers.send(app, boss, _offer())
    texts = _messages(student)
    assert len(texts) == 2
    assert "Phỏng vấn" in texts[1] and "mời bạn nhận vị trí" in texts[0]  # newest first
    assert len(inbox.to("sv@example.vn")) == 2
    applications.withdraw(app, student)
    assert "đã rút khỏi" in _messages(boss)[0]


def test_english_users_read_english(ctx, inbox):
    boss, order, student, learner = _setup()
    student.locale = "en"
    db.session.commit()
    app = applications.apply(order, learner, student)
    applications.move(app, boss, S.REJECTED)
    [msg] = inbox.to("sv@example.vn")
    assert "is now: Rejected" in msg.get_body(preferencelist=("plain",)).get_content()


def test_a_learner_without_an_account_is_simply_not_notified(ctx, inbox):
    boss, order, _student, _learner = _setup()
    imported = make_learner()  # imported by a college, never logged in
    app = applications.shortlist(order, imported, boss, invite=True)
    assert app.status is S.INVITED
    assert inbox.messages == []


def test_training_offers_and_decisions_reach_both_organisations(ctx, inbox):
    enterprise = make_org(name="Dệt may Nam Định")
    boss = make_user(Role.ENTERPRISE, org=enterprise, email="hr@detmay.vn")
    college = make_org(OrgKind.COLLEGE, name="Cao đẳng Công nghệ")
    teacher = make_user(Role.COLLEGE, org=college, email="khoa@cdcn.edu.vn")
    order = make_order(
        enterprise, kind=OrderKind.TRAINING, title="Đào tạo 30 thợ may CNC", headcount=30
    )
    offer = training.make_offer(
        college,
        teacher,
        order,
        training.OfferInput(
            programme_id=None, course_name="May CNC", seats=30, start_date=None, note=""
        ),
    )
    [text] = _messages(boss)
    assert "Cao đẳng Công nghệ" in text and "30" in text
    assert len(inbox.to("hr@detmay.vn")) == 1
    training.decide_offer(offer, boss, accept=True)
    [text] = _messages(teacher)
    assert "Dệt may Nam Định" in text and "chấp nhận" in text
    assert len(inbox.to("khoa@cdcn.edu.vn")) == 1


def test_a_notification_is_a_link_to_the_page_it_is_about(client, ctx, login):
    boss, order, student, learner = _setup()
    app = applications.apply(order, learner, student, "")
    login(boss.email)
    dashboard = client.get("/enterprise/").get_data(as_text=True)
    note = notifications.unread_for(boss)[0]
    link = f'href="/notifications/{note.id}"'
    assert link in dashboard
    opened = client.get(f"/notifications/{note.id}")
    assert opened.status_code == 302
    assert opened.headers["Location"].endswith(f"/enterprise/applications/{app.id}")
    assert notifications.unread_for(boss) == []  # opening it read it
    # Another user's notification is not there for the taking.
    other = notifications.notify(student, "application.moved", application_id=app.id)
    db.session.commit()
    assert client.get(f"/notifications/{other.id}").status_code == 404


def test_mark_all_read_reads_only_the_users_own_notifications(client, ctx, login):
    from conftest import submit

    boss, _order, student, _learner = _setup()
    mine = [notifications.notify(boss, "round.published", round=f"Đợt {i}") for i in (1, 2)]
    theirs = notifications.notify(student, "round.published", round="Đợt 3")
    db.session.commit()
    login(boss.email)
    dashboard = client.get("/enterprise/").get_data(as_text=True)
    assert 'action="/notifications/read"' in dashboard  # "Mark all read", no magic id
    response = submit(client, "/notifications/read", {}, form_url="/enterprise/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/enterprise/#notifications")
    for note in [*mine, theirs]:
        db.session.refresh(note)
    assert all(n.read_at is not None for n in mine) and theirs.read_at is None
