"""Filing a document into a person's record, and correcting it: the write side of the record.

Runs inside one database transaction opened by `storage.archive.Archive`; the objects it points at are
already stored (object first, then rows: a crash leaves at worst an orphaned object, never a row pointing at
nothing). The transaction first takes the audit chain lock, which also serialises person matching, so two
workers filing documents of one new person cannot create that person twice.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.documents import (
    DocumentType,
    ExtractedDocument,
    ExtractedField,
    FieldValue,
    PageText,
    TextSource,
    fields_for,
)
from schemas.errors import AccessDenied, InvalidRequest, NotFound
from schemas.persons import PersonClaim
from schemas.record import Actor, CandidateSummary, FilingOutcome, FilingRequest, FilingStatus
from storage import audit, events, linking, persons, search
from storage.models import (
    AuditHead,
    Batch,
    Document,
    DocumentFile,
    DocumentVersion,
    Matter,
    Person,
    Record,
    page_range_of,
)
from storage.policy import Policy

log = logging.getLogger(__name__)


WITHDRAWN = "withdrawn"


def replaced(doc: Document) -> str:
    """Where a withdrawn document's pages went, for messages."""
    return ", ".join(doc.notes.get("replaced_by", [])) or "the documents that hold its pages now"


def retention_until(policy: Policy, request: FilingRequest) -> datetime:
    return retention_for_type(policy, request.document.type)


def retention_for_type(policy: Policy, doc_type: DocumentType) -> datetime:
    return datetime.now(UTC) + timedelta(days=365 * policy.retention_for(doc_type))


def field_text(fields: dict[str, ExtractedField]) -> str:
    parts: list[str] = []
    for name, field in sorted(fields.items()):
        value = field.value
        if isinstance(value, list):
            parts.append(f"{name}: {' '.join(value)}")
        elif value is not None and not isinstance(value, bool):
            parts.append(f"{name}: {value}")
    return "\n".join(parts)


def person_names(person: Person | None, claim: PersonClaim | None) -> str:
    names: list[str] = []
    if person is not None:
        names += [
            person.surname,
            person.given_names,
            person.surname_original or "",
            person.given_names_original or "",
        ]
        names += [f"{a.surname} {a.given_names}" for a in person.aliases]
    if claim is not None:
        names += [
            claim.surname or "",
            claim.given_names or "",
            claim.full_name or "",
            claim.original_script_name or "",
        ]
    return " ".join(dict.fromkeys(n for n in names if n))


def matter_for(session: Session, policy: Policy, record: Record, document: ExtractedDocument) -> Matter:
    """The record's matter (Vorgang) for this document, created if the record has none for it yet."""
    department, legal_area = policy.matter_for(document.type, document.field_values())
    matter = session.scalar(
        select(Matter).where(
            Matter.record_id == record.id,
            Matter.department == department.value,
            Matter.legal_area == legal_area.value,
        )
    )
    if matter is None:
        matter = Matter(
            id=persons.new_id("mat"),
            record_id=record.id,
            department=department.value,
            legal_area=legal_area.value,
            title=f"{department.value} / {legal_area.value}",
            created_at=datetime.now(UTC),
        )
        session.add(matter)
        session.flush()  # rows without relationships are not ordered by the unit of work
    return matter


