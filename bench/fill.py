"""Bulk rows from ``bench.synth``'s profiles: learners with their skills, open orders with theirs.

Shared by ``bench.throughput`` (a synthetic college and 200 enterprises) and
``bench.loadtest`` (the demo province's colleges, programmes and enterprises scaled up),
so both fill the same way. One bulk INSERT per table, in the caller's transaction and
app context; nothing is committed here. Works on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bench import synth

# bench.synth's localities (display names) to the shipped localities' codes.
LOCALITY_CODES = dict(
    zip(
        synth.LOCALITIES,
        (
            "nd-nam-dinh",
            "nd-thien-truong",
            "nd-dong-a",
            "nd-hai-hau",
            "nd-giao-thuy",
            "nd-nghia-hung",
            "nd-y-yen",
            "nd-vu-ban",
            "ha-noi",
            "ninh-binh",
        ),
        strict=True,
    )
)


def insert_returning_ids(db, model, rows: list[dict]) -> list[int]:
    """Bulk-insert ``rows`` and return their ids in the order of ``rows``."""
    import sqlalchemy as sa

    if not rows:
        return []
    stmt = sa.insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(db.session.scalars(stmt, rows))


def add_admin(db, email: str, password: str, now: datetime) -> int:
    """One confirmed province-office account; returns its id."""
    from matchhub.models import Role, User
    from matchhub.services.accounts import hash_password

    row = {
        "email": email,
        "password_hash": hash_password(password),
        "full_name": "Bench Admin",
        "role": Role.ADMIN,
        "active": True,
        "session_version": 1,
        "created_at": now,
        "email_confirmed_at": now,
    }
    return insert_returning_ids(db, User, [row])[0]


def add_colleges_and_programmes(
    db,
    localities: Sequence[str],
    now: datetime,
    *,
    colleges: int,
    programmes: int,
    intake: int,
) -> tuple[list[int], list[int]]:
    """``colleges`` verified colleges (round-robin over ``localities``) and ``programmes``
    IT programmes shared round-robin among them; returns both id lists."""
    from matchhub.models import Organization, OrgKind, Programme, ProgrammeLevel
    from matchhub.models import VerificationState as VS

    college_ids = insert_returning_ids(
        db,
        Organization,
        [
            {
                "kind": OrgKind.COLLEGE,
                "name": f"Trường {i}",
                "code": f"C{i}",
                "locality": localities[i % len(localities)],
                "state": VS.VERIFIED,
                "created_at": now,
            }
            for i in range(colleges)
        ],
    )
    programme_ids = insert_returning_ids(
        db,
        Programme,
        [
            {
                "organization_id": college_ids[i % colleges],
                "code": f"P{i}",
                "name": f"Ngành {i}",
                "level": ProgrammeLevel.COLLEGE,
                "field": "IT",
                "yearly_intake": intake,
                "created_at": now,
            }
            for i in range(programmes)
        ],
    )
    return college_ids, programme_ids


def add_learners(
    db,
    n: int,
    *,
    places: Sequence[tuple[int, int | None]],
    now: datetime,
    users: dict[int, tuple[int, str]] | None = None,
    code_prefix: str = "S",
    seed: int = 1,
) -> tuple[list[int], int]:
    """``n`` consenting learners visible to enterprises; returns (ids, learner_skills rows).

    Learner ``k`` studies at ``places[k % len(places)]`` (college id, programme id or
    None); ``users`` links learner ``k`` to an account ``(user id, email)``.
    """
    from matchhub.models import Learner, LearnerSkill
    from matchhub.services.privacy import CONSENT_PURPOSE
    from matchhub.services.skills import skill_ids_by_slug

    users = users or {}
    skill_id = skill_ids_by_slug()
    profiles = synth.learners(n, seed=seed)
    rows = []
    for k, p in enumerate(profiles):
        college, programme = places[k % len(places)]
        user_id, email = users.get(k, (None, None))
        rows.append(
            {
                "user_id": user_id,
                "college_id": college,
                "programme_id": programme,
                "student_code": f"{code_prefix}{k}",
                "full_name": f"Học viên {k}",
                "email": email,
                "graduation_year": 2025 + k % 3,
                "locality": LOCALITY_CODES[p.locality],
                "preferred_localities": [LOCALITY_CODES[x] for x in p.preferred_localities],
                "cv_text": p.text,
                "visibility": "enterprises",
                "consent_at": now,
                "consent_purpose": CONSENT_PURPOSE,
                "created_at": now,
                "updated_at": now,
            }
        )
    ids = insert_returning_ids(db, Learner, rows)
    skill_rows = [
        {"learner_id": lid, "skill_id": skill_id[slug], "term": slug, "level": level}
        for lid, p in zip(ids, profiles, strict=True)
        for slug, level in p.skills
    ]
    # Core executemany: no ORM bookkeeping for ~100,000 rows.
    db.session.execute(LearnerSkill.__table__.insert(), skill_rows)
    return ids, len(skill_rows)


def add_orders(
    db,
    n: int,
    *,
    enterprises: Sequence[int],
    now: datetime,
    created_by: dict[int, int] | None = None,
    seed: int = 2,
) -> list[int]:
    """``n`` open orders, order ``k`` placed by ``enterprises[k % len(enterprises)]``.

    ``created_by`` maps an enterprise id to the account named as the orders' author.
    Publication dates follow ``synth.orders`` (within 180 days before ``now``).
    """
    import sqlalchemy as sa

    from matchhub.models import Order, OrderKind, OrderSkill, OrderStatus
    from matchhub.services.skills import skill_ids_by_slug

    created_by = created_by or {}
    skill_id = skill_ids_by_slug()
    profiles = synth.orders(n, seed=seed)
    rows = []
    for k, o in enumerate(profiles):
        published = now - timedelta(days=(synth.TODAY - o.posted).days)
        org = enterprises[k % len(enterprises)]
        rows.append(
            {
                "organization_id": org,
                "created_by_id": created_by.get(org),
                "kind": OrderKind(o.kind),
                "title": f"Vị trí {k}",
                "description": o.text,
                "headcount": o.headcount,
                "locality": LOCALITY_CODES[o.locality],
                "remote": o.remote,
                "status": OrderStatus.OPEN,
                "published_at": published,
                "created_at": published,
                "updated_at": published,
            }
        )
    ids = insert_returning_ids(db, Order, rows)
    db.session.execute(
        sa.insert(OrderSkill),
        [
            {
                "order_id": oid,
                "skill_id": skill_id[req.skill_id],
                "term": req.skill_id,
                "required": required,
                "level": req.level,
                "weight": req.weight,
            }
            for oid, o in zip(ids, profiles, strict=True)
            for required, reqs in ((True, o.required), (False, o.nice))
            for req in reqs
        ],
    )
    return ids
