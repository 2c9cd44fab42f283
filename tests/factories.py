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
        email_confirmed_at=kw.pop("email_confirmed_at", utcnow()),
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


def make_programme(college: Organization, code: str = "CNTT", skills=(("python", 3),), **kw):
    """A programme of ``college`` teaching ``skills`` ((slug, level) pairs) directly."""
    from matchhub.models import Programme, ProgrammeLevel, ProgrammeSkill

    programme = Programme(
        organization=college,
        code=code,
        name=kw.pop("name", f"Chương trình {code}"),
        level=kw.pop("level", ProgrammeLevel.COLLEGE),
        field=kw.pop("field", "Công nghệ thông tin"),
        yearly_intake=kw.pop("yearly_intake", 100),
        **kw,
    )
    for slug, level in skills:
        programme.skills.append(ProgrammeSkill(skill=skill(slug), level=level))
    db.session.add(programme)
    db.session.commit()
    return programme


# --- Learner files for the college import ---

COHORT_HEADERS_VI = [
    "Mã sinh viên",
    "Họ và tên",
    "Ngày sinh",
    "Email",
    "Số điện thoại",
    "Chương trình đào tạo",
    "Năm tốt nghiệp",
    "Điểm trung bình",
    "Kỹ năng",
]
COHORT_HEADERS_EN = [
    "Student code",
    "Full name",
    "Date of birth",
    "Email",
    "Phone",
    "Programme",
    "Graduation year",
    "GPA",
    "Skills",
]
_COHORT_SKILLS = ("Python:4, SQL", "Java:3, Git", "JavaScript, HTML:4, CSS", "Excel:3, tiếng Anh")


def cohort_rows(n: int, programme: str = "CNTT", prefix: str = "SV") -> list[list[object]]:
    """``n`` valid learner rows (codes ``<prefix>00001``…) in the template's column order."""
    return [
        [
            f"{prefix}{i:05d}",
            f"Nguyễn Văn {i}",
            f"{1 + i % 28:02d}/{1 + i % 12:02d}/2004",
            f"{prefix.lower()}{i}@example.vn",
            f"09{i:08d}",
            programme,
            2026,
            f"{2 + (i % 20) / 10:.2f}",
            _COHORT_SKILLS[i % len(_COHORT_SKILLS)],
        ]
        for i in range(1, n + 1)
    ]


def cohort_csv(rows, headers=COHORT_HEADERS_VI, delimiter=",", bom=False) -> bytes:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def cohort_xlsx(rows, headers=COHORT_HEADERS_VI, path=None) -> bytes:
    """An XLSX workbook of ``rows``; also written to ``path`` when given."""
    import io

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sinh viên")
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    data = out.getvalue()
    if path is not None:
        path.write_bytes(data)
    return data


def make_round(admin: User, orders, *, capacity: int | None = None, name: str = "Đợt thực tập"):
    """An open allocation round over ``orders`` (seats: ``capacity`` or each order's headcount)."""
    from matchhub.services import rounds

    seats = {o.id: capacity if capacity is not None else o.headcount for o in orders}
    rnd = rounds.create_round(admin, name, utcnow() + timedelta(days=7), seats)
    rounds.open_round(rnd, admin)
    return rnd


#: The tone marks Windows-1258 writes as combining characters after the letter.
_CP1258_TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """``text`` as Excel on Vietnamese Windows saves it: Windows-1258, tones as combining marks.

    Python's encoder knows only the code page's precomposed letters (ê, ơ, ă, à …),
    so a letter it lacks (ễ, ọ) is written as its base letter and then its tone mark.
    """
    import unicodedata

    out = []
    for char in text:
        try:
            out.append(char.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _CP1258_TONES))
        tones = "".join(c for c in parts if c in _CP1258_TONES)
        out.append((base + tones).encode("cp1258"))
    return b"".join(out)


def hire(app, hr, learner_user):
    """Take an application to "hired" the only way there is: HR sends an offer and the
    learner accepts it."""
    from matchhub.services import job_offers
    from matchhub.services.orders import today_in_vietnam

    today = today_in_vietnam()
    job_offers.send(app, hr, job_offers.OfferInput("Nhân viên", today + timedelta(days=14), today))
    job_offers.accept(app, learner_user)
    return app
