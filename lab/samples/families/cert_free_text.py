"""Family `free_text`: certificates written as prose, no label/value pairs: "This is to certify that ...,
born on ... at ...", the Arabic or Ukrainian original line by line beside or before the English, the
parents' or spouse's names in the same sentence as the holder's, and the issue date only in the closing
line `<Place>, <date>` above the signature. Registration certificates as a German letter of confirmation."""

from __future__ import annotations

import random
from datetime import date, timedelta

from schemas.documents import DocumentType

from ..fonts import text_width
from ..formats import EN_MONTHS, de_date
from ..names import german_address
from .common import CERTIFICATE_TYPES, GREY, Built, Page, certificate_truth, facts

NAME = "free_text"
TYPES = CERTIFICATE_TYPES

_TITLE_EN = {
    "birth": "CERTIFICATE OF BIRTH",
    "marriage": "CERTIFICATE OF MARRIAGE",
    "school": "SECONDARY SCHOOL LEAVING CERTIFICATE",
    "degree": "BACHELOR'S DEGREE CERTIFICATE",
}
_TITLE_AR = {
    "birth": "شهادة ولادة",
    "marriage": "شهادة زواج",
    "school": "شهادة الدراسة الثانوية",
    "degree": "شهادة الإجازة الجامعية",
}
_TITLE_UK = {
    "birth": "СВІДОЦТВО ПРО НАРОДЖЕННЯ",
    "marriage": "СВІДОЦТВО ПРО ШЛЮБ",
    "school": "СВІДОЦТВО ПРО ЗДОБУТТЯ ПОВНОЇ СЕРЕДНЬОЇ ОСВІТИ",
    "degree": "ДИПЛОМ БАКАЛАВРА",
}


def _en(d: date) -> str:
    return f"{d.day} {EN_MONTHS[d.month - 1]} {d.year}"


def _paragraph(page: Page, text: str, x: float, width: float, size: int = 40) -> None:
    words, line = text.split(), ""
    for word in words:
        trial = f"{line} {word}".strip()
        if line and text_width(trial, page.family, size) > width:
            page.text(x, page.y, line, size)
            page.y += size * 1.55
            line = word
        else:
            line = trial
    if line:
        page.text(x, page.y, line, size)
        page.y += size * 1.55


