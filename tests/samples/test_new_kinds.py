"""What the generator adds for issue 4: Solar Hijri dates, two-page certificates, more kinds of `other`,
and TD2 identity cards, each checked against an independent reference."""

from __future__ import annotations

import random
from datetime import date

import jdatetime
import pytest

from classifiers.normalise import normalise_date
from lab.samples.certificates import certificate
from lab.samples.content import make_document
from lab.samples.formats import solar_hijri_text
from lab.samples.identity import temporary_id_card
from lab.samples.others import KINDS, other
from lab.samples.solar_hijri import to_solar_hijri
from lab.samples.stacks import document_sheets
from mrz.parse import parse_mrz
from schemas.documents import DocumentType


@pytest.mark.parametrize(
    ("gregorian", "solar"),
    [
        (date(1921, 3, 21), (1300, 1, 1)),
        (date(1979, 2, 11), (1357, 11, 22)),  # 22 Bahman 1357
        (date(2025, 3, 20), (1403, 12, 30)),  # the leap day of 1403
        (date(2025, 3, 21), (1404, 1, 1)),  # Nowruz 1404
    ],
)
def test_solar_hijri_dates_of_known_days(gregorian: date, solar: tuple[int, int, int]) -> None:
    assert to_solar_hijri(gregorian) == solar


def test_the_generators_solar_calendar_agrees_with_jdatetime_for_a_century() -> None:
    rng = random.Random(5)
    for _ in range(2000):
        day = date.fromordinal(rng.randint(date(1925, 1, 1).toordinal(), date(2060, 1, 1).toordinal()))
        j = jdatetime.date.fromgregorian(date=day)
        assert to_solar_hijri(day) == (j.year, j.month, j.day), day


def test_every_printed_solar_hijri_date_reads_back_as_its_gregorian_truth() -> None:
    rng = random.Random(9)
    for _ in range(300):
        day = date.fromordinal(rng.randint(date(1950, 1, 1).toordinal(), date(2025, 12, 31).toordinal()))
        assert normalise_date(solar_hijri_text(rng, day)) == day.isoformat()


def test_persian_certificates_print_solar_hijri_dates_and_keep_iso_truth() -> None:
    content = certificate(random.Random(3), DocumentType.BIRTH_CERTIFICATE, "fa")
    text = content.text
    assert str(date.fromisoformat(str(content.fields["birth_date"])).year) not in text
    assert any(ch in text for ch in "۰۱۲۳۴۵۶۷۸۹") or "/13" in text or " 13" in text


def test_some_school_and_degree_certificates_have_a_grades_page() -> None:
    two_page = [
        c
        for seed in range(60)
        for c in [make_document(random.Random(seed), DocumentType.SCHOOL_CERTIFICATE)]
        if len(c.pages) == 2
    ]
    assert 10 <= len(two_page) <= 40
    for content in two_page:
        assert content.extra["pages"] == "2"
        assert len(document_sheets(content, random.Random(1), 0)) == 2


def test_every_kind_of_other_is_drawn_and_a_note_is_only_ever_scanned() -> None:
    seen = {}
    for seed in range(200):
        content = other(random.Random(seed))
        seen.setdefault(content.extra["other_kind"], content)
    assert set(seen) == set(KINDS)
    sheets = document_sheets(seen["note"], random.Random(1), 0)
    assert not sheets[0].born_digital_possible


def test_temporary_id_cards_carry_a_td2_zone_the_reader_validates() -> None:
    for seed in range(5):
        content = temporary_id_card(random.Random(seed))
        lines = content.fields["mrz"]
        assert isinstance(lines, list) and [len(line) for line in lines] == [36, 36]
        parsed = parse_mrz(lines)
        assert parsed.format == "TD2" and parsed.valid
        assert parsed.fields["document_number"] == content.fields["document_number"]
        assert parsed.fields["birth_date"] == content.fields["birth_date"]
