"""The OCR-B template reader on an MRZ rendered with the OCR-B font (as printed on documents)."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from classifiers.mrz import repair
from ocr.mrz import read_mrz
from ocr.mrz_glyphs import FONT_PATHS, read_band

TD3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
FONT = next((p for p in FONT_PATHS if p.is_file()), None)
pytestmark = pytest.mark.skipif(FONT is None, reason="fonts-ocr-b is not installed (make system-deps)")


def _render(lines: tuple[str, ...], size: int = 28) -> np.ndarray:
    assert FONT is not None
    font = ImageFont.truetype(str(FONT), size)
    width = int(font.getlength(lines[0])) + 2 * size
    image = Image.new("L", (width, int(size * 1.6 * len(lines)) + size), 255)
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((size, size // 2 + int(i * size * 1.6)), line, fill=20, font=font)
    return np.asarray(image)


def _right(read: tuple[str, ...], truth: tuple[str, ...]) -> float:
    pairs = [(a, b) for x, y in zip(read, truth, strict=True) for a, b in zip(x, y, strict=True)]
    return sum(a == b for a, b in pairs) / sum(len(x) for x in truth)


def test_template_reader_fits_the_grid_of_a_rendered_zone() -> None:
    # The templates are the second reader: they must find the grid (line count, 44 cells) and read the
    # fillers and most characters; 0/O/B-like slips are left to tesseract and the check digits.
    reading = read_band(_render(TD3), 2)
    assert reading is not None
    assert [len(line) for line in reading.lines] == [44, 44]
    assert reading.lines[0] == TD3[0]
    assert _right(reading.lines, TD3) >= 0.95


def test_template_reader_copes_with_blur_and_small_print() -> None:
    small = cv2.GaussianBlur(_render(TD3, size=14), (3, 3), 0)
    reading = read_band(small, 2)
    assert reading is not None
    assert [len(line) for line in reading.lines] == [44, 44]
    assert _right(reading.lines, TD3) >= 0.85


@pytest.mark.slow
def test_zone_on_a_page_turned_sideways_is_found_and_read() -> None:
    page = np.full((1400, 1000), 255, np.uint8)
    zone = _render(TD3, size=22)
    page[900 : 900 + zone.shape[0], 40 : 40 + zone.shape[1]] = zone
    sideways = cv2.rotate(page, cv2.ROTATE_90_CLOCKWISE)
    reading = read_mrz(sideways, timeout=60)
    assert reading is not None
    parsed = repair(reading)
    assert parsed.valid
    assert parsed.fields["surname"] == "ERIKSSON"
