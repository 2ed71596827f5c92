"""Transport security of the web app: headers, CSRF tokens, request size limits and the signing key.

Every response carries a strict Content-Security-Policy (no inline scripts or styles, no foreign origins),
`nosniff` and frame denial; HTML pages are never cached because they show personal data. Every state-changing
browser request must carry the session's CSRF token, either as the form field `csrf_token` or the
`X-CSRF-Token` header that htmx sends. The REST API under `/api/v1` uses bearer tokens, never the cookie,
so it needs no CSRF token.
"""

from __future__ import annotations

import hmac
import logging
import os
import secrets
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from pathlib import Path

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from schemas.settings import Settings

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    )
)
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


class SecurityHeadersMiddleware:
    """Adds the security headers to every response, and `no-store` to everything but static files."""

    def __init__(self, app: ASGIApp, *, https_only: bool) -> None:
        self.app = app
        self.https_only = https_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
                if self.https_only:
                    headers["strict-transport-security"] = "max-age=31536000"
                if not static:
                    headers["cache-control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(Exception):
    """Raised inside the app when a request body grows past the limit while it is read."""


class BodySizeLimitMiddleware:
    """Refuses request bodies over `max_bytes`: by Content-Length at once, or while streaming."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_bytes:
                await _plain_response(send, 413, "Die Anfrage ist zu groß.")
                return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(f"request body over {self.max_bytes} bytes")
            return message

        await self.app(scope, counting_receive, send)


async def _plain_response(send: Send, status: int, text: str) -> None:
    body = text.encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


# --- CSRF ---------------------------------------------------------------------------------------------


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use (so the login form has one too)."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


class CsrfFailed(Exception):
    """A state-changing request without the session's CSRF token."""


async def verify_csrf(request: Request) -> None:
    """App-wide dependency: every unsafe request outside the API must carry the session's token."""
    if request.method not in UNSAFE_METHODS or request.url.path.startswith(API_PREFIX):
        return
    expected = request.session.get("csrf")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            value = (await request.form()).get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
    if not isinstance(expected, str) or sent is None or not hmac.compare_digest(expected, sent):
        log.warning("CSRF check failed for %s %s", request.method, request.url.path)
        raise CsrfFailed()


# --- signing key --------------------------------------------------------------------------------------


def signing_key(settings: Settings) -> str:
    """The configured secret, or one generated once and kept (mode 0600) in the data folder."""
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value()
    path = Path(settings.data_dir) / "web-secret.key"
    if path.is_file():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    log.info("generated a web signing key in %s", path)
    return key


def safe_next(target: str | None) -> str:
    """A local path to return to after login; anything else (another host, `//x`, `\\x`) becomes `/`."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")) or "\n" in target:
        return "/"
    return target


# --- login throttling -----------------------------------------------------------------------------------


class LoginThrottle:
    """Failed sign-ins slow down the address they come from, and only then the account.

    Per client address: `free_failures` wrong passwords, then each further attempt waits twice as long as the
    last (1 s, 2 s, 4 s … at most `max_delay_s`), so a thousand guesses a minute from one address get a
    handful of answers. Per account: after `account_failures` failures from anywhere, every address that has
    failed on that account waits the same way — but an address that has not failed on it (the real user at
    their own desk) is let through, so a stranger cannot lock a user out. Both forget after `window_s`
    without failures; a success clears that address's record. In memory, per web process.
    """

    def __init__(
        self,
        *,
        free_failures: int = 5,
        account_failures: int = 50,
        max_delay_s: float = 300.0,
        window_s: float = 900.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.free_failures = free_failures
        self.account_failures = account_failures
        self.max_delay_s = max_delay_s
        self.window_s = window_s
        self._clock = clock
        self._by_address: dict[str, deque[float]] = defaultdict(deque)
        self._by_account: dict[str, deque[float]] = defaultdict(deque)
        self._failed_on: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()

    def _recent(self, failures: deque[float], now: float) -> deque[float]:
        while failures and now - failures[0] > self.window_s:
            failures.popleft()
        return failures

    def _wait(self, failures: deque[float], free: int, now: float) -> float:
        over = len(failures) - free
        if over < 0 or not failures:
            return 0.0
        delay = min(self.max_delay_s, 2.0**over)
        return max(0.0, failures[-1] + delay - now)

    def retry_after(self, address: str, account: str) -> float:
        """Seconds this address must wait before it may try this account again (0: go ahead)."""
        now, account = self._clock(), account.strip().lower()
        with self._lock:
            wait = self._wait(self._recent(self._by_address[address], now), self.free_failures, now)
            on_account = self._recent(self._by_account[account], now)
            tried_here = now - self._failed_on.get((address, account), -1e18) <= self.window_s
            if tried_here and len(on_account) >= self.account_failures:
                wait = max(wait, self._wait(on_account, self.account_failures, now))
            return wait

    def failed(self, address: str, account: str) -> None:
        now, account = self._clock(), account.strip().lower()
        with self._lock:
            self._by_address[address].append(now)
            self._by_account[account].append(now)
            self._failed_on[(address, account)] = now
            if len(self._failed_on) > 100_000:  # bounded: forget the oldest pairs
                for key in sorted(self._failed_on, key=self._failed_on.__getitem__)[:50_000]:
                    del self._failed_on[key]

    def succeeded(self, address: str, account: str) -> None:
        with self._lock:
            self._by_address.pop(address, None)
            self._failed_on.pop((address, account.strip().lower()), None)


def client_address(request: Request) -> str:
    """The caller's address as the server sees it (behind a proxy: uvicorn's --forwarded-allow-ips)."""
    return request.client.host if request.client is not None else "unknown"
