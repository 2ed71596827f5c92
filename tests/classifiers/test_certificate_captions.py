"""Captions in wordings no label table lists, values under them in boxes, and the OCR slips of boxed forms
(issue 17)."""

from __future__ import annotations

import pytest

from classifiers.certificate import NORMALISERS, is_label, latin_twin
from classifiers.certificate_captions import caption_field
from classifiers.certificate_prose import complete_certificate, name_as_printed
from classifiers.cues import title_types
from classifiers.extract import FieldSet, Found
from classifiers.fields import CERTIFICATE_FIELDS_FACTORY, label_spans, label_text
from classifiers.keyvalue import _spans, garbled_labels
from classifiers.text import DocumentText
from schemas.documents import DocumentType
from tests.classifiers.test_keyvalue import page


@pytest.mark.parametrize(
    ("caption", "field"),
    [
        ("Date of award", "issue_date"),
        ("Awarding institution", "issuing_authority"),
        ("Name of the awardee", "person_name"),
        ("Name of school", "issuing_authority"),
        ("Belge numarası", "certificate_number"),
        ("Дата оформлення документа", "issue_date"),
        ("Doğduğu yer", "birth_place"),
        ("Власниця", "person_name"),
        ("الجهة المانحة", "issuing_authority"),
        ("Mother's name", "other"),
        ("Ehegattin", "other"),
        ("Surname", "other"),
    ],
)
def test_caption_read_by_its_words(caption: str, field: str) -> None:
    assert caption_field(caption) == field


@pytest.mark.parametrize(
    "value",
    [
        "Doğan Yılmaz",
        "Ana Popescu",
        "Babak Rahimi",
        "Grant Petrosyan",
        "University of Aleppo",
        "Adıyaman",
        "قاسم",
        "الامارات",
        "12.03.1990",
    ],
)
def test_values_are_no_captions(value: str) -> None:
    """Names and letterheads that share a word with a caption (`Doğan` born, `Ana` mother) stay values."""
    assert caption_field(value) is None
    assert not is_label(value)


def boxed_form() -> DocumentText:
    """A form of boxes: small captions (original over English) with the value under them, two boxes a row."""
    return DocumentText(
        [
            page(
                [
                    ("Lyceum No. 94, Mariupol", 0.07, 0.05),
                    ("СВІДОЦТВО ПРО ЗДОБУТТЯ БАЗОВОЇ СЕРЕДНЬОЇ ОСВІТИ", 0.2, 0.10),
                    ("Власниця", 0.07, 0.16),
                    ("Holder", 0.07, 0.175),
                    ("Нестайко Едита", 0.07, 0.195),
                    ("Nestaiko Edyta", 0.07, 0.215),
                    ("Date of award", 0.55, 0.175),
                    ("11.10.2013", 0.55, 0.195),
                    ("Mother", 0.07, 0.26),
                    ("Anzhela Nestaiko", 0.07, 0.28),
                    ("Awarding body", 0.55, 0.26),
                    ("Lyceum No. 94, Mariupol", 0.55, 0.28),
                ]
            )
        ]
    )


def test_boxed_form_values_under_captions_no_table_lists() -> None:
    text = boxed_form()
    found = complete_certificate(text, FieldSet(text=text, fields={}, notes=[]))
    values = {name: f.value for name, f in found.fields.items()}
    assert values["person_name"] == "Nestaiko Edyta"  # the Latin twin under the Cyrillic value
    assert values["issue_date"] == "2013-10-11"
    assert values["issuing_authority"] == "Lyceum No. 94, Mariupol"
    # a reading from a caption's words alone is less sure than one from a known label
    assert all(found.fields[name].confidence < 0.5 for name in ("person_name", "issue_date"))


def test_latin_twin_of_a_name_without_ukrainian_letters() -> None:
    """`Едита` has no letter that marks it Ukrainian; its twin `Edyta` is the Ukrainian column's spelling."""
    text = DocumentText([page([("Ім'я", 0.1, 0.1), ("Едита", 0.1, 0.12), ("Edyta", 0.1, 0.14)])])
    start = text.text.index("Едита")
    twin = latin_twin(text, Found("Едита", start, start + 5, 0.8), "person_name")
    assert twin is not None and twin.value == "Edyta"


