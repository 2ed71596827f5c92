"""Moving pages on the review screen and through the API: split, merge, a conflict, and who may.

The app runs on the real storage facade and the real classifiers (`tests/web/conftest.py`); each test files
its own two-page scan, so the shared documents of the other web tests stay as they are.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from fastapi.testclient import TestClient

from ocr.rendition import merge_pages
from schemas.documents import BBox, DocumentType, ExtractedDocument, PageText, TextSource, Word
from schemas.record import SYSTEM_ACTOR, Actor, FilingRequest
from storage.renditions import page_texts_json
from tests.web.conftest import XSS, World, pdf_page

PAGES = [
    ["Landkreis Musterland Jobcenter", "Bescheid über Bürgergeld", "Herrn Oleksandr Kovalenko", "Aktenzeichen AZ-4711"],
    ["Geburtsurkunde", "Name: Oleksandr Kovalenko", "Geburtsort: Lwiw", "Geburtsdatum: 14.03.1990"],
]


def line_box(i: int) -> BBox:
    return BBox(x0=0.07, y0=0.05 + 0.04 * i, x1=0.6, y1=0.08 + 0.04 * i)


def file_two_pages(world: World, actor: Actor = SYSTEM_ACTOR, *, review: bool = False) -> str:
    """A notice and a birth certificate scanned and filed as one notice (the splitter missed the second)."""
    archive = world.archive
    data = merge_pages([pdf_page(lines) for lines in PAGES])
    texts = tuple(
        PageText(
            page=n,
            width=1240,
            height=1754,
            source=TextSource.TEXT_LAYER,
            words=tuple(Word(text=line, bbox=line_box(i), confidence=1.0, line=i) for i, line in enumerate(lines)),
        )
        for n, lines in enumerate(PAGES, start=1)
    )
    request = FilingRequest(
        # A scan of its own for every call: the same bytes twice would be one original (and one document).
        original_key=archive.put_original(data + actor.name.encode() + uuid.uuid4().bytes),  # type: ignore[attr-defined]
        original_filename="stapel.pdf",
        media_type="application/pdf",
        document=ExtractedDocument(type=DocumentType.NOTICE, pages=(1, 2), confidence=0.6, review=review),
        pages=texts,
        text_key=archive.put_derived(page_texts_json(texts), "application/json"),  # type: ignore[attr-defined]
        searchable_pdf_key=archive.put_derived(data, "application/pdf"),  # type: ignore[attr-defined]
    )
    return str(archive.file_document(request, actor).document_id)  # type: ignore[attr-defined]


def move(client: TestClient, document_id: str, pages: list[int], target: str, reason: str) -> object:
    data = {"csrf_token": client.csrf, "pages": [str(p) for p in pages], "target": target, "move_reason": reason}  # type: ignore[attr-defined]
    return client.post(f"/documents/{document_id}/pages/move", data=data, follow_redirects=False)


def test_a_clerk_splits_off_a_page_and_merges_it_back_on_the_review_screen(
    world: World, login: Callable[[str], TestClient]
) -> None:
    doc = file_two_pages(world)
    client = login("abh")
    page = client.get(f"/documents/{doc}/review").text
    assert 'action="/documents/' + doc + '/pages/move"' in page
    assert '<label for="move-page-2" class="choice"><input type="checkbox" id="move-page-2"' in page
    assert '<label for="move-target">Wohin?</label>' in page and '<label for="move-reason">Grund</label>' in page

    answer = move(client, doc, [2], "new", XSS)
    assert answer.status_code == 303, answer.text  # type: ignore[attr-defined]
    assert answer.headers["location"] == f"/documents/{doc}/review?moved=1"  # type: ignore[attr-defined]
    shown = client.get(answer.headers["location"]).text  # type: ignore[attr-defined]
    assert "Die Seiten wurden verschoben." in shown
    split_off = re.findall(r'<option value="(doc_[0-9a-f]+)">', shown)
    assert len(split_off) == 1, "the new document is offered as a target"
    history = client.get(f"/documents/{doc}").text
    assert XSS not in history and "&lt;script&gt;" in history, "the reason is shown, escaped"
    assert "Seiten verschoben" in history

    back = move(client, split_off[0], [2], doc, "gehört doch dazu")
    assert back.status_code == 303  # type: ignore[attr-defined]
    withdrawn = client.get(f"/documents/{split_off[0]}/review").text
    assert "Zurückgezogen" in withdrawn and f'href="/documents/{doc}/review"' in withdrawn
    assert 'name="pages"' not in withdrawn, "a withdrawn document has nothing to move or correct"


def test_moving_pages_needs_a_page_a_reason_and_the_csrf_token(
    world: World, login: Callable[[str], TestClient]
) -> None:
    doc = file_two_pages(world)
    client = login("abh")
    assert move(client, doc, [], "new", "Grund").status_code == 400  # type: ignore[attr-defined]
    assert "Bitte geben Sie einen Grund" in move(client, doc, [2], "new", " ").text  # type: ignore[attr-defined]
    forged = client.post(f"/documents/{doc}/pages/move", data={"pages": "2", "target": "new", "move_reason": "x"})
    assert forged.status_code == 403
    assert world.archive.get_document(doc, world.actors["abh"]).version == 1  # type: ignore[attr-defined]


def test_the_front_desk_splits_what_it_filed_and_awaits_review_but_nothing_else(
    world: World, login: Callable[[str], TestClient]
) -> None:
    own = file_two_pages(world, world.actors["empfang"], review=True)
    others = file_two_pages(world)
    client = login("empfang")
    assert move(client, others, [2], "new", "nicht meins").status_code == 403  # type: ignore[attr-defined]
    answer = move(client, own, [2], "new", "zwei Dokumente zusammen gescannt")
    assert answer.status_code == 303  # type: ignore[attr-defined]
    assert answer.headers["location"] in (f"/documents/{own}/review?moved=1", "/intake?moved=1")  # type: ignore[attr-defined]
    assert client.get(answer.headers["location"]).status_code == 200  # type: ignore[attr-defined]


def test_the_api_moves_pages_and_answers_409_when_the_target_was_withdrawn_meanwhile(
    world: World, login: Callable[[str], TestClient]
) -> None:
    doc = file_two_pages(world)
    client = login("abh")
    token = client.post("/api/v1/token", data={"username": "abh", "password": "richtig-langes-passwort-1"})
    bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
    assert "/documents/{document_id}/pages/move" in client.get("/api/v1/openapi.json").json()["paths"]

    split = client.post(
        f"/api/v1/documents/{doc}/pages/move", json={"pages": [2], "reason": "abtrennen"}, headers=bearer
    )
    assert split.status_code == 200, split.text
    parts = split.json()["documents"]
    assert [p["pages"] for p in parts] == [[1], [2]] and parts[0]["document_id"] == doc
    new = parts[1]["document_id"]
    siblings = client.get(f"/api/v1/documents/{doc}/siblings", headers=bearer).json()
    assert [(s["id"], s["pages"]) for s in siblings] == [(new, [2])]
    merged = client.post(
        f"/api/v1/documents/{doc}/pages/move",
        json={"pages": [1], "target_document_id": new, "reason": "zusammenführen"},
        headers=bearer,
    )
    assert merged.status_code == 200 and merged.json()["withdrawn"] == [doc]
    stale = client.post(
        f"/api/v1/documents/{new}/pages/move",
        json={"pages": [1], "target_document_id": doc, "reason": "zurück"},
        headers=bearer,
    )
    assert stale.status_code == 409 and stale.json()["error"] == "conflict"
