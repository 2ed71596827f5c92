"""Make a page image easy for tesseract, cheaply: measure first on a small copy, then fix only what is wrong.

The common page (upright, Latin script, slightly skewed scan) must cost little more than one tesseract run,
so every measurement works on a copy whose long side is ~1000 px, and the full-size image is touched only by
the corrections that measurement asked for:
- quarter turns from projection profiles (text lines make rows, not columns, alternate); which way up
  (90° or 270°, 0° or 180°) is left to the glyphs (`ocr.orientation`);
- skew from the same profiles (the angle at which text lines are sharpest);
- uneven light (phone photos) flattened by dividing by an estimate of the paper's brightness;
- salt-and-pepper scanner noise removed with a 3×3 median.
Binarisation is left to tesseract (its Otsu pass is part of its run anyway).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import cv2
import numpy as np

log = logging.getLogger(__name__)

ANALYSIS_SIDE = 1000  # long side of the measuring copy, in pixels
MIN_SKEW = 0.3  # degrees: below this, turning the full page costs more than it helps tesseract
MAX_SKEW = 10.0
BLANK_INK = 0.0003  # fraction of ink pixels on the measuring copy below which a page is blank (a line: 0.0014)
BLANK_MARGIN = 0.04  # scanner shadows at the paper's edges are not ink
UNEVEN_LIGHT = 45  # grey levels between the brightest and darkest paper
NOISY = 0.001  # fraction of isolated specks in the sample (0.5 % salt and pepper gives 0.002)
QUARTER_TURN_RATIO = 5.0


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the measuring copy says about a page."""

    blank: bool
    ink: float  # fraction of ink pixels
    quarter_turn: bool  # text runs vertically: turn the page by 90° before reading
    skew: float  # degrees counter-clockwise the page must be turned to make lines level
    light_range: float  # grey levels between brightest and darkest paper
    noise: float  # fraction of isolated specks


@dataclass(frozen=True, slots=True)
class Prepared:
    """The image tesseract reads, and how it was obtained from the page."""

    image: np.ndarray
    rotation: int  # clockwise degrees the page was turned
    skew: float  # degrees of deskew applied
    steps: tuple[str, ...]


def small_copy(gray: np.ndarray, side: int = ANALYSIS_SIDE) -> np.ndarray:
    scale = side / max(gray.shape)
    if scale >= 1.0:
        return gray
    return cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)


def ink_mask(small: np.ndarray) -> np.ndarray:
    """Pixels clearly darker than their surroundings (0/1), robust to uneven light."""
    mask = cv2.adaptiveThreshold(small, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 25)
    return mask


def _profile_scores(mask: np.ndarray, angle: float) -> tuple[float, float]:
    """Sharpness of the row and column profiles after turning the mask by `angle` degrees."""
    h, w = mask.shape
    if angle:
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        mask = cv2.warpAffine(mask, matrix, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
    rows = mask.mean(axis=1, dtype=np.float32)
    cols = mask.mean(axis=0, dtype=np.float32)
    return float(np.square(np.diff(rows)).sum()), float(np.square(np.diff(cols)).sum())


def _best_angle(mask: np.ndarray) -> tuple[float, float, float]:
    """(angle, best row score, best column score) by a coarse then fine search over ±MAX_SKEW."""
    coarse = np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 1.0)
    scores = [_profile_scores(mask, float(a)) for a in coarse]
    best_row = max(range(len(coarse)), key=lambda i: scores[i][0])
    best_col_score = max(s[1] for s in scores)
    angle, best_row_score = float(coarse[best_row]), scores[best_row][0]
    for fine in np.arange(angle - 0.9, angle + 0.91, 0.15):
        row, col = _profile_scores(mask, float(fine))
        best_col_score = max(best_col_score, col)
        if row > best_row_score:
            angle, best_row_score = float(fine), row
    return angle, best_row_score, best_col_score


def _noise(gray: np.ndarray) -> float:
    """Fraction of isolated specks in a central sample at full resolution."""
    h, w = gray.shape
    sample = gray[h // 3 : h // 3 + 512, w // 4 : w // 4 + 512]
    if sample.size == 0:
        return 0.0
    dark = (sample < 128).astype(np.uint8)
    neighbours = cv2.boxFilter(dark, -1, (3, 3), normalize=False)
    return float(np.count_nonzero(dark & (neighbours == 1))) / sample.size


def _paper(small: np.ndarray) -> np.ndarray:
    """An estimate of the paper's brightness everywhere: text removed by a max filter, then smoothed."""
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9))
    return cv2.medianBlur(cv2.dilate(small, kernel), 31)


