"""Read the text of an uploaded CV (PDF or DOCX), with bounded work.

The type is decided from the bytes, never from the file name or the browser's
content type: a PDF starts with ``%PDF-``, a DOCX is a zip holding
``word/document.xml``. Anything else is refused. The work is bounded so that a
hostile file cannot take a worker down:

* the file itself is at most :data:`MAX_BYTES` (checked before anything is parsed);
* a PDF is read page by page, at most :data:`MAX_PAGES` pages, stopping once
  :data:`MAX_TEXT` characters are read; an encrypted PDF is refused (its text
  cannot be read without the password); pypdf caps what one stream may inflate to;
* a DOCX is never handed to python-docx as uploaded: its members are first inflated
  here in small chunks, counting the bytes actually produced (the sizes a zip declares
  may lie, and ``ZipFile.read`` inflates a whole member before cutting it to the
  declared size), and the read stops past :data:`MAX_UNZIPPED` bytes or
  :data:`MAX_MEMBERS` members, so a zip bomb costs at most that much. python-docx
  then reads the copy, stored uncompressed; its XML parser does not resolve entities.

Any failure of the libraries on a malformed file becomes :class:`UnreadableCV`
with a message for the learner, never a 500.
"""

from __future__ import annotations

import io
import logging
import zipfile
from dataclasses import dataclass

from flask_babel import gettext as _

log = logging.getLogger(__name__)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: The stored content types and the file extension each downloads with.
TYPES = {PDF: "pdf", DOCX: "docx"}

MAX_BYTES = 5 * 1024 * 1024
MAX_PAGES = 30
#: As much CV text as the profile keeps (``services.profiles.MAX_CV``).
MAX_TEXT = 20_000
MAX_UNZIPPED = 20 * 1024 * 1024
_CHUNK = 64 * 1024
MAX_MEMBERS = 500


class UnreadableCV(Exception):
    """The file is refused; ``message`` is translated and safe to show."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CVText:
    content_type: str
    text: str
    truncated: bool  # the text was longer than MAX_TEXT and was cut


def sniff(data: bytes) -> str | None:
    """The content type the bytes are (PDF or DOCX), else None."""
    # The PDF header may follow a little junk (some generators write a BOM or a line).
    if b"%PDF-" in data[:1024]:
        return PDF
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                if "word/document.xml" in zf.namelist():
                    return DOCX
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
    return None


def read_cv(data: bytes) -> CVText:
    """The type and text of a CV file; raises :class:`UnreadableCV` with the reason."""
    if not data:
        raise UnreadableCV(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise UnreadableCV(_("The file is larger than %(mb)s MB.", mb=MAX_BYTES // (1024 * 1024)))
    kind = sniff(data)
    if kind is None:
        raise UnreadableCV(_("This is not a PDF or Word (DOCX) file. Save your CV as PDF or DOCX."))
    parts = _pdf_text(data) if kind == PDF else _docx_text(data)
    text, truncated = _joined(parts)
    if not text.strip():
        raise UnreadableCV(
            _(
                "No text could be read from this file (a scanned image?). Upload a PDF or "
                "DOCX with text, or type your CV on your profile."
            )
        )
    return CVText(kind, text, truncated)


def _joined(parts) -> tuple[str, bool]:
    """The parts joined by line breaks, cut at MAX_TEXT; stops pulling once it is reached."""
    out: list[str] = []
    size = 0
    for part in parts:
        part = " ".join(part.split()) if "\n" not in part else _tidy(part)
        if not part:
            continue
        out.append(part)
        size += len(part) + 1
        if size > MAX_TEXT:
            return "\n".join(out)[:MAX_TEXT], True
    return "\n".join(out), False


def _tidy(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _pdf_text(data: bytes):
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise UnreadableCV(
                _("This PDF is protected by a password. Upload it without the protection.")
            )
        pages = reader.pages
        if len(pages) > MAX_PAGES:
            raise UnreadableCV(
                _("The PDF has more than %(num)s pages: upload your CV alone.", num=MAX_PAGES)
            )
        texts = []
        size = 0
        for page in pages:
            text = page.extract_text() or ""
            texts.append(text)
            size += len(text)
            if size > MAX_TEXT:
                break
    except UnreadableCV:
        raise
    except Exception as exc:
        # A parser on hostile input raises errors of many kinds (its own, ValueError,
        # KeyError, RecursionError…): each means this file cannot be read, not a fault here.
        log.info("unreadable PDF: %r", exc)
        raise UnreadableCV(_("This PDF could not be read: it may be damaged.")) from None
    return texts


def _docx_text(data: bytes):
    import docx

    try:
        document = docx.Document(io.BytesIO(_inflated(data)))
        texts = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                texts.append(" · ".join(dict.fromkeys(c.text for c in row.cells)))
    except UnreadableCV:
        raise
    except Exception as exc:
        # As for a PDF: python-docx, lxml and zipfile fail in many ways on a broken file.
        log.info("unreadable DOCX: %r", exc)
        raise UnreadableCV(_("This Word file could not be read: it may be damaged.")) from None
    return texts


def _inflated(data: bytes) -> bytes:
    """The DOCX's zip again, every member inflated under the limits and stored as is."""
    too_much = UnreadableCV(
        _("This Word file unpacks to too much data to be a CV: it was not read.")
    )
    total = 0
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as zf,
        zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy,
    ):
        members = [i for i in zf.infolist() if not i.is_dir()]
        if len(members) > MAX_MEMBERS:
            raise too_much
        for info in members:
            chunks = []
            with zf.open(info) as member:
                # read(n) inflates at most n bytes at a time: the count is of real bytes
                while chunk := member.read(_CHUNK):
                    total += len(chunk)
                    if total > MAX_UNZIPPED:
                        raise too_much
                    chunks.append(chunk)
            copy.writestr(info.filename, b"".join(chunks))
    return out.getvalue()
