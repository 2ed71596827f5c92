"""`Archive`: the one object through which flows, the CLI and the web app use the record.

It holds the object store, the database and the access policy, and exposes intent only: store an original,
file a document, search, read, correct, verify the audit trail, manage users. Each call is one database
transaction; objects are written before the rows that point at them, and the audit chain head is anchored
in the object store after each commit.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from schemas.documents import DocumentType, ErrorInfo, FieldValue
from schemas.errors import AccessDenied, DachError, NotFound, StoreUnavailable
from schemas.record import (
    Actor,
    AuditEntry,
    AuditReport,
    CandidateSummary,
    CaptureInfo,
    DeletionRequestView,
    Department,
    DocumentSummary,
    DocumentView,
    FilingOutcome,
    FilingRequest,
    FilingStatus,
    ObjectProblem,
    QuarantineView,
    RecordView,
    RestructureOutcome,
    RestructureRequest,
    Role,
    SearchHit,
    SignIn,
    UserView,
)
from schemas.search import SavedSearch, SearchFilters
from schemas.settings import Settings
from storage import admin, audit, db, filing, integrity, preservation, reading, restructure, saved, users
from storage.contacts import Teams
from storage.door import IntakeDoor, quarantine_row
from storage.handover import HandoverRules
from storage.models import Document, DocumentFile, IntakeFile, QuarantineEntry
from storage.objects import LocalObjectStore, ObjectStore, put_quarantined
from storage.policy import Policy, ReadScope
from storage.work import WorkMixin

log = logging.getLogger(__name__)

#: Who acts when a user administers dach from the server's command line.
CONSOLE_ACTOR = Actor(name="console", role=Role.ARCHIVE_ADMIN, department=Department.ARCHIVE, purpose="command line")


class Archive(IntakeDoor, WorkMixin):
    def __init__(self, engine: Engine, store: ObjectStore, policy: Policy, settings: Settings) -> None:
        self.engine = engine
        self.store = store
        self.policy = policy
        self.match_threshold = settings.match_threshold
        self.limits = settings.limits
        # Loaded here so a typo in the hand-over rules or the team mapping stops start-up.
        self.rules = HandoverRules.load(settings.handover_rules_file)
        self.teams = Teams.load(settings.teams_file)
        self._sessions: sessionmaker[Session] = db.sessions(engine)
        self._anchorer = audit.Anchorer(store)
        self.settings = settings
        self.sealer = preservation.sealer_for(settings)
        # Where quarantine keeps a rejected file while the object store is down: nothing handed in is lost.
        self._fallback: ObjectStore | None = (
            LocalObjectStore(settings.data_dir / "quarantine-fallback") if settings.uses_s3 else None
        )

    def close(self) -> None:
        self._anchorer.close()
        self.engine.dispose()

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        head: tuple[int, str] | None = None
        with db.transaction(self._sessions) as session:
            yield session
            head = audit.produced_head(session)
        if head is not None:
            self._anchorer.submit(*head)

    # --- objects ----------------------------------------------------------------------------------

    def put_original(self, data: bytes) -> str:
        """Store an original exactly as received; the same bytes give the same key."""
        return self.store.put(data, "application/octet-stream")

    def put_derived(self, data: bytes, media_type: str) -> str:
        """Store a rendition (OCR text JSON, searchable PDF, page image)."""
        return self.store.put(data, media_type)

    def get_object(self, key: str) -> bytes:
        """The verified bytes of an object (for the flows; readers use `read_file`, which is authorised)."""
        try:
            return self.store.get(key)
        except (NotFound, StoreUnavailable):
            if self._fallback is not None and self._fallback.exists(key):
                return self._fallback.get(key)
            raise

    def quarantine(self, data: bytes, original_name: str, error: ErrorInfo, batch_id: str | None) -> str:
        """Keep a rejected file with its reason; return its quarantine id (same file + reason: one entry).

        With the object store down, the file is kept in a local folder instead (`quarantine-fallback` in the
        data folder), so a rejection never fails or loses the file."""
        try:
            qid, key = put_quarantined(self.store, data, original_name, error)
        except StoreUnavailable:
            if self._fallback is None:
                raise
            log.warning("object store unavailable: %s kept in the local quarantine folder", error.code)
            qid, key = put_quarantined(self._fallback, data, original_name, error)
        with self._tx() as session:
            quarantine_row(session, qid, key, original_name, error, batch_id)
        return qid

    def list_quarantine(self, actor: Actor, *, limit: int = 100) -> list[QuarantineView]:
        if not self.policy.can_manage_retention(actor):
            raise AccessDenied("only archive administrators see the quarantine.")
        with self._tx() as session:
            rows = session.scalars(select(QuarantineEntry).order_by(QuarantineEntry.created_at.desc()).limit(limit))
            audit.append(session, actor, "read", "quarantine", None)
            return [
                QuarantineView(
                    id=q.id,
                    original_name=q.original_name,
                    error_code=q.error_code,
                    error_message=q.error_message,
                    object_key=q.object_key,
                    batch_id=q.batch_id,
                    created_at=q.created_at if q.created_at.tzinfo else q.created_at.replace(tzinfo=UTC),
                )
                for q in rows
            ]

    # --- filing -----------------------------------------------------------------------------------

    def file_document(self, request: FilingRequest, actor: Actor) -> FilingOutcome:
        """File one document (objects must be stored already). Idempotent per original and page range."""
        keys = [request.original_key, request.document_original_key, request.text_key, request.searchable_pdf_key]
        keys += [p.image_key for p in request.pages]
        for key in filter(None, keys):
            if not self.store.exists(key):
                raise NotFound(f"object {key} is not stored; store objects before filing the document.")
        retain_until = filing.retention_until(self.policy, request)
        pdfa_key = preservation.store_pdfa(self.store, request)
        for key in filter(None, [*keys, pdfa_key]):
            self.store.retain(key, retain_until)
        with self._tx() as session:
            outcome = filing.file_document(session, self.policy, request, actor, match_threshold=self.match_threshold)
            if outcome.status is not FilingStatus.DUPLICATE:
                # The PDF/A rendition and the sealed scan evidence (Transfervermerk) are part of the filing.
                evidence_key = preservation.attach(
                    session, self.store, self.sealer, request, outcome.document_id, actor, pdfa_key
                )
                self.store.retain(evidence_key, retain_until)
                return outcome
            # "Duplicate" only when the document's objects exist: put back what this re-run can.
            missing = integrity.repair_from_rerun(session, self.store, outcome.document_id, request, actor)
        if missing:
            log.error(
                "document %s is filed but its %s objects are missing; see `dach audit verify`",
                outcome.document_id,
                missing,
            )
        return outcome

    def correct_document(
        self, document_id: str, changes: dict[str, FieldValue], reason: str, actor: Actor
    ) -> DocumentView:
        """Correct fields as a new version (author, time, reason); earlier versions stay."""
        with self._tx() as session:
            allowed = filing.correct_document(session, self.policy, document_id, changes, reason, actor)
        if not allowed:
            raise AccessDenied(f"{actor.name} may not correct document {document_id} (policy: department × type).")
        return self.get_document(document_id, actor)

    def authorise_page_move(self, document_ids: list[str], actor: Actor) -> None:
        """AccessDenied (audited) unless the actor may move pages of these documents; `restructure` checks
        again when it writes. Lets a caller refuse before it reads the pages again."""
        with self._tx() as session:
            allowed = restructure.authorise(session, self.policy, document_ids, actor)
        if not allowed:
            raise AccessDenied(f"{actor.name} may not move pages of {sorted(document_ids)} (policy).")

    def restructure(self, request: RestructureRequest, actor: Actor) -> RestructureOutcome:
        """Move pages between documents of one original (split, merge, one page) as new versions.

        Documents left without pages are withdrawn, with their history; see `storage/restructure.py`."""
        keys = [
            k
            for layout in request.layouts
            for k in (layout.text_key, layout.searchable_pdf_key, layout.original_key)
            if k
        ]
        keys += [p.image_key for layout in request.layouts for p in layout.pages if p.image_key]
        for key in keys:
            if not self.store.exists(key):
                raise NotFound(f"object {key} is not stored; store objects before moving the pages.")
        longest = max(self.policy.retention_for(layout.document.type) for layout in request.layouts)
        for key in keys:
            self.store.retain(key, datetime.now(UTC) + timedelta(days=365 * longest))
        with self._tx() as session:
            outcome = restructure.restructure(
                session, self.policy, request, actor, match_threshold=self.match_threshold
            )
        if outcome is None:
            raise AccessDenied(f"{actor.name} may not move pages of {sorted(request.expected_pages)} (policy).")
        # The parts' renditions were replaced: each gets its PDF/A rendition and scan evidence anew.
        for layout, moved in zip(request.layouts, outcome.documents, strict=True):
            part = FilingRequest(
                original_key=request.original_key,
                document=layout.document,
                pages=layout.pages,
                text_key=layout.text_key,
                searchable_pdf_key=layout.searchable_pdf_key,
                batch_id=request.batch_id,
                capture=CaptureInfo(channel="page_move", settings={"reason": request.reason[:200]}),
            )
            pdfa_key = preservation.store_pdfa(self.store, part)
            with self._tx() as session:
                sealed = preservation.attach(session, self.store, self.sealer, part, moved.document_id, actor, pdfa_key)
            for key in filter(None, (pdfa_key, sealed)):
                self.store.retain(key, datetime.now(UTC) + timedelta(days=365 * longest))
        return outcome

    # --- reading ----------------------------------------------------------------------------------

    def search(
        self, query: str, actor: Actor, *, limit: int = 20, filters: SearchFilters | None = None
    ) -> list[SearchHit]:
        """Names in any spelling, dates, numbers and words of the text, only over what the actor may read;
        with filters and no query, the documents the filters select."""
        with self._tx() as session:
            return reading.run_search(session, self.policy, query, actor, limit, filters)

    def saved_searches(self, actor: Actor) -> list[SavedSearch]:
        with self._tx() as session:
            return saved.list_for(session, actor)

    def save_search(self, name: str, query: str, filters: SearchFilters, actor: Actor) -> SavedSearch:
        with self._tx() as session:
            return saved.save(session, name, query, filters, actor)

    def delete_saved_search(self, search_id: str, actor: Actor) -> None:
        with self._tx() as session:
            saved.delete(session, search_id, actor)

    def get_document(self, document_id: str, actor: Actor) -> DocumentView:
        with self._tx() as session:
            view = reading.document_view(session, self.policy, document_id, actor)
        if view is None:
            raise AccessDenied(f"{actor.name} ({actor.department.value}) may not read document {document_id}.")
        return view

    def sibling_documents(self, document_id: str, actor: Actor) -> list[DocumentSummary]:
        """The other live documents of the same scan that the actor may read (where pages may be moved)."""
        with self._tx() as session:
            found = reading.sibling_documents(session, self.policy, document_id, actor)
        if found is None:
            raise AccessDenied(f"{actor.name} may not read document {document_id}.")
        return found

    def get_person_record(self, person_id: str, actor: Actor) -> RecordView:
        with self._tx() as session:
            view = reading.record_view(session, self.policy, person_id, actor)
        if view is None:
            raise AccessDenied(f"{actor.name} ({actor.department.value}) may not read the record of {person_id}.")
        return view

    def read_file(self, document_id: str, kind: str, actor: Actor) -> bytes:
        """The bytes of a document's original, OCR text or searchable PDF: authorised, audited, verified."""
        with self._tx() as session:
            key = reading.file_key(session, self.policy, document_id, kind, actor)
        if key is None:
            raise AccessDenied(f"{actor.name} may not download document {document_id}.")
        return self.store.get(key)

    # --- review and archive administration ---------------------------------------------------------

    def person_candidates(self, document_id: str, actor: Actor) -> list[CandidateSummary]:
        """The persons a document may belong to, with scores and reasons (for the review page)."""
        with self._tx() as session:
            found = admin.person_candidates(session, self.policy, document_id, actor, self.match_threshold)
        if found is None:
            raise AccessDenied(f"{actor.name} may not read document {document_id}.")
        return found

    def assign_person(self, document_id: str, person_id: str, reason: str, actor: Actor) -> DocumentView | None:
        """File a document awaiting review into the chosen person's record (a clerk's decision, or the front
        desk's on what it filed itself). None: the actor no longer reads the filed document (the front desk)."""
        with self._tx() as session:
            allowed = admin.assign_person(session, self.policy, document_id, person_id, reason, actor)
        if not allowed:
            raise AccessDenied(f"{actor.name} may not review document {document_id}.")
        if self.policy.read_scope(actor) is not ReadScope.DEPARTMENT:
            return None
        return self.get_document(document_id, actor)

    def retention_rules(self) -> dict[str, int]:
        """Minimum retention in years per document type (and `default`), from the access policy."""
        return dict(self.policy.retention_years)

    def set_legal_hold(self, document_id: str, hold: bool, reason: str, actor: Actor) -> None:
        """Set or lift a legal hold: in the record and as an object legal hold on every object of the document
        (an object another held document shares keeps its hold)."""
        with self._tx() as session:
            allowed = admin.set_legal_hold(session, self.policy, document_id, hold, reason, actor)
            keys = admin.hold_keys(session, document_id, hold) if allowed else []
        if not allowed:
            raise AccessDenied("only archive administrators set legal holds.")
        for key in keys:
            self.store.hold(key, hold)

    def _require_archive_admin(self, actor: Actor) -> None:
        if not self.policy.can_manage_retention(actor):
            raise AccessDenied("only archive administrators handle deletions.")

    def deletion_requests(self, actor: Actor) -> list[DeletionRequestView]:
        self._require_archive_admin(actor)
        with db.transaction(self._sessions) as session:
            return admin.deletion_requests(session)

    def request_deletion(self, document_id: str, reason: str, actor: Actor) -> str:
        self._require_archive_admin(actor)
        with self._tx() as session:
            return admin.request_deletion(session, document_id, reason, actor)

    def approve_deletion(self, request_id: str, actor: Actor) -> None:
        """Second administrator: delete the document's rows and its objects no other document uses."""
        self._require_archive_admin(actor)
        with self._tx() as session:
            unreferenced = admin.approve_deletion(session, request_id, actor)
        for key in unreferenced:  # rows first, then objects: a crash here leaves orphans, never dangling rows
            # Four eyes checked hold and retention in the record; the administrator's governance bypass lets
            # the store remove what it still retains, while an object hold would still refuse.
            self.store.delete(key, bypass_governance=True)

    # --- audit ------------------------------------------------------------------------------------

    def verify_audit(self) -> AuditReport:
        """Recompute the chain and compare it with the anchors (the server's own check; users call
        `check_audit`, which is authorised and audited)."""
        self._anchorer.flush()
        with db.transaction(self._sessions) as session:
            return audit.verify(session, self.store)

    def _require_audit_reader(self, actor: Actor, action: str, **details: object) -> None:
        """Auditors and archive administrators (policy: `audit`); a refused attempt is recorded too."""
        if self.policy.can_read_audit(actor):
            return
        with self._tx() as session:
            audit.append(session, actor, f"{action}_denied", "audit_log", None, details=dict(details))
        raise AccessDenied(
            f"{actor.name} ({actor.role.value}) may not use the audit trail; auditors and archive administrators may."
        )

    def check_audit(self, actor: Actor) -> AuditReport:
        """`verify_audit` on a user's behalf: only for readers of the audit trail, and recorded in it."""
        self._require_audit_reader(actor, "verify")
        report = self.verify_audit()
        with self._tx() as session:
            details = {"ok": report.ok, "entries": report.entries, "head_seq": report.head_seq}
            audit.append(session, actor, "verify", "audit_log", None, details=details)
        return report

    def audit_log(self, actor: Actor, *, limit: int = 50, person_id: str | None = None) -> list[AuditEntry]:
        """The newest entries (of one person, if given); reading them is itself an entry."""
        self._require_audit_reader(actor, "read", person_id=person_id, limit=limit)
        with self._tx() as session:
            out = audit.entries(session, limit=limit, person_id=person_id)
            audit.append(session, actor, "read", "audit_log", None, person_id=person_id, details={"limit": limit})
            return out

    # --- users ------------------------------------------------------------------------------------

    def add_user(
        self, name: str, password: str, role: Role, department: Department, *, actor: Actor = CONSOLE_ACTOR
    ) -> UserView:
        with self._tx() as session:
            view = users.add_user(session, name, password, role, department)
            audit.append(
                session,
                actor,
                "create",
                "user",
                name,
                details={"role": role.value, "department": department.value},
            )
            return view

    def sign_in(self, name: str, password: str) -> SignIn | None:
        """Check a password; the actor and the credentials version a session or token must carry."""
        with self._tx() as session:
            return users.authenticate(session, name, password)

    def authenticate(self, name: str, password: str) -> Actor | None:
        signed_in = self.sign_in(name, password)
        return signed_in.actor if signed_in is not None else None

    def signed_in_actor(self, user_id: str, credentials_version: int, web_session: str | None = None) -> Actor | None:
        """Who a session or token stands for now; None once the user is deactivated, has a new password or
        was signed out everywhere, or (for a browser session, `web_session`) signed out (checked on every
        request, so access ends at the next one)."""
        with db.transaction(self._sessions) as session:
            if web_session is not None and not users.web_session_open(session, web_session, user_id):
                return None
            return users.current_actor(session, user_id, credentials_version)

    def start_web_session(self, user_id: str) -> str:
        """A server-side session for a browser sign-in; its id goes into the signed cookie."""
        with db.transaction(self._sessions) as session:
            return users.start_web_session(session, user_id)

    def end_web_session(self, web_session: str) -> None:
        """Logout: the session ends on the server, so a copy of the cookie signs in no more."""
        with db.transaction(self._sessions) as session:
            users.end_web_session(session, web_session)

    def set_user_active(self, name: str, active: bool, *, actor: Actor = CONSOLE_ACTOR) -> UserView:
        with self._tx() as session:
            view = users.set_active(session, name, active)
            audit.append(session, actor, "activate" if active else "deactivate", "user", name)
            return view

    def set_password(self, name: str, password: str, *, actor: Actor = CONSOLE_ACTOR) -> UserView:
        with self._tx() as session:
            view = users.set_password(session, name, password)
            audit.append(session, actor, "password", "user", name)
            return view

    def revoke_sessions(self, name: str, *, actor: Actor = CONSOLE_ACTOR) -> UserView:
        with self._tx() as session:
            view = users.revoke_sessions(session, name)
            audit.append(session, actor, "revoke_sessions", "user", name)
            return view

    def list_users(self) -> list[UserView]:
        with db.transaction(self._sessions) as session:
            return users.list_users(session)

    # --- maintenance ------------------------------------------------------------------------------

    def _referenced_keys(self, session: Session) -> set[str]:
        keys = set(session.scalars(select(DocumentFile.object_key)))
        keys |= set(session.scalars(select(Document.original_key).where(Document.status != "deleted")))
        keys |= {k for k in session.scalars(select(QuarantineEntry.object_key)) if k}
        # Admitted originals not read yet, and the mails they came in, are referenced by the intake queue.
        for key, details in session.execute(select(IntakeFile.object_key, IntakeFile.details)):
            keys |= {k for k in (key, (details or {}).get("mail_key")) if isinstance(k, str) and k}
        return keys

    def sweep_orphans(self, *, older_than: timedelta = timedelta(hours=6), delete: bool = False) -> list[str]:
        """Objects no row points at (left by a crash between object and transaction, or intermediates).

        Only objects older than `older_than` count, so filings in flight are not touched. With `delete`, they
        are removed (on S3 this bypasses governance retention, which needs that permission).
        """
        cutoff = datetime.now(UTC) - older_than
        with db.transaction(self._sessions) as session:
            referenced = self._referenced_keys(session)
        orphans = [o.key for o in self.store.list("sha256/") if o.key not in referenced and o.modified < cutoff]
        if delete:
            for key in orphans:
                self.store.delete(key, bypass_governance=True)
            log.info("removed %d orphaned objects", len(orphans))
        return orphans

    def scrub(self, *, deep: bool = False) -> list[ObjectProblem]:
        """Referenced objects that are missing (with `deep`, every object is read and checked: damaged too)."""
        with db.transaction(self._sessions) as session:
            refs = integrity.references(session)
        return integrity.scrub(refs, self.store, deep=deep)

    def missing_objects(self) -> list[str]:
        """Keys that rows point at but the object store lacks (must always be empty)."""
        with db.transaction(self._sessions) as session:
            referenced = self._referenced_keys(session)
        return sorted(k for k in referenced if not self.store.exists(k))

    def document_types(self, actor: Actor) -> frozenset[DocumentType]:
        """The document types this actor may read (for user interfaces; enforcement is inside storage)."""
        return self.policy.readable_types(actor)


