"""How dates and amounts are printed on generated documents, in the wordings real documents use."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from .solar_hijri import AFGHAN_MONTHS, IRANIAN_MONTHS, PERSIAN_DIGITS, to_solar_hijri

DE_MONTHS = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]
UK_MONTHS = [
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
RU_MONTHS = [
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
EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
TR_MONTHS = [
    "Ocak",
    "Şubat",
    "Mart",
    "Nisan",
    "Mayıs",
    "Haziran",
    "Temmuz",
    "Ağustos",
    "Eylül",
    "Ekim",
    "Kasım",
    "Aralık",
]
ABBR = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]


def de_date(d: date) -> str:
    return d.strftime("%d.%m.%Y")


def date_text(rng: random.Random, d: date, lang: str) -> str:
    """`d` in one of the usual printed forms for language `lang` (de, uk, ru, en, tr, ar, fa)."""
    choice = rng.random()
    if lang == "de":
        return de_date(d) if choice < 0.75 else f"{d.day}. {DE_MONTHS[d.month - 1]} {d.year}"
    if lang == "uk":
        return de_date(d) if choice < 0.4 else f"{d.day} {UK_MONTHS[d.month - 1]} {d.year} р."
    if lang == "ru":
        return de_date(d) if choice < 0.4 else f"{d.day} {RU_MONTHS[d.month - 1]} {d.year} г."
    if lang == "tr":
        return de_date(d) if choice < 0.6 else f"{d.day} {TR_MONTHS[d.month - 1]} {d.year}"
    if lang == "en":
        if choice < 0.4:
            return f"{d.day} {EN_MONTHS[d.month - 1]} {d.year}"
        return d.strftime("%d/%m/%Y") if choice < 0.7 else f"{d.day:02d} {ABBR[d.month - 1]} {d.year}"
    if lang == "fa":
        return solar_hijri_text(rng, d)
    # Arabic documents of the corpus print Gregorian dates with western digits
    return d.strftime("%Y/%m/%d") if choice < 0.5 else d.strftime("%d/%m/%Y")


def solar_hijri_text(rng: random.Random, d: date) -> str:
    """A Persian or Afghan document's date: Solar Hijri, numeric (Persian or western digits) or with the
    month's Iranian or Afghan (zodiac) name."""
    year, month, day = to_solar_hijri(d)
    choice = rng.random()
    if choice < 0.3:
        return f"{year}/{month:02d}/{day:02d}".translate(PERSIAN_DIGITS)
    if choice < 0.55:
        return f"{year}/{month:02d}/{day:02d}"
    names = IRANIAN_MONTHS if rng.random() < 0.5 else AFGHAN_MONTHS
    text = f"{day} {names[month - 1]} {year}"
    return text.translate(PERSIAN_DIGITS) if rng.random() < 0.5 else text


def id_date(d: date, style: str) -> str:
    """Dates in the visual zone of identity documents."""
    if style == "abbr":
        return f"{d.day:02d} {ABBR[d.month - 1]} {d.year}"
    if style == "abbr_short":
        return f"{d.day:02d} {ABBR[d.month - 1]} {d.strftime('%y')}"
    return de_date(d)


def amount_text(rng: random.Random, amount: Decimal) -> str:
    """441,00 € / EUR 441,00 / 441,00 EUR / EUR 441.00 (German thousands dot when needed)."""
    whole, cents = f"{amount:.2f}".split(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    german = f"{grouped},{cents}"
    choice = rng.random()
    if choice < 0.5:
        return f"{german} €"
    if choice < 0.7:
        return f"{german} EUR"
    if choice < 0.9:
        return f"EUR {german}"
    return f"EUR {int(whole)}.{cents}"
