"""Bilingual certificates with the two languages interleaved (issue 17): a label's second language after a
slash on its row, a value printed twice on one line (`Казакова / KAZAKOVA`), the Latin twin on the line under
a Cyrillic value that OCR read in Latin look-alikes, and an issuer named only in its own script on a page with
a Latin block."""

from __future__ import annotations

from classifiers.certificate import NORMALISERS, is_label, person_name, place
from classifiers.certificate_latin import latin_half, mixed_scripts
from classifiers.certificate_prose import complete_certificate
from classifiers.extract import FieldSet, Found
from classifiers.geometry import value_near
from classifiers.keyvalue import _spans as label_spans
from classifiers.keyvalue import holder_name
from classifiers.text import DocumentText
from tests.classifiers.test_keyvalue import page


def test_the_latin_half_of_a_value_printed_twice_on_one_line() -> None:
    assert latin_half("Казакова / KAZAKOVA") == "KAZAKOVA"
    assert latin_half("Sankt-Peterburg / Санкт-Петербург") == "Sankt-Peterburg"
    assert latin_half("Гімназія № 155 м. Львів / Gymnasium No. 155, Lviv") == "Gymnasium No. 155, Lviv"
    # one script on both sides, or no slash between words: as printed
    assert latin_half("Kyiv / Kiev") == "Kyiv / Kiev"
    assert latin_half("12 / 03 / 1990") == "12 / 03 / 1990"
    assert latin_half("Харків") == "Харків"


def test_a_name_in_two_scripts_is_no_name_but_its_latin_half_is() -> None:
    assert mixed_scripts("Валентина Valentina")
    assert not mixed_scripts("Valentina Kazakova") and not mixed_scripts("Валентина Казакова")
    assert person_name("Валентина Valentina Казакова KAZAKOVA") is None
    assert person_name("Валентина / Valentina") == "Valentina"
    assert place("Харків / Kharkiv") == "Kharkiv"


def _slash_rows() -> DocumentText:
    rows = [
        ("СВІДОЦТВО ПРО НАРОДЖЕННЯ", 0.3, 0.08),
        ("Belge No / Document No: 311834", 0.08, 0.15),
        ("Прізвище / Family name", 0.08, 0.20),
        ("Коваленко / KOVALENKO", 0.45, 0.20),
        ("Власне ім'я / Given name(s)", 0.08, 0.24),
        ("Олена / Olena", 0.45, 0.24),
        ("Місце народження / Place of birth", 0.08, 0.28),
        ("Харків / Kharkiv", 0.45, 0.28),
        ("Батько / Father", 0.08, 0.32),
        ("Коваленко Петро / Kovalenko Petro", 0.45, 0.32),
    ]
    return DocumentText([page(rows)])


def _span(text: DocumentText, label: str) -> tuple[int, int]:
    start = text.text.index(label)
    return start, start + len(label)


def test_a_labels_second_language_after_a_slash_is_part_of_the_label() -> None:
    text = _slash_rows()
    number = value_near(text, *_span(text, "Belge No"), NORMALISERS["certificate_number"], is_label)
    assert number is not None and number.value == "311834"  # not `/ Document No: 311834`
    born = value_near(text, *_span(text, "Місце народження"), NORMALISERS["birth_place"], is_label)
    assert born is not None and born.value == "Kharkiv"  # not `/ Place of birth`, nor `Харків / Kharkiv`


def test_holder_from_name_rows_with_slash_labels_and_slash_values() -> None:
    text = _slash_rows()
    found = holder_name(text, label_spans(text))
    assert found is not None and found.value == "Olena KOVALENKO"


def test_a_name_rows_latin_twin_under_a_cyrillic_value_ocr_read_in_look_alikes() -> None:
    """`Ірена` read `Ipena`: the line under it, `Irena`, is the Latin twin the e-file records."""
    rows = [
        ("Прізвище:", 0.08, 0.20),
        ("Закусило", 0.45, 0.20),
        ("Family name:", 0.08, 0.22),
        ("Zakusylo", 0.45, 0.22),
        ("Власне ім'я:", 0.08, 0.26),
        ("Ipena", 0.45, 0.26),
        ("Given пате(5):", 0.08, 0.28),
        ("Irena", 0.45, 0.28),
        ("По батькові:", 0.08, 0.32),
        ("Яремівна", 0.45, 0.32),
    ]
    text = DocumentText([page(rows)])
    found = holder_name(text, label_spans(text))
    assert found is not None and found.value == "Irena Zakusylo"


