"""Family `grid` (tuning): English-language certificates as issued abroad (Syria, Iraq, Afghanistan,
Turkey, Ukraine) laid out as a ruled grid whose header row names the columns (`Full name` | `Date of birth` |
`Place of birth`) with the values in the cell under each header, a second grid for the parents or spouse
(whose names must not be taken for the holder's), the number in a box at the top right (`Reg. No.`,
`Serial No.`, `Certificate No.`), and the issue date written out in words beside its digits in a sentence
at the foot (`Issued on the twelfth day of March, two thousand and twenty-one (12/03/2021)`)."""

from __future__ import annotations

import random
from datetime import date

from schemas.documents import DocumentType

from ..formats import ABBR, EN_MONTHS
from .common import CERTIFICATE_TYPES, Built, Page, certificate_truth, en_date_words, facts

NAME = "grid"
TYPES = CERTIFICATE_TYPES
_TITLES = {
    "birth": ("CERTIFICATE OF BIRTH", "Birth Registration Certificate"),
    "marriage": ("CERTIFICATE OF MARRIAGE", "Marriage Registration Certificate"),
    "school": ("SECONDARY SCHOOL CERTIFICATE", "General Secondary Education Certificate"),
    "degree": ("BACHELOR'S DEGREE CERTIFICATE", "Certificate of Graduation"),
    "registration": ("CERTIFICATE OF RESIDENCE", "Residence Registration Extract"),
}
_OFFICE = {
    "birth": "Civil Status Directorate, {t}",
    "marriage": "Civil Status Directorate, {t}",
    "school": "Directorate of Education, {t}",
    "degree": "University of {t}",
    "registration": "Civil Registry Department, {t}",
}


def _date(rng: random.Random, d: date) -> str:
    style = rng.random()
    if style < 0.4:
        return d.strftime("%d/%m/%Y")
    if style < 0.7:
        return f"{d.day} {EN_MONTHS[d.month - 1]} {d.year}"
    return f"{d.day:02d}-{ABBR[d.month - 1]}-{d.year}"


def _grid(page: Page, x0: float, x1: float, cells: list[tuple[str, str]]) -> None:
    """One header row of labels and one row of values under them, in ruled cells."""
    width = (x1 - x0) / len(cells)
    top = page.y
    page.rect((x0, top, x1, top + 230), width=2, color=(80, 80, 80))
    page.line(x0, top + 90, x1, top + 90, width=2, color=(80, 80, 80))
    for i, (label, value) in enumerate(cells):
        cx = x0 + i * width
        if i:
            page.line(cx, top, cx, top + 230, width=2, color=(80, 80, 80))
        page.text(cx + 20, top + 62, label, 30, bold=True)
        page.text(cx + 20, top + 175, value, 36)
    page.y = top + 300


def build(rng: random.Random, doc_type: DocumentType) -> Built:
    origin = rng.choice(("SYR", "IRQ", "AFG", "TUR", "UKR"))
    f = facts(rng, doc_type, origin)
    h = f.holder
    page = Page(family=rng.choice(("liberation-sans", "dejavu-sans", "liberation-serif")))
    x0, x1 = 170, page.width - 170
    town_l = f.city[1]
    country = {"SYR": "Syrian Arab Republic", "IRQ": "Republic of Iraq", "AFG": "Afghanistan"}.get(
        origin, {"TUR": "Republic of Türkiye", "UKR": "Ukraine"}.get(origin, "")
    )
    page.text(x0, 220, country, 34, bold=True)
    office = _OFFICE[f.kind].format(t=town_l)
    page.text(x0, 280, office, 32)
    label = rng.choice(("Reg. No.", "Serial No.", "Certificate No."))
    number = f"{rng.randint(10, 99)}/{f.digits}" if rng.random() < 0.4 else f.digits
    page.rect((x1 - 640, 190, x1, 330), width=3)
    page.text(x1 - 610, 280, f"{label} {number}", 36, bold=True)
    page.text(page.width / 2, 470, rng.choice(_TITLES[f.kind]), 54, bold=True, align="m")
    page.y = 600
    name_cells = (
        [("Full name", h.latin_name)]
        if rng.random() < 0.5
        else [("Surname", h.surname_latin), ("Given name(s)", h.given_latin)]
    )
    _grid(page, x0, x1, [*name_cells, ("Sex", "Male" if h.sex == "M" else "Female")])
    _grid(page, x0, x1, [("Date of birth", _date(rng, h.birth_date)), ("Place of birth", h.birth_place.latin)])
    if f.kind in ("birth", "school", "registration"):
        _grid(page, x0, x1, [("Father's name", f.father.latin_name), ("Mother's name", f.mother.latin_name)])
    elif f.kind == "marriage" and f.spouse is not None:
        _grid(page, x0, x1, [("Name of spouse", f.spouse.latin_name), ("Date of marriage", _date(rng, f.event))])
    else:
        _grid(page, x0, x1, [("Faculty", "Engineering"), ("Grade", rng.choice(("Good", "Very good", "Excellent")))])
    page.y += 60
    page.text(
        x0,
        page.y,
        f"Issued on {en_date_words(f.issue)} ({f.issue.strftime('%d/%m/%Y')}) by the {office}.",
        34,
    )
    page.y += 160
    page.text(x0, page.y, "Registrar", 34)
    page.text(x1 - 600, page.y, rng.choice(("Director", "Head of Department")), 34)
    page.signature(x0 + 40, page.y + 120, rng.getrandbits(32))
    page.stamp(page.width / 2, page.y + 160, office, radius=170)
    fields = certificate_truth(h, h.latin_name, f.issue, office, number)
    return Built(doc_type, "en", fields, [page.layout], {"latin_name": h.latin_name})
