"""Read pages: the entry point of `ocr/` for the CLI and the flows.

`read_page` turns one page of an admitted file into a `PageReading`: the words with positions (from the
text layer of a born-digital PDF page, or from one tesseract pass over the cleaned-up page image) and, when
asked, a one-page searchable PDF from that same pass. The common page costs one tesseract run plus a few
tens of milliseconds of OpenCV: before the pass, a first look without tesseract turns the page the way its
glyphs read (`ocr.orientation`), names the script (`ocr.first_look`: an identity document's zone, else the
shapes of the page's glyphs) and, for an identity document, the box worth reading. Only a reading that still
looks wrong (low confidence: another script, or a way up the glyphs could not tell) pays for tesseract's
orientation and script detection and a second run.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import re
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial

import cv2
import numpy as np
from PIL import Image
from pydantic import BaseModel, ConfigDict, Field

from ocr import preprocess, tesseract
from ocr.cost import PageCost, page_kind
from ocr.first_look import ZONE_SECOND_LANGUAGE, Box, content_box, page_script, zone_languages, zone_upside_down
from ocr.mrz import LANGUAGES as MRZ_LANGUAGES
from ocr.mrz import ZoneLooks, read_mrz
from ocr.orientation import stand_upright
from ocr.pages import PageImage, extract_pdf_page, page_image, text_layer_page
from ocr.rendition import page_with_text
from ocr.script import LOOKALIKE_SHARE, lookalike_share, looks_turkish, probe_script
from ocr.separator import is_separator_image, is_separator_text
from ocr.sources import SourceInfo, inspect_source_cached
from ocr.visual_zone import HOLDER_LANGUAGE, SECOND_LANGUAGE, closer_look, front_look, front_to_read
from schemas.documents import BBox, MrzReading, PageText, TextSource, Word
from schemas.errors import DachError, PageTimeout, ProgramKilled, ProgramTimeout
from schemas.settings import OcrLimits, Settings

log = logging.getLogger(__name__)

# Languages for pages whose text is not (only) in Latin script, by the script OSD or the probe names.
SCRIPT_LANGUAGES: dict[str, str] = {"Cyrillic": "ukr+rus+deu", "Arabic": "ara+fas+eng"}
# Turkish is Latin script (OSD cannot tell it), but `deu+eng` drops ğ, ş, ı and İ from its names.
TURKISH_LANGUAGES = "tur+eng"
TURKISH_TOLERANCE = 0.9  # share of the first reading's score a Turkish reading of a Turkish page needs
# A reading not bad enough to look wrong, but not clean either (a clean page: mean > 0.9, low < 0.05):
# a half-Cyrillic certificate can read like this; only the cheap script probe is asked about it.
BORDERLINE_MEAN_CONFIDENCE = 0.85
BORDERLINE_LOW_SHARE = 0.06
# Cyrillic read with Latin languages beyond doubt (a German page: ~0.01, a Cyrillic one: ~0.3): read again in
# Cyrillic at once, without OSD and probes.
CLEAR_LOOKALIKE_SHARE = 0.2

# A first reading "looks wrong" (upside down, wrong script) when confidence is this low.
SUSPECT_MEAN_CONFIDENCE = 0.72
SUSPECT_LOW_SHARE = 0.15  # share of words under 0.5 confidence (a clean page: < 0.05; half Cyrillic: > 0.15)
# Only a reading this bad is worth a second full pass upside down (upside-down pages read at 0.3-0.5).
UPSIDE_DOWN_MEAN_CONFIDENCE = 0.60
UPSIDE_DOWN_LOW_SHARE = 0.40
SIDEWAYS_TOLERANCE = 0.8  # share of a sideways reading's score an upright reading needs to replace it
OSD_SIDE = 1754  # long side of the copy OSD looks at: half of A4 at 300 dpi, ~0.4 s instead of ~0.6 s
MIN_OSD_CONFIDENCE = 2.0
# OSD calls the Latin MRZ of a passport "Cyrillic" with confidence ~4 (homoglyphs then read well in ukr+rus);
# a real Cyrillic page scores ~9.
MIN_SCRIPT_CONFIDENCE = 6.0
PDF_IMAGE_QUALITY = 85  # JPEG quality of a page image dach puts into a PDF itself (tesseract's own default)
# The glyph-shape model (`ocr.first_look.page_script`) decides a page's script before the first pass when it is
# this sure (tuning pages: every wrong call below 0.6, right calls of Arabic and Cyrillic from 0.79).
SCRIPT_SURE = 0.75
# The glyph-orientation model (`ocr.orientation`) turns a page before the first pass when it is this sure (tuning
# pages at every quarter turn, seeds 3600-3603: 364 of 364 right, none left undecided at 0.9).
ORIENTATION_SURE = 0.9
# A page with little ink and not one word read with some confidence is blank (noise, dust, grain).
NOISE_PAGE_INK = 0.02
READABLE_WORD_CONFIDENCE = 0.6
# The MRZ reader costs ~1 s on a page of ordinary text (text lines look like zone bands), so it runs only where
# an MRZ is plausible: '<' fillers read by the page pass (23 of 24 generated identity pages, training seeds), very
# little text (a lone card), or a poor reading (the last one read at 0.84; notices and certificates read >= 0.90).
# Counting words is no signal: a one-page notice has 70-180 words, a passport data page 50-100.
MRZ_FEW_WORDS = 25
MRZ_MAX_CONFIDENCE = 0.87
# A zone's fillers read the other way round (`20539>>>>>>>>>6`: a passport's zone beside a Persian page read
# well, tuning booklet 0015); a closing guillemet or two of quoted text are no such run.
_FILLERS_TURNED = re.compile(r"[>»]{3,}")
# A zone's box at least this much wider than high runs across the page (two lines of 44: ~9, three of 30: ~4).
ZONE_ACROSS = 2.0
# Of a zone line's pitch: the margin around a settled zone's box the page pass is not shown (its band's box is
# tight around the glyphs; the visual zone's last line lies a pitch or more above it).
ZONE_MARGIN = 0.3


class ReadOptions(BaseModel):
    """What a page reader needs from the settings: frozen, small, safe to hand to a worker."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    languages: str = Field(default="deu+eng", description="tesseract languages for Latin-script pages")
    script_languages: tuple[tuple[str, str], ...] = Field(
        default=tuple(SCRIPT_LANGUAGES.items()), description="(tesseract script name, languages) pairs"
    )
    limits: OcrLimits = Field(default_factory=OcrLimits)
    want_pdf: bool = Field(default=False, description="also make the one-page searchable PDF")
    read_mrz: bool = Field(
        default=True, description="look for a machine-readable zone on image pages that may carry one"
    )

    @classmethod
    def from_settings(cls, settings: Settings, *, want_pdf: bool = False) -> ReadOptions:
        return cls(languages=settings.languages, limits=settings.limits, want_pdf=want_pdf)

    def languages_needed(self) -> frozenset[str]:
        """Every tesseract language pack reading with these options may use: the Latin-script languages, those
        of the other scripts and of Turkish, the MRZ's, those of the holders' alphabets a visual zone is read
        in again (`ocr.visual_zone`), and `osd` for orientation and script detection."""
        combined = (
            self.languages,
            TURKISH_LANGUAGES,
            MRZ_LANGUAGES,
            ZONE_SECOND_LANGUAGE,
            SECOND_LANGUAGE,
            *HOLDER_LANGUAGE.values(),
            *(langs for _, langs in self.script_languages),
        )
        return frozenset(code for spec in combined for code in spec.split("+") if code) | {"osd"}


