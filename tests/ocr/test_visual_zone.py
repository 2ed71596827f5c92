"""The closer second look at the holder's name above an identity document's zone (`ocr.visual_zone`)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr import visual_zone
from ocr.visual_zone import closer_look, holder_language, region_above, with_marks
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


def _holder_page(
    surname: str,
    given: str,
    nationality: str,
    words: Sequence[tuple[str, BBox, float]] = (),
    languages: str = "deu+eng",
    *,
    issuing_state: str | None = None,
) -> PageText:
    """A page whose zone names the holder `surname`, `given` of `nationality` (a document of `issuing_state`, else
    of that state), with the page pass's words (text, box, confidence), each on a line of its own."""
    decoded = MrzDecoded(
        format="TD1",
        fields={
            "surname": surname,
            "given_names": given,
            "nationality": nationality,
            "issuing_state": issuing_state or nationality,
        },
        checks={},
        valid=True,
    )
    zone = MrzReading(lines=("I" * 30, "0" * 30, f"{surname}<<{given}".ljust(30, "<")), bbox=ZONE, decoded=decoded)
    return PageText(
        page=1,
        width=WIDTH,
        height=HEIGHT,
        source=TextSource.OCR,
        languages=languages,
        words=tuple(Word(text=t, bbox=b, confidence=c, block=1, line=k) for k, (t, b, c) in enumerate(words)),
        mrz=zone,
    )


NAME_BOX = BBox(x0=1200 / WIDTH, y0=1175 / HEIGHT, x1=1320 / WIDTH, y1=1205 / HEIGHT)


def test_the_holders_language_is_that_of_the_nationality_before_the_issuing_state() -> None:
    assert holder_language({"nationality": "POL", "issuing_state": "D"}) == "pol"
    assert holder_language({"nationality": "SYR", "issuing_state": "D"}) == "deu"
    assert holder_language({"nationality": "SYR", "issuing_state": "SYR"}) is None


def test_the_region_lies_above_the_zone_and_is_read_enlarged() -> None:
    region = region_above(_holder_page("LECKA", "PAWEL", "POL").mrz, WIDTH, HEIGHT)  # type: ignore[arg-type]
    assert region is not None
    assert region.bottom == 1440 and region.top < 1175 and region.left <= 940 and region.right >= 1800
    assert region.scale > 1.25  # zone lines 60 px apart: the small print is enlarged


def test_a_name_read_without_the_holders_letters_is_read_again_in_them() -> None:
    # the page pass read `ŁĘCKA` in German as `LECKA`: the closer look in Polish adds the name as printed
    page = _holder_page(
        "LECKA", "PAWEL", "POL", [("LECKA", NAME_BOX, 0.96), ("PAWEL", NAME_BOX, 0.96)], issuing_state="D"
    )
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
    page = _holder_page(
        "LECKA", "PAWEL", "POL", [("ŁĘCKA", NAME_BOX, 0.96), ("PAWEŁ", NAME_BOX, 0.96)], "pol+eng", issuing_state="D"
    )
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

    looked = closer_look(
        _holder_page("LECKA", "PAWEL", "POL", issuing_state="D"), blank, timeout=60, dpi=300, sharp=sharp
    )
    assert calls == [1]
    added = [w for w in looked.words if w.block >= 2 * visual_zone.BLOCK_OFFSET]
    assert any(w.text == "ŁĘCKA" for w in added), [w.text for w in looked.words]
    # where the cleaned page shows the name, or a part of it (the print is legible), it is read once
    calls.clear()
    closer_look(
        _holder_page("LECKA", "PAWEL", "POL", issuing_state="D"), _card("ŁĘCKA PAWEŁ"), timeout=60, dpi=300, sharp=sharp
    )
    closer_look(
        _holder_page("LECKA", "PAWEL", "POL", issuing_state="D"), _card("ŁĘCKA"), timeout=60, dpi=300, sharp=sharp
    )
    assert calls == []


