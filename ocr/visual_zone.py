"""A closer second look at the holder's name in an identity document's visual zone (VIZ), when the page pass
could not have read it as printed.

The page pass reads a card or passport page in the issuing state's languages (`ocr.first_look`): a Polish,
Czech or Romanian name is then read with German letters (`LECKA` for `ŁĘCKA`, `HÄJEK` for `HÁJEK`), a Turkish
holder's German residence permit without Ş, Ğ and İ, and a card on an A4 sheet prints its names in letters
a fifth of a line high, which tesseract's layout analysis sometimes leaves out altogether. The MRZ names the
holder's state and the name to look for, so where the page's words do not hold the name, or were read
without the language of the holder's alphabet, the part of the document above the zone is read once more
(only the lines that hold the name, where the page pass found it): enlarged to a legible size, in the
holder's language and English. Its words are added to the page's
words (the classifiers take the reading that spells the MRZ name best). Where the readings still leave the
name in doubt (a part read without marks where the holder's alphabet may have them, a part not read at all
beside one that was), the lines of the name are read once more on their own, as a line or a small block:
tesseract's layout analysis of a page or band drops lines and marks it reads in a line alone.

A card's name is printed on its front, its zone on its back: where both sides are copied onto one sheet, the part
above the zone holds the back's address, and the name lines lie on the front, elsewhere on the page
(`other_side`); they are read the same way, where neither the page pass nor the part above the zone holds the name.

Nothing here knows what a name is worth: the classifiers compare the printed name with the MRZ's.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import unicodedata
from collections.abc import Callable, Sequence

import cv2
import numpy as np
from rapidfuzz import fuzz

from ocr import tesseract
from ocr.marks import ONE_MARK, marked, seen
from schemas.documents import BBox, MrzReading, PageText, TextSource, Word
from schemas.errors import ProgramTimeout

log = logging.getLogger(__name__)

# The tesseract language of the alphabet of a state whose Latin letters carry marks the MRZ drops (ICAO 9303
# state codes; Germany is `D`). A state not listed is read in the page's languages only.
HOLDER_LANGUAGE = {
    "D": "deu", "AUT": "deu", "CHE": "deu", "LIE": "deu",
    "TUR": "tur", "POL": "pol", "CZE": "ces", "SVK": "slk", "ROU": "ron", "MDA": "ron", "HUN": "hun",
    "HRV": "hrv", "FRA": "fra", "BEL": "fra", "LUX": "fra", "ESP": "spa", "PRT": "por", "BRA": "por",
    "ITA": "ita", "NOR": "nor", "DNK": "dan",
}  # fmt: skip
SECOND_LANGUAGE = "eng"  # every visual zone prints its labels in English too (ICAO 9303 Part 3)
# The visual zone of a card (ID-1: 85.6 x 54 mm) or passport data page (125 x 88 mm) lies above its zone, which
# runs across nearly the document's width: this share of the zone's width above it holds the name lines.
ABOVE_ZONE = 0.62
LEFT_MARGIN = 0.04  # of the zone's width: the print starts a little left of the zone on some cards
# The name lines beside the photo are printed smaller than the MRZ, and tesseract reads best at ~30-40 px a
# capital: the crop is enlarged so that an MRZ line pitch would be this many pixels, at most MAX_SCALE times
# (tuning families: 1.5, 2 and 3 found as many names; the pass costs the square of the scale).
LEGIBLE_PITCH = 96.0
MAX_SCALE = 1.5
MIN_SCALE = 1.25  # nearer 1 the page pass saw the same pixels: only the language can differ
NAME_FOUND = 85.0  # rapidfuzz ratio of a page word (marks folded) to a part of the MRZ name
BAND_MARGIN = 0.8  # of a name line's height, kept above and below the lines that hold the name
BLOCK_OFFSET = 10_000  # added to the block numbers of the closer reading's words
MARKED_CONFIDENCE = 0.9  # at most, of a word given marks from its pixels: a mark seen wrongly must be reviewed
# Read in Turkish, tesseract gives a capital I the dot of İ the print does not show (`FAİZE` for `FAIZE`, `ÇETİN`
# for `ÇETIN`); on the identity tuning families the pixels told all 18 readings of an İ in a name right.
INVENTED_MARKS = frozenset("İ")
# A name line read alone (`_name_lines_again`): tesseract's layout analysis of a page or a band drops lines and
# marks that one line read on its own shows (`Balanescu` read at 0.92 beside `Bălănescu` at 0.96 alone).
SURE_PLAIN = 0.95  # a name part read plain this surely, in the holder's language, is taken as printed plain
LINE_HEIGHT = 32.0  # pixels the name line's words are enlarged to (at most MAX_LINE_SCALE times)
MAX_LINE_SCALE = 3.0
LINE_ABOVE, LINE_BELOW, LINE_SIDE = 0.6, 0.35, 0.5  # of the line's height, kept around its words (marks above)
LINE_BLOCKS = 3 * BLOCK_OFFSET  # past the closer reading's blocks and those of its read without the median
LINE_CONFIDENCE = 0.9  # at most, of a word of a line read alone: a second opinion on marks, to be reviewed
_PSM_SINGLE_LINE = 7
_PSM_BLOCK = 6  # the name's lines read together as one block of text
JOINED_LINES = 6.0  # line heights within which the name's lines are read as one region
MISSING_AROUND = 2.2  # line heights above and below the name parts read where another part was not read at all
# The other side of a card (`other_side`): the page pass's words away from the zone and the part above it, where
# they lie within a card's size (ID-1: the zone runs across ~93 % of the card's width, which is 1.59 its height),
# with a zone line's pitch around them. Wider or higher, they are more than a card's front: not read again.
SIDE_WIDTH = 1.25  # of the zone's width
SIDE_HEIGHT = 0.9  # of the zone's width
SIDE_CONFIDENCE = 0.5  # a page pass word this sure, or surer, shows where the other side's print lies
TD3_LINE = 40  # characters: a passport's zone lines are 44 long, a TD2 card's 36 (a read may gain or lose a few)
SIDE_BLOCKS = 4 * BLOCK_OFFSET  # past the name lines read alone (`LINE_BLOCKS` + k)


def _folded(text: str) -> str:
    """A-Z only, marks dropped (`ŁĘCKA` -> `LECKA`, `Ağaoğlu` -> `AGAOGLU`)."""
    plain = unicodedata.normalize("NFD", text.upper().replace("Ł", "L").replace("ı", "I"))
    return re.sub(r"[^A-Z]", "", plain)


def holder_language(fields: dict[str, str | None]) -> str | None:
    """The tesseract language of the holder's alphabet: by nationality, else by the issuing state."""
    for key in ("nationality", "issuing_state"):
        state = (fields.get(key) or "").strip("<")
        if state in HOLDER_LANGUAGE:
            return HOLDER_LANGUAGE[state]
    return None


