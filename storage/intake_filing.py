"""Filing what the intake flow read from one original: each document as it is settled, and anew when the
whole stack puts pages filed early together differently (a separator sheet came later).

Plain functions over the `Archive` facade, so the flow stays a list of steps: `file_read_document` files one
document with its renditions (idempotent: the same pages of the same original twice are one document),
`refile_early` moves the pages of early filings into the documents of the whole file as new versions
(`Archive.restructure`), and `correction_item` flags an early filing that could not be moved.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from classifiers import FileAnalysis
from classifiers.settling import keeps
from ocr.originals import own_original
from schemas.documents import ErrorInfo, ExtractedDocument
from schemas.errors import AccessDenied, InvalidRequest, NotFound
from schemas.intake import IntakeClaim, IntakeItem, IntakeStatus, ReadPage
from schemas.record import Actor, CaptureInfo, DocumentLayout, FilingRequest, RestructureRequest
from storage.renditions import store_renditions

if TYPE_CHECKING:
    from storage.archive import Archive

log = logging.getLogger(__name__)


def _own_original(archive: Archive, claim: IntakeClaim, document: ExtractedDocument) -> str | None:
    """The document's own original: exactly its pages of the scan (None: it holds every page, the scan is its
    original). A department that may read this document but not the others of the stack downloads this."""
    cut = own_original(archive.get_object(claim.object_key), claim.media_type, document.pages, claim.page_count)
    return archive.put_original(cut) if cut is not None else None


REFILE_REASON = "the whole stack puts these pages together differently from while it was read (separator sheet)"


def file_read_document(
    archive: Archive, claim: IntakeClaim, document: ExtractedDocument, pages: Sequence[ReadPage], actor: Actor
) -> IntakeItem:
    """File one document of the original into its person's record, with its OCR text and searchable PDF."""
    own, text_key, pdf_key = store_renditions(archive, document, pages)
    request = FilingRequest(
        original_key=claim.object_key,
        original_filename=claim.original_name[:255],
        media_type=claim.media_type,
        document_original_key=_own_original(archive, claim, document),
        document=document,
        pages=own,
        text_key=text_key,
        searchable_pdf_key=pdf_key,
        batch_id=claim.batch_id,
        # For the scan evidence (Transfervermerk): how the scan came in and with which settings it was read.
        capture=CaptureInfo(
            channel=claim.channel,
            device=claim.uploader.name,
            pages_in=claim.page_count or len(pages),
            settings={"languages": archive.settings.languages, "pdf_dpi": str(archive.settings.limits.pdf_dpi)},
        ),
    )
    outcome = archive.file_document(request, actor)
    return IntakeItem(
        file=claim.original_name,
        status=IntakeStatus(outcome.status),
        document_id=outcome.document_id,
        type=document.type,
        pages=document.pages,
        person_id=outcome.person_id,
        review_notes=document.notes,
    )


def refile_early(
    archive: Archive,
    claim: IntakeClaim,
    early: Sequence[tuple[ExtractedDocument, IntakeItem]],
    documents: Sequence[ExtractedDocument],
    pages: Sequence[ReadPage],
    actor: Actor,
) -> list[IntakeItem]:
    """Documents filed while the stack was read that more of the stack puts together differently: their
    pages go into `documents`, as new versions, and an early document left without pages is withdrawn.
    Empty if that cannot be done (someone changed them meanwhile): the caller then flags them."""
    layouts: list[DocumentLayout] = []
    used: set[str] = set()
    filed = [(doc, str(item.document_id)) for doc, item in early if item.document_id]
    for doc in documents:
        kept = keeps(doc, filed, used)
        used |= {kept} if kept else set()
        own, text_key, pdf_key = store_renditions(archive, doc, pages)
        layouts.append(
            DocumentLayout(
                document_id=kept,
                document=doc,
                pages=own,
                text_key=text_key,
                searchable_pdf_key=pdf_key,
                original_key=_own_original(archive, claim, doc),
            )
        )
    if not layouts:  # the whole file drops every page filed early: nothing to put them into
        return []
    request = RestructureRequest(
        original_key=claim.object_key,
        expected_pages={str(item.document_id): doc.pages for doc, item in early},
        layouts=tuple(layouts),
        reason=REFILE_REASON,
        batch_id=claim.batch_id,
    )
    try:
        outcome = archive.restructure(request, actor)
    except (InvalidRequest, AccessDenied, NotFound) as exc:
        log.warning("%s: the documents filed early could not be put together anew: %s", claim.sha256[:12], exc)
        return []
    return [
        IntakeItem(
            file=claim.original_name,
            status=IntakeStatus(d.status),
            document_id=d.document_id,
            type=d.type,
            pages=d.pages,
            person_id=d.person_id,
            review_notes=d.notes,
        )
        for d in outcome.documents
    ]


def correction_item(item: IntakeItem, final: FileAnalysis) -> IntakeItem:
    """An early filing the whole file does not confirm and that could not be filed anew: a clerk checks it."""
    pages = ", ".join(f"{d.pages[0]}-{d.pages[-1]}" for d in final.documents if set(d.pages) & set(item.pages))
    note = (
        f"filed while the stack was still being read; the whole stack puts pages {pages} together differently "
        "(a separator sheet came later): please check this document and withdraw it if it is a duplicate"
    )
    log.warning(
        "document %s (pages %s) was filed early and is not confirmed by the whole file", item.document_id, item.pages
    )
    return item.model_copy(update={"status": IntakeStatus.NEEDS_REVIEW, "review_notes": (*item.review_notes, note)})


def quarantine_unreadable(archive: Archive, claim: IntakeClaim, error: ErrorInfo) -> IntakeItem:
    """A page dach cannot read: the file is set aside with the reason (what was filed early stays filed)."""
    qid = archive.quarantine(archive.get_object(claim.object_key), claim.original_name, error, claim.batch_id)
    return IntakeItem(file=claim.original_name, status=IntakeStatus.QUARANTINED, quarantine_id=qid, error=error)
