"""Scaling out on Prefect: `dach deploy` registers the work pool and the per-file intake deployment, and a
scanner's files reach the record through the watcher, the intake door and a worker."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from schemas.intake import FileState
from schemas.record import SYSTEM_ACTOR
from schemas.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"


@pytest.mark.slow
def test_deploy_creates_the_work_pool_and_the_intake_deployment_without_a_host_path(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DACH_DATA_DIR": str(tmp_path / "var"),
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "COLUMNS": "200",  # rich tables are cut to the terminal width
    }
    # Four deployments (intake, retention sweep, dispatcher, daily checks): on a loaded machine each takes a
    # while of the ephemeral server's time, so the limit only guards against a hang.
    done = subprocess.run([BIN / "dach", "deploy"], env=env, capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    # One more process with the same PREFECT_HOME sees what was registered (one temporary server start).
    query = (
        "from prefect.client.orchestration import get_client\n"
        "with get_client(sync_client=True) as c:\n"
        "    print([(p.name, p.concurrency_limit) for p in c.read_work_pools()])\n"
        "    flows = {f.id: f.name for f in c.read_flows()}\n"
        "    ds = c.read_deployments()\n"
        "    print(sorted((flows[d.flow_id] + '/' + d.name, d.entrypoint, d.path, len(d.schedules), d.work_pool_name)"
        " for d in ds))\n"
        "    print([d.schedules[0].schedule.interval.total_seconds() for d in ds if d.name == 'dispatcher'])\n"
    )
    listing = subprocess.run([BIN / "python", "-c", query], env=env, capture_output=True, text=True, timeout=300)
    assert listing.returncode == 0, listing.stderr
    pools, deployments, dispatch_every = listing.stdout.splitlines()[-3:]
    assert "('dach-intake', " in pools and "None)" not in pools, "the pools have concurrency limits"
    assert "('dach-scheduled', 1)" in pools, "one scheduled run at a time"
    assert deployments == (
        "[('dach-daily-checks/daily-checks', 'flows.dispatch.daily_checks', None, 1, 'dach-scheduled'), "
        "('dach-dispatch/dispatcher', 'flows.dispatch.dispatch_events', None, 1, 'dach-scheduled'), "
        "('dach-intake/intake-file', 'flows.intake.intake_file', None, 0, 'dach-intake'), "
        "('dach-retention-sweep/retention-sweep', 'flows.retention.retention_sweep', None, 1, 'dach-scheduled')]"
    ), "found by module (code from the image), no checkout path, no polling schedule; scheduled work in its own pool"
    # SQLite has no event bell for `dach scheduler` to follow: the dispatcher's schedule is what dispatches there
    assert dispatch_every == "[120.0]"


@pytest.mark.slow
def test_a_worker_files_what_the_scanner_dropped(tmp_path: Path) -> None:
    from flows.inbox import admit_settled
    from flows.runtime import archive_for
    from flows.worker import Worker
    from lab.samples import generate

    settings = Settings(data_dir=tmp_path / "var")
    inbox = tmp_path / "share"
    inbox.mkdir()
    (scan,) = generate(tmp_path / "scans", count=1, seed=5150, kinds=["registration_certificate"], difficulty="clean")
    dropped = inbox / "Scan 0001.png"
    dropped.write_bytes(scan.read_bytes())
    os.utime(dropped, (time.time() - 60, time.time() - 60))
    archive = archive_for(settings)
    admission = admit_settled(archive, inbox, settle_seconds=5)
    assert admission is not None

    reports = Worker(settings, use_deployment=False).drain([f.sha256 for f in admission.files])

    assert len(reports) == 1
    progress = archive.batch_progress(admission.batch_id, SYSTEM_ACTOR)
    assert [f.status for f in progress.files] in ([FileState.FILED], [FileState.NEEDS_REVIEW])
    (document,) = progress.files[0].documents
    from sqlalchemy import select

    from storage.models import Document

    with archive.engine.connect() as conn:
        name, media_type = conn.execute(
            select(Document.original_filename, Document.media_type).where(Document.id == document.id)
        ).one()
    from ocr.sources import inspect_source

    sniffed = inspect_source(scan.read_bytes(), settings.limits).media_type  # by content, not by the name
    assert (name, media_type) == ("Scan 0001.png", sniffed), "the scanner's name and the sniffed type are kept"
