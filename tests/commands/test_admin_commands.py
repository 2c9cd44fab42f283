"""``flask seed-demo``, ``flask sync-skills`` and ``flask create-admin``."""

from __future__ import annotations

import sqlalchemy as sa
from factories import make_user
from werkzeug.security import check_password_hash

from matchhub import create_app
from matchhub.config import TestConfig
from matchhub.extensions import db
from matchhub.models import Role, User
from matchhub.services import demo

GOOD_PASSWORD = "a-long-admin-passphrase"


def _user_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(User.id)))


def test_seed_demo_refuses_when_demo_is_not_allowed(app):
    class NoDemoConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        DEMO_ALLOWED = False

    # No application context may be active here: the command would run in it.
    production_like = create_app(NoDemoConfig)
    result = production_like.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 1
    assert "disabled" in result.output
    with app.app_context():
        assert _user_count() == 0
    with production_like.app_context():
        db.engine.dispose()


def test_seed_demo_says_already_seeded_when_the_demo_admin_exists(app, ctx):
    make_user(Role.ADMIN, email=demo.ADMIN_EMAIL)
    result = app.test_cli_runner().invoke(args=["seed-demo", "--today", "2026-11-26"])
    assert result.exit_code == 0, result.output
    assert "already seeded" in result.output
    assert _user_count() == 1


def test_seed_demo_rejects_a_malformed_day(app):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--today", "26/11/2026"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_sync_skills_reports_an_in_step_taxonomy(app):
    result = app.test_cli_runner().invoke(args=["sync-skills"])
    assert result.exit_code == 0, result.output
    assert "skills added: 0" in result.output


def test_create_admin_asks_twice_and_stores_a_hash(app, ctx):
    result = app.test_cli_runner().invoke(
        args=["create-admin", "--email", " Chief@Province.VN ", "--name", "Lê Thị Hoa"],
        input=f"{GOOD_PASSWORD}\n{GOOD_PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output
    assert GOOD_PASSWORD not in result.output
    user = db.session.scalar(sa.select(User).where(User.email == "chief@province.vn"))
    assert user.role is Role.ADMIN and user.full_name == "Lê Thị Hoa"
    assert check_password_hash(user.password_hash, GOOD_PASSWORD)


def test_create_admin_refuses_a_weak_password(app, ctx):
    result = app.test_cli_runner().invoke(
        args=["create-admin", "--email", "a@province.vn", "--name", "A"],
        input="short\nshort\n",
    )
    assert result.exit_code == 1
    assert _user_count() == 0


def test_create_admin_refuses_a_taken_email(app, ctx):
    make_user(Role.LEARNER, email="taken@province.vn")
    result = app.test_cli_runner().invoke(
        args=["create-admin", "--email", "taken@province.vn", "--name", "B"],
        input=f"{GOOD_PASSWORD}\n{GOOD_PASSWORD}\n",
    )
    assert result.exit_code == 1
    assert "Error:" in result.output
    assert _user_count() == 1


def test_seed_demo_if_empty_leaves_a_database_with_accounts_alone(app, ctx):
    make_user(Role.ADMIN, email="someone@province.vn")
    result = app.test_cli_runner().invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "not loaded" in result.output
    assert _user_count() == 1
