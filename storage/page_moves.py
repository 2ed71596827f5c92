"""Moving pages between documents on a person's word: split a document, merge two, move one page.

As the front desk would tell it: these pages belong to that document (or to a new one of their own); read
again what each document now is, keep what was corrected by hand, and file both as new versions. No page
is scanned or OCR'd again: the classifiers read the OCR text stored with each page, and each document's
searchable PDF is put together from the stored PDF pages. `storage.Archive.restructure` checks the rights,
keeps the hand-corrected fields, matches persons, and writes versions, search index and audit in one
transaction.

The intake flow uses the same storage operation when a separator sheet, found late in a stack, puts pages
together differently from what was filed while the stack was still being read
(`storage/intake_filing.py`). The web app and the API call `move_pages` directly: no flow module in between.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from classifiers import classify_document
from ocr import sniff
from ocr.originals import own_original
from ocr.rendition import merge_pages, single_pages
from schemas.documents import ExtractedDocument, PageText, fields_for
from schemas.errors import InvalidRequest
from schemas.record import Actor, DocumentLayout, DocumentView, RestructureOutcome, RestructureRequest
from storage.renditions import page_texts_json, page_texts_of

log = logging.getLogger(__name__)

NO_TEXT_NOTE = "no OCR text is stored for these pages: type and fields were kept as they were; please check"


class PageRecord(Protocol):
    """What moving pages needs of the record (`storage.Archive`, or the web app's port to it)."""

    def get_document(self, document_id: str, actor: Actor) -> DocumentView: ...

    def get_object(self, key: str) -> bytes: ...

    def put_derived(self, data: bytes, media_type: str) -> str: ...

    def authorise_page_move(self, document_ids: list[str], actor: Actor) -> None: ...

    def restructure(self, request: RestructureRequest, actor: Actor) -> RestructureOutcome: ...


def file_key(view: DocumentView, kind: str) -> str | None:
    return next((f.key for f in view.files if f.kind == kind), None)


@dataclass
class StoredPages:
    """What the stored files of the touched documents hold, per page of the original."""

    texts: dict[int, PageText] = field(default_factory=dict)
    pdfs: dict[int, bytes] = field(default_factory=dict)
    scan: bytes = b""
    scan_media_type: str = ""


def stored_pages(record: PageRecord, views: Sequence[DocumentView]) -> StoredPages:
    """The OCR text and the searchable-PDF page of every page of `views` (the reads were authorised by
    `get_document`, which gave the views)."""
    out = StoredPages()
    scan_key = file_key(views[0], "scan")
    if scan_key is not None:
        out.scan, out.scan_media_type = record.get_object(scan_key), views[0].media_type
    for view in views:
        text_key = file_key(view, "ocr_text")
        if text_key is not None:
            out.texts.update({p.page: p for p in page_texts_of(record.get_object(text_key)) if p.page in view.pages})
        pdf_key = file_key(view, "searchable_pdf")
        if pdf_key is not None:
            parts = single_pages(record.get_object(pdf_key))
            if len(parts) == len(view.pages):  # the PDF holds the document's pages in order
                out.pdfs.update(zip(view.pages, parts, strict=True))
    return out


def kept_as_it_was(pages: tuple[int, ...], keeps_id: str | None, views: Sequence[DocumentView]) -> ExtractedDocument:
    """Pages whose OCR text is not stored cannot be read again: they keep the type of the document the first
    page came from and the fields found on them, and a clerk is asked to check."""
    first = next(v for v in views if pages[0] in v.pages)
    owner = keeps_id or first.id
    fields = {
        name: f
        for view in views
        for name, f in view.fields.items()
        if name in fields_for(first.type) and (f.page in pages or (f.page is None and view.id == owner))
    }
    return ExtractedDocument(
        type=first.type,
        pages=pages,
        confidence=first.confidence,
        review=True,
        fields=fields,
        notes=(NO_TEXT_NOTE,),
    )


def layout_for(
    record: PageRecord,
    pages: tuple[int, ...],
    keeps_id: str | None,
    stored: StoredPages,
    views: Sequence[DocumentView],
    review_threshold: float,
) -> DocumentLayout:
    """One document after the move: read again from its pages' text, with its own OCR text and PDF stored."""
    texts = [stored.texts[p] for p in pages if p in stored.texts]
    if len(texts) == len(pages):
        document = classify_document(texts, review_threshold)
    else:
        document = kept_as_it_was(pages, keeps_id, views)
    text_key = record.put_derived(page_texts_json(texts), "application/json") if texts else None
    pdf_key = None
    if all(p in stored.pdfs for p in pages):
        pdf_key = record.put_derived(merge_pages([stored.pdfs[p] for p in pages]), "application/pdf")
    original_key = None
    if stored.scan:  # the document's own original: exactly its pages of the scan, cut anew
        media_type = stored.scan_media_type or sniff.media_type(stored.scan[:1024]) or ""
        cut = own_original(stored.scan, media_type, pages)
        original_key = record.put_derived(cut, media_type) if cut is not None else None
    return DocumentLayout(
        document_id=keeps_id,
        document=document,
        pages=tuple(texts),
        text_key=text_key,
        searchable_pdf_key=pdf_key,
        original_key=original_key,
    )


def move_pages(
    record: PageRecord,
    document_id: str,
    pages: Sequence[int],
    target_id: str | None,
    reason: str,
    actor: Actor,
    *,
    review_threshold: float,
) -> RestructureOutcome:
    """Move `pages` of a document into `target_id` (merge, or move one page), or into a new document of
    their own (split, when `target_id` is None). Both documents are read again and filed as new versions;
    a document left without pages is withdrawn."""
    source = record.get_document(document_id, actor)
    target = record.get_document(target_id, actor) if target_id else None
    record.authorise_page_move([v.id for v in (source, target) if v is not None], actor)
    reason = reason.strip()
    if not reason:
        raise InvalidRequest("moving pages needs a reason (e.g. 'two documents were scanned as one').")
    moved = set(pages)
    if not moved or not moved <= set(source.pages):
        raise InvalidRequest(f"choose pages of document {source.id}: it holds pages {list(source.pages)}.")
    if target is not None and target.id == source.id:
        raise InvalidRequest("the pages are in this document already; choose another document or a new one.")
    if target is None and moved == set(source.pages):
        raise InvalidRequest("moving every page into a new document changes nothing; leave at least one page.")
    original = file_key(source, "scan")
    if original is None or (target is not None and file_key(target, "scan") != original):
        raise InvalidRequest("pages move only between documents of the same scan.")
    views = [source] + ([target] if target is not None else [])
    stored = stored_pages(record, views)
    remaining = tuple(p for p in source.pages if p not in moved)
    receiving = tuple(sorted(moved | set(target.pages))) if target is not None else tuple(sorted(moved))
    layouts = []
    if remaining:
        layouts.append(layout_for(record, remaining, source.id, stored, views, review_threshold))
    layouts.append(layout_for(record, receiving, target.id if target else None, stored, views, review_threshold))
    request = RestructureRequest(
        original_key=original,
        expected_pages={v.id: v.pages for v in views},
        layouts=tuple(layouts),
        reason=reason[:500],
    )
    outcome = record.restructure(request, actor)
    log.info("%s moved pages %s of %s to %s", actor.name, sorted(moved), source.id, target.id if target else "new")
    return outcome
