"""What is stored beside an original for each document made of it: its pages' OCR text and searchable PDF.

Shared by the intake flow (documents filed from a scan) and by moving pages between documents (the parts
are read again from the stored text, and their PDFs put together from the stored PDF pages).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from pydantic import TypeAdapter

from ocr.rendition import merge_pages
from schemas.documents import ExtractedDocument, PageText
from schemas.intake import ReadPage

_PAGE_LIST = TypeAdapter(list[PageText])


def page_texts_json(pages: Sequence[PageText]) -> bytes:
    """The OCR text of a document's pages as stored beside it (the `ocr_text` file)."""
    return ("[" + ",".join(p.model_dump_json() for p in pages) + "]").encode()


def page_texts_of(data: bytes) -> list[PageText]:
    return _PAGE_LIST.validate_json(data)


class ObjectPort(Protocol):
    def get_object(self, key: str) -> bytes: ...

    def put_derived(self, data: bytes, media_type: str) -> str: ...


def store_renditions(
    objects: ObjectPort, document: ExtractedDocument, pages: Sequence[ReadPage]
) -> tuple[tuple[PageText, ...], str, str | None]:
    """The document's own pages, and its OCR text and searchable PDF stored beside the original."""
    own = [p for p in pages if p.text.page in document.pages]
    text_key = objects.put_derived(page_texts_json([p.text for p in own]), "application/json")
    pdf_pages = [objects.get_object(p.pdf_key) for p in own if p.pdf_key]
    pdf_key = objects.put_derived(merge_pages(pdf_pages), "application/pdf") if pdf_pages else None
    return tuple(p.text for p in own), text_key, pdf_key
