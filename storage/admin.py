"""Review and archive administration: person candidates and assignment, legal holds, four-eyes deletion.

Like the rest of `storage/`, every function checks the policy itself and writes its audit entry in the
caller's transaction. Functions that are denied write an audited denial and return None/False; the archive
raises `AccessDenied` after the denial is committed.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.documents import DocumentType, ExtractedDocument, ExtractedField
from schemas.errors import InvalidRequest, NotFound
from schemas.record import Actor, CandidateSummary, DeletionRequestView, DeletionStatus
from storage import audit, events, filing, persons, search
from storage.models import DeletionRequest, Document, DocumentFile, Person, Record
from storage.policy import Policy
from storage.reading import load_document
from storage.xdomea.transfer import blocking_transfer


def _extracted(doc: Document) -> ExtractedDocument:
    fields = {name: ExtractedField.model_validate(raw) for name, raw in doc.versions[-1].fields.items()}
    return ExtractedDocument(type=DocumentType(doc.type), pages=doc.pages, confidence=doc.confidence, fields=fields)


def _may_review(policy: Policy, actor: Actor, doc: Document) -> bool:
    doc_type = DocumentType(doc.type)
    readable = policy.can_read(actor, doc_type, filed_by_user_id=doc.filed_by_user_id, status=doc.status)
    own_pending = policy.can_correct_own_pending(actor, filed_by_user_id=doc.filed_by_user_id, status=doc.status)
    return readable and (policy.can_correct(actor, doc_type) or own_pending)


def person_candidates(
    session: Session, policy: Policy, document_id: str, actor: Actor, threshold: float
) -> list[CandidateSummary] | None:
    """Who the document may belong to, as the matcher sees it now (for a clerk's review)."""
    doc = load_document(session, document_id)
    if not policy.can_read(actor, DocumentType(doc.type), filed_by_user_id=doc.filed_by_user_id, status=doc.status):
        audit.append(session, actor, "read_denied", "candidates", doc.id)
        return None
    resolution = persons.resolve(session, persons.claim_for(_extracted(doc)), threshold)
    summaries = list(filing.summaries(session, resolution))
    audit.append(session, actor, "read", "candidates", doc.id, details={"persons": [c.person_id for c in summaries]})
    return summaries


def assign_person(
    session: Session, policy: Policy, document_id: str, person_id: str, reason: str, actor: Actor
) -> bool:
    """File a document that awaited review into the record of the person a clerk chose (never merges)."""
    doc = load_document(session, document_id)
    if not _may_review(policy, actor, doc):
        audit.append(session, actor, "assign_denied", "document", doc.id, details={"person_id": person_id})
        return False
    if doc.status == filing.WITHDRAWN:
        raise InvalidRequest(f"document {doc.id} was withdrawn (its pages were moved); assign {filing.replaced(doc)}.")
    person = session.get(Person, person_id)
    record = session.scalar(select(Record).where(Record.person_id == person_id))
    if person is None or record is None:
        raise NotFound(f"person {person_id} does not exist; choose one of the candidates.")
    previous = doc.record_id
    extracted = _extracted(doc)
    doc.record_id = record.id
    doc.matter_id = filing.matter_for(session, policy, record, extracted).id
    doc.status = "filed"
    claim = persons.claim_for(extracted)
    if claim is not None:
        persons.remember_claim(session, person, claim, doc.id)
    search.reindex_fields(session, doc.id, filing.field_text(extracted.fields), filing.person_names(person, claim))
    audit.append(
        session,
        actor,
        "assign_person",
        "document",
        doc.id,
        person_id=person_id,
        details={"previous_record": previous, "reason": reason},
    )
    events.record(
        session,
        events.EventKind.PERSON_ASSIGNED,
        actor,
        document_id=doc.id,
        person_id=person_id,
        details={"type": doc.type, "status": doc.status},
    )
    return True


def set_legal_hold(session: Session, policy: Policy, document_id: str, hold: bool, reason: str, actor: Actor) -> bool:
    doc = load_document(session, document_id)
    if not policy.can_manage_retention(actor):
        audit.append(session, actor, "hold_denied", "document", doc.id)
        return False
    doc.legal_hold = hold
    audit.append(
        session, actor, "legal_hold" if hold else "legal_hold_lifted", "document", doc.id, details={"reason": reason}
    )
    return True


def hold_keys(session: Session, document_id: str, hold: bool) -> list[str]:
    """The objects whose legal hold follows the document's: all of its objects when a hold is set; when it is
    lifted, those no other held document uses."""
    doc = load_document(session, document_id)
    keys = sorted({doc.original_key, *(f.object_key for f in doc.files)})
    if hold:
        return keys
    others = select(Document.id).where(Document.legal_hold.is_(True), Document.id != doc.id)
    still = set(session.scalars(select(DocumentFile.object_key).where(DocumentFile.document_id.in_(others))))
    still |= set(session.scalars(select(Document.original_key).where(Document.id.in_(others))))
    return [k for k in keys if k not in still]


def _view(request: DeletionRequest) -> DeletionRequestView:
    return DeletionRequestView(
        id=request.id,
        document_id=request.document_id,
        reason=request.reason,
        requested_by=request.requested_by,
        requested_at=request.requested_at if request.requested_at.tzinfo else request.requested_at.replace(tzinfo=UTC),
        status=DeletionStatus(request.status),
        approved_by=request.approved_by,
        decision_note=request.decision_note or "",
    )


def deletion_requests(session: Session) -> list[DeletionRequestView]:
    rows = session.scalars(select(DeletionRequest).order_by(DeletionRequest.requested_at.desc()).limit(200))
    return [_view(r) for r in rows]


def request_deletion(session: Session, document_id: str, reason: str, actor: Actor) -> str:
    doc = load_document(session, document_id)
    if not reason.strip():
        raise InvalidRequest("a deletion request needs a reason (e.g. the retention period has ended).")
    request = DeletionRequest(
        id=persons.new_id("del"),
        document_id=doc.id,
        reason=reason.strip(),
        requested_by=actor.name,
        requested_at=datetime.now(UTC),
        status=DeletionStatus.PENDING.value,
    )
    session.add(request)
    audit.append(session, actor, "deletion_requested", "document", doc.id, details={"request": request.id})
    return request.id


def close_deletion(session: Session, request_id: str, note: str, actor: Actor, *, withdraw: bool) -> None:
    """Reject (a second administrator, with a reason) or withdraw (the requester) a pending deletion request."""
    request = session.get(DeletionRequest, request_id)
    if request is None or request.status != DeletionStatus.PENDING.value:
        raise NotFound(f"deletion request {request_id} does not exist or is no longer pending.")
    if withdraw and request.requested_by != actor.name:
        raise InvalidRequest("only the administrator who made a deletion request can withdraw it; reject it instead.")
    if not withdraw and not note.strip():
        raise InvalidRequest("a rejection needs a reason, so the requester knows why.")
    status = DeletionStatus.WITHDRAWN if withdraw else DeletionStatus.REJECTED
    request.status, request.approved_by, request.approved_at = status.value, actor.name, datetime.now(UTC)
    request.decision_note = note.strip()[:2000]
    action = "deletion_withdrawn" if withdraw else "deletion_rejected"
    audit.append(session, actor, action, "document", request.document_id, details={"request": request.id, "note": note})


def approve_deletion(session: Session, request_id: str, actor: Actor) -> list[str]:
    """Delete the document's data (four eyes, no hold, retention over); returns object keys now unreferenced."""
    request = session.get(DeletionRequest, request_id)
    if request is None or request.status != DeletionStatus.PENDING.value:
        raise NotFound(f"deletion request {request_id} does not exist or is no longer pending.")
    if request.requested_by == actor.name:
        raise InvalidRequest("a deletion needs a second archive administrator: you requested this one.")
    doc = load_document(session, request.document_id)
    if doc.legal_hold:
        raise InvalidRequest(f"document {doc.id} is under legal hold; lift the hold before deleting it.")
    blocked = blocking_transfer(session, doc.id)
    if blocked:
        raise InvalidRequest(f"document {doc.id} cannot be deleted yet: {blocked}.")
    retain_until = doc.retain_until
    if retain_until is not None and (retain_until if retain_until.tzinfo else retain_until.replace(tzinfo=UTC)) > (
        datetime.now(UTC)
    ):
        raise InvalidRequest(f"document {doc.id} must be kept until {retain_until:%Y-%m-%d} (retention period).")
    keys = [f.object_key for f in doc.files]
    for version in list(doc.versions):
        session.delete(version)
    for file in list(doc.files):
        session.delete(file)
    search.remove(session, doc.id)
    doc.status, doc.original_filename = "deleted", ""
    request.status, request.approved_by, request.approved_at = (
        DeletionStatus.EXECUTED.value,
        actor.name,
        datetime.now(UTC),
    )
    session.flush()
    still_used = set(session.scalars(select(DocumentFile.object_key).where(DocumentFile.object_key.in_(keys))))
    still_used |= set(
        session.scalars(
            select(Document.original_key).where(Document.original_key.in_(keys), Document.status != "deleted")
        )
    )
    audit.append(session, actor, "delete", "document", doc.id, details={"request": request.id})
    events.record(session, events.EventKind.DELETION_APPROVED, actor, document_id=doc.id, details={"type": doc.type})
    return [k for k in keys if k not in still_used]