def _box(left: float, top: float, right: float, bottom: float) -> BBox:
    return BBox(x0=left / WIDTH, y0=top / HEIGHT, x1=right / WIDTH, y1=bottom / HEIGHT)


def test_a_name_line_read_without_marks_where_they_may_be_lost_is_read_again_alone() -> None:
    # regression (tuning name_lines 0019): the page pass and the closer look at the band above the zone read
    # `Balanescu` (0.92) or missed the line; the line read alone, in Romanian, shows `Bălănescu`
    image = Image.new("L", (WIDTH, HEIGHT), 250)
    ImageDraw.Draw(image).text((1200, 1175), "Bălănescu", font=ImageFont.truetype(SANS, 28), fill=10)
    page = _holder_page("BALANESCU", "", "ROU", [("Balanescu", _box(1200, 1181, 1330, 1205), 0.92)])
    looked = visual_zone._name_lines_again(page, np.asarray(image), timeout=60, dpi=300)
    added = [w for w in looked.words if w.block >= visual_zone.LINE_BLOCKS]
    assert [w.text for w in added] == ["Bălănescu"]
    assert added[0].confidence <= visual_zone.LINE_CONFIDENCE  # a second opinion on marks: for review
    assert abs(added[0].bbox.x0 - 1200 / WIDTH) < 0.01 and abs(added[0].bbox.y0 - 1175 / HEIGHT) < 0.01


@pytest.mark.parametrize(
    ("surname", "nationality", "read", "confidence", "languages"),
    [
        ("BALANESCU", "ROU", "Bălănescu", 0.9, "deu+eng"),  # read with its marks
        ("BALANESCU", "ROU", "Balanescu", 0.97, "ron+eng"),  # read plain, surely, in the holder's language
        ("MUELLER", "D", "MÜLLER", 0.8, "deu+eng"),  # German letters are the page pass's own
        ("SHEVCHENKO", "UKR", "SHEVCHENKO", 0.8, "deu+eng"),  # no Latin alphabet known for the holder
    ],
)
def test_a_name_not_in_doubt_is_not_read_again(
    monkeypatch: pytest.MonkeyPatch, surname: str, nationality: str, read: str, confidence: float, languages: str
) -> None:
    def no_pass(*args: object, **kwargs: object) -> None:
        raise AssertionError("read again")

    monkeypatch.setattr(visual_zone.tesseract, "recognise", no_pass)
    page = _holder_page(surname, "", nationality, [(read, NAME_BOX, confidence)], languages)
    blank = np.full((HEIGHT, WIDTH), 250, dtype=np.uint8)
    assert visual_zone._name_lines_again(page, blank, timeout=60, dpi=300) is page


def test_a_name_part_not_read_beside_one_that_was_is_looked_for_on_the_lines_around_it() -> None:
    # regression (tuning diacritics 0024): `KOHLER` read, the given name `ÖTZKAN` printed under it not at all
    surname = _box(1200, 1175, 1300, 1195)
    page = _holder_page("KOEHLER", "OETZKAN", "D", [("KOHLER", surname, 0.96)])
    [(region, psm)] = visual_zone._name_regions(page, ["KOEHLER", "OETZKAN"], "deu")
    assert psm == visual_zone._PSM_BLOCK
    assert 1175 - 20 < region.top < 1175 and region.bottom > 1195 + 2 * 20  # the lines below: a given name
    assert region.left < 1200 and region.right > 1300 + 100  # a longer name than the one read
    # the surname not read, the given name read: the lines above it
    page = _holder_page("KOEHLER", "OETZKAN", "D", [("ÖTZKAN", surname, 0.96)])
    [(region, _)] = visual_zone._name_regions(page, ["KOEHLER", "OETZKAN"], "deu")
    assert region.top < 1175 - 2 * 20 and 1195 < region.bottom < 1195 + 20


def test_a_name_part_the_mrz_cut_or_spelt_with_oe_is_no_missing_part() -> None:
    page = _holder_page(
        "KOEHLER",
        "HILDEG",
        "D",
        [("KÖHLER", _box(1200, 1175, 1300, 1195), 0.96), ("HILDEGARD", _box(1200, 1215, 1330, 1235), 0.95)],
    )
    assert visual_zone._name_regions(page, ["KOEHLER", "HILDEG"], "deu") == []


