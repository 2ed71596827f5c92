"""Search latency over a generated record, and database time per filed document, on each backend.

    python -m tests.benchmarks.search [--n 100000] [--queries 300] [--filings 200] [--backend both] [--seed 7]

Generates `--n` documents (persons with Ukrainian, Arabic, Turkish and German names; passports, notices and
certificates with OCR-like German text) and bulk-inserts them straight into the tables (persons, records,
documents, versions, search index), then:

- runs `--queries` searches through `Archive.search` as a foreign-authority clerk (rights filter, ranking,
  hit loading, audit entry and its anchor in the object store included) and prints p50/p95/max;
- files `--filings` further documents through the real filing code and prints the database time per
  document (one transaction: person matching, rows, search index, audit; object-store calls excluded).

`embedded` is SQLite + a local folder in a temporary directory; `production` is PostgreSQL at
127.0.0.1:5432 (a temporary database `dach_bench_<random>`, dropped afterwards) + moto's S3 server over
HTTP. Targets: search p95 <= 100 ms at 100,000 documents; filing <= 50 ms of database time per document.
"""

from __future__ import annotations

import argparse
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from pydantic import SecretStr
from sqlalchemy import insert, text

from classifiers.search_terms import NAME, document_terms
from schemas.documents import DocumentType
from schemas.record import SYSTEM_ACTOR, Actor, Department, Role
from schemas.settings import Settings
from storage import Archive, db, filing, open_archive
from storage.models import Document, DocumentVersion, Matter, Person, Record

SURNAMES = [
    "KOVALENKO",
    "SHEVCHENKO",
    "BONDARENKO",
    "TKACHENKO",
    "KRAVCHENKO",
    "OLIINYK",
    "SHEVCHUK",
    "POLISHCHUK",
    "LYSENKO",
    "MARCHENKO",
    "MELNYK",
    "BOIKO",
    "PETRENKO",
    "SAVCHENKO",
    "RUDENKO",
    "MOROZ",
    "IVANOVA",
    "SMIRNOV",
    "KUZNETSOV",
    "POPOV",
    "AL-HASSAN",
    "HAIDARI",
    "MOHAMMADI",
    "AHMADI",
    "RAHIMI",
    "NAZARI",
    "KARIMI",
    "YILMAZ",
    "KAYA",
    "DEMIR",
    "SAHIN",
    "CELIK",
    "OZTURK",
    "AYDIN",
    "ARSLAN",
    "DOGAN",
    "MUELLER",
    "SCHMIDT",
    "SCHNEIDER",
    "FISCHER",
    "WEBER",
    "MEYER",
    "WAGNER",
    "BECKER",
    "HOFFMANN",
    "SCHULZ",
]
GIVEN = [
    "OLEKSANDR",
    "MYKOLA",
    "IVAN",
    "ANDRII",
    "DMYTRO",
    "SERHII",
    "YULIIA",
    "OLENA",
    "NATALIIA",
    "TETIANA",
    "IRYNA",
    "OKSANA",
    "MARIIA",
    "ANNA",
    "MUHAMMAD",
    "AHMAD",
    "ALI",
    "HASSAN",
    "FATIMA",
    "ZAHRA",
    "MARYAM",
    "REZA",
    "MEHMET",
    "MUSTAFA",
    "AYSE",
    "EMINE",
    "ELIF",
    "FATMA",
    "LUKAS",
    "LEON",
    "ANNA",
    "SOPHIE",
    "MARIE",
    "PAUL",
    "JONAS",
    "EMMA",
]
WORDS = [
    "Bescheid",
    "Antrag",
    "Leistungen",
    "Bewilligung",
    "Aufenthaltserlaubnis",
    "Landkreis",
    "Ausländerbehörde",
    "Jobcenter",
    "Sozialamt",
    "Jugendamt",
    "Grundsicherung",
    "Regelbedarf",
    "Unterkunft",
    "Heizung",
    "Zeitraum",
    "Monat",
    "Betrag",
    "Euro",
    "Rechtsbehelfsbelehrung",
    "Widerspruch",
    "Monat",
    "Klage",
    "Verwaltungsgericht",
    "Geburtsurkunde",
    "Standesamt",
    "Meldebescheinigung",
    "Wohnung",
    "Anschrift",
    "Straße",
    "Hausnummer",
    "Postleitzahl",
    "Schule",
    "Zeugnis",
    "Abschluss",
    "Hochschule",
    "Diplom",
    "Ukraine",
    "Syrien",
    "Afghanistan",
    "Türkei",
    "Reisepass",
    "Personalausweis",
    "Gültig",
    "bis",
    "Staatsangehörigkeit",
    "Geburtsdatum",
    "Geburtsort",
    "Ehe",
    "Heirat",
    "Integrationskurs",
    "Sprachkurs",
    "Nachweis",
]
TYPES = (
    DocumentType.PASSPORT,
    DocumentType.NOTICE,
    DocumentType.NOTICE,
    DocumentType.RESIDENCE_PERMIT,
    DocumentType.BIRTH_CERTIFICATE,
    DocumentType.REGISTRATION_CERTIFICATE,
    DocumentType.SCHOOL_CERTIFICATE,
)
READER = Actor(name="bench", role=Role.CLERK, department=Department.FOREIGNERS_AUTHORITY, purpose="benchmark")


