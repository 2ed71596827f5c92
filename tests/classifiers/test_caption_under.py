"""Captions set under their values (a signature line's way, small print under a form's boxes): the row below a
caption is then the next field's value, never its own (classifiers.geometry.value_near)."""

from __future__ import annotations

from classifiers.certificate import NORMALISERS, extract_certificate, is_label
from classifiers.certificate_prose import complete_certificate
from classifiers.extract import FieldSet, Found
from classifiers.fields import label_text
from classifiers.geometry import CAPTION_UNDER_CERTAINTY, value_near
from classifiers.keyvalue import fill_certificate
from classifiers.model import shipped_model
from classifiers.text import DocumentText
from schemas.documents import DocumentType
from tests.classifiers.test_keyvalue import page


def _caption_under(text: DocumentText, caption: str, *, certificate: bool = True) -> Found | None:
    start = text.text.index(caption)
    normalise = NORMALISERS["person_name"]
    return value_near(text, start, start + len(caption), normalise, is_label, caption_under=certificate)


def _under_values() -> DocumentText:
    """Each value with its caption tight under it, the next pair further down."""
    return DocumentText(
        [
            page(
                [
                    ("GEBURTSURKUNDE", 0.3, 0.05),
                    ("Ivan Petrenko", 0.1, 0.15),
                    ("Name des Kindes", 0.1, 0.168),
                    ("Petro Petrenko", 0.1, 0.24),
                    ("Name des Vaters", 0.1, 0.258),
                ]
            )
        ]
    )


def test_a_caption_set_under_its_value_takes_the_row_above_for_review():
    found = _caption_under(_under_values(), "Name des Kindes")
    assert found is not None and found.value == "Ivan Petrenko"  # not the father's name on the row below
    assert found.certainty == CAPTION_UNDER_CERTAINTY < 0.5


def test_other_readers_keep_the_row_below():
    """Notices print no captions under values: their readers do not ask for the row above."""
    found = _caption_under(_under_values(), "Name des Kindes", certificate=False)
    assert found is not None and found.value == "Petro Petrenko"


def test_a_caption_over_its_value_keeps_the_row_below():
    """The usual form: the caption tight over its value, the previous value further up."""
    rows = [
        ("GEBURTSURKUNDE", 0.3, 0.05),
        ("Name des Vaters", 0.1, 0.10),
        ("Petro Petrenko", 0.1, 0.118),
        ("Name des Kindes", 0.1, 0.19),
        ("Ivan Petrenko", 0.1, 0.208),
    ]
    found = _caption_under(DocumentText([page(rows)]), "Name des Kindes")
    assert found is not None and found.value == "Ivan Petrenko" and found.certainty > 0.5


def test_rows_at_even_spacing_keep_the_row_below():
    rows = [("Petro Petrenko", 0.1, 0.10), ("Name des Kindes", 0.1, 0.13), ("Ivan Petrenko", 0.1, 0.16)]
    found = _caption_under(DocumentText([page(rows)]), "Name des Kindes")
    assert found is not None and found.value == "Ivan Petrenko"


def test_a_label_and_value_row_above_is_no_value_of_the_caption_under_it():
    """side_by_side 0016: `Registration No.: 207151` over its Persian twin line."""
    rows = [("Registration No.: 207151", 0.1, 0.10), ("Name des Kindes", 0.1, 0.118), ("Ivan Petrenko", 0.1, 0.16)]
    found = _caption_under(DocumentText([page(rows)]), "Name des Kindes")
    assert found is not None and found.value == "Ivan Petrenko"


def test_holder_of_name_rows_captioned_under_their_values_is_doubted():
    """`Adı Soyadı` under the holder's name, `Baba Adı` under the father's: the father's name was filed, certain."""
    rows = [
        ("DOĞUM BELGESİ", 0.3, 0.05),
        ("Ayşe Yılmaz", 0.1, 0.15),
        ("Adı Soyadı", 0.1, 0.168),
        ("Mehmet Yılmaz", 0.1, 0.24),
        ("Baba Adı", 0.1, 0.258),
    ]
    text = DocumentText([page(rows)])
    found = complete_certificate(text, fill_certificate(text, FieldSet(text=text, fields={}, notes=[])))
    name = found.fields["person_name"]
    assert name.value == "Ayşe Yılmaz" and name.confidence < 0.5


def test_a_certificate_whose_captions_stand_under_the_values_files_the_childs_name_for_review():
    """`Name des Kindes` under the child's name, `Name des Vaters` under the father's: the father's was filed."""
    text = _under_values()
    found = complete_certificate(text, fill_certificate(text, FieldSet(text=text, fields={}, notes=[])))
    name = found.fields["person_name"]
    assert name.value == "Ivan Petrenko" and name.confidence < 0.5


def test_a_value_read_in_text_order_far_below_its_caption_is_not_its_value():
    """The last caption under its value has no row under it: the next line of the text, the closing line far
    down the page, dated the issue, not the birth."""
    rows = [
        ("BIRTH CERTIFICATE", 0.3, 0.05),
        ("Ivan Petrenko", 0.1, 0.15),
        ("Name of the child", 0.1, 0.168),
        ("12.03.1990", 0.1, 0.24),
        ("Date of birth", 0.1, 0.258),
        ("Kyiv, 14.05.1990", 0.1, 0.8),
    ]
    text = DocumentText([page(rows)])
    found = extract_certificate(text, shipped_model().fields_doc(label_text(text.text)), DocumentType.BIRTH_CERTIFICATE)
    assert "birth_date" not in found.fields  # (the elimination readers may read it later, for review)
