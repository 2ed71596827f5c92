"""Notice family `form`: a decision printed as a boxed form (`Empfänger`, `Aktenzeichen`, `Bescheiddatum`,
`Leistungszeitraum`, `Monatlicher Betrag`), labels inside the box above their value, the letterhead small in
the corner, and the recipient only inside the form (no address window)."""

from __future__ import annotations

import random
from decimal import Decimal

from schemas.documents import DocumentType

from ..formats import de_date
from .common import Built, Page
from .notice_common import decision, euro, paragraph, truth

NAME = "form"
TYPES = (DocumentType.NOTICE,)
_AUTH = ("Landkreis Stendal – Sozialamt", "Jobcenter Börde", "Stadt Magdeburg – Sozial- und Wohnungsamt")


def build(rng: random.Random, doc_type: DocumentType) -> Built:
    d = decision(rng, [("Leistung", Decimal(rng.choice(("563.00", "441.00", "502.00", "397.00"))))])
    authority = rng.choice(_AUTH)
    page = Page(family=rng.choice(("dejavu-sans", "liberation-sans")))
    page.text(200, 200, authority, 34, bold=True)
    page.text(page.width / 2, 420, "BESCHEID", 64, bold=True, align="m")
    subject = "Leistungen zum Lebensunterhalt – Bewilligung"
    page.text(page.width / 2, 500, subject, 40, align="m")
    file_number = f"{rng.randint(10, 99)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    boxes = [
        ("Empfänger", d.recipient.latin_name),
        ("Anschrift", f"{d.street}, {d.postcode} {d.town}"),
        ("Aktenzeichen", file_number),
        ("Bescheiddatum", de_date(d.date)),
        ("Leistungszeitraum", f"{de_date(d.start)} – {de_date(d.end)}"),
        ("Monatlicher Betrag", euro(d.total, rng.randrange(4))),
    ]
    y = 650
    for label, value in boxes:
        page.rect((200, y, page.width - 200, y + 150), width=2, color=(100, 100, 100))
        page.text(230, y + 45, label, 26, color=(90, 90, 90))
        page.text(230, y + 115, value, 42, bold=True)
        y += 150
    page.y = y + 120
    paragraph(
        page,
        "Die Leistungen werden monatlich im Voraus auf Ihr Konto überwiesen. Gegen diesen Bescheid "
        "kann innerhalb eines Monats Widerspruch erhoben werden.",
        x=200,
    )
    page.text(200, page.y + 100, f"Im Auftrag {d.clerk}", 36)
    return Built(DocumentType.NOTICE, "de", truth(authority, file_number, d, subject), [page.layout])
