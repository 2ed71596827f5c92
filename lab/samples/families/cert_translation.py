"""Family `translation` (tuning): the certified German translation of a foreign certificate, as most
certificates reach the agency. Labels end in a colon with the value right of them on the same line, with a
label vocabulary of its own (`Zuname:` / `Name:`, `Vorname(n):` / `Rufname:`), the father (who carries the
holder's surname) and the mother or spouse printed right under the holder, the number as `Urkunde Nr.`,
`Register-Nr.` or a series line, the issue date either labelled, written out in words (`am zwölften März
zweitausendeinundzwanzig`), or only in the original's closing line (`Kyjiw, den 12.03.2021`) above
`(Siegel) (Unterschrift)`; the translator's certification with her own date at the foot."""

from __future__ import annotations

import random
from datetime import timedelta

from schemas.documents import DocumentType

from ..formats import DE_MONTHS, de_date
from ..names import german_official
from .common import CERTIFICATE_TYPES, Built, Page, certificate_truth, de_date_words, facts

NAME = "translation"
TYPES = CERTIFICATE_TYPES
_LANGUAGE = {"UKR": "Ukrainischen", "RUS": "Russischen", "SYR": "Arabischen", "AFG": "Dari", "TUR": "Türkischen"}
_TITLES = {
    "birth": ("Geburtsurkunde", "Auszug aus dem Geburtenregister"),
    "marriage": ("Heiratsurkunde", "Eheurkunde"),
    "school": ("Zeugnis über den Abschluss der Mittelschule", "Reifezeugnis"),
    "degree": ("Diplom", "Hochschuldiplom (Bachelor)"),
    "registration": ("Meldebescheinigung", "Bescheinigung über den Wohnsitz"),
}
_OFFICE = {
    "birth": ("Standesamt der Stadt {t}", "Personenstandsbehörde {t}"),
    "marriage": ("Standesamt der Stadt {t}", "Personenstandsbehörde {t}"),
    "school": ("Allgemeinbildende Schule Nr. {n}, {t}", "Gymnasium Nr. {n} der Stadt {t}"),
    "degree": ("Nationale Universität {t}", "Staatliche Universität {t}"),
    "registration": ("Passamt der Stadt {t}", "Einwohnermeldeamt {t}"),
}


def _row(page: Page, x: float, label: str, value: str, tab: float) -> None:
    page.text(x, page.y, f"{label}:", 36)
    page.text(x + tab, page.y, value, 38)
    page.y += 78


def build(rng: random.Random, doc_type: DocumentType) -> Built:
    origin = rng.choice(("UKR", "UKR", "RUS", "SYR", "AFG", "TUR"))
    f = facts(rng, doc_type, origin)
    h = f.holder
    page = Page(family=rng.choice(("liberation-serif", "dejavu-serif", "liberation-sans", "dejavu-sans")))
    x, tab = 220, rng.choice((620, 700, 760))
    page.text(x, 240, f"Beglaubigte Übersetzung aus dem {_LANGUAGE[origin]}", 30)
    title = rng.choice(_TITLES[f.kind])
    page.text(page.width / 2, 400, title.upper() if rng.random() < 0.5 else title, 54, bold=True, align="m")
    town_l = f.city[1]
    office = rng.choice(_OFFICE[f.kind]).format(t=town_l, n=rng.randint(2, 60))
    style = rng.choice(("urkunde", "register", "series"))
    if style == "series":
        letters = "".join(rng.choice("ABEKMNT") for _ in range(2))
        number = f"{rng.choice(('I', 'II', 'III'))}-{letters} {f.digits}"
        page.text(page.width / 2, 490, f"Serie {number.replace(' ', ' Nr. ')}", 40, align="m")
    else:
        number = f"{rng.randint(1, 999)}/{f.issue.year}" if style == "urkunde" else f.digits
        label = "Urkunde Nr." if style == "urkunde" else "Register-Nr."
        page.text(page.width / 2, 490, f"{label} {number}", 40, align="m")
    page.y = 640
    surname_label = rng.choice(("Zuname", "Name", "Familienname"))
    given_label = rng.choice(("Vorname(n)", "Vornamen", "Rufname"))
    order = rng.random() < 0.5
    # capitals would lose the Turkish dotless ı, which no reader could restore
    surname = h.surname_latin if origin == "TUR" else h.surname_latin.upper()
    rows = [(surname_label, surname), (given_label, h.given_latin)]
    for label, value in rows if order else rows[::-1]:
        _row(page, x, label, value, tab)
    born_style = rng.random()
    if born_style < 0.6:
        _row(page, x, "Geburtsdatum", de_date(h.birth_date), tab)
        _row(page, x, "Geburtsort", h.birth_place.latin, tab)
    else:
        _row(page, x, "geboren am", f"{h.birth_date.day}. {DE_MONTHS[h.birth_date.month - 1]} {h.birth_date.year}", tab)
        _row(page, x, "in", h.birth_place.latin, tab)
    if f.kind in ("birth", "school"):
        _row(page, x, rng.choice(("Vater", "Name des Vaters")), f.father.latin_name, tab)
        _row(page, x, rng.choice(("Mutter", "Name der Mutter")), f.mother.latin_name, tab)
    elif f.kind == "marriage" and f.spouse is not None:
        _row(page, x, rng.choice(("Ehegatte", "Ehepartner(in)")), f.spouse.latin_name, tab)
        _row(page, x, "Tag der Eheschließung", de_date(f.event), tab)
    elif f.kind == "registration":
        _row(page, x, "Wohnort", town_l, tab)
    if f.kind == "degree":
        _row(page, x, "Fachrichtung", rng.choice(("Informatik", "Rechtswissenschaft", "Pharmazie", "Ökonomie")), tab)
    _row(page, x, rng.choice(("Ausstellende Stelle", "Ausgestellt von")), office, tab)
    date_style = rng.choice(("label", "words", "closing"))
    page.y += 60
    if date_style == "label":
        _row(page, x, rng.choice(("Ausstellungsdatum", "Datum der Ausstellung")), de_date(f.issue), tab)
        page.y += 40
        page.text(x, page.y, f"{town_l}", 36)
    elif date_style == "words":
        page.text(x, page.y, f"Ausgestellt am {de_date_words(f.issue)} ({de_date(f.issue)}).", 36)
        page.y += 78
    else:
        page.text(x, page.y, f"{town_l}, den {de_date(f.issue)}", 38)
    page.y += 80
    page.text(x, page.y, "(Siegel)", 32)
    page.text(x + 900, page.y, "(Unterschrift)", 32)
    page.stamp(x + 500, page.y + 60, office, radius=150)
    page.y += 260
    page.line(x, page.y, page.width - x, page.y, width=2)
    page.y += 80
    translator = german_official(rng)
    page.text(
        x, page.y, f"Die Richtigkeit und Vollständigkeit der vorstehenden Übersetzung bescheinigt {translator},", 30
    )
    page.y += 50
    page.text(x, page.y, "öffentlich bestellte und allgemein beeidigte Übersetzerin.", 30)
    page.y += 50
    page.text(x, page.y, f"Übersetzt am {de_date(f.issue + timedelta(days=rng.randint(60, 900)))}", 30)
    page.signature(x + 1100, page.y + 40, rng.getrandbits(32))
    fields = certificate_truth(h, h.latin_name, f.issue, office, number)
    return Built(doc_type, "de", fields, [page.layout], {"latin_name": h.latin_name, "date_style": date_style})
