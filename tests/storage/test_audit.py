"""The audit trail is hash-chained and anchored: every edited, deleted or truncated entry is detected.

Each tampering is applied to every position of a real trail, directly in the database (as an attacker with
database access would), checked with `verify_audit`, and undone before the next one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import delete, insert, select, update

from schemas.documents import DocumentType
from schemas.record import Actor, Department, Role
from storage import CONSOLE_ACTOR, Archive
from storage.audit import chain_hash
from storage.models import AuditEvent, AuditHead
from tests.storage.conftest import Filer

CLERK = Actor(name="anna", role=Role.CLERK, department=Department.FOREIGNERS_AUTHORITY)


@pytest.fixture
def trail(archive: Archive, filer: Filer) -> list[dict[str, Any]]:
    """A trail of about a dozen entries: filings, reads, searches, a correction."""
    doc = filer.file(DocumentType.PASSPORT).document_id
    filer.file(DocumentType.NOTICE, number="N1")
    archive.get_document(doc, CLERK)
    archive.search("KOVALENKO", CLERK)
    archive.correct_document(doc, {"given_names": "OLEKSANDR PETRO"}, "typo", CLERK)
    archive.search("PETRO", CONSOLE_ACTOR)
    report = archive.verify_audit()
    assert report.ok, report.problems
    assert report.anchored_seq == report.head_seq
    with archive.engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(select(AuditEvent).order_by(AuditEvent.seq))]


@contextmanager
def tampered(archive: Archive, *statements: Any) -> Iterator[None]:
    with archive.engine.begin() as conn:
        for statement in statements:
            conn.execute(statement)
    yield


def restore(archive: Archive, rows: list[dict[str, Any]]) -> None:
    table = AuditEvent
    with archive.engine.begin() as conn:
        conn.execute(delete(table))
        conn.execute(insert(table), rows)
        conn.execute(update(AuditHead).values(seq=rows[-1]["seq"], hash=rows[-1]["hash"]))
    assert archive.verify_audit().ok


def test_an_intact_trail_verifies(archive: Archive, trail: list[dict[str, Any]]) -> None:
    report = archive.verify_audit()
    assert report.ok and report.entries == len(trail) and report.head_hash == trail[-1]["hash"]


def test_every_edited_entry_is_detected(archive: Archive, trail: list[dict[str, Any]]) -> None:
    for row in trail:
        edit = update(AuditEvent).where(AuditEvent.seq == row["seq"]).values(actor="mallory")
        with tampered(archive, edit):
            report = archive.verify_audit()
            assert not report.ok, f"edit of entry {row['seq']} went unnoticed"
            assert any(str(row["seq"]) in p for p in report.problems)
        restore(archive, trail)


def test_every_deleted_entry_is_detected(archive: Archive, trail: list[dict[str, Any]]) -> None:
    for row in trail:
        with tampered(archive, delete(AuditEvent).where(AuditEvent.seq == row["seq"])):
            assert not archive.verify_audit().ok, f"deleting entry {row['seq']} went unnoticed"
        restore(archive, trail)


def test_every_truncation_is_detected_even_with_the_head_row_adjusted(
    archive: Archive, trail: list[dict[str, Any]]
) -> None:
    for keep in range(len(trail)):
        last = trail[keep - 1] if keep else {"seq": 0, "hash": "0" * 64}
        with tampered(
            archive,
            delete(AuditEvent).where(AuditEvent.seq > last["seq"]),
            update(AuditHead).values(seq=last["seq"], hash=last["hash"]),
        ):
            report = archive.verify_audit()
            assert not report.ok, f"truncation to {keep} entries went unnoticed"
        restore(archive, trail)


def test_a_rewritten_chain_does_not_match_its_anchor(archive: Archive, trail: list[dict[str, Any]]) -> None:
    """An attacker edits entry 2 and recomputes every later hash: a consistent chain, but not its anchor."""
    forged = [dict(r) for r in trail]
    forged[1]["actor"] = "mallory"
    previous = forged[0]["hash"]
    for row in forged[1:]:
        row["prev_hash"] = previous
        row["hash"] = previous = chain_hash(previous, AuditEvent(**row))
    table = AuditEvent
    with archive.engine.begin() as conn:
        conn.execute(delete(table))
        conn.execute(insert(table), forged)
        conn.execute(update(AuditHead).values(seq=forged[-1]["seq"], hash=forged[-1]["hash"]))
    report = archive.verify_audit()
    assert not report.ok
    assert any("anchor" in p for p in report.problems)


def test_the_chain_continues_across_reopening(backend: Any, trail: list[dict[str, Any]]) -> None:
    from storage import open_archive

    again = open_archive(backend.settings)
    try:
        again.search("KOVALENKO", CONSOLE_ACTOR)
        report = again.verify_audit()
        assert report.ok and report.entries == len(trail) + 1
    finally:
        again.close()
