"""Notice layouts whose values span lines: an authority printed as body over office, a subject with a
reference line beside it, a period written out in words or opened by `ab dem`."""

from __future__ import annotations

from classifiers.notice import _period, _subject
from classifiers.notice_authority import authority
from classifiers.text import DocumentText, page_from_lines


def _notice(lines: list[str]) -> DocumentText:
    return DocumentText([page_from_lines(1, lines)])


def _authority(lines: list[str]) -> object:
    found = authority(_notice(lines))
    return found.value if found else None


def test_an_office_on_the_line_under_its_county_is_part_of_the_authority() -> None:
    lines = ["Landkreis Wittenberg", "– Ausländerbehörde –", "Breitscheidstraße 3", "06886 Lutherstadt Wittenberg"]
    assert _authority(lines) == "Landkreis Wittenberg – Ausländerbehörde"
    assert (
        _authority(["Stadt Dessau-Roßlau", "Fachbereich Soziales", "Herrn"])
        == "Stadt Dessau-Roßlau – Fachbereich Soziales"
    )


def test_the_head_of_a_county_between_its_name_and_its_office_is_skipped() -> None:
    lines = ["Salzlandkreis", "Der Landrat", "Amt für Migration und Integration", "Karlsplatz 37"]
    assert _authority(lines) == "Salzlandkreis – Amt für Migration und Integration"


def test_a_job_centre_over_its_region_is_one_name() -> None:
    assert _authority(["Jobcenter", "Burgenlandkreis", "Schönburger Straße 41"]) == "Jobcenter Burgenlandkreis"


def test_an_address_under_the_county_is_not_an_office() -> None:
    assert _authority(["Landkreis Harz", "Friedrich-Ebert-Straße 42", "38820 Halberstadt"]) == "Landkreis Harz"
    assert (
        _authority(["Landkreis Harz – Amt für Soziales", "Sachgebiet Leistungen"])
        == "Landkreis Harz – Amt für Soziales"
    )


def test_the_office_named_only_in_the_sender_line_is_joined() -> None:
    lines = [
        "Landkreis Anhalt-Bitterfeld",
        "",
        "Landkreis Anhalt-Bitterfeld · Sozialamt · Am Flugplatz 1 · 06366 Köthen",
        "Frau",
        "Olena Petrenko",
    ]
    assert _authority(lines) == "Landkreis Anhalt-Bitterfeld – Sozialamt"


def test_a_reference_line_under_the_subject_is_not_run_into_it() -> None:
    lines = [
        "Bescheid über Leistungen nach dem",
        "Asylbewerberleistungsgesetz (AsylbLG)",
        "Kundennummer 123D456789",
        "Sehr geehrte Frau Petrenko,",
    ]
    found = _subject(_notice(lines), {})
    assert found is not None
    assert found.value == "Bescheid über Leistungen nach dem Asylbewerberleistungsgesetz (AsylbLG)"


def test_a_period_written_in_words_or_opened_by_ab_dem() -> None:
    def period(lines: list[str]) -> list[object]:
        found = _period(_notice(lines))
        return [f.value for f in found] if found else []

    assert period(["für die Zeit vom 1. April 2025 bis zum 31. März 2026 bewilligt"]) == ["2025-04-01", "2026-03-31"]
    assert period(["Die Leistungen werden ab dem 01.08.2024 bis einschließlich 31.10.2024 gewährt."]) == [
        "2024-08-01",
        "2024-10-31",
    ]
    assert period(["Geltungsdauer: 01.05.2026 – 31.10.2026"]) == ["2026-05-01", "2026-10-31"]
    assert period(["Ihr Antrag vom 03.02.2025", "Datum: 12.03.2025"]) == []


def test_values_cut_short_run_on_or_misread_are_doubted() -> None:
    from classifiers.value_shapes import shape_doubts

    assert shape_doubts("subject", "Bewilligung von Leistungen zur Sicherung des", None, [])["dangling_end"] == 1.0
    assert shape_doubts("subject", "Bescheid über Bürgergeld", None, [])["dangling_end"] == 0.0
    assert shape_doubts("subject", "Hilfe zum Lebensunterhalt nach dem SGB XiIl", None, [])["roman_slip"] == 1.0
    assert shape_doubts("subject", "Hilfe zum Lebensunterhalt nach dem SGB XII", None, [])["roman_slip"] == 0.0
    assert shape_doubts("subject", "Uber die Gewährung von Leistungen", None, [])["umlaut_lost"] == 1.0
    assert shape_doubts("subject", "Bürgergeld Kundennummer 123D456", None, [])["reference_words"] == 1.0
    assert shape_doubts("authority", "Landkreis Wittenberg", None, [])["body_only"] == 1.0
    assert shape_doubts("authority", "Landkreis Wittenberg – Ausländerbehörde", None, [])["body_only"] == 0.0


