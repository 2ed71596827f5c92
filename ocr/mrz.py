"""Find and read the machine-readable zone (MRZ) of an identity document on a page image.

`read_mrz` is called on pages that may carry a zone, so a page without one must cost little: `mrz_locate`
looks for the zone's shape with OpenCV alone, and only the few bands that have it are read. A band is cut
out and turned so its lines run left to right; `mrz.glyphs` lays the zone's fixed character grid over it and
the trained OCR-B cell classifier (`mrz.ocrb`) gives every cell a probability per character (which also
tells upright from upside down, and drops bands where nothing fits the grid). Where those probabilities
alone settle every field (`mrz.decode`: the likeliest zone the check digits allow, every field certain)
the band is done without tesseract. Otherwise tesseract reads the upscaled crop with the MRZ alphabet as
whitelist, as it is and binarised two ways, until the cells and its readings together settle the zone; its
readings are further evidence for the decoder, weighed by how tesseract misreads OCR-B. A two-line band
that does not settle is read again one line pitch wider, as a TD1 card whose third line the localisation
missed. The reading returned carries its decoded zone (`MrzReading.decoded`), so the classifiers do not
decode it again.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import cv2
import numpy as np

from mrz.glyphs import GlyphReading, read_band
from mrz.ocrb import ALPHABET
from mrz.repair import repair
from ocr.mrz_locate import Band, crop_band, find_bands, stroke_kernel
from ocr.tesseract import recognise
from schemas.documents import BBox, MrzCell, MrzReading

log = logging.getLogger(__name__)

# The MRZ alphabet only, and no dictionaries: an MRZ line is no word of any language.
WHITELIST = "-c tessedit_char_whitelist=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789< " + (
    "-c load_system_dawg=0 -c load_freq_dawg=0"
)
LANGUAGES = "eng"
_TARGET_LINE_HEIGHT = 44  # pixels per MRZ text line in the crop handed to tesseract
_MAX_BANDS = 3
GLYPH_UPRIGHT = 0.7  # cell score above which the band is taken as upright without trying it turned
GLYPH_MRZ = 0.5  # cell score above which the cells are the reading and tesseract only further evidence
# Below this nothing on the band is OCR-B on a grid and tesseract is not asked (see `tests/mrz/test_reader`).
GLYPH_NOT_MRZ = 0.2
# Below this the cells fit the band so poorly that a stroke across it may be why: it is read again with
# strokes painted over (a band read well but not settled, by a doubtful name letter, gains nothing by it, and
# the second reading costs as much as the first, ~0.3 CPU-s)
GLYPH_STRUCK = 0.9
_GLYPH_LINE_HEIGHT = 40
_LINE_LENGTHS = (30, 36, 44)
_CELL_OPTIONS = 6  # likeliest characters kept per cell
_TD1_WIDEN = 1.9  # a two-line band widened to hold a third line on either side
_ZONE_LINE = re.compile(r"[A-Z0-9<]{20,}")
# A straight stroke at least this many line pitches long is no character's (OCR-B's longest bar is under half
# a pitch): a pen stroke or a rule across the zone. Looked for up to a slope of 1 in 6 either way.
_STROKE_PITCHES = 1.6
_STROKE_SLOPES = 8
# A pen line or a frame runs across most of the zone (tuning family `stamped`: 74-99 % of the band's width);
# strokes along a tenth of it are rules and underlines of the print beside it, not worth a second reading.
_STROKE_SPAN = 0.5


def _prepared(crop: np.ndarray, lines: int) -> np.ndarray:
    gray = crop if crop.ndim == 2 else cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    factor = _TARGET_LINE_HEIGHT * lines * 1.25 / max(1, gray.shape[0])
    if abs(factor - 1) > 0.1:
        gray = cv2.resize(
            gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC if factor > 1 else cv2.INTER_AREA
        )
    return cv2.copyMakeBorder(gray, 12, 12, 12, 12, cv2.BORDER_REPLICATE)


def _binarisations(gray: np.ndarray) -> list[np.ndarray]:
    """Other looks at the same crop: Otsu after a light blur, and a local threshold for uneven light."""
    blurred = cv2.GaussianBlur(gray, (3, 3), 0)
    _, otsu = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    block = max(15, (gray.shape[0] // 4) | 1)
    adaptive = cv2.adaptiveThreshold(blurred, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, 15)
    return [otsu, adaptive]


def without_strokes(gray: np.ndarray, lines: int) -> np.ndarray | None:
    """The band crop (gray, lines running left to right) with long straight strokes across it painted over
    from their surroundings: a pen line drawn through the zone joins its characters into shapes neither the
    cell classifier nor tesseract can read. None when the crop holds no such stroke across at least
    `_STROKE_SPAN` of its width."""
    pitch = max(4, round(gray.shape[0] / (lines * 1.25)))
    dark = cv2.morphologyEx(gray, cv2.MORPH_BLACKHAT, cv2.getStructuringElement(cv2.MORPH_RECT, (pitch, pitch)))
    _, mask = cv2.threshold(dark, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    length = round(_STROKE_PITCHES * pitch)
    strokes = np.zeros_like(mask)
    for rise in np.linspace(-length / 6, length / 6, 2 * _STROKE_SLOPES + 1).round().astype(int):
        strokes = cv2.bitwise_or(
            strokes, cv2.morphologyEx(mask, cv2.MORPH_OPEN, stroke_kernel(length, int(rise), False))
        )
    if (strokes.max(axis=0) > 0).mean() < _STROKE_SPAN:
        return None  # a rule or an underline beside the print, not a stroke across the zone
    strokes = cv2.dilate(strokes, np.ones((3, 3), np.uint8))  # the stroke's anti-aliased edge too
    return cv2.inpaint(gray, strokes, 3, cv2.INPAINT_TELEA)


def _read(image: np.ndarray, timeout: float) -> tuple[tuple[str, ...], float]:
    """The zone-like lines tesseract reads on `image`, and their mean confidence."""
    result = recognise(image, languages=LANGUAGES, psm=6, extra_config=WHITELIST, timeout=timeout, purpose="mrz")
    rows: dict[tuple[int, int, int], list[str]] = {}
    confidences: list[float] = []
    for word in result.words:
        rows.setdefault((word.block, word.paragraph, word.line), []).append(word.text)
        confidences.append(word.confidence)
    lines = tuple(line for line in ("".join(parts) for parts in rows.values()) if _ZONE_LINE.fullmatch(line))
    return lines, (sum(confidences) / len(confidences) if confidences else 0.0)


def text_readings(gray: np.ndarray, lines: int, timeout: float) -> list[tuple[str, ...]]:
    """Tesseract's three readings of an upright band crop (as it is, Otsu, local threshold), as the
    reader makes them; `lab.training.mrz` measures tesseract's confusions on them."""
    prepared = _prepared(gray, lines)
    deadline = time.monotonic() + timeout
    return [_read(image, max(1.0, deadline - time.monotonic()))[0] for image in (prepared, *_binarisations(prepared))]


