"""Registered, versioned spaCy components that find where notice and certificate fields are stated.

`dach_notice_fields_v1` and `dach_certificate_fields_v1` (label tables `dach.notice_labels.v1` and
`dach.certificate_labels.v1` in spaCy's function registry) are PhraseMatchers over the labels clerks read
("Aktenzeichen", "Geschäftszeichen", "Az.", "geboren am", "Дата народження", ...). They mark each label as a
span in `doc.spans["dach_labels"]` whose label is the field name; `classifiers/extract.py` reads the value
after the label and validates it. The label lists live with every other label table in
`classifiers/label_tables.py`; they are part of the component version: changing them means a new `v2` factory
and table, so a saved pipeline always runs with the lists it was built with.

spaCy validates a factory's config against its signature, so an unknown config key fails at load time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans, registry

from classifiers.label_tables import CERTIFICATE_LABELS, NOTICE_LABELS
from classifiers.lexicon import fold

SPAN_KEY = "dach_labels"
# spaCy forbids "." in factory names, so the factories carry their version as a suffix; the label tables
# they use are registered functions with the dotted, versioned names spaCy uses for architectures.
NOTICE_FIELDS_FACTORY = "dach_notice_fields_v1"
CERTIFICATE_FIELDS_FACTORY = "dach_certificate_fields_v1"

# Persian and Arabic letter forms that OCR with ara+fas uses interchangeably.
ARABIC_FOLD = str.maketrans({"ی": "ي", "ى": "ي", "ک": "ك", "ە": "ه", "ۀ": "ه", "أ": "ا", "إ": "ا", "آ": "ا"})


def label_variants(phrase: str) -> set[str]:
    """A label as printed, without its diacritics (`Dogum Tarihi`), and in Arabic letter forms; an Arabic or
    Persian label also with its words in the opposite order, as OCR gives a right-to-left line it took for a
    left-to-right one (`الولادة مكان` for `مكان الولادة`)."""
    variants = {phrase, fold(phrase), phrase.translate(ARABIC_FOLD)}
    if _TURKISH_I.search(phrase):
        # Turkish capitals: `DOĞUM YERİ` lower-cases to `doğum yeri̇` (a combining dot), never to `doğum yeri`
        variants.add(phrase.replace("i", "İ").replace("ı", "I").upper())
    if _ARABIC_LETTER.search(phrase) and " " in phrase.strip():
        variants |= {" ".join(reversed(v.split())) for v in variants}
    return variants


_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")
# A Latin label with a small i that a Turkish document would print as a capital İ.
_TURKISH_I = re.compile(r"^(?=.*i)[A-Za-zÇĞİÖŞÜçğıöşü .,'’/()-]+$")


_LATIN_TOKEN = re.compile(r"^[A-Za-zÀ-ɏ'’.,:/()-]+$")


def folded_norms(doc: Doc) -> Doc:
    """`doc` with each Latin token's norm its lower case without diacritics: a label matches whether OCR kept its
    marks, lost them (`Dogum Tarihi`) or added some (`Döğüm Yeri`, `Ausstellungsbehorde`). Other scripts keep
    their lower case: folding would merge Cyrillic letters (`й`, `и`) that tell words apart."""
    for token in doc:
        lower = token.lower_
        token.norm_ = fold(lower) if _LATIN_TOKEN.match(lower) else lower
    return doc


def _phrase_matcher(nlp: Language, labels: Mapping[str, Sequence[str]], case_sensitive: bool) -> PhraseMatcher:
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH" if case_sensitive else "NORM")
    for field, phrases in labels.items():
        variants = sorted({v for p in phrases for v in label_variants(p)})
        matcher.add(field, [nlp.make_doc(v) if case_sensitive else folded_norms(nlp.make_doc(v)) for v in variants])
    return matcher


class LabelMarker:
    """Marks every label of its table as a span named after the field it introduces."""

    def __init__(self, nlp: Language, family: str, labels: Mapping[str, Sequence[str]], case_sensitive: bool) -> None:
        self.family = family
        self.matcher = _phrase_matcher(nlp, labels, case_sensitive)
        self.case_sensitive = case_sensitive
        self.vocab = nlp.vocab

    def __call__(self, doc: Doc) -> Doc:
        if not self.case_sensitive:
            folded_norms(doc)
        spans = list(doc.spans[SPAN_KEY]) if SPAN_KEY in doc.spans else []
        found = [
            Span(doc, start, end, label=f"{self.family}:{self.vocab.strings[match_id]}")
            for match_id, start, end in self.matcher(doc)
        ]
        # "Name, Vorname" is one label, not "Name" followed by a value ", Vorname": keep the longest.
        doc.spans[SPAN_KEY] = spans + filter_spans(found)
        return doc

    # Nothing to save: the label tables are code, versioned with the factory name.
    def to_disk(self, path: Any, *, exclude: Any = ()) -> None:
        return None

    def from_disk(self, path: Any, *, exclude: Any = ()) -> LabelMarker:
        return self


@registry.misc("dach.notice_labels.v1")
def notice_labels() -> Mapping[str, Sequence[str]]:
    """Version 1 of the notice label table."""
    return NOTICE_LABELS


@registry.misc("dach.certificate_labels.v1")
def certificate_labels() -> Mapping[str, Sequence[str]]:
    """Version 1 of the certificate label table."""
    return CERTIFICATE_LABELS


@Language.factory(
    NOTICE_FIELDS_FACTORY,
    default_config={"labels": {"@misc": "dach.notice_labels.v1"}, "case_sensitive": False},
)
def make_notice_fields(
    nlp: Language, name: str, labels: Mapping[str, Sequence[str]], case_sensitive: bool
) -> LabelMarker:
    """Labels of notice (Bescheid) fields: Aktenzeichen variants, Datum, Betreff, Betrag, Zeitraum, §§."""
    return LabelMarker(nlp, "notice", labels, case_sensitive)


@Language.factory(
    CERTIFICATE_FIELDS_FACTORY,
    default_config={"labels": {"@misc": "dach.certificate_labels.v1"}, "case_sensitive": False},
)
def make_certificate_fields(
    nlp: Language, name: str, labels: Mapping[str, Sequence[str]], case_sensitive: bool
) -> LabelMarker:
    """Labels of certificate fields in German, English, Ukrainian, Russian, Arabic, Turkish and Persian."""
    return LabelMarker(nlp, "certificate", labels, case_sensitive)


_DIRECTION_MARKS = str.maketrans({mark: " " for mark in "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\ufeff"})


def label_text(text: str) -> str:
    """A document's text for label matching: OCR glues invisible direction marks to words of a bilingual
    line (`Surname\u200f`), which then match no label; each mark becomes a space, so every character keeps
    its offset and the spans still index the document text."""
    return text.translate(_DIRECTION_MARKS)


def label_spans(doc: Doc, family: str) -> dict[str, list[Span]]:
    """The label spans one component found, by field name, in reading order."""
    out: dict[str, list[Span]] = {}
    for span in doc.spans.get(SPAN_KEY, []):
        fam, _, field = span.label_.partition(":")
        if fam == family:
            out.setdefault(field, []).append(span)
    for spans in out.values():
        spans.sort(key=lambda s: s.start_char)
    return out
