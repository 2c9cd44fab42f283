"""A report to send upward, as a DOCX document in the Vietnamese administrative style.

A :class:`Report` is the document's content, already worded in the request's language:
the header block (issuing body on the left, the national motto and the place and date
on the right, as Decree 30/2020/NĐ-CP lays out an administrative document), the title,
the period, numbered sections of paragraphs, tables and charts, and the signature block.
:func:`to_docx` writes it with python-docx; the print page (``reports/print.html``)
renders the same object, so the two always carry the same sections and figures.

Type follows the Decree: Times New Roman throughout, 13 pt text, 14 pt title, on A4 with
margins of 2 cm top and bottom, 3 cm left (the binding) and 2 cm right. Tables use 12 pt
(10 pt when wider than six columns) so that a row fits the 16 cm between the margins.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from flask_babel import format_date
from flask_babel import gettext as _

from matchhub.reports.charts import Chart

FONT = "Times New Roman"
BODY_PT = 13
TITLE_PT = 14
TABLE_PT = 12
WIDE_TABLE_PT = 10
WIDE_COLUMNS = 6
CHART_WIDTH = Cm(16)
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Table:
    """A table with one header row; ``numeric`` are the columns aligned right."""

    title: str
    headers: list[str]
    rows: list[list[str]]
    numeric: frozenset[int] = frozenset()


@dataclass
class Section:
    """A numbered section: its paragraphs, then its tables and charts in order."""

    title: str
    blocks: list[str | Table | Chart] = field(default_factory=list)


@dataclass
class Report:
    authority: str  # the body above the issuer (may be empty), upper case
    issuer: str  # the issuing body, upper case
    place: str
    day: date
    title: str  # the document's kind: "BÁO CÁO"
    subject: str  # what it reports on
    period: str
    sections: list[Section]
    filename: str
    signer: str = ""
    lang: str = "vi"

    @property
    def place_and_date(self) -> str:
        """ "Nam Định, ngày 03 tháng 12 năm 2026": the Decree writes days below 10 and the
        months January and February with a leading zero; English reads "December 3, 2026"."""
        if self.lang == "en":
            day, month = str(self.day.day), format_date(self.day, "MMMM")
        else:
            day = f"{self.day.day:02d}"
            month = f"{self.day.month:02d}" if self.day.month < 3 else str(self.day.month)
        return _(
            "%(place)s, %(month)s %(day)s, %(year)s",
            place=self.place,
            day=day,
            month=month,
            year=self.day.year,
        )

    @property
    def motto(self) -> tuple[str, str]:
        return _("SOCIALIST REPUBLIC OF VIETNAM"), _("Independence - Freedom - Happiness")

    @property
    def number_line(self) -> str:
        # Left blank for the office's clerk, who numbers a document when it is issued.
        return _("No.: ……/BC")

    @property
    def chapters(self) -> list[tuple[str, Section, list[tuple[str | Table | Chart, str]]]]:
        """Each section with its Roman numeral (as administrative reports number them) and
        its blocks, each with its caption: tables and figures are numbered through the
        document ("Bảng 2. …", "Hình 3. …"); a paragraph has none."""
        out, tables, figures = [], 0, 0
        for i, section in enumerate(self.sections):
            blocks = []
            for block in section.blocks:
                if isinstance(block, Table):
                    tables += 1
                    caption = _("Table %(n)s. %(title)s", n=tables, title=block.title)
                elif isinstance(block, Chart):
                    figures += 1
                    caption = _("Figure %(n)s. %(title)s", n=figures, title=block.title)
                else:
                    caption = ""
                blocks.append((block, caption))
            out.append((_roman(i + 1), section, blocks))
        return out


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


# --- DOCX ---


def _style_font(style, size: int, bold: bool | None = None) -> None:
    """Times New Roman for every script of ``style``: python-docx sets the Latin slots only,
    and the template's theme fonts would win for Vietnamese letters without the others.
    Runs inherit it, so each run only sets its size and weight."""
    style.font.name = FONT
    style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    fonts = style.element.get_or_add_rPr().find(qn("w:rFonts"))
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{slot}"), FONT)
    for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{theme}"), None)


def _run(paragraph, text: str, size: int, bold: bool = False, italic: bool = False):
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    if bold:
        run.font.bold = True
    if italic:
        run.font.italic = True
    return run


def _paragraph(cell_or_doc, text: str, *, size=BODY_PT, bold=False, italic=False, center=True):
    p = cell_or_doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.JUSTIFY
    p.paragraph_format.space_after = Pt(0)
    _run(p, text, size, bold, italic)
    return p


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _header_block(doc, report: Report) -> None:
    """Issuer left, motto right, in a borderless two-column table (the Decree's layout)."""
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Cm(6.5), Cm(9.5)
    left.paragraphs[0].text = ""
    right.paragraphs[0].text = ""
    if report.authority:
        _paragraph(left, report.authority, size=12)
    _paragraph(left, report.issuer, size=12, bold=True)
    _paragraph(left, "―――――", size=10)
    _paragraph(left, report.number_line, size=BODY_PT)
    republic, motto = report.motto
    _paragraph(right, republic, size=12, bold=True)
    _paragraph(right, motto, size=BODY_PT, bold=True)
    _paragraph(right, "―――――――――――", size=10)
    _paragraph(right, report.place_and_date, italic=True)
    for cell in (left, right):  # the empty first paragraph python-docx puts in a cell
        first = cell.paragraphs[0]
        first._element.getparent().remove(first._element)


def _repeat_header(row) -> None:
    """The header row repeats on every page the table runs over."""
    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def _table(doc, table: Table, caption: str) -> None:
    _paragraph(doc, caption, bold=True, center=True).paragraph_format.space_before = Pt(6)
    size = WIDE_TABLE_PT if len(table.headers) > WIDE_COLUMNS else TABLE_PT
    out = doc.add_table(rows=1, cols=len(table.headers))
    out.style = doc.styles["Table Grid"]
    out.alignment = WD_TABLE_ALIGNMENT.CENTER
    head = out.rows[0]
    _repeat_header(head)
    for cell, text in zip(head.cells, table.headers, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(cell.paragraphs[0], text, size, bold=True)
    for values in table.rows:
        cells = out.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, values, strict=True)):
            p = cell.paragraphs[0]
            p.alignment = (
                WD_ALIGN_PARAGRAPH.RIGHT if i in table.numeric else WD_ALIGN_PARAGRAPH.LEFT
            )
            _run(p, str(text), size)
    doc.add_paragraph().paragraph_format.space_after = Pt(0)


