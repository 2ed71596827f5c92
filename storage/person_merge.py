"""Merging two records of one person (Zusammenführung von Akten): the duplicate goes into the kept record.

The matcher never merges (`storage/persons.py`); two records of one human being are found by a clerk, who
merges the duplicate (`source`) into the record that stays (`target`) with a reason. In one transaction the
duplicate's documents and matters (Vorgänge) move over (a matter the kept record already has absorbs the
duplicate's), its names, identifiers, claims and blocking keys follow, its Aktenzeichen stays findable as an
identifier of the kept person (notices quoting it still link), tasks, visits and family links point to the
kept person, and the duplicate's person and record rows are removed. The merge is audited, and it writes a
`persons_merged` record event in the same transaction, so the dispatcher can hand over what only the merged
record shows (e.g. a § 24 permit of one record and the AsylbLG matter of the other).
"""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from schemas.documents import ExtractedField
from schemas.errors import AccessDenied, InvalidRequest, NotFound
from schemas.persons import IdentifierKind
from schemas.record import Actor, Role
from schemas.tasks import MergeOutcome
from storage import audit, events, filing, search
from storage.models import (
    ContactPerson,
    Document,
    Matter,
    Person,
    PersonAlias,
    PersonClaimRow,
    PersonIdentifier,
    PersonKey,
    PersonLink,
    Record,
    Task,
    Visit,
)
from storage.policy import Policy, ReadScope

#: Roles that may merge records: those who work on records (the front desk files, it does not judge identity).
_MERGERS = {Role.CLERK, Role.LEAD}
_GONE = ("withdrawn", "deleted")


def _person_and_record(session: Session, person_id: str) -> tuple[Person, Record]:
    person = session.get(Person, person_id)
    record = session.scalar(select(Record).where(Record.person_id == person_id))
    if person is None or record is None:
        raise NotFound(f"person {person_id} does not exist; find persons with `dach search NAME`.")
    return person, record


def _reads_record(session: Session, policy: Policy, actor: Actor, record: Record) -> bool:
    """The actor's department reads at least one live document of the record (it knows whom it merges)."""
    readable = [t.value for t in policy.readable_types(actor)]
    if policy.read_scope(actor) is not ReadScope.DEPARTMENT or not readable:
        return False
    found = session.scalar(
        select(Document.id)
        .where(Document.record_id == record.id, Document.type.in_(readable), Document.status.not_in(_GONE))
        .limit(1)
    )
    return found is not None


def _move_matters(session: Session, source: Record, target: Record) -> tuple[int, int]:
    """The duplicate's matters move to the kept record; one the kept record already has absorbs its documents."""
    kept = {
        (m.department, m.legal_area): m for m in session.scalars(select(Matter).where(Matter.record_id == target.id))
    }
    moved = absorbed = 0
    for matter in list(session.scalars(select(Matter).where(Matter.record_id == source.id))):
        same = kept.get((matter.department, matter.legal_area))
        if same is None:
            matter.record_id = target.id
            moved += 1
            continue
        session.execute(update(Document).where(Document.matter_id == matter.id).values(matter_id=same.id))
        session.delete(matter)
        absorbed += 1
    session.flush()
    return moved, absorbed


