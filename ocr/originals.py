"""The original of one document cut from a scanned stack: exactly its pages, without re-encoding anything.

A stack scanned as one file may hold a passport, a notice and a certificate. Each department may read only
some of those types, so each document gets an original of its own that holds nothing but its pages:

- a PDF: the page subset, copied with pikepdf (page objects, their content streams and images are copied as
  they are, never rendered or recompressed), saved deterministically so the same pages give the same bytes
  (the original is content-addressed: a re-run stores nothing new);
- a TIFF: its frames' strips copied byte for byte under their own tags (nothing decoded: a page of a 10-page
  scan cost ~0.03 CPU-s to decode and compress again, each document); a frame with tags that point elsewhere
  in the file (EXIF, sub-images, tiles, old-style JPEG) or with JPEG strips is re-packed losslessly instead,
  its pixels and resolution unchanged (JPEG-compressed frames stored with Deflate, never JPEG-compressed a
  second time);
- a single image (PNG, JPEG): the file itself.

A document that holds every page of its scan keeps the scan's exact bytes.
"""

from __future__ import annotations

import io
import logging
import struct
from collections.abc import Sequence

import pikepdf
from PIL import Image, TiffImagePlugin, TiffTags

from ocr import sandbox, sniff
from schemas.errors import CorruptFile, InputRejected
from schemas.settings import OcrLimits

log = logging.getLogger(__name__)

# TIFF compressions Pillow writes losslessly; any other (JPEG, old-style JPEG, unknown) is written as Deflate.
_LOSSLESS_TIFF = frozenset({"raw", "tiff_lzw", "tiff_adobe_deflate", "tiff_deflate", "packbits", "group3", "group4"})


# TIFF compressions whose strips are copied as they are: strips that stand alone (no JPEG tables shared with
# the rest of the file).
_COPIED_COMPRESSIONS = frozenset({1, 2, 3, 4, 5, 8, 32773, 32946})
# Tags whose values are the frame's own description, never an offset to elsewhere in the file: a frame carrying
# only these (and its strips) can be copied without being decoded. Any other tag sends it the re-packing way.
_COPIED_TAGS = frozenset(
    {
        254, 256, 257, 258, 259, 262, 263, 266, 269, 270, 271, 272, 273, 274, 277, 278, 279, 280, 281, 282, 283,
        284, 285, 286, 287, 290, 291, 292, 293, 296, 297, 305, 306, 315, 316, 317, 318, 319, 320, 338, 339, 700,
        33432, 34377, 34675,
    }
)  # fmt: skip
_STRIP_OFFSETS, _STRIP_BYTE_COUNTS, _COMPRESSION = 273, 279, 259
_CLASSIC_TIFF = (b"II*\0", b"MM\0*")  # 32-bit offsets (a BigTIFF, with 64-bit ones, is re-packed)

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
    try:
        copied = _copied_tiff_frames(data, pages)
    except (OSError, ValueError, EOFError, TypeError, SyntaxError, struct.error) as exc:
        raise CorruptFile(f"pages {list(pages)} cannot be copied out of the TIFF ({exc}); scan it again") from exc
    return copied if copied is not None else _repacked_tiff_frames(data, pages)


def _copied_tiff_frames(data: bytes, pages: tuple[int, ...]) -> bytes | None:
    """The frames of `pages` with their tags and strips copied byte for byte (in the scan's byte order), or
    None when a frame cannot be copied that way (a tag this copy does not know, JPEG strips, tiles)."""
    if data[:4] not in _CLASSIC_TIFF:
        return None
    directories: list[TiffImagePlugin.ImageFileDirectory_v2] = []
    strips: list[list[bytes]] = []
    with Image.open(io.BytesIO(data)) as source:
        if not isinstance(source, TiffImagePlugin.TiffImageFile):
            return None
        for page in pages:
            source.seek(page - 1)
            frame = _copied_frame(data, source.tag_v2)
            if frame is None:
                return None
            directories.append(frame[0])
            strips.append(frame[1])
    return _tiff_file(directories, strips)


def _copied_frame(
    data: bytes, tags: TiffImagePlugin.ImageFileDirectory_v2
) -> tuple[TiffImagePlugin.ImageFileDirectory_v2, list[bytes]] | None:
    """A frame's tags (strip offsets counted from the end of its directory) and its strips, or None."""
    if not set(tags.keys()) <= _COPIED_TAGS or tags.get(_COMPRESSION, 1) not in _COPIED_COMPRESSIONS:
        return None
    offsets, counts = tags.get(_STRIP_OFFSETS), tags.get(_STRIP_BYTE_COUNTS)
    if not isinstance(offsets, tuple) or not isinstance(counts, tuple) or len(offsets) != len(counts):
        return None
    if any(start < 0 or size < 0 or start + size > len(data) for start, size in zip(offsets, counts, strict=True)):
        raise ValueError("a strip lies beyond the end of the file")
    own = TiffImagePlugin.ImageFileDirectory_v2(prefix=tags.prefix)
    relative, position = [], 0
    for size in counts:
        relative.append(position)
        position += size
    for tag in tags:
        # the offsets are written as LONG: a frame copied into a larger file may outgrow a SHORT
        own.tagtype[tag] = TiffTags.LONG if tag == _STRIP_OFFSETS else tags.tagtype[tag]
        own[tag] = tuple(relative) if tag == _STRIP_OFFSETS else tags[tag]
    return own, [data[start : start + size] for start, size in zip(offsets, counts, strict=True)]


def _tiff_file(directories: Sequence[TiffImagePlugin.ImageFileDirectory_v2], strips: Sequence[list[bytes]]) -> bytes:
    """A TIFF of the given frames in order: each directory followed by its strips, chained by next-IFD offsets."""
    prefix = directories[0].prefix
    order = "<" if prefix == b"II" else ">"
    out = bytearray(prefix + struct.pack(order + "HL", 42, 8))
    previous_link = 4  # where the offset of the next directory is written
    for directory, frame_strips in zip(directories, strips, strict=True):
        start = len(out)
        struct.pack_into(order + "L", out, previous_link, start)
        out += directory.tobytes(start)  # strip offsets come out counted from the file's start
        previous_link = start + 2 + 12 * len(directory)
        for strip in frame_strips:
            out += strip
        if len(out) & 1:
            out += b"\0"  # directories start on a word boundary
    return bytes(out)


def _repacked_tiff_frames(data: bytes, pages: tuple[int, ...]) -> bytes:
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
