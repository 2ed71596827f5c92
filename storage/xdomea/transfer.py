"""The Aussonderung in the record database: which records are due, and each step of a transfer.

Runs in the caller's transaction (`storage.lifecycle.Lifecycle` opens it) and writes the audit entries.
A record is due when every live document's retention has ended and none is under legal hold.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from schemas.archive import Appraisal, TransferObjectView, TransferStatus, TransferView
from schemas.errors import InvalidRequest, NotFound
from schemas.record import Actor
from storage import audit
from storage.models import ArchiveTransfer, ArchiveTransferObject, Document, Person, Record
from storage.xdomea.build import object_uuid
from storage.xdomea.collect import LIVE, aware, live_documents

OPEN = (TransferStatus.OFFERED.value, TransferStatus.APPRAISED.value, TransferStatus.HANDED_OVER.value)


def due_records(session: Session, now: datetime | None = None, limit: int = 500) -> list[str]:
    """Records whose every live document is past retention and not held, and that are in no open transfer."""
    now = now or datetime.now(UTC)
    in_transfer = select(ArchiveTransferObject.record_id).join(ArchiveTransfer).where(ArchiveTransfer.status.in_(OPEN))
    candidates = session.scalars(
        select(Document.record_id)
        .where(Document.status.in_(LIVE), Document.record_id.is_not(None), Document.record_id.not_in(in_transfer))
        .group_by(Document.record_id)
        .having(func.max(Document.retain_until) <= now)
        .having(func.max(case((Document.legal_hold.is_(True), 1), (Document.retain_until.is_(None), 1), else_=0)) == 0)
        .limit(limit)
    )
    return [r for r in candidates if r]


def _transfer(session: Session, process_id: str) -> ArchiveTransfer:
    transfer = session.get(ArchiveTransfer, process_id.lower())
    if transfer is None:
        raise NotFound(f"no transfer {process_id} (xdomea ProzessID); see `dach archive transfers`.")
    return transfer


def open_transfer(session: Session, record_ids: list[str], actor: Actor) -> ArchiveTransfer:
    now = datetime.now(UTC)
    transfer = ArchiveTransfer(
        id=str(uuid.uuid4()),
        status=TransferStatus.OFFERED.value,
        created_by=actor.name,
        created_at=now,
        updated_at=now,
        messages={},
    )
    session.add(transfer)
    for record_id in record_ids:
        docs = live_documents(session, record_id)
        session.add(
            ArchiveTransferObject(
                transfer_id=transfer.id,
                object_uuid=object_uuid("record", record_id),
                record_id=record_id,
                document_ids={"ids": [d.id for d in docs]},
                error="",
            )
        )
    session.flush()
    return transfer


def record_message(
    session: Session, transfer: ArchiveTransfer, code: str, key: str, actor: Actor, **details: object
) -> None:
    transfer.messages = {**transfer.messages, code: key}
    transfer.updated_at = datetime.now(UTC)
    audit.append(session, actor, f"xdomea_{code}", "archive_transfer", transfer.id, details={"object": key, **details})


def apply_appraisal(
    session: Session, process_id: str, decisions: dict[str, Appraisal], actor: Actor
) -> ArchiveTransfer:
    transfer = _transfer(session, process_id)
    if transfer.status not in (TransferStatus.OFFERED.value, TransferStatus.APPRAISED.value):
        raise InvalidRequest(f"transfer {transfer.id} is {transfer.status}; an appraisal is read only after the offer.")
    known = {o.object_uuid: o for o in transfer.objects}
    unknown = sorted(set(decisions) - set(known))
    if unknown:
        raise InvalidRequest(f"the appraisal names objects that were not offered: {', '.join(unknown[:5])}.")
    for object_uuid_, decision in decisions.items():
        known[object_uuid_].appraisal = decision.value
    transfer.status = TransferStatus.APPRAISED.value
    return transfer


def to_hand_over(transfer: ArchiveTransfer) -> list[ArchiveTransferObject]:
    """Objects the archive wants (A, and B: it decides after seeing them)."""
    if transfer.status not in (TransferStatus.APPRAISED.value, TransferStatus.HANDED_OVER.value):
        raise InvalidRequest(f"transfer {transfer.id} is {transfer.status}; read the archive's appraisal (0502) first.")
    return [o for o in transfer.objects if o.appraisal in (Appraisal.ARCHIVE.value, Appraisal.REVIEW.value)]


def apply_confirmation(
    session: Session, process_id: str, results: dict[str, tuple[bool, str]], actor: Actor
) -> ArchiveTransfer:
    transfer = _transfer(session, process_id)
    if transfer.status != TransferStatus.HANDED_OVER.value:
        raise InvalidRequest(
            f"transfer {transfer.id} is {transfer.status}; an import confirmation follows the hand-over."
        )
    known = {o.object_uuid: o for o in transfer.objects}
    unknown = sorted(set(results) - set(known))
    if unknown:
        raise InvalidRequest(f"the confirmation names objects that were not handed over: {', '.join(unknown[:5])}.")
    for object_uuid_, (ok, text) in results.items():
        item = known[object_uuid_]
        item.imported = ok
        item.archive_id = text[:200] if ok else None
        item.error = "" if ok else text
    transfer.status = TransferStatus.CONFIRMED.value
    return transfer


def deletable(transfer: ArchiveTransfer) -> list[str]:
    """Documents that may now be deleted (four eyes): of records the archive imported, or appraised 'destroy'."""
    out: list[str] = []
    for item in transfer.objects:
        done = item.imported is True or item.appraisal == Appraisal.DESTROY.value
        if done:
            out += [str(i) for i in item.document_ids.get("ids", [])]
    return out


def blocking_transfer(session: Session, document_id: str) -> str | None:
    """Why a document may not be deleted yet because of a transfer (offered or kept by the archive, not
    yet confirmed as imported); None if no transfer holds it."""
    rows = session.execute(
        select(
            ArchiveTransfer.id,
            ArchiveTransfer.status,
            ArchiveTransferObject.appraisal,
            ArchiveTransferObject.imported,
            ArchiveTransferObject.document_ids,
        ).join(ArchiveTransferObject, ArchiveTransferObject.transfer_id == ArchiveTransfer.id)
    )
    for transfer_id, status, appraisal, imported, ids in rows:
        if document_id not in (ids or {}).get("ids", []):
            continue
        if appraisal == Appraisal.DESTROY.value or imported is True:
            continue
        if status == TransferStatus.CONFIRMED.value and imported is False:
            return f"the archive did not confirm importing it (transfer {transfer_id}); hand it over again"
        return f"it is offered to the archive (transfer {transfer_id}, {status}); wait for the import confirmation"
    return None


def view(session: Session, transfer: ArchiveTransfer) -> TransferView:
    objects = []
    for item in transfer.objects:
        row = session.get(Record, item.record_id)
        person = session.get(Person, row.person_id) if row else None
        objects.append(
            TransferObjectView(
                uuid=item.object_uuid,
                record_id=item.record_id,
                file_number=row.file_number if row else "",
                person_name=f"{person.surname}, {person.given_names}" if person else "",
                documents=len(item.document_ids.get("ids", [])),
                appraisal=Appraisal(item.appraisal) if item.appraisal else None,
                imported=item.imported,
                archive_id=item.archive_id,
                error=item.error,
            )
        )
    return TransferView(
        id=transfer.id,
        status=TransferStatus(transfer.status),
        created_by=transfer.created_by,
        created_at=aware(transfer.created_at),
        updated_at=aware(transfer.updated_at),
        objects=tuple(objects),
        messages=dict(transfer.messages),
    )


def transfers(session: Session, limit: int = 50) -> list[TransferView]:
    rows = session.scalars(select(ArchiveTransfer).order_by(ArchiveTransfer.created_at.desc()).limit(limit))
    return [view(session, t) for t in rows]


def latest(session: Session, status: TransferStatus) -> ArchiveTransfer | None:
    return session.scalar(
        select(ArchiveTransfer)
        .where(ArchiveTransfer.status == status.value)
        .order_by(ArchiveTransfer.updated_at.desc())
    )
