"""The archive screens as administrators use them: documents picked from a record to hold or delete, the list
of held documents, a refused approval that says why, requests rejected with a reason or withdrawn, hold,
retention and scan evidence on the document page, the audit log filtered, paged, named and as CSV, and the
whole xdomea transfer (offer, appraisal, hand-over, confirmation) through the web forms."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update

from schemas.archive import Appraisal
from schemas.documents import DocumentType
from schemas.strings_de import T
from storage.models import Document
from storage.xdomea import build, schema
from tests.web.conftest import World


def _requests(world: World) -> list[object]:
    return list(world.archive.deletion_requests(world.actors["archiv"]))  # type: ignore[attr-defined]


def test_document_page_shows_hold_retention_and_evidence(world: World, login: Callable[[str], TestClient]) -> None:
    client = login("abh")
    page = client.get(f"/documents/{world.documents[DocumentType.PASSPORT]}").text
    assert "Aufbewahren bis" in page and "Sperrvermerk" in page
    assert "Transfervermerk (Scan-Nachweis)" in page
    assert "Siegel, Zeitstempel und Prüfsummen sind gültig." in page
    assert f"Erfasst von</dt><dd>{T['version.author_intake']}" in page  # the system actor, in German


def test_pick_documents_from_a_record_hold_list_and_release(world: World, login: Callable[[str], TestClient]) -> None:
    client = login("archiv")
    record = client.get(f"/persons/{world.person_id}").text
    assert "Archivaktionen für ausgewählte Dokumente" in record
    picked = [world.documents[DocumentType.PASSPORT], world.documents[DocumentType.VISA]]
    answer = client.post(
        "/admin/archive/documents",
        data={
            "csrf_token": client.csrf,  # type: ignore[attr-defined]
            "document_ids": picked,
            "action": "hold",
            "reason": "Klageverfahren",
            "back": f"/persons/{world.person_id}",
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == f"/persons/{world.person_id}?done=hold"
    held = client.get("/admin/archive").text
    for document_id in picked:
        assert f'value="{document_id}"' in held
    assert "Kovalenko" in held  # named, not only an id
    client.post(
        "/admin/archive/documents",
        data={"csrf_token": client.csrf, "document_ids": picked, "action": "release", "reason": "erledigt"},  # type: ignore[attr-defined]
    )
    assert "Kein Dokument ist gesperrt." in client.get("/admin/archive").text
    assert login("abh").post("/admin/archive/documents", data={"action": "hold"}).status_code in (403, 303, 400)
    hits = client.get("/search", params={"q": "Kovalenko"}).text
    assert "Archivaktionen für ausgewählte Dokumente" in hits and f'value="{picked[0]}"' in hits
    assert "Archivaktionen" not in login("abh").get("/search", params={"q": "Kovalenko"}).text


def test_refused_approval_says_why_and_requests_can_be_rejected_or_withdrawn(
    world: World, login: Callable[[str], TestClient]
) -> None:
    first, second = login("archiv"), login("archiv2")
    target = world.documents[DocumentType.BIRTH_CERTIFICATE]
    world.archive.request_deletion(target, "Frist abgelaufen?", world.actors["archiv"])  # type: ignore[attr-defined]
    request_id = next(r.id for r in _requests(world) if r.document_id == target and r.status == "pending")  # type: ignore[attr-defined]
    refused = second.post(f"/admin/deletions/{request_id}/approve", data={"csrf_token": second.csrf})  # type: ignore[attr-defined]
    assert refused.status_code == 409
    until = re.search(r"Die Aufbewahrungsfrist läuft noch bis (\d\d\.\d\d\.\d{4})\.", refused.text)
    assert until is not None and int(until.group(1)[-4:]) >= datetime.now(UTC).year + 10
    own = first.post(f"/admin/deletions/{request_id}/approve", data={"csrf_token": first.csrf})  # type: ignore[attr-defined]
    assert "Eigene Anträge muss eine zweite Person genehmigen." in own.text
    rejected = second.post(
        f"/admin/deletions/{request_id}/reject",
        data={"csrf_token": second.csrf, "reason": "Frist läuft noch"},  # type: ignore[attr-defined]
    )
    assert "Der Löschantrag wurde abgelehnt." in rejected.text and "Frist läuft noch" in rejected.text
    world.archive.request_deletion(target, "versehentlich", world.actors["archiv"])  # type: ignore[attr-defined]
    again = next(r.id for r in _requests(world) if r.document_id == target and r.status == "pending")  # type: ignore[attr-defined]
    assert second.post(f"/admin/deletions/{again}/withdraw", data={"csrf_token": second.csrf}).status_code == 400  # type: ignore[attr-defined]
    withdrawn = first.post(f"/admin/deletions/{again}/withdraw", data={"csrf_token": first.csrf})  # type: ignore[attr-defined]
    assert "Der Löschantrag wurde zurückgezogen." in withdrawn.text
    assert {r.status for r in _requests(world) if r.document_id == target} == {"rejected", "withdrawn"}  # type: ignore[attr-defined]


def test_audit_log_filtered_paged_named_and_csv(world: World, login: Callable[[str], TestClient]) -> None:
    client = login("revision")
    for name in ("abh", "abh", "jobcenter"):
        login(name).get(f"/persons/{world.person_id}")
    page = client.get("/admin/audit", params={"who": "abh", "person": world.person_id}).text
    rows = re.findall(r"<tr><td>(\d+)</td>", page)
    assert rows and "jobcenter –" not in page
    assert "abh – Sachbearbeitung, Ausländerbehörde" in page  # who, by name, role and department in German
    assert "Posteingang (automatisch)" in client.get("/admin/audit", params={"what": "create"}).text
    assert "Kovalenko, Oleksandr" in page  # the person by name, not only the id
    first_page = client.get("/admin/audit").text
    assert re.search(r"Seite 1 von (\d+) \((\d+) Einträge\)", first_page)
    total = int(re.search(r"\((\d+) Einträge\)", first_page).group(1))  # type: ignore[union-attr]
    assert len(re.findall(r"<tr><td>(\d+)</td>", first_page)) == min(50, total)
    if total > 50:
        second = client.get("/admin/audit", params={"page": 2}).text
        assert set(re.findall(r"<tr><td>(\d+)</td>", second)).isdisjoint(re.findall(r"<tr><td>(\d+)</td>", first_page))
    today = datetime.now(UTC).date()
    empty = client.get("/admin/audit", params={"until": (today - timedelta(days=2)).isoformat()}).text
    assert "(0 Einträge)" in empty
    exported = client.get("/admin/audit.csv", params={"who": "abh"})
    assert exported.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(exported.text.lstrip("\ufeff")), delimiter=";"))
    assert table[0][:3] == ["seq", "zeit", "wer"] and {r[2] for r in table[1:]} == {"abh"}
    assert any(r[10] == "Kovalenko, Oleksandr" for r in table[1:])
    assert login("abh").get("/admin/audit.csv").status_code in (303, 403)


def test_transfer_to_the_archive_through_the_forms(world: World, login: Callable[[str], TestClient]) -> None:
    client = login("archiv")
    assert "Keine Akte ist fällig" in client.post("/admin/archive/offer", data={"csrf_token": client.csrf}).text  # type: ignore[attr-defined]
    with world.archive.engine.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(update(Document).values(retain_until=datetime.now(UTC) - timedelta(days=1), legal_hold=False))
    offered = client.post("/admin/archive/offer", data={"csrf_token": client.csrf})  # type: ignore[attr-defined]
    assert "Das Anbieteverzeichnis (0501) wurde erstellt" in offered.text
    process = re.search(r'data-process="([0-9a-f-]{36})"', offered.text).group(1)  # type: ignore[union-attr]
    offer_xml = client.get(f"/admin/archive/transfers/{process}/0501.xml")
    root = schema.parse(offer_xml.content, expect="Aussonderung.Anbieteverzeichnis.0501")
    ids = [
        e.text
        for e in root.iterfind(
            f"{{{schema.NS}}}Schriftgutobjekt/{{{schema.NS}}}Akte/{{{schema.NS}}}Identifikation/{{{schema.NS}}}ID"
        )
    ]
    bad = client.post(
        "/admin/archive/appraisal",
        data={"csrf_token": client.csrf},  # type: ignore[attr-defined]
        files={"message": ("0502.xml", b"<kaputt/>", "application/xml")},
    )
    assert bad.status_code == 400 and "in der Quarantäne aufbewahrt" in bad.text
    appraisal = schema.serialise(build.appraisal(process, {i: Appraisal.ARCHIVE for i in ids if i}, "A", "B"))
    done = client.post(
        "/admin/archive/appraisal",
        data={"csrf_token": client.csrf},  # type: ignore[attr-defined]
        files={"message": ("0502.xml", appraisal, "application/xml")},
    )
    assert "Die Bewertung wurde eingelesen." in done.text and "archivieren" in done.text
    handed = client.post("/admin/archive/handover", data={"csrf_token": client.csrf, "process_id": process})  # type: ignore[attr-defined]
    assert "Die Aussonderung (0503) wurde erstellt." in handed.text, handed.text[-2000:]
    package = client.get(f"/admin/archive/transfers/{process}/zip")
    with zipfile.ZipFile(io.BytesIO(package.content)) as z:
        assert f"{process}_Aussonderung.Aussonderung.0503.xml" in z.namelist()
    confirmation = schema.serialise(build.import_confirmation(process, {i: (True, "KA-9") for i in ids if i}, "A", "B"))
    confirmed = client.post(
        "/admin/archive/confirm",
        data={"csrf_token": client.csrf},  # type: ignore[attr-defined]
        files={"message": ("0506.xml", confirmation, "application/xml")},
    )
    assert "Die Übernahme wurde bestätigt" in confirmed.text and "KA-9" in confirmed.text
    assert any(r.reason.startswith(f"xdomea {process}") for r in _requests(world))  # type: ignore[attr-defined]
