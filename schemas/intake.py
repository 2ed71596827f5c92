"""Shapes of an intake batch as the flows report it to the CLI, the web app and the API."""

from __future__ import annotations

import os
from enum import StrEnum
from typing import Any

from pydantic import Field

from schemas.documents import DocumentType, ErrorInfo, Frozen, PageText
from schemas.record import Actor


class IntakeStatus(StrEnum):
    FILED = "filed"
    NEEDS_REVIEW = "needs_review"
    DUPLICATE = "duplicate"
    QUARANTINED = "quarantined"


class IntakeItem(Frozen):
    """One outcome of a batch: a document filed (or not), or a whole file quarantined."""

    file: str = Field(description="the input path as given (display only, never used as a key)")
    status: IntakeStatus
    document_id: str | None = None
    type: DocumentType | None = None
    pages: tuple[int, ...] = ()
    person_id: str | None = None
    person_name: str | None = Field(default=None, description='"SURNAME, Given names"; only for a reader of it')
    quarantine_id: str | None = None
    error: ErrorInfo | None = None
    review_notes: tuple[str, ...] = ()


class BatchReport(Frozen):
    batch_id: str
    items: tuple[IntakeItem, ...]
    dropped_pages: dict[str, tuple[int, ...]] = Field(default_factory=dict, description="blank/separator pages")
    seconds: float = 0.0

    def count(self, status: IntakeStatus) -> int:
        return sum(1 for item in self.items if item.status is status)


# --- the intake door and its queue -------------------------------------------------------------------


class IntakeChannel(StrEnum):
    """How a file came in: every channel goes through the same door (`Archive.admit`)."""

    WEB = "web"
    API = "api"
    SCANNER = "scanner"
    CLI = "cli"
    MAIL = "mail"


class AdmissionStatus(StrEnum):
    QUEUED = "queued"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


class FileState(StrEnum):
    """Where an admitted file is on its way into the record (kept in the intake table of the database)."""

    QUEUED = "queued"
    RUNNING = "running"
    FILED = "filed"
    NEEDS_REVIEW = "needs_review"
    QUARANTINED = "quarantined"


class Upload(Frozen):
    """One file handed in: its bytes and the name it came with (display only, never a path or key).

    `raw_name` keeps a name that is not valid UTF-8 (a scanner's or a mail client's bytes) exactly."""

    name: str = Field(max_length=1000)
    data: bytes = Field(repr=False)
    raw_name: bytes | None = Field(default=None, repr=False)
    label: str | None = Field(default=None, description="how the batch lists it (the CLI: the path as given)")
    size: int | None = Field(default=None, description="set when `data` was not read: the file is over the limit")
    sha256: str | None = Field(default=None, description="set with `size`: the digest, streamed from the file")
    refused: ErrorInfo | None = Field(
        default=None, description="set when the channel would not read it (a link, a device): rejected as is"
    )

    @classmethod
    def from_os_name(cls, name: str, data: bytes, **more: Any) -> Upload:
        """A file named by the file system, whose name may hold bytes that are not UTF-8 (surrogate escapes)."""
        raw = os.fsencode(name)
        return cls(name=raw.decode("utf-8", "replace"), raw_name=raw, data=data, **more)


class FileAdmission(Frozen):
    """The door's answer for one file (`dach submit --json` prints these)."""

    file: str
    sha256: str
    status: AdmissionStatus
    error: ErrorInfo | None = None


class BatchAdmission(Frozen):
    batch_id: str
    files: tuple[FileAdmission, ...]


class DocumentBrief(Frozen):
    """A document made from an intake file, as its batch shows it to the one who handed the file in."""

    id: str
    type: DocumentType
    pages: tuple[int, ...]
    status: str
    person_id: str | None = None
    person_name: str | None = Field(default=None, description="only where the one asking may read the document")
    review_notes: tuple[str, ...] = ()


class FileProgress(Frozen):
    file: str
    sha256: str
    status: FileState
    documents: tuple[DocumentBrief, ...] = ()
    error: ErrorInfo | None = None
    quarantine_id: str | None = None
    attempts: int = 0
    page_count: int = 0
    object_key: str | None = Field(default=None, description="the stored original (for previews)")


class BatchProgress(Frozen):
    """A batch as the database knows it, wherever its files are read (web, API, `dach batch --json`)."""

    batch_id: str
    created_by: str
    channel: str
    files: tuple[FileProgress, ...]

    @property
    def finished(self) -> bool:
        return all(f.status not in (FileState.QUEUED, FileState.RUNNING) for f in self.files)


class IntakeClaim(Frozen):
    """A file a worker holds a lease on: what the intake flow needs to read and file it."""

    sha256: str
    object_key: str
    original_name: str
    batch_id: str
    uploader: Actor
    attempt: int
    media_type: str = ""
    page_count: int = 0
    channel: str = "unknown"


class ReadPage(Frozen):
    """One page of an intake file as read: its text with positions and its searchable-PDF page (stored)."""

    text: PageText
    pdf_key: str | None = None
