"""Archive administration: retention rules, legal holds, four-eyes deletion, audit log, integrity.

Storage decides and records everything (who may, the second approver, holds and retention periods that
block a deletion); these pages only collect the administrator's intent and show the outcome. The page also
hides the approve button on one's own request, so the four-eyes rule is visible before it is enforced.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from schemas.errors import AccessDenied
from schemas.record import Actor, AuditEntry
from web.deps import archive, render, require
from web.policy import Capability

router = APIRouter(prefix="/admin")
AUDIT_PAGE = 200


@router.get("")
def overview(request: Request, actor: Actor = Depends(require(Capability.ARCHIVE))) -> Response:
    store = archive(request)
    return render(
        request,
        "admin.html",
        retention=store.retention_rules(),
        deletions=store.deletion_requests(actor),
        quarantine=store.list_quarantine(actor, limit=50),
        message=request.query_params.get("done"),
    )


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
    archive(request).approve_deletion(request_id, actor)
    return RedirectResponse("/admin?done=approved", status_code=303)


@router.post("/integrity")
def integrity(request: Request, actor: Actor = Depends(require(Capability.ARCHIVE))) -> Response:
    """Rows pointing at missing objects (must be none) and objects no row points at (left by crashes)."""
    store = archive(request)
    return render(request, "integrity.html", missing=store.missing_objects(), orphans=store.sweep_orphans(delete=False))


def readable_log(request: Request, actor: Actor) -> Sequence[AuditEntry] | None:
    """The newest audit entries, or None when storage lets this role verify the chain but not read it."""
    try:
        return archive(request).audit_log(actor, limit=AUDIT_PAGE)
    except AccessDenied:
        return None


@router.get("/audit")
def audit_log(request: Request, actor: Actor = Depends(require(Capability.AUDIT))) -> Response:
    return render(request, "audit.html", entries=readable_log(request, actor), report=None)


@router.post("/audit/verify")
def verify_chain(request: Request, actor: Actor = Depends(require(Capability.AUDIT))) -> Response:
    report = archive(request).check_audit(actor)
    if request.headers.get("hx-request"):
        return render(request, "_verify.html", report=report)
    return render(request, "audit.html", entries=readable_log(request, actor), report=report)
