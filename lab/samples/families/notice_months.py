"""Notice family `months` (tuning): a decision whose period is not a pair of dates after `vom … bis`. The
period stands in a calculation table (a `von` | `bis` header over the two dates, or one row
`Bewilligungszeitraum | 01.01.2025 | 30.06.2025`) or is given by month names only (`für die Monate Januar bis
Juni 2025`, `Zeitraum: Juli 2025 – Dezember 2025`). The subject runs over two lines, after a `Betreff:` label
or as a bold heading without one. The date sits in the letter's closing place line or in a `Datum` row of a
reference block; the file number after `Az.` or `Geschäftszeichen`."""

from __future__ import annotations

import random
from decimal import Decimal

from schemas.documents import DocumentType

from ..formats import DE_MONTHS, de_date
from .common import Built, Page
from .notice_common import Decision, decision, euro, paragraph, truth, window

NAME = "months"
TYPES = (DocumentType.NOTICE,)
# authority and the town it sits in (the closing place line)
_AUTH = (
    ("Landkreis Harz – Amt für Soziales", "Halberstadt"),
    ("Jobcenter Salzlandkreis", "Bernburg (Saale)"),
    ("Stadt Halle (Saale) – Fachbereich Soziales", "Halle (Saale)"),
    ("Landkreis Börde – Sozialamt", "Haldensleben"),
    ("Jobcenter Altmarkkreis Salzwedel", "Salzwedel"),
)
# (first line, second line): each subject is set over two lines
_SUBJECTS = (
    ("Bescheid über die Bewilligung von Leistungen zur Sicherung", "des Lebensunterhalts nach dem SGB II"),
    ("Bewilligung von Grundleistungen nach § 3 des", "Asylbewerberleistungsgesetzes"),
    ("Gewährung von Leistungen für Unterkunft und Heizung", "für den Bewilligungszeitraum"),
    ("Bescheid über die Weiterbewilligung von Bürgergeld", "für Sie und die Mitglieder Ihrer Bedarfsgemeinschaft"),
)


def _months(d: Decision, rng: random.Random) -> str:
    """The period by its month names only."""
    first, last = DE_MONTHS[d.start.month - 1], DE_MONTHS[d.end.month - 1]
    if d.start.year != d.end.year or rng.random() < 0.4:
        first = f"{first} {d.start.year}"
    last = f"{last} {d.end.year}"
    return rng.choice(
        (
            f"Die Leistungen werden für die Monate {first} bis {last} bewilligt.",
            f"Bewilligungszeitraum: {first} – {last}",
            f"Sie erhalten die Leistungen für die Zeit von {first} bis einschließlich {last}.",
        )
    )


def _table(page: Page, d: Decision, rng: random.Random) -> None:
    """The calculation table holding the period: header `von | bis` above the dates, or one labelled row."""
    cols = (240, 980, 1420, 1860)
    if rng.random() < 0.5:
        for x, head in zip(cols, ("Leistungsart", "von", "bis", "monatlich"), strict=True):
            page.text(x, page.y, head, 32, bold=True)
        page.line(240, page.y + 20, 2230, page.y + 20)
        page.y += 70
        for name, amount in d.parts:
            page.text(cols[0], page.y, name if len(name) < 30 else name[:28] + ".", 32)
            page.text(cols[1], page.y, de_date(d.start), 32)
            page.text(cols[2], page.y, de_date(d.end), 32)
            page.text(cols[3], page.y, euro(amount), 32)
            page.y += 60
    else:
        label = rng.choice(("Bewilligungszeitraum", "Leistungszeitraum", "Zeitraum"))
        page.text(cols[0], page.y, label, 32, bold=True)
        page.text(cols[1], page.y, de_date(d.start), 32)
        page.text(cols[2], page.y, de_date(d.end), 32)
        page.y += 60
        for name, amount in d.parts:
            page.text(cols[0], page.y, name if len(name) < 30 else name[:28] + ".", 32)
            page.text(cols[3], page.y, euro(amount), 32)
            page.y += 60
    page.line(240, page.y - 30, 2230, page.y - 30)
    page.text(cols[0], page.y + 10, "Gesamtbetrag monatlich", 32, bold=True)
    page.text(cols[3], page.y + 10, euro(d.total), 32, bold=True)
    page.y += 110


def build(rng: random.Random, doc_type: DocumentType) -> Built:
    parts = [("Regelbedarf", Decimal(rng.choice(("563.00", "451.00", "506.00", "460.00"))))]
    if rng.random() < 0.6:
        parts.append(("Kosten der Unterkunft", Decimal(rng.randint(250, 590))))
    d = decision(rng, parts)
    authority, seat = rng.choice(_AUTH)
    page = Page(family=rng.choice(("liberation-serif", "dejavu-sans", "liberation-sans", "noto-sans")))
    page.text(240, 220, authority, 42, bold=True)
    window(page, d, f"{authority} · {seat}", y=560)
    number = f"{rng.randint(100, 999)}.{rng.randint(10, 99)}-{rng.randint(1000, 99999)}"
    label = rng.choice(("Az.:", "Geschäftszeichen:", "Unser Zeichen:"))
    dated_in_block = rng.random() < 0.5
    rx = 1450
    page.text(rx, 620, label, 30)
    page.text(rx + 360, 620, number, 30)
    page.text(rx, 680, "Auskunft:", 30)
    page.text(rx + 360, 680, d.clerk, 30)
    if dated_in_block:
        page.text(rx, 740, "Datum:", 30)
        page.text(rx + 360, 740, de_date(d.date), 30)
    page.y = 1060
    first, second = rng.choice(_SUBJECTS)
    page.text(240, page.y, f"Betreff: {first}" if rng.random() < 0.5 else first, 38, bold=True)
    page.text(240, page.y + 56, second, 38, bold=True)
    page.y += 180
    title = "Sehr geehrte Frau" if d.recipient.sex == "F" else "Sehr geehrter Herr"
    page.text(240, page.y, f"{title} {d.recipient.surname_latin},", 38)
    page.y += 90
    paragraph(page, "auf Ihren Antrag hin ergeht folgende Entscheidung. " + _months(d, rng))
    if rng.random() < 0.6:
        _table(page, d, rng)
    else:
        paragraph(page, f"Der monatliche Gesamtbetrag beträgt {euro(d.total, rng.randrange(4))}.")
    paragraph(
        page,
        "Rechtsbehelfsbelehrung: Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch "
        f"beim {authority} erhoben werden.",
        size=32,
    )
    if not dated_in_block:
        page.text(240, page.y + 40, f"{seat}, den {de_date(d.date)}", 36)
        page.y += 80
    page.text(240, page.y + 80, "Mit freundlichen Grüßen", 36)
    page.text(240, page.y + 150, d.clerk, 36)
    subject = f"{first} {second}"
    return Built(DocumentType.NOTICE, "de", truth(authority, number, d, subject), [page.layout])
