"""Moving pages on a clerk's word (`storage.page_moves.move_pages`): the parts are read again by the real
classifiers from the stored OCR text, the searchable PDFs are put together from the stored pages, and what the
clerk corrected by hand is kept.

The scans are born-digital PDFs from the sample generator, so their text is read from the text layer (fast)
by the real OCR room; everything else is the real record on the embedded default.
"""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest

from ocr.reader import ReadOptions, read_pages
from schemas.documents import DocumentType, ExtractedDocument, TextSource
from schemas.errors import InvalidRequest
from schemas.record import SYSTEM_ACTOR, Actor, Department, FilingRequest, Role
from schemas.settings import Settings
from storage import Archive, open_archive
from storage.page_moves import move_pages
from storage.renditions import page_texts_json

CLERK = Actor(name="abh", role=Role.CLERK, department=Department.FOREIGNERS_AUTHORITY, user_id="usr_abh")


def _glued(tmp_path: Path) -> bytes:
    """A notice and a birth certificate scanned as one file (a stack the splitter got wrong)."""
    from lab.samples import generate

    parts = [
        generate(tmp_path / kind, count=1, seed=12, kinds=[kind], difficulty="clean", formats=["pdf-text"])[0]
        for kind in ("notice", "birth_certificate")
    ]
    out = pikepdf.Pdf.new()
    sources = [pikepdf.open(io.BytesIO(p.read_bytes())) for p in parts]
    for source in sources:
        out.pages.extend(source.pages)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def glued(tmp_path: Path) -> tuple[Archive, str, Settings]:
    settings = Settings(data_dir=tmp_path / "var")
    archive = open_archive(settings)
    data = _glued(tmp_path)
    readings = read_pages(data, ReadOptions.from_settings(settings), workers=1)
    pages = tuple(r.text for r in readings)
    assert all(p.source is TextSource.TEXT_LAYER for p in pages)
    request = FilingRequest(
        original_key=archive.put_original(data),
        original_filename="stapel.pdf",
        media_type="application/pdf",
        # Filed as one notice: the splitter missed the certificate on the last page.
        document=ExtractedDocument(type=DocumentType.NOTICE, pages=tuple(p.page for p in pages), confidence=0.9),
        pages=pages,
        text_key=archive.put_derived(page_texts_json(pages), "application/json"),
        searchable_pdf_key=archive.put_derived(data, "application/pdf"),
    )
    return archive, archive.file_document(request, SYSTEM_ACTOR).document_id, settings


def test_splitting_off_the_last_page_gives_each_part_its_type_fields_and_pdf(
    glued: tuple[Archive, str, Settings],
) -> None:
    archive, doc_id, settings = glued
    whole = archive.get_document(doc_id, CLERK)
    certificate_page = whole.pages[-1]
    archive.correct_document(doc_id, {"subject": "Von Hand berichtigt"}, "laut Original", CLERK)

    outcome = move_pages(
        archive, doc_id, [certificate_page], None, "zwei Dokumente", CLERK, review_threshold=settings.review_threshold
    )

    notice, certificate = (archive.get_document(d.document_id, CLERK) for d in outcome.documents)
    assert notice.id == doc_id and notice.pages == whole.pages[:-1]
    assert notice.type is DocumentType.NOTICE
    assert notice.fields["subject"].value == "Von Hand berichtigt", "the clerk's correction is not lost"
    assert notice.fields["authority"].value, "the notice's own fields are read again"
    assert certificate.type is DocumentType.BIRTH_CERTIFICATE and certificate.pages == (certificate_page,)
    assert certificate.fields["person_name"].value, "the split-off part has its fields"
    assert certificate.fields["person_name"].page == certificate_page, "provenance stays on the page it came from"
    pdf = pikepdf.open(io.BytesIO(archive.read_file(certificate.id, "searchable_pdf", CLERK)))
    assert len(pdf.pages) == 1
    text = archive.read_file(certificate.id, "ocr_text", CLERK).decode()
    assert f'"page":{certificate_page}' in text and '"page":1,' not in text
    # Each part gets an original of its own: exactly its pages of the scan, cut anew when pages move.
    for part in (notice, certificate):
        with pikepdf.open(io.BytesIO(archive.read_file(part.id, "original", CLERK))) as own:
            assert len(own.pages) == len(part.pages)
    assert archive.read_file(certificate.id, "original", CLERK) != archive.read_file(doc_id, "scan", CLERK)

    # And back: merging the certificate into the notice withdraws it, its history kept.
    merged = move_pages(
        archive,
        certificate.id,
        [certificate_page],
        doc_id,
        "gehört doch dazu",
        CLERK,
        review_threshold=settings.review_threshold,
    )
    assert merged.withdrawn == (certificate.id,)
    assert archive.get_document(doc_id, CLERK).pages == whole.pages
    assert archive.read_file(doc_id, "original", CLERK) == archive.read_file(doc_id, "scan", CLERK)
    assert archive.get_document(certificate.id, CLERK).status == "withdrawn"
    assert archive.verify_audit().ok and archive.missing_objects() == []


def test_a_move_of_every_page_of_a_missing_page_or_without_reason_is_refused(
    glued: tuple[Archive, str, Settings],
) -> None:
    archive, doc_id, _ = glued
    pages = archive.get_document(doc_id, CLERK).pages
    with pytest.raises(InvalidRequest):
        move_pages(archive, doc_id, list(pages), None, "alles", CLERK, review_threshold=0.5)
    with pytest.raises(InvalidRequest):
        move_pages(archive, doc_id, [99], None, "fehlt", CLERK, review_threshold=0.5)
    with pytest.raises(InvalidRequest):
        move_pages(archive, doc_id, [pages[0]], None, "  ", CLERK, review_threshold=0.5)
