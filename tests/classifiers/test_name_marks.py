"""Marks OCR dropped from a name printed in small letters, told by its word's box (classifiers.name_marks).

The boxes are those tesseract gave on tuning documents (pixels of an A4 page at 300 dpi)."""

from __future__ import annotations

from classifiers.name_marks import Ink, doubt_turkish_holder, ink, lost_mark, mend_name
from schemas.documents import BBox, ExtractedField, PageText, TextSource, Word

_W, _H = 2480, 3508


def _word(text: str, x0: int, y0: int, x1: int, y1: int, block: int = 0, line: int = 0) -> Word:
    return Word(
        text=text, bbox=BBox(x0=x0 / _W, y0=y0 / _H, x1=x1 / _W, y1=y1 / _H), confidence=0.92, block=block, line=line
    )


def _page(*words: Word) -> PageText:
    return PageText(page=1, width=_W, height=_H, source=TextSource.OCR, words=words)


def _field(value: str, x0: int, y0: int, x1: int, y1: int) -> ExtractedField:
    box = BBox(x0=x0 / _W, y0=y0 / _H, x1=x1 / _W, y1=y1 / _H)
    return ExtractedField(value=value, page=1, bbox=box, confidence=0.9)


def test_a_cedilla_below_a_word_of_its_line_is_put_back_and_doubted() -> None:
    """attest 0024: `Öngen Ertaş` read `Ongen Ertas` (0.92), `Ertas` on a line whose other words stand on the
    baseline it reaches below."""
    page = _page(
        _word("dogan", 1127, 786, 1261, 829),
        _word("Ongen", 1279, 780, 1422, 829),
        _word("Ertas", 264, 868, 379, 909, line=1),
        _word("Lisans", 398, 867, 536, 901, line=1),
        _word("programını", 553, 877, 801, 910, line=1),
        _word("basariyla", 816, 868, 1018, 911, line=1),
        _word("tamamlayarak", 1033, 869, 1353, 911, line=1),
        _word("bu", 1366, 869, 1422, 903, line=1),
    )
    mended, note = mend_name(_field("Ongen Ertas", 260, 780, 1425, 912), [page], "person_name")
    assert mended.value == "Ongen Ertaş"
    assert mended.confidence < 0.5
    assert note is not None and "Ertas" in note


def test_a_cedilla_below_a_word_alone_in_its_line_is_told_by_its_column() -> None:
    """two_column 0010: `Akça` read `Akca`, a value alone in its line, as tall as `Rumeysa` under it with a y."""
    page = _page(
        _word("Akca", 899, 608, 1004, 646, block=5),
        _word("Rumeysa", 902, 729, 1101, 767, block=8),
        _word("15.08.1967,", 903, 848, 1164, 883, block=11),
        _word("Fritschweg", 903, 968, 1142, 1007, block=14),
    )
    mended, note = mend_name(_field("Rumeysa Akca", 899, 608, 1101, 767), [page], "person_name")
    assert mended.value == "Rumeysa Akça"
    assert note is not None


def test_a_comma_boxed_with_its_word_is_no_mark() -> None:
    """attest 0001: `Hosseini,` reaches below the baseline by its comma, which OCR read."""
    page = _page(
        _word("Mina", 100, 100, 190, 134),
        _word("Hosseini,", 200, 100, 400, 141),
        _word("Schule", 420, 100, 560, 134),
    )
    field = _field("Mina Hosseini", 95, 95, 405, 145)
    assert mend_name(field, [page], "person_name") == (field, None)


def test_a_word_standing_higher_than_its_line_is_no_mark() -> None:
    """grid 0005: `Alhassan` boxed higher than its line by as much as it falls short of the baseline."""
    page = _page(
        _word("Maryam", 100, 100, 260, 144),
        _word("Alhassan", 280, 95, 460, 129),
        _word("Schule", 480, 100, 600, 134),
    )
    field = _field("Maryam Alhassan", 95, 90, 465, 146)
    assert mend_name(field, [page], "person_name") == (field, None)


def test_a_mark_above_a_capital_and_ink_where_no_one_letter_takes_it() -> None:
    assert lost_mark("Ongen", Ink(extra=0.16, above=0.15, below=-0.02)) == ("Öngen", True)
    assert lost_mark("Selcuk", Ink(extra=0.25, above=0.0, below=0.25)) == ("Selcuk", True)  # a c and an s
    assert lost_mark("Orik", Ink(extra=0.3, above=None, below=None)) == ("Örik", True)
    assert lost_mark("Isın", Ink(extra=0.3, above=None, below=None)) == ("Isın", True)  # İ above or ş below
    assert lost_mark("Omar", Ink(extra=0.64, above=0.2, below=0.44)) is None  # a rule of the grid, not a mark
    # household 0002, letterhead 0018: a y (a serif J) reaches as far as a cedilla would, and a box past both
    # has taken in a speck or a stroke
    assert lost_mark("Orlyk", Ink(extra=0.32, above=0.14, below=0.15)) is None
    assert lost_mark("Jawad", Ink(extra=0.27, above=-0.09, below=0.32)) is None


