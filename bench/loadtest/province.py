"""The demo province scaled to 10,000 learners and 2,000 orders, with accounts for the load.

``build(db)`` runs ``seed_demo()`` (five colleges and their programmes, 1,500 learners,
60 enterprises, 150 orders, applications), then adds ``bench.fill``'s synthetic learners
to the demo programmes (round robin, so every college's reports cover them) and
synthetic open orders to the verified demo enterprises (round robin), up to
``N_LEARNERS`` and ``N_ORDERS`` in all. It also makes ``ACCOUNTS_PER_ROLE`` accounts per
role: learners linked to synthetic learners, and staff members of the verified
enterprises and colleges, since each simulated user needs an account of its own.
"""

from __future__ import annotations

from datetime import UTC, datetime

from bench import fill

N_LEARNERS = 10_000
N_ORDERS = 2_000
ACCOUNTS_PER_ROLE = 24
PASSWORD = "loadtest-password-long-enough"  # noqa: S105 - a throwaway scratch database


def _email(role: str, n: int) -> str:
    return f"{role}-{n:02d}@loadtest.demo.vn"


def build(db) -> dict:
    """Fill the empty, migrated database bound to ``db``; returns counts and the accounts.

    The app context is the caller's; everything is committed in one transaction.
    """
    import sqlalchemy as sa

    from matchhub.models import (
        Learner,
        Membership,
        Order,
        Organization,
        OrgKind,
        OrgRole,
        Programme,
        Role,
        User,
        VerificationState,
    )
    from matchhub.services import demo
    from matchhub.services.accounts import hash_password

    report = demo.seed_demo()
    now = datetime.now(UTC)

    def verified(kind: OrgKind) -> list[int]:
        return list(
            db.session.scalars(
                sa.select(Organization.id)
                .where(Organization.kind == kind, Organization.state == VerificationState.VERIFIED)
                .order_by(Organization.id)
            )
        )

    colleges = verified(OrgKind.COLLEGE)
    enterprises = verified(OrgKind.ENTERPRISE)
    places = list(
        db.session.execute(
            sa.select(Programme.organization_id, Programme.id)
            .where(Programme.organization_id.in_(colleges))
            .order_by(Programme.id)
        ).tuples()
    )

    password_hash = hash_password(PASSWORD)
    roles = {"learner": Role.LEARNER, "enterprise": Role.ENTERPRISE, "college": Role.COLLEGE}
    accounts = {role: [_email(role, n) for n in range(ACCOUNTS_PER_ROLE)] for role in roles}
    user_ids = {
        role: fill.insert_returning_ids(
            db,
            User,
            [
                {
                    "email": email,
                    "password_hash": password_hash,
                    "full_name": f"Load test {role} {n}",
                    "role": roles[role],
                    "locale": "vi",
                    "active": True,
                    "session_version": 1,
                    "created_at": now,
                    "email_confirmed_at": now,
                }
                for n, email in enumerate(accounts[role])
            ],
        )
        for role in roles
    }
    db.session.execute(
        sa.insert(Membership),
        [
            {
                "user_id": uid,
                "organization_id": orgs[n % len(orgs)],
                "org_role": OrgRole.STAFF,
                "created_at": now,
            }
            for role, orgs in (("enterprise", enterprises), ("college", colleges))
            for n, uid in enumerate(user_ids[role])
        ],
    )

    n_learners = N_LEARNERS - db.session.scalar(sa.select(sa.func.count(Learner.id)))
    n_orders = N_ORDERS - db.session.scalar(sa.select(sa.func.count(Order.id)))
    _, learner_skills = fill.add_learners(
        db,
        n_learners,
        places=places,
        now=now,
        users={
            n: (uid, email)
            for n, (uid, email) in enumerate(
                zip(user_ids["learner"], accounts["learner"], strict=True)
            )
        },
        code_prefix="LT",
    )
    fill.add_orders(db, n_orders, enterprises=enterprises, now=now)
    db.session.commit()
    return {
        "counts": {
            "learners": report.learners + n_learners,
            "orders": report.orders + n_orders,
            "learner_skills": report.learner_skills + learner_skills,
            "colleges": len(colleges),
            "programmes": len(places),
            "verified_enterprises": len(enterprises),
        },
        "password": PASSWORD,
        "accounts": accounts,
    }
