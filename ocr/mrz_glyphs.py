"""Read an MRZ band by matching OCR-B glyph templates on the zone's fixed character grid.

An MRZ is printed in one font (OCR-B, ISO 1073-2) on a fixed pitch, with a known number of characters per
line (30, 36 or 44). So instead of segmenting characters, the reader fits that grid to each text line (the
line's ink extent divided into N equal cells, with a small search over pitch and offset) and compares every
cell with templates of the 37 MRZ characters rendered from the OCR-B font the system ships (fonts-ocr-b).
The comparison is a normalised correlation at a small size, so it still works where tesseract fails: tiny
card photos with 5-pixel characters, and fillers (`<`) that tesseract's LSTM turns into `K`.

No font, no reader: `read_band` returns None and the tesseract readings carry on alone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

log = logging.getLogger(__name__)

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
FONT_PATHS = (
    Path("/usr/share/fonts/opentype/ocr-b/OCRB.otf"),
    Path("/usr/share/fonts/truetype/ocr-b/OCRB.ttf"),
    Path("/usr/local/share/fonts/OCRB.otf"),
)
CELL_W, CELL_H = 14, 20  # size every cell and template is compared at
_RENDER_SIZE = 96
_LINE_LENGTHS = {2: (36, 44), 3: (30,)}


@dataclass(frozen=True, slots=True)
class GlyphReading:
    lines: tuple[str, ...]  # best character per cell, unconstrained
    score: float  # mean best correlation of the cells (about 0.8 on clean print, well below on no MRZ)
    scores: tuple[np.ndarray, ...]  # per line: (cells, 37) correlations with ALPHABET, for decode()

    def decode(self, allowed: list[list[str]]) -> tuple[str, ...]:
        """The best character per cell among those `allowed[line][cell]` (the field's kind)."""
        out = []
        for line_scores, line_allowed in zip(self.scores, allowed, strict=True):
            chars = []
            for cell_scores, chars_allowed in zip(line_scores, line_allowed, strict=True):
                indices = [ALPHABET.index(c) for c in chars_allowed]
                chars.append(ALPHABET[max(indices, key=lambda i: cell_scores[i])])
            out.append("".join(chars))
        return tuple(out)


@lru_cache(maxsize=1)
def _templates() -> np.ndarray | None:
    """(37, CELL_H * CELL_W) unit vectors: each character in its cell, cap height filling the cell height."""
    from PIL import Image, ImageDraw, ImageFont  # only needed once, to render the templates

    path = next((p for p in FONT_PATHS if p.is_file()), None)
    if path is None:
        log.info("OCR-B font not found (install fonts-ocr-b): MRZ glyph matching disabled")
        return None
    font = ImageFont.truetype(str(path), _RENDER_SIZE)
    advance = font.getlength("0")
    cap_top, cap_bottom = font.getbbox("H")[1], font.getbbox("H")[3]
    cells = []
    for char in ALPHABET:
        image = Image.new("L", (int(advance * 2), _RENDER_SIZE * 2), 0)
        ImageDraw.Draw(image).text((advance / 2, 0), char, fill=255, font=font)
        ink = np.asarray(image, dtype=np.float32)
        cell = ink[cap_top:cap_bottom, int(advance / 2) : int(advance * 1.5)]
        blurred = cv2.GaussianBlur(cell, (0, 0), _RENDER_SIZE / 40)
        cells.append(_normalise(cv2.resize(blurred, (CELL_W, CELL_H), interpolation=cv2.INTER_AREA)))
    return np.stack(cells)


def _normalise(cell: np.ndarray) -> np.ndarray:
    vector = cell.astype(np.float32).ravel()
    vector = vector - vector.mean()
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 1e-6 else vector


def _ink(gray: np.ndarray) -> np.ndarray:
    """Dark print as high values, the local background removed (uneven light, coloured security print)."""
    inverted = 255.0 - gray.astype(np.float32)
    size = max(3, (gray.shape[0] // 2) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
    background = cv2.morphologyEx(inverted, cv2.MORPH_OPEN, kernel)
    ink = inverted - background
    return np.clip(ink / max(1.0, float(np.percentile(ink, 99.5))), 0, 1)


def _rows(ink: np.ndarray, count: int) -> list[tuple[int, int]]:
    """The `count` text lines of the band: the strongest runs of the row profile."""
    profile = ink.mean(axis=1)
    if not profile.size:
        return []
    # Half way between background and the strongest line: where a blurred glyph's edge is.
    low = float(np.percentile(profile, 5))
    threshold = low + 0.45 * (float(profile.max()) - low)
    runs: list[tuple[int, int]] = []
    start = None
    for y, value in enumerate(profile):
        if value > threshold and start is None:
            start = y
        elif value <= threshold and start is not None:
            runs.append((start, y))
            start = None
    if start is not None:
        runs.append((start, len(profile)))
    runs = [r for r in runs if r[1] - r[0] >= 3]
    if len(runs) < count:
        return []
    # The MRZ lines are the heaviest runs; keep them in page order.
    heaviest = sorted(runs, key=lambda r: -float(profile[r[0] : r[1]].sum()))[:count]
    return sorted(heaviest)


def _extent(ink: np.ndarray) -> tuple[float, float] | None:
    """Left and right end of the printed part of a line."""
    columns = ink.mean(axis=0)
    low, high = float(np.percentile(columns, 5)), float(np.percentile(columns, 90))
    on = np.nonzero(columns > low + 0.3 * (high - low))[0]
    if not on.size:
        return None
    # The line is the longest run of columns without a gap wider than a character: a card edge or a
    # stray mark beside it stays out.
    breaks = np.nonzero(np.diff(on) > max(3, ink.shape[0]))[0]
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [on.size - 1]))
    longest = int(np.argmax(on[ends] - on[starts]))
    return float(on[starts[longest]]), float(on[ends[longest]] + 1)


def _read_line(
    ink: np.ndarray, length: int, templates: np.ndarray, left: float, right: float
) -> tuple[str, float, np.ndarray]:
    """Fit `length` cells between `left` and `right` (small search over pitch and offset) and match them."""
    empty = ("", 0.0, np.zeros((0, len(ALPHABET))))
    best: tuple[float, str, np.ndarray] = (-1.0, "", empty[2])
    base_pitch = (right - left) / (length - 0.25)
    for pitch_factor in (0.98, 0.99, 1.0, 1.01, 1.02):
        pitch = base_pitch * pitch_factor
        scale = CELL_W / pitch
        # One resize per pitch: every cell is then CELL_W columns wide, so offsets are plain slices.
        resized = cv2.resize(ink, (max(1, round(ink.shape[1] * scale)), CELL_H), interpolation=cv2.INTER_AREA)
        padded = np.pad(resized, ((0, 0), (CELL_W, CELL_W * 2)))
        start = (left - 0.35 * pitch) * scale + CELL_W
        for shift in range(CELL_W // 2 + 1):
            x0 = round(start + shift)
            cells = np.stack([padded[:, x0 + i * CELL_W : x0 + (i + 1) * CELL_W].ravel() for i in range(length)])
            cells = cells - cells.mean(axis=1, keepdims=True)
            cells /= np.maximum(np.linalg.norm(cells, axis=1, keepdims=True), 1e-6)
            scores = cells @ templates.T
            top = scores.argmax(axis=1)
            total = float(scores[np.arange(length), top].mean())
            if total > best[0]:
                best = (total, "".join(ALPHABET[j] for j in top), scores)
    return best[1], best[0], best[2]


def read_band(gray: np.ndarray, lines: int) -> GlyphReading | None:
    """The MRZ in an upright band crop (gray), or None when the font is missing or no grid fits."""
    templates = _templates()
    if templates is None or gray.size == 0:
        return None
    ink = _ink(gray)
    best: GlyphReading | None = None
    for count in (lines, 5 - lines) if lines in (2, 3) else (2, 3):
        rows = _rows(ink, count)
        if not rows:
            continue
        height = max(b - a for a, b in rows)
        strips = []
        for a, b in rows:
            pad = max(0, (height - (b - a)) // 2)
            strips.append(ink[max(0, a - pad) : b + pad])
        # The lines of one zone are left-aligned and equally long, so the extent they share is tried as well
        # as each line's own (whose end may be faint fillers).
        extents = [_extent(strip) for strip in strips]
        known = [e for e in extents if e is not None]
        if not known:
            continue
        shared = (min(e[0] for e in known), max(e[1] for e in known))
        for length in _LINE_LENGTHS[count]:
            texts, scores, matrices = [], [], []
            for strip, own in zip(strips, extents, strict=True):
                text, score, matrix = max(
                    (_read_line(strip, length, templates, *extent) for extent in {shared, own or shared}),
                    key=lambda r: r[1],
                )
                texts.append(text)
                scores.append(score)
                matrices.append(matrix)
            reading = GlyphReading(tuple(texts), float(np.mean(scores)), tuple(matrices))
            if best is None or reading.score > best.score:
                best = reading
    return best
