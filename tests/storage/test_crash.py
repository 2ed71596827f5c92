"""Crash consistency: a filing worker killed with SIGKILL at random moments loses nothing it acknowledged,
leaves no row pointing at a missing object, keeps the audit chain intact, and a re-run files each document
exactly once. Runs per backend: DACH_CRASH_RUNS (default 8)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import text

from storage import CONSOLE_ACTOR
from tests.storage.conftest import Backend
from tests.storage.test_cli import env_of

DOCUMENTS = 60  # per run; each run starts STEP documents further, so runs overlap (duplicates) and go on
STEP = 15
RUNS = int(os.environ.get("DACH_CRASH_RUNS", "8"))


def run_worker(env: dict[str, str], start: int, count: int, kill_after: float | None) -> dict[int, str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.storage.crash_worker", str(start), str(count)],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    if kill_after is None:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    else:
        assert proc.stdout is not None
        first = proc.stdout.readline()  # the kill lands while documents are being filed, not during start-up
        assert first.strip() == "READY", first + (proc.stderr.read() if proc.stderr else "")
        second = proc.stdout.readline()
        time.sleep(kill_after)
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate(timeout=60)
        out = second + out
    acked: dict[int, str] = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[0] == "ACK":
            acked[int(parts[1])] = parts[2]
    return acked


@pytest.mark.slow
def test_sigkill_at_random_points_loses_nothing_acknowledged(backend: Backend) -> None:
    archive = backend.archive
    env = env_of(backend)
    rng = random.Random(20261125)
    acknowledged: dict[int, str] = {}
    killed_mid_batch = 0
    for run in range(RUNS):
        acked = run_worker(env, run * STEP, DOCUMENTS, kill_after=rng.uniform(0.0, 0.5))
        killed_mid_batch += 0 < len(acked) < DOCUMENTS
        for i, doc_id in acked.items():
            assert acknowledged.setdefault(i, doc_id) == doc_id, "a document was filed twice"
        assert archive.missing_objects() == [], "a row points at an object that is not stored"
        report = archive.verify_audit()
        assert report.ok, report.problems
    for doc_id in acknowledged.values():
        assert archive.get_document(doc_id, CONSOLE_ACTOR).id == doc_id
    print(f"{backend.name}: {killed_mid_batch} of {RUNS} kills landed between acknowledged filings")
    assert killed_mid_batch >= RUNS // 4, "kills should land between two acknowledged filings"
    total = (RUNS - 1) * STEP + DOCUMENTS
    final = run_worker(env, 0, total, kill_after=None)
    assert len(final) == total
    for i, doc_id in final.items():
        assert acknowledged.get(i, doc_id) == doc_id, f"document {i} exists twice after the re-run"
    with archive.engine.connect() as conn:
        stored = conn.execute(text("SELECT count(*) FROM documents")).scalar()
    assert stored == total == len(set(final.values())), "each document is stored exactly once"
    assert archive.verify_audit().ok
