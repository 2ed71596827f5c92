"""Moving pages between the documents of one scanned original: split, merge, or one page moved.

A stack from the front desk can be split wrongly: two documents glued together, or one torn in two. The
pages are read again elsewhere (`storage/page_moves.py` runs the classifiers); this module writes the result
into the record, inside the caller's transaction, and nothing is overwritten:

- every touched document that keeps pages gets a new version with its type, pages and fields; its old OCR
  text and searchable PDF stay linked, marked as superseded from that version on;
- a document made of pages of others is created with the same original, filer and batch;
- a document left without pages is withdrawn: status `withdrawn`, its versions kept, a last version that
  says where its pages went, out of the record's listing and the search.

Rules that hold whoever calls: pages move only within one original; no page is dropped; afterwards no two
live documents of the original share a page; a field a clerk corrected by hand (source `clerk`) goes with
its page (or stays with its document if it has none) and wins over what the classifiers found, and one
that no longer fits the document's type is named in a note and the document awaits review; a document in a
person's record keeps that person, a new one is matched as at intake. The request names the pages it was
planned from: if someone moved pages meanwhile, it fails with `Conflict`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from schemas.documents import DocumentType, ExtractedDocument, ExtractedField, TextSource, fields_for
from schemas.errors import Conflict, InvalidRequest, NotFound
from schemas.record import (
    Actor,
    DocumentLayout,
    RestructuredDocument,
    RestructureOutcome,
    RestructureRequest,
)
from storage import audit, events, filing, persons, search
from storage.models import (
    AuditHead,
    Document,
    DocumentVersion,
    PersonClaimRow,
    Record,
    page_range_of,
    withdrawn_page_range,
)
from storage.policy import Policy

log = logging.getLogger(__name__)

GONE = ("withdrawn", "deleted")


def may_restructure(policy: Policy, actor: Actor, doc: Document, batch_id: str | None) -> bool:
    """The policy's page-move right, or intake re-filing what it filed itself in the batch it is still
    reading, before anyone else touched it (a separator sheet found late, see `storage/intake_filing.py`)."""
    doc_type = DocumentType(doc.type)
    if policy.can_move_pages(actor, doc_type, filed_by_user_id=doc.filed_by_user_id, status=doc.status):
        return True
    return (
        batch_id is not None
        and policy.can_file(actor)
        and doc.batch_id == batch_id
        and doc.filed_by == actor.name
        and doc.filed_by_user_id == actor.user_id
        and doc.current_version == 1
    )


def authorise(session: Session, policy: Policy, document_ids: list[str], actor: Actor) -> bool:
    """Whether the actor may move pages of these documents (asked before the pages are read again);
    False with an audited denial per document it may not."""
    docs = [session.get(Document, doc_id) for doc_id in document_ids]
    denied = [d for d in docs if d is not None and not may_restructure(policy, actor, d, None)]
    for doc in denied:
        audit.append(session, actor, "move_pages_denied", "document", doc.id, details={"type": doc.type})
    return not denied


def _touched(session: Session, request: RestructureRequest) -> dict[str, Document]:
    docs: dict[str, Document] = {}
    for doc_id in request.expected_pages:
        doc = session.get(Document, doc_id)
        if doc is None or doc.status == "deleted":
            raise NotFound(f"document {doc_id} does not exist; find documents with `dach search`.")
        docs[doc_id] = doc
    return docs


def _check(session: Session, request: RestructureRequest, docs: dict[str, Document]) -> None:
    for doc in docs.values():
        if doc.original_key != request.original_key:
            raise InvalidRequest(f"pages move only between documents of one scan; {doc.id} is from another file.")
        if doc.status == filing.WITHDRAWN:
            raise Conflict(f"document {doc.id} was withdrawn meanwhile (its pages went to {filing.replaced(doc)}).")
        if doc.pages != tuple(request.expected_pages[doc.id]):
            raise Conflict(f"the pages of document {doc.id} changed meanwhile (now {list(doc.pages)}); reload.")
        if doc.legal_hold:
            raise InvalidRequest(f"document {doc.id} is under legal hold; lift the hold before moving its pages.")
    held = {p for pages in request.expected_pages.values() for p in pages}
    placed: set[int] = set()
    kept: set[str] = set()
    for layout in request.layouts:
        pages = layout.document.pages
        if not pages or list(pages) != sorted(set(pages)):
            raise InvalidRequest("each document needs at least one page, each page listed once, in order.")
        if placed & set(pages):
            raise InvalidRequest(f"pages {sorted(placed & set(pages))} are given to two documents; give each one.")
        placed |= set(pages)
        if layout.document_id is not None:
            if layout.document_id not in docs or layout.document_id in kept:
                raise InvalidRequest(f"document {layout.document_id} must be listed once in expected_pages.")
            kept.add(layout.document_id)
        if any(p.page not in pages for p in layout.pages):
            raise InvalidRequest("a layout carries the OCR text of a page it does not hold.")
    if held - placed:
        raise InvalidRequest(f"pages {sorted(held - placed)} would be in no document; give every page a document.")
    added = placed - held
    if added:
        others = session.scalars(
            select(Document).where(
                Document.original_key == request.original_key,
                Document.id.not_in(list(docs)),
                Document.status.not_in(GONE),
            )
        )
        taken = {p for d in others for p in d.pages} & added
        if taken:
            raise InvalidRequest(f"pages {sorted(taken)} belong to another document of this scan; include it.")
    if kept == set(docs) and all(
        layout.document_id is not None and layout.document.pages == request.expected_pages[layout.document_id]
        for layout in request.layouts
    ):
        raise InvalidRequest("the request moves no page.")


# --- fields corrected by hand travel with their page ------------------------------------------------------


@dataclass(frozen=True)
class _Corrected:
    name: str
    field: ExtractedField
    document_id: str


def _destination(item: _Corrected, request: RestructureRequest) -> int:
    """The layout a hand-corrected field goes to: the one holding its page; a field without a page stays
    with its document, or goes with that document's first page if the document is withdrawn."""
    layouts = request.layouts
    page = item.field.page
    if page is None:
        own = [i for i, layout in enumerate(layouts) if layout.document_id == item.document_id]
        if own:
            return own[0]
        page = request.expected_pages[item.document_id][0]
    return next((i for i, layout in enumerate(layouts) if page in layout.document.pages), 0)


