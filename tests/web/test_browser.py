"""The three journeys of the web issue and the XSS check, in Debian's Chromium (headless) via Playwright.

The server is the real `dach serve` on a free loopback port with its own data folder; the tests sign in
as the users of `tests/web/conftest.py`. Every step leaves a screenshot in `var/test-artifacts/web/`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import yaml
from pydantic import SecretStr

from schemas.documents import (
    BBox,
    DocumentType,
    ExtractedDocument,
    ExtractedField,
    PageText,
    TextSource,
    Word,
)
from schemas.record import SYSTEM_ACTOR, FilingRequest
from schemas.settings import Settings
from storage.policy import SHIPPED_POLICY
from tests.web.conftest import ARTIFACTS, PASSWORD, USERS, XSS, file_one, file_zone_passport, pdf_page

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = ARTIFACTS / "web"


@dataclass
class Server:
    url: str
    settings: Settings
    documents: dict[DocumentType, str]
    xss_document: str
    person_id: str
    zone_passport: str = ""  # a passport with the boxes of both zones (MRZ and visual zone)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def file_xss_document(archive: object) -> str:
    """A document whose file name, OCR text and field values all carry script payloads."""
    data = pdf_page(["NOTICE", XSS])
    key = archive.put_original(data)  # type: ignore[attr-defined]
    word = Word(text=XSS, bbox=BBox(x0=0.1, y0=0.1, x1=0.9, y1=0.14), confidence=0.9)
    fields = {
        "authority": ExtractedField(value=XSS, page=1, bbox=BBox(x0=0.1, y0=0.1, x1=0.9, y1=0.14)),
        "subject": ExtractedField(value="Kovalenko " + XSS, page=1),
        "recipient_name": ExtractedField(value="Oleksandr Kovalenko", page=1),
    }
    request = FilingRequest(
        original_key=key,
        original_filename=XSS + ".pdf",
        media_type="application/pdf",
        document=ExtractedDocument(type=DocumentType.NOTICE, pages=(1,), confidence=0.9, fields=fields),
        pages=(PageText(page=1, width=1000, height=1414, source=TextSource.OCR, words=(word,)),),
        searchable_pdf_key=archive.put_derived(data, "application/pdf"),  # type: ignore[attr-defined]
    )
    return str(archive.file_document(request, SYSTEM_ACTOR).document_id)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from storage import open_archive

    data_dir = tmp_path_factory.mktemp("browser")
    secret = "browser-test-" + "k" * 40
    # The shipped policy, except that "other" documents may be deleted at once (the deletion journey).
    policy = yaml.safe_load(SHIPPED_POLICY.read_text())
    policy["retention_years"]["other"] = 0
    policy_file = data_dir / "policy.yaml"
    policy_file.write_text(yaml.safe_dump(policy))
    settings = Settings(data_dir=data_dir, secret_key=SecretStr(secret), policy_file=policy_file)
    archive = open_archive(settings)
    for name, (role, department) in USERS.items():
        archive.add_user(name, PASSWORD, role, department)
    documents = {t: file_one(archive, t, "Kovalenko", SYSTEM_ACTOR) for t in DocumentType}
    xss_document = file_xss_document(archive)
    zone_passport = file_zone_passport(archive)
    person_id = archive.get_document(documents[DocumentType.PASSPORT], archive.authenticate("abh", PASSWORD)).person_id
    archive.close()
    port = free_port()
    env = {
        **os.environ,
        "DACH_DATA_DIR": str(data_dir),
        "DACH_SECRET_KEY": secret,
        "DACH_POLICY_FILE": str(policy_file),
    }
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "dach"), "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the Prefect server it may start is stopped with it
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            raise RuntimeError("dach serve did not answer /healthz within 30 s")
        yield Server(url, settings, documents, xss_document, str(person_id), zone_passport)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        time.sleep(1)  # let the group's other members (Prefect's ephemeral server) exit too
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="de-DE")  # type: ignore[attr-defined]
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    refused: list[str] = []
    page.on("console", lambda msg: refused.append(msg.text) if "Content Security Policy" in msg.text else None)
    yield page
    context.close()
    assert refused == [], "the page tried something the Content-Security-Policy forbids"


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
def test_journey_front_desk_scans_a_mixed_stack_then_a_clerk_corrects_a_field_and_moves_a_page(
    server: Server, page: object, tmp_path: Path
) -> None:
    from lab.samples import generate

    stack = generate(tmp_path / "stack", count=2, seed=6, kinds=["passport", "notice"], difficulty="clean")
    # seed 24: a passport (page 1) and a two-page notice (pages 2-3) in one scanned stack
    stack += generate(tmp_path / "glued", count=1, seed=24, kinds=["stack"], difficulty="clean", formats=["pdf-text"])
    sign_in(page, server, "empfang")
    shot(page, "1-01-front-desk")
    page.set_input_files("#files", [str(p) for p in stack])  # type: ignore[attr-defined]
    shot(page, "1-02-files-chosen")
    started = time.monotonic()
    page.get_by_role("button", name="Hochladen und verarbeiten").click()  # type: ignore[attr-defined]
    panel = page.locator("article.batch").first  # type: ignore[attr-defined]
    panel.wait_for()
    shot(page, "1-03-batch-running")
    panel.locator("tr[data-document]").first.wait_for(timeout=240_000)
    first_result_s = time.monotonic() - started
    page.locator("article.batch h3", has_text="Fertig").wait_for(timeout=240_000)  # type: ignore[attr-defined]
    shot(page, "1-04-batch-done")
    print(f"first document visible after {first_result_s:.1f} s")
    # Filed rows offer the uploader no link (the document is the department's now): the clerk opens it.
    review_link = f"/documents/{panel.locator('tr[data-document]').first.get_attribute('data-document')}/review"
    glued = panel.locator("tr", has_text="stack").filter(has=page.locator("td.thumbs img >> nth=1"))  # type: ignore[attr-defined]
    assert glued.count() == 1, "the stack's two-page notice is one row with two page thumbnails"
    notice_link = f"/documents/{glued.get_attribute('data-document')}/review"
    sign_out(page)
    sign_in(page, server, "abh")
    page.goto(server.url + review_link)  # type: ignore[attr-defined]
    shot(page, "1-05-review")
    first_input = page.locator(".fields input[name^='field.']").first  # type: ignore[attr-defined]
    first_input.focus()
    assert page.locator("rect.fieldbox.active").count() <= 1  # type: ignore[attr-defined]
    first_input.fill("KORRIGIERT")
    page.get_by_label("Grund der Korrektur").fill("Lesefehler, laut Original berichtigt")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Korrektur speichern und ablegen").click()  # type: ignore[attr-defined]
    page.get_by_text("Die Korrektur wurde als neue Version gespeichert.").wait_for()  # type: ignore[attr-defined]
    shot(page, "1-06-corrected")
    assert first_input.input_value() == "KORRIGIERT"

    # The notice of the stack: split its last page off into a document of its own, then move it back.
    page.goto(server.url + str(notice_link))  # type: ignore[attr-defined]
    pages_before = page.locator("section.pages figure").count()  # type: ignore[attr-defined]
    assert pages_before == 2
    shot(page, "1-07-move-page-before")
    page.get_by_label("Seite 3").check()  # type: ignore[attr-defined]  # the checkbox is labelled by its page
    page.get_by_label("Wohin?").select_option("new")  # type: ignore[attr-defined]
    page.get_by_label("Grund", exact=True).fill("Seite 3 gehört zu einem anderen Vorgang")  # type: ignore[attr-defined]
    shot(page, "1-08-move-page-chosen")
    page.get_by_role("button", name="Seiten verschieben").click()  # type: ignore[attr-defined]
    page.get_by_text("Die Seiten wurden verschoben.").wait_for()  # type: ignore[attr-defined]
    assert page.locator("section.pages figure").count() == 1  # type: ignore[attr-defined]
    shot(page, "1-09-page-split-off")
    source_id = str(notice_link).split("/")[2]
    page.locator("ul.siblings a", has_text="").last.click()  # type: ignore[attr-defined]
    page.wait_for_url("**/review")  # type: ignore[attr-defined]
    assert page.locator("section.pages figcaption", has_text="Seite 3").count() == 1  # type: ignore[attr-defined]
    page.keyboard.press("Tab")  # type: ignore[attr-defined]
    page.get_by_label("Seite 3").focus()  # type: ignore[attr-defined]
    page.keyboard.press("Space")  # type: ignore[attr-defined]  # keyboard users tick the page the same way
    assert page.get_by_label("Seite 3").is_checked()  # type: ignore[attr-defined]
    target = page.locator(f"#move-target option[value='{source_id}']").get_attribute("value")  # type: ignore[attr-defined]
    page.get_by_label("Wohin?").select_option(str(target))  # type: ignore[attr-defined]
    page.get_by_label("Grund", exact=True).fill("doch Teil des Bescheids")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Seiten verschieben").click()  # type: ignore[attr-defined]
    page.get_by_text("Die Seiten wurden verschoben.").wait_for()  # type: ignore[attr-defined]
    assert page.url.endswith(f"/documents/{source_id}/review?moved=1")  # type: ignore[attr-defined]
    assert page.locator("section.pages figure").count() == 2  # type: ignore[attr-defined]
    shot(page, "1-10-page-moved-back")
    page.goto(server.url + f"/documents/{source_id}")  # type: ignore[attr-defined]
    assert page.get_by_text("Seiten verschoben").count() >= 2  # type: ignore[attr-defined]  # both moves in the history
    shot(page, "1-11-history")


def test_journey_clerk_searches_opens_the_record_and_downloads_the_searchable_pdf(server: Server, page: object) -> None:
    sign_in(page, server, "abh")
    shot(page, "2-01-search")
    page.get_by_label("Suchbegriff").fill("Kovalenko")  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    page.locator("li.hit").first.wait_for()  # type: ignore[attr-defined]
    shot(page, "2-02-results")
    page.get_by_role("link", name="Akte öffnen").first.click()  # type: ignore[attr-defined]
    page.wait_for_url(f"**/persons/{server.person_id}")  # type: ignore[attr-defined]
    assert page.get_by_text("Läuft bald ab").count() >= 1  # type: ignore[attr-defined]
    shot(page, "2-03-record")
    page.get_by_role("link", name="Reisepass").first.click()  # type: ignore[attr-defined]
    page.get_by_role("link", name="Durchsuchbares PDF herunterladen").wait_for()  # type: ignore[attr-defined]
    page.locator(".pagebox img").first.wait_for()  # type: ignore[attr-defined]
    shot(page, "2-04-document")
    with page.expect_download() as download_info:  # type: ignore[attr-defined]
        page.get_by_role("link", name="Durchsuchbares PDF herunterladen").click()  # type: ignore[attr-defined]
    download = download_info.value
    # Named for the document (<Typ>_<Name>_<Datum>), never by its id or the uploaded file name.
    assert download.suggested_filename.startswith("Reisepass_") and download.suggested_filename.endswith(".pdf")
    assert Path(download.path()).read_bytes().startswith(b"%PDF")


def test_journey_archive_verifies_the_audit_chain(server: Server, page: object) -> None:
    sign_in(page, server, "archiv")
    shot(page, "3-01-admin")
    page.goto(server.url + "/admin/audit")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Kette prüfen").click()  # type: ignore[attr-defined]
    page.locator("[data-verify=ok]").wait_for()  # type: ignore[attr-defined]
    shot(page, "3-05-chain-verified")
    page.reload()  # type: ignore[attr-defined]  # the administrator reads the log too, their check is on it
    first = page.locator("table.audit tbody tr").first  # type: ignore[attr-defined]
    assert "Kette geprüft" in first.inner_text() and "archiv" in first.inner_text()
    shot(page, "3-05b-admin-reads-the-log")
    sign_out(page)
    sign_in(page, server, "revision")
    page.get_by_role("button", name="Kette prüfen").click()  # type: ignore[attr-defined]
    page.locator("[data-verify=ok]").wait_for()  # type: ignore[attr-defined]
    assert page.locator("table.audit tbody tr").count() > 10  # type: ignore[attr-defined]
    shot(page, "3-06-audit-log")


def test_journey_archive_legal_hold_and_four_eyes_deletion(server: Server, page: object) -> None:
    held, doomed = server.documents[DocumentType.VISA], server.documents[DocumentType.OTHER]
    sign_in(page, server, "archiv")
    page.locator("#hold-doc").fill(held)  # type: ignore[attr-defined]
    page.locator("#hold-reason").fill("Klageverfahren anhängig")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Speichern").click()  # type: ignore[attr-defined]
    page.get_by_text("Der Sperrvermerk wurde gespeichert.").wait_for()  # type: ignore[attr-defined]
    shot(page, "3-02-legal-hold")
    page.locator("#del-doc").fill(doomed)  # type: ignore[attr-defined]
    page.locator("#del-reason").fill("Aufbewahrungsfrist abgelaufen")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Löschung beantragen").click()  # type: ignore[attr-defined]
    page.get_by_text("Der Löschantrag wurde gestellt.").wait_for()  # type: ignore[attr-defined]
    assert page.get_by_role("button", name="Löschung genehmigen").count() == 0  # type: ignore[attr-defined]
    assert page.get_by_text("Eigene Anträge muss eine zweite Person genehmigen.").count() == 1  # type: ignore[attr-defined]
    shot(page, "3-03-deletion-requested")
    sign_out(page)
    sign_in(page, server, "archiv2")
    page.get_by_role("button", name="Löschung genehmigen").first.click()  # type: ignore[attr-defined]
    page.get_by_text("Die Löschung wurde genehmigt.").wait_for()  # type: ignore[attr-defined]
    shot(page, "3-04-deletion-approved")
    sign_out(page)
    sign_in(page, server, "abh")
    assert page.goto(server.url + f"/documents/{doomed}").status == 404  # type: ignore[attr-defined]
    assert page.goto(server.url + f"/documents/{held}").status == 200  # type: ignore[attr-defined]


def test_no_xss_payload_executes_in_file_names_ocr_text_or_field_values(server: Server, page: object) -> None:
    sign_in(page, server, "abh")
    paths = [
        f"/documents/{server.xss_document}",
        f"/documents/{server.xss_document}/review",
        f"/persons/{server.person_id}",
        "/search?q=Kovalenko",
    ]
    for path in paths:
        page.goto(server.url + path)  # type: ignore[attr-defined]
        page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
        assert page.evaluate("window.__xss") is None, path  # type: ignore[attr-defined]
    page.goto(server.url + f"/documents/{server.xss_document}")  # type: ignore[attr-defined]
    assert page.get_by_text(XSS).count() >= 1  # type: ignore[attr-defined]  # shown as text, not run
    shot(page, "x-01-document-with-payloads")
    sign_out(page)
    sign_in(page, server, "empfang")
    bad = Path(server.settings.data_dir) / "upload.bin"
    bad.write_bytes(b"MZ" + b"\x00" * 100)
    page.set_input_files("#files", {"name": XSS + ".pdf", "mimeType": "application/pdf", "buffer": bad.read_bytes()})  # type: ignore[attr-defined]
    page.get_by_role("button", name="Hochladen und verarbeiten").click()  # type: ignore[attr-defined]
    page.locator("article.batch .rejected").wait_for()  # type: ignore[attr-defined]
    assert page.evaluate("window.__xss") is None  # type: ignore[attr-defined]
    shot(page, "x-02-upload-with-payload-name")
    assert page.dialogs == []  # type: ignore[attr-defined]


def test_files_dropped_on_the_upload_zone_are_taken(server: Server, page: object) -> None:
    sign_in(page, server, "empfang")
    page.evaluate(  # type: ignore[attr-defined]
        """() => {
            const transfer = new DataTransfer();
            transfer.items.add(new File(["%PDF-1.4"], "scan-1.pdf", {type: "application/pdf"}));
            transfer.items.add(new File(["%PDF-1.4"], "scan-2.pdf", {type: "application/pdf"}));
            const zone = document.querySelector("[data-dropzone]");
            zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: transfer, bubbles: true}));
            zone.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true}));
        }"""
    )
    assert page.evaluate("document.querySelector('#files').files.length") == 2  # type: ignore[attr-defined]
    assert page.locator("[data-chosen]").inner_text() == "scan-1.pdf, scan-2.pdf"  # type: ignore[attr-defined]
    shot(page, "1-00-dropped")


def test_keyboard_users_reach_the_content_and_the_forms(server: Server, page: object) -> None:
    page.goto(server.url + "/login")  # type: ignore[attr-defined]
    assert page.evaluate("document.activeElement.id") == "username"  # type: ignore[attr-defined]  # autofocus
    page.keyboard.press("Shift+Tab")  # type: ignore[attr-defined]  # the home link
    page.keyboard.press("Shift+Tab")  # type: ignore[attr-defined]  # the skip link, first on every page
    assert page.evaluate("document.activeElement.textContent") == "Zum Inhalt springen"  # type: ignore[attr-defined]
    shot(page, "0-01-skip-link-focused")
    page.get_by_label("Benutzername").focus()  # type: ignore[attr-defined]
    page.keyboard.type("abh")  # type: ignore[attr-defined]
    page.keyboard.press("Tab")  # type: ignore[attr-defined]
    page.keyboard.type(PASSWORD)  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    page.wait_for_url("**/search")  # type: ignore[attr-defined]
