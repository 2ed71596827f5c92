"""The calibrated review (issue 17): a document is review:false only when every field is certain."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from classifiers.review import (
    FLOORS,
    ReviewModel,
    ReviewModelError,
    calibrated,
    fit,
    fit_and_write,
    fit_for_unseen,
)
from schemas.documents import CERTIFICATE_FIELDS, DocumentType, ExtractedDocument, ExtractedField

VALUES = {
    "person_name": "Olena Shevchenko",
    "birth_date": "1990-03-12",
    "birth_place": "Kyiv",
    "issue_date": "2010-05-01",
    "issuing_authority": "Standesamt Kyiv",
    "certificate_number": "I-АВ 123456",
}


def certificate(confidence: float = 0.95, missing: str = "") -> ExtractedDocument:
    fields = {n: ExtractedField(value=v, confidence=confidence) for n, v in VALUES.items() if n != missing}
    return ExtractedDocument(type=DocumentType.BIRTH_CERTIFICATE, pages=(1,), confidence=0.99, fields=fields)


def test_every_field_certain_is_not_review() -> None:
    assert not calibrated(certificate(), ReviewModel()).review


def test_a_missing_field_is_review() -> None:
    doc = calibrated(certificate(missing="certificate_number"), ReviewModel())
    assert doc.review and any("certificate_number not found" in n for n in doc.notes)


def test_a_field_under_its_calibrated_threshold_is_review() -> None:
    model = ReviewModel(field_min={"certificate.birth_place": 0.97})
    doc = calibrated(certificate(0.95), model)
    assert doc.review and any("birth_place not certain" in n for n in doc.notes)
    assert calibrated(certificate(0.4), ReviewModel()).review  # under the floor whatever the model says


def test_low_type_margin_and_other_are_review() -> None:
    model = ReviewModel(type_min={"birth_certificate": 0.995})
    assert calibrated(certificate(), model).review
    other = ExtractedDocument(type=DocumentType.OTHER, pages=(1,), confidence=1.0)
    assert calibrated(other, ReviewModel()).review


@dataclass
class Result:
    family: str
    group: str
    truth_type: str
    got_type: str
    review: bool
    type_confidence: float
    fields: list[dict[str, Any]]
    got_fields: dict[str, tuple[Any, float | None]] = field(default_factory=dict)


def result(wrong_confidence: float | None, family: str = "tune", wrong_field: str = "birth_place") -> Result:
    """A certificate whose `wrong_field` is wrong at `wrong_confidence` (None: every field right at 0.95)."""
    cells: list[dict[str, Any]] = []
    for name in CERTIFICATE_FIELDS:
        wrong = wrong_confidence is not None and name == wrong_field
        confidence = wrong_confidence if wrong else 0.95
        cells.append({"name": name, "got": "x", "confidence": confidence, "right": not wrong})
    got = {c["name"]: (c["got"], c["confidence"]) for c in cells}
    return Result(family, "certificate", "birth_certificate", "birth_certificate", False, 0.99, cells, got)


def test_fit_raises_the_threshold_that_removes_silent_errors() -> None:
    results = [result(None) for _ in range(20)] + [result(0.7) for _ in range(3)]
    model = fit(results, target=0.0)
    assert model.field_min["certificate.birth_place"] > 0.7
    # the right documents stay out of review
    assert not calibrated(certificate(0.95), model).review


def test_model_file_round_trip_and_version(tmp_path: Path) -> None:
    path = tmp_path / "review.json"
    fit_and_write([result(None), result(0.7)], ["tune"], path=path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert ReviewModel.from_json(data) == ReviewModel.from_json(json.loads(json.dumps(data)))
    assert ReviewModel.from_json(data).floors["certificate"] > 0.7  # the one family's error needs a floor
    with pytest.raises(ReviewModelError):
        ReviewModel.from_json({**data, "format_version": 99})


def test_a_field_that_errs_only_in_one_family_raises_the_floor_for_unseen_families() -> None:
    """Regression (issue 17): thresholds fitted only where the tuning families erred left every other field
    unguarded on families never seen; leaving one family out shows that and raises the floor."""
    results = []
    for family, field_name in (("a", "birth_place"), ("b", "issue_date"), ("c", "person_name")):
        results += [result(None, family) for _ in range(10)] + [result(0.8, family, field_name) for _ in range(2)]
    model = fit_for_unseen(results)
    assert model.floors["certificate"] > 0.8
    assert not calibrated(certificate(0.95), model).review


def test_right_documents_keep_the_loosest_floor() -> None:
    results = [result(None, family) for family in ("a", "b", "c") for _ in range(10)]
    assert fit_for_unseen(results).floors["certificate"] == FLOORS[0]
