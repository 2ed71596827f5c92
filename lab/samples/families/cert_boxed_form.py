"""Family `boxed_form` (tuning): certificates printed as a form of ruled boxes, two boxes a row, each box with
its small caption at the top and the value written below the caption (never beside it), as consular
registers, university diploma supplements and Turkish and Ukrainian civil registry extracts lay them out.

What a reader has to learn here and nowhere else: captions in wordings the other families do not use
(`Holder`, `Bearer`, `Graduate`, `Inhaber/in`, `Власник`, `Mezun`, `Awarding institution`, `Document no.`,
`Date of award`), often stacked in two languages (the original caption in small type over its English or
German one); the holder's name either in one box or split over surname / given names (/ patronymic) boxes,
with the Cyrillic value over its Latin transliteration in the same box; the parents' or spouse's boxes in the
same form; degree certificates titled in many ways (`Diploma of Higher Education`, `Academic Degree
Certificate`, `Hochschulabschluss`, `Диплом про вищу освіту`, `Lisans Diploması`); and boxes set in a
sans-serif with the caption in grey.
"""

from __future__ import annotations

import random
from datetime import date

from schemas.documents import DocumentType

from ..formats import DE_MONTHS, EN_MONTHS, TR_MONTHS
from .common import CERTIFICATE_TYPES, GREY, Built, Facts, Page, certificate_truth, facts, patronymic

