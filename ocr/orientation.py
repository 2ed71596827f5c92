"""Which way up a page lies, decided before its first full tesseract pass, without tesseract.

The measuring copy's projection profiles (`ocr.preprocess`) already tell a page whose text lines run up or
down the sheet, and turn it a quarter; what they cannot tell is which quarter, nor a page standing on its
head: either way the text lines are level. The glyphs can. Upside down, Latin and Cyrillic `e a r d b`
become shapes that hardly occur upright (`ə ɐ ɹ p q`), and Arabic's dots and tails move to the other side
of the letters. So each glyph-sized blob of the page (`ocr.first_look.glyph_shapes`, the same measure the
script decision uses, ~30 ms) is counted against a learned set of shapes, once as it stands and once
turned by 180 degrees (its bitmap flipped both ways: the blobs of a turned page are the same blobs), and a
logistic model on the difference of the two shape histograms names the likelier way up. Turning the page
swaps the two histograms, so the model is antisymmetric by construction (no intercept): it cannot prefer
"upright" for want of evidence, and a page with too few glyphs to tell is left undecided.

A page turned a quarter the wrong way by the profiles ends up upside down and is caught here too: a page
scanned at 90°, 180° or 270° is read once, in the right orientation. Trained by `lab/training/orientation.py`
on generated pages of tuning seeds only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ocr import preprocess
from ocr.first_look import SHAPE_CELLS, SHAPE_SIDE, glyph_shapes, shape_histogram
from schemas.model_files import read_record

ORIENTATION_FORMAT_VERSION = 1
ORIENTATION_MODEL = Path(__file__).resolve().parent / "models" / "orientation-v1.json"
REBUILD = "python -m lab.training.orientation"
# Fewer glyphs than this (a photo, a card with a few lines) say too little about the way up to act on.
MIN_GLYPHS = 60


def turned_180(shapes: np.ndarray) -> np.ndarray:
    """The glyph shapes (`ocr.first_look.glyph_shapes`) of the same page turned by 180 degrees: every bitmap
    flipped both ways; width to height and height to the median stay."""
    if not len(shapes):
        return shapes
    cells = SHAPE_CELLS * SHAPE_CELLS
    out = shapes.copy()
    out[:, :cells] = shapes[:, :cells].reshape(-1, SHAPE_CELLS, SHAPE_CELLS)[:, ::-1, ::-1].reshape(-1, cells)
    return out


def orientation_features(shapes: np.ndarray, codebook: np.ndarray) -> np.ndarray:
    """The page's shape histogram as it stands minus that of the page turned by 180 degrees."""
    return shape_histogram(shapes, codebook) - shape_histogram(turned_180(shapes), codebook)


@dataclass(frozen=True, slots=True)
class OrientationModel:
    """The learned glyph shapes and the weights of the antisymmetric logistic model over their histograms."""

    codebook: np.ndarray
    coef: np.ndarray

    def upright_probability(self, shapes: np.ndarray) -> float:
        """The probability that the page whose glyph shapes these are stands upright rather than on its
        head (0.5 when it has too few glyphs to tell)."""
        if len(shapes) < MIN_GLYPHS:
            return 0.5
        score = float(self.coef @ orientation_features(shapes, self.codebook))
        return float(1.0 / (1.0 + np.exp(-np.clip(score, -50.0, 50.0))))


@lru_cache(maxsize=1)
def orientation_model(path: Path = ORIENTATION_MODEL) -> OrientationModel:
    """The shipped orientation model (`ModelError` when missing or of another format)."""
    record = read_record(path, ORIENTATION_FORMAT_VERSION, what=f"the page-orientation model {path}", rebuild=REBUILD)
    return OrientationModel(
        codebook=np.asarray(record["codebook"], dtype=np.float32),
        coef=np.asarray(record["coef"], dtype=np.float64),
    )


@dataclass(frozen=True, slots=True)
class Upright:
    """A cleaned-up page turned the way its glyphs say it reads, and its glyph shapes as it now stands."""

    image: np.ndarray
    rotation: int  # clockwise degrees the page was turned in all (the profiles' quarter turn included)
    shapes: np.ndarray
    turned: int  # clockwise degrees of that the glyphs decided (0, 90, 180 or 270)
    sure: bool  # the glyphs were sure of the way up (else the page stands as the profiles left it)


def stand_upright(image: np.ndarray, rotation: int, *, sure: float) -> Upright:
    """`image` (cleaned up, already turned `rotation` degrees clockwise) turned the way its glyphs say, with at
    least `sure` probability, it reads.

    Upside down is told by the sign of the model's score. A page whose glyphs read neither way up may lie on
    its side where the profiles did not see it (a framed certificate with short, sparse lines): its glyphs are
    measured once more a quarter turned, and if they then read surely one way up, that is how it stands."""
    model = orientation_model()
    shapes = glyph_shapes(image)
    upright = model.upright_probability(shapes)
    turned = 0
    if max(upright, 1.0 - upright) < sure and len(shapes) >= MIN_GLYPHS:
        side = preprocess.turn(preprocess.small_copy(image, SHAPE_SIDE), 90)
        side_shapes = glyph_shapes(side)
        side_upright = model.upright_probability(side_shapes)
        if max(side_upright, 1.0 - side_upright) >= sure:
            shapes, upright, turned = side_shapes, side_upright, 90
    if 1.0 - upright >= sure:
        shapes, turned = turned_180(shapes), (turned + 180) % 360
    decided = max(upright, 1.0 - upright) >= sure
    if turned:
        image, rotation = preprocess.turn(image, turned), (rotation + turned) % 360
    return Upright(image, rotation, shapes, turned, decided)
