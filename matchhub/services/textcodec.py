"""Decoding an uploaded CSV's bytes: UTF-8, UTF-16 with a BOM, or a Windows code page.

Training offices save CSV from Excel on Vietnamese Windows, which writes
Windows-1258 (or Windows-1252 on a Western install, or UTF-16 for "Unicode
text"); refusing those files sent every such office back to re-save. The order
is fixed so that an unambiguous answer always wins: UTF-8 decoded strictly
(a random Windows file almost never is valid UTF-8), then a UTF-16 byte-order
mark, and only then charset-normalizer, limited to the code pages a college
plausibly has, rather than guessing code pages by hand. A decoding that yields
replacement or control characters is never accepted, so binary junk is refused.

cp1258 writes most Vietnamese letters as a base letter plus a combining tone
mark, so the text is NFC-normalised: the same name from a UTF-8 and a cp1258
file compares (and is stored) equal, and re-importing changes nothing.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from flask_babel import lazy_gettext as _l

#: Code pages charset-normalizer may choose among when the file is neither UTF-8 nor BOM-marked.
CANDIDATES = ("cp1258", "cp1252", "utf_16")

#: C0 and C1 controls other than tab, line feed and carriage return, and U+FFFD.
_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")

#: A vowel followed by one of the five tone marks cp1258 writes as combining characters.
#: In cp1252 those bytes are Ì Ò Þ ì ò, which Western text hardly ever puts after a vowel.
_TONED_VOWEL = re.compile("[aeiouyâêôơưăAEIOUYÂÊÔƠƯĂ][\u0300\u0301\u0303\u0309\u0323]")

#: What the preview says for each encoding: the codec name → a label for people.
LABELS = {
    "utf_8": _l("UTF-8"),
    "utf_8_sig": _l("UTF-8 (with BOM)"),
    "utf_16_le": _l("UTF-16 LE (with BOM)"),
    "utf_16_be": _l("UTF-16 BE (with BOM)"),
    "utf_16": _l("UTF-16"),
    "cp1258": _l("Windows-1258 (Vietnamese)"),
    "cp1252": _l("Windows-1252 (Western European)"),
}


def label(encoding: str | None) -> str:
    """The label of ``encoding`` (a key of :data:`LABELS`); the key itself if unknown."""
    if encoding is None:
        return ""
    return str(LABELS.get(encoding, encoding))


def _clean(text: str) -> bool:
    return _BAD.search(text) is None


def decode(content: bytes) -> tuple[str, str] | None:
    """``(text, encoding)`` of ``content``, NFC-normalised and without a BOM; ``None`` if none fits.

    ``encoding`` is a key of :data:`LABELS`. O(bytes).
    """
    for encoding, bom in (
        ("utf_8_sig", codecs.BOM_UTF8),
        ("utf_16_le", codecs.BOM_UTF16_LE),
        ("utf_16_be", codecs.BOM_UTF16_BE),
    ):
        if content.startswith(bom):
            return _strict(content[len(bom) :], encoding.removesuffix("_sig"), encoding)
    text = _strict(content, "utf_8", "utf_8")
    if text is not None:
        return text
    return _guessed(content)


def _strict(content: bytes, codec: str, encoding: str) -> tuple[str, str] | None:
    try:
        text = content.decode(codec)
    except UnicodeDecodeError:
        return None
    if not _clean(text):
        return None
    return unicodedata.normalize("NFC", text), encoding


def _guessed(content: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    best = from_bytes(content, cp_isolation=list(CANDIDATES), steps=8, chunk_size=512).best()
    if best is None:
        return None
    encoding = codecs.lookup(best.encoding).name.replace("-", "_")
    if encoding not in LABELS:
        return None
    if encoding == "cp1252":
        # On a few short rows the two code pages score alike and charset-normalizer may
        # pick the Western one; a tone mark written after a vowel is Vietnamese.
        vietnamese = _strict(content, "cp1258", "cp1258")
        if vietnamese is not None and _TONED_VOWEL.search(content.decode("cp1258")):
            return vietnamese
    # Decoded again here, strictly and in full: charset-normalizer judges from samples.
    return _strict(content, encoding, encoding)
