"""The intake door and the work queue: the database side of taking a file in.

Every channel (web upload, REST API, scanner share, CLI, mail) hands its files to `Archive.admit`, which
checks each one by content, stores the original under its SHA-256 and calls `admit_rows` here: one
`intake_files` row per distinct file (the same bytes twice are one file, reported as a duplicate) and one
`intake_entries` row per file of the batch. Workers anywhere then take files as leases: `claim` picks the
oldest queued file with `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL (SQLite's `BEGIN IMMEDIATE` write
lock makes the same statement atomic there), so any number of workers take disjoint work; `heartbeat`
renews a lease, `finish` records the outcome, and `reap` returns expired leases (a worker that died) to the
queue, or sets the file aside once it has failed `MAX_ATTEMPTS` times. Functions take the caller's session;
`storage.archive.Archive` opens the transactions.

On PostgreSQL a queued file rings a bell (`NOTIFY dach_intake`, sent when the transaction commits) and idle
workers wait for it (`storage.bells.Bell`) instead of asking the database every few seconds: an empty queue costs next
to nothing, and a file is taken the moment it is queued.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ocr.sources import inspect_source
from schemas.documents import DocumentType, ErrorInfo
from schemas.errors import FileTooLarge, InputRejected
from schemas.intake import (
    AdmissionStatus,
    BatchProgress,
    DocumentBrief,
    FileAdmission,
    FileProgress,
    FileState,
    IntakeChannel,
    IntakeClaim,
    Upload,
)
from schemas.record import Actor
from schemas.settings import OcrLimits
from storage import bells
from storage.models import Batch, Document, IntakeEntry, IntakeFile, Person, Record
from storage.objects import ObjectStore, put_quarantined
from storage.reading import person_display_name

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
DEFAULT_LEASE = timedelta(seconds=60)
MAX_NAME = 1000


def ring(session: Session) -> None:
    """Tell waiting workers that a file was queued (delivered at commit; PostgreSQL only, SQLite has no bell)."""
    bells.ring(session, bells.INTAKE)


GONE = ("withdrawn", "deleted")


def display_name(name: str | bytes) -> tuple[str, str | None]:
    """A handed-in file name as text for display, and base64 of its bytes when they were not UTF-8.

    Scanners and mail clients send names in any encoding; a name read from a file system arrives with
    surrogate escapes (`os.fsdecode`). Neither may crash intake: the display text gets U+FFFD for bytes it
    cannot show, control characters are dropped, and the exact bytes are kept beside it."""
    if isinstance(name, str):
        try:
            name.encode("utf-8")
            data = None
        except UnicodeEncodeError:
            data = name.encode("utf-8", "surrogateescape")
    else:
        data = name
    raw: bytes | None = None
    if data is None:
        text = str(name)
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text, raw = data.decode("utf-8", "replace"), data
    text = "".join(c for c in text if unicodedata.category(c) != "Cc")[:MAX_NAME]
    return text, (base64.b64encode(raw).decode("ascii") if raw is not None else None)


@dataclass(frozen=True)
class Admitted:
    """What `Archive.admit` learnt about one handed-in file before writing its rows."""

    position: int
    name: str
    raw_name: str | None
    label: str
    sha256: str
    size: int
    object_key: str | None
    media_type: str = ""
    page_count: int = 0
    error: ErrorInfo | None = None
    quarantine_id: str | None = None


def store_uploads(store: ObjectStore, limits: OcrLimits, uploads: list[Upload]) -> list[Admitted]:
    """Check each file by content (magic bytes, size, pages, pixels: `ocr.sources.inspect_source`) and store
    it: an admitted original under its SHA-256, a rejected one in quarantine with its reason. Objects are
    written before the rows that point at them (`admit_rows`)."""
    out: list[Admitted] = []
    for position, upload in enumerate(uploads):
        name, raw = display_name(upload.raw_name if upload.raw_name is not None else upload.name)
        size = upload.size if upload.size is not None else len(upload.data)
        label = display_name(upload.label)[0] if upload.label is not None else name
        sha = upload.sha256 or hashlib.sha256(upload.data).hexdigest()
        try:
            if upload.refused is not None:  # the channel would not read it (a link, a device)
                refused = InputRejected(upload.refused.message)
                refused.code = upload.refused.code
                raise refused
            if size > limits.max_file_bytes:
                raise FileTooLarge(
                    f"the file has {size / 2**20:.0f} MiB, more than the limit of "
                    f"{limits.max_file_bytes / 2**20:.0f} MiB; split it into smaller scans or raise "
                    "DACH_LIMITS__MAX_FILE_BYTES."
                )
            info = inspect_source(upload.data, limits)
        except InputRejected as exc:
            error = ErrorInfo(code=exc.code, message=exc.message)
            qid, key = put_quarantined(store, upload.data if size <= limits.max_file_bytes else b"", name, error)
            out.append(Admitted(position, name, raw, label, sha, size, key, error=error, quarantine_id=qid))
            continue
        key = store.put(upload.data, info.media_type)
        out.append(Admitted(position, name, raw, label, sha, size, key, info.media_type, info.page_count))
    return out


def admit_rows(
    session: Session,
    batch_id: str,
    files: list[Admitted],
    channel: IntakeChannel,
    actor: Actor,
    details: dict[str, Any],
    now: datetime,
) -> list[FileAdmission]:
    """Queue new files, note duplicates, record rejections; one entry per handed-in file."""
    if session.get(Batch, batch_id) is None:
        session.add(Batch(id=batch_id, created_by=actor.name, created_at=now))
    out: list[FileAdmission] = []
    for f in files:
        row = session.get(IntakeFile, f.sha256)
        if row is None:
            status = FileState.QUARANTINED if f.error else FileState.QUEUED
            row = IntakeFile(
                sha256=f.sha256,
                object_key=f.object_key,
                media_type=f.media_type,
                page_count=f.page_count,
                size=f.size,
                batch_id=batch_id,
                channel=channel.value,
                original_name=f.name,
                original_name_raw=f.raw_name,
                uploader=actor.model_dump(mode="json"),
                details=details,
                status=status.value,
                attempts=0,
                documents={},
                error_code=f.error.code if f.error else None,
                error_message=f.error.message if f.error else None,
                quarantine_id=f.quarantine_id,
                created_at=now,
                updated_at=now,
            )
            session.add(row)
            session.flush()  # a second file of the same batch with the same bytes is a duplicate of this one
            admission = AdmissionStatus.REJECTED if f.error else AdmissionStatus.QUEUED
        elif row.error_code and row.attempts == 0 and row.status == FileState.QUARANTINED:
            admission = AdmissionStatus.REJECTED  # rejected at the door before: the same reason again
        elif f.error is None and worth_reading_again(row):
            queue_again(row, now)
            admission = AdmissionStatus.QUEUED
        else:
            admission = AdmissionStatus.DUPLICATE
        error = (
            ErrorInfo(code=row.error_code, message=row.error_message or "")
            if admission is AdmissionStatus.REJECTED and row.error_code
            else None
        )
        session.add(
            IntakeEntry(
                batch_id=batch_id,
                position=f.position,
                sha256=f.sha256,
                original_name=f.label,
                admission=admission.value,
                channel=channel.value,
                created_by=actor.name,
                created_at=now,
            )
        )
        out.append(FileAdmission(file=f.label, sha256=f.sha256, status=admission, error=error))
    if any(a.status is AdmissionStatus.QUEUED for a in out):
        ring(session)
    return out


def _codes(cls: type[InputRejected]) -> set[str]:
    return {cls.code}.union(*(_codes(sub) for sub in cls.__subclasses__()))


#: Reasons that lie in the file itself: the same bytes read again fail the same way. A page timeout is not
#: among them (a loaded or stopped machine makes one too), nor is anything of the store, the disk or the worker.
FILE_FAULTS = _codes(InputRejected) - {"page_timeout"}


def worth_reading_again(row: IntakeFile) -> bool:
    """A file set aside while it was being read for a reason that was not its own (the disk was full, the store
    away or answering nonsense, its worker died, a page timed out): handed in again, it is read again. Before,
    the same bytes handed in again were a "duplicate" of the quarantined file, so a re-run after the outage
    never read them (a full disk or a garbled bucket creation left good files quarantined for ever)."""
    return (
        row.status == FileState.QUARANTINED.value
        and row.attempts > 0
        and row.error_code is not None
        and row.error_code not in FILE_FAULTS
        and row.object_key is not None
    )


def queue_again(row: IntakeFile, now: datetime) -> None:
    """Back to the queue with a fresh count of attempts (the quarantine entry stays, as the record of it)."""
    log.info("intake file %s (%s before) queued again", row.sha256[:12], row.error_code)
    row.status = FileState.QUEUED.value
    row.attempts = 0
    row.error_code = row.error_message = None
    row.quarantine_id = None
    row.lease_owner = row.lease_until = None
    row.updated_at = now


def _claim_of(row: IntakeFile) -> IntakeClaim:
    return IntakeClaim(
        sha256=row.sha256,
        object_key=str(row.object_key),
        original_name=row.original_name,
        batch_id=row.batch_id,
        uploader=Actor.model_validate(row.uploader),
        attempt=row.attempts,
        media_type=row.media_type,
        page_count=row.page_count,
        channel=row.channel,
    )


# Of the files admitted together (one batch), the one with the most pages first (see `claim`).
CLAIM_ORDER = (IntakeFile.created_at, IntakeFile.page_count.desc(), IntakeFile.sha256)


def claim(
    session: Session,
    owner: str,
    now: datetime,
    lease: timedelta = DEFAULT_LEASE,
    *,
    sha256s: list[str] | None = None,
    flow_run_id: str | None = None,
) -> IntakeClaim | None:
    """Take the oldest queued file (of `sha256s`, if given) as a lease for `owner`; None if there is none.

    Of the files admitted together (one batch), the one with the most pages first: the long files are read
    while the other workers are busy too, and the batch ends on short ones instead of one worker reading a
    long file alone while the others wait (a two-worker batch of 1-7 page files ended up to 7 pages apart).
    `SKIP LOCKED`: a row another worker is claiming right now is passed over, not waited for. `flow_run_id`:
    the flow run that reads the file, when it exists before the claim."""
    query = select(IntakeFile).where(IntakeFile.status == FileState.QUEUED.value)
    if sha256s is not None:
        query = query.where(IntakeFile.sha256.in_(sha256s))
    query = query.order_by(*CLAIM_ORDER).limit(1).with_for_update(skip_locked=True)
    row = session.scalars(query).first()
    if row is None:
        return None
    row.status = FileState.RUNNING.value
    row.attempts += 1
    row.lease_owner = owner
    row.lease_until = now + lease
    row.heartbeat_at = now
    row.updated_at = now
    if flow_run_id is not None:  # a run that goes on with this file: the reaper knows it at once
        row.flow_run_id = flow_run_id
    return _claim_of(row)


def held(session: Session, sha256: str, owner: str) -> IntakeClaim | None:
    """The claim `owner` holds on the file, or None if it holds no lease on it (any more)."""
    row = session.get(IntakeFile, sha256)
    if row is None or row.status != FileState.RUNNING.value or row.lease_owner != owner:
        return None
    return _claim_of(row)


def heartbeat(session: Session, sha256: str, owner: str, now: datetime, lease: timedelta = DEFAULT_LEASE) -> bool:
    """Renew the lease; False if the worker no longer holds it (it expired and was reaped)."""
    result = session.execute(
        update(IntakeFile)
        .where(
            IntakeFile.sha256 == sha256,
            IntakeFile.lease_owner == owner,
            IntakeFile.status == FileState.RUNNING.value,
        )
        .values(lease_until=now + lease, heartbeat_at=now)
    )
    return bool(getattr(result, "rowcount", 0))


def set_flow_run(session: Session, sha256: str, owner: str, flow_run_id: str) -> None:
    session.execute(
        update(IntakeFile)
        .where(IntakeFile.sha256 == sha256, IntakeFile.lease_owner == owner)
        .values(flow_run_id=flow_run_id)
    )


def finish(
    session: Session,
    sha256: str,
    owner: str | None,
    status: FileState,
    now: datetime,
    *,
    documents: list[str] | None = None,
    error: ErrorInfo | None = None,
    quarantine_id: str | None = None,
) -> bool:
    """Record the outcome of reading a file and release its lease. False (and nothing changed) if another
    worker holds the lease now: its run finishes the file (filing is idempotent, so nothing is doubled)."""
    row = session.get(IntakeFile, sha256, with_for_update=True)
    if row is None or (owner is not None and row.lease_owner not in (owner, None)):
        return False
    if owner is not None and row.status != FileState.RUNNING.value:
        return False
    row.status = status.value
    row.documents = {"ids": list(documents or [])}
    row.error_code = error.code if error else None
    row.error_message = error.message if error else None
    row.quarantine_id = quarantine_id
    row.lease_owner = None
    row.lease_until = None
    row.updated_at = now
    return True


def release(session: Session, sha256: str, owner: str, now: datetime, error: ErrorInfo) -> FileState | None:
    """A run failed for a reason that may pass: back to the queue, or `quarantined` once it has failed
    `MAX_ATTEMPTS` times (the caller then quarantines the original). None if the lease was lost."""
    row = session.get(IntakeFile, sha256, with_for_update=True)
    if row is None or row.lease_owner != owner or row.status != FileState.RUNNING.value:
        return None
    return _requeue(row, now, error)


def _requeue(row: IntakeFile, now: datetime, error: ErrorInfo) -> FileState:
    row.error_code, row.error_message = error.code, error.message
    row.lease_owner = None
    row.lease_until = None
    row.updated_at = now
    row.status = (FileState.QUARANTINED if row.attempts >= MAX_ATTEMPTS else FileState.QUEUED).value
    if row.status == FileState.QUEUED.value:
        ring(Session.object_session(row) or _no_session())
    return FileState(row.status)


def _no_session() -> Session:
    raise RuntimeError("an intake row outside a session cannot be requeued")


@dataclass(frozen=True)
class Reaped:
    sha256: str
    object_key: str | None
    original_name: str
    batch_id: str
    flow_run_id: str | None
    owner: str | None
    status: FileState
    attempts: int


def reap(session: Session, now: datetime, *, limit: int = 100) -> list[Reaped]:
    """Leases that ran out (their worker died or hangs): back to the queue, or set aside after the last try."""
    query = (
        select(IntakeFile)
        .where(IntakeFile.status == FileState.RUNNING.value, IntakeFile.lease_until < now)
        .order_by(IntakeFile.lease_until)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    out: list[Reaped] = []
    for row in session.scalars(query):
        owner, run = row.lease_owner, row.flow_run_id
        message = (
            f"the worker {owner} stopped renewing its lease while reading this file "
            f"(attempt {row.attempts} of {MAX_ATTEMPTS}; it was killed or lost its connection)"
        )
        status = _requeue(row, now, ErrorInfo(code="worker_lost", message=message))
        log.warning("intake file %s: lease of %s expired, now %s", row.sha256[:12], owner, status.value)
        out.append(
            Reaped(row.sha256, row.object_key, row.original_name, row.batch_id, run, owner, status, row.attempts)
        )
    return out


# A file waiting to be read or being read.
UNFINISHED = (FileState.QUEUED.value, FileState.RUNNING.value)


def unfinished(session: Session, sha256s: list[str]) -> int:
    from sqlalchemy import func

    query = select(func.count()).where(IntakeFile.sha256.in_(sha256s), IntakeFile.status.in_(UNFINISHED))
    return int(session.scalar(query) or 0)


def queued_in_order(session: Session, sha256s: list[str]) -> list[tuple[str, int]]:
    """Object key and page count of these files that are queued, in the order `claim` takes them."""
    query = select(IntakeFile.object_key, IntakeFile.page_count).where(
        IntakeFile.status == FileState.QUEUED.value,
        IntakeFile.sha256.in_(sha256s),
        IntakeFile.object_key.is_not(None),
    )
    return [(str(key), int(pages)) for key, pages in session.execute(query.order_by(*CLAIM_ORDER))]


def busy(session: Session) -> bool:
    """Whether any file is queued or being read (one indexed look, for an idle reaper)."""
    return session.scalar(select(IntakeFile.sha256).where(IntakeFile.status.in_(UNFINISHED)).limit(1)) is not None


def live_flow_runs(session: Session) -> set[str]:
    query = select(IntakeFile.flow_run_id).where(
        IntakeFile.status == FileState.RUNNING.value, IntakeFile.flow_run_id.is_not(None)
    )
    return {str(r) for r in session.scalars(query)}


def queue_depth(session: Session) -> dict[str, int]:
    from sqlalchemy import func

    rows = session.execute(select(IntakeFile.status, func.count()).group_by(IntakeFile.status))
    return {str(status): int(count) for status, count in rows}


def documents_of(session: Session, object_keys: list[str]) -> dict[str, list[Document]]:
    """The live documents made from each original, in page order."""
    if not object_keys:
        return {}
    docs = session.scalars(
        select(Document).where(Document.original_key.in_(object_keys), Document.status.not_in(GONE))
    ).all()
    out: dict[str, list[Document]] = {k: [] for k in object_keys}
    for doc in docs:
        out[doc.original_key].append(doc)
    for found in out.values():
        found.sort(key=lambda d: d.pages[:1] or (0,))
    return out


def _brief(
    doc: Document, person_of: dict[str, str], names: dict[str, str], may_read: Callable[[Document], bool]
) -> DocumentBrief:
    notes = doc.notes.get("notes", []) if isinstance(doc.notes, dict) else []
    person_id = person_of.get(doc.record_id or "")
    return DocumentBrief(
        id=doc.id,
        type=DocumentType(doc.type),
        pages=doc.pages,
        status=doc.status,
        person_id=person_id,
        person_name=names.get(person_id or "") if may_read(doc) else None,
        review_notes=tuple(str(n) for n in notes),
    )


def _person_names(session: Session, person_ids: set[str]) -> dict[str, str]:
    """ "SURNAME, Given names" of each person with a name (one query for the whole batch)."""
    if not person_ids:
        return {}
    people = session.scalars(select(Person).where(Person.id.in_(person_ids)))
    return {p.id: name for p in people if (name := person_display_name(p))}


def _nobody(doc: Document) -> bool:
    return False


def batch_progress(
    session: Session, batch_id: str, may_read: Callable[[Document], bool] = _nobody
) -> BatchProgress | None:
    """Every file a batch handed in, with where it is now and the documents made from it so far; a person's
    name only on the documents `may_read` lets the one asking read (need-to-know: the front desk sees the
    name on what awaits its review, a department on the types it reads)."""
    batch = session.get(Batch, batch_id)
    entries = session.scalars(
        select(IntakeEntry).where(IntakeEntry.batch_id == batch_id).order_by(IntakeEntry.position, IntakeEntry.id)
    ).all()
    if batch is None or not entries:
        return None
    rows = {
        r.sha256: r
        for r in session.scalars(select(IntakeFile).where(IntakeFile.sha256.in_({e.sha256 for e in entries})))
    }
    keys = [r.object_key for r in rows.values() if r.object_key]
    docs = documents_of(session, keys)
    record_ids = {d.record_id for found in docs.values() for d in found if d.record_id}
    person_of = (
        {
            str(r): str(p)
            for r, p in session.execute(select(Record.id, Record.person_id).where(Record.id.in_(record_ids)))
        }
        if record_ids
        else {}
    )
    names = _person_names(session, set(person_of.values()))
    files: list[FileProgress] = []
    for entry in entries:
        row = rows[entry.sha256]
        found = docs.get(row.object_key or "", [])
        status = FileState(row.status)
        files.append(
            FileProgress(
                file=entry.original_name,
                sha256=row.sha256,
                status=status,
                documents=tuple(_brief(d, person_of, names, may_read) for d in found),
                error=ErrorInfo(code=row.error_code, message=row.error_message or "") if row.error_code else None,
                quarantine_id=row.quarantine_id,
                attempts=row.attempts,
                page_count=row.page_count,
                object_key=row.object_key,
            )
        )
    return BatchProgress(batch_id=batch_id, created_by=batch.created_by, channel=entries[0].channel, files=tuple(files))


def recent_batches(session: Session, created_by: str, limit: int) -> list[str]:
    rows = session.execute(
        select(Batch.id)
        .where(Batch.created_by == created_by, Batch.id.in_(select(IntakeEntry.batch_id)))
        .order_by(Batch.created_at.desc())
        .limit(limit)
    )
    return [str(r) for r in rows.scalars()]


def utcnow() -> datetime:
    return datetime.now(UTC)