def name_parts(fields: dict[str, str | None]) -> list[str]:
    """The words of the MRZ name (surname and given names), each of at least two letters."""
    parts = f"{fields.get('surname') or ''} {fields.get('given_names') or ''}".split()
    return [p for p in parts if len(p) >= 2]


_MRZ_SPELLING = str.maketrans({"Ä": "AE", "Ö": "OE", "Ü": "UE", "ß": "SS"})  # as the MRZ spells them (ICAO 9303)


def _reads_as(word: Word, part: str, *, pieces: bool = False, mrz_spelling: bool = False, cut: bool = False) -> bool:
    """Whether the word reads as `part` of the MRZ name (marks folded, a slip allowed; never a zone's word).
    `pieces`: a hyphenated word by each of its pieces (`ÖZDEMIR-ÇELIKKIRAN`); `mrz_spelling`: also as the MRZ
    spells its umlauts (`KÜHN` as `KUEHN`); `cut`: also a word that begins with the part (the MRZ cuts a long
    name's last part: `HILDE` of `HILDEGARD`)."""
    if "<" in word.text:
        return False
    texts = re.split(r"[-‐‑–]", word.text) if pieces else [word.text]
    spellings = [_folded(t) for t in texts]
    if mrz_spelling:
        spellings += [_folded(t.upper().translate(_MRZ_SPELLING)) for t in texts]
    return any(fuzz.ratio(part, s[: len(part)] if cut else s) >= NAME_FOUND for s in spellings)


