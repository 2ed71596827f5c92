"""Family `ruled_twin`: certificates as a ruled table of label cells and value cells, each label stacked in two
languages (`Прізвище` over `Surname` or `Familienname`), each Cyrillic value printed twice, the Latin
transliteration under it; the holder's name over surname / given name / patronymic rows, the parents' or the
spouse's names right under the holder's rows, the number on a series line above the table
(`Серія I-АБ № 123456`), the issuing body in the letterhead only or also in a row, and the issue date in a
row or only in the closing line `<Ort>, <Datum>` above the signature. Turkish certificates as the same table
in one script (Turkish over English labels)."""

from __future__ import annotations

import random
from datetime import date

from schemas.documents import DocumentType

from ..formats import DE_MONTHS, EN_MONTHS, RU_MONTHS, TR_MONTHS, UK_MONTHS, de_date
from ..names import Person, german_address
from .common import CERTIFICATE_TYPES, GREY, Built, Facts, Page, certificate_truth, facts, patronymic

NAME = "ruled_twin"
TYPES = CERTIFICATE_TYPES

# label keys: surname, given, patronymic, born, place, father, mother, spouse, address, issue, office
_LABELS: dict[str, dict[str, str]] = {
    "UKR": {
        "surname": "Прізвище",
        "given": "Ім'я",
        "patronymic": "По батькові",
        "born": "Дата народження",
        "place": "Місце народження",
        "father": "Батько",
        "mother": "Мати",
        "spouse": "Дружина / чоловік",
        "address": "Адреса",
        "issue": "Дата видачі",
        "office": "Орган, що видав",
    },
    "RUS": {
        "surname": "Фамилия",
        "given": "Имя",
        "patronymic": "Отчество",
        "born": "Дата рождения",
        "place": "Место рождения",
        "father": "Отец",
        "mother": "Мать",
        "spouse": "Супруг(а)",
        "address": "Адрес",
        "issue": "Дата выдачи",
        "office": "Орган выдачи",
    },
    "TUR": {
        "surname": "Soyadı",
        "given": "Adı",
        "born": "Doğum Tarihi",
        "place": "Doğum Yeri",
        "father": "Baba Adı",
        "mother": "Ana Adı",
        "spouse": "Eşi",
        "address": "Adres",
        "issue": "Veriliş Tarihi",
        "office": "Veren Makam",
    },
    "en": {
        "surname": "Surname",
        "given": "Given names",
        "patronymic": "Patronymic",
        "born": "Date of birth",
        "place": "Place of birth",
        "father": "Father",
        "mother": "Mother",
        "spouse": "Spouse",
        "address": "Address",
        "issue": "Date of issue",
        "office": "Issuing authority",
    },
    "de": {
        "surname": "Familienname",
        "given": "Vornamen",
        "patronymic": "Vatersname",
        "born": "Geburtsdatum",
        "place": "Geburtsort",
        "father": "Vater",
        "mother": "Mutter",
        "spouse": "Ehegatte",
        "address": "Anschrift",
        "issue": "Ausstellungsdatum",
        "office": "Ausstellende Behörde",
    },
}
_TITLES = {
    "UKR": {
        "birth": "СВІДОЦТВО ПРО НАРОДЖЕННЯ",
        "marriage": "СВІДОЦТВО ПРО ШЛЮБ",
        "school": "СВІДОЦТВО ПРО ЗДОБУТТЯ ПОВНОЇ ЗАГАЛЬНОЇ СЕРЕДНЬОЇ ОСВІТИ",
        "degree": "ДИПЛОМ БАКАЛАВРА",
        "registration": "ДОВІДКА ПРО РЕЄСТРАЦІЮ МІСЦЯ ПРОЖИВАННЯ",
    },
    "RUS": {
        "birth": "СВИДЕТЕЛЬСТВО О РОЖДЕНИИ",
        "marriage": "СВИДЕТЕЛЬСТВО О ЗАКЛЮЧЕНИИ БРАКА",
        "school": "АТТЕСТАТ О СРЕДНЕМ ОБЩЕМ ОБРАЗОВАНИИ",
        "degree": "ДИПЛОМ БАКАЛАВРА",
        "registration": "СПРАВКА О РЕГИСТРАЦИИ ПО МЕСТУ ЖИТЕЛЬСТВА",
    },
    "TUR": {
        "birth": "DOĞUM BELGESİ",
        "marriage": "EVLENME BELGESİ",
        "school": "LİSE DİPLOMASI",
        "degree": "LİSANS DİPLOMASI",
        "registration": "YERLEŞİM YERİ BELGESİ",
    },
    "en": {
        "birth": "BIRTH CERTIFICATE",
        "marriage": "MARRIAGE CERTIFICATE",
        "school": "SECONDARY EDUCATION CERTIFICATE",
        "degree": "BACHELOR DIPLOMA",
        "registration": "CERTIFICATE OF RESIDENCE",
    },
    "de": {
        "birth": "GEBURTSURKUNDE",
        "marriage": "EHEURKUNDE",
        "school": "ABSCHLUSSZEUGNIS",
        "degree": "BACHELORURKUNDE",
        "registration": "MELDEBESCHEINIGUNG",
    },
}


