"""Identity tuning family `name_lines` (issue 17, item 3), written from the issue's words and never reported:
names whose visual-zone form OCR finds hard and whose MRZ form is cut or stripped.

- Ukrainian and Russian holders with Latin names (`IAKOVLIEV`, `MYKOLAICHUK`, `ILLIA`): many I, l, Y, rn and m
  look-alikes, printed upper case or in title case (`Iryna`, where OCR reads `lryna`).
- Czech, Slovak and Romanian names with the marks the MRZ drops (`NOVÁKOVÁ`, `ŘEHÁČEK`, `ȘTEFĂNESCU`).
- German holders with three or four given names, some hyphenated (`KARL-HEINZ FRIEDRICH WILHELM`), that the
  MRZ cuts, on a card whose MRZ line holds 30 characters.
- The name as a two-column row (label left, value right), as a value under its label, or both names in one
  row (`SURNAME, Given Names`); long given names wrapped over two lines; small print on some cards.

Names, labels and layout are this module's own; only the MRZ writer and the page primitives are shared.
"""

from __future__ import annotations

import random
import unicodedata
from datetime import date, timedelta

from schemas.documents import DocumentType

from .. import mrz
from ..layouts import PageLayout, Shape, Text, wrap
from .common import Built, draw_mrz, mrz_type

NAME = "name_lines"
TYPES = (DocumentType.PASSPORT, DocumentType.ID_CARD, DocumentType.RESIDENCE_PERMIT)

# (surnames, given names) per state, as the state prints them in Latin letters
_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "UKR": (
        ("Iakovliev", "Mykolaichuk", "Chernihivska", "Illiashenko", "Lytvynenko", "Kyrylenko", "Hrynchyshyn",
         "Ivanishyn", "Mirnyi", "Kolomiiets", "Nimchuk", "Iliukhina"),
        ("Illia", "Iryna", "Ivan", "Liliia", "Mykhailo", "Oleksii", "Yulia", "Vasyl", "Lina", "Ilona", "Milana",
         "Myroslav"),
    ),
    "RUS": (
        ("Iakovlev", "Mironova", "Ilyin", "Lomonosova", "Kulikov", "Nikolaev", "Zhilina", "Kamilov"),
        ("Ilya", "Milena", "Kirill", "Lyudmila", "Mikhail", "Nikolai", "Lilia", "Irina"),
    ),
    "CZE": (
        ("Nováková", "Řeháček", "Müllerová", "Dvořáková", "Šťastný", "Kučerová", "Hájek", "Vlčková", "Ševčík",
         "Procházková"),
        ("Jiří", "Kateřina", "Tomáš", "Zdeňka", "Lubomír", "Božena", "Radim", "Věra", "Ondřej", "Jarmila"),
    ),
    "SVK": (
        ("Kováčová", "Ďurica", "Šimková", "Hlinková", "Ľupták", "Mlynárik"),
        ("Ľubica", "Miloš", "Ľudmila", "Ján", "Mária", "Imrich"),
    ),
    "ROU": (
        ("Ștefănescu", "Țurcanu", "Mănăstireanu", "Iliescu", "Dumitrașcu", "Bălănescu"),
        ("Ionuț", "Mihaela", "Ștefan", "Ilinca", "Răzvan", "Cătălina"),
    ),
    "D": (
        ("Müller-Lüdenscheidt", "Schmitz", "Hillebrand", "Illner", "Mühlenkamp", "Lindemann", "Kleinschmidt"),
        ("Karl-Heinz", "Friedrich", "Wilhelm", "Hans-Dieter", "Ilse", "Marie-Luise", "Ingrid", "Wolfgang",
         "Lieselotte", "Emil"),
    ),
}  # fmt: skip

# ICAO 9303 Part 3 spellings of the letters these states print (a German document spells Ä as AE)
_GERMAN = {"Ä": "AE", "Ö": "OE", "Ü": "UE", "ß": "SS"}
_LABELS = {
    "UKR": ("Прізвище / Surname", "Ім'я / Given names"),
    "RUS": ("Фамилия / Surname", "Имя / Given names"),
    "CZE": ("Příjmení / Surname", "Jméno / Given names"),
    "SVK": ("Priezvisko / Surname", "Meno / Given names"),
    "ROU": ("Nume / Surname", "Prenume / Given names"),
    "D": ("Name / Surname", "Vornamen / Given names"),
}
_FONTS = ("dejavu-sans", "liberation-sans", "noto-sans", "dejavu-serif", "liberation-serif")
FORMS = ("row", "below", "one_row")


def mrz_form(printed: str) -> str:
    """A printed name in the MRZ alphabet: German umlauts spelt out, other marks dropped, spaces and hyphens
    as one space, upper case."""
    out = []
    for char in printed.upper():
        if char in _GERMAN:
            out.append(_GERMAN[char])
        elif char in " -":
            out.append(" ")
        else:
            base = unicodedata.normalize("NFD", char)[0]
            if "A" <= base <= "Z":
                out.append(base)
    return " ".join("".join(out).split())


def _name(rng: random.Random, state: str, title_case: bool) -> tuple[str, str]:
    surnames, given = _NAMES[state]
    surname = rng.choice(surnames)
    count = rng.choice((3, 4)) if state == "D" else rng.choice((1, 1, 2))
    first = " ".join(rng.sample(given, k=count))
    if state in ("UKR", "RUS") and rng.random() < 0.5:  # the patronymic printed with the given name
        father = rng.choice([g for g in given if g != first.split()[0]])
        first += " " + father + ("ovych" if rng.random() < 0.5 else "ivna")
    if title_case:
        return surname, first
    return surname.upper(), first.upper()


