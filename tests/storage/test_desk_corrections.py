"""The front desk corrects what it filed itself while it awaits review: fields, type and person (issue 18:
every action ended in 403). Need-to-know holds: another desk user, or the desk once the document is filed,
is refused and the refusal audited; a new type moves the review to the department of the new type.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from schemas.documents import DocumentType
from schemas.errors import AccessDenied
from schemas.record import Actor, Department, Role
from storage import Archive
from storage.db import transaction
from storage.models import AuditEvent, Task
from tests.storage.conftest import Filer, field
from tests.storage.test_dispatch import clerk

DESK = Actor(name="empfang", role=Role.FRONT_DESK, department=Department.FRONT_DESK, user_id="u-empfang")
OTHER_DESK = Actor(name="empfang2", role=Role.FRONT_DESK, department=Department.FRONT_DESK, user_id="u-empfang2")


def _pending_notice(archive: Archive, filer: Filer) -> str:
    request = filer.request(DocumentType.NOTICE, text="Bescheid Sozialamt AsylbLG", review=True, confidence=0.4)
    fields = {**request.document.fields, "authority": field("Landkreis Musterland, Sozialamt")}
    request = request.model_copy(update={"document": request.document.model_copy(update={"fields": fields})})
    outcome = archive.file_document(request, DESK)
    assert outcome.status.value == "needs_review"
    return outcome.document_id


def _reviews(archive: Archive, document_id: str) -> list[tuple[str, bool, str | None]]:
    with transaction(archive._sessions) as session:
        rows = session.scalars(select(Task).where(Task.document_id == document_id, Task.kind == "review"))
        return sorted((t.department, t.active, t.document_type) for t in rows)


def _audited(archive: Archive, action: str) -> int:
    with transaction(archive._sessions) as session:
        return len(session.scalars(select(AuditEvent.seq).where(AuditEvent.action == action)).all())


def test_the_desk_corrects_fields_and_type_of_its_own_pending_document(archive: Archive, filer: Filer) -> None:
    doc = _pending_notice(archive, filer)
    archive.dispatch()
    assert _reviews(archive, doc) == [("social_welfare", True, "notice")]

    view = archive.correct_document(doc, {"subject": "Leistungen nach dem AsylbLG"}, "vom Blatt abgelesen", DESK)
    assert view.version == 2 and view.fields["subject"].value == "Leistungen nach dem AsylbLG"

    view = archive.retype_document(doc, DocumentType.BIRTH_CERTIFICATE, "ist eine Geburtsurkunde", DESK)
    assert view.type is DocumentType.BIRTH_CERTIFICATE and view.version == 3
    assert "subject" not in view.fields, "fields the new type does not know stay in the earlier version"
    assert _audited(archive, "retype") == 1
    archive.dispatch()
    # the social welfare office's review is closed, and the task carries the new type (need-to-know follows it)
    assert _reviews(archive, doc) == [
        ("foreigners_authority", True, "birth_certificate"),  # where the policy files birth certificates
        ("social_welfare", False, "birth_certificate"),
    ]
    jobcentre_view = [t for t in archive.list_tasks(clerk(Department.JOBCENTRE))]
    assert all(t.document_id != doc for t in jobcentre_view)


def test_only_its_own_and_only_while_pending(archive: Archive, filer: Filer) -> None:
    person_id = filer.file(DocumentType.PASSPORT).person_id
    assert person_id is not None
    doc = _pending_notice(archive, filer)
    with pytest.raises(AccessDenied):
        archive.correct_document(doc, {"subject": "x"}, "fremd", OTHER_DESK)
    with pytest.raises(AccessDenied):
        archive.retype_document(doc, DocumentType.OTHER, "fremd", OTHER_DESK)
    with pytest.raises(AccessDenied):  # a clerk who may not correct birth certificates cannot make one
        archive.retype_document(doc, DocumentType.BIRTH_CERTIFICATE, "x", clerk(Department.JOBCENTRE))
    assert _audited(archive, "correct_denied") == 1 and _audited(archive, "retype_denied") == 2

    assert archive.assign_person(doc, person_id, "Person stand am Schalter", DESK) is None, (
        "filed: no longer the desk's"
    )
    with pytest.raises(AccessDenied):
        archive.correct_document(doc, {"subject": "y"}, "zu spät", DESK)
    view = archive.get_document(doc, clerk(Department.SOCIAL_WELFARE))
    assert view.person_id == person_id and view.status == "filed"
