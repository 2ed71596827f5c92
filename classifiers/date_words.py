"""Dates written out in words, as certificates and their certified translations print them beside (or instead
of) the digits: `am zwölften März zweitausendeinundzwanzig`, `the twelfth day of March, two thousand and
twenty-one`, `on the first of May nineteen ninety-nine`, and as Ukrainian and Russian civil registers print
them, in the genitive (`дванадцятого березня тисяча дев'ятсот вісімдесят п'ятого року`, `двадцать первого
мая две тысячи двенадцатого года`).

The number words are generated (days 1-31 as ordinals, years 1900-2099), not listed by hand, so every
spelling the grammar allows is known; `find_word_dates` returns the ISO date and its character span.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
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


# Turkish cardinals (a Turkish date in words counts the day and the year: `on iki Mart iki bin yirmi bir`), and the
# months as printed and as OCR reads them without their marks (`Subat`, `Agustos`, `Aralik`)
_TR_UNITS = ("", "bir", "iki", "üç", "dört", "beş", "altı", "yedi", "sekiz", "dokuz")
_TR_TENS = ("", "on", "yirmi", "otuz", "kırk", "elli", "altmış", "yetmiş", "seksen", "doksan")
_TR_MONTHS = (
    "ocak",
    "şubat",
    "mart",
    "nisan",
    "mayıs",
    "haziran",
    "temmuz",
    "ağustos",
    "eylül",
    "ekim",
    "kasım",
    "aralık",
)
_TR_MARKS = str.maketrans("şğıüöçİI", "sgiuocii")


# Ukrainian and Russian ordinals in the genitive (a date says "of the twelfth"): 1-20, then the tens, each
# as the cardinal that precedes a unit and as the ordinal a round number ends with.
_UK_ORDINALS = [
    "першого",
    "другого",
    "третього",
    "четвертого",
    "п'ятого",
    "шостого",
    "сьомого",
    "восьмого",
    "дев'ятого",
    "десятого",
    "одинадцятого",
    "дванадцятого",
    "тринадцятого",
    "чотирнадцятого",
    "п'ятнадцятого",
    "шістнадцятого",
    "сімнадцятого",
    "вісімнадцятого",
    "дев'ятнадцятого",
    "двадцятого",
]
_RU_ORDINALS = [
    "первого",
    "второго",
    "третьего",
    "четвертого",
    "пятого",
    "шестого",
    "седьмого",
    "восьмого",
    "девятого",
    "десятого",
    "одиннадцатого",
    "двенадцатого",
    "тринадцатого",
    "четырнадцатого",
    "пятнадцатого",
    "шестнадцатого",
    "семнадцатого",
    "восемнадцатого",
    "девятнадцатого",
    "двадцатого",
]
_UK_TENS = {
    2: ("двадцять", "двадцятого"),
    3: ("тридцять", "тридцятого"),
    4: ("сорок", "сорокового"),
    5: ("п'ятдесят", "п'ятдесятого"),
    6: ("шістдесят", "шістдесятого"),
    7: ("сімдесят", "сімдесятого"),
    8: ("вісімдесят", "вісімдесятого"),
    9: ("дев'яносто", "дев'яностого"),
}
_RU_TENS = {
    2: ("двадцать", "двадцатого"),
    3: ("тридцать", "тридцатого"),
    4: ("сорок", "сорокового"),
    5: ("пятьдесят", "пятидесятого"),
    6: ("шестьдесят", "шестидесятого"),
    7: ("семьдесят", "семидесятого"),
    8: ("восемьдесят", "восьмидесятого"),
    9: ("девяносто", "девяностого"),
}
_UK_MONTHS = [
    "січня",
    "лютого",
    "березня",
    "квітня",
    "травня",
    "червня",
    "липня",
    "серпня",
    "вересня",
    "жовтня",
    "листопада",
    "грудня",
]
_RU_MONTHS = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
]


def _east_ordinal(n: int, russian: bool) -> str:
    """1..99 as a Ukrainian or Russian genitive ordinal (`двадцять першого`, `сорокового`)."""
    units, tens = (_RU_ORDINALS, _RU_TENS) if russian else (_UK_ORDINALS, _UK_TENS)
    if n <= 20:
        return units[n - 1]
    cardinal, ordinal = tens[n // 10]
    return ordinal if n % 10 == 0 else f"{cardinal} {units[n % 10 - 1]}"


def _east_years(russian: bool) -> dict[str, int]:
    """`тисяча дев'ятсот вісімдесят п'ятого`, `двохтисячного`, `дві тисячі дванадцятого` / `двох тисяч …`."""
    thousand_900 = "тысяча девятьсот" if russian else "тисяча дев'ятсот"
    out = {f"{thousand_900} {_east_ordinal(year - 1900, russian)}": year for year in range(1901, 2000)}
    out["двухтысячного" if russian else "двохтисячного"] = 2000
    for head in ("две тысячи", "двух тысяч") if russian else ("дві тисячі", "двох тисяч"):
        out.update({f"{head} {_east_ordinal(year - 2000, russian)}": year for year in range(2001, 2100)})
    return out


def _with_yo(words: dict[str, int]) -> dict[str, int]:
    """Russian `четвертого` also as printed with its ё (`четвёртого`)."""
    return words | {k.replace("четвертого", "четвёртого"): v for k, v in words.items() if "четвертого" in k}


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


def _tr(n: int) -> str:
    """A Turkish cardinal below 100 (`yirmi bir`)."""
    return " ".join(w for w in (_TR_TENS[n // 10], _TR_UNITS[n % 10]) if w)


def _tr_years() -> dict[str, int]:
    """`bin dokuz yüz seksen beş`, `iki bin`, `iki bin yirmi bir`, each also without its marks."""
    out = {}
    for year in range(1900, 2100):
        head = "bin dokuz yüz" if year < 2000 else "iki bin"
        out[f"{head} {_tr(year % 100)}".strip()] = year
    return out | {k.translate(_TR_MARKS): v for k, v in out.items()}


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
    return "|".join(
        re.escape(w).replace(r"\ ", r"\s+").replace(r"\-", r"[\s-]?").replace("'", _APOSTROPHE) for w in ordered
    )


_APOSTROPHE = "['’ʼ`]?"  # the Ukrainian apostrophe, as fonts print it and OCR reads it (or loses it)


@dataclass(frozen=True)
class _Grammar:
    """One language's date-in-words pattern, its day and year words by their spacing-free key, its months."""

    pattern: re.Pattern[str]
    days: dict[str, int]
    years: dict[str, int]
    months: tuple[str, ...]

    @property
    def month_names(self) -> re.Pattern[str]:
        return _month_names(self.months)


