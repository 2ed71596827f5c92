"""Reading pages: text layers without OCR, scans turned upright and levelled, blank pages, separator sheets.

OCR output is checked with words that must be found, not with exact text, so the tests tolerate the usual
small recognition noise while still failing when a page is read upside down or in the wrong script.
"""

from __future__ import annotations

import gc
import time

import numpy as np
import pypdfium2 as pdfium
import pytest
from typer.testing import CliRunner

from dach.cli import app
from ocr import reader, tesseract
from ocr.reader import ReadOptions, read_page, read_pages
from ocr.rendition import merge_pages
from ocr.sources import inspect_source
from schemas.documents import PageText, TextSource
from schemas.errors import PageTimeout
from schemas.settings import OcrLimits
from tests.ocr.pagegen import UKRAINIAN, degrade, encode, rotate, text_page, tiff_pages
from tests.ocr.pdfgen import build

OPTIONS = ReadOptions()
EXPECTED = {"Bescheid", "Leistungen", "Widerspruch", "Asylbewerberleistungsgesetz"}


def short_page(seed: int = 1) -> np.ndarray:
    """A page with a dozen lines: enough text for orientation and skew, quick to OCR."""
    return text_page(lines=12, seed=seed)


def found(reading_words: set[str], expected: set[str] = EXPECTED) -> float:
    return len(expected & reading_words) / len(expected)


def words_of(data: bytes, page: int = 1, options: ReadOptions = OPTIONS) -> tuple[set[str], PageText]:
    reading = read_page(data, page, options)
    return {w.text.strip(".,") for w in reading.text.words}, reading.text


def cpu_seconds_per_page(pdf: bytes, rounds: int = 5) -> float:
    """Best CPU time of this process over `rounds` readings of page 1; a tesseract run (a child process)
    would not even be counted, and none is expected."""
    read_page(pdf, 1, OPTIONS)  # warm-up: imports and the per-file inspection
    timings = []
    for _ in range(rounds):
        gc.collect()  # the garbage earlier tests left is not this page's cost
        started = time.process_time()
        read_page(pdf, 1, OPTIONS)
        timings.append(time.process_time() - started)
    return min(timings)


def test_born_digital_page_is_read_from_its_text_layer_with_umlauts_and_positions():
    pdf = build([("dense", ["Bescheid über Leistungen", "Straße Größe Übergabe Müller"])])
    text = read_page(pdf, 1, OPTIONS).text
    assert text.source is TextSource.TEXT_LAYER
    assert text.text.splitlines()[1] == "Straße Größe Übergabe Müller"
    first = text.words[0]
    assert first.text == "Bescheid"
    assert first.confidence == 1.0
    assert 0.10 < first.bbox.x0 < 0.14 and first.bbox.y0 < 0.1  # 72 pt from the left and top of A4
    assert all(0.0 <= w.bbox.x0 < w.bbox.x1 <= 1.0 and w.bbox.y0 < w.bbox.y1 for w in text.words)


def test_a_born_digital_notice_page_takes_at_most_a_tenth_of_a_second():
    notice = build([("notice", ["Bescheid über Leistungen nach dem AsylbLG"])])
    assert len(read_page(notice, 1, OPTIONS).text.text) > 1400
    seconds = cpu_seconds_per_page(notice)
    assert seconds <= 0.1, f"a born-digital notice page took {seconds:.3f} s (target: 0.1 s, no OCR)"
    # A page filled to the margins with 10-pt text (3,400 characters) is pdfplumber's worst case: about
    # 0.09-0.12 s on these 2-core machines, so it is held to 0.15 s.
    full = build([("dense", ["Bescheid"])])
    seconds = cpu_seconds_per_page(full)
    assert seconds <= 0.15, f"a full born-digital page took {seconds:.3f} s (bound: 0.15 s, no OCR)"


