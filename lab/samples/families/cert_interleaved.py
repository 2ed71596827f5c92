"""Family `interleaved` (tuning): bilingual certificates without a ruled table, the two languages interleaved
line by line. Each original line (`Прізвище` and its value) has its translation on the line under it
(`Family name` / `Familienname` and the Latin spelling), or both sit on one line with a slash (`Прізвище /
Surname  Коваленко / KOVALENKO`). The holder's name is split over surname / given name / patronymic lines;
the parents' or spouse's full names follow on lines that start with their role word (`Батько / Father`), and
the officials who sign are named at the foot (`Керівник / Head of office  Олександр Ткаченко`). Dates are
digits with the words in brackets, the number a series line with its Latin twin (`Серія I-АБ № 123456` /
`Series I-AB No. 123456`), the issuer in the letterhead only or also on a line, the issue date on a line or
only in the closing line `<Ort>, <Datum>`. Turkish certificates the same in Turkish and English; a third of
the pages landscape."""

from __future__ import annotations

import random
from datetime import date

from schemas.documents import DocumentType

from ..formats import DE_MONTHS, EN_MONTHS, RU_MONTHS, TR_MONTHS, UK_MONTHS, de_date
from ..layouts import A4
from ..names import Person, german_address, make_person
from .cert_words_east import date_words
from .common import (
    CERTIFICATE_TYPES,
    GREY,
    LANDSCAPE,
    Built,
    Facts,
    Page,
    certificate_truth,
    de_date_words,
    en_date_words,
    facts,
)
from .common import patronymic as patronymic_of

NAME = "interleaved"
TYPES = CERTIFICATE_TYPES

_LABELS: dict[str, dict[str, str]] = {
    "UKR": {
        "surname": "Прізвище",
        "given": "Власне ім'я",
        "patronymic": "По батькові",
        "born": "Дата народження",
        "place": "Місце народження",
        "father": "Батько",
        "mother": "Мати",
        "spouse": "Дружина (чоловік)",
        "address": "Місце проживання",
        "issue": "Дата видачі",
        "office": "Найменування органу, що видав",
        "head": "Керівник",
        "clerk": "Посадова особа",
        "series": "Серія",
    },
    "RUS": {
        "surname": "Фамилия",
        "given": "Имя",
        "patronymic": "Отчество",
        "born": "Дата рождения",
        "place": "Место рождения",
        "father": "Отец",
        "mother": "Мать",
        "spouse": "Супруга (супруг)",
        "address": "Место жительства",
        "issue": "Дата выдачи",
        "office": "Кем выдано",
        "head": "Руководитель",
        "clerk": "Должностное лицо",
        "series": "Серия",
    },
    "TUR": {
        "surname": "Soyadı",
        "given": "Adı",
        "born": "Doğum Tarihi",
        "place": "Doğum Yeri",
        "father": "Baba Adı",
        "mother": "Ana Adı",
        "spouse": "Eşinin Adı Soyadı",
        "address": "Adres",
        "issue": "Düzenleme Tarihi",
        "office": "Düzenleyen Kurum",
        "head": "Müdür",
        "clerk": "Memur",
    },
    "en": {
        "surname": "Family name",
        "given": "Given name(s)",
        "patronymic": "Patronymic",
        "born": "Date of birth",
        "place": "Place of birth",
        "father": "Father",
        "mother": "Mother",
        "spouse": "Spouse",
        "address": "Address",
        "issue": "Date of issue",
        "office": "Issued by",
        "head": "Head of office",
        "clerk": "Registrar",
        "series": "Series",
    },
    "de": {
        "surname": "Familienname",
        "given": "Vorname(n)",
        "patronymic": "Vatersname",
        "born": "Geburtsdatum",
        "place": "Geburtsort",
        "father": "Vater",
        "mother": "Mutter",
        "spouse": "Ehegatte",
        "address": "Anschrift",
        "issue": "Ausstellungsdatum",
        "office": "Ausgestellt von",
        "head": "Leiter der Behörde",
        "clerk": "Sachbearbeiter",
        "series": "Serie",
    },
}
_TITLES = {
    "UKR": {
        "birth": "СВІДОЦТВО ПРО НАРОДЖЕННЯ",
        "marriage": "СВІДОЦТВО ПРО ШЛЮБ",
        "school": "СВІДОЦТВО ПРО ЗДОБУТТЯ БАЗОВОЇ СЕРЕДНЬОЇ ОСВІТИ",
        "degree": "ДИПЛОМ МАГІСТРА",
        "registration": "ДОВІДКА ПРО РЕЄСТРАЦІЮ МІСЦЯ ПРОЖИВАННЯ",
    },
    "RUS": {
        "birth": "СВИДЕТЕЛЬСТВО О РОЖДЕНИИ",
        "marriage": "СВИДЕТЕЛЬСТВО О ЗАКЛЮЧЕНИИ БРАКА",
        "school": "АТТЕСТАТ ОБ ОСНОВНОМ ОБЩЕМ ОБРАЗОВАНИИ",
        "degree": "ДИПЛОМ МАГИСТРА",
        "registration": "СВИДЕТЕЛЬСТВО О РЕГИСТРАЦИИ ПО МЕСТУ ЖИТЕЛЬСТВА",
    },
    "TUR": {
        "birth": "NÜFUS KAYIT ÖRNEĞİ",
        "marriage": "EVLENME CÜZDANI",
        "school": "LİSE DİPLOMASI",
        "degree": "YÜKSEK LİSANS DİPLOMASI",
        "registration": "YERLEŞİM YERİ BELGESİ",
    },
    "en": {
        "birth": "BIRTH CERTIFICATE",
        "marriage": "MARRIAGE CERTIFICATE",
        "school": "CERTIFICATE OF BASIC SECONDARY EDUCATION",
        "degree": "MASTER'S DIPLOMA",
        "registration": "CERTIFICATE OF REGISTERED RESIDENCE",
    },
    "de": {
        "birth": "GEBURTSURKUNDE",
        "marriage": "HEIRATSURKUNDE",
        "school": "ZEUGNIS DER MITTLEREN REIFE",
        "degree": "MASTERURKUNDE",
        "registration": "WOHNSITZBESCHEINIGUNG",
    },
}