def _readings(
    words: Sequence[Word], part: str, *, pieces: bool = False, mrz_spelling: bool = False, cut: bool = False
) -> list[Word]:
    """The words that read as `part` of the MRZ name (`_reads_as`, with its options)."""
    return [w for w in words if _reads_as(w, part, pieces=pieces, mrz_spelling=mrz_spelling, cut=cut)]


def _name_words(words: Sequence[Word], parts: Sequence[str]) -> list[Word] | None:
    """The page's words that are parts of the MRZ name; None when a part is not among them."""
    found: list[Word] = []
    for part in parts:
        matches = _readings(words, part)
        if not matches:
            return None
        found.extend(matches)
    return found


def _any_name_word(words: Sequence[Word], parts: Sequence[str]) -> bool:
    """Whether any of the words is a part of the MRZ name."""
    return any(_readings(words, part) for part in parts)


@dataclasses.dataclass(frozen=True, slots=True)
class Region:
    """Pixels of the page to read again, and the scale to read them at."""

    left: int
    top: int
    right: int
    bottom: int
    scale: float

    def holds(self, box: BBox, width: int, height: int) -> bool:
        x, y = (box.x0 + box.x1) / 2 * width, (box.y0 + box.y1) / 2 * height
        return self.left <= x <= self.right and self.top <= y <= self.bottom


def region_above(zone: MrzReading, width: int, height: int) -> Region | None:
    """The part of the document above its zone, in pixels of the page, and the scale to read it at."""
    box = zone.bbox
    if box is None or not zone.lines:
        return None
    zone_width = (box.x1 - box.x0) * width
    pitch = (box.y1 - box.y0) * height / len(zone.lines)
    top = max(0, int(box.y0 * height - ABOVE_ZONE * zone_width))
    bottom = int(box.y0 * height)
    left = max(0, int(box.x0 * width - LEFT_MARGIN * zone_width))
    right = min(width, int(box.x1 * width))
    if bottom - top < pitch or right - left < 4 * pitch:
        return None
    return Region(left, top, right, bottom, min(MAX_SCALE, max(1.0, LEGIBLE_PITCH / max(pitch, 1.0))))


def other_side(text: PageText, zone: MrzReading, above: Region) -> Region | None:
    """The other side of a card whose back (its zone, `_card_zone`) lies on the page: the box of the page
    pass's words that are neither in the zone nor in the part `above` it, where they lie within a card's size
    (a card's front copied beside its back on one sheet), and the scale to read it at; None where there are no
    such words, or they spread wider than a card (a page of text around a card)."""
    box = zone.bbox
    if box is None or not _card_zone(zone):
        return None
    width, height = text.width, text.height
    pitch = (box.y1 - box.y0) * height / len(zone.lines)
    in_zone = Region(int(box.x0 * width - pitch), int(box.y0 * height - pitch),
                     int(box.x1 * width + pitch), int(box.y1 * height + pitch), 1.0)  # fmt: skip
    words = [
        w for w in text.words if not above.holds(w.bbox, width, height) and not in_zone.holds(w.bbox, width, height)
    ]
    return _card_region(words, width, height, (box.x1 - box.x0) * width, pitch, above.scale)


