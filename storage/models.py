"""The record database, as SQLAlchemy 2 typed models, aligned with xdomea (the German e-file standard).

Person → Record (Akte, one per person) → Matter (Vorgang: department + legal area) → Document (Dokument)
→ DocumentVersion (fields with provenance; a correction is a new version, never an overwrite) and
DocumentFile (object keys of the original, OCR text and searchable PDF). Beside them: users, quarantine
entries, batches, the search index (dialect-specific, created by the migrations) and the hash-chained audit
trail. These classes never leave `storage/`; the other rooms see the frozen views of `schemas/record.py`.

The schema itself is owned by the Alembic migrations in `storage/migrations/`; a test checks that these
models and the migrations agree.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import DateTime


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: DateTime(timezone=True), dict[str, Any]: JSON}


class Person(Base):
    __tablename__ = "persons"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    surname: Mapped[str] = mapped_column(String(200), default="")
    given_names: Mapped[str] = mapped_column(String(200), default="")
    surname_original: Mapped[str | None] = mapped_column(String(200))
    given_names_original: Mapped[str | None] = mapped_column(String(200))
    birth_date: Mapped[str | None] = mapped_column(String(10), index=True)
    nationality: Mapped[str | None] = mapped_column(String(3))
    sex: Mapped[str | None] = mapped_column(String(1))
    name_key: Mapped[str] = mapped_column(String(400), default="", index=True)
    created_at: Mapped[datetime]

    aliases: Mapped[list[PersonAlias]] = relationship(back_populates="person", cascade="all, delete-orphan")
    identifiers: Mapped[list[PersonIdentifier]] = relationship(back_populates="person", cascade="all, delete-orphan")


class PersonAlias(Base):
    """Another spelling of the person's name (transliteration, maiden name, a document's spelling)."""

    __tablename__ = "person_aliases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    surname: Mapped[str] = mapped_column(String(200))
    given_names: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(40), default="")

    person: Mapped[Person] = relationship(back_populates="aliases")


class PersonIdentifier(Base):
    """A document number, Aktenzeichen or certificate number that points at the person."""

    __tablename__ = "person_identifiers"
    __table_args__ = (UniqueConstraint("person_id", "kind", "value", name="uq_person_identifier"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(String(80), index=True)
    issuing_state: Mapped[str | None] = mapped_column(String(3))

    person: Mapped[Person] = relationship(back_populates="identifiers")


class PersonClaimRow(Base):
    """What one filed document said about its person (`schemas.persons.PersonClaim` as JSON).

    The matcher compares a new claim with these, so every spelling a person was ever filed under counts.
    """

    __tablename__ = "person_claims"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    document_id: Mapped[str | None] = mapped_column(String(32))
    claim: Mapped[dict[str, Any]] = mapped_column(JSON)


class PersonKey(Base):
    """Blocking keys (name skeletons, birth date, identifier values) to find candidate persons quickly."""

    __tablename__ = "person_keys"
    __table_args__ = (UniqueConstraint("person_id", "key", name="uq_person_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    key: Mapped[str] = mapped_column(String(200), index=True)


class PersonLink(Base):
    """A family link between two persons (parent, child, spouse); set by clerks, never by the matcher."""

    __tablename__ = "person_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    related_person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    relation: Mapped[str] = mapped_column(String(20))


class Record(Base):
    """The Akte: one per person, with an Aktenzeichen."""

    __tablename__ = "records"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), unique=True)
    file_number: Mapped[str] = mapped_column(String(40), unique=True)
    created_at: Mapped[datetime]


class Matter(Base):
    """The Vorgang: the part of a record one department handles under one legal area."""

    __tablename__ = "matters"
    __table_args__ = (UniqueConstraint("record_id", "department", "legal_area", name="uq_matter"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("records.id"), index=True)
    department: Mapped[str] = mapped_column(String(40))
    legal_area: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime]


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("original_key", "page_range", name="uq_document_source"),
        Index("ix_documents_type_status", "type", "status"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    record_id: Mapped[str | None] = mapped_column(ForeignKey("records.id"), index=True)
    matter_id: Mapped[str | None] = mapped_column(ForeignKey("matters.id"))
    type: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), doc="filed | needs_review | withdrawn | deleted")
    original_key: Mapped[str] = mapped_column(String(80))
    page_range: Mapped[str] = mapped_column(
        String(200), doc="pages within the original, e.g. '1,2'; a withdrawn document holds none (see pages_of)"
    )
    original_filename: Mapped[str] = mapped_column(String(255), default="")
    media_type: Mapped[str] = mapped_column(String(100), default="")
    confidence: Mapped[float]
    review: Mapped[bool]
    notes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    current_version: Mapped[int] = mapped_column(Integer, default=1)
    filed_by: Mapped[str] = mapped_column(String(120))
    filed_by_user_id: Mapped[str | None] = mapped_column(String(32), index=True)
    batch_id: Mapped[str | None] = mapped_column(String(40), index=True)
    retain_until: Mapped[datetime | None]
    legal_hold: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]

    versions: Mapped[list[DocumentVersion]] = relationship(order_by="DocumentVersion.version")
    files: Mapped[list[DocumentFile]] = relationship(order_by="DocumentFile.id")

    @property
    def pages(self) -> tuple[int, ...]:
        return pages_of(self.page_range)

    @property
    def current_files(self) -> list[DocumentFile]:
        return [f for f in self.files if f.superseded_in is None]


WITHDRAWN_PREFIX = "-"


def page_range_of(pages: tuple[int, ...] | list[int]) -> str:
    return ",".join(str(p) for p in pages)


def withdrawn_page_range(document_id: str) -> str:
    """What a withdrawn document keeps in `page_range`: no pages, and a value unique to it, because
    (original, page range) is the key that makes intake idempotent and must stay free for the documents
    that hold the pages now. Its last pages are in its versions."""
    return WITHDRAWN_PREFIX + document_id


def pages_of(page_range: str) -> tuple[int, ...]:
    if page_range.startswith(WITHDRAWN_PREFIX):
        return ()
    return tuple(int(p) for p in page_range.split(",") if p)


class DocumentVersion(Base):
    """The fields of a document at one version, with provenance; corrections add versions.

    `type` and `page_range` record what the document was and held at this version (pages moved between
    documents add a version too); both are None only for versions written before migration 0005.
    """

    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("document_id", "version", name="uq_document_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    version: Mapped[int]
    type: Mapped[str | None] = mapped_column(String(40))
    page_range: Mapped[str | None] = mapped_column(String(200))
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    author: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(Text)
    changed: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime]


class DocumentFile(Base):
    """A stored file of a document. Renditions replaced when pages move stay, marked with the version from
    which on they no longer belong to the document (`superseded_in`); readers see the current ones only."""

    __tablename__ = "document_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    object_key: Mapped[str] = mapped_column(String(80), index=True)
    media_type: Mapped[str] = mapped_column(String(100), default="")
    superseded_in: Mapped[int | None] = mapped_column(Integer)


class Batch(Base):
    __tablename__ = "batches"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime]


class QuarantineEntry(Base):
    __tablename__ = "quarantine"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    object_key: Mapped[str | None] = mapped_column(String(80), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    error_code: Mapped[str] = mapped_column(String(60))
    error_message: Mapped[str] = mapped_column(Text)
    batch_id: Mapped[str | None] = mapped_column(String(40), index=True)
    created_at: Mapped[datetime]


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    department: Mapped[str] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(default=True)
    # Raised by deactivation, a new password and "sign out everywhere"; sessions and tokens carry the value
    # they were issued with and stop working once it differs.
    credentials_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[datetime]


class WebSession(Base):
    """A signed-in browser session; the cookie carries its random id, the table its SHA-256. Logout ends it."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), index=True)
    created_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class DeletionRequest(Base):
    """Four-eyes deletion: requested by one archive administrator, approved and executed by another."""

    __tablename__ = "deletion_requests"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(120))
    requested_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(20))
    approved_by: Mapped[str | None] = mapped_column(String(120))
    approved_at: Mapped[datetime | None]
    decision_note: Mapped[str | None] = mapped_column(Text, doc="why it was rejected or withdrawn (migration 0009)")


