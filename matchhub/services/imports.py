"""Bulk import of a college's learners from CSV or XLSX: preview, then one transaction.

The flow on the web is upload → :func:`stage_upload` (the file is stored
server-side in ``PendingImport`` with the college, the user and its SHA-256) →
:func:`preview_upload` (every row parsed, validated and normalised; nothing
written) → :func:`commit_upload` (the *stored* bytes parsed again and written in
one transaction). The CLI calls :func:`import_file`, the same parse and write
without the staging. Decoding the file (CSV or XLSX, with its size, width and
work limits) is :mod:`matchhub.services.tabular`'s.

Rules:

* a learner is matched by (college, student code); an unchanged row changes
  nothing, so re-importing a file reports 0 changes; a changed row updates that
  learner; a new student code creates a learner with a claim code, and its
  invitation to claim the profile is mailed now, later or never as the college
  chooses (:mod:`matchhub.services.invitations`);
* a profile the learner has already claimed belongs to the learner: an import
  only updates its academic fields (programme, graduation year, GPA);
* imported learners are hidden from enterprises and have no consent until they
  claim their profile: the college cannot consent on their behalf;
* a column missing from the file leaves that field untouched; an empty cell in a
  present column clears it;
* any error in any row refuses the whole commit; unknown skill terms are only
  warnings: they are kept as terms for the province office to review.

Writes are bulk statements (one INSERT / UPDATE per chunk of rows, not one ORM
object per row), which keeps 100,000 rows within a minute.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import PurePath

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from matchhub.emails import checked_email
from matchhub.extensions import db
from matchhub.matching.text import fold
from matchhub.models import (
    Application,
    Learner,
    LearnerSkill,
    Organization,
    PendingImport,
    Programme,
    Role,
    Skill,
    User,
    Visibility,
    utcnow,
)
from matchhub.models._search import refresh_search_text
from matchhub.services import (
    ServiceError,
    audit,
    engine,
    invitations,
    tabular,
    textcodec,
)
from matchhub.services.orders import bad_levels, parse_skill_terms
from matchhub.services.skills import skill_ids_by_slug

#: Rows a file uploaded through the web may hold (the CLI takes any number).
MAX_WEB_ROWS = 50_000
#: How long an uploaded file waits for its commit.
PENDING_TTL = timedelta(hours=2)
#: Rows written per bulk statement.
CHUNK = 1000

_BLANK = object()


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
_BY_KEY = {c.key: c for c in COLUMNS}
REQUIRED_COLUMNS = ("student_code", "full_name")
#: Fields of a profile the learner has claimed that an import may still change.
_ACADEMIC = frozenset({"programme_id", "graduation_year", "gpa"})


def _header_key(value: object) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(str(value))).strip()


_HEADER_INDEX: dict[str, str] = {}
for _col in COLUMNS:
    for _name in (_col.vi, _col.en, _col.key.replace("_", " "), *_col.aliases):
        _HEADER_INDEX.setdefault(_header_key(_name), _col.key)


# --- Results ---


@dataclass(frozen=True)
class Issue:
    """A problem in one cell: spreadsheet row number (the header is row 1) and column header."""

    row: int
    column: str
    message: str
    error: bool = True


@dataclass(frozen=True)
class RowSkill:
    term: str
    level: int
    skill_id: int | None
    slug: str | None


@dataclass
class ParsedRow:
    line: int
    values: dict[str, object]
    skills: list[RowSkill] | None  # None when the file has no skills column
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    status: str = ""  # new | updated | unchanged (valid rows only)


@dataclass
class Parsed:
    filename: str
    columns: list[str]  # keys of the columns the file has
    headers: dict[str, str]  # key -> header as written in the file
    rows: list[ParsedRow]
    file_issues: list[Issue]
    #: The text encoding of a CSV (a key of ``textcodec.LABELS``); None for a workbook.
    encoding: str | None = None

    @property
    def encoding_label(self) -> str:
        """The encoding as the preview names it: "Windows-1258 (Vietnamese)"."""
        return textcodec.label(self.encoding)

    @property
    def errors(self) -> list[Issue]:
        return [*self.file_issues, *(e for r in self.rows for e in r.errors)]

    @property
    def warnings(self) -> list[Issue]:
        return [w for r in self.rows for w in r.warnings]


@dataclass(frozen=True)
class Preview:
    token: str
    parsed: Parsed
    created: int
    updated: int
    unchanged: int
    skills: dict[int, Skill]  # database id -> skill, for display

    @property
    def changes(self) -> int:
        return self.created + self.updated


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    invited: int = 0  # invitations queued for sending now
    held: int = 0  # invitations waiting for the college's verification
    waiting: int = 0  # invitations the college chose to send later
    not_sent: int = 0  # invitations the college chose never to send

    @property
    def changes(self) -> int:
        return self.created + self.updated


# --- Reading the file ---


# --- Validating rows ---

_PHONE = re.compile(r"^\+?[0-9][0-9 .\-()]{7,18}$")
_CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._/\-]*$")
_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%Y/%m/%d")
# The Vietnamese way (DD/MM/YYYY) without strptime, which dominates a 100,000-row parse.
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def _parse_day(text: str) -> date | None:
    match = _DMY.match(text)
    if match:
        try:
            return date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            return None
    for fmt in _DATE_FORMATS[3:]:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


class _Rows:
    """Validation of one file's rows against one college's programmes and the taxonomy."""

    def __init__(self, college: Organization, headers: dict[str, str]):
        self.headers = headers
        self.programmes: dict[str, int] = {}
        for pid, code, name in db.session.execute(
            sa.select(Programme.id, Programme.code, Programme.name).where(
                Programme.organization_id == college.id
            )
        ):
            self.programmes.setdefault(_header_key(code), pid)
            self.programmes.setdefault(_header_key(name), pid)
        self.this_year = date.today().year
        self.seen_codes: dict[str, int] = {}
        self.seen_emails: dict[str, int] = {}

    def issue(self, row: ParsedRow, key: str, message: str, error: bool = True) -> None:
        target = row.errors if error else row.warnings
        target.append(Issue(row.line, self.headers.get(key, key), message, error))

    def parse(self, line: int, cells: dict[str, object]) -> ParsedRow:
        row = ParsedRow(line=line, values={}, skills=None)
        v = row.values
        code = _text(cells.get("student_code"))
        if not code:
            self.issue(row, "student_code", _("The student code is missing."))
        elif len(code) > 30 or not _CODE.match(code):
            self.issue(
                row,
                "student_code",
                _("“%(value)s” is not a valid student code (letters, digits, . _ / -; "
                  "at most 30).", value=code[:40]),
            )  # fmt: skip
        else:
            first = self.seen_codes.setdefault(code.casefold(), line)
            if first != line:
                self.issue(
                    row,
                    "student_code",
                    _("Student code %(code)s already appears on row %(row)d of this file.",
                      code=code, row=first),
                )  # fmt: skip
        v["student_code"] = code
        name = " ".join(_text(cells.get("full_name")).split())
        if not name:
            self.issue(row, "full_name", _("The full name is missing."))
        elif len(name) > 120:
            self.issue(row, "full_name", _("The full name is longer than 120 characters."))
        v["full_name"] = name
        if "date_of_birth" in cells:
            v["date_of_birth"] = self._date(row, cells["date_of_birth"])
        if "email" in cells:
            text = _text(cells["email"])
            email = checked_email(text) if text else None
            if text and email is None:
                self.issue(
                    row, "email", _("“%(value)s” is not a valid email address.", value=text[:60])
                )
            elif email:
                first = self.seen_emails.setdefault(email, line)
                if first != line:
                    self.issue(
                        row,
                        "email",
                        _("The email %(email)s already appears on row %(row)d of this file.",
                          email=email, row=first),
                    )  # fmt: skip
            v["email"] = email
        if "phone" in cells:
            v["phone"] = self._phone(row, cells["phone"])
        if "programme" in cells:
            text = _text(cells["programme"])
            pid = None
            if text:
                pid = self.programmes.get(_header_key(text))
                if pid is None:
                    self.issue(
                        row,
                        "programme",
                        _("Unknown programme “%(value)s”: use the code or the name of one of "
                          "your programmes.", value=text[:60]),
                    )  # fmt: skip
            v["programme_id"] = pid
        if "graduation_year" in cells:
            v["graduation_year"] = self._year(row, cells["graduation_year"])
        if "gpa" in cells:
            v["gpa"] = self._gpa(row, cells["gpa"])
        return row

    def _date(self, row: ParsedRow, value: object) -> date | None:
        if value is None or value == "":
            return None
        if isinstance(value, datetime):
            day = value.date()
        elif isinstance(value, date):
            day = value
        else:
            text = _text(value)
            day = _parse_day(text)
            if day is None:
                self.issue(
                    row,
                    "date_of_birth",
                    _("“%(value)s” is not a date: write it as DD/MM/YYYY.", value=text[:30]),
                )
                return None
        if not 1930 <= day.year <= self.this_year - 10:
            self.issue(
                row, "date_of_birth", _("The date of birth %(value)s is not plausible.",
                                        value=day.strftime("%d/%m/%Y"))
            )  # fmt: skip
            return None
        return day

    def _phone(self, row: ParsedRow, value: object) -> str | None:
        if isinstance(value, int | float) and not isinstance(value, bool):
            # A spreadsheet that took the number for a number dropped its leading zero.
            text = _text(value)
            if len(text) == 9:
                text = "0" + text
        else:
            text = _text(value)
        if not text:
            return None
        if len(text) > 20 or not _PHONE.match(text):
            self.issue(row, "phone", _("“%(value)s” is not a phone number.", value=text[:30]))
            return None
        return text

    def _year(self, row: ParsedRow, value: object) -> int | None:
        text = _text(value)
        if not text:
            return None
        try:
            year = int(text)
        except ValueError:
            year = None
        if year is None or not 1980 <= year <= self.this_year + 8:
            self.issue(
                row,
                "graduation_year",
                _("“%(value)s” is not a graduation year between 1980 and %(max)d.",
                  value=text[:20], max=self.this_year + 8),
            )  # fmt: skip
            return None
        return year

    def _gpa(self, row: ParsedRow, value: object) -> Decimal | None:
        if isinstance(value, int | float) and not isinstance(value, bool):
            text = repr(float(value))
        else:
            text = _text(value).replace(",", ".")
        if not text:
            return None
        try:
            gpa = Decimal(text)
        except InvalidOperation:
            gpa = None
        if gpa is None or not gpa.is_finite() or not 0 <= gpa <= 10:
            self.issue(
                row,
                "gpa",
                _("The GPA “%(value)s” is out of range: use a number from 0 to 10.",
                  value=_text(value)[:20]),
            )  # fmt: skip
            return None
        return gpa.quantize(Decimal("0.01"))


def _skill_items(text: str) -> tuple[list[tuple[str, int]], list[str]]:
    """(term, level) pairs of a skills cell, and the items whose level is not 1-5."""
    return parse_skill_terms(text), bad_levels(text)


def _header(header: list[object] | None) -> tuple[dict[str, int], dict[str, str], list[Issue]]:
    """Column positions and headers as written; refuses a file without the required columns."""
    if header is None or not any(_text(h) for h in header):
        raise ServiceError(_("The file is empty: the first row must hold the column headers."),
                           field="file")  # fmt: skip
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    file_issues: list[Issue] = []
    for i, cell in enumerate(header):
        text = _text(cell)
        if not text:
            continue
        key = _HEADER_INDEX.get(_header_key(text))
        if key is None:
            file_issues.append(
                Issue(1, text[:60], _("This column is not known and is ignored."), error=False)
            )
            continue
        if key in positions:
            raise ServiceError(
                _("The column “%(name)s” appears twice.", name=text[:60]), field="file"
            )
        positions[key] = i
        headers[key] = text[:60]
    missing = [str(_BY_KEY[k].label) for k in REQUIRED_COLUMNS if k not in positions]
    if missing:
        raise ServiceError(
            _("Required columns are missing: %(names)s. Start from the template.",
              names=", ".join(missing)),
            field="file",
        )  # fmt: skip
    return positions, headers, file_issues


def check_header(content: bytes, filename: str) -> None:
    """Refuse at once a file that cannot be imported at all: its type, or its header row.

    Cheap (only the first row is read): the rows are checked by the preview.
    """
    # The web's bounds apply: a sheet's XML before its first row costs work too.
    rows = tabular.read_rows(content, filename, MAX_WEB_ROWS)
    try:
        _header(next(rows, None))
    finally:
        rows.close()


def parse_file(
    college: Organization,
    content: bytes,
    filename: str,
    max_rows: int | None = MAX_WEB_ROWS,
    *,
    sha256: str | None = None,
) -> Parsed:
    """Read, validate and normalise every row of a learner file. Writes nothing.

    Refuses with ``ServiceError`` a file that cannot be read at all (type, size,
    encoding, width, missing required columns, or more work than ``max_rows``
    rows justify: see :mod:`matchhub.services.tabular`); row and cell problems
    come back as :class:`Issue` s on each :class:`ParsedRow`. With ``sha256``
    (a stored upload's), the decoded rows are reused while the process keeps
    them. O(rows + distinct skill terms).
    """
    stats = tabular.ReadStats()
    if sha256 is not None:
        rows = tabular.cached_rows(sha256, content, filename, max_rows, stats)
    else:
        rows = tabular.read_rows(content, filename, max_rows, stats)
    header = next(rows, None)
    positions, headers, file_issues = _header(header)
    header_width = max(i for i, h in enumerate(header) if _text(h)) + 1
    checker = _Rows(college, headers)
    parsed_rows: list[ParsedRow] = []
    skill_cells: list[tuple[ParsedRow, list[tuple[str, int]]]] = []
    skills_at = positions.get("skills")
    width = max(positions.values()) + 1
    for line, raw in enumerate(rows, start=2):
        if len(raw) < width:
            raw = [*raw, *([None] * (width - len(raw)))]
        if not any(_text(c) for c in raw):
            continue  # blank rows are common at the end of a sheet
        cells = {k: raw[i] for k, i in positions.items() if k != "skills"}
        row = checker.parse(line, cells)
        skills_text = _text(raw[skills_at]) if skills_at is not None else ""
        overflow = [_text(c) for c in raw[header_width:] if _text(c)]
        if overflow and skills_at == header_width - 1:
            # "Python:4, SQL" typed unquoted in a comma-separated file: the commas split
            # the skills cell, whose pieces are all that can follow the last column.
            skills_text = ", ".join([skills_text, *overflow])
        elif overflow:
            checker.issue(
                row, "",
                _("This row has more cells than the header row: put the skills in quotes or "
                  "separate the columns with semicolons."),
            )  # fmt: skip
        if skills_at is not None:
            pairs, bad = _skill_items(skills_text)
            for item in bad:
                checker.issue(
                    row, "skills",
                    _("“%(value)s”: a skill level goes from 1 to 5.", value=item[:60]),
                )  # fmt: skip
            skill_cells.append((row, pairs))
        parsed_rows.append(row)
    if not parsed_rows:
        file_issues.append(Issue(2, "", _("The file holds no learner below its header row.")))
    _normalise_skills(skill_cells, checker)
    return Parsed(
        filename=filename,
        columns=list(positions),
        headers=headers,
        rows=parsed_rows,
        file_issues=file_issues,
        encoding=stats.encoding,
    )


def _normalise_skills(cells: list[tuple[ParsedRow, list[tuple[str, int]]]], checker: _Rows) -> None:
    """Normalise each distinct term once (a cohort repeats the same few hundred terms)."""
    terms = sorted({t for _, pairs in cells for t, _lv in pairs})
    if not cells:
        return
    normalized = dict(zip(terms, engine.normalize_terms(terms), strict=True))
    ids = skill_ids_by_slug()
    for row, pairs in cells:
        skills: list[RowSkill] = []
        seen: set[object] = set()
        for term, level in pairs:
            slug = normalized[term].skill_id
            skill_id = ids.get(slug) if slug else None
            key = skill_id if skill_id is not None else term.casefold()
            if key in seen:
                continue
            seen.add(key)
            if skill_id is None:
                checker.issue(
                    row, "skills",
                    _("Unknown skill “%(term)s”: kept as written for the province office "
                      "to review.", term=term[:60]),
                    error=False,
                )  # fmt: skip
            skills.append(RowSkill(term=term[:160], level=level, skill_id=skill_id, slug=slug))
        row.skills = skills


# --- Comparing with the database ---


_FIELDS = (
    "full_name",
    "date_of_birth",
    "email",
    "phone",
    "programme_id",
    "graduation_year",
    "gpa",
)


@dataclass
class _Existing:
    id: int
    claimed: bool
    values: dict[str, object]
    skills: tuple


def _existing(college: Organization, codes: list[str]) -> dict[str, _Existing]:
    """The college's learners among ``codes``, with their skills. Two queries.

    The college's learners are read whole rather than through IN lists of codes:
    a college holds tens of thousands at most, and long IN lists are slow to send.
    """
    wanted = set(codes)
    found: dict[str, _Existing] = {}
    cols = [getattr(Learner, f) for f in _FIELDS]
    for row in db.session.execute(
        sa.select(Learner.id, Learner.student_code, Learner.user_id, *cols).where(
            Learner.college_id == college.id
        )
    ):
        if row.student_code in wanted:
            found[row.student_code] = _Existing(
                id=row.id,
                claimed=row.user_id is not None,
                values={f: getattr(row, f) for f in _FIELDS},
                skills=(),
            )
    if not found:
        return found
    by_id = {e.id: e for e in found.values()}
    skills: dict[int, list] = {}
    for lid, sid, term, level in db.session.execute(
        sa.select(
            LearnerSkill.learner_id, LearnerSkill.skill_id, LearnerSkill.term, LearnerSkill.level
        )
        .join(Learner, Learner.id == LearnerSkill.learner_id)
        .where(Learner.college_id == college.id)
    ):
        if lid in by_id:
            skills.setdefault(lid, []).append(_skill_key(sid, term, level))
    for lid, keys in skills.items():
        by_id[lid].skills = tuple(sorted(keys))
    return found


def _skill_key(skill_id: int | None, term: str, level: int) -> tuple:
    return (skill_id or 0, "" if skill_id else term.casefold(), level)


def _row_skill_keys(row: ParsedRow) -> tuple:
    return tuple(sorted(_skill_key(s.skill_id, s.term, s.level) for s in row.skills or ()))


def _same(a: object, b: object) -> bool:
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return (a is None) == (b is None) and (a is None or Decimal(a) == Decimal(b))
    return a == b


def _plan(college: Organization, parsed: Parsed) -> tuple[list, list, int]:
    """Split valid rows into (new rows, [(existing, changes, new skills or None)], unchanged)."""
    rows = [r for r in parsed.rows if not r.errors]
    existing = _existing(college, [r.values["student_code"] for r in rows])
    new, updates, unchanged = [], [], 0
    for row in rows:
        old = existing.get(row.values["student_code"])
        if old is None:
            row.status = "new"
            new.append(row)
            continue
        fields = {k: v for k, v in row.values.items() if k in _FIELDS}
        if old.claimed:
            fields = {k: v for k, v in fields.items() if k in _ACADEMIC}
        changes = {k: v for k, v in fields.items() if not _same(old.values.get(k), v)}
        skills = None
        if row.skills is not None and not old.claimed and _row_skill_keys(row) != old.skills:
            skills = row.skills
        if changes or skills is not None:
            row.status = "updated"
            updates.append((old, changes, skills))
        else:
            row.status = "unchanged"
            unchanged += 1
    return new, updates, unchanged


# --- Staging, preview and commit (web) ---


def _purge_expired() -> None:
    db.session.execute(
        sa.delete(PendingImport).where(PendingImport.created_at < utcnow() - PENDING_TTL)
    )


def stage_upload(college: Organization, user: User, content: bytes, filename: str) -> str:
    """Keep an uploaded file server-side for its preview and commit; returns its token.

    A file that cannot be imported at all (type, encoding, header row) is refused
    at once (``ServiceError``), before anything is stored.
    """
    filename = PurePath(filename or "").name[:200] or "upload"
    check_header(content, filename)
    _purge_expired()
    token = secrets.token_urlsafe(24)
    db.session.add(
        PendingImport(
            token=token,
            college_id=college.id,
            user_id=user.id,
            filename=filename,
            sha256=hashlib.sha256(content).hexdigest(),
            content=content,
        )
    )
    db.session.commit()
    return token


def _pending(college: Organization, token: str) -> PendingImport:
    """The staged upload of ``token`` for this college only; expired or foreign → refused."""
    pending = db.session.scalar(
        sa.select(PendingImport).where(
            PendingImport.token == token, PendingImport.college_id == college.id
        )
    )
    if pending is None or pending.created_at < utcnow() - PENDING_TTL:
        raise ServiceError(_("This upload has expired or does not exist: upload the file again."))
    if hashlib.sha256(pending.content).hexdigest() != pending.sha256:
        raise ServiceError(_("The stored upload is damaged: upload the file again."))
    return pending


def pending_size(college: Organization, token: str) -> int:
    """The size in bytes of this college's staged upload; refused when expired or foreign."""
    return len(_pending(college, token).content)


def preview_upload(college: Organization, token: str) -> Preview:
    """Every row of a staged upload, validated and compared with the database. Writes nothing."""
    pending = _pending(college, token)
    parsed = parse_file(college, pending.content, pending.filename, sha256=pending.sha256)
    new, updates, unchanged = _plan(college, parsed)
    ids = {s.skill_id for r in parsed.rows for s in r.skills or () if s.skill_id}
    skills = {
        s.id: s for s in db.session.scalars(sa.select(Skill).where(Skill.id.in_(ids)))
    } if ids else {}  # fmt: skip
    return Preview(token, parsed, len(new), len(updates), unchanged, skills)


def commit_upload(
    college: Organization,
    user: User,
    token: str,
    *,
    invite: str = invitations.NOW,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Write a previewed upload in one transaction; refused while any row has an error.

    ``invite``: when the new learners are invited (``invitations.CHOICES``);
    ``progress(done, total)`` is told after each chunk of rows (a job's progress page).
    """
    pending = _pending(college, token)
    parsed = parse_file(college, pending.content, pending.filename, sha256=pending.sha256)
    result = _write(
        college, user, parsed, sha256=pending.sha256, invite=invite, progress=progress
    )
    db.session.delete(pending)
    db.session.commit()
    return result


def discard_upload(college: Organization, token: str) -> bool:
    """Forget a staged upload of this college without importing it.

    ``False`` when the college has no such upload (another college's token, or
    one already gone): nothing was discarded, and the caller must not say so.
    """
    deleted = db.session.execute(
        sa.delete(PendingImport).where(
            PendingImport.token == token, PendingImport.college_id == college.id
        )
    ).rowcount
    db.session.commit()
    return bool(deleted)


def import_file(
    college: Organization,
    user: User | None,
    content: bytes,
    filename: str,
    *,
    invite: str = invitations.NOW,
) -> tuple[Parsed, ImportResult | None]:
    """Parse and, when no row has an error, write a learner file at once (the CLI's path).

    Returns the parse (with its issues) and the result, or ``None`` when refused
    because of row errors. No row limit.
    """
    parsed = parse_file(college, content, filename, max_rows=None)
    if parsed.errors:
        return parsed, None
    result = _write(
        college, user, parsed, sha256=hashlib.sha256(content).hexdigest(), invite=invite
    )
    db.session.commit()
    return parsed, result


def _write(
    college: Organization,
    user: User | None,
    parsed: Parsed,
    *,
    sha256: str,
    invite: str = invitations.NOW,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Insert and update the learners of ``parsed`` (flushes; the caller commits).

    Any failure rolls the whole import back: nothing of the file stays written.
    """
    if parsed.errors:
        raise ServiceError(
            _("The file still has errors: fix them and upload it again. Nothing was imported.")
        )
    try:
        new, updates, unchanged = _plan(college, parsed)
        state = invitations.state_for(college, invite)
        invited = 0
        now = utcnow()
        total, report = len(new) + len(updates), progress or (lambda done, total: None)
        report(0, total)
        for start in range(0, len(new), CHUNK):
            invited += _insert_learners(college, new[start : start + CHUNK], now, state)
            report(min(start + CHUNK, len(new)), total)
        if new:
            _insert_skills(new, _new_ids(college, now))
        for start in range(0, len(updates), CHUNK):
            _update_learners(updates[start : start + CHUNK])
            report(len(new) + min(start + CHUNK, len(updates)), total)
        # An unverified college prepares its list; its learners are invited once the
        # province office verifies it, as orders wait to publish.
        result = ImportResult(
            len(new),
            len(updates),
            unchanged,
            invited=invited if state == "queued" else 0,
            held=invited if state == "held" else 0,
            waiting=invited if state == "later" else 0,
            not_sent=invited if state == "never" else 0,
        )
        audit.record(
            "learners.imported",
            actor=user,
            organization_id=college.id,
            obj=college,
            filename=parsed.filename,
            sha256=sha256,
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
        )
        db.session.flush()
    except sa.exc.IntegrityError as exc:
        # Two imports of the same learners at once: the second loses on the unique code.
        db.session.rollback()
        raise ServiceError(
            _("Another import of these learners ran at the same time: upload the file again.")
        ) from exc
    except Exception:
        db.session.rollback()
        raise
    if result.invited:
        invitations.send_after_commit(college)  # by a job, once the learners are committed
    return result


def _insert_learners(
    college: Organization, rows: list[ParsedRow], now: datetime, invitation: str
) -> int:
    """Bulk-insert one chunk of new learners, created at ``now``, their invitation in state
    ``invitation`` when they have an email; returns how many have one.

    A plain executemany: an INSERT ... RETURNING of a thousand rows is one huge
    statement that the PostgreSQL driver parses again for every chunk (3x slower).
    """
    records = []
    for row in rows:
        v = row.values
        records.append(
            {
                "college_id": college.id,
                "student_code": v["student_code"],
                "full_name": v["full_name"],
                "date_of_birth": v.get("date_of_birth"),
                "email": v.get("email"),
                "phone": v.get("phone"),
                "programme_id": v.get("programme_id"),
                "graduation_year": v.get("graduation_year"),
                "gpa": v.get("gpa"),
                "preferred_localities": [],
                "cv_text": "",
                "visibility": Visibility.HIDDEN,
                "claim_code": secrets.token_urlsafe(16),
                "invitation": invitation if v.get("email") else None,
                "created_at": now,
                "updated_at": now,
            }
        )
    db.session.execute(sa.insert(Learner), records)
    return sum(1 for r in records if r["email"])


def _new_ids(college: Organization, now: datetime) -> dict[str, int]:
    """Student code -> id of the learners this import created (all stamped ``now``)."""
    return dict(
        db.session.execute(
            sa.select(Learner.student_code, Learner.id).where(
                Learner.college_id == college.id, Learner.created_at == now
            )
        ).all()
    )


def _insert_skills(rows: list[ParsedRow], ids: dict[str, int]) -> None:
    """Bulk-insert the skills of the new learners, a chunk of rows per statement."""
    for start in range(0, len(rows), CHUNK):
        skills = [
            {
                "learner_id": ids[row.values["student_code"]],
                "skill_id": s.skill_id,
                "term": s.term,
                "level": s.level,
            }
            for row in rows[start : start + CHUNK]
            for s in row.skills or ()
        ]
        if skills:
            db.session.execute(sa.insert(LearnerSkill), skills)


def _update_learners(updates: list[tuple[_Existing, dict, list[RowSkill] | None]]) -> None:
    """Bulk-update one chunk of changed learners; replaced skill lists are rewritten."""
    now = utcnow()
    by_keys: dict[tuple, list[dict]] = {}
    for old, changes, _skills in updates:
        if changes:
            record = {"id": old.id, "updated_at": now, **changes}
            by_keys.setdefault(tuple(sorted(record)), []).append(record)
    for records in by_keys.values():
        db.session.execute(sa.update(Learner), records)
    renamed = [old.id for old, changes, _s in updates if changes and "full_name" in changes]
    if renamed:  # a bulk UPDATE skips the mapper events that keep the search column
        refresh_search_text(Learner, renamed, "full_name", "cv_text")
    replaced = [(old.id, skills) for old, _c, skills in updates if skills is not None]
    if replaced:
        db.session.execute(
            sa.delete(LearnerSkill).where(LearnerSkill.learner_id.in_([i for i, _ in replaced]))
        )
        rows = [
            {"learner_id": lid, "skill_id": s.skill_id, "term": s.term, "level": s.level}
            for lid, skills in replaced
            for s in skills
        ]
        if rows:
            db.session.execute(sa.insert(LearnerSkill), rows)


# --- The template ---


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


# --- Claiming an imported profile ---


def claimable_profile(code: str) -> Learner | None:
    """The imported, not yet claimed learner profile whose claim code is ``code``."""
    if not code or len(code) > 64:
        return None
    return db.session.scalar(
        sa.select(Learner).where(Learner.claim_code == code, Learner.user_id.is_(None))
    )


def _blocking_references(learner_id: int) -> bool:
    """Whether rows other than skills and applications (e.g. allocation rounds) point at
    ``learner_id``: those cannot be moved safely, so the claim waits."""
    for table in db.metadata.sorted_tables:
        if table.name in ("learner_skills", "applications", "learners"):
            continue
        for fk in table.foreign_keys:
            if fk.column.table.name == "learners" and fk.parent is not None:
                found = db.session.execute(
                    sa.select(sa.literal(1)).select_from(table).where(fk.parent == learner_id)
                ).first()
                if found is not None:
                    return True
    return False


def claim_profile(code: str, user: User, consent: bool) -> Learner:
    """A learner account takes over the profile its college imported.

    What the account's own (sign-up) profile holds is merged in: skills the
    imported profile lacks, empty fields, applications; then it is removed.
    ``consent`` shows the profile to verified enterprises from now on.
    """
    if user.role is not Role.LEARNER:
        raise ServiceError(_("Only a learner account can claim a learner profile."))
    learner = claimable_profile(code)
    if learner is None:
        raise ServiceError(_("This invitation link is not valid or was already used."))
    own = db.session.scalar(sa.select(Learner).where(Learner.user_id == user.id))
    if own is not None:
        if _blocking_references(own.id):
            raise ServiceError(
                _("Your account takes part in an internship round: claim this profile after it.")
            )
        have = {(s.skill_id or 0, "" if s.skill_id else s.term.casefold()) for s in learner.skills}
        for s in own.skills:
            if (s.skill_id or 0, "" if s.skill_id else s.term.casefold()) not in have:
                learner.skills.append(LearnerSkill(skill_id=s.skill_id, term=s.term, level=s.level))
        for name in ("date_of_birth", "phone", "locality", "available_from", "cv_text"):
            if not getattr(learner, name) and getattr(own, name):
                setattr(learner, name, getattr(own, name))
        if not learner.preferred_localities and own.preferred_localities:
            learner.preferred_localities = list(own.preferred_localities)
        taken = set(
            db.session.scalars(
                sa.select(Application.order_id).where(Application.learner_id == learner.id)
            )
        )
        for application in db.session.scalars(
            sa.select(Application).where(Application.learner_id == own.id)
        ):
            if application.order_id not in taken:
                application.learner_id = learner.id
        db.session.flush()
        db.session.delete(own)
        db.session.flush()
    learner.user_id = user.id
    learner.claim_code = None
    learner.email = learner.email or user.email
    if consent:
        learner.consent_at = utcnow()
        learner.consent_purpose = _(
            "Verified enterprises may see my profile to offer internships and jobs."
        )
        learner.visibility = Visibility.ENTERPRISES
    audit.record("learner.claimed", actor=user, organization_id=learner.college_id, obj=learner)
    db.session.commit()
    return learner
