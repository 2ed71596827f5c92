"""Family `sworn_below` (tuning): a translator's German rendering of a foreign certificate in one script,
set as a list of fields where each caption has its own line and the value stands on the line under it
(never beside it), sometimes numbered (`3. Nachname`). The holder's name is spread over separate
`Nachname` / `Vorname` rows, Ukrainian and Russian holders with a `Vatersname` row as well; dates are the
digits followed by the German words (`07.11.1991 (siebten November neunzehnhunderteinundneunzig)`) or
the words on a line of their own (`in Worten: …`); the parents or the spouse under captions of their own
after the holder's rows; the issuing office under its caption or only in the sentence of the closing
block (`Ausgestellt vom … am …`). The translator signs at the foot with her own name, town and a later
date, and her seal: a name and a date on the page that are not the holder's and not the issue date."""

from __future__ import annotations

import random
from datetime import timedelta

from schemas.documents import DocumentType

from ..formats import de_date
from ..names import german_official
from .common import CERTIFICATE_TYPES, GREY, Built, Facts, Page, certificate_truth, de_date_words, facts, patronymic

NAME = "sworn_below"
TYPES = CERTIFICATE_TYPES
_SOURCE = {
    "UKR": "der ukrainischen Sprache",
    "RUS": "der russischen Sprache",
    "SYR": "der arabischen Sprache",
    "IRQ": "der arabischen Sprache",
    "AFG": "der Sprache Dari",
    "TUR": "der türkischen Sprache",
}
_HEADS = (
    "Übersetzung aus {s}",
    "Deutsche Übersetzung – Original in {s}",
    "Übertragung aus {s} ins Deutsche",
)
_TITLES = {
    "birth": ("Geburtsschein", "Bescheinigung über die Geburt", "Geburtsurkunde (Auszug)"),
    "marriage": ("Urkunde über die Eheschließung", "Heiratsschein", "Bescheinigung der Ehe"),
    "school": ("Abschlusszeugnis der Sekundarschule", "Zeugnis der Reife", "Schulabschlusszeugnis"),
    "degree": ("Hochschulabschlussurkunde", "Diplom über den Hochschulabschluss", "Magisterdiplom"),
    "registration": ("Bescheinigung über die Wohnsitzanmeldung", "Auszug aus dem Einwohnerregister"),
}
_OFFICES = {
    "civil": ("Standesamt {t}", "Abteilung für Personenstandswesen {t}", "Zivilstandsamt der Stadt {t}"),
    "school": ("Mittelschule Nr. {n} in {t}", "Lyzeum Nr. {n} {t}"),
    "degree": ("Technische Universität {t}", "Pädagogische Hochschule {t}", "Medizinische Universität {t}"),
    "registration": ("Meldeamt der Stadtverwaltung {t}", "Migrationsdienst, Abteilung {t}"),
}
_CAPTIONS = {
    "surname": ("Nachname", "Name der Person", "Familienname des Inhabers"),
    "given": ("Vorname", "Vorname(n) der Person", "Eigenname"),
    "patronymic": ("Vatersname", "Name nach dem Vater"),
    "born": ("Tag der Geburt", "Geburtstag", "geboren am"),
    "place": ("Ort der Geburt", "geboren in", "Geburtsort (Stadt)"),
    "father": ("Name des Vaters", "Vater des Kindes"),
    "mother": ("Name der Mutter", "Mutter des Kindes"),
    "spouse": ("Name des Ehepartners", "Ehepartner/in"),
    "married": ("Tag der Trauung", "Datum der Heirat"),
    "graduated": ("Abschlussdatum", "Tag des Abschlusses"),
    "address": ("Angemeldete Anschrift", "Wohnsitz seit"),
    "office": ("Ausstellende Behörde", "Ausgestellt durch", "Registrierungsstelle"),
    "issued": ("Tag der Ausstellung", "Ausstellungstag", "Datum der Ausfertigung"),
    "number": ("Urkundennummer", "Nummer des Dokuments", "Registernummer"),
}


def _office(rng: random.Random, f: Facts) -> str:
    group = "civil" if f.kind in ("birth", "marriage") else f.kind
    return rng.choice(_OFFICES[group]).format(t=f.city[1], n=rng.randint(3, 90))


def _digits_and_words(rng: random.Random, d_text: str, words: str) -> tuple[str, str | None]:
    """A date's value line and, if the words go under it, the line under it."""
    if rng.random() < 0.6:
        return f"{d_text} ({words})", None
    return d_text, f"in Worten: {words}"


class _Sheet:
    """The field list: caption on one line, value under it, optionally numbered."""

    def __init__(self, rng: random.Random, page: Page, x: float) -> None:
        self.rng, self.page, self.x = rng, page, x
        self.numbered = rng.random() < 0.5
        self.grey = rng.random() < 0.5
        self.indent = rng.choice((0, 40, 80))
        self.n = 0

    def caption(self, key: str) -> str:
        return self.rng.choice(_CAPTIONS[key])

    def field(self, caption: str, value: str, under: str | None = None) -> None:
        self.n += 1
        page = self.page
        label = f"{self.n}. {caption}" if self.numbered else f"{caption}:"
        page.text(self.x, page.y, label, 30, color=GREY if self.grey else (20, 20, 20), bold=not self.grey)
        page.y += 54
        page.text(self.x + self.indent, page.y, value, 38)
        page.y += 56
        if under:
            page.text(self.x + self.indent, page.y, under, 30)
            page.y += 50
        page.y += 30


