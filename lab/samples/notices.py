"""Content of German notices (Bescheide): letterhead, recipient block, Aktenzeichen, date, subject, benefit
period, amount, legal basis, Rechtsbehelfsbelehrung, over one to three pages ("Seite 1 von 2").

Truth normalisation: `authority` is the letterhead line as printed; `file_number` the identifier as
printed without its label (`Az.:`, `Aktenzeichen:` ...); `recipient_name` given names and surname as in the
address block without "Frau"/"Herrn"; `subject` the Betreff text without the label; `amount_eur` the
monthly total (or the fee) as `"441.00"`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from schemas.documents import DocumentType, FieldValue

from .formats import amount_text, date_text, de_date
from .model import DocumentContent, TextLine
from .names import GERMAN_TOWNS, Person, german_address, german_official, make_person, random_date


@dataclass(frozen=True)
class _Kind:
    authorities: tuple[str, ...]
    subjects: tuple[str, ...]
    legal_basis: tuple[str, ...]
    base_amounts: tuple[str, ...]
    months: tuple[int, ...]


KINDS = {
    "asylblg": _Kind(
        (
            "Landkreis Burgenlandkreis – Sozialamt",
            "Burgenlandkreis – Sozialamt",
            "Landkreis Saalekreis – Sozialamt",
            "Landkreis Mansfeld-Südharz – Sozialamt",
            "Burgenlandkreis – Amt für Soziales und Integration",
        ),
        (
            "Bescheid über die Gewährung von Leistungen nach dem Asylbewerberleistungsgesetz (AsylbLG)",
            "Bewilligung von Grundleistungen nach §§ 3, 3a AsylbLG",
            "Änderungsbescheid über Leistungen nach dem AsylbLG",
            "Leistungen nach dem Asylbewerberleistungsgesetz – Bewilligungsbescheid",
        ),
        ("AsylbLG",),
        ("441.00", "397.00", "357.00", "390.00"),
        (3, 6, 6, 12),
    ),
    "sgb2": _Kind(
        ("Jobcenter Burgenlandkreis", "Jobcenter Saalekreis", "Jobcenter Halle (Saale)", "Jobcenter Leipzig"),
        (
            "Bewilligungsbescheid über Leistungen zur Sicherung des Lebensunterhalts nach dem SGB II",
            "Bescheid über Bürgergeld nach dem Zweiten Buch Sozialgesetzbuch (SGB II)",
            "Änderungsbescheid – Bürgergeld (SGB II)",
        ),
        ("SGB II",),
        ("563.00", "506.00", "451.00"),
        (6, 12),
    ),
    "sgb12": _Kind(
        (
            "Landkreis Burgenlandkreis – Sozialamt",
            "Burgenlandkreis – Sozialamt",
            "Stadt Halle (Saale) – Fachbereich Soziales",
        ),
        (
            "Bescheid über Leistungen der Grundsicherung im Alter und bei Erwerbsminderung nach dem SGB XII",
            "Bewilligung von Hilfe zum Lebensunterhalt nach dem Dritten Kapitel SGB XII",
        ),
        ("SGB XII",),
        ("563.00", "506.00"),
        (12,),
    ),
    "aufenthg": _Kind(
        (
            "Burgenlandkreis – Ausländerbehörde",
            "Landkreis Burgenlandkreis – Ausländerbehörde",
            "Landkreis Saalekreis – Ausländerbehörde",
            "Stadt Halle (Saale) – Ausländerbehörde",
        ),
        (
            "Erteilung einer Aufenthaltserlaubnis",
            "Verlängerung der Aufenthaltserlaubnis",
            "Gebührenbescheid – Ausstellung eines elektronischen Aufenthaltstitels",
        ),
        ("AufenthG § 24", "AufenthG § 25 Abs. 2", "AufenthG § 25 Abs. 3", "AufenthG § 28"),
        ("100.00", "93.00", "50.00", "37.50"),
        (12, 24, 36),
    ),
}
# the line under the authority's name in the letterhead
_SUBHEADS = {
    "asylblg": ("Der Landrat", "Fachdienst Leistungen", "Sachgebiet Asyl und Integration"),
    "sgb12": ("Der Landrat", "Fachdienst Soziales", "Sachgebiet Grundsicherung"),
    "sgb2": ("Die Geschäftsführung", "Team Leistung", "Bereich Leistungsgewährung"),
    "aufenthg": ("Der Landrat", "Sachgebiet Aufenthaltsrecht", "Fachdienst Migration"),
}
LABELS = ("Aktenzeichen:", "Az.:", "Geschäftszeichen:", "Unser Zeichen:", "Aktenzeichen")
STREETS = {
    "Burgenlandkreis": "Schönburger Straße 41 · 06618 Naumburg (Saale)",
    "Saalekreis": "Domplatz 9 · 06217 Merseburg",
    "Halle": "Marktplatz 1 · 06108 Halle (Saale)",
    "Mansfeld": "Rudolf-Breitscheid-Straße 20/22 · 06526 Sangerhausen",
    "Leipzig": "Georg-Schumann-Straße 150 · 04159 Leipzig",
}


def _file_number(rng: random.Random, kind: str, year: int) -> str:
    if kind == "sgb2":
        return f"{rng.randint(10000, 99999)}BG{rng.randint(0, 9999999):07d}"
    if kind == "aufenthg":
        return rng.choice(
            [
                f"32.{rng.randint(1, 3)}-{rng.randint(10000, 99999)}",
                f"ABH {rng.randint(100000, 999999)}",
                f"III/32-{rng.randint(1000, 9999)}/{year % 100:02d}",
            ]
        )
    return rng.choice(
        [
            f"{rng.randint(300, 399)}-{rng.randint(10, 99)}/{year}",
            f"50.{rng.randint(1, 4)}-{rng.randint(1000, 9999)}/{year % 100:02d}",
            f"AsylbLG-{year}-{rng.randint(0, 99999):05d}"
            if kind == "asylblg"
            else f"SH-{rng.randint(1000, 9999)}/{year}",
        ]
    )


def _sender_line(authority: str) -> str:
    for key, address in STREETS.items():
        if key in authority:
            return f"{authority} · {address}"
    return authority


def _amount_parts(rng: random.Random, kind: str, base: Decimal) -> list[tuple[str, Decimal]]:
    if kind == "aufenthg":
        return [("Gebühr", base)]
    parts = [("Regelbedarf / Grundbedarf" if kind != "asylblg" else "Grundleistungen (§ 3a AsylbLG)", base)]
    if kind != "asylblg" or rng.random() < 0.5:
        parts.append(("Kosten der Unterkunft", Decimal(rng.randint(180, 420))))
        parts.append(("Heizkosten", Decimal(rng.randint(40, 110)) + Decimal(rng.choice(("0.00", "0.50")))))
    if rng.random() < 0.3:
        parts.append(("Mehrbedarf", Decimal(rng.randint(20, 80)) + Decimal("0.47")))
    return parts


def notice(rng: random.Random, language: str | None = None, person: Person | None = None) -> DocumentContent:
    kind_name = rng.choice(["asylblg", "asylblg", "sgb2", "sgb12", "aufenthg"])
    kind = KINDS[kind_name]
    authority = rng.choice(kind.authorities)
    subject = rng.choice(kind.subjects)
    basis = rng.choice(kind.legal_basis)
    if kind_name == "aufenthg" and "§" not in subject:
        subject = f"{subject} nach {basis.replace('AufenthG ', '')} AufenthG"
    recipient = person or make_person(rng)
    street, postcode, town = german_address(rng)
    notice_date = random_date(rng, date(2023, 1, 1), date(2026, 10, 31))
    start = (notice_date.replace(day=1) + timedelta(days=32)).replace(day=1)
    months = rng.choice(kind.months)
    end_month = start.month - 1 + months
    end = date(start.year + end_month // 12, end_month % 12 + 1, 1) - timedelta(days=1)
    parts = _amount_parts(rng, kind_name, Decimal(rng.choice(kind.base_amounts)))
    total = sum((amount for _, amount in parts), Decimal("0"))
    file_number = _file_number(rng, kind_name, notice_date.year)
    clerk = german_official(rng)
    label = rng.choice(LABELS)
    seat = rng.choice(GERMAN_TOWNS[:4])[0]
    salutation = "Sehr geehrte Frau" if recipient.sex == "F" else "Sehr geehrter Herr"
    address_title = "Frau" if recipient.sex == "F" else "Herrn"
    amount_printed = amount_text(rng, total)
    period_words = rng.choice(
        [
            f"für den Zeitraum vom {de_date(start)} bis {de_date(end)}",
            f"vom {de_date(start)} bis {de_date(end)}",
            f"für die Zeit vom {de_date(start)} bis zum {de_date(end)}",
            f"im Bewilligungszeitraum {de_date(start)} – {de_date(end)}",
        ]
    )
    date_printed = date_text(rng, notice_date, "de")
    pages_total = rng.choice((1, 2, 2, 2, 3))

    page1: list[TextLine] = [TextLine(authority, "letterhead", key="authority")]
    if rng.random() < 0.6:
        page1.append(
            TextLine(rng.choice(_SUBHEADS[kind_name if "Jobcenter" not in authority else "sgb2"]), "letterhead")
        )
    page1.append(TextLine(_sender_line(authority), "sender"))
    page1 += [
        TextLine(address_title, "address"),
        TextLine(recipient.latin_name, "address", key="recipient_name"),
        TextLine(street, "address"),
        TextLine(f"{postcode} {town}", "address"),
        TextLine(f"{label} {file_number}", "meta", key="file_number"),
        TextLine(f"Bearbeiter/in: {clerk}", "meta"),
        TextLine(f"Telefon: 0344{rng.randint(1, 5)} {rng.randint(70, 79)}-{rng.randint(1000, 1999)}", "meta"),
    ]
    if rng.random() < 0.5:
        page1.append(TextLine(f"Datum: {date_printed}", "meta", key="notice_date"))
    else:
        page1.append(
            TextLine(f"{seat}, {'den ' if rng.random() < 0.5 else ''}{date_printed}", "meta", key="notice_date")
        )
    page1.append(TextLine(subject if rng.random() < 0.5 else f"Betreff: {subject}", "heading", key="subject"))
    if rng.random() < 0.6:
        applied = notice_date - timedelta(days=rng.randint(7, 60))
        page1.append(TextLine(f"Ihr Antrag vom {de_date(applied)}", "body"))
    page1.append(TextLine(f"{salutation} {recipient.surname_latin},", "body"))
    if kind_name == "aufenthg":
        decision = (
            f"hiermit wird Ihnen eine Aufenthaltserlaubnis gemäß {basis.replace('AufenthG ', '')} "
            f"Aufenthaltsgesetz (AufenthG) {period_words} erteilt. Für die Ausstellung des "
            f"elektronischen Aufenthaltstitels wird eine Gebühr in Höhe von {amount_printed} festgesetzt."
        )
    else:
        decision = (
            f"auf Ihren Antrag werden Ihnen {period_words} Leistungen nach dem {basis} in Höhe von "
            f"monatlich {amount_printed} bewilligt."
        )
    page1.append(TextLine(decision, "body"))
    if kind_name != "aufenthg":
        page1.append(TextLine("Berechnung des monatlichen Anspruchs:", "body"))
        for name, amount in parts:
            page1.append(TextLine(f"{name} | {amount_text(rng, amount)}", "table"))
        page1.append(TextLine(f"Gesamtbetrag monatlich | {amount_printed}", "table"))
    reason = [
        TextLine("Begründung", "heading"),
        TextLine(
            "Die Entscheidung beruht auf den von Ihnen vorgelegten Unterlagen und den Angaben in Ihrem "
            "Antrag. Änderungen in Ihren persönlichen oder wirtschaftlichen Verhältnissen sind unverzüglich "
            "mitzuteilen.",
            "body",
        ),
        TextLine(
            f"Die Zahlung erfolgt jeweils zum Monatsanfang auf das von Ihnen angegebene Konto. Bitte geben "
            f"Sie bei Rückfragen stets das {label.rstrip(':').replace('Az.', 'Aktenzeichen')} an.",
            "body",
        ),
    ]
    remedy = [
        TextLine("Rechtsbehelfsbelehrung", "heading"),
        TextLine(
            f"Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch erhoben werden. "
            f"Der Widerspruch ist schriftlich oder zur Niederschrift bei {authority.split(' – ')[0]} "
            f"einzulegen.",
            "body",
        ),
        TextLine("Mit freundlichen Grüßen", "body"),
        TextLine("Im Auftrag", "signature"),
        TextLine(clerk, "signature"),
    ]
    if pages_total == 1:
        pages = [page1 + reason[:2] + remedy]
    elif pages_total == 2:
        pages = [page1, reason + remedy]
    else:
        annex = [TextLine("Anlage: Berechnungsbogen", "heading")]
        for name, amount in parts:
            annex.append(TextLine(f"{name} | {de_date(start)} – {de_date(end)} | {amount_text(rng, amount)}", "table"))
        pages = [page1, reason + remedy, annex]
    footer_style = rng.choice(["Seite {i} von {n}", "Seite {i}/{n}", "- {i} -"])
    for i, page in enumerate(pages, start=1):
        if len(pages) > 1:
            page.append(TextLine(footer_style.format(i=i, n=len(pages)), "footer"))
        if rng.random() < 0.5:
            page.append(
                TextLine(
                    f"{authority} · IBAN DE{rng.randint(10, 99)} 8005 3000 {rng.randint(1000, 9999)} "
                    f"{rng.randint(1000, 9999)} 00 · www.burgenlandkreis.de",
                    "footer",
                )
            )
    fields: dict[str, FieldValue] = {
        "authority": authority,
        "file_number": file_number,
        "notice_date": notice_date.isoformat(),
        "recipient_name": recipient.latin_name,
        "subject": subject,
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "amount_eur": f"{total:.2f}",
    }
    extra = {"legal_basis": basis, "file_number_label": label.rstrip(":"), "notice_kind": kind_name}
    if recipient.has_own_script:
        extra["original_script_name"] = recipient.original_name
    return DocumentContent(
        type=DocumentType.NOTICE,
        language="de",
        fields=fields,
        extra=extra,
        pages=pages,
        layout="letter",
    )
