"""A page's second look for its zone reuses the first look's bands and cells (`ocr.mrz.ZoneLooks`): the reader
looks with the cell classifier alone before the page's first pass and again with tesseract where the cells did
not settle the zone (issue 16: both looks found the same bands and read the same cells, 0.1-0.15 CPU-s a passport)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from ocr import mrz
from ocr.mrz import ZoneLooks, read_mrz
from ocr.mrz_locate import Band


@pytest.mark.slow
def test_the_second_look_at_the_same_image_finds_its_bands_once_and_reads_as_a_first_look(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lab.samples import generate

    page = next(
        f for f in generate(tmp_path, count=1, seed=808, kinds=["passport"], formats=["png"]) if f.suffix == ".png"
    )
    image = cv2.imread(str(page), cv2.IMREAD_GRAYSCALE)
    assert image is not None
    alone = read_mrz(image, timeout=60)
    assert alone is not None

    searches: list[int] = []
    find_bands = mrz.find_bands

    def counted(img: np.ndarray) -> list[Band]:
        searches.append(1)
        return find_bands(img)

    monkeypatch.setattr(mrz, "find_bands", counted)
    looks = ZoneLooks()
    read_mrz(image, timeout=60, glyphs_only=True, looks=looks)
    again = read_mrz(image, timeout=60, looks=looks)
    assert again == alone, "the reused bands and cells read the zone as a look of its own does"
    assert len(searches) == 1
    read_mrz(image.copy(), timeout=60, looks=looks)  # another image (a page turned, cleaned): looked at afresh
    assert len(searches) == 2
