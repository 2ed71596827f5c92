"""Validators and normalisers for the values dach extracts from notices and certificates.

Each function takes the raw text a reader would copy off the page (possibly with OCR noise) and returns the
canonical form of the CLI contract (`YYYY-MM-DD` dates, `"441.00"` amounts, a clean file number), or `None`
when the text is not a valid value. Returning `None` is how a failed validation reaches the document's
`review` flag, so these functions never guess.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import jdatetime

# Arabic-Indic (U+0660..) and Eastern Arabic-Indic / Persian (U+06F0..) digits to ASCII.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

_MONTH_WORDS: dict[int, tuple[str, ...]] = {
    1: (
        "januar",
        "jänner",
        "janner",
        "january",
        "jan",
        "janv",
        "січня",
        "січень",
        "января",
        "январь",
        "ocak",
        "يناير",
        "كانون الثاني",
        "ژانویه",
    ),
    2: (
        "februar",
        "february",
        "feb",
        "febr",
        "fev",
        "fév",
        "лютого",
        "лютий",
        "февраля",
        "февраль",
        "şubat",
        "subat",
        "فبراير",
        "شباط",
        "فوریه",
    ),
    3: (
        "märz",
        "maerz",
        "marz",
        "march",
        "mar",
        "mars",
        "mär",
        "березня",
        "березень",
        "марта",
        "март",
        "mart",
        "مارس",
        "آذار",
        "مارس",
    ),
    4: (
        "april",
        "apr",
        "avr",
        "avril",
        "квітня",
        "квітень",
        "апреля",
        "апрель",
        "nisan",
        "أبريل",
        "ابريل",
        "نيسان",
        "آوریل",
    ),
    5: ("mai", "may", "травня", "травень", "мая", "май", "mayıs", "mayis", "مايو", "أيار", "مه"),
    6: (
        "juni",
        "june",
        "jun",
        "juin",
        "червня",
        "червень",
        "июня",
        "июнь",
        "haziran",
        "يونيو",
        "حزيران",
        "ژوئن",
    ),
    7: ("juli", "july", "jul", "juil", "липня", "липень", "июля", "июль", "temmuz", "يوليو", "تموز", "ژوئیه"),
    8: (
        "august",
        "aug",
        "aou",
        "aoû",
        "août",
        "серпня",
        "серпень",
        "августа",
        "август",
        "ağustos",
        "agustos",
        "أغسطس",
        "اغسطس",
        "آب",
        "اوت",
    ),
    9: (
        "september",
        "sep",
        "sept",
        "вересня",
        "вересень",
        "сентября",
        "сентябрь",
        "eylül",
        "eylul",
        "سبتمبر",
        "أيلول",
        "سپتامبر",
    ),
    10: (
        "oktober",
        "october",
        "okt",
        "oct",
        "жовтня",
        "жовтень",
        "октября",
        "октябрь",
        "ekim",
        "أكتوبر",
        "اكتوبر",
        "تشرين الأول",
        "اکتبر",
    ),
    11: (
        "november",
        "nov",
        "листопада",
        "листопад",
        "ноября",
        "ноябрь",
        "kasım",
        "kasim",
        "نوفمبر",
        "تشرين الثاني",
        "نوامبر",
    ),
    12: (
        "dezember",
        "december",
        "dez",
        "dec",
        "déc",
        "грудня",
        "грудень",
        "декабря",
        "декабрь",
        "aralık",
        "aralik",
        "ديسمبر",
        "كانون الأول",
        "دسامبر",
    ),
}
MONTHS: dict[str, int] = {word: month for month, words in _MONTH_WORDS.items() for word in words}
# Months of the Solar Hijri (Jalali) calendar of Iran and Afghanistan: Iranian names, and the zodiac names
# Afghanistan uses; each also as OCR with ara+fas returns it, in Arabic letter forms (ي for ی, ك for ک).
_SOLAR_NAMES = (
    ("فروردین", "حمل"),
    ("اردیبهشت", "ثور"),
    ("خرداد", "جوزا"),
    ("تیر", "سرطان"),
    ("مرداد", "اسد"),
    ("شهریور", "سنبله"),
    ("مهر", "میزان"),
    ("آبان", "عقرب"),
    ("آذر", "قوس"),
    ("دی", "جدی"),
    ("بهمن", "دلو"),
    ("اسفند", "حوت"),
)
_ARABIC_FORMS = str.maketrans({"ی": "ي", "ک": "ك"})
SOLAR_MONTHS: dict[str, int] = {
    form: month
    for month, names in enumerate(_SOLAR_NAMES, start=1)
    for name in names
    for form in (name, name.translate(_ARABIC_FORMS))
}
_MONTH_ALT = "|".join(sorted((re.escape(w) for w in (*MONTHS, *SOLAR_MONTHS)), key=len, reverse=True))
# Years of the Solar Hijri calendar (1921-2095): no Gregorian date of an e-file is that early. A lunar Hijri
# date of the Gulf states would be misread as one; the agency's documents do not print those.
SOLAR_YEARS = range(1300, 1475)

# Day, month name, year: "14. März 2025", "12 MAR 1985", "12 березня 1985 р.", "12 MAR/MARS 85".
# The ordinal ending of an English or Ukrainian/Russian day (`12th March`, `the 1st of May`, `12-го березня`).
_DAY_ENDING = r"(?:st|nd|rd|th|-?го|-?ого)?(?:\s+day)?(?:\s+of)?"
_NAMED_DMY = re.compile(
    rf"(?<!\d)(\d{{1,2}}){_DAY_ENDING}(?:\s*\.?\s*|-)({_MONTH_ALT})\.?(?:\s*/\s*[^\W\d]+\.?)?(?:\s*,?\s*|-)(\d{{4}}|\d{{2}})(?!\d)",
    re.IGNORECASE,
)
# Month name, day, year: "March 14, 2025".
_NAMED_MDY = re.compile(rf"({_MONTH_ALT})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s+(\d{{4}})(?!\d)", re.IGNORECASE)
_NUMERIC_DMY = re.compile(r"(?<!\d)(\d{1,2})\s?[./\-]\s?(\d{1,2})\s?[./\-]\s?(\d{4}|\d{2})(?!\d)")
_ISO = re.compile(r"(?<!\d)(\d{4})\s?[-/.]\s?(\d{1,2})\s?[-/.]\s?(\d{1,2})(?!\d)")

# The day 3 read as the Cyrillic letter З it looks like (`З октября 2001 г.`); same length, so offsets hold.
_CYRILLIC_THREE = re.compile(rf"(?<!\w)З(?=\d?\s*(?:{_MONTH_ALT})\b)", re.IGNORECASE)

DATE_PATTERN = re.compile("|".join(p.pattern for p in (_ISO, _NAMED_DMY, _NAMED_MDY, _NUMERIC_DMY)), re.IGNORECASE)


def ascii_digits(text: str) -> str:
    """Arabic-Indic and Persian digits to ASCII digits, NFC so month names with umlauts compare equal."""
    return unicodedata.normalize("NFC", strip_bidi(text).translate(_DIGITS))


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:  # two-digit years: a birth date in the future is the previous century
        year += 2000 if year <= (dt.date.today().year % 100) else 1900
    return year


def _iso(year: int, month: int, day: int, *, solar: bool = False) -> str | None:
    """The ISO Gregorian date, or None for an impossible one. A year of `SOLAR_YEARS` (or `solar`, for a
    Solar Hijri month name) is converted from the Solar Hijri calendar with `jdatetime`."""
    try:
        if solar or year in SOLAR_YEARS:
            date = jdatetime.date(year, month, day).togregorian()
        else:
            date = dt.date(year, month, day)
    except ValueError:
        return None
    if not 1900 <= date.year <= 2100:
        return None
    return date.isoformat()


# (a closing guillemet alone too: OCR often loses the opening one to a form's dotted leader, `.#20» березня`)
_QUOTED_DAY = re.compile(r"[«\"„“]\s*(\d{1,2})\s*[»\"“”]|(?<!\d)(\d{1,2})\s*»")


def normalise_date(text: str) -> str | None:
    """The first date in `text` as ISO `YYYY-MM-DD`, or None if there is no valid date.

    Understands `14.03.2025`, `14. März 2025`, `12 MAR 1985`, `12 березня 1985`, Russian, Turkish and
    Arabic month names, `March 14, 2025`, ISO dates and Arabic-Indic digits. Numeric dates are day first.
    Solar Hijri dates of Persian and Afghan documents (`۱۳۶۴/۱۲/۲۱`, `21 اسفند 1364`, `21 حوت 1364`) are
    converted to the Gregorian calendar.
    """
    # the day in quotes of Soviet-style forms: «14» июня 2007 г.
    found = find_dates(_QUOTED_DAY.sub(lambda match: match.group(1) or match.group(2), text))
    return found[0][0] if found else None


def _folded(text: str) -> tuple[str, list[int], list[int]]:
    """`text` as the date patterns read it (ASCII digits, NFC, no direction marks) and, for each of its
    characters, where it starts and ends in `text`: dropping the marks and composing accents shortens the
    text, and a date's span must still index the text the caller holds."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for i, ch in enumerate(text):
        if _BIDI_CONTROLS.match(ch):
            continue
        ch = unicodedata.normalize("NFC", ch.translate(_DIGITS))
        if chars and unicodedata.combining(ch):
            composed = unicodedata.normalize("NFC", chars[-1] + ch)
            if len(composed) == 1:
                chars[-1], ends[-1] = composed, i + 1
                continue
        chars.append(ch)
        starts.append(i)
        ends.append(i + 1)
    return "".join(chars), starts, ends


