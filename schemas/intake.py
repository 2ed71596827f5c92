"""Shapes of an intake batch as the flows report it to the CLI, the web app and the API."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from schemas.documents import DocumentType, ErrorInfo, Frozen


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