def _without_long_lines(mask: np.ndarray) -> np.ndarray:
    """The mask without rules, frames and paper edges: they are not text, and their single sharp steps would
    outweigh the rhythm of text lines in the profiles (a framed certificate looked upright when on its side).
    """
    length = max(25, max(mask.shape) // 25)
    horizontal = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((1, length), np.uint8))
    vertical = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((length, 1), np.uint8))
    return cv2.subtract(mask, cv2.bitwise_or(horizontal, vertical))


def analyse(gray: np.ndarray, small: np.ndarray | None = None) -> Analysis:
    """Measure a page; `small` is its measuring copy (`small_copy(gray)`) when the caller already has it."""
    small = small_copy(gray) if small is None else small
    mask = ink_mask(small)
    # Specks of scanner noise are single pixels on the measuring copy; text strokes are not.
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    mask = _without_long_lines(mask)
    h, w = mask.shape
    my, mx = int(h * BLANK_MARGIN), int(w * BLANK_MARGIN)
    ink = float(mask[my : h - my, mx : w - mx].mean())
    if ink < BLANK_INK:
        return Analysis(blank=True, ink=ink, quarter_turn=False, skew=0.0, light_range=0.0, noise=0.0)
    angle, row_score, col_score = _best_angle(mask)
    # Text turned by 90° makes the column profile ~10× sharper than the row profile; photos of cards and
    # passports reach up to ~4.7× from their patterns (39 public specimens), so only a clear margin counts
    # (the reader's second look with tesseract's OSD catches what this misses, e.g. noisy phone photos).
    quarter = col_score > QUARTER_TURN_RATIO * row_score
    if quarter:
        angle, _, _ = _best_angle(cv2.rotate(mask, cv2.ROTATE_90_CLOCKWISE))
    paper = _paper(small)
    light_range = float(np.percentile(paper, 98) - np.percentile(paper, 2))
    return Analysis(blank=False, ink=ink, quarter_turn=quarter, skew=angle, light_range=light_range, noise=_noise(gray))


def turn(gray: np.ndarray, clockwise: int) -> np.ndarray:
    """Turn by a multiple of 90° clockwise (no interpolation)."""
    codes = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    clockwise %= 360
    return gray if clockwise == 0 else cv2.rotate(gray, codes[clockwise])


def deskew(gray: np.ndarray, angle: float) -> np.ndarray:
    """Turn by `angle` degrees counter-clockwise around the centre, keeping the size, paper-white fill."""
    h, w = gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


def flatten_light(gray: np.ndarray) -> np.ndarray:
    """Divide by the paper's brightness so a phone photo's shadow does not look like ink to tesseract."""
    small = small_copy(gray, 500)
    paper = cv2.resize(_paper(small), (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(gray, np.maximum(paper, 1), scale=255)


def denoise(gray: np.ndarray) -> np.ndarray:
    return cv2.medianBlur(gray, 3)


def prepare(gray: np.ndarray, analysis: Analysis) -> Prepared:
    """Apply the corrections the analysis asked for, cheapest first."""
    steps: list[str] = []
    image, rotation = gray, 0
    if analysis.quarter_turn:
        image, rotation = turn(image, 90), 90
        steps.append("turn90")
    if analysis.noise > NOISY:
        image = denoise(image)
        steps.append("denoise")
    if analysis.light_range > UNEVEN_LIGHT:
        if "denoise" not in steps:
            # Dividing by the paper's brightness also stretches a phone camera's grain in dark areas into
            # specks; the median first keeps them from becoming "text" (a noisy passport photo read
            # 0 instead of 16 confident words without it).
            image = denoise(image)
            steps.append("denoise")
        image = flatten_light(image)
        steps.append("flatten_light")
    skew = 0.0
    if abs(analysis.skew) >= MIN_SKEW:
        image, skew = deskew(image, analysis.skew), analysis.skew
        steps.append("deskew")
    return Prepared(image=image, rotation=rotation, skew=skew, steps=tuple(steps))


def unblurred(gray: np.ndarray, prepared: Prepared, rotation: int) -> np.ndarray:
    """The page as `prepare` made it and then turned to `rotation` clockwise in all, but without the median:
    print a fifth of a line high (a card's name lines on an A4 scan) is lost in the median's 3x3 pixels, which
    only grain should be. Same size and geometry as the prepared page turned so, for boxes read on it."""
    image = turn(gray, prepared.rotation)
    if "flatten_light" in prepared.steps:
        image = flatten_light(image)
    if "deskew" in prepared.steps:
        image = deskew(image, prepared.skew)
    return turn(image, rotation - prepared.rotation)
