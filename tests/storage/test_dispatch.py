"""Record events and their dispatch into department tasks, end to end on both backends.

A § 24 residence permit filed for a person with an AsylbLG matter creates exactly one task in the social
welfare inbox and one in the job centre's, none elsewhere; filing it again or dispatching again creates
none; the job centre's view of the task never carries a document type it may not read.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from schemas.documents import DocumentType
from schemas.errors import AccessDenied, InvalidRequest
from schemas.record import SYSTEM_ACTOR, Actor, Department, Role
from schemas.tasks import FollowUpRequest, TaskAction, TaskChange, TaskStatus, VisitConcern, VisitRequest
from storage import CONSOLE_ACTOR, Archive
from storage.db import transaction
from storage.models import RecordEvent
from tests.storage.conftest import Filer, field

PERMIT_TEXT = "AUFENTHALTSERLAUBNIS § 24 AufenthG ausgestellt am 15.05.2024 KOVALENKO OLEKSANDR"


def clerk(department: Department, name: str | None = None, role: Role = Role.CLERK) -> Actor:
    name = name or f"{department.value}-clerk"
    return Actor(name=name, role=role, department=department, user_id=f"u-{name}")


def file_notice(archive: Archive, filer: Filer, authority: str, text: str) -> str:
    request = filer.request(DocumentType.NOTICE, text=text)
    fields = {**request.document.fields, "authority": field(authority)}
    request = request.model_copy(update={"document": request.document.model_copy(update={"fields": fields})})
    return archive.file_document(request, SYSTEM_ACTOR).document_id


def person_with_asylblg_matter(archive: Archive, filer: Filer) -> str:
    """A person (passport) whose AsylbLG notice the social welfare office filed into the record."""
    person_id = filer.file(DocumentType.PASSPORT).person_id
    assert person_id is not None
    notice = file_notice(archive, filer, "Landkreis Musterland, Sozialamt", "Bescheid AsylbLG KOVALENKO")
    archive.assign_person(notice, person_id, "Bescheid gehört zur Person", clerk(Department.SOCIAL_WELFARE))
    return person_id


def open_tasks(archive: Archive) -> list[tuple[str, str]]:
    return sorted((t.department.value, t.rule) for t in archive.list_tasks(CONSOLE_ACTOR, every=True))


def test_every_change_writes_an_event_in_its_transaction(archive: Archive, filer: Filer) -> None:
    outcome = filer.file(DocumentType.PASSPORT)
    archive.correct_document(
        outcome.document_id, {"nationality": "DEU"}, "Tippfehler", clerk(Department.FOREIGNERS_AUTHORITY)
    )
    with transaction(archive._sessions) as session:
        kinds = [e.kind for e in session.scalars(select(RecordEvent).order_by(RecordEvent.seq))]
    assert kinds == ["document_filed", "document_corrected"]
    # a refused correction changes nothing, so it writes no event
    with pytest.raises(AccessDenied):
        archive.correct_document(outcome.document_id, {"nationality": "POL"}, "x", clerk(Department.INTEGRATION))
    with transaction(archive._sessions) as session:
        assert session.scalar(select(func.count(RecordEvent.seq))) == 2


def test_par24_permit_hands_over_to_social_welfare_and_jobcentre_once(archive: Archive, filer: Filer) -> None:
    person_with_asylblg_matter(archive, filer)
    archive.dispatch()
    assert open_tasks(archive) == [], "the review of the notice was closed when its person was assigned"

    request = filer.request(DocumentType.RESIDENCE_PERMIT, number="RP0000024", text=PERMIT_TEXT)
    archive.file_document(request, SYSTEM_ACTOR)
    report = archive.dispatch()
    assert report.tasks == 2 and report.pending == 0
    assert open_tasks(archive) == [
        ("jobcentre", "par24_asylblg_to_sgb2_jobcentre_until_cutoff"),
        ("social_welfare", "par24_asylblg_to_sgb2_social_welfare_until_cutoff"),
    ]
    welfare = archive.list_tasks(clerk(Department.SOCIAL_WELFARE))
    assert [t.title for t in welfare] == ["AsylbLG-Leistungen zum Monatsende einstellen"]
    today = date.today()
    assert welfare[0].due_date is not None and welfare[0].due_date.month == today.month
    assert (welfare[0].due_date + timedelta(days=1)).day == 1, "due at the end of the month"
    for department in (Department.FOREIGNERS_AUTHORITY, Department.YOUTH_OFFICE, Department.INTEGRATION):
        assert archive.list_tasks(clerk(department)) == []

    # filing the same permit again is a duplicate: no event, no task; dispatching again creates nothing
    assert archive.file_document(request, SYSTEM_ACTOR).status.value == "duplicate"
    assert archive.dispatch().tasks == 0
    assert len(open_tasks(archive)) == 2


def test_an_event_applied_twice_creates_nothing_twice(archive: Archive, filer: Filer) -> None:
    person_with_asylblg_matter(archive, filer)
    filer.file(DocumentType.RESIDENCE_PERMIT, number="RP0000024", text=PERMIT_TEXT)
    archive.dispatch()
    before = open_tasks(archive)
    with transaction(archive._sessions) as session:  # as if the dispatcher crashed after its tasks
        for event in session.scalars(select(RecordEvent)):
            event.dispatched_at = None
    report = archive.dispatch()
    assert report.events > 0 and report.tasks == 0
    assert open_tasks(archive) == before


def test_jobcentre_task_view_names_the_fact_not_the_content(archive: Archive, filer: Filer) -> None:
    person_id = person_with_asylblg_matter(archive, filer)
    filer.file(DocumentType.RESIDENCE_PERMIT, number="RP0000024", text=PERMIT_TEXT)
    filer.file(DocumentType.BIRTH_CERTIFICATE, number="GU-1", born="2015-01-01", surname="KOVALENKO", given="MARIA")
    archive.dispatch()
    jobcentre = clerk(Department.JOBCENTRE)
    (task,) = archive.list_tasks(jobcentre)
    assert task.document_type is DocumentType.RESIDENCE_PERMIT and task.document_readable
    assert task.person_id == person_id
    # a task of the youth office about a birth certificate, forwarded to the job centre (which may not read
    # birth certificates): the job centre sees that it exists and what to do, never the document's type
    youth = archive.list_tasks(clerk(Department.YOUTH_OFFICE))
    assert [t.rule for t in youth] == ["minor_without_youth_matter"]
    forwarded = archive.change_task(
        youth[0].id,
        TaskChange(action=TaskAction.FORWARD, department=Department.JOBCENTRE, note="Bitte SGB II prüfen"),
        clerk(Department.YOUTH_OFFICE),
    )
    assert forwarded.department is Department.JOBCENTRE
    seen = {t.id: t for t in archive.list_tasks(jobcentre)}[youth[0].id]
    assert seen.document_type is None and not seen.document_readable
    dumped = seen.model_dump_json()
    assert "birth_certificate" not in dumped and "MARIA" not in dumped
    with pytest.raises(AccessDenied):
        archive.get_document(seen.document_id or "", jobcentre)


def test_task_actions_are_checked_and_audited(archive: Archive, filer: Filer) -> None:
    filer.file(DocumentType.DEGREE_CERTIFICATE, number="DIP-7")
    archive.dispatch()
    integration = clerk(Department.INTEGRATION)
    (task,) = archive.list_tasks(integration)
    assert task.rule == "qualification_recognition" and task.status is TaskStatus.OPEN
    with pytest.raises(AccessDenied):
        archive.change_task(task.id, TaskChange(action=TaskAction.CLAIM), clerk(Department.JOBCENTRE))
    claimed = archive.change_task(task.id, TaskChange(action=TaskAction.CLAIM), integration)
    assert claimed.status is TaskStatus.CLAIMED and claimed.assignee == integration.name
    with pytest.raises(InvalidRequest):
        archive.change_task(task.id, TaskChange(action=TaskAction.ASSIGN, assignee="nobody"), integration)
    with pytest.raises(InvalidRequest):  # forwarding needs a note
        archive.change_task(
            task.id, TaskChange(action=TaskAction.FORWARD, department=Department.JOBCENTRE), integration
        )
    done = archive.change_task(task.id, TaskChange(action=TaskAction.DONE, note="Anerkennung beantragt"), integration)
    assert done.status is TaskStatus.DONE and done.note == "Anerkennung beantragt"
    assert [e.action for e in done.history] == ["created", "claim", "done"]
    assert archive.list_tasks(integration) == []
    actions = [e.action for e in archive.audit_log(CONSOLE_ACTOR, limit=30)]
    assert {"task_claim", "task_done", "task_denied"} <= set(actions)


def test_follow_up_appears_on_its_date(archive: Archive, filer: Filer) -> None:
    outcome = filer.file(DocumentType.PASSPORT)
    officer = clerk(Department.FOREIGNERS_AUTHORITY)
    today = date.today()
    archive.add_follow_up(FollowUpRequest(document_id=outcome.document_id, due_date=today, note="Pass prüfen"), officer)
    later = FollowUpRequest(person_id=outcome.person_id, due_date=today + timedelta(days=3), note="Termin")
    archive.add_follow_up(later, officer)
    assert [t.note for t in archive.list_tasks(officer)] == ["Pass prüfen"]
    assert len(archive.list_tasks(officer, today=today + timedelta(days=3))) == 2
    with pytest.raises(AccessDenied):  # integration may not read passports
        archive.add_follow_up(
            FollowUpRequest(document_id=outcome.document_id, due_date=today, note="x"), clerk(Department.INTEGRATION)
        )


def test_visit_concerns_become_tasks_of_their_departments(archive: Archive, filer: Filer) -> None:
    person_id = filer.file(DocumentType.PASSPORT).person_id
    assert person_id is not None
    desk = clerk(Department.FRONT_DESK, role=Role.FRONT_DESK)
    visit = archive.open_visit(
        VisitRequest(
            person_id=person_id,
            concerns=(
                VisitConcern(department=Department.SOCIAL_WELFARE, note="Fragt nach Leistungen"),
                VisitConcern(department=Department.INTEGRATION, note="Möchte Integrationskurs"),
            ),
        ),
        desk,
    )
    assert len(visit.tasks) == 2
    assert [t.note for t in archive.list_tasks(clerk(Department.INTEGRATION))] == ["Möchte Integrationskurs"]


def test_expiry_follow_ups_at_90_and_30_days_and_expired(archive: Archive, filer: Filer) -> None:
    today = date.today()
    request = filer.request(DocumentType.RESIDENCE_PERMIT, number="RP-EXP")
    fields = {**request.document.fields, "expiry_date": field((today + timedelta(days=80)).isoformat())}
    request = request.model_copy(update={"document": request.document.model_copy(update={"fields": fields})})
    archive.file_document(request, SYSTEM_ACTOR)
    assert archive.check_expiry(today) == 1
    assert archive.check_expiry(today) == 0, "once per document and threshold"
    assert archive.check_expiry(today + timedelta(days=50)) == 1
    assert archive.check_expiry(today + timedelta(days=81)) == 1
    rules = sorted(t.rule for t in archive.list_tasks(clerk(Department.FOREIGNERS_AUTHORITY)))
    assert rules == ["expired_document", "expiry_30_days", "expiry_90_days"]


def test_contact_person_is_assigned_and_changed_with_a_reason(archive: Archive, filer: Filer) -> None:
    person_id = filer.file(DocumentType.PASSPORT).person_id
    assert person_id is not None
    archive.dispatch()
    officer = clerk(Department.FOREIGNERS_AUTHORITY)
    contact = archive.contact_person(person_id, officer)
    assert contact is not None and contact.team == "Team Zentrale Aufnahme"
    with pytest.raises(InvalidRequest):
        archive.set_contact_person(person_id, "Team Nord", " ", officer)
    changed = archive.set_contact_person(person_id, "Team Nord", "Umzug nach Musterstadt", officer)
    assert changed.team == "Team Nord" and changed.assigned_by == officer.name
    with pytest.raises(AccessDenied):
        archive.set_contact_person(person_id, "Team Süd", "x", clerk(Department.FRONT_DESK, role=Role.FRONT_DESK))


def test_a_notice_is_linked_by_name_and_a_second_identifier_never_by_name_alone(
    archive: Archive, filer: Filer, audit_count: object
) -> None:
    person_id = filer.file(DocumentType.PASSPORT).person_id
    filer.file(DocumentType.PASSPORT, given="OLEKSANDR", number="FB7654321", born="1990-07-07")  # same name
    officer = clerk(Department.SOCIAL_WELFARE)
    alone = file_notice(archive, filer, "Sozialamt", "Bescheid an KOVALENKO OLEKSANDR")
    assert archive.get_document(alone, officer).status == "needs_review", "name alone is never enough"

    born = file_notice(archive, filer, "Sozialamt", "Bescheid an KOVALENKO OLEKSANDR, geboren am 02.03.1985")
    view = archive.get_document(born, officer)
    assert view.status == "filed" and view.person_id == person_id
    assert any("Geburtsdatum 02.03.1985" in note for note in view.notes), view.notes
    entry = next(e for e in archive.audit_log(CONSOLE_ACTOR, limit=40) if e.object_id == born and e.action == "create")
    assert entry.details["link_evidence"] == ["Name stimmt überein", "Geburtsdatum 02.03.1985 im Text"]

    # the Aktenzeichen of the person's record printed on a notice links it
    assert person_id is not None
    file_number = archive.get_person_record(person_id, officer).file_number
    request = filer.request(DocumentType.NOTICE, text="Bescheid an KOVALENKO OLEKSANDR")
    fields = {**request.document.fields, "authority": field("Sozialamt"), "file_number": field(file_number)}
    known = request.model_copy(update={"document": request.document.model_copy(update={"fields": fields})})
    outcome = archive.file_document(known, SYSTEM_ACTOR)
    assert outcome.status.value == "filed" and outcome.person_id == person_id
    notes = archive.get_document(outcome.document_id, officer).notes
    assert any(f"Aktenzeichen {file_number}" in note for note in notes), notes


def test_a_new_address_goes_to_every_department_with_a_matter(archive: Archive, filer: Filer) -> None:
    person_with_asylblg_matter(archive, filer)
    archive.dispatch()

    def register(text: str, number: str) -> None:
        filer.file(DocumentType.REGISTRATION_CERTIFICATE, number=number, text=f"Meldebescheinigung {text}")

    register("KOVALENKO OLEKSANDR wohnhaft Hauptstraße 5, 12345 Musterstadt", "MB-1")
    archive.dispatch()
    assert open_tasks(archive) == [
        ("foreigners_authority", "change_of_address"),
        ("social_welfare", "change_of_address"),
    ]
    register("KOVALENKO OLEKSANDR Hauptstr. 5 12345 Musterstadt", "MB-2")  # the same address, spelt otherwise
    archive.dispatch()
    assert len(open_tasks(archive)) == 2
    register("KOVALENKO OLEKSANDR Bahnhofsweg 1, 12456 Beispieldorf", "MB-3")
    archive.dispatch()
    assert len(open_tasks(archive)) == 4


def test_the_contact_team_follows_the_postcode_of_the_first_address(archive: Archive, filer: Filer) -> None:
    person_id = filer.file(DocumentType.PASSPORT, surname="PETRENKO", given="IRYNA", number="FP1111111").person_id
    assert person_id is not None
    filer.file(
        DocumentType.REGISTRATION_CERTIFICATE,
        surname="PETRENKO",
        given="IRYNA",
        number="MB-9",
        text="Meldebescheinigung PETRENKO IRYNA Lindenallee 3, 12345 Musterstadt",
    )
    archive.dispatch()
    contact = archive.contact_person(person_id, clerk(Department.FOREIGNERS_AUTHORITY))
    assert contact is not None and contact.team == "Team Nord" and "12345" in contact.reason


def test_a_task_that_cannot_be_stored_leaves_its_event_pending(
    archive: Archive, filer: Filer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: an integrity error other than the (source, rule, department) race was taken for that race,
    so the event was marked dispatched and its task was lost (seen when code and schema disagreed)."""
    from storage import dispatch

    filer.file(DocumentType.DEGREE_CERTIFICATE, number="DIP-7")
    real = dispatch.new_task

    def broken(**kwargs: object) -> object:
        row = real(**kwargs)  # type: ignore[arg-type]
        row.due_sort = None  # type: ignore[assignment]  # violates NOT NULL
        return row

    monkeypatch.setattr(dispatch, "new_task", broken)
    with pytest.raises(Exception):  # noqa: B017 - the store's own error (wrapped differently per backend)
        archive.dispatch()
    monkeypatch.setattr(dispatch, "new_task", real)
    report = archive.dispatch()
    assert report.events == 1 and report.tasks == 1
