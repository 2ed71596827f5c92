"""Certificates as the tuning families `sworn_below` and `pair_tab` print them (issue 17): captions with their
value on the line under them (the caption's own words running on to its colon, numbered rows), label pairs
`original / English` with the value across a column's gap after a colon, the issue date of a translation that
the translator dates again at the foot, the issuer only in a closing sentence, and number labels whose value
OCR read from the closing line."""

from __future__ import annotations

from classifiers.analysis import _turkish_name
from classifiers.certificate import NORMALISERS, is_label, place
from classifiers.certificate_latin import latin_half
from classifiers.certificate_numbers import certificate_number
from classifiers.geometry import value_near
from classifiers.keyvalue import _spans as label_spans
from classifiers.keyvalue import closing_date, heading_number, holder_name, prose
from classifiers.lexicon import Lexicon
from classifiers.text import DocumentText
from tests.classifiers.test_keyvalue import page


def _span(text: DocumentText, label: str) -> tuple[int, int]:
    start = text.text.index(label)
    return start, start + len(label)


def test_caption_words_up_to_its_colon_are_the_caption_and_the_value_is_the_line_under_it() -> None:
    rows = [
        ("Geburtsschein", 0.35, 0.08),
        ("1. Familienname des Inhabers:", 0.08, 0.20),
        ("BEBESHKO", 0.11, 0.225),
        ("2. Vorname(n) der Person", 0.08, 0.26),
        ("Liliia", 0.11, 0.285),
        ("3. Vatersname", 0.08, 0.32),
        ("Yaremivna", 0.11, 0.345),
        ("4. Name des Vaters", 0.08, 0.38),
        ("Yarema Bebeshko", 0.11, 0.405),
    ]
    text = DocumentText([page(rows)])
    found = holder_name(text, label_spans(text))
    assert found is not None and found.value == "Liliia BEBESHKO"  # not `der Person BEBESHKO`
    assert is_label("4. Name des Vaters")  # a numbered row's caption is still a caption


def test_a_label_pairs_second_language_runs_to_its_colon_or_to_the_gap_before_the_value() -> None:
    rows = [
        ("Veren Makam / Issuing Office", 0.06, 0.30),
        (": Ankara Nüfus ve Vatandaşlık Müdürlüğü", 0.45, 0.30),
        ("Дата рождения / Date of Birth", 0.06, 0.34),
        ("16.01.1991", 0.45, 0.34),
        ("Фамилия, имя / 5игпате, Мате", 0.06, 0.38),
        (": KALASHNIKOVA, Eleonora", 0.45, 0.38),
    ]
    text = DocumentText([page(rows)])
    issuer = value_near(text, *_span(text, "Veren Makam"), NORMALISERS["issuing_authority"], is_label)
    assert issuer is not None and issuer.value == "Ankara Nüfus ve Vatandaşlık Müdürlüğü"  # not `Office`
    born = value_near(text, *_span(text, "Дата рождения"), NORMALISERS["birth_date"], is_label)
    assert born is not None and born.value == "1991-01-16"
    # the English half OCR garbled (a digit for its S) is still the label's, not the value
    name = value_near(text, *_span(text, "Фамилия, имя"), NORMALISERS["person_name"], is_label)
    assert name is not None and name.value == "KALASHNIKOVA, Eleonora"


def test_the_translators_closing_line_is_not_the_issue_date() -> None:
    rows = [
        ("Übersetzung aus der arabischen Sprache", 0.08, 0.05),
        ("Baghdad, 04.12.2002", 0.08, 0.50),
        ("Als ermächtigte Übersetzerin bestätige ich,", 0.08, 0.60),
        ("dass die vorstehende Übersetzung mit dem Original übereinstimmt.", 0.08, 0.62),
        ("Naumburg (Saale), 20.03.2006", 0.08, 0.66),
    ]
    found = closing_date(DocumentText([page(rows)]))
    assert found is not None and found.value == "2002-12-04"


def test_the_issuer_and_the_date_of_a_closing_sentence() -> None:
    rows = [("Ausgestellt vom Mittelschule Nr. 6 in Samara am 07.09.2017.", 0.08, 0.50)]
    text = DocumentText([page(rows)])
    assert prose(text)["issuing_authority"].value == "Mittelschule Nr. 6 in Samara"
    found = closing_date(text)
    assert found is not None and found.value == "2017-09-07"


