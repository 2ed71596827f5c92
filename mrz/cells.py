"""Cut an upright MRZ band into its character cells, the same way for reading and for training.

An MRZ is printed in one font (OCR-B) on a fixed pitch with a known number of characters per line (30, 36
or 44), and every line is padded with fillers to its full length. So a line is not segmented into
characters: its text run is found from the row profile, its ink extent from the column profile, and a grid
of N equally spaced cells is laid over it. Each cell becomes a window of fixed size, scaled by the line's
height alone (the glyph keeps its shape whatever the letter spacing of the document), centred on the cell.

`mrz.ocrb` classifies the windows; `mrz.glyphs` searches the grid's pitch and offset for the fit the
classifier is surest of; `lab.training.mrz` cuts its training windows with these very functions, so the
classifier sees at training time exactly what it sees when reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

LINE_PX = 16  # a text run (about the cap height) is scaled to this many pixels
WINDOW_H = 24  # window height: the run plus a quarter above and below
WINDOW_W = 20  # window width, centred on the cell (a glyph is ~0.7 of the run height wide, more if stretched)
_PAD = (WINDOW_H - LINE_PX) // 2


def ink(gray: np.ndarray) -> np.ndarray:
    """Dark print as values in [0, 1], the local background removed (uneven light, coloured security print)."""
    inverted = 255.0 - gray.astype(np.float32)
    size = max(3, (gray.shape[0] // 2) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
    background = cv2.morphologyEx(inverted, cv2.MORPH_OPEN, kernel)
    lifted = inverted - background
    return np.clip(lifted / max(1.0, float(np.percentile(lifted, 99.5))), 0, 1)


def rows(ink_image: np.ndarray, count: int) -> list[tuple[int, int]]:
    """The `count` text lines of the band as (top, bottom) rows: neighbouring runs of the row profile."""
    profile = ink_image.mean(axis=1)
    if not profile.size:
        return []
    # Half way between background and the strongest line: where a blurred glyph's edge is.
    low = float(np.percentile(profile, 5))
    threshold = low + 0.45 * (float(profile.max()) - low)
    above = np.concatenate(([False], profile > threshold, [False]))
    edges = np.flatnonzero(np.diff(above.astype(np.int8)))
    runs = [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=True) if b - a >= 3]
    if len(runs) < count:
        return []
    # Slivers (a shadow under a line, a rule of the security print) are no text lines: far lower than the
    # heaviest runs, which the zone's lines are among.
    heaviest = sorted(runs, key=lambda r: -float(profile[r[0] : r[1]].sum()))[:count]
    typical = float(np.median([b - a for a, b in heaviest]))
    runs = [r for r in runs if r[1] - r[0] >= 0.4 * typical]
    if len(runs) < count:
        return []

    def weight(group: list[tuple[int, int]]) -> float:
        # The zone's lines are neighbours of one height: the heaviest such group, not the heaviest runs
        # (a line of the visual zone cut by the band's edge can outweigh a line of fillers).
        heights = [b - a for a, b in group]
        ink_sum = sum(float(profile[a:b].sum()) for a, b in group)
        return ink_sum * min(heights) / max(heights)

    groups = [runs[i : i + count] for i in range(len(runs) - count + 1)]
    return max(groups, key=weight)


@dataclass(frozen=True, slots=True)
class LineStrip:
    """One text line scaled so its run is LINE_PX high, with WINDOW_H // 2 rows of context above and below
    and WINDOW_W columns of padding at either end (so cells at the edge still get whole windows)."""

    pixels: np.ndarray  # float32 (WINDOW_H, width + 2 * WINDOW_W)
    scale: float  # strip pixels per band pixel

    def to_strip(self, x: Any) -> Any:
        """A band column (or an array of them) in strip coordinates."""
        return x * self.scale + WINDOW_W

    def to_band(self, x: Any) -> Any:
        """A strip column (or an array of them) in band coordinates."""
        return (x - WINDOW_W) / self.scale

    def all_windows(self) -> np.ndarray:
        """(positions, WINDOW_H * WINDOW_W): the window starting at every strip column, so a grid search
        classifies each column once and looks its cells up (`start_of`)."""
        positions = self.pixels.shape[1] - WINDOW_W + 1
        index = np.arange(positions)[:, None] + np.arange(WINDOW_W)[None, :]
        return np.ascontiguousarray(self.pixels[:, index].transpose(1, 0, 2)).reshape(positions, -1)

    def start_of(self, left: float, pitch: float, count: int) -> np.ndarray:
        """The strip column where each cell's window starts, for a grid at band column `left`, `pitch`."""
        centres = self.to_strip(left + (np.arange(count) + 0.5) * pitch)
        return np.clip(np.rint(centres - WINDOW_W / 2).astype(int), 0, self.pixels.shape[1] - WINDOW_W)

    def windows(self, left: float, pitch: float, count: int) -> np.ndarray:
        """(count, WINDOW_H * WINDOW_W) windows of the cells of a grid starting at band column `left`
        with `pitch` band pixels per character."""
        index = self.start_of(left, pitch, count)[:, None] + np.arange(WINDOW_W)[None, :]
        cells = self.pixels[:, index]  # (WINDOW_H, count, WINDOW_W)
        return np.ascontiguousarray(cells.transpose(1, 0, 2)).reshape(count, -1)


def strip(ink_image: np.ndarray, run: tuple[int, int], zoom: float = 1.0) -> LineStrip:
    """The line of `ink_image` whose text run is `run`, scaled and padded for `LineStrip.windows`; `zoom`
    takes the run as that much higher (about its middle), for a second look at another scale."""
    middle, half = (run[0] + run[1]) / 2, max(1, run[1] - run[0]) * zoom / 2
    top, bottom = middle - half, middle + half
    scale = LINE_PX / (bottom - top)
    margin = _PAD / scale
    a = top - margin
    b = bottom + margin
    # Rows outside the band read as background.
    rows_needed = np.arange(int(np.floor(a)), int(np.ceil(b)) + 1)
    inside = (rows_needed >= 0) & (rows_needed < ink_image.shape[0])
    band = np.zeros((rows_needed.size, ink_image.shape[1]), np.float32)
    band[inside] = ink_image[rows_needed[inside]]
    width = max(1, round(ink_image.shape[1] * scale))
    scaled = cv2.resize(band, (width, WINDOW_H), interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    # Each line at its own contrast: one line of a zone may be printed fainter than the other.
    scaled = np.clip(scaled / max(0.05, float(np.percentile(scaled[_PAD:-_PAD], 99))), 0, 1)
    padded = np.pad(scaled, ((0, 0), (WINDOW_W, WINDOW_W)))
    return LineStrip(padded.astype(np.float32), scale)


def extent(strip_ink: np.ndarray) -> tuple[float, float] | None:
    """Left and right end (band columns) of the printed part of a line, from its rows in the band."""
    columns = strip_ink.mean(axis=0)
    low, high = float(np.percentile(columns, 5)), float(np.percentile(columns, 90))
    on = np.nonzero(columns > low + 0.3 * (high - low))[0]
    if not on.size:
        return None
    # The line is the longest run of columns without a gap wider than two characters (fillers are narrow
    # and some states print wide): a card edge or a stray mark beside it stays out.
    breaks = np.nonzero(np.diff(on) > max(3, 2 * strip_ink.shape[0]))[0]
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [on.size - 1]))
    longest = int(np.argmax(on[ends] - on[starts]))
    return float(on[starts[longest]]), float(on[ends[longest]] + 1)