def _offices(kind: str, origin: str, town: str, town_l: str, number: int, second: str) -> tuple[str, str]:
    """The issuing body in the original language and in the second language."""
    original = {
        "UKR": {
            "civil": f"Відділ державної реєстрації актів цивільного стану м. {town}",
            "school": f"Ліцей № {number} м. {town}",
            "degree": f"Національний університет м. {town}",
            "registration": f"Центр надання адміністративних послуг м. {town}",
        },
        "RUS": {
            "civil": f"Отдел ЗАГС г. {town}",
            "school": f"Средняя школа № {number} г. {town}",
            "degree": f"Государственный университет г. {town}",
            "registration": f"Отдел по вопросам миграции г. {town}",
        },
        "TUR": {
            "civil": f"{town} Nüfus Müdürlüğü",
            "school": f"{town} Anadolu Lisesi",
            "degree": f"{town} Üniversitesi",
            "registration": f"{town} İlçe Nüfus Müdürlüğü",
        },
    }[origin]
    latin = {
        "en": {
            "civil": f"Civil Registry Office of {town_l}",
            "school": f"Lyceum No. {number}, {town_l}",
            "degree": f"National University of {town_l}",
            "registration": f"Administrative Services Centre of {town_l}",
        },
        "de": {
            "civil": f"Standesamt {town_l}",
            "school": f"Lyzeum Nr. {number}, {town_l}",
            "degree": f"Nationale Universität {town_l}",
            "registration": f"Bürgeramt {town_l}",
        },
    }[second]
    key = "civil" if kind in ("birth", "marriage") else kind
    return original[key], latin[key]


def _date(d: date, lang: str) -> str:
    return {
        "UKR": f"{d.day} {UK_MONTHS[d.month - 1]} {d.year} р.",
        "RUS": f"{d.day} {RU_MONTHS[d.month - 1]} {d.year} г.",
        "TUR": f"{d.day} {TR_MONTHS[d.month - 1]} {d.year}",
        "en": f"{d.day} {EN_MONTHS[d.month - 1]} {d.year}",
        "de": f"{d.day}. {DE_MONTHS[d.month - 1]} {d.year}",
    }[lang]


def _full(person: Person, pat: tuple[str, str] | None) -> tuple[str, str]:
    """A parent's or spouse's name as the register prints it: surname, given names (, patronymic)."""
    original = f"{person.surname} {person.given_names}" + (f" {pat[0]}" if pat else "")
    latin = f"{person.surname_latin} {person.given_latin}" + (f" {pat[1]}" if pat else "")
    return original, latin


class _Table:
    """A ruled two-column table: label cells left (two stacked languages), value cells right (one or two
    lines)."""

    def __init__(self, page: Page, left: float, split: float, right: float) -> None:
        self.page, self.left, self.split, self.right = page, left, split, right
        self.top = page.y
        page.line(left, page.y, right, page.y, width=2)

    def row(self, first: str, second: str, value: str, twin: str | None) -> None:
        page, height = self.page, 150 if twin or second else 110
        page.text(self.left + 25, page.y + 22, first, 30)
        if second:
            page.text(self.left + 25, page.y + 70, second, 26, color=GREY)
        page.text(self.split + 30, page.y + 22, value, 36, bold=True)
        if twin:
            page.text(self.split + 30, page.y + 78, twin, 32)
        page.y += height
        page.line(self.left, page.y, self.right, page.y, width=2)

    def close(self) -> None:
        for x in (self.left, self.split, self.right):
            self.page.line(x, self.top, x, self.page.y, width=2)


