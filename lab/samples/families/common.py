"""What every layout family shares: the built document (truth + pages), a small page writer, and the
facts a certificate is about (holder, parents or spouse, number, dates, authority).

Each family module writes its own label vocabulary and its own arrangement; only the people, places and
page primitives come from here, so the families stay independent in what a reader has to learn.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from schemas.documents import DocumentType

from ..fonts import text_width
from ..layouts import A4, PageLayout, Shape, Text
from ..names import PLACES, Person, make_person, random_date

LANDSCAPE = (A4[1], A4[0])
INK = (20, 20, 20)
GREY = (95, 95, 95)


@dataclass
class Built:
    """One generated document of a family: its truth and its page layouts (not yet rendered)."""

    type: DocumentType
    language: str
    fields: dict[str, Any]
    pages: list[PageLayout]
    extra: dict[str, str] = field(default_factory=dict)
    # identity pages drawn card-sized: laid on an A4 page by the family itself or by the generator
    card_sheets: list[object] = field(default_factory=list)


class Page:
    """A page being written: text at positions, rules and boxes; `y` is a running baseline."""

    def __init__(self, size: tuple[int, int] = A4, family: str = "dejavu-serif", background=(255, 255, 255)):
        self.layout = PageLayout(size[0], size[1], background=background)
        self.family = family
        self.y = 300.0

    @property
    def width(self) -> int:
        return self.layout.width

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: int = 40,
        *,
        bold: bool = False,
        align: str = "l",
        color: tuple[int, int, int] = INK,
        family: str | None = None,
    ) -> float:
        """Draw `text` (shrunk to stay on the page); returns its width."""
        fam = family or self.family
        limit = self.width - 120 - (x if align == "l" else 0)
        while size > 18 and text_width(text, fam, size, bold) > max(limit, 300):
            size -= 2
        self.layout.ops.append(Text(x, y, text, size, fam, bold=bold, align=align, color=color))
        return text_width(text, fam, size, bold)

    def line(self, x0: float, y0: float, x1: float, y1: float, width: int = 2, color=(120, 120, 120)) -> None:
        self.layout.ops.append(Shape("line", (x0, y0, x1, y1), color=color, width=width))

    def rect(self, box: tuple[float, float, float, float], width: int = 3, color=(60, 60, 60)) -> None:
        self.layout.ops.append(Shape("rect", box, color=color, width=width))

    def stamp(self, cx: float, cy: float, legend: str, radius: int = 200) -> None:
        self.layout.ops.append(
            Shape("stamp", (cx - radius, cy - radius, cx + radius, cy + radius), color=(40, 60, 170), text=legend)
        )

    def signature(self, x: float, y: float, seed: int) -> None:
        self.layout.ops.append(Shape("signature", (x, y - 60, x + 480, y + 70), color=(20, 30, 110), seed=seed))


@dataclass(frozen=True)
class Facts:
    """What a certificate states, in every script it may be printed in."""

    kind: str  # birth, marriage, school, degree, registration
    holder: Person
    father: Person
    mother: Person
    spouse: Person | None
    series: str
    digits: str
    issue: date
    event: date  # marriage date, graduation date; the birth date for birth certificates
    city: tuple[str, str]  # where issued: original, Latin


def mrz_type(lines: Sequence[str], width: float, height: float, face: str = "ocrb") -> tuple[int, float]:
    """The MRZ's type size on a document `width` by `height` (the largest, from 100 down, whose line of fillers
    leaves 40 px each side) and where its lines start: their first one's top, 20 px above the bottom edge."""
    size = 100
    while text_width("<" * len(lines[0]), face, size) > width - 80:
        size -= 2
    return size, height - len(lines) * size * 1.2 - 20


def draw_mrz(page: PageLayout, lines: Sequence[str], top: float, size: int, face: str = "ocrb") -> None:
    """The MRZ's `lines` printed on `page` from `top` down, in `size` (`mrz_type`)."""
    y = top
    for line in lines:
        y += size * 1.15
        page.ops.append(Text(40, y, line, size, face, color=(10, 10, 10)))


KINDS = {
    DocumentType.BIRTH_CERTIFICATE: "birth",
    DocumentType.MARRIAGE_CERTIFICATE: "marriage",
    DocumentType.SCHOOL_CERTIFICATE: "school",
    DocumentType.DEGREE_CERTIFICATE: "degree",
    DocumentType.REGISTRATION_CERTIFICATE: "registration",
}
CERTIFICATE_TYPES = tuple(KINDS)


