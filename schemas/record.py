"""Shapes of the shared record (E-Akte) as they cross rooms: who acts, what is filed, what a reader sees.

`storage/` takes and returns only these models (and those of `schemas/documents.py`); flows, the CLI and the
web app never see database rows or buckets. The vocabulary follows xdomea, the German e-file standard:
a `Record` (Akte) per person, `Matter`s (Vorgänge) per department and legal area, `Document`s (Dokumente)
with versions.

Departments of a county migration agency (Landkreis) and what they do:

- `foreigners_authority` — Ausländerbehörde: residence law (AufenthG), visas, residence permits.
- `social_welfare` — Sozialamt: benefits for asylum seekers (AsylbLG) and social assistance (SGB XII).
- `jobcentre` — Jobcenter liaison: basic income support for job seekers (SGB II).
- `youth_office` — Jugendamt: youth welfare (SGB VIII), unaccompanied minors, guardianship.
- `integration` — Integrationsstelle: integration courses (IntV), recognition of foreign qualifications.
- `front_desk` — Bürgerservice / Servicestelle: takes in and scans documents for every department.
- `archive` — Registratur / Archiv: keeps the e-file, retention and legal holds.
- `data_protection` — Datenschutz und Revision: the data-protection officer and auditors.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from schemas.documents import DocumentType, ExtractedDocument, ExtractedField, Frozen, PageText
from schemas.search_hit import HitField


class Role(StrEnum):
    """What a user may do, independent of department (the department decides which document types)."""

    FRONT_DESK = "front_desk"  # files documents; reads only what it filed while it awaits review
    CLERK = "clerk"  # Sachbearbeitung: reads and corrects the document types of the department
    LEAD = "lead"  # Teamleitung: as clerk, plus the department's review queue
    ARCHIVE_ADMIN = "archive_admin"  # retention, legal holds, quarantine
    AUDITOR = "auditor"  # reads the audit trail, never a document
    SYSTEM = "system"  # the intake flow: files documents, reads nothing


class Department(StrEnum):
    """Organisational units of the agency (see the module docstring for the German names)."""

    FOREIGNERS_AUTHORITY = "foreigners_authority"
    SOCIAL_WELFARE = "social_welfare"
    JOBCENTRE = "jobcentre"
    YOUTH_OFFICE = "youth_office"
    INTEGRATION = "integration"
    FRONT_DESK = "front_desk"
    ARCHIVE = "archive"
    DATA_PROTECTION = "data_protection"


class LegalArea(StrEnum):
    """The legal basis of a matter (Vorgang)."""

    RESIDENCE_LAW = "residence_law"  # AufenthG, AsylG
    ASYLBLG = "asylblg"  # Asylbewerberleistungsgesetz
    SGB_XII = "sgb_xii"  # Sozialhilfe
    SGB_II = "sgb_ii"  # Grundsicherung für Arbeitsuchende
    YOUTH_WELFARE = "youth_welfare"  # SGB VIII
    INTEGRATION = "integration"  # Integrationskursverordnung, Anerkennung
    GENERAL = "general"


class Actor(Frozen):
    """Who is acting, and why. Every storage call takes one; every read is audited with it."""

    name: str = Field(min_length=1, max_length=120)
    role: Role
    department: Department
    user_id: str | None = Field(default=None, description="None for built-in actors (intake flow, console)")
    purpose: str | None = Field(default=None, max_length=300, description="matter or purpose of the access")


SYSTEM_ACTOR = Actor(name="intake", role=Role.SYSTEM, department=Department.FRONT_DESK, purpose="intake flow")


class SignIn(Frozen):
    """A user signed in: who they act as, and the credentials version their session or API token carries.

    Every later request presents the version again; it stops being accepted once the user is deactivated,
    gets a new password or is signed out everywhere (each raises the stored version)."""

    actor: Actor
    credentials_version: int = Field(ge=1)


class FilingStatus(StrEnum):
    FILED = "filed"
    NEEDS_REVIEW = "needs_review"
    DUPLICATE = "duplicate"


class CaptureInfo(Frozen):
    """How a scan came in, for the scan evidence (Transfervermerk after BSI TR-RESISCAN); filled by the intake."""

    channel: str = Field(default="unknown", description="scanner_inbox | web_upload | api | mail | unknown")
    device: str = Field(default="", description="scanner or client that produced the file")
    settings: dict[str, str] = Field(default_factory=dict, description="resolution, colour, duplex, OCR languages")
    pages_in: int | None = Field(default=None, ge=0, description="pages in the scanned file")
    blank_pages_dropped: tuple[int, ...] = Field(default=(), description="pages left out as blank")


class FilingRequest(Frozen):
    """One document found by the classifiers, ready to be filed. Objects are stored before this is built."""

    original_key: str = Field(description="object key of the original file (content address)")
    original_filename: str = Field(default="", description="display only; never used as a key or path")
    media_type: str = ""
    document_original_key: str | None = Field(
        default=None,
        description="object key of this document's own original (its pages cut losslessly from the scan); "
        "None: the scan is the document's original (only readers of every document of the scan get it)",
    )
    document: ExtractedDocument
    pages: tuple[PageText, ...] = Field(default=(), description="the pages of this document only")
    text_key: str | None = Field(default=None, description="object key of the OCR text JSON of these pages")
    searchable_pdf_key: str | None = None
    batch_id: str | None = None
    capture: CaptureInfo | None = Field(default=None, description="how the scan came in (scan evidence)")


class CandidateSummary(Frozen):
    """A person the document may belong to, with the score and the reasons of the matcher."""

    person_id: str
    score: float = Field(ge=0.0, le=1.0)
    reasons: tuple[str, ...] = ()
    display_name: str = ""


class FilingOutcome(Frozen):
    document_id: str
    status: FilingStatus
    person_id: str | None = None
    person_candidates: tuple[CandidateSummary, ...] = ()


class SearchHit(Frozen):
    document_id: str
    type: DocumentType
    status: str
    person_id: str | None = None
    person_name: str | None = None
    score: float = Field(description="higher is better; comparable within one result list only")
    snippet: str = Field("", description="a passage of the text (plain text; `marks` says what matched)")
    marks: tuple[tuple[int, int], ...] = Field((), description="[start, end) spans of `snippet` that matched")
    fields: tuple[HitField, ...] = Field((), description="fields the query matched, with their spans")
    filed_at: datetime


class FileRef(Frozen):
    """A stored file of a document: the original, the OCR text with positions, the searchable PDF."""

    kind: str = Field(description="original | scan | ocr_text | searchable_pdf | page_image")
    key: str
    media_type: str = ""


class VersionInfo(Frozen):
    """One version of a document's fields: version 1 is what intake extracted, later ones are corrections."""

    version: int = Field(ge=1)
    author: str
    created_at: datetime
    reason: str
    changed: tuple[str, ...] = Field(default=(), description="field names changed against the previous version")
    type: DocumentType | None = Field(default=None, description="the document type at this version")
    pages: tuple[int, ...] = Field(default=(), description="the pages held at this version (none: withdrawn)")
    kind: str = Field(default="correction", description="intake | correction | pages | withdrawn")


