"""Review (person candidates, assigning a person) and archive administration (holds, four-eyes deletion)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from schemas.documents import DocumentType
from schemas.errors import AccessDenied, InvalidRequest, NotFound
from schemas.record import Actor, Department, FilingStatus, Role
from storage import Archive
from storage.models import Document
from tests.storage.conftest import Filer

CLERK = Actor(name="anna", role=Role.CLERK, department=Department.FOREIGNERS_AUTHORITY)
ADMIN1 = Actor(name="archiv1", role=Role.ARCHIVE_ADMIN, department=Department.ARCHIVE)
ADMIN2 = Actor(name="archiv2", role=Role.ARCHIVE_ADMIN, department=Department.ARCHIVE)


def test_a_clerk_sees_candidates_and_assigns_the_person(archive: Archive, filer: Filer) -> None:
    passport = filer.file(DocumentType.PASSPORT, surname="KOVALENKO", given="OLEKSANDR")
    # A notice names the person the Russian way and gives no birth date: a name alone is never enough.
    cert = filer.file(DocumentType.NOTICE, surname="KOVALENKO", given="ALEKSANDR", number="II-123")
    assert passport.person_id is not None
    assert cert.status is FilingStatus.NEEDS_REVIEW
    assert passport.person_id in [c.person_id for c in cert.person_candidates]
    candidates = archive.person_candidates(cert.document_id, CLERK)
    assert passport.person_id in [c.person_id for c in candidates]
    view = archive.assign_person(cert.document_id, passport.person_id, "same person, Russian spelling", CLERK)
    assert view is not None
    assert view.person_id == passport.person_id
    assert view.status == "filed"
    record = archive.get_person_record(passport.person_id, CLERK)
    assert cert.document_id in [d.id for d in record.documents]
    assert any("ALEKSANDR" in alias for alias in record.person.aliases)


def test_assigning_needs_the_right_to_correct(archive: Archive, filer: Filer) -> None:
    passport = filer.file(DocumentType.PASSPORT)
    orphan = filer.file(DocumentType.OTHER)
    assert passport.person_id is not None
    with pytest.raises(AccessDenied):
        archive.assign_person(orphan.document_id, passport.person_id, "x", ADMIN1)


def test_retention_rules_come_from_the_policy(archive: Archive) -> None:
    rules = archive.retention_rules()
    assert rules["default"] >= 1 and rules["birth_certificate"] >= rules["other"]


def _expire(archive: Archive, document_id: str) -> None:
    with archive.engine.begin() as conn:
        conn.execute(
            update(Document).where(Document.id == document_id).values(retain_until=datetime.now(UTC) - timedelta(1))
        )


def test_deletion_needs_two_administrators_an_expired_retention_and_no_hold(archive: Archive, filer: Filer) -> None:
    doc = filer.file(DocumentType.NOTICE, text="Bescheid Wohngeld").document_id
    with pytest.raises(AccessDenied):
        archive.request_deletion(doc, "retention over", CLERK)
    request = archive.request_deletion(doc, "retention over", ADMIN1)
    with pytest.raises(InvalidRequest, match="second"):
        archive.approve_deletion(request, ADMIN1)
    with pytest.raises(InvalidRequest, match="kept until"):
        archive.approve_deletion(request, ADMIN2)
    _expire(archive, doc)
    archive.set_legal_hold(doc, True, "court case", ADMIN1)
    with pytest.raises(InvalidRequest, match="legal hold"):
        archive.approve_deletion(request, ADMIN2)
    archive.set_legal_hold(doc, False, "case closed", ADMIN1)
    archive.approve_deletion(request, ADMIN2)
    with pytest.raises(NotFound):
        archive.get_document(doc, CLERK)
    assert archive.search("Wohngeld", CLERK) == []
    assert archive.missing_objects() == []
    assert [r.status.value for r in archive.deletion_requests(ADMIN1)] == ["executed"]
    assert archive.verify_audit().ok


def test_only_archive_administrators_set_holds(archive: Archive, filer: Filer) -> None:
    doc = filer.file(DocumentType.PASSPORT).document_id
    with pytest.raises(AccessDenied):
        archive.set_legal_hold(doc, True, "x", CLERK)