def _shown(value: object) -> str:
    return "; ".join(value) if isinstance(value, list) else str(value)


def hand_corrected(doc: Document) -> dict[str, ExtractedField]:
    """The fields of a document a person typed or confirmed (source `clerk`).

    Corrections made before migration 0005 did not mark the source: a field changed by a correction
    version without a `kind` counts too, as long as no page move has happened since (a move marks the
    fields it carries)."""
    fields = {name: ExtractedField.model_validate(raw) for name, raw in doc.versions[-1].fields.items()}
    moved = any(v.changed.get("kind") in ("pages", "withdrawn") for v in doc.versions)
    legacy = set() if moved else {n for v in doc.versions[1:] if "kind" not in v.changed for n in v.changed["fields"]}
    return {
        name: field.model_copy(update={"source": TextSource.CLERK})
        for name, field in fields.items()
        if field.source is TextSource.CLERK or name in legacy
    }


def with_hand_corrections(request: RestructureRequest, docs: dict[str, Document]) -> list[ExtractedDocument]:
    """Each layout's document with the hand-corrected fields that land in it put over the extracted ones."""
    corrected = [
        _Corrected(name, field, doc.id) for doc in docs.values() for name, field in hand_corrected(doc).items()
    ]
    fields = [dict(layout.document.fields) for layout in request.layouts]
    notes = [list(layout.document.notes) for layout in request.layouts]
    taken: list[set[str]] = [set() for _ in request.layouts]
    # A document's own corrections first, so they win over those of a document merged into it.
    routed = sorted(
        ((item, _destination(item, request)) for item in corrected),
        key=lambda pair: request.layouts[pair[1]].document_id != pair[0].document_id,
    )
    for item, index in routed:
        doc_type = request.layouts[index].document.type
        if item.name in fields_for(doc_type) and item.name not in taken[index]:
            fields[index][item.name] = item.field
            taken[index].add(item.name)
            continue
        why = f"a {doc_type.value} has no such field" if item.name not in fields_for(doc_type) else "another was kept"
        notes[index].append(
            f"the value '{_shown(item.field.value)}' a clerk entered for {item.name} (document {item.document_id}) "
            f"was not kept: {why}; please check"
        )
    return [
        layout.document.model_copy(
            update={
                "fields": fields[i],
                "notes": tuple(notes[i]),
                "review": layout.document.review or len(notes[i]) > len(layout.document.notes),
            }
        )
        for i, layout in enumerate(request.layouts)
    ]


# --- writing ---------------------------------------------------------------------------------------------


def _index(session: Session, doc_id: str, document: ExtractedDocument, layout: DocumentLayout, names: str) -> None:
    body = "\n".join(p.text for p in layout.pages)
    search.reindex_document(session, doc_id, document.type.value, names, filing.field_text(document.fields), body)


