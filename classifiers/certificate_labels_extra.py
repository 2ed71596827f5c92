"""Certificate labels the field and key-value tables lack (issue 17), as a registered, versioned spaCy
component (`dach_certificate_extra_labels_v1`, label table `dach.certificate_extra_labels.v1`): whole-name
labels of holders, pupils and graduates (`ФИО`, `ПІБ`, `Name of student`), places and offices of issue, and
`Date:`/`Datum:` alone. A label counts only where it starts its line or column, so `Registry Office` inside
`Civil Registry Office of Basra` is no label. Used by `classifiers.certificate_prose` for missing fields only.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from spacy.language import Language
from spacy.util import registry

from classifiers.extract import Found
from classifiers.fields import LabelMarker, label_spans, label_text
from classifiers.geometry import value_near
from classifiers.label_tables import EXTRA_LABELS
from classifiers.roles import holder_labels
from classifiers.text import DocumentText

CERTAINTY = 0.7  # as the other readings of `classifiers.certificate_prose`

EXTRA_LABELS_FACTORY = "dach_certificate_extra_labels_v1"
FAMILY = "cx"


@registry.misc("dach.certificate_extra_labels.v1")
def certificate_extra_labels() -> Mapping[str, Sequence[str]]:
    """Version 1 of the extra certificate label table."""
    return EXTRA_LABELS


@Language.factory(
    EXTRA_LABELS_FACTORY,
    default_config={"labels": {"@misc": "dach.certificate_extra_labels.v1"}, "case_sensitive": False},
)
def make_extra_labels(
    nlp: Language, name: str, labels: Mapping[str, Sequence[str]], case_sensitive: bool
) -> LabelMarker:
    """Certificate labels the field and key-value tables lack, in seven languages."""
    return LabelMarker(nlp, FAMILY, labels, case_sensitive)


@cache
def _pipeline() -> Language:
    import spacy

    nlp = spacy.blank("de")
    nlp.add_pipe(EXTRA_LABELS_FACTORY)
    return nlp


_COLUMN_GAP = 0.06  # a label starts its line or its column: the word before it is this far away at least
# Words that carry a body's name on past a label's word (`Meldebehörde der Stadt Zeitz`, `Registry Office of Homs`):
# the label's word is then the first word of a name, not a label.
_NAME_GOES_ON = frozenset({"der", "des", "of"})


def extra_label_spans(text: DocumentText) -> dict[str, list[Any]]:
    """The extra labels of a document's text, by field."""
    return holder_labels(text, label_spans(_pipeline()(label_text(text.text)), FAMILY))


def labelled(text: DocumentText, field: str, spans: Mapping[str, Sequence[Any]]) -> Found | None:
    """The value by geometry of the first extra label of `field` that has one."""
    from classifiers.certificate import NORMALISERS, is_label

    for span in spans.get(field, []):
        line = text.lines[text.line_at(span.start_char)]
        before = [e for e in line.words if e[1] <= span.start_char]
        first = next((e for e in line.words if e[0] >= span.start_char), None)
        if before and first and first[2].bbox.x0 - before[-1][2].bbox.x1 <= _COLUMN_GAP:
            continue  # words of a sentence or a longer line (`Civil Registry Office of …`), not a label
        after = next((e for e in line.words if e[0] >= span.end_char), None)
        if after and after[2].text in _NAME_GOES_ON:
            continue  # `Meldebehörde der Stadt Weißenfels`: a letterhead's name, not `Meldebehörde: der Stadt …`
        rtl = bool(re.search(r"[\u0600-\u06ff]", span.text))
        normalise = NORMALISERS[field]
        found = value_near(
            text, span.start_char, span.end_char, normalise, is_label, rtl=rtl, certainty=CERTAINTY, caption_under=True
        )
        if found is not None:
            return found
    return None
