"""The MRZ is found under marks across it (issue 17): frames, pen strokes and stamps over it, the striped pages
of a passport photographed as an open booklet; and still on a card that fills the image. Pages as the reader
hands them to the zone search (`preprocess.prepare`); documents from the identity tuning families."""

from __future__ import annotations

import random
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from lab.samples.families.identity_tuning import _mrz_box, build_booklet, build_copy_sheet, build_stamped
from lab.samples.fonts import pil_font
from lab.samples.render import place_on_a4, rasterise
from mrz.glyphs import read_band
from ocr import preprocess
from ocr.first_look import content_box, zone_upside_down
from ocr.mrz import ZoneLooks, read_mrz, without_strokes
from ocr.mrz_locate import _line_direction, find_bands
from schemas.documents import DocumentType

SPECIMENS = Path(__file__).resolve().parents[2] / ".." / "shared" / "specimens" / "mrz"
AT = (300, 500)  # where the passport lies on the A4 page


def _prepared(image: Image.Image) -> np.ndarray:
    gray = cv2.cvtColor(np.asarray(image.convert("RGB")), cv2.COLOR_RGB2GRAY)
    return preprocess.prepare(gray, preprocess.analyse(gray, None)).image


# seeds whose marks hid the zone before strokes were left out of the line mask and joined lines parted again
@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_stamps_frames_and_pen_strokes_over_the_zone_do_not_hide_it(seed: int) -> None:
    page = build_stamped(random.Random(seed), DocumentType.PASSPORT).pages[0]
    x0, y0, x1, y1 = _mrz_box(page)
    bands = find_bands(_prepared(place_on_a4(rasterise(page), AT)))
    assert any(
        b.lines >= 2 and x0 + AT[0] <= b.center[0] <= x1 + AT[0] and y0 + AT[1] - 30 <= b.center[1] <= y1 + AT[1] + 30
        for b in bands[:3]
    )


@pytest.mark.parametrize("seed", [0, 1])
def test_the_zone_of_a_booklet_photographed_open_is_found(seed: int) -> None:
    scene = build_booklet(random.Random(seed), DocumentType.PASSPORT).card_sheets[0]
    assert isinstance(scene, Image.Image)
    image = _prepared(scene)
    bands = find_bands(image)
    assert bands and bands[0].lines >= 2 and bands[0].center[1] > image.shape[0] / 2  # on the data page


@pytest.mark.skipif(not SPECIMENS.is_dir(), reason="specimens live in ../shared")
@pytest.mark.parametrize("name", ["labelled/idcard-swe.png", "unlabelled/0_id-esp.png", "unlabelled/77_card-cmw.png"])
def test_a_card_filling_the_image_keeps_its_three_lines(name: str) -> None:
    # its letters are as tall as a frame's strokes on an A4 page are long: they must not be taken for strokes
    image = cv2.imread(str(SPECIMENS / name))
    assert image is not None
    bands = find_bands(image)
    assert bands and bands[0].lines == 3


ZONE_LINES = ("P<IRQKASSEM<<SAMER<<<<<<<<<<<<<<<<<<<<<<<<<<", "W650731271IRQ5607057M3407035<<<<<<<<<<<<<<<8")


def _band(pen: bool) -> np.ndarray:
    """A band crop as the reader cuts it (two lines running left to right), with a pen line through it."""
    image = Image.new("L", (1400, 150), 245)
    draw = ImageDraw.Draw(image)
    font = pil_font("ocrb", 40)
    for k, line in enumerate(ZONE_LINES):
        draw.text((30, 20 + 60 * k), line, font=font, fill=20)
    if pen:
        draw.line((100, 95, 1300, 50), fill=40, width=4)
    return np.asarray(image)


def test_a_pen_stroke_through_the_zone_is_painted_over_before_its_cells_are_read_again() -> None:
    # the stroke makes 1 a T and I a T; painted over, the cells read the zone as printed
    struck = _band(pen=True)
    assert read_band(struck, 2)[0].lines != ZONE_LINES
    cleaned = without_strokes(struck, 2)
    assert cleaned is not None
    assert read_band(cleaned, 2)[0].lines == ZONE_LINES


def test_a_zone_without_strokes_is_not_painted_over() -> None:
    assert without_strokes(_band(pen=False), 2) is None


def test_the_lines_of_a_blob_run_the_way_its_profile_is_sharpest_not_its_tilted_box() -> None:
    # three level lines of a zone and a stamp's ring over their left part, which tilts the blob's bounding box
    rows = [(x, y) for top in (0, 20, 40) for x in range(0, 600) for y in range(top, top + 10)]
    ring = [(100 + 60 * np.cos(t), 25 + 60 * np.sin(t)) for t in np.linspace(0, 2 * np.pi, 400)]
    points = np.array(rows + ring, dtype=float)
    points -= points.mean(axis=0)
    direction = _line_direction(points, box_angle=-80.0)
    assert abs(direction[1]) < 0.02 and abs(direction[0]) > 0.99


def test_a_card_back_copied_above_its_front_is_upright_by_its_zones_glyphs() -> None:
    # regression (tuning copy_sheet 0007, 0008): the back's zone lies in the upper part of the sheet's ink, where
    # a zone's place on its document says the page is upside down; the zone's glyphs read upright say otherwise
    for seed in range(20):
        sheet = build_copy_sheet(random.Random(seed), DocumentType.ID_CARD).card_sheets[0]
        assert isinstance(sheet, Image.Image)
        image = _prepared(sheet)
        looks = ZoneLooks()
        zone = read_mrz(image, timeout=60, glyphs_only=True, looks=looks)
        box = content_box(image)
        if zone is None or zone.bbox is None or box is None:
            continue
        if zone_upside_down(zone.bbox, box, image.shape[1], image.shape[0]):
            break
    else:
        pytest.fail("no seed copies the back above the front")
    assert looks.upside_down(zone) is False
    turned = preprocess.turn(image, 180)
    zone = read_mrz(turned, timeout=60, glyphs_only=True, looks=looks)
    assert zone is not None and looks.upside_down(zone) is True
