"""Authorisation over every role × endpoint × document type: no response that the policy forbids.

The policy is two tables: `web.policy` (which role may use which kind of endpoint) and storage's access
policy (department × document type, narrowed by role). Every browser page and API endpoint is called as
every user for a document of every type; a forbidden call must end in 401/403/404 and an allowed one must
succeed. A route that is not in this matrix fails the test, so a new endpoint cannot skip the check. The audit
trail (read the log, verify the chain) is checked on its own against both tables, including that each use is
itself audited.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Mount

from schemas.documents import DocumentType, fields_for
from schemas.record import Actor
from storage.policy import Policy
from tests.web.conftest import PASSWORD, USERS, World
from web.app import ROUTERS
from web.policy import Capability, allows
from web.strings_de import T

PUBLIC = {("GET", "/healthz"), ("GET", "/"), ("GET", "/login"), ("POST", "/login"), ("POST", "/logout")}
API_PUBLIC = {("POST", "/token")}
DENIED = {401, 403, 404}

# Per document-level route: the capability, and the storage check that must also pass.
DOCUMENT_ROUTES: list[tuple[str, str, Capability, str]] = [
    ("GET", "/documents/{document_id}", Capability.READ, "read"),
    ("GET", "/documents/{document_id}/review", Capability.REVIEW, "read"),
    ("GET", "/documents/{document_id}/pages/{page}.png", Capability.READ, "read"),
    ("GET", "/documents/{document_id}/download/{which}", Capability.DOWNLOAD, "read"),
    ("POST", "/documents/{document_id}/correct", Capability.REVIEW, "correct"),
    ("POST", "/documents/{document_id}/person", Capability.REVIEW, "correct"),
    ("GET", "/api/v1/documents/{document_id}", Capability.READ, "read"),
    ("GET", "/api/v1/documents/{document_id}/download/{which}", Capability.DOWNLOAD, "read"),
    ("GET", "/api/v1/documents/{document_id}/siblings", Capability.READ, "read"),
    ("POST", "/api/v1/documents/{document_id}/corrections", Capability.REVIEW, "correct"),
    ("POST", "/documents/{document_id}/pages/move", Capability.REVIEW, "move"),
    ("POST", "/api/v1/documents/{document_id}/pages/move", Capability.REVIEW, "move"),
]
# Routes without a document: the capability alone decides (storage may narrow what they show).
OTHER_ROUTES: list[tuple[str, str, Capability]] = [
    ("GET", "/intake", Capability.INTAKE),
    ("POST", "/intake/upload", Capability.INTAKE),
    ("GET", "/intake/batches/{batch_id}", Capability.INTAKE),
    ("GET", "/intake/batches/{batch_id}/files/{file_index}/pages/{page}.png", Capability.INTAKE),
    ("GET", "/search", Capability.SEARCH),
    ("GET", "/persons/{person_id}", Capability.READ),
    ("GET", "/admin", Capability.ARCHIVE),
    ("POST", "/admin/legal-hold", Capability.ARCHIVE),
    ("POST", "/admin/deletions", Capability.ARCHIVE),
    ("POST", "/admin/deletions/{request_id}/approve", Capability.ARCHIVE),
    ("POST", "/admin/integrity", Capability.ARCHIVE),
    ("GET", "/admin/audit", Capability.AUDIT),
    ("POST", "/admin/audit/verify", Capability.AUDIT),
    ("GET", "/api/v1/search", Capability.SEARCH),
    ("GET", "/api/v1/persons/{person_id}", Capability.READ),
    ("POST", "/api/v1/batches", Capability.INTAKE),
    ("GET", "/api/v1/batches/{batch_id}", Capability.INTAKE),
    ("GET", "/api/v1/audit", Capability.AUDIT),
    ("POST", "/api/v1/audit/verify", Capability.AUDIT),
]


def route_capability(route: APIRoute) -> Capability | None:
    pending = list(route.dependant.dependencies)
    while pending:
        dependant = pending.pop()
        capability = getattr(dependant.call, "capability", None)
        if capability is not None:
            return Capability(capability)
        pending.extend(dependant.dependencies)
    return None


def all_routes(app: Any) -> dict[tuple[str, str], APIRoute]:
    """Every (method, path) the app serves: the browser routers and the mounted API."""
    found: dict[tuple[str, str], APIRoute] = {}
    for router in ROUTERS:
        for route in router.routes:
            assert isinstance(route, APIRoute)
            found.update({(method, route.path): route for method in route.methods})
    mounts = [r for r in app.routes if isinstance(r, Mount)]
    assert {m.path for m in mounts} == {"/api/v1", "/static"}, "an unexpected sub-application is mounted"
    api = next(m for m in mounts if m.path == "/api/v1").app
    for route in api.routes:  # type: ignore[union-attr]
        if isinstance(route, APIRoute):
            found.update({(method, "/api/v1" + route.path): route for method in route.methods})
    return found


def test_every_route_declares_the_capability_the_matrix_expects(app: Any) -> None:
    routes = all_routes(app)
    expected = {(m, p): c for m, p, c, _ in DOCUMENT_ROUTES} | {(m, p): c for m, p, c in OTHER_ROUTES}
    from tests.web.test_inbox_authz import INBOX_ROUTES  # the inbox's routes, checked in their own matrix

    expected |= {(m, p): c for m, p, c in INBOX_ROUTES}
    public = PUBLIC | {(m, "/api/v1" + p) for m, p in API_PUBLIC}
    assert set(routes) == set(expected) | public, "a route is missing from the authorisation matrix"
    for key, route in routes.items():
        if key in public:
            assert route_capability(route) is None, key
        else:
            assert route_capability(route) == expected[key], key


def storage_allows(policy: Policy, actor: Actor, check: str, doc_type: DocumentType, status: str) -> bool:
    readable = policy.can_read(actor, doc_type, filed_by_user_id=None, status=status)
    if check == "move":
        return policy.can_move_pages(actor, doc_type, filed_by_user_id=None, status=status)
    return readable and (check == "read" or policy.can_correct(actor, doc_type))


def api_token(client: TestClient, name: str) -> dict[str, str]:
    answer = client.post("/api/v1/token", data={"username": name, "password": PASSWORD})
    assert answer.status_code == 200
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


_unique = itertools.count()


def call(client: TestClient, method: str, path: str, headers: dict[str, str], csrf: str, field: str) -> int:
    """One request; corrections change `field` to a new value each time so none is a no-op."""
    api = path.startswith("/api/")
    value = f"matrix-{next(_unique)}"
    if method == "GET":
        return client.get(path, headers=headers, follow_redirects=False).status_code
    if path.endswith("/corrections"):
        body = {"changes": {field: value}, "reason": "Berechtigungstest"}
        return client.post(path, json=body, headers=headers, follow_redirects=False).status_code
    if api and path.endswith("/pages/move"):
        body = {"pages": [1], "target_document_id": None, "reason": "Berechtigungstest"}
        return client.post(path, json=body, headers=headers, follow_redirects=False).status_code
    if api:
        return client.post(path, headers=headers, follow_redirects=False).status_code
    data = {
        "csrf_token": csrf,
        f"field.{field}": value,
        "reason": "Berechtigungstest",
        "person_id": "nobody",
        "document_id": "x",
        "hold": "true",
        "pages": "1",
        "target": "new",
        "move_reason": "Berechtigungstest",
    }
    return client.post(path, data=data, headers=headers, follow_redirects=False).status_code


@pytest.mark.parametrize("user", sorted(USERS))
def test_no_response_the_policy_forbids(user: str, world: World, app: Any, login: Callable) -> None:
    policy = Policy.load(world.settings.policy_file)
    actor = world.actors[user]
    client: TestClient = login(user)
    bearer = api_token(client, user)
    reader = world.actors["abh"]  # reads every type: used to learn each document's status
    forbidden_answered: list[str] = []
    allowed_refused: list[str] = []
    for doc_type, document_id in world.documents.items():
        status = world.archive.get_document(document_id, reader).status  # type: ignore[attr-defined]
        # "other" documents have no correctable field: a correction is refused as invalid (400).
        field = (fields_for(doc_type) or ("birth_date",))[0]
        for method, template, capability, check in DOCUMENT_ROUTES:
            path = template.format(document_id=document_id, page=1, which="original")
            headers = bearer if path.startswith("/api/") else {}
            code = call(client, method, path, headers, client.csrf, field)  # type: ignore[attr-defined]
            allowed = allows(actor.role, capability) and storage_allows(policy, actor, check, doc_type, status)
            case = f"{user} {method} {template} {doc_type.value} -> {code}"
            if not allowed and code not in DENIED:
                forbidden_answered.append(case)
            invalid = check == "correct" and not fields_for(doc_type) and code == 400
            # The documents have one page each: splitting off every page is refused as invalid (400) once
            # the move is authorised; real moves are tested in tests/web/test_pages.py and the browser.
            invalid = invalid or (check == "move" and code == 400)
            if allowed and code >= 400 and template != "/documents/{document_id}/person" and not invalid:
                allowed_refused.append(case)
    for method, template, capability in OTHER_ROUTES:
        path = template.format(
            person_id=world.person_id, batch_id="unknown", request_id="unknown", file_index=0, page=1
        )
        headers = bearer if path.startswith("/api/") else {}
        code = call(client, method, path, headers, client.csrf, "birth_date")  # type: ignore[attr-defined]
        if not allows(actor.role, capability) and code not in DENIED:
            forbidden_answered.append(f"{user} {method} {template} -> {code}")
    assert forbidden_answered == []
    assert allowed_refused == []


@pytest.mark.parametrize("user", ["abh", "jobcenter", "integration", "archiv"])
def test_search_and_record_show_only_readable_documents(user: str, world: World, login: Callable) -> None:
    policy = Policy.load(world.settings.policy_file)
    actor = world.actors[user]
    client: TestClient = login(user)
    pages = client.get("/search?q=Kovalenko").text + client.get(f"/persons/{world.person_id}").text
    for doc_type, document_id in world.documents.items():
        status = world.archive.get_document(document_id, world.actors["abh"]).status  # type: ignore[attr-defined]
        shown = f"/documents/{document_id}" in pages
        assert not shown or policy.can_read(actor, doc_type, filed_by_user_id=None, status=status), doc_type


def test_the_web_and_storage_policies_give_the_audit_trail_and_archive_to_the_same_roles(world: World) -> None:
    """The two tables must agree, or a page is offered that storage then refuses (as the audit log once was)."""
    policy = Policy.load(world.settings.policy_file)
    for user, actor in world.actors.items():
        assert allows(actor.role, Capability.AUDIT) == policy.can_read_audit(actor), user
        assert allows(actor.role, Capability.ARCHIVE) == policy.can_manage_retention(actor), user


def newest_audit(world: World, limit: int = 3) -> list[tuple[str, str, str]]:
    from storage import audit, db

    engine = world.archive.engine  # type: ignore[attr-defined]
    with db.transaction(db.sessions(engine)) as session:
        return [(e.actor, e.action, e.object_type) for e in audit.entries(session, limit=limit)]


@pytest.mark.parametrize("user", sorted(USERS))
def test_the_audit_log_is_read_and_its_chain_checked_by_exactly_the_roles_allowed_and_audited(
    user: str, world: World, login: Callable
) -> None:
    policy = Policy.load(world.settings.policy_file)
    actor = world.actors[user]
    allowed = allows(actor.role, Capability.AUDIT) and policy.can_read_audit(actor)
    client: TestClient = login(user)
    bearer = api_token(client, user)
    page = client.get("/admin/audit", follow_redirects=False)
    if not allowed:
        assert page.status_code in DENIED
        verify = client.post("/admin/audit/verify", data={"csrf_token": client.csrf}, follow_redirects=False)  # type: ignore[attr-defined]
        assert verify.status_code in DENIED
        assert client.get("/api/v1/audit", headers=bearer).status_code in DENIED
        assert client.post("/api/v1/audit/verify", headers=bearer).status_code in DENIED
        return
    assert page.status_code == 200
    assert '<table class="audit">' in page.text and T["admin.audit_readonly"] not in page.text
    assert (user, "read", "audit_log") in newest_audit(world), "reading the audit log is itself audited"
    fragment = {"HX-Request": "true"}  # the button's answer: the report alone (the full page reads the log again)
    verify = client.post("/admin/audit/verify", data={"csrf_token": client.csrf}, headers=fragment)  # type: ignore[attr-defined]
    assert verify.status_code == 200 and 'data-verify="ok"' in verify.text
    assert newest_audit(world, 1) == [(user, "verify", "audit_log")]
    entries = client.get("/api/v1/audit?limit=5", headers=bearer)
    assert entries.status_code == 200 and len(entries.json()) == 5
    assert newest_audit(world, 1) == [(user, "read", "audit_log")]
    report = client.post("/api/v1/audit/verify", headers=bearer)
    assert report.status_code == 200 and report.json()["ok"] is True
    assert newest_audit(world, 1) == [(user, "verify", "audit_log")]
