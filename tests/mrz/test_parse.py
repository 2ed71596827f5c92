"""ICAO 9303 specimen MRZs (Utopia, typed in from the standard) and check-digit worked examples."""

from __future__ import annotations

import datetime as dt

import pytest

from mrz.layout import check_digit, check_holds
from mrz.parse import iso_date, parse_mrz

TD3 = ["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"]
TD1 = ["I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"]
TD2 = ["I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "D231458907UTO7408122F1204159<<<<<<<6"]
MRV_A = ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L8988901C4XXX4009078F96121096ZE184226B<<<<<<"]
MRV_B = ["V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<", "L8988901C4XXX4009078F9612109<<<<<<<<"]
TODAY = dt.date(2026, 1, 1)


@pytest.mark.parametrize(
    ("data", "digit"),
    [
        ("520727", "3"),  # Doc 9303 Part 3, 4.9 worked example: date of birth 27 July 1952
        ("AB2134", "5"),  # Part 3, 4.9: a document number with letters (A=10, B=11)
        ("L898902C3", "6"),
        ("740812", "2"),
        ("120415", "9"),
        ("ZE184226B<<<<<", "1"),
    ],
)
def test_check_digit_worked_examples(data: str, digit: str) -> None:
    assert check_digit(data) == digit


def test_an_empty_field_may_carry_a_filler_check_digit() -> None:
    assert check_holds("<<<<<<<<<<<<<<", "<")
    assert check_holds("<<<<<<<<<<<<<<", "0")
    assert not check_holds("ZE184226B<<<<<", "<")


@pytest.mark.parametrize(
    ("lines", "fmt", "checks"),
    [
        (TD3, "TD3", {"document_number", "birth_date", "expiry_date", "optional_data", "composite"}),
        (TD1, "TD1", {"document_number", "birth_date", "expiry_date", "composite"}),
        (TD2, "TD2", {"document_number", "birth_date", "expiry_date", "composite"}),
        (MRV_A, "MRV-A", {"document_number", "birth_date", "expiry_date"}),
        (MRV_B, "MRV-B", {"document_number", "birth_date", "expiry_date"}),
    ],
)
def test_utopia_specimens_parse_and_verify(lines: list[str], fmt: str, checks: set[str]) -> None:
    parsed = parse_mrz(lines, today=TODAY)
    assert parsed.format == fmt
    assert set(parsed.checks) == checks
    assert parsed.valid
    assert parsed.fields["surname"] == "ERIKSSON"
    assert parsed.fields["given_names"] == "ANNA MARIA"
    assert parsed.fields["issuing_state"] == "UTO"


def test_td3_fields() -> None:
    fields = parse_mrz(TD3, today=TODAY).fields
    assert fields == {
        "document_code": "P",
        "issuing_state": "UTO",
        "surname": "ERIKSSON",
        "given_names": "ANNA MARIA",
        "document_number": "L898902C3",
        "nationality": "UTO",
        "birth_date": "1974-08-12",
        "sex": "F",
        "expiry_date": "2012-04-15",
        "optional_data": "ZE184226B",
    }


def test_mrv_a_birth_date_in_last_century_and_optional_data() -> None:
    fields = parse_mrz(MRV_A, today=TODAY).fields
    assert fields["birth_date"] == "1940-09-07"
    assert fields["nationality"] == "XXX"
    assert fields["optional_data"] == "6ZE184226B"


def test_each_check_digit_is_reported_separately() -> None:
    broken = [TD3[0], TD3[1][:19] + "3" + TD3[1][20:]]  # birth-date check digit 2 -> 3
    parsed = parse_mrz(broken, today=TODAY)
    assert parsed.checks["birth_date"] is False
    assert parsed.checks["document_number"] is True
    assert parsed.checks["composite"] is False
    assert not parsed.valid


def test_german_residence_permit_with_long_document_number() -> None:
    # eAT: code AR, issuing state D<<; a 10-character number continues in the optional field (Part 5).
    number = "Y12345678X"
    head, tail = number[:9], number[9:]
    line1 = ("AR" + "D<<" + head + "<" + tail + check_digit(number)).ljust(30, "<")
    line2 = "8501019F300101" + check_digit("300101") + "UKR" + "<" * 11
    line2 += check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    line3 = "TKACHENKO<<OLENA".ljust(30, "<")
    parsed = parse_mrz([line1, line2, line3], today=TODAY)
    assert parsed.valid, parsed.checks
    assert parsed.fields["document_number"] == number
    assert parsed.fields["issuing_state"] == "D"
    assert parsed.fields["document_code"] == "AR"
    assert parsed.fields["optional_data"] == ""


@pytest.mark.parametrize(
    ("yymmdd", "birth", "expected"),
    [
        ("740812", True, "1974-08-12"),
        ("100101", True, "2010-01-01"),
        ("251231", True, "2025-12-31"),
        ("260101", True, "2026-01-01"),
        ("260102", True, "1926-01-02"),  # tomorrow: not born yet, so last century
        ("300101", True, "1930-01-01"),
        ("300101", False, "2030-01-01"),
        ("991231", False, "2099-12-31"),
        ("740231", True, None),  # 31 February
        ("74<<<<", True, None),  # unknown day and month
    ],
)
def test_century_inference(yymmdd: str, birth: bool, expected: str | None) -> None:
    assert iso_date(yymmdd, birth=birth, today=TODAY) == expected


def test_name_ends_at_the_double_filler_after_given_names() -> None:
    line1 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<K<<<<<<"
    parsed = parse_mrz([line1, TD3[1]], today=TODAY)
    assert parsed.fields["given_names"] == "ANNA MARIA"


# Three of PassportEye's unlabelled specimens, typed in by eye from the images: their zones fail their own
# check digits as printed, so no honest reader reports them valid (`tests/benchmarks/mrz.py` counts them).
PRINTED_INVALID = {
    "33_id-usa.jpg": (
        ["C1USA0223456791EAC9730051220<<", "4910040M9411014CAN<<<<<<<<<<<0", "CRITTENDEN<<LEE<W<<<<<<<<<<<<<"],
        {"document_number", "composite"},  # 022345679 computes 8, printed 1
    ),
    "77_card-cmw.png": (
        ["IDCMW<512849702<<<<<<<<<<<<<<<", "6104128M1402209CMW<<<<<<<<<<<1", "PUBLIC<<JON<<<<<<<<<<<<<<<<<<<"],
        {"composite"},  # computes 0, printed 1
    ),
    "0_id-esp.png": (  # the Ñ of ESPAÑOLA stands in the zone as printed; it is no MRZ character
        ["IDESPAAA1000014<00000023T<<<<<", "7212018F1101236ESP<<<<<<<<<<<8", "ESPANOLA<ESPANOLA<CARMEN<<<<<<"],
        {"document_number", "birth_date", "composite"},  # AAA100001 computes 8, 721201 computes 1
    ),
}


@pytest.mark.parametrize("name", sorted(PRINTED_INVALID))
def test_some_published_specimens_fail_their_own_check_digits(name: str) -> None:
    lines, failing = PRINTED_INVALID[name]
    parsed = parse_mrz(lines)
    assert {check for check, ok in parsed.checks.items() if not ok} == failing
    assert not parsed.valid
