"""Authorisation over every role × endpoint × document type: no response that the policy forbids.

The policy is two tables: `web.policy` (which role may use which kind of endpoint) and storage's access
policy (department × document type, narrowed by role). Every browser page and API endpoint is called as
every user for a document of every type; a forbidden call must end in 401/403/404 and an allowed one must
succeed. A route that is not in this matrix fails the test, so a new endpoint cannot skip the check. The audit
trail (read the log, verify the chain) is checked on its own against both tables, including that each use is
itself audited.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pikepdf
import pypdfium2 as pdfium
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from starlette.routing import Mount

from ocr.originals import document_original
from schemas.documents import (
    BBox,
    DocumentType,
    ExtractedDocument,
    ExtractedField,
    PageText,
    TextSource,
    Word,
    fields_for,
)
from schemas.record import SYSTEM_ACTOR, Actor, FilingRequest
from schemas.strings_de import T
from storage.policy import Policy
from tests.web.conftest import PASSWORD, USERS, World
from web.app import ROUTERS
from web.policy import Capability, allows

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
    ("POST", "/documents/{document_id}/type", Capability.REVIEW, "retype"),
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
    ("POST", "/search/saved", Capability.SEARCH),
    ("POST", "/search/saved/{search_id}/delete", Capability.SEARCH),
    ("GET", "/persons/{person_id}", Capability.READ),
    ("GET", "/admin", Capability.ARCHIVE),
    ("POST", "/admin/legal-hold", Capability.ARCHIVE),
    ("POST", "/admin/deletions", Capability.ARCHIVE),
    ("POST", "/admin/deletions/{request_id}/approve", Capability.ARCHIVE),
    ("POST", "/admin/integrity", Capability.ARCHIVE),
    ("GET", "/admin/audit", Capability.AUDIT),
    ("POST", "/admin/audit/verify", Capability.AUDIT),
    ("GET", "/admin/audit.csv", Capability.AUDIT),
    ("GET", "/admin/archive", Capability.ARCHIVE),
    ("POST", "/admin/archive/offer", Capability.ARCHIVE),
    ("POST", "/admin/archive/appraisal", Capability.ARCHIVE),
    ("POST", "/admin/archive/handover", Capability.ARCHIVE),
    ("POST", "/admin/archive/confirm", Capability.ARCHIVE),
    ("GET", "/admin/archive/transfers/{process_id}/zip", Capability.ARCHIVE),
    ("GET", "/admin/archive/transfers/{process_id}/{code}.xml", Capability.ARCHIVE),
    ("POST", "/admin/archive/documents", Capability.ARCHIVE),
    ("POST", "/admin/deletions/{request_id}/reject", Capability.ARCHIVE),
    ("POST", "/admin/deletions/{request_id}/withdraw", Capability.ARCHIVE),
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
    if check == "retype":  # to its own type (see `call`), and only while the document awaits review
        return readable and status == "needs_review" and policy.can_correct(actor, doc_type)
    return readable and (check == "read" or policy.can_correct(actor, doc_type))


def api_token(client: TestClient, name: str) -> dict[str, str]:
    answer = client.post("/api/v1/token", data={"username": name, "password": PASSWORD})
    assert answer.status_code == 200
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


_unique = itertools.count()


def call(
    client: TestClient, method: str, path: str, headers: dict[str, str], csrf: str, field: str, doc_type: str = "other"
) -> int:
    """One request; corrections change `field` to a new value each time so none is a no-op. A type change
    names the document's own type (`doc_type`): allowed, it changes nothing the later requests rely on."""
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
        "doc_type": doc_type,
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
            code = call(client, method, path, headers, client.csrf, field, doc_type.value)  # type: ignore[attr-defined]
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
            person_id=world.person_id,
            batch_id="unknown",
            request_id="unknown",
            file_index=0,
            page=1,
            process_id="unknown",
            code="0501",
            search_id="unknown",
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


# --- the stack dimension: one scan, documents of types with mixed permission ----------------------------

# Values that only one type in the stack states: whoever may not read that type must never receive them.
STACK_VALUES: dict[DocumentType, tuple[str, ...]] = {
    DocumentType.PASSPORT: ("STK7PASS1", "1977-07-07", "SYR"),
    DocumentType.NOTICE: ("JC-STACK-42",),
    DocumentType.BIRTH_CERTIFICATE: ("GEB-STACK-9", "1977-07-07"),
}


