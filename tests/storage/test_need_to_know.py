"""Need-to-know for what is derived from documents, checked field by field: tasks and digests name a person
and a document type only where the department may read one of the person's documents, and every read is
audited. (Exports: tests/archive/test_xdomea.py; webhooks: tests/storage/test_notify.py; pages, downloads,
search and records with the stack dimension: tests/web/test_authz_matrix.py.)"""

from __future__ import annotations

from datetime import date

from schemas.documents import DocumentType
from schemas.record import Department
from storage import Archive, db
from storage.archive import CONSOLE_ACTOR
from storage.dispatch import new_task
from storage.models import Document
from tests.storage.conftest import Filer
from tests.storage.test_dispatch import clerk


def _task_about(archive: Archive, document_id: str, person_id: str, department: Department) -> str:
    with db.transaction(db.sessions(archive.engine)) as session:  # type: ignore[attr-defined]
        row = new_task(
            source=f"test:{document_id}:{department.value}",
            rule="test",
            department=department,
            kind="handover",
            title="Rechtskreiswechsel prüfen",
            created_by="test",
            document=session.get(Document, document_id),
            person_id=person_id,
            due=date.today(),
        )
        session.add(row)
        return row.id


def test_a_task_about_a_passport_names_neither_the_person_nor_the_type_to_the_job_centre(
    archive: Archive, filer: Filer
) -> None:
    passport = filer.file(DocumentType.PASSPORT, surname="KOVALENKO", given="OLEKSANDR")
    assert passport.person_id is not None
    task_id = _task_about(archive, passport.document_id, passport.person_id, Department.JOBCENTRE)
    jobcentre, welfare = clerk(Department.JOBCENTRE), clerk(Department.SOCIAL_WELFARE)
    _task_about(archive, passport.document_id, passport.person_id, Department.SOCIAL_WELFARE)

    (listed,) = archive.list_tasks(jobcentre)
    seen = archive.get_task(task_id, jobcentre)
    for view in (listed, seen):
        assert view.person_name is None and view.document_type is None and not view.document_readable
        assert "KOVALENKO" not in view.model_dump_json()
    # The social welfare office reads passports: the same kind of task names the person and the type.
    (theirs,) = archive.list_tasks(welfare)
    assert theirs.person_name == "KOVALENKO, OLEKSANDR" and theirs.document_type is DocumentType.PASSPORT

    # Once the job centre reads a document of the person (a notice), it may know the name, not the passport.
    notice = filer.file(DocumentType.NOTICE, text="Bescheid Jobcenter KOVALENKO")
    if notice.person_id != passport.person_id:
        archive.assign_person(notice.document_id, passport.person_id, "gehört zur Person", jobcentre)
    seen = archive.get_task(task_id, jobcentre)
    assert seen.person_name == "KOVALENKO, OLEKSANDR" and seen.document_type is None

    reads = [e for e in archive.audit_log(CONSOLE_ACTOR, limit=200) if e.actor == jobcentre.name]
    assert [e.object_type for e in reads if e.action == "read"].count("task") == 2
    assert any(e.object_type == "tasks" for e in reads), "the inbox list is audited"


def test_the_digest_of_a_department_names_no_type_it_may_not_read_and_is_audited(
    archive: Archive, filer: Filer
) -> None:
    passport = filer.file(DocumentType.PASSPORT)
    permit = filer.file(DocumentType.RESIDENCE_PERMIT, number="RP0000024")
    assert passport.person_id is not None and permit.person_id is not None
    _task_about(archive, passport.document_id, passport.person_id, Department.JOBCENTRE)
    _task_about(archive, permit.document_id, permit.person_id, Department.JOBCENTRE)
    digest = archive.task_digest(Department.JOBCENTRE, date.today())
    assert sorted(str(line.document_type) for line in digest.lines) == ["None", "residence_permit"]
    assert "KOVALENKO" not in digest.model_dump_json() and "passport" not in digest.model_dump_json()
    entries = [e for e in archive.audit_log(CONSOLE_ACTOR, limit=200) if e.action == "digest"]
    assert [e.actor for e in entries] == ["notify:jobcentre"]
