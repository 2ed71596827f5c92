"""Parsers run in sandboxed workers: a crafted file is rejected with `resource_limit` and the caller survives."""

from __future__ import annotations

import os
import time

import pytest

from ocr import sandbox
from ocr.reader import ReadOptions, read_page
from ocr.sources import inspect_source
from schemas.errors import InputRejected
from schemas.settings import OcrLimits
from tests.bad_inputs import text_pdf
from tests.malformed import jpeg_with_app_segments, many_text_lines_pdf, nested_forms_pdf


def read_all(data: bytes, limits: OcrLimits) -> None:
    info = inspect_source(data, limits)
    for page in range(1, info.page_count + 1):
        read_page(data, page, ReadOptions(limits=limits, read_mrz=False))


def test_a_pdf_of_nested_forms_hits_a_limit_and_the_next_file_is_read() -> None:
    limits = OcrLimits(parser_wall_s=8, parser_cpu_s=4)
    bomb = nested_forms_pdf()
    assert len(bomb) < 10_000, "a few KB that would grow to gigabytes"
    started = time.monotonic()
    with pytest.raises(InputRejected) as caught:
        read_all(bomb, limits)
    assert caught.value.code == "resource_limit"
    assert time.monotonic() - started < 30
    assert inspect_source(text_pdf(2), limits).page_count == 2, "a replaced worker reads the next file"


def test_a_page_of_20000_text_lines_is_stopped_by_the_cpu_limit() -> None:
    limits = OcrLimits(parser_wall_s=120, parser_cpu_s=1)
    with pytest.raises(InputRejected) as caught:
        read_all(many_text_lines_pdf(), limits)
    assert caught.value.code == "resource_limit"
    assert "CPU" in caught.value.message or "longer" in caught.value.message


def test_a_jpeg_with_a_thousand_metadata_segments_is_refused_before_decoding() -> None:
    started = time.monotonic()
    with pytest.raises(InputRejected) as caught:
        inspect_source(jpeg_with_app_segments(), OcrLimits())
    assert caught.value.code == "resource_limit" and time.monotonic() - started < 20


def test_workers_are_persistent_capped_and_not_this_process() -> None:
    limits = OcrLimits()
    inspect_source(text_pdf(1), limits)
    before = set(sandbox.worker_pids())
    for _ in range(5):
        inspect_source(text_pdf(3), limits)
    assert set(sandbox.worker_pids()) == before, "no process per call: the pool is reused"
    assert os.getpid() not in before
    for pid in before:
        with open(f"/proc/{pid}/limits", encoding="ascii") as handle:
            line = next(row for row in handle if row.startswith("Max address space"))
        assert str(limits.parser_memory_mb * 1024 * 1024) in line