def _card_zone(zone: MrzReading) -> bool:
    """Whether the zone is a card's, printed on its back (TD1: three lines of 30; TD2: two lines of 36, a German
    temporary identity card), not below the name as a passport's (TD3) is."""
    if zone.decoded is not None and zone.decoded.format.startswith("MRV"):
        return False  # a visa's sticker in a passport: the passport's own page names the holder
    widest = max((len(line) for line in zone.lines), default=0)
    return len(zone.lines) == 3 or (len(zone.lines) == 2 and widest < TD3_LINE)


def front_region(front: PageText, back: PageText) -> Region | None:
    """The front of a card scanned duplex, its back (its zone, `_card_zone`) on the `back` page: the box of the
    front page's words, where they lie within the card's size (both sides scanned alike: the back's zone gives
    the card's size and the scale to read its print at); None where the front page holds more than a card."""
    zone = back.mrz
    if zone is None or zone.bbox is None or not _card_zone(zone):
        return None
    above = region_above(zone, back.width, back.height)
    if above is None:
        return None
    to_front = front.width / back.width  # pixels of the back page to those of the front
    box = zone.bbox
    pitch = (box.y1 - box.y0) * back.height / len(zone.lines) * to_front
    return _card_region(front.words, front.width, front.height, (box.x1 - box.x0) * back.width * to_front, pitch,
                        above.scale)  # fmt: skip


def _card_region(
    words: Sequence[Word], width: int, height: int, zone_width: float, pitch: float, scale: float
) -> Region | None:
    """The box of the page pass's readable words (not a zone's) with a zone line's `pitch` around it, where
    they lie within a card's size (`SIDE_WIDTH`, `SIDE_HEIGHT` of the zone's width)."""
    shown = [
        w
        for w in words
        if w.block < BLOCK_OFFSET
        and w.confidence >= SIDE_CONFIDENCE
        and "<" not in w.text
        and any(c.isalnum() for c in w.text)
    ]
    if not shown:
        return None
    left, right = min(w.bbox.x0 for w in shown) * width, max(w.bbox.x1 for w in shown) * width
    top, bottom = min(w.bbox.y0 for w in shown) * height, max(w.bbox.y1 for w in shown) * height
    if right - left > SIDE_WIDTH * zone_width or bottom - top > SIDE_HEIGHT * zone_width:
        return None
    return Region(
        max(0, int(left - pitch)), max(0, int(top - pitch)), min(width, int(right + pitch)),
        min(height, int(bottom + pitch)), scale,
    )  # fmt: skip


def front_to_read(front: PageText, back: PageText) -> Region | None:
    """The region of `front`, the page before a card's back, worth reading again as the card's front
    (`front_look`): where the back's zone names a holder of a known Latin alphabet whose name neither page holds
    as read in its language, the front page's words, where they lie within the card's size (`front_region`);
    else None. No image is needed to tell."""
    zone = back.mrz
    decoded = zone.decoded if zone is not None else None
    if decoded is None or not decoded.fields.get("surname") or front.mrz is not None:
        return None
    if front.source != TextSource.OCR or front.blank or front.separator:
        return None
    fields = dict(decoded.fields)
    language = holder_language(fields)
    parts = name_parts(fields)
    if language is None or not parts or _name_words(back.words, parts) is not None:
        return None
    if _name_words(front.words, parts) is not None and language in front.languages.split("+"):
        return None
    return front_region(front, back)


def needs_front_look(front: PageText, back: PageText) -> bool:
    """Whether `front`, the page before a card's back, is worth reading again as the card's front
    (`front_to_read`)."""
    return front_to_read(front, back) is not None


