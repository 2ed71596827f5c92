"""A faint card on a grey, grainy scan is a document, not a blank page.

Tesseract's layout analysis can find no text at all on such a page (the fine grain hides the faint
strokes); the reader then reads a median-filtered copy once more instead of dropping the page as blank,
and where even that finds nothing it still looks for an MRZ (a faint card may show nothing else readable).
"""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from lab.samples.fonts import font_path
from ocr import preprocess, tesseract
from ocr.reader import ReadOptions, read_page
from tests.ocr.pagegen import encode, text_page


def grainy_card_page() -> np.ndarray:
    """A small, faint block of text (a card's size) on a grey A4 page with fine grain."""
    rng = np.random.default_rng(7)
    card = text_page(lines=6, size=30)[300:800, 150:1300].astype(np.float32)
    page = np.full((3508, 2480), 208.0, np.float32)
    page[900:1400, 200:1350] = 208 - (255 - card) * 0.45
    page += rng.normal(0, 14, page.shape)
    return np.clip(page, 0, 255).astype(np.uint8)


def test_a_faint_card_on_a_grainy_scan_is_read_not_dropped_as_blank() -> None:
    page = grainy_card_page()
    # What makes this page hard: one plain tesseract pass finds nothing on it.
    assert len(tesseract.recognise(page, languages="deu+eng", timeout=60, extra_config="--dpi 300").words) < 3
    reading = read_page(encode(page), 1, ReadOptions(read_mrz=False))
    words = {w.text.strip(".,") for w in reading.text.words}
    assert not reading.text.blank
    assert {"Bescheid", "Leistungen"} <= words


def faint_id_card_page() -> np.ndarray:
    """A faint ID card that shows only its MRZ (TD1, OCR-B) on a grey, grainy A4 scan."""
    lines = ["I<TURU078026122<<<<<<<<<<<<<<<", "9201235F3401088TUR<<<<<<<<<<<0", "SEVEN<<GOLI<<<<<<<<<<<<<<<<<<<"]
    card = Image.new("L", (1010, 640), 255)
    draw = ImageDraw.Draw(card)
    font = ImageFont.truetype(str(font_path("ocrb")), 34)
    for i, line in enumerate(lines):
        draw.text((40, 400 + i * 42), line, font=font, fill=0)
    page = np.full((3508, 2480), 200.0, np.float32)
    page[700:1340, 1100:2110] = 200 - (255 - np.asarray(card, np.float32)) * 0.4
    page += np.random.default_rng(5).normal(0, 16, page.shape)
    return np.clip(page, 0, 255).astype(np.uint8)


def test_a_faint_card_whose_only_readable_text_is_its_mrz_is_kept_with_the_mrz() -> None:
    page = faint_id_card_page()
    # Tesseract reads nothing here, so by the ink and the words alone the page looks like a grainy back side.
    assert tesseract.recognise(page, languages="deu+eng", timeout=60, extra_config="--dpi 300").words == ()
    reading = read_page(encode(page), 1, ReadOptions())
    assert not reading.text.blank
    assert reading.text.mrz is not None
    assert reading.text.mrz.lines[2] == "SEVEN<<GOLI<<<<<<<<<<<<<<<<<<<"


def dusty_back_side() -> np.ndarray:
    """A grey, grainy back side with 400 specks of dust: ink, but nothing to read."""
    rng = np.random.default_rng(9)
    page = rng.normal(200, 16, (3508, 2480))
    for _ in range(400):
        y, x, radius = int(rng.integers(100, 3400)), int(rng.integers(100, 2380)), int(rng.integers(3, 9))
        cv2.circle(page, (x, y), radius, 60, -1)
    return np.clip(page, 0, 255).astype(np.uint8)


def test_a_dusty_back_side_stays_blank_after_the_mrz_reader_found_nothing() -> None:
    page = dusty_back_side()
    assert preprocess.analyse(page).ink > preprocess.BLANK_INK  # not blank by its ink alone
    reading = read_page(encode(page), 1, ReadOptions())
    assert reading.text.blank and reading.text.mrz is None and reading.text.words == ()
