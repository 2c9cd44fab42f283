"""The rows an import refused or skipped, as a file to fix and upload again.

A rejected-rows file has the uploaded file's own columns, its headers and cells as
written, and one more column saying why each row was refused (the row's error
messages); the import ignores that column, so the fixed file can be uploaded as it
is. This module returns the rows as data; the view words that column's header and
the file's name, and writes the file. Before the
commit the rows come from the staged upload; a commit that skipped rows keeps them
in ``RejectedRows`` for ``REJECTS_TTL``, because its upload is gone.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from matchhub.extensions import db
from matchhub.models import Organization, RejectedRows, User, utcnow
from matchhub.services import ServiceError
from matchhub.services.import_columns import HEADER_INDEX, REASON, header_key
from matchhub.services.import_rows import Parsed, cell_text

#: How long the rows a commit skipped stay downloadable.
REJECTS_TTL = timedelta(hours=24)
# Control characters cannot be written in a workbook (XML refuses them).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class RejectedTable:
    filename: str  # the uploaded file's name
    headers: list[str]  # the file's headers as written (the reason's is the view's)
    rows: list[list[object]]  # the cells as written, padded to the headers, then the reason


def _cell(value: object) -> object:
    """A cell as written, kept as JSON can store it (a spreadsheet's date as DD/MM/YYYY)."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return _CONTROL.sub("", str(value))


def table(parsed: Parsed) -> RejectedTable:
    """The rejected rows of ``parsed``: its columns as written, and why, last.

    A reason column the file already has (an earlier rejected-rows file) is left out.
    """
    keep = [i for i, h in enumerate(parsed.header_row) if HEADER_INDEX.get(header_key(h)) != REASON]
    headers = [_cell(parsed.header_row[i]) for i in keep]
    rows = []
    for row in parsed.rejected:
        raw = row.raw or []
        cells = [_cell(raw[i]) if i < len(raw) else None for i in keep]
        # Cells past the header's last column (an unquoted comma) stay, before the reason.
        cells += [_cell(c) for c in raw[len(parsed.header_row) :] if cell_text(c)]
        why = " ".join(f"{e.column}: {e.message}" if e.column else e.message for e in row.errors)
        rows.append([*cells, why])
    width = max([len(headers), *(len(r) - 1 for r in rows)])
    headers += [""] * (width - len(headers))
    rows = [[*r[:-1], *([None] * (width - len(r) + 1)), r[-1]] for r in rows]
    return RejectedTable(parsed.filename, headers, rows)


def purge_expired() -> None:
    db.session.execute(
        sa.delete(RejectedRows).where(RejectedRows.created_at < utcnow() - REJECTS_TTL)
    )


def keep(college: Organization, user: User | None, parsed: Parsed) -> str:
    """Store the rows ``parsed`` rejected for their download (flushes; the caller commits)."""
    rejected = table(parsed)
    token = secrets.token_urlsafe(24)
    db.session.add(
        RejectedRows(
            token=token,
            college_id=college.id,
            user_id=user.id if user is not None else None,
            filename=rejected.filename,
            headers=rejected.headers,
            rows=rejected.rows,
        )
    )
    db.session.flush()
    return token


def stored(college: Organization, token: str) -> RejectedTable:
    """The rows a commit of this college skipped; refused when expired or another's."""
    found = db.session.scalar(
        sa.select(RejectedRows).where(
            RejectedRows.token == token, RejectedRows.college_id == college.id
        )
    )
    if found is None or found.created_at < utcnow() - REJECTS_TTL:
        raise ServiceError(_("These rejected rows are no longer available: upload the file again."))
    return RejectedTable(found.filename, list(found.headers), [list(r) for r in found.rows])
