"""Moving pages between the documents of one scan (split, merge, one page), on both backends.

What a clerk expects: every change is a new version with author and reason, nothing is overwritten, the
search finds each page in the document that holds it now, values corrected by hand are not lost, a
document left without pages is withdrawn with its history, and only those the policy allows may do it.
"""

from __future__ import annotations

import uuid

import pytest

from schemas.documents import DocumentType, ExtractedDocument, ExtractedField, TextSource
from schemas.errors import AccessDenied, Conflict, InvalidRequest
from schemas.record import (
    SYSTEM_ACTOR,
    Actor,
    Department,
    DocumentLayout,
    FilingRequest,
    FilingStatus,
    RestructureRequest,
    Role,
)
from storage import CONSOLE_ACTOR, Archive
from tests.storage.conftest import page_of

CLERK = Actor(name="abh.clerk", role=Role.CLERK, department=Department.FOREIGNERS_AUTHORITY, purpose="test")
JOBCENTRE = Actor(name="jc.clerk", role=Role.CLERK, department=Department.JOBCENTRE, purpose="test")
FRONT_DESK = Actor(name="empfang", role=Role.FRONT_DESK, department=Department.FRONT_DESK, user_id="usr_fd")
AUDITOR = Actor(name="revision", role=Role.AUDITOR, department=Department.DATA_PROTECTION)


def on(page: int, value: str) -> ExtractedField:
    return ExtractedField(value=value, page=page, confidence=0.9)


PASSPORT = {"surname": on(1, "KOVALENKO"), "given_names": on(1, "OLEKSANDR"), "document_number": on(1, "FA7654321")}


def notice_on(page: int) -> dict[str, ExtractedField]:
    return {
        "authority": on(page, "Landkreis Musterland, Ausländerbehörde"),
        "file_number": on(page, "AZ-4711"),
        "recipient_name": on(page, "Oleksandr Kovalenko"),
        "subject": on(page, "Bewilligung"),
    }


