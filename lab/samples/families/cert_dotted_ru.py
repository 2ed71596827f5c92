"""Family `dotted_ru`: Soviet-style forms in one script (Russian or Ukrainian only, no Latin): each label
followed on the same line by dotted leaders and the value, the name on Фамилия / Имя / Отчество rows, dates
as «11» июня 1989 г., and a series-and-number line (`Серия II-МЮ № 654321`). Registration certificates as a
German form with dotted leaders."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from schemas.documents import DocumentType

from ..formats import RU_MONTHS, UK_MONTHS, de_date
from ..names import Person, german_address
from .common import CERTIFICATE_TYPES, Built, Facts, Page, certificate_truth, facts, patronymic

NAME = "dotted_ru"
TYPES = CERTIFICATE_TYPES
_L: dict[str, dict[str, Any]] = {
    "RUS": {
        "surname": "Фамилия",
        "given": "Имя",
        "patronymic": "Отчество",
        "born": "Дата рождения",
        "place": "Место рождения",
        "father": "Отец",
        "mother": "Мать",
        "spouse": "Супруга (супруг)",
        "issue": "Дата выдачи",
        "office": "Место государственной регистрации",
        "series": "Серия",
        "titles": {
            "birth": "СВИДЕТЕЛЬСТВО О РОЖДЕНИИ",
            "marriage": "СВИДЕТЕЛЬСТВО О ЗАКЛЮЧЕНИИ БРАКА",
            "school": "АТТЕСТАТ ОБ ОСНОВНОМ ОБЩЕМ ОБРАЗОВАНИИ",
            "degree": "ДИПЛОМ СПЕЦИАЛИСТА",
        },
    },
    "UKR": {
        "surname": "Прізвище",
        "given": "Ім'я",
        "patronymic": "По батькові",
        "born": "Народився(лась)",
        "place": "Місце народження",
        "father": "Батько",
        "mother": "Мати",
        "spouse": "Дружина (чоловік)",
        "issue": "Дата видачі",
        "office": "Орган державної реєстрації",
        "series": "Серія",
        "titles": {
            "birth": "СВІДОЦТВО ПРО НАРОДЖЕННЯ",
            "marriage": "СВІДОЦТВО ПРО ШЛЮБ",
            "school": "СВІДОЦТВО ПРО БАЗОВУ СЕРЕДНЮ ОСВІТУ",
            "degree": "ДИПЛОМ СПЕЦІАЛІСТА",
        },
    },
}


def _words(d: date, origin: str) -> str:
    months = RU_MONTHS if origin == "RUS" else UK_MONTHS
    return f"«{d.day:02d}» {months[d.month - 1]} {d.year} {'г.' if origin == 'RUS' else 'р.'}"


def _dotted(page: Page, x: float, label: str, value: str, right: float) -> None:
    width = page.text(x, page.y, label, 36)
    page.text(x + width + 10, page.y, "." * 40, 36, color=(120, 120, 120))
    page.text(x + 760, page.y, value, 44, bold=True)
    page.line(x + 740, page.y + 12, right, page.y + 12, width=1)
    page.y += 110


def build(rng: random.Random, doc_type: DocumentType) -> Built:
    if doc_type is DocumentType.REGISTRATION_CERTIFICATE:
        return _registration(rng)
    origin = rng.choice(("RUS", "RUS", "UKR"))
    lab = _L[origin]
    f = facts(rng, doc_type, origin, "МЮАГЛОКР" if origin == "RUS" else "АВЕКМН")
    h = f.holder
    page = Page(family=rng.choice(("dejavu-serif", "liberation-serif")))
    x, right = 230, page.width - 230
    page.text(page.width / 2, 380, lab["titles"][f.kind], 58, bold=True, align="m")
    page.y = 560
    pat, _ = patronymic(f.father, h.sex, origin)
    _dotted(page, x, lab["surname"], h.surname, right)
    _dotted(page, x, lab["given"], h.given_names, right)
    _dotted(page, x, lab["patronymic"], pat, right)
    _dotted(page, x, lab["born"], _words(h.birth_date, origin), right)
    _dotted(page, x, lab["place"], h.birth_place.original, right)
    if f.kind == "birth":
        fp, _ = patronymic(make_grandfather(rng, f), "M", origin)
        _dotted(page, x, lab["father"], f"{f.father.surname} {f.father.given_names} {fp}", right)
        _dotted(page, x, lab["mother"], f"{f.mother.surname} {f.mother.given_names}", right)
    elif f.kind == "marriage" and f.spouse is not None:
        _dotted(page, x, lab["spouse"], f"{f.spouse.surname} {f.spouse.given_names}", right)
    town = f.city[0]
    office = {
        "birth": f"Отдел ЗАГС г. {town}" if origin == "RUS" else f"Відділ ДРАЦС м. {town}",
        "marriage": f"Отдел ЗАГС г. {town}" if origin == "RUS" else f"Відділ ДРАЦС м. {town}",
        "school": f"Школа № {rng.randint(2, 99)} г. {town}"
        if origin == "RUS"
        else f"Школа № {rng.randint(2, 99)} м. {town}",
        "degree": f"Университет г. {town}" if origin == "RUS" else f"Університет м. {town}",
    }[f.kind]
    _dotted(page, x, lab["office"], office, right)
    _dotted(page, x, lab["issue"], _words(f.issue, origin), right)
    roman = rng.choice(("I", "II", "III"))
    page.y += 80
    page.text(x, page.y, f"{lab['series']} {roman}-{f.series} № {f.digits}", 48, bold=True)
    page.text(x, page.y + 200, "М.П.", 36)
    page.stamp(page.width - 620, page.y + 260, office)
    page.signature(x + 300, page.y + 380, rng.getrandbits(32))
    fields = certificate_truth(
        h, h.original_name, f.issue, office, f"{roman}-{f.series} {f.digits}", place=h.birth_place.original
    )
    extra = {"original_script_name": h.original_name, "latin_name": h.latin_name}
    return Built(doc_type, origin.lower()[:2], fields, [page.layout], extra)


def make_grandfather(rng: random.Random, f: Facts) -> Person:
    from ..names import make_person

    return make_person(rng, f.holder.origin, sex="M")


def _registration(rng: random.Random) -> Built:
    origin = rng.choice(("UKR", "SYR", "AFG", "RUS", "IRN"))
    f = facts(rng, DocumentType.REGISTRATION_CERTIFICATE, origin)
    h = f.holder
    town = rng.choice(("Weißenfels", "Lützen", "Naumburg (Saale)", "Zeitz"))
    authority = f"Meldebehörde der Stadt {town}"
    page = Page(family=rng.choice(("liberation-serif", "dejavu-serif")))
    x, right = 230, page.width - 230
    page.text(x, 250, authority, 36)
    page.text(page.width / 2, 430, "MELDEBESCHEINIGUNG", 58, bold=True, align="m")
    page.y = 600
    street, postcode, place = german_address(rng)
    number = f"{rng.randint(1000, 9999)}/{f.issue.year % 100:02d}"
    _dotted(page, x, "Name, Vorname", f"{h.surname_latin}, {h.given_latin}", right)
    _dotted(page, x, "geboren am", de_date(h.birth_date), right)
    _dotted(page, x, "in", h.birth_place.latin, right)
    _dotted(page, x, "wohnhaft", f"{street}, {postcode} {place}", right)
    _dotted(page, x, "Bescheinigungs-Nr.", number, right)
    _dotted(page, x, "ausgestellt am", de_date(f.issue), right)
    page.stamp(page.width - 600, page.y + 250, authority)
    fields = certificate_truth(h, f"{h.surname_latin}, {h.given_latin}", f.issue, authority, number)
    return Built(DocumentType.REGISTRATION_CERTIFICATE, "de", fields, [page.layout], {"latin_name": h.latin_name})
