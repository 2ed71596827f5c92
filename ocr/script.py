"""Which script the words a first reading could not read are written in.

A bilingual certificate (Ukrainian/German, Arabic/English) read with `deu+eng` comes back half readable:
tesseract's OSD, asked about the whole page, then often answers "Latin" with low confidence. So the lines
holding the unreadable words are cut out, stacked into one small strip, and read once with each candidate
language set; the set that reads the strip confidently names the script. Costs a few tenths of a second,
only on pages whose first reading already looked wrong.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Mapping

import numpy as np

from ocr import tesseract

log = logging.getLogger(__name__)

UNREAD_CONFIDENCE = 0.5  # a word read with less confidence than this counts as unread
PROBE_LINES = 4  # lines stacked into the strip
MIN_UNREAD_WORDS = 3
PROBE_MIN_CONFIDENCE = 0.60  # the winning language set must read the strip at least this well (a bilingual
# strip holds Latin words too: Cyrillic on a Ukrainian ID card read 0.69); a full reading decides after it
PROBE_MARGIN = 0.10  # ... and this much better than the first reading and every other candidate
PROBE_SURE = 0.85  # a candidate reading the strip this well is not compared with the others (they read < 0.5)
_PAD = 12
_GAP = 24

# Cyrillic read with Latin languages comes back as look-alike words: a capital after a small letter
# (`HapoaxeHHn`), digits for з/б/ч inside words (`Mic3ue`), `LL`/`JI`/`bI` for Ш/Л/Ы (`LLUJIKOB`).
_LOOKALIKE = re.compile(r"[a-zäöüß][A-ZÄÖÜ]|[A-Za-z][346][a-z]|^LL|JI|bI")
LOOKALIKE_SHARE = 0.08  # share of words of 4+ letters: a German page ~0.01, Cyrillic read as Latin ~0.3
# Turkish read with `deu+eng` loses ğ, ş, ı and İ; these words say the page is Turkish.
_TURKISH = re.compile(
    r"^(?:T[ÜU]RK[İI]YE|CUMHUR[İI]YET[İI]?|Do[ğg]um|Soyad[ıi]|N[üu]fus|Tarihi|Yeri|M[üu]d[üu]rl[üu][ğg][üu]|"
    r"BELGES[İI]|D[İI]PLOMAS[İI]|EVLENME|C[ÜU]ZDANI|Lisesi|[ÜU]niversitesi)$",
    re.IGNORECASE,
)
MIN_TURKISH_WORDS = 3


def lookalike_share(words: tuple[tesseract.TsvWord, ...]) -> float:
    """The share of longer words that look like Cyrillic read with Latin languages."""
    long_words = [w.text for w in words if sum(ch.isalpha() for ch in w.text) >= 4]
    if not long_words:
        return 0.0
    return sum(1 for text in long_words if _LOOKALIKE.search(text)) / len(long_words)


def looks_turkish(words: tuple[tesseract.TsvWord, ...]) -> bool:
    """Whether a Latin reading holds enough Turkish words to be read again with Turkish."""
    return sum(1 for w in words if _TURKISH.match(w.text.strip(".,:;"))) >= MIN_TURKISH_WORDS


def _unread(word: tesseract.TsvWord) -> bool:
    return len(word.text) >= 2 and (word.confidence < UNREAD_CONFIDENCE or bool(_LOOKALIKE.search(word.text)))


def unread_strip(image: np.ndarray, words: tuple[tesseract.TsvWord, ...]) -> np.ndarray | None:
    """The lines with the most unread (or look-alike) words, cut out and stacked (None when too few)."""
    by_line: dict[tuple[int, int, int], list[tesseract.TsvWord]] = defaultdict(list)
    for word in words:
        if _unread(word):
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
    # Look-alike words are often read confidently: only the candidates are compared then.
    scores: dict[str, float] = {}
    first = _confidence(unread) if unread else 0.0
    # The likelier script first (look-alike words: Cyrillic; otherwise Arabic, which Latin languages read as
    # noise): a strip it reads beyond doubt needs no second probe.
    likely = "Cyrillic" if lookalike_share(words) > LOOKALIKE_SHARE else "Arabic"
    for script, languages in sorted(candidates.items(), key=lambda item: item[0] != likely):
        if scores and max(scores.values()) >= PROBE_SURE and max(scores.values()) >= first + PROBE_MARGIN:
            break
        reading = tesseract.recognise(
            strip, languages=languages, timeout=timeout, psm=6, extra_config=f"--dpi {dpi}", purpose="script probe"
        )
        scores[script] = _confidence(reading.words)
    log.debug("script probe: %s (first reading %.2f)", scores, _confidence(unread))
    best = max(scores, key=lambda s: scores[s], default=None)
    if best is None or scores[best] < PROBE_MIN_CONFIDENCE:
        return None
    rivals = [v for s, v in scores.items() if s != best] + ([_confidence(unread)] if unread else [])
    return best if all(scores[best] >= r + PROBE_MARGIN for r in rivals) else None
