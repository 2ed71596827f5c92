"""storage — the shared record (E-Akte): the only room that talks to the database and the object store.

Everything else uses one facade::

    from storage import open_archive
    archive = open_archive(settings)          # creates folder / database / bucket, runs migrations

    key = archive.put_original(data)           # content-addressed, idempotent: same bytes -> same key
    archive.get_object(key) -> bytes           # checksum verified (IntegrityError otherwise)
    archive.put_derived(data, media_type)      # OCR text JSON, searchable PDF, page images
    archive.quarantine(data, original_name, error, batch_id) -> quarantine id
    archive.admit(uploads, channel, actor) -> BatchAdmission          # the intake door: by content, by SHA-256
    archive.claim_intake(owner) / heartbeat_intake / finish_intake / release_intake / reap_intake  # leases
    archive.batch_progress(batch_id, actor) -> BatchProgress          # per file: queued … filed, documents
    archive.file_document(FilingRequest, actor) -> FilingOutcome   # filed | needs_review | duplicate
    archive.search(query, actor, limit=20) -> list[SearchHit]       # filtered by rights, audited
    archive.get_document(document_id, actor) -> DocumentView       # AccessDenied if the policy says no
    archive.get_person_record(person_id, actor) -> RecordView
    archive.read_file(document_id, kind, actor) -> bytes            # original | ocr_text | searchable_pdf
    archive.correct_document(document_id, changes, reason, actor) -> DocumentView   # a new version
    archive.restructure(RestructureRequest, actor) -> RestructureOutcome  # move pages: split/merge, versioned
    archive.sibling_documents(document_id, actor) -> list[DocumentSummary]  # other documents of the same scan
    archive.verify_audit() -> AuditReport                          # hash chain + anchors in the object store
    archive.check_audit(actor) -> AuditReport                      # the same for a user: authorised, audited
    archive.audit_log(actor, limit=50) -> list[AuditEntry]         # auditors and archive administrators
    archive.add_user(name, password, role, department) / authenticate(name, password) / list_users()
    archive.sign_in(name, password) -> SignIn | None               # actor + credentials version
    archive.signed_in_actor(user_id, credentials_version) -> Actor | None   # every request re-checks
    archive.set_user_active(name, active) / set_password(name, pw) / revoke_sessions(name)
    archive.sweep_orphans() / missing_objects() / list_quarantine(actor)
    archive.person_candidates(document_id, actor) / assign_person(document_id, person_id, reason, actor)
    archive.retention_rules() / set_legal_hold(document_id, hold, reason, actor)
    archive.request_deletion(document_id, reason, actor) / approve_deletion(request_id, actor)  # four eyes
    archive.dispatch() / check_expiry(today)   # record events -> department tasks (see storage/work.py)
    archive.list_tasks(actor) / change_task(id, TaskChange, actor) / add_follow_up / open_visit / contact_person
    archive.close()                            # flushes the audit anchor, disposes connections

The archive lifecycle (xdomea 0501-0506 and 0401, scan evidence checks, archive screens) is
`storage.lifecycle.Lifecycle(archive)`; PDF/A renditions and sealed scan evidence are made at filing.

Backends: SQLite (WAL) + a local object folder under `Settings.data_dir` by default; PostgreSQL
(`DACH_DATABASE_URL`) and S3/MinIO (`DACH_S3_*`) in production. Shapes: `schemas/record.py`. Access policy:
`storage/policy.yaml`. Errors: `StoreUnavailable` (transient, retried by the flows), `AccessDenied`,
`NotFound`, `IntegrityError`, `InvalidRequest`.
"""

from storage.archive import CONSOLE_ACTOR, Archive, open_archive

__all__ = ["CONSOLE_ACTOR", "Archive", "open_archive"]
