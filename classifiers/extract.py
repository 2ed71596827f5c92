"""Shared machinery of field extraction: candidates, provenance, confidence and the review notes.

A field extractor (notices in `classifiers/notice.py`, certificates in `classifiers/certificate.py`) finds
the characters a value was read from and its normalised value. This module turns that into an
`ExtractedField` with page, box (the union of the value's word boxes), source and a confidence that is the
lower of the extraction rule's certainty and the OCR confidence of the value's words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from classifiers.text import DocumentText, Line
from schemas.documents import ExtractedField, FieldValue, Word

FIELD_REVIEW_CONFIDENCE = 0.5  # a field read with less confidence than this is shown to a clerk


@dataclass(frozen=True)
class Found:
    """A value and the character span of the document text it was read from."""

    value: FieldValue
    start: int
    end: int
    certainty: float = 0.95  # how sure the rule that found it is, before OCR confidence
    words: tuple[Word, ...] = ()  # the value's words when they are not contiguous in reading order


@dataclass
class FieldSet:
    """The fields of one document being extracted, plus the notes that explain a review."""

    text: DocumentText
    fields: dict[str, ExtractedField]
    notes: list[str]

    def put(self, name: str, found: Found | None) -> None:
        if found is None or found.value in (None, ""):
            return
        provenance = self.text.provenance(found.start, found.end, found.words)
        if provenance is None:
            self.fields[name] = ExtractedField(value=found.value, confidence=found.certainty)
            return
        confidence = round(min(found.certainty, max(provenance.confidence, 0.0)), 4)
        self.fields[name] = ExtractedField(
            value=found.value,
            page=provenance.page,
            bbox=provenance.bbox,
            source=provenance.source,
            confidence=confidence,
        )
        if confidence < FIELD_REVIEW_CONFIDENCE:
            self.notes.append(f"{name} read with low confidence ({confidence:.2f}); please check it")

    def require(self, names: Iterable[str]) -> None:
        for name in names:
            if name not in self.fields:
                self.notes.append(f"{name} not found or not valid; please enter it")


def groups(line: Line, max_gap: float = 0.06) -> list[list[tuple[int, int, Word]]]:
    """The words of a line in groups split at wide horizontal gaps (columns OCR read as one line)."""
    out: list[list[tuple[int, int, Word]]] = []
    for entry in line.words:
        if out and entry[2].bbox.x0 - out[-1][-1][2].bbox.x1 <= max_gap:
            out[-1].append(entry)
        else:
            out.append([entry])
    return out


def group_text(group: list[tuple[int, int, Word]]) -> str:
    return " ".join(entry[2].text for entry in group)


def value_after(
    text: DocumentText,
    label_end: int,
    normalise: Callable[[str], FieldValue],
    *,
    next_line: bool = True,
    certainty: float = 0.95,
) -> Found | None:
    """The normalised value written after a label: the rest of its column on the label's line, else (for
    label/value layouts) the next line."""
    index = text.line_at(label_end)
    line = text.lines[index]
    after = [e for e in line.words_after(label_end) if e[1] > label_end]
    if after:
        value = normalise(" ".join(e[2].text for e in after).lstrip(":. "))
        if value not in (None, ""):
            return Found(value, after[0][0], after[-1][1], certainty)
    if next_line and index + 1 < len(text.lines) and text.lines[index + 1].page == line.page:
        following = text.lines[index + 1]
        first = groups(following)[0] if following.words else []
        if first:
            value = normalise(group_text(first))
            if value not in (None, ""):
                return Found(value, first[0][0], first[-1][1], certainty * 0.95)
    return None