def _offices(kind: str, origin: str, town: str, town_l: str, number: int, second: str) -> tuple[str, str]:
    """The issuing body in the original language and in the second language."""
    original = {
        "UKR": {
            "civil": f"Відділ реєстрації актів цивільного стану м. {town}",
            "school": f"Гімназія № {number} м. {town}",
            "degree": f"Технічний університет м. {town}",
            "registration": f"Управління соціального захисту м. {town}",
        },
        "RUS": {
            "civil": f"Отдел ЗАГС администрации г. {town}",
            "school": f"Гимназия № {number} г. {town}",
            "degree": f"Технический университет г. {town}",
            "registration": f"Управление по вопросам миграции г. {town}",
        },
        "TUR": {
            "civil": f"{town} İlçe Nüfus Müdürlüğü",
            "school": f"{town} Fen Lisesi",
            "degree": f"{town} Teknik Üniversitesi",
            "registration": f"{town} Nüfus Müdürlüğü",
        },
    }[origin]
    latin = {
        "en": {
            "civil": f"Civil Status Registry of {town_l}",
            "school": f"Gymnasium No. {number}, {town_l}",
            "degree": f"Technical University of {town_l}",
            "registration": f"Migration Office of {town_l}",
        },
        "de": {
            "civil": f"Personenstandsamt {town_l}",
            "school": f"Gymnasium Nr. {number}, {town_l}",
            "degree": f"Technische Universität {town_l}",
            "registration": f"Migrationsamt {town_l}",
        },
    }[second]
    key = "civil" if kind in ("birth", "marriage") else kind
    return original[key], latin[key]


def _date(d: date, lang: str, words: bool) -> str:
    """Digits, with the date in words in brackets after them where `words`."""
    digits = de_date(d)
    if not words:
        return {
            "UKR": f"{d.day} {UK_MONTHS[d.month - 1]} {d.year} р.",
            "RUS": f"{d.day} {RU_MONTHS[d.month - 1]} {d.year} г.",
            "TUR": f"{d.day} {TR_MONTHS[d.month - 1]} {d.year}",
            "en": f"{d.day} {EN_MONTHS[d.month - 1]} {d.year}",
            "de": f"{d.day}. {DE_MONTHS[d.month - 1]} {d.year}",
        }[lang]
    spelt = {
        "UKR": lambda: date_words(d, ru=False),
        "RUS": lambda: date_words(d, ru=True),
        "TUR": lambda: f"{d.day} {TR_MONTHS[d.month - 1]} {d.year}",
        "en": lambda: en_date_words(d),
        "de": lambda: de_date_words(d),
    }[lang]()
    return f"{digits} ({spelt})"


def _full(person: Person, pat: tuple[str, str] | None, given_first: bool) -> tuple[str, str]:
    """A parent's, spouse's or official's name: surname first (a register) or given names first."""
    if given_first:
        return f"{person.given_names} {person.surname}", f"{person.given_latin} {person.surname_latin}"
    original = f"{person.surname} {person.given_names}" + (f" {pat[0]}" if pat else "")
    latin = f"{person.surname_latin} {person.given_latin}" + (f" {pat[1]}" if pat else "")
    return original, latin


class _Lines:
    """Label/value lines without rules: the label at `left`, the value at `split`; the translation either on
    the line under the original (interleaved) or after a slash on the same line."""

    def __init__(self, page: Page, left: float, split: float, own: dict[str, str], other: dict[str, str]) -> None:
        self.page, self.left, self.split, self.own, self.other = page, left, split, own, other
        self.slash = False
        self.colon = ""

    def row(self, key: str, value: str, value_l: str | None) -> None:
        page = self.page
        if self.slash:
            page.text(self.left, page.y, f"{self.own[key]} / {self.other[key]}{self.colon}", 28)
            both = value if value_l is None or value_l == value else f"{value} / {value_l}"
            page.text(self.split, page.y, both, 34, bold=True)
            page.y += 95
            return
        page.text(self.left, page.y, f"{self.own[key]}{self.colon}", 30)
        page.text(self.split, page.y, value, 36, bold=True)
        page.y += 62
        if value_l is not None:
            page.text(self.left, page.y, f"{self.other[key]}{self.colon}", 26, color=GREY)
            page.text(self.split, page.y, value_l, 32)
        page.y += 80


