"""The scheduled deployments have an executor: `dach scheduler` runs the runs of the `dach-scheduled` pool
in-process, against a real Prefect server on PostgreSQL. It never takes an intake run, `dach worker` never takes
a scheduled one, overdue runs do not pile up, and the runs of a killed scheduler do not stay Running."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"


def _runs(env: dict[str, str]) -> dict[str, Counter[str]]:
    """State types of every flow run (Late is Scheduled; SCHEDULED-due when its time has come), by deployment
    name, and the hosts that ran them (via a separate process: PREFECT_API_URL differs from this one's)."""
    code = (
        "from datetime import UTC, datetime\n"
        "from prefect.client.orchestration import get_client\n"
        "now = datetime.now(UTC)\n"
        "with get_client(sync_client=True) as c:\n"
        "    names = {d.id: d.name for d in c.read_deployments()}\n"
        "    runs, page = [], None\n"
        "    while page is None or len(page) == 200:\n"
        "        page = c.read_flow_runs(limit=200, offset=len(runs))\n"
        "        runs += page\n"
        "    for r in runs:\n"
        "        state = r.state.type.value\n"
        "        if state == 'SCHEDULED':\n"
        "            state += '-due' if r.expected_start_time <= now else '-later'\n"
        "        print(names.get(r.deployment_id), state, r.infrastructure_pid or '-')\n"
    )
    done = subprocess.run([str(BIN / "python"), "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    out: dict[str, Counter[str]] = {}
    for line in done.stdout.splitlines():
        deployment, state, owner = line.rsplit(" ", 2)
        out.setdefault(deployment, Counter())[state] += 1
        if owner != "-":
            out.setdefault(f"{deployment} owners", Counter())[owner.split(":")[0]] += 1
    return out


def _prefect(env: dict[str, str], code: str) -> str:
    done = subprocess.run([str(BIN / "python"), "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("wb")
    return subprocess.Popen(args, env=env, stdout=handle, stderr=handle, start_new_session=True)


def _wait_for(what: str, log: Path, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while what.encode() not in log.read_bytes():
        assert time.monotonic() < deadline, log.read_text()[-2000:]
        time.sleep(0.5)


def _stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
        proc.wait(timeout=120)


@pytest.mark.slow
def test_the_scheduler_runs_the_scheduled_pool_and_nothing_else(tmp_path: Path) -> None:
    from tests.benchmarks.scaleout import Services

    services = Services(tmp_path)
    procs: list[subprocess.Popen[bytes]] = []
    try:
        services.start()
        env = services.env(services.fresh_dach_db(), tmp_path / "var", "dach-scheduler-test")
        deployed = subprocess.run(
            [str(BIN / "dach"), "deploy", "--dispatch-every", "3"], env=env, capture_output=True, text=True, timeout=600
        )
        assert deployed.returncode == 0, deployed.stderr
        # Someone starts an intake run by hand (`prefect deployment run`): a Scheduled run in the intake pool.
        _prefect(
            env,
            "from prefect.client.orchestration import get_client\n"
            "with get_client(sync_client=True) as c:\n"
            "    d = c.read_deployment_by_name('dach-intake/intake-file')\n"
            "    c.create_flow_run_from_deployment(d.id, parameters={'sha256': '0' * 64})\n",
        )
        # An intake worker alone: the dispatcher's runs fall due every 3 s, and it leaves every one of them.
        worker = _start([str(BIN / "dach"), "worker", "--lease", "10"], env, tmp_path / "worker.log")
        procs.append(worker)
        _wait_for(" ready: ", tmp_path / "worker.log")
        # The server's scheduler finds a new deployment within its 30 s loop: wait for the dispatcher's runs to
        # exist (a worker that starts quickly is ready before they do), then give the worker time to leave them.
        deadline = time.monotonic() + 180
        while "dispatcher" not in _runs(env):
            assert time.monotonic() < deadline, "the server scheduled no dispatcher run"
            time.sleep(2)
        time.sleep(12)
        before = _runs(env)
        assert set(before["dispatcher"]) <= {"SCHEDULED-due", "SCHEDULED-later"}, before
        overdue = before["dispatcher"]["SCHEDULED-due"]
        assert overdue >= 3, before
        assert before["intake-file"] == Counter({"SCHEDULED-due": 1}), "the worker does not take a run from the pool"
        _stop(worker)

        # A run left Running by a scheduler on this host that was killed (its process is gone).
        _prefect(
            env,
            "import socket\n"
            "from prefect.client.orchestration import get_client\n"
            "from prefect.states import Running\n"
            "with get_client(sync_client=True) as c:\n"
            "    d = c.read_deployment_by_name('dach-daily-checks/daily-checks')\n"
            "    r = c.create_flow_run_from_deployment(d.id, state=Running())\n"
            "    c.update_flow_run(r.id, infrastructure_pid=f'{socket.gethostname()}:999999:dead')\n",
        )
        scheduler = _start([str(BIN / "dach"), "scheduler", "--max-sleep", "5"], env, tmp_path / "scheduler.log")
        procs.append(scheduler)
        _wait_for(" ready: ", tmp_path / "scheduler.log")
        deadline = time.monotonic() + 300
        after = _runs(env)
        while after["dispatcher"]["COMPLETED"] < 3 and time.monotonic() < deadline:
            time.sleep(2)
            after = _runs(env)
        _stop(scheduler)
        assert scheduler.returncode == 0, (tmp_path / "scheduler.log").read_text()[-2000:]
        after = _runs(env)
    finally:
        for proc in procs:
            _stop(proc, signal.SIGKILL)
        services.stop()

    dispatcher = after["dispatcher"]
    assert dispatcher["COMPLETED"] >= 3, after
    assert dispatcher["CANCELLED"] >= overdue - 1, f"the overdue runs are covered by one run, not run each: {after}"
    assert set(dispatcher) <= {"COMPLETED", "CANCELLED", "SCHEDULED-due", "SCHEDULED-later"}, after
    assert after["dispatcher owners"] == Counter({socket.gethostname(): dispatcher["COMPLETED"]}), after
    assert after["intake-file"] == Counter({"SCHEDULED-due": 1}), "the scheduler leaves the intake pool alone"
    assert after["daily-checks"]["CRASHED"] == 1 and "RUNNING" not in after["daily-checks"], after
