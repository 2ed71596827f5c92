"""The closer second look at the holder's name above an identity document's zone (`ocr.visual_zone`)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr import visual_zone
from ocr.visual_zone import closer_look, holder_language, region_above
from schemas.documents import BBox, MrzDecoded, MrzReading, PageText, TextSource, Word
from tests.ocr.pagegen import SANS

WIDTH, HEIGHT = 2480, 3508
CARD = (900, 1000, 1910, 1640)  # 85.6 x 54 mm at 300 dpi on an A4 sheet
ZONE = BBox(x0=940 / WIDTH, y0=1440 / HEIGHT, x1=1870 / WIDTH, y1=1620 / HEIGHT)  # three lines of ~60 px


def _card(name: str) -> np.ndarray:
    """A card on a sheet with its name printed small beside where the photo would be, above its zone."""
    image = Image.new("L", (WIDTH, HEIGHT), 250)
    draw = ImageDraw.Draw(image)
    draw.rectangle(CARD, outline=90, width=3)
    draw.text((1200, 1150), "Nazwisko / Surname", font=ImageFont.truetype(SANS, 16), fill=90)
    draw.text((1200, 1175), name, font=ImageFont.truetype(SANS, 26), fill=10)
    return np.asarray(image)


def _page(words: list[tuple[str, BBox]], nationality: str = "POL", languages: str = "deu+eng") -> PageText:
    decoded = MrzDecoded(
        format="TD1",
        fields={"surname": "LECKA", "given_names": "PAWEL", "nationality": nationality, "issuing_state": "D"},
        checks={},
        valid=True,
    )
    zone = MrzReading(lines=("I" * 30, "0" * 30, "LECKA<<PAWEL" + "<" * 18), bbox=ZONE, decoded=decoded)
    return PageText(
        page=1,
        width=WIDTH,
        height=HEIGHT,
        source=TextSource.OCR,
        languages=languages,
        words=tuple(Word(text=t, bbox=b, confidence=0.96) for t, b in words),
        mrz=zone,
    )


NAME_BOX = BBox(x0=1200 / WIDTH, y0=1175 / HEIGHT, x1=1320 / WIDTH, y1=1205 / HEIGHT)


def test_the_holders_language_is_that_of_the_nationality_before_the_issuing_state() -> None:
    assert holder_language({"nationality": "POL", "issuing_state": "D"}) == "pol"
    assert holder_language({"nationality": "SYR", "issuing_state": "D"}) == "deu"
    assert holder_language({"nationality": "SYR", "issuing_state": "SYR"}) is None


def test_the_region_lies_above_the_zone_and_is_read_enlarged() -> None:
    region = region_above(_page([]).mrz, WIDTH, HEIGHT)  # type: ignore[arg-type]
    assert region is not None
    assert region.bottom == 1440 and region.top < 1175 and region.left <= 940 and region.right >= 1800
    assert region.scale > 1.25  # zone lines 60 px apart: the small print is enlarged


def test_a_name_read_without_the_holders_letters_is_read_again_in_them() -> None:
    # the page pass read `ŁĘCKA` in German as `LECKA`: the closer look in Polish adds the name as printed
    page = _page([("LECKA", NAME_BOX), ("PAWEL", NAME_BOX)])
    looked = closer_look(page, _card("ŁĘCKA PAWEŁ"), timeout=60, dpi=300)
    added = [w for w in looked.words if w.block >= visual_zone.BLOCK_OFFSET]
    assert any(w.text == "ŁĘCKA" for w in added), [w.text for w in added]
    printed = next(w for w in added if w.text == "ŁĘCKA")
    assert abs(printed.bbox.x0 - NAME_BOX.x0) < 0.01 and abs(printed.bbox.y0 - NAME_BOX.y0) < 0.01
    assert looked.words[: len(page.words)] == page.words  # the page's own reading is kept beside it
    assert looked.languages == page.languages  # a name read plain may still have lost its marks


def test_a_page_that_holds_the_name_in_the_holders_language_is_not_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pass(*args: object, **kwargs: object) -> None:
        raise AssertionError("read again")

    monkeypatch.setattr(visual_zone.tesseract, "recognise", no_pass)
    page = _page([("ŁĘCKA", NAME_BOX), ("PAWEŁ", NAME_BOX)], languages="pol+eng")
    assert closer_look(page, _card("ŁĘCKA PAWEŁ"), timeout=60, dpi=300) is page


def test_a_name_the_median_wiped_out_is_read_from_the_page_without_it() -> None:
    # regression (tuning diacritics 0024, name_lines 0006): a card on an A4 scan prints its name a fifth of a
    # line high, which the page's median wipes out; where neither the page pass nor the closer reading of the
    # cleaned page finds the name, the part above the zone is read once more from the page without the median
    blank = np.full((HEIGHT, WIDTH), 250, dtype=np.uint8)
    calls: list[int] = []

    def sharp() -> np.ndarray:
        calls.append(1)
        return _card("ŁĘCKA PAWEŁ")

    looked = closer_look(_page([]), blank, timeout=60, dpi=300, sharp=sharp)
    assert calls == [1]
    added = [w for w in looked.words if w.block >= 2 * visual_zone.BLOCK_OFFSET]
    assert any(w.text == "ŁĘCKA" for w in added), [w.text for w in looked.words]
    # where the cleaned page shows the name, or a part of it (the print is legible), it is read once
    calls.clear()
    closer_look(_page([]), _card("ŁĘCKA PAWEŁ"), timeout=60, dpi=300, sharp=sharp)
    closer_look(_page([]), _card("ŁĘCKA"), timeout=60, dpi=300, sharp=sharp)
    assert calls == []
