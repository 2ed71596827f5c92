"""`mrz_valid` (MrzParse.trusted) must never carry a wrong field: what the check digits cannot prove, the
readings must settle, and a zone whose readings disagree there goes to review instead."""

from __future__ import annotations

from mrz.parse import parse_mrz
from mrz.repair import repair
from schemas.documents import MrzReading

TD3 = ("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10")
TD1 = ("I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<")


def test_readings_that_agree_are_trusted() -> None:
    parsed = repair(MrzReading(lines=TD3, alternatives=(TD3,)))
    assert parsed.trusted
    assert parsed.unsettled == ()


def test_a_code_without_check_digit_read_two_ways_is_not_trusted() -> None:
    # The nationality has no check digit: USA and UTO are both real codes, so one reader cannot decide it.
    other = (TD3[0], TD3[1].replace("UTO7408", "USA7408"))
    parsed = repair(MrzReading(lines=TD3, alternatives=(other,)))
    assert parsed.valid
    assert "nationality" in parsed.unsettled
    assert not parsed.trusted


def test_a_document_code_misread_by_one_reader_is_not_trusted() -> None:
    # AR and AK are both possible document codes; nothing but the readings can choose.
    card = ("AR" + TD1[0][2:], *TD1[1:])
    other = ("AK" + TD1[0][2:], *TD1[1:])
    parsed = repair(MrzReading(lines=card, alternatives=(other,)))
    assert "document_code" in parsed.unsettled
    assert not parsed.trusted


def test_characters_a_check_digit_cannot_tell_apart_need_two_readings() -> None:
    # 8 and S differ by 20 in value: the document number verifies either way.
    other = (TD3[0], TD3[1].replace("L898902C3", "L89S902C3"))
    assert parse_mrz(other).checks["document_number"]
    parsed = repair(MrzReading(lines=TD3, alternatives=(other,)))
    assert "document_number" in parsed.unsettled
    assert not parsed.trusted


def test_a_digit_the_check_digit_tells_apart_is_settled_by_one_reading() -> None:
    # One reader saw 3 where the other saw 8 in the birth date: only one of them verifies.
    other = (TD3[0], TD3[1].replace("7408122", "7403122"))
    parsed = repair(MrzReading(lines=TD3, alternatives=(other,)))
    assert parsed.trusted
    assert parsed.fields["birth_date"] == "1974-08-12"


def test_a_number_made_to_verify_by_refitting_its_line_is_not_trusted() -> None:
    # A character added by the OCR: where to drop one was chosen so that check digits hold, and two
    # binarisations sharing the misreading refit alike; the number must not be reported valid.
    extra = (TD3[0], "L8298902C36UTO7408122F1204159ZE184226B<<<<<10")
    blurred = (TD3[0], "L8B989O2C36UTO7408122F1204159ZE184226B<<<<<1O")
    parsed = repair(MrzReading(lines=extra, alternatives=(blurred, extra)))
    assert not parsed.trusted or parsed.fields["document_number"] == "L898902C3"


def test_a_name_with_as_many_readings_against_it_is_not_confirmed() -> None:
    k_glued = ("P<UTOERIKSSON<<KANNA<MARIA<<<<<<<<<<<<<<<<<<", TD3[1])
    parsed = repair(MrzReading(lines=k_glued, alternatives=(TD3, k_glued, TD3)))
    assert not parsed.names_confirmed
    assert not parsed.trusted


def test_a_disputed_k_ending_the_name_is_the_first_filler_but_goes_to_review() -> None:
    glued = ("P<UTOERIKSSON<<ANNA<MARIAK<<<<<<<<<<<<<<<<<<", TD3[1])
    other = ("P<UTOERIKSSON<<ANNA<MARIAE<<<<<<<<<<<<<<<<<<", TD3[1])
    parsed = repair(MrzReading(lines=glued, alternatives=(glued, other, glued)))
    assert parsed.fields["given_names"] == "ANNA MARIA"
    assert not parsed.trusted


def test_a_k_every_reading_sees_ending_the_name_stays() -> None:
    name = ("P<UTOERIKSSON<<ANNA<MALIK<<<<<<<<<<<<<<<<<<<", TD3[1])
    parsed = repair(MrzReading(lines=name, alternatives=(name,)))
    assert parsed.fields["given_names"] == "ANNA MALIK"
    assert parsed.trusted


def test_a_date_that_is_no_date_is_not_valid_even_if_its_digit_holds() -> None:
    from mrz.layout import check_digit

    line = TD3[1][:13] + "741322" + check_digit("741322") + TD3[1][20:]
    parsed = parse_mrz((TD3[0], line))
    assert parsed.checks["birth_date"]
    assert not parsed.valid


def test_a_nationality_with_a_digit_is_not_valid() -> None:
    parsed = parse_mrz((TD3[0], TD3[1].replace("UTO7408", "I3Z7408")))
    assert not parsed.valid


def test_a_code_of_the_specimens_own_is_valid() -> None:
    # Specimens carry codes of their own (BDR, SI<): letters then fillers are well formed.
    parsed = parse_mrz((TD3[0].replace("P<UTO", "P<BDR"), TD3[1].replace("UTO7408", "SI<7408")))
    assert parsed.valid
    assert parsed.fields["nationality"] == "SI"


def test_one_reading_alone_is_taken_as_it_is() -> None:
    # A text layer or a caller's string: nothing to disagree with.
    assert repair(MrzReading(lines=TD3)).trusted


def test_a_number_stitched_from_readings_none_of_which_read_it_whole_goes_to_review() -> None:
    # Each reader misread one character; the check digit picks the combination, but no reading saw it,
    # and misaligned readings can supply characters a check digit cannot tell apart (G/6, S/8).
    first = (TD3[0], TD3[1].replace("L898902C3", "L89B902C3"))
    second = (TD3[0], TD3[1].replace("L898902C3", "L898902G3"))
    parsed = repair(MrzReading(lines=first, alternatives=(second,)))
    assert parsed.fields["document_number"] == "L898902C3"
    assert "document_number" in parsed.unsettled
    assert not parsed.trusted
