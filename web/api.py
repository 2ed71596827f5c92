"""The REST API under `/api/v1` for other systems: the same operations as the pages, as JSON.

Authentication is a bearer token from `POST /api/v1/token` (the user's name and password, as an OAuth2
password grant): a signed, time-limited token holding the user's id and credentials version. Every request
asks `storage` who that is now, so a token stops working at once when its user is deactivated, gets a new
password or is signed out everywhere (`dach users deactivate|password|revoke`). The API never reads the
session cookie, so browser CSRF cannot reach it. OpenAPI is at `/api/v1/openapi.json`.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from typing import Any, cast

from fastapi import Body, Depends, FastAPI, Form, Query, Request, UploadFile
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from itsdangerous import BadSignature, URLSafeTimedSerializer
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response

from schemas.documents import FieldValue
from schemas.errors import AccessDenied, InvalidRequest, NotFound
from schemas.intake import IntakeChannel, IntakeItem
from schemas.record import (
    Actor,
    AuditEntry,
    AuditReport,
    DocumentSummary,
    DocumentView,
    RecordView,
    RestructureOutcome,
    SearchHit,
)
from schemas.settings import Settings
from storage.page_moves import move_pages
from web import downloads, policy
from web.archive import ArchivePort
from web.batches import Batch, BatchDesk
from web.deps import LoginRequired
from web.policy import Capability
from web.routes.auth import throttle as login_throttle
from web.security import client_address

TOKEN_MAX_AGE_S = 8 * 3600
_bearer = HTTPBearer(auto_error=False)


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int = TOKEN_MAX_AGE_S


class CorrectionRequest(BaseModel):
    changes: dict[str, FieldValue] = Field(min_length=1)
    reason: str = Field(min_length=1, max_length=500)


class PageMoveRequest(BaseModel):
    """Move pages of a document into another document of the same scan, or into a new one (split)."""

    pages: list[int] = Field(min_length=1, max_length=500, description="source page numbers of the document")
    target_document_id: str | None = Field(
        default=None, max_length=64, description="another document of the same scan; null: a new document"
    )
    reason: str = Field(min_length=1, max_length=500)


class FileStatus(BaseModel):
    file: str
    status: str = Field(description="queued | running | filed | needs_review | quarantined")
    documents: list[str]


class BatchState(BaseModel):
    batch_id: str
    status: str
    files_total: int
    files_done: int
    rejected: list[dict[str, str]]
    items: list[IntakeItem]
    files: list[FileStatus] = Field(default_factory=list, description="each admitted file: status and documents")


def batch_state(batch: Batch) -> BatchState:
    return BatchState(
        batch_id=batch.id,
        status=batch.status.value,
        files_total=len(batch.files),
        files_done=batch.files_done,
        rejected=[{"file": name, "error": error.code, "message": error.message} for name, error in batch.rejected],
        items=[item for _, item in batch.items],
        files=[
            FileStatus(
                file=f.display_name,
                status=f.status.value,
                documents=[str(i.document_id) for n, i in batch.items if n == index and i.document_id],
            )
            for index, f in enumerate(batch.files)
        ],
    )


def _serializer(request: Request) -> URLSafeTimedSerializer:
    return cast(URLSafeTimedSerializer, request.app.state.tokens)


def _archive(request: Request) -> ArchivePort:
    return cast(ArchivePort, request.app.state.archive)


def api_require(capability: Capability) -> Callable[..., Coroutine[Any, Any, Actor]]:
    async def dependency(
        request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(_bearer)
    ) -> Actor:
        if credentials is None:
            raise LoginRequired()
        try:
            data = _serializer(request).loads(credentials.credentials, max_age=TOKEN_MAX_AGE_S)
            user_id, version = str(data["id"]), int(data["v"])
        except (BadSignature, KeyError, ValueError, TypeError) as exc:
            raise LoginRequired() from exc
        actor = await run_in_threadpool(_archive(request).signed_in_actor, user_id, version)
        if actor is None:  # deactivated, new password, signed out everywhere, or deleted
            raise LoginRequired()
        if not policy.allows(actor.role, capability):
            raise AccessDenied(f"the role {actor.role.value} may not use {capability.value}")
        return actor

    dependency.capability = capability  # type: ignore[attr-defined]
    return dependency


def create_api(settings: Settings, signing_key: str) -> FastAPI:
    api = FastAPI(
        title="dach API",
        version="1",
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
        description="Document intake and shared e-file of the county migration agency.",
    )
    api.state.tokens = URLSafeTimedSerializer(signing_key, salt="dach-api-token")

    @api.post("/token", response_model=TokenResponse)
    def token(
        request: Request, username: str = Form(max_length=120), password: str = Form(max_length=1024)
    ) -> TokenResponse | Response:
        address = client_address(request)
        wait = login_throttle.retry_after(address, username)
        if wait > 0:  # the same throttle as the login form: by address first, the account past a threshold
            return JSONResponse(
                {"detail": "too many failed sign-ins; wait and try again"},
                status_code=429,
                headers={"Retry-After": str(int(wait) + 1)},
            )
        signed_in = _archive(request).sign_in(username, password)
        if signed_in is None:
            login_throttle.failed(address, username)
            raise LoginRequired()
        login_throttle.succeeded(address, username)
        data = {"id": signed_in.actor.user_id, "v": signed_in.credentials_version}
        return TokenResponse(access_token=_serializer(request).dumps(data))

    @api.get("/search", response_model=list[SearchHit])
    def search(
        request: Request,
        q: str = Query("", max_length=200, description="names in any spelling, dates, numbers, words"),
        limit: int = Query(20, ge=1, le=100),
        type_: list[str] = Query([], alias="type", description="document types to keep"),
        status: list[str] = Query([], description="filed | needs_review"),
        department: list[str] = Query([]),
        filed_from: str = Query("", alias="from", max_length=10, description="YYYY-MM-DD"),
        filed_to: str = Query("", alias="to", max_length=10, description="YYYY-MM-DD"),
        sort: str = Query("relevance", max_length=20, description="relevance | newest | oldest | name"),
        actor: Actor = Depends(api_require(Capability.SEARCH)),
    ) -> Sequence[SearchHit]:
        from web.routes.search import filters_from

        filters = filters_from(type_, status, department, filed_from, filed_to, sort)
        if not q.strip() and not filters.narrowing:
            raise InvalidRequest("give a query (q) or at least one filter (type, status, department, from, to).")
        return _archive(request).search(q.strip(), actor, limit=limit, filters=filters)

    @api.get("/persons/{person_id}", response_model=RecordView)
    def person(request: Request, person_id: str, actor: Actor = Depends(api_require(Capability.READ))) -> RecordView:
        return _archive(request).get_person_record(person_id, actor)

    @api.get("/documents/{document_id}", response_model=DocumentView)
    def document(
        request: Request, document_id: str, actor: Actor = Depends(api_require(Capability.READ))
    ) -> DocumentView:
        return _archive(request).get_document(document_id, actor)

    @api.get("/documents/{document_id}/download/{which}", response_class=Response)
    def download(
        request: Request,
        document_id: str,
        which: str,
        actor: Actor = Depends(api_require(Capability.DOWNLOAD)),
    ) -> Response:
        store = _archive(request)
        view = store.get_document(document_id, actor)
        data, media_type, disposition = downloads.download(store, view, which, actor)
        return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})

    @api.post("/documents/{document_id}/corrections", response_model=DocumentView)
    def correct(
        request: Request,
        document_id: str,
        body: CorrectionRequest = Body(),
        actor: Actor = Depends(api_require(Capability.REVIEW)),
    ) -> DocumentView:
        store = _archive(request)
        store.correct_document(document_id, body.changes, body.reason, actor)
        return store.get_document(document_id, actor)

    @api.get("/documents/{document_id}/siblings", response_model=list[DocumentSummary])
    def siblings(
        request: Request, document_id: str, actor: Actor = Depends(api_require(Capability.READ))
    ) -> Sequence[DocumentSummary]:
        """The other documents of the same scan the caller may read: where its pages may be moved."""
        return _archive(request).sibling_documents(document_id, actor)

    @api.post("/documents/{document_id}/pages/move", response_model=RestructureOutcome)
    def move(
        request: Request,
        document_id: str,
        body: PageMoveRequest = Body(),
        actor: Actor = Depends(api_require(Capability.REVIEW)),
    ) -> RestructureOutcome:
        """Split, merge or move one page; both documents are read again and filed as new versions (a
        document left without pages is withdrawn). 409 if the documents changed meanwhile."""
        return move_pages(
            _archive(request),
            document_id,
            body.pages,
            body.target_document_id,
            body.reason,
            actor,
            review_threshold=settings.review_threshold,
        )

    @api.post("/batches", response_model=BatchState, status_code=202)
    async def upload(
        request: Request, files: list[UploadFile], actor: Actor = Depends(api_require(Capability.INTAKE))
    ) -> BatchState:
        uploads = [((f.filename or "")[:200], await f.read()) for f in files]
        desk = cast(BatchDesk, request.app.state.batches)
        return batch_state(await run_in_threadpool(desk.admit, actor, uploads, IntakeChannel.API))

    @api.get("/batches/{batch_id}", response_model=BatchState)
    def batch(request: Request, batch_id: str, actor: Actor = Depends(api_require(Capability.INTAKE))) -> BatchState:
        """Where each file is (queued, running, filed, needs_review, quarantined) and its documents so far."""
        try:
            found = cast(BatchDesk, request.app.state.batches).get(batch_id, actor)
        except AccessDenied as exc:  # another user's batch is not hinted at
            raise NotFound(f"there is no batch {batch_id} of yours") from exc
        return batch_state(found)

    @api.get("/audit", response_model=list[AuditEntry])
    def audit_log(
        request: Request,
        limit: int = Query(50, ge=1, le=1000),
        person_id: str | None = Query(None, max_length=64),
        actor: Actor = Depends(api_require(Capability.AUDIT)),
    ) -> Sequence[AuditEntry]:
        """The newest audit entries (of one person, if given); the read is itself audited."""
        return _archive(request).audit_log(actor, limit=limit, person_id=person_id)

    @api.post("/audit/verify", response_model=AuditReport)
    def verify(request: Request, actor: Actor = Depends(api_require(Capability.AUDIT))) -> AuditReport:
        return _archive(request).check_audit(actor)

    return api