NAME = "boxed_form"
TYPES = CERTIFICATE_TYPES
# Captions by field: (original-language caption or "", English/German caption). The original is stacked above.
_CAPTIONS: dict[str, dict[str, tuple[tuple[str, str], ...]]] = {
    "UKR": {
        "name": (("Власник", "Holder"), ("Прізвище, ім'я", "Name of holder"), ("Випускник", "Graduate")),
        "surname": (("Прізвище", "Surname"), ("Прізвище", "Familienname")),
        "given": (("Ім'я", "Given names"), ("Власне ім'я", "Vorname(n)")),
        "patronymic": (("По батькові", "Patronymic"),),
        "birth_date": (("Дата народження", "Date of birth"), ("Народився(лася)", "Born on")),
        "birth_place": (("Місце народження", "Place of birth"), ("Місце народження", "Geburtsort")),
        "issue_date": (("Дата видачі", "Date of issue"), ("Дата видачі", "Ausstellungsdatum")),
        "authority": (("Орган, що видав", "Issuing body"), ("Видано", "Issued by")),
        "number": (("Серія та номер", "Series and number"), ("Номер документа", "Document no.")),
        "father": (("Батько", "Father"),),
        "mother": (("Мати", "Mother"),),
        "spouse": (("Дружина (чоловік)", "Spouse"),),
    },
    "TUR": {
        "name": (("Adı Soyadı", "Full name"), ("Belge sahibi", "Holder"), ("Mezun", "Graduate")),
        "surname": (("Soyadı", "Surname"),),
        "given": (("Adı", "Given name"),),
        "birth_date": (("Doğum tarihi", "Date of birth"),),
        "birth_place": (("Doğum yeri", "Place of birth"),),
        "issue_date": (("Düzenlenme tarihi", "Date of issue"), ("Veriliş tarihi", "Date of award")),
        "authority": (("Düzenleyen kurum", "Issuing institution"), ("Veren makam", "Awarding institution")),
        "number": (("Belge no", "Document no."), ("Kayıt no", "Registration no.")),
        "father": (("Baba adı", "Father's name"),),
        "mother": (("Ana adı", "Mother's name"),),
        "spouse": (("Eşinin adı soyadı", "Spouse"),),
    },
    "D": {
        "name": (("", "Inhaber/in"), ("", "Name der Absolventin / des Absolventen"), ("", "Vor- und Familienname")),
        "surname": (("", "Familienname"),),
        "given": (("", "Vornamen"),),
        "birth_date": (("", "Geburtsdatum"), ("", "geboren am")),
        "birth_place": (("", "Geburtsort"),),
        "issue_date": (("", "Ausgestellt am"), ("", "Datum der Ausstellung")),
        "authority": (("", "Ausstellende Stelle"), ("", "Ausgestellt durch")),
        "number": (("", "Urkunden-Nr."), ("", "Registernummer")),
        "father": (("", "Vater"),),
        "mother": (("", "Mutter"),),
        "spouse": (("", "Ehegatte / Ehegattin"),),
    },
    "SYR": {
        "name": (("اسم صاحب الشهادة", "Bearer"), ("الاسم الكامل", "Name of graduate"), ("الاسم", "Full name")),
        "surname": (("الكنية", "Surname"),),
        "given": (("الاسم", "Given name"),),
        "birth_date": (("تاريخ الولادة", "Date of birth"),),
        "birth_place": (("مكان الولادة", "Place of birth"),),
        "issue_date": (("تاريخ الإصدار", "Date of issue"), ("تاريخ المنح", "Date of award")),
        "authority": (("الجهة المانحة", "Awarding institution"), ("جهة الإصدار", "Issuing authority")),
        "number": (("رقم الوثيقة", "Document no."), ("رقم الشهادة", "Certificate no.")),
        "father": (("اسم الأب", "Father's name"),),
        "mother": (("اسم الأم", "Mother's name"),),
        "spouse": (("اسم الزوج", "Spouse"),),
    },
}
_TITLES: dict[str, dict[str, tuple[str, ...]]] = {
    "UKR": {
        "birth": ("СВІДОЦТВО ПРО НАРОДЖЕННЯ / Birth Certificate",),
        "marriage": ("СВІДОЦТВО ПРО ШЛЮБ / Marriage Certificate",),
        "school": ("СВІДОЦТВО ПРО ЗДОБУТТЯ БАЗОВОЇ СЕРЕДНЬОЇ ОСВІТИ", "АТЕСТАТ ПРО ПОВНУ ЗАГАЛЬНУ СЕРЕДНЮ ОСВІТУ"),
        "degree": ("ДИПЛОМ ПРО ВИЩУ ОСВІТУ / Diploma of Higher Education", "ДИПЛОМ МАГІСТРА / Master's Diploma"),
        "registration": ("ДОВІДКА ПРО РЕЄСТРАЦІЮ МІСЦЯ ПРОЖИВАННЯ",),
    },
    "TUR": {
        "birth": ("DOĞUM BELGESİ / Birth Certificate",),
        "marriage": ("EVLENME BELGESİ / Marriage Certificate",),
        "school": ("LİSE DİPLOMASI / High School Diploma",),
        "degree": ("LİSANS DİPLOMASI / Bachelor's Diploma", "YÜKSEK LİSANS DİPLOMASI / Master's Diploma"),
        "registration": ("YERLEŞİM YERİ BELGESİ / Certificate of Residence",),
    },
    "D": {
        "birth": ("Geburtsurkunde",),
        "marriage": ("Eheurkunde",),
        "school": ("Abschlusszeugnis", "Zeugnis der allgemeinen Hochschulreife"),
        "degree": ("Urkunde über den Hochschulabschluss", "Bachelorurkunde", "Zeugnis über die Masterprüfung"),
        "registration": ("Meldebescheinigung",),
    },
    "SYR": {
        "birth": ("شهادة ميلاد / Birth Certificate",),
        "marriage": ("عقد زواج / Marriage Certificate",),
        "school": ("شهادة الثانوية العامة / Secondary School Certificate",),
        "degree": ("شهادة جامعية / Academic Degree Certificate", "شهادة التخرج / Graduation Certificate"),
        "registration": ("شهادة سكن / Certificate of Residence",),
    },
}
_AUTHORITY = {
    "UKR": {
        "civil": "Department of Civil Registration, {t}",
        "school": "Lyceum No. {n}, {t}",
        "degree": "{t} National University",
        "registration": "Administrative Services Centre, {t}",
    },
    "TUR": {
        "civil": "{t} Nüfus Müdürlüğü",
        "school": "{t} Anadolu Lisesi",
        "degree": "{t} Üniversitesi",
        "registration": "{t} İlçe Nüfus Müdürlüğü",
    },
    "D": {
        "civil": "Standesamt {t}",
        "school": "Gymnasium {t}",
        "degree": "Hochschule {t}",
        "registration": "Bürgeramt {t}",
    },
    "SYR": {
        "civil": "Civil Registry of {t}",
        "school": "Directorate of Education, {t}",
        "degree": "University of {t}",
        "registration": "Civil Registry Department, {t}",
    },
}


def _date(rng: random.Random, d: date, origin: str) -> str:
    style = rng.random()
    if style < 0.55:
        return d.strftime("%d.%m.%Y") if origin in ("UKR", "TUR", "D") else d.strftime("%d/%m/%Y")
    months = {"UKR": EN_MONTHS, "TUR": TR_MONTHS, "D": DE_MONTHS, "SYR": EN_MONTHS}[origin]
    if origin == "D":
        return f"{d.day}. {months[d.month - 1]} {d.year}"
    return f"{d.day} {months[d.month - 1]} {d.year}"


def _box(page: Page, x0: float, x1: float, top: float, caption: tuple[str, str], values: list[str]) -> None:
    """A ruled box: the caption (original over English/German) small and grey, the value lines below it."""
    original, translated = caption
    lines = 1 + bool(original)
    height = 60 + 38 * lines + 62 * len(values)
    page.rect((x0, top, x1, top + height), width=2, color=(110, 110, 110))
    y = top + 44
    if original:
        page.text(x0 + 18, y, original, 26, color=GREY)
        y += 36
    page.text(x0 + 18, y, translated, 26, color=GREY)
    y += 70
    for value in values:
        page.text(x0 + 18, y, value, 40)
        y += 62