def _object_store(settings: Settings, *, remember: bool = False) -> ObjectStore:
    if not settings.uses_s3:
        return LocalObjectStore(settings.objects_dir)
    from storage.s3 import S3ObjectStore

    if settings.s3_endpoint is None or not settings.s3_access_key or settings.s3_secret_key is None:
        raise DachError("DACH_S3_ENDPOINT is set but DACH_S3_ACCESS_KEY or DACH_S3_SECRET_KEY is missing; set both.")
    return S3ObjectStore(
        settings.s3_endpoint,
        settings.s3_access_key,
        settings.s3_secret_key.get_secret_value(),
        settings.s3_bucket,
        secure=settings.s3_secure,
        region=settings.s3_region,
        retry_budget_s=settings.s3_retry_s,
        remember=remember,
    )


def open_archive(settings: Settings, *, remember_objects: bool = False) -> Archive:
    """Open (and create on first use) the record: data folder, database schema, bucket, policy.

    `remember_objects`: the object store answers looks at and reads of the objects this process wrote or read
    in the last seconds from memory (the flows, which write and file the same objects within seconds; see
    `storage/s3.py`)."""
    policy = Policy.load(settings.policy_file)
    sqlite_path: Path | None = None
    if settings.database_url is None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        sqlite_path = settings.data_dir / "dach.sqlite"
    engine = db.make_engine(settings.effective_database_url)
    db.migrate(engine, sqlite_path)
    store = _object_store(settings, remember=remember_objects)
    return Archive(engine, store, policy, settings)
