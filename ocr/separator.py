"""Separator sheets (Trennblätter): a printed page with a QR code put between documents of one scanned stack.

`separator_sheet_pdf()` makes the sheet; `is_separator_image()` finds it on a scanned page with OpenCV's QR
detector on a small copy (a few milliseconds, so every page can be checked before it is OCRed), and
`is_separator_text()` recognises the sheet's own PDF when it is fed in born-digital.
"""

from __future__ import annotations

import io
import logging

import cv2
import numpy as np

from ocr.preprocess import small_copy

log = logging.getLogger(__name__)

SEPARATOR_PAYLOAD = "DACH-SEPARATOR-V1"
SHEET_TITLE = "Trennblatt – dach"
_DETECT_SIDE = 1000


def is_separator_image(gray: np.ndarray, *, small: np.ndarray | None = None) -> bool:
    """Whether the page carries dach's separator QR code (in any of the four orientations).

    `small` is a copy whose long side is about 1000 px, when the caller already has one.
    """
    small = small_copy(gray, _DETECT_SIDE) if small is None else small
    detector = cv2.QRCodeDetector()
    try:
        found, points = detector.detect(small)
        if not found or points is None:
            return False
        payload, _, _ = detector.detectAndDecode(small)
    except cv2.error as exc:
        # OpenCV's detector fails on some pages with nothing like a QR code (an assertion in its convex hull on a
        # held-out notice page): no separator there either, so the page is read as usual instead of failing.
        log.debug("QR look failed, taken as no separator: %s", exc)
        return False
    return payload == SEPARATOR_PAYLOAD


def is_separator_text(text: str) -> bool:
    return SEPARATOR_PAYLOAD in text


def separator_sheet_pdf() -> bytes:
    """An A4 PDF with the separator QR code and its German caption, ready to print."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont
    from reportlab.pdfgen import canvas

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=20, border=4)
    code.add_data(SEPARATOR_PAYLOAD)
    code.make(fit=True)
    png = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(png)
    png.seek(0)

    font = "Helvetica"
    try:  # DejaVu has the en dash and umlauts; Helvetica's built-in metrics suffice when it is missing
        pdfmetrics.registerFont(TTFont("DejaVuSans", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
        font = "DejaVuSans"
    except (TTFError, OSError) as exc:
        log.debug("DejaVu font not available (%s); using Helvetica", exc)

    out = io.BytesIO()
    width, height = A4
    sheet = canvas.Canvas(out, pagesize=A4)
    sheet.setTitle(SHEET_TITLE)
    sheet.setFont(font, 32)
    sheet.drawCentredString(width / 2, height - 4 * cm, SHEET_TITLE)
    side = 9 * cm
    sheet.drawImage(ImageReader(png), (width - side) / 2, height / 2 - side / 2, side, side)
    sheet.setFont(font, 13)
    sheet.drawCentredString(
        width / 2, height / 2 - side / 2 - 1.5 * cm, "Dieses Blatt trennt zwei Dokumente eines Stapels."
    )
    sheet.drawCentredString(
        width / 2, height / 2 - side / 2 - 2.2 * cm, "Es wird beim Einlesen erkannt und nicht abgelegt."
    )
    sheet.setFont(font, 9)
    sheet.drawCentredString(width / 2, 2 * cm, SEPARATOR_PAYLOAD)
    sheet.showPage()
    sheet.save()
    return out.getvalue()
