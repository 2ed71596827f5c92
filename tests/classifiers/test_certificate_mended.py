"""A Latin name or place whose letters OCR confused, mended by the Cyrillic original the page prints beside it
(classifiers.certificate_latin.mended_by_original, mend_from_original)."""

from __future__ import annotations

from classifiers.certificate_latin import mend_from_original, mended_by_original
from classifiers.extract import FieldSet
from classifiers.text import DocumentText
from schemas.documents import ExtractedField
from tests.classifiers.test_keyvalue import page

# interleaved 0002 and stacked_below 0022: `l` read `i`, `n` read `m` in the Latin twins
_RECORD = [
    ("Павличенко / Paviychenko", 0.05, 0.20),
    ("Левко / Levko", 0.05, 0.24),
    ("Чернігів / Chermihiv", 0.05, 0.28),
    ("Харків / Kharkiv", 0.05, 0.32),
]


def _text() -> DocumentText:
    return DocumentText([page(_RECORD)])


def test_a_latin_name_takes_the_letters_its_cyrillic_original_agrees_on():
    assert mended_by_original(_text(), "Levko Paviychenko") == "Levko Pavlychenko"
    assert mended_by_original(_text(), "PAVIYCHENKO, Levko") == "PAVLYCHENKO, Levko"
    assert mended_by_original(_text(), "Chermihiv") == "Chernihiv"


def test_a_latin_reading_the_original_spells_letter_for_letter_is_left_alone():
    assert mended_by_original(_text(), "Levko Pavlychenko") is None
    assert mended_by_original(_text(), "Kharkiv") is None


def test_no_mending_without_an_original_or_beyond_letters_ocr_confuses():
    assert mended_by_original(_text(), "Levko Pavlochenko") is None  # `o` for `y` is a spelling, not a slip
    assert mended_by_original(_text(), "Sedigi") is None  # no Cyrillic original on the page
    assert mended_by_original(_text(), "Павличенко") is None  # not a Latin reading


def test_a_mended_field_is_left_for_a_clerk_to_check():
    text = _text()
    fields = {
        "person_name": ExtractedField(value="Levko Paviychenko", page=1, confidence=0.9),
        "birth_place": ExtractedField(value="Kharkiv", page=1, confidence=0.9),
    }
    found = FieldSet(text=text, fields=dict(fields), notes=[])
    mend_from_original(text, found)
    assert found.fields["person_name"].value == "Levko Pavlychenko"
    assert found.fields["person_name"].confidence < 0.5 and found.notes
    assert (found.fields["birth_place"].value, found.fields["birth_place"].confidence) == ("Kharkiv", 0.9)


def test_a_mended_word_is_cased_as_it_is_set_not_letter_by_letter():
    """stacked_below 0024 (`SUVOROV lakov`), boxed_form 0022 (`IIchenko`): the slip was a letter's case too."""
    text = DocumentText([page([("Суворов Яков / SUVOROV lakov", 0.05, 0.2), ("Ільченко / IIchenko", 0.05, 0.3)])])
    assert mended_by_original(text, "SUVOROV lakov") == "SUVOROV Iakov"
    assert mended_by_original(text, "Iryna IIchenko") == "Iryna Ilchenko"
