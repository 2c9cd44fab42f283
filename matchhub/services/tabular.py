"""Reading an uploaded table (CSV or XLSX) into rows of cell values, within bounds.

The bytes come from any college account, so every cost is bounded before or
while it is paid: the zip directory is checked before anything is inflated; a
workbook's declared dimensions are ignored (a sheet declaring ``A1:XFD50001``
must not make anyone pad 50,001 × 16,384 cells); rows are never padded here;
a non-empty cell beyond :data:`MAX_COLUMNS` or a row past the row limit stops
the read with a clear error; and the XML elements of a sheet are counted
(:class:`ReadStats`) so that no sheet, however it is shaped, costs more than a
budget proportional to the row limit.
"""

from __future__ import annotations

import csv
import io
import re
import threading
import warnings
import zipfile
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath

from flask_babel import gettext as _

from matchhub.services import ServiceError, textcodec

#: Uncompressed size an XLSX may unpack to, in total and per compressed byte.
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200
MAX_ZIP_ENTRIES = 1000
#: Parts other than sheets and shared strings (styles, workbook, themes) are read whole,
#: uncounted, by openpyxl: a real workbook's are well under this.
MAX_PART = 8 * 1024 * 1024
_DATA_PARTS = ("xl/worksheets/", "xl/sharedStrings.xml")
#: Columns read; a non-empty cell further right refuses the file. An export of a student
#: system has a few dozen columns; the import knows nine.
MAX_COLUMNS = 64
#: XML elements of a sheet visited per allowed row: a cell is two elements (three for an
#: inline string), so the template's nine columns take 19 and two dozen filled columns fit.
ELEMENTS_PER_ROW = 48
#: The namespace of a sheet's elements.
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_C, _ROW, _V, _IS = (f"{{{_NS}}}{tag}" for tag in ("c", "row", "v", "is"))
_SI, _T, _R = (f"{{{_NS}}}{tag}" for tag in ("si", "t", "r"))
#: Excel's own last row: a row number beyond it is no workbook Excel wrote.
EXCEL_ROWS = 1_048_576


@dataclass
class ReadStats:
    """Work done reading a file: cells read (CSV) or sheet XML elements visited (XLSX)."""

    cells: int = 0
    #: The text encoding a CSV was read in (a key of :data:`textcodec.LABELS`); None for XLSX.
    encoding: str | None = None


def _file_error(message: str) -> ServiceError:
    return ServiceError(message, field="file")


def _too_many_rows(max_rows: int) -> ServiceError:
    return _file_error(
        _("The file has more than %(n)s learners: split it into smaller files.",
          n=f"{max_rows:,}")
    )  # fmt: skip


def _too_wide(column: int) -> ServiceError:
    return _file_error(
        _("The sheet has a value in column %(column)s: only the first %(max)d columns are read. "
          "Delete the columns the import does not use and upload the file again.",
          column=_column_letter(column), max=MAX_COLUMNS)
    )  # fmt: skip


def _column_letter(column: int) -> str:
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_rows(
    content: bytes, filename: str, max_rows: int | None, stats: ReadStats | None = None
) -> Iterator[list[object]]:
    """The rows of ``content`` (header first) as lists of at most :data:`MAX_COLUMNS` values.

    Refuses (``ServiceError`` on the ``file`` field) a file whose type is not what
    its name says, a zip bomb, a binary "CSV" or text in no accepted encoding
    (:func:`textcodec.decode`, which ``stats.encoding`` names), a value
    beyond :data:`MAX_COLUMNS`, more than ``max_rows`` data rows, and (XLSX) a
    sheet costing more than ``ELEMENTS_PER_ROW`` XML elements per allowed row.
    ``max_rows=None`` (the command line) lifts the row and work limits. Rows are
    not padded: a short row is short. Work is O(bytes read), bounded as above.
    """
    stats = stats if stats is not None else ReadStats()
    suffix = PurePath(filename or "").suffix.lower()
    if suffix == ".xlsx":
        budget = None if max_rows is None else (max_rows + 1) * ELEMENTS_PER_ROW
        rows = _xlsx_rows(content, stats, budget, max_rows)
    elif suffix in (".csv", ".txt"):
        rows = _csv_rows(content, stats)
    elif suffix == ".xls":
        raise _file_error(
            _("Old Excel files (.xls) cannot be read: save the file as .xlsx or CSV UTF-8.")
        )
    else:
        raise _file_error(_("Upload a CSV (.csv) or Excel (.xlsx) file."))
    limit = None if max_rows is None else max_rows + 1  # + the header
    try:
        for n, row in enumerate(rows, start=1):
            if limit is not None and n > limit:
                raise _too_many_rows(max_rows)
            yield row
    finally:
        rows.close()