class AuditEvent(Base):
    """One entry of the append-only, hash-chained audit trail."""

    __tablename__ = "audit_events"

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[str] = mapped_column(String(40), doc="ISO timestamp, hashed as text so it survives round trips")
    actor: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    department: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(30), index=True)
    object_type: Mapped[str] = mapped_column(String(30))
    object_id: Mapped[str | None] = mapped_column(String(80))
    person_id: Mapped[str | None] = mapped_column(String(32), index=True)
    purpose: Mapped[str | None] = mapped_column(String(300))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """One row holding the chain head; locking it serialises appends so the chain never forks."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    hash: Mapped[str] = mapped_column(String(64))


class IntakeFile(Base):
    """A file admitted through the intake door, keyed by its SHA-256 (the same bytes twice are one file), and
    its place in the work queue: a worker holds a lease (`lease_owner`, `lease_until`) while it reads the file
    and renews it with heartbeats; an expired lease returns the file to the queue, and after
    `MAX_ATTEMPTS` the file is quarantined with the reason."""

    __tablename__ = "intake_files"
    __table_args__ = (Index("ix_intake_files_queue", "status", "lease_until"),)

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    object_key: Mapped[str | None] = mapped_column(String(80))
    media_type: Mapped[str] = mapped_column(String(100), default="")
    page_count: Mapped[int] = mapped_column(Integer, default=0)
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    batch_id: Mapped[str] = mapped_column(String(40), index=True, doc="the batch that first handed it in")
    channel: Mapped[str] = mapped_column(String(20))
    original_name: Mapped[str] = mapped_column(Text, doc="as handed in, for display only (escaped on output)")
    original_name_raw: Mapped[str | None] = mapped_column(Text, doc="base64 of a name that was not UTF-8")
    uploader: Mapped[dict[str, Any]] = mapped_column(JSON, doc="the Actor who handed it in (files in their name)")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, doc="channel details: sender, subject")
    status: Mapped[str] = mapped_column(String(20), doc="queued | running | filed | needs_review | quarantined")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(120))
    lease_until: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]
    flow_run_id: Mapped[str | None] = mapped_column(String(40))
    documents: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, doc='{"ids": [...]} when done')
    error_code: Mapped[str | None] = mapped_column(String(60))
    error_message: Mapped[str | None] = mapped_column(Text)
    quarantine_id: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class IntakeEntry(Base):
    """One file as one batch handed it in (a duplicate is an entry pointing at the file admitted before)."""

    __tablename__ = "intake_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    batch_id: Mapped[str] = mapped_column(String(40), index=True)
    position: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    original_name: Mapped[str] = mapped_column(Text)
    admission: Mapped[str] = mapped_column(String(20), doc="queued | duplicate | rejected")
    channel: Mapped[str] = mapped_column(String(20))
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime]


class ArchiveTransfer(Base):
    """One xdomea Aussonderung (ProzessID): offered (0501), appraised (0502), handed over (0503), confirmed
    (0506). The messages sent and received are kept in the object store (`messages`: code -> object key)."""

    __tablename__ = "archive_transfers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    messages: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    objects: Mapped[list[ArchiveTransferObject]] = relationship(order_by="ArchiveTransferObject.id")


class ArchiveTransferObject(Base):
    """A record offered in a transfer, with the archive's appraisal and import result."""

    __tablename__ = "archive_transfer_objects"
    __table_args__ = (UniqueConstraint("transfer_id", "object_uuid", name="uq_transfer_object"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    transfer_id: Mapped[str] = mapped_column(ForeignKey("archive_transfers.id"), index=True)
    object_uuid: Mapped[str] = mapped_column(String(36), index=True)
    record_id: Mapped[str] = mapped_column(String(32), index=True)
    document_ids: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, doc="{'ids': [...]} offered")
    appraisal: Mapped[str | None] = mapped_column(String(1))
    imported: Mapped[bool | None]
    archive_id: Mapped[str | None] = mapped_column(String(200))
    error: Mapped[str] = mapped_column(Text, default="")


class SavedSearchRow(Base):
    """A search a user keeps under a name: the query and the filters (`schemas.search.SearchFilters`)."""

    __tablename__ = "saved_searches"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(120))
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]


