"""The malformed files of issue 15: each one is that file's error with a specific code, never a crash."""

from __future__ import annotations

import pytest

from ocr.reader import ReadOptions, read_page
from ocr.sources import inspect_source
from schemas.errors import InputRejected
from schemas.settings import OcrLimits
from tests.bad_inputs import text_pdf
from tests.malformed import bit_flipped, issue_inputs, truncated_tiff

LIMITS = OcrLimits()


def read_all(data: bytes) -> None:
    """Everything dach does with a file before classifying it: admit it, read every page."""
    info = inspect_source(data, LIMITS)
    for page in range(1, info.page_count + 1):
        read_page(data, page, ReadOptions(limits=LIMITS, read_mrz=False))


@pytest.mark.parametrize("name", sorted(issue_inputs()))
def test_each_malformed_file_of_the_issue_gets_its_code(name: str) -> None:
    data, code = issue_inputs()[name]
    with pytest.raises(InputRejected) as caught:
        read_all(data)
    assert caught.value.code == code, caught.value.message


@pytest.mark.parametrize("percent", range(75, 100, 3))
def test_a_multipage_tiff_cut_short_is_a_corrupt_file_not_a_type_error(percent: int) -> None:
    with pytest.raises(InputRejected) as caught:
        read_all(truncated_tiff(percent / 100))
    assert caught.value.code == "corrupt_file"


def test_an_svg_holding_the_pdf_marker_is_named_an_svg_not_a_truncated_pdf() -> None:
    data, _ = issue_inputs()["picture.svg"]
    with pytest.raises(InputRejected) as caught:
        inspect_source(data, LIMITS)
    assert caught.value.code == "unsupported_format" and "SVG" in caught.value.message


@pytest.mark.parametrize("seed", range(12))
def test_a_bit_flipped_pdf_is_read_or_rejected_with_a_code(seed: int) -> None:
    """A page that fails to load in pdfium (PdfiumError) was not wrapped: the whole batch stopped."""
    try:
        read_all(bit_flipped(text_pdf(2), 20, seed))
    except InputRejected as exc:
        assert exc.code in {"corrupt_file", "truncated_pdf"}, exc.code
