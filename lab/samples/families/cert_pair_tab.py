"""Family `pair_tab` (tuning): landscape certificates whose every label is a pair, the original word and its
English one on one line with a slash (`Soyadı / Surname`, `Прізвище / Surname`), and the value in Latin
letters after a colon set at a fixed tab far right of the shortest label. The page holds two such blocks side
by side: the holder's facts on the left, the parents', spouse's or study facts and the issuing office on the
right, so other persons' names stand level with the holder's. The holder's name is either on surname and
given-name rows or on one row surname first after a comma (`Soyadı, Adı / Surname, Name : YILMAZ, Ayşe`);
dates with Turkish or English month names or digits; the number in a box at the top right or as a row; the
issue date as a row or only in the closing line `<town>, <date>` under the blocks beside the signature.
Turkish, Ukrainian and Russian originals; registration certificates as a German/English landscape printout."""

from __future__ import annotations

import random
from datetime import date

from schemas.documents import DocumentType

from ..formats import EN_MONTHS, TR_MONTHS, de_date
from ..names import GERMAN_TOWNS
from .common import CERTIFICATE_TYPES, GREY, LANDSCAPE, Built, Facts, Page, certificate_truth, facts

NAME = "pair_tab"
TYPES = CERTIFICATE_TYPES

_PAIRS: dict[str, dict[str, str]] = {
    "TUR": {
        "surname": "Soyadı",
        "given": "Adı",
        "both": "Soyadı, Adı",
        "born": "Doğum Tarihi",
        "place": "Doğum Yeri",
        "father": "Babasının Adı Soyadı",
        "mother": "Annesinin Adı Soyadı",
        "spouse": "Eşinin Adı Soyadı",
        "event": "Olay Tarihi",
        "study": "Bölümü",
        "office": "Veren Makam",
        "issued": "Veriliş Tarihi",
        "number": "Kayıt No",
    },
    "UKR": {
        "surname": "Прізвище",
        "given": "Ім'я",
        "both": "Прізвище, ім'я",
        "born": "Дата народження",
        "place": "Місце народження",
        "father": "Батько",
        "mother": "Мати",
        "spouse": "Чоловік / дружина",
        "event": "Дата події",
        "study": "Спеціальність",
        "office": "Орган видачі",
        "issued": "Дата оформлення",
        "number": "Номер запису",
    },
    "RUS": {
        "surname": "Фамилия",
        "given": "Имя",
        "both": "Фамилия, имя",
        "born": "Дата рождения",
        "place": "Место рождения",
        "father": "Отец",
        "mother": "Мать",
        "spouse": "Супруг(а)",
        "event": "Дата события",
        "study": "Специальность",
        "office": "Орган, выдавший документ",
        "issued": "Дата оформления",
        "number": "Номер записи",
    },
    "D": {
        "surname": "Familienname",
        "given": "Vornamen",
        "both": "Name, Vorname",
        "born": "Geburtsdatum",
        "place": "Geburtsort",
        "event": "Einzugsdatum",
        "office": "Meldebehörde",
        "issued": "Druckdatum",
        "number": "Vorgangsnummer",
    },
}
_ENGLISH = {
    "surname": "Surname",
    "given": "Name",
    "both": "Surname, Name",
    "born": "Date of Birth",
    "place": "Place of Birth",
    "father": "Father",
    "mother": "Mother",
    "spouse": "Spouse",
    "event": "Date of Event",
    "study": "Field of Study",
    "office": "Issuing Office",
    "issued": "Date of Issue",
    "number": "Record No",
}
_TITLES = {
    "TUR": {
        "birth": "DOĞUM KAYIT BELGESİ / BIRTH RECORD",
        "marriage": "EVLİLİK BELGESİ / CERTIFICATE OF MARRIAGE",
        "school": "LİSE MEZUNİYET BELGESİ / HIGH SCHOOL GRADUATION CERTIFICATE",
        "degree": "LİSANS MEZUNİYET BELGESİ / BACHELOR'S GRADUATION CERTIFICATE",
    },
    "UKR": {
        "birth": "ВИТЯГ ПРО НАРОДЖЕННЯ / EXTRACT ON BIRTH",
        "marriage": "ВИТЯГ ПРО ШЛЮБ / EXTRACT ON MARRIAGE",
        "school": "ДОДАТОК ДО АТЕСТАТА / SCHOOL LEAVING RECORD",
        "degree": "ДОВІДКА ПРО ЗАКІНЧЕННЯ / GRADUATION STATEMENT",
    },
    "RUS": {
        "birth": "ВЫПИСКА О РОЖДЕНИИ / EXTRACT ON BIRTH",
        "marriage": "ВЫПИСКА О БРАКЕ / EXTRACT ON MARRIAGE",
        "school": "СПРАВКА ОБ ОКОНЧАНИИ ШКОЛЫ / SCHOOL LEAVING RECORD",
        "degree": "СПРАВКА ОБ ОКОНЧАНИИ ВУЗА / GRADUATION STATEMENT",
    },
    "D": {"registration": "MELDEBESCHEINIGUNG / CONFIRMATION OF REGISTRATION"},
}
_STUDIES = ("Mechanical Engineering", "Economics", "Pharmacy", "Computer Science", "Civil Law")