@dataclass(frozen=True)
class Stack:
    scan: bytes
    documents: dict[DocumentType, str]  # type -> id, page 1, 2, 3 of one scan in this order
    person_id: str


def _stack_fields(doc_type: DocumentType) -> dict[str, ExtractedField]:
    def field(value: str) -> ExtractedField:
        return ExtractedField(value=value, page=1, confidence=0.95, source=TextSource.TEXT_LAYER)

    if doc_type is DocumentType.PASSPORT:
        values = {
            "surname": "STACKOWA",
            "given_names": "OLENA",
            "document_number": "STK7PASS1",
            "nationality": "SYR",
            "birth_date": "1977-07-07",
        }
    elif doc_type is DocumentType.NOTICE:
        values = {"recipient_name": "Olena Stackowa", "file_number": "JC-STACK-42"}
    else:
        values = {"person_name": "Olena Stackowa", "birth_date": "1977-07-07", "certificate_number": "GEB-STACK-9"}
    return {name: field(value) for name, value in values.items()}


def _stack_scan() -> bytes:
    out = io.BytesIO()
    sheet = canvas.Canvas(out, pagesize=A4)
    for doc_type in STACK_VALUES:
        sheet.setFont("Helvetica", 16)
        lines = [doc_type.value.upper()] + [f"{k}: {f.value}" for k, f in _stack_fields(doc_type).items()]
        for index, line in enumerate(lines):
            sheet.drawString(60, 780 - 28 * index, line)
        sheet.showPage()
    sheet.save()
    return out.getvalue()


@pytest.fixture(scope="module")
def stack(world: World) -> Stack:
    """A three-page scan (passport, notice, birth certificate) filed as three documents with own originals."""
    archive: Any = world.archive
    scan = _stack_scan()
    scan_key = archive.put_original(scan)
    documents: dict[DocumentType, str] = {}
    for page, doc_type in enumerate(STACK_VALUES, start=1):
        fields = {name: f.model_copy(update={"page": page}) for name, f in _stack_fields(doc_type).items()}
        own = document_original(scan, "application/pdf", (page,), 3)
        words = tuple(
            Word(text=f"{f.value}", bbox=BBox(x0=0.1, y0=0.1 * i, x1=0.5, y1=0.1 * i + 0.05), confidence=0.9, line=i)
            for i, f in enumerate(fields.values())
        )
        text = PageText(page=page, width=1240, height=1754, source=TextSource.TEXT_LAYER, words=words)
        request = FilingRequest(
            original_key=scan_key,
            original_filename="stapel.pdf",
            media_type="application/pdf",
            document_original_key=archive.put_original(own),
            document=ExtractedDocument(type=doc_type, pages=(page,), confidence=0.95, review=False, fields=fields),
            pages=(text,),
            searchable_pdf_key=archive.put_derived(own, "application/pdf"),
        )
        documents[doc_type] = archive.file_document(request, SYSTEM_ACTOR).document_id
    clerk = world.actors["abh"]  # reads and reviews every type here
    person_id = archive.get_document(documents[DocumentType.PASSPORT], clerk).person_id
    assert person_id is not None
    for document_id in documents.values():
        if archive.get_document(document_id, clerk).person_id != person_id:
            archive.assign_person(document_id, person_id, "Stapel einer Person", clerk)
    return Stack(scan, documents, person_id)


def _texts_of(answer: Any) -> str:
    """What a response tells its reader: the body, and for a PDF the text of its pages too."""
    body = answer.content
    text = body.decode("latin-1")
    if body.startswith(b"%PDF"):
        document = pdfium.PdfDocument(body)
        try:
            text += "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
        finally:
            document.close()
    return text


