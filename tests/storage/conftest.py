"""Fixtures for the storage suite: every test runs against both backends.

- `embedded`: SQLite + the local object folder, in a temporary folder (the default installation).
- `production`: PostgreSQL at 127.0.0.1:5432 + an S3 server over real HTTP (moto's server in a subprocess,
  on a free port), reached through the `minio` SDK exactly as MinIO would be.

PostgreSQL: one fresh database per test session (`dach_test_<random>`, migrated once, dropped at the end);
each test starts from empty tables. If PostgreSQL is down,
the fixture starts the local cluster; if it cannot, the production half of the suite fails (not skips),
unless DACH_TEST_SKIP_POSTGRES=1 is set.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from pydantic import SecretStr

from schemas.documents import (
    BBox,
    DocumentType,
    ExtractedDocument,
    ExtractedField,
    PageText,
    TextSource,
    Word,
)
from schemas.record import SYSTEM_ACTOR, FilingOutcome, FilingRequest
from schemas.settings import Settings
from storage import Archive, open_archive

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
S3_ACCESS, S3_SECRET = "dach-test", "dach-test-secret"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pg_ready() -> bool:
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def _start_postgres() -> None:
    versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    if not versions:
        return
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start"],
        check=False,
        capture_output=True,
        timeout=60,
    )
    for _ in range(30):
        if _pg_ready():
            return
        time.sleep(1)


def _admin(sql: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(sql)


@dataclass
class Postgres:
    url: str

    def fresh_url(self) -> str:
        """The session's database, emptied: every table truncated and the audit chain back at genesis.

        (Dropping and creating a database per test costs a checkpoint each, about a second.)
        """
        with psycopg.connect(self.url.replace("+psycopg", ""), autocommit=True) as conn:
            tables = [
                row[0]
                for row in conn.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
                )
            ]
            conn.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
            conn.execute("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, %s)", ("0" * 64,))
        return self.url


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Postgres]:
    if not _pg_ready():
        _start_postgres()
    if not _pg_ready():
        if os.environ.get("DACH_TEST_SKIP_POSTGRES") == "1":
            pytest.skip("PostgreSQL is not running and DACH_TEST_SKIP_POSTGRES=1")
        pytest.fail("PostgreSQL at 127.0.0.1:5432 is not running and could not be started")
    name = f"dach_test_{secrets.token_hex(4)}"
    _admin(f'CREATE DATABASE "{name}"')
    url = f"postgresql://postgres@127.0.0.1:5432/{name}"
    open_archive(Settings(data_dir=tmp_path_factory.mktemp("pg"), database_url=url)).close()  # migrate once
    try:
        yield Postgres(url=url)
    finally:
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "AWS_ACCESS_KEY_ID": S3_ACCESS, "AWS_SECRET_ACCESS_KEY": S3_SECRET}
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("moto's S3 server did not start")
        yield f"127.0.0.1:{port}"
    finally:
        proc.terminate()  # werkzeug's server may ignore SIGTERM while serving; do not wait for it long
        try:
            proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@dataclass
class Backend:
    name: str
    settings: Settings
    archive: Archive


@pytest.fixture(params=["embedded", "production"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "embedded":
        settings = Settings(data_dir=tmp_path / "var")
    else:
        pg: Postgres = request.getfixturevalue("postgres")
        endpoint: str = request.getfixturevalue("s3_endpoint")
        settings = Settings(
            data_dir=tmp_path / "var",
            database_url=pg.fresh_url(),
            s3_endpoint=endpoint,
            s3_access_key=S3_ACCESS,
            s3_secret_key=SecretStr(S3_SECRET),
            s3_bucket=f"dach-{uuid.uuid4().hex[:12]}",
        )
    archive = open_archive(settings)
    try:
        yield Backend(request.param, settings, archive)
    finally:
        archive.close()


@pytest.fixture
def archive(backend: Backend) -> Archive:
    return backend.archive


# --- documents to file ---------------------------------------------------------------------------------


def field(value: str | bool | list[str] | None, confidence: float = 0.97) -> ExtractedField:
    return ExtractedField(value=value, page=1, bbox=BBox(x0=0.1, y0=0.1, x1=0.5, y1=0.15), confidence=confidence)


def page_of(text: str, page: int = 1) -> PageText:
    words = tuple(
        Word(
            text=w,
            bbox=BBox(x0=0.01 * (i % 90), y0=0.02, x1=0.01 * (i % 90) + 0.01, y1=0.03),
            confidence=0.9,
            line=i // 8,
        )
        for i, w in enumerate(text.split())
    )
    return PageText(page=page, width=2480, height=3508, source=TextSource.OCR, words=words)


def fields_for_type(
    doc_type: DocumentType, surname: str, given: str, number: str, born: str
) -> dict[str, ExtractedField]:
    if doc_type in {
        DocumentType.PASSPORT,
        DocumentType.ID_CARD,
        DocumentType.RESIDENCE_PERMIT,
        DocumentType.VISA,
    }:
        return {
            "surname": field(surname),
            "given_names": field(given),
            "document_number": field(number),
            "birth_date": field(born),
            "nationality": field("UKR"),
            "issuing_state": field("UKR"),
        }
    if doc_type is DocumentType.NOTICE:
        return {
            "authority": field("Landkreis Musterland, Jobcenter"),
            "file_number": field(f"AZ-{number}"),
            "recipient_name": field(f"{given} {surname}"),
            "subject": field("Bewilligung von Leistungen"),
            "amount_eur": field("441.00"),
        }
    if doc_type is DocumentType.OTHER:
        return {}
    return {
        "person_name": field(f"{given} {surname}"),
        "birth_date": field(born),
        "certificate_number": field(number),
    }


@dataclass
class Filer:
    """Files synthetic documents through the real facade (objects first, then `file_document`)."""

    archive: Archive

    def request(
        self,
        doc_type: DocumentType = DocumentType.PASSPORT,
        *,
        surname: str = "KOVALENKO",
        given: str = "OLEKSANDR",
        number: str = "FA1234567",
        born: str = "1985-03-02",
        text: str = "",
        confidence: float = 0.95,
        review: bool = False,
        original: bytes | None = None,
        pages: tuple[int, ...] = (1,),
    ) -> FilingRequest:
        data = original if original is not None else f"original {doc_type} {surname} {number} {uuid.uuid4()}".encode()
        key = self.archive.put_original(data)
        page_texts = tuple(page_of(text or f"{doc_type.value} {given} {surname} {number}", p) for p in pages)
        text_key = self.archive.put_derived(b"[]", "application/json")
        return FilingRequest(
            original_key=key,
            original_filename="scan.pdf",
            media_type="application/pdf",
            document=ExtractedDocument(
                type=doc_type,
                pages=pages,
                confidence=confidence,
                review=review,
                fields=fields_for_type(doc_type, surname, given, number, born),
            ),
            pages=page_texts,
            text_key=text_key,
        )

    def file(self, doc_type: DocumentType = DocumentType.PASSPORT, **kwargs: object) -> FilingOutcome:
        return self.archive.file_document(self.request(doc_type, **kwargs), SYSTEM_ACTOR)  # type: ignore[arg-type]


@pytest.fixture
def filer(archive: Archive) -> Filer:
    return Filer(archive)


AuditCount = Callable[[], int]


@pytest.fixture
def audit_count(archive: Archive) -> AuditCount:
    return lambda: archive.verify_audit().entries
