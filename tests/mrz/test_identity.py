"""Building the identity document from an MRZ reading and cross-checking the visual zone."""

from __future__ import annotations

from datetime import date

import pytest

from classifiers.identity import document_type, field_confidence, identity_document
from lab.samples import mrz as sample_mrz
from mrz.repair import repair
from schemas.documents import BBox, DocumentType, MrzDecoded, MrzReading, PageText, TextSource, Word

TD3 = ("P<UKRTKACHENKO<<OLENA<<<<<<<<<<<<<<<<<<<<<<<", "")
BOX = BBox(x0=0.1, y0=0.8, x1=0.9, y1=0.95)


def _td3(birth: str = "850101") -> tuple[str, str]:
    from mrz.layout import check_digit

    body = "FA1234567" + check_digit("FA1234567") + "UKR" + birth + check_digit(birth) + "F"
    body += "300101" + check_digit("300101") + "<" * 14 + "<"
    composite = body[0:10] + body[13:20] + body[21:43]
    return (TD3[0], body + check_digit(composite))


def _page(words: list[str], lines: tuple[str, ...]) -> PageText:
    return PageText(
        page=1,
        width=1000,
        height=700,
        source=TextSource.OCR,
        words=tuple(
            Word(text=w, bbox=BBox(x0=0.1, y0=0.1, x1=0.2, y1=0.12), confidence=0.9, line=i)
            for i, w in enumerate(words)
        ),
        mrz=MrzReading(lines=lines, bbox=BOX, confidence=0.9),
    )


def test_document_codes_map_to_types() -> None:
    assert document_type("P") is DocumentType.PASSPORT
    assert document_type("AR") is DocumentType.RESIDENCE_PERMIT
    assert document_type("ID") is DocumentType.ID_CARD
    assert document_type("I") is DocumentType.ID_CARD
    assert document_type("VC") is DocumentType.VISA


def test_valid_passport_with_matching_viz_and_original_script_name() -> None:
    page = _page(["ТКАЧЕНКО", "TKACHENKO", "ОЛЕНА", "OLENA", "01.01.1985", "FA1234567", "01.01.2030"], _td3())
    doc = identity_document([page])
    assert doc is not None
    assert doc.type is DocumentType.PASSPORT
    assert doc.fields["mrz_valid"].value is True
    assert doc.fields["birth_date"].value == "1985-01-01"
    surname = doc.fields["surname"]
    assert surname.source is TextSource.MRZ and surname.bbox is not None
    # its own characters (columns 5-14 of the zone's first line), not the whole zone
    assert (surname.bbox.x0, surname.bbox.x1) == pytest.approx((0.1 + 0.8 * 5 / 44, 0.1 + 0.8 * 14 / 44))
    assert (surname.bbox.y0, surname.bbox.y1) == pytest.approx((0.8, 0.875))
    assert doc.viz_mismatches == ()
    assert not doc.review
    assert doc.fields["original_script_name"].value == "ТКАЧЕНКО ОЛЕНА"


def test_viz_birth_date_disagreeing_is_flagged() -> None:
    page = _page(["TKACHENKO", "OLENA", "17.06.1979", "FA1234567"], _td3())
    doc = identity_document([page])
    assert doc is not None
    assert "birth_date" in doc.viz_mismatches
    assert doc.review


def test_invalid_mrz_is_returned_for_review() -> None:
    lines = _td3()
    broken = (lines[0], lines[1][:19] + ("3" if lines[1][19] != "3" else "4") + lines[1][20:])
    doc = identity_document([_page([], broken)])
    assert doc is not None
    assert doc.fields["mrz_valid"].value is False
    assert doc.review and doc.confidence < 0.5
    assert doc.checks is not None and doc.checks["birth_date"] is False


def test_page_without_mrz_is_no_identity_document() -> None:
    page = PageText(page=1, width=10, height=10, source=TextSource.OCR)
    assert identity_document([page]) is None


