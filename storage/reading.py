"""The read side of the record: document views, a person's Akte and search, each authorised and audited.

Every function here writes an audit entry in the caller's transaction, for allowed and denied reads alike,
and returns None when the policy denies (the archive raises `AccessDenied` after the denial is committed, so
the attempt stays on record).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.documents import MRZ_TYPES, DocumentType, ExtractedField
from schemas.errors import NotFound
from schemas.persons import PersonClaim
from schemas.record import (
    Actor,
    Department,
    DocumentSummary,
    DocumentView,
    FileRef,
    LegalArea,
    MatterView,
    PersonIdentifier,
    PersonView,
    RecordView,
    SearchHit,
    VersionInfo,
)
from schemas.search import SearchFilters, SortOrder
from storage import audit, persons, search, search_query, snippets
from storage.models import (
    Document,
    DocumentFile,
    DocumentVersion,
    Matter,
    Person,
    PersonClaimRow,
    Record,
    pages_of,
)
from storage.policy import Policy, ReadScope


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _matter_view(matter: Matter | None) -> MatterView | None:
    if matter is None:
        return None
    return MatterView(
        id=matter.id,
        department=Department(matter.department),
        legal_area=LegalArea(matter.legal_area),
        title=matter.title,
    )


def _may_read(policy: Policy, actor: Actor, doc: Document) -> bool:
    return policy.can_read(actor, DocumentType(doc.type), filed_by_user_id=doc.filed_by_user_id, status=doc.status)


def _person_id(session: Session, doc: Document) -> str | None:
    if doc.record_id is None:
        return None
    return session.scalar(select(Record.person_id).where(Record.id == doc.record_id))


def _name_of(session: Session, person_id: str | None) -> str | None:
    person = session.get(Person, person_id) if person_id else None
    return person_display_name(person) if person is not None else None


def load_document(session: Session, document_id: str) -> Document:
    doc = session.get(Document, document_id)
    if doc is None or doc.status == "deleted":
        raise NotFound(f"document {document_id} does not exist; find documents with `dach search`.")
    return doc


def document_view(session: Session, policy: Policy, document_id: str, actor: Actor) -> DocumentView | None:
    doc = load_document(session, document_id)
    person_id = _person_id(session, doc)
    if not _may_read(policy, actor, doc):
        audit.append(session, actor, "read_denied", "document", doc.id, person_id=person_id, details={"type": doc.type})
        return None
    audit.append(session, actor, "read", "document", doc.id, person_id=person_id, details={"type": doc.type})
    versions = tuple(
        VersionInfo(
            version=v.version,
            author=v.author,
            created_at=_aware(v.created_at),
            reason=v.reason,
            changed=tuple(v.changed.get("fields", [])),
            type=DocumentType(v.type) if v.type else None,
            pages=pages_of(v.page_range) if v.page_range is not None else doc.pages,
            kind=str(v.changed.get("kind") or ("intake" if v.version == 1 else "correction")),
        )
        for v in doc.versions
    )
    current = doc.versions[-1]
    stack = scan_documents(session, doc)
    return DocumentView(
        id=doc.id,
        type=DocumentType(doc.type),
        status=doc.status,
        person_id=person_id,
        person_name=_name_of(session, person_id),
        record_id=doc.record_id,
        matter=_matter_view(session.get(Matter, doc.matter_id) if doc.matter_id else None),
        pages=doc.pages,
        confidence=doc.confidence,
        review=doc.review,
        notes=tuple(doc.notes.get("notes", [])),
        fields={name: ExtractedField.model_validate(raw) for name, raw in current.fields.items()},
        version=doc.current_version,
        versions=versions,
        files=(
            *(FileRef(kind=f.kind, key=f.object_key, media_type=f.media_type) for f in doc.current_files),
            FileRef(kind="scan", key=doc.original_key, media_type=doc.media_type),
        ),
        original_filename=doc.original_filename,
        filed_by=doc.filed_by,
        filed_at=_aware(doc.created_at),
        batch_id=doc.batch_id,
        replaced_by=tuple(doc.notes.get("replaced_by", [])),
        media_type=doc.media_type,
        whole_scan_readable=len(stack) > 1 and all(_may_read(policy, actor, d) for d in stack),
        viz_mismatches=tuple(doc.notes.get("viz_mismatches", [])),
        mrz_checks=dict(doc.notes.get("checks", {})),
        readings={
            name: tuple(ExtractedField.model_validate(raw) for raw in places)
            for name, places in doc.notes.get("readings", {}).items()
        },
    )


def scan_documents(session: Session, doc: Document) -> list[Document]:
    """The live documents cut from the same scanned stack as `doc` (itself included)."""
    return list(
        session.scalars(
            select(Document).where(
                Document.original_key == doc.original_key, Document.status.not_in(("withdrawn", "deleted"))
            )
        )
    )


def file_key(session: Session, policy: Policy, document_id: str, kind: str, actor: Actor) -> str | None:
    """The object key of one of a document's files, if the actor may read it (audited as a download).

    `scan` is the whole scanned stack the document was cut from. A stack may hold documents of types the
    reader may not see (a passport behind a job-centre notice), so its bytes go only to a reader of every
    live document in it, audited as a download of the scan; the same holds for a document whose own original
    is the scan itself (filed before documents had originals of their own)."""
    doc = load_document(session, document_id)
    person_id = _person_id(session, doc)
    if not _may_read(policy, actor, doc):
        audit.append(session, actor, "download_denied", "document", doc.id, person_id=person_id, details={"kind": kind})
        return None
    if kind == "scan":
        key: str | None = doc.original_key
    else:
        key = session.scalar(
            select(DocumentFile.object_key)
            .where(DocumentFile.document_id == doc.id, DocumentFile.kind == kind, DocumentFile.superseded_in.is_(None))
            .limit(1)
        )
    if key is None:
        raise NotFound(f"document {document_id} has no {kind} file.")
    if key != doc.original_key:
        audit.append(session, actor, "download", "document", doc.id, person_id=person_id, details={"kind": kind})
        return key
    stack = scan_documents(session, doc)
    hidden = [d for d in stack if not _may_read(policy, actor, d)]
    if hidden:
        details = {"kind": kind, "scan": True, "documents_not_readable": len(hidden)}
        audit.append(session, actor, "download_denied", "document", doc.id, person_id=person_id, details=details)
        return None
    if [d.id for d in stack] == [doc.id]:  # the scan is this document alone: its own original
        audit.append(session, actor, "download", "document", doc.id, person_id=person_id, details={"kind": kind})
        return key
    details = {"kind": kind, "scan": True, "documents": sorted(d.id for d in stack)}
    audit.append(session, actor, "download_scan", "document", doc.id, person_id=person_id, details=details)
    return key


def claims_of(session: Session, person_id: str, document_ids: list[str]) -> list[PersonClaim]:
    if not document_ids:
        return []
    rows = session.scalars(
        select(PersonClaimRow.claim).where(
            PersonClaimRow.person_id == person_id, PersonClaimRow.document_id.in_(document_ids)
        )
    )
    return [PersonClaim.model_validate(claim) for claim in rows]


def person_view(person: Person, claims: list[PersonClaim], *, identity_visible: bool) -> PersonView:
    """The person as a reader may see them: identifiers, birth date, nationality and other spellings only as
    stated by `claims`, the claims of the documents the reader may read (need-to-know: a job-centre clerk
    does not learn the passport number from the record page); the sex only beside an identity document."""
    stated = {(i.kind.value, i.value): i for claim in claims for i in claim.identifiers}
    births = {claim.birth_date.isoformat() for claim in claims if claim.birth_date}
    nationalities = {claim.nationality for claim in claims if claim.nationality}
    script_names = any(claim.original_script_name for claim in claims)
    spellings = {claim_names_upper(claim) for claim in claims}
    return PersonView(
        id=person.id,
        surname=person.surname,
        given_names=person.given_names,
        surname_original=person.surname_original if script_names else None,
        given_names_original=person.given_names_original if script_names else None,
        aliases=tuple(
            f"{a.surname}, {a.given_names}"
            for a in person.aliases
            if (a.surname.upper(), a.given_names.upper()) in spellings
        ),
        birth_date=person.birth_date if person.birth_date in births else None,
        nationality=person.nationality if person.nationality in nationalities else None,
        sex=person.sex if identity_visible else None,
        identifiers=tuple(
            PersonIdentifier(
                kind=i.kind,
                value=i.value,
                # The issuing state is shown only where a readable document states it with the number.
                issuing_state=i.issuing_state if stated[(i.kind, i.value)].issuing_state else None,
            )
            for i in person.identifiers
            if (i.kind, i.value) in stated
        ),
    )


def claim_names_upper(claim: PersonClaim) -> tuple[str, str]:
    surname, given = persons.claim_names(claim)
    return surname.upper(), given.upper()


def _expiry_dates(session: Session, docs: list[Document]) -> dict[str, str]:
    """The current `expiry_date` of each document, in one query (the record page flags what expires)."""
    if not docs:
        return {}
    current = select(DocumentVersion.document_id, DocumentVersion.fields).where(
        DocumentVersion.document_id.in_([d.id for d in docs]),
        DocumentVersion.version == Document.current_version,
        DocumentVersion.document_id == Document.id,
    )
    out: dict[str, str] = {}
    for document_id, fields in session.execute(current):
        value = (fields.get("expiry_date") or {}).get("value")
        if isinstance(value, str) and value:
            out[document_id] = value
    return out


def record_view(session: Session, policy: Policy, person_id: str, actor: Actor) -> RecordView | None:
    """A person's Akte with only the documents the actor may read; denied to those who read no documents."""
    person = session.get(Person, person_id)
    record = session.scalar(select(Record).where(Record.person_id == person_id))
    if person is None or record is None:
        raise NotFound(f"person {person_id} does not exist; find persons with `dach search NAME`.")
    # Withdrawn documents (their pages were moved to others) are not part of the record any more.
    docs = list(
        session.scalars(
            select(Document)
            .where(Document.record_id == record.id, Document.status.not_in(("withdrawn", "deleted")))
            .order_by(Document.created_at)
        )
    )
    visible = [d for d in docs if _may_read(policy, actor, d)]
    if policy.read_scope(actor) is not ReadScope.DEPARTMENT and not visible:
        audit.append(session, actor, "read_denied", "record", record.id, person_id=person_id)
        return None
    audit.append(
        session,
        actor,
        "read",
        "record",
        record.id,
        person_id=person_id,
        details={"documents": [d.id for d in visible]},
    )
    matters = session.scalars(select(Matter).where(Matter.record_id == record.id).order_by(Matter.created_at))
    expiry = _expiry_dates(session, [d for d in visible if DocumentType(d.type) in MRZ_TYPES])
    return RecordView(
        record_id=record.id,
        file_number=record.file_number,
        person=person_view(
            person,
            claims_of(session, person.id, [d.id for d in visible]),
            identity_visible=any(DocumentType(d.type) in MRZ_TYPES for d in visible),
        ),
        matters=tuple(m for m in (_matter_view(m) for m in matters) if m is not None),
        documents=tuple(summary(d, expiry.get(d.id)) for d in visible),
    )


