"""The web app's transport security: login, sessions, CSRF, headers, escaping and upload checks."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORD, XSS, World, csrf_of
from web.app import ROUTERS
from web.security import safe_next

TEMPLATES = Path(__file__).resolve().parents[2] / "web" / "templates"


def test_healthz_answers_without_login(app: object) -> None:
    answer = TestClient(app).get("/healthz")  # type: ignore[arg-type]
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "intake": "ready"}  # nothing is warming up: uploads start at once


def test_pages_need_login_and_send_the_browser_to_the_login_form(app: object) -> None:
    client = TestClient(app)  # type: ignore[arg-type]
    answer = client.get("/search?q=x", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login?next=/search?q=x"


def test_login_with_a_wrong_password_fails_in_german(app: object) -> None:
    client = TestClient(app)  # type: ignore[arg-type]
    answer = client.post("/login", data={"username": "abh", "password": "falsch", "csrf_token": csrf_of(client)})
    assert answer.status_code == 401
    assert "Benutzername oder Passwort ist falsch." in answer.text
    assert "dach_session" not in answer.headers.get("set-cookie", "") or "user" not in client.cookies


def test_login_sets_a_signed_http_only_same_site_cookie_and_lands_on_the_role_page(app: object) -> None:
    client = TestClient(app)  # type: ignore[arg-type]
    answer = client.post(
        "/login",
        data={"username": "abh", "password": PASSWORD, "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/search"
    cookie = answer.headers["set-cookie"].lower()
    assert "dach_session=" in cookie and "httponly" in cookie and "samesite=strict" in cookie
    assert "secure" not in cookie  # https_only is off in these settings
    assert client.get("/search").status_code == 200


def test_a_forged_session_cookie_is_ignored(app: object) -> None:
    client = TestClient(app)  # type: ignore[arg-type]
    client.cookies.set("dach_session", "eyJ1c2VyIjogeyJuYW1lIjogImFiaCJ9fQ==.forged.sig")
    assert client.get("/search", follow_redirects=False).status_code == 303


def test_the_login_form_needs_its_csrf_token(app: object) -> None:
    client = TestClient(app)  # type: ignore[arg-type]
    client.get("/login")
    answer = client.post("/login", data={"username": "abh", "password": PASSWORD}, follow_redirects=False)
    assert answer.status_code == 403
    assert "Das Formular ist abgelaufen" in answer.text


def test_every_post_route_refuses_a_request_without_the_csrf_token(app: object, login: Callable) -> None:
    client = login("archiv")
    posts = [r for router in ROUTERS for r in router.routes if isinstance(r, APIRoute) and "POST" in r.methods]
    assert len(posts) >= 8
    for route in posts:
        path = route.path.replace("{document_id}", "x").replace("{request_id}", "x")
        answer = client.post(path, data={"csrf_token": "wrong"}, follow_redirects=False)
        assert answer.status_code == 403, path
        assert client.post(path, follow_redirects=False).status_code == 403, path


def test_a_csrf_token_in_the_htmx_header_is_accepted(app: object, login: Callable) -> None:
    client = login("revision")
    answer = client.post("/admin/audit/verify", headers={"X-CSRF-Token": client.csrf, "HX-Request": "true"})
    assert answer.status_code == 200
    assert 'data-verify="ok"' in answer.text


def test_security_headers_are_on_pages_errors_and_static_files(app: object, login: Callable) -> None:
    client = login("abh")
    for path in (
        "/search",
        "/documents/does-not-exist",
        "/static/app.css",
        "/healthz",
        "/api/v1/openapi.json",
    ):
        answer = client.get(path)
        csp = answer.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp, path
        assert "frame-ancestors 'none'" in csp
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY"
    assert client.get("/search").headers["cache-control"] == "no-store"


def test_templates_hold_no_inline_script_style_or_event_handler() -> None:
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template.name
        assert not re.search(r"\sstyle=", text), template.name
        assert not re.search(r"\son[a-z]+=", text), template.name
        assert "|safe" not in text and "autoescape false" not in text, template.name


def test_ocr_text_field_values_and_file_names_are_escaped(world: World, login: Callable) -> None:
    client = login("abh")
    document_id = world.documents[next(iter(world.documents))]
    for path in (f"/documents/{document_id}", f"/persons/{world.person_id}", "/search?q=Kovalenko"):
        page = client.get(path).text
        assert "<script>window.__xss" not in page, path
        assert 'onerror="window' not in page, path
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in client.get(f"/documents/{document_id}").text
    assert XSS  # the payload the fixture planted in file names


def test_downloads_are_attachments_named_for_the_document(world: World, login: Callable) -> None:
    """`<Typ>_<Name>_<Datum>.<ext>` from the record, never from the uploaded file name (which holds XSS)."""
    client = login("abh")
    document_id = next(iter(world.documents.values()))
    answer = client.get(f"/documents/{document_id}/download/original")
    assert answer.status_code == 200
    disposition = answer.headers["content-disposition"]
    assert re.fullmatch(
        r"attachment; filename=\"Reisepass_Kovalenko_\d{4}-\d\d-\d\d\.pdf\"; "
        r"filename\*=UTF-8''Reisepass_Kovalenko_\d{4}-\d\d-\d\d\.pdf",
        disposition,
    ), disposition
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.content.startswith(b"%PDF")


def test_logout_ends_the_session_and_a_copied_cookie_with_it(app: object, login: Callable) -> None:
    client = login("abh")
    copied = TestClient(app, cookies=dict(client.cookies))  # type: ignore[arg-type]
    assert copied.get("/search", follow_redirects=False).status_code == 200
    assert client.post("/logout", data={"csrf_token": client.csrf}, follow_redirects=False).status_code == 303
    assert client.get("/search", follow_redirects=False).status_code == 303
    assert copied.get("/search", follow_redirects=False).status_code == 303, "the session ended on the server"


def test_only_local_paths_are_followed_after_login() -> None:
    assert safe_next("/persons/1") == "/persons/1"
    for bad in (
        "https://evil.example/",
        "//evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
        None,
        "",
    ):
        assert safe_next(bad) == "/"


def test_uploads_are_checked_by_content_not_by_name(login: Callable) -> None:
    client = login("empfang")
    files = [("files", ("scan.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf"))]
    answer = client.post("/intake/upload", data={"csrf_token": client.csrf}, files=files)
    assert answer.status_code == 415
    assert "Die Datei ist ein Programm, kein Scan" in answer.text


def test_an_upload_over_the_size_limit_gets_a_german_413(world: World) -> None:
    from web.app import create_app

    small = world.settings.model_copy(
        update={"limits": world.settings.limits.model_copy(update={"max_file_bytes": 1000})}
    )
    client = TestClient(create_app(small, archive=world.archive))  # type: ignore[arg-type]
    token = csrf_of(client)
    client.post("/login", data={"username": "empfang", "password": PASSWORD, "csrf_token": token})
    token = csrf_of(client, "/intake")
    files = [("files", ("big.pdf", b"%PDF-1.4\n" + b"0" * 3_000_000, "application/pdf"))]
    answer = client.post("/intake/upload", data={"csrf_token": token}, files=files)
    assert answer.status_code == 413
    assert "zu groß" in answer.text


def test_repeated_failed_logins_are_slowed_down(app: object) -> None:
    client = TestClient(app)  # type: ignore[arg-type]
    token = csrf_of(client)
    codes = [
        client.post("/login", data={"username": "integration", "password": "nein", "csrf_token": token}).status_code
        for _ in range(6)
    ]
    assert codes[:5] == [401] * 5
    assert codes[5] == 429
    from web.routes.auth import throttle

    throttle.succeeded("testclient", "integration")  # other tests sign in from this address


def test_with_https_only_the_cookie_is_secure_and_hsts_is_sent(world: World) -> None:
    from web.app import create_app

    settings = world.settings.model_copy(update={"web_https_only": True})
    client = TestClient(create_app(settings, archive=world.archive), base_url="https://testserver")  # type: ignore[arg-type]
    answer = client.post(
        "/login",
        data={"username": "abh", "password": PASSWORD, "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )
    assert "secure" in answer.headers["set-cookie"].lower()
    assert answer.headers["strict-transport-security"].startswith("max-age=")


def test_a_thousand_wrong_passwords_from_one_address_are_throttled_and_the_user_still_signs_in(
    app: object,
) -> None:
    """/api/v1/token had no throttle (50 guesses, then the right one accepted); five wrong /login attempts by
    anyone locked the real user out for a minute."""
    from web.routes.auth import throttle

    attacker = TestClient(app, client=("203.0.113.9", 40000))  # type: ignore[arg-type]
    codes = [
        attacker.post("/api/v1/token", data={"username": "abh", "password": f"falsch-{n}"}).status_code
        for n in range(1000)
    ]
    # Five free failures, then back-off (1 s, 2 s, 4 s …): a few more answers while the thousand run, no more.
    assert codes[:5] == [401] * 5 and codes[5] == 429 and codes.count(401) <= 14, codes.count(401)
    right = attacker.post("/api/v1/token", data={"username": "abh", "password": PASSWORD})
    assert right.status_code == 429 and int(right.headers["retry-after"]) >= 1, "not even the right one gets in"
    form = TestClient(app, client=("203.0.113.9", 40001))  # type: ignore[arg-type]
    login = {"username": "abh", "password": "falsch", "csrf_token": csrf_of(form)}
    assert form.post("/login", data=login).status_code == 429, "the login form shares the throttle"

    user = TestClient(app, client=("198.51.100.7", 50000))  # type: ignore[arg-type]
    assert user.post("/api/v1/token", data={"username": "abh", "password": PASSWORD}).status_code == 200
    data = {"username": "abh", "password": PASSWORD, "csrf_token": csrf_of(user)}
    assert user.post("/login", data=data, follow_redirects=False).status_code == 303, "the real user is not locked out"
    throttle.succeeded("203.0.113.9", "abh")


def test_the_account_threshold_slows_only_addresses_that_failed_on_it() -> None:
    from web.security import LoginThrottle

    now = [0.0]
    throttle = LoginThrottle(free_failures=5, account_failures=20, clock=lambda: now[0])
    for n in range(40):  # a botnet: 40 addresses, one guess each
        assert throttle.retry_after(f"10.0.0.{n}", "anna") == 0
        throttle.failed(f"10.0.0.{n}", "anna")
    assert throttle.retry_after("10.0.0.1", "anna") > 0, "an address that guessed waits once the account is attacked"
    assert throttle.retry_after("192.0.2.1", "anna") == 0, "the user's own desk is let through"
    now[0] += 901
    assert throttle.retry_after("10.0.0.1", "anna") == 0, "everything is forgotten after the window"
