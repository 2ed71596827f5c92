"""A notice's recipient is the addressee in the address window, never a label or the contact person of the
information block beside it; the letter date in that block is read past a box's border or a garbled caption;
and a household table's total row gives the amount, whatever its label."""

from __future__ import annotations

import pytest

from classifiers.extract import FIELD_REVIEW_CONFIDENCE
from classifiers.keyvalue import dated_reference
from classifiers.model import build_pipeline
from classifiers.notice import _amount, extract_notice, info_block_date
from classifiers.notice_doubts import recipient_doubt
from classifiers.notice_recipient import contact_names, not_the_recipient, recipient
from classifiers.text import DocumentText, page_from_lines
from schemas.documents import BBox, PageText, TextSource, Word

# The address window's left edge and the information block's, as fractions of the page width (DIN 5008 A4).
LEFT, RIGHT = 0.10, 0.61


def _page(rows: list[list[tuple[float, str]]]) -> DocumentText:
    """An OCR page of `rows`, each a list of (left edge, text) columns on one line, as OCR reads a letter whose
    information block sits beside the address window."""
    words: list[Word] = []
    for line_no, row in enumerate(rows):
        y0 = 0.05 + 0.016 * line_no
        for x, column in row:
            for token in column.split():
                x1 = x + 0.012 * len(token)
                box = BBox(x0=x, y0=y0, x1=x1, y1=y0 + 0.012)
                words.append(Word(text=token, bbox=box, confidence=0.95, line=line_no))
                x = x1 + 0.01
    page = PageText(page=1, width=2480, height=3508, source=TextSource.OCR, words=tuple(words), blank=not words)
    return DocumentText([page])


def _letter(between_title_and_name: list[list[tuple[float, str]]], salutation: str = "Guten Tag,") -> DocumentText:
    """A notice whose information block OCR interleaved with the address window."""
    return _page(
        [
            [(LEFT, "Jobcenter Anhalt-Bitterfeld")],
            [(LEFT, "Jobcenter Anhalt-Bitterfeld · Postfach 2517")],
            [(RIGHT, "Datum: 04.07.2024")],
            [(LEFT, "Herrn")],
            *between_title_and_name,
            [(LEFT, "Farid Ahmadi")],
            [(RIGHT, "Ortrun Schäfer")],
            [(LEFT, "Ellen-Klemm-Gasse 100b")],
            [(RIGHT, "Telefon: 0340 345-41")],
            [(LEFT, "06628 Bad Kösen")],
            [(LEFT, "Änderungsbescheid über Leistungen zur Sicherung des Lebensunterhalts")],
            [(LEFT, salutation)],
        ]
    )


def test_a_contact_label_between_the_title_and_the_name_is_not_the_recipient() -> None:
    # the regression: `Ansprechpartner` (the information block's label, over the clerk's name) was read as the
    # name under `Herrn` and filed as certain
    found = recipient(_letter([[(RIGHT, "Ansprechpartner")]]))
    assert found is not None and found.value == "Farid Ahmadi"


def test_a_contact_persons_line_in_the_address_column_is_not_the_recipient() -> None:
    # OCR put the contact line at the address window's edge: neither it nor the clerk's name is the recipient
    text = _page(
        [
            [(LEFT, "Herrn")],
            [(LEFT, "Ansprechpartner: Ortrun Schäfer")],
            [(LEFT, "Ellen-Klemm-Gasse 100b")],
            [(LEFT, "06628 Bad Kösen")],
        ]
    )
    found = recipient(text)
    assert found is None or (found.value != "Ortrun Schäfer" and "Ansprechpartner" not in str(found.value))


def test_the_name_above_the_street_is_found_past_the_information_blocks_lines() -> None:
    text = _page(
        [
            [(RIGHT, "Ansprechpartner:")],
            [(LEFT, "Farid Ahmadi")],
            [(RIGHT, "Ortrun Schäfer")],
            [(LEFT, "Ellen-Klemm-Gasse 100b")],
            [(RIGHT, "Telefon: 0340 345-41")],
            [(LEFT, "06628 Bad Kösen")],
        ]
    )
    found = recipient(text)
    assert found is not None and found.value == "Farid Ahmadi"


