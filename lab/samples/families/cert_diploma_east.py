"""Family `diploma_east` (tuning): university diplomas and secondary-school certificates of Syria, Iraq, Iran
and Afghanistan as they are printed, mostly on landscape pages: a bilingual letterhead (state, ministry,
university or directorate; English left, Arabic or Persian right-aligned), a bilingual title (`DIPLOMA` /
`شهادة تخرج`, `Bachelor's Degree Certificate` / `دانشنامه کارشناسی`, `General Secondary Education
Certificate` / `شهادة الدراسة الثانوية`), and the facts in one English sentence with its Arabic or Persian
version under it (`The President of the University of Aleppo certifies that Ahmad Haddad, born in Homs on
12/03/1990, has been awarded …`): birth place before the birth date, the holder after `certifies that` or
`awarded to`, the issuer in the letterhead and the sentence. Numbers as `No. 1234/2019` beside `رقم`, the
issue date in the closing line `Aleppo, 12 March 2021` or `Date: …` beside the Dean's or Minister's title."""

from __future__ import annotations

import random
import textwrap
from datetime import date

from schemas.documents import DocumentType

from ..formats import EN_MONTHS
from ..layouts import A4
from .common import LANDSCAPE, Built, Facts, Page, certificate_truth, facts

NAME = "diploma_east"
TYPES = (DocumentType.DEGREE_CERTIFICATE, DocumentType.SCHOOL_CERTIFICATE)
_STATE = {
    "SYR": ("Syrian Arab Republic", "الجمهورية العربية السورية"),
    "IRQ": ("Republic of Iraq", "جمهورية العراق"),
    "IRN": ("Islamic Republic of Iran", "جمهوری اسلامی ایران"),
    "AFG": ("Islamic Republic of Afghanistan", "جمهوری اسلامی افغانستان"),
}
_MINISTRY = {
    "degree": ("Ministry of Higher Education", "وزارة التعليم العالي", "وزارت علوم، تحقیقات و فناوری"),
    "school": ("Ministry of Education", "وزارة التربية", "وزارت آموزش و پرورش"),
}
_TITLE = {
    "degree": (
        ("DIPLOMA", "شهادة تخرج", "دانشنامه"),
        ("Bachelor's Degree Certificate", "شهادة البكالوريوس", "دانشنامه کارشناسی"),
    ),
    "school": (
        ("General Secondary Education Certificate", "شهادة الدراسة الثانوية العامة", "دیپلم متوسطه"),
        ("Secondary School Leaving Certificate", "شهادة الثانوية العامة", "گواهینامه پایان تحصیلات متوسطه"),
    ),
}
_FIELDS = ("Civil Engineering", "Pharmacy", "English Literature", "Computer Science", "Economics", "Law")


def _date(rng: random.Random, d: date) -> str:
    style = rng.random()
    if style < 0.4:
        return d.strftime("%d/%m/%Y")
    if style < 0.8:
        return f"{d.day} {EN_MONTHS[d.month - 1]} {d.year}"
    return f"{EN_MONTHS[d.month - 1]} {d.day}, {d.year}"


def _issuer(f: Facts, rng: random.Random) -> str:
    town = f.city[1]
    if f.kind == "degree":
        return rng.choice(
            (f"University of {town}", f"{town} University", f"Faculty of Engineering, University of {town}")
        )
    return rng.choice((f"Directorate of Education in {town}", f"Education Directorate of {town}"))


def _sentence(f: Facts, rng: random.Random, issuer: str, born: str, awarded: str) -> str:
    h = f.holder
    place = h.birth_place.latin
    if rng.random() < 0.5:
        opening = f"The {'President' if f.kind == 'degree' else 'Director'} of the {issuer} certifies that"
        return f"{opening} {h.latin_name}, born in {place} on {born}, {awarded}."
    obtained = awarded.replace("has been awarded", "has obtained")
    kind = "diploma" if f.kind == "degree" else "certificate"
    return f"This {kind} is awarded to {h.latin_name}, born on {born} in {place}, who {obtained}."