def _rows(
    page: PageLayout, rng: random.Random, x: float, y: float, width: float, unit: float, family: str,
    labels: tuple[str, str], surname: str, given: str,
) -> float:  # fmt: skip
    """Draw the name rows from baseline `y`; the baseline below them."""
    form = rng.choice(FORMS)
    value = int(unit * rng.uniform(0.62, 0.9))
    label = max(12, int(unit * 0.42))
    grey = (80, 80, 100)
    if form == "one_row":
        y += label * 1.3
        page.ops.append(Text(x, y, f"{labels[0]}, {labels[1]}", label, family, color=grey))
        for line in wrap(f"{surname}, {given}", family, value, width, bold=True):
            y += value * 1.25
            page.ops.append(Text(x, y, line, value, family, bold=True))
        return y
    for text, name in ((labels[0], surname), (labels[1], given)):
        if form == "row":  # label on the left, the value in a column to its right
            column = x + width * 0.38
            lines = wrap(name, family, value, width * 0.62, bold=True)
            y += value * 1.3
            page.ops.append(Text(x, y, text.split(" / ")[-1], label, family, color=grey))
            for k, line in enumerate(lines):
                y += value * 1.2 if k else 0
                page.ops.append(Text(column, y, line, value, family, bold=True))
        else:
            y += label * 1.3
            page.ops.append(Text(x, y, text, label, family, color=grey))
            for line in wrap(name, family, value, width * rng.uniform(0.55, 1.0), bold=True):
                y += value * 1.2
                page.ops.append(Text(x, y, line, value, family, bold=True))
        y += value * 0.3
    return y


def _document(rng: random.Random, doc_type: DocumentType) -> tuple[str, str, str, bool]:
    """(holder's state, issuing state, document code, card-sized) for the type."""
    holder = rng.choice(tuple(_NAMES))
    if doc_type is DocumentType.RESIDENCE_PERMIT:
        return (holder if holder != "D" else "UKR"), "D", "AR", True
    if doc_type is DocumentType.ID_CARD:
        return holder, holder, "ID", True
    return holder, holder, "P", False


def _drawn(
    rng: random.Random, size: tuple[int, int], family: str, scale: float, code: str, holder: str, issuer: str,
    data: mrz.MrzData, surname: str, given: str,
) -> tuple[PageLayout, float]:  # fmt: skip
    """The page without its MRZ, and the baseline of its last line."""
    w, h = size
    tint = rng.choice([(240, 244, 236), (244, 240, 232), (234, 240, 248)])
    page = PageLayout(w, h, background=tint, raster_only=True)
    pale = (tint[0] - 16, tint[1] - 16, tint[2] - 16)
    page.ops.append(Shape("guilloche", (0, 0, w, h), color=pale, seed=rng.getrandbits(32)))
    title = {"P": "PASSPORT", "AR": "AUFENTHALTSTITEL"}.get(code, "IDENTITY CARD")
    unit = h / 15 * scale
    page.ops.append(Text(w / 2, unit * 1.3, f"{title} {issuer}", int(unit * 0.6), family, bold=True, align="m"))
    photo_w = w * 0.24
    photo = (w * 0.04, unit * 2.2, w * 0.04 + photo_w, unit * 2.2 + photo_w * 1.28)
    page.ops.append(Shape("photo", photo, seed=rng.getrandbits(32)))
    x = w * 0.08 + photo_w
    width = w * 0.95 - x
    labels = _LABELS[holder if issuer == holder else "D"]
    y = _rows(page, rng, x, unit * 2.0, width, unit, family, labels, surname, given)
    small = max(12, int(unit * 0.5))
    for text in (
        f"Date of birth: {data.birth_date:%d.%m.%Y}",
        f"Nationality: {holder}",
        f"Document No.: {data.document_number}",
        f"Date of expiry: {data.expiry_date:%d.%m.%Y}",
    ):
        y += small * 1.35
        page.ops.append(Text(x, y, text, small, family))
    return page, max(y, photo[3])


def build(rng: random.Random, doc_type: DocumentType) -> Built:
    holder, issuer, code, card = _document(rng, doc_type)
    surname, given = _name(rng, holder, title_case=rng.random() < 0.3)
    data = mrz.MrzData(
        document_code=code,
        issuing_state=issuer,
        surname=mrz_form(surname),
        given_names=mrz_form(given),
        document_number=rng.choice("CFGHJKLMNPRTVWXYZ") + "".join(rng.choice("0123456789") for _ in range(8)),
        nationality=holder,
        birth_date=date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 55)),
        sex=rng.choice("MF"),
        expiry_date=date(2026, 1, 1) + timedelta(days=rng.randrange(365 * 9)),
    )
    lines = mrz.td1(data) if card else mrz.td3(data)
    w, h = (1011, 638) if card else (1476, 1039)
    family, layout_seed = rng.choice(_FONTS), rng.getrandbits(32)
    msize, mrz_top = mrz_type(lines, w, h)
    scale = rng.uniform(0.8, 1.0)
    while True:  # the same drawing, smaller, until it clears the MRZ
        page, bottom = _drawn(
            random.Random(layout_seed), (w, h), family, scale, code, holder, issuer, data, surname, given
        )
        if bottom <= mrz_top - 10 or scale < 0.45:
            break
        scale -= 0.06
    draw_mrz(page, lines, mrz_top, msize)
    fields = mrz.truth_fields(data, lines)
    fields["surname"], fields["given_names"] = surname, given
    extra = {"mrz_surname": data.surname, "mrz_given_names": data.given_names}
    return Built(doc_type, f"{_LANG[holder]}-en", fields, [page], extra)


_LANG = {"UKR": "uk", "RUS": "ru", "CZE": "cs", "SVK": "sk", "ROU": "ro", "D": "de"}
