"""A Cyrillic holder's name spelt in Latin letters by the scheme the page spells its other words with, where OCR
lost the name's own Latin line (classifiers.certificate_latin.scheme_spelling)."""

from __future__ import annotations

from classifiers.certificate_latin import scheme_spelling
from classifiers.certificate_prose import complete_certificate
from classifiers.extract import FieldSet
from classifiers.text import DocumentText
from schemas.documents import ExtractedField
from tests.classifiers.test_keyvalue import page

# diploma_halves 0015: the Latin surname read as Cyrillic look-alikes, the given name with a `$`
_DIPLOMA = [
    ("Університет м. Одеса", 0.05, 0.05),
    ("University of Odesa", 0.55, 0.05),
    ("Бараник", 0.05, 0.20),
    ("ВАВАМУК", 0.55, 0.20),
    ("Тарас Борисович", 0.05, 0.24),
    ("Тага$", 0.55, 0.24),
    ("народження 30.12.1987, м. Маріуполь", 0.05, 0.30),
    ("birth 30.12.1987, Mariupol", 0.55, 0.30),
]


def test_name_spelt_by_the_scheme_a_place_of_the_page_shows():
    text = DocumentText([page(_DIPLOMA)])
    assert scheme_spelling(text, "Тарас Бараник") == "Taras Baranyk"


def test_no_spelling_where_no_other_word_shows_the_scheme():
    cells = [cell for cell in _DIPLOMA if not any(place in cell[0] for place in ("Mariupol", "Odesa"))]
    assert scheme_spelling(DocumentText([page(cells)]), "Тарас Бараник") is None


def test_a_latin_name_is_not_spelt_again():
    assert scheme_spelling(DocumentText([page(_DIPLOMA)]), "Taras Baranyk") is None


def test_scheme_spelling_is_left_for_a_clerk_to_check():
    """diploma_halves 0015, stacked_below 0013: the Cyrillic name was filed where the Latin one was printed."""
    text = DocumentText([page(_DIPLOMA)])
    fields = {"person_name": ExtractedField(value="Тарас Бараник", page=1, confidence=0.9)}
    found = complete_certificate(text, FieldSet(text=text, fields=fields, notes=[]))
    assert found.fields["person_name"].value == "Taras Baranyk"
    assert found.fields["person_name"].confidence < 0.5
    assert any(note.startswith("person_name spelt in Latin letters") for note in found.notes)