def require_tesseract(options: ReadOptions) -> str:
    """Tesseract's version, once it and every language pack `options` may use are installed (else
    `MissingDependency` with the packages to install): what commands that read pages check at start-up."""
    return tesseract.require_languages(options.languages_needed())


@dataclass(frozen=True, slots=True)
class PageReading:
    """One page read: its text with positions and, if asked for, its one-page searchable PDF."""

    text: PageText
    pdf: bytes | None
    cost: PageCost | None = None  # what reading it cost (`ocr.cost`)


def read_page(data: bytes, page: int, options: ReadOptions) -> PageReading:
    """Read 1-based `page` of the file `data`. Raises `InputRejected` subclasses for bad input."""
    return _read(data, inspect_source_cached(data, options.limits), page, options)


def read_pages(data: bytes, options: ReadOptions, *, workers: int) -> list[PageReading]:
    """Every page of the file, in order, `workers` pages at a time (each tesseract is its own process), and the
    front of a card scanned duplex read again in its holder's language (`fronts_read_again`)."""
    info = inspect_source_cached(data, options.limits)
    pages = range(1, info.page_count + 1)
    if workers <= 1 or info.page_count == 1:
        return fronts_read_again(data, [_read(data, info, page, options) for page in pages], options)
    executor = ThreadPoolExecutor(max_workers=min(workers, info.page_count), thread_name_prefix="dach-page")
    try:
        futures = [executor.submit(_read, data, info, page, options) for page in pages]
        readings = [future.result() for future in futures]
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    return fronts_read_again(data, readings, options)


