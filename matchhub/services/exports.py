"""Spreadsheet writers shared by every export: CSV (UTF-8 with BOM) and XLSX.

A text cell that a spreadsheet would read as a formula (starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) must stay text (CSV injection) without
mangling values people read, such as a phone number "+84 912 …":

* in CSV, where a cell has no type, it gets a leading single quote;
* in XLSX, it is written as a string cell with the *quote prefix* style, so Excel and
  LibreOffice show the value as it is and never evaluate it.

Numbers, dates and booleans are written as they are: in XLSX dates are real dates
(Vietnam's wall time, shown dd/mm/yyyy), and columns get widths from their content.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, islice
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

#: MIME types of the formats; the response adds ``charset=utf-8`` to text/csv itself.
MIMETYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_FORMULA_LEADS = ("=", "+", "-", "@", "\t", "\r")
_SHEET_TITLE_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))
_VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# Widths are measured on the first rows only: enough to read, without a second pass.
_WIDTH_SAMPLE = 200
_MAX_WIDTH = 60


def table_file(
    fmt: str, headers: Sequence[object], rows: Iterable[Sequence[object]], sheet_title: str
) -> tuple[bytes, str]:
    """``rows`` under ``headers`` as a ``fmt`` ("csv" or "xlsx") file: (bytes, MIME type).

    Raises KeyError for another format (callers check the format against MIMETYPES).
    """
    mimetype = MIMETYPES[fmt]
    if fmt == "csv":
        return to_csv(headers, rows), mimetype
    return to_xlsx(headers, rows, sheet_title), mimetype


def _formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(_FORMULA_LEADS)


def escape_cell(value: object) -> object:
    """``value`` safe for a CSV cell: formula-like text gets a leading single quote."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal | date | datetime):
        return value
    text = str(value)
    return "'" + text if _formula_like(text) else text


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
        return _local(value).isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _local(moment: datetime) -> datetime:
    # Spreadsheets have no time zones: people expect the time as read in Vietnam.
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(_VIETNAM).replace(tzinfo=None)


def to_xlsx(headers: Sequence[object], rows: Iterable[Sequence[object]], sheet_title: str) -> bytes:
    """An XLSX workbook of one sheet called ``sheet_title`` holding ``rows`` under ``headers``.

    Written in openpyxl's write-only (streaming) mode: memory stays flat for big exports
    (only the first rows are held, to size the columns).
    """
    workbook = Workbook(write_only=True)
    title = str(sheet_title).translate(_SHEET_TITLE_FORBIDDEN).strip()[:31] or "Sheet1"
    sheet = workbook.create_sheet(title)
    rows = iter(rows)
    head = [list(r) for r in islice(rows, _WIDTH_SAMPLE)]
    header_texts = [str(h) for h in headers]
    for i, width in enumerate(_widths(header_texts, head), start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([_xlsx_cell(sheet, h) for h in header_texts])
    for row in chain(head, rows):
        sheet.append([_xlsx_cell(sheet, v) for v in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _display_length(value: object) -> int:
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    return len(str(value)) if value is not None else 0


def _widths(headers: list[str], rows: list[list[object]]) -> list[float]:
    widths = []
    for i, header in enumerate(headers):
        longest = max([len(header), *(_display_length(r[i]) for r in rows if i < len(r))])
        widths.append(min(max(longest, 6) + 2, _MAX_WIDTH))
    return widths


def _xlsx_cell(sheet, value: object) -> object:
    if value is None:
        return None
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=_local(value))
        cell.number_format = "DD/MM/YYYY HH:MM"
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "DD/MM/YYYY"
        return cell
    text = str(value)
    if not _formula_like(text):
        return text
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
    cell.quotePrefix = True
    return cell
