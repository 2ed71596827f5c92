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
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from schemas.documents import (
    CERTIFICATE_FIELDS,
    CERTIFICATE_TYPES,
    MRZ_FIELDS,
    MRZ_TYPES,
    NOTICE_FIELDS,
    DocumentType,
    ExtractedDocument,
)
from schemas.errors import DachError

log = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).resolve().parent / "models" / "field-review-v1.json"
FORMAT_VERSION = 1
TARGET_SILENT = 0.004  # in-sample, under the product target of 0.5 %; the floors (below) guard families never seen
CALIBRATED_NOTE = "review (calibrated):"
# Identity fields that must be there (optional data is empty on many documents by design).
IDENTITY_REQUIRED = tuple(f for f in MRZ_FIELDS[:10] if f != "optional_data")
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
    # the least confidence of any field and of any type, for the fields and types whose own errors the
    # tuning families never showed: chosen by leaving one tuning family out (see `fit_for_unseen`)
    floors: dict[str, float] = field(default_factory=dict)  # group -> least confidence of any of its fields
    type_floor: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION,
            "fitted_on": self.fitted_on,
            "floors": dict(sorted(self.floors.items())),
            "type_floor": self.type_floor,
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
            floors={str(k): float(v) for k, v in data.get("floors", {}).items()},
            type_floor=float(data.get("type_floor", 0.0)),
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
    least = max(model.type_floor, model.type_min.get(doc_type, 0.0))
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
        floor = model.floors.get(group, MIN_FIELD_CONFIDENCE)
        threshold = max(MIN_FIELD_CONFIDENCE, floor, model.field_min.get(f"{group}.{name}", 0.0))
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


def fit(results: Sequence[_Result], target: float = TARGET_SILENT, base: ReviewModel | None = None) -> ReviewModel:
    """Greedy thresholds: while the silent error rate on `results` is over `target`, raise the one threshold
    that removes the most silent errors per document newly sent to review (starting from `base`'s floors)."""
    model = base or ReviewModel()
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
                trial = replace(model, type_min={**model.type_min, key: max(value, model.type_min.get(key, 0.0))})
            else:
                trial = replace(model, field_min={**model.field_min, key: max(value, model.field_min.get(key, 0.0))})
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


# Floors tried by `fit_for_unseen`, loosest first: field confidences, type confidences.
FLOORS = (MIN_FIELD_CONFIDENCE, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95)
TYPE_FLOORS = (0.0, 0.6, 0.8, 0.9)
UNSEEN_GOAL = 0.004  # the silent error rate a left-out family may show: under the product's 0.5 %, with margin


def _family(result: _Result) -> str:
    return str(getattr(result, "family", ""))


def leave_one_out(
    results: Sequence[_Result], base: ReviewModel, target: float, group: str | None = None
) -> tuple[int, int, int]:
    """(silent wrong fields, all fields, documents reviewed) over the tuning families, each measured with a
    model fitted on the others only: how the calibration does on a family it has never seen. With `group`,
    only that group's documents are counted (all are fitted)."""
    wrong = total = reviewed = 0
    for name in sorted({_family(r) for r in results}):
        outside = [r for r in results if _family(r) == name and (group is None or r.group == group)]
        if not outside:
            continue
        inside = [r for r in results if _family(r) != name]
        w, t, rv = _silent(outside, fit(inside, target, base))
        wrong, total, reviewed = wrong + w, total + t, reviewed + rv
    return wrong, total, reviewed


def fit_for_unseen(results: Sequence[_Result], goal: float = UNSEEN_GOAL) -> ReviewModel:
    """The loosest floors under which the greedy fit, judged family by family on tuning families it was
    not fitted on, stays under `goal`; the model is then fitted on all of them with those floors.

    The greedy thresholds only guard the fields whose errors the tuning families showed; on a family never
    seen, other fields fail. Leaving one tuning family out measures that, and the floors (one per group of
    documents for its fields, one for every type) are raised until each group is under the goal.
    Deterministic: candidates are tried in a fixed order, and the loosest floor that reaches the goal wins."""
    best: tuple[int, ReviewModel] | None = None
    groups = sorted({r.group for r in results})
    for type_floor in TYPE_FLOORS:
        floors: dict[str, float] = {}
        for group in groups:
            # the loosest floor that reaches the goal; failing that, the loosest of those with the fewest
            # unseen errors (no floor helps against errors read with full confidence)
            fewest: tuple[int, float] | None = None
            for floor in FLOORS:
                base = ReviewModel(floors={**floors, group: floor}, type_floor=type_floor)
                wrong, total, _ = leave_one_out(results, base, TARGET_SILENT, group)
                log.info("%s floor %.2f, type floor %.2f: unseen silent %d/%d", group, floor, type_floor, wrong, total)
                if fewest is None or wrong < fewest[0]:
                    fewest = (wrong, floor)
                if total and wrong / total <= goal:
                    break  # a higher floor only sends more to review
            floors[group] = fewest[1] if fewest else FLOORS[-1]
        base = ReviewModel(floors=floors, type_floor=type_floor)
        wrong, total, reviewed = leave_one_out(results, base, TARGET_SILENT)
        if total and wrong / total <= goal and (best is None or reviewed < best[0]):
            best = (reviewed, base)
    chosen = best[1] if best else ReviewModel(floors=dict.fromkeys(groups, FLOORS[-1]), type_floor=TYPE_FLOORS[-1])
    return fit(results, TARGET_SILENT, chosen)


def fit_and_write(results: Sequence[_Result], families: Iterable[str] = (), path: Path = MODEL_PATH) -> ReviewModel:
    names = sorted(set(families) or {_family(r) for r in results})
    model = fit_for_unseen(results)
    model = replace(model, fitted_on=", ".join(names))
    part = path.with_suffix(".part")
    part.write_text(json.dumps(model.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    part.replace(path)
    wrong, total, reviewed = _silent(results, model)
    unseen = leave_one_out(results, replace(model, type_min={}, field_min={}), TARGET_SILENT)
    print(f"review model written to {path}: fitted on {len(results)} documents of {', '.join(names)}")
    floors = ", ".join(f"{g} {f:.2f}" for g, f in sorted(model.floors.items()))
    print(f"  floors: {floors}; type {model.type_floor:.2f}")
    print(f"  on those: silent {wrong}/{total} fields, {reviewed}/{len(results)} documents reviewed")
    print(
        f"  each family left out of the fit: silent {unseen[0]}/{unseen[1]} fields, "
        f"{unseen[2]}/{len(results)} documents reviewed"
    )
    shipped_review_model.cache_clear()
    return model
