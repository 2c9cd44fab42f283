"""Spreadsheet writers shared by every export: CSV (UTF-8 with BOM) and XLSX.

Every text cell that a spreadsheet would read as a formula (starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with a
single quote, so an exported name such as ``=HYPERLINK(...)`` stays text
(CSV injection). Numbers, dates and booleans are written as they are.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook

_FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
_SHEET_TITLE_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def escape_cell(value: object) -> object:
    """``value`` safe for a spreadsheet: formula-like text gets a leading single quote."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal | date | datetime):
        return value
    text = str(value)
    if text.startswith(_FORMULA_LEADS):
        return "'" + text
    return text


def to_csv(headers: Sequence[object], rows: Iterable[Sequence[object]]) -> bytes:
    """A CSV file (UTF-8 with BOM, so spreadsheet programs pick the encoding) of ``rows``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([escape_cell(str(h)) for h in headers])
    for row in rows:
        writer.writerow([_csv_text(escape_cell(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_text(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def to_xlsx(headers: Sequence[object], rows: Iterable[Sequence[object]], sheet_title: str) -> bytes:
    """An XLSX workbook of one sheet called ``sheet_title`` holding ``rows`` under ``headers``.

    Written in openpyxl's write-only (streaming) mode: memory stays flat for big exports.
    """
    workbook = Workbook(write_only=True)
    title = str(sheet_title).translate(_SHEET_TITLE_FORBIDDEN).strip()[:31] or "Sheet1"
    sheet = workbook.create_sheet(title)
    sheet.append([escape_cell(str(h)) for h in headers])
    for row in rows:
        sheet.append([_xlsx_value(escape_cell(v)) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_value(value: object) -> object:
    # Excel has no time zones: a timezone-aware datetime is written as its UTC wall time.
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    if isinstance(value, Decimal):
        return float(value)
    return value
