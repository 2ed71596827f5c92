"""Notice family `change` (tuning): an amending decision (Änderungsbescheid) as job centres and social
offices send them. A sender line over the address window, a right-hand column with `Datum:`, `BG-Nummer:` or
`Kundennummer:` and the clerk's telephone extension, the subject in bold without a `Betreff` label, the period
only inside a sentence (`für die Zeit vom 01.04.2025 bis 30.09.2025`), a month-by-month table whose last
column is the amount paid, and the monthly total in a sentence (`Sie erhalten monatlich insgesamt …`). A
earlier decision's date (`Ihr Bescheid vom …`) and a lower old amount appear in the text as distractors."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from schemas.documents import DocumentType

from ..formats import DE_MONTHS, de_date
from .common import Built, Page
from .notice_common import decision, euro, paragraph, truth, window

NAME = "change"
TYPES = (DocumentType.NOTICE,)
_AUTH = (
    "Jobcenter Anhalt-Bitterfeld",
    "Landkreis Wittenberg – Fachdienst Soziales",
    "Jobcenter Mansfeld-Südharz",
    "Stadt Dessau-Roßlau – Amt für Soziales",
)
_SUBJECTS = (
    "Änderungsbescheid über Leistungen zur Sicherung des Lebensunterhalts",
    "Änderung der Bewilligung von Bürgergeld",
    "Änderungsbescheid zu Leistungen nach dem Asylbewerberleistungsgesetz",
)


def build(rng: random.Random, doc_type: DocumentType) -> Built:
    parts = [("Regelbedarf", Decimal(rng.choice(("563.00", "506.00", "451.00"))))]
    if rng.random() < 0.7:
        parts.append(("Bedarfe für Unterkunft und Heizung", Decimal(rng.randint(280, 640))))
    d = decision(rng, parts)
    authority = rng.choice(_AUTH)
    page = Page(family=rng.choice(("liberation-sans", "dejavu-sans", "liberation-serif")))
    page.text(240, 230, authority, 44, bold=True)
    window(page, d, f"{authority} · Postfach {rng.randint(1000, 9999)}", y=560)
    rx = 1500
    if rng.random() < 0.5:
        label, file_number = "BG-Nummer:", f"{rng.randint(10000, 99999)}BG{rng.randint(1000000, 9999999)}"
    else:
        label, file_number = "Kundennummer:", f"{rng.randint(100, 999)}D{rng.randint(100000, 999999)}"
    info = [
        ("Datum:", de_date(d.date)),
        (label, file_number),
        ("Ansprechpartner:", d.clerk),
        ("Telefon:", f"0340 {rng.randint(100, 999)}-{rng.randint(10, 99)}"),
    ]
    for i, (k, v) in enumerate(info):
        page.text(rx, 600 + 60 * i, k, 28)
        page.text(rx + 320, 600 + 60 * i, v, 28)
    subject = rng.choice(_SUBJECTS)
    page.y = 1060
    page.text(240, page.y, subject, 40, bold=True)
    page.y += 110
    title = "Sehr geehrte Frau" if d.recipient.sex == "F" else "Sehr geehrter Herr"
    page.text(240, page.y, f"{title} {d.recipient.surname_latin},", 38)
    page.y += 90
    earlier = d.date - timedelta(days=rng.randint(30, 200))
    old_total = d.total - Decimal(rng.randint(12, 60))
    paragraph(
        page,
        f"Ihr Bescheid vom {de_date(earlier)} über monatlich {euro(old_total)} wird geändert. "
        f"Für die Zeit vom {de_date(d.start)} bis {de_date(d.end)} werden Ihnen Leistungen in folgender Höhe "
        "bewilligt:",
    )
    cols = (240, 900, 1500)
    page.text(cols[0], page.y, "Monat", 34, bold=True)
    page.text(cols[1], page.y, "Bedarf", 34, bold=True)
    page.text(cols[2], page.y, "Zahlbetrag", 34, bold=True)
    page.y += 60
    month, year = d.start.month, d.start.year
    for _ in range(min(4, (d.end.year - d.start.year) * 12 + d.end.month - d.start.month + 1)):
        page.text(cols[0], page.y, f"{DE_MONTHS[month - 1]} {year}", 34)
        page.text(cols[1], page.y, euro(d.total), 34)
        page.text(cols[2], page.y, euro(d.total), 34)
        page.y += 56
        month, year = (1, year + 1) if month == 12 else (month + 1, year)
    page.y += 40
    paragraph(page, f"Sie erhalten monatlich insgesamt {euro(d.total, rng.randrange(4))}.")
    paragraph(
        page,
        "Rechtsbehelfsbelehrung: Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch "
        f"erhoben werden. Der Widerspruch ist beim {authority} einzulegen.",
        size=32,
    )
    page.text(240, page.y + 80, "Mit freundlichen Grüßen", 36)
    page.text(240, page.y + 150, d.clerk, 36)
    return Built(DocumentType.NOTICE, "de", truth(authority, file_number, d, subject), [page.layout])
