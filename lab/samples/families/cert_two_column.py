"""Family `two_column`: the original language in the left column and its English (or German) version in
the right column, row by row (`Прізвище, ім'я` | `Surname, given names`), each column with its own label
above the value; numbers printed as `№ 123456` in the heading, the issue date in the right column only.
Registration certificates as a German two-column form (left label, right value, in boxes)."""

from __future__ import annotations

import random

from schemas.documents import DocumentType

from ..formats import EN_MONTHS, UK_MONTHS, de_date
from ..names import german_address
from .common import CERTIFICATE_TYPES, GREY, Built, Page, certificate_truth, facts

NAME = "two_column"
TYPES = CERTIFICATE_TYPES
_TITLES = {
    "birth": ("СВІДОЦТВО ПРО НАРОДЖЕННЯ", "BIRTH CERTIFICATE"),
    "marriage": ("СВІДОЦТВО ПРО ШЛЮБ", "MARRIAGE CERTIFICATE"),
    "school": ("АТЕСТАТ", "SCHOOL LEAVING CERTIFICATE"),
    "degree": ("ДИПЛОМ БАКАЛАВРА", "BACHELOR DIPLOMA"),
}


def build(rng: random.Random, doc_type: DocumentType) -> Built:
    if doc_type is DocumentType.REGISTRATION_CERTIFICATE:
        return _registration(rng)
    f = facts(rng, doc_type, "UKR")
    h = f.holder
    page = Page(family=rng.choice(("dejavu-sans", "liberation-sans", "dejavu-serif")))
    mid = page.width / 2
    left, right = 200, mid + 60
    uk_t, en_t = _TITLES[f.kind]
    page.text(left, 330, uk_t, 46, bold=True)
    page.text(right, 330, en_t, 46, bold=True)
    number = f"{f.digits}"
    page.text(left, 420, f"№ {number}", 40)
    page.text(right, 420, f"No. {number}", 40)
    page.line(mid, 300, mid, 2900, width=2)
    town, town_l = f.city
    office_uk = {
        "birth": f"ДРАЦС м. {town}",
        "marriage": f"ДРАЦС м. {town}",
        "school": f"Ліцей м. {town}",
        "degree": f"Університет м. {town}",
    }[f.kind]
    office_en = {
        "birth": f"Civil Registry Office of {town_l}",
        "marriage": f"Civil Registry Office of {town_l}",
        "school": f"Lyceum of {town_l}",
        "degree": f"University of {town_l}",
    }[f.kind]
    en_date = f"{EN_MONTHS[f.issue.month - 1]} {f.issue.day}, {f.issue.year}"
    rows = [
        ("Прізвище, ім'я", h.original_name, "Surname, given names", f"{h.surname_latin.upper()}, {h.given_latin}"),
        (
            "Дата народження",
            f"{h.birth_date.day} {UK_MONTHS[h.birth_date.month - 1]} {h.birth_date.year} р.",
            "Date of birth",
            de_date(h.birth_date),
        ),
        ("Місце народження", h.birth_place.original, "Place of birth", h.birth_place.latin),
    ]
    if f.kind == "birth":
        rows += [
            (
                "Батьки",
                f"{f.father.original_name}, {f.mother.original_name}",
                "Parents",
                f"{f.father.latin_name}, {f.mother.latin_name}",
            )
        ]
    elif f.kind == "marriage" and f.spouse is not None:
        rows += [("Дружина / чоловік", f.spouse.original_name, "Spouse", f.spouse.latin_name)]
    rows += [("Видано", office_uk, "Issued by", office_en), ("", "", "Date of issue", en_date)]
    page.y = 560
    for l_lab, l_val, r_lab, r_val in rows:
        if l_lab:
            page.text(left, page.y, l_lab, 30, color=GREY)
            page.text(left, page.y + 56, l_val, 38, bold=True)
        page.text(right, page.y, r_lab, 30, color=GREY)
        page.text(right, page.y + 56, r_val, 38, bold=True)
        page.y += 170
    page.stamp(mid, page.y + 280, office_uk)
    page.signature(right + 200, page.y + 300, rng.getrandbits(32))
    fields = certificate_truth(h, h.latin_name, f.issue, office_en, number)
    extra = {"original_script_name": h.original_name, "latin_name": h.latin_name}
    return Built(doc_type, "uk-en", fields, [page.layout], extra)


def _registration(rng: random.Random) -> Built:
    origin = rng.choice(("UKR", "SYR", "AFG", "TUR"))
    f = facts(rng, DocumentType.REGISTRATION_CERTIFICATE, origin)
    h = f.holder
    town = rng.choice(("Halle (Saale)", "Merseburg", "Leuna", "Naumburg (Saale)"))
    authority = f"{town} · Bürgerservice Meldeangelegenheiten"
    page = Page(family="dejavu-sans")
    page.text(200, 250, authority, 34)
    page.text(200, 420, "Amtliche Meldebescheinigung", 54, bold=True)
    street, postcode, place = german_address(rng)
    number = f"{f.issue.year}-{rng.randint(100000, 999999)}"
    rows = [
        ("Nachname", h.surname_latin),
        ("Vorname(n)", h.given_latin),
        ("Geburtsdatum / -ort", f"{de_date(h.birth_date)}, {h.birth_place.latin}"),
        ("Wohnanschrift", f"{street}, {postcode} {place}"),
        ("Bescheinigungsnummer", number),
        ("Erstellt am", de_date(f.issue)),
    ]
    page.y = 560
    for label, value in rows:
        page.rect((200, page.y, page.width - 200, page.y + 120), width=2, color=(140, 140, 140))
        page.text(230, page.y + 75, label, 32, color=GREY)
        page.text(900, page.y + 78, value, 40, bold=True)
        page.y += 120
    page.stamp(page.width - 600, page.y + 300, authority)
    fields = certificate_truth(h, f"{h.given_latin} {h.surname_latin}", f.issue, authority, number)
    return Built(DocumentType.REGISTRATION_CERTIFICATE, "de", fields, [page.layout], {"latin_name": h.latin_name})