def test_mixed_pdf_is_read_page_by_page():
    pdf = build([("text", ["Bescheid über Leistungen nach dem AsylbLG"]), ("image", short_page())])
    assert inspect_source(pdf, OcrLimits()).text_layer_pages == frozenset({1})
    readings = read_pages(pdf, OPTIONS, workers=2)
    assert [r.text.source for r in readings] == [TextSource.TEXT_LAYER, TextSource.OCR]
    assert [r.text.page for r in readings] == [1, 2]
    assert found({w.text.strip(".,") for w in readings[1].text.words}) >= 0.75


def test_upright_scan_is_read_with_boxes_as_fractions_of_the_page():
    words, text = words_of(encode(short_page()))
    assert found(words) >= 0.75
    assert text.rotation == 0 and text.languages == "deu+eng" and not text.blank
    title = next(w for w in text.words if w.text == "Bescheid")
    assert title.bbox.x0 == pytest.approx(200 / 2480, abs=0.01) and title.bbox.y0 < 0.08


@pytest.mark.parametrize("degrees", [180, 90])
def test_turned_page_is_read_upright(degrees: int):
    # PIL turns counter-clockwise, so the page must be turned `degrees` clockwise to be read.
    words, text = words_of(encode(rotate(short_page(), degrees)))
    assert found(words) >= 0.75
    assert text.rotation == degrees


def test_skewed_scan_is_levelled():
    words, text = words_of(encode(rotate(short_page(), 4.0)))
    assert text.skew == pytest.approx(-4.0, abs=0.5)
    assert found(words) >= 0.75


def test_phone_photo_with_uneven_light_and_noise_is_read():
    photo = degrade(rotate(short_page(), -1.5), light=0.7, noise=0.02, seed=3)
    words, text = words_of(encode(photo, "JPEG"))
    assert found(words) >= 0.75
    assert text.skew == pytest.approx(1.5, abs=0.5)


def test_blank_page_is_blank_not_an_error():
    paper = degrade(np.full((3508, 2480), 246, np.uint8), noise=0.001)
    reading = read_page(encode(paper), 1, ReadOptions(want_pdf=True))
    assert reading.text.blank and not reading.text.words
    assert reading.text.languages == ""  # decided before any tesseract run
    assert reading.pdf is not None and reading.pdf.startswith(b"%PDF")


def test_separator_sheet_is_recognised_from_its_printout_and_from_its_pdf(tmp_path):
    sheet_path = tmp_path / "trennblatt.pdf"
    result = CliRunner().invoke(app, ["separator-sheet", str(sheet_path)])
    assert result.exit_code == 0, result.output
    sheet = sheet_path.read_bytes()
    document = pdfium.PdfDocument(sheet)
    scanned = document[0].render(scale=300 / 72, grayscale=True).to_numpy()
    document.close()
    scanned = np.ascontiguousarray(scanned[:, :, 0] if scanned.ndim == 3 else scanned)
    printed = degrade(rotate(scanned, 181.0), noise=0.002)  # fed upside down into the scanner
    reading = read_page(encode(printed), 1, OPTIONS)
    assert reading.text.separator
    assert reading.text.languages == "" and not reading.text.words  # not OCRed
    assert read_page(sheet, 1, OPTIONS).text.separator


def test_ordinary_page_is_not_a_separator():
    assert not read_page(encode(short_page()), 1, OPTIONS).text.separator


def test_a_qr_detector_that_fails_on_a_page_does_not_fail_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    """OpenCV's QR detector raised on a held-out notice page with no code on it (`convexHull` assertion, seed
    100002): the separator check took the whole page, and with it the benchmark run, down. Such a page is no
    separator and is read as usual."""
    import cv2

    class Failing:
        def detect(self, image: np.ndarray) -> tuple[bool, None]:
            raise cv2.error("OpenCV(5.0.0) convhull.cpp:147: error: (-215:Assertion failed) total >= 0")

    monkeypatch.setattr(cv2, "QRCodeDetector", Failing)
    reading = read_page(encode(short_page()), 1, OPTIONS)
    assert not reading.text.separator and reading.text.words, "the page is read as an ordinary page"


