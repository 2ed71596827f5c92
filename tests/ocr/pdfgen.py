"""Small PDFs for the OCR tests: born-digital pages with a text layer, scanned pages, mixtures."""

from __future__ import annotations

import io
import random

import numpy as np
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from tests.ocr.pagegen import GERMAN, SANS

pdfmetrics.registerFont(TTFont("DejaVuSans", SANS))


def text_pdf_page(sheet: canvas.Canvas, lines: list[str], *, dense: int = 0, seed: int = 1) -> None:
    """A born-digital page: `lines` at the top, then `dense` lines of German filler."""
    height = A4[1]
    sheet.setFont("DejaVuSans", 12)
    y = height - 72
    for line in lines:
        sheet.drawString(72, y, line)
        y -= 18
    rng = random.Random(seed)
    sheet.setFont("DejaVuSans", 10)
    for _ in range(dense):
        sheet.drawString(72, y, " ".join(rng.choice(GERMAN) for _ in range(8)))
        y -= 13
    sheet.showPage()


def image_pdf_page(sheet: canvas.Canvas, page: np.ndarray) -> None:
    """A scanned page: only an image, no text layer (page size from 300 dpi)."""
    h, w = page.shape[:2]
    sheet.setPageSize((w * 72 / 300, h * 72 / 300))
    png = io.BytesIO()
    Image.fromarray(page).save(png, format="PNG")
    png.seek(0)
    sheet.drawImage(ImageReader(png), 0, 0, w * 72 / 300, h * 72 / 300)
    sheet.showPage()
    sheet.setPageSize(A4)


def build(pages: list[tuple[str, object]]) -> bytes:
    """A PDF from ("text", [lines]) / ("notice", [lines]) / ("dense", [lines]) / ("image", ndarray) specs.

    "notice" adds 25 lines of 10-pt filler (about 1,600 characters, a typical Bescheid page), "dense" 55
    (about 3,400 characters: the page is full)."""
    out = io.BytesIO()
    sheet = canvas.Canvas(out, pagesize=A4)
    for kind, content in pages:
        if kind == "image":
            assert isinstance(content, np.ndarray)
            image_pdf_page(sheet, content)
        else:
            assert isinstance(content, list)
            text_pdf_page(sheet, content, dense={"dense": 55, "notice": 25}.get(kind, 0))
    sheet.save()
    return out.getvalue()
