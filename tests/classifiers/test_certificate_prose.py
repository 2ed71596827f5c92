"""Certificates that state their facts in sentences, letterheads and closing blocks (issue 17)."""

from __future__ import annotations

from classifiers.certificate import place
from classifiers.certificate_prose import (
    birth_in_sentence,
    closing_line_date,
    complete_certificate,
    holder_in_sentence,
    issuing_body,
    name_as_printed,
    number_line,
)
from classifiers.cues import title_types
from classifiers.extract import FieldSet, Found
from classifiers.text import DocumentText
from schemas.documents import DocumentType
from tests.classifiers.test_keyvalue import page


def text_of(rows: list[tuple[str, float, float]]) -> DocumentText:
    return DocumentText([page(rows)])


def german_attestation() -> DocumentText:
    return text_of(
        [
            ("Stadt Zeitz - Standesamt", 0.1, 0.05),
            ("Geburtsbescheinigung", 0.3, 0.12),
            ("Es wird bestätigt, dass Frau Olena KOVALENKO am", 0.12, 0.20),
            ("05.04.1981 in Naumburg (Saale) geboren ist. Tochter des", 0.12, 0.22),
            ("Petro Kovalenko und der Anna Kovalenko.", 0.12, 0.24),
            ("Register-Nr. G 123/2004", 0.12, 0.30),
            ("Zeitz, den 24. November 2004", 0.12, 0.34),
            ("Der Standesbeamte", 0.6, 0.40),
        ]
    )


def test_holder_named_after_the_cue_phrase_without_courtesy_title() -> None:
    found = holder_in_sentence(german_attestation())
    assert found is not None and found.value == "Olena KOVALENKO"


def test_birth_date_and_place_from_the_sentence_not_the_parents() -> None:
    born = birth_in_sentence(german_attestation())
    assert born["birth_date"].value == "1981-04-05"
    assert born["birth_place"].value == "Naumburg (Saale)"


def test_letterhead_issuer_closing_date_and_register_number() -> None:
    text = german_attestation()
    issuer = issuing_body(text)
    assert issuer is not None and issuer.value == "Stadt Zeitz – Standesamt"
    issued = closing_line_date(text)
    assert issued is not None and issued.value == "2004-11-24"
    number = number_line(text)
    assert number is not None and number.value == "G 123/2004"


def test_ukrainian_sentence_with_patronymic_and_native_place() -> None:
    text = text_of(
        [
            ("Серія СН № 767320", 0.1, 0.05),
            ("ДОВІДКА ПРО РЕЄСТРАЦІЮ МІСЦЯ ПРОЖИВАННЯ", 0.2, 0.1),
            ("Цим засвідчується, що Ільченко Ірина Захарівна, 10", 0.1, 0.2),
            ("березня 1963 року народження, уродженка м. Чернігів,", 0.1, 0.22),
            ("зареєстрована за місцем проживання.", 0.1, 0.24),
            ("м. Львів, 27 лютого 1989 року", 0.1, 0.3),
            ("Начальник відділу", 0.6, 0.4),
            ("Відділ державної реєстрації актів цивільного стану м. Львів", 0.3, 0.42),
        ]
    )
    found = complete_certificate(text, FieldSet(text=text, fields={}, notes=[]))
    values = {name: f.value for name, f in found.fields.items()}
    assert values == {
        "person_name": "Ірина Ільченко",  # the patronymic is not part of the name
        "birth_date": "1963-03-10",
        "birth_place": "Чернігів",
        "issuing_authority": "Відділ державної реєстрації актів цивільного стану м. Львів",
        "issue_date": "1989-02-27",
        "certificate_number": "СН 767320",
    }


def test_turkish_sentence_name_ends_before_the_programme() -> None:
    text = text_of(
        [("20 Haziran 1988 tarihinde Istanbul'da dogan Kırat", 0.1, 0.2), ("Fırat Lisans programını", 0.1, 0.22)]
    )
    found = holder_in_sentence(text)
    assert found is not None and found.value == "Kırat Fırat"
    assert birth_in_sentence(text)["birth_place"].value == "Istanbul"


def test_issuer_under_the_signer_when_no_letterhead() -> None:
    text = text_of(
        [
            ("Residence Certificate", 0.3, 0.1),
            ("We hereby certify that Mr Ahmad Haddad, born on", 0.1, 0.2),
            ("07/09/1999 in Baghdad, son of Yousef Haddad, is a resident.", 0.1, 0.22),
            ("Head of Office", 0.6, 0.46),
            ("Civil Registry Office of Basra", 0.6, 0.476),
        ]
    )
    issuer = issuing_body(text)
    assert issuer is not None and issuer.value == "Civil Registry Office of Basra"
    assert birth_in_sentence(text)["birth_place"].value == "Baghdad"


