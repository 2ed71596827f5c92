"""What every route needs: the signed-in user, the capability check, the archive and the templates.

The session cookie (signed by Starlette's SessionMiddleware) holds only the user's id and the credentials
version they signed in with; every request asks `storage` who that is now, so a user who was deactivated,
got a new password or was signed out everywhere loses access at their next request, and a changed role or
department counts at once. Routes never build an `Actor` themselves: they declare
`Depends(require(Capability.X))` and get one back, or the request ends with a login redirect (browser) or
401/403.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, cast

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from schemas.documents import fields_for
from schemas.errors import AccessDenied
from schemas.record import Actor, SignIn
from schemas.strings_de import T, german_date, label
from web import policy
from web.archive import ArchivePort
from web.messages_de import actor_de, audit_problem_de, author_de, note_de, reason_de, version_reason_de
from web.policy import Capability
from web.security import csrf_token

TEMPLATE_DIR = Path(__file__).parent / "templates"


class LoginRequired(Exception):
    """No valid session: browsers are sent to /login, the API answers 401."""


def make_templates() -> Jinja2Templates:
    # Autoescaping on for every template, whatever its name: OCR text and field values are untrusted.
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(T=T, label=label, fields_for=fields_for, allows=policy.allows, Capability=Capability)
    env.globals.update(note_de=note_de, reason_de=reason_de, german_date=german_date, author_de=author_de,
                       actor_de=actor_de, audit_problem_de=audit_problem_de,
                       version_reason_de=version_reason_de)  # fmt: skip
    return Jinja2Templates(env=env)


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> Response:
    templates = cast(Jinja2Templates, request.app.state.templates)
    user = session_actor(request)
    return templates.TemplateResponse(
        request,
        template,
        {"user": user, "csrf": csrf_token(request), **context},
        status_code=status_code,
    )


SESSION_USER = "user"  # session key: {"id": user id, "v": credentials version, "s": server-side session id}
_UNKNOWN = object()


def sign_in_session(request: Request, signed_in: SignIn) -> None:
    """Start a fresh session for a user who just signed in (a new CSRF token comes with the next form)."""
    request.session.clear()
    assert signed_in.actor.user_id is not None
    web_session = archive(request).start_web_session(signed_in.actor.user_id)
    request.session[SESSION_USER] = {
        "id": signed_in.actor.user_id,
        "v": signed_in.credentials_version,
        "s": web_session,
    }
    request.state.actor = signed_in.actor


def session_actor(request: Request) -> Actor | None:
    """The actor of the signed session cookie as storage knows them now, or None (nobody signed in, or the
    session was ended by deactivation, a new password or "sign out everywhere"); looked up once a request."""
    known = getattr(request.state, "actor", _UNKNOWN)
    if known is not _UNKNOWN:
        return cast(Actor | None, known)
    data = request.session.get(SESSION_USER)
    actor = request.state.actor = None  # if the lookup fails (store down), the error page shows no user
    if (
        isinstance(data, dict)
        and isinstance(data.get("id"), str)
        and isinstance(data.get("v"), int)
        and isinstance(data.get("s"), str)  # a cookie without a server-side session is not honoured
    ):
        actor = archive(request).signed_in_actor(data["id"], data["v"], data["s"])
    if actor is None and data is not None:
        request.session.clear()  # ended or malformed: the cookie is replaced by an empty session
    request.state.actor = actor
    return actor


def archive(request: Request) -> ArchivePort:
    return cast(ArchivePort, request.app.state.archive)


def require(capability: Capability) -> Callable[[Request], Coroutine[Any, Any, Actor]]:
    """A dependency that returns the signed-in actor if their role has `capability`, else fails."""

    async def dependency(request: Request) -> Actor:
        actor = await run_in_threadpool(session_actor, request)  # a database read: off the event loop
        if actor is None:
            raise LoginRequired()
        if not policy.allows(actor.role, capability):
            raise AccessDenied(f"the role {actor.role.value} may not use {capability.value}")
        return actor

    dependency.capability = capability  # type: ignore[attr-defined]  # read by the authorisation test
    return dependency


def end_session(request: Request) -> None:
    """Logout: end the server-side session (a copied cookie stops working) and clear the cookie."""
    data = request.session.get(SESSION_USER)
    if isinstance(data, dict) and isinstance(data.get("s"), str):
        archive(request).end_web_session(data["s"])
    request.session.clear()
