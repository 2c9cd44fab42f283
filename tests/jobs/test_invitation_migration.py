"""Migration 0006: invitations that were only logged become ones the college can send."""

import sqlalchemy as sa
from flask_migrate import upgrade

from matchhub import create_app
from matchhub.config import TestConfig
from matchhub.extensions import db


def test_unclaimed_imported_learners_get_an_invitation_state(tmp_path):
    class Fresh(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'm.sqlite'}"

    app = create_app(Fresh)
    with app.app_context():
        upgrade(revision="0005")
        now = "2026-11-01 00:00:00"
        with db.engine.begin() as conn:
            for oid, state in ((1, "verified"), (2, "pending")):
                conn.execute(
                    sa.text(
                        "INSERT INTO organizations (id, kind, name, locality, state, created_at)"
                        " VALUES (:id, 'college', :name, 'x', :state, :now)"
                    ),
                    {"id": oid, "name": f"C{oid}", "state": state, "now": now},
                )
            rows = [  # id, college, email, claim code
                (1, 1, "a@x.vn", "code-a"),  # verified college: waits for its button
                (2, 2, "b@x.vn", "code-b"),  # unverified: held until verification
                (3, 1, None, "code-c"),  # no email: nothing to send
                (4, 1, "d@x.vn", None),  # claimed already
            ]
            for lid, college, email, code in rows:
                conn.execute(
                    sa.text(
                        "INSERT INTO learners (id, college_id, email, claim_code, full_name,"
                        " preferred_localities, cv_text, visibility, created_at, updated_at)"
                        " VALUES (:id, :college, :email, :code, 'N', '[]', '', 'hidden',"
                        " :now, :now)"
                    ),
                    {"id": lid, "college": college, "email": email, "code": code, "now": now},
                )
        upgrade(revision="0006")
        with db.engine.connect() as conn:
            states = dict(conn.execute(sa.text("SELECT id, invitation FROM learners")).all())
        assert states == {1: "later", 2: "held", 3: None, 4: None}
        db.engine.dispose()
