"""Page images for the browser: thumbnails and the review view, rendered from the stored files.

Field boxes (`BBox`) are fractions of the page image OCR read, which is the page of the searchable PDF
(tesseract wrote it from the turned, deskewed image). So pages are rendered from the searchable PDF first;
without one, from the original (a PDF page, an image or a TIFF frame). Rendered PNGs are kept in a small
in-memory cache keyed by object key, page and width: objects are content-addressed and never change.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict

import pypdfium2 as pdfium
from PIL import Image

from ocr.sources import PDFIUM_LOCK
from schemas.errors import NotFound
from schemas.record import DocumentView
from web.archive import ArchivePort

MAX_WIDTH = 1400
_CACHE_SIZE = 256
_cache: OrderedDict[tuple[str, int, int], bytes] = OrderedDict()
_cache_lock = threading.Lock()


def _file_key(view: DocumentView, kind: str) -> str | None:
    return next((f.key for f in view.files if f.kind == kind), None)


def page_png(archive: ArchivePort, view: DocumentView, page: int, width: int) -> bytes:
    """PNG of the document's `page` (a source page number from `view.pages`) scaled to `width` pixels."""
    if page not in view.pages:
        raise NotFound(f"document {view.id} has no page {page}; its pages are {list(view.pages)}")
    width = max(64, min(width, MAX_WIDTH))
    pdf_key = _file_key(view, "searchable_pdf")
    if pdf_key is not None:
        key, index = pdf_key, view.pages.index(page)
    else:
        original = _file_key(view, "original")
        if original is None:
            raise NotFound(f"document {view.id} has no stored file to show")
        # The document's own original holds its pages only; one filed as the whole scan holds them all.
        index = page - 1 if original == _file_key(view, "scan") else view.pages.index(page)
        key = original
    cache_key = (key, index, width)
    with _cache_lock:
        if cache_key in _cache:
            _cache.move_to_end(cache_key)
            return _cache[cache_key]
    png = render_png(archive.get_object(key), index, width)
    with _cache_lock:
        _cache[cache_key] = png
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return png


def render_png(data: bytes, index: int, width: int) -> bytes:
    """Page `index` (0-based) of a PDF, TIFF or image as a PNG `width` pixels wide."""
    if data.startswith(b"%PDF"):
        with PDFIUM_LOCK:
            document = pdfium.PdfDocument(data)
            try:
                if index >= len(document):
                    raise NotFound(f"the stored PDF has no page {index + 1}")
                page = document[index]
                scale = width / page.get_width()
                image = page.render(scale=scale).to_pil()
            finally:
                document.close()
    else:
        with Image.open(io.BytesIO(data)) as source:
            source.seek(min(index, getattr(source, "n_frames", 1) - 1))
            image = source.convert("RGB")
        image.thumbnail((width, width * 3))
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG", optimize=False)
    return out.getvalue()
