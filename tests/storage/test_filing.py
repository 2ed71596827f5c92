"""Filing: idempotent per original and page range, persons found or created, corrections are versions."""

from __future__ import annotations

import pytest

from schemas.documents import DocumentType
from schemas.errors import AccessDenied, InvalidRequest, NotFound
from schemas.record import SYSTEM_ACTOR, Actor, Department, FilingStatus, Role
from storage import CONSOLE_ACTOR, Archive
from tests.storage.conftest import Filer

CLERK = Actor(name="abh.clerk", role=Role.CLERK, department=Department.FOREIGNERS_AUTHORITY, purpose="test")


def test_filing_the_same_document_twice_is_a_duplicate(archive: Archive, filer: Filer) -> None:
    request = filer.request(DocumentType.PASSPORT)
    first = archive.file_document(request, SYSTEM_ACTOR)
    again = archive.file_document(request, SYSTEM_ACTOR)
    assert first.status is FilingStatus.FILED
    assert again.status is FilingStatus.DUPLICATE
    assert again.document_id == first.document_id
    assert again.person_id == first.person_id
    assert len(archive.search("KOVALENKO", CONSOLE_ACTOR)) == 1


def test_other_pages_of_the_same_original_are_another_document(archive: Archive, filer: Filer) -> None:
    original = b"%PDF a stack of two documents"
    one = archive.file_document(filer.request(original=original, pages=(1,)), SYSTEM_ACTOR)
    two = archive.file_document(
        filer.request(DocumentType.NOTICE, original=original, pages=(2, 3), number="77"), SYSTEM_ACTOR
    )
    assert one.document_id != two.document_id
    assert two.status is not FilingStatus.DUPLICATE


def test_same_passport_number_and_birth_date_is_the_same_person(filer: Filer) -> None:
    first = filer.file(DocumentType.PASSPORT, number="FA1111111")
    second = filer.file(DocumentType.RESIDENCE_PERMIT, number="FA1111111", surname="KOVALENKO")
    other = filer.file(DocumentType.PASSPORT, number="GB2222222", surname="PETRENKO", given="IVAN", born="1990-01-01")
    assert first.person_id is not None
    assert second.person_id == first.person_id
    assert other.person_id not in {None, first.person_id}


def test_a_person_record_lists_the_documents(archive: Archive, filer: Filer) -> None:
    first = filer.file(DocumentType.PASSPORT)
    filer.file(DocumentType.VISA)
    assert first.person_id is not None
    record = archive.get_person_record(first.person_id, CLERK)
    assert record.person.surname == "KOVALENKO"
    assert record.person.birth_date == "1985-03-02"
    assert {d.type for d in record.documents} == {DocumentType.PASSPORT, DocumentType.VISA}
    assert record.matters and record.matters[0].department is Department.FOREIGNERS_AUTHORITY


def test_a_low_confidence_document_needs_review(filer: Filer) -> None:
    outcome = filer.file(DocumentType.PASSPORT, confidence=0.4, review=True)
    assert outcome.status is FilingStatus.NEEDS_REVIEW


def test_a_document_naming_no_one_needs_review(filer: Filer) -> None:
    outcome = filer.file(DocumentType.OTHER)
    assert outcome.status is FilingStatus.NEEDS_REVIEW
    assert outcome.person_id is None


def test_filing_refuses_rows_pointing_at_missing_objects(archive: Archive, filer: Filer) -> None:
    request = filer.request()
    missing = request.model_copy(update={"text_key": "sha256/00/" + "0" * 62})
    with pytest.raises(NotFound):
        archive.file_document(missing, SYSTEM_ACTOR)
    assert archive.search("KOVALENKO", CONSOLE_ACTOR) == []
    assert archive.missing_objects() == []


def test_an_auditor_may_not_file(archive: Archive, filer: Filer) -> None:
    auditor = Actor(name="rev", role=Role.AUDITOR, department=Department.DATA_PROTECTION)
    with pytest.raises(AccessDenied):
        archive.file_document(filer.request(), auditor)


def test_a_correction_is_a_new_version_and_keeps_the_old_one(archive: Archive, filer: Filer) -> None:
    outcome = filer.file(DocumentType.PASSPORT, given="OLEKSANDR")
    view = archive.correct_document(outcome.document_id, {"given_names": "OLEKSANDR IVAN"}, "MRZ misread", CLERK)
    assert view.version == 2
    assert view.fields["given_names"].value == "OLEKSANDR IVAN"
    assert view.fields["surname"].value == "KOVALENKO"
    assert [(v.version, v.author, v.changed) for v in view.versions] == [
        (1, SYSTEM_ACTOR.name, view.versions[0].changed),
        (2, CLERK.name, ("given_names",)),
    ]
    assert view.versions[1].reason == "MRZ misread"
    assert archive.search("IVAN", CLERK)[0].document_id == outcome.document_id


def test_a_correction_needs_a_reason_and_known_fields(archive: Archive, filer: Filer) -> None:
    doc_id = filer.file(DocumentType.PASSPORT).document_id
    with pytest.raises(InvalidRequest):
        archive.correct_document(doc_id, {"surname": "X"}, "  ", CLERK)
    with pytest.raises(InvalidRequest):
        archive.correct_document(doc_id, {"amount_eur": "1.00"}, "wrong field", CLERK)
    assert archive.get_document(doc_id, CLERK).version == 1


def test_a_department_may_not_correct_types_it_may_not_write(archive: Archive, filer: Filer) -> None:
    doc_id = filer.file(DocumentType.PASSPORT).document_id
    jobcentre = Actor(name="jc", role=Role.CLERK, department=Department.JOBCENTRE)
    with pytest.raises(AccessDenied):
        archive.correct_document(doc_id, {"surname": "X"}, "because", jobcentre)
    assert archive.get_document(doc_id, CLERK).fields["surname"].value == "KOVALENKO"


def test_orphaned_objects_are_found_and_rows_never_point_at_missing_objects(archive: Archive, filer: Filer) -> None:
    from datetime import timedelta

    filer.file(DocumentType.PASSPORT)
    orphan = archive.put_original(b"stored, then the worker died before filing")
    assert archive.missing_objects() == []
    orphans = archive.sweep_orphans(older_than=timedelta(0))
    assert orphan in orphans
    assert archive.sweep_orphans(older_than=timedelta(hours=1)) == []
    archive.sweep_orphans(older_than=timedelta(0), delete=True)
    assert archive.sweep_orphans(older_than=timedelta(0)) == []
    assert archive.missing_objects() == []
