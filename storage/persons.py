"""Finding the person a document belongs to, inside the filing transaction.

What a document says about its person becomes a `PersonClaim`; candidate persons are found through blocking
keys (identifier values, birth date, name skeletons), and `classifiers.persons.match` decides. Persons are
never merged here.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from classifiers.persons import blocking_keys as matcher_keys
from classifiers.persons import match
from schemas.documents import MRZ_TYPES, DocumentType, ExtractedDocument
from schemas.persons import Identifier, IdentifierKind, MatchCandidate, PersonClaim
from storage.models import Person, PersonAlias, PersonClaimRow, PersonIdentifier, PersonKey, Record

log = logging.getLogger(__name__)

MAX_CANDIDATES = 200
KEY_LENGTH = 200  # PersonKey.key column width


def _text(document: ExtractedDocument, name: str) -> str | None:
    field = document.fields.get(name)
    value = field.value if field is not None else None
    return value.strip() or None if isinstance(value, str) else None


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def claim_for(document: ExtractedDocument) -> PersonClaim | None:
    """What the document says about its person, or None when it names no one."""
    identifiers: list[Identifier] = []
    nationality = _text(document, "nationality")
    state = _text(document, "issuing_state")
    surname = given = full = None
    if document.type in MRZ_TYPES:
        surname, given = _text(document, "surname"), _text(document, "given_names")
        number = _text(document, "document_number")
        if number:
            identifiers.append(
                Identifier(kind=IdentifierKind.DOCUMENT_NUMBER, value=number, issuing_state=_state(state))
            )
    elif document.type is DocumentType.NOTICE:
        full = _text(document, "recipient_name")
        number = _text(document, "file_number")
        if number:
            identifiers.append(Identifier(kind=IdentifierKind.FILE_NUMBER, value=number))
    else:
        full = _text(document, "person_name")
        number = _text(document, "certificate_number")
        if number:
            identifiers.append(Identifier(kind=IdentifierKind.CERTIFICATE_NUMBER, value=number))
    try:
        return PersonClaim(
            surname=surname,
            given_names=given,
            full_name=full,
            birth_date=_date(_text(document, "birth_date")),
            nationality=_state(nationality),
            identifiers=tuple(identifiers),
        )
    except ValidationError:
        return None  # no name and no identifier: nothing to match


def _state(code: str | None) -> str | None:
    return code.upper() if code and re.fullmatch(r"[A-Za-z<]{3}", code) else None


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.upper())
    return "".join(c for c in decomposed if c.isalpha() or c == " ")


def name_skeleton(token: str) -> str:
    """A rough key shared by transliterations of one name: consonants only, X as KS, doubles collapsed."""
    folded = _fold(token).replace(" ", "").replace("X", "KS").replace("PH", "F").replace("W", "V")
    consonants = re.sub(r"[AEIOUYHJ]", "", folded)
    return re.sub(r"(.)\1+", r"\1", consonants)


def claim_names(claim: PersonClaim) -> tuple[str, str]:
    """(surname, given names) of a claim; a full name "SURNAME, Given" or "Given Surname" is split."""
    if claim.surname or claim.given_names:
        return claim.surname or "", claim.given_names or ""
    full = (claim.full_name or claim.original_script_name or "").strip()
    if "," in full:
        surname, given = full.split(",", 1)
        return surname.strip(), given.strip()
    parts = full.split()
    return (parts[-1], " ".join(parts[:-1])) if len(parts) > 1 else (full, "")


def _name_keys(claim: PersonClaim) -> set[str]:
    """The skeletons of the claim's name tokens (`Person.name_key`, for finding a person by name)."""
    keys: set[str] = set()
    surname, given = claim_names(claim)
    for token in re.split(r"[\s,\-]+", f"{surname} {given}"):
        skeleton = name_skeleton(token)
        if len(skeleton) >= 2:
            keys.add(f"name:{skeleton}")
    return keys


def blocking_keys(claim: PersonClaim) -> set[str]:
    return {k[:KEY_LENGTH] for k in matcher_keys(claim)}


