"""Notice family `letterhead` (tuning): decisions of a county's or a town's offices whose name spans lines.

The body (`Landkreis Anhalt-Bitterfeld`, `Stadt Dessau-Roßlau`) is printed on one line and the office that
decides on the next (`– Ausländerbehörde –`, `Fachbereich Soziales`, `Amt für Migration und Integration`),
sometimes with `Der Landrat` between them; a job centre prints `Jobcenter` over its region. The letterhead
stands at the left or right-aligned at the right, with the office's address under it, or the body alone
heads the page and the office opens the information block at the right. The sender line over the address
window repeats body and office with commas or dots. The subject runs over one or two lines, with or without
`Betreff`, with a reference line above or below it (`Ihr Antrag vom …`, `Bezug: …`, `Kundennummer …`).
The period is written in several ways (`vom … bis …`, `für die Zeit vom 1. April 2025 bis zum 31. März
2026`, `Bewilligungszeitraum: … – …`, `ab dem … bis einschließlich …`, two-digit years). Residence
decisions carry a fee, benefit decisions a monthly amount. A footer with bank details and office hours
closes the page.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from schemas.documents import DocumentType

from ..formats import DE_MONTHS, de_date
from .common import Built, Page
from .notice_common import Decision, decision, euro, paragraph, truth, window

NAME = "letterhead"
TYPES = (DocumentType.NOTICE,)
# body, its seat (postcode town), its street
_BODIES = (
    ("Landkreis Anhalt-Bitterfeld", "06366 Köthen (Anhalt)", "Am Flugplatz 1"),
    ("Salzlandkreis", "06406 Bernburg (Saale)", "Karlsplatz 37"),
    ("Burgenlandkreis", "06618 Naumburg (Saale)", "Schönburger Straße 41"),
    ("Landkreis Mansfeld-Südharz", "06526 Sangerhausen", "Rudolf-Breitscheid-Straße 20"),
    ("Stadt Dessau-Roßlau", "06844 Dessau-Roßlau", "Zerbster Straße 4"),
    ("Landkreis Jerichower Land", "39288 Burg", "Bahnhofstraße 9"),
    ("Saalekreis", "06217 Merseburg", "Domplatz 9"),
)
_MIGRATION = ("Ausländerbehörde", "Amt für Migration und Integration", "Fachdienst Ausländerangelegenheiten")
_SOCIAL = ("Fachbereich Soziales", "Sozialamt", "Amt für Soziales und Wohnen", "Fachdienst Leistungen nach dem AsylbLG")
# each subject as the lines it is printed on
_MIGRATION_SUBJECTS = (
    ("Verlängerung Ihrer Aufenthaltserlaubnis",),
    ("Bescheid über die Erteilung einer Aufenthaltserlaubnis", "nach § 25 Abs. 2 AufenthG"),
    ("Festsetzung einer Gebühr für die Verlängerung", "Ihres Aufenthaltstitels"),
    ("Erteilung einer Aufenthaltserlaubnis zum Zweck", "der Beschäftigung"),
)
_SOCIAL_SUBJECTS = (
    ("Bescheid über Leistungen nach dem", "Asylbewerberleistungsgesetz (AsylbLG)"),
    ("Bewilligung von Hilfe zum Lebensunterhalt", "nach dem Zwölften Buch Sozialgesetzbuch"),
    ("Bewilligung von Grundleistungen",),
    ("Weiterbewilligung von Leistungen", "für den Zeitraum ab dem Folgemonat"),
)
_JOBCENTER_SUBJECTS = (
    ("Bescheid über Bürgergeld",),
    ("Bewilligung von Leistungen zur Sicherung des", "Lebensunterhalts nach dem SGB II"),
)


def _long(day: date) -> str:
    return f"{day.day}. {DE_MONTHS[day.month - 1]} {day.year}"


def _period(rng: random.Random, d: Decision, residence: bool) -> str:
    start, end = de_date(d.start), de_date(d.end)
    if residence:
        return rng.choice(
            (
                f"Ihre Aufenthaltserlaubnis wird für die Zeit vom {start} bis {end} verlängert.",
                f"Die Aufenthaltserlaubnis gilt vom {_long(d.start)} bis zum {_long(d.end)}.",
                f"Geltungsdauer: {start} – {end}",
            )
        )
    short = f"{d.start:%d.%m.%y} bis {d.end:%d.%m.%y}"
    return rng.choice(
        (
            f"Ihnen werden für die Zeit vom {_long(d.start)} bis zum {_long(d.end)} Leistungen bewilligt.",
            f"Bewilligungszeitraum: {start} – {end}",
            f"Die Leistungen werden ab dem {start} bis einschließlich {end} gewährt.",
            f"Die Bewilligung gilt vom {start} bis {end}.",
            f"Leistungszeitraum {short}",
        )
    )


def _letterhead(page: Page, rng: random.Random, lines: list[str], right: bool, address: tuple[str, str]) -> None:
    """The letterhead: body, (head,) office, then the office's address in small type."""
    x, align = (2250, "r") if right else (240, "l")
    y = 200.0
    for i, line in enumerate(lines):
        size = 46 if i == 0 else 36
        page.text(x, y, line, size, bold=i == 0 or rng.random() < 0.5, align=align)
        y += size * 1.45
    if rng.random() < 0.6:
        for line in address:
            page.text(x, y + 10, line, 26, color=(80, 80, 80), align=align)
            y += 38


