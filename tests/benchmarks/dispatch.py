"""The hand-over of record changes to the departments: crash safety, dispatch latency and the inbox page.

    python -m tests.benchmarks.dispatch crash   [--runs 200] [--backend embedded|production|both]
    python -m tests.benchmarks.dispatch latency [--documents 100] [--interval 0.5] [--backend ...]
    python -m tests.benchmarks.dispatch inbox   [--tasks 100000] [--requests 200] [--backend ...]

- `crash`: a worker filing degree certificates and dispatching (a forked child of this process, so each run
  needs no interpreter start) is killed with SIGKILL at a random moment, `--runs` times (overlapping
  ranges, so re-runs meet duplicates); then one dispatch run, and every filed
  document must have its event and exactly one task (0 lost, 0 duplicated).
- `latency`: `dach dispatch --watch INTERVAL` runs in its own process while this one files a batch of
  `--documents` documents (degree certificates, each raising an integration task); the latency of a document
  is the time from the commit of its filing to the commit of its task (both stamped by the database rows).
- `inbox`: `--tasks` open tasks in one department (the worst case for its clerks), then `GET /inbox` over
  HTTP from `dach serve` in its own process, signed in as a clerk of that department; p50/p95/max, the
  next page (keyset `after=`), and the server process's CPU per request (not affected by other load; the
  PostgreSQL server's own CPU is not in it). The tasks are bulk-loaded and then ANALYZEd.

Targets (issue 18): 0 lost / 0 duplicated over >= 200 runs; dispatch p95 <= 5 s; inbox p95 <= 200 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert, select

from schemas.documents import DocumentType
from schemas.record import SYSTEM_ACTOR, Department, Role
from schemas.settings import Settings
from storage import open_archive
from storage.models import Document, Task
from tests.benchmarks.search import BACKENDS, percentile
from tests.benchmarks.web import PASSWORD, USER, free_port, server_environment, signed_in, summary, timed
from tests.storage.conftest import Backend, Filer
from tests.storage.test_dispatch_crash import crash_runs


@contextmanager
def served(settings: Settings, wait_s: float = 900) -> Iterator[tuple[str, int]]:
    """`dach serve` in its own process, as `tests.benchmarks.web.served`, but waiting longer for it to be
    ready: on a shared, loaded machine the intake warm-up alone can take minutes. Yields (base URL, pid)."""
    port = free_port()
    dach = shutil.which("dach", path=str(Path(sys.executable).parent)) or "dach"
    server = subprocess.Popen(
        [dach, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=server_environment(settings, port),
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + wait_s
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"dach serve exited with {server.returncode}")
            try:
                if httpx.get(f"{base}/healthz", timeout=5).json().get("intake") == "ready":
                    break
            except (httpx.HTTPError, ValueError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"dach serve did not become ready within {wait_s} s")
            time.sleep(1)
        yield base, server.pid
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc): what a request costs the server, whatever
    else runs on the machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def crash(backend: str, runs: int, seed: int, max_kill_s: float | None) -> dict[str, Any]:
    # PostgreSQL + S3 over HTTP files a document in about a second on a loaded machine: the kill window
    # must span several filings there too, or no kill lands between filing and dispatch.
    window = max_kill_s if max_kill_s is not None else (0.6 if backend == "embedded" else 4.0)
    with BACKENDS[backend]() as settings:
        archive = open_archive(settings)
        started = time.perf_counter()
        try:
            result, acknowledged = crash_runs(
                Backend(backend, settings, archive), runs, seed, fork=True, max_kill_s=window
            )
        finally:
            archive.close()
    return {
        "backend": backend,
        "runs": runs,
        "kill_window_s": window,
        "documents_acknowledged": acknowledged,
        "documents": result.documents,
        "events": result.documents and result.events,
        "events_lost": result.documents - result.events,
        "tasks": result.tasks,
        "tasks_duplicated": result.duplicated,
        "documents_without_task": result.without_task,
        "seconds": round(time.perf_counter() - started, 1),
        "load_average": os.getloadavg(),
    }


def latency(backend: str, documents: int, interval: float) -> dict[str, Any]:
    with BACKENDS[backend]() as settings:
        archive = open_archive(settings)
        filer = Filer(archive)
        dach = shutil.which("dach", path=str(Path(sys.executable).parent)) or "dach"
        env = server_environment(settings, free_port())  # the port is unused: `dach dispatch` serves nothing
        watcher = subprocess.Popen([dach, "dispatch", "--watch", str(interval)], env=env)
        try:
            # The watcher is up once it has dispatched a first document (its start-up is not dispatch latency).
            warm = filer.file(DocumentType.DEGREE_CERTIFICATE, number="L-WARM-UP", surname="WARMUP").document_id
            deadline = time.monotonic() + 600
            while time.monotonic() < deadline:
                with archive.engine.connect() as conn:
                    if conn.scalar(select(Task.id).where(Task.document_id == warm).limit(1)) is not None:
                        break
                time.sleep(0.2)
            else:
                raise RuntimeError("the dispatcher did not start within 600 s")
            started = time.perf_counter()
            ids: list[str] = []
            for i in range(documents):
                request = filer.request(
                    DocumentType.DEGREE_CERTIFICATE,
                    surname=f"LATENZ{chr(65 + i % 26)}{chr(65 + i // 26 % 26)}",
                    number=f"L{i:07d}",
                    born=f"19{50 + i % 40}-0{1 + i % 9}-1{i % 10}",
                    original=f"latency {uuid.uuid4()}".encode(),
                )
                ids.append(archive.file_document(request, SYSTEM_ACTOR).document_id)
            filing_s = time.perf_counter() - started
            deadline = time.monotonic() + 120
            while True:
                with archive.engine.connect() as conn:
                    done = conn.scalar(select(Task.id).where(Task.document_id == ids[-1]).limit(1))
                if done is not None or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
        finally:
            watcher.terminate()
            watcher.wait(timeout=30)
        with archive.engine.connect() as conn:
            filed = {d.id: _utc(d.created_at) for d in conn.execute(select(Document.id, Document.created_at))}
            tasks = {t.document_id: _utc(t.created_at) for t in conn.execute(select(Task.document_id, Task.created_at))}
        archive.close()
    delays = [(tasks[i] - filed[i]).total_seconds() for i in ids if i in tasks]
    return {
        "backend": backend,
        "documents": documents,
        "with_task": len(delays),
        "interval_s": interval,
        "filing_s": round(filing_s, 2),
        "p50_s": round(percentile(delays, 0.5), 3),
        "p95_s": round(percentile(delays, 0.95), 3),
        "max_s": round(max(delays), 3),
        "load_average": os.getloadavg(),
    }


def inbox(backend: str, n_tasks: int, n_requests: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    with BACKENDS[backend]() as settings:
        archive = open_archive(settings)
        filer = Filer(archive)
        docs = [filer.file(t, number=f"I{n}") for n, t in enumerate(DocumentType)]
        archive.add_user(USER, PASSWORD, Role.CLERK, Department.SOCIAL_WELFARE)
        today = date.today()
        started = time.perf_counter()
        now = datetime.now(UTC)
        rows: list[dict[str, Any]] = []
        for i in range(n_tasks):
            doc = docs[i % len(docs)]
            rows.append(
                {
                    "id": f"tsk_bench{i:012d}",
                    "source": f"bench:{i}",
                    "rule": "bench",
                    "department": Department.SOCIAL_WELFARE.value,
                    "kind": "handover",
                    "title": "AsylbLG-Leistungen zum Monatsende einstellen",
                    "document_id": doc.document_id,
                    "document_type": list(DocumentType)[i % len(docs)].value,
                    "person_id": doc.person_id,
                    "due_date": (due := (today + timedelta(days=rng.randint(-30, 300))).isoformat()),
                    "due_sort": due,
                    "status": "open",
                    "active": True,
                    "assignee": None,
                    "note": "",
                    "history": {"entries": []},
                    "created_by": "bench",
                    "created_at": now,
                    "updated_at": now,
                }
            )
            if len(rows) == 5000:
                with archive.engine.begin() as conn:
                    conn.execute(insert(Task), rows)
                rows = []
        if rows:
            with archive.engine.begin() as conn:
                conn.execute(insert(Task), rows)
        # A bulk load leaves the planner statistics behind (an installation's tasks grow slowly and autovacuum
        # keeps them current): without ANALYZE, PostgreSQL sorts all 100,000 tasks for one page.
        with archive.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE tasks" if backend != "embedded" else "ANALYZE")
        load_s = time.perf_counter() - started
        archive.close()
        with served(settings) as (base, pid), signed_in(base) as client:
            for _ in range(5):
                timed(client, "/inbox")
            inbox_ms: list[float] = []
            count_ms: list[float] = []
            inbox_cpu = counts_cpu = 0.0
            for _ in range(n_requests):
                before = cpu_seconds(pid)
                elapsed, page = timed(client, "/inbox")
                inbox_cpu += cpu_seconds(pid) - before
                inbox_ms.append(elapsed)
                before = cpu_seconds(pid)
                elapsed, _ = timed(client, "/inbox/counts")
                counts_cpu += cpu_seconds(pid) - before
                count_ms.append(elapsed)
            shown = page.count("data-task=")
            after = re.search(r'href="/inbox\?after=([^"&]+)', page)
            deep_ms = [timed(client, f"/inbox?after={after.group(1)}")[0] for _ in range(20)] if after else []
    return {
        "backend": backend,
        "tasks": n_tasks,
        "load_s": round(load_s, 1),
        "rows_shown": shown,
        "inbox_ms": {k: round(v, 1) for k, v in summary(inbox_ms).items()},
        "counts_ms": {k: round(v, 1) for k, v in summary(count_ms).items()},
        "next_page_ms": {k: round(v, 1) for k, v in summary(deep_ms).items()} if deep_ms else None,
        # the web server's own CPU per request (PostgreSQL's is in its own processes, not counted here)
        "server_cpu_ms_per_inbox": round(1000 * inbox_cpu / n_requests, 1),
        "server_cpu_ms_per_counts": round(1000 * counts_cpu / n_requests, 1),
        "load_average": os.getloadavg(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=("crash", "latency", "inbox"))
    parser.add_argument("--backend", choices=("embedded", "production", "both"), default="embedded")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--max-kill", type=float, default=None, help="kill within 0..S s (default by backend)")
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--interval", type=float, default=0.5)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    backends = ("embedded", "production") if args.backend == "both" else (args.backend,)
    for backend in backends:
        if args.what == "crash":
            result = crash(backend, args.runs, args.seed, args.max_kill)
        elif args.what == "latency":
            result = latency(backend, args.documents, args.interval)
        else:
            result = inbox(backend, args.tasks, args.requests, args.seed)
        print(json.dumps(result, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
