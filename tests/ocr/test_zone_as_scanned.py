"""A zone the cleaned page did not read is read on the page as scanned (`ocr.reader._zone_as_scanned`): a stamp
over the zone, deskewed and smoothed with it, can join cells the page as scanned keeps apart (tuning stamped
0006). The zone search takes any skew; its box must still lie where the zone lies on the cleaned page, which the
closer look at the name and the classifiers read the page's words by."""

from __future__ import annotations

import random

import cv2
import numpy as np
import pytest

from lab.samples.content import make_document
from lab.samples.families.legacy import built_of
from lab.samples.render import place_on_a4, rasterise
from ocr import preprocess
from ocr.mrz import read_mrz
from ocr.reader import _zone_as_scanned
from schemas.documents import DocumentType, MrzReading


def _skewed_card() -> np.ndarray:
    page = built_of(make_document(random.Random(5), DocumentType.ID_CARD), random.Random(5)).pages[0]
    sheet = place_on_a4(rasterise(page), (300, 500)).rotate(2.0, fillcolor=(250, 250, 248))
    return cv2.cvtColor(np.asarray(sheet.convert("RGB")), cv2.COLOR_RGB2GRAY)


@pytest.mark.parametrize("rotation", [0, 90])
def test_the_zone_read_as_scanned_is_boxed_where_it_lies_on_the_cleaned_page(rotation: int) -> None:
    gray = _skewed_card()
    prepared = preprocess.prepare(gray, preprocess.analyse(gray, preprocess.small_copy(gray)))
    assert "deskew" in prepared.steps and prepared.rotation == 0
    cleaned = read_mrz(preprocess.turn(prepared.image, rotation), timeout=120)
    assert cleaned is not None and cleaned.bbox is not None and cleaned.decoded is not None
    scanned = _zone_as_scanned(gray, prepared.skew, rotation, None, timeout=120)
    assert scanned is not None and scanned.bbox is not None and scanned.decoded is not None
    assert scanned.decoded.fields == cleaned.decoded.fields
    for got, want in zip(scanned.bbox.model_dump().values(), cleaned.bbox.model_dump().values(), strict=True):
        assert abs(got - want) < 0.004, (scanned.bbox, cleaned.bbox)  # of the page: a few pixels


def test_where_the_page_as_scanned_shows_no_zone_the_cleaned_pages_reading_stays() -> None:
    blank = np.full((3508, 2480), 250, dtype=np.uint8)
    read = MrzReading(lines=("I" * 30, "0" * 30, "<" * 30))
    assert _zone_as_scanned(blank, 1.0, 0, read, timeout=60) is read
