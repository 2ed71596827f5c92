"""Readers that follow how documents are built rather than one layout (issue 17): each test is named after
the slip it guards against, found on the tuning families."""

from __future__ import annotations

from classifiers.certificate import is_label, latin_lookalikes, unglue_leaders
from classifiers.keyvalue import _is_label, garbled_labels, place_after_date, series_number
from classifiers.normalise import normalise_date, normalise_file_number
from classifiers.text import DocumentText, page_from_lines
from schemas.documents import BBox, PageText, TextSource, Word


def test_dots_a_leader_glued_to_a_value_are_taken_off() -> None:
    assert unglue_leaders("..Отдел.ЗАГС г. Санкт-Петербург") == "Отдел ЗАГС г. Санкт-Петербург"
    assert unglue_leaders("Школа. №.28.г..Самара") == "Школа № 28 г. Самара"
    assert unglue_leaders("Hauptstr. 5") == "Hauptstr. 5"  # no leader trace: the abbreviation stays


def test_dates_in_words() -> None:
    assert normalise_date("am achtundzwanzigsten Januar zweitausenddreizehn") == "2013-01-28"
    assert normalise_date("am ersten Mai neunzehnhundertneunundneunzig") == "1999-05-01"
    assert normalise_date("the twenty-first day of March, nineteen eighty-seven") == "1987-03-21"
    assert normalise_date("Issued on the first of May two thousand twenty-one") == "2021-05-01"
    assert normalise_date("01-SEP-2013") == "2013-09-01"


def test_turkish_dates_in_words_count_day_and_year_with_or_without_their_marks() -> None:
    assert normalise_date("on iki Mart iki bin yirmi bir") == "2021-03-12"
    assert normalise_date("yirmi dört Aralık bin dokuz yüz seksen beş") == "1985-12-24"
    assert normalise_date("otuz bir Agustos iki bin") == "2000-08-31"  # the month's ğ lost
    assert normalise_date("dokuz Eylul bin dokuz yuz altmis yedi yılı") == "1967-09-09"
    assert normalise_date("otuz bir Şubat iki bin on") is None  # no such day


def test_a_file_number_starting_with_az_keeps_it() -> None:
    assert normalise_file_number("AZ-2025-0173") == "AZ-2025-0173"
    assert normalise_file_number("Az.: 50.3 - 123/25") == "50.3-123/25"


def test_a_latin_name_read_in_cyrillic_lookalikes() -> None:
    assert latin_lookalikes("ВАВАК, Trokhym") == "BABAK, Trokhym"
    assert latin_lookalikes("Трохим Бабак") == "Трохим Бабак"  # a Cyrillic line stays Cyrillic


def test_a_garbled_label_is_no_value() -> None:
    assert is_label("Piace of birth") and is_label("Sex")
    assert _is_label("Sumame, given names")  # a label of the key-value table
    assert not is_label("Deir ez-Zor") and not is_label("Standesamt der Stadt Kyiv")
    assert not _is_label("Mariana Sliusar")


def test_place_after_a_date() -> None:
    assert place_after_date("12.03.1990, Homs") == "Homs"
    assert place_after_date("12 March 1990 in Deir ez-Zor") == "Deir ez-Zor"


def test_series_read_with_sha_for_three_and_nr() -> None:
    cyrillic = DocumentText([page_from_lines(1, ["СВИДЕТЕЛЬСТВО О РОЖДЕНИИ", "Серия Ш-ЮК № 178349"])])
    found = series_number(cyrillic)
    assert found is not None and found.value == "III-ЮК 178349"
    latin = DocumentText([page_from_lines(1, ["Geburtsurkunde", "Serie II-AK Nr. 529458"])])
    found = series_number(latin)
    assert found is not None and found.value == "II-AK 529458"  # a translation keeps Latin letters
    joined = DocumentText([page_from_lines(1, ["Meldebescheinigung", "Serie H-NE Nr. 363163"])])
    found = series_number(joined)
    assert found is not None and found.value == "II-NE 363163"  # the serifs of II joined into an H


def test_garbled_and_run_together_labels_are_found() -> None:
    text = DocumentText([page_from_lines(1, ["MELDEBESCHEINIGUNG", "geborenam 10.04.2000", "ausgesteltam 02.02.2019"])])
    found = garbled_labels(text, {})
    assert "birth_date" in found and "issue_date" in found


