"""Family `stacked_below` (tuning): certificates set in two columns of fields without rules, each field a
caption stacked in two languages (`Прізвище, ім'я, по батькові` over `Surname, given names, patronymic`) with
its value under it, printed twice: the Cyrillic line, then its Latin transliteration. The holder's fields fill
the left column and the parents' or spouse's the right one, row for row, so the other persons' names stand
level with the holder's; the holder's whole name is one line, surname first with the patronymic (`KOVALENKO
Olena Petrivna` under `Коваленко Олена Петрівна`). Dates in words with the digits after them; the issue date
under its caption or only in the closing line; the officials named under the signature line at the foot; the
number on a series line at the foot (`Серія I-АБ № 123456`). Turkish certificates in Turkish and English
without a patronymic."""

from __future__ import annotations

import random
from datetime import date

from schemas.documents import DocumentType

from ..formats import EN_MONTHS, TR_MONTHS, de_date
from ..layouts import A4
from ..names import Person, german_address, make_person
from .cert_words_east import date_words
from .common import CERTIFICATE_TYPES, GREY, LANDSCAPE, Built, Facts, Page, certificate_truth, facts
from .common import patronymic as patronymic_of

NAME = "stacked_below"
TYPES = CERTIFICATE_TYPES

_CAPTIONS: dict[str, dict[str, str]] = {
    "UKR": {
        "holder": "Прізвище, ім'я, по батькові",
        "born": "Дата народження",
        "place": "Місце народження",
        "father": "Прізвище, ім'я, по батькові батька",
        "mother": "Прізвище, ім'я, по батькові матері",
        "spouse": "Прізвище, ім'я дружини (чоловіка)",
        "issue": "Дата видачі",
        "office": "Орган, що видав документ",
        "address": "Адреса реєстрації",
        "head": "Начальник відділу",
        "series": "Серія",
    },
    "RUS": {
        "holder": "Фамилия, имя, отчество",
        "born": "Дата рождения",
        "place": "Место рождения",
        "father": "Фамилия, имя, отчество отца",
        "mother": "Фамилия, имя, отчество матери",
        "spouse": "Фамилия, имя супруга (супруги)",
        "issue": "Дата выдачи",
        "office": "Наименование органа",
        "address": "Адрес регистрации",
        "head": "Начальник отдела",
        "series": "Серия",
    },
    "TUR": {
        "holder": "Adı Soyadı",
        "born": "Doğum Tarihi",
        "place": "Doğum Yeri",
        "father": "Baba Adı Soyadı",
        "mother": "Anne Adı Soyadı",
        "spouse": "Eşinin Adı Soyadı",
        "issue": "Düzenleme Tarihi",
        "office": "Düzenleyen Kurum",
        "address": "Adres",
        "head": "Nüfus Müdürü",
    },
    "en": {
        "holder": "Surname, given names, patronymic",
        "born": "Date of birth",
        "place": "Place of birth",
        "father": "Father's full name",
        "mother": "Mother's full name",
        "spouse": "Spouse's full name",
        "issue": "Date of issue",
        "office": "Issuing authority",
        "address": "Registered address",
        "head": "Head of department",
    },
}
_TITLES = {
    "UKR": ("СВІДОЦТВО", "CERTIFICATE"),
    "RUS": ("СВИДЕТЕЛЬСТВО", "CERTIFICATE"),
    "TUR": ("BELGE", "CERTIFICATE"),
}
_WHAT = {
    "UKR": {
        "birth": "ПРО НАРОДЖЕННЯ",
        "marriage": "ПРО ШЛЮБ",
        "school": "ПРО ПОВНУ ЗАГАЛЬНУ СЕРЕДНЮ ОСВІТУ",
        "degree": "ДИПЛОМ СПЕЦІАЛІСТА",
        "registration": "ПРО РЕЄСТРАЦІЮ МІСЦЯ ПРОЖИВАННЯ",
    },
    "RUS": {
        "birth": "О РОЖДЕНИИ",
        "marriage": "О ЗАКЛЮЧЕНИИ БРАКА",
        "school": "ОБ ОКОНЧАНИИ СРЕДНЕЙ ШКОЛЫ",
        "degree": "ДИПЛОМ СПЕЦИАЛИСТА",
        "registration": "О РЕГИСТРАЦИИ ПО МЕСТУ ЖИТЕЛЬСТВА",
    },
    "TUR": {
        "birth": "DOĞUM BELGESİ",
        "marriage": "EVLİLİK BELGESİ",
        "school": "LİSE DİPLOMASI",
        "degree": "LİSANS DİPLOMASI",
        "registration": "İKAMETGAH BELGESİ",
    },
    "en": {
        "birth": "OF BIRTH",
        "marriage": "OF MARRIAGE",
        "school": "OF COMPLETE SECONDARY EDUCATION",
        "degree": "SPECIALIST DIPLOMA",
        "registration": "OF REGISTERED RESIDENCE",
    },
}


