"""Signs that a text value (an authority, a subject, a name) was cut short, run on or misread, for the learned
field confidence (`classifiers.field_confidence`).

A value read from a letter can be right in every letter and still wrong as a field: the office printed on the
line under the county dropped (`Landkreis X` for `Landkreis X – Ausländerbehörde`), a subject cut at the line
end (`… zur Sicherung des`), a reference line run into it (`… Kundennummer 123D456`), or a slip OCR makes in a
fixed way (`SGB XiIl`, `Uber` for `Über`). Each sign is a feature; the model learns how much each one weighs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from classifiers.notice_authority import BODY
from schemas.documents import BBox, Word

# fields whose value is free text a line may continue
TEXT_FIELDS = frozenset({"authority", "subject", "issuing_authority", "recipient_name", "person_name", "birth_place"})
FEATURES = ("continues_below", "dangling_end", "roman_slip", "umlaut_lost", "reference_words", "body_only")
# A word a German phrase never ends with: the value stops in the middle of its phrase.
_DANGLING = frozenset(
    [
        "des",
        "der",
        "dem",
        "den",
        "die",
        "das",
        "von",
        "vom",
        "für",
        "zur",
        "zum",
        "und",
        "oder",
        "über",
        "nach",
        "mit",
        "bei",
        "im",
        "in",
        "auf",
        "an",
        "aus",
        "gegen",
        "ab",
        "bis",
        "sowie",
        "eines",
        "einer",
        "einem",
    ]
)
# Roman numerals with a small letter or a digit among capitals (`XiIl`, `Xl`, `I1`): a book number OCR misread.
_ROMAN_SLIP = re.compile(r"\b(?=[IVXivxl1|]*[IVX])(?=[IVXivxl1|]*[ivxl1|])[IVXivxl1|]{2,5}\b")
# A German word that lost its umlaut at the start (`Uber`, `Anderung`, `Ubernahme`) or a common one inside.
_UMLAUT_LOST = re.compile(
    r"\b(?:Uber\w*|Anderung\w*|Gewahrung|Erklarung|Burgergeld|Gebuhr\w*|fur|uber|\w*behorde\w*|Auslander\w*)\b"
)
_REFERENCE = re.compile(
    r"\b(?:Kunden-?(?:nummer|nr)|BG-Nummer|Aktenzeichen|Geschäftszeichen|Az\.|Zeichen|Bezug|Ihr(?:e)? (?:Antrag|"
    r"Schreiben|Nachricht) vom|Telefon|Datum)\b",
    re.IGNORECASE,
)


def _continues_below(box: BBox, words: Sequence[Word], value: str) -> bool:
    """Text printed right under the value, aligned with it and as close as a wrapped line, that the value does
    not hold and that is no address (no digits): the next line may continue the value."""
    height = max(box.y1 - box.y0, 0.006)
    below = [
        w
        for w in words
        if box.y1 - 0.2 * height < w.bbox.y0 < box.y1 + 1.6 * height
        and w.bbox.x0 < box.x1
        and w.bbox.x1 > box.x0
        and (w.bbox.y1 - w.bbox.y0) > 0.5 * height
    ]
    if not below:
        return False
    text = " ".join(w.text for w in sorted(below, key=lambda w: w.bbox.x0)).strip(" –—-·,;:")
    return bool(text) and not any(c.isdigit() for c in text) and text.casefold() not in value.casefold()


def shape_doubts(name: str, value: str, box: BBox | None, words: Sequence[Word]) -> dict[str, float]:
    """The features of `FEATURES` that apply to field `name` with text `value` (absent ones are 0)."""
    if name not in TEXT_FIELDS or not value.strip():
        return {}
    tokens = value.split()
    out = {
        "roman_slip": float(bool(_ROMAN_SLIP.search(value))),
        "umlaut_lost": float(bool(_UMLAUT_LOST.search(value))),
    }
    if name in ("authority", "subject", "issuing_authority"):
        out["dangling_end"] = float(tokens[-1].casefold().strip(".,;:") in _DANGLING or value.rstrip()[-1] in "–-,")
        out["reference_words"] = float(bool(_REFERENCE.search(value)))
    if name == "authority":
        out["body_only"] = float(bool(BODY.match(value.strip())))
    if box is not None and words:
        out["continues_below"] = float(_continues_below(box, words, value))
    return out
