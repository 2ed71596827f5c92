"""The measuring step decides which corrections a page gets; wrong decisions cost accuracy or time.

Measured on generated pages (tesseract on a 20-line page, words found of the clean page's reading):
salt-and-pepper 2 % 0.92 → 1.00 with the median, 10 % 0.00 → 1.00; uneven light (85 % darkening) 0.905 → 1.00
with flattening; an extra adaptive binarisation was never better than these two, so there is none.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from ocr import preprocess
from tests.ocr.pagegen import degrade, rotate, text_page

PAGE = text_page(lines=20)


def test_clean_upright_page_needs_nothing():
    analysis = preprocess.analyse(PAGE)
    assert not analysis.blank and not analysis.quarter_turn
    assert preprocess.prepare(PAGE, analysis).steps == ()


@pytest.mark.parametrize("degrees", [-7.0, -2.5, 1.0, 4.0])
def test_skew_is_measured_to_a_fraction_of_a_degree(degrees: float):
    analysis = preprocess.analyse(rotate(PAGE, degrees))
    assert analysis.skew == pytest.approx(-degrees, abs=0.3)


def test_tiny_skew_is_left_alone():
    prepared = preprocess.prepare(PAGE, preprocess.analyse(rotate(PAGE, 0.1)))
    assert "deskew" not in prepared.steps and prepared.skew == 0.0


@pytest.mark.parametrize("degrees", [90, 270, 92])
def test_page_on_its_side_is_turned_a_quarter(degrees: int):
    analysis = preprocess.analyse(rotate(PAGE, degrees))
    assert analysis.quarter_turn
    prepared = preprocess.prepare(rotate(PAGE, degrees), analysis)
    assert prepared.rotation == 90 and prepared.image.shape[0] > prepared.image.shape[1]


@pytest.mark.parametrize("noise", [0.005, 0.02, 0.10])
def test_salt_and_pepper_noise_is_removed(noise: float):
    noisy = degrade(PAGE, noise=noise, seed=4)
    assert "denoise" in preprocess.prepare(noisy, preprocess.analyse(noisy)).steps


def test_uneven_light_is_flattened_to_white_paper():
    photo = degrade(PAGE, light=0.8)
    prepared = preprocess.prepare(photo, preprocess.analyse(photo))
    assert "flatten_light" in prepared.steps
    corner = prepared.image[-200:, -200:]
    assert photo[-200:, -200:].mean() < 120 < 230 < corner.mean()


@pytest.mark.parametrize("gray", [255, 235])
def test_empty_paper_is_blank_even_with_a_few_specks(gray: int):
    paper = degrade(np.full((3508, 2480), gray, np.uint8), noise=0.002, seed=5)
    assert preprocess.analyse(paper).blank


def test_back_side_with_scanner_shadows_at_the_edges_is_blank():
    back = np.full((3508, 2480), 250, np.uint8)
    back[:, :40] = 60  # the lid's shadow along one edge
    back[-30:, :] = 90
    assert preprocess.analyse(back).blank


def test_a_single_line_of_text_is_not_blank():
    page = np.full((3508, 2480), 255, np.uint8)
    page[1700:1760] = text_page(lines=1)[360:420]
    assert not preprocess.analyse(page).blank


def test_measuring_a_page_costs_a_few_percent_of_tesseract():
    noisy = degrade(rotate(PAGE, 2.0), noise=0.02, light=0.6)
    preprocess.analyse(noisy)
    started = time.process_time()
    preprocess.prepare(noisy, preprocess.analyse(noisy))
    assert time.process_time() - started < 0.5  # ~0.1 s measured; tesseract takes ~1.6 s on a dense page


def test_the_page_without_the_median_has_the_prepared_pages_geometry():
    # a page on its side, a little skewed, grainy: turned, deskewed and its median taken; without the median
    # (the closer look at small print, `ocr.visual_zone`) the same pixels lie in the same places
    page = degrade(rotate(PAGE, 92), noise=0.02, seed=4)
    prepared = preprocess.prepare(page, preprocess.analyse(page))
    assert {"turn90", "denoise", "deskew"} <= set(prepared.steps)
    for rotation in (prepared.rotation, prepared.rotation + 180):
        sharp = preprocess.unblurred(page, prepared, rotation)
        blurred = preprocess.turn(prepared.image, rotation - prepared.rotation)
        assert sharp.shape == blurred.shape
        # the median changes single pixels, not where the ink lies: the two agree after the same median
        assert np.mean(np.abs(preprocess.denoise(sharp).astype(int) - blurred.astype(int)) > 40) < 0.01
