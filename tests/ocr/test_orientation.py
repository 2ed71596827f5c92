"""Orientation before the first pass: the glyphs of a page say which way up it reads, so a page scanned at 90°,
180° or 270° is turned before tesseract sees it and read once; a landscape page stays landscape."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr import preprocess
from ocr.first_look import glyph_shapes, shape_histogram
from ocr.orientation import MIN_GLYPHS, orientation_model, stand_upright, turned_180
from ocr.reader import ORIENTATION_SURE, ReadOptions, read_page
from schemas.errors import ModelError
from tests.ocr.pagegen import FONT, GERMAN, SANS, UKRAINIAN, encode, text_page

# The page's content turned this many degrees clockwise (PIL turns counter-clockwise, `preprocess.turn`
# clockwise); the reader must turn it back by the rest of a full turn.
TURNS = (0, 90, 180, 270)


def _looked_at(page: np.ndarray) -> tuple[int, bool]:
    analysis = preprocess.analyse(page)
    prepared = preprocess.prepare(page, analysis)
    upright = stand_upright(prepared.image, prepared.rotation, sure=ORIENTATION_SURE)
    return upright.rotation, upright.sure


@pytest.mark.parametrize("turn", TURNS)
@pytest.mark.parametrize(
    ("words", "font"), [(GERMAN, FONT), (GERMAN, SANS), (UKRAINIAN, FONT), (UKRAINIAN, SANS)], ids=str
)
def test_a_turned_page_is_stood_upright_before_tesseract(turn: int, words: list[str], font: str):
    page = preprocess.turn(text_page(words, lines=14, font=font), turn)
    rotation, sure = _looked_at(page)
    assert sure
    assert (turn + rotation) % 360 == 0


def _landscape_certificate() -> np.ndarray:
    """An A4 landscape certificate: a few long lines of German text across the sheet, a title, a frame."""
    image = Image.new("L", (3508, 2480), 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle((120, 120, 3388, 2360), outline=40, width=8)
    draw.text((1100, 260), "Urkunde über die Eheschließung", font=ImageFont.truetype(FONT, 90), fill=0)
    body = ImageFont.truetype(FONT, 44)
    for i in range(14):
        line = " ".join(GERMAN[(i * 7) % 40 : (i * 7) % 40 + 16])
        draw.text((300, 520 + i * 110), line, font=body, fill=0)
    return np.asarray(image)


@pytest.mark.parametrize("turn", [0, 180])
def test_a_landscape_certificate_stays_landscape(turn: int):
    page = preprocess.turn(_landscape_certificate(), turn)
    rotation, sure = _looked_at(page)
    assert sure and (turn + rotation) % 360 == 0  # never a quarter turn: its lines run across the long side


def test_turning_glyph_shapes_is_measuring_the_turned_page():
    page = text_page(GERMAN, lines=10)
    measured = glyph_shapes(preprocess.turn(page, 180))
    flipped = turned_180(glyph_shapes(page))
    assert len(measured) == len(flipped)
    # The same blobs (in another order, and resampled a pixel apart): the same counts of learned shapes.
    codebook = orientation_model().codebook
    turned, original = shape_histogram(measured, codebook) ** 2, shape_histogram(flipped, codebook) ** 2
    assert np.abs(turned - original).sum() < 0.1
    assert np.abs(shape_histogram(glyph_shapes(page), codebook) ** 2 - original).sum() > 0.5


def test_the_model_is_antisymmetric_and_undecided_without_glyphs():
    model = orientation_model()
    shapes = glyph_shapes(text_page(UKRAINIAN, lines=10))
    p = model.upright_probability(shapes)
    assert p > 0.9
    assert model.upright_probability(turned_180(shapes)) == pytest.approx(1.0 - p, abs=1e-9)
    assert model.upright_probability(shapes[: MIN_GLYPHS - 1]) == 0.5


def test_a_page_with_a_few_words_is_left_as_it_stands():
    image = Image.new("L", (2480, 3508), 255)
    ImageDraw.Draw(image).text((300, 300), "Anlage 1", font=ImageFont.truetype(FONT, 40), fill=0)
    page = preprocess.turn(np.asarray(image), 180)
    assert _looked_at(page) == (0, False)


def test_an_orientation_model_of_another_format_says_how_to_rebuild_it(tmp_path):
    model = tmp_path / "orientation.json"
    model.write_text(json.dumps({"format_version": 0, "codebook": [], "coef": []}))
    with pytest.raises(ModelError, match=r"lab\.training\.orientation"):
        orientation_model.__wrapped__(model)


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_a_turned_page_is_read_once_the_right_way_up(turn: int):
    page = preprocess.turn(text_page(GERMAN, lines=12), turn)
    reading = read_page(encode(page), 1, ReadOptions())
    assert reading.cost is not None
    assert reading.cost.full_passes == 1 and "osd" not in reading.cost.purposes
    assert (turn + reading.text.rotation) % 360 == 0
    words = {w.text.strip(".,") for w in reading.text.words}
    assert {"Bescheid", "Leistungen", "Widerspruch", "Asylbewerberleistungsgesetz"} <= words
