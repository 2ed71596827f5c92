"""Rendered pages read like the documents they claim to be: text layers extract, separators decode,
tesseract finds a notice's Aktenzeichen."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import cv2
import numpy as np
import pdfplumber
import pytest
from typer.testing import CliRunner

from dach.cli import app
from lab.samples import render_document
from lab.samples.content import make_document
from lab.samples.layouts import layout
from lab.samples.pdf import PdfPage, write_pdf
from lab.samples.render import SEPARATOR_PAYLOAD, rasterise, separator_layout
from schemas.documents import DocumentType


def _pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_born_digital_notice_keeps_umlauts_and_fields_in_its_text_layer() -> None:
    content = make_document(random.Random(3), DocumentType.NOTICE)
    text = _pdf_text(write_pdf([PdfPage(layout=p) for p in layout(content, random.Random(3))]))
    assert "Grüßen" in text and "Rechtsbehelfsbelehrung" in text
    for name in ("authority", "file_number", "recipient_name"):
        assert str(content.fields[name]) in text, name


def test_born_digital_bilingual_certificate_keeps_cyrillic_and_latin_names() -> None:
    content = make_document(random.Random(8), DocumentType.BIRTH_CERTIFICATE, language="uk-de")
    assert content.language == "uk-de"
    text = _pdf_text(write_pdf([PdfPage(layout=p) for p in layout(content, random.Random(8))]))
    assert "СВІДОЦТВО ПРО НАРОДЖЕННЯ" in text and "Geburtsurkunde" in text
    assert content.extra["original_script_name"] in text
    assert str(content.fields["person_name"]) in text


def test_separator_sheet_carries_the_dach_qr_payload() -> None:
    image = np.asarray(rasterise(separator_layout()).convert("L"))
    small = cv2.resize(image, (image.shape[1] // 2, image.shape[0] // 2), interpolation=cv2.INTER_AREA)
    payload, _, _ = cv2.QRCodeDetector().detectAndDecode(small)
    assert payload == SEPARATOR_PAYLOAD == "DACH-SEPARATOR-V1"


def test_identity_documents_are_card_sized_or_on_an_a4_scan() -> None:
    content = make_document(random.Random(5), DocumentType.RESIDENCE_PERMIT)
    assert content.fields["document_code"] == "AR" and content.fields["issuing_state"] == "D"
    card = render_document(content, random.Random(1), on_a4=False)[0]
    page = render_document(content, random.Random(1), on_a4=True)[0]
    assert card.width < 1400 and page.size == (2480, 3508)


def test_cli_writes_samples_truth_and_manifest(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["samples", str(tmp_path), "--count", "2", "--seed", "9", "--kinds", "notice"])
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert [f["kind"] for f in manifest["files"]] == ["notice", "notice"]
    for entry in manifest["files"]:
        assert (tmp_path / entry["file"]).is_file() and (tmp_path / entry["truth"]).is_file()


@pytest.mark.slow
def test_tesseract_reads_the_aktenzeichen_of_a_generated_notice() -> None:
    from ocr.tesseract import recognise

    content = make_document(random.Random(21), DocumentType.NOTICE)
    image = render_document(content, random.Random(21))[0].convert("L")
    words = recognise(np.asarray(image), languages="deu", timeout=120).words
    text = " ".join(w.text for w in words)
    assert str(content.fields["file_number"]) in text