class MatterView(Frozen):
    """A Vorgang: the department and legal area a document is handled under."""

    id: str
    department: Department
    legal_area: LegalArea
    title: str = ""


class DocumentView(Frozen):
    id: str
    type: DocumentType
    status: str
    person_id: str | None
    person_name: str | None = Field(None, description='"SURNAME, Given names" of the person, if assigned and named')
    record_id: str | None
    matter: MatterView | None
    pages: tuple[int, ...]
    confidence: float
    review: bool
    notes: tuple[str, ...] = ()
    fields: dict[str, ExtractedField]
    version: int
    versions: tuple[VersionInfo, ...]
    files: tuple[FileRef, ...]
    original_filename: str = ""
    filed_by: str
    filed_at: datetime
    batch_id: str | None = None
    replaced_by: tuple[str, ...] = Field(default=(), description="a withdrawn document: where its pages went")
    media_type: str = Field(default="", description="media type of the scanned file the document was cut from")
    whole_scan_readable: bool = Field(
        default=False,
        description="the scan holds other documents too, and the reader may read every one (may download the scan)",
    )
    viz_mismatches: tuple[str, ...] = Field(default=(), description="fields the visual zone contradicts")
    mrz_checks: dict[str, bool] = Field(default_factory=dict, description="MRZ check digits by name")
    readings: dict[str, tuple[ExtractedField, ...]] = Field(
        default_factory=dict, description="identity documents: where each field was read, in the MRZ and the VIZ"
    )

    def to_contract(self) -> dict[str, object]:
        """The `dach show --json` shape."""
        return self.model_dump(mode="json")


class PersonIdentifier(Frozen):
    kind: str = Field(description="passport_number, id_card_number, residence_permit_number, file_number, ...")
    value: str
    issuing_state: str | None = None


