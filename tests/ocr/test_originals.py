"""A document's own original: exactly its pages of the scan, nothing re-encoded, the same bytes every time."""

from __future__ import annotations

import io

import numpy as np
import pikepdf
import pytest
from PIL import Image, TiffImagePlugin

from ocr.originals import document_original, own_original
from tests.ocr.pdfgen import build


def _scan_pdf() -> bytes:
    rng = np.random.default_rng(3)
    pages: list[tuple[str, object]] = [("text", ["REISEPASS", "C01X00T47"])]
    pages += [("image", rng.integers(0, 255, (300, 200), dtype=np.uint8)) for _ in range(2)]
    pages += [("text", ["BESCHEID", "Seite 1 von 1"])]
    return build(pages)


def _image_streams(data: bytes) -> list[bytes]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [bytes(obj.read_raw_bytes()) for page in pdf.pages for _, obj in page.get_images().items()]


def test_a_pdf_document_gets_exactly_its_pages_with_images_untouched() -> None:
    scan = _scan_pdf()
    own = document_original(scan, "application/pdf", (2, 3), 4)
    with pikepdf.open(io.BytesIO(own)) as pdf:
        assert len(pdf.pages) == 2
    with pikepdf.open(io.BytesIO(scan)) as source:
        wanted = [bytes(o.read_raw_bytes()) for i in (1, 2) for _, o in source.pages[i].get_images().items()]
    assert _image_streams(own) == wanted, "image streams are copied byte for byte, never re-encoded"
    assert b"REISEPASS" not in own and b"BESCHEID" not in own
    assert document_original(scan, "application/pdf", (2, 3), 4) == own, "the same pages give the same bytes"


def test_a_document_of_every_page_keeps_the_scan_itself() -> None:
    scan = _scan_pdf()
    assert document_original(scan, "application/pdf", (1, 2, 3, 4), 4) is scan
    assert document_original(scan, "application/pdf", (1, 2, 3, 4)) is scan  # page count found by itself


def test_tiff_frames_keep_their_pixels_and_resolution() -> None:
    rng = np.random.default_rng(5)
    frames = [Image.fromarray(rng.integers(0, 255, (120, 80), dtype=np.uint8)) for _ in range(3)]
    out = io.BytesIO()
    frames[0].save(out, format="TIFF", save_all=True, append_images=frames[1:], compression="tiff_lzw", dpi=(300, 300))
    own = document_original(out.getvalue(), "image/tiff", (3,), 3)
    with Image.open(io.BytesIO(own)) as image:
        assert getattr(image, "n_frames", 1) == 1
        assert np.array_equal(np.asarray(image), np.asarray(frames[2]))
        assert round(float(image.info["dpi"][0])) == 300


def test_jpeg_compressed_tiff_frames_are_not_compressed_twice() -> None:
    rng = np.random.default_rng(6)
    frames = [Image.fromarray(rng.integers(0, 255, (64, 64, 3), dtype=np.uint8)) for _ in range(2)]
    out = io.BytesIO()
    frames[0].save(out, format="TIFF", save_all=True, append_images=frames[1:], compression="jpeg")
    with Image.open(io.BytesIO(out.getvalue())) as source:
        source.seek(1)
        decoded = np.asarray(source.convert("RGB"))
    own = document_original(out.getvalue(), "image/tiff", (2,), 2)
    with Image.open(io.BytesIO(own)) as image:
        assert image.info.get("compression") != "jpeg"
        assert np.array_equal(np.asarray(image.convert("RGB")), decoded)


def test_pages_outside_the_scan_are_refused_and_a_damaged_scan_gives_none() -> None:
    with pytest.raises(ValueError):
        document_original(_scan_pdf(), "application/pdf", (5,), 4)
    assert own_original(b"%PDF-1.7 not really\n%%EOF", "application/pdf", (1,)) is None
    assert own_original(b"plain text", "text/plain", (1,)) is None


