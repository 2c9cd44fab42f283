"""Spreadsheet writers: formula-like text is escaped, everything else kept as it is."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from matchhub.services.exports import escape_cell, table_file, to_csv, to_xlsx

DANGEROUS = ["=1+1", "+84912", "-2", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")']


@pytest.mark.parametrize("value", DANGEROUS)
def test_formula_like_text_gets_a_quote(value):
    assert escape_cell(value) == "'" + value


def test_plain_values_are_kept():
    assert escape_cell("Nguyễn Văn An") == "Nguyễn Văn An"
    assert escape_cell(-2) == -2  # a number is not a formula
    assert escape_cell(None) == ""
    assert escape_cell(Decimal("3.2")) == Decimal("3.2")


def test_csv_has_a_bom_and_escapes():
    body = to_csv(["Tên", "=x"], [["=cmd|' /C calc'!A0", 3, date(2026, 1, 2)]])
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows == [["Tên", "'=x"], ["'=cmd|' /C calc'!A0", "3", "2026-01-02"]]


def test_xlsx_neutralises_formulas_without_mangling_values_and_keeps_types():
    when = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
    rows = [["@evil", 1.5, when, "+84 912 345 678", date(2026, 1, 2)]]
    body = to_xlsx(["a", "b", "c", "Điện thoại", "e"], rows, "Bảng: [1]")
    workbook = load_workbook(io.BytesIO(body))
    sheet = workbook.worksheets[0]
    assert sheet.title == "Bảng   1"
    cells = sheet[2]
    # Vietnam's wall time (UTC+7), as real dates shown day first.
    assert [c.value for c in cells] == [
        "@evil", 1.5, datetime(2026, 11, 27, 10, 0), "+84 912 345 678", datetime(2026, 1, 2)
    ]
    # Formula-like text is a string with the quote-prefix style: shown as typed, never run.
    assert [(c.data_type, c.quotePrefix) for c in (cells[0], cells[3])] == [("s", True)] * 2
    assert (cells[2].number_format, cells[4].number_format) == ("DD/MM/YYYY HH:MM", "DD/MM/YYYY")
    assert sheet.column_dimensions["D"].width >= len("+84 912 345 678")
    assert sheet.freeze_panes == "A2"


def test_csv_is_served_with_one_charset(app):
    from flask import Response

    data, mimetype = table_file("csv", ["a"], [["b"]], "x")
    response = Response(data, mimetype=mimetype)
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
