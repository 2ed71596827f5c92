"""The audit log as people read it: filtered (who, what, person, document, time span), paged, with persons
and documents named, and as CSV. Reading is itself audited by the caller (`Lifecycle.audit_page`).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from schemas.archive import AuditFilter, AuditPage, AuditRow
from schemas.record import AuditEntry
from storage.models import AuditEvent, Document, Person

CSV_LIMIT = 100_000


def _filtered(query: Select[Any], f: AuditFilter) -> Select[Any]:
    if f.actor:
        query = query.where(AuditEvent.actor == f.actor)
    if f.action:
        query = query.where(AuditEvent.action == f.action)
    if f.person_id:
        query = query.where(AuditEvent.person_id == f.person_id)
    if f.document_id:
        query = query.where(AuditEvent.object_id == f.document_id)
    # `at` is an ISO timestamp in UTC, so text order is time order.
    if f.since:
        query = query.where(AuditEvent.at >= f.since.astimezone(UTC).isoformat(timespec="microseconds"))
    if f.until:
        query = query.where(AuditEvent.at < f.until.astimezone(UTC).isoformat(timespec="microseconds"))
    return query


def as_entry(e: AuditEvent) -> AuditEntry:
    """One stored audit event as the record's `AuditEntry` (for the log, the auditor's view and the export)."""
    return AuditEntry(
        seq=e.seq,
        at=datetime.fromisoformat(e.at),
        actor=e.actor,
        role=e.role,
        department=e.department,
        action=e.action,
        object_type=e.object_type,
        object_id=e.object_id,
        person_id=e.person_id,
        purpose=e.purpose,
        details=dict(e.details or {}),
        hash=e.hash,
    )


def _rows(session: Session, events: list[AuditEvent]) -> list[AuditRow]:
    person_ids = {e.person_id for e in events if e.person_id}
    doc_ids = {e.object_id for e in events if e.object_type == "document" and e.object_id}
    names = {
        p.id: f"{p.surname}, {p.given_names}".strip(", ")
        for p in session.scalars(select(Person).where(Person.id.in_(person_ids)))
    }
    types = {d: t for d, t in session.execute(select(Document.id, Document.type).where(Document.id.in_(doc_ids)))}
    return [
        AuditRow(
            entry=as_entry(e),
            person_name=names.get(e.person_id or "", ""),
            document_type=types.get(e.object_id or "", "") if e.object_type == "document" else "",
        )
        for e in events
    ]


def page(session: Session, f: AuditFilter) -> AuditPage:
    total = session.scalar(_filtered(select(func.count()).select_from(AuditEvent), f)) or 0
    events = list(
        session.scalars(
            _filtered(select(AuditEvent), f).order_by(AuditEvent.seq.desc()).offset(f.offset).limit(f.limit)
        )
    )
    actions = sorted(session.scalars(select(AuditEvent.action).distinct()))
    return AuditPage(rows=tuple(_rows(session, events)), total=int(total), filter=f, actions=tuple(actions))


def as_csv(session: Session, f: AuditFilter) -> str:
    """Every matching entry (up to 100,000), newest first, persons and documents named."""
    events = list(session.scalars(_filtered(select(AuditEvent), f).order_by(AuditEvent.seq.desc()).limit(CSV_LIMIT)))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [
            "seq",
            "zeit",
            "wer",
            "rolle",
            "abteilung",
            "aktion",
            "objekttyp",
            "objekt",
            "dokumentart",
            "person_id",
            "person",
            "zweck",
            "details",
            "hash",
        ]
    )
    for row in _rows(session, events):
        e = row.entry
        writer.writerow(
            [
                e.seq,
                e.at.isoformat(),
                e.actor,
                e.role,
                e.department,
                e.action,
                e.object_type,
                e.object_id or "",
                row.document_type,
                e.person_id or "",
                row.person_name,
                e.purpose or "",
                json.dumps(e.details, ensure_ascii=False, sort_keys=True),
                e.hash,
            ]
        )
    return out.getvalue()
