"""The object store: where originals, OCR text, searchable PDFs and audit anchors live.

Two backends share one protocol and the same semantics: `LocalObjectStore` (a folder, the embedded default)
and `S3ObjectStore` (MinIO/S3, in `storage/s3.py`). Content objects are addressed by their SHA-256
(`sha256/ab/cdef…`), so storing the same bytes twice is one object; nothing is ever overwritten, and every
read checks the bytes against the address (a mismatch raises `IntegrityError`). Keys are made here, never
taken from user input: a few internal "named" objects (audit anchors, quarantine notes) have keys built by
storage itself and checked against `NAMED_KEY`.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from schemas.documents import ErrorInfo
from schemas.errors import IntegrityError, NotFound, ObjectLocked, StorageError, StorageFull

log = logging.getLogger(__name__)

CONTENT_KEY = re.compile(r"^sha256/([0-9a-f]{2})/([0-9a-f]{62})$")
NAMED_KEY = re.compile(r"^(anchors|quarantine)/[a-z0-9][a-z0-9/_.-]{0,200}$")


def content_key(data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()
    return f"sha256/{digest[:2]}/{digest[2:]}"


def digest_of(key: str) -> str:
    """The SHA-256 a content key promises; a key that is not a content key is refused."""
    match = CONTENT_KEY.match(key)
    if not match:
        raise NotFound(f"{key!r} is not an object key of this archive; keys look like sha256/ab/cdef….")
    return match.group(1) + match.group(2)


def check_named_key(key: str) -> str:
    if not NAMED_KEY.match(key) or ".." in key:
        raise StorageError(f"internal object name {key!r} is malformed; this is a bug in storage/.")
    return key


def verify(key: str, data: bytes) -> bytes:
    """Return `data` if it hashes to `key`, else raise IntegrityError."""
    actual = hashlib.sha256(data).hexdigest()
    if actual != digest_of(key):
        raise IntegrityError(
            f"object {key} is damaged: its bytes hash to {actual[:12]}…; restore it from backup "
            "(the record still points at the original address)."
        )
    return data


@dataclass(frozen=True)
class StoredObject:
    key: str
    modified: datetime
    size: int


class ObjectStore(Protocol):
    """What storage needs from an object store. Implementations raise StoreUnavailable when unreachable."""

    def put(self, data: bytes, media_type: str = "application/octet-stream") -> str:
        """Store content, return its key `sha256/ab/…` (idempotent: the same bytes give the same key)."""
        ...

    def get(self, key: str) -> bytes:
        """The verified bytes of a content key (NotFound, IntegrityError)."""
        ...

    def exists(self, key: str) -> bool: ...

    def put_named(self, key: str, data: bytes) -> None:
        """Write an internal object once (anchors, quarantine notes); an existing one is left as it is."""
        ...

    def get_named(self, key: str) -> bytes: ...

    def list(self, prefix: str) -> Iterator[StoredObject]:
        """Objects whose key starts with `prefix`, in key order."""
        ...

    def retain(self, key: str, until: datetime) -> None:
        """Keep the object at least until `until` (WORM, governance mode); never shortens a retention."""
        ...

    def hold(self, key: str, on: bool) -> None:
        """Set or lift the legal hold on an object: while held it cannot be deleted, whatever its retention."""
        ...

    def held(self, key: str) -> bool: ...

    def delete(self, key: str, *, bypass_governance: bool = False) -> None:
        """Remove an object. Refused (`ObjectLocked`) while it is under legal hold, and while it is retained
        unless `bypass_governance` (the orphan sweep and an approved four-eyes deletion may)."""
        ...

    def describe(self) -> str: ...


def put_quarantined(store: ObjectStore, data: bytes, original_name: str, error: ErrorInfo) -> tuple[str, str | None]:
    """Keep a rejected file with its reason; return (quarantine id, object key or None for empty input).

    The id depends on the bytes and the error code, so quarantining the same file twice for the same reason is
    one entry. The original name is kept as metadata only.
    """
    key = store.put(data) if data else None
    basis = (key or "empty") + "|" + error.code
    qid = "q" + hashlib.sha256(basis.encode()).hexdigest()[:23]
    note = {
        "id": qid,
        "object_key": key,
        "original_name": original_name,
        "error": error.model_dump(),
        "at": datetime.now(UTC).isoformat(),
    }
    store.put_named(f"quarantine/{qid}.json", json.dumps(note, ensure_ascii=False, sort_keys=True).encode())
    return qid, key


class LocalObjectStore:
    """Objects as read-only files under `root`, written atomically (temporary file, then a hard link)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._tmp = root / ".tmp"
        try:
            self._tmp.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"cannot create the object folder {root}: {exc}; check DACH_DATA_DIR.") from exc

    def describe(self) -> str:
        return f"folder {self.root}"

    def _path(self, key: str) -> Path:
        return self.root.joinpath(*key.split("/"))

    def _write_once(self, path: Path, data: bytes) -> bool:
        """Write `path` atomically unless it exists; True if this call created it."""
        if path.exists():
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self._tmp, suffix=".part")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o444)
            try:
                os.link(tmp, path)  # fails if the name exists: never overwrites, even under a race
            except FileExistsError:
                return False
            return True
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise StorageFull(f"cannot write {path}: the disk is full; free space and run it again.") from exc
            raise StorageError(f"cannot write {path}: {exc}; check free space and permissions.") from exc
        finally:
            Path(tmp).unlink(missing_ok=True)

    def put(self, data: bytes, media_type: str = "application/octet-stream") -> str:
        key = content_key(data)
        if self._write_once(self._path(key), data):
            log.debug("stored %s (%d bytes, %s)", key, len(data), media_type)
        return key

    def _read(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError as exc:
            raise NotFound(f"object {key} is not in {self.root}; was the object folder moved or pruned?") from exc

    def get(self, key: str) -> bytes:
        digest_of(key)
        return verify(key, self._read(key))

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def put_named(self, key: str, data: bytes) -> None:
        self._write_once(self._path(check_named_key(key)), data)

    def get_named(self, key: str) -> bytes:
        return self._read(check_named_key(key))

    def list(self, prefix: str) -> Iterator[StoredObject]:
        top = prefix.split("/")[0]
        base = self.root / top
        if not base.is_dir():
            return
        found: list[StoredObject] = []
        for dirpath, _dirs, files in os.walk(base):
            for name in files:
                path = Path(dirpath) / name
                key = path.relative_to(self.root).as_posix()
                if key.startswith(prefix):
                    stat = path.stat()
                    found.append(StoredObject(key, datetime.fromtimestamp(stat.st_mtime, UTC), stat.st_size))
        yield from sorted(found, key=lambda o: o.key)

    # The folder keeps each object's retention and legal hold beside it (`.lock/<key>.json`) and applies them
    # on delete as S3 object lock does in governance mode: a hold always refuses, a retention refuses unless
    # the caller bypasses governance. (Someone with shell access can still remove files; WORM needs S3.)

    def _lock_path(self, key: str) -> Path:
        return self.root.joinpath(".lock", *key.split("/")).with_suffix(".json")

    def _lock(self, key: str) -> dict[str, object]:
        try:
            loaded = json.loads(self._lock_path(key).read_text())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise StorageError(f"the lock record of {key} is unreadable ({exc}); restore it from backup.") from exc
        return loaded if isinstance(loaded, dict) else {}

    def _write_lock(self, key: str, lock: dict[str, object]) -> None:
        path = self._lock_path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self._tmp, suffix=".lock")
        with os.fdopen(fd, "w") as handle:
            json.dump(lock, handle, sort_keys=True)
        os.replace(tmp, path)

    def retain(self, key: str, until: datetime) -> None:
        lock = self._lock(key)
        current = lock.get("retain_until")
        if isinstance(current, str) and datetime.fromisoformat(current) >= until:
            return  # never shortens a retention
        self._write_lock(key, {**lock, "retain_until": until.astimezone(UTC).isoformat()})

    def hold(self, key: str, on: bool) -> None:
        if not self.exists(key):
            raise NotFound(f"object {key} is not in {self.root}; it cannot be held.")
        self._write_lock(key, {**self._lock(key), "legal_hold": on})

    def held(self, key: str) -> bool:
        return self._lock(key).get("legal_hold") is True

    def delete(self, key: str, *, bypass_governance: bool = False) -> None:
        lock = self._lock(key)
        if lock.get("legal_hold") is True:
            raise ObjectLocked(f"object {key} is under legal hold; lift the hold before deleting it.")
        until = lock.get("retain_until")
        if isinstance(until, str) and datetime.fromisoformat(until) > datetime.now(UTC) and not bypass_governance:
            raise ObjectLocked(f"object {key} is retained until {until[:10]}; it cannot be deleted before.")
        self._path(key).unlink(missing_ok=True)
        self._lock_path(key).unlink(missing_ok=True)
