"""Find the machine-readable zone on a page image with OpenCV alone (no OCR), cheaply enough for every page.

An MRZ is 2 or 3 lines of 30-44 monospaced OCR-B characters, every line padded to full length with `<`, so
its lines are long, equally long, parallel, evenly spaced and start at the same place. That shape is found
on a downscaled copy: black-hat morphology keeps dark strokes, a horizontal closing joins the characters of a
line into one blob, and the blobs are grouped by length, direction and spacing. Lines in any direction are
found (a card lying sideways on a scan), so the caller can turn the crop upright. Pages of ordinary text
rarely have 2-3 consecutive lines of identical length with tight spacing and the MRZ's aspect ratio; those
that do are settled by the OCR that follows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import cv2
import numpy as np

log = logging.getLogger(__name__)

WORK_SIZE = 1000  # longest side of the image the zone is searched on
_MIN_ASPECT = 7.0  # a 30-character line is ~20x as long as high; blurred or merged lines less
_MAX_GROUP = 3
# Strokes at least this long (of the image's long side) are no character's: a card filling the image has MRZ
# letters 4-5 % of its width high.
_STROKE = 0.08
_SPLIT_FILL = 0.45  # rows across a blob of several lines filled less than this (of the fullest) part them
_SPLIT_TILT = 8  # degrees off the page's axes the lines of a blob are looked for (skew, a card set down askew)


@dataclass(frozen=True, slots=True)
class Band:
    """A candidate zone: a rotated rectangle in pixels of the original image, and its line count."""

    center: tuple[float, float]
    size: tuple[float, float]  # (along the lines, across them)
    angle: float  # degrees of the line direction, counter-clockwise from the x axis, in (-90, 90]
    lines: int
    score: float


@dataclass(frozen=True, slots=True)
class _Line:
    center: np.ndarray
    length: float
    height: float
    direction: np.ndarray  # unit vector along the line


def _line_blobs(gray: np.ndarray) -> list[_Line]:
    """Elongated blobs that look like single text lines, on the downscaled page."""
    short = min(gray.shape)
    k = max(3, short // 120)
    blackhat = cv2.morphologyEx(gray, cv2.MORPH_BLACKHAT, cv2.getStructuringElement(cv2.MORPH_RECT, (4 * k, 4 * k)))
    _, mask = cv2.threshold(blackhat, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    mask = _without_rules(mask, k)
    lines: list[_Line] = []
    for angle_kernel in ((4 * k + 1, 1), (1, 4 * k + 1)):  # horizontal and vertical text
        closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, angle_kernel))
        closed = cv2.morphologyEx(closed, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (2, 2)))
        # RETR_LIST: a frame round the page (a card border) must not hide the lines inside it.
        contours, _ = cv2.findContours(closed, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
        for contour in contours:
            if len(contour) < 4:
                continue
            (cx, cy), (w, h), angle = cv2.minAreaRect(contour)
            length, height = max(w, h), min(w, h)
            if height < 3 or length < 0.12 * max(gray.shape):
                continue
            if height >= 2 * k and length / height >= _MIN_ASPECT / _MAX_GROUP - 0.5:
                parts = _split(closed, contour, ((cx, cy), (w, h), angle), gray.shape)
                if parts:  # lines joined by a mark across them (or by the closing across the lines)
                    lines.extend(parts)
                    continue
            if length / height < _MIN_ASPECT:
                continue
            # A blob the image edge cuts through lengthwise is the edge (a shadow, the scanner lid), not print.
            margin = min(cx, cy, gray.shape[1] - cx, gray.shape[0] - cy)
            if margin < 0.6 * height:
                continue
            theta = np.deg2rad(angle if w >= h else angle + 90.0)
            lines.append(
                _Line(np.array([cx, cy]), float(length), float(height), np.array([np.cos(theta), np.sin(theta)]))
            )
    return _joined(_unique(lines))


def _split(
    closed: np.ndarray,
    contour: np.ndarray,
    rect: tuple[tuple[float, float], tuple[float, float], float],
    shape: tuple[int, ...],
) -> list[_Line]:
    """The text lines of a blob that holds two or three of them, joined by a mark across them (a stamp, a pen
    stroke): rows across the blob that are mostly empty separate its lines. The lines run along the blob's
    bounding box, unless a stamp sticking out on one side tilted it by tens of degrees (`_line_direction`)."""
    (cx, cy), (w, h), angle = rect
    blob = np.zeros_like(closed)
    cv2.drawContours(blob, [contour], -1, 255, -1)
    ys, xs = np.nonzero(cv2.bitwise_and(closed, blob))
    points = np.stack([xs, ys], 1).astype(float) - (cx, cy)
    direction = _line_direction(points, angle if w >= h else angle + 90.0)
    normal = np.array([-direction[1], direction[0]])
    along, across = points @ direction, points @ normal
    rows = np.round(across - across.min()).astype(int)
    profile = np.bincount(rows)
    full = profile >= _SPLIT_FILL * profile.max()
    out: list[_Line] = []
    start = None
    for row, on in enumerate([*full, False]):
        if on and start is None:
            start = row
        elif not on and start is not None:
            picked = (rows >= start) & (rows < row)
            height = float(row - start)
            low, high = np.percentile(along[picked], (1, 99))
            length = float(high - low)
            centre = np.array([cx, cy]) + direction * (low + high) / 2 + normal * (across.min() + (start + row) / 2)
            margin = min(centre[0], centre[1], shape[1] - centre[0], shape[0] - centre[1])
            if height >= 3 and length / height >= _MIN_ASPECT and margin >= 0.6 * height:
                out.append(_Line(centre, length, height, direction))
            start = None
    return out if len(out) >= 2 else []


def _line_direction(points: np.ndarray, box_angle: float) -> np.ndarray:
    """The unit vector along the text lines of a blob's points (x, y about its centre). The bounding box's
    direction where it lies within `_SPLIT_TILT` degrees of the page's axes (the closing that joined the blob ran
    along one of them, so its lines do too, give or take a skew); a box tilted further was tilted by a mark
    sticking out of the lines, and the lines run the way, within `_SPLIT_TILT` of an axis, whose profile across
    them is sharpest (largest sum of squared row counts: lines and the gaps between them fall into rows of
    their own)."""
    off_axis = abs((box_angle + 45.0) % 90.0 - 45.0)
    if off_axis <= _SPLIT_TILT:
        theta = np.deg2rad(box_angle)
        return np.array([np.cos(theta), np.sin(theta)])
    axes = [base + tilt for base in (0.0, 90.0) for tilt in np.arange(-_SPLIT_TILT, _SPLIT_TILT + 0.5, 1.0)]
    best, best_sharpness = np.array([1.0, 0.0]), -1.0
    for degrees in axes:
        theta = np.deg2rad(degrees)
        direction = np.array([np.cos(theta), np.sin(theta)])
        across = points @ np.array([-direction[1], direction[0]])
        profile = np.bincount(np.round(across - across.min()).astype(int))
        sharpness = float(profile.astype(float) @ profile)
        if sharpness > best_sharpness:
            best, best_sharpness = direction, sharpness
    return best


def stroke_kernel(length: int, rise: int, vertical: bool) -> np.ndarray:
    """A one-pixel straight line `length` long rising `rise` pixels over it (standing upright if `vertical`),
    to open a mask with: what is left are strokes at least that long in that direction."""
    kernel = np.zeros((abs(rise) + 1, length), np.uint8)
    cv2.line(kernel, (0, 0 if rise >= 0 else -rise), (length - 1, rise if rise >= 0 else 0), 1, 1)
    return kernel.T.copy() if vertical else kernel


def _without_rules(mask: np.ndarray, k: int) -> np.ndarray:
    """The mask without long straight strokes: a frame drawn round the zone, a pen stroke along it (a few
    degrees off the lines), ruled lines, the stripes of a photographed booklet's pages. Closed with the
    characters they would join the zone's lines into one blob; no stroke of a character is this long."""
    length = max(6 * k, int(_STROKE * max(mask.shape)))
    strokes = np.zeros_like(mask)
    for vertical in (False, True):
        for rise in (0, -length // 24, length // 24, -length // 12, length // 12):
            kernel = stroke_kernel(length, rise, vertical)
            strokes = cv2.bitwise_or(strokes, cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel))
            if rise == 0 and length < 24:
                break  # too short a kernel to tell a few degrees apart
    return cv2.subtract(mask, strokes)