def _offices(kind: str, origin: str, town: str, town_l: str, number: int) -> tuple[str, str]:
    key = "civil" if kind in ("birth", "marriage") else kind
    original = {
        "UKR": {
            "civil": f"Відділ ДРАЦС у м. {town}",
            "school": f"Загальноосвітня школа № {number} м. {town}",
            "degree": f"Педагогічний університет м. {town}",
            "registration": f"Міська рада м. {town}",
        },
        "RUS": {
            "civil": f"Управление ЗАГС г. {town}",
            "school": f"Средняя общеобразовательная школа № {number} г. {town}",
            "degree": f"Педагогический университет г. {town}",
            "registration": f"Паспортный отдел г. {town}",
        },
        "TUR": {
            "civil": f"{town} Nüfus Müdürlüğü",
            "school": f"{town} Atatürk Lisesi",
            "degree": f"{town} Üniversitesi",
            "registration": f"{town} İlçe Nüfus Müdürlüğü",
        },
    }[origin][key]
    latin = {
        "civil": f"Civil Registry Office, {town_l}",
        "school": f"Secondary School No. {number}, {town_l}",
        "degree": f"Pedagogical University of {town_l}",
        "registration": f"City Council of {town_l}",
    }[key]
    return original, (original if origin == "TUR" else latin)


def _date(d: date, lang: str) -> str:
    if lang == "TUR":
        return f"{d.day} {TR_MONTHS[d.month - 1]} {d.year} ({de_date(d)})"
    if lang == "en":
        return f"{d.day} {EN_MONTHS[d.month - 1]} {d.year} ({de_date(d)})"
    return f"{date_words(d, ru=lang == 'RUS')} ({de_date(d)})"


def _whole(person: Person, pat: tuple[str, str] | None) -> tuple[str, str]:
    if person.origin == "TUR":  # `Adı Soyadı`: the given names first, the surname in capitals
        whole = f"{person.given_names} {person.surname.replace('i', 'İ').upper()}"
        return whole, whole
    original = f"{person.surname} {person.given_names}" + (f" {pat[0]}" if pat else "")
    latin = f"{person.surname_latin.upper()} {person.given_latin}" + (f" {pat[1]}" if pat else "")
    return original, latin


class _Column:
    """Fields down one column: the caption in two languages, then the value in two lines."""

    def __init__(self, page: Page, x: float, y: float, own: dict[str, str], other: dict[str, str]) -> None:
        self.page, self.x, self.y, self.own, self.other = page, x, y, own, other

    def field(self, key: str, value: str, value_l: str | None, size: int = 34) -> None:
        page = self.page
        page.text(self.x, self.y, self.own[key], 26)
        page.text(self.x, self.y + 38, self.other[key], 22, color=GREY)
        page.text(self.x, self.y + 90, value, size, bold=size >= 34)
        step = 150
        if value_l is not None and value_l != value:
            page.text(self.x, self.y + 142, value_l, 30)
            step = 205
        self.y += step + 45