def find_dates(text: str) -> list[tuple[str, int, int]]:
    """Every valid date in `text` as (ISO date, start, end) character offsets, in reading order."""
    if _BIDI_CONTROLS.search(text) or not unicodedata.is_normalized("NFC", text):
        folded, starts, ends = _folded(text)
        return [(iso, starts[s], ends[e - 1]) for iso, s, e in _dates(folded)]
    return _dates(text)


def _dates(text: str) -> list[tuple[str, int, int]]:
    text = _CYRILLIC_THREE.sub("3", ascii_digits(text))
    out: list[tuple[str, int, int]] = []
    taken: list[tuple[int, int]] = []
    for pattern, kind in (
        (_ISO, "iso"),
        (_NAMED_DMY, "dmy_named"),
        (_NAMED_MDY, "mdy_named"),
        (_NUMERIC_DMY, "dmy"),
    ):
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            groups = match.groups()
            if kind == "iso":
                iso = _iso(int(groups[0]), int(groups[1]), int(groups[2]))
            elif kind == "dmy_named":
                word = groups[1].lower()
                if word in SOLAR_MONTHS:
                    iso = _iso(int(groups[2]), SOLAR_MONTHS[word], int(groups[0]), solar=True)
                else:
                    iso = _iso(_year(groups[2]), MONTHS[word], int(groups[0]))
            elif kind == "mdy_named":
                iso = _iso(_year(groups[2]), MONTHS.get(groups[0].lower(), 0), int(groups[1]))
            else:
                iso = _iso(_year(groups[2]), int(groups[1]), int(groups[0]))
            if iso is not None:
                out.append((iso, start, end))
                taken.append((start, end))
    from classifiers.date_words import find_word_dates

    for iso, start, end in find_word_dates(text):  # dates in words count like their digits
        if not any(start < t_end and t_start < end for t_start, t_end in taken):
            out.append((iso, start, end))
    out.sort(key=lambda item: item[1])
    return out