def _remember(session: Session, placement: filing.Placement, doc_id: str) -> None:
    """What the document says about its person now replaces what it said before (for later matches)."""
    session.execute(delete(PersonClaimRow).where(PersonClaimRow.document_id == doc_id))
    if placement.person is not None and placement.claim is not None:
        persons.remember_claim(session, placement.person, placement.claim, doc_id)


def _later(first: datetime | None, second: datetime) -> datetime:
    if first is None:
        return second
    first = first if first.tzinfo else first.replace(tzinfo=UTC)
    return max(first, second)


def _apply(doc: Document, document: ExtractedDocument, placement: filing.Placement, policy: Policy) -> None:
    doc.type, doc.page_range = document.type.value, page_range_of(document.pages)
    doc.status = placement.status.value
    doc.record_id = placement.record.id if placement.record else None
    doc.matter_id = placement.matter.id if placement.matter else None
    doc.confidence, doc.review = document.confidence, document.review
    doc.notes = filing.review_notes(document, list(document.notes))
    doc.retain_until = _later(doc.retain_until, filing.retention_for_type(policy, document.type))


def _keep(
    session: Session,
    policy: Policy,
    doc: Document,
    document: ExtractedDocument,
    layout: DocumentLayout,
    request: RestructureRequest,
    actor: Actor,
    threshold: float,
) -> filing.Placement:
    before_type, before_fields = doc.type, doc.versions[-1].fields
    record = session.get(Record, doc.record_id) if doc.record_id else None
    placement = filing.place(session, policy, document, threshold, record=record)
    doc.current_version += 1
    # Every rendition of the old page set goes, the document's own original too: it held the old pages.
    for file in doc.current_files:
        file.superseded_in = doc.current_version
    original = (layout.original_key or doc.original_key, doc.media_type)
    filing.add_files(session, doc.id, original, layout.text_key, layout.searchable_pdf_key, layout.pages)
    _apply(doc, document, placement, policy)
    now_fields = {name: f.model_dump(mode="json") for name, f in document.fields.items()}
    changed = sorted(n for n in set(now_fields) | set(before_fields) if now_fields.get(n) != before_fields.get(n))
    details = {"kind": "pages", "fields": changed, "pages_before": list(request.expected_pages[doc.id])}
    session.add(filing.version_row(doc.id, doc.current_version, document, actor.name, request.reason, details))
    _remember(session, placement, doc.id)
    _index(session, doc.id, document, layout, filing.person_names(placement.person, placement.claim))
    audit.append(
        session,
        actor,
        "move_pages",
        "document",
        doc.id,
        person_id=placement.person.id if placement.person else None,
        details={
            "version": doc.current_version,
            "pages_before": list(request.expected_pages[doc.id]),
            "pages": list(document.pages),
            "type_before": before_type,
            "type": document.type.value,
            "reason": request.reason,
        },
    )
    events.record(
        session,
        events.EventKind.DOCUMENT_MOVED,
        actor,
        document_id=doc.id,
        person_id=placement.person.id if placement.person else None,
        details={"type": document.type.value, "status": placement.status.value},
    )
    return placement


def _create(
    session: Session,
    policy: Policy,
    source: Document,
    document: ExtractedDocument,
    layout: DocumentLayout,
    request: RestructureRequest,
    actor: Actor,
    threshold: float,
) -> tuple[str, filing.Placement]:
    """A new document of pages taken from others: same original, filer and batch as the one they came from."""
    placement = filing.place(session, policy, document, threshold, record=None)
    doc_id = persons.new_id("doc")
    doc = Document(
        id=doc_id,
        original_key=source.original_key,
        original_filename=source.original_filename,
        media_type=source.media_type,
        current_version=1,
        filed_by=source.filed_by,
        filed_by_user_id=source.filed_by_user_id,
        batch_id=source.batch_id,
        legal_hold=False,
        created_at=datetime.now(UTC),
    )
    _apply(doc, document, placement, policy)
    session.add(doc)
    session.flush()
    from_ids = sorted(i for i, pages in request.expected_pages.items() if set(pages) & set(document.pages))
    details = {"kind": "pages", "fields": sorted(document.fields), "from": from_ids}
    session.add(filing.version_row(doc_id, 1, document, actor.name, request.reason, details))
    original = (layout.original_key or source.original_key, source.media_type)
    filing.add_files(session, doc_id, original, layout.text_key, layout.searchable_pdf_key, layout.pages)
    filing.index_new(session, doc_id, document, layout.pages, filing.person_names(placement.person, placement.claim))
    _remember(session, placement, doc_id)
    audit.append(
        session,
        actor,
        "create",
        "document",
        doc_id,
        person_id=placement.person.id if placement.person else None,
        details={
            "type": document.type.value,
            "status": placement.status.value,
            "pages": list(document.pages),
            "original_key": source.original_key,
            "from": from_ids,
            "reason": request.reason,
        },
    )
    events.record(
        session,
        events.EventKind.DOCUMENT_FILED,
        actor,
        document_id=doc_id,
        person_id=placement.person.id if placement.person else None,
        details={"type": document.type.value, "status": placement.status.value, "from": from_ids},
    )
    return doc_id, placement