def fronts_read_again(data: bytes, readings: Sequence[PageReading], options: ReadOptions) -> list[PageReading]:
    """The pages of a file, each card's front scanned duplex (the page before its back, whose zone names the
    holder) read again in the holder's language (`ocr.visual_zone.front_look`): pages are read one by one, so
    the front's page pass never met the back's zone. Only such pairs pay (`front_to_read`, without an image):
    the front page is decoded and cleaned up once more, and its card read again; other pages stay as read.
    A look that fails (a page timeout, a killed tesseract) leaves the front as its page pass read it: the file
    was read, and a name the front does not confirm goes to review as it would have without the look."""
    out = list(readings)
    for k in range(1, len(readings)):
        front, back = readings[k - 1].text, readings[k].text
        region = front_to_read(front, back)
        if region is None:
            continue
        cpu_started = time.thread_time()
        try:
            with tesseract.accounting() as ledger:
                image = page_image(data, inspect_source_cached(data, options.limits), front.page, options.limits)
                looked = front_look(
                    front, back, _as_read(image, front.rotation), region, timeout=options.limits.page_timeout_s,
                    dpi=image.dpi,
                )  # fmt: skip
        except DachError as exc:
            log.warning("page %d: the card's front was not read again with its back's zone: %s", front.page, exc)
            continue
        cost = readings[k - 1].cost
        if cost is not None:  # the front's second look is the front's cost (`dach extract -v`)
            cost = cost.spent(ledger, time.thread_time() - cpu_started)
        out[k - 1] = dataclasses.replace(readings[k - 1], text=looked, cost=cost)
    return out


def _as_read(image: PageImage, rotation: int) -> np.ndarray:
    """The page image as its page pass read it: cleaned up as `read_image` does, turned `rotation` degrees in
    all (the boxes of its words lie on it)."""
    gray = image.gray
    prepared = preprocess.prepare(gray, preprocess.analyse(gray, preprocess.small_copy(gray)))
    return preprocess.turn(prepared.image, (rotation - prepared.rotation) % 360)


def _read(data: bytes, info: SourceInfo, page: int, options: ReadOptions) -> PageReading:
    cpu_started = time.thread_time()
    with tesseract.accounting() as ledger:
        reading = _read_uncounted(data, info, page, options)
    cost = PageCost(kind=page_kind(reading.text), turned=reading.text.rotation).spent(
        ledger, time.thread_time() - cpu_started
    )
    log.debug(
        "page %d cost: %s, turned %d, %d tesseract runs (%s), %d full passes, %.2f CPU-s tesseract + %.2f CPU-s python",
        page,
        cost.kind,
        cost.turned,
        cost.runs,
        ", ".join(cost.purposes) or "none",
        cost.full_passes,
        cost.tesseract_cpu_s,
        cost.python_cpu_s,
    )
    return dataclasses.replace(reading, cost=cost)


def _read_uncounted(data: bytes, info: SourceInfo, page: int, options: ReadOptions) -> PageReading:
    started = time.perf_counter()
    if page in info.text_layer_pages:
        text = text_layer_page(data, page, options.limits)
        if is_separator_text(text.text):
            text = text.model_copy(update={"separator": True})
        pdf = extract_pdf_page(data, page, options.limits) if options.want_pdf and not text.separator else None
        log.debug("page %d: text layer, %d words, %.3f s", page, len(text.words), time.perf_counter() - started)
        return PageReading(text=text, pdf=pdf)
    reading = read_image(page_image(data, info, page, options.limits), page, options)
    log.debug(
        "page %d: %s, %d words, rotation %d, skew %.1f, %s, %.2f s",
        page,
        "separator" if reading.text.separator else "blank" if reading.text.blank else "ocr",
        len(reading.text.words),
        reading.text.rotation,
        reading.text.skew,
        reading.text.languages,
        time.perf_counter() - started,
    )
    return reading


