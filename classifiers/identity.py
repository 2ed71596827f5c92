"""Identity documents: the typed document built from an MRZ, cross-checked against the visual zone.

The MRZ (read by `ocr.mrz`, repaired and parsed by `classifiers.mrz`) supplies every field; the printed
visual inspection zone (VIZ) on the same page is used to confirm it, after ICAO transliteration, and each
field the VIZ visibly contradicts is named in `viz_mismatches`. What counts as a contradiction is kept
narrow, because a VIZ that was simply not read is no evidence: a birth date only against VIZ dates older than
any document's validity, an expiry only against VIZ dates within a year of it, a document number only against
a VIZ number of the same length and letter/digit shape that differs in one to three characters (a visa
prints the passport's number, which is no contradiction), and names only when the VIZ was demonstrably read
(its document number or the birth date was found there). A VIZ name in Cyrillic, Greek or Arabic script that
transliterates to the MRZ name is kept as `original_script_name`.

Document type from the document code (ICAO 9303 Part 5/6: first letter P passport, V visa, I/A/C identity
card): `AR` is the German electronic residence permit (eAT, Aufenthaltstitel); `IR`, `RP` and `RT` are the
codes other states use for residence cards (UK, Spain, Italy ...). Every other I/A/C code is an identity card.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections.abc import Sequence

from rapidfuzz import fuzz

from classifiers.mrz import MrzParse, repair
from classifiers.translit import icao_transliterate, icao_variants, script_of
from schemas.documents import (
    DocumentType,
    ExtractedDocument,
    ExtractedField,
    PageText,
    TextSource,
    Word,
)

log = logging.getLogger(__name__)

RESIDENCE_PERMIT_CODES = frozenset({"AR", "IR", "RP", "RT"})
VALID_CONFIDENCE = 0.97
INVALID_CONFIDENCE = 0.45
# A field's confidence: the decoder's certainty where it has one (read from the cells' probabilities), at
# most FIELD_CEILING; else these for a zone that is trusted / not trusted. A field whose own check digit
# fails is at most FAILED_CHECK however certain its characters looked.
FIELD_CEILING = 0.99
UNCERTAIN_FIELD = 0.5
FAILED_CHECK = 0.3
_CERTAINTY_OF = {"surname": "name", "given_names": "name"}  # the decoder settles the name as one field
MISMATCH_PENALTY = 0.15
_NAME_SIMILARITY = 85.0
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            "JAN JANV ENE GEN",
            "FEB FEV FÉV FEBR",
            "MAR MÄR MARS MRZ",
            "APR AVR ABR",
            "MAY MAI MAG",
            "JUN JUIN",
            "JUL JUIL LUG",
            "AUG AOUT AOÛT AGO",
            "SEP SEPT SET",
            "OCT OKT OTT",
            "NOV",
            "DEC DEZ DÉC DIC",
        ]
    )
    for m in names.split()
}
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[./\- ](\d{1,2})[./\- ](\d{4}|\d{2})\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_WORD_DATE = re.compile(r"\b(\d{1,2})\s*([A-ZÄÖÜÉÛ]{3,4})[A-ZÄÖÜÉÛ/ ]*?\s(\d{4}|\d{2})\b")


def document_type(code: str) -> DocumentType:
    """The dach type for an MRZ document code (see the module docstring for the rules)."""
    if code in RESIDENCE_PERMIT_CODES:
        return DocumentType.RESIDENCE_PERMIT
    if code.startswith("P"):
        return DocumentType.PASSPORT
    if code.startswith("V"):
        return DocumentType.VISA
    return DocumentType.ID_CARD


def _year(text: str, reference: int) -> int:
    if len(text) == 4:
        return int(text)
    # Two-digit year: the one closest to the MRZ's reading of it.
    candidates = [1900 + int(text), 2000 + int(text)]
    return min(candidates, key=lambda y: abs(y - reference))


def _viz_dates(text: str, reference: int) -> set[str]:
    found: set[str] = set()
    upper = text.upper()
    for match in _ISO_DATE.finditer(upper):
        found.add("-".join(match.groups()))
    for day, month, year in _NUMERIC_DATE.findall(upper):
        _add_date(found, _year(year, reference), int(month), int(day))
    for day, month, year in _WORD_DATE.findall(upper):
        if month in _MONTHS:
            _add_date(found, _year(year, reference), _MONTHS[month], int(day))
    return found


def _add_date(found: set[str], year: int, month: int, day: int) -> None:
    try:
        found.add(dt.date(year, month, day).isoformat())
    except ValueError:
        return


def _skeleton(text: str) -> str:
    """Consonants only, repeats collapsed: Arabic script writes no short vowels, so names meet here."""
    out = re.sub(r"[AEIOUY ]", "", text)
    return re.sub(r"(.)\1+", r"\1", out)


def _name_found(name: str, tokens: set[str]) -> bool | None:
    """Whether every part of an MRZ name is among the VIZ tokens (None: the VIZ has no Latin text)."""
    if not tokens:
        return None
    return all(any(fuzz.ratio(part, token) >= _NAME_SIMILARITY for token in tokens) for part in name.split())


_LATIN_TO_CYRILLIC = str.maketrans("ABCEHKMOPTXY", "АВСЕНКМОРТХУ")


def _cyrillic_word(text: str) -> str:
    """OCR of a Cyrillic word often returns Latin look-alikes (KAPACЬ): in a word with any Cyrillic
    letter those are put back."""
    upper = text.upper()
    if any(unicodedata.name(c, "").startswith("CYRILLIC") for c in upper):
        return upper.translate(_LATIN_TO_CYRILLIC)
    return upper


def _original_script(words: Sequence[Word], surname: str, given: str) -> str | None:
    """The holder's name as the VIZ prints it in its own script, when it does (e.g. ТКАЧЕНКО ОЛЕНА)."""
    parts: list[str] = []
    for target in (surname, given):
        if not target:
            continue
        for word in words:
            text = _cyrillic_word(word.text)
            if script_of(text) not in ("cyrillic", "greek", "arabic"):
                continue
            variants = icao_variants(text)
            first = target.split()[0]
            if first in variants or (
                script_of(text) == "arabic" and _skeleton(icao_transliterate(text)) == _skeleton(first)
            ):
                parts.append(text)
                break
    return " ".join(parts) if parts else None


