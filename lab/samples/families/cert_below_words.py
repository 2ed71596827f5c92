"""Family `below_words`: a sworn German translation of a foreign certificate ("Übersetzung aus dem
Ukrainischen"): one script only, each label on its own line with the value on the line below it, dates in
digits followed by the date in words, the holder's surname and given names on separate rows, the
translator's name and seal at the foot (an official's name that is not the holder's)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from schemas.documents import DocumentType

from ..formats import DE_MONTHS, de_date
from ..names import german_address, german_official
from .common import CERTIFICATE_TYPES, GREY, Built, Page, certificate_truth, de_date_words, facts

NAME = "below_words"
TYPES = CERTIFICATE_TYPES
_FROM = {
    "UKR": "Ukrainischen",
    "RUS": "Russischen",
    "SYR": "Arabischen",
    "AFG": "Persischen (Dari)",
    "TUR": "Türkischen",
}
_TITLE = {
    "birth": "Geburtsurkunde",
    "marriage": "Heiratsurkunde",
    "school": "Reifezeugnis",
    "degree": "Diplom über den Hochschulabschluss",
}


def _date(d: date, words: bool) -> str:
    if words:
        return f"{de_date(d)} ({de_date_words(d)})"
    return f"{d.day}. {DE_MONTHS[d.month - 1]} {d.year}"


def build(rng: random.Random, doc_type: DocumentType) -> Built:
    if doc_type is DocumentType.REGISTRATION_CERTIFICATE:
        return _registration(rng)
    origin = rng.choice(("UKR", "RUS", "SYR", "AFG", "TUR"))
    f = facts(rng, doc_type, origin)
    h = f.holder
    page = Page(family=rng.choice(("liberation-sans", "dejavu-sans", "liberation-serif")))
    x = 260
    page.text(x, 230, f"Übersetzung aus dem {_FROM[origin]}", 34, color=GREY)
    page.text(page.width / 2, 400, _TITLE[f.kind], 60, bold=True, align="m")
    _, town_l = f.city
    office = {
        "birth": f"Standesamt {town_l}",
        "marriage": f"Standesamt {town_l}",
        "school": f"Mittelschule Nr. {rng.randint(2, 90)} in {town_l}",
        "degree": f"Staatliche Universität {town_l}",
    }[f.kind]
    number = f"{rng.randint(1, 999)}/{f.issue.year}"
    words = rng.random() < 0.7
    rows: list[tuple[str, str]] = [("Urkundennummer:", number)]
    rows += [("Familienname:", h.surname_latin), ("Vorname(n):", h.given_latin)]
    rows += [("Geburtsdatum:", _date(h.birth_date, words)), ("Geburtsort:", h.birth_place.latin)]
    if f.kind == "birth":
        rows += [("Vater:", f.father.latin_name), ("Mutter:", f.mother.latin_name)]
    elif f.kind == "marriage" and f.spouse is not None:
        rows += [
            ("Ehegatte:", f.spouse.latin_name),
            ("Geburtsdatum des Ehegatten:", _date(f.spouse.birth_date, words)),
            ("Tag der Eheschließung:", _date(f.event, words)),
        ]
    else:
        rows += [("Abschluss erworben am:", _date(f.event, words))]
    rows += [("Ausgestellt von:", office), ("Ausstellungsdatum:", _date(f.issue, words))]
    page.y = 560
    for label, value in rows:
        page.text(x, page.y, label, 32, color=GREY)
        page.text(x + 60, page.y + 58, value, 42, bold=True)
        page.y += 150
    translator = german_official(rng)
    page.y += 60
    page.text(x, page.y, "Die Richtigkeit und Vollständigkeit der Übersetzung wird bestätigt.", 32)
    page.text(x, page.y + 60, f"Leipzig, {de_date(f.issue + timedelta(days=rng.randint(400, 3000)))}", 32)
    page.text(x, page.y + 220, f"{translator}, öffentlich bestellte Übersetzerin", 30)
    page.stamp(page.width - 560, page.y + 160, f"{translator} Übersetzer", 170)
    fields = certificate_truth(h, h.latin_name, f.issue, office, number)
    extra = {"original_script_name": h.original_name, "latin_name": h.latin_name, "translator": translator}
    return Built(doc_type, "de", fields, [page.layout], extra)


def _registration(rng: random.Random) -> Built:
    origin = rng.choice(("UKR", "SYR", "AFG", "TUR", "RUS", "IRQ"))
    f = facts(rng, DocumentType.REGISTRATION_CERTIFICATE, origin)
    h = f.holder
    town = rng.choice(("Naumburg", "Zeitz", "Weißenfels", "Bad Kösen", "Teuchern"))
    authority = f"Einwohnermeldeamt {town}"
    page = Page(family=rng.choice(("liberation-sans", "dejavu-sans")))
    x = 260
    page.text(x, 260, authority, 38, bold=True)
    page.text(x, 440, "Meldebestätigung", 58, bold=True)
    street, postcode, place = german_address(rng)
    number = f"{rng.randint(10, 99)}.{rng.randint(1000, 9999)}"
    rows = [
        ("Name", h.surname_latin),
        ("Vorname", h.given_latin),
        ("Tag der Geburt", _date(h.birth_date, rng.random() < 0.5)),
        ("Ort der Geburt", h.birth_place.latin),
        ("Anschrift", f"{street}, {postcode} {place}"),
        ("Aktenzeichen der Meldebehörde", number),
        ("Datum der Ausstellung", _date(f.issue, rng.random() < 0.5)),
    ]
    page.y = 600
    for label, value in rows:
        page.text(x, page.y, label, 32, color=GREY)
        page.text(x + 60, page.y + 58, value, 42, bold=True)
        page.y += 150
    page.stamp(page.width - 560, page.y + 200, authority)
    fields = certificate_truth(h, f"{h.given_latin} {h.surname_latin}", f.issue, authority, number)
    return Built(DocumentType.REGISTRATION_CERTIFICATE, "de", fields, [page.layout], {"latin_name": h.latin_name})
