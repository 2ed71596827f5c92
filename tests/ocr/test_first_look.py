"""Deciding a page before its first full pass: where the ink is, what an identity document's zone says
about the script of its visual zone and which way up it lies, and what the shapes of a page's glyphs say
about its script."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr.first_look import Box, content_box, page_script, script_model, zone_languages, zone_upside_down
from schemas.documents import BBox, MrzDecoded
from schemas.errors import ModelError
from tests.ocr.pagegen import FONT, GERMAN, SANS, UKRAINIAN, text_page

BY_SCRIPT = {"Cyrillic": "ukr+rus+deu", "Arabic": "ara+fas+eng"}


def _sheet(card: tuple[int, int, int, int] | None, lines: int = 0) -> np.ndarray:
    image = Image.new("L", (2480, 3508), 250)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 40)
    if card is not None:
        x0, y0 = card[:2]
        draw.rectangle(card, outline=90, width=3)
        for i in range(6):
            draw.text((x0 + 60, y0 + 60 + i * 80), f"NAME / SURNAME {i} MUSTERMANN", font=font, fill=20)
    for i in range(lines):
        draw.text(
            (200, 200 + i * 60),
            "Sehr geehrte Damen und Herren, hiermit bescheinigen wir Ihnen den Eingang Ihres Antrags",
            font=font,
            fill=20,
        )
    return np.asarray(image)


def test_a_card_on_an_a4_sheet_is_read_alone_with_a_margin():
    card = (900, 2200, 1910, 2840)  # 85.6 x 54 mm at 300 dpi
    box = content_box(_sheet(card))
    assert box is not None
    assert box.left <= card[0] and box.top <= card[1] and box.right >= card[2] and box.bottom >= card[3]
    # No more than a margin around the card: the sheet's white paper is not read.
    assert (box.right - box.left) * (box.bottom - box.top) < 0.2 * 2480 * 3508


def test_a_page_full_of_text_is_read_whole():
    assert content_box(_sheet(None, lines=52)) is None


def test_an_empty_sheet_has_no_content_box():
    assert content_box(_sheet(None)) is None


def _decoded(state: str, valid: bool = True) -> MrzDecoded:
    return MrzDecoded(format="TD3", fields={"issuing_state": state}, checks={}, valid=valid)


@pytest.mark.parametrize(
    ("state", "languages"),
    [("UKR", "ukr+eng"), ("RUS", "rus+eng"), ("BLR", "rus+eng"), ("SYR", "ara+eng"), ("IRN", "fas+eng"),
     ("AFG", "fas+eng"), ("TUR", "tur+eng"), ("D<<", "deu+eng"), ("FRA", "deu+eng")],
)  # fmt: skip
def test_the_zone_s_issuing_state_names_the_visual_zone_s_languages(state, languages):
    assert zone_languages(_decoded(state), latin="deu+eng", by_script=BY_SCRIPT, turkish="tur+eng") == languages


def test_a_state_s_language_missing_from_its_script_s_configured_set_leaves_the_set():
    by_script = {"Cyrillic": "rus+deu", "Arabic": "ara+eng"}
    assert zone_languages(_decoded("UKR"), latin="deu+eng", by_script=by_script, turkish="tur+eng") == "rus+deu"
    assert zone_languages(_decoded("IRN"), latin="deu+eng", by_script=by_script, turkish="tur+eng") == "ara+eng"


def test_a_zone_whose_check_digits_fail_decides_nothing():
    assert zone_languages(_decoded("UKR", valid=False), latin="deu+eng", by_script=BY_SCRIPT, turkish="tur") is None
    assert zone_languages(None, latin="deu+eng", by_script=BY_SCRIPT, turkish="tur+eng") is None


def test_a_zone_at_the_top_of_its_document_means_the_page_is_upside_down():
    card = Box(left=900, top=2200, right=1910, bottom=2840)
    foot = BBox(x0=0.38, y0=0.77, x1=0.76, y1=0.80)  # the zone at the card's foot
    head = BBox(x0=0.38, y0=0.63, x1=0.76, y1=0.66)  # ... and at its head
    assert not zone_upside_down(foot, card, 2480, 3508)
    assert zone_upside_down(head, card, 2480, 3508)
    assert not zone_upside_down(BBox(x0=0.05, y0=0.85, x1=0.95, y1=0.95), None, 1596, 1159)
    assert zone_upside_down(BBox(x0=0.05, y0=0.05, x1=0.95, y1=0.15), None, 1596, 1159)


def test_the_glyph_shapes_name_the_script_of_a_page_before_tesseract_reads_it():
    assert page_script(text_page(UKRAINIAN), sure=0.9) == "Cyrillic"
    assert page_script(text_page(UKRAINIAN, font=SANS), sure=0.9) == "Cyrillic"
    assert page_script(text_page(GERMAN), sure=0.9) == "Latin"
    assert page_script(text_page(GERMAN, font=SANS), sure=0.9) == "Latin"


def test_a_page_script_model_of_another_format_says_how_to_rebuild_it(tmp_path):
    model = tmp_path / "script.json"
    model.write_text(json.dumps({"format_version": 99}))
    with pytest.raises(ModelError, match=r"lab\.training\.script"):
        script_model(model)