def summary(doc: Document, expiry_date: str | None = None) -> DocumentSummary:
    return DocumentSummary(
        id=doc.id,
        type=DocumentType(doc.type),
        status=doc.status,
        filed_at=_aware(doc.created_at),
        matter_id=doc.matter_id,
        pages=doc.pages,
        expiry_date=expiry_date,
    )


def sibling_documents(session: Session, policy: Policy, document_id: str, actor: Actor) -> list[DocumentSummary] | None:
    """The other documents of the same scanned original that the actor may read: where its pages may go.

    None (and an audited denial) if the actor may not read the document itself."""
    doc = load_document(session, document_id)
    if not _may_read(policy, actor, doc):
        audit.append(session, actor, "read_denied", "document", doc.id, details={"siblings": True})
        return None
    others = session.scalars(
        select(Document)
        .where(
            Document.original_key == doc.original_key,
            Document.id != doc.id,
            Document.status.not_in(("withdrawn", "deleted")),
        )
        .order_by(Document.created_at)
    )
    visible = [summary(d) for d in others if _may_read(policy, actor, d)]
    visible.sort(key=lambda d: d.pages[:1])
    audit.append(
        session,
        actor,
        "read",
        "siblings",
        doc.id,
        person_id=_person_id(session, doc),
        details={"documents": [d.id for d in visible]},
    )
    return visible