def _zone_like(lines: tuple[str, ...]) -> float:
    """How much `lines` look like an MRZ (0 = not at all): full-length lines with fillers."""
    if len(lines) < 2:
        return 0.0
    score = 0.0
    for line in lines[-3:]:
        nearest = min(_LINE_LENGTHS, key=lambda n: abs(n - len(line)))
        score += max(0.0, 1 - abs(nearest - len(line)) / 6) + min(1.0, line.count("<") / 4)
    return score / min(3, len(lines))


def _td1_half(lines: tuple[str, ...]) -> bool:
    """Two lines read, one about TD1's 30 characters long and none longer (a name line may lose fillers)."""
    return len(lines) == 2 and any(abs(len(line) - 30) <= 3 for line in lines) and max(map(len, lines)) <= 33


def _band_bbox(band: Band, width: int, height: int) -> BBox:
    box = cv2.boxPoints((band.center, band.size, band.angle))
    x0, y0 = box.min(axis=0)
    x1, y1 = box.max(axis=0)
    return BBox.from_pixels(float(x0), float(y0), float(x1), float(y1), width, height)


def _glyph_readings(gray: np.ndarray, lines: int) -> tuple[list[GlyphReading], bool]:
    """The cell classifier's readings of the band (best grid first) and whether it is upside down."""
    # The cells are classified at 16 pixels a line: a full-resolution crop only costs time.
    factor = _GLYPH_LINE_HEIGHT * lines * 1.6 / max(1, gray.shape[0])
    if factor < 1:
        gray = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    scale = min(1.0, factor)

    def at_full_size(readings: list[GlyphReading]) -> list[GlyphReading]:
        # The text height in pixels of the page: what tesseract, reading the crop, had to work with.
        return [dataclasses.replace(r, line_height=r.line_height / scale) for r in readings]

    upright = at_full_size(read_band(gray, lines))
    if upright and upright[0].score >= GLYPH_UPRIGHT:
        return upright, False
    turned = at_full_size(read_band(cv2.rotate(gray, cv2.ROTATE_180), lines))
    if turned and (not upright or turned[0].score > upright[0].score):
        return turned, True
    return upright, False


