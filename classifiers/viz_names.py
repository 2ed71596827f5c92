"""The holder's full name from the visual zone of an identity document, confirmed by the MRZ (issue 17).

The MRZ holds names transliterated to A–Z and cut to fit its line (`SAHIN<<CAGRI`, a 45-character name cut
after 39); the visual zone prints them in full with their diacritics (`ŞAHİN`, `ÇAĞRI`, `MÜLLER-LÜDENSCHEIDT`).
A printed run of words is taken for the surname or the given names only when one of its ICAO spellings
(`classifiers.translit.icao_variants`: Ü as UE or U ...) is the MRZ name, or, where the MRZ name field is
full, begins with it. Anything else keeps the MRZ form: a misread letter makes the spellings disagree.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from classifiers.translit import icao_variants
from schemas.documents import BBox, Word

MAX_WORDS = 6
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_MRZ_LIKE = re.compile(r"[A-Z0-9<]{20,}")


@dataclass(frozen=True)
class PrintedName:
    text: str
    confidence: float
    bbox: BBox


def _outside(words: Sequence[Word], zone: BBox | None) -> list[Word]:
    kept = []
    for word in words:
        if "<" in word.text or _MRZ_LIKE.fullmatch(word.text.replace(" ", "")):
            continue
        if zone is not None:
            x, y = (word.bbox.x0 + word.bbox.x1) / 2, (word.bbox.y0 + word.bbox.y1) / 2
            if zone.x0 <= x <= zone.x1 and zone.y0 <= y <= zone.y1:
                continue
        kept.append(word)
    return kept


def _runs(words: Sequence[Word]) -> list[list[Word]]:
    """Runs of words of one printed line, split at slashes (`ШЕВЧЕНКО / SHEVCHENKO`)."""
    lines: dict[tuple[int, int], list[Word]] = {}
    for word in words:
        lines.setdefault((word.block, word.line), []).append(word)
    out: list[list[Word]] = []
    for line in lines.values():
        run: list[Word] = []
        for word in sorted(line, key=lambda w: w.bbox.x0):
            if word.text.strip() in ("/", "|", ":"):
                if run:
                    out.append(run)
                run = []
                continue
            run.append(word)
        if run:
            out.append(run)
    return out


def _latin(char: str) -> bool:
    return char.isascii() or unicodedata.name(char, "").startswith("LATIN")


def _matches(printed: str, mrz: str, truncated: bool) -> bool:
    variants = icao_variants(printed)
    if mrz in variants:
        return True
    return truncated and len(mrz) >= 4 and any(v.startswith(mrz) and len(v) > len(mrz) for v in variants)


_DOTTED = {"A": "Ä", "O": "Ö", "U": "Ü"}
_MAX_RESTORED = 4


def _dots_restored(text: str, mrz: str, truncated: bool) -> str:
    """`text` with the umlaut dots OCR lost put back where the MRZ proves them: the MRZ spells Ü as UE, so a
    print read `KUHN` beside the MRZ's `KUEHN` was `KÜHN`; empty when no such reading matches the MRZ."""
    places = [i for i, c in enumerate(text) if c in _DOTTED][:_MAX_RESTORED]
    for chosen in range(1, 1 << len(places)):
        letters = list(text)
        for bit, place in enumerate(places):
            if chosen >> bit & 1:
                letters[place] = _DOTTED[letters[place]]
        candidate = "".join(letters)
        if _matches(candidate, mrz, truncated):
            return candidate
    return ""


def full_name(words: Sequence[Word], zone: BBox | None, mrz: str, *, truncated: bool) -> PrintedName | None:
    """The printed form of the MRZ name `mrz` (surname or given names), or None when none is confirmed."""
    if not mrz:
        return None
    best: PrintedName | None = None
    for run in _runs(_outside(words, zone)):
        for start in range(len(run)):
            for end in range(start + 1, min(len(run), start + MAX_WORDS) + 1):
                picked = run[start:end]
                text = " ".join(_EDGE.sub("", w.text) for w in picked).strip()
                # Latin script only: a Cyrillic or Arabic name is `original_script_name`, not the surname field
                if not text or any(c.isdigit() or (c.isalpha() and not _latin(c)) for c in text):
                    continue
                if not _matches(text, mrz, truncated):
                    text = _dots_restored(text, mrz, truncated)
                    if not text:
                        continue
                box = BBox(
                    x0=min(w.bbox.x0 for w in picked),
                    y0=min(w.bbox.y0 for w in picked),
                    x1=max(w.bbox.x1 for w in picked),
                    y1=max(w.bbox.y1 for w in picked),
                )
                found = PrintedName(text, min(w.confidence for w in picked), box)
                # the longest confirmed run wins (a cut MRZ name matches its printed prefix too)
                if best is None or len(found.text) > len(best.text):
                    best = found
    return best


def name_field_full(lines: Sequence[str]) -> bool:
    """Whether the MRZ name field is filled to its end (so the name may have been cut)."""
    if not lines:
        return False
    name_line = lines[-1] if len(lines) == 3 else lines[0][5:]
    return bool(name_line) and name_line[-1] != "<"