def test_the_clerk_named_after_a_contact_label_or_under_it() -> None:
    beside = _page([[(RIGHT, "Ansprechpartner: Ortrun Schäfer")]])
    under = _page([[(RIGHT, "Bearbeiter")], [(RIGHT, "Thorben Klingelhöfer")]])
    assert contact_names(beside) == {"ortrunschafer"}
    assert contact_names(under) == {"thorbenklingelhofer"}
    assert not_the_recipient(beside, "Ortrun Schäfer")
    assert not not_the_recipient(beside, "Farid Ahmadi")


def test_a_label_of_any_table_is_never_a_name() -> None:
    text = _page([[(LEFT, "Frau")]])
    for label in ("Ansprechpartner", "Ansprechpartner:", "Datum:", "Geburtsdatum", "Aktenzeichen"):
        assert not_the_recipient(text, label), label
    assert not not_the_recipient(text, "Soraya Sediqi")
    # a contact label is whole words: a surname that starts with one is a surname
    assert not_the_recipient(text, "Vater Hans Meyer")
    assert not not_the_recipient(text, "Hans Vatermann")
    assert not not_the_recipient(text, "Vatermann Hans")


def test_a_name_holding_a_label_word_is_doubted_not_refused() -> None:
    text = _page([[(LEFT, "Frau")]])
    assert recipient_doubt(text, "Ansprechpartner Sediqi") is not None
    # a surname that is a word of a longer label (`auf Grund`) is a surname
    assert recipient_doubt(text, "Hanna Grund") is None


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return build_pipeline()


def _fields(nlp, text: DocumentText):  # type: ignore[no-untyped-def]
    return extract_notice(text, nlp.get_pipe("dach_notice_fields_v1")(nlp.make_doc(text.text)))


def test_a_label_in_the_address_column_is_never_filed_as_the_recipient(nlp) -> None:  # type: ignore[no-untyped-def]
    # the information block printed in the address window's column, under the title: the label is no name, and
    # the clerk's name under it is no recipient; without the salutation nothing tells the recipient apart
    text = _page(
        [
            [(LEFT, "Jobcenter Anhalt-Bitterfeld")],
            [(LEFT, "Herrn")],
            [(LEFT, "Ansprechpartner")],
            [(LEFT, "Ortrun Schäfer")],
            [(LEFT, "Bescheid über Leistungen zur Sicherung des Lebensunterhalts")],
            [(LEFT, "Guten Tag,")],
        ]
    )
    field = _fields(nlp, text).fields.get("recipient_name")
    assert field is None or field.confidence < FIELD_REVIEW_CONFIDENCE


def test_the_interleaved_letter_files_its_addressee(nlp) -> None:  # type: ignore[no-untyped-def]
    found = _fields(nlp, _letter([[(RIGHT, "Ansprechpartner")]]))
    assert found.fields["recipient_name"].value == "Farid Ahmadi"
    assert not any(note.startswith("recipient_name") for note in found.notes)


def test_a_household_tables_total_row_labelled_gesamtanspruch_gives_the_amount() -> None:
    rows = ["Duaa Alhalabi 506,00 €", "Omar Alhalabi 471,00 €", "Mahmoud Alhalabi 390,00 €"]
    lines = ["Bescheid über Bürgergeld", "folgende monatliche Ansprüche:", *rows, "Gesamtanspruch 1.367,00 €"]
    found = _amount(DocumentText([page_from_lines(1, lines, source=TextSource.OCR)]))
    assert found is not None and found.value == "1367.00"
    # read column by column: the total stands beside its label, not after it in the text
    columns = _page(
        [
            [(0.12, "Duaa Alhalabi"), (0.80, "506,00 €")],
            [(0.12, "Omar Alhalabi"), (0.80, "471,00 €")],
            [(0.12, "GESAMTANSPRUCH"), (0.80, "977,00 €")],
        ]
    )
    found = _amount(columns)
    assert found is not None and found.value == "977.00"


