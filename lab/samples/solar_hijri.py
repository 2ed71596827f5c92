"""Solar Hijri (Jalali) dates as Persian and Afghan documents print them: `۱۳۶۴/۱۲/۲۱`, `21 اسفند 1364`,
`21 حوت 1364` (Afghanistan names the months after the zodiac).

Written by hand and independently of the product's reader (which uses the `jdatetime` package), so the
ground truth is not computed by the code it measures. Years start at Nowruz; within 1300-1473 SH the
arithmetic 33-year rule (leap when year mod 33 is 1, 5, 9, 13, 17, 22, 26 or 30) agrees with the
astronomical calendar Iran uses, and 1 Farvardin 1300 was 21 March 1921.
"""

from __future__ import annotations

from datetime import date, timedelta

IRANIAN_MONTHS = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)
AFGHAN_MONTHS = ("حمل", "ثور", "جوزا", "سرطان", "اسد", "سنبله", "میزان", "عقرب", "قوس", "جدی", "دلو", "حوت")
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_EPOCH_YEAR, _EPOCH = 1300, date(1921, 3, 21)
_LEAP_REMAINDERS = frozenset({1, 5, 9, 13, 17, 22, 26, 30})


def is_leap(year: int) -> bool:
    return year % 33 in _LEAP_REMAINDERS


def _month_lengths(year: int) -> list[int]:
    return [31] * 6 + [30] * 5 + [30 if is_leap(year) else 29]


def to_solar_hijri(day: date) -> tuple[int, int, int]:
    """(year, month, day) of the Solar Hijri calendar for a Gregorian date from 1921-03-21 on."""
    if day < _EPOCH:
        raise ValueError(f"{day} is before 1 Farvardin {_EPOCH_YEAR}")
    year, start = _EPOCH_YEAR, _EPOCH
    while True:
        length = 366 if is_leap(year) else 365
        if day < start + timedelta(days=length):
            break
        start += timedelta(days=length)
        year += 1
    rest = (day - start).days
    for month, days in enumerate(_month_lengths(year), start=1):
        if rest < days:
            return year, month, rest + 1
        rest -= days
    raise AssertionError("unreachable")
