"""A learner's dashboard shows their applications and openings nearby."""

from factories import make_order, make_org, make_user

from matchhub.extensions import db
from matchhub.models import (
    Application,
    ApplicationStatus,
    LearnerSkill,
    OrderStatus,
    Role,
    VerificationState,
)
from matchhub.services.learners import learner_of_user


def test_dashboard_lists_applications_and_nearby_openings(client, ctx, login):
    user = make_user(Role.LEARNER)
    learner = learner_of_user(user)
    enterprise = make_org(name="Công ty Gần Nhà")
    applied = make_order(enterprise, title="Thực tập sinh Python")
    make_order(enterprise, title="Việc ở Hà Nội", locality="ha-noi")
    make_order(enterprise, title="Bản nháp bí mật", status=OrderStatus.DRAFT)
    db.session.add(Application(order=applied, learner=learner, status=ApplicationStatus.APPLIED))
    db.session.commit()
    login(user.email)
    html = client.get("/learner/").get_data(as_text=True)
    assert "Thực tập sinh Python" in html and "Đã ứng tuyển" in html
    assert "Việc ở Hà Nội" not in html  # not in the learner's locality
    assert "Bản nháp bí mật" not in html


def test_openings_hide_orders_of_unverified_organisations(client, ctx, login):
    make_order(make_org(state=VerificationState.PENDING), title="Đơn chưa được duyệt")
    make_order(make_org(), title="Đơn đã được duyệt")
    login(make_user(Role.LEARNER).email)
    html = client.get("/learner/openings").get_data(as_text=True)
    assert "Đơn đã được duyệt" in html
    assert "Đơn chưa được duyệt" not in html


def test_profile_shows_unknown_terms_as_such(client, ctx, login):
    user = make_user(Role.LEARNER)
    learner = learner_of_user(user)
    learner.skills.append(LearnerSkill(term="nghệ thuật xếp giấy", level=2))
    db.session.commit()
    login(user.email)
    html = client.get("/learner/profile").get_data(as_text=True)
    assert "nghệ thuật xếp giấy ?" in html
