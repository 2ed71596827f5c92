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


_START_API = """
import os, sys
from pathlib import Path
from schemas.settings import Settings
from flows.runtime import configure_prefect, start_prefect_api
configure_prefect(Settings(data_dir=Path(sys.argv[1])))
try:
    start_prefect_api()
except Exception as exc:
    print("failed:", type(exc).__name__, str(exc)[:300], flush=True)
    import time
    time.sleep(1)
    left = []
    for task in Path(f"/proc/{os.getpid()}/task").glob("*"):
        for child in (task / "children").read_text().split():
            try:
                stat = Path(f"/proc/{child}/stat").read_text().split(") ", 1)[1]
                cmd = Path(f"/proc/{child}/cmdline").read_bytes()
            except OSError:
                continue
            if b"uvicorn" in cmd and stat[0] != "Z":
                left.append(int(child))
    print("left:", left, flush=True)
    sys.exit(3)
print("ready", flush=True)
"""


def _start_api(data_dir: Path, **extra: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "PREFECT_HOME")} | extra
    return subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "python"), "-c", _START_API, str(data_dir)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.slow
def test_two_processes_start_temporary_servers_on_one_prefect_home_at_once(tmp_path: Path) -> None:
    """Inside `dach serve`, temporary servers raced on one PREFECT_HOME: "table artifact_collection already
    exists", a port in use, then the start-up timed out and the batch failed. Both must come up."""
    starts = [_start_api(tmp_path / "var") for _ in range(2)]
    outputs = [p.communicate(timeout=600) for p in starts]
    for process, (out, err) in zip(starts, outputs, strict=True):
        assert process.returncode == 0 and "ready" in out, err[-2000:]


@pytest.mark.slow
def test_a_temporary_server_that_does_not_come_up_is_stopped(tmp_path: Path) -> None:
    """A start-up that timed out left its server running (holding the database and a port) and the next try
    started a second one beside it."""
    process = _start_api(tmp_path / "var", PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="1")
    out, err = process.communicate(timeout=300)
    assert process.returncode == 3 and "failed:" in out, (out, err[-2000:])
    assert "left: []" in out, out


_START_EARLY = """
import sys
from pathlib import Path
from schemas.settings import Settings
from flows.runtime import configure_prefect, wait_for_temporary_server
configure_prefect(Settings(data_dir=Path(sys.argv[1])), start_server_now=True)
wait_for_temporary_server()
from prefect.client.orchestration import get_client
with get_client(sync_client=True) as client:
    client.api_healthcheck()
print("server side imported:", any(m.startswith("prefect.server.api") for m in sys.modules), flush=True)
"""


@pytest.mark.slow
def test_temporary_servers_started_first_come_up_one_after_the_other_on_one_prefect_home(tmp_path: Path) -> None:
    """`dach intake` starts its temporary server before anything else (it waited 11 CPU-s for it after admitting
    the files): two such starts on one PREFECT_HOME still take turns with the migration, both answer, and the
    client never imports Prefect's server side (2.4 CPU-s)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "PREFECT_HOME")}
    script = [str(ROOT / ".venv" / "bin" / "python"), "-c", _START_EARLY, str(tmp_path / "var")]
    starts = [
        subprocess.Popen(script, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    for process in starts:
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0 and "server side imported: False" in out, err[-2000:]
