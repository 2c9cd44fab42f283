"""The pipeline's rules: who may move an application where, and when contacts show."""

from __future__ import annotations

from datetime import timedelta

import pytest
from factories import make_learner, make_order, make_org, make_user

from matchhub.extensions import db
from matchhub.models import ApplicationStatus, OrderStatus, Role, Visibility
from matchhub.services import ServiceError, applications
from matchhub.services.orders import today_in_vietnam
from matchhub.services.skill_specs import parse_skill_specs


def _setup():
    org = make_org()
    boss = make_user(Role.ENTERPRISE, org=org)
    return org, boss, make_order(org), make_learner()


def test_learner_applies_once_and_may_reapply_after_withdrawing(ctx):
    _org, _boss, order, learner = _setup()
    user = make_user()
    app = applications.apply(order, learner, user, "  Xin chào  ")
    assert app.status is ApplicationStatus.APPLIED and app.message == "Xin chào"
    with pytest.raises(ServiceError):
        applications.apply(order, learner, user)
    applications.withdraw(app, user)
    with pytest.raises(ServiceError):
        applications.withdraw(app, user)
    applications.apply(order, learner, user)
    assert [e.to_status for e in app.events] == [
        ApplicationStatus.APPLIED,
        ApplicationStatus.WITHDRAWN,
        ApplicationStatus.APPLIED,
    ]


def test_closed_or_expired_orders_take_no_application(ctx):
    org, _boss, _order, learner = _setup()
    closed = make_order(org, status=OrderStatus.CLOSED)
    with pytest.raises(ServiceError):
        applications.apply(closed, learner, make_user())
    expired = make_order(org)
    expired.deadline = today_in_vietnam() - timedelta(days=1)
    db.session.commit()
    with pytest.raises(ServiceError):
        applications.apply(expired, learner, make_user())


def test_enterprise_moves_only_along_its_edges(ctx):
    _org, boss, order, learner = _setup()
    app = applications.shortlist(order, learner, boss)
    for bad in (ApplicationStatus.APPLIED, ApplicationStatus.HIRED, ApplicationStatus.WITHDRAWN):
        with pytest.raises(ServiceError):
            applications.move(app, boss, bad)
    applications.move(app, boss, ApplicationStatus.INVITED, "Mời phỏng vấn")
    assert not applications.contact_visible(app)
    with pytest.raises(ServiceError):  # only the learner turns an invitation into an application
        applications.move(app, boss, ApplicationStatus.INTERVIEW)
    applications.accept_invitation(app, make_user())
    assert applications.contact_visible(app)
    applications.move(app, boss, ApplicationStatus.REJECTED)
    assert not applications.contact_visible(app)
    with pytest.raises(ServiceError):
        applications.move(app, boss, ApplicationStatus.HIRED)


def test_hidden_learners_cannot_be_shortlisted_or_invited(ctx):
    _org, boss, order, learner = _setup()
    hidden = make_learner(visibility=Visibility.HIDDEN)
    with pytest.raises(ServiceError):
        applications.shortlist(order, hidden, boss)
    app = applications.shortlist(order, learner, boss)
    learner.consent_at = None
    db.session.commit()
    with pytest.raises(ServiceError):
        applications.move(app, boss, ApplicationStatus.INVITED)
    assert not applications.shown_in_pipeline(app)


def test_drafts_can_be_shortlisted_but_not_invited(ctx):
    org, boss, _order, learner = _setup()
    draft = make_order(org, status=OrderStatus.DRAFT)
    with pytest.raises(ServiceError):
        applications.shortlist(draft, learner, boss, invite=True)
    assert applications.shortlist(draft, learner, boss).status is ApplicationStatus.SHORTLISTED


def test_parse_skill_specs_reads_levels_and_weights():
    assert parse_skill_specs("Python:4*2, SQL (2), Git*0.5\nDocker; python") == [
        ("Python", 4, 2.0),
        ("SQL", 2, 1.0),
        ("Git", 3, 0.5),
        ("Docker", 3, 1.0),
    ]