def _joined(lines: list[_Line]) -> list[_Line]:
    """Pieces of one text line joined: a wide gap in a line (a name followed by its fillers, glyphs with
    wide spacing) splits it into blobs that are collinear, equally high and close end to end."""
    pieces = list(lines)
    merged = True
    while merged:
        merged = False
        for i, a in enumerate(pieces):
            for j in range(i + 1, len(pieces)):
                b = pieces[j]
                if abs(float(a.direction @ b.direction)) < 0.99 or min(a.height, b.height) < 0.65 * max(
                    a.height, b.height
                ):
                    continue
                offset = b.center - a.center
                across = abs(float(offset[0] * -a.direction[1] + offset[1] * a.direction[0]))
                along = abs(float(offset @ a.direction))
                gap = along - (a.length + b.length) / 2
                if across > 0.5 * max(a.height, b.height) or gap > 2.5 * max(a.height, b.height):
                    continue
                ends = [
                    float(p @ a.direction)
                    for line in (a, b)
                    for p in (
                        line.center - line.direction * line.length / 2,
                        line.center + line.direction * line.length / 2,
                    )
                ]
                low, high = min(ends), max(ends)
                base = a.center - a.direction * float(a.center @ a.direction)
                centre = base + a.direction * (low + high) / 2
                pieces[i] = _Line(centre, high - low, max(a.height, b.height), a.direction)
                del pieces[j]
                merged = True
                break
            if merged:
                break
    return pieces


