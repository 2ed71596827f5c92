"""Issue dates that no label and no closing line gave (issue 17): a year OCR cut off, a label OCR garbled.

An issue date whose year was cut (`Erbil, 11 October 1`, `Date: 1 August 2`): a stamp or a signature over
the closing line leaves the day and the month legible and one or two digits of the year. Such a date is
never read as certain, and its year is never guessed from the digits alone. The page often names the year of
the act a second time on its own: the examination session (`of the session 2011`), the year in the register
number (`Ref. No. 2423/2002`). A year printed alone, not inside a full date, is the year of the act itself;
a full date elsewhere on the page is another event's (the birth, the translation). So the cut date takes the
year only when exactly one such standalone year agrees with the digits left (as the year's start or its
end) and does not come before the birth; the reading goes to a clerk all the same.

A certificate prints two dates of its holder's life at most: the birth and the issue. When the issue date's
label was garbled (`AUSGESTEIL ATO ARE 02.02.2019`) or lost (`«11» жовтня 2024 р.` under the issuing body),
the one full date left after the birth date, not before it and not the translator's, is the issue date; read
by elimination, it too goes to a clerk. The same elimination gives the birth date whose label was lost
(`Sate of ni Mr` over `20.03.1999`): the one full date before the issue date.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from classifiers.extract import Found
from classifiers.normalise import MONTHS, find_dates
from classifiers.text import DocumentText

CERTAINTY = 0.4  # under the review line (0.5): a year completed from elsewhere on the page is always checked

_MONTH = "|".join(sorted((re.escape(word) for word in MONTHS), key=len, reverse=True))
_DAY = r"(?:[«\"„“]\s*)?(?P<day>\d{1,2})\s*[»\"“”]?\.?"
# the day and month, then one to three digits that end the line or meet a bracket (the year's twin in other
# digits, `2 April 2 (۱۴`): what is left of the year
_CUT_DMY = re.compile(
    rf"(?<!\d){_DAY}\s*(?P<month>{_MONTH})\.?,?\s+(?P<rest>\d{{1,3}})\s*(?:\(.*)?$", re.IGNORECASE | re.MULTILINE
)
_CUT_MDY = re.compile(
    rf"(?<![^\W\d_])(?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}}),?\s+(?P<rest>\d{{1,3}})\s*(?:\(.*)?$",
    re.IGNORECASE | re.MULTILINE,
)
_QUOTES = re.compile(r"[«»\"„“”]")  # the quoted day of Soviet-style forms (`«11» жовтня 2024 р.`)
# a dot OCR read as a colon between day and month (`07:02.2003`): a clock time has no year after it
_COLON_DOT = re.compile(r"(?<=\d):(?=\d{1,2}\.(?:19|20)\d\d\b)")
# a dotted date whose dots OCR lost (`17 05 2002`): two-digit day and month before a four-digit year
_LOST_DOTS = re.compile(r"(?<![\d.])(\d\d) (\d\d) ((?:19|20)\d\d)\b")
_FOUR_DIGITS = re.compile(r"\d{4}")
_STANDALONE_YEAR = re.compile(r"(?<![\d.])(?:19|20)\d\d(?![\d.]\d)")
# a line about the birth: its date is the birth date, however cut
_BIRTH_CUE = re.compile(r"\b(?:born|geboren|birth|geburt|doğum|рожд|народж|народил)", re.IGNORECASE)


def _standalone_years(text: str) -> set[int]:
    """The years the page prints on their own, outside every full date it holds."""
    inside = [(start, end) for _, start, end in find_dates(text)]
    return {
        int(match.group())
        for match in _STANDALONE_YEAR.finditer(text)
        if not any(start <= match.start() < end for start, end in inside)
    }


def _agrees(year: int, rest: str) -> bool:
    """Whether the digits left of a cut year can be its start (cut at the right) or its end (cut at the left)."""
    digits = str(year)
    return digits.startswith(rest) or digits.endswith(rest)


def cut_year_date(text: DocumentText, birth: object = None) -> Found | None:
    """The issue date whose year was cut, completed by the one standalone year of the page that agrees with
    what is left of it and is not before the birth; None when no year, or more than one, fits."""
    born = getattr(birth, "value", None)
    born_year = int(born[:4]) if isinstance(born, str) and born[:4].isdigit() else None
    years = _standalone_years(text.text)
    best: Found | None = None
    for line in text.lines:
        if _BIRTH_CUE.search(line.text):
            continue
        for pattern in (_CUT_DMY, _CUT_MDY):
            match = pattern.search(line.text)
            if match is None:
                continue
            rest = match.group("rest")
            fits = {y for y in years if _agrees(y, rest) and (born_year is None or y > born_year)}
            if len(fits) != 1:
                continue
            month = MONTHS[match.group("month").lower()]
            found = find_dates(f"{int(match.group('day'))}.{month}.{fits.pop()}")
            if found and found[0][0] != born:
                best = Found(found[0][0], line.start + match.start(), line.start + match.end(), CERTAINTY)
            break
    return best


# a line whose date is another act's: the translation and its certification, a validity
_OTHER_ACT = re.compile(
    r"[ÜU]bersetz|beeidigt|translat|перекла|перевод|tercüm|gültig|valid|expir|дійсн|действ", re.IGNORECASE
)


def _mended(line: str) -> str:
    """A line with the marks OCR slips on in dates put right, at the same length so that spans still index."""
    return _LOST_DOTS.sub(r"\1.\2.\3", _COLON_DOT.sub(".", _QUOTES.sub(" ", line)))


def _full_dates(line: str) -> list[tuple[str, int, int]]:
    """The dates of a line with their year whole: in words, or with four digits (`28.01.20` is a cut year's)."""
    return [
        (iso, start, end)
        for iso, start, end in find_dates(_mended(line))
        if _FOUR_DIGITS.search(line[start:end]) or not any(ch.isdigit() for ch in line[start:end])
    ]


def _lone_date(text: DocumentText, keep: Callable[[str], bool]) -> Found | None:
    """The one full date of the page that `keep` admits, outside the lines of another act; None if there are
    none or several."""
    others: dict[str, Found] = {}
    for line in text.lines:
        if _OTHER_ACT.search(line.text):
            continue
        for iso, start, end in _full_dates(line.text):
            if keep(iso):
                others.setdefault(iso, Found(iso, line.start + start, line.start + end, CERTAINTY))
    return next(iter(others.values())) if len(others) == 1 else None


def lone_other_date(text: DocumentText, birth: object = None) -> Found | None:
    """The one full date of the page besides the birth date, neither before the birth nor another act's
    (a translation, a validity); None without a birth date to tell it from, or with more than one such date."""
    born = getattr(birth, "value", None)
    return _lone_date(text, lambda iso: iso > born) if isinstance(born, str) else None


def lone_earlier_date(text: DocumentText, issue: object = None) -> Found | None:
    """The birth date read by the same elimination: the one full date of the page before the issue date, not
    another act's; None without an issue date to tell it from, or with more than one such date."""
    issued = getattr(issue, "value", None)
    return _lone_date(text, lambda iso: iso < issued) if isinstance(issued, str) else None
