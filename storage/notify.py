"""What goes out to people and other systems: the daily digest of a department's inbox and the log of
signed webhook deliveries of record events.

Both are cut to need-to-know here, inside `storage`: a digest lists a department's open tasks with the
document type only where the department may read it and never a person's name; a webhook payload carries
ids, the event kind and the document type only where the endpoint's department may read it. Sending (SMTP,
HTTP) is done by `flows/notify.py`; the delivery log (attempts, back-off, outcome) lives in the record.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.documents import DocumentType, Frozen
from schemas.record import Actor, Department, Role
from storage import audit
from storage.models import Document, Record, RecordEvent, Task, WebhookDelivery
from storage.policy import Policy


class DigestLine(Frozen):
    task_id: str
    title: str
    kind: str
    due_date: str | None
    document_type: DocumentType | None  # None where the department may not read it
    overdue: bool


class Digest(Frozen):
    department: Department
    day: date
    open: int
    due: int
    lines: tuple[DigestLine, ...]


class WebhookPayload(Frozen):
    seq: int
    event: str
    at: datetime
    document_id: str | None
    person_id: str | None
    document_type: DocumentType | None


def department_actor(department: Department, purpose: str) -> Actor:
    """Who reads on behalf of a department when nobody of it is signed in (the digest, a webhook)."""
    return Actor(name=f"notify:{department.value}", role=Role.CLERK, department=department, purpose=purpose)


def digest(session: Session, policy: Policy, department: Department, day: date, limit: int = 200) -> Digest:
    actor = department_actor(department, "daily digest")
    readable = policy.readable_types(actor)
    rows = list(
        session.scalars(
            select(Task)
            .where(
                Task.department == department.value,
                Task.active.is_(True),
                (Task.kind != "follow_up") | (Task.due_sort <= day.isoformat()),
            )
            .order_by(Task.due_sort, Task.id)
            .limit(limit)
        )
    )
    lines = []
    for task in rows:
        doc_type = DocumentType(task.document_type) if task.document_type else None
        lines.append(
            DigestLine(
                task_id=task.id,
                title=task.title,
                kind=task.kind,
                due_date=task.due_date,
                document_type=doc_type if doc_type in readable else None,
                overdue=bool(task.due_date and task.due_date < day.isoformat()),
            )
        )
    due = sum(1 for line in lines if line.due_date and line.due_date <= day.isoformat())
    audit.append(session, actor, "digest", "tasks", None, details={"department": department.value, "tasks": len(lines)})
    return Digest(department=department, day=day, open=len(lines), due=due, lines=tuple(lines))


def due_deliveries(
    session: Session, endpoint: str, now: datetime, *, max_attempts: int, limit: int = 100
) -> list[tuple[WebhookDelivery, RecordEvent]]:
    """Deliveries to make now: new dispatched events get a row, failed ones are retried when their back-off
    has passed, until `max_attempts`."""
    newest = session.scalar(
        select(WebhookDelivery.event_seq)
        .where(WebhookDelivery.endpoint == endpoint)
        .order_by(WebhookDelivery.event_seq.desc())
        .limit(1)
    )
    fresh = session.scalars(
        select(RecordEvent)
        .where(RecordEvent.seq > (newest or 0), RecordEvent.dispatched_at.is_not(None))
        .order_by(RecordEvent.seq)
        .limit(limit)
    )
    for event in fresh:
        session.add(
            WebhookDelivery(
                endpoint=endpoint,
                event_seq=event.seq,
                status="pending",
                attempts=0,
                last_error="",
                next_attempt_at=now,
                delivered_at=None,
            )
        )
    session.flush()
    due = session.scalars(
        select(WebhookDelivery)
        .where(
            WebhookDelivery.endpoint == endpoint,
            WebhookDelivery.status == "pending",
            WebhookDelivery.attempts < max_attempts,
            WebhookDelivery.next_attempt_at <= now,
        )
        .order_by(WebhookDelivery.event_seq)
        .limit(limit)
    )
    out = []
    for delivery in due:
        found = session.get(RecordEvent, delivery.event_seq)
        if found is not None:
            out.append((delivery, found))
    return out


def _readable_event(session: Session, event: RecordEvent, readable: frozenset[DocumentType]) -> bool:
    """Whether the department may learn of the event at all: the document as it is now (its type may have
    been corrected since), or for a person-only event at least one live document of the person it reads."""
    values = [t.value for t in readable]
    if event.document_id is not None:
        doc = session.get(Document, event.document_id)
        return doc is not None and doc.status != "deleted" and doc.type in values
    if event.person_id is not None:
        return (
            session.scalar(
                select(Document.id)
                .join(Record, Record.id == Document.record_id)
                .where(Record.person_id == event.person_id, Document.type.in_(values))
                .where(Document.status.not_in(("withdrawn", "deleted")))
                .limit(1)
            )
            is not None
        )
    return True


def payload(
    session: Session, event: RecordEvent, policy: Policy, department: Department, endpoint: str
) -> WebhookPayload | None:
    """The body for one delivery, or None where the department may not read the document (or any document of
    the person) the event is about: a job centre's system learns nothing of a passport or a birth certificate,
    not even that one was filed. A body handed out is audited as read by the department."""
    actor = department_actor(department, "webhook")
    readable = policy.readable_types(actor)
    if not _readable_event(session, event, readable):
        return None
    try:
        doc_type: DocumentType | None = DocumentType(str(event.details.get("type")))
    except ValueError:
        doc_type = None
    if event.document_id is not None:
        doc = session.get(Document, event.document_id)
        doc_type = DocumentType(doc.type) if doc is not None else None
    at = event.at if event.at.tzinfo else event.at.replace(tzinfo=UTC)
    audit.append(
        session,
        actor,
        "webhook",
        "document" if event.document_id else "event",
        event.document_id or str(event.seq),
        person_id=event.person_id,
        details={"endpoint": endpoint, "event": event.kind, "seq": event.seq},
    )
    return WebhookPayload(
        seq=event.seq,
        event=event.kind,
        at=at,
        document_id=event.document_id,
        person_id=event.person_id,
        document_type=doc_type if doc_type in readable else None,
    )


def withhold(delivery: WebhookDelivery) -> None:
    """Mark a delivery the department may not receive: never sent, never retried, visible in the log."""
    delivery.status, delivery.last_error = "withheld", "need-to-know: the department may not read this document"


def record_attempt(
    session: Session,
    delivery_id: int,
    ok: bool,
    error: str,
    now: datetime,
    *,
    backoff_s: float,
    max_attempts: int,
) -> None:
    """Log one attempt: delivered, or retried after an exponentially growing pause, or given up."""
    delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is None:
        return
    delivery.attempts += 1
    if ok:
        delivery.status, delivery.delivered_at, delivery.last_error = "delivered", now, ""
        return
    delivery.last_error = error[:2000]
    if delivery.attempts >= max_attempts:
        delivery.status = "failed"
    else:
        delivery.next_attempt_at = now + timedelta(seconds=backoff_s * 2 ** (delivery.attempts - 1))
