"""Archive administration: retention rules, legal holds, four-eyes deletion, audit log, integrity.

Storage decides and records everything (who may, the second approver, holds and retention periods that
block a deletion); these pages only collect the administrator's intent and show the outcome. The page also
hides the approve button on one's own request, so the four-eyes rule is visible before it is enforced.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from schemas.archive import AuditFilter
from schemas.errors import InvalidRequest
from schemas.record import Actor
from schemas.strings_de import T
from web.deps import archive, render, require
from web.policy import Capability

router = APIRouter(prefix="/admin")


def _overview(request: Request, actor: Actor, *, status_code: int = 200, refused: str | None = None) -> Response:
    store = archive(request)
    return render(
        request,
        "admin.html",
        status_code=status_code,
        retention=store.retention_rules(),
        deletions=store.deletion_requests(actor),
        quarantine=store.list_quarantine(actor, limit=50),
        message=request.query_params.get("done"),
        refused=refused,
    )


@router.get("")
def overview(request: Request, actor: Actor = Depends(require(Capability.ARCHIVE))) -> Response:
    return _overview(request, actor)


@router.post("/legal-hold")
def legal_hold(
    request: Request,
    document_id: str = Form(max_length=64),
    reason: str = Form(min_length=1, max_length=500),
    hold: bool = Form(True),
    actor: Actor = Depends(require(Capability.ARCHIVE)),
) -> Response:
    archive(request).set_legal_hold(document_id.strip(), hold, reason.strip(), actor)
    return RedirectResponse("/admin?done=hold", status_code=303)


@router.post("/deletions")
def request_deletion(
    request: Request,
    document_id: str = Form(max_length=64),
    reason: str = Form(min_length=1, max_length=500),
    actor: Actor = Depends(require(Capability.ARCHIVE)),
) -> Response:
    archive(request).request_deletion(document_id.strip(), reason.strip(), actor)
    return RedirectResponse("/admin?done=requested", status_code=303)


@router.post("/deletions/{request_id}/approve")
def approve_deletion(
    request: Request, request_id: str, actor: Actor = Depends(require(Capability.ARCHIVE))
) -> Response:
    store = archive(request)
    try:
        store.approve_deletion(request_id, actor)
    except InvalidRequest:
        # Say why, in words an administrator can act on (hold, retention until …, an open transfer).
        from web.routes.archive import document_facts, refusal_reason

        found = next((d for d in store.deletion_requests(actor) if d.id == request_id), None)
        if found is not None and found.requested_by == actor.name:
            reason = T["archive.refused_own"]
        else:
            reason = refusal_reason(document_facts(request, found.document_id, actor) if found else None)
        return _overview(request, actor, refused=reason, status_code=409)
    return RedirectResponse("/admin?done=approved", status_code=303)


@router.post("/integrity")
def integrity(request: Request, actor: Actor = Depends(require(Capability.ARCHIVE))) -> Response:
    """Rows pointing at missing objects (must be none) and objects no row points at (left by crashes)."""
    store = archive(request)
    return render(request, "integrity.html", missing=store.missing_objects(), orphans=store.sweep_orphans(delete=False))


@router.post("/audit/verify")
def verify_chain(request: Request, actor: Actor = Depends(require(Capability.AUDIT))) -> Response:
    report = archive(request).check_audit(actor)
    if request.headers.get("hx-request"):
        return render(request, "_verify.html", report=report)
    from web.routes.archive import NO_FILTER, render_audit

    return render_audit(request, actor, AuditFilter(), dict(NO_FILTER), report=report)
