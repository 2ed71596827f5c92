"""A learned confidence per field: how likely a value read off a page is right (issue 17, "never silently wrong").

The extractors give a field the certainty of the rule that read it, lowered by the OCR confidence of its
words: a handful of fixed numbers that barely tell a right value from a wrong one. This module describes each
field by what a reader would weigh — the reading's source and certainty, the OCR confidence of its own words,
whether a label for that field stands left of it or above it, whether the value has the shape its field
needs (a plausible date, a number, a name in one script), whether it is printed twice (two readings that
agree: a value repeated, the visual zone agreeing with the MRZ), how sure the type is — and a small logistic
model, fitted on the tuning layout families (`classifiers.review.fit_and_write`), turns that into the
probability that the value is right. `classifiers.review` sends a document to review unless every field's
probability clears the threshold calibrated for its group.

Features are computed from the document and its pages only (no extractor internals), so an extractor can
change how it reads a field without breaking them; the model is then refitted with the one command in
`classifiers/review.py`.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

from classifiers.lexicon import fold
from classifiers.value_shapes import FEATURES as SHAPE_FEATURES
from classifiers.value_shapes import shape_doubts
from schemas.documents import (
    CERTIFICATE_FIELDS,
    MRZ_FIELDS,
    NOTICE_FIELDS,
    BBox,
    ExtractedDocument,
    ExtractedField,
    PageText,
    TextSource,
    Word,
)

# The fields a model scores, per group: the contract fields (identity without the zone itself).
SCORED = {"notice": NOTICE_FIELDS, "certificate": CERTIFICATE_FIELDS, "identity": MRZ_FIELDS[:10]}
_DATES = frozenset({"birth_date", "issue_date", "notice_date", "period_start", "period_end", "expiry_date"})
_NAMES = frozenset({"person_name", "recipient_name", "surname", "given_names"})
_NUMBERS = frozenset({"certificate_number", "file_number", "document_number"})
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_AMOUNT = re.compile(r"^\d{1,7}(?:[.,]\d{2})?$")
_LATIN = re.compile(r"[A-Za-zÀ-ɏ]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’\-]*$")
_SQUEEZE = re.compile(r"[\W_]+")
_ARTEFACT = re.compile(r"ii(?=[bcdfghjklmnpqrstwxz])|[^\W\d_]\d|\d[^\W\d_]")
# Cumulative confidence steps: a rule's certainty lands on one of a few values, and a model linear in the
# confidence alone cannot tell 0.95 from 0.9 apart from 0.9 from 0.5. Each step is 1 at and above its value.
CONFIDENCE_STEPS = (0.5, 0.7, 0.8, 0.85, 0.9, 0.95)

# Features whose weight may only be >= 0: more of them never makes a value less likely right. Fitting keeps
# these weights non-negative, so the model cannot learn that a better OCR reading is a worse one.
MONOTONE = (
    "confidence",
    *(f"confidence>={s}" for s in CONFIDENCE_STEPS),
    "ocr_mean",
    "ocr_min",
    "label_left",
    "label_above",
    "shape_ok",
    "repeated",
    "viz_agrees",
    "checks_ok",
    "type_confidence",
    "quality",
)
# The extractor's own confidence and its steps: every field has them, and they alone tell a rule's sure
# reading from its guess. Their ridge penalty is this share of the others': a strong penalty on the rest
# (one bias per field, the secondary features) keeps a field's base rate from vouching for a value read
# with low confidence, which a penalty alike for all let happen (a birth date read at 0.55 from poor words
# scored 0.99, because birth dates are mostly right).
CONFIDENCE_FEATURES = ("confidence", *(f"confidence>={s}" for s in CONFIDENCE_STEPS))
CONFIDENCE_PENALTY_SHARE = 0.001
GENERIC = (
    *MONOTONE,
    "no_box",
    "source_mrz",
    "source_viz",
    "source_text_layer",
    "log_length",
    "digit_share",
    "mixed_script",
    "non_latin",
    "same_as_other",
    "viz_mismatch",
    "doubts",
    "missing_share",
    "label_words",
    "lower_initial",
    "repeated_word",
    "latin_twin",
    "ocr_artefact",
    *SHAPE_FEATURES,
)


def feature_names() -> tuple[str, ...]:
    """Every feature, in the fixed order of the model's weights: the generic ones, then one per field."""
    per_field = tuple(f"field:{group}.{name}" for group, names in sorted(SCORED.items()) for name in names)
    return (*GENERIC, *per_field)