def test_place_read_from_a_sentence_ends_where_the_sentence_goes_on() -> None:
    assert place("Mosul, to Mohammad Haddad (father)") == "Mosul"
    assert place("Herat, daughter of Farid Rasuli, is a") == "Herat"
    assert place("Magdeburg geboren ist") == "Magdeburg"
    assert place("passed the") is None
    assert place("izmir") == "izmir"  # a Turkish İ read as i: restored later by the lexicon
    assert place("м.Київ") == "Київ"


def test_name_slips_undone() -> None:
    assert name_as_printed("lakov SUVOROV") == "Iakov Suvorov"  # the surname in capitals written as a name
    assert name_as_printed("Мар'яна Слюсар") == "Марʼяна Слюсар"
    assert name_as_printed("Abu al-Hasan") == "Abu al-Hasan"


def test_degree_cues_name_diplomas_not_school_diplomas() -> None:
    assert title_types("DIPLOMA") == [DocumentType.DEGREE_CERTIFICATE]
    assert title_types("is awarded the degree of Bachelor of Arts")[0] is DocumentType.DEGREE_CERTIFICATE
    assert title_types("здобув ступінь бакалавра") == [DocumentType.DEGREE_CERTIFICATE]
    assert title_types("High School Diploma") == [DocumentType.SCHOOL_CERTIFICATE]
    assert title_types("LİSE DİPLOMASI") == [DocumentType.SCHOOL_CERTIFICATE]


def test_turkish_capital_labels_are_labels() -> None:
    """`DOĞUM YERİ` lower-cases to `doğum yeri̇` (a combining dot above): it must still be the place's label."""
    from classifiers.fields import label_spans
    from classifiers.model import shipped_model

    doc = shipped_model().fields_doc("DOĞUM YERİ: İSTANBUL\nDOĞUM TARİHİ: 12.03.1990\nVERİLİŞ TARİHİ: 01.02.2010")
    spans = label_spans(doc, "certificate")
    assert [s.text for s in spans["birth_place"]] == ["DOĞUM YERİ"]
    assert [s.text for s in spans["birth_date"]] == ["DOĞUM TARİHİ"]
    assert [s.text for s in spans["issue_date"]] == ["VERİLİŞ TARİHİ"]


def test_name_on_its_own_line_above_the_birth_line() -> None:
    text = text_of(
        [
            ("BACHELORURKUNDE", 0.3, 0.1),
            ("Hochschule Merseburg", 0.2, 0.2),
            ("Frau", 0.4, 0.24),
            ("Maryam Alahmad", 0.35, 0.27),
            ("geboren am 03.02.1995 in Aleppo", 0.25, 0.3),
        ]
    )
    found = holder_in_sentence(text)
    assert found is not None and found.value == "Maryam Alahmad"


def test_letterhead_issuer_is_the_most_specific_body_and_the_birth_sentence_beats_a_bare_in() -> None:
    text = text_of(
        [
            ("Republic of Iraq", 0.1, 0.03),
            ("Ministry of Education", 0.1, 0.05),
            ("Directorate of Education in Basra", 0.1, 0.07),
            ("Secondary School Leaving Certificate", 0.3, 0.12),
            ("This certificate is awarded to Rana Aljubouri, born on August 21, 1985 in", 0.1, 0.2),
            ("Baghdad, who has passed the General Secondary Examination.", 0.1, 0.22),
            ("Date: 1 December 2002", 0.1, 0.3),
        ]
    )
    issuer = issuing_body(text)
    assert issuer is not None and issuer.value == "Directorate of Education in Basra"
    found = complete_certificate(text, FieldSet(text=text, fields={}, notes=[]))
    assert found.fields["birth_place"].value == "Baghdad"
    assert found.fields["issue_date"].value == "2002-12-01"
    assert found.fields["person_name"].value == "Rana Aljubouri"


def test_abbreviated_birth_cues() -> None:
    german = birth_in_sentence(text_of([("Herr Max Muster, geb. 12.03.1990 in Zeitz, wohnhaft", 0.05, 0.1)]))
    assert {k: v.value for k, v in german.items()} == {"birth_date": "1990-03-12", "birth_place": "Zeitz"}
    ukrainian = birth_in_sentence(text_of([("Іван Петренко, 12.03.1990 р.н., уродженець м. Київ,", 0.05, 0.1)]))
    assert {k: v.value for k, v in ukrainian.items()} == {"birth_date": "1990-03-12", "birth_place": "Київ"}


