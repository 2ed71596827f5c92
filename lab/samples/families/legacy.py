"""The families of the original generator (`lab.samples.content` + `layouts`), wrapped so they take part in
the leave-one-family-out measurement as families of their own: `legacy_certificate`, `legacy_notice` and
`legacy_identity`. Identity documents' truth names are the visual zone's (full name, diacritics kept); the
MRZ form stays in `mrz`."""

from __future__ import annotations

import random

from schemas.documents import DocumentType

from ..content import make_document
from ..layouts import layout
from ..model import DocumentContent
from .common import CERTIFICATE_TYPES, Built

IDENTITY_TYPES = (DocumentType.PASSPORT, DocumentType.ID_CARD, DocumentType.RESIDENCE_PERMIT)


def viz_names(content: DocumentContent) -> tuple[str, str]:
    """The surname and given names the visual zone prints (the Latin part of `ORIGINAL / LATIN`)."""
    found: dict[str, str] = {}
    for line in content.pages[0]:
        if line.role == "value" and line.key in ("surname", "given_names"):
            found[line.key] = line.text.split(" / ")[-1].strip()
    return found.get("surname", str(content.fields["surname"])), found.get(
        "given_names", str(content.fields["given_names"])
    )


def built_of(content: DocumentContent, rng: random.Random) -> Built:
    fields = dict(content.fields)
    extra = dict(content.extra)
    if content.type in IDENTITY_TYPES:
        extra["mrz_surname"], extra["mrz_given_names"] = str(fields["surname"]), str(fields["given_names"])
        fields["surname"], fields["given_names"] = viz_names(content)
    return Built(content.type, content.language, fields, layout(content, rng), extra)


def build_certificate(rng: random.Random, doc_type: DocumentType) -> Built:
    return built_of(make_document(rng, doc_type), rng)


def build_notice(rng: random.Random, doc_type: DocumentType) -> Built:
    return built_of(make_document(rng, DocumentType.NOTICE), rng)


def build_identity(rng: random.Random, doc_type: DocumentType) -> Built:
    return built_of(make_document(rng, doc_type), rng)


CERTIFICATES = CERTIFICATE_TYPES