class SearchTerm(Base):
    """A spelling-proof term of a document (`classifiers.search_terms`), with its type for the rights filter.

    Written and read through `storage.name_index` in plain SQL; declared here so the schema check covers it."""

    __tablename__ = "search_terms"
    __table_args__ = (Index("ix_search_terms_document_id", "document_id"), {"sqlite_with_rowid": False})

    term: Mapped[str] = mapped_column(String(80), primary_key=True)
    document_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(40))


class RecordEvent(Base):
    """One change of the record (document filed, corrected, moved, withdrawn, person assigned, deleted),
    written in the same transaction as the change: the outbox the dispatcher reads (`storage/events.py`)."""

    __tablename__ = "record_events"
    __table_args__ = (Index("ix_record_events_pending", "dispatched_at", "seq"),)

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    document_id: Mapped[str | None] = mapped_column(String(32))
    person_id: Mapped[str | None] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(120))
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    at: Mapped[datetime]
    dispatched_at: Mapped[datetime | None]


class Task(Base):
    """A task in a department's inbox (Postkorb): a hand-over, a review, a follow-up (Wiedervorlage).

    Unique per (source, rule, department): the source is the event or scheduled check that raised it, so a
    second dispatch of the same event creates nothing."""

    __tablename__ = "tasks"
    __table_args__ = (
        UniqueConstraint("source", "rule", "department", name="uq_task_source"),
        # The inbox walks this index in order (no sort of a department's 100,000 tasks); the counts in the
        # header are answered from the second one alone.
        Index("ix_tasks_inbox", "department", "active", "due_sort", "id"),
        Index("ix_tasks_counts", "department", "active", "kind", "due_sort", "assignee"),
        Index("ix_tasks_person", "person_id"),
        Index("ix_tasks_document", "document_id"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    source: Mapped[str] = mapped_column(String(120))
    rule: Mapped[str] = mapped_column(String(80))
    department: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    document_id: Mapped[str | None] = mapped_column(String(32))
    document_type: Mapped[str | None] = mapped_column(String(40))
    person_id: Mapped[str | None] = mapped_column(String(32))
    due_date: Mapped[str | None] = mapped_column(String(10))
    due_sort: Mapped[str] = mapped_column(String(10), doc="due_date, or 9999-12-31 for none: undated tasks last")
    status: Mapped[str] = mapped_column(String(10), doc="open | claimed | done")
    active: Mapped[bool] = mapped_column(doc="status is open or claimed")
    assignee: Mapped[str | None] = mapped_column(String(120))
    note: Mapped[str] = mapped_column(Text, default="")
    history: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class TaskTally(Base):
    """How many active tasks a department has per due date, follow-up or not, and assignee ('' for none).

    Kept by triggers on `tasks` (migration 0012) in the transaction of every change, so the inbox header
    counts sum a few hundred rows instead of walking a department's 100,000 tasks."""

    __tablename__ = "task_tallies"

    department: Mapped[str] = mapped_column(String(40), primary_key=True)
    due_sort: Mapped[str] = mapped_column(String(10), primary_key=True)
    follow_up: Mapped[bool] = mapped_column(primary_key=True)
    assignee: Mapped[str] = mapped_column(String(120), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class ContactPerson(Base):
    """The one contact person (zentrale Ansprechperson) of a person: a team (Sozialraum)."""

    __tablename__ = "contact_persons"

    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), primary_key=True)
    team: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(Text)
    assigned_by: Mapped[str] = mapped_column(String(120))
    assigned_at: Mapped[datetime]


class Visit(Base):
    """A visit (Vorsprache) at the front desk: its concerns become tasks, its stack is scanned under it."""

    __tablename__ = "visits"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    batch_id: Mapped[str | None] = mapped_column(String(40))
    opened_by: Mapped[str] = mapped_column(String(120))
    opened_at: Mapped[datetime]


class WebhookDelivery(Base):
    """One record event delivered (or being retried) to one webhook endpoint: the delivery log."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (UniqueConstraint("endpoint", "event_seq", name="uq_webhook_delivery"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    endpoint: Mapped[str] = mapped_column(String(80))
    event_seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    status: Mapped[str] = mapped_column(String(12))
    attempts: Mapped[int] = mapped_column(Integer)
    last_error: Mapped[str] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]
