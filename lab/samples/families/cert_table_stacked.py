"""Family `table_stacked`: a ruled two-column table, labels stacked in two languages (`Прізвище` over
`Familienname`), each value printed in Cyrillic with its Latin transliteration below it, the name on
surname / given name / patronymic rows, a series-and-number line (`Серія I-АВ № 123456`) and the issue date
labelled `Дата видачі / Ausstellungsdatum`. Ukrainian or Russian with German; registration certificates as a
German table (`Familienname` / `Vornamen` rows)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import timedelta

from schemas.documents import DocumentType

from ..formats import de_date
from ..names import german_address
from .common import CERTIFICATE_TYPES, GREY, Built, Facts, Page, certificate_truth, facts, patronymic

NAME = "table_stacked"
TYPES = CERTIFICATE_TYPES

_UK = {
    "surname": ("Прізвище", "Familienname"),
    "given": ("Ім'я", "Vorname"),
    "patronymic": ("По батькові", "Vatersname"),
    "birth_date": ("Дата народження", "Geburtsdatum"),
    "birth_place": ("Місце народження", "Geburtsort"),
    "father": ("Батько", "Vater"),
    "mother": ("Мати", "Mutter"),
    "spouse": ("Дружина / чоловік", "Ehegatte"),
    "event": ("Дата реєстрації шлюбу", "Tag der Eheschließung"),
    "school": ("Навчальний заклад", "Bildungseinrichtung"),
    "issue": ("Дата видачі", "Ausstellungsdatum"),
    "authority": ("Орган, що видав", "Ausstellende Behörde"),
    "series": "Серія",
}
_RU = {
    "surname": ("Фамилия", "Familienname"),
    "given": ("Имя", "Vorname"),
    "patronymic": ("Отчество", "Vatersname"),
    "birth_date": ("Дата рождения", "Geburtsdatum"),
    "birth_place": ("Место рождения", "Geburtsort"),
    "father": ("Отец", "Vater"),
    "mother": ("Мать", "Mutter"),
    "spouse": ("Супруг(а)", "Ehegatte"),
    "event": ("Дата регистрации брака", "Tag der Eheschließung"),
    "school": ("Учебное заведение", "Bildungseinrichtung"),
    "issue": ("Дата выдачи", "Ausstellungsdatum"),
    "authority": ("Орган выдачи", "Ausstellende Behörde"),
    "series": "Серия",
}
_TITLES = {
    ("UKR", "birth"): ("СВІДОЦТВО ПРО НАРОДЖЕННЯ", "Geburtsurkunde"),
    ("UKR", "marriage"): ("СВІДОЦТВО ПРО ШЛЮБ", "Eheurkunde"),
    ("UKR", "school"): ("АТЕСТАТ ПРО ПОВНУ ЗАГАЛЬНУ СЕРЕДНЮ ОСВІТУ", "Abiturzeugnis"),
    ("UKR", "degree"): ("ДИПЛОМ МАГІСТРА", "Hochschuldiplom (Master)"),
    ("RUS", "birth"): ("СВИДЕТЕЛЬСТВО О РОЖДЕНИИ", "Geburtsurkunde"),
    ("RUS", "marriage"): ("СВИДЕТЕЛЬСТВО О ЗАКЛЮЧЕНИИ БРАКА", "Eheurkunde"),
    ("RUS", "school"): ("АТТЕСТАТ О СРЕДНЕМ ОБЩЕМ ОБРАЗОВАНИИ", "Zeugnis der allgemeinen Hochschulreife"),
    ("RUS", "degree"): ("ДИПЛОМ БАКАЛАВРА", "Bachelordiplom"),
}


def _authority(origin: str, f: Facts, rng: random.Random) -> tuple[str, str]:
    town, town_l = f.city
    n = rng.randint(2, 140)
    if f.kind in ("birth", "marriage"):
        if origin == "UKR":
            return f"Відділ ДРАЦС у м. {town}", f"Standesamt (DRACS) {town_l}"
        return f"Отдел ЗАГС г. {town}", f"Standesamt (ZAGS) {town_l}"
    if f.kind == "school":
        if origin == "UKR":
            return f"Гімназія № {n} м. {town}", f"Gymnasium Nr. {n}, {town_l}"
        return f"Школа № {n} г. {town}", f"Schule Nr. {n}, {town_l}"
    if origin == "UKR":
        return f"Національний університет м. {town}", f"Nationale Universität {town_l}"
    return f"Государственный университет г. {town}", f"Staatliche Universität {town_l}"


class _Table:
    def __init__(self, page: Page, x0: float, split: float, x1: float) -> None:
        self.page, self.x0, self.split, self.x1 = page, x0, split, x1
        page.line(x0, page.y, x1, page.y)
        self.top = page.y

    def row(self, labels: Sequence[str], values: Sequence[str]) -> None:
        p = self.page
        y = p.y
        for i, label in enumerate(labels):
            p.text(self.x0 + 20, y + 46 + 42 * i, label, 32 if i == 0 else 28, color=GREY if i else (30, 30, 30))
        for i, value in enumerate(values):
            p.text(self.split + 30, y + 52 + 50 * i, value, 42 if i == 0 else 34, bold=i == 0)
        height = max(len(labels) * 42, len(values) * 50) + 40
        p.y = y + height
        p.line(self.x0, p.y, self.x1, p.y)

    def close(self) -> None:
        for x in (self.x0, self.split, self.x1):
            self.page.line(x, self.top, x, self.page.y)


def build(rng: random.Random, doc_type: DocumentType) -> Built:
    if doc_type is DocumentType.REGISTRATION_CERTIFICATE:
        return _registration(rng)
    origin = rng.choice(("UKR", "UKR", "RUS"))
    lab = _UK if origin == "UKR" else _RU
    f = facts(rng, doc_type, origin, "АВЕКМНОРСТ")
    h = f.holder
    page = Page(family=rng.choice(("dejavu-serif", "liberation-serif", "dejavu-sans")))
    state = "УКРАЇНА" if origin == "UKR" else "РОССИЙСКАЯ ФЕДЕРАЦИЯ"
    title, title_de = _TITLES[(origin, f.kind)]
    page.text(page.width / 2, 260, state, 44, bold=True, align="m")
    page.text(page.width / 2, 360, title, 56, bold=True, align="m")
    page.text(page.width / 2, 430, title_de, 40, align="m", color=GREY)
    page.y = 540
    table = _Table(page, 200, 930, page.width - 200)
    pat, pat_l = patronymic(f.father, h.sex, origin)
    table.row(lab["surname"], (h.surname, h.surname_latin))
    table.row(lab["given"], (h.given_names, h.given_latin))
    if rng.random() < 0.8:
        table.row(lab["patronymic"], (pat, pat_l))
    table.row(lab["birth_date"], (de_date(h.birth_date),))
    table.row(lab["birth_place"], (h.birth_place.original, h.birth_place.latin))
    if f.kind == "birth":
        for key, parent in (("father", f.father), ("mother", f.mother)):
            table.row(lab[key], (parent.original_name, parent.latin_name))
    elif f.kind == "marriage" and f.spouse is not None:
        table.row(lab["spouse"], (f.spouse.original_name, f.spouse.latin_name))
        table.row(lab["event"], (de_date(f.event),))
    auth, auth_de = _authority(origin, f, rng)
    if f.kind in ("school", "degree"):
        table.row(lab["school"], (auth, auth_de))
    table.row(lab["issue"], (de_date(f.issue),))
    table.row(lab["authority"], (auth, auth_de))
    table.close()
    roman = rng.choice(("I", "II"))
    number = f"{roman}-{f.series} {f.digits}"
    page.y += 110
    page.text(200, page.y, f"{lab['series']} {roman}-{f.series} № {f.digits}", 46, bold=True)
    page.stamp(page.width - 600, page.y + 330, auth)
    page.signature(260, page.y + 300, rng.getrandbits(32))
    fields = certificate_truth(h, h.latin_name, f.issue, auth_de, number)
    extra = {"original_script_name": h.original_name, "latin_name": h.latin_name, "patronymic": pat_l}
    return Built(doc_type, f"{origin.lower()[:2]}-de", fields, [page.layout], extra)


def _registration(rng: random.Random) -> Built:
    origin = rng.choice(("UKR", "SYR", "AFG", "TUR", "RUS", "D"))
    f = facts(rng, DocumentType.REGISTRATION_CERTIFICATE, origin)
    h = f.holder
    town = rng.choice(("Naumburg (Saale)", "Weißenfels", "Zeitz", "Merseburg", "Halle (Saale)"))
    authority = f"Stadt {town} – Bürgerbüro"
    page = Page(family=rng.choice(("liberation-sans", "dejavu-sans")))
    page.text(200, 260, authority, 40, bold=True)
    page.text(200, 420, "Bestätigung über die Anmeldung", 56, bold=True)
    page.text(200, 480, "(Meldebescheinigung nach § 18 Abs. 1 BMG)", 32, color=GREY)
    page.y = 580
    table = _Table(page, 200, 900, page.width - 200)
    street, postcode, place = german_address(rng)
    number = f"MB-{rng.randint(10000, 99999)}"
    table.row(("Familienname",), (h.surname_latin,))
    table.row(("Vornamen",), (h.given_latin,))
    table.row(("Geburtsdatum",), (de_date(h.birth_date),))
    table.row(("Geburtsort",), (h.birth_place.latin,))
    table.row(("Wohnung",), (street, f"{postcode} {place}"))
    table.row(("Einzug",), (de_date(f.issue - timedelta(days=rng.randint(3, 300))),))
    table.row(("Vorgangsnummer",), (number,))
    table.row(("Ausstellungsdatum",), (de_date(f.issue),))
    table.close()
    page.y += 120
    page.text(200, page.y, "Diese Bescheinigung wurde maschinell erstellt.", 34)
    page.stamp(page.width - 600, page.y + 300, authority)
    fields = certificate_truth(h, f"{h.given_latin} {h.surname_latin}", f.issue, authority, number)
    return Built(DocumentType.REGISTRATION_CERTIFICATE, "de", fields, [page.layout], {"latin_name": h.latin_name})