def _viz_mismatches(parse: MrzParse, page: PageText, mrz_lines: Sequence[str]) -> list[str]:
    fields = parse.fields
    mrz_text = {line.replace(" ", "") for line in mrz_lines}
    viz_words = [w for w in page.words if w.text.replace(" ", "") not in mrz_text and "<<" not in w.text]
    if not viz_words:
        return []
    text = "\n".join(w.text for w in viz_words)
    tokens: set[str] = set()
    for word in viz_words:
        for variant in icao_variants(word.text):
            tokens.update(variant.split())
    mismatches: list[str] = []
    birth, expiry = fields.get("birth_date"), fields.get("expiry_date")
    dates: set[str] = set()
    for reference in (birth, expiry):
        if reference:
            dates |= _viz_dates(text, int(reference[:4]))
    if birth and expiry:
        # Only a date older than any document's validity can be a printed birth date (a visa prints its
        # validity, not the birth date), and only one near the expiry year can be a printed expiry.
        births = {d for d in dates if int(d[:4]) <= int(expiry[:4]) - 12}
        if births and birth not in births and not _near_date(birth, births):
            mismatches.append("birth_date")
        expiries = {d for d in dates if abs(int(d[:4]) - int(expiry[:4])) <= 1}
        if expiries and expiry not in expiries and not _near_date(expiry, expiries):
            mismatches.append("expiry_date")
    number = fields.get("document_number") or ""
    compact = re.sub(r"[^A-Z0-9]", "", text.upper())
    tokens_alnum = {re.sub(r"[^A-Z0-9]", "", w.text.upper()) for w in viz_words}
    number_seen = bool(number) and number in compact
    # A number of the same length and shape that differs in a few characters is the same number printed
    # or read differently; a wholly different number (a visa prints the passport's) is another document's.
    if number and not number_seen and any(_same_shape(t, number) for t in tokens_alnum):
        mismatches.append("document_number")
    # Names are compared only when the VIZ was demonstrably read (its number or birth date found there):
    # a worn or small card's VIZ often yields no name at all, which is no contradiction.
    if number_seen or (birth and birth in dates):
        for name in ("surname", "given_names"):
            value = fields.get(name)
            if value and _name_found(value, tokens) is False:
                mismatches.append(name)
    return mismatches


