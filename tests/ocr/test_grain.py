"""A faint card on a grey, grainy scan is a document, not a blank page.

Tesseract's layout analysis can find no text at all on such a page (the fine grain hides the faint
strokes); the reader then reads a median-filtered copy once more instead of dropping the page as blank.
"""

from __future__ import annotations

import numpy as np

from ocr import tesseract
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
