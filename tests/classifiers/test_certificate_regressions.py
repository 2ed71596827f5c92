"""Regressions of certificate and notice extraction found on generated scans (issue 4), one test each."""

from __future__ import annotations

import pytest

from classifiers.certificate import is_label, number_twin
from classifiers.extract import Found
from classifiers.lexicon import Lexicon
from classifiers.model import build_pipeline
from classifiers.normalise import normalise_date, normalise_file_number, normalise_name, normalise_text
from classifiers.split import PageCues, starts_document
from classifiers.text import DocumentText, page_from_lines
from schemas.documents import BBox, DocumentType, PageText, TextSource, Word
from tests.classifiers.test_fields import fields_of


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return build_pipeline()


def word(text: str, x0: float, y0: float, height: float = 0.010, line: int = 1, block: int = 1) -> Word:
    return Word(
        text=text,
        bbox=BBox(x0=x0, y0=y0, x1=x0 + 0.011 * len(text), y1=y0 + height),
        confidence=0.95,
        line=line,
        block=block,
    )


def page(words: list[Word]) -> PageText:
    return PageText(page=1, width=2480, height=3508, source=TextSource.OCR, words=tuple(words))


def test_a_larger_value_beside_its_label_on_a_skewed_scan_is_on_the_labels_row(nlp) -> None:  # type: ignore[no-untyped-def]
    # The value's centre lies below the label's box (bigger type, own baseline, skew): it was taken for
    # the row below, and "Standesamt" was lost.
    words = [
        word("Ausstellende", 0.14, 0.659),
        word("Behörde", 0.27, 0.659),
        word("Standesamt", 0.45, 0.6646, 0.0126, line=2),
        word("(DRACS)", 0.58, 0.6661, 0.0153, line=2),
        word("Poltava", 0.67, 0.6690, 0.0140, line=2),
    ]
    found = fields_of(nlp, [page(words)], DocumentType.BIRTH_CERTIFICATE)
    assert found.fields["issuing_authority"].value == "Standesamt (DRACS) Poltava"


def test_an_authority_wrapped_over_three_rows_with_short_words_is_joined(nlp) -> None:  # type: ignore[no-untyped-def]
    words = [
        word("Орган,", 0.16, 0.500),
        word("що", 0.23, 0.500),
        word("видав", 0.26, 0.500),
        word("Відділ", 0.175, 0.522, 0.014, line=2, block=2),
        word("державної", 0.26, 0.522, 0.016, line=2, block=2),
        word("реєстрації", 0.39, 0.522, 0.016, line=2, block=2),
        word("цивільного", 0.175, 0.540, 0.014, line=3, block=3),
        word("стану", 0.30, 0.543, 0.011, line=3, block=3),
        word("у", 0.37, 0.543, 0.011, line=3, block=3),
        word("м.", 0.175, 0.561, 0.009, line=4, block=4),
        word("Одеса", 0.205, 0.558, 0.014, line=4, block=4),
    ]
    found = fields_of(nlp, [page(words)], DocumentType.MARRIAGE_CERTIFICATE)
    assert found.fields["issuing_authority"].value == "Відділ державної реєстрації цивільного стану у м. Одеса"


def test_the_latin_name_is_found_by_transliteration_when_ocr_garbled_its_label(nlp) -> None:  # type: ignore[no-untyped-def]
    lines = [
        "СВІДОЦТВО ПРО ШЛЮБ",
        "Прізвище, ім'я",
        "Клавдія Титаренко",
        "Місце народження",
        "Миколаїв",
        "Eheurkunde",
        "Мате, Уогпате",  # "Name, Vorname" read in Cyrillic look-alikes
        "Klavdiia Tytarenko",
        "Geburtsort",
        "Mykolaiv",
    ]
    found = fields_of(nlp, [page_from_lines(1, lines)], DocumentType.MARRIAGE_CERTIFICATE)
    assert found.fields["person_name"].value == "Klavdiia Tytarenko"
    assert found.fields["birth_place"].value == "Mykolaiv"


def test_a_label_whose_last_word_ocr_garbled_is_still_a_label() -> None:
    assert is_label("Date of бін")
    assert is_label("Place of birth Damascus")
    assert not is_label("Leopold Kylymnyk")


@pytest.mark.parametrize(
    ("chosen", "other", "want"),
    [
        ("2015111953", "2015/11953", "2015/11953"),  # the slash read as 1
        ("I-ТА 487807", "II-ТА 487807", "II-ТА 487807"),  # two strokes run into one
        ("II-ТА 487807", "I-ТА 487807", "II-ТА 487807"),
        ("2015/11953", "2016/11953", "2015/11953"),  # a different number is no twin
    ],
)
def test_a_certificate_number_takes_the_better_reading_of_its_twin(chosen: str, other: str, want: str) -> None:
    got = number_twin(Found(chosen, 0, 1), [Found(chosen, 0, 1), Found(other, 2, 3)], "СВІДОЦТВО ПРО НАРОДЖЕННЯ")
    assert got.value == want


