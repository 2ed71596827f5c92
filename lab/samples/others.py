"""Content of papers dach files as `other`: what a newcomer hands over besides identity documents,
notices and certificates. Several look like a notice or a certificate on purpose (an invoice with a
customer number and amounts, a company letter with a subject and closing formula, a registration form
with the labels of a Meldebescheinigung), so the classifier learns the difference; a handwritten note is
only ever scanned.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from schemas.documents import DocumentType

from .formats import amount_text, date_text
from .model import DocumentContent, TextLine
from .names import Person, german_address, german_official, make_person, random_date

KINDS = ("landlord", "payslip", "doctor", "invoice", "letter", "form", "note", "course")


def other(rng: random.Random, person: Person | None = None) -> DocumentContent:
    """One paper of a kind drawn from `KINDS`, about `person` (or someone new)."""
    subject = person or make_person(rng)
    street, postcode, town = german_address(rng)
    when = random_date(rng, date(2023, 1, 1), date(2026, 10, 31))
    signer = german_official(rng)
    kind = rng.choice(KINDS)
    layout = "certificate"
    if kind == "landlord":
        lines = [
            TextLine("Wohnungsgeberbestätigung", "title"),
            TextLine("nach § 19 des Bundesmeldegesetzes (BMG)", "subtitle"),
            TextLine(f"Name des Wohnungsgebers: {signer}", "body"),
            TextLine(f"Anschrift der Wohnung: {street}, {postcode} {town}", "body"),
            TextLine(f"Einzug am: {date_text(rng, when, 'de')}", "body"),
            TextLine(f"Folgende Person ist in die Wohnung eingezogen: {subject.latin_name}", "body"),
            TextLine("Ich bestätige mit meiner Unterschrift den Einzug der oben genannten Person.", "body"),
            TextLine(f"{town}, {date_text(rng, when + timedelta(days=2), 'de')}", "body"),
            TextLine(signer, "signature"),
        ]
    elif kind == "payslip":
        gross = rng.randint(1400, 3200)
        layout = "letter"
        lines = [
            TextLine(
                rng.choice(["Muster Logistik GmbH", "Saale Pflegedienst gGmbH", "Burgenland Bau GmbH & Co. KG"]),
                "letterhead",
            ),
            TextLine(f"Verdienstabrechnung {when.strftime('%m/%Y')}", "title"),
            TextLine(f"Mitarbeiter: {subject.latin_name}", "body"),
            TextLine(f"Personalnummer: {rng.randint(10000, 99999)}", "body"),
            TextLine(f"Bruttobezüge | {amount_text(rng, Decimal(gross))}", "table"),
            TextLine(f"Lohnsteuer | {amount_text(rng, Decimal(round(gross * 0.08)))}", "table"),
            TextLine(f"Sozialversicherung | {amount_text(rng, Decimal(round(gross * 0.2)))}", "table"),
            TextLine(f"Auszahlungsbetrag | {amount_text(rng, Decimal(round(gross * 0.72)))}", "table"),
        ]
    elif kind == "doctor":
        lines = [
            TextLine(f"Praxis Dr. med. {signer}", "letterhead"),
            TextLine(f"Facharzt für Allgemeinmedizin · {street} · {postcode} {town}", "sender"),
            TextLine("Ärztliche Bescheinigung", "title"),
            TextLine(
                f"Hiermit bescheinige ich, dass {subject.latin_name} sich am {date_text(rng, when, 'de')} "
                f"in meiner Behandlung befand.",
                "body",
            ),
            TextLine(
                "Aus medizinischer Sicht bestehen keine Bedenken gegen die Teilnahme am Integrationskurs.",
                "body",
            ),
            TextLine(signer, "signature"),
        ]
    elif kind == "invoice":
        lines, layout = _invoice(rng, subject, when, (street, postcode, town)), "letter"
    elif kind == "letter":
        lines, layout = _company_letter(rng, subject, when, signer, (street, postcode, town)), "letter"
    elif kind == "form":
        lines = _registration_form(rng, subject, when, (street, postcode, town))
    elif kind == "note":
        lines, layout = _note(rng, subject, when), "note"
    else:
        lines = [
            TextLine(
                rng.choice(["Sprachschule Saale e. V.", "VHS Burgenlandkreis", "Bildungswerk Merseburg"]), "letterhead"
            ),
            TextLine("Teilnahmebestätigung", "title"),
            TextLine(
                f"{subject.latin_name} hat vom {date_text(rng, when - timedelta(days=120), 'de')} bis zum "
                f"{date_text(rng, when, 'de')} am Integrationskurs (Modul {rng.randint(1, 6)}) teilgenommen.",
                "body",
            ),
            TextLine(
                f"Unterrichtseinheiten: {rng.choice([100, 200, 300])}, Fehlzeiten: {rng.randint(0, 12)} UE", "body"
            ),
            TextLine(f"{town}, {date_text(rng, when + timedelta(days=3), 'de')}", "body"),
            TextLine(signer, "signature"),
        ]
    return DocumentContent(
        type=DocumentType.OTHER,
        language="de",
        fields={},
        extra={"other_kind": kind},
        pages=[lines],
        layout=layout,
    )


def _invoice(rng: random.Random, subject: Person, when: date, address: tuple[str, str, str]) -> list[TextLine]:
    street, postcode, town = address
    company = rng.choice(["Stadtwerke Naumburg GmbH", "Mobilfunk Mitte GmbH", "envia Energie Saale AG"])
    items = [("Grundpreis", rng.randint(8, 15)), ("Verbrauch", rng.randint(30, 120)), ("Servicepauschale", 3)]
    total = sum(price for _, price in items)
    return [
        TextLine(company, "letterhead"),
        TextLine(f"{company} · Postfach {rng.randint(1000, 9999)} · {postcode} {town}", "sender"),
        TextLine(subject.latin_name, "address"),
        TextLine(street, "address"),
        TextLine(f"{postcode} {town}", "address"),
        TextLine(f"Kundennummer: {rng.randint(1000000, 9999999)}", "meta"),
        TextLine(f"Rechnungsnummer: R-{when.year}-{rng.randint(10000, 99999)}", "meta"),
        TextLine(f"Rechnungsdatum: {date_text(rng, when, 'de')}", "meta"),
        TextLine(f"Rechnung {when.strftime('%m/%Y')}", "title"),
        *(TextLine(f"{name} | {amount_text(rng, Decimal(price))}", "table") for name, price in items),
        TextLine(f"Rechnungsbetrag | {amount_text(rng, Decimal(total))}", "table"),
        TextLine(
            f"Der Betrag wird am {date_text(rng, when + timedelta(days=14), 'de')} von Ihrem Konto abgebucht.", "body"
        ),
        TextLine("Vielen Dank für Ihr Vertrauen.", "body"),
    ]


def _company_letter(
    rng: random.Random, subject: Person, when: date, signer: str, address: tuple[str, str, str]
) -> list[TextLine]:
    street, postcode, town = address
    company = rng.choice(["Saale Pflegedienst gGmbH", "Muster Logistik GmbH", "Wohnungsbau Zeitz eG"])
    title = "Frau" if subject.sex == "F" else "Herrn"
    salutation = "Sehr geehrte Frau" if subject.sex == "F" else "Sehr geehrter Herr"
    topic, body = rng.choice(
        [
            (
                "Einladung zum Vorstellungsgespräch",
                "wir freuen uns über Ihre Bewerbung und laden Sie zu einem Gespräch ein.",
            ),
            ("Ihre Mietanfrage", "vielen Dank für Ihre Anfrage. Gern zeigen wir Ihnen die Wohnung am Termin unten."),
            (
                "Bestätigung Ihres Arbeitsverhältnisses",
                "hiermit bestätigen wir, dass Sie bei uns in Vollzeit beschäftigt sind.",
            ),
        ]
    )
    return [
        TextLine(company, "letterhead"),
        TextLine(f"{company} · {street} · {postcode} {town}", "sender"),
        TextLine(title, "address"),
        TextLine(subject.latin_name, "address"),
        TextLine(street, "address"),
        TextLine(f"{postcode} {town}", "address"),
        TextLine(f"{town}, {date_text(rng, when, 'de')}", "meta"),
        TextLine(topic, "heading"),
        TextLine(f"{salutation} {subject.surname_latin},", "body"),
        TextLine(body, "body"),
        TextLine(f"Termin: {date_text(rng, when + timedelta(days=rng.randint(5, 20)), 'de')}, 10:00 Uhr", "body"),
        TextLine("Mit freundlichen Grüßen", "body"),
        TextLine(signer, "signature"),
    ]


def _registration_form(
    rng: random.Random, subject: Person, when: date, address: tuple[str, str, str]
) -> list[TextLine]:
    """The form a newcomer fills in at the registration office (not the certificate it issues)."""
    street, postcode, town = address
    return [
        TextLine("Anmeldung bei der Meldebehörde", "title"),
        TextLine("Bitte in Druckbuchstaben ausfüllen", "subtitle"),
        TextLine(f"Neue Wohnung: {street}, {postcode} {town}", "body"),
        TextLine("[x] alleinige Wohnung   [ ] Hauptwohnung   [ ] Nebenwohnung", "body"),
        TextLine(f"Tag des Einzugs: {date_text(rng, when, 'de')}", "body"),
        TextLine(f"Familienname: {subject.surname_latin.upper()}", "body"),
        TextLine(f"Vornamen: {subject.given_latin.upper()}", "body"),
        TextLine(f"Geburtsdatum: {date_text(rng, subject.birth_date, 'de')}", "body"),
        TextLine(f"Geburtsort: {subject.birth_place.latin}", "body"),
        TextLine("Staatsangehörigkeiten: ______________________", "body"),
        TextLine("Ich versichere, dass die Angaben vollständig und richtig sind.", "body"),
        TextLine(f"{town}, den {date_text(rng, when, 'de')}     Unterschrift: ______________", "body"),
    ]


def _note(rng: random.Random, subject: Person, when: date) -> list[TextLine]:
    """A handwritten note left at the front desk or by a social worker."""
    day = when.strftime("%d.%m.")
    text = rng.choice(
        [
            [f"Frau/Herr {subject.surname_latin}:", f"bitte bis {day} Kontoauszüge", "und Mietvertrag mitbringen!"],
            ["Notiz", f"{subject.latin_name} war heute da,", f"kommt am {day} wieder.", "Dolmetscher bestellen"],
            [
                "Rückruf erbeten",
                f"wegen Termin am {day}",
                f"Tel. 0{rng.randint(150, 179)} {rng.randint(1000000, 9999999)}",
            ],
        ]
    )
    return [TextLine(line, "body") for line in text]