def test_a_name_row_keeps_its_value_where_the_line_under_it_is_another_name() -> None:
    rows = [
        ("Surname:", 0.08, 0.20),
        ("Ivanova", 0.45, 0.20),
        ("Given names:", 0.08, 0.24),
        ("Olga", 0.45, 0.24),
        ("Father:", 0.08, 0.28),
        ("Ivanov Petro", 0.45, 0.28),
    ]
    text = DocumentText([page(rows)])
    found = holder_name(text, label_spans(text))
    assert found is not None and found.value == "Olga Ivanova"


def test_an_issuer_named_only_in_its_own_script_on_a_page_with_a_latin_block_goes_to_review() -> None:
    rows = [
        ("Гімназія № 155 м. Львів", 0.3, 0.05),
        ("CERTIFICATE OF BASIC SECONDARY EDUCATION", 0.2, 0.10),
        ("Family name: Zakusylo", 0.08, 0.20),
        ("Given names: Irena", 0.08, 0.24),
        ("Place of birth: Mariupol", 0.08, 0.28),
    ]
    text = DocumentText([page(rows)])
    found = FieldSet(text=text, fields={}, notes=[])
    found.put("issuing_authority", Found("Гімназія № 155 м. Львів", 0, 10, 0.9))
    complete_certificate(text, found)
    assert found.fields["issuing_authority"].confidence < 0.5
    assert any(n.startswith("issuing_authority read only in the original script") for n in found.notes)


def _two_columns() -> DocumentText:
    """The holder's whole-name caption left, the father's and mother's (the same caption with a role word)
    right and level with it; the mother's English caption garbled past its role word."""
    rows = [
        ("СВІДОЦТВО ПРО НАРОДЖЕННЯ", 0.3, 0.06),
        ("Прізвище, ім'я, по батькові", 0.07, 0.14),
        ("Прізвище, ім'я, по батькові батька", 0.62, 0.14),
        ("Surname, given names, patronymic", 0.07, 0.155),
        ("Father's full name", 0.62, 0.155),
        ("Ільєнко Софія Соломонівна", 0.07, 0.175),
        ("Ільєнко Соломон Левкович", 0.62, 0.175),
        ("ILIENKO Sofiia Solomonivna", 0.07, 0.19),
        ("ILIENKO Solomon Levkovych", 0.62, 0.19),
        ("Прізвище, ім'я, по батькові матері", 0.62, 0.23),
        ("Мошег$ full name", 0.62, 0.245),
        ("Лемешко Розалія", 0.62, 0.265),
        ("LEMESHKO Rozaliia", 0.62, 0.28),
    ]
    return DocumentText([page(rows)])


def test_a_name_caption_with_a_role_word_asks_for_another_person() -> None:
    from classifiers.roles import names_another_person

    text = _two_columns()
    holder = text.text.index("Прізвище, ім'я, по батькові")
    father = text.text.index("Прізвище, ім'я, по батькові батька")
    assert not names_another_person(text, holder, holder + 10)  # `по батькові` is the holder's patronymic
    assert names_another_person(text, father, father + 10)
    english = text.text.index("Father's full name") + len("Father's ")
    assert names_another_person(text, english, english + len("full name"))


def test_the_holders_name_is_not_a_parents_under_the_same_caption() -> None:
    from classifiers.certificate import extract_certificate
    from classifiers.fields import label_text
    from classifiers.model import shipped_model
    from schemas.documents import DocumentType

    text = _two_columns()
    doc = shipped_model().fields_doc(label_text(text.text))
    found = extract_certificate(text, doc, DocumentType.BIRTH_CERTIFICATE)
    found = complete_certificate(text, found)
    assert found.fields["person_name"].value == "Sofiia Ilienko"  # not the mother's LEMESHKO Rozaliia


