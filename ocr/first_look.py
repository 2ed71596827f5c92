"""What a page is, decided before its first full tesseract pass, without tesseract.

A page should be read once, in the right languages and only where it carries something. Two cheap looks
decide that before the pass:
- `content_box`: where the ink is. A card or passport scanned on an A4 flatbed covers a fifth of the sheet;
  the white paper around it costs tesseract layout analysis and binarisation for nothing, so only the box
  around the ink is read (the words are moved back to page coordinates afterwards).
- `zone_languages`: an identity document's machine-readable zone, read by the OCR-B cell classifier alone
  (`ocr.mrz.read_mrz(glyphs_only=True)`, OpenCV and numpy), names the issuing state, and with it the script
  of the visual zone: a Ukrainian passport is read in `ukr+eng` at once instead of `deu+eng` first,
  judged poor, probed and read again. Where the zone lies in its document also tells upside down: the zone
  is at the foot of a passport's data page and of a card's back.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from ocr import preprocess
from schemas.documents import BBox, MrzDecoded
from schemas.model_files import read_record

# A content box is worth reading alone when it covers at most this share of the page (a card on A4: ~0.1,
# a passport data page on A4: ~0.25; a notice: > 0.7).
CROP_MAX_AREA = 0.5
CROP_MARGIN = 0.02  # of the page's long side, kept around the ink (tesseract wants some white border)
_EDGE = 0.015  # ink this close to the sheet's edge is a scanner shadow, not content
_MIN_BLOB = 6  # pixels on the measuring copy: smaller ink is dust

# Issuing states whose documents print their visual zone in Cyrillic or Arabic script (or Turkish letters).
CYRILLIC_STATES = frozenset({"UKR", "RUS", "BLR", "KAZ", "KGZ", "TJK", "MNG", "SRB", "MKD", "BGR"})
ARABIC_STATES = frozenset(
    {"SYR", "IRQ", "IRN", "AFG", "LBN", "JOR", "EGY", "SAU", "YEM", "LBY", "SDN", "TUN", "DZA", "MAR", "PSE"}
    | {"KWT", "ARE", "QAT", "OMN", "BHR"}
)
TURKISH_STATES = frozenset({"TUR"})
# The one language a state prints its visual zone in beside English, of those its script's set names: tesseract
# tries a word in every language of the set until one fits, so a Ukrainian passport costs ~0.65 CPU-s in
# `ukr+eng` against ~1.1 in `ukr+rus+deu`, and its English labels and Latin names read better (`NOV`, not
# `МОМ`). Persian for Iran and Afghanistan (Dari), Ukrainian for Ukraine, else Russian or Arabic.
STATE_LANGUAGE = {"UKR": "ukr", "IRN": "fas", "AFG": "fas"}
SCRIPT_LANGUAGE = {"Cyrillic": "rus", "Arabic": "ara"}
ZONE_SECOND_LANGUAGE = "eng"  # every visual zone prints its labels in English too (ICAO 9303 Part 3)


@dataclass(frozen=True, slots=True)
class Box:
    """A region of a page image in pixels."""

    left: int
    top: int
    right: int
    bottom: int

    def turned_180(self, width: int, height: int) -> Box:
        return Box(width - self.right, height - self.bottom, width - self.left, height - self.top)


def content_box(gray: np.ndarray) -> Box | None:
    """The box around the page's ink with a margin, or None when it covers most of the page anyway."""
    small = preprocess.small_copy(gray)
    scale = small.shape[0] / gray.shape[0]
    # No opening against specks here (the blob size below drops dust): it would also erase a card's thin edge.
    mask = preprocess.ink_mask(small)
    h, w = mask.shape
    ey, ex = max(1, int(h * _EDGE)), max(1, int(w * _EDGE))
    mask[:ey, :] = 0
    mask[h - ey :, :] = 0
    mask[:, :ex] = 0
    mask[:, w - ex :] = 0
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    blobs = [stats[i] for i in range(1, count) if stats[i][cv2.CC_STAT_AREA] >= _MIN_BLOB]
    if not blobs:
        return None
    x0 = min(int(b[cv2.CC_STAT_LEFT]) for b in blobs)
    y0 = min(int(b[cv2.CC_STAT_TOP]) for b in blobs)
    x1 = max(int(b[cv2.CC_STAT_LEFT] + b[cv2.CC_STAT_WIDTH]) for b in blobs)
    y1 = max(int(b[cv2.CC_STAT_TOP] + b[cv2.CC_STAT_HEIGHT]) for b in blobs)
    if (x1 - x0) * (y1 - y0) > CROP_MAX_AREA * h * w:
        return None
    margin = CROP_MARGIN * max(gray.shape)
    height, width = gray.shape[:2]
    return Box(
        left=max(0, int(x0 / scale - margin)),
        top=max(0, int(y0 / scale - margin)),
        right=min(width, int(x1 / scale + margin)),
        bottom=min(height, int(y1 / scale + margin)),
    )


