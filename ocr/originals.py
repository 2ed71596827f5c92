"""The original of one document cut from a scanned stack: exactly its pages, without re-encoding anything.

A stack scanned as one file may hold a passport, a notice and a certificate. Each department may read only
some of those types, so each document gets an original of its own that holds nothing but its pages:

- a PDF: the page subset, copied with pikepdf (page objects, their content streams and images are copied as
  they are, never rendered or recompressed), saved deterministically so the same pages give the same bytes
  (the original is content-addressed: a re-run stores nothing new);
- a TIFF: its frames, pixels and resolution unchanged (re-packed losslessly; JPEG-compressed frames are
  stored with Deflate, never JPEG-compressed a second time);
- a single image (PNG, JPEG): the file itself.

A document that holds every page of its scan keeps the scan's exact bytes.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence

import pikepdf
from PIL import Image

from ocr import sandbox, sniff
from schemas.errors import CorruptFile, InputRejected
from schemas.settings import OcrLimits

log = logging.getLogger(__name__)

# TIFF compressions Pillow writes losslessly; any other (JPEG, old-style JPEG, unknown) is written as Deflate.
_LOSSLESS_TIFF = frozenset({"raw", "tiff_lzw", "tiff_adobe_deflate", "tiff_deflate", "packbits", "group3", "group4"})


SCAN_TYPES = frozenset({sniff.PDF, sniff.TIFF, sniff.PNG, sniff.JPEG})


def own_original(
    data: bytes, media_type: str, pages: Sequence[int], page_count: int | None = None, limits: OcrLimits | None = None
) -> bytes | None:
    """`document_original` (in the parser sandbox), or None when the scan cannot be cut (not a scan type,
    damaged, over a limit): the caller then keeps the scan as the document's original, which only readers
    of the whole scan get."""
    if media_type not in SCAN_TYPES:
        return None
    if page_count and _whole_scan(pages, page_count):
        return data  # nothing to cut: not a round trip through the sandbox to be handed the same bytes
    try:
        cut: bytes = sandbox.call(
            "document_original", data, limits or OcrLimits(), media_type, tuple(pages), page_count
        )
        return cut
    except (InputRejected, ValueError) as exc:
        log.warning("pages %s cannot be cut out of the scan: %s", list(pages), exc)
        return None


def _whole_scan(pages: Sequence[int], count: int) -> bool:
    """Whether a document of these 1-based pages is every page of a scan of `count` pages, in order."""
    return tuple(pages) == tuple(range(1, count + 1))


def document_original(data: bytes, media_type: str, pages: Sequence[int], page_count: int | None = None) -> bytes:
    """The bytes of the document of 1-based `pages` of the scan `data` (`page_count` pages; counted if None)."""
    wanted = tuple(pages)
    count = page_count if page_count is not None else _page_count(data, media_type)
    if not wanted or any(not 1 <= p <= count for p in wanted):
        raise ValueError(f"pages {list(wanted)} are not pages of a scan of {count} page(s)")
    if _whole_scan(wanted, count):
        return data
    if media_type == sniff.PDF:
        return _pdf_pages(data, wanted)
    if media_type == sniff.TIFF:
        return _tiff_frames(data, wanted)
    return data  # a single image has one page, handled above


def _page_count(data: bytes, media_type: str) -> int:
    try:
        if media_type == sniff.PDF:
            with pikepdf.open(io.BytesIO(data)) as pdf:
                return len(pdf.pages)
        if media_type == sniff.TIFF:
            with Image.open(io.BytesIO(data)) as image:
                return int(getattr(image, "n_frames", 1))
    except (pikepdf.PdfError, OSError, ValueError, TypeError, SyntaxError) as exc:
        raise CorruptFile(f"the scan cannot be opened again ({exc})") from exc
    return 1


def _pdf_pages(data: bytes, pages: tuple[int, ...]) -> bytes:
    try:
        with pikepdf.open(io.BytesIO(data)) as source, pikepdf.new() as subset:
            for page in pages:
                subset.pages.append(source.pages[page - 1])
            out = io.BytesIO()
            # Streams are written exactly as they are stored (qpdf would otherwise decode ASCII85/LZW and
            # recompress), no generated /ID, no object streams: the same pages always give the same bytes.
            subset.save(
                out,
                deterministic_id=True,
                object_stream_mode=pikepdf.ObjectStreamMode.disable,
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
                compress_streams=False,
            )
    except (pikepdf.PdfError, IndexError, ValueError, TypeError, RuntimeError) as exc:
        raise CorruptFile(f"pages {list(pages)} cannot be copied out of the PDF ({exc}); export it again") from exc
    return out.getvalue()


def _tiff_frames(data: bytes, pages: tuple[int, ...]) -> bytes:
    frames: list[Image.Image] = []
    try:
        with Image.open(io.BytesIO(data)) as source:
            for page in pages:
                source.seek(page - 1)
                frame = source.copy()
                frame.load()
                frame.info.update(source.info)
                frames.append(frame)
        compression = str(frames[0].info.get("compression", "raw"))
        if compression not in _LOSSLESS_TIFF:
            compression = "tiff_adobe_deflate"
        if compression in ("group3", "group4") and any(f.mode != "1" for f in frames):
            compression = "tiff_adobe_deflate"
        out = io.BytesIO()
        first = frames[0]
        kwargs: dict[str, object] = {"compression": compression}
        if "dpi" in first.info:
            kwargs["dpi"] = first.info["dpi"]
        first.save(out, format="TIFF", save_all=True, append_images=frames[1:], **kwargs)
    except (OSError, ValueError, EOFError, TypeError, SyntaxError) as exc:
        raise CorruptFile(f"pages {list(pages)} cannot be copied out of the TIFF ({exc}); scan it again") from exc
    finally:
        for frame in frames:
            frame.close()
    return out.getvalue()
