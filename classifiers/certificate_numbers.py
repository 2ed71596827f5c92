"""Certificate numbers as printed and as OCR slips on them (issue 17): an identifier after its label, a
German register entry whose slash OCR read as 1, a series read with its series word and numero sign, the
scripts of a Ukrainian or Russian series put back, and the better of a number printed twice.
"""

from __future__ import annotations

import re

from classifiers.extract import Found
from classifiers.normalise import find_dates, strip_bidi

# A German civil register entry, `G 123/2020` (register, entry number, year), whose slash OCR read as 1.
_REGISTER_NUMBER = re.compile(r"^([A-Z]) (\d{1,4})1((?:19[5-9]|20[0-3])\d)$")


# The numero sign as printed and as OCR reads it (`Ne`, `Мо`, `Ме` for `№`), or the word a translation writes
# for it (`Serie I-AB Nummer 123456`), for the series patterns here and in the certificate readers (a bare
# alternation: put it in a group).
NUMERO = r"Nummer|Number|№|N[oо]|Nr|N[eе]|Мо|Ме|М»|Ng"
# The series word of a Ukrainian or Russian certificate and its translations, also as OCR reads `Серія` in Latin
# letters (`Cepia`).
SERIES_WORD = r"Серія|Серия|Seri[ea]|Series|[CС][eе][pр][iіи][яa]"

_NUMBER_DIGITS = 3
_SERIES_WORD = re.compile(r"^(?:Seri(?:es|a|e)|Серія|Серия)\s*:?\s*")
_SERIES_NUMERO = re.compile(rf"^((?:[IVXІ]{{1,3}}-)?[A-ZА-ЯІЇЄ]{{1,3}})\s*(?:{NUMERO})\.?\s*(?=\d)")


def certificate_number(text: str) -> str | None:
    """An identifier as printed after its label, single-spaced, holding at least three digits."""
    value = " ".join(strip_bidi(text).split()).strip(" .,;:")
    value = _SERIES_WORD.sub("", value)  # `Series CM No. 13865231` read after its label: `CM 13865231`
    value = _SERIES_NUMERO.sub(r"\1 ", value)
    value = re.sub(r"^(?:No\.?|Nr\.?|№)\s*", "", value)
    if value.endswith(")") and "(" not in value:
        value = value[:-1]  # `(Nr. 261/10)` under a title: the bracket closes the line, not the number
    if find_dates(value):
        return None  # `Poltava, 07.09.2017`: a closing line read under a number's label is a date, not a number
    if not value or sum(ch.isdigit() for ch in value) < _NUMBER_DIGITS or len(value) > 30:
        return None  # a lone digit is the rest of a number OCR cut off (`۱` of `۱۲۳۴۵۶`), not a number
    return _REGISTER_NUMBER.sub(r"\1 \2/\3", value)


_SLASH_LOOKALIKES = "1lI|7"


def number_twin(chosen: Found, others: list[Found], document_text: str) -> Found:
    """A bilingual certificate prints its number twice, and OCR slips on one reading more often than on
    both: where one reading has the slash the other read as `1` (`2015111953` for `2015/11953`), or the
    longer Roman numeral of a series (`II-ТА` read `|-ТА`: two strokes run into one far more often than
    one splits in two), that reading is the number."""
    if not isinstance(chosen.value, str):
        return chosen
    mine = _SERIES.fullmatch(cyrillic_series(chosen.value, document_text))
    for other in others:
        value = other.value
        if not isinstance(value, str) or value == chosen.value:
            continue
        if (
            "/" in value
            and len(value) == len(chosen.value)
            and all(a == b or (b == "/" and a in _SLASH_LOOKALIKES) for a, b in zip(chosen.value, value, strict=True))
        ):
            return other
        theirs = _SERIES.fullmatch(cyrillic_series(value, document_text))
        if (
            mine
            and theirs
            and mine.group(2, 3) == theirs.group(2, 3)
            and len(theirs.group(1) or "") > len(mine.group(1) or "")
        ):
            return other
    return chosen


_SERIES = re.compile(r"(?:([IVXІП|lШ1]{1,3})-)?([A-ZА-ЯІЇЄ]{2}) (\d{6,8})")
_ROMAN = {"І": "I", "1": "I", "l": "I", "|": "I", "П": "II", "Ш": "III"}
_CYRILLIC_STATE = re.compile(r"YKPA[IÏ1]HA|POCC[NU]", re.IGNORECASE)
_TO_CYRILLIC = str.maketrans("ABCEHKMOPTXY", "АВСЕНКМОРТХУ")


def cyrillic_series(number: str, document_text: str) -> str:
    """Ukrainian and Russian certificate series are Cyrillic letters after a Latin Roman numeral
    (`I-АВ 123456`); OCR mixes up the look-alikes (`TB`, `І-`, `П-` for `II-`): put each script back."""
    match = _SERIES.fullmatch(number)
    letters = [ch for ch in document_text if ch.isalpha()]
    cyrillic = sum(1 for ch in letters if "\u0400" <= ch <= "\u04ff")
    # A Ukrainian or Russian certificate: some Cyrillic read, or its state name read in Latin look-alikes.
    if not match or (cyrillic < 0.01 * max(1, len(letters)) and not _CYRILLIC_STATE.search(document_text)):
        return number
    roman = match.group(1)
    if roman is not None:
        roman = "".join(_ROMAN.get(ch, ch) for ch in roman)
    series = match.group(2).translate(_TO_CYRILLIC)
    return f"{roman + '-' if roman else ''}{series} {match.group(3)}"