def read_image(image: PageImage, page: int, options: ReadOptions) -> PageReading:
    """Read a page image: separator check, blank check, clean-up, tesseract, and a second look if needed."""
    gray = image.gray
    height, width = gray.shape[:2]
    small = preprocess.small_copy(gray)
    if is_separator_image(gray, small=small):
        return PageReading(
            text=PageText(page=page, width=width, height=height, source=TextSource.OCR, separator=True),
            pdf=None,
        )
    analysis = preprocess.analyse(gray, small)
    if analysis.blank:
        text = PageText(page=page, width=width, height=height, source=TextSource.OCR, blank=True)
        return PageReading(text=text, pdf=_image_pdf(gray, image.dpi) if options.want_pdf else None)
    prepared = preprocess.prepare(gray, analysis)
    # Which way up, before the first pass and without tesseract: the profiles turned a sideways page a quarter,
    # the glyphs say whether it now stands on its head (a page scanned at 90°, 180° or 270° is read once).
    standing = stand_upright(prepared.image, prepared.rotation, sure=ORIENTATION_SURE)
    languages, rotation, upright = options.languages, standing.rotation, standing.image
    by_script = dict(options.script_languages)
    # Before the first full pass, without tesseract: an identity document's zone names the script of its
    # visual zone and which way up it lies, and the ink shows which part of the sheet is worth reading.
    # The search for a zone costs ~1.5 CPU-s on a page full of text (its lines look like zone bands), so it is
    # made only on what may be a lone document: a small box of ink on the sheet, or a landscape image.
    box = content_box(upright)
    looks_like_a_document = box is not None or upright.shape[1] > upright.shape[0]
    zone = None
    looks = ZoneLooks()  # the zone search's bands and cells, for a second look at the same image
    if options.read_mrz and looks_like_a_document:
        zone = read_mrz(upright, timeout=options.limits.page_timeout_s, glyphs_only=True, looks=looks)
    decided = zone_languages(
        zone.decoded if zone is not None else None,
        latin=options.languages,
        by_script=by_script,
        turkish=TURKISH_LANGUAGES,
    )
    if zone is None:
        # Only an identity document is read from its box: a certificate whose text fills the top half of the
        # sheet reads worse cut out than whole (tesseract's layout analysis then lost a name line in Arabic).
        box = None
    if decided is None and zone is None:
        # No zone to ask: the shapes of the page's glyphs name its script (a Ukrainian or Arabic certificate is
        # read once, in its languages, instead of in `deu+eng` first, judged poor, probed and read again).
        script = page_script(upright, sure=SCRIPT_SURE, shapes=standing.shapes)
        if script is not None and script in by_script:
            decided = by_script[script]
            log.debug("glyph shapes: %s script, reading in %s", script, decided)
    if decided is not None:
        languages = decided
    if zone is not None and decided is not None:
        # the zone's glyphs say which way up the page lies; its place on the sheet only where they were not read
        glyphs_turned = looks.upside_down(zone)
        if (
            glyphs_turned
            if glyphs_turned is not None
            else zone_upside_down(zone.bbox, box, upright.shape[1], upright.shape[0])
        ):
            box = box.turned_180(upright.shape[1], upright.shape[0]) if box is not None else None
            upright, rotation = preprocess.turn(upright, 180), (rotation + 180) % 360
            zone = _zone_turned(zone)
        log.debug(
            "zone of %s: reading its page in %s",
            zone.decoded.fields.get("issuing_state") if zone.decoded else "?",
            languages,
        )
    # A zone the cells settled is not read by the page pass (its words are the zone's lines, `_zone_words`), on
    # a document read alone: on a sheet (`box`) its small print is read at the limit of legibility, and a band of
    # ink less moves tesseract's threshold for all of it (tuning families: 4 names lost their marks on A4 sheets).
    hidden = _settled_zone_box(zone, upright) if box is None else None
    result = _recognise_box(upright, box, languages, image.dpi, options, hidden=hidden)
    blurred = "denoise" in prepared.steps  # a median was taken over the page tesseract reads
    if not _has_readable_word(result.words) and "denoise" not in prepared.steps:
        # Fine grain over a faint card or photo can keep tesseract's layout analysis from finding any text
        # (an ID card on a grey scan: 0 words; after a 3×3 median: 70). Only pages read as nothing pay this.
        cleaned = preprocess.denoise(upright)
        again = _recognise_box(cleaned, box, languages, image.dpi, options, hidden=hidden)
        if _score(again.words) > _score(result.words):
            upright, result, blurred = cleaned, again, True
    if decided is None and "Cyrillic" in by_script and lookalike_share(result.words) >= CLEAR_LOOKALIKE_SHARE:
        # Cyrillic read with Latin languages, unmistakably: read it in Cyrillic at once, without asking OSD
        # and probing the unread lines in every script first.
        again = _recognise_box(upright, box, by_script["Cyrillic"], image.dpi, options)
        if _score(again.words) > _score(result.words):
            languages, result = by_script["Cyrillic"], again
        decided = languages
    if zone is None and options.read_mrz and _looks_wrong(result.words) and _fillers_read(result.words):
        # No first look was made (the ink filled the sheet: a card under uneven light), but the pass read a
        # zone's fillers: a zone the cells settle, read upright, whose state prints in the languages read, says
        # the page is upright and in its script, where OSD, two script probes and another full pass found
        # nothing better (~2.3 CPU-s on a card on A4 whose small print reads poorly).
        late = read_mrz(upright, timeout=options.limits.page_timeout_s, glyphs_only=True, looks=looks)
        if (
            late is not None
            and _zone_settles_the_page(late, upright)
            and looks.upside_down(late) is False
            and zone_languages(late.decoded, latin=options.languages, by_script=by_script, turkish=TURKISH_LANGUAGES)
            == languages
        ):
            zone, decided = late, languages
    if not _zone_settles_the_page(zone, upright) and (
        _looks_wrong(result.words)
        if decided is None
        else _looks_wrong(result.words, mean_below=UPSIDE_DOWN_MEAN_CONFIDENCE, low_share_above=UPSIDE_DOWN_LOW_SHARE)
    ):
        # OSD judges the page as it came (only turned as it is now): clean-up made for recognition misleads it.
        as_scanned = preprocess.turn(gray, rotation)
        second = _second_look(upright, as_scanned, result, image.dpi, options)
        if second is not None:
            turned, languages, result = second
            upright, rotation = preprocess.turn(upright, turned), (rotation + turned) % 360
            box, zone, hidden = None, None, None  # the second look reads the whole page; the zone is looked for again
    if languages == options.languages and decided is None:
        other = _other_language(upright, result, image.dpi, options)
        if other is not None:
            languages, result = other
    text = _page_text(result.words, page, upright, rotation, prepared.skew, languages)
    if hidden is not None and zone is not None:
        text = text.model_copy(update={"words": text.words + _zone_words(zone, text.words)})
    # A back side photographed with grain, or a scanner's dust: ink, but nothing tesseract can read. Unless the
    # ink is a small, faint card whose MRZ the zone reader finds (tesseract read nothing on it).
    nothing_read = text.blank or (analysis.ink < NOISE_PAGE_INK and not _has_readable_word(result.words))
    mrz = None
    if zone is not None and zone.decoded is not None and zone.decoded.trusted:
        mrz = zone  # the cells alone settled every field: tesseract could only agree
    elif options.read_mrz and (nothing_read or zone is not None or _may_carry_mrz(result.words)):
        mrz = read_mrz(upright, timeout=options.limits.page_timeout_s, looks=looks)
        if (
            (mrz is None or mrz.decoded is None or not mrz.decoded.valid)
            and set(prepared.steps) - {"turn90"}
            and looks.bands
        ):
            # a zone-shaped band the cleaned page did not read: a stamp or a pen mark over the zone, deskewed and
            # smoothed with it, can join cells the page as scanned keeps apart (the zone search takes any skew)
            mrz = _zone_as_scanned(gray, prepared.skew, rotation, mrz, timeout=options.limits.page_timeout_s)
    if mrz is not None:
        text = text.model_copy(update={"blank": False, "mrz": mrz})
        # the holder's name where the page pass may have missed it or its letters (`ocr.visual_zone`)
        # where the clean-up took a median, the name lines may be read again without it (`closer_look`): print
        # a fifth of a line high is lost in it (a card on an A4 scan)
        sharp = partial(preprocess.unblurred, gray, prepared, rotation) if blurred else None
        text = closer_look(text, upright, timeout=options.limits.page_timeout_s, dpi=image.dpi, sharp=sharp)
    elif nothing_read:
        text = text.model_copy(update={"blank": True, "words": ()})
    return PageReading(text=text, pdf=result.pdf)


