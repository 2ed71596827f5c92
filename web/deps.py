"""What every route needs: the signed-in user, the capability check, the archive and the templates.

The session cookie (signed by Starlette's SessionMiddleware) holds only the user's name, role and
department; every request rebuilds the storage `Actor` from it. Routes never build an `Actor` themselves:
they declare `Depends(require(Capability.X))` and get one back, or the request ends with a login redirect
(browser) or 401/403.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, cast

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from schemas.documents import fields_for
from schemas.errors import AccessDenied
from schemas.record import Actor, Department, Role
from web import policy
from web.archive import ArchivePort
from web.policy import Capability
from web.security import csrf_token
from web.strings_de import T, label

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


def session_actor(request: Request) -> Actor | None:
    """The actor of the signed session cookie, or None when nobody is signed in."""
    data = request.session.get("user")
    if not isinstance(data, dict):
        return None
    try:
        return Actor(
            name=str(data["name"]),
            role=Role(data["role"]),
            department=Department(data["department"]),
            user_id=data.get("user_id"),
        )
    except (KeyError, ValueError):
        request.session.clear()
        return None


def archive(request: Request) -> ArchivePort:
    return cast(ArchivePort, request.app.state.archive)


def require(capability: Capability) -> Callable[[Request], Coroutine[Any, Any, Actor]]:
    """A dependency that returns the signed-in actor if their role has `capability`, else fails."""

    async def dependency(request: Request) -> Actor:
        actor = session_actor(request)
        if actor is None:
            raise LoginRequired()
        if not policy.allows(actor.role, capability):
            raise AccessDenied(f"the role {actor.role.value} may not use {capability.value}")
        return actor

    dependency.capability = capability  # type: ignore[attr-defined]  # read by the authorisation test
    return dependency