def test_multi_page_tiff_gives_every_page_in_order():
    tiff = tiff_pages([short_page(1), np.full((3508, 2480), 255, np.uint8), rotate(short_page(2), 180)])
    assert inspect_source(tiff, OcrLimits()).page_count == 3
    readings = read_pages(tiff, OPTIONS, workers=2)
    assert [r.text.page for r in readings] == [1, 2, 3]
    assert [r.text.blank for r in readings] == [False, True, False]
    assert readings[2].text.rotation == 180
    assert found({w.text.strip(".,") for w in readings[2].text.words}) >= 0.75


def test_cyrillic_page_is_read_with_ukrainian_and_russian():
    page = text_page(UKRAINIAN, lines=12, title="Свідоцтво про народження")
    words, text = words_of(encode(page))
    assert text.languages.startswith("ukr+rus")
    assert {"Шевченко", "народження", "Київ"} <= words


def test_bilingual_ukrainian_german_page_is_read_in_both_scripts():
    """OSD calls such a page Latin or cannot tell; the unread lines alone show they are Cyrillic."""
    german = text_page(lines=6, seed=3)
    ukrainian = text_page(UKRAINIAN, lines=6, seed=4, title="Свідоцтво")
    page = np.full_like(german, 255)
    page[:900] = german[:900]  # title and six German lines
    page[1000:1900] = ukrainian[200:1100]  # six Ukrainian lines
    words, text = words_of(encode(page))
    assert text.languages == "ukr+rus+deu"
    assert {"Шевченко", "народження"} <= words
    assert found(words, {"Bescheid", "Leistungen", "Widerspruch", "Bekanntgabe"}) >= 0.5


def test_tesseract_timeout_is_retried_once_then_the_page_is_rejected():
    options = ReadOptions(limits=OcrLimits(page_timeout_s=0.01))
    with pytest.raises(PageTimeout) as caught:
        read_page(encode(short_page()), 1, options)
    assert "DACH_LIMITS__PAGE_TIMEOUT_S" in caught.value.message


def test_searchable_pdfs_of_the_pages_merge_into_one_whose_text_is_not_taken_for_a_born_digital_layer():
    born_digital = build([("text", ["Bescheid über Leistungen nach dem AsylbLG"])])
    options = ReadOptions(want_pdf=True)
    parts = [read_page(born_digital, 1, options).pdf, read_page(encode(short_page()), 1, options).pdf]
    assert all(part is not None for part in parts)
    merged = merge_pages([p for p in parts if p is not None])
    info = inspect_source(merged, OcrLimits())
    assert info.page_count == 2
    # Page 2 carries tesseract's invisible text over the scan: it is re-read from the image, not trusted.
    assert info.text_layer_pages == frozenset({1})
    document = pdfium.PdfDocument(merged)
    hidden_text = document[1].get_textpage().get_text_range()
    document.close()
    assert "Widerspruch" in hidden_text or "Leistungen" in hidden_text


def _words(*texts: str, confidence: float = 0.95) -> tuple[tesseract.TsvWord, ...]:
    return tuple(tesseract.TsvWord(t, 10 * k, 10, 9, 9, confidence, 1, 1, k) for k, t in enumerate(texts))


def test_a_page_read_well_is_looked_at_for_a_zone_where_its_fillers_were_read_turned() -> None:
    # regression (tuning booklet 0015): a passport page beside Persian print, read well in ara+fas+eng (mean 0.88,
    # 93 words), its zone's fillers read as `>`: no zone was looked for
    page = [f"word{k}" for k in range(40)]
    assert not reader._may_carry_mrz(_words(*page))
    assert reader._may_carry_mrz(_words(*page, "20539>>>>>>>>>>>>>>>6"))
    assert reader._may_carry_mrz(_words(*page, "P<IRNMOHAMMADI<<BAHRAM"))
    # quoted text is no zone (`»Haus«`, `>>` of a reply)
    assert not reader._may_carry_mrz(_words(*page, "»Haus«", ">>", "«Dom»"))
