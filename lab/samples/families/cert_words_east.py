"""Family `words_east` (tuning): Ukrainian and Russian certificates in one script whose dates are written out
in words, as civil registers and schools print them (`дванадцятого березня тисяча дев'ятсот вісімдесят
п'ятого року`, `двадцать первого мая две тысячи двенадцатого года`), sometimes with the digits in brackets
after them. The holder is named in a sentence (`Громадянин(ка) … народився(лася) …`) or on one `Прізвище,
ім'я, по батькові` line with the patronymic; the parents' names follow. The number is a series line
(`Серія I-КВ № 123456`) above the title or at the foot; the issuing office follows `Місце державної
реєстрації` / `Выдано`."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from schemas.documents import DocumentType

from ..formats import RU_MONTHS, UK_MONTHS
from .common import Built, Page, certificate_truth, facts, patronymic

NAME = "words_east"
TYPES = (
    DocumentType.BIRTH_CERTIFICATE,
    DocumentType.MARRIAGE_CERTIFICATE,
    DocumentType.SCHOOL_CERTIFICATE,
    DocumentType.DEGREE_CERTIFICATE,
)
_UK_ORD = [
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
_RU_ORD = [
    "первого",
    "второго",
    "третьего",
    "четвёртого",
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
# tens as cardinals (before a unit) and as genitive ordinals (a round number ends the date)
_UK_TENS = {2: ("двадцять", "двадцятого"), 3: ("тридцять", "тридцятого"), 4: ("сорок", "сорокового"),
            5: ("п'ятдесят", "п'ятдесятого"), 6: ("шістдесят", "шістдесятого"), 7: ("сімдесят", "сімдесятого"),
            8: ("вісімдесят", "вісімдесятого"), 9: ("дев'яносто", "дев'яностого")}  # fmt: skip
_RU_TENS = {2: ("двадцать", "двадцатого"), 3: ("тридцать", "тридцатого"), 4: ("сорок", "сорокового"),
            5: ("пятьдесят", "пятидесятого"), 6: ("шестьдесят", "шестидесятого"), 7: ("семьдесят", "семидесятого"),
            8: ("восемьдесят", "восьмидесятого"), 9: ("девяносто", "девяностого")}  # fmt: skip


def _ordinal(n: int, ru: bool) -> str:
    """1..99 as a genitive ordinal (`двадцять першого`, `сорокового`)."""
    units, tens = (_RU_ORD, _RU_TENS) if ru else (_UK_ORD, _UK_TENS)
    if n <= 20:
        return units[n - 1]
    cardinal, ordinal = tens[n // 10]
    return ordinal if n % 10 == 0 else f"{cardinal} {units[n % 10 - 1]}"


def date_words(d: date, ru: bool) -> str:
    months = RU_MONTHS if ru else UK_MONTHS
    if d.year < 2000:
        head = "тысяча девятьсот" if ru else "тисяча дев'ятсот"
        year = f"{head} {_ordinal(d.year - 1900, ru)}"
    elif d.year == 2000:
        year = "двухтысячного" if ru else "двохтисячного"
    else:
        year = f"{'две тысячи' if ru else 'дві тисячі'} {_ordinal(d.year - 2000, ru)}"
    return f"{_ordinal(d.day, ru)} {months[d.month - 1]} {year} {'года' if ru else 'року'}"


def _printed(rng: random.Random, d: date, ru: bool) -> str:
    words = date_words(d, ru)
    return f"{words} ({d.strftime('%d.%m.%Y')})" if rng.random() < 0.4 else words


_L: dict[bool, dict[str, Any]] = {
    False: {
        "titles": {
            "birth": "СВІДОЦТВО ПРО НАРОДЖЕННЯ",
            "marriage": "СВІДОЦТВО ПРО ШЛЮБ",
            "school": "СВІДОЦТВО ПРО ЗДОБУТТЯ БАЗОВОЇ СЕРЕДНЬОЇ ОСВІТИ",
            "degree": "ДИПЛОМ БАКАЛАВРА",
        },
        "holder": "Громадянин(ка)",
        "full": "Прізвище, ім'я, по батькові",
        "born": "народився(лася)",
        "born_label": "Дата народження",
        "place": "Місце народження",
        "parents": "Батьки",
        "spouse": "Дружина (чоловік)",
        "issue": "Дата видачі",
        "office": "Місце державної реєстрації",
        "series": "Серія",
        "office_kind": {
            "birth": "Відділ ДРАЦС",
            "marriage": "Відділ ДРАЦС",
            "school": "Ліцей №",
            "degree": "Університет",
        },
        "town": "м.",
    },
    True: {
        "titles": {
            "birth": "СВИДЕТЕЛЬСТВО О РОЖДЕНИИ",
            "marriage": "СВИДЕТЕЛЬСТВО О ЗАКЛЮЧЕНИИ БРАКА",
            "school": "АТТЕСТАТ О СРЕДНЕМ ОБЩЕМ ОБРАЗОВАНИИ",
            "degree": "ДИПЛОМ БАКАЛАВРА",
        },
        "holder": "Гражданин(ка)",
        "full": "Фамилия, имя, отчество",
        "born": "родился(лась)",
        "born_label": "Дата рождения",
        "place": "Место рождения",
        "parents": "Родители",
        "spouse": "Супруг(а)",
        "issue": "Дата выдачи",
        "office": "Выдано",
        "series": "Серия",
        "office_kind": {"birth": "Отдел ЗАГС", "marriage": "Отдел ЗАГС", "school": "Школа №", "degree": "Университет"},
        "town": "г.",
    },
}


def build(rng: random.Random, doc_type: DocumentType) -> Built:
    origin = rng.choice(("UKR", "UKR", "RUS"))
    ru = origin == "RUS"
    lab = _L[ru]
    f = facts(rng, doc_type, origin, "МЮАГЛОКР" if ru else "АВЕКМНКТ")
    h = f.holder
    page = Page(family=rng.choice(("dejavu-serif", "liberation-serif", "dejavu-sans", "noto-serif")))
    x = 230
    roman = rng.choice(("I", "II", "III"))
    number = f"{roman}-{f.series} {f.digits}"
    series_line = f"{lab['series']} {roman}-{f.series} № {f.digits}"
    on_top = rng.random() < 0.5
    if on_top:
        page.text(page.width - 230, 230, series_line, 40, bold=True, align="r")
    page.text(page.width / 2, 400, lab["titles"][f.kind], 52, bold=True, align="m")
    pat, _ = patronymic(f.father, h.sex, origin)
    full = f"{h.surname} {h.given_names} {pat}"
    page.y = 580
    if rng.random() < 0.5:
        page.text(x, page.y, f"{lab['holder']} {full}", 40)
        page.y += 80
        page.text(x, page.y, f"{lab['born']} {_printed(rng, h.birth_date, ru)}", 38)
        page.y += 80
    else:
        page.text(x, page.y, f"{lab['full']}:", 34)
        page.text(x, page.y + 60, full, 44, bold=True)
        page.y += 150
        page.text(x, page.y, f"{lab['born_label']}: {_printed(rng, h.birth_date, ru)}", 38)
        page.y += 80
    page.text(x, page.y, f"{lab['place']}: {lab['town']} {h.birth_place.original}", 38)
    page.y += 100
    if f.kind == "marriage" and f.spouse is not None:
        page.text(x, page.y, f"{lab['spouse']}: {f.spouse.surname} {f.spouse.given_names}", 38)
        page.y += 80
    else:
        page.text(x, page.y, f"{lab['parents']}:", 38)
        page.text(x + 300, page.y, f"{f.father.surname} {f.father.given_names}", 38)
        page.text(x + 300, page.y + 64, f"{f.mother.surname} {f.mother.given_names}", 38)
        page.y += 160
    town = f.city[0]
    kind = lab["office_kind"][f.kind]
    office = (
        f"{kind} {rng.randint(2, 90)} {lab['town']} {town}" if kind.endswith("№") else f"{kind} {lab['town']} {town}"
    )
    page.text(x, page.y, f"{lab['office']}:", 36)
    page.text(x, page.y + 64, office, 40, bold=True)
    page.y += 170
    page.text(x, page.y, f"{lab['issue']}: {_printed(rng, f.issue, ru)}", 38)
    page.y += 140
    if not on_top:
        page.text(x, page.y, series_line, 44, bold=True)
        page.y += 100
    page.text(x, page.y + 60, "М.П.", 36)
    page.stamp(page.width - 620, page.y + 160, office)
    page.signature(x + 300, page.y + 240, rng.getrandbits(32))
    fields = certificate_truth(h, h.original_name, f.issue, office, number, place=h.birth_place.original)
    extra = {"original_script_name": h.original_name, "latin_name": h.latin_name}
    return Built(doc_type, origin.lower()[:2], fields, [page.layout], extra)
