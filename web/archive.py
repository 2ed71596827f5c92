"""The part of `storage`'s facade the web app calls, as a protocol, and how it is opened.

The web app is a thin shell: every read and write goes through `storage.open_archive(settings)`, which
enforces access and writes the audit trail. Files are read with `read_file` (authorised and audited as a
download); `get_object` is only used after `get_document` authorised and audited the read (page images).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any, Protocol

from schemas.documents import ErrorInfo, FieldValue
from schemas.intake import BatchAdmission, BatchProgress, IntakeChannel, Upload
from schemas.record import (
    Actor,
    AuditEntry,
    AuditReport,
    CandidateSummary,
    DeletionRequestView,
    DocumentSummary,
    DocumentView,
    QuarantineView,
    RecordView,
    RestructureOutcome,
    RestructureRequest,
    SearchHit,
    SignIn,
    UserView,
)
from schemas.search import SavedSearch, SearchFilters
from schemas.settings import Settings


class IntakePort(Protocol):
    """What the upload desk (`web.batches.BatchDesk`) needs of the record (`storage.Archive`)."""

    def admit(
        self,
        uploads: list[Upload],
        channel: IntakeChannel,
        actor: Actor,
        *,
        batch_id: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> BatchAdmission: ...

    def batch_progress(self, batch_id: str, actor: Actor) -> BatchProgress: ...

    def recent_batches(self, actor: Actor, limit: int = 10) -> list[str]: ...

    def get_object(self, key: str) -> bytes: ...


class ArchivePort(IntakePort, Protocol):
    """Everything the pages call: the intake door's part above, and the rest."""

    def read_file(self, document_id: str, kind: str, actor: Actor) -> bytes: ...

    def search(
        self, query: str, actor: Actor, *, limit: int = 20, filters: SearchFilters | None = None
    ) -> Sequence[SearchHit]: ...

    def saved_searches(self, actor: Actor) -> Sequence[SavedSearch]: ...

    def save_search(self, name: str, query: str, filters: SearchFilters, actor: Actor) -> SavedSearch: ...

    def delete_saved_search(self, search_id: str, actor: Actor) -> None: ...

    def get_document(self, document_id: str, actor: Actor) -> DocumentView: ...

    def get_person_record(self, person_id: str, actor: Actor) -> RecordView: ...

    def sibling_documents(self, document_id: str, actor: Actor) -> Sequence[DocumentSummary]: ...

    def put_derived(self, data: bytes, media_type: str) -> str: ...

    def authorise_page_move(self, document_ids: list[str], actor: Actor) -> None: ...

    def restructure(self, request: RestructureRequest, actor: Actor) -> RestructureOutcome: ...

    def correct_document(
        self, document_id: str, changes: dict[str, FieldValue], reason: str, actor: Actor
    ) -> DocumentView: ...

    def person_candidates(self, document_id: str, actor: Actor) -> Sequence[CandidateSummary]: ...

    def assign_person(self, document_id: str, person_id: str, reason: str, actor: Actor) -> DocumentView | None: ...

    def retention_rules(self) -> dict[str, int]: ...

    def set_legal_hold(self, document_id: str, hold: bool, reason: str, actor: Actor) -> None: ...

    def deletion_requests(self, actor: Actor) -> Sequence[DeletionRequestView]: ...

    def request_deletion(self, document_id: str, reason: str, actor: Actor) -> str: ...

    def approve_deletion(self, request_id: str, actor: Actor) -> None: ...

    def check_audit(self, actor: Actor) -> AuditReport: ...

    def audit_log(self, actor: Actor, *, limit: int = 50, person_id: str | None = None) -> Sequence[AuditEntry]: ...

    def missing_objects(self) -> Sequence[str]: ...

    def sweep_orphans(self, *, older_than: timedelta = ..., delete: bool = False) -> Sequence[str]: ...

    def list_quarantine(self, actor: Actor, *, limit: int = 100) -> Sequence[QuarantineView]: ...

    def quarantine(self, data: bytes, original_name: str, error: ErrorInfo, batch_id: str | None) -> str: ...

    def sign_in(self, name: str, password: str) -> SignIn | None: ...

    def signed_in_actor(
        self, user_id: str, credentials_version: int, web_session: str | None = None
    ) -> Actor | None: ...

    def start_web_session(self, user_id: str) -> str: ...

    def end_web_session(self, web_session: str) -> None: ...

    def list_users(self) -> Sequence[UserView]: ...


def open_archive(settings: Settings) -> ArchivePort:
    from storage import open_archive as storage_open_archive

    archive: ArchivePort = storage_open_archive(settings)
    return archive