def _same_shape(token: str, number: str) -> bool:
    if len(token) != len(number) or token == number:
        return False
    shape = [(a.isdigit(), b.isdigit()) for a, b in zip(token, number, strict=True)]
    return all(x == y for x, y in shape) and sum(a != b for a, b in zip(token, number, strict=True)) <= 3


def _near_date(value: str, dates: set[str]) -> bool:
    """A VIZ date one OCR slip away (a digit misread) is not taken as a contradiction."""
    return any(sum(a != b for a, b in zip(value, d, strict=True)) <= 1 for d in dates if len(d) == len(value))


def identity_document(pages: Sequence[PageText]) -> ExtractedDocument | None:
    """The identity document on these pages, built from the first page carrying a readable MRZ.

    None when no page has an MRZ that parses as one of the ICAO layouts.
    """
    for page in pages:
        if page.mrz is None:
            continue
        parse = repair(page.mrz)
        if not parse.format or not parse.fields.get("document_code"):
            continue
        return _build(parse, page, pages)
    return None


def field_confidence(parse: MrzParse, name: str) -> float:
    """How far the review screen may trust one MRZ field: the decoder's certainty of it where known, capped
    when its own check digit fails; without certainties, one figure for the whole zone as `trusted` says."""
    certainty = parse.certainty.get(_CERTAINTY_OF.get(name, name))
    if certainty is None:
        confidence = FIELD_CEILING if parse.trusted else UNCERTAIN_FIELD
    else:
        confidence = min(FIELD_CEILING, float(certainty))
    if parse.checks.get(name) is False:
        confidence = min(confidence, FAILED_CHECK)
    return round(confidence, 3)


def _build(parse: MrzParse, page: PageText, pages: Sequence[PageText]) -> ExtractedDocument:
    reading = page.mrz
    assert reading is not None
    mrz_valid = parse.trusted
    whole = FIELD_CEILING if mrz_valid else UNCERTAIN_FIELD

    def mrz_field(value: str | bool | list[str] | None, confidence: float = whole) -> ExtractedField:
        return ExtractedField(
            value=value, page=page.page, bbox=reading.bbox, source=TextSource.MRZ, confidence=confidence
        )

    fields = {name: mrz_field(value, field_confidence(parse, name)) for name, value in parse.fields.items()}
    fields["mrz"] = mrz_field(list(parse.lines))
    fields["mrz_valid"] = mrz_field(mrz_valid)
    mismatches = _viz_mismatches(parse, page, parse.lines)
    surname = str(parse.fields.get("surname") or "")
    given = str(parse.fields.get("given_names") or "")
    original = _original_script(page.words, surname, given)
    if original:
        fields["original_script_name"] = ExtractedField(
            value=original, page=page.page, source=TextSource.VIZ, confidence=0.8
        )
    notes: list[str] = []
    if not parse.valid:
        failed = ", ".join(name for name, ok in parse.checks.items() if not ok) or "layout"
        notes.append(f"MRZ check digits fail ({failed}): the fields are the best reading, check them by eye")
    if not parse.names_confirmed:
        notes.append("the readings of the MRZ disagree on the name (no check digit covers names): check it")
    if parse.unsettled:
        notes.append(
            "the readings of the MRZ do not settle " + ", ".join(parse.unsettled) + " (no check digit can tell the "
            "readings apart): check them by eye"
        )
    if mismatches:
        notes.append("the printed data disagrees with the MRZ on: " + ", ".join(mismatches))
    confidence = (VALID_CONFIDENCE if mrz_valid else INVALID_CONFIDENCE) - MISMATCH_PENALTY * len(mismatches)
    code = str(parse.fields.get("document_code") or "")
    return ExtractedDocument(
        type=document_type(code),
        pages=tuple(p.page for p in pages),
        confidence=max(0.05, confidence),
        review=not mrz_valid or bool(mismatches),
        fields=fields,
        checks=dict(parse.checks),
        viz_mismatches=tuple(mismatches),
        notes=tuple(notes),
    )
