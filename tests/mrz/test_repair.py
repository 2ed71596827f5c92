"""Check-digit-proven repair: fixes that check digits or the fixed layout prove; names never invented."""

from __future__ import annotations

from mrz.repair import repair
from schemas.documents import MrzReading

TD3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10")


def test_letter_o_in_a_date_is_a_zero() -> None:
    misread = (TD3[0], TD3[1].replace("7408122", "74O8122"))
    parsed = repair(MrzReading(lines=misread))
    assert parsed.valid
    assert parsed.fields["birth_date"] == "1974-08-12"


def test_document_number_swap_proven_by_its_check_digit() -> None:
    # 0 read as O inside an alphanumeric document number: only the check digit can prove it.
    lines = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
    misread = (lines[0], lines[1].replace("L898902C3", "L8989O2C3"))
    parsed = repair(MrzReading(lines=misread))
    assert parsed.fields["document_number"] == "L898902C3"
    assert parsed.valid


def test_lost_filler_is_restored_by_the_line_length() -> None:
    misread = (TD3[0], TD3[1].replace("B<<<<<10", "B<<<<10"))
    parsed = repair(MrzReading(lines=misread))
    assert parsed.valid
    assert parsed.lines[1] == TD3[1]


def test_filler_noise_after_the_name_is_filler() -> None:
    misread = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<KKKKEKKK<<", TD3[1])
    parsed = repair(MrzReading(lines=misread))
    assert parsed.fields["given_names"] == "ANNA MARIA"


def test_a_name_letter_is_never_changed() -> None:
    # A misread letter in a name (no check digit covers it) stays as read even though the rest is valid.
    misread = ("P<UTOERIKSSQN<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", TD3[1])
    parsed = repair(MrzReading(lines=misread))
    assert parsed.fields["surname"] == "ERIKSSQN"


def test_a_wrong_digit_without_proof_stays_invalid() -> None:
    misread = (TD3[0], TD3[1].replace("7408122", "7408127"))  # check digit misread 2 -> 7
    parsed = repair(MrzReading(lines=misread))
    assert not parsed.valid
    assert parsed.checks["birth_date"] is False


def test_alternative_reading_supplies_the_verified_value() -> None:
    wrong = (TD3[0], TD3[1].replace("7408122", "7408722"))
    parsed = repair(MrzReading(lines=wrong, alternatives=(TD3, wrong)))
    assert parsed.valid
    assert parsed.fields["birth_date"] == "1974-08-12"


def test_k_after_a_filler_in_a_number_field_is_filler() -> None:
    # K (value 20) and < (value 0) are alike to a check digit, so the layout decides: padding is fillers.
    misread = (TD3[0], TD3[1].replace("ZE184226B<<<<<10", "ZE184226B<KKK<10"))
    parsed = repair(MrzReading(lines=misread))
    assert parsed.fields["optional_data"] == "ZE184226B"
    assert parsed.valid


def test_a_filler_read_as_k_after_a_name_is_settled_by_another_reading() -> None:
    tesseract = ("P<UTOERIKSSON<<ANNA<MARIAK<<<<<<<<<<<<<<<<<<", TD3[1])
    templates = ("P<UTOERIKSSQN<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", TD3[1])
    parsed = repair(MrzReading(lines=tesseract, alternatives=(templates,)))
    assert parsed.fields["given_names"] == "ANNA MARIA"
    assert parsed.fields["surname"] == "ERIKSSON"  # the other reading's letters are not taken