def zone_languages(decoded: MrzDecoded | None, *, latin: str, by_script: dict[str, str], turkish: str) -> str | None:
    """The tesseract languages for an identity document's visual zone by the state its zone names (for a
    Cyrillic or Arabic script, the state's own language of the script's set, and English); None when the zone
    did not decode well enough to trust its state."""
    if decoded is None or not decoded.valid:
        return None
    state = (decoded.fields.get("issuing_state") or "").strip("<")
    script = "Cyrillic" if state in CYRILLIC_STATES else "Arabic" if state in ARABIC_STATES else None
    if script is not None and script in by_script:
        return _national(state, script, by_script[script])
    if state in TURKISH_STATES:
        return turkish
    return latin


def _national(state: str, script: str, languages: str) -> str:
    """The state's own language and English, when the script's configured `languages` hold it; else those."""
    own = STATE_LANGUAGE.get(state, SCRIPT_LANGUAGE[script])
    return f"{own}+{ZONE_SECOND_LANGUAGE}" if own in languages.split("+") else languages


def zone_upside_down(zone: BBox | None, box: Box | None, width: int, height: int) -> bool:
    """Whether the zone lies in the upper part of its document (or of the page): the page is upside down."""
    if zone is None:
        return False
    top, bottom = (box.top / height, box.bottom / height) if box is not None else (0.0, 1.0)
    middle = (zone.y0 + zone.y1) / 2
    return middle < top + 0.4 * (bottom - top)


# --- the script of a page, from the shapes of its glyphs -----------------------------------------------------
# Each glyph-sized ink blob of a 150-dpi copy is scaled to a small bitmap and counted against the nearest of a
# learned set of shapes (k-means, `lab/training/script.py`); a logistic model on the page's shape histogram
# names the script. Arabic (joined letters, dots above and below) and Cyrillic (и л п д ж я ы: shapes Latin
# lacks) differ in which shapes are common, which is all it needs: no tesseract, ~30 ms a page.
SHAPE_SIDE = 1754  # long side of the copy glyphs are measured on (A4 at 150 dpi)
SHAPE_CELLS = 8  # a glyph is scaled to SHAPE_CELLS x SHAPE_CELLS
MAX_GLYPHS = 1500  # more glyphs say no more about the script; an evenly spaced sample is kept
_MIN_GLYPH_HEIGHT = 5
_MAX_GLYPH_HEIGHT = 60


