"""The department inbox in the authorisation matrix: every inbox endpoint × role × document type.

One task per (department, document type) is put into the record, so every department has tasks about
documents it may read and about documents it may not. For each user: every endpoint is called on tasks
of their own department and of the others; a call the policy forbids must end in 401/403/404, one it allows
must succeed, and no answer may carry the type (or a link) of a document the user's department may not
read. `INBOX_ROUTES` is also what `test_authz_matrix.py` expects these routes to declare.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from schemas.documents import DocumentType
from schemas.record import Department, Role
from schemas.strings_de import T, label
from storage import db
from storage.dispatch import new_task
from storage.models import Document
from storage.policy import Policy
from tests.web.conftest import USERS, World
from tests.web.test_authz_matrix import DENIED, api_token
from web.policy import Capability, allows

INBOX_ROUTES: list[tuple[str, str, Capability]] = [
    ("GET", "/inbox", Capability.TASKS),
    ("GET", "/inbox/counts", Capability.TASKS),
    ("GET", "/tasks/{task_id}", Capability.TASKS),
    ("POST", "/tasks/{task_id}", Capability.TASKS),
    ("POST", "/follow-ups", Capability.TASKS),
    ("GET", "/visits/new", Capability.VISIT),
    ("POST", "/visits", Capability.VISIT),
    ("GET", "/persons/{person_id}/work", Capability.TASKS),
    ("GET", "/documents/{document_id}/work", Capability.TASKS),
    ("POST", "/persons/{person_id}/contact", Capability.TASKS),
    ("POST", "/persons/{person_id}/merge", Capability.TASKS),
    ("GET", "/api/v1/tasks", Capability.TASKS),
    ("GET", "/api/v1/tasks/counts", Capability.TASKS),
    ("GET", "/api/v1/tasks/{task_id}", Capability.TASKS),
    ("POST", "/api/v1/tasks/{task_id}", Capability.TASKS),
    ("POST", "/api/v1/follow-ups", Capability.TASKS),
    ("POST", "/api/v1/visits", Capability.VISIT),
    ("GET", "/api/v1/persons/{person_id}/contact", Capability.TASKS),
    ("POST", "/api/v1/persons/{person_id}/contact", Capability.TASKS),
    ("POST", "/api/v1/persons/{person_id}/merge", Capability.TASKS),
]
CASE_DEPARTMENTS = [d for d in Department if d not in (Department.ARCHIVE, Department.DATA_PROTECTION)]
_unique = itertools.count()


@pytest.fixture(scope="module")
def tasks(world: World) -> dict[tuple[Department, DocumentType], str]:
    """One open task per department and document type, about the world's document of that type."""
    made: dict[tuple[Department, DocumentType], str] = {}
    engine = world.archive.engine  # type: ignore[attr-defined]
    with db.transaction(db.sessions(engine)) as session:
        for department, doc_type in itertools.product(CASE_DEPARTMENTS, DocumentType):
            doc = session.get(Document, world.documents[doc_type])
            row = new_task(
                source=f"matrix:{doc_type.value}",
                rule="matrix",
                department=department,
                kind="handover",
                title="Matrixaufgabe",
                created_by="test",
                document=doc,
                person_id=world.person_id,
                due=date.today(),
            )
            session.add(row)
            made[(department, doc_type)] = row.id
    return made


def may_read(policy: Policy, user: str, world: World, doc_type: DocumentType) -> bool:
    actor = world.actors[user]
    return doc_type in policy.readable_types(actor)


def leaks(text: str, policy: Policy, user: str, world: World) -> list[str]:
    """Types (their label or value) and document links of documents the user may not read, found in text."""
    found = []
    for doc_type, document_id in world.documents.items():
        if may_read(policy, user, world, doc_type):
            continue
        if f'/documents/{document_id}"' in text or f'"document_type":"{doc_type.value}"' in text:
            found.append(doc_type.value)
        if f">{label('type', doc_type)}" in text:
            found.append(label("type", doc_type))
    return found


def post(client: TestClient, path: str, headers: dict[str, str], body: dict[str, Any]) -> int:
    if path.startswith("/api/"):
        return client.post(path, json=body, headers=headers, follow_redirects=False).status_code
    form = {"csrf_token": client.csrf, **{k: str(v) for k, v in body.items()}}  # type: ignore[attr-defined]
    return client.post(path, data=form, follow_redirects=False).status_code


