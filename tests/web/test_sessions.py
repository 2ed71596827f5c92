"""A session cookie or API token stops working at its next request when its user is deactivated, gets a new
password or is signed out everywhere; signed cookies and tokens alone would have lasted the working day."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from schemas.record import Department, Role
from tests.web.conftest import PASSWORD, World, csrf_of


def signed_in(app: object, name: str, password: str = PASSWORD) -> tuple[TestClient, dict[str, str]]:
    """A browser client signed in through the login form, and a bearer header for the API."""
    client = TestClient(app)  # type: ignore[arg-type]
    data = {"username": name, "password": password, "csrf_token": csrf_of(client)}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303
    token = client.post("/api/v1/token", data={"username": name, "password": password})
    assert token.status_code == 200
    return client, {"Authorization": f"Bearer {token.json()['access_token']}"}


@pytest.mark.parametrize("ended_by", ["deactivate", "password", "revoke"])
def test_the_session_and_the_token_end_at_the_next_request(ended_by: str, world: World, app: object) -> None:
    archive = world.archive
    name = f"befristet-{ended_by}"
    archive.add_user(name, PASSWORD, Role.CLERK, Department.FOREIGNERS_AUTHORITY)  # type: ignore[attr-defined]
    client, bearer = signed_in(app, name)
    cookie = client.cookies["dach_session"]
    assert client.get("/search?q=Kovalenko").status_code == 200
    assert client.get("/api/v1/search?q=Kovalenko", headers=bearer).status_code == 200

    if ended_by == "deactivate":
        archive.set_user_active(name, False)  # type: ignore[attr-defined]
    elif ended_by == "password":
        archive.set_password(name, "ein-ganz-neues-passwort")  # type: ignore[attr-defined]
    else:
        archive.revoke_sessions(name)  # type: ignore[attr-defined]

    page = client.get("/search?q=Kovalenko", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    assert client.get(f"/persons/{world.person_id}", follow_redirects=False).status_code == 303
    htmx = client.get("/search?q=Kovalenko", headers={"HX-Request": "true"}, follow_redirects=False)
    assert htmx.status_code == 401 and htmx.headers["HX-Redirect"] == "/login"
    assert client.get("/api/v1/search?q=Kovalenko", headers=bearer).status_code == 401
    assert client.get(f"/api/v1/persons/{world.person_id}", headers=bearer).status_code == 401

    # The server decides, not the browser: the old cookie sent again by another client is refused as well.
    replay = TestClient(app)  # type: ignore[arg-type]
    replay.cookies.set("dach_session", cookie)
    assert replay.get("/search?q=Kovalenko", follow_redirects=False).status_code == 303

    if ended_by == "deactivate":
        refused = TestClient(app).post(  # type: ignore[arg-type]
            "/api/v1/token", data={"username": name, "password": PASSWORD}
        )
        assert refused.status_code == 401
    else:  # the user may sign in again (with the new password), and that new session works
        again, again_bearer = signed_in(app, name, "ein-ganz-neues-passwort" if ended_by == "password" else PASSWORD)
        assert again.get("/search?q=Kovalenko").status_code == 200
        assert again.get("/api/v1/search?q=Kovalenko", headers=again_bearer).status_code == 200


def test_a_session_of_a_user_who_was_deleted_from_the_table_ends(world: World, app: object) -> None:
    """A cookie naming a user id the record does not know (any more) is no session."""
    from sqlalchemy import text

    archive = world.archive
    archive.add_user("verschwindet", PASSWORD, Role.CLERK, Department.JOBCENTRE)  # type: ignore[attr-defined]
    client, bearer = signed_in(app, "verschwindet")
    with archive.engine.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(text("DELETE FROM users WHERE name = 'verschwindet'"))
    assert client.get("/search?q=x", follow_redirects=False).status_code == 303
    assert client.get("/api/v1/search?q=x", headers=bearer).status_code == 401


def test_when_the_record_is_down_the_session_check_answers_503_in_german(
    world: World, app: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from schemas.errors import StoreUnavailable
    from schemas.strings_de import T

    client, bearer = signed_in(app, "abh")

    def down(user_id: str, credentials_version: int, web_session: str | None = None) -> None:
        raise StoreUnavailable("the database does not answer; check that PostgreSQL is running.")

    monkeypatch.setattr(world.archive, "signed_in_actor", down)
    page = client.get("/search?q=x", follow_redirects=False)
    assert page.status_code == 503 and T["error.503"] in page.text
    assert client.get("/api/v1/search?q=x", headers=bearer).status_code == 503