@cache
def _label_pattern(name: str) -> re.Pattern[str] | None:
    """Any label that names field `name` (all label tables), folded, lower case and without punctuation."""
    from classifiers.label_tables import CERTIFICATE_LABELS, KEY_VALUE_LABELS, NOTICE_LABELS

    aliases = {"surname": "person_name", "given_names": "person_name", "date_of_birth": "birth_date"}
    labels: set[str] = set()
    for table in (NOTICE_LABELS, CERTIFICATE_LABELS, KEY_VALUE_LABELS):
        for label in table.get(name, ()) or table.get(aliases.get(name, ""), ()):
            squeezed = _squeeze(label)
            if len(squeezed) >= 3:  # `An`, `Az` match inside any word
                labels.add(squeezed)
    if not labels:
        return None
    return re.compile("|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True)))


@cache
def _label_words() -> frozenset[str]:
    """Every word of four letters or more of any label: a value made of them is a label read as a value."""
    from classifiers.label_tables import CERTIFICATE_LABELS, KEY_VALUE_LABELS, NOTICE_LABELS

    words = {
        _squeeze(word)
        for table in (NOTICE_LABELS, CERTIFICATE_LABELS, KEY_VALUE_LABELS)
        for labels in table.values()
        for label in labels
        for word in label.split()
    }
    return frozenset(w for w in words if len(w) >= 4)


def _shape_doubts(name: str, text: str, squeezed_text: str) -> dict[str, float]:
    """Signs a value was misread: label words in it, a proper noun in lower case (`izmir`: OCR lost the dot
    of an `İ`), a word printed twice, a name in Cyrillic whose Latin transliteration the page also prints."""
    from classifiers.translit import icao_transliterate

    words = [w for w in _SQUEEZE.split(text) if w]
    out: dict[str, float] = {}
    if words:
        out["label_words"] = sum(1 for w in words if _squeeze(w) in _label_words()) / len(words)
    if name not in _NUMBERS and name not in _DATES:
        # `Biirgergeld` (ü read as ii), `Kyi7v`: letters OCR made of one, a digit inside a word
        out["ocr_artefact"] = float(any(_ARTEFACT.search(w) for w in words))
    if name in _NAMES or name == "birth_place":
        # particles (`von`, `al`, `de`) are lower case by right
        out["lower_initial"] = float(any(w[0].islower() for w in words if len(w) > 3))
        folded = [w.casefold() for w in words]
        out["repeated_word"] = float(len(set(folded)) < len(folded))
        if _CYRILLIC.search(text):
            twin = _squeeze(icao_transliterate(text))
            out["latin_twin"] = float(len(twin) >= 3 and twin in squeezed_text)
    return out


def _squeeze(text: str) -> str:
    return _SQUEEZE.sub("", fold(text).lower())


def _script_counts(text: str) -> tuple[int, int, int]:
    return len(_LATIN.findall(text)), len(_CYRILLIC.findall(text)), len(_ARABIC.findall(text))


def _plausible_date(name: str, value: str) -> bool:
    match = _ISO.match(value)
    if not match:
        return False
    try:
        day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return False
    if name == "birth_date":
        return 1900 <= day.year <= 2026
    if name == "expiry_date":
        return 1990 <= day.year <= 2045
    return 1950 <= day.year <= 2030


def shape_ok(name: str, value: object) -> bool:
    """Whether a value has the shape its field needs: a real date in a plausible year, a number with digits,
    a name of name-like words in one script, an amount in euro format."""
    if isinstance(value, bool):
        return True
    if not isinstance(value, str) or not value.strip():
        return False
    text = value.strip()
    if name in _DATES:
        return _plausible_date(name, text)
    if name in _NUMBERS:
        digits = sum(c.isdigit() for c in text)
        return digits >= 3 and len(text) <= 30
    if name == "amount_eur":
        return bool(_AMOUNT.match(text.replace(" ", "")))
    scripts = sum(1 for n in _script_counts(text) if n)
    if name in _NAMES:
        words = text.replace(",", " ").split()
        return 1 <= len(words) <= 6 and scripts <= 1 and all(_NAME_WORD.match(w) for w in words)
    if name in ("birth_place", "issuing_authority", "authority", "subject"):
        return scripts <= 1 and not any(c.isdigit() for c in text) and 2 <= len(text) <= 120
    return True


@dataclass(frozen=True)
class DocumentContext:
    """What every field's features read from one document: its pages' words and its text, folded."""

    document: ExtractedDocument
    words: Mapping[int, Sequence[Word]]
    squeezed_text: str
    quality: float

    @classmethod
    def of(cls, document: ExtractedDocument, pages: Sequence[PageText]) -> DocumentContext:
        own = [p for p in pages if p.page in document.pages] or list(pages)
        confidences = [w.confidence for p in own for w in p.words]
        quality = sum(confidences) / len(confidences) if confidences else 0.0
        text = "\n".join(p.text for p in own)
        return cls(document, {p.page: p.words for p in own}, _squeeze(text), quality)


def _inside(word: Word, box: BBox) -> bool:
    cx, cy = (word.bbox.x0 + word.bbox.x1) / 2, (word.bbox.y0 + word.bbox.y1) / 2
    return box.x0 <= cx <= box.x1 and box.y0 <= cy <= box.y1


def _label_near(words: Sequence[Word], box: BBox, pattern: re.Pattern[str] | None) -> tuple[bool, bool]:
    """(a label of the field on the value's row to its left, a label on the rows just above it)."""
    if pattern is None:
        return False, False
    height = max(box.y1 - box.y0, 0.005)
    middle = (box.y0 + box.y1) / 2
    left = [w for w in words if w.bbox.x1 <= box.x0 + 0.005 and abs((w.bbox.y0 + w.bbox.y1) / 2 - middle) < height]
    above = [
        w
        for w in words
        if box.y0 - 3 * height <= w.bbox.y1 <= box.y0 + 0.2 * height
        and w.bbox.x0 < box.x1 + 0.05
        and w.bbox.x1 > box.x0 - 0.3
    ]
    found_left = bool(pattern.search(_squeeze("".join(w.text for w in sorted(left, key=lambda w: w.bbox.x0)))))
    above_text = "".join(w.text for w in sorted(above, key=lambda w: (round(w.bbox.y0, 2), w.bbox.x0)))
    return found_left, bool(pattern.search(_squeeze(above_text)))


def field_features(context: DocumentContext, group: str, name: str, extracted: ExtractedField) -> dict[str, float]:
    """The features of one field of a document (see the module docstring); absent features are 0."""
    document = context.document
    value = extracted.value
    text = value if isinstance(value, str) else ("" if value is None else str(value))
    confidence = float(extracted.confidence)
    out: dict[str, float] = {
        "confidence": confidence,
        **{f"confidence>={s}": float(confidence >= s - 1e-9) for s in CONFIDENCE_STEPS},
        f"field:{group}.{name}": 1.0,
        "type_confidence": float(document.confidence),
        "quality": context.quality,
        "shape_ok": float(shape_ok(name, value)),
        "log_length": math.log1p(len(text)),
        "doubts": float(document.review or bool(document.notes)),
    }
    if extracted.source is TextSource.MRZ:
        out["source_mrz"] = 1.0
    elif extracted.source is TextSource.VIZ:
        out["source_viz"] = 1.0
    elif extracted.source is TextSource.TEXT_LAYER:
        out["source_text_layer"] = 1.0
    if text:
        out["digit_share"] = sum(c.isdigit() for c in text) / len(text)
        latin, cyrillic, arabic = _script_counts(text)
        out["mixed_script"] = float(sum(1 for n in (latin, cyrillic, arabic) if n) > 1)
        out["non_latin"] = float(cyrillic + arabic > latin)
        squeezed = _squeeze(text)
        if len(squeezed) >= 3:
            out["repeated"] = float(context.squeezed_text.count(squeezed) >= 2)
        out.update(_shape_doubts(name, text, context.squeezed_text))
        out["same_as_other"] = float(
            any(other.value == value for other_name, other in document.fields.items() if other_name != name)
        )
    words = context.words.get(extracted.page or 0, ())
    if extracted.bbox is None or not words:
        out["no_box"] = 1.0
        out["ocr_mean"] = out["ocr_min"] = confidence
    else:
        inside = [w.confidence for w in words if _inside(w, extracted.bbox)]
        out["ocr_mean"] = sum(inside) / len(inside) if inside else confidence
        out["ocr_min"] = min(inside) if inside else confidence
        left, above = _label_near(words, extracted.bbox, _label_pattern(name))
        out["label_left"], out["label_above"] = float(left), float(above)
    if text:
        out.update(shape_doubts(name, text, extracted.bbox, words))
    if group == "identity":
        out["checks_ok"] = float(bool(document.checks) and all((document.checks or {}).values()))
        out["viz_mismatch"] = float(name in document.viz_mismatches)
        printed = [r for r in document.readings.get(name, ()) if r.source is TextSource.VIZ]
        out["viz_agrees"] = float(any(_agree(r.value, value) for r in printed))
    required = SCORED.get(group, ())
    if required:
        missing = sum(1 for n in required if document.fields.get(n) is None or document.fields[n].value in (None, ""))
        out["missing_share"] = missing / len(required)
    return out


def _agree(printed: object, value: object) -> bool:
    if not isinstance(printed, str) or not isinstance(value, str):
        return printed == value
    return _squeeze(unicodedata.normalize("NFC", printed)) == _squeeze(value)


def document_features(
    document: ExtractedDocument, group: str, pages: Sequence[PageText]
) -> dict[str, dict[str, float]]:
    """The features of every scored field the document has, by field name."""
    context = DocumentContext.of(document, pages)
    return {
        name: field_features(context, group, name, document.fields[name])
        for name in SCORED.get(group, ())
        if name in document.fields and document.fields[name].value not in (None, "")
    }


@dataclass(frozen=True)
class FieldModel:
    """Logistic regression over `feature_names()`: P(value right) = sigmoid(bias + sum weight * feature)."""

    weights: Mapping[str, float]
    bias: float

    def probability(self, features: Mapping[str, float]) -> float:
        score = self.bias + sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        if score < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-score))


