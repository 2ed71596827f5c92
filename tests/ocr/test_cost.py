"""Cost accounting: the tesseract gateway counts every run with its CPU seconds, and a page read costs what
its kind needs (an identity document on an A4 sheet: one pass over the document, in its script)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pdfplumber
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr import tesseract
from ocr.cost import PageCost, page_kind, summary
from ocr.reader import PageReading, ReadOptions, read_page
from schemas.documents import BBox, MrzReading, PageText, TextSource
from schemas.errors import ProgramTimeout
from tests.ocr.pagegen import FONT, UKRAINIAN, encode, text_page


def _line_image() -> np.ndarray:
    image = Image.new("L", (900, 200), 255)
    ImageDraw.Draw(image).text((40, 60), "Aufenthaltserlaubnis", font=ImageFont.truetype(FONT, 60), fill=0)
    return np.asarray(image)


def test_every_run_through_the_gateway_is_counted_with_its_cpu_seconds():
    before_runs, _ = tesseract.totals()
    with tesseract.accounting() as ledger:
        result = tesseract.recognise(_line_image(), languages="deu", timeout=60, psm=7, purpose="test")
        tesseract.detect_orientation(_line_image(), timeout=60)
    assert any("Aufenthalt" in w.text for w in result.words)
    assert [run.purpose for run in ledger.runs] == ["test", "osd"]
    assert ledger.full_passes == 0
    assert all(run.cpu_s > 0 for run in ledger.runs)
    assert ledger.runs[0].languages == "deu" and ledger.runs[0].pixels == 900 * 200
    assert tesseract.totals()[0] >= before_runs + 2


def test_a_run_past_its_timeout_is_killed_counted_and_reported_as_a_timeout():
    page = np.tile(_line_image(), (12, 3))
    with tesseract.accounting() as ledger, pytest.raises(ProgramTimeout):
        tesseract.recognise(page, languages="deu+eng", timeout=0.05)
    assert len(ledger.runs) == 1 and ledger.full_passes == 1


def _text(**update: object) -> PageText:
    return PageText(page=1, width=2480, height=3508, source=TextSource.OCR, languages="deu+eng").model_copy(
        update=update
    )


def test_page_kinds():
    td3 = MrzReading(lines=("P<UKR" + "<" * 39, "A" * 44), bbox=BBox(x0=0.1, y0=0.3, x1=0.9, y1=0.34))
    td1_on_sheet = MrzReading(lines=("I" * 30,) * 3, bbox=BBox(x0=0.38, y0=0.7, x1=0.72, y1=0.78))
    td1_alone = MrzReading(lines=("I" * 30,) * 3, bbox=BBox(x0=0.05, y0=0.7, x1=0.95, y1=0.95))
    assert page_kind(_text(mrz=td3)) == "passport"
    assert page_kind(_text(mrz=td1_on_sheet)) == "card on A4"
    assert page_kind(_text(mrz=td1_alone)) == "card"
    assert page_kind(_text(languages="ukr+rus+deu")) == "Cyrillic text"
    assert page_kind(_text(languages="ara+fas+eng")) == "Arabic text"
    assert page_kind(_text()) == "Latin text"
    assert page_kind(_text(blank=True)) == "blank"
    assert page_kind(_text(source=TextSource.TEXT_LAYER)) == "text layer"


def test_a_ukrainian_passport_on_an_a4_sheet_costs_one_pass_over_the_passport_in_cyrillic(tmp_path: Path):
    """It cost five runs before (deu+eng, OSD, two script probes, ukr+rus+deu over the whole sheet)."""
    from lab.samples import generate

    [path] = generate(tmp_path, count=1, seed=100_905, kinds=["passport"], formats=["png"])
    truth = json.loads(path.with_name(path.stem + ".truth.json").read_text())["documents"][0]
    assert truth["language"] == "uk-en" and Image.open(path).size == (2480, 3508)
    reading = read_page(path.read_bytes(), 1, ReadOptions())
    assert reading.cost is not None
    assert (reading.cost.runs, reading.cost.full_passes, reading.cost.kind) == (1, 1, "passport")
    assert reading.text.languages == "ukr+eng"  # Ukrainian and English only: ukr+rus+deu cost ~1.7 x as much
    assert reading.text.mrz is not None and reading.text.mrz.decoded is not None
    assert reading.text.mrz.decoded.fields["document_number"] == truth["fields"]["document_number"]
    # Words are where they are on the sheet, not on the piece that was read.
    assert (reading.text.width, reading.text.height) == (2480, 3508)
    surname = next(w for w in reading.text.words if truth["fields"]["surname"] in w.text.upper())
    assert 0.0 < surname.bbox.x0 < surname.bbox.x1 < 1.0 and 0.0 < surname.bbox.y0 < 0.5
    assert summary([reading.cost])[1].startswith("passport")


def test_a_card_on_a4_whose_small_print_reads_poorly_costs_one_pass_when_its_zone_settles_every_field(
    tmp_path: Path,
):
    """It cost five runs before (its box in deu+eng, judged poor by its tiny labels, OSD, two script probes
    and a pass over the whole sheet): the cells' zone had already said the card lies upright, in Latin. Its
    holder's name, printed too small for the page pass, is read once more enlarged (`ocr.visual_zone`): a
    pass over the card's part above its zone, not a second full pass."""
    from lab.samples import generate

    paths = generate(tmp_path, count=3, seed=5150, kinds=["passport", "id_card", "residence_permit"], formats=["png"])
    path = paths[2]
    truth = json.loads(path.with_name(path.stem + ".truth.json").read_text())["documents"][0]
    assert truth["type"] == "residence_permit" and Image.open(path).size == (2480, 3508)
    with tesseract.accounting() as ledger:
        reading = read_page(path.read_bytes(), 1, ReadOptions())
    assert [run.purpose for run in ledger.runs] == ["page", "viz"]
    page, viz = ledger.runs
    assert ledger.full_passes == 1 and viz.pixels < page.pixels * 2 < 2480 * 3508
    assert reading.text.mrz is not None and reading.text.mrz.decoded is not None
    assert reading.text.mrz.decoded.trusted
    assert reading.text.mrz.decoded.fields["surname"] == truth["fields"]["surname"]


