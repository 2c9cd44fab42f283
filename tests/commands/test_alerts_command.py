"""``flask alerts send``: what cron calls once a week."""

from __future__ import annotations

from factories import make_order, make_org, make_user, skill

from matchhub.extensions import db
from matchhub.models import LearnerSkill, Role, utcnow
from matchhub.services import alerts
from matchhub.services.learners import learner_of_user


def _subscriber(min_score=60):
    user = make_user(Role.LEARNER)
    learner = learner_of_user(user)
    learner.skills.append(LearnerSkill(skill=skill("python"), term="Python", level=4))
    learner.consent_at = utcnow()
    db.session.commit()
    alerts.set_alerts(learner, user, alerts.AlertSettings(True, min_score))
    return user


def test_send_mails_once_and_a_second_run_sends_nothing(app, ctx, inbox):
    keen = _subscriber()
    picky = _subscriber(min_score=90)
    make_order(make_org(), title="Lập trình viên Python")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["alerts", "send"])
    assert first.exit_code == 0, first.output
    assert "2 subscribers considered, 1 mails queued, 1 openings listed" in first.output
    assert len(inbox.to(keen.email)) == 1 and inbox.to(picky.email) == []
    second = runner.invoke(args=["alerts", "send"])
    assert second.exit_code == 0
    assert "0 subscribers considered, 0 mails queued" in second.output
    assert len(inbox.messages) == 1


def test_the_command_is_documented_for_cron():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "operations.md").read_text()
    assert "flask --app wsgi alerts send" in text