def test_labels_found_through_direction_marks() -> None:
    """OCR glues a right-to-left mark to the words of a bilingual line (`Place of birth\u200f`, `:محل تولد\u200f`);
    the label is still a label, and every character keeps its offset."""
    import spacy

    nlp = spacy.blank("de")
    nlp.add_pipe(CERTIFICATE_FIELDS_FACTORY)
    line = "Place of birth\u200f Homs :محل تولد\u200f حمص"
    assert len(label_text(line)) == len(line)
    spans = label_spans(nlp(label_text(line)), "certificate")
    assert [s.text for s in spans["birth_place"]] == ["Place of birth", "محل تولد"]


def test_box_rules_and_double_i_are_not_part_of_a_name() -> None:
    assert NORMALISERS["person_name"]("| Kırat Fırat") == "Kırat Fırat"
    assert NORMALISERS["person_name"]("_Kassem, Fatima") == "Kassem, Fatima"
    assert name_as_printed("Iryna IIchenko") == "Iryna Ilchenko"


@pytest.mark.parametrize(
    "title",
    [
        "Diploma of Higher Education",
        "Urkunde über den Hochschulabschluss",
        "Zeugnis über die Masterprüfung",
        "Bachelor’s Diploma",
        "Doctor of Philosophy",
        "Кваліфікація: магістр",
        "شهادة تخرج",
    ],
)
def test_degree_titles_in_the_wordings_universities_use(title: str) -> None:
    assert title_types(title) == [DocumentType.DEGREE_CERTIFICATE]


def test_school_leaving_titles_stay_school() -> None:
    assert title_types("Zeugnis über den Hauptschulabschluss") == [DocumentType.SCHOOL_CERTIFICATE]
    assert title_types("SECONDARY SCHOOL GRADUATION CERTIFICATE") == [DocumentType.SCHOOL_CERTIFICATE]


def test_persian_name_and_surname_label_is_one_label() -> None:
    """`نام و نام خانوادگی` (name and surname) is the whole name, not the given-name label `نام` plus a surname."""
    rows = [
        ("Name of holder:", 0.08, 0.20),
        ("Reza Azizi", 0.08, 0.215),
        (":نام و نام خانوادگی", 0.70, 0.20),
        ("رضا عزیزی", 0.75, 0.215),
    ]
    text = DocumentText([page(rows)])
    spans = _spans(text)
    assert "given" not in spans and "surname" not in spans
    assert [s.text for s in spans["full_name"]] == ["نام و نام خانوادگی"]


def test_place_and_authority_without_ocr_slips() -> None:
    assert NORMALISERS["birth_place"]("Dnipro -") == "Dnipro"
    assert NORMALISERS["birth_place"]("-") is None
    assert NORMALISERS["issuing_authority"]("Ліцей М» 78 м. Маріуполь") == "Ліцей № 78 м. Маріуполь"
    assert NORMALISERS["certificate_number"]("۱") is None  # a digit OCR kept of a number it cut off


def test_caption_with_its_value_on_the_same_line() -> None:
    text = DocumentText(
        [
            page(
                [
                    ("DIPLOMA OF HIGHER EDUCATION", 0.3, 0.05),
                    ("Awardee: Maryam Almasri", 0.1, 0.15),
                    ("Diploma reference 2021/5567", 0.1, 0.18),
                    ("Date of award: 12.06.2021", 0.1, 0.21),
                ]
            )
        ]
    )
    found = complete_certificate(text, FieldSet(text=text, fields={}, notes=[]))
    values = {name: f.value for name, f in found.fields.items()}
    assert values["person_name"] == "Maryam Almasri"
    assert values["issue_date"] == "2021-06-12"


