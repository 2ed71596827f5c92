"""Search over names, fields and OCR text on both backends."""

from __future__ import annotations

from schemas.documents import DocumentType
from schemas.record import Actor, Department, Role
from storage import Archive
from tests.storage.conftest import Filer

READER = Actor(name="abh", role=Role.CLERK, department=Department.FOREIGNERS_AUTHORITY)


def test_finds_a_document_by_name_field_and_ocr_word(archive: Archive, filer: Filer) -> None:
    doc = filer.file(
        DocumentType.NOTICE,
        surname="SHEVCHENKO",
        given="TARAS",
        number="4711",
        text="Bescheid über Leistungen",
    ).document_id
    filer.file(DocumentType.PASSPORT, surname="PETRENKO", given="IVAN", number="XY1", born="1990-01-01")
    assert [h.document_id for h in archive.search("Shevchenko", READER)] == [doc]
    assert [h.document_id for h in archive.search("AZ-4711", READER)] == [doc]
    assert [h.document_id for h in archive.search("Leistungen", READER)] == [doc]
    assert archive.search("Nichtvorhanden", READER) == []


def test_diacritics_and_case_do_not_matter(archive: Archive, filer: Filer) -> None:
    doc = filer.file(DocumentType.BIRTH_CERTIFICATE, surname="MÜLLER", given="Jürgen", number="G-1").document_id
    assert doc in [h.document_id for h in archive.search("müller", READER)]
    assert doc in [h.document_id for h in archive.search("MULLER", READER)]


def test_a_hit_names_the_person_and_carries_a_snippet(archive: Archive, filer: Filer) -> None:
    outcome = filer.file(DocumentType.PASSPORT, text="Reisepass Ukraine KOVALENKO OLEKSANDR")
    (hit,) = archive.search("Reisepass", READER)
    assert hit.person_id == outcome.person_id
    assert hit.person_name == "KOVALENKO, OLEKSANDR"
    assert "Reisepass" in hit.snippet


def test_query_syntax_from_users_is_not_interpreted(archive: Archive, filer: Filer) -> None:
    filer.file(DocumentType.PASSPORT)
    for query in ['"', "NEAR(a b)", "a OR", "*", "kovalenko) OR (x", "'; DROP TABLE documents; --", ""]:
        archive.search(query, READER)  # no error, whatever the result
    assert len(archive.search("kovalenko", READER)) == 1


def test_limit_is_respected_and_best_hits_come_first(archive: Archive, filer: Filer) -> None:
    for i in range(6):
        filer.file(DocumentType.NOTICE, number=f"L{i}", text="Wohngeld " * (i + 1))
    hits = archive.search("Wohngeld", READER, limit=3)
    assert len(hits) == 3
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
