"""Factories: real rows in the test database, with sensible defaults."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import sqlalchemy as sa

from matchhub.extensions import db
from matchhub.models import (
    Learner,
    LearnerSkill,
    Membership,
    Order,
    OrderKind,
    OrderSkill,
    OrderStatus,
    Organization,
    OrgKind,
    OrgRole,
    Role,
    Skill,
    User,
    VerificationState,
    Visibility,
    utcnow,
)
from matchhub.services.accounts import hash_password

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)
_hash_cache: dict[str, str] = {}


def _hash(password: str) -> str:
    # Hashing is deliberately slow; tests reuse one hash per password.
    if password not in _hash_cache:
        _hash_cache[password] = hash_password(password)
    return _hash_cache[password]


def make_org(
    kind: OrgKind = OrgKind.ENTERPRISE, state=VerificationState.VERIFIED, **kw
) -> Organization:
    n = next(_seq)
    org = Organization(
        kind=kind,
        name=kw.pop("name", f"Org {n}"),
        tax_code=kw.pop("tax_code", f"{n:010d}" if kind is OrgKind.ENTERPRISE else None),
        code=kw.pop("code", f"C{n}" if kind is OrgKind.COLLEGE else None),
        locality=kw.pop("locality", "nd-nam-dinh"),
        sector=kw.pop("sector", "software" if kind is OrgKind.ENTERPRISE else None),
        state=state,
        **kw,
    )
    db.session.add(org)
    db.session.commit()
    return org


def make_user(
    role: Role = Role.LEARNER, org: Organization | None = None, password: str = PASSWORD, **kw
) -> User:
    n = next(_seq)
    user = User(
        email=kw.pop("email", f"user{n}@example.vn"),
        password_hash=_hash(password),
        full_name=kw.pop("full_name", f"Người dùng {n}"),
        role=role,
        **kw,
    )
    db.session.add(user)
    if org is not None:
        db.session.add(Membership(user=user, organization=org, org_role=OrgRole.OWNER))
    if role is Role.LEARNER:
        db.session.add(
            Learner(user=user, full_name=user.full_name, email=user.email, locality="nd-nam-dinh")
        )
    db.session.commit()
    return user


def skill(slug: str) -> Skill:
    return db.session.scalars(sa.select(Skill).where(Skill.slug == slug)).one()


def make_order(org: Organization, status=OrderStatus.OPEN, skills=("python",), **kw) -> Order:
    order = Order(
        organization=org,
        kind=kw.pop("kind", OrderKind.JOB),
        title=kw.pop("title", "Lập trình viên Python"),
        description=kw.pop("description", "Phát triển dịch vụ web."),
        headcount=kw.pop("headcount", 2),
        locality=kw.pop("locality", "nd-nam-dinh"),
        deadline=kw.pop("deadline", date.today() + timedelta(days=30)),
        status=status,
        published_at=utcnow() if status is OrderStatus.OPEN else None,
        **kw,
    )
    for slug in skills:
        s = skill(slug)
        order.skills.append(OrderSkill(skill=s, term=s.name_en, required=True, level=3))
    db.session.add(order)
    db.session.commit()
    return order


def make_learner(college: Organization | None = None, skills=(("python", 3),), **kw) -> Learner:
    n = next(_seq)
    learner = Learner(
        college=college,
        full_name=kw.pop("full_name", f"Học viên {n}"),
        student_code=kw.pop("student_code", f"SV{n:05d}"),
        email=kw.pop("email", f"sv{n}@example.vn"),
        graduation_year=kw.pop("graduation_year", 2026),
        locality=kw.pop("locality", "nd-nam-dinh"),
        visibility=kw.pop("visibility", Visibility.ENTERPRISES),
        consent_at=kw.pop("consent_at", utcnow()),
        **kw,
    )
    for slug, level in skills:
        s = skill(slug)
        learner.skills.append(LearnerSkill(skill=s, term=s.name_en, level=level))
    db.session.add(learner)
    db.session.commit()
    return learner