def build(rng: random.Random, doc_type: DocumentType) -> Built:
    origin = rng.choice(("SYR", "SYR", "IRQ", "IRN", "AFG"))
    persian = origin in ("IRN", "AFG")
    f = facts(rng, doc_type, origin)
    h = f.holder
    landscape = rng.random() < 0.7
    page = Page(
        size=LANDSCAPE if landscape else A4, family=rng.choice(("dejavu-serif", "liberation-serif", "dejavu-sans"))
    )
    left, right = 180, page.width - 180
    issuer = _issuer(f, rng)
    state = _STATE[origin]
    ministry = _MINISTRY[f.kind]
    page.text(left, 200, state[0], 34, bold=True)
    page.text(left, 250, ministry[0], 32)
    page.text(left, 300, issuer, 32)
    page.text(right, 200, state[1], 36, bold=True, align="r")
    page.text(right, 250, ministry[2] if persian else ministry[1], 34, align="r")
    number = f"{rng.randint(100, 9999)}/{f.issue.year}" if rng.random() < 0.6 else f"{f.digits}"
    page.text(right, 320, f"{'شماره' if persian else 'رقم'}: {number}", 34, align="r")
    page.text(left, 360, f"{rng.choice(('No.', 'Serial No.', 'Ref. No.'))} {number}", 34)
    title = rng.choice(_TITLE[f.kind])
    page.text(page.width / 2, 500, title[0], 62, bold=True, align="m")
    page.text(page.width / 2, 590, title[2] if persian else title[1], 52, bold=True, align="m")
    born = _date(rng, h.birth_date)
    study = rng.choice(_FIELDS)
    awarded = (
        f"has been awarded the degree of Bachelor of {rng.choice(('Science', 'Arts'))} in {study}"
        if f.kind == "degree"
        else f"has passed the General Secondary Examination of the session {f.event.year}"
    )
    page.y = 720
    for line in textwrap.wrap(_sentence(f, rng, issuer, born, awarded), 78 if landscape else 56):
        page.text(left + 40, page.y, line, 42)
        page.y += 74
    page.y += 30
    degree = f.kind == "degree"
    if persian:
        done = "دوره کارشناسی را با موفقیت به پایان رسانده است" if degree else "دوره متوسطه را به پایان رسانده است"
        local = f"گواهی می شود که {h.given_names} {h.surname} متولد {h.birth_place.original} {done}"
    else:
        body = "جامعة" if degree else "مديرية التربية في"
        done = "نال درجة الإجازة" if degree else "نجح في امتحان الشهادة الثانوية"
        local = f"تشهد {body} {f.city[0]} بأن {h.given_names} {h.surname} المولود في {h.birth_place.original} قد {done}"
    for line in textwrap.wrap(local, 70 if landscape else 50):
        page.text(right - 40, page.y, line, 40, align="r")
        page.y += 72
    page.y += 80
    issue = _date(rng, f.issue)
    closing = f"{f.city[1]}, {issue}" if rng.random() < 0.5 else f"Date: {issue}"
    page.text(left + 40, page.y, closing, 38)
    page.y += 200
    signer = (
        rng.choice(("Dean of the Faculty", "President of the University"))
        if f.kind == "degree"
        else "Director of Education"
    )
    page.signature(left + 60, page.y - 40, rng.getrandbits(32))
    page.text(left + 40, page.y + 60, signer, 34)
    page.signature(right - 560, page.y - 40, rng.getrandbits(32))
    page.text(
        right - 40,
        page.y + 60,
        ("رئیس دانشگاه" if degree else "مدیر آموزش و پرورش")
        if persian
        else ("عميد الكلية" if degree else "مدير التربية"),
        34,
        align="r",
    )
    page.stamp(page.width / 2, page.y, issuer, radius=170)
    fields = certificate_truth(h, h.latin_name, f.issue, issuer, number)
    return Built(doc_type, "en", fields, [page.layout], {"latin_name": h.latin_name})