def _office(rng: random.Random, origin: str, f: Facts, town: str) -> str:
    if origin == "D":
        return rng.choice(("Stadt {t} – Bürgerbüro", "Einwohnermeldeamt {t}")).format(t=town)
    civil = f.kind in ("birth", "marriage")
    if origin == "TUR":
        if civil:
            return f"{town} Nüfus ve Vatandaşlık Müdürlüğü"
        return f"{town} Anadolu Lisesi" if f.kind == "school" else f"{town} Üniversitesi"
    if civil:
        return rng.choice(("Civil Status Registry of {t}", "Department of Civil Registration, {t}")).format(t=town)
    return f"Lyceum No. {rng.randint(2, 70)}, {town}" if f.kind == "school" else f"{town} State University"


def _date(rng: random.Random, d: date, origin: str) -> str:
    style = rng.random()
    if style < 0.4:
        return de_date(d)
    if origin == "TUR":
        return f"{d.day} {TR_MONTHS[d.month - 1]} {d.year}"
    return f"{d.day} {EN_MONTHS[d.month - 1]} {d.year}"


class _Block:
    """A column of `original / English : value` rows with the colon at a fixed tab."""

    def __init__(self, page: Page, origin: str, x: float, tab: float, y: float, english: bool) -> None:
        self.page, self.origin, self.x, self.tab, self.y, self.english = page, origin, x, tab, y, english

    def row(self, key: str, value: str) -> None:
        label = _PAIRS[self.origin][key]
        if self.english:
            label = f"{label} / {_ENGLISH[key]}"
        self.page.text(self.x, self.y, label, 32, color=GREY)
        self.page.text(self.x + self.tab, self.y, f": {value}", 38)
        self.y += 96


def build(rng: random.Random, doc_type: DocumentType) -> Built:
    origin = "D" if doc_type == DocumentType.REGISTRATION_CERTIFICATE else rng.choice(("TUR", "TUR", "UKR", "RUS"))
    f = facts(rng, doc_type, {"D": "UKR"}.get(origin, origin))
    h = f.holder
    town = rng.choice(GERMAN_TOWNS)[0] if origin == "D" else f.city[1]
    page = Page(size=LANDSCAPE, family=rng.choice(("dejavu-sans", "liberation-sans", "dejavu-serif")))
    english = origin != "D" or rng.random() < 0.6
    page.text(page.width / 2, 260, _TITLES[origin][f.kind], 46, bold=True, align="m")
    number = f.digits if rng.random() < 0.6 else f"{f.issue.year}/{f.digits[:5]}"
    number_row = rng.random() < 0.5
    if not number_row:
        page.rect((page.width - 900, 340, page.width - 200, 440), width=2)
        page.text(page.width - 860, 410, f"No: {number}", 34)
    left = _Block(page, origin, 200, rng.choice((820, 900)), 560.0, english)
    right = _Block(page, origin, page.width / 2 + 120, rng.choice((800, 880)), 560.0, english)
    surname = h.surname_latin if origin == "TUR" else h.surname_latin.upper()
    if rng.random() < 0.5:
        left.row("surname", surname)
        left.row("given", h.given_latin)
    else:
        left.row("both", f"{surname}, {h.given_latin}")
    left.row("born", _date(rng, h.birth_date, origin))
    left.row("place", h.birth_place.latin)
    if number_row:
        left.row("number", number)
    if f.kind == "birth":
        right.row("father", f.father.latin_name)
        right.row("mother", f.mother.latin_name)
    elif f.kind == "marriage" and f.spouse is not None:
        right.row("spouse", f.spouse.latin_name)
        right.row("event", _date(rng, f.event, origin))
    elif f.kind in ("school", "degree"):
        right.row("study", rng.choice(_STUDIES) if f.kind == "degree" else "General Secondary Education")
        right.row("event", _date(rng, f.event, origin))
    else:
        right.row("event", de_date(f.event))
    office = _office(rng, origin, f, town)
    right.row("office", office)
    labelled_issue = rng.random() < 0.5
    if labelled_issue:
        right.row("issued", _date(rng, f.issue, origin))
    y = max(left.y, right.y) + 120
    closing = f"{town}, {_date(rng, f.issue, origin)}"
    page.text(200, y, closing, 34)
    page.signature(page.width - 1100, y, rng.getrandbits(32))
    page.stamp(page.width - 600, y + 60, office, radius=150)
    fields = certificate_truth(h, h.latin_name, f.issue, office, number)
    extra = {"latin_name": h.latin_name, "labelled_issue": str(labelled_issue)}
    return Built(doc_type, f"{origin.lower()[:2]}-en", fields, [page.layout], extra)