def _cells(reading: GlyphReading) -> tuple[tuple[MrzCell, ...], ...]:
    """The likeliest characters of every cell with their probabilities, for `mrz.decode`."""
    out = []
    for line in reading.scores:
        order = np.argsort(-line, axis=1)[:, :_CELL_OPTIONS]
        out.append(
            tuple(
                MrzCell(
                    chars="".join(ALPHABET[k] for k in ranks),
                    probabilities=tuple(round(float(line[j, k]), 5) for k in ranks),
                )
                for j, ranks in enumerate(order)
            )
        )
    return tuple(out)


def _tesseract_readings(
    crop: np.ndarray, lines: int, turn: bool | None, deadline: float, enough: Callable[[list[tuple[str, ...]]], bool]
) -> list[tuple[str, ...]]:
    """Tesseract's readings of the band: as it is, then (unless `enough` says those so far settle the zone)
    binarised two ways. `turn` None: find out which way up the band is."""
    readings: list[tuple[str, ...]] = []
    prepared: np.ndarray | None = None
    best_score = -1.0
    for flip in (False, True) if turn is None else (turn,):
        candidate = _prepared(cv2.rotate(crop, cv2.ROTATE_180) if flip else crop, lines)
        found, _ = _read(candidate, max(1.0, deadline - time.monotonic()))
        score = _zone_like(found)
        if score > best_score:
            best_score, prepared, readings = score, candidate, [found]
        if score >= 1.6:  # clearly an upright zone: no need to look upside down
            break
    if prepared is None or best_score < 1.0:
        return []
    if enough(readings):
        return readings
    for variant in _binarisations(prepared):
        if time.monotonic() > deadline:
            break
        other, _ = _read(variant, max(1.0, deadline - time.monotonic()))
        if other:
            readings.append(other)
            if enough(readings):
                break
    return readings


