"""What a page is, decided before its first full tesseract pass, without tesseract.

A page should be read once, in the right languages and only where it carries something. Two cheap looks
decide that before the pass:
- `content_box`: where the ink is. A card or passport scanned on an A4 flatbed covers a fifth of the sheet;
  the white paper around it costs tesseract layout analysis and binarisation for nothing, so only the box
  around the ink is read (the words are moved back to page coordinates afterwards).
- `zone_languages`: an identity document's machine-readable zone, read by the OCR-B cell classifier alone
  (`ocr.mrz.read_mrz(glyphs_only=True)`, OpenCV and numpy), names the issuing state, and with it the script
  of the visual zone: a Ukrainian passport is read in `ukr+rus+deu` at once instead of `deu+eng` first,
  judged poor, probed and read again. Where the zone lies in its document also tells upside down: the zone
  is at the foot of a passport's data page and of a card's back.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ocr import preprocess
from schemas.documents import BBox, MrzDecoded

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
    """The tesseract languages for an identity document's visual zone by the state its zone names; None when
    the zone did not decode well enough to trust its state."""
    if decoded is None or not decoded.valid:
        return None
    state = (decoded.fields.get("issuing_state") or "").strip("<")
    if state in CYRILLIC_STATES and "Cyrillic" in by_script:
        return by_script["Cyrillic"]
    if state in ARABIC_STATES and "Arabic" in by_script:
        return by_script["Arabic"]
    if state in TURKISH_STATES:
        return turkish
    return latin


def zone_upside_down(zone: BBox | None, box: Box | None, width: int, height: int) -> bool:
    """Whether the zone lies in the upper part of its document (or of the page): the page is upside down."""
    if zone is None:
        return False
    top, bottom = (box.top / height, box.bottom / height) if box is not None else (0.0, 1.0)
    middle = (zone.y0 + zone.y1) / 2
    return middle < top + 0.4 * (bottom - top)
