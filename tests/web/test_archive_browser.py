# ruff: noqa: F811 (the browser fixtures are shared with test_browser.py)
"""The archive journey in Debian's Chromium via Playwright: offer the due records (0501), read back the archive's
appraisal (0502), hand over (0503 ZIP), read the import confirmation (0506), delete with four eyes.
Screenshots in `var/test-artifacts/web/4-*.png`."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from schemas.archive import Appraisal
from schemas.documents import DocumentType
from storage import open_archive
from storage.models import Document
from storage.xdomea import build, schema
from tests.web.test_browser import Server, browser, page, server, shot, sign_in, sign_out  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def _expire(server: Server) -> None:
    archive = open_archive(server.settings)
    try:
        with archive.engine.begin() as conn:
            conn.execute(update(Document).values(retain_until=datetime.now(UTC) - timedelta(days=1)))
    finally:
        archive.close()


@pytest.mark.slow
def test_journey_archive_offer_appraisal_handover_confirm_and_four_eyes_deletion(
    server: Server, page: object, tmp_path: Path
) -> None:
    _expire(server)
    sign_in(page, server, "archiv")
    page.goto(server.url + "/admin/archive")  # type: ignore[attr-defined]
    shot(page, "4-01-archive-screen")
    page.get_by_role("button", name="Fällige Akten anbieten (0501)").click()  # type: ignore[attr-defined]
    page.get_by_text("Das Anbieteverzeichnis (0501) wurde erstellt").wait_for()  # type: ignore[attr-defined]
    shot(page, "4-02-offered")
    process = page.locator("article.transfer").first.get_attribute("data-process")  # type: ignore[attr-defined]
    offer = page.request.get(f"{server.url}/admin/archive/transfers/{process}/0501.xml")  # type: ignore[attr-defined]
    root = schema.parse(offer.body(), expect="Aussonderung.Anbieteverzeichnis.0501")
    ns = f"{{{schema.NS}}}"
    ids = [e.text or "" for e in root.iterfind(f"{ns}Schriftgutobjekt/{ns}Akte/{ns}Identifikation/{ns}ID")]
    assert ids

    appraisal = tmp_path / "0502.xml"
    appraisal.write_bytes(
        schema.serialise(build.appraisal(str(process), dict.fromkeys(ids, Appraisal.ARCHIVE), "A", "B"))
    )
    page.set_input_files(f"#appraisal-{process}", str(appraisal))  # type: ignore[attr-defined]
    page.get_by_role("button", name="Bewertung des Archivs einlesen (0502)").click()  # type: ignore[attr-defined]
    page.get_by_text("Die Bewertung wurde eingelesen.").wait_for()  # type: ignore[attr-defined]
    shot(page, "4-03-appraisal-read")

    page.get_by_role("button", name="Übergeben (0503-ZIP)").click()  # type: ignore[attr-defined]
    page.get_by_text("Die Aussonderung (0503) wurde erstellt.").wait_for(timeout=180_000)  # type: ignore[attr-defined]
    shot(page, "4-04-handed-over")
    with page.expect_download() as download:  # type: ignore[attr-defined]
        page.get_by_text("0503-ZIP herunterladen").click()  # type: ignore[attr-defined]
    saved = tmp_path / "handover.zip"
    download.value.save_as(saved)
    with zipfile.ZipFile(io.BytesIO(saved.read_bytes())) as package:
        message = schema.parse(package.read(f"{process}_Aussonderung.Aussonderung.0503.xml"))
        assert message is not None and any(n.endswith(".pdf") for n in package.namelist())

    confirmation = tmp_path / "0506.xml"
    confirmation.write_bytes(
        schema.serialise(
            build.import_confirmation(str(process), {i: (True, "Kreisarchiv 2026/42") for i in ids}, "A", "B")
        )
    )
    page.set_input_files(f"#confirm-{process}", str(confirmation))  # type: ignore[attr-defined]
    page.get_by_role("button", name="Übernahmebestätigung einlesen (0506)").click()  # type: ignore[attr-defined]
    page.get_by_text("Die Übernahme wurde bestätigt").wait_for()  # type: ignore[attr-defined]
    shot(page, "4-05-import-confirmed")

    page.goto(server.url + "/admin")  # type: ignore[attr-defined]
    assert page.get_by_role("button", name="Löschung genehmigen").count() == 0  # type: ignore[attr-defined]
    shot(page, "4-06-deletions-requested")
    sign_out(page)
    sign_in(page, server, "archiv2")
    page.goto(server.url + "/admin")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Löschung genehmigen").first.click()  # type: ignore[attr-defined]
    page.get_by_text("Die Löschung wurde genehmigt.").wait_for()  # type: ignore[attr-defined]
    shot(page, "4-07-deleted-with-four-eyes")
    page.goto(server.url + "/admin/audit?what=xdomea_0506")  # type: ignore[attr-defined]
    assert page.locator("table.audit tbody tr").count() == 1  # type: ignore[attr-defined]
    shot(page, "4-08-audit-filtered")
    filed = [*server.documents.values(), server.xss_document, server.zone_passport]  # every document it filed
    deleted = [d for d in filed if d and page.goto(f"{server.url}/documents/{d}").status == 404]  # type: ignore[attr-defined]
    assert len(deleted) == 1 and server.documents[DocumentType.PASSPORT]
