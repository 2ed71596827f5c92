"""From the record database to what an xdomea message carries (`schemas.archive.ExportRecord`).

Runs in the caller's transaction. Which files travel: for the archive (0503), the PDF/A-2b rendition of each
document (made now if filing could not make one) and the sealed scan evidence; for an Abgabe (0401), also the
untouched original, so the receiving authority keeps what was scanned.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ocr.pdfa import PdfaFailed
from schemas.archive import ExportDocument, ExportFile, ExportMatter, ExportRecord, ExportVersion
from schemas.errors import CorruptFile, NotFound
from storage import preservation
from storage.models import AuditEvent, Document, Matter, Person, Record
from storage.objects import ObjectStore
from storage.reading import claims_of, person_view
from storage.xdomea.build import object_uuid

LIVE = ("filed", "needs_review")
TITLES = {
    "passport": "Reisepass",
    "id_card": "Personalausweis",
    "residence_permit": "Aufenthaltstitel",
    "visa": "Visum",
    "notice": "Bescheid",
    "birth_certificate": "Geburtsurkunde",
    "marriage_certificate": "Heiratsurkunde",
    "school_certificate": "Schulzeugnis",
    "degree_certificate": "Hochschulzeugnis",
    "registration_certificate": "Meldebescheinigung",
    "other": "Sonstiges Dokument",
}
EXTENSIONS = {"application/pdf": ("pdf", "pdf"), "application/json": ("json", "json"), "image/png": ("png", "png")}


def aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass
class Payload:
    """Bytes to put into the ZIP beside the message: name in the ZIP -> object key, or bytes made now."""

    keys: dict[str, str] = field(default_factory=dict)
    made: dict[str, bytes] = field(default_factory=dict)
    pdfa_seconds: float = 0.0
    problems: list[str] = field(default_factory=list)


def _text(value: object) -> str:
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _original_name(doc: Document) -> tuple[str, str]:
    """(extension, format code) of the original, from what it starts with (the filename is display only)."""
    media = doc.media_type or ""
    if media == "application/pdf" or doc.original_filename.lower().endswith(".pdf"):
        return "pdf", "pdf"
    for suffix in ("png", "jpg", "jpeg", "tif", "tiff"):
        if doc.original_filename.lower().endswith("." + suffix):
            return suffix, suffix
    return "bin", "Sonstiges"


def _document(
    session: Session, store: ObjectStore, doc: Document, payload: Payload, *, with_original: bool
) -> ExportDocument:
    uid = object_uuid("document", doc.id)
    title = TITLES.get(doc.type, doc.type)
    files = {f.kind: f.object_key for f in doc.current_files}
    primary: list[ExportFile] = []
    pdfa_key = files.get(preservation.PDFA)
    name = f"{uid}_{doc.type}.pdf"
    if pdfa_key is not None:
        payload.keys[name] = pdfa_key
    else:
        started = time.perf_counter()
        try:
            payload.made[name] = preservation.make_pdfa(store, doc.original_key, files.get("searchable_pdf"), title)
        except (PdfaFailed, CorruptFile) as exc:
            payload.problems.append(f"{doc.id}: no PDF/A rendition ({exc})")
            name = ""
        payload.pdfa_seconds += time.perf_counter() - started
    if name:
        primary.append(
            ExportFile(
                name=name,
                object_key=pdfa_key or "",
                media_type="application/pdf",
                format_code="pdf",
                format_version="PDF/A-2b",
            )
        )
    if with_original or not name:
        ext, code = _original_name(doc)
        original = f"{uid}_original.{ext}"
        payload.keys[original] = doc.original_key
        primary.append(
            ExportFile(
                name=original,
                object_key=doc.original_key,
                media_type=doc.media_type or "application/octet-stream",
                format_code=code,
                format_version="Original",
                original_name=doc.original_filename,
            )
        )
    evidence = None
    if preservation.EVIDENCE in files:
        evidence_name = f"{uid}_transfervermerk.json"
        payload.keys[evidence_name] = files[preservation.EVIDENCE]
        evidence = ExportFile(
            name=evidence_name,
            object_key=files[preservation.EVIDENCE],
            media_type="application/json",
            format_code="json",
            format_version="dach.transfervermerk.v1",
        )
    current = doc.versions[-1] if doc.versions else None
    versions = tuple(
        ExportVersion(
            version=v.version,
            author=v.author,
            created_at=aware(v.created_at),
            reason=v.reason,
            kind=str(v.changed.get("kind") or ("intake" if v.version == 1 else "correction")),
            type=v.type,
            pages=tuple(int(p) for p in (v.page_range or "").split(",") if p.isdigit()),
            fields=dict(v.fields),
        )
        for v in doc.versions
    )
    fields = {n: _text(raw.get("value")) for n, raw in (current.fields if current else {}).items()}
    return ExportDocument(
        id=doc.id,
        uuid=uid,
        type=doc.type,
        title=title,
        status=doc.status,
        filed_at=aware(doc.created_at),
        filed_by=doc.filed_by,
        confidence=doc.confidence,
        version=doc.current_version,
        pages=doc.pages,
        fields=fields,
        versions=versions,
        primary=tuple(primary),
        evidence=evidence,
        retain_until=aware(doc.retain_until) if doc.retain_until else None,
        legal_hold=doc.legal_hold,
    )


def live_documents(session: Session, record_id: str) -> list[Document]:
    return list(
        session.scalars(
            select(Document).where(Document.record_id == record_id, Document.status.in_(LIVE)).order_by(Document.id)
        )
    )


def record(
    session: Session,
    store: ObjectStore,
    record_id: str,
    payload: Payload,
    *,
    with_files: bool,
    with_original: bool = False,
    history: tuple[tuple[str, str, datetime, str], ...] = (),
) -> ExportRecord:
    row = session.get(Record, record_id)
    if row is None:
        raise NotFound(f"record {record_id} does not exist.")
    person = session.get(Person, row.person_id)
    if person is None:
        raise NotFound(f"the person of record {record_id} does not exist.")
    docs = live_documents(session, record_id)
    matters: list[ExportMatter] = []
    by_matter: dict[str | None, list[Document]] = {}
    for doc in docs:
        by_matter.setdefault(doc.matter_id, []).append(doc)
    for matter_id, members in sorted(by_matter.items(), key=lambda item: item[0] or ""):
        matter = session.get(Matter, matter_id) if matter_id else None
        exported = tuple(
            _document(session, store, d, payload, with_original=with_original) if with_files else _document_metadata(d)
            for d in members
        )
        matters.append(
            ExportMatter(
                id=matter.id if matter else f"{record_id}-ungeordnet",
                uuid=object_uuid("matter", matter.id if matter else record_id),
                department=matter.department if matter else "",
                legal_area=matter.legal_area if matter else "general",
                title=matter.title if matter else "Nicht zugeordnet",
                documents=exported,
            )
        )
    return ExportRecord(
        id=row.id,
        uuid=object_uuid("record", row.id),
        file_number=row.file_number,
        # The archive takes the whole record: every document's statements about the person go with it.
        person=person_view(person, claims_of(session, person.id, [d.id for d in docs]), identity_visible=True),
        created_at=aware(row.created_at),
        matters=tuple(matters),
        history=history,
    )


def _document_metadata(doc: Document) -> ExportDocument:
    """The offer (0501) carries metadata only: no files are touched."""
    current = doc.versions[-1] if doc.versions else None
    return ExportDocument(
        id=doc.id,
        uuid=object_uuid("document", doc.id),
        type=doc.type,
        title=TITLES.get(doc.type, doc.type),
        status=doc.status,
        filed_at=aware(doc.created_at),
        filed_by=doc.filed_by,
        confidence=doc.confidence,
        version=doc.current_version,
        pages=doc.pages,
        fields={n: _text(raw.get("value")) for n, raw in (current.fields if current else {}).items()},
        retain_until=aware(doc.retain_until) if doc.retain_until else None,
    )


def record_history(session: Session, person_id: str, limit: int = 200) -> tuple[tuple[str, str, datetime, str], ...]:
    """The record's own audit entries that travel with an Abgabe (who filed, corrected, handed over)."""
    rows = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.person_id == person_id, AuditEvent.action.not_in(("read", "download", "search")))
        .order_by(AuditEvent.seq.desc())
        .limit(limit)
    )
    out = [
        (e.action, e.actor, aware(datetime.fromisoformat(e.at)), f"{e.object_type} {e.object_id or ''}".strip())
        for e in rows
    ]
    return tuple(reversed(out))