def _recognise(
    image: np.ndarray, languages: str, dpi: int, options: ReadOptions, *, text_only_pdf: bool = False
) -> tesseract.Recognition:
    """One tesseract pass; a timeout is retried once, then the page is rejected. A tesseract killed by a
    signal (not by us) is retried once, then the error stays transient: the intake tries the file again later."""
    for attempt in (1, 2):
        try:
            return tesseract.recognise(
                image,
                languages=languages,
                timeout=options.limits.page_timeout_s,
                extra_config=f"--dpi {dpi}",
                want_pdf=options.want_pdf,
                text_only_pdf=text_only_pdf,
            )
        except ProgramTimeout as exc:
            if attempt == 2:
                raise PageTimeout(
                    f"tesseract needed more than {options.limits.page_timeout_s:.0f} s for a page, twice; "
                    "the page may be a photo or pattern rather than text. Check the scan, or raise "
                    "DACH_LIMITS__PAGE_TIMEOUT_S"
                ) from exc
            log.warning("tesseract timed out on a page; trying once more")
        except ProgramKilled:
            if attempt == 2:
                raise
            log.warning("tesseract was killed while reading a page; trying once more")
    raise AssertionError("unreachable")


def _recognise_box(
    image: np.ndarray,
    box: Box | None,
    languages: str,
    dpi: int,
    options: ReadOptions,
    *,
    hidden: Box | None = None,
) -> tesseract.Recognition:
    """One pass over `box` of the page only (all of it when None), its words in page coordinates; `hidden`, a
    part of the page read otherwise (`_settled_zone_box`), is shown to tesseract as blank paper. The searchable
    PDF, if asked for, still shows the whole page as it is: the box's invisible text laid over its place."""
    if box is None and hidden is None:
        return _recognise(image, languages, dpi, options)
    box = box or Box(left=0, top=0, right=image.shape[1], bottom=image.shape[0])
    shown = image[box.top : box.bottom, box.left : box.right]
    if hidden is not None:
        shown = _blanked(shown, hidden, box)
    part = _recognise(shown, languages, dpi, options, text_only_pdf=True)
    words = tuple(dataclasses.replace(w, left=w.left + box.left, top=w.top + box.top) for w in part.words)
    pdf = None
    if part.pdf is not None:
        points = 72.0 / dpi
        height = image.shape[0]
        pdf = page_with_text(
            _image_pdf(image, dpi),
            part.pdf,
            left=box.left * points,
            bottom=(height - box.bottom) * points,
            right=box.right * points,
            top=(height - box.top) * points,
        )
    return tesseract.Recognition(words=words, pdf=pdf)