def test_right_to_left_marks_are_not_part_of_a_value() -> None:
    assert normalise_text("\u200fأمانة السجل المدني\u200f") == "أمانة السجل المدني"
    assert normalise_name("Khaled\u200e Khalil") == "Khaled Khalil"
    assert normalise_date("\u200f1988/12/03") == "1988-12-03"


def test_a_turkish_name_gets_its_dotted_capital_i_back_only_where_it_is_turkish() -> None:
    lexicon = Lexicon.build(["Doğum Yeri İstanbul", "Istanbul University"])
    assert lexicon.restore("Istanbul", turkish_name=True) == "İstanbul"
    assert lexicon.restore("Istanbul University") == "Istanbul University"


@pytest.mark.parametrize(
    ("printed", "iso"),
    [
        ("۱۳۶۴/۱۲/۲۱", "1986-03-12"),
        ("21 اسفند 1364", "1986-03-12"),
        ("۲۱ حوت ۱۳۶۴", "1986-03-12"),  # Afghan month name
        ("1 دي 1399", "2020-12-21"),  # Arabic letter form of دی
        ("1403/12/30", "2025-03-20"),
        ("1402/12/30", None),  # 1402 is no leap year
        ("З октября 2001 г.", "2001-10-03"),  # the day 3 read as Cyrillic З
    ],
)
def test_solar_hijri_and_misread_dates(printed: str, iso: str | None) -> None:
    assert normalise_date(printed) == iso


def test_a_file_number_ends_before_the_clerks_name() -> None:
    assert normalise_file_number("317-70/2026 Herrmann Stiffel") == "317-70/2026"
    assert normalise_file_number("AsylbLG-2025-77502") == "AsylbLG-2025-77502"
    assert normalise_file_number("ABH 435465") == "ABH 435465"


def test_a_capital_i_read_as_l_at_the_start_of_a_name_is_put_back() -> None:
    assert normalise_name("llia Sergeev") == "Ilia Sergeev"
    assert normalise_name("lgor Petrov") == "Igor Petrov"
    assert normalise_name("Ilona Lang") == "Ilona Lang"


def test_a_din_5008_reference_row_in_a_text_layer_gives_file_number_and_date(nlp) -> None:  # type: ignore[no-untyped-def]
    top = [
        word("Jobcenter", 0.08, 0.07),
        word("Saalekreis", 0.2, 0.07),
        word("Frau", 0.08, 0.16, line=2),
        word("Silja", 0.08, 0.18, line=3),
        word("Rust", 0.15, 0.18, line=3),
    ]
    labels = [("Aktenzeichen", 0.08), ("Bearbeiter/in", 0.29), ("Telefon", 0.5), ("Datum", 0.71)]
    values = [("58333BG2904673", 0.08), ("Maik", 0.29), ("Drewes", 0.34), ("03445", 0.5), ("4.", 0.71)]
    values += [("April", 0.735), ("2026", 0.8)]
    words = top + [word(t, x, 0.30, 0.008, line=4) for t, x in labels]
    words += [word(t, x, 0.315, 0.010, line=5) for t, x in values]
    found = fields_of(nlp, [page(words)])
    assert found.fields["file_number"].value == "58333BG2904673"
    assert found.fields["notice_date"].value == "2026-04-04"


def test_the_grades_page_of_a_certificate_continues_it_even_when_it_names_the_certificate() -> None:
    first = PageCues(1, None, False, DocumentType.DEGREE_CERTIFICATE, DocumentType.DEGREE_CERTIFICATE, 0.9)
    grades = PageCues(2, None, False, DocumentType.DEGREE_CERTIFICATE, DocumentType.OTHER, 0.8, supplement=True)
    assert not starts_document(first, grades)


def test_a_german_register_number_gets_the_slash_ocr_read_as_1() -> None:
    from classifiers.certificate import certificate_number

    assert certificate_number("E 8912013") == "E 89/2013"
    assert certificate_number("G 12/2020") == "G 12/2020"
    assert certificate_number("123456") == "123456"


def test_a_paragraph_sign_read_as_5_after_nach_is_put_back() -> None:
    from classifiers.lexicon import repair_legal

    assert repair_legal("Aufenthaltserlaubnis nach 5 25 Abs. 3 AufenthG") == (
        "Aufenthaltserlaubnis nach § 25 Abs. 3 AufenthG"
    )


