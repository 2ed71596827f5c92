"""Scan evidence (Transfervermerk): what it records, that its seal and RFC 3161 timestamp hold, and that
`dach verify` detects any changed byte in an original, a rendition or the evidence itself."""

from __future__ import annotations

import base64
import json
import os
import random
from pathlib import Path

import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner

from dach.cli import app
from ocr.pdfa import check as pdfa_check
from schemas.documents import DocumentType
from schemas.errors import AccessDenied
from schemas.record import Actor, Department, Role
from storage import evidence
from storage.models import Document, DocumentFile
from tests.archive.conftest import ADMIN_A, Life, cli_env
from tests.storage.test_restructure import Scan, notice_on, on


def _sealed(life: Life, document_id: str) -> dict[str, object]:
    return json.loads(life.archive.read_file(document_id, "evidence", ADMIN_A))


def test_evidence_records_the_capture_and_is_sealed(life: Life) -> None:
    outcome = life.file(DocumentType.PASSPORT, pdf=True)
    sealed = _sealed(life, outcome.document_id)
    record = sealed["evidence"]
    assert isinstance(record, dict)
    assert record["scanned_by"]["name"] == "intake" and record["channel"] == "scanner_inbox"
    assert record["device"] == "Fujitsu fi-7160" and record["settings"]["dpi"] == "300"
    assert record["quality"]["pages_in"] == 1 and record["quality"]["pages_filed"] == [1]
    assert 0 < record["quality"]["ocr_confidence"] <= 1
    doc = life.archive.get_document(outcome.document_id, ADMIN_A)
    original = next(f.key for f in doc.files if f.kind == "original")
    assert original.replace("/", "").endswith(record["original"]["sha256"][2:])
    assert set(record["renditions"]) == {"searchable_pdf", "ocr_text", "pdfa"}
    assert sealed["timestamp"] and sealed["timestamp"]["at"].endswith("GMT")  # type: ignore[index]
    assert pdfa_check(life.archive.read_file(outcome.document_id, "pdfa", ADMIN_A))[0]
    report = life.life.verify(ADMIN_A)
    assert report.checked == 1 and report.failed == ()


def test_a_seal_made_with_another_key_or_without_timestamp_fails(life: Life, tmp_path: Path) -> None:
    outcome = life.file()
    sealed = _sealed(life, outcome.document_id)
    forger = evidence.Sealer.load(tmp_path / "forger.pem", life.archive.sealer.tsa)
    changed = dict(sealed["evidence"])  # type: ignore[arg-type]
    changed["scanned_by"] = {"name": "someone else", "role": "clerk", "department": "archive"}
    forged_key = life.archive.put_derived(evidence.seal(changed, forger), "application/json")
    unstamped = dict(sealed, timestamp=None)
    unstamped_key = life.archive.put_derived(evidence.canonical(unstamped), "application/json")
    wrong_token = dict(sealed, timestamp=dict(sealed["timestamp"], token=base64.b64encode(b"0" * 40).decode()))  # type: ignore[arg-type]
    wrong_key = life.archive.put_derived(evidence.canonical(wrong_token), "application/json")
    for key, reason in (
        (forged_key, "not sealed with the agency's key"),
        (unstamped_key, "no RFC 3161 timestamp"),
        (wrong_key, "timestamp"),
    ):
        with life.archive.engine.begin() as conn:
            conn.execute(
                update(DocumentFile)
                .where(DocumentFile.document_id == outcome.document_id, DocumentFile.kind == "evidence")
                .values(object_key=key)
            )
        failed = life.life.verify(ADMIN_A, outcome.document_id).failed
        assert len(failed) == 1 and reason in failed[0].reason, failed


