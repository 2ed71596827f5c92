"""The MRZ is found under marks across it (issue 17): frames, pen strokes and stamps over it, the striped pages
of a passport photographed as an open booklet; and still on a card that fills the image. Pages as the reader
hands them to the zone search (`preprocess.prepare`); documents from the identity tuning families."""

from __future__ import annotations

import random
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from lab.samples.families.identity_tuning import _mrz_box, build_booklet, build_stamped
from lab.samples.render import place_on_a4, rasterise
from ocr import preprocess
from ocr.mrz_locate import find_bands
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
