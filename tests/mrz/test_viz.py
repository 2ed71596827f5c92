"""The visual zone cross-check: what the printed data must show before a field is called contradicted."""

from __future__ import annotations

from classifiers.identity import identity_document
from schemas.documents import BBox, MrzReading, PageText, TextSource, Word
from tests.mrz.test_identity import _td3

ZONE = BBox(x0=0.05, y0=0.8, x1=0.95, y1=0.95)


def _page(lines: list[str], mrz: tuple[str, ...] | None = None, confidence: float = 0.95) -> PageText:
    """A page whose VIZ has these text lines (words split on spaces), one above the other, and the MRZ."""
    words = [
        Word(
            text=w,
            bbox=BBox(x0=0.1 + 0.05 * j, y0=0.05 * i, x1=0.14 + 0.05 * j, y1=0.05 * i + 0.03),
            confidence=confidence,
            line=i,
        )
        for i, line in enumerate(lines)
        for j, w in enumerate(line.split())
    ]
    return PageText(
        page=1,
        width=1000,
        height=700,
        source=TextSource.OCR,
        words=tuple(words),
        mrz=MrzReading(lines=mrz or _td3(), bbox=ZONE, confidence=0.9),
    )


def _mismatches(lines: list[str], **kwargs: object) -> tuple[str, ...]:
    doc = identity_document([_page(lines, **kwargs)])  # type: ignore[arg-type]
    assert doc is not None
    return doc.viz_mismatches


def test_a_matching_visual_zone_contradicts_nothing() -> None:
    assert _mismatches(["TKACHENKO", "OLENA", "FA1234567", "01.01.1985", "02.01.2020", "01.01.2030"]) == ()


def test_another_surname_beside_the_right_given_names_is_a_contradiction() -> None:
    assert _mismatches(["MELNYK", "OLENA", "FA1234567", "01.01.1985"]) == ("surname",)


def test_a_name_block_ocr_did_not_read_is_no_contradiction() -> None:
    # Number and birth date were read, the names not at all: nothing shows another name.
    assert _mismatches(["T%K~", "FA1234567", "01.01.1985"]) == ()


def test_a_double_surname_printed_with_a_hyphen_is_the_mrz_name() -> None:
    mrz = ("P<UKRKOVAL<MELNYK<<OLENA<<<<<<<<<<<<<<<<<<<<", _td3()[1])
    assert _mismatches(["KOVAL-MELNYK", "OLENA", "FA1234567", "01.01.1985"], mrz=mrz) == ()


def test_a_date_after_a_paragraph_sign_is_still_read() -> None:
    # "§ 28 AufenthG" must not swallow the day of the date that follows (28 AUFE 06 is no date).
    assert _mismatches(["TKACHENKO OLENA", "§ 28 AufenthG 01 JAN 1985", "FA1234567"]) == ()
    assert _mismatches(["TKACHENKO OLENA", "§ 28 AufenthG 01 JAN 1988", "FA1234567"]) == ("birth_date",)


def test_a_birth_year_one_digit_off_is_a_contradiction_when_read_confidently_and_a_slip_when_not() -> None:
    assert _mismatches(["TKACHENKO", "OLENA", "FA1234567", "01.01.1986"]) == ("birth_date",)
    assert _mismatches(["TKACHENKO", "OLENA", "FA1234567", "01.01.1986"], confidence=0.6) == ()


def test_a_number_misread_by_look_alikes_is_the_same_number_and_another_digit_is_not() -> None:
    assert _mismatches(["TKACHENKO", "OLENA", "FAI234S67", "01.01.1985"]) == ()  # I for 1, S for 5
    assert _mismatches(["TKACHENKO", "OLENA", "FA12345G7", "01.01.1985"]) == ()
    assert "document_number" in _mismatches(["TKACHENKO", "OLENA", "FA1234587", "01.01.1985"])


def test_an_expiry_two_years_off_is_a_contradiction_but_the_issue_date_is_not_an_expiry() -> None:
    assert _mismatches(["TKACHENKO", "OLENA", "FA1234567", "01.01.1985", "01.01.2032"]) == ("expiry_date",)
    # a one-year document: its issue date lies within a year of the expiry, the day after it a year before
    assert _mismatches(["TKACHENKO", "OLENA", "FA1234567", "01.01.1985", "02.01.2029"]) == ()


def test_words_inside_the_machine_readable_zone_are_not_the_visual_zone() -> None:
    page = _page(["TKACHENKO", "OLENA", "01.01.1985"])
    zone_word = Word(text="FA1234587", bbox=BBox(x0=0.1, y0=0.85, x1=0.3, y1=0.88), confidence=0.95, line=40)
    doc = identity_document([page.model_copy(update={"words": (*page.words, zone_word)})])
    assert doc is not None and "document_number" not in doc.viz_mismatches


def test_a_cyrillic_name_ocr_read_as_latin_look_alikes_only_is_restored() -> None:
    mrz = ("P<UKRNOSENKO<<OLENA<<<<<<<<<<<<<<<<<<<<<<<<<", _td3()[1])
    doc = identity_document([_page(["HOCEHKO", "NOSENKO", "OLENA", "FA1234567"], mrz=mrz)])
    assert doc is not None
    assert doc.fields["original_script_name"].value == "НОСЕНКО"


def test_a_number_read_with_low_confidence_is_no_contradiction() -> None:
    assert _mismatches(["TKACHENKO", "OLENA", "FA1234587", "01.01.1985"], confidence=0.7) == ()  # one off: a slip
    assert _mismatches(["TKACHENKO", "OLENA", "FA1239987", "01.01.1985"], confidence=0.3) == ()  # noise
    assert _mismatches(["TKACHENKO", "OLENA", "FA1239987", "01.01.1985"], confidence=0.75) == ("document_number",)


def test_a_given_name_the_mrz_cut_is_no_contradiction_but_one_it_did_not_cut_is() -> None:
    # the name field is full: the MRZ cut `MARIIA` after `MA`; the print shows it whole
    cut = "P<UKRTKACHENKO<<OLENA<OLEKSANDRA<KATERYNA<MA"
    printed = ["TKACHENKO", "OLENA OLEKSANDRA KATERYNA MARIIA", "FA1234567", "01.01.1985"]
    assert _mismatches(printed, mrz=(cut, _td3()[1])) == ()
    short = "P<UKRTKACHENKO<<OLENA<MA<<<<<<<<<<<<<<<<<<<<<"  # room left: `MA` is the whole name, `MARIIA` another
    assert _mismatches(["TKACHENKO", "OLENA MARIIA", "FA1234567", "01.01.1985"], mrz=(short, _td3()[1])) == (
        "given_names",
    )
