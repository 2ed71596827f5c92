"""Dates written out in words, as certificates and their certified translations print them beside (or instead
of) the digits: `am zwölften März zweitausendeinundzwanzig`, `the twelfth day of March, two thousand and
twenty-one`, `on the first of May nineteen ninety-nine`.

The number words are generated (days 1-31 as ordinals, years 1900-2099), not listed by hand, so every
spelling the grammar allows is known; `find_word_dates` returns the ISO date and its character span.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

_DE_UNITS = ("", "ein", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun")
_DE_TEENS = ("zehn", "elf", "zwölf", "dreizehn", "vierzehn", "fünfzehn", "sechzehn", "siebzehn", "achtzehn", "neunzehn")
_DE_TENS = ("", "", "zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig", "neunzig")
_DE_ORDINAL_STEM = {1: "ers", 3: "drit", 7: "sieb", 8: "ach"}
_EN_UNITS = ("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_EN_TEENS = (
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
_EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_EN_ORDINAL = {
    1: "first",
    2: "second",
    3: "third",
    4: "fourth",
    5: "fifth",
    6: "sixth",
    7: "seventh",
    8: "eighth",
    9: "ninth",
    10: "tenth",
    11: "eleventh",
    12: "twelfth",
    20: "twentieth",
    30: "thirtieth",
}
_DE_MONTHS = (
    "januar",
    "februar",
    "märz",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "dezember",
)
_EN_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


def _de(n: int) -> str:
    """A German cardinal below 100 (`einundzwanzig`)."""
    if n < 10:
        return _DE_UNITS[n]
    if n < 20:
        return _DE_TEENS[n - 10]
    unit = _DE_UNITS[n % 10]
    return (unit + "und" if unit else "") + _DE_TENS[n // 10]


def _en(n: int) -> str:
    if n < 10:
        return _EN_UNITS[n]
    if n < 20:
        return _EN_TEENS[n - 10]
    return _EN_TENS[n // 10] + (f"-{_EN_UNITS[n % 10]}" if n % 10 else "")


def _de_ordinal(day: int) -> str:
    """The stem of a German ordinal (`zwölft`, `einundzwanzigst`), which takes -e, -en, -er or -es."""
    if day in _DE_ORDINAL_STEM:
        return _DE_ORDINAL_STEM[day] + "t"
    return _de(day) + ("t" if day < 20 else "st")


def _en_ordinal(day: int) -> str:
    if day in _EN_ORDINAL:
        return _EN_ORDINAL[day]
    if day < 20:
        return _en(day) + "th"
    return f"{_EN_TENS[day // 10]}-{_EN_ORDINAL[day % 10]}"


def _de_years() -> dict[str, int]:
    out = {}
    for year in range(1900, 2100):
        rest = year % 100
        if year < 2000:
            out["neunzehnhundert" + _de(rest)] = year
            out["neunzehnhundertund" + _de(rest)] = year if rest else 0
        else:
            out["zweitausend" + _de(rest)] = year
    return {k: v for k, v in out.items() if v}


def _en_years() -> dict[str, int]:
    out = {}
    for year in range(1900, 2100):
        rest = year % 100
        if year < 2000:
            out[f"nineteen {_en(rest)}" if rest >= 10 else f"nineteen oh {_en(rest)}"] = year
            out[f"nineteen hundred and {_en(rest)}" if rest else "nineteen hundred"] = year
        else:
            out[f"two thousand and {_en(rest)}" if rest else "two thousand"] = year
            if rest:
                out[f"two thousand {_en(rest)}"] = year
    return out


def _alternation(words: list[str]) -> str:
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+").replace(r"\-", r"[\s-]?") for w in ordered)


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], dict[str, int], dict[str, int], tuple[str, ...]], ...]:
    de_days = {_de_ordinal(d) + ending: d for d in range(1, 32) for ending in ("e", "en", "er", "es")}
    en_days = {_en_ordinal(d): d for d in range(1, 32)}
    de_years, en_years = _de_years(), _en_years()
    de = re.compile(
        rf"(?<![^\W\d_])(?P<day>{_alternation(list(de_days))})\s+(?P<month>{'|'.join(_DE_MONTHS)})\s+"
        rf"(?:(?:des\s+)?Jahres\s+)?(?P<year>{_alternation(list(de_years))})(?![^\W\d_])",
        re.IGNORECASE,
    )
    en = re.compile(
        rf"(?<![^\W\d_])(?P<day>{_alternation(list(en_days))})(?:\s+day)?\s+of\s+(?P<month>{'|'.join(_EN_MONTHS)})"
        rf",?\s+(?:in\s+the\s+year\s+)?(?P<year>{_alternation(list(en_years))})(?![^\W\d_])",
        re.IGNORECASE,
    )
    return ((de, de_days, de_years, _DE_MONTHS), (en, en_days, en_years, _EN_MONTHS))


def _key(text: str) -> str:
    return re.sub(r"[\s-]+", "", text.lower())


def find_word_dates(text: str) -> list[tuple[str, int, int]]:
    """Every date written in words in `text` as (ISO date, start, end), in reading order."""
    out = []
    for pattern, days, years, months in _patterns():
        day_keys = {_key(k): v for k, v in days.items()}
        year_keys = {_key(k): v for k, v in years.items()}
        for match in pattern.finditer(text):
            day = day_keys.get(_key(match.group("day")))
            year = year_keys.get(_key(match.group("year")))
            month = months.index(match.group("month").lower()) + 1
            if day is None or year is None:
                continue
            try:
                iso = dt.date(year, month, day).isoformat()
            except ValueError:
                continue
            out.append((iso, match.start(), match.end()))
    return sorted(out, key=lambda item: item[1])