def test_visa_viz_with_passport_number_and_validity_is_no_contradiction() -> None:
    # A visa prints the passport's number and its own validity, not the visa number or the birth date.
    page = _page(["TKACHENKO,", "OLENA", "05.10.2029", "01.01.2030", "CJ811825"], _td3())
    doc = identity_document([page])
    assert doc is not None
    assert doc.viz_mismatches == ()


def test_names_are_not_flagged_when_the_viz_was_not_read() -> None:
    page = _page(["BUNDESREPUBLIK", "DEUTSCHLAND", "AUFENTHALTSTITEL"], _td3())
    doc = identity_document([page])
    assert doc is not None
    assert doc.viz_mismatches == ()


def test_a_similar_but_different_printed_number_is_flagged() -> None:
    page = _page(["TKACHENKO", "OLENA", "FA1234587", "01.01.1985"], _td3())
    doc = identity_document([page])
    assert doc is not None
    assert "document_number" in doc.viz_mismatches


def test_cyrillic_name_read_with_latin_look_alikes_is_kept_in_cyrillic() -> None:
    page = _page(["TKAЧEHKO", "ОЛЕНА", "FA1234567"], _td3())  # Latin T, K, A, E, H, O mixed in
    doc = identity_document([page])
    assert doc is not None
    assert doc.fields["original_script_name"].value == "ТКАЧЕНКО ОЛЕНА"


def _parse(**overrides: object) -> MrzDecoded:
    base: dict[str, object] = {
        "format": "TD3",
        "fields": {"surname": "TKACHENKO", "document_number": "FA1234567", "birth_date": "1985-01-01"},
        "checks": {"document_number": True, "birth_date": True, "composite": True},
        "valid": True,
    }
    base.update(overrides)
    return MrzDecoded(**base)  # type: ignore[arg-type]


def test_field_confidence_follows_the_decoders_certainty_of_that_field() -> None:
    parse = _parse(certainty={"name": 0.7, "document_number": 1.0, "birth_date": 0.995})
    assert field_confidence(parse, "surname") == 0.7  # names: the one uncertain field is the one to check
    assert field_confidence(parse, "document_number") == 0.99  # never above the ceiling
    assert field_confidence(parse, "birth_date") == 0.99


def test_a_field_whose_check_digit_fails_is_low_however_sure_its_characters_look() -> None:
    parse = _parse(
        checks={"document_number": False, "birth_date": True}, valid=False, certainty={"document_number": 1.0}
    )
    assert field_confidence(parse, "document_number") == 0.3
    assert field_confidence(parse, "birth_date") == 0.5  # no certainty known, zone not trusted


def test_without_certainties_the_zone_decides_every_fields_confidence() -> None:
    assert field_confidence(_parse(), "surname") == 0.99
    assert field_confidence(_parse(unsettled=("sex",)), "surname") == 0.5


