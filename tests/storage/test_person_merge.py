"""Merging two records of one person: everything moves into the kept record, the merge is audited, and its
`persons_merged` event hands over what only the merged record shows (issue 18: the event was never written).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from schemas.documents import DocumentType
from schemas.errors import AccessDenied, InvalidRequest
from schemas.record import Department, Role
from storage import Archive
from storage.db import transaction
from storage.models import AuditEvent, Document, Person, PersonIdentifier, Record, RecordEvent
from tests.storage.conftest import Filer
from tests.storage.test_dispatch import PERMIT_TEXT, clerk, open_tasks, person_with_asylblg_matter


def _duplicate_with_par24_permit(archive: Archive, filer: Filer) -> tuple[str, str, str]:
    """(kept person with an AsylbLG matter, duplicate person, the duplicate's § 24 permit)."""
    kept = person_with_asylblg_matter(archive, filer)
    permit = filer.file(
        DocumentType.RESIDENCE_PERMIT, number="RP0000024", surname="PETRENKO", born="1990-07-07", text=PERMIT_TEXT
    )
    assert permit.person_id is not None and permit.person_id != kept, "the matcher filed a second record"
    return kept, permit.person_id, permit.document_id


def test_merging_records_writes_persons_merged_and_hands_over_once(archive: Archive, filer: Filer) -> None:
    kept, duplicate, permit = _duplicate_with_par24_permit(archive, filer)
    archive.dispatch()
    assert not [r for _, r in open_tasks(archive) if r.startswith("par24")], "apart, no record shows both"
    with transaction(archive._sessions) as session:
        old_number = session.scalar(select(Record.file_number).where(Record.person_id == duplicate))

    outcome = archive.merge_persons(
        duplicate, kept, "gleiche Person, Schreibweise", clerk(Department.FOREIGNERS_AUTHORITY)
    )
    assert outcome.person_id == kept and permit in outcome.documents

    with transaction(archive._sessions) as session:
        (event,) = session.scalars(select(RecordEvent).where(RecordEvent.kind == "persons_merged"))
        assert event.person_id == kept and event.details["merged"] == duplicate and event.dispatched_at is None
        (entry,) = session.scalars(select(AuditEvent).where(AuditEvent.action == "persons_merged"))
        assert entry.person_id == kept and entry.details["reason"] == "gleiche Person, Schreibweise"
        assert session.get(Person, duplicate) is None
        kept_record = session.scalar(select(Record).where(Record.person_id == kept))
        assert kept_record is not None and session.get(Document, permit).record_id == kept_record.id  # type: ignore[union-attr]
        numbers = set(session.scalars(select(PersonIdentifier.value).where(PersonIdentifier.person_id == kept)))
        assert old_number in numbers, "the duplicate's Aktenzeichen still finds the person"

    report = archive.dispatch()
    assert report.tasks == 2
    par24 = [(d, r) for d, r in open_tasks(archive) if r.startswith("par24")]
    assert sorted(d for d, _ in par24) == ["jobcentre", "social_welfare"]
    assert {t.person_id for t in archive.list_tasks(clerk(Department.JOBCENTRE))} == {kept}

    with transaction(archive._sessions) as session:  # as if the dispatcher crashed after its tasks
        session.get(RecordEvent, event.seq).dispatched_at = None  # type: ignore[union-attr]
    assert archive.dispatch().tasks == 0, "the merge's event applied twice creates nothing twice"


def test_a_merge_is_refused_without_reading_both_records_and_the_refusal_is_audited(
    archive: Archive, filer: Filer
) -> None:
    kept, duplicate, _ = _duplicate_with_par24_permit(archive, filer)
    with pytest.raises(InvalidRequest):
        archive.merge_persons(kept, kept, "x", clerk(Department.FOREIGNERS_AUTHORITY))
    with pytest.raises(InvalidRequest):
        archive.merge_persons(duplicate, kept, " ", clerk(Department.FOREIGNERS_AUTHORITY))
    for actor in (
        clerk(Department.FRONT_DESK),  # reads no record
        clerk(Department.FOREIGNERS_AUTHORITY, "desk", Role.FRONT_DESK),  # files, does not judge identity
    ):
        with pytest.raises(AccessDenied):
            archive.merge_persons(duplicate, kept, "gleiche Person", actor)
    with transaction(archive._sessions) as session:
        assert session.get(Person, duplicate) is not None
        assert session.scalars(select(AuditEvent.action).where(AuditEvent.action == "merge_denied")).all()
        assert not session.scalars(select(RecordEvent).where(RecordEvent.kind == "persons_merged")).all()