def build(rng: random.Random, doc_type: DocumentType) -> Built:
    origin = rng.choice(("UKR", "UKR", "RUS", "TUR"))
    f: Facts = facts(rng, doc_type, origin, "АБВЕКМНОРСТ")
    h = f.holder
    twin = origin != "TUR"
    own, other = _CAPTIONS[origin], _CAPTIONS["en"]
    if origin == "TUR":
        other = {**other, "holder": "Name and surname", "father": "Father's name", "mother": "Mother's name"}
    landscape = rng.random() < 0.3
    page = Page(
        size=LANDSCAPE if landscape else A4,
        family=rng.choice(("dejavu-sans", "liberation-sans", "dejavu-serif", "liberation-serif")),
    )
    town, town_l = f.city
    office, office_l = _offices(f.kind, origin, town, town_l, rng.randint(2, 150))
    centre = page.width / 2
    page.text(centre, 160, office, 30, align="m")
    if twin:
        page.text(centre, 205, office_l, 26, align="m", color=GREY)
    page.text(centre, 300, f"{_TITLES[origin][0]} {_WHAT[origin][f.kind]}", 40, bold=True, align="m")
    page.text(centre, 360, f"{_TITLES[origin][1]} {_WHAT['en'][f.kind]}", 30, align="m")
    left_x, right_x = 180, page.width * 0.62
    top = 480
    left, right = _Column(page, left_x, top, own, other), _Column(page, right_x, top, own, other)
    pat = patronymic_of(f.father, h.sex, origin) if origin != "TUR" else None
    name, name_l = _whole(h, pat)
    left.field("holder", name, name_l if twin else None)
    # the other persons level with the holder in the right column
    if f.kind == "marriage" and f.spouse is not None:
        right.field("spouse", *_whole(f.spouse, None))
    elif f.kind in ("birth", "school"):
        grand = make_person(rng, h.origin, sex="M")
        fpat = patronymic_of(grand, "M", origin) if origin != "TUR" else None
        father, father_l = _whole(f.father, fpat)
        right.field("father", father, father_l if twin else None)
        mother, mother_l = _whole(f.mother, None)
        right.field("mother", mother, mother_l if twin else None)
    born_l = _date(h.birth_date, "en")
    left.field("born", _date(h.birth_date, origin), born_l if twin else None, size=24)
    left.field("place", h.birth_place.original, h.birth_place.latin if twin else None)
    if f.kind == "registration":
        street, postcode, place = german_address(rng)
        right.field("address", f"{street}, {postcode} {place}", None)
    if rng.random() < 0.5:
        right.field("office", office, office_l if twin else None)
    in_field = rng.random() < 0.5
    if in_field:
        right.field("issue", _date(f.issue, origin), _date(f.issue, "en") if twin else None, size=24)
    page.y = max(left.y, right.y) + 60
    if not in_field:
        prefix = {"UKR": "м. ", "RUS": "г. ", "TUR": ""}[origin]
        page.text(left_x, page.y, f"{prefix}{town}, {de_date(f.issue)}", 32)
        page.y += 100
    # the official under the signature line, named in full
    head = make_person(rng, origin)
    page.line(left_x, page.y + 120, left_x + 600, page.y + 120)
    page.signature(left_x + 80, page.y + 80, rng.getrandbits(32))
    page.text(left_x, page.y + 140, f"{own['head']} / {other['head']}", 24)
    page.text(left_x, page.y + 180, f"{head.given_names} {head.surname}", 28)
    page.stamp(page.width - 520, page.y + 150, office)
    if origin == "TUR":
        number = f.digits
        number_line = f"Seri No: {number}"
    else:
        roman = rng.choice(("I", "II", "III"))
        number = f"{roman}-{f.series} {f.digits}"
        number_line = f"{own['series']} {roman}-{f.series} № {f.digits}"
    page.text(left_x, page.y + 330, number_line, 34, bold=True)
    fields = certificate_truth(h, h.latin_name, f.issue, office_l, number)
    extra = {"original_script_name": h.original_name, "latin_name": h.latin_name}
    return Built(doc_type, f"{origin.lower()[:2]}-en", fields, [page.layout], extra)