def test_random_byte_flips_are_all_detected(life: Life) -> None:
    """Flip one random bit of a random stored object (original, rendition, evidence) and verify: every flip
    is reported (embedded backend: the object folder is where a flip can happen on disk)."""
    if life.name != "embedded":
        return  # a byte in S3 cannot be changed behind the server's back; the folder case is the one that can
    ids = [life.file(DocumentType.PASSPORT, pdf=True).document_id for _ in range(3)]
    with life.archive.engine.connect() as conn:
        rows = conn.execute(
            select(DocumentFile.document_id, DocumentFile.object_key).where(
                DocumentFile.kind.in_(("original", "pdfa", "evidence", "searchable_pdf"))
            )
        ).all()
    rng = random.Random(20261206)
    root = life.settings.objects_dir
    flips = int(os.environ.get("DACH_TEST_FLIPS", "120"))
    detected = 0
    for _ in range(flips):
        document_id, key = rng.choice(rows)
        path = root.joinpath(*key.split("/"))
        data = bytearray(path.read_bytes())
        offset = rng.randrange(len(data))
        data[offset] ^= 1 << rng.randrange(8)
        path.chmod(0o644)
        original = path.read_bytes()
        path.write_bytes(bytes(data))
        try:
            failed = life.life.verify(ADMIN_A, document_id).failed
            detected += bool(failed) and failed[0].id == document_id
        finally:
            path.write_bytes(original)
            path.chmod(0o444)
    assert detected == flips
    assert life.life.verify(ADMIN_A).failed == () and len(ids) == 3


def test_verify_cli_contract(life: Life) -> None:
    outcome = life.file()
    env = cli_env(life)
    runner = CliRunner()
    ok = runner.invoke(app, ["verify", "--all", "--json"], env=env)
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout) == {"checked": 1, "failed": []}
    # The document's evidence pointer is bent to another document's evidence: the hashes no longer match.
    other = life.file(DocumentType.RESIDENCE_PERMIT, number="RP1234567")
    with life.archive.engine.begin() as conn:
        key = conn.execute(
            select(DocumentFile.object_key).where(
                DocumentFile.document_id == other.document_id, DocumentFile.kind == "evidence"
            )
        ).scalar_one()
        conn.execute(
            update(DocumentFile)
            .where(DocumentFile.document_id == outcome.document_id, DocumentFile.kind == "evidence")
            .values(object_key=key)
        )
    bad = runner.invoke(app, ["verify", outcome.document_id, "--json"], env=env)
    assert bad.exit_code == 1
    report = json.loads(bad.stdout)
    assert report["checked"] == 1 and report["failed"][0]["id"] == outcome.document_id
    assert "not the one the scan evidence was sealed for" in report["failed"][0]["reason"]


def test_only_archive_administrators_verify(life: Life) -> None:
    life.file()
    clerk = Actor(name="sb", role=Role.CLERK, department=Department.FOREIGNERS_AUTHORITY)
    with pytest.raises(AccessDenied):
        life.life.verify(clerk)


def test_deleted_documents_are_not_checked(life: Life) -> None:
    first = life.file()
    with life.archive.engine.begin() as conn:
        conn.execute(update(Document).where(Document.id == first.document_id).values(status="deleted"))
    assert life.life.verify(ADMIN_A).checked == 0


def test_documents_made_by_a_page_move_are_sealed_anew(life: Life) -> None:
    scan = Scan(life.archive)
    doc = scan.file(DocumentType.NOTICE, (1, 2, 3), notice_on(1), text="Bescheid Geburtsurkunde Lwiw")
    kept = scan.layout(DocumentType.NOTICE, (1, 2), notice_on(1), keeps=doc)
    split = scan.layout(DocumentType.BIRTH_CERTIFICATE, (3,), {"person_name": on(3, "Oleksandr Kovalenko")})
    outcome = scan.move({doc: (1, 2, 3)}, kept, split)
    ids = [d.document_id for d in outcome.documents]  # type: ignore[attr-defined]
    assert life.life.verify(ADMIN_A).failed == () and len(ids) == 2
    for document_id in ids:
        sealed = json.loads(life.archive.read_file(document_id, "evidence", ADMIN_A))
        assert sealed["evidence"]["channel"] == "page_move"
        assert sealed["evidence"]["quality"]["pages_filed"] == list(
            life.archive.get_document(document_id, ADMIN_A).pages
        )