def test_a_garbled_label_swallows_the_label_found_inside_it() -> None:
    # `Surname, given names` with its first word garbled: the table's `given names` inside it is not the label
    from classifiers.keyvalue import _spans

    text = DocumentText(
        [page_from_lines(1, ["SCHOOL LEAVING CERTIFICATE", "Schname, given names", "PAVLYCHENKO, Anzhela"])]
    )
    spans = _spans(text)
    assert [s.text for s in spans["full_name"]] == ["Schname, given names"]


def _word(text: str, x0: float, height: float) -> Word:
    return Word(text=text, bbox=BBox(x0=x0, y0=0.1, x1=x0 + 0.05, y1=0.1 + height), confidence=0.9, line=1)


def test_flat_words_a_leader_was_read_as_are_dropped() -> None:
    words = [_word(t, 0.06 * i, 0.013) for i, t in enumerate(("Фамилия", "Гуляева", "Имя", "Олена", "Київ"))]
    words.append(_word("нн", 0.5, 0.0014))  # dots along the baseline, read as letters
    words.append(_word("–", 0.6, 0.0014))  # a dash is flat by nature and stays
    page = PageText(page=1, width=2480, height=3508, source=TextSource.OCR, words=tuple(words))
    text = DocumentText([page]).text
    assert "нн" not in text and "–" in text and "Гуляева" in text


def test_dates_in_words_in_ukrainian_and_russian() -> None:
    assert normalise_date("п'ятнадцятого жовтня тисяча дев'ятсот сімдесят восьмого року") == "1978-10-15"
    assert normalise_date("двадцять першого травня дві тисячі дванадцятого року") == "2012-05-21"
    assert normalise_date("тридцятого грудня двохтисячного року") == "2000-12-30"
    assert normalise_date("четвёртого марта двух тысяч четвертого года") == "2004-03-04"
    assert normalise_date("первого января тысяча девятьсот девяностого г.") == "1990-01-01"
    assert normalise_date("пятнадцятого жовтня тисяча девятсот сімдесят восьмого року") == "1978-10-15"  # ' lost
    assert normalise_date("тридцять першого лютого дві тисячі першого року") is None  # no such day


def _notice(lines: list[str]) -> DocumentText:
    return DocumentText([page_from_lines(1, lines)])


def test_a_period_given_by_month_names_or_in_a_table() -> None:
    from classifiers.notice import _period

    def period(lines: list[str]) -> list[object]:
        found = _period(_notice(lines))
        return [f.value for f in found] if found else []

    assert period(["Die Leistungen werden für die Monate August bis Oktober 2024 bewilligt."]) == [
        "2024-08-01",
        "2024-10-31",
    ]
    assert period(["Bewilligungszeitraum: November 2024 – Februar 2025"]) == ["2024-11-01", "2025-02-28"]
    assert period(["Leistungsart von bis monatlich", "Regelbedarf 01.08.2024 31.10.2024 460,00 €"]) == [
        "2024-08-01",
        "2024-10-31",
    ]
    assert period(["Zeitraum 01.08.2024 31.10.2024"]) == ["2024-08-01", "2024-10-31"]
    assert period(["Sprechzeiten von Montag bis Freitag", "Ihr Antrag vom 03.02.2025"]) == []


def test_a_full_name_with_its_patronymic_is_given_name_and_surname() -> None:
    from classifiers.certificate import person_name

    assert person_name("Ільєнко Софія Соломонівна") == "Софія Ільєнко"
    assert person_name("Иван Иванович Петров") == "Иван Петров"
    assert person_name("Petrenko Oleh Ivanovych") == "Oleh Petrenko"
    assert person_name("Ahmad Ali Haddad") == "Ahmad Ali Haddad"  # no patronymic: as printed


def test_issued_at_a_town_on_a_date() -> None:
    from classifiers.keyvalue import closing_date

    found = closing_date(_notice(["Registrar", "Issued at Mosul on 22 November 2019", "Director"]))
    assert found is not None and found.value == "2019-11-22"


def test_a_latin_label_with_cyrillic_lookalikes_is_a_label() -> None:
    assert is_label("Place ої birth")  # OCR read `of` in Cyrillic letters
    assert not is_label("Odesa")


def test_a_turkish_capital_dotted_i_read_as_a_small_i() -> None:
    from classifiers.lexicon import Lexicon

    assert Lexicon({}).restore("izmir", turkish_name=True) == "İzmir"
    assert Lexicon({}).restore("Mücevher inönü", turkish_name=True) == "Mücevher İnönü"
    assert Lexicon({}).restore("Ahmad ibn Ali") == "Ahmad ibn Ali"  # not a Turkish name: as read