def test_a_document_that_is_the_whole_scan_is_the_scan_without_a_round_trip_through_the_sandbox(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Filing a one-document scan sent the whole scan (7 MB for a 10-page TIFF) to the parser sandbox and back,
    only to be handed the same bytes (~0.15 s a document)."""
    from ocr import sandbox

    def no_sandbox(*args: object, **kwargs: object) -> object:
        raise AssertionError("the sandbox was asked to cut a document that is the whole scan")

    monkeypatch.setattr(sandbox, "call", no_sandbox)
    scan = _scan_pdf()
    assert own_original(scan, "application/pdf", (1, 2, 3, 4), 4) is scan
    with pytest.raises(AssertionError):  # a part of it is still cut in the sandbox
        own_original(scan, "application/pdf", (2, 3), 4)


def _strips(data: bytes, frame: int) -> list[bytes]:
    with Image.open(io.BytesIO(data)) as image:
        assert isinstance(image, TiffImagePlugin.TiffImageFile)
        image.seek(frame)
        tags = image.tag_v2
        return [data[start : start + size] for start, size in zip(tags[273], tags[279], strict=True)]


@pytest.mark.parametrize("big_endian", [False, True])
def test_tiff_frames_are_copied_strip_for_strip_without_being_decoded(big_endian: bool) -> None:
    """Cutting a page out of a 10-page LZW scan decoded and compressed it again (~0.03 CPU-s a page, beside
    the reading of the next pages); its strips are now copied as they are."""
    rng = np.random.default_rng(8)
    frames = [Image.fromarray(rng.integers(0, 255, (90, 70), dtype=np.uint8)) for _ in range(3)]
    out = io.BytesIO()
    frames[0].save(
        out, format="TIFF", save_all=True, append_images=frames[1:], compression="tiff_lzw", dpi=(300, 300),
        big_endian=big_endian,
    )  # fmt: skip
    scan = out.getvalue()
    own = document_original(scan, "image/tiff", (3, 1), 3)
    assert _strips(own, 0) == _strips(scan, 2) and _strips(own, 1) == _strips(scan, 0)
    with Image.open(io.BytesIO(own)) as image:
        assert getattr(image, "n_frames", 1) == 2
        assert image.info["compression"] == "tiff_lzw"
        assert round(float(image.info["dpi"][0])) == 300
        for index, page in enumerate((3, 1)):
            image.seek(index)
            assert np.array_equal(np.asarray(image), np.asarray(frames[page - 1]))
    assert document_original(scan, "image/tiff", (3, 1), 3) == own, "the same pages give the same bytes"


def test_a_tiff_frame_with_a_tag_the_copy_does_not_know_is_repacked_with_its_pixels() -> None:
    """A tag may be an offset into the scan (an EXIF directory, a sub-image): copied as it is, it would point
    into the wrong bytes. A frame with a tag outside the known ones is decoded and packed again instead."""
    rng = np.random.default_rng(9)
    frames = [Image.fromarray(rng.integers(0, 255, (40, 30), dtype=np.uint8)) for _ in range(2)]
    out = io.BytesIO()
    frames[0].save(
        out, format="TIFF", save_all=True, append_images=frames[1:], compression="tiff_lzw", tiffinfo={34665: 8}
    )
    with Image.open(out) as scan:
        assert isinstance(scan, TiffImagePlugin.TiffImageFile)
        scan.seek(1)
        assert 34665 in scan.tag_v2, "the test scan's frame carries an EXIF directory offset"
    own = document_original(out.getvalue(), "image/tiff", (2,), 2)
    with Image.open(io.BytesIO(own)) as image:
        assert isinstance(image, TiffImagePlugin.TiffImageFile)
        assert 34665 not in image.tag_v2, "packed anew: the offset into the scan is not carried over"
        assert np.array_equal(np.asarray(image), np.asarray(frames[1]))
