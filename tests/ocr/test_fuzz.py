"""Property-based tests for every parser dach feeds untrusted bytes (short runs in CI; the long run is
`python -m tests.benchmarks.fuzz`): whatever the bytes, the answer is an admitted file or an `InputRejected`
with a specific code — never another exception, never a hang."""

from __future__ import annotations

import io
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from ocr import sniff
from ocr.originals import own_original
from ocr.reader import ReadOptions, read_page
from ocr.sources import check_jpeg_metadata, inspect_source
from schemas.errors import InputRejected
from schemas.settings import OcrLimits
from tests.bad_inputs import text_pdf
from tests.malformed import multipage_tiff

LIMITS = OcrLimits(parser_wall_s=20, parser_cpu_s=10, max_pixels=20_000_000)
CODES = {
    "empty_file",
    "file_too_large",
    "unsupported_format",
    "executable_file",
    "corrupt_file",
    "truncated_pdf",
    "encrypted_pdf",
    "too_many_pages",
    "image_too_large",
    "resource_limit",
}
FAST = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@cache
def seeds() -> dict[str, bytes]:
    png, jpeg = io.BytesIO(), io.BytesIO()
    Image.new("L", (300, 200), 230).save(png, format="PNG")
    Image.new("L", (300, 200), 230).save(jpeg, format="JPEG")
    return {"pdf": text_pdf(2), "png": png.getvalue(), "jpeg": jpeg.getvalue(), "tiff": multipage_tiff(2, 120)}


def mutate(data: bytes, cut: float, flips: list[tuple[float, int]]) -> bytes:
    out = bytearray(data[: max(1, int(len(data) * cut))])
    for where, bit in flips:
        out[int(where * (len(out) - 1))] ^= 1 << bit
    return bytes(out)


mutations = st.tuples(
    st.sampled_from(["pdf", "png", "jpeg", "tiff"]),
    st.floats(0.05, 1.0),
    st.lists(st.tuples(st.floats(0.0, 1.0), st.integers(0, 7)), max_size=12),
)


def admit_and_read(data: bytes) -> None:
    try:
        info = inspect_source(data, LIMITS)
        for page in range(1, min(info.page_count, 2) + 1):
            read_page(data, page, ReadOptions(limits=LIMITS, read_mrz=False))
    except InputRejected as exc:
        assert exc.code in CODES, exc.code


@given(st.binary(max_size=2048))
@settings(max_examples=200, deadline=None)
def test_sniffing_names_any_bytes_without_failing(head: bytes) -> None:
    kind = sniff.media_type(head)
    assert kind in (None, sniff.PDF, sniff.PNG, sniff.JPEG, sniff.TIFF)
    assert sniff.describe_unknown(head)
    sniff.executable_kind(head)


@given(st.binary(max_size=4096))
@FAST
def test_any_bytes_are_admitted_or_rejected_with_a_code(data: bytes) -> None:
    admit_and_read(data)


@given(mutations)
@FAST
def test_truncated_and_bit_flipped_scans_are_read_or_rejected_with_a_code(case: tuple[str, float, list]) -> None:
    kind, cut, flips = case
    admit_and_read(mutate(seeds()[kind], cut, flips))


@given(st.binary(min_size=0, max_size=4096))
@settings(max_examples=200, deadline=None)
def test_the_jpeg_metadata_walk_never_fails_on_garbage(tail: bytes) -> None:
    try:
        check_jpeg_metadata(b"\xff\xd8" + tail)
    except InputRejected as exc:
        assert exc.code == "resource_limit"


@given(mutations, st.lists(st.integers(1, 3), min_size=1, max_size=3, unique=True))
@FAST
def test_cutting_a_document_out_of_a_damaged_scan_gives_bytes_or_none(
    case: tuple[str, float, list], pages: list[int]
) -> None:
    kind, cut, flips = case
    media = {"pdf": sniff.PDF, "png": sniff.PNG, "jpeg": sniff.JPEG, "tiff": sniff.TIFF}[kind]
    result = own_original(mutate(seeds()[kind], cut, flips), media, sorted(pages), None, LIMITS)
    assert result is None or isinstance(result, bytes)
