"""Read an MRZ band with the trained OCR-B cell classifier on the zone's fixed character grid.

An MRZ is printed in one font (OCR-B, ISO 1073-2) on a fixed pitch, with a known number of characters per
line (30, 36 or 44). So instead of segmenting characters, the reader classifies a window at every column of
each line once (`ocr.mrz_cells`, `ocr.mrz_ocrb`) and then searches the grid of N cells (pitch and offset)
on which the classifier is surest that every cell holds a character. A misfitted grid puts cells between
characters, which the classifier calls "no character"; ordinary print is "no character" too, so the
reading's score also says whether the band is an MRZ at all. It works where tesseract fails: tiny card
photos with 5-pixel characters, and fillers (`<`) that tesseract's LSTM turns into `K`.

The per-cell probabilities are kept: `classifiers.mrz_decode` chooses, field by field, the most probable
value that the field's kind and check digit allow.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ocr.mrz_cells import WINDOW_W, LineStrip, extent, ink, rows, strip
from ocr.mrz_ocrb import ALPHABET, OcrbModel, shipped_model

log = logging.getLogger(__name__)

FONT_PATHS = (
    Path("/usr/share/fonts/opentype/ocr-b/OCRB.otf"),
    Path("/usr/share/fonts/truetype/ocr-b/OCRB.ttf"),
    Path("/usr/local/share/fonts/OCRB.otf"),
)
_LINE_LENGTHS = {2: (36, 44), 3: (30,)}
_PITCH_STEPS = np.linspace(0.93, 1.07, 29)
_OFFSET_STEPS = np.linspace(-2.5, 2.5, 101)  # zone offsets tried, in characters (the extent may be off)
_LINE_SLACK = 0.3  # characters a line's grid may sit off the zone's
_FLOOR = 1e-4  # probabilities below this count as this in the grid score (one blot must not veto a grid)


@dataclass(frozen=True, slots=True)
class GlyphReading:
    lines: tuple[str, ...]  # most probable character per cell, unconstrained
    score: float  # mean probability of the best character per cell (about 0.9 on clean print, low on no MRZ)
    scores: tuple[np.ndarray, ...]  # per line: (cells, 37) probabilities over ALPHABET, for decode()

    def decode(self, allowed: list[list[str]]) -> tuple[str, ...]:
        """The most probable character per cell among those `allowed[line][cell]` (the field's kind)."""
        out = []
        for line_scores, line_allowed in zip(self.scores, allowed, strict=True):
            chars = []
            for cell_scores, chars_allowed in zip(line_scores, line_allowed, strict=True):
                indices = [ALPHABET.index(c) for c in chars_allowed]
                chars.append(ALPHABET[max(indices, key=lambda i: cell_scores[i])])
            out.append("".join(chars))
        return tuple(out)


def _grid_scores(line: LineStrip, table: np.ndarray, length: int, lefts: np.ndarray, pitch: float) -> np.ndarray:
    """The mean log probability of the best character per cell, for a grid of `length` cells at each of
    `lefts` (band columns) with `pitch`. `table`: class probabilities of the window at every strip column."""
    centres = line.to_strip(lefts[:, None] + (np.arange(length)[None, :] + 0.5) * pitch)
    starts = np.clip(np.rint(centres - WINDOW_W / 2).astype(int), 0, table.shape[0] - 1)
    top = table[starts, : len(ALPHABET)].max(axis=2)
    return np.log(np.maximum(top, _FLOOR)).mean(axis=1)


def _fit_zone(strips: list[LineStrip], tables: list[np.ndarray], length: int, left: float, right: float
              ) -> list[tuple[float, float]]:  # fmt: skip
    """(left, pitch) of every line's grid: one pitch for the zone (its lines are printed alike), and an
    offset per line within a third of a character of the zone's (a slight skew moves lines apart)."""
    # The ink runs from the first glyph's left edge to the last glyph's right edge: about length - 0.3
    # pitches, the glyphs being ~0.7 of a pitch wide and centred in their cells.
    base = (right - left) / (length - 0.3)
    steps = _OFFSET_STEPS
    slack = int(round(_LINE_SLACK / (steps[1] - steps[0])))
    best: tuple[float, list[tuple[float, float]]] = (-np.inf, [])
    for factor in _PITCH_STEPS:
        pitch = base * factor
        lefts = left - 0.15 * pitch + steps * pitch
        surfaces = [_grid_scores(s, t, length, lefts, pitch) for s, t in zip(strips, tables, strict=True)]
        # Each line's best score within the slack around every zone offset.
        padded = [np.pad(v, slack, constant_values=-np.inf) for v in surfaces]
        windows = [np.lib.stride_tricks.sliding_window_view(v, 2 * slack + 1) for v in padded]
        total = sum(w.max(axis=1) for w in windows)
        at = int(np.argmax(total))
        if float(total[at]) > best[0]:
            grid = []
            for w in windows:
                own = at - slack + int(np.argmax(w[at]))
                grid.append((float(lefts[own]), pitch))
            best = (float(total[at]), grid)
    return best[1]


def read_band(gray: np.ndarray, lines: int, model: OcrbModel | None = None) -> GlyphReading | None:
    """The MRZ in an upright band crop (gray), or None when no grid of MRZ lines fits."""
    if gray.size == 0:
        return None
    model = model or shipped_model()
    image = ink(gray)
    best: GlyphReading | None = None
    for count in (lines, 5 - lines) if lines in (2, 3) else (2, 3):
        runs = rows(image, count)
        if not runs:
            continue
        extents = [e for e in (extent(image[a:b]) for a, b in runs) if e is not None]
        if not extents:
            continue
        # The lines of one zone are left-aligned and equally long: the median line's extent (one line
        # may end in faint fillers, another have a mark beside it).
        left = float(np.median([e[0] for e in extents]))
        right = float(np.median([e[1] for e in extents]))
        strips = [strip(image, run) for run in runs]
        tables = [model.probabilities(s.all_windows()) for s in strips]
        for length in _LINE_LENGTHS[count]:
            grid = _fit_zone(strips, tables, length, left, right)
            texts, scores, matrices = [], [], []
            for s, table, (line_left, pitch) in zip(strips, tables, grid, strict=True):
                cells = table[s.start_of(line_left, pitch, length), : len(ALPHABET)]
                texts.append("".join(ALPHABET[i] for i in cells.argmax(axis=1)))
                scores.append(float(cells.max(axis=1).mean()))
                matrices.append(cells)
            reading = GlyphReading(tuple(texts), float(np.mean(scores)), tuple(matrices))
            if best is None or reading.score > best.score:
                best = reading
    return best
