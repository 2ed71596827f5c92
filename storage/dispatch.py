"""The dispatcher: turns pending record events into tasks of the departments the hand-over rules name.

One call handles a batch of events in one transaction: it reads each event's document and person as they
are now, applies every rule that the event triggers and that was law on the day of the change, creates the
tasks (unique per source, rule and department: an event dispatched twice, or two events about the same
document under a once-per-document rule, create nothing twice) and marks the events dispatched. A crash at
any point rolls the whole batch back, so the events stay pending and the next run does the same work.

The daily expiry check (`check_expiry`) uses the same rules with the pseudo-event `expiry`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, date, datetime

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from schemas.documents import MRZ_TYPES, DocumentType, FieldValue
from schemas.record import Department, LegalArea
from schemas.tasks import UNDATED, DispatchReport, TaskStatus
from storage import events, handover, persons
from storage.handover import Facts, HandoverRules, Rule, Targets
from storage.models import Document, Matter, Person, Record, RecordEvent, Task
from storage.policy import Policy

log = logging.getLogger(__name__)

#: Events after which a document no longer awaits review: its open review tasks are closed.
_REVIEW_OVER = {"person_assigned", "document_withdrawn", "deletion_approved"}
_GONE = ("withdrawn", "deleted")
NO_DUE_DATE = UNDATED  # how undated tasks sort: after every dated one


def indexed_body(session: Session, document_id: str) -> str:
    """The OCR text of a document as indexed for search."""
    return _body(session, document_id)


def _body(session: Session, document_id: str) -> str:
    """The OCR text of a document as indexed for search (SQLite finds the FTS row through its rowid map)."""
    if session.get_bind().dialect.name == "sqlite":
        where = "rowid = (SELECT fts_rowid FROM search_rowids WHERE document_id = :id)"
    else:
        where = "document_id = :id"
    found = session.execute(text(f"SELECT body FROM search_index WHERE {where}"), {"id": document_id}).scalar()
    return str(found or "")


def _field_values(doc: Document) -> dict[str, FieldValue]:
    if not doc.versions:
        return {}
    return {name: raw.get("value") for name, raw in doc.versions[-1].fields.items() if isinstance(raw, dict)}


def _fields_text(values: dict[str, FieldValue]) -> str:
    parts = []
    for name, value in sorted(values.items()):
        if isinstance(value, list):
            parts.append(f"{name}: {' '.join(value)}")
        elif isinstance(value, str):
            parts.append(f"{name}: {value}")
    return "\n".join(parts)


def document_text(session: Session, doc: Document) -> str:
    """What rules match text against: the field values and the OCR text."""
    return _fields_text(_field_values(doc)) + "\n" + _body(session, doc.id)


def _person_of(session: Session, doc: Document) -> Person | None:
    if doc.record_id is None:
        return None
    record = session.get(Record, doc.record_id)
    return session.get(Person, record.person_id) if record is not None else None


def _matters(session: Session, record_id: str | None) -> list[Matter]:
    if record_id is None:
        return []
    return list(session.scalars(select(Matter).where(Matter.record_id == record_id)))


def gather(session: Session, doc: Document, event: str, day: date) -> Facts:
    """The facts the rules look at, for one document as it is now."""
    values = _field_values(doc)
    body = _body(session, doc.id)
    whole = _fields_text(values) + "\n" + body
    person = _person_of(session, doc)
    legal_areas = frozenset(LegalArea(m.legal_area) for m in _matters(session, doc.record_id))
    birth = handover.parse_day(person.birth_date if person and person.birth_date else values.get("birth_date"))
    earlier: list[tuple[DocumentType, str]] = []
    earlier_addresses: set[str] = set()
    if doc.record_id is not None:
        others = session.scalars(
            select(Document).where(
                Document.record_id == doc.record_id,
                Document.id != doc.id,
                Document.created_at <= doc.created_at,
                Document.status.not_in(_GONE),
            )
        )
        for other in others:
            other_text = document_text(session, other)
            earlier.append((DocumentType(other.type), other_text))
            address = handover.address_in(other_text)
            if address is not None:
                earlier_addresses.add(address)
    issue = handover.parse_day(values.get("issue_date")) or handover.parse_day(values.get("notice_date"))
    return Facts(
        event=event,
        day=day,
        document_type=DocumentType(doc.type),
        status=doc.status,
        text=whole,
        issue_date=issue or handover.issue_date_in(body),
        person_birth_date=birth,
        person_legal_areas=legal_areas,
        earlier_documents=tuple(earlier),
        address=handover.address_in(whole) if doc.type == DocumentType.REGISTRATION_CERTIFICATE else None,
        earlier_addresses=frozenset(earlier_addresses),
    )


def departments_for(session: Session, policy: Policy, rule: Rule, doc: Document) -> set[Department]:
    found = set(rule.departments)
    if rule.departments_of is Targets.OPEN_MATTERS:
        found |= {Department(m.department) for m in _matters(session, doc.record_id)}
    elif rule.departments_of is Targets.MATTER:
        matter = session.get(Matter, doc.matter_id) if doc.matter_id else None
        if matter is not None:
            found.add(Department(matter.department))
        else:  # no person yet: the department the document would be filed under
            found.add(policy.matter_for(DocumentType(doc.type), _field_values(doc))[0])
    return found


def _source(rule: Rule, event_key: str, doc: Document, person_id: str | None) -> str:
    if rule.once_per == "person" and person_id is not None:
        return f"person:{person_id}"
    if rule.once_per in ("document", "person"):
        return f"document:{doc.id}"
    return event_key


def create_task(session: Session, row: Task) -> bool:
    """Insert the task unless one with its (source, rule, department) exists; True if it was created."""

    def exists() -> bool:
        found = session.scalar(
            select(Task.id).where(Task.source == row.source, Task.rule == row.rule, Task.department == row.department)
        )
        return found is not None

    if exists():
        return False
    try:
        with session.begin_nested():  # a concurrent dispatcher may have won the race: keep our transaction
            session.add(row)
    except IntegrityError:
        # Only the race on (source, rule, department) may be passed over; any other constraint failing
        # must fail the dispatch, or its events would be marked dispatched without their tasks.
        if exists():
            return False
        raise
    return True


def new_task(
    *,
    source: str,
    rule: str,
    department: Department,
    kind: str,
    title: str,
    created_by: str,
    document: Document | None = None,
    person_id: str | None = None,
    due: date | None = None,
    note: str = "",
) -> Task:
    now = datetime.now(UTC)
    entry = {"at": now.isoformat(), "actor": created_by, "action": "created", "note": note}
    return Task(
        id=persons.new_id("tsk"),
        source=source,
        rule=rule,
        department=department.value,
        kind=kind,
        title=title,
        document_id=document.id if document else None,
        document_type=document.type if document else None,
        person_id=person_id,
        due_date=due.isoformat() if due else None,
        due_sort=due.isoformat() if due else NO_DUE_DATE,
        status=TaskStatus.OPEN.value,
        active=True,
        assignee=None,
        note=note,
        history={"entries": [entry]},
        created_by=created_by,
        created_at=now,
        updated_at=now,
    )


def apply_rules(
    session: Session, policy: Policy, rules: Iterable[Rule], doc: Document, facts: Facts, event_key: str
) -> int:
    created = 0
    person = _person_of(session, doc)
    person_id = person.id if person else None
    for rule in rules:
        if not handover.matches(rule, facts):
            continue
        expiry = handover.parse_day(_field_values(doc).get("expiry_date"))
        due = handover.due_date(rule, facts.day, expiry=expiry)
        for department in sorted(departments_for(session, policy, rule, doc)):
            row = new_task(
                source=_source(rule, event_key, doc, person_id),
                rule=rule.id,
                department=department,
                kind=rule.task_kind.value,
                title=rule.title,
                created_by="dispatcher",
                document=doc,
                person_id=person_id,
                due=due,
            )
            created += create_task(session, row)
    return created


def _close_reviews(session: Session, document_id: str, event: str) -> int:
    open_reviews = session.scalars(
        select(Task).where(Task.document_id == document_id, Task.kind == "review", Task.active.is_(True))
    )
    closed = 0
    for task in open_reviews:
        now = datetime.now(UTC)
        note = f"erledigt durch {event}"
        task.status, task.active, task.updated_at = TaskStatus.DONE.value, False, now
        task.history = {"entries": [*task.history.get("entries", []), _entry(now, "dispatcher", "done", note)]}
        closed += 1
    return closed


def _entry(at: datetime, actor: str, action: str, note: str = "", department: str | None = None) -> dict[str, object]:
    return {"at": at.isoformat(), "actor": actor, "action": action, "note": note, "department": department}


def _day_of(event: RecordEvent) -> date:
    at = event.at if event.at.tzinfo else event.at.replace(tzinfo=UTC)
    return at.astimezone(UTC).date()


def _apply_to_record(session: Session, policy: Policy, rules: list[Rule], event: RecordEvent) -> int:
    """A record-wide event (two records merged): the rules look at every live document of the record again,
    since the merged record may show what neither did alone (a § 24 permit here, the AsylbLG matter there).
    Rules raised once per document or person raise nothing twice."""
    record = session.scalar(select(Record).where(Record.person_id == event.person_id))
    if record is None:
        return 0
    created = 0
    docs = session.scalars(
        select(Document)
        .where(Document.record_id == record.id, Document.status.not_in(_GONE))
        .order_by(Document.created_at, Document.id)
    )
    for doc in docs:
        facts = gather(session, doc, event.kind, _day_of(event))
        created += apply_rules(session, policy, rules, doc, facts, f"event:{event.seq}:{doc.id}")
    return created


def dispatch(session: Session, policy: Policy, rules: HandoverRules, *, limit: int = 200) -> DispatchReport:
    """Dispatch up to `limit` pending events in the caller's transaction."""
    batch = events.pending(session, limit)
    created = closed = 0
    now = datetime.now(UTC)
    for event in batch:
        doc = session.get(Document, event.document_id) if event.document_id else None
        if doc is not None and event.kind in _REVIEW_OVER:
            closed += _close_reviews(session, doc.id, event.kind)
        triggered = rules.for_event(event.kind)
        if doc is not None and doc.status not in _GONE and triggered:
            facts = gather(session, doc, event.kind, _day_of(event))
            created += apply_rules(session, policy, triggered, doc, facts, f"event:{event.seq}")
        elif event.kind == "persons_merged" and event.person_id is not None and triggered:
            created += _apply_to_record(session, policy, triggered, event)
        event.dispatched_at = now
    session.flush()
    if batch:
        log.info("dispatched %d events: %d tasks created, %d reviews closed", len(batch), created, closed)
    return DispatchReport(events=len(batch), tasks=created, pending=events.count_pending(session), closed=closed)


def check_expiry(session: Session, policy: Policy, rules: HandoverRules, today: date) -> int:
    """The daily check: a follow-up for every identity document or permit at 90/30 days before its expiry
    date, and a task for each that has expired (the rules say which thresholds; once per document each)."""
    thresholds = rules.expiry_thresholds()
    if not thresholds:
        return 0
    triggered = rules.for_event("expiry")
    created = 0
    docs = session.scalars(
        select(Document).where(Document.type.in_([t.value for t in MRZ_TYPES]), Document.status == "filed")
    )
    for doc in docs:
        expiry = handover.parse_day(_field_values(doc).get("expiry_date"))
        stage = handover.expiry_stage(thresholds, expiry, today) if expiry else None
        if stage is None:
            continue
        facts = Facts(
            event="expiry",
            day=today,
            document_type=DocumentType(doc.type),
            status=doc.status,
            expiry_days_before=stage,
        )
        created += apply_rules(session, policy, triggered, doc, facts, f"expiry:{doc.id}:{stage}")
    return created
