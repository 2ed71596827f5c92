"""The searchable PDF rendition of a file: the one-page PDFs of its pages (tesseract's, or pages copied
from a born-digital original) put together in order, and taken apart again when pages move between documents."""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence

import pikepdf

from schemas.errors import CorruptFile

log = logging.getLogger(__name__)


def merge_pages(pdfs: Sequence[bytes]) -> bytes:
    """One PDF holding every page of `pdfs`, in order."""
    if not pdfs:
        raise ValueError("merge_pages needs at least one page")
    opened: list[pikepdf.Pdf] = []
    try:
        with pikepdf.new() as merged:
            for index, part in enumerate(pdfs, start=1):
                try:
                    source = pikepdf.open(io.BytesIO(part))
                except pikepdf.PdfError as exc:
                    raise CorruptFile(f"the PDF of page {index} cannot be read ({exc}); read the page again") from exc
                opened.append(source)
                merged.pages.extend(source.pages)
            out = io.BytesIO()
            merged.save(out)
    finally:
        for source in opened:
            source.close()
    return out.getvalue()


def single_pages(pdf: bytes) -> list[bytes]:
    """Each page of `pdf` as a one-page PDF, in order (to put a document's pages together anew)."""
    try:
        source = pikepdf.open(io.BytesIO(pdf))
    except pikepdf.PdfError as exc:
        raise CorruptFile(f"the stored searchable PDF cannot be read ({exc}); run intake on the scan again") from exc
    out: list[bytes] = []
    with source:
        for page in source.pages:
            with pikepdf.new() as single:
                single.pages.append(page)
                buffer = io.BytesIO()
                single.save(buffer)
                out.append(buffer.getvalue())
    return out


def page_with_text(image_pdf: bytes, text_pdf: bytes, *, left: float, bottom: float, right: float, top: float) -> bytes:
    """A one-page PDF: the page image of `image_pdf` with the invisible text of `text_pdf` (tesseract's
    text-only PDF of a part of that page) laid over it at the rectangle given in PDF points from the lower
    left corner. A card read from its box on an A4 scan keeps the whole sheet in its searchable PDF."""
    try:
        with pikepdf.open(io.BytesIO(image_pdf)) as page, pikepdf.open(io.BytesIO(text_pdf)) as text:
            page.pages[0].add_overlay(text.pages[0], pikepdf.Rectangle(left, bottom, right, top))
            out = io.BytesIO()
            page.save(out)
    except pikepdf.PdfError as exc:
        raise CorruptFile(
            f"the searchable PDF of a page could not be put together ({exc}); read the page again"
        ) from exc
    return out.getvalue()
