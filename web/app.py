"""The dach web app: the browser interface for front desk, departments and archive administrators, and
the REST API for other systems, built by `create_app(settings)`.

A thin shell over `storage` (reads, corrections, audit) and `flows` (intake). The app adds what only a web
shell needs: sessions, CSRF tokens, security headers, German pages, and the capability check per endpoint.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.responses import Response

from schemas.errors import (
    AccessDenied,
    Conflict,
    DachError,
    FileTooLarge,
    InputRejected,
    InvalidRequest,
    NotFound,
    TransientError,
)
from schemas.settings import Settings
from schemas.strings_de import T
from web import api
from web.archive import ArchivePort, open_archive
from web.batches import BatchDesk
from web.deps import LoginRequired, make_templates, render
from web.routes import admin, auth, departments, inbox_api, review, search
from web.routes import archive as archive_routes
from web.routes import inbox as inbox_routes
from web.routes import intake as intake_routes
from web.security import (
    API_PREFIX,
    BodySizeLimitMiddleware,
    BodyTooLarge,
    CsrfFailed,
    SecurityHeadersMiddleware,
    signing_key,
    verify_csrf,
)

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
SESSION_MAX_AGE_S = 8 * 3600  # one working day
REQUEST_OVERHEAD = 1024 * 1024  # multipart framing and form fields on top of the largest file
# Every browser route the app serves (the authorisation matrix test walks exactly these).
ROUTERS = (
    auth.router,
    intake_routes.router,
    review.router,
    departments.router,
    search.router,
    admin.router,
    archive_routes.router,
    inbox_routes.router,
)


def create_app(settings: Settings, *, archive: ArchivePort | None = None) -> FastAPI:
    """The app for `settings`; `archive` is opened from the settings unless given. Uploads go through the
    intake door; the workers (`dach worker`) read them, never this process."""
    archive = archive if archive is not None else open_archive(settings)
    runner = BatchDesk(archive)
    key = signing_key(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield

    app = FastAPI(
        title="dach",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
        dependencies=[Depends(verify_csrf)],
    )
    app.state.settings = settings
    app.state.archive = archive
    app.state.batches = runner
    app.state.templates = make_templates()
    app.state.signing_key = key

    api_app = api.create_api(settings, key)
    api_app.state.archive = app.state.archive
    inbox_api.install(api_app)  # the department inbox under /api/v1
    api_app.state.batches = runner
    install_error_handlers(api_app, html=False)
    install_error_handlers(app, html=True)

    for router in ROUTERS:
        app.include_router(router)
    app.mount(API_PREFIX, api_app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    # Outermost last: size limit, then headers on every answer (also errors), then the session.
    app.add_middleware(
        SessionMiddleware,
        secret_key=key,
        session_cookie="dach_session",
        max_age=SESSION_MAX_AGE_S,
        same_site="strict",
        https_only=settings.web_https_only,
    )
    app.add_middleware(SecurityHeadersMiddleware, https_only=settings.web_https_only)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.limits.max_file_bytes + REQUEST_OVERHEAD)
    return app


def _status_for(exc: DachError) -> int:
    if isinstance(exc, AccessDenied):
        return 403
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, Conflict):
        return 409
    if isinstance(exc, InvalidRequest):
        return 400
    if isinstance(exc, FileTooLarge):
        return 413
    if isinstance(exc, InputRejected):
        return 415
    if isinstance(exc, TransientError):
        return 503
    return 500


def install_error_handlers(app: FastAPI, *, html: bool) -> None:
    """German error pages for the browser, `{"error": code, "message": ...}` for the API."""

    def answer(request: Request, status: int, code: str, message: str) -> Response:
        if not html:
            return JSONResponse({"error": code, "message": message}, status_code=status)
        text = T.get(f"error.{status}", T["error.500"])
        if code == "csrf":
            text = T["error.csrf"]
        # The specific reason (from storage or the checks) helps the user fix it; internals of a 500 stay hidden.
        # (in German: the English message of storage is for logs and the API)
        detail = T.get(f"error.detail.{code}") if status < 500 else None
        return render(request, "error.html", status_code=status, status=status, message=text, detail=detail)

    async def on_login_required(request: Request, exc: Exception) -> Response:
        if not html:
            return JSONResponse(
                {"error": "unauthorised", "message": "send 'Authorization: Bearer <token>' from POST /token"},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.headers.get("hx-request"):
            return Response(status_code=401, headers={"HX-Redirect": "/login"})
        return RedirectResponse(f"/login?next={target}" if request.method == "GET" else "/login", status_code=303)

    async def on_dach_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, DachError)
        status = _status_for(exc)
        level = logging.ERROR if status >= 500 else logging.INFO
        log.log(level, "%s %s -> %d %s: %s", request.method, request.url.path, status, exc.code, exc.message)
        return answer(request, status, exc.code, exc.message)

    async def on_csrf(request: Request, exc: Exception) -> Response:
        return answer(request, 403, "csrf", "missing or wrong CSRF token; reload the form")

    async def on_body_too_large(request: Request, exc: Exception) -> Response:
        return answer(request, 413, "file_too_large", "the request body is over the upload limit")

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        return answer(request, exc.status_code, "http_error", str(exc.detail))

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        if not html:
            return JSONResponse({"error": "invalid_request", "detail": exc.errors()}, status_code=422)
        return answer(request, 400, "invalid_request", "invalid request")

    app.add_exception_handler(LoginRequired, on_login_required)
    app.add_exception_handler(DachError, on_dach_error)
    app.add_exception_handler(CsrfFailed, on_csrf)
    app.add_exception_handler(BodyTooLarge, on_body_too_large)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
