"""Parsers run in sandboxed workers: a crafted file is rejected with `resource_limit` and the caller survives."""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
import time
from pathlib import Path

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


def test_a_parser_in_the_sandbox_cannot_read_a_root_only_file_nor_write_outside_its_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a parser fooled into running a crafted file's code could reach: `probe` runs in a real worker."""
    secret = tmp_path / "seal.pem"
    secret.write_text("-----BEGIN PRIVATE KEY-----")
    secret.chmod(0o600)  # root-only when the tests run as root, as the servers do
    outside = tmp_path / "escaped.txt"
    monkeypatch.setenv("DACH_S3_SECRET_KEY", "must-not-reach-a-parser")
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        found = sandbox.call("probe", b"", OcrLimits(), str(secret), str(outside), port)
    confinement = found["confinement"]
    assert confinement["landlock_abi"] >= 1 or confinement["uid"] != 0, "neither Landlock nor a user to drop to"
    assert found["read"] == "EACCES", "the root-only key was read"
    assert found["write"] == "EACCES" and not outside.exists(), "a file was written outside the worker's folder"
    assert found["write_own"] == "allowed", "the worker's own folder is writable"
    assert found["proc_environ"] in ("EACCES", "ENOENT") or confinement["environment_wiped"]
    assert "DACH_S3_SECRET_KEY" not in found["environment"]
    assert found["fork"] in ("EPERM", "EAGAIN"), "a worker may start no process"
    assert found["connect"] != "allowed", "a worker reaches no network"
    assert inspect_source(text_pdf(2), OcrLimits()).page_count == 2, "and it still reads files"


def test_a_stopped_worker_leaves_no_working_folder() -> None:
    limits = OcrLimits(parser_workers=1)
    inspect_source(text_pdf(1), limits)
    found = sandbox.call("probe", b"", limits, "/nonexistent", "/nonexistent/x", 9)
    folder = Path(found["confinement"]["folder"])
    assert folder.is_dir()
    sandbox.shutdown()
    assert not folder.exists()


def test_the_folders_of_workers_killed_with_their_process_are_swept() -> None:
    gone = subprocess.Popen(["true"])
    gone.wait()
    left = Path(tempfile.mkdtemp(prefix=f"dach-parser-{gone.pid}-"))
    sandbox.shutdown()
    inspect_source(text_pdf(1), OcrLimits(parser_workers=1))  # a new pool sweeps first
    assert not left.exists()