def build(rng: random.Random, doc_type: DocumentType) -> Built:
    body, seat, street = rng.choice(_BODIES)
    kind = rng.choice(("migration", "migration", "social", "social", "jobcenter"))
    residence = kind == "migration"
    if residence:
        d = decision(rng, [("Gebühr", Decimal(rng.choice(("93.00", "98.00", "62.00", "46.00"))))])
        office = rng.choice(_MIGRATION)
        subject_lines = rng.choice(_MIGRATION_SUBJECTS)
    else:
        parts = [("Grundleistung", Decimal(rng.choice(("441.00", "397.00", "355.00", "563.00"))))]
        if rng.random() < 0.5:
            parts.append(("Unterkunft", Decimal(rng.randint(240, 520))))
        d = decision(rng, parts)
        office = rng.choice(_SOCIAL)
        subject_lines = rng.choice(_JOBCENTER_SUBJECTS if kind == "jobcenter" else _SOCIAL_SUBJECTS)
    if kind == "jobcenter":
        head_lines, authority = ["Jobcenter", body], f"Jobcenter {body}"
    else:
        authority = f"{body} – {office}"
        shown = f"– {office} –" if rng.random() < 0.35 else office
        head = "Der Oberbürgermeister" if body.startswith("Stadt") else rng.choice(("Der Landrat", "Die Landrätin"))
        head_lines = [body, head, shown] if rng.random() < 0.25 else [body, shown]
    page = Page(family=rng.choice(("liberation-sans", "dejavu-sans", "liberation-serif", "noto-sans")))
    placement = rng.choice(("left", "right", "infoblock")) if kind != "jobcenter" else rng.choice(("left", "right"))
    if placement == "infoblock":
        page.text(240, 200, body, 46, bold=True)
    else:
        _letterhead(page, rng, head_lines, placement == "right", (street, seat))
    named = (authority,) if kind == "jobcenter" else (body, office)
    sender = rng.choice((" · ", ", ", " | ")).join((*named, street, seat))
    window(page, d, sender, y=600)
    # the information block at the right
    rx, y = 1480, 640.0
    if placement == "infoblock":
        page.text(rx, y - 20, office, 34, bold=True)
        y += 50
    number = rng.choice(
        (
            f"{rng.randint(30, 59)}.{rng.randint(1, 9)}-{rng.randint(1000, 99999)}/{d.date:%y}",
            f"ABH {rng.randint(1000, 9999)}/{d.date:%y}",
            f"SO {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(1000, 9999)}",
            f"{rng.randint(100, 999)}D{rng.randint(100000, 999999)}",
        )
    )
    number_label = rng.choice(("Unser Zeichen:", "Aktenzeichen:", "Geschäftszeichen:", "Kundennummer:"))
    seat_town = seat.split(" ", 1)[1]
    dated_in_block = rng.random() < 0.6
    rows = [
        (number_label, number),
        ("Auskunft erteilt:", d.clerk),
        ("Zimmer:", f"{rng.choice('ABC')} {rng.randint(1, 3)}.{rng.randint(10, 40)}"),
        ("Telefon:", f"03496 {rng.randint(60, 69)}-{rng.randint(1000, 9999)}"),
    ]
    if dated_in_block:
        rows.append(("Datum:", de_date(d.date)))
    for label, value in rows:
        page.text(rx, y, label, 27, color=(70, 70, 70))
        page.text(rx + 330, y, value, 27)
        y += 52
    page.y = 1120
    if not dated_in_block:
        page.text(2250, page.y, f"{seat_town}, {de_date(d.date)}", 34, align="r")
        page.y += 100
    reference = f"Ihr Antrag vom {de_date(d.date.replace(day=1))}"
    where = rng.choice(("above", "below", "none"))
    if where == "above":
        page.text(240, page.y, reference, 32)
        page.y += 70
    labelled = rng.random() < 0.4
    for i, line in enumerate(subject_lines):
        page.text(240, page.y, f"Betreff: {line}" if labelled and i == 0 else line, 38, bold=True)
        page.y += 56
    if where == "below":
        page.text(240, page.y + 4, rng.choice((f"Bezug: {reference}", f"{number_label} {number}")), 32)
        page.y += 56
    page.y += 70
    title = "Sehr geehrte Frau" if d.recipient.sex == "F" else "Sehr geehrter Herr"
    page.text(240, page.y, f"{title} {d.recipient.surname_latin},", 38)
    page.y += 90
    opening = "auf Ihren Antrag hin ergeht folgende Entscheidung. " if rng.random() < 0.5 else ""
    paragraph(page, opening + _period(rng, d, residence))
    if residence:
        paragraph(
            page,
            rng.choice(
                (
                    f"Für diese Amtshandlung wird eine Gebühr in Höhe von {euro(d.total, rng.randrange(4))} erhoben.",
                    f"Gebühr: {euro(d.total, rng.randrange(4))}",
                )
            ),
        )
    else:
        paragraph(
            page,
            rng.choice(
                (
                    f"Sie erhalten monatlich insgesamt {euro(d.total, rng.randrange(4))}.",
                    f"Der monatliche Zahlbetrag beträgt {euro(d.total, rng.randrange(4))}.",
                )
            ),
        )
    paragraph(
        page,
        "Rechtsbehelfsbelehrung: Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch "
        f"erhoben werden. Der Widerspruch ist schriftlich oder zur Niederschrift beim {body}, {street}, {seat}, "
        "einzulegen.",
        size=30,
    )
    page.text(240, page.y + 60, "Mit freundlichen Grüßen", 36)
    page.text(240, page.y + 130, "Im Auftrag", 34)
    page.text(240, page.y + 190, d.clerk, 36)
    iban = " ".join(str(rng.randint(1000, 9999)) for _ in range(4))
    footer = f"Sprechzeiten: Di 9–12 und 13–18 Uhr, Do 9–12 Uhr · Bankverbindung: Kreissparkasse IBAN DE{iban}"
    page.line(240, 3300, 2250, 3300, width=1)
    page.text(240, 3350, footer, 22, color=(90, 90, 90))
    subject = " ".join(subject_lines)
    return Built(DocumentType.NOTICE, "de", truth(authority, number, d, subject), [page.layout])
