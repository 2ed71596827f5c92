"""Every kind of bad input is rejected by content, before any expensive work, with its own error and a fix.

The files are made here: a real 30,000 × 30,000 PNG (zeros compress to under a megabyte), a PDF cut in
half, a password-protected PDF, a 2,000-page PDF, a program renamed to .pdf, a Word document.
"""

from __future__ import annotations

import io
import struct
import time
import zipfile
import zlib

import numpy as np
import pikepdf
import pytest

from ocr.reader import ReadOptions, read_page
from ocr.sources import inspect_source
from schemas.errors import (
    CorruptFile,
    EmptyFile,
    EncryptedPdf,
    ExecutableFile,
    FileTooLarge,
    ImageTooLarge,
    InputRejected,
    TooManyPages,
    TruncatedPdf,
    UnsupportedFormat,
)
from schemas.settings import OcrLimits
from tests.ocr.pagegen import encode, text_page
from tests.ocr.pdfgen import build

LIMITS = OcrLimits()
ACCEPTED_FORMATS = ("PDF", "PNG", "JPEG", "TIFF")


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def decompression_bomb(side: int = 30_000) -> bytes:
    """A complete, valid gray PNG of side × side zero pixels: < 1 MB on disk, 900 MB decoded."""
    packer = zlib.compressobj(9)
    row = bytes(side + 1)  # filter byte + pixels
    idat = b"".join(packer.compress(row) for _ in range(side)) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", idat) + _png_chunk(b"IEND", b"")


def pdf_pages(count: int) -> bytes:
    pdf = pikepdf.new()
    for _ in range(count):
        pdf.add_blank_page(page_size=(595, 842))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def reject(data: bytes, limits: OcrLimits = LIMITS) -> InputRejected:
    with pytest.raises(InputRejected) as caught:
        inspect_source(data, limits)
    return caught.value


def test_zero_byte_file_is_an_empty_file():
    error = reject(b"")
    assert type(error) is EmptyFile
    assert "again" in error.message


def test_pdf_cut_in_half_is_a_truncated_pdf():
    whole = build([("text", ["Bescheid über Leistungen"]), ("text", ["Seite 2 von 2"])])
    error = reject(whole[: len(whole) // 2])
    assert type(error) is TruncatedPdf
    assert "complete file" in error.message


def test_password_protected_pdf_is_an_encrypted_pdf():
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(build([("text", ["Geheim"])]))) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(user="geheim", owner="geheim"))
    error = reject(out.getvalue())
    assert type(error) is EncryptedPdf
    assert "password" in error.message


def test_pdf_with_only_an_owner_password_is_readable():
    """Restrictions on printing or copying do not stop reading: such PDFs are accepted."""
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(build([("text", ["Bescheid über Leistungen nach dem AsylbLG"])]))) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(user="", owner="amt"))
    info = inspect_source(out.getvalue(), LIMITS)
    assert info.page_count == 1


def test_pdf_with_2000_pages_is_too_many_pages():
    started = time.process_time()
    error = reject(pdf_pages(2000))
    assert type(error) is TooManyPages
    assert "2000" in error.message and str(LIMITS.max_pages) in error.message
    assert time.process_time() - started < 10


@pytest.mark.parametrize(
    "program",
    [
        b"\x7fELF\x02\x01\x01\x00" + bytes(56),
        b"MZ\x90\x00\x03\x00\x00\x00" + bytes(56),
        b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + bytes(56),
        b"#!/bin/sh\nrm -rf /\n",
    ],
    ids=["elf", "pe", "mach-o", "script"],
)
def test_program_renamed_to_pdf_is_an_executable_file(program: bytes):
    error = reject(program + b"%PDF-1.7 pretending")
    assert type(error) is ExecutableFile
    assert "not a scan" in error.message


def test_30000_pixel_square_png_is_rejected_from_its_header_without_decoding():
    bomb = decompression_bomb()
    assert len(bomb) < 2_000_000
    started = time.process_time()
    error = reject(bomb)
    assert type(error) is ImageTooLarge
    assert "30000 × 30000" in error.message
    assert time.process_time() - started < 0.5  # decoding 900 megapixels would take many seconds


def test_pixel_limit_is_the_configured_one():
    page = encode(np.full((400, 300), 255, np.uint8))
    assert inspect_source(page, LIMITS).page_count == 1
    assert type(reject(page, OcrLimits(max_pixels=100_000))) is ImageTooLarge


def test_word_document_is_an_unsupported_format_and_the_message_names_the_accepted_ones():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as docx:
        docx.writestr("[Content_Types].xml", "<Types/>")
        docx.writestr("word/document.xml", "<w:document>Bescheid</w:document>")
    error = reject(out.getvalue())
    assert type(error) is UnsupportedFormat
    assert "Office" in error.message
    assert all(name in error.message for name in ACCEPTED_FORMATS)


def test_plain_text_renamed_to_png_is_unsupported():
    assert type(reject(b"Sehr geehrte Frau M\xc3\xbcller,\n")) is UnsupportedFormat


def test_file_over_the_size_limit_is_too_large():
    page = encode(text_page(lines=2))
    error = reject(page, OcrLimits(max_file_bytes=len(page) - 1))
    assert type(error) is FileTooLarge
    assert "DACH_LIMITS__MAX_FILE_BYTES" in error.message


def test_png_with_a_damaged_header_is_a_corrupt_file():
    error = reject(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    assert isinstance(error, CorruptFile)


def test_png_cut_in_half_is_rejected_when_its_page_is_read():
    page = encode(text_page(lines=6))
    with pytest.raises(CorruptFile):
        read_page(page[: len(page) // 2], 1, ReadOptions())


def test_every_rejection_has_its_own_code():
    errors = [
        EmptyFile,
        TruncatedPdf,
        EncryptedPdf,
        TooManyPages,
        ExecutableFile,
        ImageTooLarge,
        UnsupportedFormat,
    ]
    assert len({e.code for e in errors}) == len(errors)


def test_the_shared_bad_inputs_get_the_codes_the_flows_expect():
    """tests/bad_inputs.py is what the flow tests quarantine; the codes must be the ones this room raises."""
    from tests.bad_inputs import BAD_INPUT_CODES, bad_inputs

    codes = {name: reject(data).code for name, data in bad_inputs().items()}
    assert codes == BAD_INPUT_CODES
