"""Marks on the capitals of a printed name, seen in its pixels where OCR dropped them (`ocr.marks`), and put
on the name's words of a page by `ocr.visual_zone.with_marks`."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr.marks import marked
from ocr.visual_zone import MARKED_CONFIDENCE, with_marks
from schemas.documents import BBox, MrzDecoded, MrzReading, PageText, TextSource, Word
from tests.ocr.pagegen import SANS

SIZE = 26  # pixels a letter: the name line of a card on an A4 scan at 300 dpi


def _printed(name: str, size: int = SIZE) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """The name printed in capitals with room around it, and the box OCR would give the word (the capitals'
    band, marks left out, as tesseract's word boxes often do)."""
    font = ImageFont.truetype(SANS, size)
    image = Image.new("L", (40 + int(font.getlength(name)), 3 * size), 250)
    draw = ImageDraw.Draw(image)
    draw.text((20, size), name, font=font, fill=10)
    _, cap_top, _, baseline = draw.textbbox((20, size), "H", font=font)
    left, _, right, _ = draw.textbbox((20, size), name, font=font)
    return np.asarray(image), (int(left), int(cap_top), int(right), int(baseline))


@pytest.mark.parametrize(
    ("printed", "read", "state"),
    [
        ("KILINÇ", "KILINC", "TUR"),  # a cedilla below
        ("SÜLEYMAN", "SULEYMAN", "TUR"),  # dots above
        ("GÖNÜL", "GONUL", "TUR"),
        ("ŞAHİN", "SAHIN", "TUR"),  # the dot of a capital İ, a cedilla below S
        ("NOVÁKOVÁ", "NOVAKOVA", "CZE"),
    ],
)
def test_marks_ocr_dropped_are_put_back_from_the_pixels(printed: str, read: str, state: str) -> None:
    image, box = _printed(printed)
    assert marked(read, image, box, state) == printed


@pytest.mark.parametrize("size", [14, 16])
def test_a_mark_joined_to_a_letter_that_touches_its_neighbours_is_seen(size: int) -> None:
    # regression (tuning card_size 0014): small print blurred by the scan runs `TEVETOĞ` into one component,
    # the breve joined to its G: only the G's part of that component reaches above the capitals
    image, box = _printed("TEVETOĞLU", size)
    blurred = cv2.GaussianBlur(image, (5, 5), 0)
    assert marked("TEVETOGLU", blurred, box, "TUR") == "TEVETOĞLU"
    image, box = _printed("TEVETOGLU", size)
    assert marked("TEVETOGLU", cv2.GaussianBlur(image, (5, 5), 0), box, "TUR") == "TEVETOGLU"


@pytest.mark.parametrize("name", ["KILINC", "ÇETIN", "ERGUL", "AYDIN"])
def test_a_name_printed_without_marks_keeps_none(name: str) -> None:
    # ÇETIN: a Turkish name uppercased without the dotted İ is printed so, and read so
    image, box = _printed(name)
    assert marked(name, image, box, "TUR") == name


def test_a_letter_whose_alphabet_has_two_marks_there_is_left_as_read() -> None:
    # Czech E carries an acute or a caron; Turkish has no mark above an A at all
    image, box = _printed("DĚDEČEK")
    assert marked("DEDECEK", image, box, "CZE") == "DEDEČEK"
    image, box = _printed("ÁDAM")
    assert marked("ADAM", image, box, "TUR") == "ADAM"


def test_a_state_without_a_table_and_a_word_not_in_capitals_are_left_as_read() -> None:
    image, box = _printed("KILINÇ")
    assert marked("KILINC", image, box, "SYR") == "KILINC"
    image, box = _printed("Kılınç")
    assert marked("Kilinc", image, box, "TUR") == "Kilinc"


def _page(image: np.ndarray, box: tuple[int, int, int, int], words: list[str]) -> PageText:
    height, width = image.shape[:2]
    decoded = MrzDecoded(
        format="TD1",
        fields={"surname": "KILINC", "given_names": "AYSE", "nationality": "TUR", "issuing_state": "D"},
        checks={},
        valid=True,
    )
    zone = MrzReading(lines=("I" * 30, "0" * 30, "KILINC<<AYSE" + "<" * 18), bbox=None, decoded=decoded)
    bbox = BBox.from_pixels(*box, width, height)
    return PageText(
        page=1,
        width=width,
        height=height,
        source=TextSource.OCR,
        words=tuple(Word(text=t, bbox=bbox, confidence=0.97) for t in words),
        mrz=zone,
    )


def test_the_pages_name_words_get_their_marks_and_are_no_longer_sure() -> None:
    image, box = _printed("KILINÇ")
    page = with_marks(_page(image, box, ["KILINC", "Surname"]), image)
    assert [w.text for w in page.words] == ["KILINÇ", "Surname"]
    assert page.words[0].confidence == MARKED_CONFIDENCE
    assert page.words[1].confidence == 0.97  # not a part of the name: untouched


def test_a_name_read_with_its_marks_or_printed_without_is_untouched() -> None:
    image, box = _printed("KILINC")
    page = _page(image, box, ["KILINC"])
    assert with_marks(page, image) is page


def test_punctuation_at_the_edges_and_a_small_dotted_i_do_not_keep_a_word_from_its_marks() -> None:
    # `NOVÁKOVÁ, LUBOMÍR` in one row: OCR keeps the comma on the surname
    image, box = _printed("NOVÁKOVÁ,")
    assert marked("NOVAKOVA,", image, box, "CZE") == "NOVÁKOVÁ,"
    # tesseract reads a Turkish İ as a small i inside capitals; the other letters still get their marks
    image, box = _printed("ÇİĞDEM")
    assert marked("CiGDEM", image, box, "TUR") == "ÇiĞDEM"


def test_a_bracket_beside_a_word_is_no_letter_to_put_a_mark_on() -> None:
    # `(SAALE)` of `Halle (Saale)`: the bracket reaches below the baseline beside the S
    image, box = _printed("(SAALE)")
    assert marked("(SAALE)", image, box, "TUR") == "(SAALE)"
