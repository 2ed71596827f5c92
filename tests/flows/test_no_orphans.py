"""A `dach intake` killed with SIGKILL leaves no temporary Prefect server behind (17 of 17 did, ~240 MB each)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.bad_inputs import text_pdf

ROOT = Path(__file__).resolve().parents[2]
DACH = str(ROOT / ".venv" / "bin" / "dach")


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            continue
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
def test_the_temporary_prefect_server_dies_with_a_killed_intake(tmp_path: Path) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(text_pdf(30, "Bescheid"))
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env |= {"DACH_DATA_DIR": str(tmp_path / "var"), "PREFECT_HOME": str(tmp_path / "prefect")}
    dach = subprocess.Popen([DACH, "intake", str(scan)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = None
    deadline = time.monotonic() + 180
    while server is None and time.monotonic() < deadline and dach.poll() is None:
        server = next((c for c in _children(dach.pid) if "uvicorn" in _cmdline(c)), None)
        time.sleep(0.2)
    if server is None:
        dach.kill()
        pytest.fail("the temporary Prefect server was never seen")
    os.kill(dach.pid, signal.SIGKILL)
    dach.wait()
    deadline = time.monotonic() + 30
    while _alive(server) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(server), "the Prefect server outlived the dach process that started it"