def _capitals(name: str) -> np.ndarray:
    image = Image.new("L", (WIDTH, HEIGHT), 250)
    ImageDraw.Draw(image).text((1200, 1175), name, font=ImageFont.truetype(SANS, 30), fill=10)
    return np.asarray(image)


@pytest.mark.parametrize(("printed", "kept"), [("FAIZE", "FAIZE"), ("FAİZE", "FAİZE"), ("İLKAY", "İLKAY")])
def test_a_dot_tesseract_gives_a_capital_i_is_kept_only_where_the_pixels_show_it(printed: str, kept: str) -> None:
    # regression (tuning card_size 0014): the name line read again in Turkish printed `FAİZE` for `FAIZE`
    page = _holder_page("TEVETOGLU", "FAIZE", "TUR", [])
    font = ImageFont.truetype(SANS, 30)
    left, top, right, bottom = ImageDraw.Draw(Image.new("L", (1, 1))).textbbox(
        (1200, 1175), "H" + printed[1:], font=font
    )
    word = Word(text=printed.replace("I", "İ"), bbox=_box(left, top, right, bottom), confidence=0.9)
    assert visual_zone._marks_seen(word, _capitals(printed), WIDTH, HEIGHT, "TUR") == kept
    # on every word of the name, as marks the pixels show are put back (tuning diacritics 0002: `ÇETİN` at 0.47)
    page = page.model_copy(update={"words": (word,)})
    [looked] = with_marks(page, _capitals(printed)).words
    assert looked.text == kept and looked.confidence <= (0.9 if kept != word.text else 1.0)


FRONT = (900, 2100, 1910, 2740)  # the card's front, copied below its back (`CARD`) on the same sheet


def _copy_sheet(name: str, *, back: bool = True) -> np.ndarray:
    """A card's back (its zone) and, below it, its front with the holder's name: both sides on one sheet (or,
    without `back`, the front alone on its page: a card scanned duplex)."""
    image = Image.new("L", (WIDTH, HEIGHT), 250)
    draw = ImageDraw.Draw(image)
    if back:
        draw.rectangle(CARD, outline=90, width=3)
    draw.rectangle(FRONT, outline=90, width=3)
    draw.text((1000, 2150), "AUFENTHALTSTITEL / RESIDENCE PERMIT", font=ImageFont.truetype(SANS, 30), fill=10)
    draw.text((1200, 2300), "Name / Surname", font=ImageFont.truetype(SANS, 16), fill=90)
    draw.text((1200, 2325), name, font=ImageFont.truetype(SANS, 26), fill=10)
    draw.text((1200, 2500), "19 JUL 1964", font=ImageFont.truetype(SANS, 26), fill=10)
    return np.asarray(image)


def test_the_other_side_of_a_card_is_the_page_pass_text_away_from_its_zone_within_a_cards_size() -> None:
    title = ("AUFENTHALTSTITEL", _box(1000, 2150, 1500, 2185), 0.95)
    date = ("1964", _box(1200, 2500, 1280, 2525), 0.9)
    page = _holder_page("ERGUL", "SULTANE", "TUR", [title, date])
    above = region_above(page.mrz, WIDTH, HEIGHT)  # type: ignore[arg-type]
    assert above is not None
    side = visual_zone.other_side(page, page.mrz, above)  # type: ignore[arg-type]
    assert side is not None and side.top < 2150 and side.bottom > 2525 and side.left < 1000 and side.right > 1500
    assert side.scale == above.scale
    # words spread wider than a card (a page of text around it) are no card's front
    footer = ("Seite", _box(200, 3300, 400, 3340), 0.95)
    assert visual_zone.other_side(_holder_page("ERGUL", "SULTANE", "TUR", [title, footer]), page.mrz, above) is None  # type: ignore[arg-type]
    # nor is there another side to a passport's data page (a two-line zone: the name is above it)
    passport = page.mrz.model_copy(update={"lines": ("P" * 44, "0" * 44)})  # type: ignore[union-attr]
    assert visual_zone.other_side(page, passport, above) is None