def fit_logistic(
    rows: Sequence[Mapping[str, float]], labels: Sequence[bool], l2: float = 1.0, iterations: int = 60
) -> FieldModel:
    """L2-regularised logistic regression by projected Newton steps, with the `MONOTONE` weights kept >= 0 and
    the `CONFIDENCE_FEATURES` penalised by `CONFIDENCE_PENALTY_SHARE` of `l2` only. Deterministic (no random
    start, no shuffling), numpy only: the shipped rooms need nothing more."""
    import numpy as np

    names = feature_names()
    index = {n: i for i, n in enumerate(names)}
    x = np.zeros((len(rows), len(names) + 1))
    x[:, -1] = 1.0  # the bias, not regularised
    for r, row in enumerate(rows):
        for name, value in row.items():
            if name in index:
                x[r, index[name]] = value
    y = np.asarray(labels, dtype=float)
    penalty = np.full(len(names) + 1, l2)
    penalty[-1] = 0.0
    for name in CONFIDENCE_FEATURES:
        penalty[index[name]] = l2 * CONFIDENCE_PENALTY_SHARE
    lower = np.full(len(names) + 1, -np.inf)
    for name in MONOTONE:
        lower[index[name]] = 0.0
    w = np.zeros(len(names) + 1)

    def loss(weights: np.ndarray) -> float:
        z = x @ weights
        return float(np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * np.sum(penalty * weights**2))

    current = loss(w)
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-6)
        # a weight held at its bound that the gradient pushes further out stays there (active set): the
        # Newton step is taken over the others, so the projection cannot undo it
        free = ~((w <= lower) & (gradient > 0))
        step = np.zeros_like(w)
        step[free] = np.linalg.solve(hessian[np.ix_(free, free)], gradient[free])
        size = 1.0
        while size > 1e-4:
            trial = np.maximum(w - size * step, lower)
            trial_loss = loss(trial)
            if trial_loss < current - 1e-9:
                break
            size /= 2
        else:
            break
        w, current = trial, trial_loss
    weights = {n: round(float(w[i]), 6) for n, i in index.items() if abs(w[i]) > 1e-9}
    return FieldModel(weights=weights, bias=round(float(w[-1]), 6))
