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


def _insert_learner(conn, learner_id: int, gpa: str | None) -> None:
    conn.execute(
        sa.text(
            "INSERT INTO learners (id, full_name, gpa, preferred_localities, cv_text,"
            " visibility, created_at, updated_at) VALUES (:id, 'An', :gpa, '[]', '',"
            " 'hidden', '2026-12-01', '2026-12-01')"
        ),
        {"id": learner_id, "gpa": gpa},
    )


def test_gpa_out_of_4_is_the_databases_rule_and_downgrade_gives_back_0_to_10(empty_database_uri):
    """0018_gpa_out_of_4: the CHECK constraint allows 0-4 (the 4-point scale GPA is kept
    on since 0017), the rows there stay; downgrade allows 0-10 again."""

    class Fresh(TestConfig):
        SQLALCHEMY_DATABASE_URI = empty_database_uri

    app = create_app(Fresh)
    with app.app_context():
        upgrade(revision="0017_import_rejects")
        with db.engine.begin() as conn:
            _insert_learner(conn, 1, "4.00")
            _insert_learner(conn, 2, None)
            _insert_learner(conn, 3, "2.75")
        upgrade(revision="0018_gpa_out_of_4")
        with db.engine.connect() as conn:
            gpas = conn.execute(sa.text("SELECT gpa FROM learners ORDER BY id")).scalars().all()
        assert [None if g is None else float(g) for g in gpas] == [4.0, None, 2.75]
        for bad in ("4.50", "4.01", "-0.01", "10.00"):
            with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
                _insert_learner(conn, 9, bad)
        with db.engine.begin() as conn:
            _insert_learner(conn, 4, "0.00")
        downgrade(revision="0017_import_rejects")
        with db.engine.begin() as conn:
            _insert_learner(conn, 5, "8.50")  # 0-10 again, as before
            assert conn.scalar(sa.text("SELECT COUNT(*) FROM learners")) == 5
            conn.execute(sa.text("DELETE FROM learners WHERE id = 5"))
        with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
            _insert_learner(conn, 9, "10.01")
        downgrade(revision="base")
        db.engine.dispose()