def build(rng: random.Random, doc_type: DocumentType) -> Built:
    origin = rng.choice(("UKR", "UKR", "RUS", "TUR"))
    second = rng.choice(("en", "en", "de"))
    f: Facts = facts(rng, doc_type, origin, "АБВЕКМНОРСТ")
    h = f.holder
    twin = origin != "TUR"  # a Turkish value is in Latin letters already
    own, other = _LABELS[origin], _LABELS[second]
    landscape = rng.random() < 0.33
    page = Page(
        size=LANDSCAPE if landscape else A4,
        family=rng.choice(("dejavu-sans", "liberation-sans", "dejavu-serif", "liberation-serif")),
    )
    left = 200
    split = left + (1100 if landscape else 900)
    town, town_l = f.city
    office, office_l = _offices(f.kind, origin, town, town_l, rng.randint(2, 180), second)
    if not twin:
        office_l = office
    centre = page.width / 2
    page.text(centre, 170, office, 32, align="m")
    if twin:
        page.text(centre, 220, office_l, 28, align="m", color=GREY)
    page.text(centre, 330, _TITLES[origin][f.kind], 42, bold=True, align="m")
    page.text(centre, 395, _TITLES[second][f.kind], 32, align="m")
    roman = rng.choice(("I", "II", "III"))
    if origin == "TUR":
        number = f.digits
        page.text(left, 500, f"Belge No / Document No: {number}", 34, bold=True)
    else:
        latin_series = f.series.translate(str.maketrans("АБВЕКМНОРСТ", "ABVEKMNORST"))
        number = f"{roman}-{f.series} {f.digits}"
        page.text(left, 500, f"{own['series']} {roman}-{f.series} № {f.digits}", 36, bold=True)
        page.text(left, 552, f"{other['series']} {roman}-{latin_series} No. {f.digits}", 28, color=GREY)
    page.y = 680 if not landscape else 640
    lines = _Lines(page, left, split, own, other)
    lines.slash = rng.random() < 0.4
    lines.colon = rng.choice(("", ":"))
    words = rng.random() < 0.5

    def row(key: str, value: str, value_l: str | None) -> None:
        lines.row(key, value, value_l if twin else None)

    row("surname", h.surname, h.surname_latin.upper() if rng.random() < 0.5 else h.surname_latin)
    row("given", h.given_names, h.given_latin)
    if origin != "TUR":
        pat = patronymic_of(f.father, h.sex, origin)
        row("patronymic", pat[0], pat[1])
    born_l = _date(h.birth_date, second, words)
    lines.row("born", _date(h.birth_date, origin, words and twin), born_l if twin else None)
    row("place", h.birth_place.original, h.birth_place.latin)
    given_first = rng.random() < 0.5
    if f.kind == "birth":
        grand = make_person(rng, h.origin, sex="M")
        fpat = patronymic_of(grand, "M", origin) if origin != "TUR" else None
        row("father", *_full(f.father, fpat, given_first))
        row("mother", *_full(f.mother, None, given_first))
    elif f.kind == "marriage" and f.spouse is not None:
        row("spouse", *_full(f.spouse, None, given_first))
    if f.kind == "registration":
        street, postcode, place = german_address(rng)
        lines.row("address", f"{street}, {postcode} {place}", None)
    if rng.random() < 0.5:
        row("office", office, office_l)
    in_row = rng.random() < 0.5
    if in_row:
        lines.row("issue", _date(f.issue, origin, False), _date(f.issue, second, False) if twin else None)
    page.y += 100
    if not in_row:  # the issue date only in the closing line
        prefix = {"UKR": "м. ", "RUS": "г. ", "TUR": ""}[origin]
        page.text(left, page.y, f"{prefix}{town}, {_date(f.issue, origin, False)}", 34)
        page.y += 110
    # the officials who sign: a head of office and a clerk, named in full
    for key in ("head", "clerk"):
        official = make_person(rng, origin)
        name, name_l = _full(official, None, True)
        page.text(left, page.y, f"{own[key]} / {other[key]}", 28)
        page.text(split, page.y, name if not twin else f"{name} / {name_l}", 32)
        page.y += 95
    page.stamp(page.width - 560, page.y + 120, office)
    page.signature(left + 250, page.y + 130, rng.getrandbits(32))
    fields = certificate_truth(h, h.latin_name, f.issue, office_l, number)
    extra = {"original_script_name": h.original_name, "latin_name": h.latin_name}
    return Built(doc_type, f"{origin.lower()[:2]}-{second}", fields, [page.layout], extra)
