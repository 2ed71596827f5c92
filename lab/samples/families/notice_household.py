"""Notice family `household`: a decision for a household (Bedarfsgemeinschaft): every member with their own
amount in a table, the total entitlement at the foot (`Gesamtanspruch`), the recipient named as the head
of the household in the address and the table, `Aktenzeichen` in a box at the top right."""

from __future__ import annotations

import random
from decimal import Decimal

from schemas.documents import DocumentType

from ..formats import de_date
from ..names import make_person
from .common import Built, Page
from .notice_common import decision, euro, paragraph, truth, window

NAME = "household"
TYPES = (DocumentType.NOTICE,)
_AUTH = ("Jobcenter Salzlandkreis", "Landkreis Jerichower Land – Sozialamt", "Jobcenter Halle (Saale)")


def build(rng: random.Random, doc_type: DocumentType) -> Built:
    members = rng.randint(2, 4)
    amounts = [Decimal(rng.choice(("506.00", "451.00")))] + [
        Decimal(rng.choice(("357.00", "390.00", "471.00"))) for _ in range(members - 1)
    ]
    d = decision(rng, [(f"Mitglied {i}", a) for i, a in enumerate(amounts)])
    authority = rng.choice(_AUTH)
    page = Page(family=rng.choice(("liberation-sans", "dejavu-sans", "liberation-serif")))
    page.text(240, 240, authority, 48, bold=True)
    window(page, d, f"{authority}, {d.town}")
    file_number = f"BG {rng.randint(10000, 99999)}//{rng.randint(1000000, 9999999)}"
    page.rect((1450, 620, 2250, 820), width=2)
    page.text(1480, 680, "Aktenzeichen", 26, color=(90, 90, 90))
    page.text(1480, 740, file_number, 34, bold=True)
    page.text(1480, 800, f"vom {de_date(d.date)}", 30)
    subject = "Bescheid über Bürgergeld für Ihre Bedarfsgemeinschaft"
    page.y = 1150
    page.text(240, page.y, subject, 40, bold=True)
    page.y += 100
    paragraph(
        page,
        f"Für den Bewilligungszeitraum {de_date(d.start)} bis {de_date(d.end)} ergeben sich "
        "für die Mitglieder Ihrer Bedarfsgemeinschaft folgende monatliche Ansprüche:",
    )
    names = [d.recipient.latin_name] + [
        f"{make_person(rng, d.recipient.origin).given_latin} {d.recipient.surname_latin}" for _ in range(members - 1)
    ]
    style = rng.randrange(4)
    for name, amount in zip(names, amounts, strict=True):
        page.text(300, page.y, name, 36)
        page.text(2180, page.y, euro(amount, style), 36, align="r")
        page.y += 62
    page.line(300, page.y - 30, 2180, page.y - 30, width=2)
    page.text(300, page.y + 10, "Gesamtanspruch", 38, bold=True)
    page.text(2180, page.y + 10, euro(d.total, style), 38, bold=True, align="r")
    page.y += 130
    paragraph(page, "Gegen diesen Bescheid kann innerhalb eines Monats Widerspruch erhoben werden.")
    page.text(240, page.y + 100, d.clerk, 36)
    return Built(DocumentType.NOTICE, "de", truth(authority, file_number, d, subject), [page.layout])
