"""The visual inspection zone (VIZ) of an identity document, cross-checked against its MRZ.

`viz_mismatches` names each MRZ field the printed zone visibly contradicts. A VIZ that was simply not read
is no evidence, so what counts as a contradiction is kept narrow:

- Only words outside the MRZ count: words inside the zone's box, and MRZ-like runs the page OCR made of its
  fillers, are left out (they hold the document number by construction).
- Dates are read per text line, numeric (12.03.1985, 12/03/85), ISO, or with a month name (12 MAR/MARS 1985).
  A birth date is compared only with VIZ dates older than any document's validity; an expiry only with
  dates from a year before to three years after it, leaving out the issue date (the day after the expiry
  so many years earlier, as validity runs). A date one digit away is an OCR slip unless its line was read
  with high confidence.
- A document number is compared with legible VIZ words of its length that differ in one to three
  characters once look-alikes are folded (0/O/D/Q/C, 1/I/L, 2/Z, 5/S, 6/G, 8/B): a folded match is the same
  number misread, one character off is a slip unless read with high confidence, and a wholly different
  number (a visa prints the passport's) is another document's.
- Names are compared only when the VIZ was demonstrably read (its document number or the birth date found
  there), and one name field is flagged only when the other is found: a name part OCR did not read is no
  contradiction, a block that shows the given names and another surname is.

`original_script_name` keeps the holder's name as the VIZ prints it in Cyrillic, Greek or Arabic script,
when it transliterates (ICAO 9303) to the MRZ name.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from classifiers.translit import icao_transliterate, icao_variants, script_of
from classifiers.viz_names import name_field_full
from schemas.documents import BBox, MrzDecoded, PageText, Word

__all__ = ["original_script_name", "viz_mismatches"]

_NAME_SIMILARITY = 85.0
_SURE_READ = 0.9  # a line read at least this confidently is taken as printed, digit for digit
_LEGIBLE = 0.5  # a word read less confidently than this is no evidence against the MRZ
_SURE_NUMBER = 0.8  # a number word read at least this confidently is taken as printed, one character off too
_MRZ_LIKE = re.compile(r"[A-Z0-9<]{20,}")
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
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[./\- ](\d{1,2})[./\- ](\d{4}|\d{2})\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# Only a month name may follow the day: "§ 28 AufenthG 06 JUL 1973" holds one date, 6 July 1973.
_WORD_DATE = re.compile(rf"\b(\d{{1,2}})\s*({_MONTH_NAMES})[A-ZÄÖÜÉÛ/ ]*?\s(\d{{4}}|\d{{2}})\b")
_LOOK_ALIKES = str.maketrans("ODQCILZSGB", "0000112568")
_CYRILLIC_LOOK_ALIKES = "ABCEHKMOPTXYI"
_LATIN_TO_CYRILLIC = str.maketrans(_CYRILLIC_LOOK_ALIKES, "АВСЕНКМОРТХУІ")


@dataclass(frozen=True)
class _Line:
    text: str
    confidence: float  # the least confident word's


def _outside_zone(words: Sequence[Word], zone: BBox | None, mrz_lines: Sequence[str]) -> list[Word]:
    mrz_text = {line.replace(" ", "") for line in mrz_lines}
    kept = []
    for word in words:
        compact = word.text.replace(" ", "")
        if compact in mrz_text or "<<" in word.text or _MRZ_LIKE.fullmatch(compact.upper()):
            continue
        if zone is not None:
            x = (word.bbox.x0 + word.bbox.x1) / 2
            y = (word.bbox.y0 + word.bbox.y1) / 2
            if zone.x0 <= x <= zone.x1 and zone.y0 <= y <= zone.y1:
                continue
        kept.append(word)
    return kept


def _lines(words: Sequence[Word]) -> list[_Line]:
    grouped: dict[tuple[int, int], list[Word]] = {}
    for word in words:
        grouped.setdefault((word.block, word.line), []).append(word)
    return [_Line(" ".join(w.text for w in group), min(w.confidence for w in group)) for group in grouped.values()]


def _year(text: str, reference: int) -> int:
    if len(text) == 4:
        return int(text)
    # Two-digit year: the one closest to the MRZ's reading of it.
    candidates = [1900 + int(text), 2000 + int(text)]
    return min(candidates, key=lambda y: abs(y - reference))


def _dates(text: str, reference: int) -> set[str]:
    found: set[str] = set()
    upper = text.upper()
    for match in _ISO_DATE.finditer(upper):
        found.add("-".join(match.groups()))
    for day, month, year in _NUMERIC_DATE.findall(upper):
        _add_date(found, _year(year, reference), int(month), int(day))
    for day, month, year in _WORD_DATE.findall(upper):
        _add_date(found, _year(year, reference), _MONTHS[month], int(day))
    return found


def _add_date(found: set[str], year: int, month: int, day: int) -> None:
    try:
        found.add(dt.date(year, month, day).isoformat())
    except ValueError:
        return


def _differing(a: str, b: str) -> int | None:
    """How many characters two strings of one length differ in (None: lengths differ)."""
    return sum(x != y for x, y in zip(a, b, strict=True)) if len(a) == len(b) else None


def _contradicts(value: str, printed: dict[str, float]) -> bool:
    """Whether VIZ dates (each with its line's confidence) contradict `value`: none of them is it, and none
    is one misread digit away on a line read with less than high confidence."""
    if not printed or value in printed:
        return False
    return not any(_differing(value, d) == 1 and c < _SURE_READ for d, c in printed.items())


def _issue_like(day: str, expiry: str) -> bool:
    """Whether `day` is where a validity of whole years ending on `expiry` began (that day, or the next)."""
    end = dt.date.fromisoformat(expiry)
    start = dt.date.fromisoformat(day)
    for years in range(1, 16):
        try:
            begun = end.replace(year=end.year - years)
        except ValueError:  # 29 February
            begun = end.replace(year=end.year - years, day=28)
        if abs((start - begun).days) <= 1:
            return True
    return False


def _date_mismatches(fields: dict[str, str | None], lines: Sequence[_Line]) -> tuple[list[str], set[str]]:
    birth, expiry = fields.get("birth_date"), fields.get("expiry_date")
    printed: dict[str, float] = {}
    for line in lines:
        for reference in (birth, expiry):
            if reference:
                for day in _dates(line.text, int(reference[:4])):
                    printed[day] = max(printed.get(day, 0.0), line.confidence)
    mismatches: list[str] = []
    if birth and expiry:
        last_birth = int(expiry[:4]) - 12  # no document is valid for twelve years: older dates are births
        births = {d: c for d, c in printed.items() if int(d[:4]) <= last_birth}
        if _contradicts(birth, births):
            mismatches.append("birth_date")
        end = dt.date.fromisoformat(expiry)
        expiries = {
            d: c
            for d, c in printed.items()
            if -366 <= (dt.date.fromisoformat(d) - end).days <= 3 * 366 and not _issue_like(d, expiry)
        }
        if _contradicts(expiry, expiries):
            mismatches.append("expiry_date")
    return mismatches, set(printed)


def _number_mismatch(number: str, words: Sequence[Word]) -> tuple[bool, bool]:
    """Whether the document number was found in the VIZ, and whether a VIZ word contradicts it."""
    if not number:
        return False, False
    folded = number.translate(_LOOK_ALIKES)
    compact = re.sub(r"[^A-Z0-9]", "", " ".join(w.text.upper() for w in words)).translate(_LOOK_ALIKES)
    if folded in compact:
        return True, False
    if len(number) < 6:
        return False, False  # too short to tell a contradiction from a chance likeness
    for word in words:
        token = re.sub(r"[^A-Z0-9]", "", word.text.upper()).translate(_LOOK_ALIKES)
        differing = _differing(token, folded)
        if differing is None or word.confidence < _LEGIBLE:
            continue
        if 1 <= differing <= 3 and (differing > 1 or word.confidence >= _SURE_NUMBER):
            return False, True
    return False, False


def _name_found(name: str, tokens: set[str], *, cut: bool = False) -> bool:
    """Whether every part of an MRZ name is among the VIZ tokens; `cut`, where the MRZ's name field is full, its
    last part also as the start of a token (the MRZ cuts a long name: `HILDE` of `HILDEGARD`, `OETZK` of
    `ÖTZKAN`, no contradiction)."""
    parts = name.split()

    def found(part: str, last: bool) -> bool:
        starts = cut and last and len(part) >= 2
        return any(
            fuzz.ratio(part, token) >= _NAME_SIMILARITY
            or (starts and fuzz.ratio(part, token[: len(part)]) >= _NAME_SIMILARITY)
            for token in tokens
        )

    return all(found(part, k == len(parts) - 1) for k, part in enumerate(parts))


def viz_mismatches(parse: MrzDecoded, page: PageText, zone: BBox | None = None) -> list[str]:
    """The MRZ fields the page's visual zone contradicts (see the module docstring for the rules)."""
    fields = dict(parse.fields)
    words = _outside_zone(page.words, zone, parse.lines)
    if not words:
        return []
    mismatches, dates = _date_mismatches(fields, _lines(words))
    number_seen, number_wrong = _number_mismatch(fields.get("document_number") or "", words)
    if number_wrong:
        mismatches.append("document_number")
    birth = fields.get("birth_date")
    if not (number_seen or (birth and birth in dates)):
        return mismatches
    tokens: set[str] = set()
    for word in words:
        for variant in icao_variants(word.text):
            tokens.update(re.split(r"[\s\-]+", variant))
    tokens.discard("")
    if not tokens:
        return mismatches
    names = {name: fields.get(name) or "" for name in ("surname", "given_names")}
    # the MRZ cuts the given names first: the surname only where no given name is left beside it
    cut = {
        "surname": name_field_full(parse.lines) and not names["given_names"],
        "given_names": name_field_full(parse.lines),
    }
    found = {name: _name_found(value, tokens, cut=cut[name]) for name, value in names.items() if value}
    for name, ok in found.items():
        others = [other_ok for other, other_ok in found.items() if other != name]
        if not ok and (not others or all(others)):
            mismatches.append(name)
    return mismatches


def _skeleton(text: str) -> str:
    """Consonants only, repeats collapsed: Arabic script writes no short vowels, so names meet here."""
    out = re.sub(r"[AEIOUY ]", "", text)
    return re.sub(r"(.)\1+", r"\1", out)


def _cyrillic_word(text: str) -> str:
    """OCR of a Cyrillic word often returns Latin look-alikes (KAPACЬ, or HOCEHKO with no Cyrillic letter at
    all): those are put back, to be kept only where the result transliterates to the MRZ name."""
    upper = text.upper()
    cyrillic = any(unicodedata.name(c, "").startswith("CYRILLIC") for c in upper)
    if cyrillic or (len(upper) > 2 and all(c in _CYRILLIC_LOOK_ALIKES for c in upper)):
        return upper.translate(_LATIN_TO_CYRILLIC)
    return upper


def original_script_name(words: Sequence[Word], surname: str, given: str) -> str | None:
    """The holder's name as the VIZ prints it in its own script, when it does (e.g. ТКАЧЕНКО ОЛЕНА)."""
    parts: list[str] = []
    for target in (surname, given):
        if not target:
            continue
        first = target.split()[0]
        for word in words:
            text = _cyrillic_word(word.text)
            if script_of(text) not in ("cyrillic", "greek", "arabic"):
                continue
            if first in icao_variants(text) or (
                script_of(text) == "arabic" and _skeleton(icao_transliterate(text)) == _skeleton(first)
            ):
                parts.append(text)
                break
    return " ".join(parts) if parts else None
