"""Family `landscape_tr`: landscape certificates (diplomas, civil-status extracts) in Turkish with English,
label pairs on one line (`Adı Soyadı / Name Surname : ...`), values right of their label at a fixed tab, the
number as `Diploma No / Belge No`, dates with Turkish month names, the issue place and date in the closing
line. Registration certificates as a landscape German printout."""

from __future__ import annotations

import random
from datetime import date

from schemas.documents import DocumentType

from ..formats import TR_MONTHS, de_date
from ..names import german_address
from .common import CERTIFICATE_TYPES, GREY, LANDSCAPE, Built, Page, certificate_truth, facts

NAME = "landscape_tr"
TYPES = CERTIFICATE_TYPES
_TITLES = {
    "birth": ("DOĞUM KAYIT ÖRNEĞİ", "EXTRACT OF BIRTH RECORD"),
    "marriage": ("EVLENME KAYIT ÖRNEĞİ", "EXTRACT OF MARRIAGE RECORD"),
    "school": ("LİSE DİPLOMASI", "HIGH SCHOOL DIPLOMA"),
    "degree": ("LİSANS DİPLOMASI", "BACHELOR'S DIPLOMA"),
}


def _tr(d: date) -> str:
    return f"{d.day:02d} {TR_MONTHS[d.month - 1]} {d.year}"


def build(rng: random.Random, doc_type: DocumentType) -> Built:
    if doc_type is DocumentType.REGISTRATION_CERTIFICATE:
        return _registration(rng)
    f = facts(rng, doc_type, "TUR")
    h = f.holder
    page = Page(LANDSCAPE, family=rng.choice(("dejavu-serif", "liberation-serif")), background=(252, 249, 240))
    page.rect((90, 90, LANDSCAPE[0] - 90, LANDSCAPE[1] - 90), width=10, color=(120, 90, 40))
    cx = LANDSCAPE[0] / 2
    page.text(cx, 260, "TÜRKİYE CUMHURİYETİ", 46, bold=True, align="m")
    town = f.city[1]
    office = {
        "birth": f"{town} İlçe Nüfus Müdürlüğü",
        "marriage": f"{town} Evlendirme Memurluğu",
        "school": f"{town} Anadolu Lisesi",
        "degree": f"{town} Üniversitesi",
    }[f.kind]
    page.text(cx, 340, office, 40, align="m")
    tr_t, en_t = _TITLES[f.kind]
    page.text(cx, 470, tr_t, 62, bold=True, align="m")
    page.text(cx, 540, en_t, 40, align="m", color=GREY)
    number = f"{rng.choice('ABCDEFGH')}{rng.randint(10, 99)}-{f.digits}"
    rows = [
        ("Belge No / Document No", number),
        ("Adı Soyadı / Name Surname", f"{h.given_names} {h.surname.upper()}"),
        ("Doğum Tarihi / Date of Birth", _tr(h.birth_date)),
        ("Doğum Yeri / Place of Birth", h.birth_place.latin),
    ]
    if f.kind == "birth":
        rows += [("Baba Adı / Father's Name", f.father.given_names), ("Ana Adı / Mother's Name", f.mother.given_names)]
    elif f.kind == "marriage" and f.spouse is not None:
        rows += [
            ("Eşinin Adı Soyadı / Spouse", f"{f.spouse.given_names} {f.spouse.surname.upper()}"),
            ("Evlenme Tarihi / Date of Marriage", _tr(f.event)),
        ]
    else:
        rows += [("Mezuniyet Tarihi / Date of Graduation", _tr(f.event))]
    page.y = 700
    for label, value in rows:
        page.text(300, page.y, label, 36, color=GREY)
        page.text(1400, page.y, f": {value}", 44, bold=True)
        page.y += 105
    page.y += 100
    page.text(300, page.y, f"{town}, {_tr(f.issue)}", 40)
    page.signature(LANDSCAPE[0] - 900, page.y + 60, rng.getrandbits(32))
    page.stamp(LANDSCAPE[0] - 500, page.y - 100, office, 180)
    fields = certificate_truth(h, f"{h.given_names} {h.surname}", f.issue, office, number)
    extra = {"latin_name": h.latin_name, "surname_printed": h.surname.upper()}
    return Built(doc_type, "tr-en", fields, [page.layout], extra)


def _registration(rng: random.Random) -> Built:
    origin = rng.choice(("TUR", "SYR", "UKR", "AFG"))
    f = facts(rng, DocumentType.REGISTRATION_CERTIFICATE, origin)
    h = f.holder
    town = rng.choice(("Weißenfels", "Naumburg (Saale)", "Zeitz"))
    authority = f"Landkreis Burgenlandkreis – Meldebehörde {town}"
    page = Page(LANDSCAPE, family="liberation-sans")
    page.text(200, 220, authority, 36, bold=True)
    page.text(200, 360, "Meldebescheinigung (einfach)", 54, bold=True)
    street, postcode, place = german_address(rng)
    number = f"{rng.randint(100000, 999999)}"
    rows = [
        ("Familienname / Vorname", f"{h.surname_latin} / {h.given_latin}"),
        ("Geburtsdatum", de_date(h.birth_date)),
        ("Geburtsort", h.birth_place.latin),
        ("Anschrift", f"{street}, {postcode} {place}"),
        ("Bescheinigung Nr.", number),
        ("Datum", de_date(f.issue)),
    ]
    page.y = 540
    for label, value in rows:
        page.text(200, page.y, label, 36, color=GREY)
        page.text(1250, page.y, value, 42, bold=True)
        page.y += 110
    page.stamp(LANDSCAPE[0] - 600, page.y, authority)
    fields = certificate_truth(h, f"{h.given_latin} {h.surname_latin}", f.issue, authority, number)
    return Built(DocumentType.REGISTRATION_CERTIFICATE, "de", fields, [page.layout], {"latin_name": h.latin_name})