def build(rng: random.Random, doc_type: DocumentType) -> Built:
    if doc_type is DocumentType.REGISTRATION_CERTIFICATE:
        return _registration(rng)
    origin = rng.choice(("SYR", "IRQ", "UKR"))
    f = facts(rng, doc_type, origin)
    h = f.holder
    page = Page(family=rng.choice(("dejavu-serif", "liberation-serif")))
    _, town_l = f.city
    if origin == "UKR":
        state, title_orig = "Україна / Ukraine", _TITLE_UK[f.kind]
    else:
        state = (
            "الجمهورية العربية السورية / Syrian Arab Republic"
            if origin == "SYR"
            else "جمهورية العراق / Republic of Iraq"
        )
        title_orig = _TITLE_AR[f.kind]
    org = {
        "birth": f"Civil Registry of {town_l}",
        "marriage": f"Civil Status Department, {town_l}",
        "school": f"Directorate of Education, {town_l}",
        "degree": f"University of {town_l}",
    }[f.kind]
    page.text(page.width / 2, 250, state, 40, align="m", bold=True)
    page.text(page.width / 2, 330, org, 40, align="m")
    page.text(page.width / 2, 470, title_orig, 52, align="m", bold=True)
    page.text(page.width / 2, 545, _TITLE_EN[f.kind], 48, align="m", bold=True)
    number = f"{f.issue.year}/{f.digits[:5]}"
    page.text(page.width - 220, 640, f"Ref. No.: {number}", 34, align="r")
    page.y = 780
    x, width = 240, page.width - 480
    he = "he" if h.sex == "M" else "she"
    if f.kind == "birth":
        sentence = (
            f"This is to certify that {h.latin_name} was born on {_en(h.birth_date)} in {h.birth_place.latin}, "
            f"child of {f.father.latin_name} (father) and {f.mother.latin_name} (mother), and that the birth "
            "was entered in the civil register."
        )
        original = f"{h.original_name} — {h.birth_place.original}"
    elif f.kind == "marriage" and f.spouse is not None:
        sentence = (
            f"This is to certify that {h.latin_name}, born on {_en(h.birth_date)} in {h.birth_place.latin}, "
            f"and {f.spouse.latin_name}, born on {_en(f.spouse.birth_date)}, were married on {_en(f.event)} "
            f"before the registrar {f.father.latin_name}."
        )
        original = f"{h.original_name} — {f.spouse.original_name}"
    else:
        what = "completed the secondary school" if f.kind == "school" else "was awarded the degree of Bachelor"
        sentence = (
            f"This is to certify that {h.latin_name}, born on {_en(h.birth_date)} in {h.birth_place.latin}, "
            f"{what} in the academic year {f.event.year - 1}/{f.event.year}, {he} having passed all examinations."
        )
        original = h.original_name
    _paragraph(page, original, x, width, 44)
    page.y += 40
    _paragraph(page, sentence, x, width)
    page.y += 60
    _paragraph(page, "This certificate is issued at the request of the person concerned.", x, width)
    page.y += 200
    page.text(x, page.y, f"{town_l}, {_en(f.issue)}", 40)
    page.signature(x + 40, page.y + 170, rng.getrandbits(32))
    page.text(x, page.y + 300, f"The Registrar, {org}" if f.kind in ("birth", "marriage") else "The Director", 34)
    page.stamp(page.width - 560, page.y + 200, org)
    fields = certificate_truth(h, h.latin_name, f.issue, org, number)
    extra = {"original_script_name": h.original_name, "latin_name": h.latin_name}
    return Built(doc_type, ("uk" if origin == "UKR" else "ar") + "-en", fields, [page.layout], extra)


def _registration(rng: random.Random) -> Built:
    origin = rng.choice(("UKR", "SYR", "AFG", "TUR"))
    f = facts(rng, DocumentType.REGISTRATION_CERTIFICATE, origin)
    h = f.holder
    town = rng.choice(("Naumburg (Saale)", "Weißenfels", "Zeitz", "Hohenmölsen"))
    authority = f"Stadtverwaltung {town}, Meldewesen"
    page = Page(family=rng.choice(("liberation-serif", "dejavu-serif")))
    page.text(page.width - 220, 260, authority, 36, align="r")
    page.text(240, 520, "Meldebescheinigung", 56, bold=True)
    street, postcode, place = german_address(rng)
    number = f"{rng.randint(100, 999)}-{f.issue.year}-{rng.randint(1000, 9999)}"
    page.text(240, 600, f"Register-Nr. {number}", 34, color=GREY)
    page.y = 760
    moved = f.issue - timedelta(days=rng.randint(5, 400))
    salutation = "Herr" if h.sex == "M" else "Frau"
    _paragraph(
        page,
        f"Hiermit wird bescheinigt, dass {salutation} {h.given_latin} {h.surname_latin}, geboren am "
        f"{de_date(h.birth_date)} in {h.birth_place.latin}, seit dem {de_date(moved)} mit alleiniger Wohnung "
        f"in {street}, {postcode} {place} gemeldet ist.",
        240,
        page.width - 480,
    )
    page.y += 200
    page.text(240, page.y, f"{town.split(' (')[0]}, den {de_date(f.issue)}", 40)
    page.signature(280, page.y + 160, rng.getrandbits(32))
    page.text(240, page.y + 280, "Im Auftrag", 34)
    fields = certificate_truth(h, f"{h.given_latin} {h.surname_latin}", f.issue, authority, number)
    return Built(DocumentType.REGISTRATION_CERTIFICATE, "de", fields, [page.layout], {"latin_name": h.latin_name})