@dataclass
class ZoneLooks:
    """What looking for a zone on one page image found, kept for the next look at the same image: the reader
    looks with the cell classifier alone before its first pass (`glyphs_only`) and, where the cells did not
    settle the zone, again with tesseract; the second look finds the same bands on the same pixels and reads the
    same cells (0.1-0.15 CPU-s of a passport or card page). Another image (the page turned, cleaned) starts afresh."""

    image: np.ndarray | None = None
    bands: list[Band] | None = None
    cells: dict[Band, tuple[np.ndarray, list[GlyphReading], bool]] = field(default_factory=dict)

    def of(self, image: np.ndarray) -> ZoneLooks:
        """These looks, if they were at `image` (the same array); else emptied for it."""
        if self.image is not image:
            self.image, self.bands, self.cells = image, None, {}
        return self

    def band_cells(self, band: Band) -> tuple[np.ndarray, list[GlyphReading], bool]:
        """The band cut out of the image, the cell classifier's readings of it and whether it is upside down;
        the band with a stroke across it painted over where the cells fit that better (`_struck_out`)."""
        if band not in self.cells:
            assert self.image is not None
            crop = crop_band(self.image, band)
            gray = crop if crop.ndim == 2 else cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
            height, width = self.image.shape[:2]
            bbox = _band_bbox(band, width, height)
            self.cells[band] = _struck_out(crop, gray, band.lines, bbox, *_glyph_readings(gray, band.lines))
        return self.cells[band]

    def upside_down(self, zone: MrzReading) -> bool | None:
        """Whether the cell classifier read the band of `zone` (a reading of these looks) upside down; None
        where no band it read is the zone's. The glyphs of the zone say which way up it lies, where the zone's
        place on its document cannot: a card's back copied above its front has its zone in the upper half of
        the sheet's ink."""
        if self.image is None or zone.bbox is None:
            return None
        height, width = self.image.shape[:2]
        for band, (_, glyphs, turned) in self.cells.items():
            if glyphs and _band_bbox(band, width, height) == zone.bbox:
                return turned
        return None


def _struck_out(
    crop: np.ndarray, gray: np.ndarray, lines: int, bbox: BBox, glyphs: list[GlyphReading], turned: bool
) -> tuple[np.ndarray, list[GlyphReading], bool]:
    """A band the cells fit poorly and do not settle, read again with a pen stroke or a frame across it
    painted over (`without_strokes`): that crop and its readings where the cells fit it better (tesseract
    then reads it too), else the band as it was."""
    if (glyphs and glyphs[0].score >= GLYPH_STRUCK) or any(
        _parse(_glyphs_alone(g, bbox)).trusted for g in glyphs if g.score >= GLYPH_MRZ
    ):
        return crop, glyphs, turned
    cleaned = without_strokes(gray, lines)
    if cleaned is None:
        return crop, glyphs, turned
    again, flipped = _glyph_readings(cleaned, lines)
    if again and (not glyphs or again[0].score > glyphs[0].score):
        return cleaned, again, flipped
    return crop, glyphs, turned


def _read_band(
    image: np.ndarray, band: Band, deadline: float, looks: ZoneLooks, glyphs_only: bool = False
) -> MrzReading | None:
    crop, glyphs, turned = looks.of(image).band_cells(band)
    height, width = image.shape[:2]
    bbox = _band_bbox(band, width, height)
    if glyphs and glyphs[0].score < GLYPH_NOT_MRZ:
        return None  # nothing on the band is OCR-B on a grid: ordinary text or a picture
    cells: tuple[tuple[MrzCell, ...], ...] = ()
    turn: bool | None = None
    reading: GlyphReading | None = None
    if glyphs and glyphs[0].score >= GLYPH_MRZ:
        turn = turned
        # The best grid, unless the check digits prove a shifted one is the zone's.
        fallback: tuple[GlyphReading, tuple[tuple[MrzCell, ...], ...]] | None = None
        for g in (g for g in glyphs if g.score >= GLYPH_MRZ):
            alone = _glyphs_alone(g, bbox)
            c = alone.cells
            parsed = _parse(alone)
            if parsed.trusted:
                return alone  # the cells alone settle every field: tesseract could only agree
            if fallback is None or (parsed.valid and not _parse(_as_reading(*fallback)).valid):
                fallback = (g, c)
        if fallback is not None:
            reading, cells = fallback

    def enough(found: list[tuple[str, ...]]) -> bool:
        """The readings so far settle the zone: with the cells, every field certain; without them, never
        (text readings alone are combined once all are in)."""
        if not cells or reading is None:
            return False
        return _parse(_as_reading(reading, cells, tuple(found))).trusted

    texts = [] if glyphs_only else _tesseract_readings(crop, band.lines, turn, deadline, enough)
    if reading is None and not texts:
        return None
    if reading is None:
        return MrzReading(lines=texts[0], bbox=bbox, confidence=0.5, alternatives=tuple(texts[1:]))
    return _as_reading(reading, cells, tuple(texts), bbox)


