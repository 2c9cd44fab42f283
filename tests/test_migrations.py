"""The migration chain alone (no create_all) builds an empty database that matches the models."""

import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from matchhub import create_app
from matchhub.config import TestConfig
from matchhub.extensions import db


@pytest.fixture
def empty_database_uri(database_uri, tmp_path):
    """An empty database on the suite's engine: a new SQLite file, or a new PostgreSQL schema."""
    if database_uri.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'migrated.sqlite'}"
        return
    schema = f"mig_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(database_uri)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in database_uri else "?"
    yield f"{database_uri}{sep}options=-csearch_path%3D{schema}"
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def test_upgrade_builds_the_models_schema_and_downgrade_removes_it(empty_database_uri):
    class Fresh(TestConfig):
        SQLALCHEMY_DATABASE_URI = empty_database_uri

    app = create_app(Fresh)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata
            )
            tables = set(sa.inspect(conn).get_table_names())
        assert diff == []
        assert {
            "users",
            "organizations",
            "orders",
            "learners",
            "audit_events",
            "alembic_version",
        } <= tables
        downgrade(revision="base")
        with db.engine.connect() as conn:
            assert set(sa.inspect(conn).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_the_search_columns_are_filled_for_existing_rows(empty_database_uri):
    """0007 folds the orders and learners already there, as the app writes new ones."""

    class Fresh(TestConfig):
        SQLALCHEMY_DATABASE_URI = empty_database_uri

    app = create_app(Fresh)
    with app.app_context():
        upgrade(revision="0006")
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO organizations (id, kind, name, locality, state, created_at)"
                    " VALUES (1, 'enterprise', 'Công ty', 'nd', 'verified', '2026-12-01')"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO orders (id, organization_id, kind, title, description, headcount,"
                    " remote, status, created_at, updated_at) VALUES (1, 1, 'job', 'Kế toán',"
                    " 'Báo cáo THUẾ', 1, false, 'open', '2026-12-01', '2026-12-01')"
                )
            )
            conn.execute(
                sa.text(
                    "INSERT INTO learners (id, full_name, preferred_localities, cv_text,"
                    " visibility, created_at, updated_at) VALUES (1, 'Nguyễn Đức', '[]', 'Dữ liệu',"
                    " 'enterprises', '2026-12-01', '2026-12-01')"
                )
            )
        upgrade()
        with db.engine.connect() as conn:
            assert conn.scalar(sa.text("SELECT search_text FROM orders")) == "ke toan\nbao cao thue"
            assert conn.scalar(sa.text("SELECT search_text FROM learners")) == "nguyen duc\ndu lieu"
        downgrade(revision="base")
        db.engine.dispose()


def test_accounts_there_before_email_confirmation_count_as_confirmed(empty_database_uri):
    """0009 confirms the existing accounts (from their creation): nobody is locked out."""

    class Fresh(TestConfig):
        SQLALCHEMY_DATABASE_URI = empty_database_uri

    app = create_app(Fresh)
    with app.app_context():
        upgrade(revision="0008")
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO users (id, email, password_hash, full_name, role, active,"
                    " session_version, created_at) VALUES (1, 'a@example.vn', 'x', 'An',"
                    " 'learner', true, 1, '2026-12-01 08:00:00')"
                )
            )
        upgrade(revision="0009")
        with db.engine.connect() as conn:
            confirmed, created = conn.execute(
                sa.text("SELECT email_confirmed_at, created_at FROM users")
            ).one()
        assert confirmed is not None and confirmed == created
        downgrade(revision="base")
        db.engine.dispose()


def test_gpa_written_on_the_10_point_scale_is_brought_to_the_4_point_scale(empty_database_uri):
    """0017_import_rejects: GPA is kept out of 4; an older import took 0-10 as written, so
    a GPA above 4 was on the 10-point scale. Staged uploads read as 4-point."""

    class Fresh(TestConfig):
        SQLALCHEMY_DATABASE_URI = empty_database_uri

    app = create_app(Fresh)
    with app.app_context():
        upgrade(revision="0016_training_orders")
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO organizations (id, kind, name, locality, state, created_at)"
                    " VALUES (1, 'college', 'Cao đẳng', 'nd', 'verified', '2026-12-01')"
                )
            )
            for lid, gpa in ((1, "8.50"), (2, "3.20"), (3, None), (4, "7.33")):
                conn.execute(
                    sa.text(
                        "INSERT INTO learners (id, full_name, gpa, preferred_localities, cv_text,"
                        " visibility, created_at, updated_at) VALUES (:id, 'An', :gpa, '[]', '',"
                        " 'hidden', '2026-12-01', '2026-12-01')"
                    ),
                    {"id": lid, "gpa": gpa},
                )
            conn.execute(
                sa.text(
                    "INSERT INTO pending_imports (id, token, college_id, filename, sha256,"
                    " content, created_at) VALUES (1, 't', 1, 'k.csv', 'x', :c, '2026-12-01')"
                ),
                {"c": b"a"},
            )
        upgrade()
        with db.engine.connect() as conn:
            gpas = conn.execute(sa.text("SELECT gpa FROM learners ORDER BY id")).scalars().all()
            scale = conn.scalar(sa.text("SELECT gpa_scale FROM pending_imports"))
        assert [None if g is None else float(g) for g in gpas] == [3.4, 3.2, None, 2.93]
        assert scale == 4
        downgrade(revision="base")
        db.engine.dispose()