def test_a_name_read_with_its_marks_elsewhere_on_the_page_takes_them() -> None:
    page = _page(
        _word("Kockan", 100, 100, 260, 134),
        _word("Zorlu", 280, 100, 400, 134),
        _word("KOÇKAN", 100, 900, 300, 934, block=3),
    )
    mended, note = mend_name(_field("Kockan Zorlu", 95, 95, 405, 140), [page], "recipient_name")
    assert (mended.value, note) == ("Koçkan Zorlu", None)


def test_a_word_without_measured_words_around_it_is_not_measured() -> None:
    page = _page(_word("Kockan", 100, 100, 260, 144))
    assert ink(page.words[0], page) is None


def test_a_u_read_as_two_i_takes_its_twin_or_is_doubted() -> None:
    """months 0019: `Gülen` read `Giilen` in the address and `Gülen,` in the salutation; grid 0018: `Cüneyit`
    read `Ciineyit` with no second reading. (Ukrainian `Sofiia` and `Babii` have theirs later in the word.)"""
    page = _page(
        _word("Nesip", 236, 672, 331, 710),
        _word("Giilen", 344, 671, 445, 701),
        _word("Gülen,", 530, 1217, 630, 1248, line=1),
    )
    assert mend_name(_field("Nesip Giilen", 230, 665, 450, 712), [page], "recipient_name")[0].value == "Nesip Gülen"
    alone = _page(_word("Ciineyit", 100, 100, 260, 140), _word("Sofiia", 280, 100, 400, 134))
    mended, note = mend_name(_field("Ciineyit Sofiia", 95, 95, 405, 145), [alone], "person_name")
    assert mended.value == "Ciineyit Sofiia"
    assert note is not None and "Ciineyit" in note and "Sofiia" not in note


def test_a_word_read_with_some_of_its_marks_may_have_lost_others() -> None:
    """A held-out certificate filed `Işın` as `Isın`: the dotless ı read, the cedilla under the s not; and a
    capital read with its mark (`Özcan`) is as tall as the mark makes it, which is no mark lost."""
    page = _page(
        _word("Isın", 100, 100, 190, 142),
        _word("Bilir", 210, 100, 320, 134),
        _word("Schule", 340, 100, 480, 134),
        _word("Özcan", 100, 300, 240, 334, line=1),
        _word("Bilir", 260, 306, 370, 334, line=1),
        _word("Schule", 390, 306, 530, 334, line=1),
    )
    mended, note = mend_name(_field("Isın Bilir", 95, 95, 325, 145), [page], "person_name")
    assert (mended.value, note is not None) == ("Işın Bilir", True)
    field = _field("Özcan Bilir", 95, 295, 375, 340)
    assert mend_name(field, [page], "person_name") == (field, None)
    # a twin adds marks (`IŞIN`), never takes one away or puts another in its place (`KİSA` for `Kısa`)
    assert _cased_like_twin("Isın", "IŞIN") == "Işın"
    assert _cased_like_twin("Kısa", "KİSA") is None


def _cased_like_twin(word: str, twin: str) -> str | None:
    page = _page(_word(word, 100, 100, 190, 134), _word(twin, 100, 900, 220, 934, block=2))
    mended, _ = mend_name(_field(word, 95, 95, 195, 140), [page], "person_name")
    return None if mended.value == word else str(mended.value)


def test_a_holder_from_turkey_read_without_turkish_letters_is_doubted() -> None:
    """sworn_below 0002: `Oğulbaş Türk`, born in Bursa and certified in İzmir, read `Ogulbas Türk` on a page
    read without Turkish: no box shows a breve over a g. Read with Turkish, or with nothing Turkish around
    (`İ` is not `i`: `Kiev`), the name stands."""
    page = _page(_word("Ogulbas", 100, 100, 260, 144), _word("Türk", 280, 100, 380, 134))
    page = page.model_copy(update={"languages": "deu+eng"})
    field = _field("Ogulbas Türk", 95, 95, 385, 146)
    context = ["Bursa", "Abteilung für Personenstandswesen İzmir"]
    doubted, note = doubt_turkish_holder(field, context, [page], "person_name")
    assert doubted.confidence < 0.5 and note is not None and "Ogulbas" in note
    assert doubt_turkish_holder(field, ["Kiev", "Standesamt Berlin"], [page], "person_name") == (field, None)
    turkish = page.model_copy(update={"languages": "tur+eng"})
    assert doubt_turkish_holder(field, context, [turkish], "person_name") == (field, None)