def test_numbers_of_a_heading_and_what_is_no_number() -> None:
    assert certificate_number("2069/13)") == "2069/13"  # `(Nr. 2069/13)`: the bracket closes the line
    assert certificate_number("Poltava, 07.09.2017") is None  # the closing line under a number's label
    assert certificate_number("Mariupol, 12 January 2014") is None
    assert certificate_number("2015/11953") == "2015/11953"
    text = DocumentText([page([("Мо: 381656", 0.7, 0.10)])])  # `No:` read in Cyrillic look-alikes
    found = heading_number(text)
    assert found is not None and found.value == "381656"


def test_in_words_is_no_place_and_a_latin_look_alike_original_gives_way_to_its_twin() -> None:
    assert place("Worten: neunten Juli neunzehnhundertfünfundneunzig") is None
    rows = [("geboren in", 0.08, 0.20), ("Erbil", 0.30, 0.20), ("in Worten: zwölften März", 0.08, 0.24)]
    text = DocumentText([page(rows)])
    assert all(text.text[s.end_char :].lstrip()[:6] != "Worten" for s in label_spans(text).get("birth_place", []))
    assert latin_half("Tapac / Taras") == "Taras"  # `Тарас` read in Latin look-alikes beside its twin


def test_a_turkish_proper_noun_read_with_a_small_i_gets_its_dotted_capital_back() -> None:
    lexicon = Lexicon({}, {"Istanbul": "İstanbul"})
    assert lexicon.restore("Standesamt istanbul") == "Standesamt İstanbul"
    assert lexicon.restore("Lyzeum Nr. 6 in Samara") == "Lyzeum Nr. 6 in Samara"


def test_a_turkish_bodys_town_is_a_proper_noun_on_a_page_in_any_language() -> None:
    assert _turkish_name("issuing_authority", "Istanbul Teknik Üniversitesi", turkish_page=False)
    assert not _turkish_name("issuing_authority", "Istanbul University", turkish_page=True)
    assert _turkish_name("person_name", "Ismet Inönü", turkish_page=True)


def test_an_issuer_named_in_a_sentence_that_runs_on_to_the_next_line() -> None:
    rows = [
        ("It is hereby certified that the child Olena Kovalenko was born", 0.08, 0.30),
        ("on 12 March 1990 in Kharkiv. Registered by the Civil Registry Office of", 0.08, 0.33),
        ("Kharkiv.", 0.08, 0.36),
    ]
    found = prose(DocumentText([page(rows)]))
    assert found["issuing_authority"].value == "Civil Registry Office of Kharkiv"  # not `... Office of`
    assert found["person_name"].value == "Olena Kovalenko"
    assert NORMALISERS["issuing_authority"]("the Sharia Court of Homs.") == "Sharia Court of Homs"
    assert NORMALISERS["issuing_authority"]("Civil Registry Office of") is None  # cut at its line's end


def test_the_date_of_the_event_is_no_issue_date() -> None:
    """`Olay Tarihi` reads almost as `Kayıt Tarihi`, but it is the event's date: the closing line's is the issue's."""
    rows = [
        ("Olay Tarihi / Date of Event", 0.06, 0.30),
        (": 17.11.1994", 0.45, 0.30),
        ("İzmir, 11 Aralık 1994", 0.06, 0.50),
    ]
    text = DocumentText([page(rows)])
    assert "issue_date" not in label_spans(text)
    assert is_label("Date of Event")


def test_a_lone_mark_between_label_and_value_does_not_end_the_value() -> None:
    """ruled_twin 0004: `Dogum Tarihi  -   31-12-1985`, the dash OCR read far from the date: the run of words
    beside the label started at the dash and ended at the gap after it, so no birth date was read."""
    rows = [("Dogum Tarihi", 0.10, 0.30), ("-", 0.26, 0.30), ("31-12-1985", 0.38, 0.30), ("Date of birth", 0.10, 0.32)]
    text = DocumentText([page(rows)])
    born = value_near(text, *_span(text, "Dogum Tarihi"), NORMALISERS["birth_date"], is_label)
    assert born is not None and born.value == "1985-12-31"