def test_name_rows_whose_labels_ocr_garbled_with_the_parents_line_below() -> None:
    # a Russian form with dotted leaders: OCR read the `Имя` and `Отчество` labels and the leaders as junk
    text = text_of(
        [
            ("СВИДЕТЕЛЬСТВО О РОЖДЕНИИ", 0.3, 0.05),
            ("Фамилия ............... нн Гуляева ||", 0.1, 0.12),
            ("ЯЗ. иене оном Елизавета 808И8И", 0.1, 0.15),
            ("ÜTIOLTBG илов комочки Любосмысловна о", 0.1, 0.18),
            ("Место рождения nn Самара", 0.1, 0.21),
            ("ОЕ ernennen кання Гуляева Любосмысл Маркович", 0.1, 0.24),
        ]
    )
    found = complete_certificate(text, FieldSet(text=text, fields={}, notes=[]))
    assert found.fields["person_name"].value == "Елизавета Гуляева"


def test_parents_line_is_no_name_row() -> None:
    text = text_of(
        [
            ("Дата рождения «15» октября 1978 г.", 0.1, 0.12),
            ("Место рождения nn Самара", 0.1, 0.15),
            ("Отец ernennen Гуляев Маркович", 0.1, 0.18),
        ]
    )
    found = complete_certificate(text, FieldSet(text=text, fields={}, notes=[]))
    assert "person_name" not in found.fields


def test_cyrillic_name_spelt_as_the_latin_block_whose_surname_ocr_garbled() -> None:
    # `CHERVONENKO` read in Cyrillic look-alikes; `Odarka` printed letter for letter shows the scheme
    text = text_of(
        [
            ("АТЕСТАТ", 0.1, 0.05),
            ("Прізвище, ім'я", 0.1, 0.10),
            ("Одарка Червоненко", 0.1, 0.12),
            ("SCHOOL LEAVING CERTIFICATE", 0.55, 0.05),
            ("Surname, given'names", 0.55, 0.10),
            ("СНЕКУОМЕМКО, Odarka", 0.55, 0.12),
        ]
    )
    found = FieldSet(text=text, fields={}, notes=[])
    found.put("person_name", Found("Одарка Червоненко", 0, 0, 0.9))
    found = complete_certificate(text, found)
    name = found.fields["person_name"]
    assert name.value == "Odarka Chervonenko" and name.confidence < 0.7


def test_no_latin_spelling_without_a_word_the_block_prints_letter_for_letter() -> None:
    text = text_of([("Прізвище, ім'я", 0.1, 0.10), ("Одарка Червоненко", 0.1, 0.12), ("Surname Odarko", 0.55, 0.12)])
    found = FieldSet(text=text, fields={}, notes=[])
    found.put("person_name", Found("Одарка Червоненко", 0, 0, 0.9))
    assert complete_certificate(text, found).fields["person_name"].value == "Одарка Червоненко"


def test_a_given_name_row_is_no_surname_row() -> None:
    # `Ім'я` labels its row: the rows below it (its garbled Latin twin, the patronymic) are no name rows
    text = text_of(
        [
            ("Ім'я Лілія", 0.1, 0.12),
            ("Сімеп патез Ційа", 0.1, 0.15),
            ("По батькові Опанасівна", 0.1, 0.18),
        ]
    )
    found = complete_certificate(text, FieldSet(text=text, fields={}, notes=[]))
    assert found.fields.get("person_name") is None or found.fields["person_name"].value != "Ційа Лілія"


def test_the_letterhead_above_a_birth_certificate_title_is_no_holder() -> None:
    # `DOĞUM BELGESİ` starts like a birth line (`doğ…`); the line above it is the issuer's letterhead
    text = text_of(
        [
            ("Istanbul Nüfus Müdürlüğü", 0.3, 0.05),
            ("DOĞUM BELGESİ", 0.3, 0.09),
            ("BIRTH CERTIFICATE", 0.3, 0.12),
            ("Belge No: 927629", 0.1, 0.16),
        ]
    )
    found = complete_certificate(text, FieldSet(text=text, fields={}, notes=[]))
    assert "person_name" not in found.fields


