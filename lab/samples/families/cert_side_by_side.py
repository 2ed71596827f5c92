"""Family `side_by_side` (tuning): Arabic/English and Persian/English certificates of Syria, Iraq, Iran and
Afghanistan with the two languages side by side on each row (`Full name: Ahmad Haddad` on the left, `الاسم
الكامل: أحمد حداد` right-aligned on the right) or interleaved (each English row with its Arabic or Persian row
under it, right-aligned). The holder's parents stand right under the holder; the English block gives the
Latin spelling the e-file records. Dates: English side in digits or with the month's English name, Arabic side
in Arabic-Indic digits, Persian side in the Solar Hijri calendar. The number may be printed only on the
English side or in both; the issue date may be only in a closing line `Issued at <town> on <date>`."""

from __future__ import annotations

import random
from datetime import date

from schemas.documents import DocumentType

from ..formats import EN_MONTHS, solar_hijri_text
from .common import CERTIFICATE_TYPES, Built, Page, certificate_truth, facts

NAME = "side_by_side"
TYPES = CERTIFICATE_TYPES
_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_EN = {
    "name": ("Full name", "Name of holder", "Name"),
    "born": ("Date of birth", "Born on"),
    "place": ("Place of birth", "Birthplace"),
    "father": ("Father's name", "Father"),
    "mother": ("Mother's name", "Mother"),
    "spouse": ("Name of spouse", "Spouse"),
    "issue": ("Date of issue", "Issued on"),
    "office": ("Issuing office", "Issued by", "Issuing authority"),
    "number": ("Registration No.", "Record No.", "Certificate No."),
}
_AR = {
    "name": "الاسم الكامل",
    "born": "تاريخ الولادة",
    "place": "مكان الولادة",
    "father": "اسم الأب",
    "mother": "اسم الأم",
    "spouse": "اسم الزوج",
    "issue": "تاريخ الإصدار",
    "office": "جهة الإصدار",
    "number": "رقم القيد",
}
_FA = {
    "name": "نام و نام خانوادگی",
    "born": "تاریخ تولد",
    "place": "محل تولد",
    "father": "نام پدر",
    "mother": "نام مادر",
    "spouse": "نام همسر",
    "issue": "تاریخ صدور",
    "office": "مرجع صدور",
    "number": "شماره ثبت",
}
_TITLES = {
    "birth": ("BIRTH CERTIFICATE", "شهادة ميلاد", "گواهی تولد"),
    "marriage": ("MARRIAGE CERTIFICATE", "شهادة زواج", "نکاح خط"),
    "school": ("SECONDARY SCHOOL CERTIFICATE", "شهادة الدراسة الثانوية", "شهادتنامه"),
    "degree": ("BACHELOR'S DEGREE CERTIFICATE", "شهادة جامعية", "دیپلم لیسانس"),
    "registration": ("CERTIFICATE OF RESIDENCE", "شهادة سكن", "گواهی سکونت"),
}
_OFFICE = {
    "birth": ("Civil Registry Office, {t}", "دائرة الأحوال المدنية في {o}", "اداره ثبت احوال {o}"),
    "marriage": ("Civil Registry Office, {t}", "دائرة الأحوال المدنية في {o}", "اداره ثبت احوال {o}"),
    "school": ("Education Directorate of {t}", "مديرية التربية في {o}", "اداره آموزش و پرورش {o}"),
    "degree": ("University of {t}", "جامعة {o}", "دانشگاه {o}"),
    "registration": ("Municipality of {t}", "بلدية {o}", "شهرداری {o}"),
}


def _en_date(rng: random.Random, d: date) -> str:
    return d.strftime("%d/%m/%Y") if rng.random() < 0.5 else f"{d.day} {EN_MONTHS[d.month - 1]} {d.year}"