def test_a_ukrainian_page_costs_one_pass_in_cyrillic():
    """It cost two before: a pass in deu+eng, judged Cyrillic by its look-alike words, then one in Cyrillic."""
    reading = read_page(encode(text_page(UKRAINIAN, lines=20)), 1, ReadOptions())
    assert reading.cost is not None
    assert (reading.cost.runs, reading.cost.full_passes, reading.cost.kind) == (1, 1, "Cyrillic text")
    assert "Шевченко" in reading.text.text


def test_a_passport_on_a4_read_for_intake_is_read_in_its_box_and_its_pdf_shows_the_whole_sheet(tmp_path: Path):
    """Intake asks for the searchable PDF; it used to read the whole sheet for it."""
    from lab.samples import generate

    [path] = generate(tmp_path, count=1, seed=100_905, kinds=["passport"], formats=["png"])
    surname = json.loads(path.with_name(path.stem + ".truth.json").read_text())["documents"][0]["fields"]["surname"]
    with tesseract.accounting() as ledger:
        reading = read_page(path.read_bytes(), 1, ReadOptions(want_pdf=True))
    assert [run.purpose for run in ledger.runs] == ["page"]
    assert ledger.runs[0].pixels < 0.5 * 2480 * 3508  # the passport, not the sheet around it
    assert reading.pdf is not None
    with pdfplumber.open(io.BytesIO(reading.pdf)) as pdf:
        [page] = pdf.pages
        assert (round(page.width), round(page.height)) == (595, 842)  # A4 at 300 dpi, in points
        found = [w for w in page.extract_words() if surname in w["text"].upper()]
    # The invisible word lies where the passport's surname is on the sheet (the upper half), not at the
    # sheet's corner where the piece that was read would put it.
    assert found and 0 < found[0]["top"] < 842 / 2
    assert abs(found[0]["x0"] / 595 - _word_left(reading, surname)) < 0.02


def _word_left(reading: PageReading, text: str) -> float:
    return next(w.bbox.x0 for w in reading.text.words if text in w.text.upper())


