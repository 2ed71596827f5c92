"""Authorisation over every role × department × document type, enforced and audited inside storage.

The expectation is computed from the raw policy file (plain YAML, not through `storage.policy`), so a bug
in the policy code cannot agree with itself. For every combination the test asserts: 0 reads allowed that
the policy denies, every allowed read succeeds, and every attempt (allowed or denied) adds exactly one
audit entry naming the actor.
"""

from __future__ import annotations

import itertools

import pytest
import yaml

from schemas.documents import DocumentType
from schemas.errors import AccessDenied
from schemas.record import Actor, AuditEntry, Department, FilingStatus, Role
from storage import Archive, audit, db
from storage.policy import SHIPPED_POLICY
from tests.storage.conftest import Filer

RAW = yaml.safe_load(SHIPPED_POLICY.read_text(encoding="utf-8"))


def expected_read(role: Role, department: Department, doc_type: DocumentType) -> bool:
    """Documents filed by the intake flow: only department readers see them (front desk sees its own only)."""
    scope = RAW["roles"][role.value]["read"]
    return scope == "department" and doc_type.value in RAW["departments"][department.value]["read"]


@pytest.mark.slow
def test_every_role_department_and_type(archive: Archive, filer: Filer) -> None:
    documents = {
        t: filer.file(t, surname=f"MATRIX{i}", number=f"M{i:07d}").document_id for i, t in enumerate(DocumentType)
    }
    entries = archive.verify_audit().entries
    denied_but_read: list[str] = []
    allowed_but_refused: list[str] = []
    for role, department in itertools.product(Role, Department):
        actor = Actor(name=f"{role.value}@{department.value}", role=role, department=department, purpose="matrix")
        for doc_type, doc_id in documents.items():
            try:
                view = archive.get_document(doc_id, actor)
                read = view.id == doc_id
            except AccessDenied:
                read = False
            if read and not expected_read(role, department, doc_type):
                denied_but_read.append(f"{actor.name} read {doc_type.value}")
            if not read and expected_read(role, department, doc_type):
                allowed_but_refused.append(f"{actor.name} refused {doc_type.value}")
            entries += 1
    assert denied_but_read == []
    assert allowed_but_refused == []
    report = archive.verify_audit()
    assert report.ok, report.problems
    assert report.entries == entries, "every read attempt, allowed or denied, is audited exactly once"


def test_every_read_is_audited_with_who_what_and_purpose(archive: Archive, filer: Filer) -> None:
    doc_id = filer.file(DocumentType.PASSPORT).document_id
    clerk = Actor(name="anna", role=Role.CLERK, department=Department.FOREIGNERS_AUTHORITY, purpose="Verlängerung")
    auditor = Actor(name="rev", role=Role.AUDITOR, department=Department.DATA_PROTECTION)
    archive.get_document(doc_id, clerk)
    with pytest.raises(AccessDenied):
        archive.get_document(doc_id, Actor(name="jc", role=Role.CLERK, department=Department.INTEGRATION))
    archive.read_file(doc_id, "original", clerk)
    archive.search("KOVALENKO", clerk)
    log = archive.audit_log(auditor, limit=10)
    actions = [(e.actor, e.action, e.object_id) for e in log[:4]]
    assert actions == [
        ("anna", "search", None),
        ("anna", "download", doc_id),
        ("jc", "read_denied", doc_id),
        ("anna", "read", doc_id),
    ]
    assert log[3].purpose == "Verlängerung"
    assert log[3].person_id is not None


def newest_entries(archive: Archive, limit: int) -> list[AuditEntry]:
    """The newest audit entries, read straight from the database (no entry of its own)."""
    with db.transaction(db.sessions(archive.engine)) as session:
        return audit.entries(session, limit=limit)


def test_auditors_and_archive_administrators_read_and_check_the_audit_trail_and_that_is_audited(
    archive: Archive,
) -> None:
    assert {r for r in Role if RAW["roles"][r.value]["audit"]} == {Role.AUDITOR, Role.ARCHIVE_ADMIN}
    for role in Role:
        actor = Actor(name=f"who-{role.value}", role=role, department=Department.ARCHIVE)
        allowed = bool(RAW["roles"][role.value]["audit"])
        before = archive.verify_audit().entries
        if allowed:
            assert archive.audit_log(actor, limit=5)
            report = archive.check_audit(actor)
            assert report.ok and report.entries == before + 1
        else:
            with pytest.raises(AccessDenied):
                archive.audit_log(actor, limit=5)
            with pytest.raises(AccessDenied):
                archive.check_audit(actor)
        mine = [e for e in newest_entries(archive, 2) if e.actor == actor.name]
        expected = ["verify", "read"] if allowed else ["verify_denied", "read_denied"]
        assert [e.action for e in mine] == expected, role
        assert all(e.object_type == "audit_log" for e in mine)


def test_front_desk_reads_only_what_it_filed_while_it_awaits_review(archive: Archive, filer: Filer) -> None:
    desk = Actor(name="empfang", role=Role.FRONT_DESK, department=Department.FRONT_DESK, user_id="usr_desk")
    other_desk = Actor(name="empfang2", role=Role.FRONT_DESK, department=Department.FRONT_DESK, user_id="usr_desk2")
    pending = archive.file_document(filer.request(DocumentType.NOTICE, review=True, confidence=0.3), desk)
    filed = archive.file_document(filer.request(DocumentType.PASSPORT, number="ZZ9", surname="PETRENKO"), desk)
    assert filed.status is FilingStatus.FILED
    assert archive.get_document(pending.document_id, desk).id == pending.document_id
    with pytest.raises(AccessDenied):
        archive.get_document(filed.document_id, desk)
    with pytest.raises(AccessDenied):
        archive.get_document(pending.document_id, other_desk)
    assert [h.document_id for h in archive.search("KOVALENKO", desk)] == [pending.document_id]
    assert archive.search("KOVALENKO", other_desk) == []


def test_search_is_filtered_by_rights_before_ranking(archive: Archive, filer: Filer) -> None:
    # Many passports mention the name more often (rank higher) than the one notice the job centre may read.
    for i in range(5):
        filer.file(DocumentType.PASSPORT, number=f"P{i}", text="SCHEVCHENKO " * 20)
    notice = filer.file(DocumentType.NOTICE, number="N1", text="Bescheid SCHEVCHENKO")
    jobcentre = Actor(name="jc", role=Role.CLERK, department=Department.JOBCENTRE)
    hits = archive.search("schevchenko", jobcentre, limit=1)
    assert [h.document_id for h in hits] == [notice.document_id]
    assert {h.type for h in archive.search("schevchenko", jobcentre, limit=50)} == {DocumentType.NOTICE}
    assert archive.search("schevchenko", Actor(name="a", role=Role.AUDITOR, department=Department.ARCHIVE)) == []
