"""The columns of a learner file: their headers in both languages, and the template.

A header is recognised by its folded text (``header_key``), so "Mã SV", "MSSV"
and "Student code" all name the student code; the template the colleges download
is written from the same list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from matchhub.extensions import db
from matchhub.matching.text import fold
from matchhub.models import Organization, Programme


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # lazy English msgid, shown in the user's language
    vi: str  # the template's Vietnamese header
    en: str  # the template's English header
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("student_code", _l("Student code"), "Mã sinh viên", "Student code",
           ("ma sv", "mssv", "ma hoc vien", "student id", "code")),
    Column("full_name", _l("Full name"), "Họ và tên", "Full name",
           ("ho ten", "ten", "name")),
    Column("date_of_birth", _l("Date of birth"), "Ngày sinh", "Date of birth",
           ("dob", "birth date", "birthday")),
    Column("email", _l("Email"), "Email", "Email", ("e mail", "thu dien tu")),
    Column("phone", _l("Phone"), "Số điện thoại", "Phone",
           ("dien thoai", "sdt", "so dt", "phone number", "mobile")),
    Column("programme", _l("Programme"), "Chương trình đào tạo", "Programme",
           ("chuong trinh", "nganh", "ma chuong trinh", "program", "programme code")),
    Column("graduation_year", _l("Graduation year"), "Năm tốt nghiệp", "Graduation year",
           ("nam tn", "khoa", "cohort")),
    Column("gpa", _l("GPA"), "Điểm trung bình", "GPA", ("diem tb", "dtb", "diem")),
    Column("skills", _l("Skills"), "Kỹ năng", "Skills", ("ky nang", "ki nang", "skill")),
)  # fmt: skip
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
REQUIRED_COLUMNS = ("student_code", "full_name")

#: The key of the reason column a rejected-rows file adds: ignored without a word when
#: the fixed file comes back.
REASON = "_reason"
#: Its header (the view writes it in the user's language: both are recognised here).
_REASON_NAMES = ("Lý do bị từ chối", "Why rejected", "ly do", "reason", "why")


def header_key(value: object) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(str(value))).strip()


HEADER_INDEX: dict[str, str] = {}
for _col in COLUMNS:
    for _name in (_col.vi, _col.en, _col.key.replace("_", " "), *_col.aliases):
        HEADER_INDEX.setdefault(header_key(_name), _col.key)
for _name in _REASON_NAMES:
    HEADER_INDEX.setdefault(header_key(_name), REASON)


def template_headers(lang: str) -> list[str]:
    """The template's header row in ``lang`` ("vi" or "en"); either is accepted on import."""
    return [c.en if lang == "en" else c.vi for c in COLUMNS]


def template_rows(college: Organization) -> list[list[object]]:
    """One example row, naming one of the college's own programmes when it has any."""
    code = db.session.scalar(
        sa.select(Programme.code)
        .where(Programme.organization_id == college.id)
        .order_by(Programme.code)
        .limit(1)
    )
    return [
        [
            "SV2026001",
            "Nguyễn Văn An",
            "15/04/2004",
            "an.nguyen@example.vn",
            "0912345678",
            code or "",
            2026,
            "3.20",
            "Python:4, SQL:3, tiếng Anh giao tiếp",
        ]
    ]
