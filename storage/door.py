"""The intake door's part of the `Archive` facade: admission and the work queue (the rows: `storage/intake.py`).

A mixin so the facade stays one object for its callers while its modules stay small; it uses the archive's
object store, sessions and transaction helper.
"""

from __future__ import annotations

import logging
import uuid
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError as SAIntegrityError
from sqlalchemy.orm import Session, sessionmaker

from schemas.documents import DocumentType, ErrorInfo
from schemas.errors import AccessDenied, FailedRepeatedly, NotFound
from schemas.intake import BatchAdmission, BatchProgress, FileState, IntakeChannel, IntakeClaim, Upload
from schemas.record import Actor, Role
from schemas.settings import OcrLimits
from storage import audit, bells, db, intake
from storage.models import Document, IntakeFile, QuarantineEntry
from storage.objects import ObjectStore
from storage.policy import Policy

log = logging.getLogger(__name__)


def quarantine_row(
    session: Session, qid: str, key: str | None, original_name: str, error: ErrorInfo, batch_id: str | None
) -> None:
    if session.get(QuarantineEntry, qid) is None:
        session.add(
            QuarantineEntry(
                id=qid,
                object_key=key,
                original_name=original_name[:255],
                error_code=error.code,
                error_message=error.message,
                batch_id=batch_id,
                created_at=datetime.now(UTC),
            )
        )