def test_a_cards_name_on_its_front_copied_beside_its_back_is_read_in_the_holders_language() -> None:
    # regression (tuning copy_sheet 0007): the page pass read neither name line of the front, printed small
    # below the back on the sheet, and the part above the zone holds the back's address: `ERGUL` only from the
    # zone; the front read again in Turkish shows `ERGÜL`
    title = ("AUFENTHALTSTITEL", _box(1000, 2150, 1500, 2185), 0.95)
    date = ("1964", _box(1350, 2500, 1430, 2525), 0.9)
    page = _holder_page("ERGUL", "SULTANE", "TUR", [title, date])
    looked = closer_look(page, _copy_sheet("ERGÜL"), timeout=60, dpi=300)
    added = [w.text for w in looked.words if w.block >= visual_zone.SIDE_BLOCKS]
    assert "ERGÜL" in added, [w.text for w in looked.words]


FRONT_WORDS = [("AUFENTHALTSTITEL", _box(1000, 2150, 1500, 2185), 0.95), ("1964", _box(1350, 2500, 1430, 2525), 0.9)]


def _duplex(front_words: list[tuple[str, BBox, float]], nationality: str = "TUR") -> tuple[PageText, PageText]:
    """The front page of a card scanned duplex (no zone) with the page pass's words, and its back page (the zone
    naming ERGUL SULTANE, the address above it)."""
    back = _holder_page("ERGUL", "SULTANE", nationality, [("ESSEN", _box(1000, 1300, 1120, 1330), 0.95)])
    front = _holder_page("ERGUL", "SULTANE", nationality, front_words).model_copy(update={"mrz": None})
    return front, back.model_copy(update={"page": 2})


def test_a_front_scanned_apart_is_read_again_only_where_its_back_names_a_holder_it_does_not_show() -> None:
    front, back = _duplex(FRONT_WORDS)
    assert visual_zone.needs_front_look(front, back)
    # the front read in the holder's language already shows the name
    shown = front.model_copy(update={"words": (*front.words, Word(text="ERGÜL", bbox=NAME_BOX, confidence=0.9))})
    assert not visual_zone.needs_front_look(shown.model_copy(update={"languages": "tur+eng"}), back)
    # a page of text before the back is no card's front; nor is a page with a zone of its own
    page_wide = [*FRONT_WORDS, ("Seite", _box(200, 3300, 400, 3340), 0.95)]
    assert not visual_zone.needs_front_look(_duplex(page_wide)[0], back)
    assert not visual_zone.needs_front_look(front.model_copy(update={"mrz": back.mrz}), back)
    # a holder whose alphabet is not known to be Latin: the MRZ's Latin name says nothing of the print
    assert not visual_zone.needs_front_look(*_duplex(FRONT_WORDS, nationality="SYR"))


def test_a_cards_front_scanned_apart_is_read_in_the_language_of_the_holder_its_back_names() -> None:
    # regression (tuning duplex 0007): the front page was read in ukr+rus+deu without either name line, its back's
    # zone names ERGUL, a Turkish holder: the front read again in Turkish shows `ERGÜL`
    front, back = _duplex(FRONT_WORDS)
    region = visual_zone.front_to_read(front, back)
    assert region is not None
    looked = visual_zone.front_look(front, back, _copy_sheet("ERGÜL", back=False), region, timeout=60, dpi=300)
    assert looked.words[: len(front.words)] == front.words and looked.mrz is None
    added = [w.text for w in looked.words if w.block >= visual_zone.SIDE_BLOCKS]
    assert "ERGÜL" in added, [w.text for w in looked.words]