def front_look(
    front: PageText, back: PageText, image: np.ndarray, region: Region, *, timeout: float, dpi: int
) -> PageText:
    """The front of a card scanned duplex, its `image` as the page pass read it, with its `region`
    (`front_to_read`) read again in the holder's language and English, enlarged as the part above a zone is,
    and its name lines then as `closer_look` reads them: the back's zone names the holder, which the front's
    page pass could not know (a Turkish holder's residence permit read in `deu+eng`: `ERGUL` for `ERGÜL`, or
    not at all). The front keeps its own reading and has no zone: its words are only added."""
    zone = back.mrz
    if zone is None or zone.decoded is None:
        return front
    fields = dict(zone.decoded.fields)
    language = holder_language(fields) or "deu"
    named = _name_words(front.words, name_parts(fields))
    if named is not None:
        region = _band(region, named, front.width, front.height) or region
    try:
        again = _read_region(image, region, f"{language}+{SECOND_LANGUAGE}", timeout=timeout, dpi=dpi,
                             offset=SIDE_BLOCKS)  # fmt: skip
    except ProgramTimeout:
        log.warning("tesseract timed out on the front of the card on page %d; keeping its own reading", front.page)
        return front
    looked = front.model_copy(update={"words": (*front.words, *again)})
    return with_marks(_name_lines_again(looked, image, timeout=timeout, dpi=dpi, zone=zone), image, zone=zone)


def _read_region(
    image: np.ndarray,
    region: Region,
    languages: str,
    *,
    timeout: float,
    dpi: int,
    offset: int = BLOCK_OFFSET,
    psm: int = 3,
) -> list[Word]:
    """The words of `region` of the page, read enlarged by its scale, boxed on the page. Blocks are numbered
    from `offset`, past the page pass's (tesseract numbers them per run), so that lines of two readings stay
    apart; `psm`, tesseract's page segmentation (7: one line)."""
    crop = image[region.top : region.bottom, region.left : region.right]
    if region.scale > 1.0:
        crop = cv2.resize(crop, None, fx=region.scale, fy=region.scale, interpolation=cv2.INTER_CUBIC)
    result = tesseract.recognise(
        crop,
        languages=languages,
        timeout=timeout,
        psm=psm,
        extra_config=f"--dpi {int(dpi * region.scale)}",
        purpose="viz" if psm == 3 else "viz line",
    )
    height, width = image.shape[:2]
    s = region.scale
    return [
        Word(
            text=w.text,
            bbox=BBox.from_pixels(
                region.left + w.left / s,
                region.top + w.top / s,
                region.left + (w.left + w.width) / s,
                region.top + (w.top + w.height) / s,
                width,
                height,
            ),
            confidence=w.confidence,
            block=w.block + offset,
            line=w.paragraph * 1000 + w.line,  # as the page pass numbers them (`ocr.reader`)
        )
        for w in result.words
    ]


def _band(region: Region, named: Sequence[Word], width: int, height: int) -> Region | None:
    """Only the lines of `region` that hold the name's words, a line's height around them: where the page
    pass found the name, but without the holder's letters, a strip of the region costs a fraction of it."""
    inside = [w for w in named if region.holds(w.bbox, width, height)]
    if not inside:
        return None
    line = max((w.bbox.y1 - w.bbox.y0) * height for w in inside)
    top = max(region.top, int(min(w.bbox.y0 for w in inside) * height - BAND_MARGIN * line))
    bottom = min(region.bottom, int(max(w.bbox.y1 for w in inside) * height + BAND_MARGIN * line))
    return dataclasses.replace(region, top=top, bottom=bottom)


def closer_look(
    text: PageText,
    image: np.ndarray,
    *,
    timeout: float,
    dpi: int,
    sharp: Callable[[], np.ndarray] | None = None,
) -> PageText:
    """The page with the part above its zone read again (see the module docstring), where its words do not
    hold the MRZ name or were read without the holder's language; and with the marks put back on the name's
    capitals that its pixels show and OCR dropped (`with_marks`).

    `sharp`, where the page's image was cleaned of grain by a median, gives the page without it (same
    geometry): where the page pass did not find the name and the closer reading found no part of it, the part
    above the zone is read once more from that, as print a fifth of a line high is lost in the median's pixels
    (`KOEHLER<<OETZKAN` of a card on an A4 scan: no name read; without the median `KOHLER`, `OTZKAN`). Not at
    once: on a grainy card the median is what makes the name legible (`ÇAKIR`, `DOGUKAN` read only with it)."""
    again = _read_again(text, image, timeout=timeout, dpi=dpi, sharp=sharp)
    return with_marks(_name_lines_again(again, image, timeout=timeout, dpi=dpi), image)


