"""Sign-in and sign-out, the health check, and the landing page that sends each role to its work.

Passwords are checked by `storage` (argon2id hashes). A successful login starts a fresh session (new CSRF
token, so a token planted before login is useless); failures slow down the address they come from, and past a
higher threshold the account, for addresses that failed on it only (`web.security.LoginThrottle`).
"""

from __future__ import annotations

import logging
from typing import cast

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from schemas.strings_de import T
from web import policy
from web.batches import BatchDesk
from web.deps import archive, end_session, render, session_actor, sign_in_session
from web.security import LoginThrottle, client_address, safe_next

log = logging.getLogger(__name__)
router = APIRouter()

throttle = LoginThrottle()  # shared with the API's token endpoint


@router.get("/healthz", include_in_schema=False)
async def healthz(request: Request) -> JSONResponse:
    """200 while the app answers; `intake` says whether uploads are taken (no personal data)."""
    ready = cast(BatchDesk, request.app.state.batches).ready
    return JSONResponse({"status": "ok", "intake": "ready" if ready else "warming_up"})


@router.get("/")
async def home(request: Request) -> Response:
    actor = await run_in_threadpool(session_actor, request)
    if actor is None:
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse(policy.home_for(actor.role), status_code=303)


@router.get("/login")
async def login_form(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", next=safe_next(next), error=None)


@router.post("/login")
def login(
    request: Request,
    username: str = Form(max_length=120),
    password: str = Form(max_length=1024),
    next: str = Form("/"),
) -> Response:
    address = client_address(request)
    wait = throttle.retry_after(address, username)
    if wait > 0:
        answer = render(request, "login.html", status_code=429, next=safe_next(next), error=T["login.throttled"])
        answer.headers["Retry-After"] = str(int(wait) + 1)
        return answer
    signed_in = archive(request).sign_in(username, password)
    if signed_in is None:
        throttle.failed(address, username)
        log.info("failed login for %r from %s", username, address)
        return render(request, "login.html", status_code=401, next=safe_next(next), error=T["login.failed"])
    throttle.succeeded(address, username)
    sign_in_session(request, signed_in)
    target = safe_next(next)
    return RedirectResponse(target if target != "/" else policy.home_for(signed_in.actor.role), status_code=303)


@router.post("/logout")
def logout(request: Request) -> Response:
    end_session(request)
    return RedirectResponse("/login", status_code=303)