@pytest.mark.parametrize("user", sorted(USERS))
def test_inbox_endpoints_answer_only_what_the_policy_allows(
    user: str, world: World, tasks: dict[tuple[Department, DocumentType], str], login: Callable
) -> None:
    policy = Policy.load(world.settings.policy_file)
    actor = world.actors[user]
    client: TestClient = login(user)
    bearer = api_token(client, user)
    wrong: list[str] = []

    def check(case: str, allowed: bool, code: int) -> None:
        if not allowed and code not in DENIED:
            wrong.append(f"forbidden answered: {case} -> {code}")
        if allowed and code >= 400:
            wrong.append(f"allowed refused: {case} -> {code}")

    can_tasks = allows(actor.role, Capability.TASKS)
    for path in ("/inbox", "/inbox/counts", "/api/v1/tasks", "/api/v1/tasks/counts"):
        answer = client.get(path, headers=bearer if path.startswith("/api/") else {}, follow_redirects=False)
        check(f"{user} GET {path}", can_tasks, answer.status_code)
        if answer.status_code == 200:
            wrong += [f"{user} {path} shows {t}" for t in leaks(answer.text, policy, user, world)]
    for (department, doc_type), task_id in tasks.items():
        own = department == actor.department
        for path in (f"/tasks/{task_id}", f"/api/v1/tasks/{task_id}"):
            answer = client.get(path, headers=bearer if path.startswith("/api/") else {}, follow_redirects=False)
            check(f"{user} GET {path} ({department.value}, {doc_type.value})", can_tasks and own, answer.status_code)
            if answer.status_code == 200:
                wrong += [f"{user} {path} shows {t}" for t in leaks(answer.text, policy, user, world)]
        # claiming is allowed on one's own department's tasks only (done tasks may be claimed after reopening)
        for path in (f"/tasks/{task_id}", f"/api/v1/tasks/{task_id}"):
            reopen = post(client, path, bearer, {"action": "reopen"})
            code = post(client, path, bearer, {"action": "claim"})
            check(f"{user} POST {path} claim ({department.value}, {doc_type.value})", can_tasks and own, code)
            assert reopen in DENIED or reopen < 400
        # a follow-up on a document: only on documents the user may read
        view_status = world.archive.get_document(world.documents[doc_type], world.actors["abh"]).status  # type: ignore[attr-defined]
        readable = policy.can_read(actor, doc_type, filed_by_user_id=None, status=view_status)
        if department is Department.FOREIGNERS_AUTHORITY:  # once per document type is enough
            body = {"document_id": world.documents[doc_type], "due_date": date.today().isoformat(), "note": "WV"}
            for path in ("/follow-ups", "/api/v1/follow-ups"):
                code = post(client, path, bearer, body)
                allowed = can_tasks and readable and actor.role not in (Role.AUDITOR, Role.SYSTEM)
                check(f"{user} POST {path} {doc_type.value}", allowed, code)
            for path in (f"/documents/{world.documents[doc_type]}/work",):
                check(f"{user} GET {path}", can_tasks, client.get(path, follow_redirects=False).status_code)
    reads_records = policy.read_scope(actor).value == "department" and bool(policy.readable_types(actor))
    for path in (f"/persons/{world.person_id}/work", f"/api/v1/persons/{world.person_id}/contact"):
        answer = client.get(path, headers=bearer if path.startswith("/api/") else {}, follow_redirects=False)
        check(f"{user} GET {path}", can_tasks and reads_records, answer.status_code)
    body = {"team": "Team Nord", "reason": f"Matrix {next(_unique)}"}
    for path in (f"/persons/{world.person_id}/contact", f"/api/v1/persons/{world.person_id}/contact"):
        allowed = can_tasks and actor.role in (Role.CLERK, Role.LEAD)
        check(f"{user} POST {path}", allowed, post(client, path, bearer, body))
    # merging the person with itself: refused as invalid (400) once the actor may merge (a clerk or lead who
    # reads the record), denied before that; nothing is merged either way
    for path in (f"/persons/{world.person_id}/merge", f"/api/v1/persons/{world.person_id}/merge"):
        code = post(client, path, bearer, {"duplicate_id": world.person_id, "reason": "Matrix"})
        may_merge = can_tasks and actor.role in (Role.CLERK, Role.LEAD) and reads_records
        if not may_merge and code not in DENIED:
            wrong.append(f"forbidden answered: {user} POST {path} -> {code}")
        if may_merge and code != 400:
            wrong.append(f"merge not checked as allowed: {user} POST {path} -> {code}")
    can_visit = allows(actor.role, Capability.VISIT)
    check(f"{user} GET /visits/new", can_visit, client.get("/visits/new", follow_redirects=False).status_code)
    concern = {"department": "jobcentre", "note": "Matrix"}
    code = post(client, "/api/v1/visits", bearer, {"person_id": world.person_id, "concerns": [concern]})
    check(f"{user} POST /api/v1/visits", can_visit, code)
    code = post(client, "/visits", bearer, {"person_id": world.person_id, "concern.jobcentre": "Matrix"})
    check(f"{user} POST /visits", can_visit, code)
    assert wrong == []


def test_a_forwarded_task_names_the_fact_not_the_document(
    world: World, tasks: dict[tuple[Department, DocumentType], str], login: Callable
) -> None:
    """The job centre may not read birth certificates: its task about one shows neither type nor link."""
    client: TestClient = login("jobcenter")
    task_id = tasks[(Department.JOBCENTRE, DocumentType.BIRTH_CERTIFICATE)]
    page = client.get(f"/tasks/{task_id}")
    assert page.status_code == 200
    assert T["inbox.hidden_document"] in page.text
    assert f"/documents/{world.documents[DocumentType.BIRTH_CERTIFICATE]}" not in page.text
    api = client.get(f"/api/v1/tasks/{task_id}", headers=api_token(client, "jobcenter")).json()
    assert api["document_type"] is None and api["document_readable"] is False
    readable = client.get(
        f"/api/v1/tasks/{tasks[(Department.JOBCENTRE, DocumentType.RESIDENCE_PERMIT)]}",
        headers=api_token(client, "jobcenter"),
    ).json()
    assert readable["document_type"] == "residence_permit" and readable["document_readable"] is True