def _move_person_rows(session: Session, source: Person, target: Person, source_record: Record) -> None:
    """Names, identifiers, claims, keys, links, tasks, visits and the contact person follow the kept person."""
    identifiers = {
        (i.kind, i.value)
        for i in session.scalars(select(PersonIdentifier).where(PersonIdentifier.person_id == target.id))
    }
    for row in list(session.scalars(select(PersonIdentifier).where(PersonIdentifier.person_id == source.id))):
        if (row.kind, row.value) in identifiers:
            session.delete(row)
        else:
            row.person_id = target.id
            identifiers.add((row.kind, row.value))
    if (IdentifierKind.FILE_NUMBER.value, source_record.file_number) not in identifiers:
        session.add(
            PersonIdentifier(
                person_id=target.id, kind=IdentifierKind.FILE_NUMBER.value, value=source_record.file_number
            )
        )
    keys = set(session.scalars(select(PersonKey.key).where(PersonKey.person_id == target.id)))
    for key in list(session.scalars(select(PersonKey).where(PersonKey.person_id == source.id))):
        if key.key in keys:
            session.delete(key)
        else:
            key.person_id = target.id
            keys.add(key.key)
    session.execute(update(PersonAlias).where(PersonAlias.person_id == source.id).values(person_id=target.id))
    if (source.surname, source.given_names) != (target.surname, target.given_names):
        session.add(
            PersonAlias(person_id=target.id, surname=source.surname, given_names=source.given_names, source="merge")
        )
    session.execute(update(PersonClaimRow).where(PersonClaimRow.person_id == source.id).values(person_id=target.id))
    session.execute(update(PersonLink).where(PersonLink.person_id == source.id).values(person_id=target.id))
    session.execute(
        update(PersonLink).where(PersonLink.related_person_id == source.id).values(related_person_id=target.id)
    )
    session.execute(delete(PersonLink).where(PersonLink.person_id == PersonLink.related_person_id))
    session.execute(update(Task).where(Task.person_id == source.id).values(person_id=target.id))
    session.execute(update(Visit).where(Visit.person_id == source.id).values(person_id=target.id))
    contact = session.get(ContactPerson, source.id)
    if contact is not None:  # the kept person's contact stays; the duplicate's is dropped (one per person)
        session.delete(contact)
    session.flush()


def merge_persons(
    session: Session, policy: Policy, source_id: str, target_id: str, reason: str, actor: Actor
) -> MergeOutcome:
    """Merge the record of `source_id` into that of `target_id` in the caller's transaction (see the module)."""
    source, source_record = _person_and_record(session, source_id)
    target, target_record = _person_and_record(session, target_id)
    if actor.role not in _MERGERS or not (
        _reads_record(session, policy, actor, source_record) and _reads_record(session, policy, actor, target_record)
    ):
        audit.append(
            session, actor, "merge_denied", "person", target.id, person_id=target.id, details={"merged": source.id}
        )
        raise AccessDenied(f"{actor.name} may not merge these records (it must read documents of both).")
    if source_id == target_id:
        raise InvalidRequest("a person cannot be merged with itself; choose the duplicate record.")
    if not reason.strip():
        raise InvalidRequest("merging two records needs a reason (why they are one person).")
    documents = list(session.scalars(select(Document).where(Document.record_id == source_record.id)))
    moved, absorbed = _move_matters(session, source_record, target_record)
    for doc in documents:
        doc.record_id = target_record.id
    session.flush()
    for doc in documents:
        if doc.status in _GONE or not doc.versions:
            continue
        names = filing.person_names(target, None) + " " + filing.person_names(source, None)
        fields = filing.field_text(_fields(doc))
        search.reindex_fields(session, doc.id, fields, names)
    _move_person_rows(session, source, target, source_record)
    session.delete(source_record)
    session.flush()
    session.expire(source, ["aliases", "identifiers"])  # moved above: the delete must not cascade to them
    session.delete(source)
    ids = tuple(d.id for d in documents)
    audit.append(
        session,
        actor,
        "persons_merged",
        "person",
        target.id,
        person_id=target.id,
        details={
            "merged": source.id,
            "merged_file_number": source_record.file_number,
            "documents": list(ids),
            "reason": reason.strip(),
        },
    )
    events.record(
        session,
        events.EventKind.PERSONS_MERGED,
        actor,
        person_id=target.id,
        details={"merged": source.id, "documents": list(ids)},
    )
    session.flush()
    return MergeOutcome(
        person_id=target.id, merged_person_id=source.id, documents=ids, matters_moved=moved, matters_absorbed=absorbed
    )


def _fields(doc: Document) -> dict[str, ExtractedField]:
    return {name: ExtractedField.model_validate(raw) for name, raw in doc.versions[-1].fields.items()}