def test_turned_pages_are_summed_up_apart_and_counted_in_their_kind():
    upright = PageCost(kind="Latin text", runs=1, full_passes=1, tesseract_cpu_s=2.0, python_cpu_s=0.1)
    turned = PageCost(kind="Latin text", runs=1, full_passes=1, tesseract_cpu_s=2.0, python_cpu_s=0.1, turned=270)
    lines = summary([upright, turned])
    assert [line.split()[0] for line in lines[1:]] == ["Latin", "turned", "all"]
    assert lines[1].split()[2] == "2" and lines[2].split()[1] == "1"


def test_a_passport_whose_zone_the_cells_settle_is_read_without_its_zone(tmp_path: Path):
    """The page pass read the zone's band too (a fifth to a third of its CPU-s on a passport's data page), only
    for the classifiers to leave every word inside the zone's box aside. Now the band is shown to tesseract as
    blank paper, and the page's text holds the zone's lines where they lie, as the cells and check digits read
    them (the text searched and shown still has its zone). A passport photographed alone, not on a sheet."""
    from lab.samples import generate

    paths = generate(tmp_path, count=5, seed=4173, kinds=["passport", "id_card", "residence_permit"], formats=["png"])
    path = paths[4]
    truth = json.loads(path.with_name(path.stem + ".truth.json").read_text())["documents"][0]
    assert truth["type"] == "passport" and Image.open(path).size == (1596, 1159)
    reading = read_page(path.read_bytes(), 1, ReadOptions())
    zone = reading.text.mrz
    assert zone is not None and zone.decoded is not None and zone.decoded.trusted and zone.bbox is not None
    inside = [w for w in reading.text.words if _within(w.bbox, zone.bbox)]
    assert [w.text for w in inside] == list(truth["fields"]["mrz"])  # the zone's lines, and no word the pass made
    assert truth["fields"]["surname"] in reading.text.text  # the visual zone is read as before


def test_a_passport_on_a4_is_read_with_its_zone(tmp_path: Path):
    """On a sheet the document's small print is read at the limit of legibility, and a band of ink less moved
    tesseract's threshold for all of it (tuning families: 4 names read with their marks lost them): the page
    pass reads the passport's box with its zone, as before."""
    from lab.samples import generate

    [path] = generate(tmp_path, count=1, seed=4173, kinds=["passport"], formats=["png"])
    assert Image.open(path).size == (2480, 3508)
    reading = read_page(path.read_bytes(), 1, ReadOptions())
    zone = reading.text.mrz
    assert zone is not None and zone.decoded is not None and zone.decoded.trusted and zone.bbox is not None
    inside = [w for w in reading.text.words if _within(w.bbox, zone.bbox)]
    # tesseract's words of the zone, each in a box of its own, not the zone's lines across the zone's box
    assert inside and {(w.bbox.x0, w.bbox.x1) for w in inside} != {(zone.bbox.x0, zone.bbox.x1)}


def _within(box: BBox, zone: BBox) -> bool:
    middle_x, middle_y = (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2
    return zone.x0 <= middle_x <= zone.x1 and zone.y0 <= middle_y <= zone.y1


def test_a_card_on_a4_under_uneven_light_costs_one_pass_when_its_zone_read_late_settles_every_field(
    tmp_path: Path,
):
    """Its light filled the sheet with ink, so no first look at its zone was made; its deu+eng pass, poor by the
    card's tiny labels, then cost OSD, two script probes and a second full pass (7 runs, ~4 CPU-s). The zone's
    fillers in that pass now ask the cells first: the zone settles every field, upright, in a Latin state."""
    from lab.samples import generate

    paths = generate(tmp_path, count=1, seed=4173, kinds=["passport", "id_card", "residence_permit"], formats=["png"])
    truth = json.loads(paths[0].with_name(paths[0].stem + ".truth.json").read_text())
    assert "phone_light" in truth["degradations"] and truth["documents"][0]["type"] == "residence_permit"
    with tesseract.accounting() as ledger:
        reading = read_page(paths[0].read_bytes(), 1, ReadOptions())
    assert ledger.full_passes == 1 and "osd" not in [run.purpose for run in ledger.runs]
    assert reading.text.mrz is not None and reading.text.mrz.decoded is not None
    assert reading.text.mrz.decoded.trusted
    assert list(reading.text.mrz.decoded.lines) == truth["documents"][0]["fields"]["mrz"]
