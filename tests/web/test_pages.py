"""The pages of the three kinds of users, on the real storage: what they show and what they write."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from schemas.documents import DocumentType
from schemas.strings_de import T
from tests.web.conftest import PASSWORD, StandInReader, World, csrf_of, pdf_page
from web.routes.departments import parse_date


def test_record_groups_by_matter_newest_first_and_flags_expiring_documents(world: World, login: Callable) -> None:
    page = login("abh").get(f"/persons/{world.person_id}").text
    assert page.count("Vorgang:") >= 2  # school/degree certificates go to the integration matter
    soon = (date.today() + timedelta(days=30)).strftime("%d.%m.%Y")
    assert soon in page
    assert "Läuft bald ab" in page
    assert "Kovalenko" in page


def test_opening_a_record_is_one_audited_read_with_the_expiry_dates_included(world: World, login: Callable) -> None:
    """The expiry flags come with the record: not one extra document read (and audit entry) per passport."""
    from storage import audit, db

    client = login("abh")
    engine = world.archive.engine  # type: ignore[attr-defined]
    with db.transaction(db.sessions(engine)) as session:
        before = audit.count(session)
    page = client.get(f"/persons/{world.person_id}").text
    with db.transaction(db.sessions(engine)) as session:
        added = [(e.action, e.object_type) for e in audit.entries(session, limit=audit.count(session) - before)]
    assert added == [("read", "record")]
    assert "Läuft bald ab" in page


def test_dates_are_read_in_iso_and_german_form() -> None:
    assert parse_date("2031-05-14") == date(2031, 5, 14)
    assert parse_date("14.05.2031") == date(2031, 5, 14)
    assert parse_date("14/05/2031") is None
    assert parse_date(None) is None


def test_document_page_shows_pages_fields_and_both_downloads(world: World, login: Callable) -> None:
    client = login("abh")
    passport = world.documents[DocumentType.PASSPORT]
    page = client.get(f"/documents/{passport}").text
    assert f"/documents/{passport}/pages/1.png" in page
    assert f"/documents/{passport}/download/original" in page
    assert "Familienname" in page and "Kovalenko" in page
    image = client.get(f"/documents/{passport}/pages/1.png?w=200")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")


def test_review_highlights_every_field_box_and_saves_a_correction_as_a_new_version(
    world: World, login: Callable
) -> None:
    client = login("abh")
    permit = world.documents[DocumentType.RESIDENCE_PERMIT]
    page = client.get(f"/documents/{permit}/review").text
    boxed = re.findall(r'<rect id="box-([a-z_]+)"', page)
    assert set(boxed) == {
        "surname",
        "given_names",
        "document_number",
        "nationality",
        "birth_date",
        "expiry_date",
    }
    answer = client.post(
        f"/documents/{permit}/correct",
        data={"csrf_token": client.csrf, "field.document_number": "Y1234567", "reason": "Nummer laut Karte"},
    )
    assert answer.status_code == 200
    assert "Die Korrektur wurde als neue Version gespeichert." in answer.text
    view = world.archive.get_document(permit, world.actors["abh"])  # type: ignore[attr-defined]
    assert view.fields["document_number"].value == "Y1234567"
    assert view.versions[-1].reason == "Nummer laut Karte"
    assert view.versions[-1].author == "abh"


def test_a_correction_without_reason_is_refused_in_german(world: World, login: Callable) -> None:
    client = login("abh")
    permit = world.documents[DocumentType.ID_CARD]
    answer = client.post(
        f"/documents/{permit}/correct", data={"csrf_token": client.csrf, "field.sex": "X", "reason": " "}
    )
    assert answer.status_code == 400
    assert "Bitte geben Sie einen Grund für die Korrektur an." in answer.text


def test_front_desk_sees_its_own_pending_document_but_not_the_others(world: World, login: Callable) -> None:
    client = login("empfang")
    assert client.get(f"/documents/{world.pending_id}/review").status_code == 200
    assert client.get(f"/documents/{world.documents[DocumentType.PASSPORT]}/review").status_code == 403
    assert client.get("/search?q=Kovalenko").status_code == 403


def test_auditor_verifies_the_chain_and_reads_the_log(login: Callable) -> None:
    client = login("revision")
    page = client.post("/admin/audit/verify", data={"csrf_token": client.csrf}).text
    assert 'data-verify="ok"' in page
    assert "Protokollkette ist vollständig" in page
    assert "<td>Angelegt</td>" in page and "<td>Gelesen</td>" in page


def test_archive_admin_sees_integrity_and_quarantine(login: Callable) -> None:
    client = login("archiv")
    overview = client.get("/admin").text
    assert "Quarantäne" in overview
    assert "Geburtsurkunde</td><td>30</td>" in overview  # retention rules from the policy
    answer = client.post("/admin/integrity", data={"csrf_token": client.csrf})
    assert "Alle Dateien, auf die die Akte verweist, sind vorhanden." in answer.text


def test_upload_is_queued_at_once_and_the_panel_follows_the_worker(world: World) -> None:
    """The web process only admits: the answer comes at once with the batch queued, and the panel shows what
    a worker (here a stand-in on the real queue) files, from the record database."""
    from web.app import create_app

    client = TestClient(create_app(world.settings, archive=world.archive))  # type: ignore[arg-type]
    client.post("/login", data={"username": "empfang", "password": PASSWORD, "csrf_token": csrf_of(client)})
    token = csrf_of(client, "/intake")
    files = [
        ("files", ("../../etc/passwd.pdf", pdf_page(["Bescheid"]), "application/pdf")),
        ("files", ("<b>zwei</b>.pdf", pdf_page(["Bescheid 2"]), "application/pdf")),
    ]
    answer = client.post("/intake/upload", data={"csrf_token": token}, files=files, headers={"HX-Request": "true"})
    assert answer.status_code == 200
    batch_id = re.search(r'id="batch-([0-9a-f]+)"', answer.text).group(1)  # type: ignore[union-attr]
    assert f'hx-get="/intake/batches/{batch_id}?seen=' in answer.text and 'hx-trigger="load' in answer.text
    assert T["intake.queued"] in answer.text and "von 2 Dateien" in answer.text
    assert StandInReader(world.archive).read_all() == 2
    panel = client.get(f"/intake/batches/{batch_id}").text
    assert "hx-trigger" not in panel and "Dokumente aus 2 Dateien verarbeitet." in panel
    thumbnail = re.search(r'src="(/intake/batches/[^"]+\.png)"', panel)
    assert thumbnail, "each document shows thumbnails of its pages"
    assert client.get(thumbnail.group(1)).content.startswith(b"\x89PNG")
    assert "&lt;b&gt;zwei&lt;/b&gt;.pdf" in panel and "<b>zwei</b>" not in panel
    assert not (Path("/etc") / "passwd.pdf").exists()
    other = TestClient(client.app)
    other.post("/login", data={"username": "archiv", "password": PASSWORD, "csrf_token": csrf_of(other)})
    assert other.get(f"/intake/batches/{batch_id}").status_code == 403
    assert other.get(thumbnail.group(1)).status_code == 403


def test_the_upload_panel_names_the_person_only_to_a_reader_of_the_document(world: World) -> None:
    """The person column shows the person's name, not "zugeordnet", where the uploader may read the document
    (the front desk: what it filed while it awaits review); once the document is filed and out of the front
    desk's reach, the column says only that it was assigned."""
    from sqlalchemy import update

    from storage.models import Document
    from web.app import create_app

    client = TestClient(create_app(world.settings, archive=world.archive))  # type: ignore[arg-type]
    client.post("/login", data={"username": "empfang", "password": PASSWORD, "csrf_token": csrf_of(client)})
    files = [("files", ("pass.pdf", pdf_page(["Reisepass", "Panel"]), "application/pdf"))]
    answer = client.post("/intake/upload", data={"csrf_token": csrf_of(client, "/intake")}, files=files)
    batch_id = re.search(r'id="batch-([0-9a-f]+)"', answer.text).group(1)  # type: ignore[union-attr]
    reader = StandInReader(world.archive)
    claim = reader.claim()
    document_id = reader.file_page(claim, 1, DocumentType.PASSPORT)  # same passport number: Kovalenko's record
    reader.finish(claim, [document_id])

    def row() -> str:
        panel = client.get(f"/intake/batches/{batch_id}").text
        found = re.search(rf'<tr data-document="{document_id}">.*?</tr>', panel, re.S)
        assert found
        return found.group(0)

    assert "<td>Kovalenko, Oleksandr</td>" in row()
    with world.archive.engine.begin() as conn:  # type: ignore[attr-defined]
        conn.execute(update(Document).where(Document.id == document_id).values(status="filed"))
    assert "Kovalenko" not in row() and f"<td>{T['intake.person_found']}</td>" in row()


