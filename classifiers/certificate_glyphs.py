"""Small marks OCR reads as another character, told apart by the shape and place of their boxes.

Tesseract names a mark by its likeliest glyph, and two marks of a certificate come out as characters that
change a value without lowering its confidence much: the middle dot between a town and its office
(`Merseburg · Bürgerservice`) is read as a hyphen, and the colon of a `label : value` form, set at a fixed tab
before the value, is read as a `1` or an `ı` glued to a number (`: 570825` as `1570825`). The boxes tell them
apart where the letters cannot: a hyphen is several times wider than high, a middle dot is square; and a
colon stands at the same tab as the colons of the rows above and below, left of where their values begin.

Marks OCR drops rather than misreads are not put back here, but a Turkish holder's name read without them on a
page that lost its marks elsewhere is not filed as certain.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from classifiers.lexicon import TURKISH_BODY, Lexicon, looks_turkish, title_case
from schemas.documents import ExtractedField, PageText, Word

# A box no wider than this many times its height is a dot; a hyphen or dash is several times wider than high.
DOT_WIDTH = 1.5
# How far apart (share of the page width) two boxes may start and still stand at the same tab.
TAB_TOLERANCE = 0.004
_DASH_WORDS = frozenset("-–‒")
_COLON_READINGS = frozenset("1ıl|Ii")


def _inside(word: Word, field: ExtractedField) -> bool:
    box = field.bbox
    if box is None:
        return False
    centre_x, centre_y = (word.bbox.x0 + word.bbox.x1) / 2, (word.bbox.y0 + word.bbox.y1) / 2
    return box.x0 <= centre_x <= box.x1 and box.y0 <= centre_y <= box.y1


def field_words(field: ExtractedField, pages: Sequence[PageText]) -> list[Word]:
    """The words of the field's page inside its box, in reading order."""
    page = next((p for p in pages if p.page == field.page), None)
    if page is None:
        return []
    return sorted((w for w in page.words if _inside(w, field)), key=lambda w: (w.line, w.bbox.x0))


def _square(word: Word, page: PageText) -> bool:
    width = (word.bbox.x1 - word.bbox.x0) * page.width
    height = (word.bbox.y1 - word.bbox.y0) * page.height
    return width <= DOT_WIDTH * max(height, 1.0)


def middle_dots(field: ExtractedField, pages: Sequence[PageText]) -> ExtractedField:
    """`field` with the dash between two parts of its value made the middle dot it is where every dash the
    value shows was read off a square box (`Merseburg – Bürgerservice` → `Merseburg · Bürgerservice`)."""
    if not isinstance(field.value, str) or not re.search(r"\s[-–‒]\s", field.value):
        return field
    page = next((p for p in pages if p.page == field.page), None)
    dashes = [w for w in field_words(field, pages) if w.text in _DASH_WORDS]
    if page is None or not dashes or not all(_square(w, page) for w in dashes):
        return field
    return field.model_copy(update={"value": re.sub(r"\s[-–‒]\s", " · ", field.value)})


def _starts_at_a_colon_tab(word: Word, page: PageText) -> bool:
    """Whether `word` starts where the colons of two other rows of its page start (a form's tab of colons)."""
    colons = [w for w in page.words if w is not word and w.text.startswith(":")]
    return sum(abs(c.bbox.x0 - word.bbox.x0) <= TAB_TOLERANCE for c in colons) >= 2


def colon_read_as_one(field: ExtractedField, pages: Sequence[PageText]) -> ExtractedField:
    """`field` without the form's colon OCR read as its first character (`1570825` for `: 570825`, `ı 551356`
    for `: 551356`): only where the value starts at the tab the colons of the other rows stand at."""
    if not isinstance(field.value, str) or field.value[:1] not in _COLON_READINGS:
        return field
    page = next((p for p in pages if p.page == field.page), None)
    # the word the value starts with, not its row's own colon, which the value's box may take in
    words = [w for w in field_words(field, pages) if w.text[:1] == field.value[:1]]
    if page is None or not words or not _starts_at_a_colon_tab(words[0], page):
        return field
    rest = field.value[1:].lstrip()
    if not rest[:1].isdigit():
        return field
    return field.model_copy(update={"value": rest})


