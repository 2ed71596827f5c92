"""The pure content of one generated document, without rendering: `make_document`.

Other helpers build on this (the classifier trains its text model on `make_document(...)` text), so the
signature and the `DocumentContent`/`TextLine` shapes are a public API of the generator.
"""

from __future__ import annotations

import random

from schemas.documents import DocumentType

from .certificates import certificate
from .identity import VizTamper, id_card, passport, residence_permit, visa
from .model import DocumentContent, TextLine
from .names import Person
from .notices import notice
from .others import other

__all__ = ["DocumentContent", "TextLine", "make_document"]


VIZ_TAMPER_TYPES = frozenset({DocumentType.PASSPORT, DocumentType.ID_CARD, DocumentType.RESIDENCE_PERMIT})


def make_document(
    rng: random.Random,
    doc_type: DocumentType,
    *,
    language: str | None = None,
    person: Person | None = None,
    viz_tamper: VizTamper | None = None,
) -> DocumentContent:
    """One document of `doc_type` drawn from `rng` (same rng state, same document).

    `language` picks a label language where the type has several (`uk-de`, `ar-en`, `uk`, ...; unknown
    values fall back to a random one); `person` makes the document about that person where it can be
    theirs (a stack of one newcomer's papers), else it is about someone new. `viz_tamper` makes the visual
    zone of a passport, ID card or residence permit contradict its MRZ in one field (`identity.VizTamper`).
    """
    doc_type = DocumentType(doc_type)
    if viz_tamper is not None and doc_type not in VIZ_TAMPER_TYPES:
        raise ValueError(f"only passports, ID cards and residence permits can be tampered, not {doc_type.value}")
    if doc_type is DocumentType.PASSPORT:
        return passport(rng, language, person, tamper=viz_tamper)
    if doc_type is DocumentType.ID_CARD:
        return id_card(rng, language, person, tamper=viz_tamper)
    if doc_type is DocumentType.RESIDENCE_PERMIT:
        return residence_permit(rng, language, person, tamper=viz_tamper)
    if doc_type is DocumentType.VISA:
        return visa(rng, language, person)
    if doc_type is DocumentType.NOTICE:
        return notice(rng, language, person)
    if doc_type is DocumentType.OTHER:
        return other(rng, person)
    return certificate(rng, doc_type, language, person)