def with_marks(text: PageText, image: np.ndarray, *, zone: MrzReading | None = None) -> PageText:
    """The page with each word that is a part of the MRZ name given the marks its pixels show (`ocr.marks`),
    where the holder's alphabet writes the letter with one mark there, and without a dot tesseract gave a capital
    I that they do not show (`_marks_seen`); such a word is no surer than MARKED_CONFIDENCE: its letters are no
    longer OCR's. `zone`, the zone that names the holder where it is not the page's own (a card's back)."""
    zone = zone or text.mrz
    decoded = zone.decoded if zone is not None else None
    if decoded is None:
        return text
    fields = dict(decoded.fields)
    state = next(
        (s for s in ((fields.get(k) or "").strip("<") for k in ("nationality", "issuing_state")) if s in ONE_MARK),
        None,
    )
    parts = name_parts(fields)
    if state is None or not parts:
        return text
    words = list(text.words)
    changed = False
    for k, word in enumerate(words):
        if not any(_reads_as(word, part, pieces=True) for part in parts):
            continue
        checked = word.model_copy(update={"text": _marks_seen(word, image, text.width, text.height, state)})
        read = _marked_word(checked, image, text.width, text.height, state) or checked.text
        if read != word.text:
            words[k] = word.model_copy(update={"text": read, "confidence": min(word.confidence, MARKED_CONFIDENCE)})
            changed = True
    return text.model_copy(update={"words": tuple(words)}) if changed else text


def _marked_word(
    word: Word, image: np.ndarray, width: int, height: int, state: str, read: Callable[..., str | None] = marked
) -> str | None:
    """`read` (`ocr.marks.marked`, or `seen`) on the word's pixels: the word with the marks its pixels show; None
    where they cannot tell (a box too small to hold a word)."""
    box = word.bbox
    x0, y0, x1, y1 = box.x0 * width, box.y0 * height, box.x1 * width, box.y1 * height
    tall = y1 - y0
    left, top = max(0, int(x0 - tall / 2)), max(0, int(y0 - tall))
    right, bottom = min(image.shape[1], int(x1 + tall / 2) + 1), min(image.shape[0], int(y1 + tall) + 1)
    if right - left < 4 or bottom - top < 4:
        return None
    inner = (int(x0) - left, int(y0) - top, int(x1) - left, int(y1) - top)
    return read(word.text, image[top:bottom, left:right], inner, state)


def _read_again(
    text: PageText, image: np.ndarray, *, timeout: float, dpi: int, sharp: Callable[[], np.ndarray] | None
) -> PageText:
    zone = text.mrz
    decoded = zone.decoded if zone is not None else None
    if zone is None or decoded is None or not decoded.fields.get("surname"):
        return text
    fields = dict(decoded.fields)
    language = holder_language(fields)
    read_in = set(text.languages.split("+"))
    named = _name_words(text.words, name_parts(fields))
    if named is not None and (language is None or language in read_in):
        return text
    region = region_above(zone, text.width, text.height)
    if region is None or (region.scale < MIN_SCALE and (language is None or language in read_in)):
        return text
    if named is not None:
        region = _band(region, named, text.width, text.height) or region
    languages = f"{language or text.languages.split('+')[0] or 'deu'}+{SECOND_LANGUAGE}"
    names = name_parts(fields)
    try:
        again = _read_region(image, region, languages, timeout=timeout, dpi=dpi)
        side = other_side(text, zone, region) if named is None and language is not None else None
        if side is not None and not _any_name_word(again, names):
            # the name is not above the zone: the card's front may be copied beside its back (`other_side`)
            again += _read_region(image, side, languages, timeout=timeout, dpi=dpi, offset=SIDE_BLOCKS)
        if named is None and sharp is not None and language is not None and not _any_name_word(again, names):
            # nor did this reading find any part of it, in a Latin alphabet the MRZ's name must match: the print
            # may be too small for the median (`closer_look`). Where the holder's alphabet is not known to be
            # Latin (a Ukrainian card prints its name in Cyrillic), not finding the MRZ's Latin name says nothing
            # about the print, and the read without the median cost 0.4 CPU-s for nothing
            again += _read_region(sharp(), region, languages, timeout=timeout, dpi=dpi, offset=2 * BLOCK_OFFSET)
    except ProgramTimeout:
        log.warning("tesseract timed out on the visual zone of page %d; keeping the page's own reading", text.page)
        return text
    if not again:
        return text
    # Both readings are kept: the closer one may misread a line the page pass read well (a faint card). The
    # page keeps the languages of its own pass, so a name read plain is still one whose marks may be lost.
    return text.model_copy(update={"words": (*text.words, *again), "blank": False})


