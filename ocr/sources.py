"""Admit or reject an input file, and say what it holds: media type, page count, pages with a text layer.

Every check looks at content, never at the file name, and runs before anything expensive: the size limit,
the magic bytes, the pixel count from the image header (a 30,000 × 30,000 PNG is rejected without decoding
it), the PDF trailer (truncation), its encryption and its page count. Each failure is its own
`InputRejected` subclass with a message that says what to do.
"""

from __future__ import annotations

import functools
import io
import logging
import struct
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from hashlib import blake2b
from typing import ParamSpec, TypeVar

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
from PIL import Image, UnidentifiedImageError

from ocr import sniff
from schemas.errors import (
    CorruptFile,
    DachError,
    EmptyFile,
    EncryptedPdf,
    ExecutableFile,
    FileTooLarge,
    ImageTooLarge,
    ResourceLimit,
    TooManyPages,
    TruncatedPdf,
    UnsupportedFormat,
)
from schemas.settings import OcrLimits

log = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")


def decoder_boundary(what: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Turn whatever a decoder raises on hostile bytes into that file's error.

    pdfium, pdfminer, pikepdf and Pillow raise far more than their documented errors on damaged input
    (`TypeError: Missing dimensions` from a cut-off TIFF, `IndexError` from shifted xref offsets,
    `PdfiumError` from a page that fails to load, `MalformedPDFException` from a MediaBox of strings). Each of
    those is the file's fault, so it becomes `CorruptFile` naming the decoder's complaint; running out of
    memory or recursion depth is `ResourceLimit`. dach's own errors pass unchanged.
    """

    def wrap(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def contained(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return function(*args, **kwargs)
            except DachError:
                raise
            except (MemoryError, RecursionError) as exc:
                raise ResourceLimit(
                    f"{what} needs more memory or nesting than a scan may ({type(exc).__name__}); it may be "
                    "crafted to exhaust the server. Print it to PDF again or scan the paper"
                ) from exc
            except Exception as exc:
                raise CorruptFile(
                    f"{what} is damaged and cannot be read ({type(exc).__name__}: {str(exc)[:200]}); "
                    "export or scan it again"
                ) from exc

        return contained

    return wrap


# pdfium is not thread-safe: every call into it (here and in ocr.pages) holds this lock.
PDFIUM_LOCK = threading.Lock()

# A page counts as born-digital when it carries at least this many visible letters. Digits do not count:
# a page whose text is drawn as images or outlines (Arabic script a PDF writer could not shape) may carry
# only its dates and numbers as text, and must be read from its image.
MIN_TEXT_CHARS = 16
_INVISIBLE = 3  # PDF text render mode "neither fill nor stroke": the hidden layer of OCRed scans
_RENDER_MODE_SAMPLE = 200


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """What an admitted input holds."""

    media_type: str
    page_count: int
    text_layer_pages: frozenset[int]  # 1-based pages of a PDF that carry real (visible) text


def inspect_source(data: bytes, limits: OcrLimits) -> SourceInfo:
    """Admit `data` or raise the `InputRejected` subclass that names what is wrong with it.

    The parsing runs in a sandboxed worker process (`ocr.sandbox`): a file that needs more memory, CPU or
    time than `limits` allow is rejected with `ResourceLimit`, and the calling process is unharmed."""
    from ocr import sandbox

    info: SourceInfo = sandbox.call("inspect", data, limits, limits)
    return info


@decoder_boundary("the file")
def inspect_here(data: bytes, limits: OcrLimits) -> SourceInfo:
    """`inspect_source` in this process (what the sandbox worker runs)."""
    if not data:
        raise EmptyFile("the file is empty (0 bytes); the upload or scan was interrupted — scan or upload it again")
    if len(data) > limits.max_file_bytes:
        raise FileTooLarge(
            f"the file has {len(data) / 1_048_576:.1f} MiB, more than the limit of "
            f"{limits.max_file_bytes / 1_048_576:.0f} MiB; split it or scan at a lower resolution "
            "(or raise DACH_LIMITS__MAX_FILE_BYTES)"
        )
    head = data[:1024]
    program = sniff.executable_kind(head)
    if program is not None:
        raise ExecutableFile(
            f"the file is {program}, not a scan, whatever its name says; it was not opened. "
            f"Upload the document as {sniff.ACCEPTED}"
        )
    kind = sniff.media_type(head)
    if kind is None:
        raise UnsupportedFormat(
            f"the file is {sniff.describe_unknown(head)}, which dach does not read; "
            f"save or scan it as {sniff.ACCEPTED} and upload that"
        )
    if kind == sniff.PDF:
        return _inspect_pdf(data, limits)
    return _inspect_image(data, kind, limits)


_cache: dict[bytes, SourceInfo] = {}
_cache_lock = threading.Lock()


def inspect_source_cached(data: bytes, limits: OcrLimits) -> SourceInfo:
    """`inspect_source`, remembered for the last few files (per-page readers ask once per page)."""
    key = blake2b(data, digest_size=16).digest() + repr(limits.model_dump()).encode()
    with _cache_lock:
        found = _cache.get(key)
    if found is not None:
        return found
    info = inspect_source(data, limits)
    with _cache_lock:
        if len(_cache) >= 16:
            _cache.pop(next(iter(_cache)))
        _cache[key] = info
    return info


# --- images --------------------------------------------------------------------------------------------


def check_pixels(width: int, height: int, limits: OcrLimits, what: str = "the image") -> None:
    if width * height > limits.max_pixels:
        raise ImageTooLarge(
            f"{what} is {width} × {height} pixels ({width * height / 1e6:.0f} megapixels), more than "
            f"the limit of {limits.max_pixels / 1e6:.0f} megapixels; it may be a decompression bomb. "
            "Scan at 300 dpi (or raise DACH_LIMITS__MAX_PIXELS)"
        )


def open_image(data: bytes, limits: OcrLimits) -> Image.Image:
    """Open an image lazily (header only) with Pillow's bomb guard set to our limit."""
    Image.MAX_IMAGE_PIXELS = limits.max_pixels
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageTooLarge(
            f"the image has more than {limits.max_pixels / 1e6:.0f} megapixels and may be a decompression "
            "bomb; scan at 300 dpi (or raise DACH_LIMITS__MAX_PIXELS)"
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, struct.error) as exc:
        raise CorruptFile(
            f"the image cannot be read ({exc}); it is damaged or incomplete — scan or export it again"
        ) from exc


# A camera writes a handful of metadata segments (EXIF, XMP, ICC: 2-10) before the image; thousands of them make
# every decoder walk megabytes of metadata first (a 65 MB JPEG of 1,000 APP1 segments took 74 s).
MAX_JPEG_METADATA_SEGMENTS = 64
MAX_JPEG_METADATA_BYTES = 16 * 1_048_576


def check_jpeg_metadata(data: bytes) -> None:
    """Count the JPEG's metadata segments up to the image data without decoding anything."""
    index, segments, total = 2, 0, 0
    while index + 4 <= len(data) and data[index] == 0xFF:
        marker = data[index + 1]
        if marker == 0xFF:  # fill byte
            index += 1
            continue
        if marker == 0xDA or 0xD0 <= marker <= 0xD9:  # start of scan (image data), or a marker without length
            break
        length = struct.unpack(">H", data[index + 2 : index + 4])[0]
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:  # APPn and comments
            segments += 1
            total += length
            if segments > MAX_JPEG_METADATA_SEGMENTS or total > MAX_JPEG_METADATA_BYTES:
                raise ResourceLimit(
                    f"the JPEG carries more than {MAX_JPEG_METADATA_SEGMENTS} metadata segments or "
                    f"{MAX_JPEG_METADATA_BYTES // 1_048_576} MiB of metadata before its image; a camera or scanner "
                    "writes a few. Save the picture again (or scan the paper) and upload that"
                )
        index += 2 + length


def _inspect_image(data: bytes, kind: str, limits: OcrLimits) -> SourceInfo:
    if kind == sniff.JPEG:
        check_jpeg_metadata(data)
    if kind == sniff.PNG and len(data) >= 24 and data[12:16] == b"IHDR":
        # Read the size straight from the header: nothing is decoded before the pixel limit is checked.
        width, height = struct.unpack(">II", data[16:24])
        check_pixels(width, height, limits)
    image = open_image(data, limits)
    check_pixels(image.width, image.height, limits)
    pages = 1
    if kind == sniff.TIFF:
        try:
            pages = int(getattr(image, "n_frames", 1))
        except (OSError, ValueError, TypeError, EOFError, struct.error) as exc:
            raise CorruptFile(f"the TIFF file is damaged ({exc}); scan or export it again") from exc
    if pages > limits.max_pages:
        raise _too_many(pages, limits)
    return SourceInfo(media_type=kind, page_count=pages, text_layer_pages=frozenset())


# --- PDF -----------------------------------------------------------------------------------------------


def _too_many(pages: int, limits: OcrLimits) -> TooManyPages:
    return TooManyPages(
        f"the file has {pages} pages, more than the limit of {limits.max_pages}; split it into smaller files "
        "(or raise DACH_LIMITS__MAX_PAGES)"
    )


def _inspect_pdf(data: bytes, limits: OcrLimits) -> SourceInfo:
    # A complete PDF ends with %%EOF (allowing for a little trailing junk); a cut-off upload does not, and
    # qpdf would otherwise silently "repair" it into fewer pages.
    if b"%%EOF" not in data[-1024:]:
        raise TruncatedPdf(
            "the PDF is incomplete (it stops before its end marker); the upload or scan was interrupted — "
            "upload the complete file again"
        )
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            page_count = len(pdf.pages)
    except pikepdf.PasswordError as exc:
        raise EncryptedPdf(
            "the PDF is protected by a password; open it, save or print it without the password, and upload that"
        ) from exc
    except pikepdf.PdfError as exc:
        raise CorruptFile(f"the PDF is damaged and cannot be read ({exc}); export or scan it again") from exc
    if page_count == 0:
        raise CorruptFile("the PDF has no pages; export or scan it again")
    if page_count > limits.max_pages:
        raise _too_many(page_count, limits)
    return SourceInfo(media_type=sniff.PDF, page_count=page_count, text_layer_pages=_text_layer_pages(data))


def _text_layer_pages(data: bytes) -> frozenset[int]:
    found: set[int] = set()
    with PDFIUM_LOCK:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise CorruptFile(f"the PDF cannot be opened ({exc}); export or scan it again") from exc
        try:
            for index in range(len(document)):
                try:
                    page = document[index]
                except pdfium.PdfiumError as exc:
                    raise CorruptFile(
                        f"page {index + 1} of the PDF cannot be loaded ({exc}); export or scan it again"
                    ) from exc
                textpage = page.get_textpage()
                try:
                    if _has_visible_text(textpage):
                        found.add(index + 1)
                finally:
                    textpage.close()
                    page.close()
        finally:
            document.close()
    return frozenset(found)


def _has_visible_text(textpage: pdfium.PdfTextPage) -> bool:
    count = textpage.count_chars()
    if count < MIN_TEXT_CHARS:
        return False
    text = textpage.get_text_range()
    if sum(1 for ch in text if ch.isalpha()) < MIN_TEXT_CHARS:
        return False
    # OCRed scans carry an invisible text layer over the image; that text is not "real": read the image.
    step = max(1, count // _RENDER_MODE_SAMPLE)
    visible = total = 0
    for index in range(0, count, step):
        obj = pdfium_raw.FPDFText_GetTextObject(textpage, index)
        if not obj:
            continue
        total += 1
        if pdfium_raw.FPDFTextObj_GetTextRenderMode(obj) != _INVISIBLE:
            visible += 1
    return total == 0 or visible * 2 > total
