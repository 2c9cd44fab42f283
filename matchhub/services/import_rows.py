"""A learner file's rows: what a parsed row holds, and how each cell is validated.

Problems are :class:`Issue` s on their row (an error refuses the commit, or
skips the row when the college asks for it; a warning does not); nothing here
reads the file or writes to the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import sqlalchemy as sa
from flask_babel import gettext as _

from matchhub.emails import checked_email
from matchhub.extensions import db
from matchhub.models import Organization, Programme
from matchhub.services import textcodec
from matchhub.services.import_columns import header_key

#: The GPA scales a file may be written on, chosen per upload.
GPA_SCALES = (4, 10)
#: The one scale GPA is stored on: a 10-point GPA is converted linearly (x 4/10,
#: rounded half up to 0.01), so 8.0/10 is kept as 3.20/4. Pages show GPA out of 4.
GPA_STORED_SCALE = 4


def stored_gpa(value: Decimal, scale: int) -> Decimal:
    """``value`` on a ``scale``-point scale, as stored (on the 4-point scale)."""
    if scale != GPA_STORED_SCALE:
        value = value * GPA_STORED_SCALE / scale
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


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
    #: The cells as read from the file, kept for a row with errors (its rejected-rows line).
    raw: list[object] | None = None
    #: The GPA as written, on the upload's scale (``values["gpa"]`` is the stored one).
    gpa_written: Decimal | None = None


@dataclass
class Parsed:
    filename: str
    columns: list[str]  # keys of the columns the file has
    headers: dict[str, str]  # key -> header as written in the file
    rows: list[ParsedRow]
    file_issues: list[Issue]
    #: The text encoding of a CSV (a key of ``textcodec.LABELS``); None for a workbook.
    encoding: str | None = None
    #: The header row as written, up to its last header (the rejected rows' header).
    header_row: list[str] = field(default_factory=list)
    #: The scale of the file's GPA column (one of ``GPA_SCALES``).
    gpa_scale: int = GPA_STORED_SCALE

    @property
    def encoding_label(self) -> str:
        """The encoding as the preview names it: "Windows-1258 (Vietnamese)"."""
        return textcodec.label(self.encoding)

    @property
    def errors(self) -> list[Issue]:
        # The file's warnings (a column not known) are not errors: they never refuse it.
        return [*self.file_errors, *(e for r in self.rows for e in r.errors)]

    @property
    def warnings(self) -> list[Issue]:
        return [w for r in self.rows for w in r.warnings]

    @property
    def file_errors(self) -> list[Issue]:
        """Errors of the file as a whole: no row of it can be imported."""
        return [i for i in self.file_issues if i.error]

    @property
    def rejected(self) -> list[ParsedRow]:
        """The rows with an error: refused, or skipped when the college asks for it."""
        return [r for r in self.rows if r.errors]

    @property
    def valid_count(self) -> int:
        return sum(1 for r in self.rows if not r.errors)


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


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


class RowChecker:
    """Validation of one file's rows against one college's programmes and the taxonomy."""

    def __init__(
        self, college: Organization, headers: dict[str, str], gpa_scale: int = GPA_STORED_SCALE
    ):
        self.headers = headers
        self.gpa_scale = gpa_scale
        self.programmes: dict[str, int] = {}
        for pid, code, name in db.session.execute(
            sa.select(Programme.id, Programme.code, Programme.name).where(
                Programme.organization_id == college.id
            )
        ):
            self.programmes.setdefault(header_key(code), pid)
            self.programmes.setdefault(header_key(name), pid)
        self.this_year = date.today().year
        self.seen_codes: dict[str, int] = {}
        self.seen_emails: dict[str, int] = {}

    def issue(self, row: ParsedRow, key: str, message: str, error: bool = True) -> None:
        target = row.errors if error else row.warnings
        target.append(Issue(row.line, self.headers.get(key, key), message, error))

    def parse(self, line: int, cells: dict[str, object]) -> ParsedRow:
        row = ParsedRow(line=line, values={}, skills=None)
        v = row.values
        code = cell_text(cells.get("student_code"))
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
        name = " ".join(cell_text(cells.get("full_name")).split())
        if not name:
            self.issue(row, "full_name", _("The full name is missing."))
        elif len(name) > 120:
            self.issue(row, "full_name", _("The full name is longer than 120 characters."))
        v["full_name"] = name
        if "date_of_birth" in cells:
            v["date_of_birth"] = self._date(row, cells["date_of_birth"])
        if "email" in cells:
            text = cell_text(cells["email"])
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
            text = cell_text(cells["programme"])
            pid = None
            if text:
                pid = self.programmes.get(header_key(text))
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
            text = cell_text(value)
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
            text = cell_text(value)
            if len(text) == 9:
                text = "0" + text
        else:
            text = cell_text(value)
        if not text:
            return None
        if len(text) > 20 or not _PHONE.match(text):
            self.issue(row, "phone", _("“%(value)s” is not a phone number.", value=text[:30]))
            return None
        return text

    def _year(self, row: ParsedRow, value: object) -> int | None:
        text = cell_text(value)
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
            text = cell_text(value).replace(",", ".")
        if not text:
            return None
        try:
            gpa = Decimal(text)
        except InvalidOperation:
            gpa = None
        scale = self.gpa_scale
        if gpa is None or not gpa.is_finite() or not 0 <= gpa <= scale:
            self.issue(
                row,
                "gpa",
                _("The GPA “%(value)s” is out of range: on the %(scale)d-point scale chosen for "
                  "this file, use a number from 0 to %(scale)d.",
                  value=cell_text(value)[:20], scale=scale),
            )  # fmt: skip
            return None
        row.gpa_written = gpa.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return stored_gpa(gpa, scale)
