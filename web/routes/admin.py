"""Archive administration: retention rules, legal holds, four-eyes deletion, audit log, integrity.

Storage decides and records everything; these pages only collect the administrator's intent. Operations
the storage facade does not offer yet are shown as "not available yet" (see `FACADE`), never faked here.
The four-eyes rule (a second administrator approves a deletion) is enforced by storage; the page also
hides the approve button on one's own request so the rule is visible.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from schemas.errors import AccessDenied
from schemas.record import Actor, AuditEntry
from web.archive import optional
from web.deps import archive, render, require
from web.policy import Capability
from web.strings_de import T

router = APIRouter(prefix="/admin")
AUDIT_PAGE = 200

# What each admin feature calls on the storage facade.
FACADE = {
    "retention": "retention_rules",  # () -> Mapping[DocumentType, int years]
    "hold": "set_legal_hold",  # (document_id, hold: bool, reason, actor)
    "deletions": "deletion_requests",  # (actor) -> Sequence[request with id, document_id, requested_by, ...]
    "request_deletion": "request_deletion",  # (document_id, reason, actor) -> request id
    "approve_deletion": "approve_deletion",  # (request_id, actor)
}


def facade(request: Request, feature: str) -> Any:
    method = optional(archive(request), FACADE[feature])
    if method is None:
        raise AccessDenied(T["admin.missing"].format(feature=FACADE[feature]))
    return method


def _call_or_none(request: Request, feature: str, *args: Any) -> Any:
    method = optional(archive(request), FACADE[feature])
    return None if method is None else method(*args)


def retention_rules(request: Request) -> Mapping[str, int]:
    """Minimum retention in years per document type: from the facade if it offers them, else read from the
    access policy file, where they are maintained (changing them is a reviewed change of that file)."""
    offered = _call_or_none(request, "retention")
    if offered is not None:
        return dict(offered)
    from storage.policy import Policy

    return Policy.load(request.app.state.settings.policy_file).retention_years


@router.get("")
def overview(request: Request, actor: Actor = Depends(require(Capability.ARCHIVE))) -> Response:
    return render(
        request,
        "admin.html",
        retention=retention_rules(request),
        deletions=_call_or_none(request, "deletions", actor),
        quarantine=archive(request).list_quarantine(actor, limit=50),
        available={feature: optional(archive(request), name) is not None for feature, name in FACADE.items()},
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
    facade(request, "hold")(document_id.strip(), hold, reason.strip(), actor)
    return RedirectResponse("/admin?done=hold", status_code=303)


@router.post("/deletions")
def request_deletion(
    request: Request,
    document_id: str = Form(max_length=64),
    reason: str = Form(min_length=1, max_length=500),
    actor: Actor = Depends(require(Capability.ARCHIVE)),
) -> Response:
    facade(request, "request_deletion")(document_id.strip(), reason.strip(), actor)
    return RedirectResponse("/admin?done=requested", status_code=303)


@router.post("/deletions/{request_id}/approve")
def approve_deletion(
    request: Request, request_id: str, actor: Actor = Depends(require(Capability.ARCHIVE))
) -> Response:
    facade(request, "approve_deletion")(request_id, actor)
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
    report = archive(request).verify_audit()
    if request.headers.get("hx-request"):
        return render(request, "_verify.html", report=report)
    return render(request, "audit.html", entries=readable_log(request, actor), report=report)