class Scan:
    """One scanned original whose pages are filed as documents through the real facade."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.key = archive.put_original(f"%PDF stack {uuid.uuid4()}".encode())

    def file(
        self,
        doc_type: DocumentType,
        pages: tuple[int, ...],
        fields: dict[str, ExtractedField],
        *,
        text: str = "",
        actor: Actor = SYSTEM_ACTOR,
        review: bool = False,
        batch_id: str | None = None,
    ) -> str:
        request = FilingRequest(
            original_key=self.key,
            original_filename="stapel.pdf",
            media_type="application/pdf",
            document=ExtractedDocument(type=doc_type, pages=pages, confidence=0.9, review=review, fields=fields),
            pages=tuple(page_of(text or f"{doc_type.value} seite {p}", p) for p in pages),
            text_key=self.archive.put_derived(f"text {uuid.uuid4()}".encode(), "application/json"),
            batch_id=batch_id,
        )
        return self.archive.file_document(request, actor).document_id

    def layout(
        self,
        doc_type: DocumentType,
        pages: tuple[int, ...],
        fields: dict[str, ExtractedField],
        *,
        keeps: str | None = None,
        text: str = "",
        notes: tuple[str, ...] = (),
    ) -> DocumentLayout:
        document = ExtractedDocument(type=doc_type, pages=pages, confidence=0.9, fields=fields, notes=notes)
        return DocumentLayout(
            document_id=keeps,
            document=document,
            pages=tuple(page_of(text or f"{doc_type.value} seite {p}", p) for p in pages),
            text_key=self.archive.put_derived(f"layout {uuid.uuid4()}".encode(), "application/json"),
        )

    def move(self, expected: dict[str, tuple[int, ...]], *layouts: DocumentLayout, actor: Actor = CLERK) -> object:
        request = RestructureRequest(
            original_key=self.key, expected_pages=expected, layouts=layouts, reason="zwei Dokumente zusammengeheftet"
        )
        return self.archive.restructure(request, actor)


def audit_actions(archive: Archive) -> list[str]:
    return [e.action for e in archive.audit_log(AUDITOR, limit=500)]


def test_splitting_a_document_keeps_its_id_its_history_and_the_clerks_corrections(archive: Archive) -> None:
    scan = Scan(archive)
    doc = scan.file(DocumentType.NOTICE, (1, 2, 3), notice_on(1), text="Bescheid Geburtsurkunde Lwiw")
    archive.correct_document(doc, {"subject": "Widerspruch", "period_start": "2026-01-01"}, "laut Akte", CLERK)
    before = archive.get_document(doc, CLERK)

    kept = scan.layout(DocumentType.NOTICE, (1, 2), notice_on(1), keeps=doc, text="Bescheid Ausländerbehörde")
    split = scan.layout(
        DocumentType.BIRTH_CERTIFICATE,
        (3,),
        {"person_name": on(3, "Oleksandr Kovalenko"), "birth_place": on(3, "Lwiw")},
        text="Geburtsurkunde Lwiw",
    )
    outcome = scan.move({doc: (1, 2, 3)}, kept, split)

    assert [d.pages for d in outcome.documents] == [(1, 2), (3,)]  # type: ignore[attr-defined]
    assert outcome.withdrawn == ()  # type: ignore[attr-defined]
    after = archive.get_document(doc, CLERK)
    assert after.id == doc and after.pages == (1, 2) and after.version == before.version + 1
    assert after.fields["subject"].value == "Widerspruch", "a value corrected by hand wins over the new reading"
    assert after.fields["subject"].source is TextSource.CLERK
    assert after.fields["period_start"].value == "2026-01-01", "a corrected field without a page stays"
    assert [v.pages for v in after.versions] == [(1, 2, 3), (1, 2, 3), (1, 2)]
    assert [v.kind for v in after.versions] == ["intake", "correction", "pages"]
    assert after.versions[-1].author == CLERK.name and after.versions[-1].reason == "zwei Dokumente zusammengeheftet"
    assert {f.key for f in after.files if f.kind == "ocr_text"} == {kept.text_key}
    assert archive.read_file(doc, "ocr_text", CLERK).startswith(b"layout")

    new_id = outcome.documents[1].document_id  # type: ignore[attr-defined]
    new = archive.get_document(new_id, CLERK)
    assert new.type is DocumentType.BIRTH_CERTIFICATE and new.pages == (3,)
    assert new.filed_by == before.filed_by and new.original_filename == before.original_filename
    assert {f.key for f in new.files if f.kind == "original"} == {scan.key}
    assert new.versions[0].author == CLERK.name and new.versions[0].kind == "pages"

    found = {h.document_id for h in archive.search("Lwiw", CONSOLE_ACTOR)}
    assert found == {new_id}, "page 3's words are found in the document that holds page 3 now"
    actions = audit_actions(archive)
    assert "move_pages" in actions and actions.count("create") == 2
    assert archive.verify_audit().ok and archive.missing_objects() == []


def test_merging_withdraws_the_emptied_document_and_names_a_correction_that_no_longer_fits(archive: Archive) -> None:
    scan = Scan(archive)
    passport = scan.file(DocumentType.PASSPORT, (1,), PASSPORT)
    notice = scan.file(DocumentType.NOTICE, (2,), notice_on(2), text="Bescheid Tarnopol")
    archive.correct_document(notice, {"file_number": "AZ-0815"}, "Aktenzeichen laut Anschreiben", CLERK)

    merged = scan.layout(DocumentType.PASSPORT, (1, 2), PASSPORT, keeps=passport)
    outcome = scan.move({passport: (1,), notice: (2,)}, merged)

    assert outcome.withdrawn == (notice,)  # type: ignore[attr-defined]
    gone = archive.get_document(notice, CLERK)
    assert gone.status == "withdrawn" and gone.pages == () and gone.replaced_by == (passport,)
    assert [v.kind for v in gone.versions] == ["intake", "correction", "withdrawn"]
    assert gone.versions[-2].pages == (2,) and gone.versions[-2].type is DocumentType.NOTICE, "history stays"
    assert not [f for f in gone.files if f.kind == "ocr_text"], "its renditions no longer stand for it"
    assert archive.search("Tarnopol", CONSOLE_ACTOR) == []
    person = archive.get_document(passport, CLERK).person_id
    assert person is not None
    assert notice not in {d.id for d in archive.get_person_record(person, CLERK).documents}
    with pytest.raises(InvalidRequest):
        archive.correct_document(notice, {"subject": "x"}, "zu spät", CLERK)

    kept = archive.get_document(passport, CLERK)
    assert kept.pages == (1, 2)
    assert any("AZ-0815" in n and "file_number" in n for n in kept.notes), "the clerk's value is named, not lost"
    assert kept.status == FilingStatus.NEEDS_REVIEW.value
    assert "withdraw" in audit_actions(archive)


def test_a_correction_made_before_sources_were_marked_still_travels_with_its_page(archive: Archive) -> None:
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from storage.models import DocumentVersion

    scan = Scan(archive)
    doc = scan.file(DocumentType.NOTICE, (1, 2), notice_on(2))
    archive.correct_document(doc, {"file_number": "AZ-ALT"}, "vor Version 0005", CLERK)
    with Session(archive.engine) as session, session.begin():  # as such a correction was stored then
        version = session.scalars(select(DocumentVersion).where(DocumentVersion.document_id == doc)).all()[-1]
        fields = dict(version.fields)
        fields["file_number"] = {**fields["file_number"], "source": "ocr"}
        version.fields, version.changed = fields, {"fields": ["file_number"]}
    outcome = scan.move(
        {doc: (1, 2)},
        scan.layout(DocumentType.NOTICE, (1,), notice_on(1), keeps=doc),
        scan.layout(DocumentType.NOTICE, (2,), notice_on(2)),
    )
    moved = archive.get_document(outcome.documents[1].document_id, CLERK)  # type: ignore[attr-defined]
    assert moved.fields["file_number"].value == "AZ-ALT" and moved.fields["file_number"].source is TextSource.CLERK
    assert archive.get_document(doc, CLERK).fields["file_number"].value == "AZ-4711"


def test_pages_may_swap_and_filing_the_scan_again_finds_them_filed(archive: Archive) -> None:
    scan = Scan(archive)
    first = scan.file(DocumentType.PASSPORT, (1,), PASSPORT)
    second = scan.file(DocumentType.VISA, (2,), {"surname": on(2, "KOVALENKO")})
    scan.move(
        {first: (1,), second: (2,)},
        scan.layout(DocumentType.PASSPORT, (2,), {}, keeps=first),
        scan.layout(DocumentType.VISA, (1,), {}, keeps=second),
    )
    assert archive.get_document(first, CLERK).pages == (2,)
    assert archive.get_document(second, CLERK).pages == (1,)
    again = FilingRequest(
        original_key=scan.key,
        document=ExtractedDocument(type=DocumentType.PASSPORT, pages=(1, 2), confidence=0.9, fields=PASSPORT),
    )
    outcome = archive.file_document(again, SYSTEM_ACTOR)
    assert outcome.status is FilingStatus.DUPLICATE and outcome.document_id == second


def test_a_move_that_would_lose_or_double_a_page_or_is_out_of_date_is_refused(archive: Archive) -> None:
    scan = Scan(archive)
    first = scan.file(DocumentType.NOTICE, (1, 2), notice_on(1))
    third = scan.file(DocumentType.NOTICE, (3,), notice_on(3))
    other = Scan(archive)
    foreign = other.file(DocumentType.NOTICE, (1,), notice_on(1))
    cases = [
        ({first: (1, 2)}, [scan.layout(DocumentType.NOTICE, (1,), {}, keeps=first)], InvalidRequest),  # page 2 lost
        ({first: (1,)}, [scan.layout(DocumentType.NOTICE, (1,), {}, keeps=first)], Conflict),  # out of date
        ({first: (1, 2)}, [scan.layout(DocumentType.NOTICE, (1, 2, 3), {}, keeps=first)], InvalidRequest),  # 3 taken
        ({first: (1, 2), foreign: (1,)}, [scan.layout(DocumentType.NOTICE, (1, 2), {}, keeps=first)], InvalidRequest),
        ({first: (1, 2)}, [scan.layout(DocumentType.NOTICE, (1, 2), {}, keeps=first)], InvalidRequest),  # no move
    ]
    for expected, layouts, error in cases:
        with pytest.raises(error):
            scan.move(expected, *layouts)
    archive.set_legal_hold(third, True, "Klage", CONSOLE_ACTOR)
    with pytest.raises(InvalidRequest, match="legal hold"):
        scan.move({third: (3,), first: (1, 2)}, scan.layout(DocumentType.NOTICE, (1, 2, 3), {}, keeps=first))
    assert archive.get_document(first, CLERK).pages == (1, 2) and archive.get_document(first, CLERK).version == 1


def test_only_those_the_policy_allows_may_move_pages_and_a_refusal_is_audited(archive: Archive) -> None:
    scan = Scan(archive)
    passport = scan.file(DocumentType.PASSPORT, (1, 2), PASSPORT)
    split = (scan.layout(DocumentType.PASSPORT, (1,), {}, keeps=passport), scan.layout(DocumentType.OTHER, (2,), {}))
    for actor in (JOBCENTRE, FRONT_DESK, AUDITOR, CONSOLE_ACTOR):  # cannot correct it, or did not file it
        with pytest.raises(AccessDenied):
            scan.move({passport: (1, 2)}, *split, actor=actor)
    assert audit_actions(archive).count("move_pages_denied") == 4
    assert archive.get_document(passport, CLERK).version == 1

    # The front desk may split what it filed itself while it awaits review.
    own = scan.file(DocumentType.OTHER, (3, 4), {}, actor=FRONT_DESK, review=True)
    outcome = scan.move(
        {own: (3, 4)},
        scan.layout(DocumentType.OTHER, (3,), {}, keeps=own, notes=("please check",)),
        scan.layout(DocumentType.OTHER, (4,), {}, notes=("please check",)),
        actor=FRONT_DESK,
    )
    parts = outcome.documents  # type: ignore[attr-defined]
    assert all(d.readable and d.status is FilingStatus.NEEDS_REVIEW for d in parts)
    assert archive.get_document(parts[1].document_id, FRONT_DESK).filed_by == FRONT_DESK.name


def test_intake_may_refile_its_own_batch_until_someone_touched_a_document(archive: Archive) -> None:
    scan = Scan(archive)
    early = scan.file(DocumentType.NOTICE, (1,), notice_on(1), batch_id="b1")
    request = RestructureRequest(
        original_key=scan.key,
        expected_pages={early: (1,)},
        layouts=(scan.layout(DocumentType.NOTICE, (1, 2), notice_on(1), keeps=early),),
        reason="Trennblatt",
        batch_id="b1",
    )
    with pytest.raises(AccessDenied):
        archive.restructure(request.model_copy(update={"batch_id": "another"}), SYSTEM_ACTOR)
    outcome = archive.restructure(request, SYSTEM_ACTOR)
    assert outcome.documents[0].document_id == early and outcome.documents[0].pages == (1, 2)

    touched = scan.file(DocumentType.NOTICE, (3,), notice_on(3), batch_id="b1")
    archive.correct_document(touched, {"subject": "Widerspruch"}, "laut Original", CLERK)
    later = RestructureRequest(
        original_key=scan.key,
        expected_pages={touched: (3,)},
        layouts=(scan.layout(DocumentType.NOTICE, (3, 4), {}, keeps=touched),),
        reason="Trennblatt",
        batch_id="b1",
    )
    with pytest.raises(AccessDenied):
        archive.restructure(later, SYSTEM_ACTOR)
