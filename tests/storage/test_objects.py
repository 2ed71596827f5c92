"""The object store keeps bytes exactly, addresses them by SHA-256, never overwrites, checks every read."""

from __future__ import annotations

import errno
import hashlib
import io
import os
import stat
from pathlib import Path

import pytest

from schemas.documents import ErrorInfo
from schemas.errors import IntegrityError, NotFound, StorageFull, StoreUnavailable, TransientError
from storage import Archive
from storage.objects import LocalObjectStore, content_key
from storage.s3 import S3ObjectStore
from tests.storage.conftest import Backend


def test_same_bytes_give_the_same_content_key(archive: Archive) -> None:
    data = b"%PDF-1.7 scanned passport"
    key = archive.put_original(data)
    assert key == f"sha256/{hashlib.sha256(data).hexdigest()[:2]}/{hashlib.sha256(data).hexdigest()[2:]}"
    assert archive.put_original(data) == key
    assert archive.get_object(key) == data


def test_different_bytes_are_different_objects(archive: Archive) -> None:
    assert archive.put_original(b"one") != archive.put_original(b"two")


def test_unknown_or_malformed_keys_are_refused(archive: Archive) -> None:
    with pytest.raises(NotFound):
        archive.get_object(content_key(b"never stored"))
    with pytest.raises(NotFound):
        archive.get_object("../../etc/passwd")


def _tamper(backend: Backend, key: str, data: bytes) -> None:
    store = backend.archive.store
    if isinstance(store, LocalObjectStore):
        path = store.root.joinpath(*key.split("/"))
        os.chmod(path, stat.S_IWUSR | stat.S_IRUSR)
        path.write_bytes(data)
    else:
        assert isinstance(store, S3ObjectStore)
        # Versioning keeps the original, but a newer version with other bytes is what a plain read returns.
        store.client.put_object(store.bucket, key, io.BytesIO(data), len(data))


def test_a_damaged_object_is_detected_on_read(backend: Backend) -> None:
    key = backend.archive.put_original(b"the original scan")
    _tamper(backend, key, b"the forged scan!!")
    with pytest.raises(IntegrityError):
        backend.archive.get_object(key)


def test_local_objects_are_read_only_files_and_never_overwritten(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path)
    key = store.put(b"first")
    path = tmp_path.joinpath(*key.split("/"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    before = path.stat().st_ino
    assert store.put(b"first") == key
    assert path.stat().st_ino == before
    assert not list((tmp_path / ".tmp").iterdir()), "no temporary files are left behind"


def test_quarantine_keeps_the_file_and_its_reason(backend: Backend) -> None:
    error = ErrorInfo(code="encrypted_pdf", message="the PDF is encrypted; ask for an unprotected copy.")
    qid = backend.archive.quarantine(b"%PDF encrypted", "Antrag Müller.pdf", error, "batch1")
    assert backend.archive.quarantine(b"%PDF encrypted", "Antrag Müller.pdf", error, "batch2") == qid
    from storage import CONSOLE_ACTOR

    entries = backend.archive.list_quarantine(CONSOLE_ACTOR)
    assert [(q.id, q.error_code, q.original_name) for q in entries] == [(qid, "encrypted_pdf", "Antrag Müller.pdf")]
    assert entries[0].object_key is not None
    assert backend.archive.get_object(entries[0].object_key) == b"%PDF encrypted"


def test_an_empty_file_can_be_quarantined(archive: Archive) -> None:
    qid = archive.quarantine(b"", "leer.pdf", ErrorInfo(code="empty_file", message="empty"), None)
    assert qid.startswith("q")


def test_an_unreachable_s3_server_is_a_transient_error() -> None:
    with socket_closed_port() as port, pytest.raises(StoreUnavailable):
        S3ObjectStore(f"127.0.0.1:{port}", "a", "b", "dach-down", timeout_s=1.0, retry_budget_s=1.0)


class socket_closed_port:
    """A port on which nothing listens."""

    def __enter__(self) -> int:
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = int(sock.getsockname()[1])
        return self.port

    def __exit__(self, *exc: object) -> None:
        return None


def test_retention_is_extended_whatever_the_server_answers_to_a_retention_read(backend: Backend) -> None:
    """moto answers a retention read with an empty body or the object's bytes: that crashed the whole intake
    with a UnicodeDecodeError in `retain`."""
    from datetime import UTC, datetime, timedelta

    key = backend.archive.put_original(b"a scan kept for years")
    for years in (2, 3, 3):
        backend.archive.store.retain(key, datetime.now(UTC) + timedelta(days=365 * years))
    assert backend.archive.get_object(key) == b"a scan kept for years"


def test_a_full_disk_is_transient_not_the_files_fault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fault series: with the data folder full, good files were quarantined as `storage_error` (2 of 3 in a
    run) instead of being left for the re-run once space was freed."""
    store = LocalObjectStore(tmp_path / "objects")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(StorageFull) as caught:
        store.put(b"a scan")
    assert isinstance(caught.value, TransientError) and caught.value.code == "storage_full"
    assert not list((tmp_path / "objects" / ".tmp").iterdir()), "the partial file is removed"
