"""Parsers run in sandboxed workers: a crafted file is rejected with `resource_limit` and the caller survives."""

from __future__ import annotations

import json
import os
import shutil
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

ROOT = Path(__file__).resolve().parents[2]


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


_PROBE_AS_DEPLOYED = """
import json, socket, sys
from ocr import sandbox
from ocr.sources import inspect_source
from schemas.settings import OcrLimits
from tests.bad_inputs import text_pdf
with socket.socket() as listener:
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    found = sandbox.call("probe", b"", OcrLimits(), sys.argv[1], sys.argv[2], listener.getsockname()[1])
found["pages"] = inspect_source(text_pdf(2), OcrLimits()).page_count
print(json.dumps(found))
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="dropping to nobody needs root")
@pytest.mark.skipif(not Path("/usr/bin/python3.11").exists(), reason="needs the system's Python 3.11")
def test_a_worker_started_as_root_drops_to_nobody_where_python_is_readable_by_everyone(tmp_path: Path) -> None:
    """The `nobody` layer of `ocr.confine`: on the development machines Python lives under /root, out of
    nobody's reach, so workers stay uid 0 without capabilities and this layer never ran. Here the parsers
    run from the system's Python (as in a deployment), with this environment's packages linked in."""
    reachable = Path(tempfile.mkdtemp(prefix="dach-nobody-", dir="/tmp"))  # pytest's tmp_path is root-only
    try:
        reachable.chmod(0o755)
        venv = reachable / "venv"
        subprocess.run(["/usr/bin/python3.11", "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
        packages = next((venv / "lib").glob("python3.*/site-packages"))
        packages.rmdir()
        packages.symlink_to(next((ROOT / ".venv" / "lib").glob("python3.*/site-packages")))
        secret = tmp_path / "seal.pem"
        secret.write_text("-----BEGIN PRIVATE KEY-----")
        secret.chmod(0o600)
        outside = reachable / "escaped.txt"  # a folder nobody could reach and root may write: only uid stops it
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
        answer = subprocess.run(
            [str(venv / "bin" / "python"), "-c", _PROBE_AS_DEPLOYED, str(secret), str(outside)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert answer.returncode == 0, answer.stderr[-2000:]
        found = json.loads(answer.stdout)
    finally:
        shutil.rmtree(reachable, ignore_errors=True)
    assert found["confinement"]["uid"] == 65534, found["confinement"]
    assert found["read"] == "EACCES" and found["write"] == "EACCES" and not outside.exists()
    assert found["write_own"] == "allowed", "the worker's own folder, chowned to nobody, is writable"
    assert found["fork"] in ("EPERM", "EAGAIN") and found["connect"] != "allowed"
    assert found["pages"] == 2, "and, as nobody, it still reads files"