def test_a_label_found_already_is_not_read_again_as_a_garbled_one() -> None:
    text = DocumentText([page_from_lines(1, ["Прізвище, ім'я", "Мар'яна Слюсар"])])
    from classifiers.keyvalue import _spans

    spans = _spans(text)
    assert "full_name" in spans and "surname" not in spans


def test_the_holder_named_in_prose_of_a_degree() -> None:
    from classifiers.keyvalue import prose

    text = DocumentText([page_from_lines(1, ["The degree is hereby conferred upon Olena Petrenko who has passed"])])
    assert prose(text)["person_name"].value == "Olena Petrenko"


def test_titles_read_with_the_usual_ocr_slips_and_their_official_wording() -> None:
    from classifiers.cues import title_types
    from schemas.documents import DocumentType

    assert title_types("СВИДЕТЕЛЬСТВО О РОЖДЕНИЙ") == [DocumentType.BIRTH_CERTIFICATE]  # И read as Й
    assert title_types("СВІДОЦТВО ПРО ЗДОБУТТЯ БАЗОВОЇ СЕРЕДНЬОЇ ОСВІТИ") == [DocumentType.SCHOOL_CERTIFICATE]
    assert title_types("گواهی سکونت") == [DocumentType.REGISTRATION_CERTIFICATE]
    assert title_types("Bachelor of Science") == [DocumentType.DEGREE_CERTIFICATE]


def test_cyrillic_titles_with_latin_look_alikes() -> None:
    """interleaved 0020 (`O` read Latin) and stacked_below 0017 (`MECTY`) were filed as other and as birth."""
    from classifiers.cues import title_types
    from schemas.documents import DocumentType

    assert title_types("СВИДЕТЕЛЬСТВО O РОЖДЕНИИ") == [DocumentType.BIRTH_CERTIFICATE]
    assert title_types("СВИДЕТЕЛЬСТВО О РЕГИСТРАЦИИ ПО MECTY ЖИТЕЛЬСТВА") == [DocumentType.REGISTRATION_CERTIFICATE]
    # a Latin title keeps its place in the order of first occurrence
    assert title_types("MARRIAGE CERTIFICATE\nСВИДЕТЕЛЬСТВО O РОЖДЕНИИ") == [
        DocumentType.MARRIAGE_CERTIFICATE,
        DocumentType.BIRTH_CERTIFICATE,
    ]


def test_a_title_at_the_top_of_the_page_outweighs_an_overconfident_classifier() -> None:
    from classifiers.analysis import _boosts, _combine

    cells = [("Islamic Republic of Afghanistan", 0.1, 0.05), ("CERTIFICATE OF RESIDENCE", 0.1, 0.11)]
    words = [
        Word(text=t, bbox=BBox(x0=x, y0=y, x1=x + 0.3, y1=y + 0.012), confidence=0.9, line=10 + i)
        for i, (t, x, y) in enumerate(cells)
    ]
    # a right-hand column read first puts the title far down the reading order, yet it is at the top of the page
    filler = [
        Word(
            text=f"row{i}",
            bbox=BBox(x0=0.6, y0=0.3 + i * 0.02, x1=0.7, y1=0.31 + i * 0.02),
            confidence=0.9,
            line=10 + i,
        )
        for i in range(8)
    ]
    page_text = PageText(page=1, width=2480, height=3508, source=TextSource.OCR, words=tuple(filler + words))
    scores = _combine({"degree_certificate": 0.9999, "registration_certificate": 1e-9}, _boosts([page_text]))
    assert max(scores, key=scores.__getitem__) == "registration_certificate"


def test_an_authority_letter_headed_as_a_decision_is_a_notice() -> None:
    from classifiers.analysis import _decision_letter

    assert _decision_letter("Jobcenter Salzlandkreis\nFrau\nBescheid über Bürgergeld für Ihre Bedarfsgemeinschaft")
    assert not _decision_letter("Max Mustermann\nHauptstr. 5\nIhr Bescheid vom 01.02.2025")


def test_a_u_umlaut_read_as_ii_is_restored_from_the_lexicon() -> None:
    from classifiers.lexicon import Lexicon

    lexicon = Lexicon({"Burgergeld": "Bürgergeld"})
    assert lexicon.restore("Bewilligung von Biirgergeld") == "Bewilligung von Bürgergeld"
    assert lexicon.restore("Andrii Yurii") == "Andrii Yurii"  # a transliteration's ii stays
