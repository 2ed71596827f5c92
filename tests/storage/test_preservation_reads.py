"""What the PDF/A rendition of a filed document reads from the object store."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from ocr.pdfa import check
from storage.objects import LocalObjectStore
from storage.preservation import make_pdfa


def _page_pdf() -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (200, 280), 255).save(buffer, format="PDF", resolution=72.0)
    return buffer.getvalue()


def _counting_reads(store: LocalObjectStore, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    read: list[str] = []
    get = store.get

    def counted(key: str) -> bytes:
        read.append(key)
        return get(key)

    monkeypatch.setattr(store, "get", counted)
    return read


def test_a_document_with_a_searchable_pdf_gets_its_rendition_without_reading_the_scan_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each document filed from a stack read the whole scan again (and checked its digest) for its PDF/A
    rendition, which is made from the document's searchable PDF."""
    store = LocalObjectStore(tmp_path)
    scan_key = store.put(b"II*\x00 a scan of many pages", "image/tiff")
    pdf_key = store.put(_page_pdf(), "application/pdf")
    read = _counting_reads(store, monkeypatch)
    passed, findings = check(make_pdfa(store, scan_key, pdf_key, "Bescheid"))
    assert passed, findings
    assert read == [pdf_key]


def test_a_document_without_a_searchable_pdf_gets_its_rendition_from_its_original(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = LocalObjectStore(tmp_path)
    buffer = io.BytesIO()
    Image.new("L", (200, 280), 255).save(buffer, format="PNG")
    original_key = store.put(buffer.getvalue(), "image/png")
    read = _counting_reads(store, monkeypatch)
    passed, findings = check(make_pdfa(store, original_key, None))
    assert passed, findings
    assert read == [original_key]