def _zone_settles_the_page(zone: MrzReading | None, image: np.ndarray) -> bool:
    """A zone the cells read with every check digit holding, its lines running across the page: the page is
    upright (a zone read the wrong way up fails its check digits, and its place said which way up the page
    lies) and its script is the issuing state's, so however poorly tesseract read the small print around it,
    OSD and another pass can find nothing better (a card on A4 whose tiny labels read poorly cost ~3 CPU-s
    more that way; a small card photo read at a mean confidence of 0.56 was read again upside down)."""
    if zone is None or zone.decoded is None or not zone.decoded.valid or zone.bbox is None:
        return False
    height, width = image.shape[:2]
    box = zone.bbox
    return (box.x1 - box.x0) * width > ZONE_ACROSS * (box.y1 - box.y0) * height


def _settled_zone_box(zone: MrzReading | None, image: np.ndarray) -> Box | None:
    """The box of a zone the cells alone settled (every field certain: the page pass could only agree), with a
    margin, on `image`; None for any other zone. The zone's band is a fifth to a third of what tesseract reads on
    a passport's data page or a card's back (tuning identity pages: ~0.2 CPU-s of a ~0.8 CPU-s pass), and the
    classifiers take no word inside the zone's box from the page anyway (`classifiers.viz`)."""
    if zone is None or zone.decoded is None or not zone.decoded.trusted or zone.bbox is None or not zone.lines:
        return None
    height, width = image.shape[:2]
    b = zone.bbox
    margin = ZONE_MARGIN * (b.y1 - b.y0) * height / len(zone.lines)
    return Box(
        left=max(0, int(b.x0 * width - margin)),
        top=max(0, int(b.y0 * height - margin)),
        right=min(width, int(np.ceil(b.x1 * width + margin))),
        bottom=min(height, int(np.ceil(b.y1 * height + margin))),
    )


def _blanked(part: np.ndarray, hidden: Box, box: Box) -> np.ndarray:
    """A copy of `part` (the page's `box`) with the page's `hidden` box painted over in the paper's shade."""
    out = part.copy()
    top, bottom = max(0, hidden.top - box.top), max(0, hidden.bottom - box.top)
    left, right = max(0, hidden.left - box.left), max(0, hidden.right - box.left)
    out[top:bottom, left:right] = np.median(preprocess.small_copy(part))
    return out


def _zone_words(zone: MrzReading, words: Sequence[Word]) -> tuple[Word, ...]:
    """The zone's decoded lines as the page's words, each in its share of the zone's box, one block after the
    page pass's (the text of the page, searched and shown, keeps its zone where the pass was not shown it)."""
    box = zone.bbox
    lines = zone.decoded.lines if zone.decoded is not None and zone.decoded.lines else zone.lines
    if box is None:
        return ()
    block = max((w.block for w in words), default=0) + 1
    pitch = (box.y1 - box.y0) / len(lines)
    return tuple(
        Word(
            text=line,
            bbox=BBox(x0=box.x0, y0=box.y0 + k * pitch, x1=box.x1, y1=box.y0 + (k + 1) * pitch),
            confidence=zone.confidence,
            block=block,
            line=k + 1,
        )
        for k, line in enumerate(lines)
    )