def glyph_shapes(gray: np.ndarray) -> np.ndarray:
    """One row per glyph-sized blob of the page: its bitmap on an 8x8 grid (0..1), the log of its width to
    height, and the log of its height to the page's median glyph height."""
    small = preprocess.small_copy(gray, SHAPE_SIDE)
    mask = preprocess.ink_mask(small)
    _, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    stats = stats[1:]
    heights, widths = stats[:, cv2.CC_STAT_HEIGHT], stats[:, cv2.CC_STAT_WIDTH]
    keep = (
        (heights >= _MIN_GLYPH_HEIGHT)
        & (heights <= _MAX_GLYPH_HEIGHT)
        & (widths <= 5 * heights)
        & (stats[:, cv2.CC_STAT_AREA] >= 8)
    )
    chosen = stats[keep]
    if len(chosen) == 0:
        return np.zeros((0, SHAPE_CELLS * SHAPE_CELLS + 2), dtype=np.float32)
    if len(chosen) > MAX_GLYPHS:
        chosen = chosen[np.linspace(0, len(chosen) - 1, MAX_GLYPHS).astype(int)]
    median = float(np.median(chosen[:, cv2.CC_STAT_HEIGHT]))
    rows = np.empty((len(chosen), SHAPE_CELLS * SHAPE_CELLS + 2), dtype=np.float32)
    for i, (x, y, w, h, _) in enumerate(chosen):
        cell = cv2.resize(
            mask[y : y + h, x : x + w].astype(np.float32), (SHAPE_CELLS, SHAPE_CELLS), interpolation=cv2.INTER_AREA
        )
        rows[i, :-2] = cell.ravel()
        rows[i, -2] = np.log(w / h)
        rows[i, -1] = np.log(h / median)
    return rows


def shape_histogram(shapes: np.ndarray, codebook: np.ndarray) -> np.ndarray:
    """The (square root of the) share of a page's glyphs nearest to each learned shape (all zero for a page
    without glyphs)."""
    histogram = np.zeros(len(codebook), dtype=np.float64)
    if len(shapes):
        distances = (shapes**2).sum(1)[:, None] - 2 * shapes @ codebook.T + (codebook**2).sum(1)[None, :]
        histogram += np.bincount(distances.argmin(1), minlength=len(codebook))
        histogram /= len(shapes)
    return np.sqrt(histogram)  # square roots: a shape only one script has still counts when it is rare


SCRIPT_FORMAT_VERSION = 1
SCRIPT_MODEL = Path(__file__).resolve().parent / "models" / "script-v1.json"


@dataclass(frozen=True, slots=True)
class ScriptModel:
    """The learned glyph shapes and the logistic model over a page's shape histogram."""

    classes: tuple[str, ...]
    codebook: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray

    def probabilities(self, gray: np.ndarray, shapes: np.ndarray | None = None) -> dict[str, float]:
        """By script, the probability that the page is written in it (`shapes`: its glyph shapes, when the
        caller has measured them already)."""
        shapes = glyph_shapes(gray) if shapes is None else shapes
        scores = self.coef @ shape_histogram(shapes, self.codebook) + self.intercept
        if len(self.classes) == 2:  # a binary logistic model scores the second class only
            scores = np.array([0.0, float(scores[0])])
        odds = np.exp(scores - scores.max())
        return {name: float(p) for name, p in zip(self.classes, odds / odds.sum(), strict=True)}


@lru_cache(maxsize=1)
def script_model(path: Path = SCRIPT_MODEL) -> ScriptModel:
    """The shipped page-script model (`ModelError` when missing or of another format)."""
    record = read_record(
        path, SCRIPT_FORMAT_VERSION, what=f"the page-script model {path}", rebuild="python -m lab.training.script"
    )
    return ScriptModel(
        classes=tuple(record["classes"]),
        codebook=np.asarray(record["codebook"], dtype=np.float32),
        coef=np.asarray(record["coef"], dtype=np.float64),
        intercept=np.asarray(record["intercept"], dtype=np.float64),
    )


def page_script(gray: np.ndarray, *, sure: float, shapes: np.ndarray | None = None) -> str | None:
    """The script ("Latin", "Cyrillic", "Arabic") the model names for an upright page with at least `sure`
    probability, or None when it is not that sure (`shapes`: the page's glyph shapes, if measured already)."""
    probabilities = script_model().probabilities(gray, shapes)
    best = max(probabilities, key=lambda name: probabilities[name])
    return best if probabilities[best] >= sure else None