def _plain(text: str) -> bool:
    """Whether the word shows no mark on any of its letters (`Balanescu`, not `Bălănescu`)."""
    return all(c.isascii() for c in text if c.isalpha())


def _name_regions(text: PageText, parts: Sequence[str], language: str) -> list[tuple[Region, int]]:
    """What to read again of the name, each region with its page segmentation:

    - each printed line holding a part that every reading so far shows without a mark, where that is in doubt
      (the page was read without the holder's language, or no plain reading was sure, `SURE_PLAIN`), for
      holders whose alphabet is not German (the page pass reads German letters): the line of its surest
      reading, as one line;
    - where some parts were read and others not at all (print a fifth of a line high: `KOHLER` read, `ÖTZKAN`
      under it not), the lines of the parts read and MISSING_AROUND line heights below them for a part the MRZ
      names after them, above them for one it names before (ICAO 9303 Part 3: the surname field printed above
      the given names), as a block."""
    read_in = set(text.languages.split("+"))
    by_line: dict[tuple[int, int], list[Word]] = {}
    for word in text.words:
        by_line.setdefault((word.block, word.line), []).append(word)
    found = {
        part: _readings(text.words, part, pieces=True, mrz_spelling=True, cut=k == len(parts) - 1)
        for k, part in enumerate(parts)
    }
    regions: list[tuple[Region, int]] = []
    for readings in found.values():
        if not readings or not all(_plain(w.text) for w in readings) or language == "deu":
            continue
        surest = max(readings, key=lambda w: w.confidence)
        if surest.confidence >= SURE_PLAIN and language in read_in:
            continue
        region = _line_region(by_line[(surest.block, surest.line)], text.width, text.height)
        if region is not None:
            regions.append((region, _PSM_SINGLE_LINE))
    read = [k for k, part in enumerate(parts) if found[part]]
    missing = [k for k, part in enumerate(parts) if not found[part]]
    if read and missing:
        best = [max(found[parts[k]], key=lambda w: w.confidence) for k in read]
        lines = [w for b in best for w in by_line[(b.block, b.line)]]
        # a part after those read (a given name) is printed below them, one before them (a surname) above
        above = MISSING_AROUND if min(missing) < max(read) else 0.0
        below = MISSING_AROUND if max(missing) > min(read) else 0.0
        region = _line_region(lines, text.width, text.height, above=above, below=below)
        if region is not None:
            regions.append((region, _PSM_BLOCK))
    return regions


