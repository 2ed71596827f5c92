"""Validators and normalisers turn printed values into the contract's canonical forms, or refuse them."""

from __future__ import annotations

import pytest

from classifiers.normalise import (
    find_dates,
    normalise_amount,
    normalise_date,
    normalise_file_number,
    normalise_name,
    normalise_period,
)


@pytest.mark.parametrize(
    ("printed", "iso"),
    [
        ("14.03.2025", "2025-03-14"),
        ("4.3.2025", "2025-03-04"),
        ("14. März 2025", "2025-03-14"),
        ("14. Marz 2025", "2025-03-14"),  # OCR lost the umlaut
        ("1. Dezember 2024", "2024-12-01"),
        ("12 MAR 1985", "1985-03-12"),
        ("12 MAR 85", "1985-03-12"),
        ("12 березня 1985 р.", "1985-03-12"),
        ("3 квітня 2007", "2007-04-03"),
        ("3 апреля 2007 г.", "2007-04-03"),
        ("11 февраля 2025 г.", "2025-02-11"),
        ("5 Şubat 1999", "1999-02-05"),
        ("21 July 1997", "1997-07-21"),
        ("March 14, 2025", "2025-03-14"),
        ("27/08/1979", "1979-08-27"),
        ("1979/08/27", "1979-08-27"),  # Arabic documents print year first
        ("١٢/٠٣/١٩٨٥", "1985-03-12"),  # Arabic-Indic digits
        ("۱۹۸۵/۰۳/۱۲", "1985-03-12"),  # Persian digits
        ("2025-03-14", "2025-03-14"),
        ("Naumburg, den 14.03.2025", "2025-03-14"),
    ],
)
def test_dates_become_iso(printed: str, iso: str) -> None:
    assert normalise_date(printed) == iso


@pytest.mark.parametrize("printed", ["31.02.2025", "14.13.2025", "Seite 1 von 2", "", "12 FOO 1985"])
def test_impossible_or_missing_dates_are_refused(printed: str) -> None:
    assert normalise_date(printed) is None


def test_find_dates_gives_every_date_with_its_offsets() -> None:
    text = "vom 01.03.2025 bis 31. August 2025"
    found = find_dates(text)
    assert [iso for iso, _, _ in found] == ["2025-03-01", "2025-08-31"]
    assert text[found[1][1] : found[1][2]] == "31. August 2025"


def test_find_dates_offsets_index_the_text_with_direction_marks_and_accents() -> None:
    # an Arabic/English certificate: OCR puts U+200F after Arabic words, and a decomposed `ä` shortens the
    # text when composed; the spans of later dates once fell short by that much (` on 2 December `)
    text = "مدرسة\u200f No. 5\u200f born on 2 December 1996 in Erbil, 14. Ma\u0308rz 2008 ۲۶/۰۶/۲۰۱۵"
    found = find_dates(text)
    assert [iso for iso, _, _ in found] == ["1996-12-02", "2008-03-14", "2015-06-26"]
    assert [text[start:end] for _, start, end in found] == ["2 December 1996", "14. Ma\u0308rz 2008", "۲۶/۰۶/۲۰۱۵"]


@pytest.mark.parametrize(
    ("printed", "amount"),
    [
        ("441,00 €", "441.00"),
        ("EUR 441.00", "441.00"),
        ("EUR 441,00", "441.00"),
        ("1.234,56 EUR", "1234.56"),
        ("1.054,47 €", "1054.47"),
        ("in Höhe von monatlich 357,00 € bewilligt", "357.00"),
        ("37,50 Euro", "37.50"),
        ("100,- €", "100.00"),
        ("€ 93", "93.00"),
    ],
)
def test_amounts_become_decimal_strings(printed: str, amount: str) -> None:
    assert normalise_amount(printed) == amount


@pytest.mark.parametrize("printed", ["441,00", "14.03.2025", "Az. 50.3-123/25", ""])
def test_amounts_need_a_currency(printed: str) -> None:
    assert normalise_amount(printed) is None


@pytest.mark.parametrize(
    ("printed", "number"),
    [
        ("Aktenzeichen: 50.3-4240/23", "50.3-4240/23"),
        ("Az.: 350-12/2025", "350-12/2025"),
        ("Geschäftszeichen: III/32-2670/23", "III/32-2670/23"),
        ("Unser Zeichen: 17747BG9486738", "17747BG9486738"),
        ("Aktenzeichen ABH 245426", "ABH 245426"),
        ("Az. 50.3 - 4240 / 23", "50.3-4240/23"),  # OCR spaces around separators
        ("AsylbLG-2025-00012", "AsylbLG-2025-00012"),
    ],
)
def test_file_numbers_lose_their_label_and_ocr_spacing(printed: str, number: str) -> None:
    assert normalise_file_number(printed) == number


def test_a_file_number_must_hold_a_digit() -> None:
    assert normalise_file_number("Aktenzeichen an.") is None


@pytest.mark.parametrize(
    ("printed", "period"),
    [
        ("vom 01.03.2025 bis 31.08.2025", ("2025-03-01", "2025-08-31")),
        ("für die Zeit vom 01.03.2025 bis zum 28.02.2026", ("2025-03-01", "2026-02-28")),
        ("im Bewilligungszeitraum 01.07.2023 – 30.06.2024", ("2023-07-01", "2024-06-30")),
    ],
)
def test_periods_give_start_and_end(printed: str, period: tuple[str, str]) -> None:
    assert normalise_period(printed) == period


def test_a_period_that_ends_before_it_starts_is_refused() -> None:
    assert normalise_period("vom 01.09.2025 bis 31.08.2025") is None


def test_an_apostrophe_in_a_cyrillic_name_is_the_ukrainian_one() -> None:
    # OCR reads the Ukrainian apostrophe (U+02BC) as a typewriter or typographic one.
    for read in ("В'ячеслав Колесниченко", "В’ячеслав Колесниченко"):
        assert normalise_name(read) == "В\u02bcячеслав Колесниченко"
    assert normalise_name("O'Brien, Sean") == "O'Brien, Sean"


def test_a_day_with_its_ordinal_ending() -> None:
    """English certificates write `12th March 1990`, `the 1st of May 2001`, `March 12th, 1990`; Ukrainian and
    Russian ones `12-го березня`: the day is the digits."""
    from classifiers.normalise import find_dates

    assert normalise_date("12th March 1990") == "1990-03-12"
    assert normalise_date("the 1st of May 2001") == "2001-05-01"
    assert normalise_date("21st day of June 1999") == "1999-06-21"
    assert normalise_date("March 12th, 1990") == "1990-03-12"
    assert normalise_date("12-го березня 1990 р.") == "1990-03-12"
    assert find_dates("Born on 3rd June 1985 in Homs") == [("1985-06-03", 8, 21)]


def test_quoted_day_whose_opening_guillemet_ocr_lost() -> None:
    assert normalise_date(".#20» березня 1999 р.") == "1999-03-20"
    assert normalise_date("«09» квітня 2018 р.") == "2018-04-09"
