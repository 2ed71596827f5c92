"""Where each field of an identity document was read: its characters in the MRZ, its value in the visual zone.

The review screen draws these boxes, so each must sit on what it names: an MRZ field on its own columns of
its own line, a printed date on the words that print it, a contradicted field on the value that contradicts.
"""

from __future__ import annotations

import pytest

from classifiers.identity import identity_document
from classifiers.zone_readings import mrz_boxes
from mrz.layout import check_digit
from schemas.documents import BBox, ExtractedField, MrzDecoded, TextSource
from tests.mrz.test_identity import _td3
from tests.mrz.test_viz import ZONE, _page


def _corners(box: BBox | None) -> tuple[float, ...]:
    assert box is not None
    return (box.x0, box.y0, box.x1, box.y1)


def _places(lines: list[str]) -> tuple[dict[str, dict[TextSource, ExtractedField]], tuple[str, ...], dict]:
    doc = identity_document([_page(lines)])
    assert doc is not None
    places = {name: {p.source: p for p in found} for name, found in doc.readings.items()}
    return places, doc.viz_mismatches, doc.fields


def test_each_mrz_field_is_boxed_on_its_own_columns_and_line() -> None:
    lines = _td3()
    parse = MrzDecoded(format="TD3", fields={}, checks={}, valid=True, lines=lines)
    boxes = mrz_boxes(parse, ZONE)
    width, half = ZONE.x1 - ZONE.x0, (ZONE.y1 - ZONE.y0) / 2
    text, box = boxes["birth_date"]  # line 2, columns 13-18
    assert text == "850101"
    assert box.x0 == pytest.approx(ZONE.x0 + width * 13 / 44) and box.x1 == pytest.approx(ZONE.x0 + width * 19 / 44)
    assert box.y0 == pytest.approx(ZONE.y0 + half) and box.y1 == pytest.approx(ZONE.y1)
    assert boxes["surname"][0] == "TKACHENKO" and boxes["given_names"][0] == "OLENA"
    surname, given = boxes["surname"][1], boxes["given_names"][1]
    assert surname.x1 <= given.x0 and surname.y1 == pytest.approx(ZONE.y0 + half)


def test_a_td1_card_boxes_its_number_on_the_first_line_and_its_name_on_the_third() -> None:
    number, birth, expiry = "L01X00T47", "850101", "300101"
    line1 = f"IDD<<{number}{check_digit(number)}" + "<" * 15
    line2 = f"{birth}{check_digit(birth)}F{expiry}{check_digit(expiry)}D<<<<<<<<<<<<<0"
    line3 = "MUELLER<<ANNA<MARIA<<<<<<<<<<<"
    boxes = mrz_boxes(MrzDecoded(format="TD1", fields={}, checks={}, valid=True, lines=(line1, line2, line3)), ZONE)
    third = (ZONE.y1 - ZONE.y0) / 3
    assert boxes["document_number"][0] == number and boxes["document_number"][1].y1 == pytest.approx(ZONE.y0 + third)
    assert boxes["given_names"][0] == "ANNA<MARIA" and boxes["given_names"][1].y0 == pytest.approx(ZONE.y0 + 2 * third)


def test_the_visual_zone_boxes_sit_on_the_printed_values() -> None:
    places, mismatches, _ = _places(["TKACHENKO", "OLENA", "FA1234567", "Geburtsdatum 01 JAN 1985", "01.01.2030"])
    assert mismatches == ()
    birth = places["birth_date"][TextSource.VIZ]
    assert birth.value == "01 JAN 1985"  # as printed, the label left out
    # words 2-4 of line 4 (tests/mrz/test_viz lays words out on a grid)
    assert _corners(birth.bbox) == pytest.approx((0.15, 0.15, 0.29, 0.18))
    assert _corners(places["document_number"][TextSource.VIZ].bbox) == pytest.approx((0.1, 0.1, 0.14, 0.13))
    assert places["surname"][TextSource.VIZ].value == "TKACHENKO"
    assert places["expiry_date"][TextSource.VIZ].value == "01.01.2030"
    assert all(p.bbox is not None and p.bbox.y0 >= ZONE.y0 for p in (v[TextSource.MRZ] for v in places.values()))


def test_a_contradicted_field_points_at_the_value_that_contradicts_it_and_is_not_shown_as_certain() -> None:
    places, mismatches, fields = _places(["TKACHENKO", "OLENA", "FA1234587", "01.01.1988"])
    assert set(mismatches) == {"birth_date", "document_number"}
    assert places["birth_date"][TextSource.VIZ].value == "01.01.1988"
    assert places["document_number"][TextSource.VIZ].value == "FA1234587"
    assert fields["birth_date"].confidence <= 0.5 and fields["document_number"].confidence <= 0.5
    assert fields["surname"].confidence > 0.9  # what the visual zone confirms keeps its certainty


def test_a_value_the_visual_zone_does_not_print_has_no_visual_zone_box() -> None:
    places, _, _ = _places(["TKACHENKO", "OLENA", "FA1234567"])
    assert TextSource.VIZ not in places["birth_date"] and TextSource.MRZ in places["birth_date"]
