"""Small real CV files made in the test: a DOCX written by python-docx, a PDF written by
hand (one page, Helvetica text objects) that pypdf reads back, and hostile ones."""

from __future__ import annotations

import io
import struct
import zipfile


def docx_bytes(*paragraphs: str) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _escape(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf_bytes(*lines: str) -> bytes:
    """A minimal valid one-page PDF showing ``lines`` (ASCII) with the standard Helvetica."""
    content = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({_escape(x)}) '" for x in lines)
    content += " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    trailer = f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out + trailer.encode()


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes("Python developer"))))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def long_pdf(pages: int) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_bomb_docx(unpacked_mb: int = 40) -> bytes:
    """A few tens of KB that unpack to ``unpacked_mb`` MB: a DOCX in name only."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"<w:document/>")
        zf.writestr("word/media/padding.bin", b"\0" * (unpacked_mb * 1024 * 1024))
    return out.getvalue()


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


def lying_zip_docx(unpacked_mb: int = 50) -> bytes:
    """A DOCX whose document.xml inflates to ``unpacked_mb`` MB but whose zip headers (local
    and central) declare 2,000 bytes: a zip bomb that a check of declared sizes lets in."""
    source = zipfile.ZipFile(io.BytesIO(docx_bytes("Python")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b"Python", b"Python" + b" " * (unpacked_mb * 1024 * 1024))
            zf.writestr(info.filename, data)
    raw = bytearray(out.getvalue())
    name = b"word/document.xml"
    local = zipfile.ZipFile(io.BytesIO(bytes(raw))).getinfo(name.decode()).header_offset
    struct.pack_into("<I", raw, local + 22, 2000)  # local header: uncompressed size
    pos = raw.index(b"PK\x01\x02")
    while bytes(raw[pos + 46 : pos + 46 + len(name)]) != name:
        pos = raw.index(b"PK\x01\x02", pos + 4)
    struct.pack_into("<I", raw, pos + 24, 2000)  # central directory: uncompressed size
    return bytes(raw)