def test_a_rejected_upload_is_reported_at_once_and_kept_in_quarantine(world: World) -> None:
    from web.app import create_app

    client = TestClient(create_app(world.settings, archive=world.archive))  # type: ignore[arg-type]
    client.post("/login", data={"username": "empfang", "password": PASSWORD, "csrf_token": csrf_of(client)})
    program = b"\x7fELF\x02\x01\x01" + b"\x00" * 500
    files = [("files", ("rechnung.pdf", program, "application/pdf"))]
    answer = client.post("/intake/upload", data={"csrf_token": csrf_of(client, "/intake")}, files=files)
    assert answer.status_code == 415 and "rechnung.pdf" in answer.text
    admin = world.actors["archiv"]
    kept = [q for q in world.archive.list_quarantine(admin) if q.original_name == "rechnung.pdf"]  # type: ignore[attr-defined]
    assert [q.error_code for q in kept] == ["executable_file"]
    assert world.archive.get_object(kept[0].object_key) == program  # type: ignore[attr-defined]


def test_every_visible_input_has_a_label(world: World, login: Callable) -> None:
    pages = {
        "empfang": ["/intake"],
        "abh": ["/search?q=Kovalenko", f"/documents/{world.documents[DocumentType.PASSPORT]}/review"],
        "archiv": ["/admin"],
    }
    for user, paths in pages.items():
        client = login(user)
        for path in paths:
            html = client.get(path).text
            labelled = set(re.findall(r'<label for="([^"]+)"', html))
            for tag in re.findall(r"<input\b[^>]*>", html):
                if re.search(r'type="(hidden|radio)"', tag):
                    continue  # radios sit inside their <label>
                found = re.search(r'\bid="([^"]+)"', tag)
                assert found and found.group(1) in labelled, (path, tag)


