"""Key–value reading by geometry (issue 17): name rows, Latin twins, series lines, closing-line dates."""

from __future__ import annotations

from classifiers.extract import FieldSet
from classifiers.keyvalue import _spans as label_spans
from classifiers.keyvalue import closing_date, fill_certificate, fill_notice, holder_name, series_number, strip_leaders
from classifiers.text import DocumentText
from schemas.documents import BBox, PageText, TextSource, Word

CHAR = 0.011  # width of one character as a fraction of the page


def page(cells: list[tuple[str, float, float]]) -> PageText:
    """A page of text cells (text, x0, y0): each cell one line of OCR words at that place."""
    words = []
    for line_no, (text, x0, y0) in enumerate(cells):
        x = x0
        for token in text.split():
            x1 = x + CHAR * len(token)
            words.append(Word(text=token, bbox=BBox(x0=x, y0=y0, x1=x1, y1=y0 + 0.012), confidence=0.95, line=line_no))
            x = x1 + 0.008
    return PageText(page=1, width=2480, height=3508, source=TextSource.OCR, words=tuple(words))


def stacked_table() -> DocumentText:
    """Labels stacked in two languages left, the Cyrillic value right with its Latin twin below."""
    rows = [
        ("СВІДОЦТВО ПРО НАРОДЖЕННЯ", 0.3, 0.08),
        ("Прізвище", 0.08, 0.20),
        ("Familienname", 0.08, 0.215),
        ("Шевченко", 0.45, 0.20),
        ("Shevchenko", 0.45, 0.218),
        ("Ім'я", 0.08, 0.26),
        ("Vorname", 0.08, 0.275),
        ("Олена", 0.45, 0.26),
        ("Olena", 0.45, 0.278),
        ("По батькові", 0.08, 0.32),
        ("Vatersname", 0.08, 0.335),
        ("Петрівна", 0.45, 0.32),
        ("Petrivna", 0.45, 0.338),
        ("Батько", 0.08, 0.38),
        ("Vater", 0.08, 0.395),
        ("Шевченко Петро", 0.45, 0.38),
        ("Shevchenko Petro", 0.45, 0.398),
        ("Серія I-АВ № 123456", 0.08, 0.60),
        ("Київ, 12.03.2010", 0.08, 0.70),
    ]
    return DocumentText([page([(t, x, y) for t, x, y in rows])])


def test_holder_name_from_surname_and_given_rows_takes_the_latin_twin() -> None:
    text = stacked_table()
    found = holder_name(text, label_spans(text))
    assert found is not None
    assert found.value == "Olena Shevchenko"  # the patronymic is not part of person_name, the father is not her


def test_series_line_and_closing_date() -> None:
    text = stacked_table()
    number = series_number(text)
    assert number is not None and number.value == "I-АВ 123456"
    day = closing_date(text)
    assert day is not None and day.value == "2010-03-12"


def test_fill_certificate_adds_only_what_is_missing_and_keeps_notes_honest() -> None:
    text = stacked_table()
    found = FieldSet(text=text, fields={}, notes=["certificate_number not found or not valid; please enter it"])
    fill_certificate(text, found)
    assert found.fields["person_name"].value == "Olena Shevchenko"
    assert found.fields["certificate_number"].value == "I-АВ 123456"
    assert found.fields["issue_date"].value == "2010-03-12"
    assert not any(n.startswith("certificate_number") for n in found.notes)
    assert all(f.confidence <= 0.8 for f in found.fields.values())  # a generic reading is never the surest


def test_a_value_behind_dotted_leaders() -> None:
    assert strip_leaders("............ Riabova, Varvara") == "Riabova, Varvara"
    assert strip_leaders("©..........cccccceeeseeee Riabova, Varvara") == "Riabova, Varvara"
    assert strip_leaders("Müller") == "Müller"