def _rows(page: Page, left: float, right: float, boxes: list[tuple[tuple[str, str], list[str]]]) -> None:
    """Boxes two to a row (a box with a long value takes the whole row)."""
    gap = 30
    half = (right - left - gap) / 2
    i = 0
    while i < len(boxes):
        caption, values = boxes[i]
        wide = max(len(v) for v in values) > 26
        nxt = boxes[i + 1] if i + 1 < len(boxes) else None
        if wide or nxt is None or max(len(v) for v in nxt[1]) > 26:
            _box(page, left, right, page.y, caption, values)
            page.y += 60 + 38 * (1 + bool(caption[0])) + 62 * len(values) + 24
            i += 1
            continue
        _box(page, left, left + half, page.y, caption, values)
        _box(page, left + half + gap, right, page.y, nxt[0], nxt[1])
        rows = max(len(values), len(nxt[1]))
        page.y += 60 + 38 * (1 + bool(caption[0] or nxt[0][0])) + 62 * rows + 24
        i += 2


def _authority(rng: random.Random, f: Facts, origin: str) -> str:
    kind = "civil" if f.kind in ("birth", "marriage") else f.kind
    return _AUTHORITY[origin][kind].format(t=f.city[1], n=rng.randint(2, 120))


def build(rng: random.Random, doc_type: DocumentType) -> Built:
    origin = rng.choice(("UKR", "UKR", "TUR", "D", "SYR"))
    f = facts(rng, doc_type, origin, series_letters="АВЕКМНОРСТ" if origin == "UKR" else "")
    h = f.holder
    page = Page(family=rng.choice(("dejavu-sans", "liberation-sans", "liberation-serif")))
    left, right = 160, page.width - 160
    caps = _CAPTIONS[origin]

    def cap(key: str) -> tuple[str, str]:
        original, translated = rng.choice(caps[key])
        return (original if rng.random() < 0.75 else "", translated) if original else ("", translated)

    authority = _authority(rng, f, origin)
    page.text(left, 220, authority, 34, bold=True)
    title = rng.choice(_TITLES[origin][f.kind])
    page.text(page.width / 2, 400, title, 46, bold=True, align="m")
    if f.series:
        number = f"{rng.choice(('I', 'II'))}-{f.series} {f.digits}"
    elif rng.random() < 0.4:
        number = f"{f.digits[:2]}/{f.issue.year}-{f.digits[2:]}"
    else:
        number = f.digits
    page.y = 520
    boxes: list[tuple[tuple[str, str], list[str]]] = []
    cyrillic = origin == "UKR" and h.has_own_script
    split = rng.random() < 0.5
    if split and "surname" in caps:
        boxes.append((cap("surname"), [h.surname, h.surname_latin] if cyrillic else [h.surname_latin]))
        boxes.append((cap("given"), [h.given_names, h.given_latin] if cyrillic else [h.given_latin]))
        if origin == "UKR" and rng.random() < 0.6:
            cyr, lat = patronymic(f.father, h.sex, origin)
            boxes.append((cap("patronymic"), [cyr, lat]))
    else:
        boxes.append((cap("name"), [h.original_name, h.latin_name] if cyrillic else [h.latin_name]))
    boxes.append((cap("birth_date"), [_date(rng, h.birth_date, origin)]))
    boxes.append((cap("birth_place"), [h.birth_place.latin]))
    if f.kind == "marriage" and f.spouse is not None:
        boxes.append((cap("spouse"), [f.spouse.latin_name]))
    elif f.kind in ("birth", "school"):
        boxes.append((cap("father"), [f.father.latin_name]))
        boxes.append((cap("mother"), [f.mother.latin_name]))
    boxes.append((cap("authority"), [authority]))
    boxes.append((cap("issue_date"), [_date(rng, f.issue, origin)]))
    boxes.append((cap("number"), [number]))
    if rng.random() < 0.5:  # the number box first, as registry extracts print it
        boxes.insert(0, boxes.pop())
    _rows(page, left, right, boxes)
    page.y += 140
    page.signature(left + 40, page.y, rng.getrandbits(32))
    page.text(left, page.y + 110, rng.choice(("Registrar", "Rector", "Director", "Standesbeamtin", "Müdür")), 30)
    page.stamp(right - 260, page.y + 20, authority, radius=160)
    fields = certificate_truth(h, h.latin_name, f.issue, authority, number)
    return Built(doc_type, origin.lower(), fields, [page.layout], {"latin_name": h.latin_name})
