"""The archive lifecycle screens: transfers to the public archive (offer, appraisal, hand-over, confirmation),
held documents, actions on documents picked from a record, rejecting or withdrawing deletion requests, the
audit log filtered, paged and as CSV.

Storage decides and records everything (`storage.lifecycle.Lifecycle`); these routes collect intent and show
the outcome. A refused approval is answered with its reason in German (hold, retention until …, a transfer).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import cast

from fastapi import APIRouter, Depends, Form, Query, Request, UploadFile
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from schemas.archive import AuditFilter, DocumentArchiveFacts
from schemas.errors import AccessDenied, DachError, InvalidRequest, NotFound
from schemas.record import Actor
from schemas.strings_de import T
from storage.archive import Archive
from storage.lifecycle import Lifecycle
from web.deps import archive, render, require
from web.policy import Capability

router = APIRouter()
MAX_MESSAGE_BYTES = 64 * 1024 * 1024
AUDIT_PAGE = 50
NO_FILTER = {"who": "", "what": "", "person": "", "document": "", "since": "", "until": ""}


def lifecycle(request: Request) -> Lifecycle:
    return Lifecycle(cast(Archive, archive(request)))


def document_facts(request: Request, document_id: str, actor: Actor) -> DocumentArchiveFacts | None:
    """Hold, retention and scan evidence for the document page (None where storage has none to give)."""
    try:
        return lifecycle(request).document_facts(document_id, actor)
    except (AccessDenied, NotFound, TypeError):
        return None


def refusal_reason(facts: DocumentArchiveFacts | None) -> str:
    """Why a deletion cannot be approved, in words an administrator can act on."""
    if facts is None:
        return T["archive.refused_gone"]
    if facts.legal_hold:
        return T["archive.refused_hold"]
    if facts.retain_until is not None and facts.retain_until > datetime.now(facts.retain_until.tzinfo):
        return T["archive.refused_retention"].format(date=facts.retain_until.strftime("%d.%m.%Y"))
    if facts.transfer_block:
        return T["archive.refused_transfer"]
    return T["archive.refused_other"]


def _page(request: Request, actor: Actor, error: str | None = None) -> Response:
    life = lifecycle(request)
    return render(
        request,
        "archive.html",
        status_code=200 if error is None else 400,
        transfers=life.transfers(actor),
        held=life.held_documents(actor),
        due=len(life.due(actor)),
        message=request.query_params.get("done"),
        error=error,
    )


@router.get("/admin/archive")
def overview(request: Request, actor: Actor = Depends(require(Capability.ARCHIVE))) -> Response:
    return _page(request, actor)


@router.post("/admin/archive/offer")
def offer(request: Request, actor: Actor = Depends(require(Capability.ARCHIVE))) -> Response:
    try:
        lifecycle(request).offer(actor)
    except NotFound:
        return _page(request, actor, error=T["archive.nothing_due"])
    return RedirectResponse("/admin/archive?done=offered", status_code=303)


async def _message(upload: UploadFile) -> bytes:
    data = await upload.read(MAX_MESSAGE_BYTES + 1)
    if len(data) > MAX_MESSAGE_BYTES:
        raise InvalidRequest("the message is larger than 64 MiB.")
    return data


async def _read_message(
    request: Request, message: UploadFile, actor: Actor, read: Callable[[bytes, Actor], object], done: str
) -> Response:
    """Read an archive's answer (0502 appraisal, 0506 confirmation); a rejected one is shown with its reason."""
    try:
        read(await _message(message), actor)
    except DachError as exc:
        return _page(request, actor, error=T["archive.message_rejected"].format(reason=exc.message))
    return RedirectResponse(f"/admin/archive?done={done}", status_code=303)


@router.post("/admin/archive/appraisal")
async def appraisal(
    request: Request, message: UploadFile, actor: Actor = Depends(require(Capability.ARCHIVE))
) -> Response:
    return await _read_message(request, message, actor, lifecycle(request).read_appraisal, "appraised")


@router.post("/admin/archive/handover")
def handover(
    request: Request, process_id: str = Form(max_length=36), actor: Actor = Depends(require(Capability.ARCHIVE))
) -> Response:
    outbox = request.app.state.settings.data_dir / "xdomea" / "outbox"
    try:
        lifecycle(request).handover(outbox, actor, process_id)
    except DachError as exc:
        return _page(request, actor, error=exc.message)
    return RedirectResponse("/admin/archive?done=handed_over", status_code=303)