_AMOUNT = re.compile(
    r"(?:(?:EUR|€)\s*)?(?<![\d.,])(\d{1,3}(?:[.\s'’]\d{3})+|\d+)(?:([.,])(\d{2}|-{1,2}))?(?![\d])\s*(?:EUR|€|Euro)?",
    re.IGNORECASE,
)
_CURRENCY = re.compile(r"EUR|€|Euro", re.IGNORECASE)


def normalise_amount(text: str) -> str | None:
    """An amount in euros as `"1234.56"`: `441,00 €`, `EUR 441.00`, `1.234,56 EUR`, `441,- €`.

    The text must name the currency (EUR, €, Euro) so a date or a file number is never read as money.
    """
    text = ascii_digits(text).replace("\u00a0", " ")
    if not _CURRENCY.search(text):
        return None
    for match in _AMOUNT.finditer(text):
        if not _CURRENCY.search(match.group(0)):
            continue
        whole = re.sub(r"[.\s'’]", "", match.group(1))
        cents = match.group(3) or "00"
        if cents.startswith("-"):
            cents = "00"
        if match.group(2) is None and re.fullmatch(r"\d{1,3}(?:[.]\d{3})+", match.group(1)) is None:
            whole = match.group(1)
        return f"{int(whole)}.{cents}"
    return None


