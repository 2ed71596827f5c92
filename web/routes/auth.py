"""Sign-in and sign-out, the health check, and the landing page that sends each role to its work.

Passwords are checked by `storage` (argon2id hashes). A successful login starts a fresh session (new CSRF
token, so a token planted before login is useless); repeated failures for one name are slowed down.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict, deque
from typing import cast

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from web import policy
from web.batches import BatchDesk
from web.deps import archive, render, session_actor, sign_in_session
from web.security import safe_next
from web.strings_de import T

log = logging.getLogger(__name__)
router = APIRouter()

MAX_FAILURES = 5
FAILURE_WINDOW_S = 60.0


class LoginThrottle:
    """At most MAX_FAILURES failed logins per name per minute (in this process)."""

    def __init__(self) -> None:
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def blocked(self, name: str) -> bool:
        now = time.monotonic()
        with self._lock:
            recent = self._failures[name.lower()]
            while recent and now - recent[0] > FAILURE_WINDOW_S:
                recent.popleft()
            return len(recent) >= MAX_FAILURES

    def failed(self, name: str) -> None:
        with self._lock:
            self._failures[name.lower()].append(time.monotonic())

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(name.lower(), None)


throttle = LoginThrottle()


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
    if throttle.blocked(username):
        return render(request, "login.html", status_code=429, next=safe_next(next), error=T["login.throttled"])
    signed_in = archive(request).sign_in(username, password)
    if signed_in is None:
        throttle.failed(username)
        log.info("failed login for %r", username)
        return render(request, "login.html", status_code=401, next=safe_next(next), error=T["login.failed"])
    throttle.succeeded(username)
    sign_in_session(request, signed_in)
    target = safe_next(next)
    return RedirectResponse(target if target != "/" else policy.home_for(signed_in.actor.role), status_code=303)


@router.post("/logout")
async def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
