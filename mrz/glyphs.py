"""Read an MRZ band with the trained OCR-B cell classifier on the zone's fixed character grid.

An MRZ is printed in one font (OCR-B, ISO 1073-2) on a fixed pitch, with a known number of characters per
line (30, 36 or 44). So instead of segmenting characters, the reader classifies a window at every column of
each line once (`mrz.cells`, `mrz.ocrb`) and then searches the grid of N cells (pitch and offset)
on which the classifier is surest that every cell holds a character. A misfitted grid puts cells between
characters, which the classifier calls "no character"; ordinary print is "no character" too, so the
reading's score also says whether the band is an MRZ at all. It works where tesseract fails: tiny card
photos with 5-pixel characters, and fillers (`<`) that tesseract's LSTM turns into `K`.

The per-cell probabilities are kept: `mrz.decode` chooses, field by field, the most probable
value that the field's kind and check digit allow.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from mrz.cells import WINDOW_W, LineStrip, extent, ink, rows, strip
from mrz.ocrb import ALPHABET, NOT_A_CHARACTER, OcrbModel, shipped_model

log = logging.getLogger(__name__)

_LINE_LENGTHS = {2: (36, 44), 3: (30,)}
_PITCH_STEPS = np.linspace(0.93, 1.07, 29)
_OFFSET_STEPS = np.linspace(-1.5, 1.5, 61)  # zone offsets tried around a guess, in characters
_LINE_SLACK = 0.3  # characters a line's grid may sit off the zone's
_SHIFTS = (-2, -1, 1, 2)  # characters the best grid is also read shifted by
_ZOOMS = (1.0, 0.9, 1.1)  # looks at each line, as high as its text run measured and a tenth off either way
# A reading this sure on the line count the localisation gave is not read again as the other count (a third of
# the cell classifier's time on a passport; a miscounted band's best grid scores far lower).
SURE_COUNT = 0.8
_FLOOR = 1e-4  # probabilities below this count as this in the grid score (one blot must not veto a grid)


@dataclass(frozen=True, slots=True)
class GlyphReading:
    lines: tuple[str, ...]  # most probable character per cell, unconstrained
    score: float  # mean probability of the best character per cell (about 0.9 on clean print, low on no MRZ)
    scores: tuple[np.ndarray, ...]  # per line: (cells, 37) probabilities over ALPHABET, for decode()
    line_height: float = 0.0  # the lines' text height in pixels of the band read


def _grid_scores(line: LineStrip, table: np.ndarray, length: int, lefts: np.ndarray, pitch: float) -> np.ndarray:
    """The mean log probability of the best character per cell, for a grid of `length` cells at each of
    `lefts` (band columns) with `pitch`. `table`: class probabilities of the window at every strip column."""
    centres = line.to_strip(lefts[:, None] + (np.arange(length)[None, :] + 0.5) * pitch)
    starts = np.clip(np.rint(centres - WINDOW_W / 2).astype(int), 0, table.shape[0] - 1)
    top = table[starts, : len(ALPHABET)].max(axis=2)
    return np.log(np.maximum(top, _FLOOR)).mean(axis=1)


@dataclass(frozen=True, slots=True)
class _Guess:
    """Where a zone's grid may start (band column of the first cell's left edge) and its pitch."""

    left: float
    pitch: float


def _ink_guess(image: np.ndarray, runs: list[tuple[int, int]], length: int) -> _Guess | None:
    """From the lines' ink extent: the ink runs from the first glyph's left edge to the last glyph's right
    edge, about length - 0.3 pitches (glyphs are ~0.7 of a pitch wide and centred in their cells). A frame
    printed round the zone or a card edge beside it makes this too wide."""
    extents = [e for e in (extent(image[a:b]) for a, b in runs) if e is not None]
    if not extents:
        return None
    # The lines of one zone are left-aligned and equally long: the median line's extent (one line may end
    # in faint fillers, another have a mark beside it).
    left = float(np.median([e[0] for e in extents]))
    right = float(np.median([e[1] for e in extents]))
    pitch = (right - left) / (length - 0.3)
    return _Guess(left - 0.15 * pitch, pitch)


def _character_guess(strips: list[LineStrip], tables: list[np.ndarray], length: int) -> _Guess | None:
    """From where the classifier sees characters at all: the first and last window that is surely some
    character are the centres of the first and last cell (frames, edges and background are "no character")."""
    firsts, lasts = [], []
    for line, table in zip(strips, tables, strict=True):
        surely = table[:, NOT_A_CHARACTER] < 0.2
        # Three neighbouring windows at least: a lone blip is a speck, not a glyph.
        steady = np.convolve(surely.astype(np.int8), np.ones(3, np.int8), mode="same") == 3
        on = np.flatnonzero(steady)
        if on.size < 2:
            continue
        # The first and last run of windows on a glyph: their middles are the glyphs' centres.
        runs = np.split(on, np.flatnonzero(np.diff(on) > 1) + 1)
        firsts.append(line.to_band(float(runs[0].mean()) + WINDOW_W / 2))
        lasts.append(line.to_band(float(runs[-1].mean()) + WINDOW_W / 2))
    if not firsts:
        return None
    first, last = float(np.median(firsts)), float(np.median(lasts))
    pitch = (last - first) / (length - 1)
    return _Guess(first - 0.5 * pitch, pitch) if pitch > 0 else None


def _fit_zone(strips: list[LineStrip], tables: list[np.ndarray], length: int, guesses: list[_Guess]
              ) -> tuple[float, list[tuple[float, float]]]:  # fmt: skip
    """The zone's grid the classifier is surest of, searched around each guess: one pitch for the zone (its
    lines are printed alike) and an offset per line within a third of a character of the zone's (a slight
    skew moves lines apart). Returns the score and (left, pitch) of every line's grid."""
    steps = _OFFSET_STEPS
    slack = round(_LINE_SLACK / (steps[1] - steps[0]))
    best: tuple[float, list[tuple[float, float]]] = (-np.inf, [])
    for guess in guesses:
        for factor in _PITCH_STEPS:
            pitch = guess.pitch * factor
            lefts = guess.left + steps * pitch
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
    return best