def test_a_cyrillic_name_on_a_page_with_a_latin_half_it_has_no_twin_in_is_shown_to_a_clerk() -> None:
    # the Latin name lines read in Cyrillic look-alikes (`ВІАВОМА`, `Магмага`): no Latin twin to take
    text = text_of(
        [
            ("АТТЕСТАТ О СРЕДНЕМ ОБЩЕМ ОБРАЗОВАНИИ", 0.05, 0.05),
            ("CERTIFICATE OF SECONDARY EDUCATION", 0.5, 0.05),
            ("Secondary School No. 81", 0.5, 0.10),
            ("graduated in 2003 from", 0.5, 0.12),
            ("date of birth 09.05.1986", 0.5, 0.14),
            ("ВІАВОМА", 0.6, 0.2),
            ("Магмага", 0.6, 0.24),
        ]
    )
    found = FieldSet(text=text, fields={}, notes=[])
    found.put("person_name", Found("Варвара Рябова", 0, 0, 0.6))
    name = complete_certificate(text, found).fields["person_name"]
    assert name.value == "Варвара Рябова" and name.confidence < 0.5


def test_a_cyrillic_name_on_a_cyrillic_page_keeps_its_confidence() -> None:
    text = text_of([("СВИДЕТЕЛЬСТВО О РОЖДЕНИИ", 0.3, 0.05), ("Фамилия Рябова", 0.1, 0.1), ("Имя Варвара", 0.1, 0.13)])
    found = FieldSet(text=text, fields={}, notes=[])
    found.put("person_name", Found("Варвара Рябова", 0, 0, 0.8))
    assert complete_certificate(text, found).fields["person_name"].confidence == 0.8


def test_a_diploma_series_and_number_alone_on_a_line() -> None:
    text = text_of([("ДИПЛОМ", 0.3, 0.05), ("БАКАЛАВРА", 0.3, 0.08), ("CM № 13865231", 0.3, 0.11)])
    found = number_line(text)
    assert found is not None and found.value == "СМ 13865231"


def test_a_meldebescheinigung_printout_names_its_issuer_after_meldebehoerde_and_its_day_after_druckdatum() -> None:
    """pair_tab 0018/0022: `Meldebehörde : Stadt Zeitz - Bürgerbüro` in the printout's right block was no label,
    the issuer missing; `Druckdatum` the day it was made out."""
    text = text_of(
        [
            ("MELDEBESCHEINIGUNG", 0.3, 0.05),
            ("Name, Vorname", 0.05, 0.15),
            (": REDKO, Borys", 0.25, 0.15),
            ("Einzugsdatum", 0.5, 0.15),
            (": 17.01.2000", 0.65, 0.15),
            ("Meldebehörde", 0.5, 0.18),
            (": Stadt Zeitz - Bürgerbüro", 0.65, 0.18),
            ("Druckdatum", 0.5, 0.21),
            (": 28.01.2000", 0.65, 0.21),
        ]
    )
    found = complete_certificate(text, FieldSet(text=text, fields={}, notes=[]))
    issuer = str(found.fields["issuing_authority"].value)
    assert issuer.startswith("Stadt Zeitz ") and issuer.endswith(" Bürgerbüro")
    assert found.fields["issue_date"].value == "2000-01-28"


def test_a_letterhead_that_starts_with_an_issuers_label_word_is_no_label() -> None:
    """dotted_ru 0010: `Meldebehörde der Stadt Weißenfels` heads the page; read as the label `Meldebehörde`, the
    issuer was `der Stadt Weißenfels`."""
    text = text_of(
        [
            ("Meldebehörde der Stadt Weißenfels", 0.1, 0.05),
            ("MELDEBESCHEINIGUNG", 0.3, 0.1),
            ("Name, Vorname ...... Hosseini, Parwin", 0.1, 0.15),
        ]
    )
    found = complete_certificate(text, FieldSet(text=text, fields={}, notes=[]))
    issuer = found.fields.get("issuing_authority")
    assert issuer is None or str(issuer.value).startswith("Meldebehörde")


def test_closing_line_dated_with_a_quoted_day_or_a_twin_in_brackets() -> None:
    """`<Ort>, <Datum>` as Ukrainian and Russian forms quote the day, and with the date's digits or another
    calendar's reckoning of the same day in brackets after it."""
    for closing, issued in (
        ("м. Київ, «12» березня 2021 р.", "2021-03-12"),
        ('г. Москва, "5" мая 2002 г.', "2002-05-05"),
        ("Kyiv, 12 березня 2021 р. (12.03.2021)", "2021-03-12"),
        ("Tehran, 3 May 2021 (1400/02/13)", "2021-05-03"),
    ):
        found = closing_line_date(text_of([("CERTIFICATE", 0.2, 0.05), (closing, 0.1, 0.8)]))
        assert found is not None and found.value == issued, closing


def test_closing_line_with_two_days_names_no_issue_date() -> None:
    for closing in ("Kyiv, 12 March 2021 (12.04.2021)", "Kyiv, 12 March 2021 and 13 March 2021"):
        assert closing_line_date(text_of([("CERTIFICATE", 0.2, 0.05), (closing, 0.1, 0.8)])) is None, closing
