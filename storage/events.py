"""Record events: the transactional outbox of the record.

Every change of the record that other departments may have to act on writes one `RecordEvent` row through
`record()`, inside the very transaction that makes the change. Either both are committed or neither is, so
a crash anywhere between filing and dispatch loses no event and invents none; the dispatcher
(`storage/dispatch.py`) reads pending events in order and marks them dispatched in the transaction that
creates their tasks. On PostgreSQL writing an event also rings the record's event bell (`dach_events`, heard
when the transaction commits), so a dispatcher that listens (`dach scheduler`) hands it over at once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schemas.record import Actor
from storage import bells
from storage.models import RecordEvent


class EventKind(StrEnum):
    DOCUMENT_FILED = "document_filed"
    DOCUMENT_CORRECTED = "document_corrected"
    DOCUMENT_MOVED = "document_moved"  # its pages changed (split, merge, one page moved)
    DOCUMENT_WITHDRAWN = "document_withdrawn"
    PERSON_ASSIGNED = "person_assigned"  # a clerk filed a document awaiting review into a record
    PERSONS_MERGED = "persons_merged"
    DELETION_APPROVED = "deletion_approved"


def record(
    session: Session,
    kind: EventKind,
    actor: Actor,
    *,
    document_id: str | None = None,
    person_id: str | None = None,
    details: dict[str, object] | None = None,
) -> None:
    """Add the event to the caller's transaction (never commits: the caller's change and it go together)."""
    session.add(
        RecordEvent(
            kind=kind.value,
            document_id=document_id,
            person_id=person_id,
            actor=actor.name,
            details=dict(details or {}),
            at=datetime.now(UTC),
            dispatched_at=None,
        )
    )
    bells.ring(session, bells.EVENTS)


def pending(session: Session, limit: int) -> list[RecordEvent]:
    """The oldest undispatched events, locked for this transaction.

    On PostgreSQL rows another dispatcher holds are skipped, so dispatchers may run side by side; SQLite
    transactions start with `BEGIN IMMEDIATE` and are serial anyway.
    """
    query = select(RecordEvent).where(RecordEvent.dispatched_at.is_(None)).order_by(RecordEvent.seq).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(session.scalars(query))


def count_pending(session: Session) -> int:
    return int(session.scalar(select(func.count(RecordEvent.seq)).where(RecordEvent.dispatched_at.is_(None))) or 0)
