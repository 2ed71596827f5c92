"""Marks OCR reads as other characters, told apart by their boxes (classifiers.certificate_glyphs)."""

from __future__ import annotations

from classifiers.certificate_glyphs import (
    colon_read_as_one,
    dotted_town_in_body,
    doubt_unmarked_name,
    mend_marks,
    middle_dots,
    turkish_body_written,
)
from classifiers.lexicon import TURKISH_BODY, Lexicon
from schemas.documents import BBox, ExtractedField, PageText, TextSource, Word

_W, _H = 2480, 3508


def _word(text: str, x0: int, y0: int, x1: int, y1: int, line: int) -> Word:
    """A word with its box given in pixels of an A4 page at 300 dpi."""
    return Word(text=text, bbox=BBox(x0=x0 / _W, y0=y0 / _H, x1=x1 / _W, y1=y1 / _H), confidence=0.9, line=line)


def _page(*words: Word) -> PageText:
    return PageText(page=1, width=_W, height=_H, source=TextSource.OCR, words=words)


def _field(value: str, x0: int, y0: int, x1: int, y1: int) -> ExtractedField:
    return ExtractedField(value=value, page=1, bbox=BBox(x0=x0 / _W, y0=y0 / _H, x1=x1 / _W, y1=y1 / _H))


def _letterhead(separator: Word) -> PageText:
    return _page(_word("Merseburg", 100, 100, 330, 134, 0), separator, _word("Bürgerservice", 370, 100, 640, 134, 0))


def test_middle_dot_read_as_a_hyphen_off_a_square_box():
    """two_column 0010: `Merseburg · Bürgerservice` read `Merseburg - …`, filed certain with a dash."""
    page = _letterhead(_word("-", 345, 115, 349, 119, 0))
    field = _field("Merseburg – Bürgerservice", 100, 100, 640, 134)
    assert middle_dots(field, [page]).value == "Merseburg · Bürgerservice"


def test_a_real_dash_stays_a_dash():
    page = _letterhead(_word("-", 340, 116, 356, 119, 0))
    field = _field("Merseburg – Bürgerservice", 100, 100, 640, 134)
    assert middle_dots(field, [page]).value == "Merseburg – Bürgerservice"


def _form(*value: Word) -> PageText:
    """Rows `label : value` with the colons at one tab (x 900) and the values after them (x 930)."""
    rows = [
        _word("Soyadı", 100, 100, 300, 134, 0),
        _word(":", 900, 100, 908, 134, 0),
        _word("Öcalan", 930, 100, 1100, 134, 0),
        _word("Adı", 100, 200, 200, 234, 1),
        _word(":", 900, 200, 908, 234, 1),
        _word("Haliye", 930, 200, 1100, 234, 1),
    ]
    return _page(*rows, *value)


def test_colon_glued_to_a_number_read_as_one():
    """pair_tab 0002: `: 570825` read `1570825`, the colon's tab taken by the number's first digit."""
    page = _form(_word("1570825", 901, 300, 1100, 334, 2))
    assert colon_read_as_one(_field("1570825", 901, 300, 1100, 334), [page]).value == "570825"


def test_colon_read_as_a_dotless_i_before_a_number():
    """pair_tab 0010: `: 551356` read `ı 551356`."""
    page = _form(_word("ı", 899, 300, 906, 334, 2), _word("551356", 930, 300, 1100, 334, 2))
    assert colon_read_as_one(_field("ı 551356", 899, 300, 1100, 334), [page]).value == "551356"


def test_number_at_the_values_tab_keeps_its_first_digit():
    page = _form(_word("1570825", 930, 300, 1120, 334, 2))
    assert colon_read_as_one(_field("1570825", 930, 300, 1120, 334), [page]).value == "1570825"


def test_number_after_its_own_colon_keeps_its_first_digit():
    """pair_tab 0021: `: 1994/75692` is read right; the value's box takes in its row's colon at the tab."""
    page = _form(_word(":", 900, 300, 908, 334, 2), _word("1994/75692", 930, 300, 1150, 334, 2))
    field = _field("1994/75692", 900, 300, 1150, 334)
    assert colon_read_as_one(field, [page]).value == "1994/75692"


