"""Scaling out on Prefect's machinery: `dach deploy` registers the work pool and the intake deployments."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from flows.inbox import watch_inbox
from schemas.intake import IntakeStatus

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"


@pytest.mark.slow
def test_deploy_creates_the_work_pool_and_both_deployments(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DACH_DATA_DIR": str(tmp_path / "var"),
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "COLUMNS": "200",  # rich tables are cut to the terminal width
    }
    # Four deployments now (scanner inbox, intake paths, dispatcher, daily checks): on a loaded machine each
    # takes a minute of the ephemeral server's time, so the limit only guards against a hang.
    done = subprocess.run([BIN / "dach", "deploy"], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    # One more process with the same PREFECT_HOME sees what was registered (one temporary server start).
    query = (
        "from prefect.client.orchestration import get_client\n"
        "with get_client(sync_client=True) as c:\n"
        "    print([p.name for p in c.read_work_pools()])\n"
        "    flows = {f.id: f.name for f in c.read_flows()}\n"
        "    print([flows[d.flow_id] + '/' + d.name for d in c.read_deployments()])\n"
    )
    listing = subprocess.run([BIN / "python", "-c", query], env=env, capture_output=True, text=True, timeout=300)
    assert listing.returncode == 0, listing.stderr
    pools, deployments = listing.stdout.splitlines()[-2:]
    assert "'dach-intake'" in pools
    assert "dach-watch-inbox/scanner-inbox" in deployments
    assert "dach-intake-paths/intake-paths" in deployments
    assert "dach-dispatch/dispatcher" in deployments
    assert "dach-daily-checks/daily-checks" in deployments


@pytest.mark.slow
def test_the_inbox_flow_files_what_the_scanner_dropped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dach.samples import generate

    monkeypatch.setenv("DACH_DATA_DIR", str(tmp_path / "var"))
    inbox = tmp_path / "var" / "inbox"
    (scan,) = generate(tmp_path / "scans", count=1, seed=5150, kinds=["registration_certificate"], difficulty="clean")
    inbox.mkdir(parents=True)
    dropped = inbox / "Scan 0001.png"
    dropped.write_bytes(scan.read_bytes())
    os.utime(dropped, (time.time() - 60, time.time() - 60))

    report = watch_inbox(settle_seconds=5)

    assert report is not None
    assert [i.status for i in report.items] in ([IntakeStatus.FILED], [IntakeStatus.NEEDS_REVIEW])
    assert not dropped.exists()
    kept = list((inbox / "done").rglob("00000*"))
    assert kept and kept[0].read_bytes() == scan.read_bytes(), "the scan is kept after filing"
    assert watch_inbox(settle_seconds=5) is None, "nothing is taken twice"