def _unique(lines: list[_Line]) -> list[_Line]:
    """The same blob found by both closings is kept once. Not a line and the block it lies in: the closing
    across the lines joins an MRZ's lines into one block as long as each of them."""
    kept: list[_Line] = []
    for line in sorted(lines, key=lambda x: -x.length):
        same = (
            np.linalg.norm(line.center - k.center) < k.height
            and abs(line.length - k.length) < k.height
            and min(line.height, k.height) > 0.6 * max(line.height, k.height)
            for k in kept
        )
        if not any(same):
            kept.append(line)
    return kept


def _compatible(a: _Line, b: _Line) -> bool:
    """Two lines of one MRZ: parallel, equally long, side by side at about one line pitch, not offset."""
    if abs(float(a.direction @ b.direction)) < 0.985:
        return False
    if abs(a.length - b.length) > 0.12 * max(a.length, b.length):
        return False
    # One font size: a page edge or a rule beside the zone is as long but not as high.
    if min(a.height, b.height) < 0.65 * max(a.height, b.height):
        return False
    offset = b.center - a.center
    along = abs(float(offset @ a.direction))
    across = abs(float(offset[0] * -a.direction[1] + offset[1] * a.direction[0]))
    height = max(a.height, b.height)
    return along < 0.08 * a.length and 0.9 * height < across < 3.2 * height


def find_bands(image: np.ndarray) -> list[Band]:
    """Candidate MRZ zones on `image` (BGR or gray), best first; empty when nothing looks like one."""
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    scale = WORK_SIZE / max(gray.shape)
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    # Sensor noise and paper grain are dark detail too: without a median they drown the lines in the mask.
    lines = _line_blobs(cv2.medianBlur(small, 3))
    bands: list[Band] = []
    used: set[int] = set()
    order = sorted(range(len(lines)), key=lambda i: -lines[i].length)
    for i in order:
        if i in used:
            continue
        group = [i]
        for j in order:
            if j not in group and j not in used and any(_compatible(lines[g], lines[j]) for g in group):
                group.append(j)
            if len(group) == _MAX_GROUP:
                break
        if len(group) < 2:
            continue
        used.update(group)
        members = [lines[g] for g in group]
        direction = members[0].direction
        if direction[0] < 0 or (abs(direction[0]) < 1e-6 and direction[1] < 0):
            direction = -direction
        normal = np.array([-direction[1], direction[0]])
        centers = np.array([m.center for m in members])
        along = centers @ direction
        across = centers @ normal
        length = max(m.length for m in members)
        height = max(m.height for m in members)
        thickness = float(across.max() - across.min()) + 1.6 * height
        mid = direction * float(along.mean()) + normal * float((across.max() + across.min()) / 2)
        angle = float(np.rad2deg(np.arctan2(direction[1], direction[0])))
        score = length * len(group) / (1 + np.std([m.length for m in members]))
        bands.append(
            Band(
                center=(float(mid[0]) / scale, float(mid[1]) / scale),
                size=((length + 1.2 * height) / scale, thickness / scale),
                angle=angle,
                lines=len(group),
                score=float(score),
            )
        )
    bands.sort(key=lambda b: -b.score)
    log.debug("MRZ candidates: %d bands from %d line blobs", len(bands), len(lines))
    return bands


def crop_band(image: np.ndarray, band: Band, *, margin: float = 0.25) -> np.ndarray:
    """The band cut out of `image`, turned so its lines run left to right (maybe upside down)."""
    width = band.size[0] * (1 + margin * 0.25)
    height = band.size[1] * (1 + margin)
    matrix = cv2.getRotationMatrix2D(band.center, band.angle, 1.0)
    matrix[0, 2] += width / 2 - band.center[0]
    matrix[1, 2] += height / 2 - band.center[1]
    return cv2.warpAffine(
        image, matrix, (round(width), round(height)), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
    )