def test_date_label_garbled_beyond_the_usual_likeness() -> None:
    """`gehoren AN... 30.12.1987` is `geboren am` read off a dotted form: a date label may be less alike when a
    date follows it; a name after an equally garbled name label is not taken."""
    text = DocumentText(
        [
            page(
                [
                    ("MELDEBESCHEINIGUNG", 0.3, 0.05),
                    ("gehoren AN... 30.12.1987", 0.1, 0.15),
                    ("Varnume Ahmad", 0.1, 0.18),
                ]
            )
        ]
    )
    spans = garbled_labels(text, {})
    assert [s.text for s in spans["birth_date"]] == ["gehoren AN..."]
    assert "given" not in spans


@pytest.mark.parametrize(
    ("title", "doc_type"),
    [
        ("Internationaler Auszug aus dem Geburtseintrag", DocumentType.BIRTH_CERTIFICATE),
        ("DOĞUM KAYDINDAN ÖRNEK", DocumentType.BIRTH_CERTIFICATE),
        ("Extract of birth record", DocumentType.BIRTH_CERTIFICATE),
        ("Extrait d'acte de naissance", DocumentType.BIRTH_CERTIFICATE),
        (
            "ВИТЯГ З ДЕРЖАВНОГО РЕЄСТРУ АКТІВ ЦИВІЛЬНОГО СТАНУ ГРОМАДЯН ЩОДО ДЕРЖАВНОЇ РЕЄСТРАЦІЇ НАРОДЖЕННЯ",
            DocumentType.BIRTH_CERTIFICATE,
        ),
        ("Auszug aus dem Eheregister", DocumentType.MARRIAGE_CERTIFICATE),
        ("EVLENME KAYDINDAN ÖRNEK", DocumentType.MARRIAGE_CERTIFICATE),
        ("Extract from the marriage register", DocumentType.MARRIAGE_CERTIFICATE),
    ],
)
def test_a_civil_registers_extract_of_an_entry_is_titled_as_its_certificate(title: str, doc_type: DocumentType) -> None:
    """The extracts of a birth or marriage entry (the multilingual CIEC extracts, the Turkish `kaydından örnek`,
    the Ukrainian `витяг`) were read as `other`: no title cue named them."""
    assert title_types(title) == [doc_type]


@pytest.mark.parametrize(
    "caption",
    [
        "Nüfus Müdürlüğü / Standesamt / Civil registry office",
        "Відділ ДРАЦС / Standesamt",
        "Standesamt | Civil Registry Office",
    ],
)
def test_an_office_kind_in_several_languages_is_the_issuers_caption(caption: str) -> None:
    assert caption_field(caption) == "issuing_authority"
    assert is_label(caption)
    assert NORMALISERS["issuing_authority"](caption) is None


@pytest.mark.parametrize(
    "body",
    ["Konak Nüfus Müdürlüğü / Standesamt Konak", "Civil Registry Office", "Відділ ДРАЦС м. Київ / Standesamt Kyiv"],
)
def test_an_office_named_by_its_town_or_in_one_language_stays_a_value(body: str) -> None:
    assert caption_field(body) is None


def test_the_issuer_under_an_office_kind_caption_at_the_head_of_the_page() -> None:
    """A caption line over the letterhead office's name was read as the letterhead itself."""
    text = DocumentText(
        [
            page(
                [
                    ("TÜRKİYE CUMHURİYETİ", 0.3, 0.03),
                    ("Nüfus Müdürlüğü / Standesamt / Civil registry office", 0.1, 0.08),
                    ("Konak İlçe Nüfus Müdürlüğü", 0.1, 0.11),
                    ("DOĞUM BELGESİ / BIRTH CERTIFICATE", 0.2, 0.2),
                    ("Adı Soyadı / Name: Ayşe Yılmaz", 0.1, 0.3),
                ]
            )
        ]
    )
    found = complete_certificate(text, FieldSet(text=text, fields={}, notes=[]))
    assert found.fields["issuing_authority"].value == "Konak İlçe Nüfus Müdürlüğü"