def test_a_total_row_whose_amount_is_unreadable_leaves_a_doubted_guess() -> None:
    # OCR garbled the total (`SESEIU-EUR`): the first row's amount is no total and must not be filed as certain
    rows = ["Ustym Yeroshenko 451,00 EUR", "Rozalija Yeroshenko 471,00 EUR"]
    lines = ["folgende monatliche Ansprüche:", *rows, "Gesamtanspruch = SESEIU-EUR"]
    found = _amount(DocumentText([page_from_lines(1, lines, source=TextSource.OCR)]))
    assert found is not None and found.certainty < FIELD_REVIEW_CONFIDENCE


def test_the_clerk_under_any_contact_label_of_the_table() -> None:
    # `Auskunft:`, `Sachbearbeiterin` name the clerk as `Ansprechpartner:` does
    text = _page([[(RIGHT, "Auskunft: Paola Hering")], [(RIGHT, "Sachbearbeiterin")], [(RIGHT, "Jörg Barth")]])
    assert contact_names(text) == {"paolahering", "jorgbarth"}


def test_the_letter_date_in_a_box_beside_the_address_window() -> None:
    # `vom 11.02.2025` under the file number in a ruled box, whose left border OCR reads as `|`
    text = _page(
        [
            [(LEFT, "Frau"), (RIGHT, "Aktenzeichen")],
            [(LEFT, "Duaa Alhalabi"), (RIGHT, "| BG 79124//8115325")],
            [(LEFT, "Eberhardtallee 12"), (RIGHT, "| vom 11.02.2025")],
            [(LEFT, "06642 Nebra (Unstrut)")],
        ]
    )
    found = dated_reference(text)
    assert found is not None and found.value == "2025-02-11"
    assert text.text[found.start : found.end] == "11.02.2025"


def test_a_lone_date_under_a_garbled_caption_of_the_information_block_is_a_doubted_guess() -> None:
    text = _page(
        [
            [(RIGHT, "Danan:"), (0.72, "16.10.2023")],  # `Datum:` as OCR read it
            [(LEFT, "Frau"), (RIGHT, "BG-Nummer. 32792BG2699235")],
        ]
    )
    found = info_block_date(text)
    assert found is not None and found.value == "2023-10-16" and found.certainty < FIELD_REVIEW_CONFIDENCE
    assert text.text[found.start : found.end] == "16.10.2023"
    garbled_vom = _page([[(LEFT, "Eberhardtallee 12"), (RIGHT, "[om 16.02.2025")]])
    found = info_block_date(garbled_vom)
    assert found is not None and garbled_vom.text[found.start : found.end] == "16.02.2025"
    # another field's label names another day; a date in the address window is none of the block's
    assert info_block_date(_page([[(RIGHT, "Geburtsdatum:"), (0.72, "16.10.1990")]])) is None
    assert info_block_date(_page([[(LEFT, "Danan:"), (0.22, "16.10.2023")]])) is None


def test_an_amount_never_runs_over_a_line_break() -> None:
    # a form whose labels OCR lost: the period's last date at a line's end is no amount of the `EUR` under it
    lines = ["65 839 8062", "14.05.2023", "01.06.2023 - 31.05.2024", "EUR 502,00"]
    found = _amount(DocumentText([page_from_lines(1, lines, source=TextSource.OCR)]))
    assert found is not None and found.value == "502.00"


def test_a_title_before_the_name_on_its_line_is_not_part_of_it() -> None:
    text = _page([[(LEFT, "Herrn Farid Ahmadi")], [(LEFT, "Ellen-Klemm-Gasse 100b")], [(LEFT, "06628 Bad Kösen")]])
    found = recipient(text)
    assert found is not None and found.value == "Farid Ahmadi"
    assert text.text[found.start : found.end] == "Farid Ahmadi"
    # over an address on one line, as forms print it
    form = _page([[(LEFT, "Frau Maryam Osman")], [(LEFT, "Otto-Kühnert-Weg 86b, 06682 Teuchern")]])
    found = recipient(form)
    assert found is not None and found.value == "Maryam Osman"
    # a household is named as one
    family = _page([[(LEFT, "Familie Ahmadi")], [(LEFT, "Ellen-Klemm-Gasse 100b")], [(LEFT, "06628 Bad Kösen")]])
    found = recipient(family)
    assert found is None or found.value == "Familie Ahmadi"
