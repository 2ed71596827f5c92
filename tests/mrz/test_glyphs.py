"""The OCR-B cell reader on an MRZ rendered with the OCR-B font (as printed on documents)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from lab.samples.fonts import MissingFont, font_path
from mrz.glyphs import read_band
from mrz.repair import repair
from ocr.mrz import read_mrz

TD3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
try:
    FONT: Path | None = font_path("ocrb")
except MissingFont:
    FONT = None
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


def test_cell_reader_fits_the_grid_of_a_rendered_zone() -> None:
    # The grid (line count, 44 cells) is found and every character read; the best grid comes first.
    readings = read_band(_render(TD3), 2)
    assert readings
    reading = readings[0]
    assert [len(line) for line in reading.lines] == [44, 44]
    assert reading.lines[0] == TD3[0]
    assert reading.lines == TD3
    assert reading.score > 0.9


def test_a_zone_read_surely_on_its_counted_lines_is_not_read_as_the_other_count(monkeypatch) -> None:
    # A third of the cell classifier's time went on reading every two-line band as three lines too.
    import mrz.glyphs

    counted: list[int] = []
    rows = mrz.glyphs.rows

    def counting(image: np.ndarray, count: int) -> list[tuple[int, int]]:
        counted.append(count)
        return rows(image, count)

    monkeypatch.setattr(mrz.glyphs, "rows", counting)
    readings = read_band(_render(TD3), 2)
    assert readings[0].lines == TD3
    assert counted == [2]
    counted.clear()
    assert read_band(_render(TD3), 3)[0].lines == TD3  # a band miscounted as three lines is read as two
    assert counted == [3, 2]


def test_cell_reader_copes_with_blur_and_small_print() -> None:
    small = cv2.GaussianBlur(_render(TD3, size=14), (3, 3), 0)
    readings = read_band(small, 2)
    assert readings
    reading = readings[0]
    assert [len(line) for line in reading.lines] == [44, 44]
    assert _right(reading.lines, TD3) >= 0.95


def test_ordinary_print_is_no_zone() -> None:
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 28)
    lines = ("Bescheid ueber Leistungen nach dem AsylbLG", "Sehr geehrte Frau Tkachenko, wir bewilligen")
    image = Image.new("L", (900, 120), 255)
    for i, line in enumerate(lines):
        ImageDraw.Draw(image).text((20, 10 + 50 * i), line, fill=20, font=font)
    readings = read_band(np.asarray(image), 2)
    assert not readings or readings[0].score < 0.5


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
