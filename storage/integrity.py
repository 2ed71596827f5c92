"""Integrity of the objects the record points at: find rows whose objects are missing or damaged, and repair
a document's files from a re-run of the same scan.

The audit chain proves that no row was changed; it says nothing about the object store. After an S3 server
came back empty, a re-run reported two documents as `duplicate` and `dach audit verify` passed while their
rows pointed at nothing. So: a scrub lists every referenced object that is missing (or, read in full,
damaged), with the rows that need it; and a re-run of a scan whose document is already filed puts back what
it can, from the objects it has just stored again (the scan itself is content-addressed, so storing it again
restores it; renditions are replaced by the re-run's own), audited as a repair.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.errors import IntegrityError, NotFound, StoreUnavailable
from schemas.record import Actor, FilingRequest, ObjectProblem
from storage import audit
from storage.models import Document, DocumentFile, QuarantineEntry
from storage.objects import ObjectStore

log = logging.getLogger(__name__)


def references(session: Session) -> dict[str, list[str]]:
    """Every object key a row points at, with the rows ("document doc_… original", "quarantine q…")."""
    refs: dict[str, list[str]] = defaultdict(list)
    files = select(DocumentFile.object_key, DocumentFile.document_id, DocumentFile.kind, DocumentFile.superseded_in)
    for key, document_id, kind, superseded in session.execute(files):
        refs[key].append(f"document {document_id} {kind}" + (" (superseded)" if superseded is not None else ""))
    scans = select(Document.original_key, Document.id).where(Document.status != "deleted")
    for key, document_id in session.execute(scans):
        refs[key].append(f"document {document_id} scan")
    for kept, entry_id in session.execute(select(QuarantineEntry.object_key, QuarantineEntry.id)):
        if kept:
            refs[kept].append(f"quarantine {entry_id}")
    return refs


def scrub(refs: dict[str, list[str]], store: ObjectStore, *, deep: bool) -> list[ObjectProblem]:
    """The referenced objects that are missing, or (with `deep`: every object read and checked) damaged."""
    problems: list[ObjectProblem] = []
    for key in sorted(refs):
        if deep:
            try:
                store.get(key)
                continue
            except NotFound:
                problem = "missing"
            except IntegrityError:
                problem = "damaged"
        elif store.exists(key):
            continue
        else:
            problem = "missing"
        problems.append(ObjectProblem(key=key, problem=problem, rows=tuple(refs[key])))
    return problems


def _replacement(kind: str, request: FilingRequest) -> str | None:
    if kind == "original":
        return request.document_original_key or request.original_key
    if kind == "ocr_text":
        return request.text_key
    if kind == "searchable_pdf":
        return request.searchable_pdf_key
    return None


def repair_from_rerun(
    session: Session, store: ObjectStore, document_id: str, request: FilingRequest, actor: Actor
) -> list[str]:
    """Point a filed document's missing files at the objects a re-run of its scan has just stored; return
    the kinds still missing afterwards (empty: every object of the document exists again)."""
    doc = session.get(Document, document_id)
    if doc is None or doc.original_key != request.original_key or doc.pages != tuple(request.document.pages):
        return []
    repaired: list[dict[str, str]] = []
    still_missing: list[str] = []
    try:
        for file in doc.current_files:
            if store.exists(file.object_key):
                continue
            new = _replacement(file.kind, request)
            if new is not None and new != file.object_key and store.exists(new):
                repaired.append({"kind": file.kind, "missing": file.object_key, "now": new})
                file.object_key = new
            else:
                still_missing.append(file.kind)
    except StoreUnavailable:
        log.warning("document %s: the store is unavailable, its objects were not checked", document_id)
        return []
    if repaired:
        audit.append(session, actor, "repair", "document", doc.id, details={"files": repaired})
        log.warning("document %s: %d missing objects restored from a re-run", doc.id, len(repaired))
    if not store.exists(doc.original_key):
        still_missing.append("scan")
    return still_missing