def test_a_surname_in_capitals_comes_last_in_the_case_a_name_is_written() -> None:
    from classifiers.certificate_prose import name_as_printed, prints_turkish_capitals, surname_last

    assert surname_last("GALKIN Ostromir") == "Ostromir Galkin"
    assert surname_last("Sofiia ILIENKO") == "Sofiia Ilienko"
    assert surname_last("Anna-Maria SCHMIDT-WEBER") == "Anna-Maria Schmidt-Weber"
    assert surname_last("Ahsen MANSIZ", turkish=True) == "Ahsen Mansız"  # a Turkish capital I is a dotless ı
    assert surname_last("Durgadin BİLİR", turkish=True) == "Durgadin Bilir"
    # no telling which is the surname, or the comma says it already
    assert surname_last("OLENA KOVALENKO") == "OLENA KOVALENKO"
    assert surname_last("KOVALENKO, Olena") == "KOVALENKO, Olena"
    assert name_as_printed("KOVALENKO Olena Petrivna") == "Olena Kovalenko"  # a reader that kept the patronymic
    assert prints_turkish_capitals("LİSE DİPLOMASI\nAdı Soyadı Ahsen MANSIZ")
    assert not prints_turkish_capitals("Maryam HASHEMI\nDoğum Yeri: Kabul")


def test_a_cyrillic_word_read_in_latin_look_alikes_is_cyrillic_again() -> None:
    from classifiers.certificate_latin import cyrillic_read_as_latin

    assert cyrillic_read_as_latin("MockBa") == "Москва"
    assert cyrillic_read_as_latin("XapkiB") == "Харків"
    # Latin names: letters without a Cyrillic twin, or no capital after a small letter
    assert cyrillic_read_as_latin("McAllen") == "McAllen"
    assert cyrillic_read_as_latin("Moskva") == "Moskva"
    assert cyrillic_read_as_latin("Kocak") == "Kocak"


def test_a_place_read_in_look_alikes_takes_its_latin_twin_under_it() -> None:
    from classifiers.certificate import extract_certificate
    from classifiers.fields import label_text
    from classifiers.model import shipped_model
    from schemas.documents import DocumentType

    rows = [
        ("СВИДЕТЕЛЬСТВО О РОЖДЕНИИ", 0.3, 0.06),
        ("Место рождения", 0.07, 0.20),
        ("Place of birth", 0.07, 0.215),
        ("MockBa", 0.07, 0.235),
        ("Moskva", 0.07, 0.25),
    ]
    text = DocumentText([page(rows)])
    found = extract_certificate(text, shipped_model().fields_doc(label_text(text.text)), DocumentType.BIRTH_CERTIFICATE)
    assert found.fields["birth_place"].value == "Moskva"


def test_an_issuer_printed_twice_takes_the_latin_line_under_its_original_name() -> None:
    rows = [
        ("Наименование органа", 0.62, 0.30),
        ("Issuing authority", 0.62, 0.315),
        ("Управление ЗАГС г. Москва", 0.62, 0.335),
        ("Civil Registry Office, Moskva", 0.62, 0.35),
        ("Дата выдачи", 0.62, 0.39),
        ("Family name: Kapustina", 0.07, 0.30),
    ]
    text = DocumentText([page(rows)])
    found = FieldSet(text=text, fields={}, notes=[])
    start = text.text.index("Управление")
    found.put("issuing_authority", Found("Управление ЗАГС г. Москва", start, start + 25, 0.9))
    complete_certificate(text, found)
    assert found.fields["issuing_authority"].value == "Civil Registry Office, Moskva"
    assert found.fields["issuing_authority"].confidence >= 0.85


def test_a_series_line_whose_numero_sign_ocr_read_as_m_and_a_guillemet() -> None:
    from classifiers.keyvalue import series_number

    text = DocumentText([page([("Серія І-СН М» 434916", 0.07, 0.8)])])
    number = series_number(text)
    assert number is not None and number.value == "I-СН 434916"


def test_an_issuers_latin_line_with_a_word_read_in_cyrillic_is_its_twin_not_its_continuation() -> None:
    rows = [
        ("Орган, що видав документ", 0.62, 0.30),
        ("Issuing authority", 0.62, 0.315),
        ("Міська рада м. Маріуполь", 0.62, 0.335),
        ("City Council ої Mariupol", 0.62, 0.35),
    ]
    text = DocumentText([page(rows)])
    found = FieldSet(text=text, fields={}, notes=[])
    start = text.text.index("Міська")
    found.put("issuing_authority", Found("Міська рада м. Маріуполь", start, start + 24, 0.9))
    complete_certificate(text, found)
    assert found.fields["issuing_authority"].value == "City Council of Mariupol"


