"""The VIZ cross-check on generated documents whose visual zone was tampered (`identity.VizTamper`).

The page text is the generator's own lines, one word per token as tesseract gives them, so these pin the
generator's tampering and the cross-check together without OCR; `python -m tests.benchmarks.viz` measures
the same on rendered, scanned and OCRed documents.
"""

from __future__ import annotations

import random

import pytest

from classifiers.identity import identity_document
from lab.samples.content import make_document
from lab.samples.identity import VizTamper
from lab.samples.model import DocumentContent
from schemas.documents import BBox, DocumentType, ExtractedDocument, MrzReading, PageText, TextSource, Word

SEED = "viz-tamper-test"  # a tuning-range seed: tests are development, not measurement


def _read(content: DocumentContent) -> ExtractedDocument:
    lines = content.pages[0]
    tokens = [token for line in lines if line.role != "mrz" for token in line.text.split()]
    mrz = tuple(line.text for line in lines if line.role == "mrz")
    box = BBox(x0=0.1, y0=0.1, x1=0.2, y1=0.12)
    page = PageText(
        page=1,
        width=1476,
        height=1039,
        source=TextSource.OCR,
        words=tuple(Word(text=t, bbox=box, confidence=0.9, line=i) for i, t in enumerate(tokens)),
        mrz=MrzReading(lines=mrz, bbox=BBox(x0=0.05, y0=0.8, x1=0.95, y1=0.95), confidence=0.9),
    )
    document = identity_document([page])
    assert document is not None
    return document


def _passport(tamper: str | None) -> DocumentContent:
    viz_tamper = VizTamper(tamper, random.Random(f"{SEED}:viz")) if tamper else None
    return make_document(random.Random(SEED), DocumentType.PASSPORT, viz_tamper=viz_tamper)


def test_a_tampered_birth_date_is_flagged_and_the_untampered_twin_is_not() -> None:
    genuine, forged = _passport(None), _passport("birth_date")
    assert forged.fields == genuine.fields  # the MRZ and truth are the seed's; only the VIZ differs
    assert forged.extra["viz_tampered"] == "birth_date"
    assert forged.extra["viz_printed"] != genuine.fields["birth_date"]
    assert _read(genuine).viz_mismatches == ()
    flagged = _read(forged)
    assert flagged.viz_mismatches == ("birth_date",)
    assert flagged.review


def test_a_visa_cannot_be_tampered() -> None:
    with pytest.raises(ValueError, match="only passports"):
        make_document(random.Random(SEED), DocumentType.VISA, viz_tamper=VizTamper("surname", random.Random(1)))
