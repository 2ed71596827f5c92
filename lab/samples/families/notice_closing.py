"""Notice family `closing`: the date only in the closing line `<Ort>, <Datum>` above the signature, the file
number as `Geschäftszeichen`, the period and the amount inside one sentence (`ab dem ... bis einschließlich
... monatlich 441,00 Euro`), a `Guten Tag` salutation, and a payment reference (`Kassenzeichen`) that is not
the file number."""

from __future__ import annotations

import random
from decimal import Decimal

from schemas.documents import DocumentType

from ..formats import de_date
from .common import Built, Page
from .notice_common import decision, euro, paragraph, truth, window

NAME = "closing"
TYPES = (DocumentType.NOTICE,)
_AUTH = (
    ("Burgenlandkreis – Fachbereich Soziales, Sachgebiet AsylbLG", "Naumburg (Saale)"),
    ("Landkreis Harz – Sozialamt", "Halberstadt"),
    ("Saalekreis – Amt für Migration und Soziales", "Merseburg"),
)


def build(rng: random.Random, doc_type: DocumentType) -> Built:
    parts = [("Grundleistungen", Decimal(rng.choice(("441.00", "397.00", "357.00", "390.00"))))]
    d = decision(rng, parts)
    authority, seat = rng.choice(_AUTH)
    page = Page(family=rng.choice(("liberation-serif", "dejavu-serif", "liberation-sans")))
    page.text(page.width - 240, 240, authority, 40, bold=True, align="r")
    window(page, d, f"{authority.split(' – ')[0]}, {seat}")
    file_number = f"50.2-{rng.randint(1000, 99999)}/{d.date.year}"
    cash = f"{rng.randint(1000, 9999)}.{rng.randint(1000, 9999)}.{rng.randint(10, 99)}"
    page.text(1500, 700, f"Geschäftszeichen: {file_number}", 32)
    page.text(1500, 750, f"Kassenzeichen: {cash}", 32)
    subject = "Leistungen nach dem Asylbewerberleistungsgesetz"
    page.y = 1150
    page.text(240, page.y, subject, 42, bold=True)
    page.y += 110
    title = "Frau" if d.recipient.sex == "F" else "Herr"
    paragraph(page, f"Guten Tag {title} {d.recipient.surname_latin},")
    paragraph(
        page,
        f"nach Prüfung Ihrer Unterlagen erhalten Sie ab dem {de_date(d.start)} bis einschließlich "
        f"{de_date(d.end)} monatlich {euro(d.total, rng.randrange(4))} als Grundleistungen nach § 3 AsylbLG.",
    )
    paragraph(
        page,
        f"Bitte geben Sie bei Zahlungen und Rückfragen das Kassenzeichen {cash} an. Änderungen Ihrer "
        "Verhältnisse teilen Sie uns bitte sofort mit.",
    )
    paragraph(
        page,
        "Rechtsbehelfsbelehrung: Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe "
        "Widerspruch erhoben werden.",
    )
    page.y += 80
    page.text(240, page.y, f"{seat}, {de_date(d.date)}", 38)
    page.signature(260, page.y + 140, rng.getrandbits(32))
    page.text(240, page.y + 270, f"{d.clerk}, Sachbearbeitung", 36)
    return Built(DocumentType.NOTICE, "de", truth(authority, file_number, d, subject), [page.layout])
