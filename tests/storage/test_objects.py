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


class _Counted:
    """The minio client's calls of one store, counted by method."""

    CALLS = ("stat_object", "put_object", "get_object", "get_object_retention", "set_object_retention")

    def __init__(self, store: S3ObjectStore, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: dict[str, int] = dict.fromkeys(self.CALLS, 0)
        for name in self.CALLS:
            real = getattr(store.client, name)

            def counted(*args: object, _name: str = name, _real: object = real, **kwargs: object) -> object:
                self.calls[_name] += 1
                return _real(*args, **kwargs)  # type: ignore[operator]

            monkeypatch.setattr(store.client, name, counted)


def _file_like_a_flow(store: S3ObjectStore) -> str:
    """What filing a one-document scan does with its original: written, read for OCR, looked at before
    filing, read again for the PDF/A rendition, kept for years (twice: as the file's and the document's)."""
    from datetime import UTC, datetime, timedelta

    data = os.urandom(4096)
    key = store.put(data)
    assert store.get(key) == data
    assert store.exists(key)
    assert store.get(key) == data
    until = datetime.now(UTC) + timedelta(days=365 * 10)
    store.retain(key, until)
    store.retain(key, until)
    return key


def test_the_flows_store_asks_the_server_once_for_what_it_just_wrote(
    s3_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Filing cost ~30 S3 requests a page, most of them asking about objects the flow had just written."""
    from tests.storage.conftest import S3_ACCESS, S3_SECRET

    asking = S3ObjectStore(s3_endpoint, S3_ACCESS, S3_SECRET, "dach-asks")
    remembering = S3ObjectStore(s3_endpoint, S3_ACCESS, S3_SECRET, "dach-remembers", remember=True)
    asked, remembered = _Counted(asking, monkeypatch), _Counted(remembering, monkeypatch)
    _file_like_a_flow(asking)
    key = _file_like_a_flow(remembering)
    assert asked.calls == {
        "stat_object": 2,
        "put_object": 1,
        "get_object": 2,
        "get_object_retention": 2,
        "set_object_retention": 2,
    }
    # The look before the write and the write; the retention extended once, without reading it first.
    assert remembered.calls == {
        "stat_object": 1,
        "put_object": 1,
        "get_object": 0,
        "get_object_retention": 0,
        "set_object_retention": 1,
    }
    # What it remembered is true on the server: a store that asks finds the same bytes under the key.
    fresh = S3ObjectStore(s3_endpoint, S3_ACCESS, S3_SECRET, "dach-remembers")
    assert fresh.exists(key) and fresh.get(key) == remembering.get(key)


def test_the_flows_store_forgets_after_a_while_and_asks_again(
    s3_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.storage.conftest import S3_ACCESS, S3_SECRET

    store = S3ObjectStore(s3_endpoint, S3_ACCESS, S3_SECRET, "dach-forgets", remember=True)
    key = store.put(b"a scan read a minute later")
    monkeypatch.setattr(store._recent, "keep_s", 0.0)  # the seconds it remembers have passed
    counted = _Counted(store, monkeypatch)
    assert store.exists(key)
    assert store.get(key) == b"a scan read a minute later"
    assert counted.calls["stat_object"] == 1 and counted.calls["get_object"] == 1


def test_the_flows_store_reads_the_retention_when_an_extension_is_refused(
    s3_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An object this process wrote may have been kept longer meanwhile (an administrator's hold period):
    governance mode refuses the shorter retention, and the store falls back to reading it, as without memory."""
    from datetime import UTC, datetime, timedelta

    from minio.error import S3Error

    from tests.storage.conftest import S3_ACCESS, S3_SECRET

    store = S3ObjectStore(s3_endpoint, S3_ACCESS, S3_SECRET, "dach-refused", remember=True)
    key = store.put(b"a scan someone kept longer")
    counted = _Counted(store, monkeypatch)
    refusals = iter([True])
    real_set = store.client.set_object_retention

    def set_retention(*args: object, **kwargs: object) -> object:
        if next(refusals, False):
            counted.calls["set_object_retention"] += 1
            raise S3Error(None, "AccessDenied", "shortening a retention", key, "r", "h")  # type: ignore[arg-type]
        return real_set(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store.client, "set_object_retention", set_retention)
    store.retain(key, datetime.now(UTC) + timedelta(days=365 * 5))
    assert counted.calls["get_object_retention"] == 1  # the fallback read it
    assert counted.calls["set_object_retention"] == 2  # refused from memory, then set after the read
