"""Saved openings and the weekly alerts of new matches (services/saved.py, alerts.py)."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import timedelta

import pytest
import sqlalchemy as sa
from factories import PASSWORD, make_order, make_org, make_user, skill
from werkzeug.exceptions import NotFound

from matchhub import jobs
from matchhub.extensions import db
from matchhub.models import (
    AlertSent,
    AlertSubscription,
    LearnerSkill,
    OrderKind,
    OrderStatus,
    Role,
    SavedOrder,
    VerificationState,
    utcnow,
)
from matchhub.services import ServiceError, accounts, alerts, privacy, saved
from matchhub.services.learners import learner_of_user


def _learner(locale=None, **alert):
    """A learner who holds Python at level 4, consented and turned alerts on (at 60 %
    unless ``alert`` says otherwise)."""
    user = make_user(Role.LEARNER, locale=locale)
    learner = learner_of_user(user)
    learner.skills.append(LearnerSkill(skill=skill("python"), term="Python", level=4))
    learner.consent_at = utcnow()
    db.session.commit()
    settings = alerts.AlertSettings(active=True, **{"min_score": 60, **alert})
    alerts.set_alerts(learner, user, settings)
    return user, learner


def _mailed(inbox, user) -> str:
    [message] = inbox.to(user.email)
    return message["Subject"] + "\n" + message.get_content()


# ----------------------------------------------------------------- saved openings


def test_saving_twice_keeps_one_row_and_unsaving_is_idempotent(ctx):
    user, learner = _learner()
    order = make_order(make_org())
    assert saved.save(learner, order.id) is True
    assert saved.save(learner, order.id) is False
    assert db.session.scalar(sa.select(sa.func.count(SavedOrder.id))) == 1
    assert saved.unsave(user, learner, order.id) is True
    assert saved.unsave(user, learner, order.id) is False
    assert db.session.scalar(sa.select(sa.func.count(SavedOrder.id))) == 0


@pytest.mark.parametrize("case", ["draft", "pending_org", "training", "missing"])
def test_only_a_live_job_or_internship_can_be_saved(ctx, case):
    user, learner = _learner()
    if case == "draft":
        order_id = make_order(make_org(), status=OrderStatus.DRAFT).id
    elif case == "pending_org":
        order_id = make_order(make_org(state=VerificationState.PENDING)).id
    elif case == "training":
        order_id = make_order(make_org(), kind=OrderKind.TRAINING).id
    else:
        order_id = 987654
    with pytest.raises(NotFound):
        saved.save(learner, order_id)
    with pytest.raises(NotFound):  # nor "unsaved": the same answer as a missing id
        saved.unsave(user, learner, order_id)
    assert db.session.scalar(sa.select(sa.func.count(SavedOrder.id))) == 0


def test_a_saved_opening_that_closes_stays_listed_as_closed(ctx):
    user, learner = _learner()
    org = make_org()
    open_one = make_order(org, title="Vẫn mở")
    closing = make_order(org, title="Sắp đóng")
    saved.save(learner, open_one.id)
    saved.save(learner, closing.id)
    closing.status = OrderStatus.CLOSED
    db.session.commit()
    items = {i.order.title: i for i in saved.saved_list(learner)}
    assert set(items) == {"Vẫn mở", "Sắp đóng"}
    assert items["Vẫn mở"].live and not items["Sắp đóng"].live
    # The same score as the matches page gives the pair.
    assert items["Vẫn mở"].result.score == pytest.approx(0.7, abs=0.05)
    # A closed saved opening can still be taken off the list.
    assert saved.unsave(user, learner, closing.id) is True


def test_another_learners_saved_row_is_not_mine_to_remove(ctx):
    _other_user, other = _learner()
    me_user, me = _learner()
    order = make_order(make_org())
    saved.save(other, order.id)
    assert saved.unsave(me_user, me, order.id) is False  # nothing of mine to remove
    assert saved.saved_ids(other, [order.id]) == {order.id}


# ----------------------------------------------------------------- the weekly run


def test_a_run_mails_new_matches_above_the_threshold_once_a_week(ctx, inbox):
    user, _learner_row = _learner(min_score=60)
    org = make_org(name="Công ty Rắn")
    make_order(org, title="Lập trình viên Python")
    make_order(org, title="Lập trình viên Java", skills=("java",))  # scores 10 %
    report = alerts.send_weekly()
    assert (report.considered, report.mailed, report.openings) == (1, 1, 1)
    text = _mailed(inbox, user)
    assert "Lập trình viên Python" in text and "Java" not in text
    assert "Công ty Rắn" in text and "70" in text
    assert "/alerts/unsubscribe/" in text
    [message] = inbox.to(user.email)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(
        r"<http://\S+/alerts/unsubscribe/\S+/one-click>", message["List-Unsubscribe"]
    )
    # The same week again: nobody is due, nothing is sent.
    assert alerts.send_weekly() == alerts.SendReport(0, 0, 0)
    assert len(inbox.to(user.email)) == 1
    assert db.session.scalar(sa.select(sa.func.count(AlertSent.id))) == 1


def test_next_week_lists_only_what_was_published_since(ctx, inbox):
    user, _learner_row = _learner(min_score=60)
    org = make_org()
    make_order(org, title="Tuần trước")
    alerts.send_weekly()
    make_order(org, title="Tuần này")
    report = alerts.send_weekly(utcnow() + timedelta(days=7))
    assert report.mailed == 1
    second = inbox.to(user.email)[1].get_content()
    assert "Tuần này" in second and "Tuần trước" not in second


def test_a_threshold_above_the_score_sends_nothing(ctx, inbox):
    user, _learner_row = _learner(min_score=80)
    make_order(make_org())  # scores 70 %
    report = alerts.send_weekly()
    assert (report.considered, report.mailed) == (1, 0)
    assert inbox.to(user.email) == []
    # Considered all the same: the opening is not "new" next week.
    sub = db.session.scalar(sa.select(AlertSubscription))
    assert sub.last_week == alerts.week_of(utcnow())


def test_the_kind_filter_keeps_one_kind(ctx, inbox):
    user, _learner_row = _learner(kind=OrderKind.INTERNSHIP)
    org = make_org()
    make_order(org, title="Việc làm Python", kind=OrderKind.JOB)
    make_order(org, title="Thực tập Python", kind=OrderKind.INTERNSHIP)
    alerts.send_weekly()
    text = _mailed(inbox, user)
    assert "Thực tập Python" in text and "Việc làm Python" not in text


def test_older_closed_or_unverified_openings_are_not_new_matches(ctx, inbox):
    _learner()
    old = make_order(make_org(), title="Đăng từ lâu")
    old.published_at = utcnow() - timedelta(days=30)
    make_order(make_org(), title="Đã đóng", status=OrderStatus.CLOSED)
    make_order(make_org(state=VerificationState.SUSPENDED), title="Bị đình chỉ")
    db.session.commit()
    assert alerts.send_weekly().mailed == 0
    assert inbox.messages == []


@pytest.mark.parametrize("who", ["off", "deactivated", "unconfirmed", "no_consent", "deleted"])
def test_nobody_who_should_not_be_mailed_is(ctx, inbox, who):
    user, learner = _learner()
    if who == "off":
        alerts.set_alerts(learner, user, alerts.AlertSettings(active=False))
    elif who == "deactivated":
        user.active = False
    elif who == "unconfirmed":
        user.email_confirmed_at = None
    elif who == "no_consent":
        privacy.withdraw_consent(learner, user)
    else:
        privacy.delete_account(learner, user, PASSWORD)
    db.session.commit()
    make_order(make_org())
    assert alerts.send_weekly().mailed == 0
    assert inbox.messages == []


def test_two_runs_at_once_mail_nobody_twice(ctx, inbox, monkeypatch):
    user, _learner_row = _learner()
    make_order(make_org())
    sub = db.session.scalar(sa.select(AlertSubscription))
    before = sub.checked_until
    assert alerts.send_weekly().mailed == 1
    # A second run that read everything before the first one committed: the subscriber
    # due, the old starting point, nothing mailed yet. Only the claim stops it.
    sub.checked_until = before
    db.session.commit()
    monkeypatch.setattr(alerts, "_due", lambda week, now: sa.select(AlertSubscription.id))
    monkeypatch.setattr(alerts, "_already_sent", lambda *a: defaultdict(set))
    assert alerts.send_weekly().mailed == 0
    assert len(inbox.to(user.email)) == 1
    assert db.session.scalar(sa.select(sa.func.count(AlertSent.id))) == 1


def test_one_mail_job_per_subscriber_and_the_job_checks_again(ctx, inbox):
    first_user, first = _learner()
    second_user, second = _learner()
    make_order(make_org())
    with jobs.capture() as queued:
        report = alerts.send_weekly()
    assert report.mailed == 2, report
    assert [j.path for j in queued] == ["matchhub.services.alerts:mail_job"] * 2
    assert {j.args[0] for j in queued} == {first.id, second.id}
    # Unsubscribed between the run and the job: the job sends nothing.
    alerts.set_alerts(second, second_user, alerts.AlertSettings(active=False))
    for job in queued:
        alerts.mail_job(*job.args)
    assert len(inbox.to(first_user.email)) == 1 and inbox.to(second_user.email) == []


def test_the_mail_speaks_the_learners_language(ctx, inbox):
    vi_user, _ = _learner()
    en_user, _ = _learner(locale="en")
    make_order(make_org())
    alerts.send_weekly()
    assert "new opening matches you" in inbox.to(en_user.email)[0]["Subject"]
    vi_subject = inbox.to(vi_user.email)[0]["Subject"]
    assert "matches you" not in vi_subject and "phù hợp" in vi_subject


def test_settings_refuse_values_the_form_does_not_offer(ctx):
    user, learner = _learner()
    with pytest.raises(ServiceError) as refused:
        alerts.set_alerts(learner, user, alerts.AlertSettings(True, 55))
    assert refused.value.field == "min_score"
    with pytest.raises(ServiceError) as refused:
        alerts.set_alerts(learner, user, alerts.AlertSettings(True, 70, OrderKind.TRAINING))
    assert refused.value.field == "kind"
    assert alerts.settings_of(learner) == alerts.AlertSettings(True, 60, None)


# ----------------------------------------------------------------- unsubscribe tokens


def test_the_unsubscribe_link_works_once_and_again(ctx):
    _user, learner = _learner()
    token = alerts.unsubscribe_token(learner)
    alerts.unsubscribe(token)
    alerts.unsubscribe(token)  # twice: still off, no error
    assert alerts.settings_of(learner).active is False


def test_forged_and_foreign_tokens_are_refused(ctx):
    user, learner = _learner()
    _other_user, other = _learner()
    token = alerts.unsubscribe_token(learner)
    forged = [
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        "x" * 5000,
        "",
        accounts.password_reset_token(user),  # signed, but for another purpose
        # signed for alerts, but naming another learner's id with my account
        accounts.link_token(alerts.UNSUBSCRIBE_PURPOSE, {"lid": other.id, "uid": user.id}),
        accounts.link_token(alerts.UNSUBSCRIBE_PURPOSE, {"lid": [1], "uid": "1"}),
        accounts.link_token(alerts.UNSUBSCRIBE_PURPOSE, ["not", "a", "dict"]),
    ]
    for bad in forged:
        with pytest.raises(ServiceError):
            alerts.unsubscribe(bad)
    assert alerts.settings_of(learner).active and alerts.settings_of(other).active


def test_a_link_outlives_no_deleted_account(ctx):
    user, learner = _learner()
    token = alerts.unsubscribe_token(learner)
    privacy.delete_account(learner, user, PASSWORD)
    with pytest.raises(ServiceError):
        alerts.check_unsubscribe(token)


# ----------------------------------------------------------------- personal data


def test_saved_openings_and_alerts_are_exported_and_erased(ctx, inbox):
    user, learner = _learner()
    order = make_order(make_org(), title="Đơn đã lưu")
    saved.save(learner, order.id)
    alerts.send_weekly()
    data = json.loads(privacy.export_data(learner, user))
    assert data["saved_openings"][0]["order"] == "Đơn đã lưu"
    assert data["alerts"]["settings"] == {
        "active": True,
        "min_score_percent": 60,
        "kind": None,
        "created_at": data["alerts"]["settings"]["created_at"],
    }
    assert data["alerts"]["sent"][0]["order"] == "Đơn đã lưu"
    learner_id = learner.id
    privacy.delete_account(learner, user, PASSWORD)
    for model in (SavedOrder, AlertSubscription, AlertSent):
        assert (
            db.session.scalar(
                sa.select(sa.func.count(model.id)).where(model.learner_id == learner_id)
            )
            == 0
        )