@dataclass(frozen=True)
class Resolution:
    person_id: str | None
    needs_review: bool
    candidates: tuple[MatchCandidate, ...] = ()
    new_person: bool = False


def _known_claims(session: Session, keys: set[str]) -> list[tuple[str, PersonClaim]]:
    """Claims of the persons sharing the most blocking keys with the claim (at most MAX_CANDIDATES)."""
    if not keys:
        return []
    shared = func.count().label("shared")
    ids = session.scalars(
        select(PersonKey.person_id)
        .where(PersonKey.key.in_(sorted(keys)))
        .group_by(PersonKey.person_id)
        .order_by(shared.desc())
        .limit(MAX_CANDIDATES)
    )
    person_ids = list(ids)
    if not person_ids:
        return []
    rows = session.execute(
        select(PersonClaimRow.person_id, PersonClaimRow.claim).where(PersonClaimRow.person_id.in_(person_ids))
    )
    return [(pid, PersonClaim.model_validate(claim)) for pid, claim in rows]


def resolve(session: Session, claim: PersonClaim | None, threshold: float) -> Resolution:
    """Who the claim belongs to: an existing person, a new one, or a clerk's decision."""
    if claim is None:
        return Resolution(person_id=None, needs_review=True)
    known = _known_claims(session, blocking_keys(claim))
    decision = match(claim, known, threshold=threshold)
    if decision.auto is not None:
        return Resolution(person_id=decision.auto.person_id, needs_review=False, candidates=decision.candidates)
    if decision.candidates:
        return Resolution(person_id=None, needs_review=True, candidates=decision.candidates)
    return Resolution(person_id=None, needs_review=False, new_person=True)


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:20]}"


def create_person(session: Session, claim: PersonClaim) -> Person:
    surname, given = claim_names(claim)
    now = datetime.now(UTC)
    person = Person(
        id=new_id("per"),
        surname=surname,
        given_names=given,
        surname_original=None,
        given_names_original=None,
        birth_date=claim.birth_date.isoformat() if claim.birth_date else None,
        nationality=claim.nationality,
        name_key=" ".join(sorted(_name_keys(claim)))[:400],
        created_at=now,
    )
    if claim.original_script_name:
        person.surname_original, person.given_names_original = claim_names(
            PersonClaim(full_name=claim.original_script_name)
        )
    session.add(person)
    session.add(
        Record(
            id=new_id("rec"),
            person_id=person.id,
            file_number=f"{now:%Y}-{person.id[4:12].upper()}",
            created_at=now,
        )
    )
    return person


def remember_claim(session: Session, person: Person, claim: PersonClaim, document_id: str) -> None:
    """Keep the claim, its identifiers, a new spelling as alias, and the blocking keys for later matches."""
    session.add(PersonClaimRow(person_id=person.id, document_id=document_id, claim=claim.model_dump(mode="json")))
    have_keys = set(session.scalars(select(PersonKey.key).where(PersonKey.person_id == person.id)))
    for key in sorted(blocking_keys(claim) - have_keys):
        session.add(PersonKey(person_id=person.id, key=key))
    have_ids = {(i.kind, i.value) for i in person.identifiers}
    for ident in claim.identifiers:
        if (ident.kind.value, ident.value) not in have_ids:
            person.identifiers.append(
                PersonIdentifier(kind=ident.kind.value, value=ident.value, issuing_state=ident.issuing_state)
            )
            have_ids.add((ident.kind.value, ident.value))
    surname, given = claim_names(claim)
    spellings = {(person.surname.upper(), person.given_names.upper())} | {
        (a.surname.upper(), a.given_names.upper()) for a in person.aliases
    }
    if (surname or given) and (surname.upper(), given.upper()) not in spellings:
        person.aliases.append(PersonAlias(surname=surname, given_names=given, source=document_id))
    if person.birth_date is None and claim.birth_date:
        person.birth_date = claim.birth_date.isoformat()
    if person.nationality is None and claim.nationality:
        person.nationality = claim.nationality