def test_the_notice_date_is_the_last_date_of_a_reference_row_read_without_its_labels(nlp) -> None:  # type: ignore[no-untyped-def]
    lines = [
        "Stadt Halle (Saale) - Ausländerbehörde",
        "Frau",
        "Glafira Kabanova",
        "Pölitzstraße 63",
        "06712 Zeitz",
        "Aktenzeichen 32.3-95117 Marit Wirth 03442 71-1305 07.09.2026",
        "Erteilung einer Aufenthaltserlaubnis nach § 25 Abs. 3 AufenthG",
    ]
    found = fields_of(nlp, [page_from_lines(1, lines)])
    assert found.fields["notice_date"].value == "2026-09-07"
    assert found.fields["file_number"].value == "32.3-95117"


@pytest.mark.parametrize(
    ("field", "read", "value"),
    [
        # the end of a form's dotted leader read as an opening quote no quote closes
        ("issuing_authority", "‚Школа № 7 м. Запоріжжя", "Школа № 7 м. Запоріжжя"),
        ("issuing_authority", "«Університет м. Чернігів", "Університет м. Чернігів"),
        ("issuing_authority", "Ліцей «Надія» м. Київ", "Ліцей «Надія» м. Київ"),
        # the rest of a leader read as digits before the place (`......4.4......Самара`)
        ("birth_place", "4.4 Самара", "Самара"),
        ("birth_place", ":...4.4.........Самара", "Самара"),
        ("birth_place", "«Воронеж", "Воронеж"),
    ],
)
def test_leader_remnants_before_a_certificate_value(field: str, read: str, value: str) -> None:
    from classifiers.certificate import NORMALISERS

    assert NORMALISERS[field](read) == value


@pytest.mark.parametrize(
    ("read", "value"),
    [
        # a Latin line read partly with the Cyrillic model: `of` as `ої`, `No.` as `Мо.`, an `О` of `Office`
        ("National University ої Samara", "National University of Samara"),
        ("Lyceum Мо. 18, Lviv", "Lyceum No. 18, Lviv"),
        ("Civil Registry Оffice of Chernihiv", "Civil Registry Office of Chernihiv"),
        ("Відділ ДРАЦС м. Київ", "Відділ ДРАЦС м. Київ"),  # a Cyrillic line is left as it is
    ],
)
def test_latin_authority_with_words_read_in_cyrillic(read: str, value: str) -> None:
    from classifiers.certificate import NORMALISERS

    assert NORMALISERS["issuing_authority"](read) == value


def test_series_line_with_the_numero_sign_read_ne() -> None:
    from classifiers.keyvalue import series_number

    found = series_number(DocumentText([page_from_lines(1, ["СВІДОЦТВО", "Серія ІІ-ВЕ Ne 856252"])]))
    assert found is not None and found.value == "II-ВЕ 856252"
    # the whole line read in Latin look-alikes (`Cepia` for `Серія`)
    found = series_number(DocumentText([page_from_lines(1, ["СВІДОЦТВО ПРО ШЛЮБ", "Cepia II-KC Ne 786689"])]))
    assert found is not None and found.value == "II-КС 786689"


def test_address_row_label_is_no_birth_place() -> None:
    # stacked labels, the Turkish one with the value on its line: under `Geburtsort` is the next row's label
    assert is_label("Adres") and is_label("Адреса")


def test_bilingual_letterhead_names_the_issuer_in_latin_letters() -> None:
    from classifiers.certificate_prose import issuing_body

    text = DocumentText(
        [
            page_from_lines(
                1,
                [
                    "Відділ державної реєстрації актів цивільного стану м. Чернігів",
                    "Civil Registry Office ої Chernihiv",
                    "СВІДОЦТВО ПРО НАРОДЖЕННЯ",
                    "Прізвище Вакуленко",
                    "Surname VAKULENKO",
                    "Ім'я Лілія",
                    "Given names Liliia",
                ],
            )
        ]
    )
    found = issuing_body(text)
    assert found is not None and found.value == "Civil Registry Office of Chernihiv"


def test_latin_twin_of_a_hyphenated_place() -> None:
    from classifiers.certificate import latin_twin

    text = DocumentText([page_from_lines(1, ["Місце народження Ростов-на-Дону", "Place of birth Rostov-na-Donu"])])
    found = latin_twin(text, Found("Ростов-на-Дону", 0, 0, 0.9), "birth_place")
    assert found is not None and found.value == "Rostov-na-Donu"


@pytest.mark.parametrize(
    ("field", "read"),
    [
        # `graduated in 2015 from / Lyceum No. 9, Poltava`: the `in` of a sentence is no birth place's label
        ("birth_place", "Lyceum No. 9, Poltava"),
        ("birth_place", "State Technical University of Kazan"),
        ("birth_place", "No. 9, Poltava"),  # the rest of `Lyceum No. 9, Poltava`
        # a `Graduate` caption over the institution's name
        ("person_name", "State Technical University of Kazan"),
    ],
)
def test_an_institution_is_no_birth_place_and_no_holder(field: str, read: str) -> None:
    from classifiers.certificate import NORMALISERS

    assert NORMALISERS[field](read) is None


