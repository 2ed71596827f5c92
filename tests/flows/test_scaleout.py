"""Workers killed with `kill -9` lose nothing: a real Prefect server on PostgreSQL, moto's S3 over HTTP, two
`dach worker` processes, one killed at random moments and replaced (the CI-sized part of
`python -m tests.benchmarks.scaleout`, which runs more kills on a larger batch)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.mark.slow
def test_killed_workers_lose_no_file_file_nothing_twice_and_leave_no_run_running(tmp_path: Path) -> None:
    from tests.benchmarks.scaleout import SHORT_KINDS, Services, make_batch, run_kills

    files, _pages = make_batch(tmp_path / "batch", 4, seed=100777, kinds=SHORT_KINDS, files=4)
    services = Services(tmp_path)
    try:
        services.start()
        result = run_kills(services, tmp_path, files, kills=2, lease=10.0, seed=3)
    finally:
        services.stop()
    states = result["states"]
    assert isinstance(states, dict)
    assert set(states) <= {"filed", "needs_review"}, f"every file filed, none lost or set aside: {result}"
    assert sum(states.values()) == len(files)
    assert result["documents_filed_twice"] == 0
    assert result["flow_runs_left_running_or_pending"] == 0, result
    seconds = result["seconds_from_a_worker_ready_to_all_filed_max"]
    assert isinstance(seconds, float) and seconds <= 120.0, result