def person_display_name(person: Person) -> str | None:
    """ "SURNAME, Given names" as the record holds it; None when no name could be read."""
    parts = [p for p in (person.surname.strip(), person.given_names.strip()) if p]
    return ", ".join(parts) or None


def scope_for(policy: Policy, actor: Actor) -> search.Scope:
    own = actor.user_id if policy.read_scope(actor) is ReadScope.OWN_PENDING_REVIEW else None
    return search.Scope(types=policy.readable_types(actor), own_pending_user_id=own)


def run_search(
    session: Session, policy: Policy, query: str, actor: Actor, limit: int, filters: SearchFilters | None = None
) -> list[SearchHit]:
    filters = filters or SearchFilters()
    raw = search_query.search(session, query, scope_for(policy, actor), limit, filters)
    # the hits' documents with their persons in one statement
    found = session.execute(
        select(Document, Person)
        .outerjoin(Record, Record.id == Document.record_id)
        .outerjoin(Person, Person.id == Record.person_id)
        .where(Document.id.in_([h.document_id for h in raw]))
    )
    docs: dict[str, Document] = {}
    person_of: dict[str, Person | None] = {}
    for found_doc, found_person in found:
        docs[found_doc.id], person_of[found_doc.id] = found_doc, found_person
    shown = snippets.snippets(session, raw, query)
    hits: list[SearchHit] = []
    for item in raw:
        doc = docs.get(item.document_id)
        if doc is None or not _may_read(policy, actor, doc):  # belt and braces: the query filtered already
            continue
        person = person_of.get(doc.id)
        snippet = shown.get(doc.id)
        hits.append(
            SearchHit(
                document_id=doc.id,
                type=DocumentType(doc.type),
                status=doc.status,
                person_id=person.id if person else None,
                person_name=person_display_name(person) if person else None,
                score=item.score,
                snippet=snippet.text if snippet else "",
                marks=snippet.marks if snippet else (),
                fields=snippet.fields if snippet else (),
                filed_at=_aware(doc.created_at),
            )
        )
    if filters.sort is SortOrder.NAME:
        hits.sort(key=lambda h: (h.person_name is None, (h.person_name or "").casefold()))
        hits = hits[:limit]
    audit.append(
        session,
        actor,
        "search",
        "query",
        None,
        details={"query": query[:200], "hits": [h.document_id for h in hits]},
    )
    return hits