def test_a_clerk_sees_the_candidates_and_files_a_pending_document_into_the_chosen_record(
    world: World, login: Callable
) -> None:
    from tests.web.conftest import file_one

    pending = file_one(world.archive, DocumentType.NOTICE, "Kowalenko", world.actors["empfang"], review=True)
    client = login("abh")
    page = client.get(f"/documents/{pending}/review").text
    assert "Mögliche Personen" in page
    answer = client.post(
        f"/documents/{pending}/person",
        data={"csrf_token": client.csrf, "person_id": world.person_id, "reason": "Aktenzeichen stimmt überein"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    view = world.archive.get_document(pending, world.actors["abh"])  # type: ignore[attr-defined]
    assert view.person_id == world.person_id
    assert view.status == "filed"


def test_storage_errors_keep_their_reason_on_the_german_page(world: World, login: Callable) -> None:
    """The reason in German (the English message of storage is for logs and the API, never the screen)."""
    client = login("archiv")
    answer = client.post(
        "/admin/deletions/does-not-exist/approve", data={"csrf_token": client.csrf}, follow_redirects=False
    )
    assert answer.status_code == 404
    assert "Die Seite oder das Dokument wurde nicht gefunden." in answer.text
    assert "Suchen Sie es über die Suche." in answer.text
    assert "does not exist" not in answer.text