@pytest.mark.parametrize("user", sorted(USERS))
def test_a_stack_gives_no_one_a_value_of_a_type_they_may_not_read(
    user: str, world: World, stack: Stack, login: Callable
) -> None:
    """Every endpoint that shows a document, a person, a search or a file, as every user, for every document
    of a mixed stack: the status codes follow the policy, the whole scan goes only to a reader of all of it,
    and no response body holds a value that only a type forbidden to the reader states."""
    policy = Policy.load(world.settings.policy_file)
    actor = world.actors[user]
    readable = {t for t in STACK_VALUES if policy.can_read(actor, t, filed_by_user_id=None, status="filed")}
    allowed_values = {v for t in readable for v in STACK_VALUES[t]}
    forbidden = {v for t in STACK_VALUES if t not in readable for v in STACK_VALUES[t]} - allowed_values
    client: TestClient = login(user)
    bearer = api_token(client, user)
    answers: list[tuple[str, Any]] = []

    def get(path: str) -> Any:
        answer = client.get(path, headers=bearer if path.startswith("/api/") else {}, follow_redirects=False)
        answers.append((path, answer))
        return answer

    for query in ("Stackowa", "STK7PASS1", "GEB-STACK-9", "JC-STACK-42", "1977-07-07"):
        get(f"/search?q={query}")
        get(f"/api/v1/search?q={query}")
    get(f"/persons/{stack.person_id}")
    get(f"/api/v1/persons/{stack.person_id}")
    violations: list[str] = []
    whole_scan = allows(actor.role, Capability.DOWNLOAD) and readable == set(STACK_VALUES)
    for doc_type, document_id in stack.documents.items():
        may_read = doc_type in readable and allows(actor.role, Capability.READ)
        for page in (1, 2, 3):
            image = get(f"/documents/{document_id}/pages/{page}.png")
            own_page = page == list(STACK_VALUES).index(doc_type) + 1
            if image.status_code == 200 and not own_page:
                violations.append(f"page {page} shown as part of {doc_type.value}")
        for path in (
            f"/documents/{document_id}",
            f"/documents/{document_id}/review",
            f"/api/v1/documents/{document_id}",
            f"/api/v1/documents/{document_id}/siblings",
        ):
            get(path)
        for which in ("original", "pdf", "scan"):
            for prefix in ("", "/api/v1"):
                answer = get(f"{prefix}/documents/{document_id}/download/{which}")
                may = may_read and allows(actor.role, Capability.DOWNLOAD) and (which != "scan" or whole_scan)
                if may and answer.status_code != 200:
                    violations.append(f"{which} of {doc_type.value} refused ({answer.status_code})")
                if not may and answer.status_code not in DENIED:
                    violations.append(f"{which} of {doc_type.value} answered ({answer.status_code})")
                if answer.status_code == 200 and which == "original":
                    with pikepdf.open(io.BytesIO(answer.content)) as own:
                        if len(own.pages) != 1:
                            violations.append(f"the original of {doc_type.value} has {len(own.pages)} pages")
                if answer.status_code == 200 and which == "scan" and answer.content != stack.scan:
                    violations.append("the whole scan is not the scan as it came in")
    for path, answer in answers:
        text = _texts_of(answer)
        # A search page repeats what the reader typed: that is not a value the reader learnt.
        echo = path.split("q=", 1)[1] if "q=" in path else None
        shown = text.replace(echo, "") if echo else text
        violations += [f"{path} holds {value!r}" for value in sorted(forbidden) if value in shown]
    assert violations == []
    if readable and allows(actor.role, Capability.READ):
        record = client.get(f"/api/v1/persons/{stack.person_id}", headers=bearer).json()
        shown = {i["value"] for i in record["person"]["identifiers"]}
        expected = {v for t in readable for v in STACK_VALUES[t] if "-" in v or v.startswith("STK")}
        assert shown == {v for v in expected if not v[0].isdigit()}, "the readable types' identifiers are shown"


def test_downloading_the_whole_scan_is_audited_as_such(world: World, stack: Stack, login: Callable) -> None:
    client: TestClient = login("abh")
    notice = stack.documents[DocumentType.NOTICE]
    assert client.get(f"/documents/{notice}/download/scan").status_code == 200
    assert newest_audit(world, 1) == [("abh", "download_scan", "document")]
    assert "/download/scan" in client.get(f"/documents/{notice}").text
    job = login("jobcenter")
    assert job.get(f"/documents/{notice}/download/scan").status_code == 403
    assert newest_audit(world, 1) == [("jobcenter", "download_denied", "document")]
    assert "/download/scan" not in job.get(f"/documents/{notice}").text
    original = job.get(f"/documents/{notice}/download/original")
    assert original.status_code == 200 and original.headers["content-type"] == "application/pdf"
    assert "Bescheid_Stackowa_" in original.headers["content-disposition"]