def _bounded(cells: list[object]) -> list[object]:
    if len(cells) > MAX_COLUMNS:
        for i in range(MAX_COLUMNS, len(cells)):
            if cells[i] is not None and str(cells[i]).strip():
                raise _too_wide(i + 1)
        del cells[MAX_COLUMNS:]
    return cells


def _csv_rows(content: bytes, stats: ReadStats) -> Iterator[list[object]]:
    if content[:4] == b"PK\x03\x04":
        raise _file_error(
            _("This file is an Excel workbook or an archive, not CSV text: "
              "name it .xlsx or save it as CSV UTF-8.")
        )  # fmt: skip
    decoded = textcodec.decode(content)
    if decoded is None:
        # No accepted encoding decodes it without control or replacement characters.
        raise _file_error(
            _("This file is not a CSV text file: save it from your spreadsheet as CSV UTF-8.")
        )
    text, stats.encoding = decoded
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count) if first else ","
    if first.count(delimiter) == 0:
        delimiter = ","
    # A CSV costs what its bytes cost (the upload size bounds it); only the width is checked.
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        stats.cells += len(row)
        yield _bounded(row)


def check_zip(content: bytes) -> None:
    """Refuse a zip that is not one, or whose directory promises a bomb, before unpacking it.

    The sizes come from the central directory; Python's zip reader never inflates
    an entry beyond its declared size, so a lying directory cannot exceed them.
    """
    not_xlsx = _file_error(
        _("This file is not a real Excel workbook (.xlsx): open it in your spreadsheet "
          "and save it again as .xlsx or CSV UTF-8.")
    )  # fmt: skip
    if content[:4] != b"PK\x03\x04":
        raise not_xlsx
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise not_xlsx from None
    bomb = _file_error(
        _("This workbook unpacks to far more data than a list of learners holds and was "
          "refused for safety.")
    )  # fmt: skip
    if len(infos) > MAX_ZIP_ENTRIES:
        raise bomb
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise bomb
        if info.file_size > MAX_PART and not info.filename.startswith(_DATA_PARTS):
            raise bomb
    if total > MAX_UNCOMPRESSED:
        raise bomb
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise not_xlsx


def _unreadable() -> ServiceError:
    return _file_error(
        _("The workbook could not be read: open it in your spreadsheet and save it again.")
    )


class _Budget:
    """Counts the XML elements visited (into ``stats``) and stops past ``limit``."""

    def __init__(self, stats: ReadStats, limit: int | None, max_rows: int | None):
        self.stats, self.limit, self.max_rows = stats, limit, max_rows

    def spend(self) -> None:
        self.stats.cells += 1
        if self.limit is not None and self.stats.cells > self.limit:
            raise _file_error(
                _("The sheet holds far more cells than %(n)s learners need: keep only "
                  "the learners' rows and columns, or split the file.",
                  n=f"{self.max_rows:,}")
            )  # fmt: skip


def _text_of(element) -> str:
    """The text of a shared or inline string: its runs, without phonetic guides."""
    if element.find(_T) is not None and len(element) == 1:
        return element.findtext(_T) or ""
    return "".join(r.findtext(_T) or "" for r in element if r.tag == _R) or (
        element.findtext(_T) or ""
    )


def _shared_strings(archive: zipfile.ZipFile, budget: _Budget) -> list[str]:
    from openpyxl.xml.functions import iterparse

    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings: list[str] = []
    with archive.open("xl/sharedStrings.xml") as source:
        for _event, element in iterparse(source):
            budget.spend()
            if element.tag == _SI:
                strings.append(_text_of(element).replace("_x005F_", "_"))
                element.clear()
    return strings


