"""Issue dates whose year OCR cut off: completed only from a standalone year of the page, always for review."""

from __future__ import annotations

from classifiers.certificate_issue_date import CERTAINTY, cut_year_date, lone_earlier_date, lone_other_date
from classifiers.certificate_prose import complete_certificate
from classifiers.extract import FIELD_REVIEW_CONFIDENCE, FieldSet, Found
from classifiers.text import DocumentText
from schemas.documents import ExtractedField
from tests.classifiers.test_keyvalue import page

BORN = Found("1994-09-12", 0, 0)


def diploma(closing: str, session: str = "Examination of the session 2011.") -> DocumentText:
    return DocumentText(
        [
            page(
                [
                    ("Education Directorate of Erbil", 0.07, 0.08),
                    ("General Secondary Education Certificate", 0.21, 0.13),
                    ("certifies that Basel Alali, born in Mosul on 12", 0.09, 0.22),
                    ("September 1994, has passed the General Secondary", 0.09, 0.24),
                    (session, 0.09, 0.26),
                    (closing, 0.09, 0.37),
                    ("Director of Education", 0.09, 0.45),
                ]
            )
        ]
    )


def test_cut_year_completed_from_the_session_year_below_the_review_line() -> None:
    found = cut_year_date(diploma("Erbil, 11 October 1"), BORN)
    assert found is not None and found.value == "2011-10-11"
    assert found.certainty == CERTAINTY < FIELD_REVIEW_CONFIDENCE


def test_cut_year_read_as_the_start_of_the_year_in_the_register_number() -> None:
    text = diploma("Date: 1 August 2", "Ref. No. 2423/2002")
    found = cut_year_date(text, BORN)
    assert found is not None and found.value == "2002-08-01"


def test_cut_year_with_the_month_first() -> None:
    found = cut_year_date(diploma("Date: October 11, 1"), BORN)
    assert found is not None and found.value == "2011-10-11"


def test_cut_year_not_completed_from_another_full_date() -> None:
    # the only other year is the translation's full date: another event's, not the act's
    text = diploma("Date: 28 January 2", "Übersetzt am 23.03.2015")
    assert cut_year_date(text, BORN) is None


def test_cut_year_not_completed_when_two_years_fit() -> None:
    assert cut_year_date(diploma("Erbil, 11 October 1", "session 2011, Ref. No. 12/2021"), BORN) is None


def test_cut_year_not_completed_when_the_digits_left_disagree() -> None:
    assert cut_year_date(diploma("Erbil, 11 October 7"), BORN) is None


def test_cut_year_not_before_the_birth() -> None:
    assert cut_year_date(diploma("Erbil, 11 October 1", "Family register 1991"), BORN) is None


def test_whole_date_is_no_cut_year() -> None:
    assert cut_year_date(diploma("Erbil, 11 October 2011"), BORN) is None


def test_certificate_with_a_cut_issue_year_goes_to_review() -> None:
    text = diploma("Erbil, 11 October 1")
    found = complete_certificate(text, FieldSet(text=text, fields={}, notes=[]))
    issued = found.fields["issue_date"]
    assert issued.value == "2011-10-11" and issued.confidence < FIELD_REVIEW_CONFIDENCE
    assert any(note.startswith("issue_date") for note in found.notes)


def register_extract(issued: str, *more: str) -> DocumentText:
    rows = [
        ("Meldebehörde der Stadt Weißenfels", 0.09, 0.06),
        ("MELDEBESCHEINIGUNG", 0.33, 0.11),
        ("geboren am 10.04.2000", 0.09, 0.19),
        ("Bescheinigungs-Nr. RG 5674/19", 0.09, 0.29),
        (issued, 0.09, 0.32),
    ]
    return DocumentText([page(rows + [(line, 0.09, 0.40 + 0.03 * i) for i, line in enumerate(more)])])


def test_issue_date_under_a_garbled_label_is_the_one_date_besides_the_birth() -> None:
    found = lone_other_date(register_extract("AUSGESTEIL ATO ARE 02.02.2019"), Found("2000-04-10", 0, 0))
    assert found is not None and found.value == "2019-02-02" and found.certainty < FIELD_REVIEW_CONFIDENCE


def test_lone_date_in_words_and_digits_is_one_date() -> None:
    text = register_extract("zweiten Februar zweitausendneunzehn (02.02.2019)")
    found = lone_other_date(text, Found("2000-04-10", 0, 0))
    assert found is not None and found.value == "2019-02-02"


def test_no_lone_date_without_the_birth_date_to_tell_it_from() -> None:
    assert lone_other_date(register_extract("02.02.2019"), None) is None


def test_no_lone_date_when_two_dates_are_left() -> None:
    text = register_extract("02.02.2019", "eingezogen am 01.03.2018")
    assert lone_other_date(text, Found("2000-04-10", 0, 0)) is None


def test_translators_date_is_not_the_issue_date() -> None:
    text = register_extract("Ausgestellt", "Übersetzt am 22.05.2014")
    assert lone_other_date(text, Found("2000-04-10", 0, 0)) is None


def test_date_before_the_birth_is_not_the_issue_date() -> None:
    assert lone_other_date(register_extract("Vater geboren 02.02.1969"), Found("2000-04-10", 0, 0)) is None


def test_birth_date_under_a_garbled_label_is_the_one_date_before_the_issue() -> None:
    text = register_extract("Ausgestellt am 02.02.2019")
    found = lone_earlier_date(text, Found("2019-02-02", 0, 0))
    assert found is not None and found.value == "2000-04-10" and found.certainty < FIELD_REVIEW_CONFIDENCE


def test_no_lone_birth_date_when_a_parents_date_is_printed_too() -> None:
    text = register_extract("Ausgestellt am 02.02.2019", "Vater geboren 02.02.1969")
    assert lone_earlier_date(text, Found("2019-02-02", 0, 0)) is None


def test_birth_date_under_a_garbled_label_read_for_review() -> None:
    text = DocumentText([page([("MELDEBESCHEINIGUNG", 0.3, 0.1), ("Sate of ni Mr 20.03.1999", 0.1, 0.2)])])
    issued = ExtractedField(value="2018-04-09", confidence=0.9)
    found = complete_certificate(text, FieldSet(text=text, fields={"issue_date": issued}, notes=[]))
    assert found.fields["birth_date"].value == "1999-03-20"
    assert found.fields["birth_date"].confidence < FIELD_REVIEW_CONFIDENCE


def test_lone_date_with_a_quoted_day_under_the_issuing_body() -> None:
    found = lone_other_date(register_extract("«11» жовтня 2024 р."), Found("2000-04-10", 0, 0))
    assert found is not None and found.value == "2024-10-11"


def test_lone_date_is_never_one_whose_year_was_cut_to_two_digits() -> None:
    assert lone_other_date(register_extract("Mykolaiv, den 28.01.20"), Found("2000-04-10", 0, 0)) is None


def test_lone_date_whose_dot_ocr_read_as_a_colon() -> None:
    found = lone_other_date(register_extract("veriş Tariki : a +-07:02.2003"), Found("2000-04-10", 0, 0))
    assert found is not None and found.value == "2003-02-07"


def test_lone_birth_date_whose_dots_ocr_lost() -> None:
    text = DocumentText([page([("дата народження 17 05 2002. Poltava", 0.1, 0.2), ("Issued 08.04.2021", 0.1, 0.3)])])
    found = lone_earlier_date(text, Found("2021-04-08", 0, 0))
    assert found is not None and found.value == "2002-05-17"