def build(rng: random.Random, doc_type: DocumentType) -> Built:
    origin = rng.choice(("SYR", "IRQ", "IRN", "AFG"))
    persian = origin in ("IRN", "AFG")
    local = _FA if persian else _AR
    f = facts(rng, doc_type, origin)
    h = f.holder
    page = Page(family=rng.choice(("dejavu-sans", "liberation-sans", "noto-sans", "liberation-serif")))
    left, right, mid = 200, page.width - 200, page.width / 2
    country = {
        "SYR": ("Syrian Arab Republic", "الجمهورية العربية السورية"),
        "IRQ": ("Republic of Iraq", "جمهورية العراق"),
        "IRN": ("Islamic Republic of Iran", "جمهوری اسلامی ایران"),
        "AFG": ("Islamic Republic of Afghanistan", "جمهوری اسلامی افغانستان"),
    }[origin]
    page.text(left, 220, country[0], 34, bold=True)
    page.text(right, 220, country[1], 36, bold=True, align="r")
    en_title, ar_title, fa_title = _TITLES[f.kind]
    page.text(left, 400, en_title, 46, bold=True)
    page.text(right, 400, fa_title if persian else ar_title, 50, bold=True, align="r")
    town_o, town_l = f.city
    en_office, ar_office, fa_office = _OFFICE[f.kind]
    office = en_office.format(t=town_l)
    office_local = (fa_office if persian else ar_office).format(o=town_o)
    number = f"{f.digits}/{f.issue.year}" if rng.random() < 0.5 else f.digits
    local_number = number.translate(_ARABIC_DIGITS) if not persian or rng.random() < 0.5 else number

    def local_date(d: date) -> str:
        if persian:
            return solar_hijri_text(rng, d)
        return d.strftime("%Y/%m/%d").translate(_ARABIC_DIGITS) if rng.random() < 0.6 else d.strftime("%d/%m/%Y")

    closing = rng.random() < 0.35  # the issue date only in a closing line
    rows: list[tuple[str, str, str]] = [("number", number, local_number)] if rng.random() < 0.7 else []
    rows += [
        ("name", h.latin_name, h.original_name),
        ("born", _en_date(rng, h.birth_date), local_date(h.birth_date)),
        ("place", h.birth_place.latin, h.birth_place.original),
    ]
    if f.kind == "marriage" and f.spouse is not None:
        rows.append(("spouse", f.spouse.latin_name, f.spouse.original_name))
    else:
        rows.append(("father", f.father.latin_name, f.father.original_name))
        if rng.random() < 0.6:
            rows.append(("mother", f.mother.latin_name, f.mother.original_name))
    rows.append(("office", office, office_local))
    if not closing:
        rows.append(("issue", _en_date(rng, f.issue), local_date(f.issue)))
    page.y = 600
    interleaved = rng.random() < 0.4
    for key, en_value, local_value in rows:
        en_label = rng.choice(_EN[key])
        if interleaved:
            page.text(left, page.y, f"{en_label}: {en_value}", 38)
            page.y += 64
            page.text(right, page.y, f"{local[key]}: {local_value}", 40, align="r")
            page.y += 100
        else:
            page.text(left, page.y, f"{en_label}:", 34)
            page.text(left, page.y + 56, en_value, 38, bold=True)
            page.text(right, page.y, f"{local[key]}:", 36, align="r")
            page.text(right, page.y + 56, local_value, 40, bold=True, align="r")
            page.y += 150
    if "number" not in [r[0] for r in rows]:
        page.text(mid, 500, f"No. {number}", 38, align="m")
    page.y += 60
    if closing:
        page.text(left, page.y, f"Issued at {town_l} on {_en_date(rng, f.issue)}", 36)
        page.text(right, page.y + 70, f"{local['issue']}: {local_date(f.issue)}", 36, align="r")
    page.y += 200
    page.stamp(mid, page.y + 120, office, radius=170)
    page.signature(left + 60, page.y + 140, rng.getrandbits(32))
    fields = certificate_truth(h, h.latin_name, f.issue, office, number)
    language = "fa" if persian else "ar"
    return Built(doc_type, language, fields, [page.layout], {"latin_name": h.latin_name})
