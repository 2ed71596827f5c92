"""Departments: search, a person's record (Akte) grouped by matter, a document with pages and downloads.

Every read goes through `storage`, which filters by the reader's department and audits it. The web layer
adds presentation only: grouping by matter (Vorgang), newest first, and flags on identity documents and
residence permits that have expired or expire within `EXPIRY_WARNING_DAYS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from schemas.documents import MRZ_TYPES
from schemas.record import Actor, DocumentSummary, MatterView, RecordView
from web import downloads as downloads_of
from web import pages
from web.deps import archive, render, require
from web.policy import Capability
from web.routes.archive import document_facts
from web.routes.review import display_value, field_rows
from web.zones import field_zones

router = APIRouter()
EXPIRY_WARNING_DAYS = 90


def parse_date(value: object) -> date | None:
    """A field date as ISO (2031-05-14) or German (14.05.2031); None if it is neither."""
    if not isinstance(value, str):
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class DocumentRow:
    summary: DocumentSummary
    expires: date | None
    expired: bool
    expires_soon: bool


@dataclass(frozen=True)
class MatterGroup:
    matter: MatterView | None
    rows: list[DocumentRow]


def expiry_of(summary: DocumentSummary) -> date | None:
    """When an identity document or permit expires (storage hands the date over with the record)."""
    return parse_date(summary.expiry_date) if summary.type in MRZ_TYPES else None


def group_by_matter(record: RecordView, today: date) -> list[MatterGroup]:
    """The record's documents by matter, newest first within a matter, matters by their newest document."""
    by_id = {m.id: m for m in record.matters}
    groups: dict[str | None, list[DocumentRow]] = {}
    for summary in sorted(record.documents, key=lambda d: d.filed_at, reverse=True):
        expires = expiry_of(summary)
        row = DocumentRow(
            summary,
            expires,
            expired=expires is not None and expires < today,
            expires_soon=expires is not None and today <= expires <= today + timedelta(days=EXPIRY_WARNING_DAYS),
        )
        groups.setdefault(summary.matter_id, []).append(row)
    return [MatterGroup(by_id.get(matter_id) if matter_id else None, rows) for matter_id, rows in groups.items()]


@router.get("/persons/{person_id}")
def person_record(request: Request, person_id: str, actor: Actor = Depends(require(Capability.READ))) -> Response:
    record = archive(request).get_person_record(person_id, actor)
    groups = group_by_matter(record, date.today())
    return render(request, "record.html", record=record, groups=groups)


@router.get("/documents/{document_id}")
def document(request: Request, document_id: str, actor: Actor = Depends(require(Capability.READ))) -> Response:
    view = archive(request).get_document(document_id, actor)
    downloads = downloads_of.offered(view)
    rows = [(name, f) for name, f in field_rows(view) if f is not None]
    facts = document_facts(request, document_id, actor)  # hold, retention, scan evidence
    return render(
        request,
        "document.html",
        doc=view,
        downloads=downloads,
        rows=rows,
        zones=field_zones(view),
        display_value=display_value,
        facts=facts,
    )


@router.get("/documents/{document_id}/pages/{page}.png")
def page_image(
    request: Request,
    document_id: str,
    page: int,
    w: int = Query(300, ge=64, le=pages.MAX_WIDTH),
    actor: Actor = Depends(require(Capability.READ)),
) -> Response:
    store = archive(request)
    view = store.get_document(document_id, actor)
    png = pages.page_png(store, view, page, w)
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=300"})


@router.get("/documents/{document_id}/download/{which}")
def download(
    request: Request, document_id: str, which: str, actor: Actor = Depends(require(Capability.DOWNLOAD))
) -> Response:
    store = archive(request)
    data, media_type, disposition = downloads_of.download(store, store.get_document(document_id, actor), which, actor)
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})