def _glyphs_alone(glyphs: GlyphReading, bbox: BBox) -> MrzReading:
    """The cell classifier's reading of a band as a zone reading of its own (no tesseract readings)."""
    return _as_reading(glyphs, _cells(glyphs), (), bbox)


def _as_reading(
    glyphs: GlyphReading,
    cells: tuple[tuple[MrzCell, ...], ...],
    texts: tuple[tuple[str, ...], ...] = (),
    bbox: BBox | None = None,
) -> MrzReading:
    return MrzReading(
        lines=glyphs.lines,
        bbox=bbox,
        confidence=max(0.0, min(1.0, glyphs.score)),
        alternatives=texts,
        cells=cells,
        line_height=glyphs.line_height,
    )


# One zone is asked again and again whether it settles (by its grid candidates, by each tesseract reading,
# by the comparison of bands): each reading is decoded once.
_parse = lru_cache(maxsize=64)(repair)


def _rank(reading: MrzReading | None) -> tuple[bool, bool, float]:
    """Readings compared: trusted first, then check-digit valid, then the cell classifier's score."""
    if reading is None:
        return (False, False, -1.0)
    parsed = _parse(reading)
    return (parsed.trusted, parsed.valid, reading.confidence)


def _read_zone(
    image: np.ndarray, band: Band, deadline: float, looks: ZoneLooks, glyphs_only: bool = False
) -> MrzReading | None:
    """The band's reading; a two-line band that does not settle is also read one line pitch wider on either
    side, as a TD1 zone whose name line (few letters, faint fillers) the localisation did not join to the
    other two looks like two lines of 30."""
    reading = _read_band(image, band, deadline, looks, glyphs_only)
    if band.lines != 2 or time.monotonic() > deadline or _rank(reading)[0]:
        return reading
    if reading is not None and not reading.cells and not _td1_half(reading.lines):
        return reading  # tesseract read lines of 36 or 44: no TD1 card
    wider = Band(band.center, (band.size[0], band.size[1] * _TD1_WIDEN), band.angle, 3, band.score)
    retry = _read_band(image, wider, deadline, looks, glyphs_only)
    return retry if _rank(retry) > _rank(reading) else reading


def read_mrz(
    image: np.ndarray, *, timeout: float, glyphs_only: bool = False, looks: ZoneLooks | None = None
) -> MrzReading | None:
    """The MRZ on `image` (BGR or gray, upright page or card photo) with its decoded zone, or None when there
    is none.

    `timeout` bounds the whole call (every tesseract run inside it shares it). `glyphs_only`: the cell
    classifier alone, no tesseract (the reader's look for a zone before a page's first full pass). `looks`: what
    an earlier call found on the same image, reused (and what this one finds, kept for the next).
    """
    reading = _best_zone(image, time.monotonic() + timeout, (looks or ZoneLooks()).of(image), glyphs_only)
    if reading is None:
        return None
    # Ranking the readings decoded this one already (`_parse` keeps it): it travels with the reading.
    return reading.model_copy(update={"decoded": _parse(reading).decoded()})


def _best_zone(image: np.ndarray, deadline: float, looks: ZoneLooks, glyphs_only: bool = False) -> MrzReading | None:
    """The best reading of the bands that look like a zone: the first trusted one, else the best ranked."""
    best: MrzReading | None = None
    if looks.bands is None:
        looks.bands = find_bands(image)
    for band in looks.bands[:_MAX_BANDS]:
        if time.monotonic() > deadline:
            break
        reading = _read_zone(image, band, deadline, looks, glyphs_only)
        if reading is None:
            continue
        if _rank(reading)[0]:
            return reading
        # A zone that verifies beats one that does not; the first zone found wins a tie (bands come best first).
        if best is None or _rank(reading)[:2] > _rank(best)[:2]:
            best = reading
        if _rank(best)[1]:
            break
    return best
