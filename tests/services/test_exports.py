"""Spreadsheet writers: formula-like text is escaped, everything else kept as it is."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from matchhub.services.exports import escape_cell, to_csv, to_xlsx

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


def test_xlsx_escapes_and_keeps_types():
    when = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
    body = to_xlsx(["a", "b", "c"], [["@evil", 1.5, when]], "Bảng: [1]")
    workbook = load_workbook(io.BytesIO(body))
    sheet = workbook.worksheets[0]
    assert sheet.title == "Bảng   1"
    assert [c.value for c in sheet[2]] == ["'@evil", 1.5, datetime(2026, 11, 27, 3, 0)]