def test_an_issuer_is_no_signers_title_and_no_date() -> None:
    from classifiers.certificate import authority

    assert authority("Head of the Civil Registry Office of Kharkiv") == "Civil Registry Office of Kharkiv"
    assert authority("Начальник Відділ ДРАЦС м. Харків") == "Відділ ДРАЦС м. Харків"
    assert authority("Head of Office") is None  # the title alone names no body
    assert authority("12 березня 2021 року") is None  # `Видано 12 березня 2021 року` says when
    assert authority("Standesamt Halle (Saale)") == "Standesamt Halle (Saale)"


def test_a_line_saying_when_it_was_issued_gives_the_issue_date() -> None:
    from classifiers.keyvalue import closing_date

    for line in ("Видано 12 березня 2021 року", "Issued on 12 March 2021", "Ausgestellt am 12.03.2021"):
        found = closing_date(DocumentText([page([("Прізвище: Коваленко", 0.07, 0.2), (line, 0.07, 0.6)])]))
        assert found is not None and found.value == "2021-03-12", line
    assert closing_date(DocumentText([page([("Видано Відділ ДРАЦС м. Київ", 0.07, 0.6)])])) is None


def test_the_registration_office_under_its_translated_label() -> None:
    from tests.classifiers.test_keyvalue import page as cells

    rows = [
        ("BIRTH CERTIFICATE", 0.3, 0.05),
        ("Surname: Kovalenko", 0.07, 0.2),
        ("Given names: Olena", 0.07, 0.23),
        ("Place of state registration: Civil Registry Office of Kharkiv", 0.07, 0.5),
    ]
    text = DocumentText([cells(rows)])
    found = fill_certificate_only(text)
    assert found.fields["issuing_authority"].value == "Civil Registry Office of Kharkiv"


def fill_certificate_only(text: DocumentText) -> FieldSet:
    from classifiers.keyvalue import fill_certificate

    return fill_certificate(text, FieldSet(text=text, fields={}, notes=[]))


def test_a_holders_name_printed_as_a_parents_goes_to_review() -> None:
    rows = [
        ("BIRTH CERTIFICATE", 0.3, 0.05),
        ("Kovalenko Petro", 0.07, 0.2),
        ("Father: Petro Kovalenko", 0.07, 0.3),
        ("Mother's full name", 0.07, 0.34),
        ("LEMESHKO Rozaliia", 0.07, 0.36),
    ]
    for taken, doubted in (("Petro Kovalenko", True), ("Rozaliia Lemeshko", True), ("Olena Kovalenko", False)):
        text = DocumentText([page(rows)])
        found = FieldSet(text=text, fields={}, notes=[])
        found.put("person_name", Found(taken, 0, 10, 0.8))
        complete_certificate(text, found)
        assert (found.fields["person_name"].confidence < 0.5) is doubted, taken


def test_a_registration_certificates_issuer_is_the_council_of_its_letterhead() -> None:
    from classifiers.certificate import extract_certificate
    from classifiers.fields import label_text
    from classifiers.model import shipped_model
    from schemas.documents import DocumentType

    rows = [
        ("Міська рада м. Одеса", 0.35, 0.03),
        ("City Council of Odesa", 0.35, 0.05),
        ("СВІДОЦТВО ПРО РЕЄСТРАЦІЮ МІСЦЯ ПРОЖИВАННЯ", 0.2, 0.09),
        ("Прізвище, ім'я, по батькові", 0.07, 0.2),
        ("Москаль Роман Федірович", 0.07, 0.22),
    ]
    text = DocumentText([page(rows)])
    doc = shipped_model().fields_doc(label_text(text.text))
    found = extract_certificate(text, doc, DocumentType.REGISTRATION_CERTIFICATE)
    assert found.fields["issuing_authority"].value == "City Council of Odesa"


def test_a_date_label_whose_ы_ocr_read_as_ьі_is_a_label() -> None:
    from classifiers.keyvalue import garbled_labels

    # the value on a line of its own (OCR put the taller date first): the label must be known by itself
    rows = [("Фамилия Евдокимов", 0.07, 0.2), ("«31» декабря 2025 г.", 0.45, 0.5), ("Дата вьідачи", 0.07, 0.5)]
    text = DocumentText([page(rows)])
    assert [s.text for s in garbled_labels(text, {}).get("issue_date", [])] == ["Дата вьідачи"]


