"""Never silently wrong: the calibrated review decision (issue 17).

A document goes into the record without a clerk's look (`review: false`) only when every field is certain:
its type read with a margin the calibration trusts, every field of its type present, and every field's
confidence at or above the threshold calibrated for that field. Anything less is review, with a note per
reason.

The thresholds are fitted on layout families that no reported figure is measured on (the `TUNE` families of
`lab.samples.families`, tuning seeds), so that on families never seen the share of wrong fields among
documents not sent to review stays under the target (0.5 % of all fields). The model is a small versioned
JSON file shipped in `classifiers/models/`; reproduce it with

    python -m tests.benchmarks.generalisation --calibrate
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from schemas.documents import (
    CERTIFICATE_FIELDS,
    CERTIFICATE_TYPES,
    MRZ_TYPES,
    NOTICE_FIELDS,
    DocumentType,
    ExtractedDocument,
)
from schemas.errors import DachError

log = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).resolve().parent / "models" / "field-review-v1.json"
FORMAT_VERSION = 1
TARGET_SILENT = 0.002  # fitted below the product target of 0.5 % to leave room for families never seen
CALIBRATED_NOTE = "review (calibrated):"
# Identity fields that must be there (optional data is empty on many documents by design).
IDENTITY_REQUIRED = (
    "document_code",
    "issuing_state",
    "surname",
    "given_names",
    "document_number",
    "nationality",
    "birth_date",
    "sex",
    "expiry_date",
)
REQUIRED = {"notice": NOTICE_FIELDS, "certificate": CERTIFICATE_FIELDS, "identity": IDENTITY_REQUIRED}
MIN_FIELD_CONFIDENCE = 0.5  # the floor below which a field is never certain, whatever the calibration says
# `other` is what no type fits: a certificate or notice misread as other carries none of its fields, so a
# document filed as other is never certain, whatever its confidence (the "misread type at 1.00").
NEVER_CERTAIN_TYPES = frozenset({"other"})


class ReviewModelError(DachError):
    code = "review_model_invalid"


@dataclass(frozen=True)
class ReviewModel:
    """Calibrated thresholds: the least type confidence per predicted type, the least field confidence per
    `group.field`."""

    type_min: dict[str, float] = field(default_factory=dict)
    field_min: dict[str, float] = field(default_factory=dict)
    fitted_on: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION,
            "fitted_on": self.fitted_on,
            "type_min": dict(sorted(self.type_min.items())),
            "field_min": dict(sorted(self.field_min.items())),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReviewModel:
        if data.get("format_version") != FORMAT_VERSION:
            raise ReviewModelError(
                f"the review model has format {data.get('format_version')}, this dach reads {FORMAT_VERSION}; "
                "refit it with `python -m tests.benchmarks.generalisation --calibrate`."
            )
        return cls(
            type_min={str(k): float(v) for k, v in data["type_min"].items()},
            field_min={str(k): float(v) for k, v in data["field_min"].items()},
            fitted_on=str(data.get("fitted_on", "")),
        )


@cache
def shipped_review_model() -> ReviewModel:
    if not MODEL_PATH.is_file():
        log.warning("no calibrated review model at %s: missing and unsure fields still send to review", MODEL_PATH)
        return ReviewModel()
    return ReviewModel.from_json(json.loads(MODEL_PATH.read_text(encoding="utf-8")))


def group_of(doc_type: DocumentType | str) -> str | None:
    doc_type = DocumentType(doc_type)
    if doc_type is DocumentType.NOTICE:
        return "notice"
    if doc_type in CERTIFICATE_TYPES:
        return "certificate"
    if doc_type in MRZ_TYPES:
        return "identity"
    return None


def reasons(
    doc_type: str,
    type_confidence: float,
    fields: Mapping[str, tuple[Any, float | None]],
    model: ReviewModel,
) -> list[str]:
    """Why a document of this type, with these (value, confidence) fields, is not certain; [] if it is."""
    out = []
    if doc_type in NEVER_CERTAIN_TYPES:
        out.append(f"filed as {doc_type}: please confirm the type")
    least = model.type_min.get(doc_type, 0.0)
    if type_confidence < least:
        out.append(f"type {doc_type} read with a low margin ({type_confidence:.2f} < {least:.2f}); please confirm it")
    group = group_of(doc_type)
    if group is None:
        return out
    for name in REQUIRED[group]:
        value, confidence = fields.get(name, (None, None))
        if value in (None, "") or confidence is None:
            out.append(f"{name} not found; please enter it")
            continue
        threshold = max(MIN_FIELD_CONFIDENCE, model.field_min.get(f"{group}.{name}", 0.0))
        if confidence < threshold:
            out.append(f"{name} not certain enough ({confidence:.2f} < {threshold:.2f}); please check it")
    return out


def calibrated(document: ExtractedDocument, model: ReviewModel | None = None) -> ExtractedDocument:
    """The document with review set unless every field is certain (and a note for each reason)."""
    model = model or shipped_review_model()
    fields = {name: (f.value, f.confidence) for name, f in document.fields.items()}
    found = reasons(document.type.value, document.confidence, fields, model)
    # An identity document's own notes (names the MRZ readings disagree on, an unsettled field) are doubts.
    review = document.review or bool(found) or bool(document.notes)
    if not found and review == document.review:
        return document
    notes = (*document.notes, *(f"{CALIBRATED_NOTE} {reason}" for reason in found))
    return document.model_copy(update={"review": review, "notes": notes})


class _Result(Protocol):
    group: str
    got_type: str
    review: bool
    type_confidence: float
    fields: list[dict[str, Any]]
    got_fields: dict[str, tuple[Any, float | None]]


def _reviewed(result: _Result, model: ReviewModel) -> bool:
    """Whether `calibrated` would send this benchmark document to review under `model`."""
    if result.review or result.got_type == "(missing)":
        return True
    return bool(reasons(result.got_type, result.type_confidence, result.got_fields, model))


def _truth_type(result: _Result) -> str:
    return str(getattr(result, "truth_type", result.got_type))


def _silent(results: Sequence[_Result], model: ReviewModel) -> tuple[int, int, int]:
    wrong = total = reviewed = 0
    for r in results:
        total += len(r.fields)
        if _reviewed(r, model):
            reviewed += 1
        else:
            wrong += sum(1 for f in r.fields if not f["right"])
    return wrong, total, reviewed


def fit(results: Sequence[_Result], target: float = TARGET_SILENT) -> ReviewModel:
    """Greedy thresholds: while the silent error rate on `results` is over `target`, raise the one threshold
    that removes the most silent errors per document newly sent to review."""
    model = ReviewModel()
    for _ in range(200):
        wrong, total, reviewed = _silent(results, model)
        if total == 0 or wrong / total <= target:
            break
        candidates: set[tuple[str, str, float]] = set()
        for r in results:
            if _reviewed(r, model):
                continue
            if _truth_type(r) != r.got_type:
                candidates.add(("type", r.got_type, round(r.type_confidence + 1e-4, 4)))
            group = group_of(r.got_type)
            for f in r.fields:
                if not f["right"] and f["confidence"] is not None and group == r.group:
                    candidates.add(("field", f"{group}.{f['name']}", round(float(f["confidence"]) + 1e-4, 4)))
        best: tuple[float, ReviewModel] | None = None
        for kind, key, value in candidates:
            if kind == "type":
                trial = ReviewModel({**model.type_min, key: max(value, model.type_min.get(key, 0.0))}, model.field_min)
            else:
                trial = ReviewModel(model.type_min, {**model.field_min, key: max(value, model.field_min.get(key, 0.0))})
            w, _, rv = _silent(results, trial)
            gain = (wrong - w) / max(1, rv - reviewed)
            if wrong - w > 0 and (best is None or gain > best[0]):
                best = (gain, trial)
        if best is None:
            break
        model = best[1]
    wrong, total, reviewed = _silent(results, model)
    log.info("review model: %d/%d silent errors, %d/%d documents reviewed", wrong, total, reviewed, len(results))
    return model


def fit_and_write(results: Sequence[_Result], families: Iterable[str] = (), path: Path = MODEL_PATH) -> ReviewModel:
    names = sorted(set(families) or {str(getattr(r, "family", "")) for r in results})
    model = fit(results)
    model = ReviewModel(model.type_min, model.field_min, fitted_on=", ".join(names))
    part = path.with_suffix(".part")
    part.write_text(json.dumps(model.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    part.replace(path)
    wrong, total, reviewed = _silent(results, model)
    print(f"review model written to {path}: fitted on {len(results)} documents of {', '.join(names)}")
    print(f"  on those: silent {wrong}/{total} fields, {reviewed}/{len(results)} documents reviewed")
    shipped_review_model.cache_clear()
    return model