def _zone_as_scanned(
    gray: np.ndarray, skew: float, rotation: int, zone: MrzReading | None, *, timeout: float
) -> MrzReading | None:
    """The zone read on the page as scanned (only turned `rotation` degrees, not cleaned up) where it verifies
    and `zone`, read on the cleaned page, does not; its box where it lies on the cleaned page (deskewed by `skew`
    degrees around the centre, which commutes with the quarter turns)."""
    try:
        scanned = read_mrz(preprocess.turn(gray, rotation), timeout=timeout)
    except ProgramTimeout:
        log.warning("tesseract timed out reading the zone on the page as scanned; keeping the cleaned page's")
        return zone
    if scanned is None or scanned.decoded is None or not scanned.decoded.valid or scanned.bbox is None:
        return zone
    # The zone's box on the page as scanned holds the zone tilted by the skew: its centre turned by the deskew,
    # and the level box whose tilted box that is, give where the zone lies on the cleaned page.
    box = scanned.bbox
    height, width = gray.shape[:2] if rotation % 180 == 0 else gray.shape[1::-1]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), skew, 1.0)
    cx, cy = matrix @ np.array([(box.x0 + box.x1) / 2 * width, (box.y0 + box.y1) / 2 * height, 1.0])
    tilted_w, tilted_h = (box.x1 - box.x0) * width, (box.y1 - box.y0) * height
    cos, sin = np.cos(np.deg2rad(abs(skew))), np.sin(np.deg2rad(abs(skew)))
    level_w = (tilted_w * cos - tilted_h * sin) / (cos * cos - sin * sin)
    level_h = (tilted_h * cos - tilted_w * sin) / (cos * cos - sin * sin)
    if level_w < tilted_w / 2 or level_h < tilted_h / 2:  # the zone lies at a tilt of its own (a card askew)
        level_w, level_h = tilted_w, tilted_h
    bbox = BBox.from_pixels(max(0.0, cx - level_w / 2), max(0.0, cy - level_h / 2), min(width, cx + level_w / 2),
                            min(height, cy + level_h / 2), width, height)  # fmt: skip
    log.debug("zone read on the page as scanned, not on the cleaned page")
    return scanned.model_copy(update={"bbox": bbox})


def _zone_turned(zone: MrzReading) -> MrzReading:
    """The zone's reading on the page turned by 180 degrees."""
    box = zone.bbox
    if box is None:
        return zone
    turned = BBox(x0=1 - box.x1, y0=1 - box.y1, x1=1 - box.x0, y1=1 - box.y0)
    return zone.model_copy(update={"bbox": turned})


def _mostly_vertical(words: tuple[tesseract.TsvWord, ...]) -> bool:
    """Tesseract reads text lines running up or down the page, with boxes taller than wide."""
    long_words = [w for w in words if len(w.text) >= 4]
    return bool(long_words) and sum(w.height > 1.5 * w.width for w in long_words) * 2 > len(long_words)


def _looks_wrong(
    words: tuple[tesseract.TsvWord, ...],
    *,
    mean_below: float = SUSPECT_MEAN_CONFIDENCE,
    low_share_above: float = SUSPECT_LOW_SHARE,
) -> bool:
    readable = [w for w in words if any(ch.isalnum() for ch in w.text)]
    if not readable or _mostly_vertical(words):
        return True
    mean = sum(w.confidence for w in readable) / len(readable)
    low = sum(1 for w in readable if w.confidence < 0.5) / len(readable)
    return mean < mean_below or low > low_share_above


def _has_readable_word(words: tuple[tesseract.TsvWord, ...]) -> bool:
    return any(w.confidence >= READABLE_WORD_CONFIDENCE and sum(ch.isalnum() for ch in w.text) >= 3 for w in words)


def _fillers_read(words: tuple[tesseract.TsvWord, ...]) -> bool:
    """A word of the reading holds a zone's fillers, read as they stand or the other way round."""
    return any(w.text.count("<") + w.text.count("«") >= 2 or _FILLERS_TURNED.search(w.text) for w in words)


def _may_carry_mrz(words: tuple[tesseract.TsvWord, ...]) -> bool:
    if len(words) < MRZ_FEW_WORDS or _fillers_read(words):
        return True
    return sum(w.confidence for w in words) / len(words) < MRZ_MAX_CONFIDENCE


def _score(words: tuple[tesseract.TsvWord, ...]) -> float:
    """How much confidently read text a reading holds (to choose between two readings of one page)."""
    return sum(len(w.text) * w.confidence for w in words if w.confidence >= 0.6)