class IntakeDoor:
    # What the archive brings (set in `Archive.__init__`, or defined there).
    engine: Engine
    store: ObjectStore
    limits: OcrLimits
    policy: Policy
    _sessions: sessionmaker[Session]

    def _tx(self) -> AbstractContextManager[Session]:
        raise NotImplementedError

    def quarantine(self, data: bytes, original_name: str, error: ErrorInfo, batch_id: str | None) -> str:
        raise NotImplementedError

    def admit(
        self,
        uploads: list[Upload],
        channel: IntakeChannel,
        actor: Actor,
        *,
        batch_id: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> BatchAdmission:
        """The one door for every channel: check each file by content, keep it under its SHA-256 (a rejected
        one in quarantine with its reason) and queue it for the workers. Idempotent by SHA-256."""
        batch = batch_id or uuid.uuid4().hex[:16]
        admitted = intake.store_uploads(self.store, self.limits, uploads)
        for attempt in (1, 2):  # two doors admitting the same new bytes at once: the loser sees a duplicate
            try:
                with self._tx() as session:
                    for f in admitted:
                        if f.error is not None and f.quarantine_id:
                            quarantine_row(session, f.quarantine_id, f.object_key, f.name, f.error, batch)
                    files = intake.admit_rows(session, batch, admitted, channel, actor, details or {}, intake.utcnow())
                    audit.append(
                        session,
                        actor,
                        "admit",
                        "intake_batch",
                        batch,
                        details={"channel": channel.value, "files": [[f.sha256, f.status.value] for f in files]},
                    )
                break
            except SAIntegrityError:
                if attempt == 2:
                    raise
        log.info("batch %s (%s, %s): %d files admitted", batch, channel.value, actor.name, len(files))
        return BatchAdmission(batch_id=batch, files=tuple(files))

    def intake_bell(self) -> bells.Bell | None:
        """A waiter for the door's bell, for an idle worker; None where there is none (SQLite): poll instead."""
        return bells.Bell(self.engine, bells.INTAKE) if bells.heard_on(self.engine.url) else None

    def claim_intake(
        self,
        owner: str,
        *,
        lease: timedelta = intake.DEFAULT_LEASE,
        sha256s: list[str] | None = None,
        flow_run_id: str | None = None,
    ) -> IntakeClaim | None:
        """Take the oldest queued file as a lease (disjoint between any number of workers), for the flow run
        `flow_run_id` if it is already running."""
        with db.transaction(self._sessions) as session:
            return intake.claim(session, owner, intake.utcnow(), lease, sha256s=sha256s, flow_run_id=flow_run_id)

    def held_intake(self, sha256: str, owner: str) -> IntakeClaim | None:
        """The claim `owner` holds on the file (None if its lease expired and was reaped)."""
        with db.transaction(self._sessions) as session:
            return intake.held(session, sha256, owner)

    def heartbeat_intake(self, sha256: str, owner: str, *, lease: timedelta = intake.DEFAULT_LEASE) -> bool:
        with db.transaction(self._sessions) as session:
            return intake.heartbeat(session, sha256, owner, intake.utcnow(), lease)

    def note_flow_run(self, sha256: str, owner: str, flow_run_id: str) -> None:
        with db.transaction(self._sessions) as session:
            intake.set_flow_run(session, sha256, owner, flow_run_id)

    def finish_intake(
        self,
        sha256: str,
        owner: str | None,
        status: FileState,
        *,
        documents: list[str] | None = None,
        error: ErrorInfo | None = None,
        quarantine_id: str | None = None,
    ) -> bool:
        with db.transaction(self._sessions) as session:
            return intake.finish(
                session,
                sha256,
                owner,
                status,
                intake.utcnow(),
                documents=documents,
                error=error,
                quarantine_id=quarantine_id,
            )

    def release_intake(self, sha256: str, owner: str, error: ErrorInfo) -> FileState | None:
        """A run failed: back to the queue, or into quarantine after the last attempt."""
        with db.transaction(self._sessions) as session:
            status = intake.release(session, sha256, owner, intake.utcnow(), error)
        if status is FileState.QUARANTINED:
            self._set_aside(sha256, error)
        return status

    def reap_intake(self) -> list[intake.Reaped]:
        """Expired leases back to the queue (or into quarantine after the last attempt)."""
        with db.transaction(self._sessions) as session:
            reaped = intake.reap(session, intake.utcnow())
        for r in reaped:
            if r.status is FileState.QUARANTINED:
                self._set_aside(r.sha256, ErrorInfo(code="worker_lost", message="its worker died on every attempt"))
        return reaped

    def _set_aside(self, sha256: str, last: ErrorInfo) -> None:
        """A file that failed `MAX_ATTEMPTS` times: into quarantine with the reason, the batch says so."""
        with db.transaction(self._sessions) as session:
            row = session.get(IntakeFile, sha256)
            if row is None:
                return
            key, name, batch = row.object_key, row.original_name, row.batch_id
        exc = FailedRepeatedly(
            f"reading this file failed {intake.MAX_ATTEMPTS} times (last: {last.code}: {last.message}); "
            "it is kept in quarantine: check the file, then hand it in again with `dach quarantine get`."
        )
        error = ErrorInfo(code=exc.code, message=exc.message)
        try:
            data = self.store.get(key) if key else b""
        except NotFound:
            # Its original never reached the store (a write answered by something that was not the store):
            # the entry says so; handed in again, the door stores it and the file is read again.
            data = b""
            error = ErrorInfo(code=error.code, message=f"{error.message} Its original is missing from the store.")
        qid = self.quarantine(data, name, error, batch)
        with db.transaction(self._sessions) as session:
            intake.finish(session, sha256, None, FileState.QUARANTINED, intake.utcnow(), error=error, quarantine_id=qid)

    def unfinished_intake(self, sha256s: list[str]) -> int:
        """How many of these files are still queued or being read."""
        with db.transaction(self._sessions) as session:
            return intake.unfinished(session, sha256s)

    def queued_intake(self, sha256s: list[str]) -> list[tuple[str, int]]:
        """Object key and page count of these files that are still queued, in the order workers take them."""
        with db.transaction(self._sessions) as session:
            return intake.queued_in_order(session, sha256s)

    def intake_busy(self) -> bool:
        """Whether any file is queued or being read."""
        with db.transaction(self._sessions) as session:
            return intake.busy(session)

    def live_flow_runs(self) -> set[str]:
        """The flow runs that hold a lease now (the others of the deployment are stranded)."""
        with db.transaction(self._sessions) as session:
            return intake.live_flow_runs(session)

    def intake_queue(self) -> dict[str, int]:
        """How many files are in each state (for `dach worker` logs and the benchmarks)."""
        with db.transaction(self._sessions) as session:
            return intake.queue_depth(session)

    def batch_progress(self, batch_id: str, actor: Actor) -> BatchProgress:
        """Where each file of a batch is, and the documents made of it so far: for the one who handed the
        batch in (and the intake system); others are told there is no such batch."""

        def may_read(doc: Document) -> bool:
            return self.policy.can_read(
                actor, DocumentType(doc.type), filed_by_user_id=doc.filed_by_user_id, status=doc.status
            )

        with db.transaction(self._sessions) as session:
            progress = intake.batch_progress(session, batch_id, may_read)
        if progress is None:
            raise NotFound(f"there is no batch {batch_id}")
        if progress.created_by != actor.name and actor.role is not Role.SYSTEM:
            raise AccessDenied(f"batch {batch_id} belongs to another user")
        return progress

    def recent_batches(self, actor: Actor, limit: int = 10) -> list[str]:
        with db.transaction(self._sessions) as session:
            return intake.recent_batches(session, actor.name, limit)