@router.get("/admin/archive/transfers/{process_id}/zip")
def handover_zip(request: Request, process_id: str, actor: Actor = Depends(require(Capability.ARCHIVE))) -> Response:
    """The 0503 ZIP of a transfer (written by the hand-over into the outbox; the name is built here)."""
    views = {v.id: v for v in lifecycle(request).transfers(actor)}
    if process_id not in views or "0503" not in views[process_id].messages:
        raise NotFound(f"transfer {process_id} has not been handed over.")
    lifecycle(request).authorise_handover_download(actor, process_id)
    name = f"{process_id}_Aussonderung.Aussonderung.0503.zip"
    path = request.app.state.settings.data_dir / "xdomea" / "outbox" / name
    if not path.is_file():
        raise NotFound("the hand-over ZIP is no longer in the outbox; hand the transfer over again.")
    return Response(
        path.read_bytes(),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/admin/archive/transfers/{process_id}/{code}.xml")
def message_xml(
    request: Request, process_id: str, code: str, actor: Actor = Depends(require(Capability.ARCHIVE))
) -> Response:
    views = {v.id: v for v in lifecycle(request).transfers(actor)}
    key = views[process_id].messages.get(code) if process_id in views else None
    if key is None:
        raise NotFound(f"transfer {process_id} has no {code} message.")
    return Response(
        archive(request).get_object(key),
        media_type="application/xml",
        headers={"Content-Disposition": f'attachment; filename="{process_id}_{code}.xml"'},
    )


@router.post("/admin/archive/confirm")
async def confirm(
    request: Request, message: UploadFile, actor: Actor = Depends(require(Capability.ARCHIVE))
) -> Response:
    return await _read_message(request, message, actor, lifecycle(request).read_confirmation, "confirmed")


@router.post("/admin/archive/documents")
def act_on_documents(
    request: Request,
    document_ids: list[str] = Form(default=[]),
    action: str = Form(pattern="^(hold|release|delete)$"),
    reason: str = Form(min_length=1, max_length=500),
    back: str = Form("/admin/archive", max_length=200),
    actor: Actor = Depends(require(Capability.ARCHIVE)),
) -> Response:
    """Hold, release or request deletion of documents picked from a record or the search results."""
    store = archive(request)
    for document_id in dict.fromkeys(d.strip() for d in document_ids if d.strip()):
        if action == "delete":
            store.request_deletion(document_id, reason.strip(), actor)
        else:
            store.set_legal_hold(document_id, action == "hold", reason.strip(), actor)
    target = back if back.startswith("/") and not back.startswith("//") else "/admin/archive"
    joiner = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{joiner}done={action}", status_code=303)


@router.post("/admin/deletions/{request_id}/reject")
def reject(
    request: Request,
    request_id: str,
    reason: str = Form(min_length=1, max_length=500),
    actor: Actor = Depends(require(Capability.ARCHIVE)),
) -> Response:
    lifecycle(request).reject_deletion(request_id, reason, actor)
    return RedirectResponse("/admin?done=rejected", status_code=303)


@router.post("/admin/deletions/{request_id}/withdraw")
def withdraw(request: Request, request_id: str, actor: Actor = Depends(require(Capability.ARCHIVE))) -> Response:
    lifecycle(request).withdraw_deletion(request_id, actor)
    return RedirectResponse("/admin?done=withdrawn", status_code=303)


def _filter(
    who: str, what: str, person: str, document: str, since: date | None, until: date | None, page: int
) -> AuditFilter:
    return AuditFilter(
        actor=who.strip() or None,
        action=what.strip() or None,
        person_id=person.strip() or None,
        document_id=document.strip() or None,
        since=datetime.combine(since, time.min).astimezone() if since else None,
        until=datetime.combine(until, time.max).astimezone() if until else None,
        offset=(page - 1) * AUDIT_PAGE,
        limit=AUDIT_PAGE,
    )


@router.get("/admin/audit")
def audit_log(
    request: Request,
    who: str = Query("", max_length=120),
    what: str = Query("", max_length=30),
    person: str = Query("", max_length=32),
    document: str = Query("", max_length=80),
    since: date | None = Query(None),
    until: date | None = Query(None),
    page: int = Query(1, ge=1, le=100_000),
    actor: Actor = Depends(require(Capability.AUDIT)),
) -> Response:
    query = _filter(who, what, person, document, since, until, page)
    params: dict[str, object] = {
        "who": who,
        "what": what,
        "person": person,
        "document": document,
        "since": since or "",
        "until": until or "",
    }
    return render_audit(request, actor, query, params)


def render_audit(
    request: Request, actor: Actor, query: AuditFilter, params: dict[str, object], report: object = None
) -> Response:
    """The audit page; a role that may verify the chain but not read it sees the verification only."""
    try:
        found = lifecycle(request).audit_page(actor, query)
    except AccessDenied:
        return render(request, "audit.html", audit=None, report=report, params=params, page=1, pages=1)
    pages = max(1, -(-found.total // AUDIT_PAGE))
    page = query.offset // AUDIT_PAGE + 1
    return render(request, "audit.html", audit=found, report=report, params=params, page=page, pages=pages)


@router.get("/admin/audit.csv")
def audit_csv(
    request: Request,
    who: str = Query("", max_length=120),
    what: str = Query("", max_length=30),
    person: str = Query("", max_length=32),
    document: str = Query("", max_length=80),
    since: date | None = Query(None),
    until: date | None = Query(None),
    actor: Actor = Depends(require(Capability.AUDIT)),
) -> Response:
    text = lifecycle(request).audit_csv(actor, _filter(who, what, person, document, since, until, 1))
    return Response(
        "\ufeff" + text,  # a byte-order mark so spreadsheet programs read the umlauts right
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="protokoll.csv"'},
    )
