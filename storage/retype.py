"""Changing the type of a document that was read as the wrong one (a notice read as "other", a birth
certificate as a notice), as a new version.

Only while the document awaits review (once filed, its type decided which departments read it). Who may:
the front desk on what it filed itself (`Policy.can_correct_own_pending`), a clerk or lead where it may
correct both the old and the new type. The fields the new type knows are kept, the
others stay in the earlier version. Need-to-know follows the type, so the search index and the document's
tasks take the new type in the same transaction, review tasks of a department the document no longer goes
to are closed, and a `document_corrected` event lets the dispatcher raise the review in the right queue.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from schemas.documents import DocumentType, ExtractedDocument, ExtractedField, fields_for
from schemas.errors import InvalidRequest
from schemas.record import Actor
from schemas.tasks import TaskStatus
from storage import audit, events, filing, search
from storage.dispatch import indexed_body
from storage.models import Document, Person, Record, Task
from storage.policy import Policy
from storage.reading import load_document


def _may_retype(policy: Policy, actor: Actor, doc: Document, new_type: DocumentType) -> bool:
    """Only while the document awaits review: once filed, its type decided which department read it."""
    old_type = DocumentType(doc.type)
    if doc.status != "needs_review":
        return False
    if not policy.can_read(actor, old_type, filed_by_user_id=doc.filed_by_user_id, status=doc.status):
        return False
    if policy.can_correct_own_pending(actor, filed_by_user_id=doc.filed_by_user_id, status=doc.status):
        return True
    return policy.can_correct(actor, old_type) and policy.can_correct(actor, new_type)


def _close_foreign_reviews(session: Session, doc: Document, department: str, now: datetime) -> int:
    closed = 0
    for task in session.scalars(
        select(Task).where(Task.document_id == doc.id, Task.kind == "review", Task.active.is_(True))
    ):
        if task.department == department:
            continue
        entry = {"at": now.isoformat(), "actor": "dispatcher", "action": "done", "note": "Dokumenttyp geändert",
                 "department": None}  # fmt: skip
        task.status, task.active, task.updated_at = TaskStatus.DONE.value, False, now
        task.history = {"entries": [*task.history.get("entries", []), entry]}
        closed += 1
    return closed


def retype_document(
    session: Session, policy: Policy, document_id: str, new_type: DocumentType, reason: str, actor: Actor
) -> bool:
    """Give the document `new_type` as a new version; False (and an audited denial) if the actor may not."""
    doc = load_document(session, document_id)
    if not _may_retype(policy, actor, doc, new_type):
        audit.append(session, actor, "retype_denied", "document", doc.id, details={"to": new_type.value})
        return False
    if doc.status == filing.WITHDRAWN:
        raise InvalidRequest(f"document {doc.id} was withdrawn (its pages were moved); retype {filing.replaced(doc)}.")
    if not reason.strip():
        raise InvalidRequest("changing a document's type needs a reason (what the document really is).")
    old_type = DocumentType(doc.type)
    if new_type is old_type:
        return True
    known = set(fields_for(new_type))
    fields = {
        name: ExtractedField.model_validate(raw) for name, raw in doc.versions[-1].fields.items() if name in known
    }
    doc.type = new_type.value
    doc.current_version += 1
    retyped = ExtractedDocument(type=new_type, pages=doc.pages, confidence=doc.confidence, fields=fields)
    changes = {"kind": "type", "from": old_type.value, "to": new_type.value}
    session.add(filing.version_row(doc.id, doc.current_version, retyped, actor.name, reason.strip(), changes))
    record = session.get(Record, doc.record_id) if doc.record_id else None
    person = session.get(Person, record.person_id) if record else None
    if record is not None:  # a filed document moves to the matter its new type is filed under
        doc.matter_id = filing.matter_for(session, policy, record, retyped).id
    search.reindex_document(
        session,
        doc.id,
        new_type.value,
        filing.person_names(person, None),
        filing.field_text(fields),
        indexed_body(session, doc.id),
    )
    session.execute(update(Task).where(Task.document_id == doc.id).values(document_type=new_type.value))
    department = policy.matter_for(new_type, retyped.field_values())[0].value
    closed = _close_foreign_reviews(session, doc, department, datetime.now(UTC))
    audit.append(
        session,
        actor,
        "retype",
        "document",
        doc.id,
        person_id=person.id if person else None,
        details={"from": old_type.value, "to": new_type.value, "reason": reason.strip(), "reviews_closed": closed},
    )
    events.record(
        session,
        events.EventKind.DOCUMENT_CORRECTED,
        actor,
        document_id=doc.id,
        person_id=person.id if person else None,
        details={"type": new_type.value, "previous_type": old_type.value, "status": doc.status},
    )
    return True
