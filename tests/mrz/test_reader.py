"""The MRZ reader on real specimen images (read from ../shared/specimens, never copied into the repo)."""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from mrz.parse import parse_mrz
from mrz.repair import repair
from ocr.mrz import read_mrz

SPECIMENS = Path(__file__).resolve().parents[2].parent / "shared" / "specimens" / "mrz"
LABELLED = SPECIMENS / "labelled"


def test_a_page_without_mrz_gives_none() -> None:
    page = np.full((1754, 1240), 255, np.uint8)  # A4 at 150 dpi
    lines = ["Bescheid ueber Leistungen", "Sehr geehrte Frau Tkachenko,", "mit freundlichen Gruessen"]
    for row, text in enumerate(lines):
        cv2.putText(page, text, (120, 200 + 80 * row), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 2)
    assert read_mrz(page, timeout=20) is None


def _truth() -> dict[str, list[str]]:
    if not (LABELLED / "truth.json").is_file():
        pytest.skip(f"specimen folder {LABELLED} is absent (it lives in the shared folder beside the repo)")
    return json.loads((LABELLED / "truth.json").read_text())


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [
        "passport-cze.png",
        "passport-twn.png",
        "idcard-swe.png",
        "idcard-esp.png",  # 9-pixel characters
        "passport-can.png",
    ],
)
def test_labelled_specimens_read_exactly(name: str) -> None:
    truth = _truth()[name]
    image = cv2.imread(str(LABELLED / name))
    assert image is not None
    reading = read_mrz(image, timeout=30)
    assert reading is not None
    parsed = repair(reading)
    assert parsed.valid
    assert dict(parsed.fields) == dict(parse_mrz(truth).fields)
    assert reading.decoded == parsed.decoded()  # the reader hands on the decode the classifiers build on


UNLABELLED = SPECIMENS / "unlabelled"


def _read_unlabelled(name: str):  # type: ignore[no-untyped-def]
    path = UNLABELLED / name
    if not path.is_file():
        pytest.skip(f"specimen {path} is absent (it lives in the shared folder beside the repo)")
    reading = read_mrz(cv2.imread(str(path)), timeout=30)
    assert reading is not None
    return repair(reading)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "failing"), [("33_id-usa.jpg", {"document_number", "composite"}), ("77_card-cmw.png", {"composite"})]
)
def test_a_specimen_that_fails_its_own_check_digits_is_read_as_printed_and_not_reported_valid(
    name: str, failing: set[str]
) -> None:
    parsed = _read_unlabelled(name)  # see `tests/mrz/test_parse.py`: the zones as printed fail these checks
    assert {check for check, ok in parsed.checks.items() if not ok} == failing
    assert not parsed.valid and not parsed.trusted
    assert (
        parsed.lines[1:]
        == {
            "33_id-usa.jpg": ("4910040M9411014CAN<<<<<<<<<<<0", "CRITTENDEN<<LEE<W<<<<<<<<<<<<<"),
            "77_card-cmw.png": ("6104128M1402209CMW<<<<<<<<<<<1", "PUBLIC<<JON<<<<<<<<<<<<<<<<<<<"),
        }[name]
    )


@pytest.mark.slow
def test_digits_a_specimen_prints_in_its_nationality_are_kept_as_printed() -> None:
    parsed = _read_unlabelled("100_id-rou.jpg")  # "HD198025<51328505095M..." : nationality "132"
    assert parsed.fields["nationality"] == "132"
    assert all(parsed.checks.values())
    assert not parsed.trusted
