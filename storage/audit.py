"""The audit trail: append-only and hash-chained, its head anchored in the object store.

Every create, read, search, download, correction and deletion is written in the same transaction as the
work it describes: who (name, role, department), what (action, object, person), when, and the purpose.
Each entry's hash is SHA-256 over the previous hash and the canonical JSON of the entry, so editing or
deleting an entry breaks the chain. After each transaction the new head (sequence number + hash) is written
to the object store as a write-once object; truncating the end of the trail, or rewriting the whole chain,
then no longer matches the newest anchor. `verify` checks all of it. Anchors are written by a background
thread (`Anchorer`), so reads do not wait for the object store; a crash can lose at most the anchors of
the last moments, never an entry.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import logging
import threading
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schemas.errors import DachError, IntegrityError, NotFound
from schemas.record import Actor, AuditEntry, AuditReport
from storage.audit_query import as_entry
from storage.models import AuditEvent, AuditHead
from storage.objects import ObjectStore

log = logging.getLogger(__name__)

GENESIS = "0" * 64
ANCHOR_PREFIX = "anchors/audit/"
_HEAD_KEY = "dach.audit_head"  # session.info key: the head this transaction produced


def _canonical(event: AuditEvent) -> bytes:
    body = {
        "seq": event.seq,
        "at": event.at,
        "actor": event.actor,
        "role": event.role,
        "department": event.department,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "person_id": event.person_id,
        "purpose": event.purpose,
        "details": event.details,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def chain_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256(prev_hash.encode() + b"\n" + _canonical(event)).hexdigest()


def append(
    session: Session,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: str | None = None,
    *,
    person_id: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit entry in the caller's transaction (locks the chain head until it commits)."""
    head = session.get(AuditHead, 1, with_for_update=True)
    if head is None:
        raise IntegrityError("the audit chain head is missing; the database was not created by dach's migrations.")
    event = AuditEvent(
        seq=head.seq + 1,
        at=datetime.now(UTC).isoformat(timespec="microseconds"),
        actor=actor.name,
        role=actor.role.value,
        department=actor.department.value,
        action=action,
        object_type=object_type,
        object_id=object_id,
        person_id=person_id,
        purpose=actor.purpose,
        details=details or {},
        prev_hash=head.hash,
    )
    event.hash = chain_hash(head.hash, event)
    session.add(event)
    head.seq, head.hash = event.seq, event.hash
    session.info[_HEAD_KEY] = (event.seq, event.hash)
    return event


def produced_head(session: Session) -> tuple[int, str] | None:
    """The chain head written by this session's transaction, to anchor after it commits."""
    head: tuple[int, str] | None = session.info.pop(_HEAD_KEY, None)
    return head


def anchor_key(seq: int) -> str:
    return f"{ANCHOR_PREFIX}{seq // 10000:08d}/{seq:012d}.json"


def anchor(store: ObjectStore, seq: int, hash_: str) -> None:
    """Write the chain head to the object store (write-once; WORM on S3)."""
    note = {"seq": seq, "hash": hash_, "at": datetime.now(UTC).isoformat()}
    store.put_named(anchor_key(seq), json.dumps(note, sort_keys=True).encode())


class Anchorer:
    """Writes chain heads to the object store in a background thread, newest first, coalescing bursts.

    A commit only hands over its head (no object-store round trip on the caller's path); `flush` waits
    until the newest head handed over is written (the archive flushes before verifying and on close).
    A head that cannot be written (store down) is kept and retried with the next one.

    Every search is audited, so a clerk's searches commit a head each every few milliseconds: the writer
    lets a burst gather for `pause` seconds and anchors its newest head once (an object-store write per
    search cost more CPU than the search itself on S3). `flush` does not wait for the pause.
    """

    def __init__(self, store: ObjectStore, pause: float = 0.5) -> None:
        self.store = store
        self.pause = pause
        self._pending: tuple[int, str] | None = None
        self._written = 0
        self._cond = threading.Condition()
        self._closed = False
        self._hurry = 0  # flushers waiting: write at once
        self._thread = threading.Thread(target=self._run, name="dach-audit-anchor", daemon=True)
        self._thread.start()
        atexit.register(self.flush, 10.0)  # a process that never closes its archive still anchors its head

    def submit(self, seq: int, hash_: str) -> None:
        with self._cond:
            if self._pending is None or seq > self._pending[0]:
                self._pending = (seq, hash_)
            self._cond.notify_all()

    def _run(self) -> None:
        while True:
            with self._cond:
                while self._pending is None and not self._closed:
                    self._cond.wait()
                if self._pending is None:
                    return
                self._cond.wait_for(lambda: self._closed or self._hurry > 0, timeout=self.pause)
                head = self._pending
            try:
                anchor(self.store, *head)
            except DachError as exc:
                with self._cond:
                    if self._closed:  # closed while the store is down: the next run anchors this head
                        return
                log.warning("could not anchor audit head %d (will retry with the next): %s", head[0], exc)
                time.sleep(1.0)
                continue
            with self._cond:
                self._written = max(self._written, head[0])
                if self._pending == head:
                    self._pending = None
                self._cond.notify_all()

    def flush(self, timeout: float = 30.0) -> bool:
        """Wait until every head handed over is anchored; False if that did not happen in time."""
        with self._cond:
            self._hurry += 1
            self._cond.notify_all()
            try:
                return self._cond.wait_for(lambda: self._pending is None, timeout=timeout)
            finally:
                self._hurry -= 1

    def close(self) -> None:
        atexit.unregister(self.flush)
        if not self.flush(timeout=10.0):
            log.warning("the newest audit head could not be anchored before closing; the next run anchors it")
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        self._thread.join(timeout=5)