def facts(rng: random.Random, doc_type: DocumentType, origin: str, series_letters: str = "") -> Facts:
    kind = KINDS[doc_type]
    born = {
        "birth": (date(1978, 1, 1), date(2021, 12, 31)),
        "school": (date(1982, 1, 1), date(2008, 12, 31)),
    }.get(kind, (date(1960, 1, 1), date(2003, 12, 31)))
    holder = make_person(rng, origin, born_between=born)
    father = make_person(rng, origin, sex="M", surname=(holder.surname, holder.surname_latin))
    mother = make_person(rng, origin, sex="F")
    spouse = make_person(rng, origin, sex="F" if holder.sex == "M" else "M") if kind == "marriage" else None
    after = {"birth": (0, 30), "marriage": (19, 40), "school": (17, 19), "degree": (21, 28), "registration": (18, 60)}
    lo_y, hi_y = after[kind]
    lo = min(holder.birth_date + timedelta(days=365 * lo_y + 30), date(2025, 6, 1))
    hi = min(holder.birth_date + timedelta(days=365 * hi_y + 30), date(2026, 6, 30))
    issue = random_date(rng, lo, max(hi, lo + timedelta(days=40)))
    event = holder.birth_date if kind == "birth" else issue - timedelta(days=rng.randint(0, 25))
    series = "".join(rng.choice(series_letters) for _ in range(2)) if series_letters else ""
    city = rng.choice(PLACES[origin if origin in PLACES else "SYR"])
    return Facts(kind, holder, father, mother, spouse, series, f"{rng.randint(100000, 999999)}", issue, event, city)


def certificate_truth(
    holder: Person, name: str, issued: date, authority: str, number: str, *, place: str | None = None
) -> dict[str, Any]:
    """The six certificate fields the benchmark scores, in its order: the holder's name as the family expects it
    read, the birth date, the birth place (its Latin form unless the family prints only another), the issue
    date, the issuer and the number. The benchmark's schema, not a layout: every certificate family ends here."""
    return {
        "person_name": name,
        "birth_date": holder.birth_date.isoformat(),
        "birth_place": holder.birth_place.latin if place is None else place,
        "issue_date": issued.isoformat(),
        "issuing_authority": authority,
        "certificate_number": number,
    }


def patronymic(father: Person, sex: str, origin: str) -> tuple[str, str]:
    """(Cyrillic, Latin) patronymic formed from the father's first given name (Ukrainian or Russian)."""
    from ..names import latin_display

    first = father.given_names.split()[0]
    uk = origin == "UKR"
    if first.endswith("й"):
        stem, male, female = first[:-1], ("йович" if uk else "евич"), ("ївна" if uk else "евна")
    elif first.endswith(("а", "я")):
        stem, male, female = first[:-1], "ович", ("івна" if uk else "овна")
    else:
        stem, male, female = first, "ович", ("івна" if uk else "овна")
    cyr = stem + (male if sex == "M" else female)
    return cyr, latin_display(cyr, origin)


_DE_ORD = [
    "ersten",
    "zweiten",
    "dritten",
    "vierten",
    "fünften",
    "sechsten",
    "siebten",
    "achten",
    "neunten",
    "zehnten",
    "elften",
    "zwölften",
    "dreizehnten",
    "vierzehnten",
    "fünfzehnten",
    "sechzehnten",
    "siebzehnten",
    "achtzehnten",
    "neunzehnten",
    "zwanzigsten",
    "einundzwanzigsten",
    "zweiundzwanzigsten",
    "dreiundzwanzigsten",
    "vierundzwanzigsten",
    "fünfundzwanzigsten",
    "sechsundzwanzigsten",
    "siebenundzwanzigsten",
    "achtundzwanzigsten",
    "neunundzwanzigsten",
    "dreißigsten",
    "einunddreißigsten",
]
_EN_ORD = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
    "twenty-first",
    "twenty-second",
    "twenty-third",
    "twenty-fourth",
    "twenty-fifth",
    "twenty-sixth",
    "twenty-seventh",
    "twenty-eighth",
    "twenty-ninth",
    "thirtieth",
    "thirty-first",
]
_DE_UNITS = ["null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun"]
_DE_TEENS = ["zehn", "elf", "zwölf", "dreizehn", "vierzehn", "fünfzehn", "sechzehn", "siebzehn", "achtzehn", "neunzehn"]
_DE_TENS = ["_", "_", "zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig", "neunzig"]
_EN_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_EN_TEENS = [
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
]
_EN_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _de_under_100(n: int) -> str:
    if n < 10:
        return "ein" if n == 1 else _DE_UNITS[n]
    if n < 20:
        return _DE_TEENS[n - 10]
    unit = n % 10
    return (("ein" if unit == 1 else _DE_UNITS[unit]) + "und" if unit else "") + _DE_TENS[n // 10]


def _en_under_100(n: int) -> str:
    if n < 10:
        return _EN_UNITS[n]
    if n < 20:
        return _EN_TEENS[n - 10]
    return _EN_TENS[n // 10] + (f"-{_EN_UNITS[n % 10]}" if n % 10 else "")


def de_year_words(year: int) -> str:
    if year < 2000:
        return "neunzehnhundert" + _de_under_100(year - 1900)
    return "zweitausend" + (_de_under_100(year - 2000) if year > 2000 else "")


def en_year_words(year: int) -> str:
    if year < 2000:
        return "nineteen " + (_en_under_100(year - 1900) if year > 1909 else f"oh {_EN_UNITS[year - 1900]}")
    return "two thousand" + (f" and {_en_under_100(year - 2000)}" if year > 2000 else "")


def de_date_words(d: date) -> str:
    from ..formats import DE_MONTHS

    return f"{_DE_ORD[d.day - 1]} {DE_MONTHS[d.month - 1]} {de_year_words(d.year)}"


def en_date_words(d: date) -> str:
    from ..formats import EN_MONTHS

    return f"the {_EN_ORD[d.day - 1]} day of {EN_MONTHS[d.month - 1]}, {en_year_words(d.year)}"
