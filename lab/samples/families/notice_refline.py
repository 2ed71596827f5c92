"""Notice family `refline`: a DIN 5008 reference line under the address (`Ihr Zeichen | Unser Zeichen |
Telefon | Datum`, labels above values), the subject after `Betreff:`, a residence or fee decision whose
amount sits among other amounts (a fee, a rent already known), and two pages with `Seite 1 von 2`."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from schemas.documents import DocumentType

from ..formats import de_date
from .common import Built, Page
from .notice_common import decision, euro, paragraph, truth, window

NAME = "refline"
TYPES = (DocumentType.NOTICE,)
_AUTH = (
    "Landkreis Wittenberg – Ausländerbehörde",
    "Stadt Dessau-Roßlau – Amt für Soziales und Integration",
    "Jobcenter Mansfeld-Südharz",
)


def build(rng: random.Random, doc_type: DocumentType) -> Built:
    d = decision(rng, [("Leistung", Decimal(rng.choice(("506.00", "563.00", "451.00", "357.00"))))])
    authority = rng.choice(_AUTH)
    page = Page(family=rng.choice(("dejavu-sans", "liberation-sans")))
    page.text(240, 250, authority.split(" – ")[0], 54, bold=True)
    if " – " in authority:
        page.text(240, 320, authority.split(" – ")[1], 38)
    window(page, d, f"{authority} · {d.town}")
    file_number = f"{rng.choice(('AZ', 'SO', 'JC'))}-{rng.randint(100000, 999999)}"
    cols = [
        ("Ihr Zeichen", "–"),
        ("Unser Zeichen", file_number),
        ("Telefon", f"03461 {rng.randint(40, 49)}-{rng.randint(1000, 9999)}"),
        ("Datum", de_date(d.date)),
    ]
    for i, (label, value) in enumerate(cols):
        page.text(240 + i * 520, 1060, label, 24, color=(90, 90, 90))
        page.text(240 + i * 520, 1110, value, 32)
    subject = rng.choice(
        (
            "Änderung der Leistungshöhe ab dem kommenden Monat",
            "Festsetzung laufender Leistungen",
            "Ihr Weiterbewilligungsantrag",
        )
    )
    page.y = 1300
    page.text(240, page.y, f"Betreff: {subject}", 40, bold=True)
    page.y += 100
    rent = Decimal(f"{rng.randint(250, 480)}.00")
    greeting = "Sehr geehrte Frau" if d.recipient.sex == "F" else "Sehr geehrter Herr"
    paragraph(page, f"{greeting} {d.recipient.given_latin} {d.recipient.surname_latin},")
    paragraph(
        page,
        f"Ihre Miete von {euro(rent, 1)} wurde bereits berücksichtigt. Für die Zeit vom {de_date(d.start)} "
        f"bis {de_date(d.end)} beträgt der Zahlbetrag {euro(d.total, 1)} monatlich.",
    )
    paragraph(page, f"Eine Nachzahlung von {euro(Decimal(rng.randint(20, 300)), 1)} erhalten Sie gesondert.")
    page.text(page.width - 240, 3300, "Seite 1 von 2", 30, align="r")
    second = Page(family=page.family)
    second.y = 400
    paragraph(second, "Rechtsbehelfsbelehrung", size=40)
    paragraph(second, "Gegen diesen Bescheid kann innerhalb eines Monats Widerspruch erhoben werden.")
    paragraph(second, f"Der Antrag vom {de_date(d.date - timedelta(days=30))} ist damit erledigt.")
    paragraph(second, "Mit freundlichen Grüßen")
    second.text(240, second.y + 150, d.clerk, 36)
    second.text(second.width - 240, 3300, "Seite 2 von 2", 30, align="r")
    return Built(DocumentType.NOTICE, "de", truth(authority, file_number, d, subject), [page.layout, second.layout])
