"""Every page of the journeys speaks German: no English sentence, no raw key and no raw id reaches a screen.

The pages are rendered as each kind of user sees them (front desk, clerk, lead, archive, audit), with the
notes, match reasons, versions and errors of real documents; the visible text (and the texts assistive
technology reads out: aria-label, alt, title, placeholder) is scanned for English words, snake_case field
keys and the ids the record uses internally (per_…, doc_…, rec_…).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

import pytest

from schemas.documents import DocumentType
from tests.web.conftest import XSS, World
from web.messages_de import actor_de, audit_problem_de, note_de, reason_de

RAW_ID = re.compile(r"\b(?:per|doc|rec|mat|srch|qua)_[0-9a-f]{6,}")
RAW_KEY = re.compile(r"\b[a-z]+_[a-z]+(?:_[a-z]+)*\b")
# Words of English sentences that no German screen uses (lower case: German nouns are capitalised).
ENGLISH = re.compile(
    r"\b(?:the|please|found|valid|enter|check|matches?|differ|missing|with|and|of|is|may|birth|names?|"
    r"variants|spelt|confidence|unsure|guess|readings|disagrees?|printed|intake|console|none|null)\b"
)


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    spoken = re.findall(r'\b(?:aria-label|alt|title|placeholder)="([^"]*)"', html)
    text = re.sub(r"<[^>]+>", " ", html)
    return unescape(" ".join([text, *spoken])).replace(XSS, " ")  # the payload is test data, shown as text


def problems(html: str) -> list[str]:
    text = visible_text(html)
    found = [f"id {m}" for m in RAW_ID.findall(text)]
    found += [f"key {m}" for m in RAW_KEY.findall(text)]
    found += [f"English {m!r} in …{text[max(0, m.start() - 40) : m.end() + 40]!r}…" for m in ENGLISH.finditer(text)]
    return found


def pages_of(world: World) -> dict[str, list[str]]:
    docs = world.documents
    clerk_pages = [
        "/search",
        "/search?q=Kovalenko",
        "/search?q=Kowalenko+14.03.1990",
        "/search?status=needs_review&sort=newest",
        f"/persons/{world.person_id}",
    ]
    for doc_type in (DocumentType.PASSPORT, DocumentType.RESIDENCE_PERMIT, DocumentType.BIRTH_CERTIFICATE):
        clerk_pages += [f"/documents/{docs[doc_type]}", f"/documents/{docs[doc_type]}/review"]
    return {
        "empfang": ["/intake", f"/documents/{world.pending_id}/review"],
        "abh": [*clerk_pages, f"/documents/{docs[DocumentType.NOTICE]}", "/documents/doc_ffffffffffff"],
        "jobcenter": [f"/documents/{docs[DocumentType.NOTICE]}", f"/documents/{docs[DocumentType.PASSPORT]}"],
        "archiv": ["/admin", "/search?q=Kovalenko"],
        # (the audit trail is left out: auditors trace objects by their ids, which is what it lists)
    }


def test_no_english_sentence_raw_key_or_raw_id_reaches_a_page(world: World, login: Callable) -> None:
    found: list[str] = []
    for user, paths in pages_of(world).items():
        client = login(user)
        for path in paths:
            answer = client.get(path)
            assert answer.status_code in (200, 403, 404), (user, path, answer.status_code)
            found += [f"{user} {path}: {p}" for p in problems(answer.text)]
    assert found == [], "\n".join(found)


def test_the_scan_catches_what_it_is_for() -> None:
    """The checks above must be able to fail: each kind of leak the issue found is caught."""
    assert problems("<p>file_number not found or not valid; please enter it</p>")
    assert problems("<p>Zugeordnete Person: per_5bac0123abcd</p>")
    assert problems("<dt>legal_basis</dt>")
    assert problems('<img alt="names + birth date match">')
    assert problems("<p>Name und Geburtsdatum stimmen überein</p>") == []


@pytest.mark.parametrize(
    ("english", "german"),
    [
        ("file_number not found or not valid; please enter it", "Aktenzeichen: nicht gefunden oder ungültig"),
        ("birth_date read with low confidence (0.61); please check it", "Geburtsdatum: unsicher gelesen (61 %)"),
        ("the printed data disagrees with the MRZ on: birth_date, surname", "ab: Geburtsdatum, Familienname."),
        ("type unsure: best guess notice (0.42); please choose the type", "am ehesten Bescheid (42 %)"),
        ("MRZ check digits fail (document_number): the fields are the best reading, check them by eye",
         "Prüfziffern der maschinenlesbaren Zone stimmen nicht (Dokumentnummer)"),
    ],
)  # fmt: skip
def test_notes_of_the_recognition_read_in_german(english: str, german: str) -> None:
    assert german in note_de(english)
    assert not problems(f"<p>{note_de(english)}</p>")


@pytest.mark.parametrize(
    ("english", "german"),
    [
        ("names + birth date match", "Name und Geburtsdatum stimmen überein"),
        ("document number + birth date + nationality match", "Dokumentnummer, Geburtsdatum und Staatsangehörigkeit"),
        ("birth dates differ (1990-03-14/1991-03-14)", "Geburtsdaten weichen ab (14.03.1990/14.03.1991)"),
        ("surname matches across transliteration (Shevchenko/Schewtschenko)", "Familienname: derselbe Name"),
        ("given name variants (Mykola/Nikolai)", "Vorname: Formen desselben Namens (Mykola/Nikolai)"),
        ("second given name Petrovych missing on one side", "Zweiter Vorname Petrovych fehlt auf einer Seite"),
        ("file number matches, no birth date to compare", "Aktenzeichen stimmt überein"),
        ("something the matcher says one day", "Weitere Übereinstimmung"),
    ],
)
def test_match_reasons_read_in_german(english: str, german: str) -> None:
    assert german in reason_de(english)


@pytest.mark.parametrize(
    ("actor", "role", "department", "german"),
    [
        ("intake", "system", "front_desk", "Posteingang (automatisch)"),
        ("console:root", "archive_admin", "archive", "Kommandozeile (root)"),
        ("notify:jobcentre", "clerk", "jobcentre", "Benachrichtigung Jobcenter (automatisch)"),
        ("retention-sweep", "archive_admin", "archive", "Aufbewahrungslauf (automatisch)"),
        ("abh", "clerk", "foreigners_authority", "abh – Sachbearbeitung, Ausländerbehörde"),
    ],
)
def test_the_audit_trail_names_its_actors_in_german(actor: str, role: str, department: str, german: str) -> None:
    assert actor_de(actor, role, department) == german
    assert not problems(f"<td>{german}</td>")


@pytest.mark.parametrize(
    ("english", "german"),
    [
        ("entries 4..6 are missing (deleted)", "Die Einträge 4 bis 6 fehlen"),
        ("entry 7 was changed after it was written (hash mismatch)", "Eintrag 7 wurde nachträglich geändert"),
        ("entry 9 differs from its anchor in the object store (the chain was rewritten)", "umgeschrieben"),
        ("the chain head row says 12, the entries end at 10 (entries were deleted from the end, or added outside "
         "dach)", "Der Kopf der Kette nennt Eintrag 12"),
    ],
)  # fmt: skip
def test_findings_of_the_audit_chain_check_read_in_german(english: str, german: str) -> None:
    assert german in audit_problem_de(english)
    assert not problems(f"<li>{audit_problem_de(english)}</li>")
