"""Turn one page of an admitted file into what the reader needs: a gray page image, or text-layer words.

Images (PNG, JPEG, every frame of a TIFF) are decoded as 8-bit gray; scanned PDF pages are rendered with
pdfium at the configured resolution; born-digital PDF pages are not rendered at all, their words and
positions come from the text layer through pdfplumber.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import pdfplumber
import pikepdf
import pypdfium2 as pdfium
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from ocr import sandbox, sniff
from ocr.sources import PDFIUM_LOCK, SourceInfo, check_pixels, decoder_boundary, open_image
from schemas.documents import BBox, PageText, TextSource, Word
from schemas.errors import CorruptFile
from schemas.settings import OcrLimits

log = logging.getLogger(__name__)

DEFAULT_DPI = 300


@dataclass(frozen=True, slots=True)
class PageImage:
    """A page as 8-bit gray pixels and the resolution they were scanned or rendered at."""

    gray: np.ndarray
    dpi: int


def check_page_number(info: SourceInfo, page: int) -> None:
    if not 1 <= page <= info.page_count:
        raise ValueError(f"page {page} does not exist; the file has {info.page_count} page(s)")


def page_image(data: bytes, info: SourceInfo, page: int, limits: OcrLimits) -> PageImage:
    """Pixels of 1-based `page`: decoded from an image file or rendered from a PDF (in the sandbox)."""
    image: PageImage = sandbox.call("page_image", data, limits, info, page, limits)
    return image


def text_layer_page(data: bytes, page: int, limits: OcrLimits) -> PageText:
    """Words and positions of a born-digital PDF page (in the sandbox; see `text_layer_page_here`)."""
    text: PageText = sandbox.call("text_layer", data, limits, page)
    return text


def extract_pdf_page(data: bytes, page: int, limits: OcrLimits) -> bytes:
    """One page of a PDF as a PDF of its own (in the sandbox; see `extract_pdf_page_here`)."""
    single: bytes = sandbox.call("pdf_page", data, limits, page)
    return single


@decoder_boundary("the page")
def page_image_here(data: bytes, info: SourceInfo, page: int, limits: OcrLimits) -> PageImage:
    """Pixels of 1-based `page`: decoded from an image file or rendered from a PDF."""
    check_page_number(info, page)
    if info.media_type == sniff.PDF:
        return _render_pdf_page(data, page, limits)
    if info.media_type == sniff.TIFF:
        return _tiff_frame(data, page, limits)
    return _decode_image(data, limits)


def _image_dpi(info: Mapping[Any, Any]) -> int:
    dpi = info.get("dpi")
    if isinstance(dpi, tuple) and dpi and isinstance(dpi[0], int | float) and 70 <= float(dpi[0]) <= 1200:
        return round(float(dpi[0]))
    return DEFAULT_DPI


def _decode_image(data: bytes, limits: OcrLimits) -> PageImage:
    header = open_image(data, limits)  # lazy: header only, bomb guard set
    check_pixels(header.width, header.height, limits)
    # OpenCV decodes PNG/JPEG faster than Pillow and applies the EXIF orientation of phone photos.
    gray = cv2.imdecode(np.frombuffer(data, dtype=np.uint8), cv2.IMREAD_GRAYSCALE)
    if gray is None or gray.size == 0:
        raise CorruptFile("the image is damaged and cannot be decoded; scan or export it again")
    return PageImage(gray=gray, dpi=_image_dpi(header.info))


def _tiff_frame(data: bytes, page: int, limits: OcrLimits) -> PageImage:
    image = open_image(data, limits)
    try:
        image.seek(page - 1)
        check_pixels(image.width, image.height, limits, what=f"page {page} of the TIFF")
        gray = np.asarray(image.convert("L"))
    except (OSError, ValueError, EOFError) as exc:
        raise CorruptFile(f"page {page} of the TIFF file is damaged ({exc}); scan or export it again") from exc
    return PageImage(gray=np.ascontiguousarray(gray), dpi=_image_dpi(image.info))


def _render_pdf_page(data: bytes, page: int, limits: OcrLimits) -> PageImage:
    scale = limits.pdf_dpi / 72.0
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise CorruptFile(f"the PDF cannot be opened ({exc}); export or scan it again") from exc
        try:
            pdf_page = document[page - 1]
            width, height = pdf_page.get_size()
            check_pixels(
                round(width * scale),
                round(height * scale),
                limits,
                what=f"page {page} at {limits.pdf_dpi} dpi",
            )
            bitmap = pdf_page.render(scale=scale, grayscale=True)
            pixels = bitmap.to_numpy()
            gray = np.array(pixels[:, :, 0] if pixels.ndim == 3 else pixels, dtype=np.uint8)  # copy out of pdfium
            bitmap.close()
            pdf_page.close()
        except pdfium.PdfiumError as exc:
            raise CorruptFile(f"page {page} of the PDF cannot be rendered ({exc}); export or scan it again") from exc
        finally:
            document.close()
    return PageImage(gray=gray, dpi=limits.pdf_dpi)


# --- born-digital pages -----------------------------------------------------------------------------------

_LINE_TOLERANCE = 3.0  # points: words whose tops differ less are on one line


@decoder_boundary("the text layer of the page")
def text_layer_page_here(data: bytes, page: int) -> PageText:
    """Words and positions of a born-digital PDF page, boxes as fractions of the page (no OCR)."""
    try:
        with pdfplumber.open(io.BytesIO(data), pages=[page]) as pdf:
            if not pdf.pages:  # pdfium found the page (xref repaired), pdfminer does not
                raise CorruptFile(f"page {page} of the PDF cannot be found by its text reader; export the PDF again")
            plumber_page = pdf.pages[0]
            width, height = float(plumber_page.width), float(plumber_page.height)
            raw_words = plumber_page.extract_words(keep_blank_chars=False, use_text_flow=False)
    except (PDFSyntaxError, PdfminerException) as exc:
        raise CorruptFile(f"the text of page {page} cannot be read ({exc}); export the PDF again") from exc
    words: list[Word] = []
    line, last_top = 0, None
    for raw in raw_words:
        top = float(raw["top"])
        if float(raw["x0"]) >= width or float(raw["x1"]) <= 0 or top >= height or float(raw["bottom"]) <= 0:
            continue  # drawn off the page: nobody can see it, so it is not the page's text
        if last_top is not None and abs(top - last_top) > _LINE_TOLERANCE:
            line += 1
        last_top = top
        bbox = BBox.from_pixels(float(raw["x0"]), top, float(raw["x1"]), float(raw["bottom"]), width, height)
        words.append(Word(text=str(raw["text"]), bbox=bbox, confidence=1.0, block=0, line=line))
    return PageText(
        page=page,
        width=max(1, round(width)),
        height=max(1, round(height)),
        source=TextSource.TEXT_LAYER,
        words=tuple(words),
        blank=not words,
    )


@decoder_boundary("the PDF page")
def extract_pdf_page_here(data: bytes, page: int) -> bytes:
    """One page of a PDF as a PDF of its own, unchanged (the rendition of a born-digital page)."""
    try:
        with pikepdf.open(io.BytesIO(data)) as source, pikepdf.new() as single:
            single.pages.append(source.pages[page - 1])
            out = io.BytesIO()
            single.save(out)
    except pikepdf.PdfError as exc:
        raise CorruptFile(f"page {page} cannot be copied out of the PDF ({exc}); export it again") from exc
    return out.getvalue()