def build(rng: random.Random, doc_type: DocumentType) -> Built:
    origin = rng.choice(("UKR", "UKR", "RUS", "SYR", "IRQ", "AFG", "TUR"))
    f = facts(rng, doc_type, origin)
    h = f.holder
    page = Page(family=rng.choice(("liberation-serif", "dejavu-serif", "liberation-sans", "dejavu-sans")))
    x = rng.choice((200, 240, 280))
    page.text(x, 200, rng.choice(_HEADS).format(s=_SOURCE[origin]), 30, color=GREY)
    title = rng.choice(_TITLES[f.kind])
    page.text(page.width / 2, 350, title, 52, bold=True, align="m")
    office = _office(rng, f)
    number_style = rng.choice(("field", "heading", "series"))
    if number_style == "series":
        letters = "".join(rng.choice("ABEKMNOPT") for _ in range(2))
        number = f"{rng.choice(('I', 'II', 'IV'))}-{letters} {f.digits}"
        word = rng.choice(("Nr.", "Nummer"))
        page.text(page.width / 2, 440, f"Serie {number.split()[0]} {word} {f.digits}", 36, align="m")
    elif number_style == "heading":
        number = f"{rng.randint(10, 4999)}/{f.issue.year % 100:02d}"
        page.text(page.width / 2, 440, f"(Nr. {number})", 36, align="m")
    else:
        number = f.digits
    page.y = 580
    sheet = _Sheet(rng, page, x)
    if number_style == "field":
        sheet.field(sheet.caption("number"), number)
    # a Turkish name keeps its dotless ı only in title case, which no reader could restore from capitals
    surname = h.surname_latin if origin == "TUR" or rng.random() < 0.5 else h.surname_latin.upper()
    sheet.field(sheet.caption("surname"), surname)
    sheet.field(sheet.caption("given"), h.given_latin)
    if origin in ("UKR", "RUS") and rng.random() < 0.8:
        sheet.field(sheet.caption("patronymic"), patronymic(f.father, h.sex, origin)[1])
    sheet.field(sheet.caption("born"), *_digits_and_words(rng, de_date(h.birth_date), de_date_words(h.birth_date)))
    sheet.field(sheet.caption("place"), h.birth_place.latin)
    if f.kind == "birth" or (f.kind == "school" and rng.random() < 0.5):
        sheet.field(sheet.caption("father"), f.father.latin_name)
        sheet.field(sheet.caption("mother"), f.mother.latin_name)
    elif f.kind == "marriage" and f.spouse is not None:
        sheet.field(sheet.caption("spouse"), f.spouse.latin_name)
        sheet.field(sheet.caption("married"), de_date(f.event))
    elif f.kind in ("school", "degree"):
        sheet.field(sheet.caption("graduated"), de_date(f.event))
    elif f.kind == "registration":
        sheet.field(sheet.caption("address"), f"{f.city[1]}, {de_date(f.event)}")
    office_in_closing = rng.random() < 0.35
    if not office_in_closing:
        sheet.field(sheet.caption("office"), office)
    date_in_field = not office_in_closing and rng.random() < 0.6
    if date_in_field:
        sheet.field(sheet.caption("issued"), *_digits_and_words(rng, de_date(f.issue), de_date_words(f.issue)))
    page.y += 40
    if office_in_closing:
        page.text(x, page.y, f"Ausgestellt vom {office} am {de_date(f.issue)}.", 34)
        page.y += 70
    elif not date_in_field:
        page.text(x, page.y, f"{f.city[1]}, {de_date(f.issue)}", 36)
        page.y += 70
    page.text(x, page.y, "[Rundsiegel]   [Unterschrift unleserlich]", 30, color=GREY)
    page.y += 150
    page.line(x, page.y, page.width - x, page.y, width=2)
    page.y += 70
    translator = german_official(rng)
    court = rng.choice(("Landgericht Halle", "Oberlandesgericht Naumburg", "Landgericht Leipzig"))
    page.text(x, page.y, f"Als vom Präsidenten des {court} ermächtigte Übersetzerin bestätige ich,", 28)
    page.y += 44
    page.text(x, page.y, "dass die vorstehende Übersetzung mit dem mir vorgelegten Original übereinstimmt.", 28)
    page.y += 80
    town = rng.choice(("Naumburg (Saale)", "Weißenfels", "Halle (Saale)", "Zeitz"))
    page.text(x, page.y, f"{town}, {de_date(f.issue + timedelta(days=rng.randint(90, 1500)))}", 32)
    page.signature(x + 900, page.y - 10, rng.getrandbits(32))
    page.y += 60
    page.text(x + 900, page.y + 40, translator, 30)
    page.stamp(x + 1500, page.y - 40, f"{translator} · Übersetzerin", radius=140)
    fields = certificate_truth(h, h.latin_name, f.issue, office, number)
    extra = {"latin_name": h.latin_name, "translator": translator, "number_style": number_style}
    return Built(doc_type, "de", fields, [page.layout], extra)
