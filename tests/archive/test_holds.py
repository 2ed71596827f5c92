"""Legal holds and retention on the object store, on both backends: a hold sets an object legal hold on every
object of the document and lifting it lifts them; the folder refuses deletes of held or retained objects as S3
does; an approval refused by a hold or a retention says why."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from flows.retention import run_sweep
from schemas.documents import DocumentType
from schemas.errors import InvalidRequest, ObjectLocked
from schemas.record import SYSTEM_ACTOR
from storage.xdomea import schema
from tests.archive.conftest import ADMIN_A, ADMIN_B, Life, schema_folder


def _keys(life: Life, document_id: str) -> list[str]:
    view = life.archive.get_document(document_id, ADMIN_A)
    return sorted({f.key for f in view.files})


def test_legal_hold_on_every_object_and_lifted(life: Life) -> None:
    outcome = life.file(DocumentType.PASSPORT, pdf=True)
    keys = _keys(life, outcome.document_id)
    assert len(keys) >= 4  # original, OCR text, searchable PDF, PDF/A, evidence
    life.archive.set_legal_hold(outcome.document_id, True, "Klageverfahren 3 K 17/26", ADMIN_A)
    assert all(life.archive.store.held(k) for k in keys)
    for key in keys[:2]:
        with pytest.raises(ObjectLocked, match="legal hold"):
            life.archive.store.delete(key, bypass_governance=True)  # not even the bypass deletes a held object
    life.archive.set_legal_hold(outcome.document_id, False, "Verfahren beendet", ADMIN_A)
    assert not any(life.archive.store.held(k) for k in keys)


def test_a_shared_object_stays_held_while_another_held_document_uses_it(life: Life) -> None:
    scan = b"%PDF-1.4 two documents in one scan " + life.name.encode()
    first = life.archive.file_document(life.filer.request(original=scan, pages=(1,)), SYSTEM_ACTOR)
    second = life.archive.file_document(
        life.filer.request(DocumentType.RESIDENCE_PERMIT, number="RP1", original=scan, pages=(2,)), SYSTEM_ACTOR
    )
    original = life.archive.put_original(scan)
    for outcome in (first, second):
        life.archive.set_legal_hold(outcome.document_id, True, "Klage", ADMIN_A)
    life.archive.set_legal_hold(first.document_id, False, "für dieses Dokument erledigt", ADMIN_A)
    assert life.archive.store.held(original)  # the second document is still held and shares the scan
    life.archive.set_legal_hold(second.document_id, False, "erledigt", ADMIN_A)
    assert not life.archive.store.held(original)


def test_the_folder_refuses_to_delete_retained_objects(life: Life) -> None:
    key = life.archive.put_original(b"kept for ten years " + life.name.encode())
    life.archive.store.retain(key, datetime.now(UTC) + timedelta(days=3650))
    if life.name == "embedded":
        with pytest.raises(ObjectLocked, match="retained until"):
            life.archive.store.delete(key)
    life.archive.store.delete(key, bypass_governance=True)  # governance mode: an administrator may
    assert not life.archive.store.exists(key)


def test_a_refused_approval_says_why(life: Life) -> None:
    outcome = life.file()
    request = life.archive.request_deletion(outcome.document_id, "Frist abgelaufen", ADMIN_A)
    with pytest.raises(InvalidRequest, match=r"must be kept until \d{4}-\d\d-\d\d"):
        life.archive.approve_deletion(request, ADMIN_B)
    life.expire()
    life.archive.set_legal_hold(outcome.document_id, True, "Klage", ADMIN_A)
    with pytest.raises(InvalidRequest, match="under legal hold"):
        life.archive.approve_deletion(request, ADMIN_B)
    life.archive.set_legal_hold(outcome.document_id, False, "Klage erledigt", ADMIN_A)
    keys = _keys(life, outcome.document_id)
    life.archive.approve_deletion(request, ADMIN_B)
    assert not any(life.archive.store.exists(k) for k in keys)


def test_retention_sweep_repairs_holds_and_offers_what_is_due(life: Life, tmp_path: Path) -> None:
    held = life.file(DocumentType.PASSPORT, surname="SHEVCHENKO", given="TARAS", number="FB7654321", born="1990-01-01")
    due = life.file()
    life.archive.set_legal_hold(held.document_id, True, "Klage", ADMIN_A)
    drifted = _keys(life, held.document_id)[0]
    life.archive.store.hold(drifted, False)  # as if the store had missed it
    life.expire()
    report = run_sweep(life.settings)
    assert report.holds_repaired == 1 and life.archive.store.held(drifted)
    record_id = life.archive.get_document(due.document_id, ADMIN_A).record_id
    assert report.offered == (record_id,)
    message = (
        life.settings.data_dir / "xdomea" / "outbox" / f"{report.process_id}_Aussonderung.Anbieteverzeichnis.0501.xml"
    )
    schema.parse(message.read_bytes(), schema_folder(), expect="Aussonderung.Anbieteverzeichnis.0501")
    again = run_sweep(life.settings)
    assert again.offered == () and again.holds_repaired == 0  # offered once; nothing drifted since