def _chart(doc, chart: Chart, caption: str) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.keep_with_next = True
    p.add_run().add_picture(io.BytesIO(chart.png), width=CHART_WIDTH)
    _paragraph(doc, caption, size=12, italic=True).paragraph_format.space_after = Pt(6)


def to_docx(report: Report) -> bytes:
    """The report as a DOCX file (bytes)."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    normal = doc.styles["Normal"]
    _style_font(normal, BODY_PT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size in (("Heading 1", BODY_PT), ("Heading 2", BODY_PT)):
        style = doc.styles[name]
        _style_font(style, size, bold=True)
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.italic = False
    doc.core_properties.title = f"{report.title} {report.subject}"
    doc.core_properties.author = report.issuer
    doc.core_properties.language = report.lang

    _header_block(doc, report)
    doc.add_paragraph()
    _paragraph(doc, report.title, size=TITLE_PT, bold=True)
    _paragraph(doc, report.subject, size=TITLE_PT, bold=True)
    _paragraph(doc, report.period, italic=True).paragraph_format.space_after = Pt(12)
    for numeral, chapter, blocks in report.chapters:
        doc.add_heading(f"{numeral}. {chapter.title}", level=1)
        for block, caption in blocks:
            if isinstance(block, Table):
                _table(doc, block, caption)
            elif isinstance(block, Chart):
                _chart(doc, block, caption)
            else:
                p = _paragraph(doc, block, center=False)
                p.paragraph_format.first_line_indent = Cm(1)
                p.paragraph_format.space_after = Pt(6)
    if report.signer:
        doc.add_paragraph()
        signature = doc.add_table(rows=1, cols=2)
        _no_borders(signature)
        cell = signature.rows[0].cells[1]
        cell.paragraphs[0].text = ""
        _paragraph(cell, report.signer, bold=True)
        _paragraph(cell, _("(Signature, full name and seal)"), italic=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
