"""PDF/A-2b renditions for long-term keeping (what archives expect in an xdomea hand-over).

The searchable PDF (tesseract's pages, or a born-digital original's pages) becomes PDF/A-2b through pikepdf's
PDF/A writer: one sRGB output intent (the ICC profile shipped with pikepdf), XMP metadata declaring
`pdfaid:part=2, conformance=B`, a trailer /ID, no interpolation, no JavaScript. Fonts are not converted: a
page whose fonts are not embedded fails, and that failure is reported, never hidden. tesseract embeds its
glyphless text font, so every page dach reads itself passes. An image original (a scan that was never read
into a searchable PDF) is first wrapped into a PDF, one page per frame.

Every rendition written here was re-opened and validated by pikepdf before it is returned (`pdfa.save` only
succeeds on a passing verdict), so the bytes stored beside the original are known to be PDF/A-2b.
"""

from __future__ import annotations

import io
import logging

import pikepdf
from PIL import Image, ImageSequence, UnidentifiedImageError

from schemas.errors import CorruptFile, DachError

log = logging.getLogger(__name__)

FLAVOUR = "2b"
#: Resolution pages are rendered at when a PDF cannot become PDF/A as it is.
RASTER_DPI = 200


class PdfaFailed(DachError):
    """The rendition could not be made PDF/A (e.g. a born-digital PDF with fonts that are not embedded)."""

    code = "pdfa_failed"


def _findings(error: Exception) -> str:
    report = getattr(error, "report", None)
    findings = getattr(report, "findings", None) or []
    return "; ".join(str(f) for f in findings[:3]) or str(error)


def to_pdfa(pdf: bytes, *, title: str = "") -> bytes:
    """The PDF/A-2b form of `pdf` (validated); PdfaFailed says which rule a page breaks."""
    from pikepdf import pdfa

    try:
        source = pikepdf.open(io.BytesIO(pdf))
    except pikepdf.PdfError as exc:
        raise CorruptFile(f"the PDF cannot be read for PDF/A conversion ({exc}); read the scan again") from exc
    with source:
        if title:
            with source.open_metadata(set_pikepdf_as_editor=False) as meta:
                meta["dc:title"] = title
        out = io.BytesIO()
        try:
            pdfa.save(source, out, FLAVOUR)
        except (pdfa.PdfaError, ValueError) as exc:
            raise PdfaFailed(f"the rendition is not PDF/A-{FLAVOUR}: {_findings(exc)}") from exc
    return out.getvalue()


def image_to_pdf(data: bytes) -> bytes:
    """A plain PDF with one page per image frame (for originals that have no searchable PDF)."""
    try:
        image = Image.open(io.BytesIO(data))
        frames = [frame.convert("RGB") for frame in ImageSequence.Iterator(image)]
    except (UnidentifiedImageError, OSError) as exc:
        raise CorruptFile(f"the original is neither a PDF nor an image ({exc}); it cannot be rendered") from exc
    dpi = image.info.get("dpi", (300, 300))[0] or 300
    out = io.BytesIO()
    frames[0].save(out, "PDF", save_all=True, append_images=frames[1:], resolution=float(dpi))
    return out.getvalue()


def rasterise(pdf: bytes, dpi: int = RASTER_DPI) -> bytes:
    """An image-only PDF of `pdf`'s pages (for born-digital PDFs whose fonts are not embedded)."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as exc:
        raise CorruptFile(f"the PDF cannot be rendered for PDF/A ({exc}); read the scan again") from exc
    try:
        frames = [page.render(scale=dpi / 72).to_pil().convert("RGB") for page in document]
    finally:
        document.close()
    if not frames:
        raise CorruptFile("the PDF has no pages to render for PDF/A")
    out = io.BytesIO()
    frames[0].save(out, "PDF", save_all=True, append_images=frames[1:], resolution=float(dpi))
    return out.getvalue()


def rendition_of(
    original: bytes | None, searchable_pdf: bytes | None, *, title: str = "", raster: bool = True
) -> bytes:
    """The PDF/A-2b rendition of a document: its searchable PDF if there is one, else its original (which the
    caller need not read when it has the searchable PDF). A PDF that cannot become PDF/A as it is (fonts not
    embedded) is rendered to page images first: the rendition keeps the pages' appearance; its text stays
    searchable in dach's OCR text, which travels beside it."""
    source = searchable_pdf if searchable_pdf is not None else original
    if source is None:
        raise ValueError("a PDF/A rendition needs the document's searchable PDF or its original")
    if not source.startswith(b"%PDF"):
        return to_pdfa(image_to_pdf(source), title=title)
    try:
        return to_pdfa(source, title=title)
    except PdfaFailed as exc:
        if not raster:
            raise
        log.info("rendering pages to images for PDF/A: %s", exc)
        return to_pdfa(rasterise(source), title=title)


def check(pdf: bytes) -> tuple[bool, str]:
    """pikepdf's PDF/A-2b verdict on stored bytes: (passed, the first findings)."""
    from pikepdf import pdfa

    report = pdfa.validate_written(io.BytesIO(pdf), FLAVOUR)
    return bool(report.passed), "; ".join(str(f) for f in report.findings[:3])
