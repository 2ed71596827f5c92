"""The review screen: the page image with every field's box, the fields to correct, the person to confirm,
and the pages to move between documents of the same scan.

Saving writes a correction through `storage.correct_document` — a new version with author, time and
reason; nothing is overwritten. Only changed fields are sent. Choosing another person goes through the
facade's person assignment. Moving pages (split off into a new document, or into another document of the
scan) goes through `storage.page_moves.move_pages`, which reads both parts again and files them as versions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, cast

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from schemas.documents import DocumentType, ExtractedField, FieldValue, fields_for
from schemas.errors import InvalidRequest
from schemas.record import Actor, CandidateSummary, DocumentSummary, DocumentView
from schemas.settings import Settings
from schemas.strings_de import T, german_date
from storage.page_moves import move_pages
from web.deps import archive, render, require
from web.inbox_port import inbox
from web.policy import Capability
from web.zones import field_zones

router = APIRouter(prefix="/documents")
FIELD_PREFIX = "field."


_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def display_value(value: FieldValue) -> str:
    """A field value as the screens show it: yes/no, lists joined, ISO dates as German dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return T["common.yes"] if value else T["common.no"]
    if isinstance(value, list):
        return "; ".join(value)
    return german_date(value)


def parse_value(text: str, old: FieldValue) -> FieldValue:
    """The form's text back into the field's shape (lists split on ';', yes/no for booleans, a German date
    back to ISO where the field held an ISO date)."""
    text = text.strip()
    german = _GERMAN_DATE.match(text)
    if german and isinstance(old, str) and german_date(old) != old:
        return f"{german.group(3)}-{int(german.group(2)):02d}-{int(german.group(1)):02d}"
    if isinstance(old, bool):
        return text == T["common.yes"]
    if isinstance(old, list):
        return [part.strip() for part in text.split(";") if part.strip()]
    return text or None


def field_rows(view: DocumentView) -> list[tuple[str, ExtractedField | None]]:
    """Every field of the document's type in the standard order (the ones storage lets a reviewer correct),
    then any other field the classifier found (shown, not editable)."""
    names = list(fields_for(view.type)) + [n for n in view.fields if n not in fields_for(view.type)]
    return [(name, view.fields.get(name)) for name in names]


def candidates(request: Request, view: DocumentView, actor: Actor) -> list[CandidateSummary]:
    """The matcher's candidates for a document awaiting review (a filed document keeps its person)."""
    if view.status != "needs_review":
        return []
    return list(archive(request).person_candidates(view.id, actor))


def changed_fields(view: DocumentView, form: Mapping[str, Any]) -> dict[str, FieldValue]:
    changes: dict[str, FieldValue] = {}
    for name, current in field_rows(view):
        if name not in fields_for(view.type):
            continue
        sent = form.get(FIELD_PREFIX + name)
        if not isinstance(sent, str):
            continue
        old = current.value if current is not None else None
        if sent.strip() != display_value(old).strip():
            # a date field typed the German way is kept as ISO, like the dates recognition reads
            changes[name] = parse_value(sent, "1970-01-01" if old is None and name.endswith("_date") else old)
    return changes


def siblings(request: Request, view: DocumentView, actor: Actor) -> list[DocumentSummary]:
    """The other documents of the same scan the reader may see (where pages may go)."""
    if view.status == "withdrawn":
        return []
    return list(archive(request).sibling_documents(view.id, actor))


def review_page(
    request: Request,
    view: DocumentView,
    actor: Actor,
    status_code: int = 200,
    message: str | None = None,
    error: str | None = None,
) -> Response:
    return render(
        request,
        "review.html",
        status_code=status_code,
        doc=view,
        rows=field_rows(view),
        zones=field_zones(view),
        candidates=candidates(request, view, actor),
        siblings=siblings(request, view, actor),
        display_value=display_value,
        page_list=page_list,
        message=message,
        error=error,
        document_types=list(DocumentType),
    )


def page_list(pages: Sequence[int]) -> str:
    return ", ".join(str(p) for p in pages)


MESSAGES = {
    "saved": "review.saved",
    "moved": "move.done",
    "assigned": "review.person_assigned",
    "retyped": "review.type_saved",
}


