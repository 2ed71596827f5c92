"""Find and read the machine-readable zone (MRZ) of an identity document on a page image.

`read_mrz` is called on every page, so a page without an MRZ must cost little: `mrz_locate` looks for the
zone's shape with OpenCV alone, and only the few bands that have it are read. A band is cut out and turned
so its lines run left to right; `mrz_glyphs` matches OCR-B templates on the zone's fixed grid (which also
tells upright from upside down, and drops bands where nothing fits the grid); tesseract then reads the
upscaled crop with the MRZ alphabet as whitelist. Tesseract's reading leads and the template reading is an
alternative (tesseract is better at letters, the templates at fillers and digits); two further binarisations
are read unless those two already settle the zone (`MrzParse.trusted`: every check digit holds and they agree
on what no check digit proves). A two-line band read as lines of 30 is a TD1 card whose third line the
localisation missed: it is read again one line pitch wider. `classifiers.mrz.repair` then takes from
the readings what the check digits prove. Asking `classifiers.mrz` (pure functions on strings) whether a
reading verifies is the one place this room looks into `classifiers/`.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable

import cv2
import numpy as np

from classifiers.mrz import repair
from classifiers.mrz_layout import ALLOWED, kinds_of, layout_for
from ocr.mrz_glyphs import GlyphReading, read_band
from ocr.mrz_locate import Band, crop_band, find_bands
from ocr.tesseract import recognise
from schemas.documents import BBox, MrzReading

log = logging.getLogger(__name__)

# The MRZ alphabet only, and no dictionaries: an MRZ line is no word of any language.
WHITELIST = "-c tessedit_char_whitelist=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789< " + (
    "-c load_system_dawg=0 -c load_freq_dawg=0"
)
LANGUAGES = "eng"
_TARGET_LINE_HEIGHT = 44  # pixels per MRZ text line in the crop handed to tesseract
_MAX_BANDS = 3
GLYPH_UPRIGHT = 0.7  # template score above which the band is taken as upright without trying it turned
GLYPH_MRZ = 0.6  # template score above which the band is an MRZ read by the templates
# Below this nothing on the band is OCR-B on a grid and tesseract is not asked. Measured: bands of ordinary
# text on generated certificates score 0.26-0.33, but real worn specimens the templates fail on score
# 0.21-0.36, so the cut is low and tesseract's own check (`_zone_like`) keeps text pages out.
GLYPH_NOT_MRZ = 0.2
_GLYPH_LINE_HEIGHT = 40
_LINE_LENGTHS = (30, 36, 44)
_TD1_WIDEN = 1.9  # a two-line band widened to hold a third line on either side
_ZONE_LINE = re.compile(r"[A-Z0-9<]{20,}")


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


def _read(image: np.ndarray, timeout: float) -> tuple[tuple[str, ...], float]:
    """The zone-like lines tesseract reads on `image`, and their mean confidence."""
    result = recognise(image, languages=LANGUAGES, psm=6, extra_config=WHITELIST, timeout=timeout)
    rows: dict[tuple[int, int, int], list[str]] = {}
    confidences: list[float] = []
    for word in result.words:
        rows.setdefault((word.block, word.paragraph, word.line), []).append(word.text)
        confidences.append(word.confidence)
    lines = tuple(line for line in ("".join(parts) for parts in rows.values()) if _ZONE_LINE.fullmatch(line))
    return lines, (sum(confidences) / len(confidences) if confidences else 0.0)


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


def _glyph_reading(gray: np.ndarray, lines: int) -> tuple[GlyphReading, bool] | None:
    """The template reading of the band and whether it is upside down; None without the OCR-B font."""
    # The templates are compared at 20 pixels a line: a full-resolution crop only costs time.
    factor = _GLYPH_LINE_HEIGHT * lines * 1.6 / max(1, gray.shape[0])
    if factor < 1:
        gray = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    upright = read_band(gray, lines)
    if upright is None:
        return None
    if upright.score >= GLYPH_UPRIGHT:
        return upright, False
    turned = read_band(cv2.rotate(gray, cv2.ROTATE_180), lines)
    if turned is not None and turned.score > upright.score:
        return turned, True
    return upright, False


def _constrained(reading: GlyphReading) -> tuple[str, ...]:
    """The template reading decoded with each column's kind (digits in dates, letters in names ...)."""
    layout = layout_for(len(reading.lines), len(reading.lines[0]), reading.lines[0][:1])
    if layout is None:
        return reading.lines
    return reading.decode([[ALLOWED[kind] for kind in kinds_of(layout, i)] for i in range(layout.line_count)])