def mend_marks(fields: dict[str, ExtractedField], pages: Sequence[PageText]) -> None:
    """The issuer's middle dots and the number without a colon read as its first digit, in place."""
    authority = fields.get("issuing_authority")
    if authority is not None:
        fields["issuing_authority"] = middle_dots(authority, pages)
    number = fields.get("certificate_number")
    if number is not None:
        fields["certificate_number"] = colon_read_as_one(number, pages)


# Marks OCR drops all over a page (a light or blurred scan): `Dogum`, `Soyadi`, `Universitesi` for `Doğum`,
# `Soyadı`, `Üniversitesi`. A Turkish name read there without marks (`Yumun` for `Yümun`) may have lost its own,
# and no lexicon knows the name to give them back.
MARKS_LOST = 2  # words of the page known with marks and read without them, from which the page lost its marks
_ASCII_WORD = re.compile(r"\b[A-Za-z]{3,}\b")
UNMARKED_NAME_CONFIDENCE = 0.45  # below the review line: a clerk sees the name against the document


def marks_lost(text: str, lexicon: Lexicon) -> int:
    """How many words of `text` the lexicon knows with diacritics and OCR read without them."""
    return sum(1 for word in _ASCII_WORD.findall(text) if lexicon.entries.get(word, word) != word)


def doubt_unmarked_name(field: ExtractedField, text: str, lexicon: Lexicon) -> tuple[ExtractedField, str | None]:
    """The holder's name of a Turkish document, made uncertain (with the note that says why) where the page
    lost its marks and a word of the name has none."""
    if not isinstance(field.value, str) or not looks_turkish(text):
        return field, None
    plain = [word for word in field.value.replace(",", " ").split() if _ASCII_WORD.fullmatch(word)]
    if not plain or marks_lost(text, lexicon) < MARKS_LOST:
        return field, None
    doubted = field.model_copy(update={"confidence": min(field.confidence, UNMARKED_NAME_CONFIDENCE)})
    return doubted, "person_name may have lost its Turkish marks, as other words of the page did; please check it"


_TOWN_WORD = re.compile(r"(?<![^\W\d_])I[^\W\d_]{2,}")
_DOTTED_TOWN_CONFIDENCE = 0.45  # below the review line, as an unmarked name's


def dotted_town_in_body(field: ExtractedField, lexicon: Lexicon) -> tuple[ExtractedField, str | None]:
    """An issuing body named in English or German on a Turkish page (`Directorate of Education, Istanbul`): a
    Turkish town in it that the lexicon knows with a dotted capital İ is given it back, as a page from Turkey
    prints it, but a plain I and a lost dot read alike, so the field is not filed as certain. (A body in Turkish,
    `İzmir Nüfus Müdürlüğü`, is restored as a proper noun already.)"""
    if not isinstance(field.value, str):
        return field, None
    restored = _TOWN_WORD.sub(lambda m: lexicon.dotted_i.get(m.group(0), m.group(0)), field.value)
    if restored == field.value:
        return field, None
    doubted = field.model_copy(update={"value": restored, "confidence": min(field.confidence, _DOTTED_TOWN_CONFIDENCE)})
    return doubted, "issuing_authority names a Turkish town whose capital İ OCR may have lost; please check it"


def turkish_body_written(field: ExtractedField) -> ExtractedField:
    """A Turkish body's name printed in capitals, written as the name is (`EGE ÜNİVERSİTESİ` → `Ege Üniversitesi`):
    in Turkish a capital I is a dotless ı and İ a dotted i, which no other language's lower case gives back. The
    state's initials (`T.C.`) keep their capitals."""
    value = field.value
    if not isinstance(value, str) or not value.isupper() or not TURKISH_BODY.search(value):
        return field
    words = [w if "." in w or not w[:1].isalpha() else title_case(w, turkish=True) for w in value.split()]
    return field.model_copy(update={"value": " ".join(words)})
