"""Malformed inputs found by trying dach as a careful attacker and an unlucky operator would (issue 15).

Each factory makes, in the test and from a seed, the bytes of one kind of broken file: a multi-page TIFF cut
short, a PDF with flipped bits, shifted xref offsets, a MediaBox of strings or null, an SVG that carries
`%PDF-`, a PDF of nested form XObjects that multiplies its drawing work, a page of 20,000 text lines, a JPEG
with a thousand APP segments. The OCR tests check the error code of each, the fuzzing benchmark
(`python -m tests.benchmarks.fuzz`) feeds thousands of them through the CLI and the upload API.
"""

from __future__ import annotations

import io
import random
import re
import struct

import numpy as np
import pikepdf
from PIL import Image

from tests.bad_inputs import text_pdf


def multipage_tiff(pages: int = 3, side: int = 400, seed: int = 0) -> bytes:
    rng = np.random.default_rng(seed)
    frames = [Image.fromarray(rng.integers(0, 255, (side, side), dtype=np.uint8)) for _ in range(pages)]
    out = io.BytesIO()
    frames[0].save(out, format="TIFF", save_all=True, append_images=frames[1:], dpi=(300, 300))
    return out.getvalue()


def truncated_tiff(fraction: float = 0.85, seed: int = 0) -> bytes:
    """A multi-page TIFF cut at `fraction` of its length (Pillow: `TypeError: Missing dimensions`)."""
    data = multipage_tiff(seed=seed)
    return data[: int(len(data) * fraction)]


def bit_flipped(data: bytes, flips: int, seed: int) -> bytes:
    """`data` with `flips` random bits inverted, the first and last 16 bytes left alone (magic, %%EOF)."""
    rng = random.Random(seed)
    out = bytearray(data)
    for _ in range(flips):
        index = rng.randrange(16, max(17, len(out) - 16))
        out[index] ^= 1 << rng.randrange(8)
    return bytes(out)


def shifted_xref(seed: int = 0) -> bytes:
    """A PDF whose xref offsets all point a few bytes off (pdfium repairs it, pdfplumber may see no page)."""
    data = text_pdf(2, "Verschoben")
    shift = random.Random(seed).choice((-7, -3, 5, 11))

    def move(match: re.Match[bytes]) -> bytes:
        offset = int(match.group(1)) + shift
        return b"%010d %s" % (max(0, offset), match.group(2))

    return re.sub(rb"(\d{10}) (\d{5} n)", move, data)


def mediabox(value: bytes) -> bytes:
    """A one-page PDF whose /MediaBox is the raw PDF `value` (`(a) (b) (c) (d)` in brackets, `null`), padded
    to the original's length so the xref offsets stay right and only the box is wrong."""
    pdf = pikepdf.open(io.BytesIO(text_pdf(1, "MediaBox")))
    out = io.BytesIO()
    pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    data = out.getvalue()
    match = re.search(rb"/MediaBox\s*\[[^\]]*\]", data)
    assert match is not None
    replacement = b"/MediaBox " + value
    assert len(replacement) <= len(match.group(0))
    return data[: match.start()] + replacement.ljust(len(match.group(0))) + data[match.end() :]


def svg_with_pdf_marker() -> bytes:
    """An SVG image whose text happens to hold `%PDF-` (sniffing must not call it a truncated PDF)."""
    return (
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="100" height="40">'
        b"<text x='0' y='20'>%PDF-1.7 is not here</text></svg>\n"
    )


def html_with_pdf_marker() -> bytes:
    return b"<!DOCTYPE html><html><body><p>%PDF-1.4</p><script>alert(1)</script></body></html>\n"


def nested_forms_pdf(depth: int = 24, fanout: int = 8) -> bytes:
    """A few KB PDF whose page draws a form XObject that draws the next one `fanout` times, `depth` deep:
    fanout**depth drawing operations for a renderer (the resource-exhaustion "bomb" of the issue)."""
    pdf = pikepdf.new()
    leaf = pikepdf.Stream(pdf, b"0 0 m 10 10 l S")
    leaf.Type, leaf.Subtype, leaf.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, [0, 0, 600, 800]
    current = leaf
    for _ in range(depth):
        form = pikepdf.Stream(pdf, b" ".join(b"q /X0 Do Q" for _ in range(fanout)))
        form.Type, form.Subtype, form.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, [0, 0, 600, 800]
        form.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(X0=current))
        current = form
    pdf.add_blank_page(page_size=(595, 842))
    page = pdf.pages[0]
    page.obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(X0=current))
    page.obj.Contents = pikepdf.Stream(pdf, b"q /X0 Do Q")
    out = io.BytesIO()
    pdf.save(out, compress_streams=True)
    return out.getvalue()


def many_text_lines_pdf(lines: int = 20_000) -> bytes:
    """One page with `lines` tiny text lines (pdfplumber's cost grows with every character)."""
    body = [b"BT /F1 1 Tf"]
    for index in range(lines):
        body.append(b"1 0 0 1 10 %d Tm (Zeile %d der Seite) Tj" % (index % 800, index))
    body.append(b"ET")
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    page = pdf.pages[0]
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.obj.Contents = pikepdf.Stream(pdf, b"\n".join(body))
    out = io.BytesIO()
    pdf.save(out, compress_streams=True)
    return out.getvalue()


def jpeg_with_app_segments(segments: int = 1000, size: int = 60_000) -> bytes:
    """A small JPEG with `segments` APP1 segments of `size` bytes each before the image data."""
    out = io.BytesIO()
    Image.new("L", (64, 64), 200).save(out, format="JPEG")
    data = out.getvalue()
    payload = b"Exif\x00\x00" + b"\x00" * (min(size, 65_000) - 6)
    segment = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    return data[:2] + segment * segments + data[2:]


def issue_inputs() -> dict[str, tuple[bytes, str]]:
    """The malformed files of the issue, each with the error code it must get."""
    return {
        "truncated-75.tif": (truncated_tiff(0.75), "corrupt_file"),
        "truncated-90.tif": (truncated_tiff(0.90), "corrupt_file"),
        "truncated-99.tif": (truncated_tiff(0.99), "corrupt_file"),
        "shifted-xref.pdf": (shifted_xref(), "corrupt_file"),
        "mediabox-strings.pdf": (mediabox(b"[(a) (b) (c) (d)]"), "corrupt_file"),
        "mediabox-null.pdf": (mediabox(b"null"), "corrupt_file"),
        "picture.svg": (svg_with_pdf_marker(), "unsupported_format"),
        "page.html": (html_with_pdf_marker(), "unsupported_format"),
    }