@cache
def _month_names(months: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(months), re.IGNORECASE)


@cache
def _patterns() -> tuple[_Grammar, ...]:
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
    tr_days = {_tr(d): d for d in range(1, 32)}
    tr_days |= {k.translate(_TR_MARKS): v for k, v in tr_days.items()}
    tr_years = _tr_years()
    tr_months = (*_TR_MONTHS, *(m.translate(_TR_MARKS) for m in _TR_MONTHS))  # twelve, then twelve plain
    tr = re.compile(
        rf"(?<![^\W\d_])(?P<day>{_alternation(list(tr_days))})\s+(?P<month>{'|'.join(tr_months)})\s+"
        rf"(?P<year>{_alternation(list(tr_years))})(?:\s+yılı)?(?![^\W\d_])",
        re.IGNORECASE,
    )
    east = []
    for russian, months in ((False, _UK_MONTHS), (True, _RU_MONTHS)):
        days = _with_yo({_east_ordinal(d, russian): d for d in range(1, 32)})
        years = _with_yo(_east_years(russian))
        suffix = r"года|г\." if russian else r"року|р\."
        pattern = re.compile(
            rf"(?<![^\W\d_])(?P<day>{_alternation(list(days))})\s+(?P<month>{'|'.join(months)})\s+"
            rf"(?P<year>{_alternation(list(years))})(?:\s+(?:{suffix}))?(?![^\W\d_])",
            re.IGNORECASE,
        )
        east.append((pattern, days, years, tuple(months)))
    return tuple(
        _Grammar(pattern, {_key(k): v for k, v in days.items()}, {_key(k): v for k, v in years.items()}, months)
        for pattern, days, years, months in (
            (de, de_days, de_years, _DE_MONTHS),
            (en, en_days, en_years, _EN_MONTHS),
            (tr, tr_days, tr_years, tr_months),
            *east,
        )
    )


def _key(text: str) -> str:
    return re.sub(r"[\s\-'’ʼ`]+", "", text.lower().replace("ё", "е"))


def find_word_dates(text: str) -> list[tuple[str, int, int]]:
    """Every date written in words in `text` as (ISO date, start, end), in reading order."""
    out = []
    for grammar in _patterns():
        if not grammar.month_names.search(text):  # no month named: the long day and year alternations not tried
            continue
        for match in grammar.pattern.finditer(text):
            day = grammar.days.get(_key(match.group("day")))
            year = grammar.years.get(_key(match.group("year")))
            month = grammar.months.index(match.group("month").lower()) % 12 + 1  # (Turkish: marked, then plain)
            if day is None or year is None:
                continue
            try:
                iso = dt.date(year, month, day).isoformat()
            except ValueError:
                continue
            out.append((iso, match.start(), match.end()))
    return sorted(out, key=lambda item: item[1])
