"""Outages are transient errors (retried by the flows), never silent: a database or S3 server that is down."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from pydantic import SecretStr

from schemas.documents import ErrorInfo
from schemas.errors import StoreUnavailable, TransientError
from schemas.record import SYSTEM_ACTOR
from schemas.settings import Settings
from storage import open_archive
from storage.archive import CONSOLE_ACTOR
from tests.storage.conftest import S3_ACCESS, S3_SECRET, Filer, _free_port


def test_a_database_that_is_down_is_a_transient_error(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, database_url=f"postgresql://postgres@127.0.0.1:{_free_port()}/dach")
    with pytest.raises(StoreUnavailable) as caught:
        open_archive(settings)
    assert isinstance(caught.value, TransientError)
    assert "DACH_DATABASE_URL" in caught.value.message


def test_an_s3_outage_during_filing_raises_and_stores_no_rows(tmp_path: Path) -> None:
    port = _free_port()
    moto = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(0.5)
        settings = Settings(
            data_dir=tmp_path,
            s3_endpoint=f"127.0.0.1:{port}",
            s3_access_key=S3_ACCESS,
            s3_secret_key=SecretStr(S3_SECRET),
            s3_bucket="dach-outage",
            s3_retry_s=1.0,
        )
        for _ in range(50):
            try:
                archive = open_archive(settings)
                break
            except StoreUnavailable:
                time.sleep(0.2)
        else:
            pytest.fail("moto's S3 server did not start")
        filer = Filer(archive)
        request = filer.request()
        moto.kill()
        moto.wait()
        with pytest.raises(StoreUnavailable):
            archive.file_document(request, SYSTEM_ACTOR)
        with pytest.raises(StoreUnavailable):
            archive.put_original(b"another scan")
        with archive.engine.connect() as conn:
            from sqlalchemy import text

            assert conn.execute(text("SELECT count(*) FROM documents")).scalar() == 0
        # A file rejected while S3 is down is still kept: in the local quarantine folder, and found there.
        error = ErrorInfo(code="corrupt_file", message="damaged")
        qid = archive.quarantine(b"a damaged scan", "kaputt.pdf", error, None)
        entry = next(e for e in archive.list_quarantine(CONSOLE_ACTOR) if e.id == qid)
        assert entry.object_key is not None and archive.get_object(entry.object_key) == b"a damaged scan"
        archive.close()
    finally:
        moto.kill()
        moto.wait()


def test_a_bucket_that_is_gone_is_made_again_not_blamed_on_the_file(s3_endpoint: str) -> None:
    """A garbled answer to the bucket's creation was taken for "made"; every later write was then refused
    `NoSuchBucket` and each file was quarantined as if it were at fault. The store makes the bucket again."""
    from storage.s3 import S3ObjectStore

    store = S3ObjectStore(s3_endpoint, S3_ACCESS, S3_SECRET, "dach-gone-again", retry_budget_s=5)
    store.client.remove_bucket("dach-gone-again")
    assert not store.client.bucket_exists("dach-gone-again")
    key = store.put(b"a scan", "application/pdf")
    assert store.client.bucket_exists("dach-gone-again")
    assert store.get(key) == b"a scan"


def test_a_200_that_is_not_s3s_is_no_write() -> None:
    """A peer answering every request `200 OK` with no S3 headers (a proxy's page, a half-restarted server):
    the bucket seems to be there and the object seems stored, yet nothing arrived. The write is not taken
    for done: it is an outage, retried, then `StoreUnavailable`."""
    import socket
    import threading

    from storage.s3 import S3ObjectStore

    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def answer() -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            with client:
                client.recv(65536)
                client.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

    threading.Thread(target=answer, daemon=True).start()
    try:
        store = S3ObjectStore(f"127.0.0.1:{port}", S3_ACCESS, S3_SECRET, "dach-nonsense", retry_budget_s=1)
        with pytest.raises(StoreUnavailable):
            store.put(b"a scan", "application/pdf")
    finally:
        listener.close()