def _other_language(
    image: np.ndarray, first: tesseract.Recognition, dpi: int, options: ReadOptions
) -> tuple[str, tesseract.Recognition] | None:
    """Read a page still read in the Latin languages again in another language, if its words say so.

    A Turkish page (Turkish words read) is read again with Turkish. A borderline reading, or one with
    many Cyrillic look-alike words (`HapoaxeHHn`), has its unread lines probed (`ocr.script`, a few
    tenths of a second); a confidently named other script gets a full reading, kept if it reads better.
    A clean German page triggers neither and costs nothing more.
    """
    if looks_turkish(first.words):
        again = _recognise(image, TURKISH_LANGUAGES, dpi, options)
        keep = _score(again.words) >= TURKISH_TOLERANCE * _score(first.words)
        log.debug("Turkish reading %s", "kept" if keep else "dropped")
        return (TURKISH_LANGUAGES, again) if keep else None
    suspect = lookalike_share(first.words) > LOOKALIKE_SHARE or _looks_wrong(
        first.words, mean_below=BORDERLINE_MEAN_CONFIDENCE, low_share_above=BORDERLINE_LOW_SHARE
    )
    if not suspect:
        return None
    by_script = dict(options.script_languages)
    script = probe_script(image, first.words, candidates=by_script, dpi=dpi, timeout=options.limits.page_timeout_s)
    if script is None or by_script[script] == options.languages:
        return None
    again = _recognise(image, by_script[script], dpi, options)
    return (by_script[script], again) if _score(again.words) > _score(first.words) else None


def _second_look(
    image: np.ndarray, as_scanned: np.ndarray, first: tesseract.Recognition, dpi: int, options: ReadOptions
) -> tuple[int, str, tesseract.Recognition] | None:
    """Read a suspect page again, turned and/or in another script; (turn, languages, result) or None.

    OSD decides when it is sure. On blurred or shadowed photos it often is not; then the likeliest
    mistake is tried instead: another script (probed on the unread lines, `ocr.script`), upside down, or
    for text tesseract found running vertically, the two quarter turns. A new reading is kept only if it
    holds more confidently read text than the first.
    """
    osd = tesseract.detect_orientation(
        preprocess.small_copy(as_scanned, OSD_SIDE), timeout=options.limits.page_timeout_s
    )
    by_script = dict(options.script_languages)
    languages = options.languages
    if osd is not None and osd.script_confidence >= MIN_SCRIPT_CONFIDENCE:
        languages = by_script.get(osd.script, options.languages)
    vertical = _mostly_vertical(first.words)
    sure_turn = osd is not None and osd.orientation_confidence >= MIN_OSD_CONFIDENCE
    if languages == options.languages and not vertical and (not sure_turn or (osd and osd.rotate == 0)):
        script = probe_script(image, first.words, candidates=by_script, dpi=dpi, timeout=options.limits.page_timeout_s)
        languages = by_script[script] if script else languages
    if osd is not None and sure_turn:
        turns: tuple[int, ...] = (osd.rotate,)
    elif languages != options.languages:  # the unread lines were readable as they stand: the page is upright
        turns = (0,)
    elif vertical:  # OSD's unsure guess still picks the right quarter turn more often than not
        turns = (270, 90) if osd is not None and osd.rotate == 270 else (90, 270)
    elif _looks_wrong(first.words, mean_below=UPSIDE_DOWN_MEAN_CONFIDENCE, low_share_above=UPSIDE_DOWN_LOW_SHARE):
        turns = (180,)
    else:  # merely a poor scan: another full reading upside down would cost much and find nothing
        turns = ()
    if osd is not None:
        log.debug(
            "OSD: rotate %d (%.1f), script %s (%.1f)",
            osd.rotate,
            osd.orientation_confidence,
            osd.script,
            osd.script_confidence,
        )
    # Tesseract reads sideways text nearly as well as upright text, but its boxes and lines then run across
    # the page: an upright reading nearly as good is preferred.
    bar = _score(first.words) * (SIDEWAYS_TOLERANCE if vertical else 1.0)
    for turn in turns:
        if turn == 0 and languages == options.languages:
            continue
        again = _recognise(preprocess.turn(image, turn), languages, dpi, options)
        if _score(again.words) > bar:
            return turn, languages, again
    return None


def _page_text(
    words: tuple[tesseract.TsvWord, ...],
    page: int,
    image: np.ndarray,
    rotation: int,
    skew: float,
    languages: str,
) -> PageText:
    height, width = image.shape[:2]
    out = tuple(
        Word(
            text=w.text,
            bbox=BBox.from_pixels(w.left, w.top, w.left + w.width, w.top + w.height, width, height),
            confidence=w.confidence,
            block=w.block,
            line=w.paragraph * 1000 + w.line,  # tesseract numbers lines within a paragraph
        )
        for w in words
    )
    return PageText(
        page=page,
        width=width,
        height=height,
        source=TextSource.OCR,
        rotation=rotation,
        skew=round(skew, 2),
        languages=languages,
        words=out,
        blank=not out,
    )


def _image_pdf(gray: np.ndarray, dpi: int) -> bytes:
    """A one-page PDF of a page image without text (a blank page has none to add)."""
    out = io.BytesIO()
    Image.fromarray(gray).save(out, format="PDF", resolution=float(dpi), quality=PDF_IMAGE_QUALITY)
    return out.getvalue()