def test_a_files_pages_read_one_by_one_get_the_front_of_a_duplex_card_read_again_with_its_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ocr import reader
    from ocr.pages import PageImage

    decoded: list[int] = []

    def image_of(data: bytes, info: object, page: int, limits: object) -> PageImage:
        decoded.append(page)
        return PageImage(gray=_copy_sheet("ERGÜL", back=False), dpi=300)

    monkeypatch.setattr(reader, "page_image", image_of)
    monkeypatch.setattr(reader, "inspect_source_cached", lambda data, limits: None)
    front, back = _duplex(FRONT_WORDS)
    readings = [reader.PageReading(text=front, pdf=None), reader.PageReading(text=back, pdf=None)]
    # the back before its front, or a back alone, is no such pair: no page is decoded again
    assert reader.fronts_read_again(b"", readings[::-1], reader.ReadOptions()) == readings[::-1]
    assert reader.fronts_read_again(b"", readings[1:], reader.ReadOptions()) == readings[1:]
    assert decoded == []
    looked = reader.fronts_read_again(b"", readings, reader.ReadOptions())
    assert decoded == [1] and looked[1] == readings[1]
    assert "ERGÜL" in [w.text for w in looked[0].text.words if w.block >= visual_zone.SIDE_BLOCKS]


def test_a_front_that_cannot_be_read_again_stays_as_its_page_pass_read_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from ocr import reader
    from schemas.errors import PageTimeout

    def timed_out(*args: object, **kwargs: object) -> None:
        raise PageTimeout("page 1 took longer than 60 s")

    monkeypatch.setattr(reader, "page_image", timed_out)
    monkeypatch.setattr(reader, "inspect_source_cached", lambda data, limits: None)
    front, back = _duplex(FRONT_WORDS)
    readings = [reader.PageReading(text=front, pdf=None), reader.PageReading(text=back, pdf=None)]
    assert visual_zone.needs_front_look(front, back)
    assert reader.fronts_read_again(b"", readings, reader.ReadOptions()) == readings


def test_the_front_look_is_counted_in_the_fronts_cost(monkeypatch: pytest.MonkeyPatch) -> None:
    # `dach extract -v` reports what each page cost: the front read again with its back's zone is the front's
    from ocr import reader
    from ocr.cost import PageCost
    from ocr.pages import PageImage

    monkeypatch.setattr(reader, "page_image", lambda *args: PageImage(gray=_copy_sheet("ERGÜL", back=False), dpi=300))
    monkeypatch.setattr(reader, "inspect_source_cached", lambda data, limits: None)
    front, back = _duplex(FRONT_WORDS)
    paid = PageCost(kind="Latin text", runs=1, full_passes=1, tesseract_cpu_s=1.0, python_cpu_s=0.1, purposes=("page",))
    readings = [reader.PageReading(text=front, pdf=None, cost=paid), reader.PageReading(text=back, pdf=None)]
    cost = reader.fronts_read_again(b"", readings, reader.ReadOptions())[0].cost
    assert cost is not None and cost.runs > 1 and cost.full_passes == 1
    assert cost.purposes[0] == "page" and "viz" in cost.purposes[1:] and len(cost.purposes) == cost.runs
    assert cost.tesseract_cpu_s > 1.0 and cost.python_cpu_s > 0.1


def test_a_td2_cards_back_has_a_front_but_a_passports_zone_and_a_visas_do_not() -> None:
    # regression: a German temporary identity card prints a two-line zone of 36 on its back (TD2), whose front
    # scanned duplex was not read again in the holder's language
    front, back = _duplex(FRONT_WORDS)
    zone = back.mrz
    assert zone is not None and zone.decoded is not None
    td2 = zone.model_copy(update={"lines": ("I" * 36, "0" * 36)})
    assert visual_zone.needs_front_look(front, back.model_copy(update={"mrz": td2}))
    passport = zone.model_copy(update={"lines": ("P" * 44, "0" * 44)})
    assert not visual_zone.needs_front_look(front, back.model_copy(update={"mrz": passport}))
    visa = td2.model_copy(update={"decoded": zone.decoded.model_copy(update={"format": "MRV-B"})})
    assert not visual_zone.needs_front_look(front, back.model_copy(update={"mrz": visa}))