def _line_region(
    line: Sequence[Word], width: int, height: int, *, above: float = 0.0, below: float = 0.0
) -> Region | None:
    """The pixels of a printed line with room for the marks above its capitals (and `above` and `below` line
    heights more, and as many to the right as three times the larger, for a longer name), and the scale to
    read it at."""
    tall = max(w.bbox.y1 - w.bbox.y0 for w in line) * height
    if tall < 4:
        return None
    left = max(0, int(min(w.bbox.x0 for w in line) * width - LINE_SIDE * tall))
    right = min(width, int(max(w.bbox.x1 for w in line) * width + (LINE_SIDE + 3 * max(above, below)) * tall))
    top = max(0, int(min(w.bbox.y0 for w in line) * height - (LINE_ABOVE + above) * tall))
    bottom = min(height, int(max(w.bbox.y1 for w in line) * height + (LINE_BELOW + below) * tall))
    return Region(left, top, right, bottom, min(MAX_LINE_SCALE, max(1.0, LINE_HEIGHT / tall)))


def _joined(regions: Sequence[Region]) -> Region | None:
    """The name's lines as one region where they lie within a few line heights of each other (surname over
    given names: one tesseract run costs little more than one line, two runs twice), read as a block; None
    where they lie apart."""
    if len(regions) < 2:
        return None
    tall = max(r.bottom - r.top for r in regions)
    top, bottom = min(r.top for r in regions), max(r.bottom for r in regions)
    if bottom - top > JOINED_LINES * tall:
        return None
    return Region(
        min(r.left for r in regions), top, max(r.right for r in regions), bottom, min(r.scale for r in regions)
    )


def _name_lines_again(
    text: PageText, image: np.ndarray, *, timeout: float, dpi: int, zone: MrzReading | None = None
) -> PageText:
    """The page with the name's lines read once more where the readings so far leave the name in doubt
    (`_name_regions`: a part read plain where marks may be lost, a part not read at all), enlarged, in the
    holder's language (lines near each other together, `_joined`): only for a holder whose alphabet is a known
    Latin one, and only those lines (a small crop, ~0.15 CPU-s). Its words are no surer than LINE_CONFIDENCE:
    a second opinion; the classifiers take the reading that spells the MRZ name best and shows its marks.
    `zone`, the zone that names the holder where it is not the page's own (a card's back)."""
    zone = zone or text.mrz
    decoded = zone.decoded if zone is not None else None
    if decoded is None:
        return text
    fields = dict(decoded.fields)
    language = holder_language(fields)
    if language is None:
        return text
    regions = _name_regions(text, name_parts(fields), language)
    joined = _joined([region for region, _ in regions])
    again: list[Word] = []
    try:
        for k, (region, psm) in enumerate([(joined, _PSM_BLOCK)] if joined is not None else regions):
            words = _read_region(
                image, region, f"{language}+{SECOND_LANGUAGE}", timeout=timeout, dpi=dpi,
                offset=LINE_BLOCKS + k, psm=psm,
            )  # fmt: skip
            again += [w.model_copy(update={"confidence": min(w.confidence, LINE_CONFIDENCE)}) for w in words]
    except ProgramTimeout:
        log.warning("tesseract timed out on a name line of page %d; keeping the readings so far", text.page)
    if not again:
        return text
    return text.model_copy(update={"words": (*text.words, *again)})


def _marks_seen(word: Word, image: np.ndarray, width: int, height: int, state: str) -> str:
    """The word without a mark its pixels do not show, of those tesseract prints that are not there
    (`INVENTED_MARKS`), where the alphabet of `state` writes the letter with one mark in that place
    (`ocr.marks.ONE_MARK`). Where the pixels cannot tell (not capitals, letters that do not part), the word
    stays as read. Only such marks: others OCR drops far more often than it invents, and the pixels miss some
    (the dots of a small `Ü`)."""
    above, below = ONE_MARK[state]
    plain_of = {mark: letter for table in (above, below) for letter, mark in table.items() if mark in INVENTED_MARKS}
    plain = "".join(plain_of.get(c, c) for c in word.text)
    if plain == word.text:
        return word.text
    shown = _marked_word(word.model_copy(update={"text": plain}), image, width, height, state, seen)
    if shown is None or len(shown) != len(word.text):
        return word.text
    return "".join(c if c not in plain_of or s != plain_of[c] else s for c, s in zip(word.text, shown, strict=True))