FILE_NUMBER_LABEL = re.compile(
    r"(?:Aktenzeichen|Akten-?zeichen|Aktenz\.|Az\.?|AZ|Geschäftszeichen|Geschaftszeichen|Geschäftsz\.|"
    r"Gesch\.?-?Z(?:eichen|\.)?|GZ\.?|Unser Zeichen|Unser Az\.?|Ihr Zeichen|Kundennummer|BG-Nummer|"
    r"Nummer der Bedarfsgemeinschaft|Zeichen)(?![-/]\w)\s*[:.]?\s*",  # `AZ-2025-17` is a number, not a label
    re.IGNORECASE,
)


_PROSE_WORD = re.compile(r"[^\W\d_]*[a-zäöüß]{2}[^\W\d_]*")


def _up_to_a_word(text: str) -> str:
    """A file number without what follows it in the same row: the clerk's name or a word of prose
    (`317-70/2026 Herrmann Stiffel` → `317-70/2026`). Its first token may hold lower case (`AsylbLG-2025-7`)."""
    tokens = text.split()
    for index, token in enumerate(tokens[1:], start=1):
        if _PROSE_WORD.fullmatch(token.strip(",.;:()")):
            return " ".join(tokens[:index])
    return text


def normalise_file_number(text: str) -> str | None:
    """An Aktenzeichen/Geschäftszeichen without its label: `Az.: 50.3 - 123/25` → `50.3-123/25`.

    OCR tends to put spaces around `-` and `/`; those are removed. A value must hold a digit.
    """
    text = FILE_NUMBER_LABEL.sub("", text.strip(), count=1) if FILE_NUMBER_LABEL.match(text.strip()) else text
    text = _up_to_a_word(re.sub(r"^[|\[]\s+", "", text.strip()))  # a box's left border read as `|`
    text = re.sub(r"\s*([-/.:])\s*", r"\1", text.strip())
    text = re.sub(r"(?<=\d) (?=\d)", "", text)  # a digit group OCR split in two
    text = re.sub(r"^[1lI|]{2,3}(?=/)", lambda m: "I" * len(m.group(0)), text)  # Roman III read as 111
    text = text.strip(" .,;:")
    if not text or not re.search(r"\d", text) or len(text) > 40:
        return None
    return text


def normalise_period(text: str) -> tuple[str, str] | None:
    """A benefit period `vom 01.03.2025 bis 31.08.2025` as (start, end) ISO dates; None unless start ≤ end."""
    dates = find_dates(text)
    if len(dates) < 2:
        return None
    start, end = dates[0][0], dates[1][0]
    if start > end:
        return None
    return start, end


# Bidirectional controls OCR (and copy-paste from right-to-left text) leaves in a value: LRM, RLM, ALM, the
# embeddings, overrides and isolates. Zero-width non-joiner (U+200C) is a letter-joining rule of Persian
# spelling and stays.
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff]")


def strip_bidi(text: str) -> str:
    """`text` without invisible direction marks (an Arabic value read with U+200F still equals the truth)."""
    return _BIDI_CONTROLS.sub("", text)


# A capital I read as a lower-case l at the start of a name (`llia`, `lgor`, `lbrahim`): no name word
# starts with a lower-case l followed by a consonant or a second l.
_LOWER_L_START = re.compile(r"(?<![\w'’-])l(?=[^\Waeiouyäöüéáíóú\d_])")
_CYRILLIC_APOSTROPHE = re.compile(r"(?<=[\u0400-\u04ff])['’`´‘](?=[\u0400-\u04ff])")


def normalise_name(text: str) -> str | None:
    """A person's name with single spaces and without trailing punctuation; None if it holds digits.
    An apostrophe inside a Cyrillic name is the Ukrainian one (ʼ, U+02BC), however OCR read it."""
    text = re.sub(r"\s+", " ", strip_bidi(text)).strip(" ,;:.-")
    text = _CYRILLIC_APOSTROPHE.sub("\u02bc", text)
    text = _LOWER_L_START.sub("I", text)
    if not text or re.search(r"\d", text) or len(text) < 3:
        return None
    return text


def normalise_text(text: str) -> str | None:
    """Free text (authority, subject, place): single spaces, no direction marks, no trailing punctuation."""
    text = re.sub(r"\s+", " ", strip_bidi(text)).strip(" ,;:")
    return text or None
