"""Tell what a file is from its first bytes, never from its name.

dach accepts PNG, JPEG, TIFF and PDF. Everything else is rejected before any decoder sees it, and programs
(ELF, PE, Mach-O, scripts) are named as such so a clerk knows the upload was not a scan at all.
"""

from __future__ import annotations

PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"
PDF = "application/pdf"

ACCEPTED = "PDF, PNG, JPEG or TIFF"

_IMAGE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
)

_EXECUTABLE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x7fELF", "a Linux program (ELF)"),
    (b"MZ", "a Windows program (PE/EXE)"),
    (b"\xfe\xed\xfa\xce", "a macOS program (Mach-O)"),
    (b"\xfe\xed\xfa\xcf", "a macOS program (Mach-O)"),
    (b"\xce\xfa\xed\xfe", "a macOS program (Mach-O)"),
    (b"\xcf\xfa\xed\xfe", "a macOS program (Mach-O)"),
    (b"\xca\xfe\xba\xbe", "a macOS universal program or Java class"),
    (b"#!", "a script"),
)

# Formats people upload by mistake, named so the message can say what the file really is.
_KNOWN_OTHER: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive or Office document (DOCX/XLSX/ODT)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document (DOC/XLS)"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"BM", "a BMP image"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
)


def executable_kind(head: bytes) -> str | None:
    """What kind of program the bytes start like, or None."""
    for magic, kind in _EXECUTABLE_MAGIC:
        if head.startswith(magic):
            return kind
    return None


def media_type(head: bytes) -> str | None:
    """The accepted media type the bytes start like, or None. `head` is at least the first 1024 bytes."""
    for magic, kind in _IMAGE_MAGIC:
        if head.startswith(magic):
            return kind
    # Markup (SVG, HTML, XML) may carry `%PDF-` in its text: it is what it starts like, not a PDF.
    if is_markup(head):
        return None
    # The PDF header may follow a little junk (the spec tolerates up to 1024 bytes of it).
    if b"%PDF-" in head[:1024]:
        return PDF
    return None


def _text_start(head: bytes) -> bytes:
    return head.removeprefix(b"\xef\xbb\xbf").lstrip()[:512].lower()


def is_markup(head: bytes) -> bool:
    """Whether the bytes start like an SVG, HTML or XML document (after a byte-order mark and white space)."""
    return _text_start(head).startswith((b"<?xml", b"<svg", b"<!doctype", b"<html", b"<!--", b"<head", b"<body"))


def describe_unknown(head: bytes) -> str:
    """A human name for a file that is not accepted, for the error message."""
    for magic, kind in _KNOWN_OTHER:
        if head.startswith(magic):
            return kind
    start = _text_start(head)
    if start.startswith(b"<svg") or (start.startswith((b"<?xml", b"<!--", b"<!doctype svg")) and b"<svg" in start):
        return "an SVG image"
    if start.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        return "an HTML page"
    if start.startswith(b"<"):
        return "an HTML or XML file"
    try:
        head[:512].decode("utf-8")
    except UnicodeDecodeError:
        return "a file of unknown binary format"
    return "a plain text file"