@pytest.mark.parametrize(
    ("read", "number"),
    [
        ("Series CM No. 13865231", "CM 13865231"),
        ("Серія ВА № 12345678", "ВА 12345678"),
        ("II-КЕ № 146509", "II-КЕ 146509"),
        ("Series МВ Мо. 18774795", "МВ 18774795"),
        ("G 123/2004", "G 123/2004"),
    ],
)
def test_a_series_number_read_with_its_series_word_and_numero_sign(read: str, number: str) -> None:
    from classifiers.certificate import certificate_number

    assert certificate_number(read) == number


def test_transliterated_name_by_the_scheme_the_printed_word_shows() -> None:
    # a Russian name on a page with a few Ukrainian letters: SIMONOVA is the Russian spelling (uk: Symonova)
    from classifiers.certificate import latin_twin

    text = DocumentText([page_from_lines(1, ["ЛІ. АТТЕСТАТ", "Симонова SIMONOVA", "Лидия Елисеевна тла"])])
    found = latin_twin(text, Found("Лидия Симонова", 0, 0, 0.6), "person_name")
    assert found is not None and found.value == "Lidiia Simonova"


def test_date_and_place_of_birth_on_one_row_with_ocr_slips() -> None:
    # `та` read in Latin letters, the settlement's `м.` too
    from classifiers.extract import FieldSet
    from classifiers.keyvalue import fill_certificate

    text = DocumentText(
        [page_from_lines(1, ["СВІДОЦТВО", "дата Ta місце народження 19.04.1984, m. Дніпро", "Дата видачі 29.07.2002"])]
    )
    found = fill_certificate(text, FieldSet(text=text, fields={}, notes=[]))
    assert found.fields["birth_date"].value == "1984-04-19"
    assert found.fields["birth_place"].value == "Дніпро"


def test_a_name_or_place_that_only_contains_an_institution_word_stands() -> None:
    from classifiers.certificate import NORMALISERS

    assert NORMALISERS["person_name"]("Anna Schuler") == "Anna Schuler"  # `Schule` inside a surname
    assert NORMALISERS["person_name"]("Paul Harcourt") == "Paul Harcourt"
    assert NORMALISERS["birth_place"]("Schulenburg") == "Schulenburg"


@pytest.mark.parametrize("caption", ["Адрес регистрации", "Адреса реєстрації", "Registered address", "Meldeadresse"])
def test_the_registered_address_caption_beside_a_name_caption_is_no_name(caption: str) -> None:
    """stacked_below 0017: `Фамилия, имя, отчество  Адрес регистрации`, the other column's caption on the name
    caption's row, was read as the holder's name."""
    assert is_label(caption)


def test_a_latin_twin_that_is_not_the_transliteration_of_its_cyrillic_value_is_not_certain() -> None:
    """`Chermihiv` beside `Чернігів` (OCR read `rn` as `m`): filed as certain, wrong; the twin that spells the
    Cyrillic value letter for letter stays as sure as before."""
    from classifiers.certificate import latin_twin

    for printed, certain in (("Chermihiv", False), ("Chernihiv", True)):
        text = DocumentText([page_from_lines(1, ["Місце народження Чернігів", f"Place of birth {printed}"])])
        found = latin_twin(text, Found("Чернігів", 0, 0, 0.9), "birth_place")
        assert found is not None and found.value == printed
        assert (found.certainty >= 0.5) is certain


def test_a_name_row_value_without_what_ocr_read_before_it() -> None:
    """ruled_twin 0004: `Adi 7 “Akkerman` (a rule and a quote before the given name) gave no name at all; a
    lower-case word after the junk is still no name."""
    from classifiers.certificate import person_name
    from classifiers.keyvalue import _name

    assert person_name("7 “Akkerman") == "Akkerman"
    assert _name("7 “Akkerman") == "Akkerman"
    assert person_name("— from") != "from"


@pytest.mark.parametrize(
    ("read", "body"),
    [
        ("T.C. Ege Üniversitesi", "Ege Üniversitesi"),  # Türkiye Cumhuriyeti's initials head a Turkish body's name
        ("T. C. İstanbul Valiliği", "İstanbul Valiliği"),
        ("Stadt Zeitz", "Stadt Zeitz"),
    ],
)
def test_the_states_initials_are_no_part_of_a_turkish_bodys_name(read: str, body: str) -> None:
    from classifiers.certificate import authority

    assert authority(read) == body
