"""Linking a document without a birth date (most notices) to its person: the name and a second identifier.

The matcher cannot decide on a notice: it prints a name but rarely a birth date, and a name alone is never
enough (two persons share it more often than one would think). Here a candidate whose name agrees is
linked only when a second identifier agrees too:

- a birth date printed in the text equals the person's birth date,
- the document's file number (Aktenzeichen) is one the person's record already knows (the record's own
  file number, or a file number from an earlier document of the person),
- the postal address printed on it equals an address from the person's earlier documents (a registration
  certificate, an earlier notice).

Exactly one candidate must pass; the evidence goes into the document's notes (shown on the review screen)
and into the audit entry of the filing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.documents import ExtractedDocument
from schemas.persons import IdentifierKind, PersonClaim
from storage import handover
from storage.models import Document, Person, PersonClaimRow, PersonIdentifier, Record
from storage.persons import Resolution

#: The score from which the matcher's candidate counts as "the name agrees" (birth date unknown).
NAME_AGREES = 0.8
_DATE_IN_TEXT = re.compile(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\b|\b(\d{4})-(\d{2})-(\d{2})\b")


@dataclass(frozen=True)
class Link:
    person_id: str
    evidence: tuple[str, ...]


def _dates_in(text: str) -> set[date]:
    found: set[date] = set()
    for m in _DATE_IN_TEXT.finditer(text):
        g = m.groups()
        try:
            found.add(date(int(g[2]), int(g[1]), int(g[0])) if g[0] else date(int(g[3]), int(g[4]), int(g[5])))
        except ValueError:
            continue
    return found


def _file_numbers(session: Session, person_id: str) -> set[str]:
    numbers = {
        v.upper()
        for v in session.scalars(
            select(PersonIdentifier.value).where(
                PersonIdentifier.person_id == person_id, PersonIdentifier.kind == IdentifierKind.FILE_NUMBER.value
            )
        )
    }
    record_number = session.scalar(select(Record.file_number).where(Record.person_id == person_id))
    if record_number:
        numbers.add(record_number.upper())
    for raw in session.scalars(select(PersonClaimRow.claim).where(PersonClaimRow.person_id == person_id)):
        try:
            claim = PersonClaim.model_validate(raw)
        except ValueError:
            continue
        numbers |= {i.value.upper() for i in claim.identifiers if i.kind is IdentifierKind.FILE_NUMBER}
    return numbers


def _addresses(session: Session, person_id: str) -> set[str]:
    from storage.dispatch import document_text  # how a document's text is read (fields + OCR text)

    record = session.scalar(select(Record).where(Record.person_id == person_id))
    if record is None:
        return set()
    docs = session.scalars(
        select(Document).where(Document.record_id == record.id, Document.status.not_in(("withdrawn", "deleted")))
    )
    return {a for a in (handover.address_in(document_text(session, d)) for d in docs) if a}


def evidence_for(session: Session, person: Person, document: ExtractedDocument, text: str) -> list[str]:
    """The second identifiers the document shares with the person (empty: name alone, not enough)."""
    found: list[str] = []
    birth = handover.parse_day(person.birth_date)
    if birth is not None and birth in _dates_in(text):
        found.append(f"Geburtsdatum {birth:%d.%m.%Y} im Text")
    field = document.fields.get("file_number")
    number = field.value.strip() if field is not None and isinstance(field.value, str) else ""
    if number and number.upper() in _file_numbers(session, person.id):
        found.append(f"Aktenzeichen {number} bekannt")
    address = handover.address_in(text)
    if address is not None and address in _addresses(session, person.id):
        found.append(f"Anschrift {address} bekannt")
    return found


def second_identifier(session: Session, document: ExtractedDocument, text: str, resolution: Resolution) -> Link | None:
    """The one candidate whose name agrees and who shares a second identifier with the document, if any."""
    birth_field = document.fields.get("birth_date")
    if birth_field is not None and birth_field.value:
        return None  # the matcher compared the birth date already; its doubt stands
    passing: list[Link] = []
    for candidate in resolution.candidates:
        if candidate.score < NAME_AGREES:
            continue
        person = session.get(Person, candidate.person_id)
        if person is None:
            continue
        evidence = evidence_for(session, person, document, text)
        if evidence:
            passing.append(Link(person.id, ("Name stimmt überein", *evidence)))
    return passing[0] if len(passing) == 1 else None