def summaries(session: Session, resolution: persons.Resolution) -> tuple[CandidateSummary, ...]:
    out: list[CandidateSummary] = []
    for candidate in resolution.candidates:
        person = session.get(Person, candidate.person_id)
        name = f"{person.surname}, {person.given_names}" if person else ""
        out.append(
            CandidateSummary(
                person_id=candidate.person_id,
                score=candidate.score,
                reasons=candidate.reasons,
                display_name=name,
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class Placement:
    """Where a document goes: its person, record and matter, and whether a clerk must look at it."""

    person: Person | None
    record: Record | None
    matter: Matter | None
    claim: PersonClaim | None
    resolution: persons.Resolution | None
    status: FilingStatus
    evidence: tuple[str, ...] = ()  # why a document without birth date was linked (see storage/linking.py)


def place(
    session: Session,
    policy: Policy,
    document: ExtractedDocument,
    match_threshold: float,
    *,
    record: Record | None,
    text: str = "",
) -> Placement:
    """Match the document's person (or create one from a strong claim) and find its matter.

    A document that is in a record already (`record`) keeps its person: a clerk may have chosen it, and
    the matcher is not asked again.
    """
    claim = persons.claim_for(document)
    resolution: persons.Resolution | None = None
    person: Person | None = None
    evidence: tuple[str, ...] = ()
    if record is not None:
        person = session.get(Person, record.person_id)
    else:
        resolution = persons.resolve(session, claim, match_threshold)
        link = linking.second_identifier(session, document, text, resolution) if resolution.needs_review else None
        if link is not None:  # the name and a second identifier agree: linked, with its evidence
            resolution = dataclasses.replace(resolution, person_id=link.person_id, needs_review=False)
            evidence = link.evidence
        if resolution.new_person and claim is not None:
            person = persons.create_person(session, claim)
            session.flush()
        elif resolution.person_id is not None:
            person = session.get(Person, resolution.person_id)
        record = session.scalar(select(Record).where(Record.person_id == person.id)) if person is not None else None
    matter = matter_for(session, policy, record, document) if record is not None else None
    unsure = resolution is not None and resolution.needs_review
    needs_review = document.review or unsure or person is None
    status = FilingStatus.NEEDS_REVIEW if needs_review else FilingStatus.FILED
    return Placement(person, record, matter, claim, resolution, status, evidence)


def version_row(
    document_id: str, version: int, document: ExtractedDocument, author: str, reason: str, changed: Mapping[str, object]
) -> DocumentVersion:
    return DocumentVersion(
        document_id=document_id,
        version=version,
        type=document.type.value,
        page_range=page_range_of(document.pages),
        fields={name: f.model_dump(mode="json") for name, f in document.fields.items()},
        author=author,
        reason=reason,
        changed=dict(changed),
        created_at=datetime.now(UTC),
    )


def index_new(
    session: Session, document_id: str, document: ExtractedDocument, pages: tuple[PageText, ...], names: str
) -> None:
    """Index a new document: its type, its person's names, its field values and the text of its pages."""
    body = "\n".join(p.text for p in pages)
    search.index_document(session, document_id, document.type.value, names, field_text(document.fields), body)


def add_files(
    session: Session,
    document_id: str,
    original: tuple[str, str] | None,
    text_key: str | None,
    pdf_key: str | None,
    pages: tuple[PageText, ...],
) -> None:
    """The file rows of a document: the original (key, media type), OCR text, searchable PDF, page images."""
    files = [("original", *original)] if original is not None else []
    files += [("ocr_text", text_key, "application/json")] if text_key else []
    files += [("searchable_pdf", pdf_key, "application/pdf")] if pdf_key else []
    files += [("page_image", p.image_key, "image/png") for p in pages if p.image_key]
    for kind, key, media_type in files:
        session.add(DocumentFile(document_id=document_id, kind=kind, object_key=key, media_type=media_type))


def _holding_every_page(session: Session, original_key: str, pages: tuple[int, ...]) -> Document | None:
    """The live document holding the first page, if live documents of the original hold every page already
    (pages were moved between documents after an earlier intake of the same scan: it is filed)."""
    live = session.scalars(
        select(Document).where(Document.original_key == original_key, Document.status.not_in((WITHDRAWN, "deleted")))
    )
    holders = {page: doc for doc in live for page in doc.pages}
    if pages and all(p in holders for p in pages):
        return holders[pages[0]]
    return None


def review_notes(document: ExtractedDocument, notes: list[str]) -> dict[str, object]:
    """What the review screen shows beside the fields, kept with the document: the notes, the fields the
    visual zone contradicts, the MRZ check digits, and where each field of an identity document was read."""
    return {
        "notes": notes,
        "viz_mismatches": list(document.viz_mismatches),
        "checks": dict(document.checks or {}),
        "readings": {
            name: [found.model_dump(mode="json") for found in places] for name, places in document.readings.items()
        },
    }


def file_document(
    session: Session, policy: Policy, request: FilingRequest, actor: Actor, *, match_threshold: float
) -> FilingOutcome:
    if not policy.can_file(actor):
        raise AccessDenied(f"{actor.name} ({actor.role.value}) may not file documents; ask a lead for the role.")
    session.get(AuditHead, 1, with_for_update=True)  # serialise filings (see module docstring)
    document = request.document
    page_range = page_range_of(document.pages)
    existing = session.scalar(
        select(Document).where(Document.original_key == request.original_key, Document.page_range == page_range)
    ) or _holding_every_page(session, request.original_key, document.pages)
    if existing is not None:
        person_id = None
        if existing.record_id:
            person_id = session.scalar(select(Record.person_id).where(Record.id == existing.record_id))
        return FilingOutcome(document_id=existing.id, status=FilingStatus.DUPLICATE, person_id=person_id)

    text = "\n".join(p.text for p in request.pages)
    placement = place(session, policy, document, match_threshold, record=None, text=text)
    person, record, matter, claim, status = (
        placement.person,
        placement.record,
        placement.matter,
        placement.claim,
        placement.status,
    )
    now = datetime.now(UTC)
    doc_id = persons.new_id("doc")
    if request.batch_id and session.get(Batch, request.batch_id) is None:
        session.add(Batch(id=request.batch_id, created_by=actor.name, created_at=now))
    session.add(
        Document(
            id=doc_id,
            record_id=record.id if record else None,
            matter_id=matter.id if matter else None,
            type=document.type.value,
            status=status.value,
            original_key=request.original_key,
            page_range=page_range,
            original_filename=request.original_filename[:255],
            media_type=request.media_type,
            confidence=document.confidence,
            review=document.review,
            notes=review_notes(document, [*document.notes, *(f"Zuordnung: {e}" for e in placement.evidence)]),
            current_version=1,
            filed_by=actor.name,
            filed_by_user_id=actor.user_id,
            batch_id=request.batch_id,
            retain_until=retention_until(policy, request),
            created_at=now,
        )
    )
    session.flush()
    intake = {"kind": "intake", "fields": sorted(document.fields)}
    session.add(version_row(doc_id, 1, document, actor.name, "intake", intake))
    # The document's own original (its pages only); without one the scan stands in, and reading.file_key
    # then serves it only to a reader of every document of the scan.
    original = (request.document_original_key or request.original_key, request.media_type)
    add_files(session, doc_id, original, request.text_key, request.searchable_pdf_key, request.pages)
    if person is not None and claim is not None:
        persons.remember_claim(session, person, claim, doc_id)
    index_new(session, doc_id, document, request.pages, person_names(person, claim))
    new_person = placement.resolution is not None and placement.resolution.new_person
    audit.append(
        session,
        actor,
        "create",
        "document",
        doc_id,
        person_id=person.id if person else None,
        details={
            "type": document.type.value,
            "status": status.value,
            "pages": list(document.pages),
            "original_key": request.original_key,
            "batch_id": request.batch_id,
            "new_person": new_person,
            "link_evidence": list(placement.evidence),
        },
    )
    events.record(
        session,
        events.EventKind.DOCUMENT_FILED,
        actor,
        document_id=doc_id,
        person_id=person.id if person else None,
        details={"type": document.type.value, "status": status.value},
    )
    log.info(
        "filed %s as %s (%s, person %s)",
        doc_id,
        document.type.value,
        status.value,
        person.id if person else "-",
    )
    candidates = summaries(session, placement.resolution) if placement.resolution is not None else ()
    return FilingOutcome(
        document_id=doc_id,
        status=status,
        person_id=person.id if person else None,
        person_candidates=candidates,
    )


def correct_document(
    session: Session,
    policy: Policy,
    document_id: str,
    changes: dict[str, FieldValue],
    reason: str,
    actor: Actor,
) -> bool:
    """Write a new version with the changed fields; False (and an audited denial) if the actor may not."""
    doc = session.get(Document, document_id)
    if doc is None or doc.status == "deleted":
        raise NotFound(f"document {document_id} does not exist; check the id with `dach search`.")
    doc_type = DocumentType(doc.type)
    allowed = policy.can_read(actor, doc_type, filed_by_user_id=doc.filed_by_user_id, status=doc.status)
    own_pending = policy.can_correct_own_pending(actor, filed_by_user_id=doc.filed_by_user_id, status=doc.status)
    if not (allowed and (policy.can_correct(actor, doc_type) or own_pending)):
        audit.append(session, actor, "correct_denied", "document", doc.id, details={"type": doc.type})
        return False
    if doc.status == WITHDRAWN:
        raise InvalidRequest(f"document {doc.id} was withdrawn (its pages were moved); correct {replaced(doc)}.")
    if not reason.strip():
        raise InvalidRequest("a correction needs a reason (what was wrong and where the right value comes from).")
    unknown = sorted(set(changes) - set(fields_for(doc_type)))
    if unknown:
        raise InvalidRequest(f"{doc_type.value} has no fields {unknown}; its fields are {list(fields_for(doc_type))}.")
    current = doc.versions[-1]
    fields = {name: ExtractedField.model_validate(raw) for name, raw in current.fields.items()}
    changed: list[str] = []
    for name, value in changes.items():
        before = fields.get(name)
        if before is not None and before.value == value:
            continue
        base = before.model_dump() if before else {}
        # The source says a person typed or confirmed it: such values survive when pages are moved.
        fields[name] = ExtractedField.model_validate(
            {**base, "value": value, "confidence": 1.0, "source": TextSource.CLERK}
        )
        changed.append(name)
    if not changed:
        return True
    doc.current_version += 1
    corrected = ExtractedDocument(type=doc_type, pages=doc.pages, confidence=doc.confidence, fields=fields)
    changes_made = {"kind": "correction", "fields": sorted(changed)}
    session.add(version_row(doc.id, doc.current_version, corrected, actor.name, reason.strip(), changes_made))
    person_id = session.scalar(select(Record.person_id).where(Record.id == doc.record_id)) if doc.record_id else None
    person = session.get(Person, person_id) if person_id else None
    search.reindex_fields(session, doc.id, field_text(fields), person_names(person, None))
    audit.append(
        session,
        actor,
        "correct",
        "document",
        doc.id,
        person_id=person_id,
        details={"version": doc.current_version, "fields": sorted(changed), "reason": reason.strip()},
    )
    events.record(
        session,
        events.EventKind.DOCUMENT_CORRECTED,
        actor,
        document_id=doc.id,
        person_id=person_id,
        details={"type": doc.type, "status": doc.status, "fields": sorted(changed)},
    )
    return True
