"""The REST API under /api/v1: OpenAPI, bearer tokens, and the same reads and corrections as the pages."""

from __future__ import annotations

from fastapi.testclient import TestClient

from schemas.documents import DocumentType
from tests.web.conftest import PASSWORD, World


def token_for(client: TestClient, name: str) -> dict[str, str]:
    answer = client.post("/api/v1/token", data={"username": name, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    assert answer.json()["token_type"] == "bearer"
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def test_openapi_lists_the_operations_and_the_bearer_scheme(app: object) -> None:
    spec = TestClient(app).get("/api/v1/openapi.json").json()  # type: ignore[arg-type]
    assert {"/search", "/documents/{document_id}", "/persons/{person_id}", "/batches", "/token"} <= set(spec["paths"])
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


def test_the_api_needs_a_valid_token(app: object) -> None:
    client = TestClient(app)  # type: ignore[arg-type]
    assert client.get("/api/v1/search?q=Kovalenko").status_code == 401
    bad = {"Authorization": "Bearer not-a-token"}
    assert client.get("/api/v1/search?q=Kovalenko", headers=bad).status_code == 401
    assert client.post("/api/v1/token", data={"username": "abh", "password": "falsch"}).status_code == 401


def test_the_browser_session_does_not_open_the_api(login: object) -> None:
    client = login("abh")  # type: ignore[operator]
    assert client.get("/api/v1/search?q=Kovalenko").status_code == 401


def test_search_and_read_with_a_token(world: World, app: object) -> None:
    client = TestClient(app)  # type: ignore[arg-type]
    headers = token_for(client, "abh")
    hits = client.get("/api/v1/search?q=Kovalenko", headers=headers).json()
    assert {hit["document_id"] for hit in hits} <= set(world.documents.values())
    assert hits
    passport = world.documents[DocumentType.PASSPORT]
    view = client.get(f"/api/v1/documents/{passport}", headers=headers).json()
    assert view["type"] == "passport" and view["fields"]["surname"]["value"] == "Kovalenko"
    record = client.get(f"/api/v1/persons/{world.person_id}", headers=headers).json()
    assert passport in {d["id"] for d in record["documents"]}
    download = client.get(f"/api/v1/documents/{passport}/download/original", headers=headers)
    assert download.headers["content-disposition"].startswith("attachment;")


def test_a_correction_through_the_api_is_a_new_version(world: World, app: object) -> None:
    client = TestClient(app)  # type: ignore[arg-type]
    headers = token_for(client, "abh")
    visa = world.documents[DocumentType.VISA]
    before = client.get(f"/api/v1/documents/{visa}", headers=headers).json()["version"]
    answer = client.post(
        f"/api/v1/documents/{visa}/corrections",
        json={"changes": {"given_names": "Oleksandr Petro"}, "reason": "Schreibweise laut Pass"},
        headers=headers,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["version"] == before + 1
    assert answer.json()["fields"]["given_names"]["value"] == "Oleksandr Petro"
    missing_reason = client.post(
        f"/api/v1/documents/{visa}/corrections", json={"changes": {"sex": "F"}, "reason": ""}, headers=headers
    )
    assert missing_reason.status_code == 422


def test_a_department_that_may_not_read_a_type_gets_403(world: World, app: object) -> None:
    client = TestClient(app)  # type: ignore[arg-type]
    headers = token_for(client, "integration")  # the integration office reads no passports
    answer = client.get(f"/api/v1/documents/{world.documents[DocumentType.PASSPORT]}", headers=headers)
    assert answer.status_code == 403
    assert answer.json()["error"] == "access_denied"


def test_malformed_uploads_are_rejected_each_with_its_code_never_a_500(world: World, app: object) -> None:
    """`[good.png, truncated.tif]` or a PDF whose page fails answered 500 and left files behind without a batch."""
    from tests.malformed import issue_inputs

    client = TestClient(app)  # type: ignore[arg-type]
    token = client.post("/api/v1/token", data={"username": "empfang", "password": PASSWORD}).json()["access_token"]
    # Those rejected on admission (the others fail on a page, in the flow: tests/flows/test_contained.py).
    inputs = {name: found for name, found in issue_inputs().items() if name.endswith((".svg", ".html"))}
    inputs["empty.png"] = (b"", "empty_file")
    files = [("files", (name, data, "application/octet-stream")) for name, (data, _) in inputs.items()]
    answer = client.post("/api/v1/batches", files=files, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 202, answer.text
    rejected = {r["file"]: r["error"] for r in answer.json()["rejected"]}
    assert rejected == {name: code for name, (_, code) in inputs.items()}
    assert client.get("/healthz").status_code == 200
    inbox = world.settings.data_dir / "inbox" / ".web"
    assert not inbox.exists() or not [p for p in inbox.iterdir() if answer.json()["batch_id"] in p.name]
