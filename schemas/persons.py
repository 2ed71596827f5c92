"""Shapes of person matching: what a document says about its person, and who that might be.

A `PersonClaim` is what one document states about the person it belongs to (names as printed, the name in
the original script, birth date, nationality, identifiers). `classifiers.persons.match` compares a claim with
the claims already filed for known persons and returns a `MatchDecision`: candidates with a score and the
reasons in plain words, and an automatic choice only when one candidate is clearly right. Matching only
proposes; it never merges two persons (Personenzusammenführung is a clerk's decision).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field, model_validator

from schemas.documents import Frozen


class IdentifierKind(StrEnum):
    """What an identifier numbers. Only some kinds stay with a person for life (see `PERMANENT_KINDS`)."""

    DOCUMENT_NUMBER = "document_number"  # passport / ID card / residence permit number: renewed, may change
    PERSONAL_NUMBER = "personal_number"  # national personal number (e.g. Ukrainian УНЗР, Turkish T.C. Kimlik)
    AZR_NUMBER = "azr_number"  # AZR-Nummer: Ausländerzentralregister, one per person
    FILE_NUMBER = "file_number"  # Aktenzeichen of an authority's file on the person
    CERTIFICATE_NUMBER = "certificate_number"  # birth/marriage certificate register number
    OTHER = "other"


#: Kinds of which a person has exactly one per issuing state: two different values veto a match.
PERMANENT_KINDS = frozenset({IdentifierKind.PERSONAL_NUMBER, IdentifierKind.AZR_NUMBER})


class Identifier(Frozen):
    """A number a document gives its person. `issuing_state` is the ICAO 3-letter code, or None if unknown."""

    kind: IdentifierKind
    value: str = Field(min_length=1)
    issuing_state: str | None = Field(default=None, min_length=3, max_length=3)


class PersonClaim(Frozen):
    """What one document says about its person. Any part may be missing; names are as printed.

    Use `surname` + `given_names` when the document separates them (MRZ, residence permit), `full_name` when
    it gives one name string (a certificate, a notice's recipient line; "SURNAME, Given" with a comma is
    read as surname first), and `original_script_name` for the name in Cyrillic or Arabic script.
    """

    surname: str | None = None
    given_names: str | None = None
    full_name: str | None = None
    original_script_name: str | None = None
    birth_date: date | None = None
    nationality: str | None = Field(default=None, min_length=3, max_length=3, description="ICAO 3-letter code")
    identifiers: tuple[Identifier, ...] = ()

    @model_validator(mode="after")
    def _has_a_name_or_identifier(self) -> PersonClaim:
        names = (self.surname, self.given_names, self.full_name, self.original_script_name)
        if not (any(names) or self.identifiers):
            raise ValueError("a person claim needs at least a name or an identifier to be matched")
        return self


class MatchCandidate(Frozen):
    """A known person the claim may belong to, with a score (0..1) and why."""

    person_id: str
    score: float = Field(ge=0.0, le=1.0)
    reasons: tuple[str, ...] = ()


class MatchDecision(Frozen):
    """The outcome of matching one claim: candidates best first, and the automatic choice if there is one.

    `auto` is set only when the best candidate is above the threshold and clearly ahead of the runner-up;
    otherwise a clerk decides (`needs_review` when `candidates` is not empty, a new person when it is).
    """

    auto: MatchCandidate | None = None
    candidates: tuple[MatchCandidate, ...] = ()

    @property
    def needs_review(self) -> bool:
        return self.auto is None and bool(self.candidates)