def _xlsx_rows(
    content: bytes, stats: ReadStats, limit: int | None, max_rows: int | None
) -> Iterator[list[object]]:
    """The first sheet's rows, decoded here from its XML.

    openpyxl's row iterator pads every row to the declared (or widest) column and
    every gap to the declared width, its read-only loader walks a whole sheet that
    declares no dimension, and its string objects cost tens of microseconds each;
    so only the workbook part (first sheet, date styles, epoch) comes from openpyxl,
    and the shared strings and the sheet are walked here, every element counted
    against the budget.
    """
    check_zip(content)
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.xml.functions import iterparse

    budget = _Budget(stats, limit, max_rows)
    try:
        with warnings.catch_warnings():
            # Files from other programs make openpyxl warn about styles it ignores anyway.
            warnings.simplefilter("ignore")
            reader = ExcelReader(io.BytesIO(content), read_only=True, data_only=True)
            reader.read_manifest()
            reader.read_workbook()
            apply_stylesheet(reader.archive, reader.wb)
            sheets = [rel.target for _s, rel in reader.parser.find_sheets()]
        strings = _shared_strings(reader.archive, budget)
    except ServiceError:
        raise
    except Exception:  # openpyxl and the XML parser raise many kinds on a damaged workbook
        raise _unreadable() from None
    sheets = [path for path in sheets if path in reader.valid_files]
    if not sheets:
        return
    cell = _Cell(strings, reader.wb)
    last_row = column = 0
    cells: list[object] = []
    try:
        with reader.archive.open(sheets[0]) as source:
            for _event, element in iterparse(source):
                budget.spend()
                tag = element.tag
                if tag == _C:
                    if not len(element):  # an empty (styled) cell: nothing to read
                        column = _column(element.get("r"), column)
                        continue
                    column = _column(element.get("r"), column)
                    value = cell.value(element)
                    element.clear()
                    if value is None or value == "":
                        continue
                    if column > MAX_COLUMNS:
                        raise _too_wide(column)
                    if column > len(cells):
                        cells.extend([None] * (column - len(cells)))
                    cells[column - 1] = value
                elif tag == _ROW:
                    number = element.get("r")
                    number = int(number) if number and number.isdigit() else last_row + 1
                    if not last_row < number <= EXCEL_ROWS:
                        raise _unreadable()
                    # A gap is yielded row by row (empty) so that row numbers stay true and
                    # the caller's row limit stops a sheet whose only row is far below.
                    for _gap in range(last_row + 1, number):
                        yield []
                    last_row, column = number, 0
                    row, cells = cells, []
                    element.clear()
                    yield row
    except ServiceError:
        raise
    except Exception:
        raise _unreadable() from None
    finally:
        reader.archive.close()


_LETTERS = re.compile(r"^\$?([A-Za-z]{1,3})\$?[0-9]*$")


def _column(ref: str | None, previous: int) -> int:
    """A cell's column number from its reference ("AB12" → 28); the next one without one."""
    if not ref:
        return previous + 1
    match = _LETTERS.match(ref)
    if match is None:
        raise ValueError(ref)
    number = 0
    for letter in match[1].upper():
        number = number * 26 + ord(letter) - 64
    return number


class _Cell:
    """Decodes a cell element to a Python value as openpyxl would (data only)."""

    def __init__(self, strings: list[str], workbook):
        self.strings = strings
        self.epoch = workbook.epoch
        self.dates = workbook._date_formats
        self.durations = workbook._timedelta_formats

    def value(self, element) -> object:
        from openpyxl.utils.datetime import from_excel, from_ISO8601

        kind = element.get("t", "n")
        if kind == "inlineStr":
            inline = element.find(_IS)
            return None if inline is None else _text_of(inline) or None
        text = element.findtext(_V)
        if text is None or text == "":
            return None
        if kind == "s":
            return self.strings[int(text)]
        if kind == "b":
            return text.strip() == "1"
        if kind in ("str", "e"):
            return text
        if kind == "d":
            return from_ISO8601(text)
        number: int | float = float(text)
        if number.is_integer() and "." not in text and "E" not in text.upper():
            number = int(text)
        style = int(element.get("s", 0) or 0)
        if style in self.dates:
            try:
                return from_excel(number, self.epoch, timedelta=style in self.durations)
            except (OverflowError, ValueError):
                return number
        return number


#: Files whose rows are kept per process, so that paging through a preview or reloading it
#: does not decode the workbook again (a 50,000-row file is some tens of MB of rows).
CACHED_FILES = 2
_cache: OrderedDict[tuple, tuple[list[list[object]], str | None] | ServiceError] = OrderedDict()
_cache_lock = threading.Lock()


def cached_rows(
    key: str, content: bytes, filename: str, max_rows: int | None, stats: ReadStats | None = None
) -> Iterator[list[object]]:
    """:func:`read_rows` of a stored upload, remembered under ``key`` (its SHA-256).

    A refusal is remembered too: reloading the preview of a hostile file costs
    nothing the second time. The rows are shared: callers must not change them.
    ``stats.encoding`` is set (from the cache too); its cell count only on a decode.
    """
    stats = stats if stats is not None else ReadStats()
    entry_key = (key, PurePath(filename or "").suffix.lower(), max_rows)
    with _cache_lock:
        entry = _cache.get(entry_key)
        if entry is not None:
            _cache.move_to_end(entry_key)
    if entry is None:
        try:
            entry = (list(read_rows(content, filename, max_rows, stats)), stats.encoding)
        except ServiceError as exc:
            entry = exc.with_traceback(None)  # its frames would keep the file's bytes alive
        with _cache_lock:
            _cache[entry_key] = entry
            while len(_cache) > CACHED_FILES:
                _cache.popitem(last=False)
    if isinstance(entry, ServiceError):
        raise entry
    rows, stats.encoding = entry
    return iter(rows)
