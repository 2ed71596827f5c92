"""Notice family `infoblock`: an information block on the right (`Unser Zeichen`, `Ansprechpartner`,
`Datum` with the month in words), the subject in bold without a `Betreff` label, the amounts in a ruled
table per need with the total at its foot, the period in a line of its own above the table."""

from __future__ import annotations

import random
from decimal import Decimal

from schemas.documents import DocumentType

from ..formats import DE_MONTHS, de_date
from .common import Built, Page
from .notice_common import decision, euro, paragraph, truth, window

NAME = "infoblock"
TYPES = (DocumentType.NOTICE,)
_AUTH = (
    "Landratsamt Saalekreis – Amt für Soziales",
    "Kommunales Jobcenter Anhalt-Bitterfeld",
    "Stadt Leipzig – Sozialamt",
    "Landkreis Altenburger Land – Fachdienst Soziales",
)


def build(rng: random.Random, doc_type: DocumentType) -> Built:
    base = Decimal(rng.choice(("563.00", "502.00", "451.00", "441.00")))
    parts = [("Regelbedarf", base)]
    if rng.random() < 0.6:
        parts.append(("Mehrbedarf für Alleinerziehende", Decimal(rng.choice(("67.56", "202.68", "81.08")))))
    if rng.random() < 0.5:
        parts.append(
            ("Kosten der Unterkunft und Heizung", Decimal(f"{rng.randint(280, 520)}.{rng.randint(0, 99):02d}"))
        )
    d = decision(rng, parts)
    authority = rng.choice(_AUTH)
    page = Page(family=rng.choice(("liberation-sans", "dejavu-sans")))
    page.text(240, 240, authority, 50, bold=True)
    window(page, d, f"{authority} · Postfach {rng.randint(1000, 9999)} · 0{rng.randint(6000, 6999)} {d.town}")
    file_number = f"{rng.randint(100, 999)}.{rng.randint(10, 99)}-{rng.randint(10000, 99999)}/{d.date.year % 100:02d}"
    info = [
        ("Unser Zeichen", file_number),
        ("Ansprechpartner", d.clerk),
        ("Zimmer", f"{rng.randint(1, 4)}.{rng.randint(10, 60)}"),
        ("Datum", f"{d.date.day}. {DE_MONTHS[d.date.month - 1]} {d.date.year}"),
    ]
    y = 620
    for label, value in info:
        page.text(1500, y, label, 26, color=(90, 90, 90))
        page.text(1500, y + 40, value, 32)
        y += 100
    subject = rng.choice(
        (
            "Bewilligung von Leistungen zur Sicherung des Lebensunterhalts",
            "Bescheid über laufende Leistungen der Hilfe zum Lebensunterhalt",
            "Weiterbewilligung Bürgergeld",
        )
    )
    page.y = 1200
    page.text(240, page.y, subject, 42, bold=True)
    page.y += 110
    greeting = "Sehr geehrte Frau" if d.recipient.sex == "F" else "Sehr geehrter Herr"
    paragraph(page, f"{greeting} {d.recipient.surname_latin},")
    paragraph(page, "Ihrem Antrag wird entsprochen. Sie erhalten Leistungen in der nachstehend berechneten Höhe.")
    page.text(240, page.y, f"Bewilligungszeitraum: {de_date(d.start)} bis {de_date(d.end)}", 38, bold=True)
    page.y += 90
    style = rng.randrange(4)
    for name, amount in d.parts:
        page.text(300, page.y, name, 36)
        page.text(2180, page.y, euro(amount, style), 36, align="r")
        page.line(300, page.y + 16, 2180, page.y + 16, width=1)
        page.y += 66
    page.text(300, page.y + 10, "monatlicher Gesamtbetrag", 38, bold=True)
    page.text(2180, page.y + 10, euro(d.total, style), 38, bold=True, align="r")
    page.y += 140
    paragraph(
        page,
        "Gegen diesen Bescheid ist der Widerspruch zulässig. Er ist innerhalb eines Monats nach "
        "Bekanntgabe schriftlich oder zur Niederschrift einzulegen.",
    )
    paragraph(page, "Freundliche Grüße")
    page.signature(260, page.y + 60, rng.getrandbits(32))
    page.text(240, page.y + 200, d.clerk, 36)
    return Built(DocumentType.NOTICE, "de", truth(authority, file_number, d, subject), [page.layout])