def test_notice_total_below_a_form_label_and_a_closing_date() -> None:
    text = DocumentText(
        [
            page(
                [
                    ("Landkreis Stendal – Sozialamt", 0.08, 0.05),
                    ("Aktenzeichen", 0.08, 0.20),
                    ("SO-123456", 0.08, 0.22),
                    ("Monatlicher Betrag", 0.08, 0.30),
                    ("563,00 €", 0.08, 0.32),
                    ("Stendal, 14.03.2025", 0.08, 0.80),
                ]
            )
        ]
    )
    found = FieldSet(text=text, fields={}, notes=[])
    fill_notice(text, found)
    assert found.fields["file_number"].value == "SO-123456"
    assert found.fields["amount_eur"].value == "563.00"
    assert found.fields["notice_date"].value == "2025-03-14"


def test_a_bilingual_rows_value_is_taken_in_the_labels_column_and_in_latin() -> None:
    """English label left over its value, Arabic label right over its value set a little higher (another font):
    the place is the English column's, and the Latin block's authority replaces the Arabic one."""
    rows = [
        ("Birthplace:", 0.08, 0.30),
        ("مكان الولادة:", 0.75, 0.30),
        ("Basra", 0.08, 0.318),
        ("البصرة", 0.80, 0.315),
        ("Issuing office:", 0.08, 0.36),
        ("جهة الإصدار:", 0.75, 0.36),
        ("Civil Registry Office, Basra", 0.08, 0.378),
        ("دائرة الأحوال المدنية", 0.62, 0.375),
    ]
    from classifiers.certificate import extract_certificate
    from classifiers.model import shipped_model
    from schemas.documents import DocumentType

    text = DocumentText([page([(t, x, y) for t, x, y in rows])])
    found = fill_certificate(
        text, extract_certificate(text, shipped_model().fields_doc(text.text), DocumentType.BIRTH_CERTIFICATE)
    )
    assert found.fields["birth_place"].value == "Basra"
    assert found.fields["issuing_authority"].value == "Civil Registry Office, Basra"


def test_given_name_row_whose_latin_twin_ocr_garbled_is_spelt_as_the_surname_row_shows() -> None:
    # `Given names Liliia` read with the Cyrillic model; `Вакуленко` / `VAKULENKO` shows the KMU 2010 spelling
    rows = [
        ("СВІДОЦТВО ПРО НАРОДЖЕННЯ", 0.3, 0.08),
        ("Прізвище", 0.08, 0.20),
        ("Вакуленко", 0.45, 0.20),
        ("Surname", 0.08, 0.23),
        ("VAKULENKO", 0.45, 0.23),
        ("Ім'я", 0.08, 0.26),
        ("Лілія", 0.45, 0.26),
        ("Сімеп патез", 0.08, 0.29),
        ("Ційа", 0.45, 0.29),
    ]
    text = DocumentText([page(rows)])
    found = holder_name(text, label_spans(text))
    assert found is not None and found.value == "Liliia VAKULENKO" and found.certainty < 0.8


def test_bare_name_under_a_surname_label_is_the_given_names_label() -> None:
    """pair_tab 0014: `Прізвище / Surname` over `ім'я / Name` (the Ukrainian garbled): `Name` asks for the given
    names beside the surname, so the holder is `Amaliia Stelmakh`, not the given name alone."""
    rows = [
        ("Прізвище / Surname", 0.05, 0.20),
        ("їм'я / Name", 0.05, 0.24),
        ("Дата народження / Date of Birth", 0.05, 0.28),
        (": STELMAKH", 0.45, 0.20),
        (": Amaliia", 0.45, 0.24),
        (": 26.11.1995", 0.45, 0.28),
    ]
    text = DocumentText([page(rows)])
    found = holder_name(text, label_spans(text))
    assert found is not None
    assert found.value == "Amaliia STELMAKH"


def test_bare_name_without_a_surname_label_above_is_not_a_given_name() -> None:
    rows = [("Name", 0.05, 0.20), ("Date of Birth", 0.05, 0.24), (": Amaliia", 0.45, 0.20)]
    text = DocumentText([page(rows)])
    assert holder_name(text, label_spans(text)) is None
