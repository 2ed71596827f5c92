"""The pure content of one generated document, without rendering: `make_document`.

Other helpers build on this (the classifier trains its text model on `make_document(...)` text), so the
signature and the `DocumentContent`/`TextLine` shapes are a public API of the generator.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from schemas.documents import DocumentType

from .certificates import certificate
from .formats import amount_text, date_text
from .identity import id_card, passport, residence_permit, visa
from .model import DocumentContent, TextLine
from .names import Person, german_address, german_official, make_person, random_date
from .notices import notice

__all__ = ["DocumentContent", "TextLine", "make_document"]


def make_document(
    rng: random.Random, doc_type: DocumentType, *, language: str | None = None, person: Person | None = None
) -> DocumentContent:
    """One document of `doc_type` drawn from `rng` (same rng state, same document).

    `language` picks a label language where the type has several (`uk-de`, `ar-en`, `uk`, ...; unknown
    values fall back to a random one); `person` makes the document about that person where it can be
    theirs (a stack of one newcomer's papers), else it is about someone new.
    """
    doc_type = DocumentType(doc_type)
    if doc_type is DocumentType.PASSPORT:
        return passport(rng, language, person)
    if doc_type is DocumentType.ID_CARD:
        return id_card(rng, language, person)
    if doc_type is DocumentType.RESIDENCE_PERMIT:
        return residence_permit(rng, language, person)
    if doc_type is DocumentType.VISA:
        return visa(rng, language, person)
    if doc_type is DocumentType.NOTICE:
        return notice(rng, language, person)
    if doc_type is DocumentType.OTHER:
        return other(rng, person)
    return certificate(rng, doc_type, language, person)


def other(rng: random.Random, person: Person | None = None) -> DocumentContent:
    """A document dach does not file by type: a landlord's confirmation, a pay slip or a doctor's letter."""
    subject = person or make_person(rng)
    street, postcode, town = german_address(rng)
    when = random_date(rng, date(2023, 1, 1), date(2026, 10, 31))
    signer = german_official(rng)
    choice = rng.choice(["landlord", "payslip", "doctor"])
    if choice == "landlord":
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
    elif choice == "payslip":
        gross = rng.randint(1400, 3200)
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
    else:
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
    return DocumentContent(
        type=DocumentType.OTHER,
        language="de",
        fields={},
        extra={"other_kind": choice},
        pages=[lines],
        layout="certificate" if choice != "payslip" else "letter",
    )
