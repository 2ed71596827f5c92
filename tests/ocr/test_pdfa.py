"""PDF/A-2b renditions, checked with pikepdf's PDF/A validator: tesseract's searchable PDF, an image scan, and a
born-digital PDF whose font is not embedded (rendered to page images)."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageDraw

from ocr.pdfa import PdfaFailed, check, rendition_of, to_pdfa
from schemas.errors import CorruptFile
from tests.web.conftest import pdf_page


def _scan(tmp_path: Path) -> Path:
    image = Image.new("RGB", (1240, 600), "white")
    ImageDraw.Draw(image).text((60, 60), "Bescheid des Jobcenters Musterland vom 3. Mai 2026", fill="black")
    path = tmp_path / "page.png"
    image.save(path, dpi=(150, 150))
    return path


def test_tesseracts_searchable_pdf_becomes_pdfa_2b(tmp_path: Path) -> None:
    scan = _scan(tmp_path)
    subprocess.run(
        ["tesseract", str(scan), str(tmp_path / "page"), "-l", "deu", "pdf"],
        check=True,
        capture_output=True,
        timeout=120,
        env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"},
    )
    searchable = (tmp_path / "page.pdf").read_bytes()
    assert not check(searchable)[0]  # tesseract's PDF is not PDF/A by itself (no XMP, no output intent)
    pdfa = rendition_of(scan.read_bytes(), searchable, title="Bescheid")
    passed, findings = check(pdfa)
    assert passed, findings
    with pikepdf.open(io.BytesIO(pdfa)) as pdf:
        intents = pdf.Root.OutputIntents
        assert len(intents) == 1 and intents[0].S == "/GTS_PDFA1"
        profile = intents[0].DestOutputProfile.read_bytes()
        assert profile[16:20] == b"RGB " and str(intents[0].OutputConditionIdentifier) == "sRGB"
        meta = pdf.open_metadata()
        assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "B"
        fonts = [f for page in pdf.pages for f in page.Resources.Font.values()]
        assert fonts and all("/FontFile2" in str(f.DescendantFonts[0].FontDescriptor.keys()) for f in fonts)


def test_an_image_scan_becomes_pdfa(tmp_path: Path) -> None:
    passed, findings = check(rendition_of(_scan(tmp_path).read_bytes(), None))
    assert passed, findings


def test_a_pdf_without_embedded_fonts_is_rendered_to_images() -> None:
    born_digital = pdf_page(["Meldebescheinigung", "Musterstadt"])
    with pytest.raises(PdfaFailed):
        to_pdfa(born_digital)
    with pytest.raises(PdfaFailed):
        rendition_of(born_digital, None, raster=False)
    passed, findings = check(rendition_of(born_digital, None))
    assert passed, findings


def test_garbage_is_a_corrupt_file() -> None:
    with pytest.raises(CorruptFile):
        rendition_of(b"MZ\x90\x00 not a scan", None)
    with pytest.raises(CorruptFile):
        to_pdfa(b"%PDF-1.7 truncated")
