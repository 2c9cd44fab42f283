"""One rule for who an enterprise sees in its pipeline, and nothing left of an erased learner."""

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from factories import PASSWORD, make_order, make_org, make_user

from matchhub.extensions import db
from matchhub.models import (
    Application,
    ApplicationStatus,
    Notification,
    Role,
    Visibility,
    utcnow,
)
from matchhub.services import ServiceError, applications, job_offers, privacy
from matchhub.services.learners import learner_of_user
from matchhub.services.orders import today_in_vietnam


def _applicant(order, name):
    user = make_user(Role.LEARNER)
    learner = learner_of_user(user)
    learner.full_name = name
    learner.visibility = Visibility.ENTERPRISES
    learner.consent_at = utcnow()
    db.session.commit()
    return user, learner, applications.apply(order, learner, user, "Thư xin việc")


def _export_names(client, order) -> set[str]:
    body = client.get(f"/enterprise/orders/{order.id}/pipeline/export.csv").data
    return {row[0] for row in csv.reader(io.StringIO(body.decode("utf-8-sig")))}


def test_an_erased_learner_leaves_no_name_and_no_movable_row(client, ctx, login):
    org = make_org()
    hr = make_user(Role.ENTERPRISE, org=org)
    order = make_order(org)
    user, learner, app = _applicant(order, "Phạm Thị Riêng Tư")
    other_user, _other, hired = _applicant(order, "Lê Văn Được Tuyển")
    applications.move(hired, hr, ApplicationStatus.INTERVIEW)
    today = today_in_vietnam()
    offer = job_offers.OfferInput("Lập trình viên", today + timedelta(days=9), today)
    job_offers.send(hired, hr, offer)
    job_offers.accept(hired, other_user)
    privacy.delete_account(learner, user, PASSWORD)

    db.session.expire_all()
    notices = db.session.scalars(sa.select(Notification).where(Notification.user_id == hr.id)).all()
    assert notices and all("Phạm Thị Riêng Tư" not in str(n.payload) for n in notices)
    erased = db.session.get(Application, app.id)
    assert erased.status is ApplicationStatus.WITHDRAWN
    with pytest.raises(ServiceError):
        applications.move(erased, hr, ApplicationStatus.INTERVIEW)
    # Placement statistics keep what happened: the hire stays a hire.
    assert db.session.get(Application, hired.id).status is ApplicationStatus.HIRED

    login(hr.email)
    page = client.get(f"/enterprise/orders/{order.id}/pipeline").get_data(as_text=True)
    assert f'data-application-id="{app.id}"' not in page
    assert f'data-application-id="{hired.id}"' in page
    assert _export_names(client, order) >= {"Lê Văn Được Tuyển"}
    assert "—" not in _export_names(client, order)


def test_an_applicant_who_hides_later_is_on_the_page_and_in_the_export(client, ctx, login):
    org = make_org()
    hr = make_user(Role.ENTERPRISE, org=org)
    order = make_order(org)
    _user, learner, _app = _applicant(order, "Đỗ Thị Đã Nộp")
    learner.visibility = Visibility.HIDDEN
    learner.consent_at = None
    db.session.commit()
    login(hr.email)
    page = client.get(f"/enterprise/orders/{order.id}/pipeline").get_data(as_text=True)
    assert "Đỗ Thị Đã Nộp" in page
    assert "Đỗ Thị Đã Nộp" in _export_names(client, order)


def test_who_viewed_my_profile_reads_one_line_per_organisation_and_day(client, ctx, login):
    from matchhub.services import audit

    org, other = make_org(name="Công ty Xem Nhiều"), make_org(name="Công ty Xem Một Lần")
    user = make_user(Role.LEARNER)
    learner = learner_of_user(user)
    for _ in range(10):
        audit.record("profile.viewed", organization_id=org.id, obj=learner)
    audit.record("profile.viewed", organization_id=other.id, obj=learner)
    db.session.commit()
    views = privacy.profile_views(learner)
    assert sorted((v.organization, v.times) for v in views) == [
        ("Công ty Xem Một Lần", 1),
        ("Công ty Xem Nhiều", 10),
    ]
    login(user.email)
    page = client.get("/learner/privacy").get_data(as_text=True)
    listing = page.split('id="profile-views"', 1)[1].split("</ul>", 1)[0]
    assert listing.count("Công ty Xem Nhiều") == 1 and "10 lượt xem" in listing


def test_the_pipeline_table_stacks_into_labelled_cards_on_a_phone(client, ctx, login):
    org = make_org()
    hr = make_user(Role.ENTERPRISE, org=org)
    order = make_order(org)
    _applicant(order, "Ngô Thị Điện Thoại")
    login(hr.email)
    page = client.get(f"/enterprise/orders/{order.id}/pipeline").get_data(as_text=True)
    table = page.split('id="pipeline"', 1)[0].rsplit("<table", 1)[1]
    assert "table-stack" in table
    assert 'data-label="Giai đoạn"' in page and 'data-label="Liên hệ"' in page


def test_hr_is_told_the_candidate_can_read_notes_and_reasons(client, ctx, login):
    org = make_org()
    hr = make_user(Role.ENTERPRISE, org=org)
    order = make_order(org)
    _user, _learner, app = _applicant(order, "Vũ Thị Minh Bạch")
    login(hr.email)
    page = client.get(f"/enterprise/applications/{app.id}").get_data(as_text=True)
    assert page.count("người học có thể xuất") >= 2  # on the move (reject) form and the note form


def test_the_profile_box_names_skills_in_the_pages_language(client, ctx, login):
    from factories import skill

    from matchhub.models import LearnerSkill

    user = make_user(Role.LEARNER)
    learner = learner_of_user(user)
    for slug, level in (("teamwork", 3), ("software-testing", 2)):
        learner.skills.append(LearnerSkill(skill=skill(slug), term=slug, level=level))
    db.session.commit()
    assert _skills_text(learner, "vi") == "Làm việc nhóm:3\nKiểm thử phần mềm:2"
    assert _skills_text(learner, "en") == "Teamwork:3\nSoftware testing:2"
    login(user.email)
    page = client.get("/learner/profile/edit").get_data(as_text=True)
    assert "Làm việc nhóm:3" in page and "Teamwork:3" not in page


def _skills_text(learner, lang):
    from matchhub.services import profiles

    return profiles.skills_text(learner, lang)
