"""Shapes of the archive lifecycle: what an xdomea message carries, transfers to the archive, scan evidence.

`storage/` builds these from the record and hands them to the xdomea writer (`storage/xdomea/build.py`), and
the reader turns received messages back into them; the CLI and the web app show the views.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from schemas.documents import Frozen
from schemas.record import AuditEntry, PersonView


class ExportVersion(Frozen):
    """One version of a document's fields, as written to `HistorienProtokollInformation`."""

    version: int
    author: str
    created_at: datetime
    reason: str
    kind: str = "correction"
    type: str | None = None
    pages: tuple[int, ...] = ()
    fields: dict[str, object] = Field(default_factory=dict, description="field name -> extracted field (JSON)")


class ExportFile(Frozen):
    """A file handed over: its name inside the ZIP (`<uuid>_<name>`), and where its bytes are."""

    name: str
    object_key: str
    media_type: str
    format_code: str = Field(description="xdomea Dateiformat code")
    format_version: str = ""
    original_name: str = ""


class ExportDocument(Frozen):
    id: str
    uuid: str
    type: str
    title: str
    status: str
    filed_at: datetime
    filed_by: str
    confidence: float
    version: int
    pages: tuple[int, ...] = ()
    fields: dict[str, str] = Field(default_factory=dict, description="current field values as text")
    versions: tuple[ExportVersion, ...] = ()
    primary: tuple[ExportFile, ...] = Field(default=(), description="the rendition(s) in the version's formats")
    evidence: ExportFile | None = Field(default=None, description="the sealed scan evidence (Transfervermerk)")
    retain_until: datetime | None = None
    legal_hold: bool = False


class ExportMatter(Frozen):
    id: str
    uuid: str
    department: str
    legal_area: str
    title: str
    documents: tuple[ExportDocument, ...] = ()


class ExportRecord(Frozen):
    """A record (Akte) as handed over: the person, the matters (Vorgänge) and their documents."""

    id: str
    uuid: str
    file_number: str
    person: PersonView
    created_at: datetime
    matters: tuple[ExportMatter, ...] = ()
    history: tuple[tuple[str, str, datetime, str], ...] = Field(
        default=(), description="(action, actor, at, note) entries of the record's audit that travel with it"
    )

    @property
    def documents(self) -> tuple[ExportDocument, ...]:
        return tuple(d for m in self.matters for d in m.documents)


class Appraisal(StrEnum):
    """The archive's decision per object (xdomea Aussonderungsart: A archivieren, B bewerten, V vernichten)."""

    ARCHIVE = "A"
    REVIEW = "B"
    DESTROY = "V"


class TransferStatus(StrEnum):
    OFFERED = "offered"  # 0501 sent
    APPRAISED = "appraised"  # 0502 read
    HANDED_OVER = "handed_over"  # 0503 written
    CONFIRMED = "confirmed"  # 0506 read


class TransferObjectView(Frozen):
    uuid: str
    record_id: str | None
    file_number: str = ""
    person_name: str = ""
    documents: int = 0
    appraisal: Appraisal | None = None
    imported: bool | None = None
    archive_id: str | None = None
    error: str = ""


class TransferView(Frozen):
    """One Aussonderung (xdomea process), from the offer to the import confirmation."""

    id: str = Field(description="xdomea ProzessID (UUID)")
    status: TransferStatus
    created_by: str
    created_at: datetime
    updated_at: datetime
    objects: tuple[TransferObjectView, ...] = ()
    messages: dict[str, str] = Field(default_factory=dict, description="message code -> object key")


class Handover(Frozen):
    """A written 0503 (or 0401) ZIP."""

    process_id: str
    zip_path: str
    documents: int
    seconds: float = 0.0
    pdfa_seconds: float = Field(default=0.0, description="of which spent making PDF/A renditions")


class ImportedRecord(Frozen):
    person_id: str
    documents: tuple[str, ...]
    unmapped: tuple[str, ...] = Field(default=(), description="what could not be mapped (kept in the notes)")


class VerifyFailure(Frozen):
    id: str
    reason: str


class VerifyReport(Frozen):
    checked: int
    failed: tuple[VerifyFailure, ...] = ()


class SweepReport(Frozen):
    """What one run of the scheduled retention sweep did."""

    holds_checked: int
    holds_repaired: int
    offered: tuple[str, ...] = ()
    process_id: str | None = None


class AuditFilter(Frozen):
    """Which audit entries to show: all given conditions hold; newest first, `limit` from `offset`."""

    actor: str | None = Field(default=None, max_length=120)
    action: str | None = Field(default=None, max_length=30)
    person_id: str | None = Field(default=None, max_length=32)
    document_id: str | None = Field(default=None, max_length=80)
    since: datetime | None = None
    until: datetime | None = None
    offset: int = Field(default=0, ge=0)
    limit: int = Field(default=50, ge=1, le=1000)


class AuditRow(Frozen):
    entry: AuditEntry
    person_name: str = ""
    document_type: str = ""


class AuditPage(Frozen):
    rows: tuple[AuditRow, ...]
    total: int
    filter: AuditFilter
    actions: tuple[str, ...] = ()


class EvidenceSummary(Frozen):
    """What the document page shows of the sealed scan evidence."""

    scanned_by: str
    filed_at: str
    channel: str
    device: str = ""
    original_sha256: str
    quality: dict[str, object] = Field(default_factory=dict)
    key_id: str = ""
    timestamp_at: str = ""
    problem: str | None = Field(default=None, description="None when seal, timestamp and hashes hold")


class DocumentArchiveFacts(Frozen):
    """Hold, retention and evidence of one document (for its page and for a refused deletion)."""

    document_id: str
    legal_hold: bool
    retain_until: datetime | None
    transfer_block: str | None = None
    evidence: EvidenceSummary | None = None


class HeldDocument(Frozen):
    document_id: str
    type: str
    person_id: str | None
    person_name: str
    retain_until: datetime | None
