"""Family `diploma_halves`: Ukrainian and Russian diplomas and school certificates on a landscape page, the
original language in the left half and its English version in the right half, side by side (not one above the
other). The holder is set large without a label, the surname on one line and the given names (with the
patronymic in the original) on the line below, Cyrillic left and Latin right; the birth date and place on one
line of their own under the name (`date and place of birth 14.10.1960, Odesa`); the institution named in each
half's heading and again in the sentence (`закінчив(ла) …` / `graduated from …`); the number as a series
without a Roman numeral (`ВА № 12345678`, `Series ВА No. 12345678`) and the issue date labelled at the foot of
each half."""

from __future__ import annotations

import random
from datetime import date

from schemas.documents import DocumentType

from ..formats import EN_MONTHS, RU_MONTHS, UK_MONTHS
from .common import GREY, LANDSCAPE, Built, Page, certificate_truth, facts, patronymic

NAME = "diploma_halves"
TYPES = (DocumentType.DEGREE_CERTIFICATE, DocumentType.SCHOOL_CERTIFICATE)

_TITLES: dict[str, dict[str, tuple[str, str]]] = {
    "UKR": {
        "degree": ("ДИПЛОМ", "БАКАЛАВРА"),
        "school": ("СВІДОЦТВО", "ПРО ЗДОБУТТЯ ПОВНОЇ ЗАГАЛЬНОЇ СЕРЕДНЬОЇ ОСВІТИ"),
    },
    "RUS": {"degree": ("ДИПЛОМ", "БАКАЛАВРА"), "school": ("АТТЕСТАТ", "О СРЕДНЕМ ОБЩЕМ ОБРАЗОВАНИИ")},
    "en": {"degree": ("BACHELOR'S DIPLOMA", ""), "school": ("CERTIFICATE", "OF COMPLETE GENERAL SECONDARY EDUCATION")},
}
_TEXT: dict[str, dict[str, str]] = {
    "UKR": {
        "finished": "у {year} році закінчив(ла)",
        "born": "дата та місце народження {date}, м. {place}",
        "issued": "Дата видачі {date}",
        "degree_body": "Національний університет «{town} політехніка»",
        "school_body": "Ліцей № {n} м. {town}",
        "obtained": "здобув(ла) ступінь вищої освіти бакалавра",
        "completed": "повну загальну середню освіту",
        "series": "{series} № {digits}",
    },
    "RUS": {
        "finished": "в {year} году окончил(а)",
        "born": "дата и место рождения {date}, г. {place}",
        "issued": "Дата выдачи {date}",
        "degree_body": "Государственный технический университет г. {town}",
        "school_body": "Средняя школа № {n} г. {town}",
        "obtained": "присвоена квалификация бакалавра",
        "completed": "среднее общее образование",
        "series": "{series} № {digits}",
    },
}
_EN: dict[str, str] = {
    "finished": "graduated in {year} from",
    "born": "date and place of birth {date}, {place}",
    "issued": "Date of issue {date}",
    "degree_body": "{town} Polytechnic National University",
    "degree_body_ru": "State Technical University of {town}",
    "school_body": "Lyceum No. {n}, {town}",
    "school_body_ru": "Secondary School No. {n}, {town}",
    "obtained": "and obtained the Bachelor's degree",
    "completed": "having completed general secondary education",
    "series": "Series {series} No. {digits}",
}


def _original_date(d: date, origin: str) -> str:
    months = UK_MONTHS if origin == "UKR" else RU_MONTHS
    return f"{d.day} {months[d.month - 1]} {d.year} {'року' if origin == 'UKR' else 'года'}"


def _english_date(d: date) -> str:
    return f"{d.day} {EN_MONTHS[d.month - 1]} {d.year}"


def build(rng: random.Random, doc_type: DocumentType) -> Built:
    origin = rng.choice(("UKR", "UKR", "RUS"))
    f = facts(rng, doc_type, origin, "АВЕКМНОРСТ")
    h = f.holder
    t = _TEXT[origin]
    page = Page(size=LANDSCAPE, family=rng.choice(("dejavu-serif", "liberation-serif", "dejavu-sans")))
    width = page.width
    mid = width / 2
    left, right = mid / 2, mid + mid / 2  # centres of the two halves
    page.line(mid, 180, mid, page.layout.height - 180, width=2)
    town, town_l = f.city
    n = rng.randint(2, 140)
    kind = f.kind
    body = t[f"{kind}_body"].format(town=town, n=n)
    body_l = _EN[f"{kind}_body" + ("_ru" if origin == "RUS" else "")].format(town=town_l, n=n)
    if origin == "UKR" and kind == "degree":
        body = f"Національний університет м. {town}"
        body_l = f"National University of {town_l}"
    # each half's heading: the institution, then the title
    page.text(left, 260, body, 30, align="m")
    page.text(right, 260, body_l, 30, align="m")
    title, subtitle = _TITLES[origin][kind]
    title_l, subtitle_l = _TITLES["en"][kind]
    page.text(left, 400, title, 64, bold=True, align="m")
    page.text(right, 400, title_l, 56, bold=True, align="m")
    if subtitle:
        page.text(left, 480, subtitle, 30, bold=True, align="m")
    if subtitle_l:
        page.text(right, 480, subtitle_l, 28, bold=True, align="m")
    digits = f.digits + f"{rng.randint(10, 99)}"
    page.text(left, 560, t["series"].format(series=f.series, digits=digits), 34, align="m")
    page.text(right, 560, _EN["series"].format(series=f.series, digits=digits), 34, align="m")
    # the holder, without a label: surname over given names
    pat, _ = patronymic(f.father, h.sex, origin)
    page.text(left, 700, h.surname, 56, bold=True, align="m")
    page.text(left, 780, f"{h.given_names} {pat}", 46, bold=True, align="m")
    page.text(right, 700, h.surname_latin.upper(), 52, bold=True, align="m")
    page.text(right, 780, h.given_latin, 46, bold=True, align="m")
    born = h.birth_date.strftime("%d.%m.%Y")
    page.text(left, 880, t["born"].format(date=born, place=h.birth_place.original), 30, align="m", color=GREY)
    page.text(right, 880, _EN["born"].format(date=born, place=h.birth_place.latin), 30, align="m", color=GREY)
    y = 960
    graduated = f.issue.year
    page.text(left, y, t["finished"].format(year=graduated), 32, align="m")
    page.text(right, y, _EN["finished"].format(year=graduated), 32, align="m")
    page.text(left, y + 60, body, 32, align="m")
    page.text(right, y + 60, body_l, 32, align="m")
    page.text(left, y + 120, t["obtained" if kind == "degree" else "completed"], 32, align="m")
    page.text(right, y + 120, _EN["obtained" if kind == "degree" else "completed"], 32, align="m")
    foot = page.layout.height - 420
    page.text(left, foot, t["issued"].format(date=_original_date(f.issue, origin)), 30, align="m")
    page.text(right, foot, _EN["issued"].format(date=_english_date(f.issue)), 30, align="m")
    page.stamp(mid - 330, foot + 190, body, radius=150)
    page.signature(right + 120, foot + 170, rng.getrandbits(32))
    fields = certificate_truth(h, h.latin_name, f.issue, body_l, f"{f.series} {digits}")
    extra = {"original_script_name": h.original_name, "latin_name": h.latin_name}
    return Built(doc_type, f"{origin.lower()[:2]}-en", fields, [page.layout], extra)