#: How many of the newest anchors `verify` reads. The newest alone detects every edit, deletion or rewrite
#: up to its entry (each of those changes the hash it pins); a few more survive one damaged anchor.
ANCHORS_CHECKED = 10


def _anchors(store: ObjectStore) -> list[tuple[int, str]]:
    """The newest anchors (keys sort by sequence number: zero-padded)."""
    found: list[tuple[int, str]] = []
    for obj in list(store.list(ANCHOR_PREFIX))[-ANCHORS_CHECKED:]:
        try:
            note = json.loads(store.get_named(obj.key))
            found.append((int(note["seq"]), str(note["hash"])))
        except (NotFound, ValueError, KeyError, TypeError) as exc:
            log.warning("audit anchor %s is unreadable: %s", obj.key, exc)
            found.append((-1, obj.key))
    return found


def verify(session: Session, store: ObjectStore, *, max_problems: int = 50) -> AuditReport:
    """Recompute the chain and compare it with the head row and the anchors in the object store."""
    problems: list[str] = []
    expected_prev, expected_seq, count = GENESIS, 1, 0
    hashes_at: dict[int, str] = {}
    anchors = _anchors(store)
    wanted = {seq for seq, _ in anchors}
    rows = session.execute(select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=2000))
    for event in rows.scalars():
        count += 1
        if event.seq != expected_seq:
            problems.append(f"entries {expected_seq}..{event.seq - 1} are missing (deleted)")
        if event.prev_hash != expected_prev:
            problems.append(f"entry {event.seq} does not follow the entry before it (an entry was deleted or edited)")
        actual = chain_hash(event.prev_hash, event)
        if actual != event.hash:
            problems.append(f"entry {event.seq} was changed after it was written (hash mismatch)")
        if event.seq in wanted:
            hashes_at[event.seq] = actual
        expected_prev, expected_seq = actual, event.seq + 1
    last_seq = expected_seq - 1
    head = session.get(AuditHead, 1)
    if head is None or head.seq != last_seq or head.hash != expected_prev:
        problems.append(
            f"the chain head row says {head.seq if head else None}, the entries end at {last_seq} "
            "(entries were deleted from the end, or added outside dach)"
        )
    anchored = 0
    for seq, anchored_hash in anchors:
        if seq < 0:
            problems.append(f"anchor {anchored_hash} in the object store is unreadable")
            continue
        anchored = max(anchored, seq)
        if seq > last_seq:
            problems.append(f"the object store anchors entry {seq} but the trail ends at {last_seq} (truncated)")
        elif hashes_at.get(seq) != anchored_hash:
            problems.append(f"entry {seq} differs from its anchor in the object store (the chain was rewritten)")
    return AuditReport(
        ok=not problems,
        entries=count,
        head_seq=last_seq,
        head_hash=expected_prev,
        anchored_seq=anchored,
        problems=tuple(problems[:max_problems]),
    )


def entries(session: Session, *, limit: int = 50, person_id: str | None = None) -> list[AuditEntry]:
    """The newest entries first (for `dach audit log` and the auditor's view)."""
    query = select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(limit)
    if person_id is not None:
        query = query.where(AuditEvent.person_id == person_id)
    return [as_entry(e) for e in session.scalars(query)]


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent)) or 0
