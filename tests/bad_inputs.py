"""Factories for the bad inputs every room must survive (issue 2, "Bad input").

Each returns the bytes of a file that is wrong in exactly one way, made in the test (nothing is downloaded):
they are shared by the OCR tests (which error code) and the flow tests (quarantined, batch goes on).
"""

from __future__ import annotations

import io
import struct
import zlib

import pikepdf
from PIL import Image, ImageDraw

BAD_INPUT_CODES = {
    "empty.pdf": "empty_file",
    "truncated.pdf": "truncated_pdf",
    "encrypted.pdf": "encrypted_pdf",
    "huge.pdf": "too_many_pages",
    "program.pdf": "executable_file",
    "bomb.png": "image_too_large",
    "letter.docx": "unsupported_format",
}


def text_pdf(pages: int = 1, text: str = "Bescheid") -> bytes:
    """A small born-digital PDF with real text on every page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for n in range(pages):
        pdf.setFont("Helvetica", 14)
        pdf.drawString(72, 760, f"{text} Seite {n + 1} von {pages}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def truncated_pdf() -> bytes:
    data = text_pdf(3)
    return data[: len(data) // 2]


def encrypted_pdf() -> bytes:
    source = pikepdf.open(io.BytesIO(text_pdf()))
    out = io.BytesIO()
    source.save(out, encryption=pikepdf.Encryption(owner="owner", user="secret", R=6))
    return out.getvalue()


def many_pages_pdf(pages: int = 2000) -> bytes:
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def executable_renamed_pdf() -> bytes:
    """The first bytes of an ELF executable, as a program renamed to .pdf would start."""
    return b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + struct.pack("<HHI", 2, 0x3E, 1) + b"\x00" * 4000


def decompression_bomb_png(side: int = 30_000) -> bytes:
    """A valid PNG header claiming side x side pixels; the (tiny) compressed data inflates to gigabytes."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)  # 8-bit greyscale
    row = b"\x00" + b"\x00" * side
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(64)) + compressor.flush()
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def docx() -> bytes:
    """A minimal Office Open XML document (a ZIP): a format dach does not take."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def bad_inputs() -> dict[str, bytes]:
    """Every bad input of the issue, by a file name that also says what is wrong with it."""
    return {
        "empty.pdf": b"",
        "truncated.pdf": truncated_pdf(),
        "encrypted.pdf": encrypted_pdf(),
        "huge.pdf": many_pages_pdf(),
        "program.pdf": executable_renamed_pdf(),
        "bomb.png": decompression_bomb_png(),
        "letter.docx": docx(),
    }


def blank_page_png() -> bytes:
    out = io.BytesIO()
    Image.new("L", (2480, 3508), 255).save(out, format="PNG", dpi=(300, 300))
    return out.getvalue()


def letter_png(lines: list[str]) -> bytes:
    """A plain typed page at 300 dpi (DejaVu), for tests that need a readable scan but not a sample."""
    from PIL import ImageFont

    image = Image.new("L", (2480, 3508), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 44)
    for i, line in enumerate(lines):
        draw.text((200, 300 + i * 90), line, fill=0, font=font)
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(300, 300))
    return out.getvalue()