def test_mend_marks_touches_only_the_issuer_and_the_number():
    page = _form(_word("1570825", 901, 300, 1100, 334, 2))
    fields = {
        "certificate_number": _field("1570825", 901, 300, 1100, 334),
        "birth_date": _field("1978-10-15", 901, 300, 1100, 334),
    }
    mend_marks(fields, [page])
    assert fields["certificate_number"].value == "570825"
    assert fields["birth_date"].value == "1978-10-15"


_LEXICON = Lexicon({"Dogum": "Doğum", "Soyadi": "Soyadı"})


def test_a_name_without_marks_on_a_page_that_lost_its_marks_is_doubted():
    """interleaved 0010: `Soyadi Hayrioglu / Adi Yumun / Dogum Tarihi`, `Yumun` for `Yümun` filed as certain."""
    text = "İstanbul Nüfus Müdürlüğü\nSoyadi Hayrioglu\nAdi Yumun\nDogum Tarihi 5 Kasim 1993"
    name = ExtractedField(value="Yumun Hayrioğlu", confidence=0.8)
    doubted, note = doubt_unmarked_name(name, text, _LEXICON)
    assert doubted.confidence < 0.5 and note is not None


def test_a_page_that_kept_its_marks_leaves_the_name_alone():
    text = "İstanbul Nüfus Müdürlüğü\nSoyadı Seven\nAdı Kızıl\nDoğum Tarihi 16.01.1991"
    name = ExtractedField(value="Kızıl Seven", confidence=0.8)
    assert doubt_unmarked_name(name, text, _LEXICON) == (name, None)


def test_a_name_with_its_marks_is_not_doubted():
    text = "İstanbul Nüfus Müdürlüğü\nSoyadi Türk\nDogum Tarihi 01.10.2001"
    name = ExtractedField(value="Öngen Türk", confidence=0.8)
    assert doubt_unmarked_name(name, text, _LEXICON) == (name, None)


def test_a_turkish_town_in_an_english_body_gets_its_dotted_i_and_is_doubted():
    """grid 0007: `Directorate of Education, Istanbul` on a page from Türkiye, printed `İstanbul`, filed certain."""
    lexicon = Lexicon({}, {"Istanbul": "İstanbul", "Izmir": "İzmir"})
    field = ExtractedField(value="Directorate of Education, Istanbul", confidence=0.76)
    doubted, note = dotted_town_in_body(field, lexicon)
    assert doubted.value == "Directorate of Education, İstanbul"
    assert doubted.confidence < 0.5 and note


def test_a_body_without_a_known_dotted_town_is_left_alone():
    lexicon = Lexicon({}, {"Istanbul": "İstanbul"})
    field = ExtractedField(value="Institute of Technology, Ankara", confidence=0.9)
    assert dotted_town_in_body(field, lexicon) == (field, None)


def test_a_turkish_body_in_capitals_is_written_with_its_dotted_and_dotless_i():
    """`EGE ÜNİVERSİTESİ` lower-cased by any other language's rules is `ege üni̇versi̇tesi̇` (a combining dot)."""
    for printed, written in (
        ("EGE ÜNİVERSİTESİ", "Ege Üniversitesi"),
        ("ISPARTA LİSESİ", "Isparta Lisesi"),
        ("T.C. ÇANKAYA İLÇE NÜFUS MÜDÜRLÜĞÜ", "T.C. Çankaya İlçe Nüfus Müdürlüğü"),
        ("STADT ZEITZ", "STADT ZEITZ"),  # not a Turkish body: left as printed
    ):
        assert turkish_body_written(ExtractedField(value=printed)).value == written


def test_one_pattern_knows_a_turkish_body_in_capitals_or_written_small_with_or_without_its_marks():
    """The body's words as the page prints them and as OCR may read them (a lost dot, a lost breve)."""
    for body in (
        "Ege Üniversitesi",
        "EGE ÜNİVERSİTESİ",
        "Ege Universitesi",
        "İzmir Nüfus Müdürlüğü",
        "IZMIR NUFUS MÜDÜRLÜGÜ",
        "Konak Vergi Dairesi",
        "Tıp Fakültesi",
        "ANKARA VALİLİĞİ",
    ):
        assert TURKISH_BODY.search(body), body
    for body in ("Universität Leipzig", "Istanbul University", "Standesamt Zeitz", "Directorate of Education"):
        assert not TURKISH_BODY.search(body), body
