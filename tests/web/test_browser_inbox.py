"""The department inbox journeys of issue 18 in Debian's Chromium (headless) via Playwright, on the real
`dach serve`: the front desk opens a visit and files a stack; the social welfare clerk finds the hand-over
task of a § 24 residence permit, opens the document and marks the task done; the job centre clerk sees its
task and the visit's concern; a follow-up set today appears in the inbox. Screenshots in
`var/test-artifacts/web-inbox/`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from schemas.documents import DocumentType
from schemas.record import SYSTEM_ACTOR, Actor, Department, Role
from schemas.settings import Settings
from tests.storage.conftest import Filer, field
from tests.web.conftest import ARTIFACTS, PASSWORD
from tests.web.test_browser import CHROMIUM_ARGS, ROOT, free_port

pytestmark = pytest.mark.browser
SHOTS = ARTIFACTS / "web-inbox"
PERMIT_TEXT = "AUFENTHALTSERLAUBNIS § 24 AufenthG ausgestellt am 15.05.2024 KOVALENKO OLEKSANDR"
USERS = {
    "empfang": (Role.FRONT_DESK, Department.FRONT_DESK),
    "sozial": (Role.CLERK, Department.SOCIAL_WELFARE),
    "jobcenter": (Role.CLERK, Department.JOBCENTRE),
}


@dataclass
class Server:
    url: str
    person_id: str
    permit_id: str


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from storage import open_archive

    data_dir = tmp_path_factory.mktemp("browser-inbox")
    secret = "browser-inbox-" + "k" * 40
    archive = open_archive(Settings(data_dir=data_dir, secret_key=SecretStr(secret)))
    for name, (role, department) in USERS.items():
        archive.add_user(name, PASSWORD, role, department)
    filer = Filer(archive)
    person_id = filer.file(DocumentType.PASSPORT).person_id
    assert person_id is not None
    # the social welfare office's AsylbLG notice, assigned to the person after review
    request = filer.request(DocumentType.NOTICE, text="Bescheid AsylbLG KOVALENKO")
    fields = {**request.document.fields, "authority": field("Landkreis Musterland, Sozialamt")}
    request = request.model_copy(update={"document": request.document.model_copy(update={"fields": fields})})
    notice = archive.file_document(request, SYSTEM_ACTOR).document_id
    welfare = Actor(name="sozial", role=Role.CLERK, department=Department.SOCIAL_WELFARE)
    archive.assign_person(notice, person_id, "Bescheid gehört zur Person", welfare)
    permit = filer.file(DocumentType.RESIDENCE_PERMIT, number="RP0000024", text=PERMIT_TEXT).document_id
    archive.dispatch()
    archive.close()
    port = free_port()
    env = {**os.environ, "DACH_DATA_DIR": str(data_dir), "DACH_SECRET_KEY": secret}
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "dach"), "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            raise RuntimeError("dach serve did not answer /healthz")
        yield Server(url, person_id, permit)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        time.sleep(1)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def page() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="de-DE")
        yield context.new_page()
        context.close()
        chromium.close()


def shot(page: object, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def sign_in(page: object, server: Server, name: str) -> None:
    page.goto(server.url + "/login")  # type: ignore[attr-defined]
    page.get_by_label("Benutzername").fill(name)  # type: ignore[attr-defined]
    page.get_by_label("Passwort").fill(PASSWORD)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Anmelden").click()  # type: ignore[attr-defined]
    page.wait_for_load_state()  # type: ignore[attr-defined]


def sign_out(page: object) -> None:
    page.get_by_role("button", name="Abmelden").click()  # type: ignore[attr-defined]
    page.wait_for_url("**/login")  # type: ignore[attr-defined]


@pytest.mark.slow
def test_journey_visit_handover_done_and_follow_up(server: Server, page: object, tmp_path: Path) -> None:
    from lab.samples import generate

    # 1. The front desk opens a visit with two concerns and scans what the person brought.
    sign_in(page, server, "empfang")
    page.goto(server.url + f"/visits/new?person_id={server.person_id}")  # type: ignore[attr-defined]
    page.get_by_label("Anliegen: Sozialamt").fill("Fragt nach dem Stand der Leistungen")  # type: ignore[attr-defined]
    page.get_by_label("Anliegen: Jobcenter").fill("Möchte sich arbeitsuchend melden")  # type: ignore[attr-defined]
    shot(page, "1-visit-form")
    page.get_by_role("button", name="Anliegen weitergeben").click()  # type: ignore[attr-defined]
    page.locator("#visit-saved", has_text="2 Anliegen").wait_for()  # type: ignore[attr-defined]
    shot(page, "2-visit-saved")
    stack = generate(tmp_path / "stack", count=1, seed=6, kinds=["passport"], difficulty="clean")
    page.goto(server.url + "/intake")  # type: ignore[attr-defined]
    page.set_input_files("#files", [str(p) for p in stack])  # type: ignore[attr-defined]
    page.get_by_role("button", name="Hochladen und verarbeiten").click()  # type: ignore[attr-defined]
    page.locator("article.batch h3", has_text="Fertig").wait_for(timeout=600_000)  # type: ignore[attr-defined]
    shot(page, "3-stack-filed")
    sign_out(page)

    # 2. Social welfare finds the hand-over task, opens the document, marks the task done.
    sign_in(page, server, "sozial")
    page.goto(server.url + "/inbox")  # type: ignore[attr-defined]
    row = page.locator("tr[data-rule^='par24_asylblg_to_sgb2_social_welfare']")  # type: ignore[attr-defined]
    assert row.count() == 1
    assert page.locator("tr", has_text="Fragt nach dem Stand der Leistungen").count() == 0  # notes show on the task
    assert page.locator("tr", has_text="Anliegen aus Vorsprache").count() == 1  # type: ignore[attr-defined]
    page.locator("a[href='/inbox']").locator("span.counts").wait_for()  # type: ignore[attr-defined]
    shot(page, "4-welfare-inbox")
    row.get_by_role("link", name="AsylbLG-Leistungen zum Monatsende einstellen").click()
    page.get_by_role("link", name="Aufenthaltstitel – Dokument öffnen").click()  # type: ignore[attr-defined]
    page.wait_for_url(f"**/documents/{server.permit_id}")  # type: ignore[attr-defined]
    shot(page, "5-welfare-document")
    page.go_back()  # type: ignore[attr-defined]
    page.locator("#done-note").fill("Leistungen zum 31. eingestellt")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Erledigt").click()  # type: ignore[attr-defined]
    page.locator("dd[data-status='done']").wait_for()  # type: ignore[attr-defined]
    shot(page, "6-welfare-task-done")
    page.goto(server.url + "/inbox")  # type: ignore[attr-defined]
    assert page.locator("tr[data-rule^='par24_asylblg_to_sgb2_social_welfare']").count() == 0  # type: ignore[attr-defined]
    sign_out(page)

    # 3. The job centre sees its task and the visit's concern; a follow-up set today appears in the inbox.
    sign_in(page, server, "jobcenter")
    page.goto(server.url + "/inbox")  # type: ignore[attr-defined]
    assert page.locator("tr", has_text="Leistungen nach SGB II prüfen").count() == 1  # type: ignore[attr-defined]
    assert page.locator("tr", has_text="Anliegen aus Vorsprache").count() == 1  # type: ignore[attr-defined]
    shot(page, "7-jobcentre-inbox")
    page.goto(server.url + f"/persons/{server.person_id}")  # type: ignore[attr-defined]
    page.locator("#fu-note").fill("Eingliederungsvereinbarung besprechen")  # type: ignore[attr-defined]
    shot(page, "8-jobcentre-follow-up")
    page.get_by_role("button", name="Wiedervorlage setzen").click()  # type: ignore[attr-defined]
    page.wait_for_url("**/tasks/*")  # type: ignore[attr-defined]
    page.goto(server.url + "/inbox")  # type: ignore[attr-defined]
    assert page.locator("tr", has_text="Wiedervorlage").count() == 1  # type: ignore[attr-defined]
    shot(page, "9-follow-up-in-inbox")