class PersonView(Frozen):
    id: str
    surname: str
    given_names: str
    surname_original: str | None = Field(default=None, description="in the original script, if not Latin")
    given_names_original: str | None = None
    aliases: tuple[str, ...] = ()
    birth_date: str | None = None
    nationality: str | None = None
    sex: str | None = None
    identifiers: tuple[PersonIdentifier, ...] = ()

    @property
    def display_name(self) -> str:
        return f"{self.surname}, {self.given_names}".strip(", ")


class DocumentSummary(Frozen):
    id: str
    type: DocumentType
    status: str
    filed_at: datetime
    matter_id: str | None = None
    pages: tuple[int, ...] = ()
    expiry_date: str | None = Field(default=None, description="identity documents and permits: 'gültig bis'")


class RecordView(Frozen):
    """The Akte of one person, with the documents the reader may see (others are left out, not hinted at)."""

    record_id: str
    file_number: str = Field(description="Aktenzeichen of the record")
    person: PersonView
    matters: tuple[MatterView, ...] = ()
    documents: tuple[DocumentSummary, ...] = ()


class AuditEntry(Frozen):
    seq: int
    at: datetime
    actor: str
    role: str
    department: str
    action: str
    object_type: str
    object_id: str | None
    person_id: str | None
    purpose: str | None
    details: dict[str, object] = Field(default_factory=dict)
    hash: str


class AuditReport(Frozen):
    ok: bool
    entries: int
    head_seq: int
    head_hash: str
    anchored_seq: int = Field(description="the newest chain head found anchored in the object store")
    problems: tuple[str, ...] = ()


class ObjectProblem(Frozen):
    """An object the record points at that the object store lacks or holds damaged (`dach audit verify`)."""

    key: str
    problem: str = Field(description="missing | damaged")
    rows: tuple[str, ...] = Field(default=(), description="the rows that point at it, e.g. 'document doc_… original'")


class UserView(Frozen):
    name: str
    role: Role
    department: Department
    created_at: datetime
    active: bool = True


class QuarantineView(Frozen):
    id: str
    original_name: str
    error_code: str
    error_message: str
    object_key: str | None
    batch_id: str | None
    created_at: datetime


class DeletionStatus(StrEnum):
    PENDING = "pending"
    EXECUTED = "executed"
    REJECTED = "rejected"  # the second administrator said no, with a reason
    WITHDRAWN = "withdrawn"  # the requester took it back


class DeletionRequestView(Frozen):
    """A request to delete a document after its retention; a second archive administrator must approve it."""

    id: str
    document_id: str
    reason: str
    requested_by: str
    requested_at: datetime
    status: DeletionStatus
    approved_by: str | None = None
    decision_note: str = Field(default="", description="why it was rejected or withdrawn")


# --- moving pages between documents (split, merge, one page) --------------------------------------------


class DocumentLayout(Frozen):
    """One document as a page move leaves it: the pages it holds and what they say.

    `document` is what the classifiers find on these pages (type, fields with provenance, notes); storage
    keeps the fields a clerk corrected by hand over it. Objects (`text_key`, `searchable_pdf_key`) are
    stored before the request is made, as for filing.
    """

    document_id: str | None = Field(default=None, description="an existing document that keeps its id; None: new")
    document: ExtractedDocument
    pages: tuple[PageText, ...] = Field(default=(), description="the OCR text of these pages (for search)")
    text_key: str | None = None
    searchable_pdf_key: str | None = None
    original_key: str | None = Field(default=None, description="the document's own original (its pages of the scan)")


class RestructureRequest(Frozen):
    """The pages of one scanned original put into documents anew: split, merge, or one page moved.

    Every document the change touches is listed in `expected_pages` with the pages the plan was made from
    (if one has changed meanwhile, the request fails with `Conflict`). A touched document that no layout keeps
    is withdrawn: its history stays, it leaves the record and the search. No page may be dropped.
    """

    original_key: str
    expected_pages: dict[str, tuple[int, ...]] = Field(min_length=1)
    layouts: tuple[DocumentLayout, ...] = Field(min_length=1)
    reason: str = Field(min_length=1, max_length=500)
    batch_id: str | None = Field(default=None, description="intake re-filing documents of its own running batch")


class RestructuredDocument(Frozen):
    document_id: str
    status: FilingStatus
    type: DocumentType
    pages: tuple[int, ...]
    person_id: str | None = None
    readable: bool = Field(description="whether the actor may still read it (the front desk loses filed ones)")
    notes: tuple[str, ...] = ()


class RestructureOutcome(Frozen):
    documents: tuple[RestructuredDocument, ...] = Field(description="one per layout, in the request's order")
    withdrawn: tuple[str, ...] = ()
