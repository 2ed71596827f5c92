"""Regression tests for how the reader relies on the tesseract gateway."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ocr import tesseract
from tests.ocr.pagegen import FONT


def test_orientation_of_a_page_with_too_few_characters_is_unknown_not_an_error():
    """OSD answers "Too few characters" through pytesseract's TesseractError, a RuntimeError subclass that
    the gateway once let through unconverted, crashing the reader's second look at ID-card photos."""
    image = Image.new("L", (1200, 800), 255)
    ImageDraw.Draw(image).text((100, 350), "Nr. 7", font=ImageFont.truetype(FONT, 60), fill=0)
    assert tesseract.detect_orientation(np.asarray(image), timeout=30) is None