def test_the_identity_document_is_built_from_the_readers_decode_not_decoded_again(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    page = _page(["TKACHENKO"], _td3())
    assert page.mrz is not None
    carried = page.model_copy(update={"mrz": page.mrz.model_copy(update={"decoded": repair(page.mrz).decoded()})})

    def decoded_again(reading: MrzReading) -> None:
        raise AssertionError("the zone was decoded a second time")

    monkeypatch.setattr("classifiers.identity.repair", decoded_again)
    doc = identity_document([carried])
    assert doc is not None and doc.type is DocumentType.PASSPORT
    assert doc.fields["document_number"].value == "FA1234567"
    assert doc.fields["mrz_valid"].value is True


def test_the_decoded_zone_survives_the_page_text_json_the_flows_store() -> None:
    page = _page(["TKACHENKO"], _td3())
    assert page.mrz is not None
    carried = page.model_copy(update={"mrz": page.mrz.model_copy(update={"decoded": repair(page.mrz).decoded()})})
    again = PageText.model_validate_json(carried.model_dump_json())
    assert again == carried
    assert identity_document([again]) == identity_document([page])  # the same document as decoding anew


def test_a_reading_without_its_decode_is_decoded_by_the_classifier() -> None:
    # Page texts stored before readings carried their decode are still understood.
    doc = identity_document([_page(["TKACHENKO"], _td3())])
    assert doc is not None and doc.fields["surname"].value == "TKACHENKO"


@pytest.mark.slow
def test_a_read_page_is_decoded_once_by_the_reader_and_not_again_by_the_classifiers(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from classifiers import analyse
    from lab.samples import generate
    from ocr.reader import ReadOptions, read_page

    [sample] = generate(tmp_path, count=1, seed=4711, difficulty="clean", kinds=["passport"], formats=["png"])
    page = read_page(sample.read_bytes(), 1, ReadOptions()).text
    assert page.mrz is not None and page.mrz.decoded is not None
    assert page.mrz.decoded == repair(page.mrz.model_copy(update={"decoded": None})).decoded()

    def decoded_again(reading: MrzReading) -> None:
        raise AssertionError("the zone was decoded a second time")

    monkeypatch.setattr("mrz.repair.decode", decoded_again)
    monkeypatch.setattr("mrz.repair.best_parse", decoded_again)
    [document] = analyse([page], review_threshold=0.8).documents
    assert document.type is DocumentType.PASSPORT
    assert document.fields["document_number"].value == page.mrz.decoded.fields["document_number"]


def _turkish_passport(*readings: tuple[str, float, int]) -> PageText:
    from mrz.layout import check_digit

    body = "U12345678" + check_digit("U12345678") + "TUR" + "850101" + check_digit("850101") + "F"
    body += "300101" + check_digit("300101") + "<" * 14 + "<"
    composite = check_digit(body[0:10] + body[13:20] + body[21:43])
    lines = ("P<TURHANCERLI<<AYSE<<<<<<<<<<<<<<<<<<<<<<<<<<", body + composite)
    words = tuple(
        Word(text=text, bbox=BBox(x0=0.1, y0=0.1, x1=0.3, y1=0.12), confidence=confidence, block=block, line=1)
        for text, confidence, block in readings
    )
    return _page([], lines).model_copy(update={"words": words, "languages": "tur+eng"})


def test_a_turkish_name_read_plain_is_doubted_where_another_reading_shows_the_mark_and_takes_it() -> None:
    sure_plain = identity_document([_turkish_passport(("HANCERLI", 0.97, 1))])
    assert sure_plain is not None
    assert sure_plain.fields["surname"].value == "HANCERLI" and sure_plain.fields["surname"].confidence > 0.9
    # the closer look at the visual zone read the cedilla as the spur of a G: the C may be Ç
    disputed = identity_document([_turkish_passport(("HANCERLI", 0.97, 1), ("HANGERLI", 0.9, 10_001))])
    assert disputed is not None
    surname = disputed.fields["surname"]
    assert surname.value == "HANÇERLI" and surname.confidence <= 0.45
    assert any("surname" in note and "marks" in note for note in disputed.notes)


def test_umlauts_the_mrz_cannot_confirm_are_doubted_for_holders_whose_alphabet_writes_them() -> None:
    from classifiers.identity import _writes_umlauts

    assert _writes_umlauts(["D", "D"]) and _writes_umlauts(["D", "TUR"]) and _writes_umlauts(["AUT", ""])
    assert not _writes_umlauts(["D", "UKR"])  # a Ukrainian holder's German permit: `OLEKSA` of OLEKSANDRA is no Ä


def _guessed_birth(raw_birth: str, printed: str) -> PageText:
    """A passport whose zone the reader decoded with the birth date 640411, read raw as `raw_birth`, and
    whose visual zone prints `printed`."""
    decoded_lines = _td3("640411")
    raw = (decoded_lines[0], decoded_lines[1][:13] + raw_birth + decoded_lines[1][19:])
    decoded = repair(MrzReading(lines=decoded_lines)).decoded()
    page = _page(["TKACHENKO", "OLENA", printed, "FA1234567", "01.01.2030"], raw)
    assert page.mrz is not None
    return page.model_copy(update={"mrz": page.mrz.model_copy(update={"decoded": decoded})})


def test_a_birth_date_the_reader_guessed_is_the_printed_one_where_the_check_digits_allow_both() -> None:
    # regression (tuning booklet 0009): `6G041A` decoded as 640411; 610410 has the same check digit and keeps
    # the composite, and the visual zone prints 10.04.1961
    doc = identity_document([_guessed_birth("6G041A", "10.04.1961")])
    assert doc is not None and doc.fields["birth_date"].value == "1961-04-10"
    assert "birth_date" not in doc.viz_mismatches
    assert any("visual zone prints is taken" in note for note in doc.notes)
    assert doc.fields["mrz"].value[1][13:19] == "610410"


def test_a_birth_date_read_plainly_or_differing_elsewhere_is_the_mrz_one() -> None:
    # the reading was sure of every digit: the printed date contradicts the MRZ, it does not replace it
    doc = identity_document([_guessed_birth("640411", "10.04.1961")])
    assert doc is not None and doc.fields["birth_date"].value == "1964-04-11"
    assert "birth_date" in doc.viz_mismatches
    # the printed date differs at a digit the reading was sure of (the year's 6): not taken
    doc = identity_document([_guessed_birth("6G041A", "10.04.1951")])
    assert doc is not None and doc.fields["birth_date"].value == "1964-04-11"


def _dutch_card(surname: str) -> tuple[str, ...]:
    """The zone of a Dutch identity card of GEERTRUIDA `surname`, as the sample generator writes it."""
    data = sample_mrz.MrzData(
        "ID", "NLD", surname, "GEERTRUIDA", "Y7581862", "NLD", date(1954, 9, 14), "F", date(2030, 10, 28)
    )
    return tuple(sample_mrz.td1(data))


def test_given_names_the_mrz_cut_off_whole_are_not_filed_as_read() -> None:
    # a surname that fills a card's name field leaves no room for the given names: the MRZ holds none,
    # the visual zone prints them, and nothing confirms a reading of them
    lines = _dutch_card("SCHIMMELPENNINCK VAN DER OYE")
    assert lines[2] == "SCHIMMELPENNINCK<VAN<DER<OYE<<"
    doc = identity_document([_page(["SCHIMMELPENNINCK", "VAN", "DER", "OYE", "GEERTRUIDA", "14.09.1954"], lines)])
    assert doc is not None and doc.fields["given_names"].value is None
    assert doc.fields["given_names"].confidence < 0.5
    assert any("does not confirm" in note and "given_names" in note for note in doc.notes)


def test_names_of_an_alphabet_no_ocr_language_reads_are_in_doubt() -> None:
    # Vietnamese marks (`NGUYỄN`): no installed OCR language reads them, so a plain print is no proof
    data = sample_mrz.MrzData(
        "P", "VNM", "NGUYEN", "THI MINH", "C1234567", "VNM", date(1980, 2, 3), "F", date(2030, 1, 1)
    )
    page = _page(["NGUYEN", "THI", "MINH", "03.02.1980"], tuple(sample_mrz.td3(data)))
    page = page.model_copy(update={"languages": "deu+eng"})
    doc = identity_document([page])
    assert doc is not None and doc.fields["surname"].confidence < 0.5
    assert any("OCR was unsure of the printed surname" in note for note in doc.notes)


def test_an_issuing_state_a_stamp_made_unreadable_is_the_code_the_visual_zone_prints() -> None:
    # regression (tuning stamped 0013): a stamp over `TUR` read `IUK`, no ICAO code; the cells doubted I and K,
    # and the visual zone prints `TUR` under `Code of issuing State`
    from schemas.documents import MrzCell

    lines = ("P<IUKZORLU<<KOCKAN".ljust(44, "<"), "Z292356114TUR7810277M310805561038967599<<<72")
    cells = [[MrzCell(chars=c, probabilities=(1.0,)) for c in line] for line in lines]
    cells[0][2] = MrzCell(chars="I1UT", probabilities=(0.703, 0.001, 0.0, 0.0))
    cells[0][4] = MrzCell(chars="KRM", probabilities=(0.21, 0.12, 0.006))
    reading = MrzReading(lines=lines, bbox=BOX, confidence=0.9, cells=tuple(tuple(c) for c in cells))
    reading = reading.model_copy(update={"decoded": repair(reading).decoded()})
    assert reading.decoded is not None and reading.decoded.fields["issuing_state"] == "IUK"
    page = _page(["Code", "TUR", "ZORLU", "KOÇKAN", "27", "OCT", "1978"], lines)
    doc = identity_document([page.model_copy(update={"mrz": reading})])
    assert doc is not None and doc.fields["issuing_state"].value == "TUR"
    # a code the cells were sure of stays, whatever the visual zone prints beside it
    sure = MrzReading(lines=lines, bbox=BOX, confidence=0.9, decoded=repair(MrzReading(lines=lines)).decoded())
    doc = identity_document([page.model_copy(update={"mrz": sure})])
    assert doc is not None and doc.fields["issuing_state"].value == "IUK"


def test_a_document_number_guessed_at_two_characters_is_the_printed_one_where_its_check_digit_allows_both() -> None:
    # FA0534567 and FA1234567 share their check digit (and so the composite): a reading that doubted both the
    # characters they differ in cannot tell them apart; the visual zone prints FA1234567
    lines = _td3()
    guessed = (lines[0], "FA0534567" + lines[1][9:])
    decoded = repair(MrzReading(lines=guessed)).decoded()
    assert decoded.valid and decoded.fields["document_number"] == "FA0534567"
    raw = (lines[0], "FAOS34567" + lines[1][9:])  # the two characters read as letters where digits belong
    page = _page(["TKACHENKO", "OLENA", "01.01.1985", "FA1234567"], raw)
    assert page.mrz is not None
    page = page.model_copy(update={"mrz": page.mrz.model_copy(update={"decoded": decoded})})
    doc = identity_document([page])
    assert doc is not None and doc.fields["document_number"].value == "FA1234567"
    # read plainly, the zone's number stands
    plain = _page(["TKACHENKO", "OLENA", "01.01.1985", "FA1234567"], guessed)
    doc = identity_document([plain])
    assert doc is not None and doc.fields["document_number"].value == "FA0534567"


def test_given_names_the_mrz_cut_to_a_few_letters_are_not_certain() -> None:
    # `GE` of `GEERTRUIDA` begins `GEBURTSORT` as well: so few letters do not tell the print from another word
    lines = _dutch_card("VERHOEVEN TIMMERMANS BOSCH")
    assert lines[2].endswith("<<GE")
    doc = identity_document([_page(["GEERTRUIDA", "14.09.1954"], lines)])
    assert doc is not None and doc.fields["given_names"].confidence < 0.5
    assert any("does not confirm" in note and "given_names" in note for note in doc.notes)


def test_a_nationality_read_as_no_code_is_settled_and_a_code_read_stays() -> None:
    # regression (tuning stamped 0016): a residence permit's VIZ prints `D`, the issuing state, beside the
    # holder's nationality; a nationality the zone decodes as a code (`SYR`), however unsure, is not replaced
    from schemas.documents import MrzCell

    def permit(nationality: str) -> PageText:
        lines = (
            "ARD<<ZC04469723<<<<<<<<<<<<<<<",
            f"8802266F2106168{nationality}<<<<<<<<<<<2",
            "HADDAD<<RANIA<<<<<<<<<<<<<<<<<",
        )
        cells = [[MrzCell(chars=c, probabilities=(1.0,)) for c in line] for line in lines]
        for column in (15, 16, 17):  # a stamp over the nationality
            cells[1][column] = MrzCell(chars=lines[1][column] + "QZ", probabilities=(0.4, 0.2, 0.1))
        reading = MrzReading(lines=lines, bbox=BOX, confidence=0.9, cells=tuple(tuple(c) for c in cells))
        reading = reading.model_copy(update={"decoded": repair(reading).decoded()})
        page = _page(["D", "HADDAD", "RANIA", "SYR", "26.02.1988"], lines)
        return page.model_copy(update={"mrz": reading})

    doc = identity_document([permit("SYR")])
    assert doc is not None and doc.fields["nationality"].value == "SYR"
    doc = identity_document([permit("SXR")])
    assert doc is not None and doc.fields["nationality"].value == "SYR"