def test_given_names_and_patronymic_in_one_row_under_the_surname_row() -> None:
    rows = [
        ("Фамилия: Иванова", 0.07, 0.2),
        ("Имя, отчество: Ольга Петровна", 0.07, 0.23),
        ("Дата рождения: 12.03.1990", 0.07, 0.26),
    ]
    text = DocumentText([page(rows)])
    found = holder_name(text, label_spans(text))
    assert found is not None and found.value == "Ольга Иванова"
    stacked = [
        ("Прізвище", 0.07, 0.2),
        ("Familienname", 0.07, 0.215),
        ("Коваленко", 0.45, 0.2),
        ("KOVALENKO", 0.45, 0.218),
        ("Ім'я, по батькові", 0.07, 0.26),
        ("Vor- und Vatersname", 0.07, 0.275),
        ("Олена Петрівна", 0.45, 0.26),
        ("Olena Petrivna", 0.45, 0.278),
    ]
    text = DocumentText([page(stacked)])
    found = holder_name(text, label_spans(text))
    assert found is not None and found.value == "Olena KOVALENKO"


def _title_page() -> DocumentText:
    from schemas.documents import BBox, PageText, TextSource, Word

    words = []
    cells = [("NÜFUS KAYIT ÖRNEĞİ", 0.35, 0.10, 0.02), ("GEBURTSURKUNDE", 0.38, 0.125, 0.02)]
    cells += [(f"Zeile {n} mit Text", 0.07, 0.3 + 0.03 * n, 0.012) for n in range(8)]
    for line_no, (text, x0, y0, height) in enumerate(cells):
        x = x0
        for token in text.split():
            x1 = x + 0.011 * len(token) * height / 0.012
            words.append(Word(text=token, bbox=BBox(x0=x, y0=y0, x1=x1, y1=y0 + height), confidence=0.95, line=line_no))
            x = x1 + 0.008
    return DocumentText([PageText(page=1, width=2480, height=3508, source=TextSource.OCR, words=tuple(words))])


def test_a_title_in_the_other_language_set_over_the_title_is_no_name() -> None:
    import pytest

    from classifiers import certificate_typeset

    assert certificate_typeset.holder_by_type_size(_title_page()) is None
    with pytest.MonkeyPatch.context() as patch:  # the test can fail: without the rule the title is the name
        patch.setattr(certificate_typeset, "_beside_title", lambda unit, titles: False)
        found = certificate_typeset.holder_by_type_size(_title_page())
        assert found is not None and "KAYIT" in str(found.value).upper()


def test_a_closing_block_with_the_place_and_the_date_apart() -> None:
    from classifiers.certificate_prose import place_beside_date

    head = [("Прізвище: Коваленко", 0.07, 0.2), ("Дата народження: 12.03.1990", 0.07, 0.26)]
    blocks = {
        "across a gap": [("м. Київ", 0.07, 0.6), ("12 березня 2021 р.", 0.6, 0.6)],
        "under the place": [("м. Київ", 0.07, 0.6), ("12.03.2021", 0.07, 0.63)],
        "before the place": [("12.03.2021, м. Київ", 0.07, 0.6)],
        "in English": [("Kyiv", 0.07, 0.6), ("12 March 2021", 0.6, 0.6)],
    }
    for name, rows in blocks.items():
        found = place_beside_date(DocumentText([page(head + rows)]))
        assert found is not None and found.value == "2021-03-12", name
    # a labelled row, the birth date, or a block in the upper part of the page is no closing block
    born = Found("1990-03-12", 0, 0, 0.9)
    birth_block = DocumentText([page([*head, ("м. Київ", 0.07, 0.6), ("12.03.1990", 0.6, 0.6)])])
    assert place_beside_date(birth_block, born) is None
    assert place_beside_date(DocumentText([page([("м. Київ", 0.07, 0.1), ("12.03.2021", 0.6, 0.1)])])) is None
    assert place_beside_date(DocumentText([page([("Дата видачі", 0.07, 0.6), ("12.03.2021", 0.6, 0.6)])])) is None