def _withdraw(
    session: Session, doc: Document, pages: tuple[int, ...], moved_to: list[str], reason: str, actor: Actor
) -> None:
    doc.current_version += 1
    last = doc.versions[-1]
    for file in doc.current_files:
        if file.kind != "original":
            file.superseded_in = doc.current_version
    session.add(
        DocumentVersion(
            document_id=doc.id,
            version=doc.current_version,
            type=doc.type,
            page_range="",
            fields=dict(last.fields),
            author=actor.name,
            reason=reason,
            changed={"kind": "withdrawn", "fields": [], "pages_before": list(pages), "moved_to": moved_to},
            created_at=datetime.now(UTC),
        )
    )
    doc.status = filing.WITHDRAWN
    doc.notes = {**doc.notes, "replaced_by": moved_to}
    session.execute(delete(PersonClaimRow).where(PersonClaimRow.document_id == doc.id))
    search.remove(session, doc.id)
    person_id = session.scalar(select(Record.person_id).where(Record.id == doc.record_id)) if doc.record_id else None
    audit.append(
        session,
        actor,
        "withdraw",
        "document",
        doc.id,
        person_id=person_id,
        details={"version": doc.current_version, "pages": list(pages), "moved_to": moved_to, "reason": reason},
    )
    events.record(
        session,
        events.EventKind.DOCUMENT_WITHDRAWN,
        actor,
        document_id=doc.id,
        person_id=person_id,
        details={"type": doc.type, "moved_to": moved_to},
    )


def _source_of(document: ExtractedDocument, request: RestructureRequest, docs: dict[str, Document]) -> Document:
    """The touched document a new one takes its first page from (any, if that page was in none yet)."""
    first = document.pages[0]
    holder = next((doc_id for doc_id, pages in request.expected_pages.items() if first in pages), None)
    return docs[holder] if holder is not None else next(iter(docs.values()))


def restructure(
    session: Session, policy: Policy, request: RestructureRequest, actor: Actor, *, match_threshold: float
) -> RestructureOutcome | None:
    """Carry out the page move; None (with an audited denial per document) if the actor may not."""
    session.get(AuditHead, 1, with_for_update=True)  # serialise with filing: persons may be matched or created
    docs = _touched(session, request)
    denied = [doc for doc in docs.values() if not may_restructure(policy, actor, doc, request.batch_id)]
    if denied:
        for doc in denied:
            audit.append(session, actor, "move_pages_denied", "document", doc.id, details={"type": doc.type})
        return None
    _check(session, request, docs)
    documents = with_hand_corrections(request, docs)
    # Free every touched page range first: (original, page range) is unique, and pages may swap places.
    for doc in docs.values():
        doc.page_range = withdrawn_page_range(doc.id)
    session.flush()
    out: list[RestructuredDocument] = []
    holders: dict[int, str] = {}
    for layout, document in zip(request.layouts, documents, strict=True):
        if layout.document_id is not None:
            doc_id, filer = layout.document_id, docs[layout.document_id].filed_by_user_id
            placement = _keep(session, policy, docs[doc_id], document, layout, request, actor, match_threshold)
        else:
            source = _source_of(document, request, docs)
            filer = source.filed_by_user_id
            doc_id, placement = _create(session, policy, source, document, layout, request, actor, match_threshold)
        holders.update(dict.fromkeys(document.pages, doc_id))
        readable = policy.can_read(actor, document.type, filed_by_user_id=filer, status=placement.status.value)
        out.append(
            RestructuredDocument(
                document_id=doc_id,
                status=placement.status,
                type=document.type,
                pages=document.pages,
                person_id=placement.person.id if placement.person else None,
                readable=readable,
                notes=document.notes,
            )
        )
    kept = {layout.document_id for layout in request.layouts}
    withdrawn = [doc_id for doc_id in docs if doc_id not in kept]
    for doc_id in withdrawn:
        pages = request.expected_pages[doc_id]
        moved_to = sorted({holders[p] for p in pages})
        _withdraw(session, docs[doc_id], pages, moved_to, request.reason, actor)
    log.info("pages of %s moved: %s; withdrawn %s", request.original_key[:16], [d.document_id for d in out], withdrawn)
    return RestructureOutcome(documents=tuple(out), withdrawn=tuple(withdrawn))
