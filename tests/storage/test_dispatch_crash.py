"""A crash anywhere between filing and dispatch loses nothing: a worker that files and dispatches is killed
with SIGKILL at random moments; afterwards every filed document has its event, one dispatch run turns
every pending event into its task, and no task exists twice. Runs per backend: DACH_DISPATCH_CRASH_RUNS
(default 6; `python -m tests.benchmarks.dispatch crash --runs 200` for the full measurement)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass

import pytest
from sqlalchemy import text

from schemas.settings import Settings
from storage import Archive
from tests.storage.conftest import Backend
from tests.storage.dispatch_crash_worker import warm_up, work
from tests.storage.test_cli import env_of

DOCUMENTS = 24
STEP = 8
RUNS = int(os.environ.get("DACH_DISPATCH_CRASH_RUNS", "6"))
RULES = "('qualification_recognition', 'review_needed')"  # a filed degree certificate's task, or its review


def run_worker(
    env: dict[str, str], start: int, count: int, kill_after: float | None, *, after_a_filing: bool = False
) -> dict[int, str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.storage.dispatch_crash_worker", str(start), str(count)],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    if kill_after is None:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
    else:
        first = proc.stdout.readline()
        assert first.strip() == "READY", first + (proc.stderr.read() if proc.stderr else "")
        seen = proc.stdout.readline() if after_a_filing else ""  # the kill falls after the first filing
        time.sleep(kill_after)
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate(timeout=60)
        out = seen + out
    acked: dict[int, str] = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[0] == "ACK":
            acked[int(parts[1])] = parts[2]
    return acked


def fork_worker(
    settings: Settings, start: int, count: int, kill_after: float, *, after_a_filing: bool = False
) -> dict[int, str]:
    """As `run_worker`, but the worker is a forked child of this (already warmed-up) process: a real
    process killed with a real SIGKILL, without the seconds a fresh interpreter needs to start."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its own archive (engine, connections), nothing of the parent's is used
        os.close(read_fd)
        code = 0
        try:
            with os.fdopen(write_fd, "w", buffering=1) as out:
                work(settings, start, count, out)
        except BaseException:  # a child must never return into the parent's code
            code = 1
        os._exit(code)
    os.close(write_fd)
    with os.fdopen(read_fd) as lines:
        first = lines.readline()
        assert first.strip() == "READY", first
        seen = lines.readline() if after_a_filing else ""
        time.sleep(kill_after)
        os.kill(pid, signal.SIGKILL)
        out = seen + lines.read()
    os.waitpid(pid, 0)
    acked: dict[int, str] = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[0] == "ACK":
            acked[int(parts[1])] = parts[2]
    return acked


@dataclass
class Check:
    documents: int
    events: int
    tasks: int
    duplicated: int
    without_task: int


def check(archive: Archive) -> Check:
    """After a full dispatch: every degree certificate has its event and exactly one task (recognition of the
    qualification when it was filed, a review when the person was uncertain)."""
    archive.dispatch()
    with archive.engine.connect() as conn:
        documents = conn.execute(text("SELECT count(*) FROM documents WHERE type = 'degree_certificate'")).scalar()
        events = conn.execute(text("SELECT count(*) FROM record_events WHERE kind = 'document_filed'")).scalar()
        tasks = conn.execute(text(f"SELECT count(*) FROM tasks WHERE rule IN {RULES}")).scalar()
        duplicated = conn.execute(
            text(
                f"SELECT count(*) FROM (SELECT document_id FROM tasks WHERE rule IN {RULES} "
                "GROUP BY document_id HAVING count(*) > 1) d"
            )
        ).scalar()
        without = conn.execute(
            text(
                "SELECT count(*) FROM documents d WHERE d.type = 'degree_certificate' AND NOT EXISTS "
                f"(SELECT 1 FROM tasks t WHERE t.document_id = d.id AND t.rule IN {RULES})"
            )
        ).scalar()
        pending = conn.execute(text("SELECT count(*) FROM record_events WHERE dispatched_at IS NULL")).scalar()
    assert pending == 0
    return Check(int(documents or 0), int(events or 0), int(tasks or 0), int(duplicated or 0), int(without or 0))


def crash_runs(
    backend: Backend, runs: int, seed: int, *, fork: bool = False, max_kill_s: float = 0.6
) -> tuple[Check, int]:
    env = env_of(backend)
    rng = random.Random(seed)
    acknowledged: dict[int, str] = {}
    if fork:
        warm_up()  # once, in the parent: every forked child starts with the matcher loaded
    for run in range(runs):
        kill_after = rng.uniform(0.0, max_kill_s)
        # Every other run is killed only after its first filing is out, so the kills land between filing and
        # dispatch however slow filing is on a loaded machine (PDF/A and the seal are part of it); the others
        # may fall anywhere, even before the first filing.
        late = run % 2 == 1
        if fork:
            acked = fork_worker(backend.settings, run * STEP, DOCUMENTS, kill_after, after_a_filing=late)
        else:
            acked = run_worker(env, run * STEP, DOCUMENTS, kill_after=kill_after, after_a_filing=late)
        for i, doc_id in acked.items():
            assert acknowledged.setdefault(i, doc_id) == doc_id, "a document was filed twice"
    result = check(backend.archive)
    return result, len(acknowledged)


@pytest.mark.slow
def test_sigkill_between_filing_and_dispatch_loses_no_event_and_duplicates_no_task(backend: Backend) -> None:
    result, acknowledged = crash_runs(backend, RUNS, seed=20261206)
    assert acknowledged > 0, "no kill landed after a filing"
    assert result.documents >= acknowledged
    assert result.events == result.documents, "every filed document has its event"
    assert result.tasks == result.documents and result.duplicated == 0 and result.without_task == 0
    assert backend.archive.verify_audit().ok