@router.get("/{document_id}/review")
def review(request: Request, document_id: str, actor: Actor = Depends(require(Capability.REVIEW))) -> Response:
    view = archive(request).get_document(document_id, actor)
    done = next((T[key] for name, key in MESSAGES.items() if request.query_params.get(name)), None)
    return review_page(request, view, actor, message=done)


@router.post("/{document_id}/correct")
async def correct(request: Request, document_id: str, actor: Actor = Depends(require(Capability.REVIEW))) -> Response:
    form = await request.form()
    return await run_in_threadpool(save_correction, request, document_id, dict(form), actor)


def save_correction(request: Request, document_id: str, form: Mapping[str, Any], actor: Actor) -> Response:
    store = archive(request)
    view = store.get_document(document_id, actor)
    reason = str(form.get("reason") or "").strip()
    changes = changed_fields(view, form)
    if not changes:
        return review_page(request, view, actor, status_code=400, error=T["review.nothing_changed"])
    if not reason:
        return review_page(request, view, actor, status_code=400, error=T["review.reason_missing"])
    store.correct_document(document_id, changes, reason[:500], actor)
    return RedirectResponse(f"/documents/{document_id}/review?saved=1", status_code=303)


@router.post("/{document_id}/pages/move")
async def move(request: Request, document_id: str, actor: Actor = Depends(require(Capability.REVIEW))) -> Response:
    form = await request.form()
    pages = [int(p) for p in form.getlist("pages") if isinstance(p, str) and p.isdigit()][:MAX_PAGES]
    target = str(form.get("target") or NEW_DOCUMENT)[:64]
    reason = str(form.get("move_reason") or "").strip()[:500]
    return await run_in_threadpool(move_and_show, request, document_id, pages, target, reason, actor)


MAX_PAGES = 500
NEW_DOCUMENT = "new"


def move_and_show(
    request: Request, document_id: str, pages: list[int], target: str, reason: str, actor: Actor
) -> Response:
    """Move the pages, then show the first resulting document the user may still see (the front desk no
    longer sees a document once it is filed)."""
    store = archive(request)
    view = store.get_document(document_id, actor)
    store.authorise_page_move([view.id], actor)  # refuse before telling what is missing from the form
    if not pages or not reason:
        key = "move.no_pages" if not pages else "move.reason_missing"
        return review_page(request, view, actor, status_code=400, error=T[key])
    settings = cast(Settings, request.app.state.settings)
    outcome = move_pages(
        store,
        document_id,
        pages,
        None if target == NEW_DOCUMENT else target,
        reason,
        actor,
        review_threshold=settings.review_threshold,
    )
    shown = next((d.document_id for d in outcome.documents if d.readable), None)
    if shown is None:
        return RedirectResponse("/intake?moved=1", status_code=303)
    return RedirectResponse(f"/documents/{shown}/review?moved=1", status_code=303)


@router.post("/{document_id}/type")
def retype(
    request: Request,
    document_id: str,
    doc_type: str = Form(max_length=40),
    reason: str = Form(min_length=1, max_length=500),
    actor: Actor = Depends(require(Capability.REVIEW)),
) -> Response:
    """A document read as the wrong type gets its right one (the front desk on what it filed itself while it
    awaits review; storage checks and audits)."""
    try:
        new_type = DocumentType(doc_type)
    except ValueError as exc:
        raise InvalidRequest(f"no document type {doc_type!r}") from exc
    inbox(request).retype_document(document_id, new_type, reason.strip(), actor)
    return RedirectResponse(f"/documents/{document_id}/review?retyped=1", status_code=303)


@router.post("/{document_id}/person")
def assign_person(
    request: Request,
    document_id: str,
    person_id: str = Form(max_length=64),
    reason: str = Form("", max_length=500),
    actor: Actor = Depends(require(Capability.REVIEW)),
) -> Response:
    view = archive(request).assign_person(document_id, person_id, reason.strip() or T["review.choose_person"], actor)
    if view is None:  # the front desk filed what it scanned: it is the department's now, no longer its to see
        return RedirectResponse("/intake", status_code=303)
    return RedirectResponse(f"/documents/{document_id}/review?assigned=1", status_code=303)
