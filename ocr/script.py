"""Which script the words a first reading could not read are written in.

A bilingual certificate (Ukrainian/German, Arabic/English) read with `deu+eng` comes back half readable:
tesseract's OSD, asked about the whole page, then often answers "Latin" with low confidence. So the lines
holding the unreadable words are cut out, stacked into one small strip, and read once with each candidate
language set; the set that reads the strip confidently names the script. Costs a few tenths of a second,
only on pages whose first reading already looked wrong.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping

import numpy as np

from ocr import tesseract

log = logging.getLogger(__name__)

UNREAD_CONFIDENCE = 0.5  # a word read with less confidence than this counts as unread
PROBE_LINES = 4  # lines stacked into the strip
MIN_UNREAD_WORDS = 3
PROBE_MIN_CONFIDENCE = 0.70  # the winning language set must read the strip at least this well
PROBE_MARGIN = 0.10  # ... and this much better than the first reading and every other candidate
_PAD = 12
_GAP = 24


def unread_strip(image: np.ndarray, words: tuple[tesseract.TsvWord, ...]) -> np.ndarray | None:
    """The lines with the most unread words, cut out and stacked (None when too little is unread)."""
    by_line: dict[tuple[int, int, int], list[tesseract.TsvWord]] = defaultdict(list)
    for word in words:
        if word.confidence < UNREAD_CONFIDENCE and len(word.text) >= 2:
            by_line[(word.block, word.paragraph, word.line)].append(word)
    if sum(len(line) for line in by_line.values()) < MIN_UNREAD_WORDS:
        return None
    lines = sorted(by_line.values(), key=len, reverse=True)[:PROBE_LINES]
    height, width = image.shape[:2]
    crops = []
    for line in lines:
        top = max(0, min(w.top for w in line) - _PAD)
        bottom = min(height, max(w.top + w.height for w in line) + _PAD)
        left = max(0, min(w.left for w in line) - _PAD)
        right = min(width, max(w.left + w.width for w in line) + _PAD)
        if bottom > top and right > left:
            crops.append(image[top:bottom, left:right])
    if not crops:
        return None
    strip_width = max(c.shape[1] for c in crops) + 2 * _GAP
    strip_height = sum(c.shape[0] for c in crops) + _GAP * (len(crops) + 1)
    strip = np.full((strip_height, strip_width), 255, dtype=np.uint8)
    y = _GAP
    for crop in crops:
        strip[y : y + crop.shape[0], _GAP : _GAP + crop.shape[1]] = crop
        y += crop.shape[0] + _GAP
    return strip


def _confidence(words: tuple[tesseract.TsvWord, ...]) -> float:
    letters = sum(len(w.text) for w in words)
    return sum(len(w.text) * w.confidence for w in words) / letters if letters else 0.0


def probe_script(
    image: np.ndarray,
    words: tuple[tesseract.TsvWord, ...],
    *,
    candidates: Mapping[str, str],
    dpi: int,
    timeout: float,
) -> str | None:
    """The candidate script (a key of `candidates`, e.g. "Cyrillic") whose languages read the unread lines
    confidently, or None."""
    strip = unread_strip(image, words)
    if strip is None:
        return None
    unread = tuple(w for w in words if w.confidence < UNREAD_CONFIDENCE and len(w.text) >= 2)
    scores: dict[str, float] = {}
    for script, languages in candidates.items():
        reading = tesseract.recognise(strip, languages=languages, timeout=timeout, psm=6, extra_config=f"--dpi {dpi}")
        scores[script] = _confidence(reading.words)
    log.debug("script probe: %s (first reading %.2f)", scores, _confidence(unread))
    best = max(scores, key=lambda s: scores[s], default=None)
    if best is None or scores[best] < PROBE_MIN_CONFIDENCE:
        return None
    rivals = [v for s, v in scores.items() if s != best] + [_confidence(unread)]
    return best if all(scores[best] >= r + PROBE_MARGIN for r in rivals) else None
