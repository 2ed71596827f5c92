"""A notice's recipient and file number are doubted when the value or the page shows a misreading."""

from __future__ import annotations

import pytest

from classifiers.extract import FIELD_REVIEW_CONFIDENCE, Found
from classifiers.model import build_pipeline
from classifiers.notice import extract_notice
from classifiers.notice_doubts import amount_doubt, date_doubts, doubted, file_number_doubt, recipient_doubt
from classifiers.text import DocumentText, page_from_lines
from schemas.documents import TextSource


def _text(lines: list[str]) -> DocumentText:
    return DocumentText([page_from_lines(1, lines)])


def test_a_name_word_in_lower_case_is_a_misread_capital_or_a_label_piece() -> None:
    assert recipient_doubt(_text(["Nifont ludin"]), "Nifont ludin") is not None
    assert recipient_doubt(_text(["| hrift"]), "hrift") is not None
    # particles are lower case by right
    assert recipient_doubt(_text(["Ursula von der Leyen"]), "Ursula von der Leyen") is None
    assert recipient_doubt(_text(["Fatima bint Rashid"]), "Fatima bint Rashid") is None


def test_a_name_the_page_spells_another_way_is_two_readings_that_disagree() -> None:
    page = ["Frau", "Soraya Sedigi", "Musterweg 5", "Soraya Sediqi 451,00 Euro", "Mina Sedigi 357,00 Euro"]
    assert recipient_doubt(_text(page), "Soraya Sedigi") is not None
    agreeing = ["Frau", "Soraya Sediqi", "Musterweg 5", "Sehr geehrte Frau Sediqi,"]
    assert recipient_doubt(_text(agreeing), "Soraya Sediqi") is None
    # short words differ from many others by one letter: `Hans` and `Haus` say nothing
    assert recipient_doubt(_text(["Hans Meyer", "Haus 5"]), "Hans Meyer") is None


def test_a_file_number_with_a_longer_digit_run_than_any_scheme_lost_a_separator() -> None:
    assert file_number_doubt("BG 73491113583362") is not None  # `//` read as `11`
    assert file_number_doubt("BG 73491//3583362") is None
    assert file_number_doubt("123456789012") is None  # an AZR number: twelve digits


def test_a_doubted_reading_falls_under_the_review_floor() -> None:
    found = Found("Nifont ludin", 0, 12, 0.8)
    lowered = doubted(found, "a word of the name starts in lower case")
    assert lowered is not None and lowered.certainty < FIELD_REVIEW_CONFIDENCE
    assert doubted(found, None) is found


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return build_pipeline()


def _read(nlp, lines: list[str]):  # type: ignore[no-untyped-def]
    """The notice components' reading of an OCR page of these lines."""
    text = DocumentText([page_from_lines(1, lines, source=TextSource.OCR, confidence=0.95)])
    return extract_notice(text, nlp.get_pipe("dach_notice_fields_v1")(nlp.make_doc(text.text)))


def test_a_notice_whose_recipient_is_spelt_two_ways_goes_to_review(nlp) -> None:  # type: ignore[no-untyped-def]
    lines = [
        "Jobcenter Salzlandkreis",
        "Frau",
        "Soraya Sedigi",
        "Eleni-Mentzel-Straße 34",
        "06642 Nebra (Unstrut)",
        "Aktenzeichen: BG 42959113583362",
        "Bescheid über Bürgergeld für Ihre Bedarfsgemeinschaft",
        "Soraya Sediqi 451,00 Euro",
    ]
    found = _read(nlp, lines)
    assert found.fields["recipient_name"].confidence < FIELD_REVIEW_CONFIDENCE
    assert any(note.startswith("recipient_name: the page spells") for note in found.notes)
    assert found.fields["file_number"].confidence < FIELD_REVIEW_CONFIDENCE
    assert any(note.startswith("file_number: a run of digits") for note in found.notes)


def test_a_name_the_page_prints_with_its_diacritics_elsewhere_is_doubted() -> None:
    page = ["Frau", "Ozdes Yüksel", "Seidelgasse 97", "Özdeş Yüksel 451,00 Euro"]  # two letters apart
    assert recipient_doubt(_text(page), "Ozdes Yüksel") is not None


def test_a_total_that_is_not_the_sum_of_its_rows_lost_a_digit() -> None:
    rows = ["Duaa Alhalabi 506,00 €", "Omar Alhalabi 471,00 €", "Mahmoud Alhalabi 390,00 €"]
    text = _text(["folgende monatliche Ansprüche:", *rows, "Gesamtanspruch 367,00 €"])
    start = text.text.index("367,00")
    assert amount_doubt(text, Found("367.00", start, start + 8)) is not None
    right = _text(["folgende monatliche Ansprüche:", *rows, "Gesamtanspruch 1.367,00 €"])
    start = right.text.index("1.367,00")
    assert amount_doubt(right, Found("1367.00", start, start + 10)) is None
    # an amount in running text has no rows to add up
    prose = _text(["Die Gebühr beträgt in Höhe von 93,00 EUR."])
    assert amount_doubt(prose, Found("93.00", prose.text.index("93"), prose.text.index("93") + 9)) is None


def test_an_amount_in_a_sentence_under_a_table_of_months_is_no_total_of_them() -> None:
    months = ["Februar 2023 1.114,00 €", "März 2023 1.114,00 €", "April 2023 1.114,00 €"]
    text = _text(["Monat Bedarf", *months, "Sie erhalten monatlich insgesamt 1.114,00 Euro."])
    start = text.text.index("1.114,00 Euro")
    assert amount_doubt(text, Found("1114.00", start, start + 13)) is None


def test_dates_that_do_not_fit_the_period_they_frame_are_doubted() -> None:
    # the year of the notice date misread: dated two years before the period it grants
    assert set(date_doubts("2023-06-20", "2025-07-01", "2025-12-31")) == {"notice_date"}
    # the year of the period end misread: a period of twelve years
    assert set(date_doubts("2025-06-20", "2025-07-01", "2037-06-30")) == {"period_end"}
    # a change notice dated inside the period, a three-year permit, a missing date: no doubt
    assert date_doubts("2025-09-10", "2025-07-01", "2025-12-31") == {}
    assert date_doubts("2025-06-20", "2025-07-01", "2028-06-30") == {}
    assert date_doubts(None, "2025-07-01", None) == {}


def test_a_notice_dated_years_before_its_period_goes_to_review(nlp) -> None:  # type: ignore[no-untyped-def]
    lines = [
        "Landkreis Harz – Sozialamt",
        "Naumburg (Saale), den 14.03.2023",
        "Betreff: Bescheid über Leistungen nach dem AsylbLG",
        "für die Zeit vom 01.04.2025 bis zum 30.09.2025",
    ]
    found = _read(nlp, lines)
    assert found.fields["notice_date"].value == "2023-03-14"
    assert found.fields["notice_date"].confidence < FIELD_REVIEW_CONFIDENCE
    assert found.fields["period_end"].confidence >= FIELD_REVIEW_CONFIDENCE
    assert any(note.startswith("notice_date: the notice is dated") for note in found.notes)


def test_a_name_the_page_prints_with_rn_where_it_has_m_is_doubted() -> None:
    page = ["Herrn", "Ali Kamrani", "Musterweg 5", "Sehr geehrter Herr Karnrani,"]
    assert recipient_doubt(_text(page), "Ali Kamrani") is not None