def generate(
    archive: Archive, n: int, rng: random.Random, chunk: int = 5000, *, per_person: int = 1, index_terms: bool = True
) -> list[tuple[str, str, str]]:
    """Bulk-insert `n` documents; returns (surname, given, number) samples.

    With `per_person` 1 every document has its own person and record; above 1 a person's record holds
    between 1 and 2 × `per_person` - 1 documents (`per_person` on average), each in the matter (Vorgang) the
    access policy files its type under, as filing would.
    """
    original_key = archive.put_original(b"benchmark original")
    now = datetime.now(UTC)
    samples: list[tuple[str, str, str]] = []
    person = -1
    left = 0  # documents still to give the current person
    surname = given = born = ""
    known_matters: set[str] = set()  # a person's documents may span two chunks
    for start in range(0, n, chunk):
        persons: list[dict[str, object]] = []
        records: list[dict[str, object]] = []
        matters: dict[str, dict[str, object]] = {}
        documents: list[dict[str, object]] = []
        versions: list[dict[str, object]] = []
        index: list[dict[str, object]] = []
        for i in range(start, min(n, start + chunk)):
            if left == 0:
                person += 1
                left = 1 if per_person <= 1 else rng.randrange(1, 2 * per_person)
                surname, given = rng.choice(SURNAMES), rng.choice(GIVEN)
                born = f"{rng.randrange(1950, 2020)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
                persons.append(
                    {
                        "id": f"per_b{person:019d}",
                        "surname": surname,
                        "given_names": given,
                        "birth_date": born,
                        "name_key": "",
                        "created_at": now,
                        "surname_original": None,
                        "given_names_original": None,
                        "nationality": "UKR",
                        "sex": None,
                    }
                )
                records.append(
                    {
                        "id": f"rec_b{person:019d}",
                        "person_id": f"per_b{person:019d}",
                        "file_number": f"B-{person:09d}",
                        "created_at": now,
                    }
                )
            left -= 1
            rid, did = f"rec_b{person:019d}", f"doc_b{i:019d}"
            number = f"{rng.choice('FGHKLM')}{rng.randrange(10**7):07d}"
            doc_type = rng.choice(TYPES)
            matter_id = None
            if per_person > 1:
                department, legal_area = archive.policy.matter_for(doc_type, {})
                matter_id = f"mat_b{person:013d}{list(Department).index(department):02d}"
                if matter_id not in known_matters:
                    known_matters.add(matter_id)
                    matters[matter_id] = {
                        "id": matter_id,
                        "record_id": rid,
                        "department": department.value,
                        "legal_area": legal_area.value,
                        "title": f"{department.value} / {legal_area.value}",
                        "created_at": now,
                    }
            documents.append(
                {
                    "id": did,
                    "record_id": rid,
                    "matter_id": matter_id,
                    "type": doc_type.value,
                    "status": "filed",
                    "original_key": original_key,
                    "page_range": str(i + 1),
                    "original_filename": "",
                    "media_type": "",
                    "confidence": 0.95,
                    "review": False,
                    "notes": {},
                    "current_version": 1,
                    "filed_by": "bench",
                    "filed_by_user_id": None,
                    "batch_id": None,
                    "retain_until": None,
                    "legal_hold": False,
                    "created_at": now - timedelta(seconds=n - i),
                }
            )
            fields = {"surname": surname, "given_names": given, "document_number": number, "birth_date": born}
            if doc_type in (DocumentType.PASSPORT, DocumentType.RESIDENCE_PERMIT):
                fields["expiry_date"] = (now + timedelta(days=rng.randrange(-400, 3000))).date().isoformat()
            versions.append(
                {
                    "document_id": did,
                    "version": 1,
                    "fields": {k: {"value": v} for k, v in fields.items()},
                    "author": "bench",
                    "reason": "intake",
                    "changed": {},
                    "created_at": now,
                }
            )
            body = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(40, 120)))
            index.append(
                {
                    "document_id": did,
                    "doc_type": doc_type.value,
                    "names": f"{surname} {given}",
                    "fields": " ".join(f"{k}: {v}" for k, v in fields.items()),
                    "body": f"{surname} {given}\n{body}",
                }
            )
            if i % max(1, n // 200) == 0:
                samples.append((surname, given, number))
        with db.transaction(db.sessions(archive.engine)) as session:
            session.execute(insert(Person), persons)
            session.execute(insert(Record), records)
            if matters:
                session.execute(insert(Matter), list(matters.values()))
            session.execute(insert(Document), documents)
            session.execute(insert(DocumentVersion), versions)
            session.execute(
                text(
                    "INSERT INTO search_index (document_id, doc_type, names, fields, body) "
                    "VALUES (:document_id, :doc_type, :names, :fields, :body)"
                ),
                index,
            )
    with archive.engine.begin() as conn:
        if archive.engine.dialect.name == "sqlite":  # what storage.search.index_document keeps per document
            conn.execute(text("INSERT INTO search_rowids SELECT document_id, rowid FROM search_index"))
        conn.execute(text("ANALYZE") if archive.engine.dialect.name == "postgresql" else text("PRAGMA optimize"))
    if index_terms:
        index_terms_bulk(archive)
    return samples


def index_terms_bulk(archive: Archive, chunk: int = 20_000) -> None:
    """The variants index for rows bulk-inserted straight into `search_index` (what filing writes per
    document through `storage.name_index`)."""
    engine = archive.engine
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT document_id, doc_type, names, fields FROM search_index")).fetchall()
    vocab: set[str] = set()
    batch: list[dict[str, str]] = []
    sqlite = engine.dialect.name == "sqlite"

    def flush() -> None:
        if batch:
            with engine.begin() as conn:
                conn.execute(text("INSERT INTO search_terms (term, document_id, doc_type) VALUES (:t, :d, :y)"), batch)
            batch.clear()

    for document_id, doc_type, names, fields in rows:
        for term in document_terms(names or "", fields or ""):
            if len(term) <= 80:
                batch.append({"t": term, "d": document_id, "y": doc_type})
                if term.startswith(NAME):
                    vocab.add(term[len(NAME) :])
        if len(batch) >= chunk:
            flush()
    flush()
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO search_vocab (term) VALUES (:t)"), [{"t": v} for v in sorted(vocab)])
        conn.execute(text("PRAGMA optimize") if sqlite else text("ANALYZE"))


def queries(samples: list[tuple[str, str, str]], count: int, rng: random.Random) -> list[str]:
    kinds = [
        lambda s: s[0],  # a surname (common: many hits)
        lambda s: f"{s[0]} {s[1]}",  # surname and given name
        lambda s: s[2],  # a document number (one hit)
        lambda s: rng.choice(WORDS),  # a word of the OCR text (very many hits)
        lambda s: f"{rng.choice(WORDS)} {s[0]}",
    ]
    return [kinds[i % len(kinds)](rng.choice(samples)) for i in range(count)]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(archive: Archive, n: int, n_queries: int, n_filings: int, seed: int) -> dict[str, float]:
    rng = random.Random(seed)
    started = time.perf_counter()
    samples = generate(archive, n, rng)
    load_s = time.perf_counter() - started
    latencies: list[float] = []
    hits = 0
    for query in queries(samples, n_queries, rng):
        t0 = time.perf_counter()
        hits += len(archive.search(query, READER, limit=20))
        latencies.append((time.perf_counter() - t0) * 1000)
    filing_ms: list[float] = []
    from tests.storage.conftest import Filer  # synthetic extracted documents, as the storage tests use

    filer = Filer(archive)
    sessions = db.sessions(archive.engine)
    for i in range(n_filings):
        request = filer.request(
            rng.choice(TYPES),
            surname=rng.choice(SURNAMES),
            given=rng.choice(GIVEN),
            number=f"Z{i:07d}",
            born=f"{rng.randrange(1950, 2020)}-0{rng.randrange(1, 10)}-1{rng.randrange(0, 9)}",
        )
        t0 = time.perf_counter()
        with db.transaction(sessions) as session:
            filing.file_document(session, archive.policy, request, SYSTEM_ACTOR, match_threshold=0.92)
        filing_ms.append((time.perf_counter() - t0) * 1000)
    return {
        "documents": n,
        "load_s": load_s,
        "search_p50_ms": percentile(latencies, 0.50),
        "search_p95_ms": percentile(latencies, 0.95),
        "search_max_ms": max(latencies),
        "mean_hits": hits / max(1, n_queries),
        "filing_db_mean_ms": statistics.fmean(filing_ms) if filing_ms else 0.0,
        "filing_db_p95_ms": percentile(filing_ms, 0.95) if filing_ms else 0.0,
    }


@contextmanager
def embedded_settings() -> Iterator[Settings]:
    """Settings of a fresh embedded record (SQLite + local folder) in a temporary directory."""
    with tempfile.TemporaryDirectory(prefix="dach-bench-") as tmp:
        yield Settings(data_dir=Path(tmp))


@contextmanager
def production_settings() -> Iterator[Settings]:
    """Settings of a fresh production record: a temporary PostgreSQL database `dach_bench_<random>` at
    127.0.0.1:5432 (dropped afterwards) and moto's S3 server over HTTP on a free local port."""
    name = f"dach_bench_{secrets.token_hex(4)}"
    admin = "postgresql://postgres@127.0.0.1:5432/postgres"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    moto = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        with tempfile.TemporaryDirectory(prefix="dach-bench-") as tmp:
            yield Settings(
                data_dir=Path(tmp),
                database_url=f"postgresql://postgres@127.0.0.1:5432/{name}",
                s3_endpoint=f"127.0.0.1:{port}",
                s3_access_key="bench",
                s3_secret_key=SecretStr("bench-secret"),
                s3_bucket=f"bench-{uuid.uuid4().hex[:8]}",
            )
    finally:
        moto.kill()
        moto.wait()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


BACKENDS = {"embedded": embedded_settings, "production": production_settings}


@contextmanager
def opened(backend: str) -> Iterator[Archive]:
    """A fresh, empty record on `backend` (`embedded` or `production`), closed afterwards."""
    with BACKENDS[backend]() as settings:
        archive = open_archive(settings)
        try:
            yield archive
        finally:
            archive.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="documents to generate")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--filings", type=int, default=200)
    parser.add_argument("--backend", choices=("embedded", "production", "both"), default="both")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    chosen = list(BACKENDS) if args.backend == "both" else [args.backend]
    for name in chosen:
        with opened(name) as archive:
            out = measure(archive, args.n, args.queries, args.filings, args.seed)
        print(
            f"{name}: {out['documents']:,} documents (bulk load {out['load_s']:.1f} s); "
            f"search p50 {out['search_p50_ms']:.1f} ms, p95 {out['search_p95_ms']:.1f} ms, "
            f"max {out['search_max_ms']:.1f} ms ({out['mean_hits']:.1f} hits/query, limit 20); "
            f"filing DB time mean {out['filing_db_mean_ms']:.1f} ms, p95 {out['filing_db_p95_ms']:.1f} ms per document",
            flush=True,
        )


if __name__ == "__main__":
    main()