def read_band(gray: np.ndarray, lines: int, model: OcrbModel | None = None) -> list[GlyphReading]:
    """Readings of the MRZ in an upright band crop (gray): the grid the classifier is surest of first, then
    the same grid shifted by a character or two; empty when no grid of MRZ lines fits."""
    if gray.size == 0:
        return []
    model = model or shipped_model()
    image = ink(gray)
    best: list[GlyphReading] = []
    for count in (lines, 5 - lines) if lines in (2, 3) else (2, 3):
        if best and best[0].score >= SURE_COUNT:
            break  # the band holds the lines the localisation counted: another count cannot fit better
        runs = rows(image, count)
        if not runs:
            continue
        strips = [strip(image, run) for run in runs]
        tables = [_looks(model, image, run, s) for run, s in zip(runs, strips, strict=True)]
        for length in _LINE_LENGTHS[count]:
            guesses = [g for g in (_ink_guess(image, runs, length), _character_guess(strips, tables, length)) if g]
            if not guesses:
                continue
            _, grid = _fit_zone(strips, tables, length, guesses)
            height = float(np.median([b - a for a, b in runs]))
            reading = _reading(strips, tables, grid, length, height)
            if best and reading.score <= best[0].score:
                continue
            # The same grid a character or two to either side: a frame line or a mark beside the zone can
            # look like a 1 or an I, and only the check digits then tell which grid is the zone's.
            shifted = [
                _reading(strips, tables, [(left + k * pitch, pitch) for left, pitch in grid], length, height)
                for k in _SHIFTS
            ]
            best = [reading, *sorted(shifted, key=lambda r: -r.score)]
    return best or []


def _looks(model: OcrbModel, image: np.ndarray, run: tuple[int, int], base: LineStrip) -> np.ndarray:
    """Class probabilities of the window at every column of `base`, averaged over looks at the line taken
    slightly higher and lower than its text run: where the run was measured is what varies most between
    real print and the rendered zones the classifier learnt from, and one look's slips are seldom another's."""
    tables = []
    centres = base.to_band(np.arange(base.pixels.shape[1] - WINDOW_W + 1) + WINDOW_W / 2)
    for zoom in _ZOOMS:
        look = base if zoom == 1.0 else strip(image, run, zoom)
        table = model.probabilities(look.all_windows())
        starts = np.clip(np.rint(look.to_strip(centres) - WINDOW_W / 2).astype(int), 0, table.shape[0] - 1)
        tables.append(table[starts])
    return np.mean(tables, axis=0)


def _reading(strips: list[LineStrip], tables: list[np.ndarray], grid: list[tuple[float, float]], length: int,
             height: float) -> GlyphReading:  # fmt: skip
    texts, scores, matrices = [], [], []
    for s, table, (line_left, pitch) in zip(strips, tables, grid, strict=True):
        cells = table[s.start_of(line_left, pitch, length), : len(ALPHABET)]
        texts.append("".join(ALPHABET[i] for i in cells.argmax(axis=1)))
        scores.append(float(cells.max(axis=1).mean()))
        matrices.append(cells)
    return GlyphReading(tuple(texts), float(np.mean(scores)), tuple(matrices), height)