def _tesseract_readings(
    crop: np.ndarray, lines: int, turn: bool | None, deadline: float, enough: Callable[[tuple[str, ...]], bool]
) -> list[tuple[str, ...]]:
    """Tesseract's readings of the band: as it is, then (unless `enough` says the first settles it)
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
    if enough(readings[0]):
        return readings
    for variant in _binarisations(prepared):
        if time.monotonic() > deadline:
            break
        other, _ = _read(variant, max(1.0, deadline - time.monotonic()))
        if other:
            readings.append(other)
    return readings


def _read_band(image: np.ndarray, band: Band, deadline: float) -> MrzReading | None:
    crop = crop_band(image, band)
    gray = crop if crop.ndim == 2 else cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    glyphs = _glyph_reading(gray, band.lines)
    height, width = image.shape[:2]
    bbox = _band_bbox(band, width, height)
    glyph_lines: list[tuple[str, ...]] = []
    turn: bool | None = None
    if glyphs is not None and glyphs[0].score >= GLYPH_MRZ:
        reading, turn = glyphs
        glyph_lines = [_constrained(reading)]
    elif glyphs is not None and glyphs[0].score < GLYPH_NOT_MRZ:
        return None  # nothing on the band looks like OCR-B on a grid: ordinary text or a picture

    def enough(first: tuple[str, ...]) -> bool:
        """One tesseract reading settles it when, with the template reading, the parse is trusted (every
        check digit holds and the two readings agree on what no check digit proves) and no name part ends
        in a filler look-alike. Without a template reading one reading never settles it."""
        if not glyph_lines:
            return False
        parsed = repair(MrzReading(lines=first, alternatives=tuple(glyph_lines)))
        names = f"{parsed.fields.get('surname') or ''} {parsed.fields.get('given_names') or ''}".split()
        # A name part ending in K or X may be a filler misread glued to it, and a name or code the templates
        # read differently has no check digit to decide it: more readings settle both by majority.
        return parsed.trusted and not any(part[-1] in "KX" for part in names)

    # Tesseract's reading leads: the templates are better at fillers and digits but worse at letters, and
    # letters in names have no check digit to catch them. Where check digits arbitrate, both count.
    extra = _tesseract_readings(crop, band.lines, turn, deadline, enough)
    readings = [*extra[:1], *glyph_lines, *extra[1:]]
    if not readings:
        return None
    if band.lines == 2 and _td1_half(readings[0]) and time.monotonic() < deadline:
        # Two lines of 30: a TD1 zone whose third line the localisation did not join to the other two (a
        # name line of few letters and faint fillers). Read a band one line pitch wider on either side.
        wider = Band(band.center, (band.size[0], band.size[1] * _TD1_WIDEN), band.angle, 3, band.score)
        retry = _read_band(image, wider, deadline)
        if retry is not None and len(retry.lines) >= 3:
            return retry
    confidence = glyphs[0].score if glyphs is not None else 0.5
    return MrzReading(
        lines=readings[0],
        bbox=bbox,
        confidence=max(0.0, min(1.0, confidence)),
        alternatives=tuple(readings[1:]),
    )


def read_mrz(image: np.ndarray, *, timeout: float) -> MrzReading | None:
    """The MRZ on `image` (BGR or gray, upright page or card photo), or None when there is none.

    `timeout` bounds the whole call (every tesseract run inside it shares it).
    """
    deadline = time.monotonic() + timeout
    bands = find_bands(image)
    for band in bands[:_MAX_BANDS]:
        if time.monotonic() > deadline:
            break
        reading = _read_band(image, band, deadline)
        if reading is not None:
            return reading
    return None
