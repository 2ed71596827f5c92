"""What filing keeps beside the untouched original for the long term, and how it is checked later.

- the PDF/A-2b rendition (file kind `pdfa`), made from the searchable PDF (or an image original);
- the sealed scan evidence (file kind `evidence`, see `storage/evidence.py`).

`verify` (`dach verify`) re-checks both for one document or every live document: the evidence's seal and
timestamp, and the hashes of the original and the renditions it was sealed for.
"""

from __future__ import annotations

import hashlib
import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from ocr import pdfa
from schemas.archive import EvidenceSummary, VerifyFailure, VerifyReport
from schemas.errors import CorruptFile, DachError, NotFound
from schemas.record import Actor, FilingRequest
from schemas.settings import Settings
from storage import audit, evidence, timestamp
from storage.models import Document, DocumentFile
from storage.objects import ObjectStore, digest_of

log = logging.getLogger(__name__)

PDFA = "pdfa"
EVIDENCE = "evidence"


def sealer_for(settings: Settings) -> evidence.Sealer:
    key_file = settings.seal_key_file or settings.data_dir / "keys" / "seal.pem"
    tsa = timestamp.TsaConfig(url=settings.tsa_url, command=settings.tsa_command, ca_file=settings.tsa_ca_file)
    return evidence.Sealer.load(key_file, tsa)


def make_pdfa(
    store: ObjectStore, original_key: str, searchable_pdf_key: str | None, title: str = "", *, raster: bool = True
) -> bytes:
    """The PDF/A-2b rendition of a document. Its searchable PDF is what is converted when there is one: the
    original (at intake the whole scan, read and its digest checked once more for each document cut from it)
    is read only when there is none."""
    if searchable_pdf_key:
        return pdfa.rendition_of(None, store.get(searchable_pdf_key), title=title, raster=raster)
    return pdfa.rendition_of(store.get(original_key), None, title=title, raster=raster)


def store_pdfa(store: ObjectStore, request: FilingRequest) -> str | None:
    """Store the PDF/A-2b rendition of a document about to be filed; None (logged) if it cannot be made:
    the filing never fails for it, and the hand-over tries again and reports what it cannot convert. Pages
    are not rendered to images here (seconds per page): a PDF that needs it gets its rendition at export."""
    try:
        data = make_pdfa(
            store, request.original_key, request.searchable_pdf_key, request.document.type.value, raster=False
        )
    except (pdfa.PdfaFailed, CorruptFile) as exc:
        log.warning("no PDF/A rendition for %s pages %s: %s", request.original_key, request.document.pages, exc)
        return None
    return store.put(data, "application/pdf")


def attach(
    session: Session,
    store: ObjectStore,
    sealer: evidence.Sealer,
    request: FilingRequest,
    document_id: str,
    actor: Actor,
    pdfa_key: str | None,
) -> str:
    """Add the PDF/A rendition and the sealed scan evidence to a document just filed; the evidence key."""
    files = {"searchable_pdf": request.searchable_pdf_key, "ocr_text": request.text_key, PDFA: pdfa_key}
    hashes = {kind: digest_of(key) for kind, key in files.items() if key}
    unsealed = evidence.evidence_for(request, document_id, actor, digest_of(request.original_key), hashes)
    key = store.put(evidence.seal(unsealed, sealer), "application/json")
    if pdfa_key:
        session.add(DocumentFile(document_id=document_id, kind=PDFA, object_key=pdfa_key, media_type="application/pdf"))
    session.add(DocumentFile(document_id=document_id, kind=EVIDENCE, object_key=key, media_type="application/json"))
    return key


def _files(doc: Document) -> dict[str, str]:
    return {f.kind: f.object_key for f in doc.current_files if f.kind != "page_image"}


def _sealed_for(doc: Document, kind: str, digest: str) -> str | None:
    """The document's file of `kind` with that digest, current or superseded (pages moved out of a document
    replace its renditions; the ones its evidence was sealed for stay, marked superseded)."""
    return next((f.object_key for f in doc.files if f.kind == kind and digest_of(f.object_key) == digest), None)


def verify_document(store: ObjectStore, sealer: evidence.Sealer, doc: Document) -> str | None:
    files = _files(doc)
    evidence_key = files.pop(EVIDENCE, None)
    try:
        return evidence.verify_objects(
            store, evidence_key, doc.original_key, lambda kind, digest: _sealed_for(doc, kind, digest), sealer
        )
    except DachError as exc:  # a store that fails mid-check is a failed check, reported, not a crash
        return f"{exc.code}: {exc.message}"


def evidence_summary(store: ObjectStore, sealer: evidence.Sealer, doc: Document) -> EvidenceSummary | None:
    """The evidence as the document page shows it, with the result of checking it now."""
    key = _files(doc).get(EVIDENCE)
    if key is None:
        return None
    problem = verify_document(store, sealer, doc)
    try:
        sealed = evidence.read_sealed(store.get(key))
    except DachError as exc:
        return EvidenceSummary(scanned_by="", filed_at="", channel="", original_sha256="", problem=exc.message)
    record = sealed["evidence"]
    stamp = sealed.get("timestamp") or {}
    return EvidenceSummary(
        scanned_by=str((record.get("scanned_by") or {}).get("name", "")),
        filed_at=str(record.get("filed_at", "")),
        channel=str(record.get("channel", "")),
        device=str(record.get("device", "")),
        original_sha256=str((record.get("original") or {}).get("sha256", "")),
        quality=dict(record.get("quality") or {}),
        key_id=str((sealed.get("seal") or {}).get("key_id", "")),
        timestamp_at=str(stamp.get("at", "")) if isinstance(stamp, dict) else "",
        problem=problem,
    )


def verify(
    session: Session, store: ObjectStore, sealer: evidence.Sealer, actor: Actor, document_id: str | None
) -> VerifyReport:
    """Check seal, timestamp and hashes of one document (or of every live one); audited."""
    query = select(Document).where(Document.status.not_in(("deleted", "withdrawn")))
    if document_id is not None:
        query = select(Document).where(Document.id == document_id)
    docs = list(session.scalars(query.order_by(Document.id)))
    if document_id is not None and not docs:
        raise NotFound(f"document {document_id} does not exist.")
    failed = []
    for doc in docs:
        problem = verify_document(store, sealer, doc)
        if problem:
            failed.append(VerifyFailure(id=doc.id, reason=problem))
    audit.append(
        session,
        actor,
        "verify_evidence",
        "document" if document_id else "record",
        document_id,
        details={"checked": len(docs), "failed": [f.id for f in failed][:100]},
    )
    return VerifyReport(checked=len(docs), failed=tuple(failed))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