def build(rng: random.Random, doc_type: DocumentType) -> Built:
    origin = rng.choice(("UKR", "UKR", "RUS", "TUR"))
    second = rng.choice(("en", "de"))
    f: Facts = facts(rng, doc_type, origin, "АВЕКМНОРСТ")
    h = f.holder
    twin = origin != "TUR"  # Cyrillic values with their Latin transliteration under them
    own, other = _LABELS[origin], _LABELS[second]
    page = Page(family=rng.choice(("dejavu-sans", "liberation-sans", "dejavu-serif", "liberation-serif")))
    left, right = 180, page.width - 180
    split = left + 820
    town, town_l = f.city
    office, office_l = _offices(f.kind, origin, town, town_l, rng.randint(2, 180), second)
    if not twin:
        office_l = office  # a Turkish certificate names its body in Turkish only, in Latin letters already
    # letterhead: the body in both languages
    page.text(page.width / 2, 200, office, 32, align="m")
    if twin:
        page.text(page.width / 2, 250, office_l, 28, align="m", color=GREY)
    page.text(page.width / 2, 380, _TITLES[origin][f.kind], 44, bold=True, align="m")
    page.text(page.width / 2, 445, _TITLES[second][f.kind], 34, align="m")
    roman = rng.choice(("I", "II", "III"))
    if origin == "TUR":
        number = f.digits
        number_line = f"Belge No: {number}"
    else:
        number = f"{roman}-{f.series} {f.digits}"
        number_line = f"{'Серія' if origin == 'UKR' else 'Серия'} {roman}-{f.series} № {f.digits}"
    page.text(left, 560, number_line, 38, bold=True)
    page.y = 640
    table = _Table(page, left, split, right)

    def row(key: str, value: str, value_l: str | None) -> None:
        table.row(own[key], other[key], value, value_l if twin else None)

    row("surname", h.surname, h.surname_latin.upper())
    row("given", h.given_names, h.given_latin)
    if origin != "TUR":
        pat = patronymic(f.father, h.sex, origin)
        row("patronymic", pat[0], pat[1])
    spouse_first = f.kind == "marriage" and f.spouse is not None and rng.random() < 0.5
    if spouse_first and f.spouse is not None:
        row("spouse", *_full(f.spouse, None))  # the spouse right under the holder's rows
    born_l = de_date(h.birth_date) if second == "de" else _date(h.birth_date, "en")
    row("born", _date(h.birth_date, origin) if twin else de_date(h.birth_date), born_l)
    row("place", h.birth_place.original, h.birth_place.latin)
    if f.kind == "birth":
        fpat = patronymic(_grandfather(rng, h), "M", origin) if origin != "TUR" else None
        row("father", *_full(f.father, fpat))
        row("mother", *_full(f.mother, None))
    elif f.kind == "marriage" and f.spouse is not None and not spouse_first:
        row("spouse", *_full(f.spouse, None))
    if f.kind == "registration":
        street, postcode, place = german_address(rng)
        table.row(own["address"], other["address"], f"{street}, {postcode} {place}", None)
    with_office = rng.random() < 0.6
    if with_office:
        row("office", office, office_l)
    in_row = rng.random() < 0.5
    if in_row:
        issued_l = de_date(f.issue) if second == "de" else _date(f.issue, "en")
        row("issue", _date(f.issue, origin) if twin else de_date(f.issue), issued_l)
    table.close()
    page.y += 160
    prefix = {"UKR": "м. ", "RUS": "г. ", "TUR": ""}[origin]
    if not in_row:  # the issue date only in the closing line
        page.text(left, page.y, f"{prefix}{town}, {_date(f.issue, origin)}", 36)
    page.stamp(page.width - 560, page.y + 250, office)
    page.signature(left + 250, page.y + 260, rng.getrandbits(32))
    fields = certificate_truth(h, h.latin_name, f.issue, office_l, number)
    extra = {"original_script_name": h.original_name, "latin_name": h.latin_name}
    return Built(doc_type, f"{origin.lower()[:2]}-{second}", fields, [page.layout], extra)


def _grandfather(rng: random.Random, holder: Person) -> Person:
    from ..names import make_person

    return make_person(rng, holder.origin, sex="M")
