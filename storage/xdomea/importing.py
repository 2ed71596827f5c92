"""Importing a 0401 (Abgabe) from another authority as a new record: person, matters, documents with every
version of their fields, the original files and the PDF/A renditions; no OCR is run. What dach cannot place is
kept in the document's notes (and the import's audit entry) and returned, so a clerk sees it.

Runs in the caller's transaction; the files are stored before it (`Lifecycle.import_abgabe`).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.documents import DocumentType, ExtractedDocument, ExtractedField
from schemas.persons import PersonClaim
from schemas.record import Actor
from storage import audit, filing, persons
from storage.models import Document, DocumentFile, DocumentVersion, Matter, Person, PersonIdentifier, Record
from storage.policy import Policy
from storage.xdomea.read import ReceivedDocument, ReceivedRecord


def _fields(raw: object, unmapped: list[str], where: str) -> dict[str, ExtractedField]:
    out: dict[str, ExtractedField] = {}
    for name, value in (raw if isinstance(raw, dict) else {}).items():
        try:
            out[str(name)] = ExtractedField.model_validate(value)
        except ValidationError:
            unmapped.append(f"{where}: field {name} = {json.dumps(value, ensure_ascii=False)[:200]}")
    return out


def _pages(value: object) -> str | None:
    return ",".join(str(p) for p in value) or None if isinstance(value, list) else None


def _dict(value: object) -> dict[str, Any]:
    return dict(value) if isinstance(value, dict) else {}


def _person(session: Session, received: ReceivedRecord, unmapped: list[str]) -> tuple[Person, PersonClaim]:
    data = received.person
    birth = data.get("birth_date") or None
    try:
        claim = PersonClaim(
            surname=data.get("surname") or None,
            given_names=data.get("given_names") or None,
            birth_date=birth,
            nationality=data.get("nationality") or None,
        )
    except ValidationError:
        unmapped.append(f"person: {json.dumps(data, ensure_ascii=False)[:300]}")
        claim = PersonClaim(surname=data.get("surname") or "UNBEKANNT", given_names=data.get("given_names") or None)
    person = persons.create_person(session, claim)
    person.surname = data.get("surname") or person.surname
    person.given_names = data.get("given_names") or person.given_names
    person.surname_original = data.get("surname_original") or None
    person.given_names_original = data.get("given_names_original") or None
    person.sex = (data.get("sex") or None) and data["sex"][:1]
    for key, value in sorted(data.items()):
        if key.startswith("identifier."):
            try:
                ident = json.loads(value)
                session.add(
                    PersonIdentifier(
                        person_id=person.id,
                        kind=str(ident["kind"])[:40],
                        value=str(ident["value"])[:80],
                        issuing_state=ident.get("issuing_state"),
                    )
                )
            except (ValueError, KeyError, TypeError):
                unmapped.append(f"person identifier: {value[:200]}")
    session.flush()
    return person, claim


def _matter(
    session: Session, policy: Policy, record: Record, doc: ReceivedDocument, extracted: ExtractedDocument
) -> Matter:
    if doc.department and doc.legal_area:
        found = session.scalar(
            select(Matter).where(
                Matter.record_id == record.id, Matter.department == doc.department, Matter.legal_area == doc.legal_area
            )
        )
        if found is not None:
            return found
        matter = Matter(
            id=persons.new_id("mat"),
            record_id=record.id,
            department=doc.department[:40],
            legal_area=doc.legal_area[:40],
            title=f"{doc.department} / {doc.legal_area}",
            created_at=datetime.now(UTC),
        )
        session.add(matter)
        session.flush()
        return matter
    return filing.matter_for(session, policy, record, extracted)


def import_record(
    session: Session,
    policy: Policy,
    received: ReceivedRecord,
    files: dict[str, tuple[str, str, str]],
    actor: Actor,
    evidence_for: dict[str, str],
) -> tuple[str, list[str], list[str]]:
    """(person id, new document ids, unmapped). `files`: document uuid -> (original key, pdfa key, evidence key)."""
    unmapped = list(received.unmapped)
    person, claim = _person(session, received, unmapped)
    record = session.scalar(select(Record).where(Record.person_id == person.id))
    assert record is not None  # create_person made it
    now = datetime.now(UTC)
    new_ids: list[str] = []
    for doc in received.documents:
        where = f"document {doc.source_id or doc.uuid}"
        doc_unmapped: list[str] = []
        try:
            doc_type = DocumentType(doc.type)
        except ValueError:
            doc_type = DocumentType.OTHER
            doc_unmapped.append(f"{where}: type {doc.type!r} unknown here, filed as 'other'")
        versions = sorted(doc.versions, key=lambda v: v.version) or []
        latest_fields = _fields(versions[-1].payload.get("fields") if versions else {}, doc_unmapped, where)
        if not versions:
            latest_fields = {
                n: ExtractedField(value=v, confidence=1.0) for n, v in doc.fields.items() if not n.startswith("dach.")
            }
        pages = tuple(int(p) for p in doc.fields.get("dach.pages", "1").split(",") if p.isdigit()) or (1,)
        extracted = ExtractedDocument(
            type=doc_type, pages=pages, confidence=float(doc.fields.get("dach.confidence") or 1.0), fields=latest_fields
        )
        original_key, pdfa_key, evidence_key = files[doc.uuid]
        page_range = ",".join(str(p) for p in pages)
        existing = session.scalar(
            select(Document.id).where(Document.original_key == original_key, Document.page_range == page_range)
        )
        if existing is not None:  # the same scanned pages are in this dach already (a record coming back)
            unmapped.append(f"{where}: already here as {existing}, not imported twice")
            continue
        matter = _matter(session, policy, record, doc, extracted)
        try:
            retain_until = datetime.fromisoformat(doc.fields["dach.retain_until"]).replace(tzinfo=UTC)
        except (KeyError, ValueError):
            retain_until = now + timedelta(days=365 * policy.retention_for(doc_type))
        doc_id = persons.new_id("doc")
        notes: dict[str, object] = {
            "notes": [
                f"übernommen per xdomea 0401 von {received.sender or 'unbekannt'} ({received.process_id})",
                *(f"nicht zugeordnet: {u}" for u in doc_unmapped),
            ],
            "source": {"uuid": doc.uuid, "id": doc.source_id, "process_id": received.process_id},
        }
        if doc_unmapped:
            notes["unmapped"] = doc_unmapped
        session.add(
            Document(
                id=doc_id,
                record_id=record.id,
                matter_id=matter.id,
                type=doc_type.value,
                status="filed",
                original_key=original_key,
                page_range=",".join(str(p) for p in pages),
                original_filename=next((f.original_name for f in doc.files if f.original_name), "")[:255],
                media_type="",
                confidence=extracted.confidence,
                review=False,
                notes=notes,
                current_version=max([v.version for v in versions] or [1]),
                filed_by=doc.filed_by or received.sender,
                filed_by_user_id=None,
                batch_id=None,
                retain_until=retain_until,
                created_at=now,
            )
        )
        session.flush()
        for v in versions or []:
            try:
                at = datetime.fromisoformat(v.at)
            except ValueError:
                at = now
            session.add(
                DocumentVersion(
                    document_id=doc_id,
                    version=v.version,
                    type=str(v.payload.get("type") or doc_type.value),
                    page_range=_pages(v.payload.get("pages")),
                    fields=_dict(v.payload.get("fields")),
                    author=v.author,
                    reason=v.reason,
                    changed={"kind": v.kind, "imported": True},
                    created_at=at,
                )
            )
        if not versions:
            session.add(filing.version_row(doc_id, 1, extracted, actor.name, "xdomea 0401", {"kind": "intake"}))
        session.add(DocumentFile(document_id=doc_id, kind="original", object_key=original_key, media_type=""))
        if pdfa_key:
            session.add(
                DocumentFile(document_id=doc_id, kind="pdfa", object_key=pdfa_key, media_type="application/pdf")
            )
        if evidence_key:
            session.add(
                DocumentFile(
                    document_id=doc_id, kind="evidence_received", object_key=evidence_key, media_type="application/json"
                )
            )
        session.add(
            DocumentFile(
                document_id=doc_id, kind="evidence", object_key=evidence_for[doc.uuid], media_type="application/json"
            )
        )
        persons.remember_claim(session, person, claim, doc_id)
        filing.index_new(session, doc_id, extracted, (), filing.person_names(person, claim))
        audit.append(
            session,
            actor,
            "import",
            "document",
            doc_id,
            person_id=person.id,
            details={
                "xdomea": "0401",
                "process_id": received.process_id,
                "source": doc.source_id,
                "unmapped": doc_unmapped,
            },
        )
        unmapped += doc_unmapped
        new_ids.append(doc_id)
    audit.append(
        session,
        actor,
        "xdomea_0401_import",
        "record",
        record.id,
        person_id=person.id,
        details={
            "process_id": received.process_id,
            "sender": received.sender,
            "source_file_number": received.file_number,
            "documents": new_ids,
            "unmapped": unmapped[:50],
            "source_history": [list(h) for h in received.history][:200],
        },
    )
    return person.id, new_ids, unmapped