def test_a_line_under_an_authority_that_may_continue_it_is_a_doubt() -> None:
    from classifiers.value_shapes import shape_doubts

    page = page_from_lines(1, ["Landkreis Wittenberg", "Ausländerbehörde", "", "", "Breitscheidstraße 3"])
    head, office = page.words[0].bbox.union(page.words[1].bbox), page.words[2].bbox
    assert shape_doubts("authority", "Landkreis Wittenberg", head, page.words)["continues_below"] == 1.0
    joined = head.union(office)
    assert (
        shape_doubts("authority", "Landkreis Wittenberg – Ausländerbehörde", joined, page.words)["continues_below"]
        == 0.0
    )


def test_a_book_of_the_social_code_and_a_capitalised_word_get_their_letters_back() -> None:
    from classifiers.lexicon import Lexicon, repair_legal

    assert repair_legal("nach dem SGB XiI") == "nach dem SGB XII"
    assert repair_legal("nach dem SGB XiIl") == "nach dem SGB XiIl"  # no such book: left for review
    lexicon = Lexicon({"uber": "über"})
    assert lexicon.restore("Uber die Gewährung") == "Über die Gewährung"
    assert lexicon.restore("Bescheid. Uber die Gewährung") == "Bescheid. Über die Gewährung"
    # inside a sentence the capital is the lost umlaut's slip, not the start of a sentence
    assert lexicon.restore("Entscheidung Uber die Gewährung") == "Entscheidung über die Gewährung"


def test_the_recipient_over_an_address_printed_on_one_line() -> None:
    from classifiers.notice_recipient import recipient as _recipient

    lines = ["Landkreis Stendal – Sozialamt", "BESCHEID", "| Ernst Fokin", "L-", "| Beierstr. 110, 06108 Halle (Saale)"]
    found = _recipient(_notice(lines))
    assert found is not None and found.value == "Ernst Fokin"
    labelled = ["BESCHEID", "Maryam Osman", "Anschrift", "Beierstr. 110, 06108 Halle (Saale)"]
    found = _recipient(_notice(labelled))
    assert found is not None and found.value == "Maryam Osman"


def test_a_file_number_in_a_box_loses_the_border_read_as_a_bar() -> None:
    from classifiers.normalise import normalise_file_number

    assert normalise_file_number("| BG 79124//8115325") == "BG 79124//8115325"
    assert normalise_file_number("III/123") == "III/123"


def test_a_notice_word_that_lost_its_umlaut_gets_it_back_without_a_lexicon_entry() -> None:
    from classifiers.lexicon import Lexicon

    assert Lexicon({}).restore("Anderung der Bewilligung") == "Änderung der Bewilligung"


def test_a_subject_cut_mid_phrase_or_with_a_misread_book_is_unsure() -> None:
    from classifiers.extract import Found
    from classifiers.notice import _doubted

    cut = _doubted("subject", Found("Bewilligung von Leistungen zur Sicherung des", 0, 10, 0.85))
    slip = _doubted("subject", Found("Hilfe zum Lebensunterhalt nach dem SGB XiIl", 0, 10, 0.85))
    whole = _doubted("subject", Found("Hilfe zum Lebensunterhalt nach dem SGB XII", 0, 10, 0.85))
    from classifiers.extract import FIELD_REVIEW_CONFIDENCE

    # below the floor under which a field is always shown to a clerk, whatever the review model says
    assert cut is not None and cut.certainty < FIELD_REVIEW_CONFIDENCE
    assert slip is not None and slip.certainty < FIELD_REVIEW_CONFIDENCE
    assert whole is not None and whole.certainty == 0.85


def test_a_contact_row_whose_colon_was_lost_is_not_the_start_of_the_subject() -> None:
    """A held-out notice filed `Ansprechpartner Rigo Mosemann Bewilligung …` as its subject: the information
    block's row, its colon lost, stood over the heading and was taken for its first line."""
    lines = [
        "Ansprechpartner Rigo Mosemann",
        "Bewilligung von Leistungen nach dem SGB II",
        "Sehr geehrte Frau Petrenko,",
    ]
    found = _subject(_notice(lines), {})
    assert found is not None
    assert found.value == "Bewilligung von Leistungen nach dem SGB II"
