"""Scale-out: 1 worker against 2 workers on a real Prefect server, and workers killed with `kill -9`.

    python -m tests.benchmarks.scaleout [--pages 60] [--kills 6] [--lease 20] [--idle 180] [--seed 100500]

Everything runs as real processes on this machine: PostgreSQL (127.0.0.1:5432; one database for dach, one for
the Prefect server), moto's S3 server over HTTP, `dach prefect-server` on PostgreSQL (what compose runs), `dach
deploy`, and `dach worker` processes (one file at a time, DACH_OCR_WORKERS=1: one tesseract each). The same batch of
generated scans (held-out seeds, at least `--pages` pages) is submitted with `dach submit --json` into a fresh
database for each round. Reported:

- pages/min with 1 and with 2 workers, and the ratio (target >= 1.8 on two free cores);
- CPU-s per page and per flow run (workers, with their tesseract children) and of the shared services
  (Prefect server, moto);
- `--idle S`: the CPU-seconds an idle installation (two workers, `dach scheduler`, `dach serve`, `dach watch`;
  empty queue) adds over S seconds: its processes, their database backends and the Prefect server's CPU beyond
  its own baseline (target <= 1 % of a core);
- counted, not guessed, per page: dach database transactions, Prefect database transactions, S3 requests;
- `--kills N`: N rounds on two workers; each round hands in two short scans, kills one worker with SIGKILL
  (its whole process group) at a random moment and starts a new one at once; every file must be filed exactly
  once within 2 minutes after a warmed-up worker is there again (timed from the kill too), and no flow run of
  the intake may be left Running or Pending. The 50-kill series:
  `nice -n 10 python -m tests.benchmarks.scaleout --skip-rounds --idle 0 --kills 50`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from tests.prefect_server import prefect_server_settings

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
S3_ACCESS, S3_SECRET = "dach-bench", "dach-bench-secret"
CLK_TCK = os.sysconf("SC_CLK_TCK")
BATCH_KINDS = ("stack", "notice", "passport", "birth_certificate")
DONE_STATES = ("filed", "needs_review", "quarantined")


# Ports the services listen on: any the kernel hands out, or a free one of `--ports LOW-HIGH` on a machine
# whose users share out port ranges (the kernel's ephemeral range overlaps theirs).
PORTS: range | None = None


def _free_port() -> int:
    candidates = list(PORTS) if PORTS is not None else [0]
    random.shuffle(candidates)
    for port in candidates:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise RuntimeError(f"no free port in {PORTS}")


def _port_range(text: str) -> range:
    low, _, high = text.partition("-")
    return range(int(low), int(high or low) + 1)


def _admin(sql: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(sql)


def session_cpu_seconds(sid: int) -> float:
    """CPU seconds of every live process in session `sid`, with the children they have waited for."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[3]) == sid:  # field 6 of stat: the session id
            total += sum(int(v) for v in fields[11:15])  # utime, stime, cutime, cstime
    return total / CLK_TCK


def _wait_port(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"nothing answers on port {port} after {timeout:.0f} s")


@dataclass
class Services:
    """PostgreSQL databases, moto's S3 and a Prefect server: what every worker shares."""

    tmp: Path
    db_prefix: str = ""  # databases are named <prefix>prefect_bench_<random>, <prefix>dach_bench_<random>
    prefect_db: str = ""
    dach_dbs: list[str] = field(default_factory=list)
    s3_port: int = field(default_factory=_free_port)
    api_port: int = field(default_factory=_free_port)
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.prefect_db = self.prefect_db or f"{self.db_prefix}prefect_bench_{secrets.token_hex(4)}"

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.api_port}/api"

    def start(self) -> None:
        _admin(f'CREATE DATABASE "{self.prefect_db}"')
        s3_env = {**os.environ, "AWS_ACCESS_KEY_ID": S3_ACCESS, "AWS_SECRET_ACCESS_KEY": S3_SECRET}
        s3_log = (self.tmp / "moto.log").open("wb")
        self.procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.s3_port)],
                stdout=s3_log,
                stderr=s3_log,
                env=s3_env,
                start_new_session=True,
            )
        )
        prefect_env = {
            **os.environ,
            "PREFECT_HOME": str(self.tmp / "prefect-server"),
            "PREFECT_API_DATABASE_CONNECTION_URL": f"postgresql+asyncpg://postgres@127.0.0.1:5432/{self.prefect_db}",
            "PREFECT_UI_ENABLED": "false",
            "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
            **prefect_server_settings(),  # the background services as compose runs them
        }
        server_log = (self.tmp / "prefect-server.log").open("wb")
        self.procs.append(
            subprocess.Popen(
                [str(BIN / "dach"), "prefect-server", "--host", "127.0.0.1", "--port", str(self.api_port)],
                stdout=server_log,
                stderr=server_log,
                env=prefect_env,
                start_new_session=True,
            )
        )
        _wait_port(self.s3_port, 60)
        _wait_port(self.api_port, 300)
        self._wait_healthy()

    def _wait_healthy(self) -> None:
        import urllib.request

        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.api_url}/health", timeout=5) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                pass
            time.sleep(1)
        raise RuntimeError("the Prefect server did not become healthy")

    def fresh_dach_db(self) -> str:
        name = f"{self.db_prefix}dach_bench_{secrets.token_hex(4)}"
        _admin(f'CREATE DATABASE "{name}"')
        self.dach_dbs.append(name)
        return name

    def env(self, dach_db: str, data_dir: Path, bucket: str) -> dict[str, str]:
        return {
            **os.environ,
            "DACH_DATA_DIR": str(data_dir),
            "DACH_DATABASE_URL": f"postgresql://postgres@127.0.0.1:5432/{dach_db}",
            "DACH_S3_ENDPOINT": f"127.0.0.1:{self.s3_port}",
            "DACH_S3_ACCESS_KEY": S3_ACCESS,
            "DACH_S3_SECRET_KEY": S3_SECRET,
            "DACH_S3_BUCKET": bucket,
            "DACH_OCR_WORKERS": "1",
            "PREFECT_API_URL": self.api_url,
            "PREFECT_HOME": str(data_dir / "prefect"),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "OMP_THREAD_LIMIT": "1",
        }

    def service_cpu(self) -> float:
        return sum(session_cpu_seconds(p.pid) for p in self.procs)

    def moto_cpu(self) -> float:
        """moto's share of `service_cpu`: a test stand-in for MinIO, so the idle figures also leave it out."""
        return session_cpu_seconds(self.procs[0].pid) if self.procs else 0.0

    def s3_requests(self) -> int:
        text = (self.tmp / "moto.log").read_text(errors="replace")
        return sum(1 for line in text.splitlines() if '" 2' in line or '" 3' in line or '" 4' in line)

    def stop(self) -> None:
        for proc in self.procs:
            with _quiet():
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with _quiet():
                    os.killpg(proc.pid, signal.SIGKILL)
        for name in [*self.dach_dbs, self.prefect_db]:
            with _quiet():
                _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _quiet() -> suppress:
    return suppress(OSError, psycopg.Error)


def transactions(db: str) -> int:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        row = conn.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = %s", (db,)
        ).fetchone()
    return int(row[0]) if row else 0


def intake_runs(prefect_db: str) -> tuple[int, int]:
    """Flow runs of the intake flow and their task runs on the Prefect server so far (counted in its database)."""
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{prefect_db}", autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(DISTINCT r.id), count(t.id) FROM flow_run r JOIN flow f ON f.id = r.flow_id "
            "LEFT JOIN task_run t ON t.flow_run_id = r.id WHERE f.name = 'dach-intake'"
        ).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


SHORT_KINDS = ("passport", "birth_certificate", "registration_certificate")


def make_batch(
    out: Path, pages: int, seed: int, *, kinds: Sequence[str] = BATCH_KINDS, files: int = 0
) -> tuple[list[Path], int]:
    """Generated scans (held-out seeds) until they hold at least `pages` pages (and `files` files); the files
    and their pages."""
    from lab.samples import generate
    from ocr.sources import inspect_source
    from schemas.settings import OcrLimits

    made_files: list[Path] = []
    total = 0
    attempt = 0
    while total < pages or len(made_files) < files:
        made = generate(
            out / f"g{attempt}",
            count=6,
            seed=seed + attempt,
            kinds=list(kinds),
            difficulty="clean",
            formats=["pdf-image", "png"],
        )
        for path in made:
            if path.suffix.lower() not in (".pdf", ".png"):
                continue
            made_files.append(path)
            total += inspect_source(path.read_bytes(), OcrLimits()).page_count
            if total >= pages and len(made_files) >= files:
                break
        attempt += 1
    return made_files, total


@dataclass
class WorkerProc:
    proc: subprocess.Popen[bytes]
    log: Path
    ready_line: bytes = b" ready: "  # what the process prints once it is ready

    def ready(self) -> bool:
        return self.ready_line in self.log.read_bytes()

    def cpu(self) -> float:
        return session_cpu_seconds(self.proc.pid)


def start_worker(env: dict[str, str], logs: Path, lease: float) -> WorkerProc:
    log = logs / f"worker-{time.monotonic_ns()}.log"
    handle = log.open("wb")
    proc = subprocess.Popen(
        [str(BIN / "dach"), "worker", "--concurrency", "1", "--lease", str(lease)],
        stdout=handle,
        stderr=handle,
        env=env,
        start_new_session=True,  # kill -9 of the group takes its tesseract children with it
    )
    return WorkerProc(proc, log)


def wait_ready(workers: list[WorkerProc], timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while not all(w.ready() for w in workers):
        if time.monotonic() > deadline or any(w.proc.poll() is not None for w in workers):
            raise RuntimeError("a worker did not start: " + " | ".join(w.log.read_text()[-500:] for w in workers))
        time.sleep(0.5)


def stop_workers(workers: list[WorkerProc]) -> None:
    for w in workers:
        with _quiet():
            os.killpg(w.proc.pid, signal.SIGTERM)
    for w in workers:
        try:
            w.proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            with _quiet():
                os.killpg(w.proc.pid, signal.SIGKILL)


def submit(env: dict[str, str], files: list[Path]) -> dict[str, object]:
    done = subprocess.run(
        [str(BIN / "dach"), "submit", "--json", *map(str, files)], env=env, capture_output=True, text=True, timeout=600
    )
    if done.returncode not in (0, 1):
        raise RuntimeError(done.stderr)
    return dict(json.loads(done.stdout))


def states(db: str) -> dict[str, int]:
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{db}", autocommit=True) as conn:
        return {str(s): int(n) for s, n in conn.execute("SELECT status, count(*) FROM intake_files GROUP BY status")}


def wait_done(db: str, files: int, timeout: float, each_second: Callable[[], None] | None = None) -> tuple[float, int]:
    """Seconds until every file is done, and how many queries this wait sent (they are not dach's own)."""
    started, queries = time.monotonic(), 0
    while time.monotonic() - started < timeout:
        found = states(db)
        queries += 1
        if sum(found.get(s, 0) for s in DONE_STATES) >= files:
            return time.monotonic() - started, queries
        if each_second is not None:
            each_second()
        time.sleep(1.0)
    raise RuntimeError(f"not done after {timeout:.0f} s: {states(db)}")


def duplicates(db: str) -> int:
    """Documents filed twice for the same pages of the same original (the database's backstop says 0)."""
    query = (
        "SELECT count(*) FROM (SELECT original_key, page_range FROM documents WHERE status NOT IN "
        "('withdrawn','deleted') GROUP BY original_key, page_range HAVING count(*) > 1) d"
    )
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{db}", autocommit=True) as conn:
        row = conn.execute(query).fetchone()
    return int(row[0]) if row else 0


def live_runs(env: dict[str, str]) -> int:
    """Flow runs of the intake flow still Running, Pending or Scheduled."""
    code = (
        "from prefect.client.orchestration import get_client\n"
        "from prefect.client.schemas.filters import FlowFilter, FlowFilterName, FlowRunFilter\n"
        "from prefect.client.schemas.filters import FlowRunFilterState, FlowRunFilterStateType\n"
        "from prefect.client.schemas.objects import StateType\n"
        "with get_client(sync_client=True) as c:\n"
        "    t = FlowRunFilterStateType(any_=[StateType.RUNNING, StateType.PENDING, StateType.SCHEDULED])\n"
        "    runs = FlowRunFilter(state=FlowRunFilterState(type=t))\n"
        # Only the intake's runs: the scheduled deployments (dispatcher, sweep, daily checks) queue their own.
        "    intake = FlowFilter(name=FlowFilterName(any_=['dach-intake']))\n"
        "    print(len(c.read_flow_runs(flow_filter=intake, flow_run_filter=runs)))\n"
    )
    done = subprocess.run([str(BIN / "python"), "-c", code], env=env, capture_output=True, text=True, timeout=300)
    return int(done.stdout.strip().splitlines()[-1])


@dataclass
class Round:
    workers: int
    files: int
    pages: int
    seconds: float = 0.0
    worker_cpu_s: float = 0.0
    service_cpu_s: float = 0.0
    dach_xacts: int = 0
    prefect_xacts: int = 0
    flow_runs: int = 0
    task_runs: int = 0
    moto_cpu_s: float = 0.0  # of service_cpu_s: the S3 stand-in
    s3_requests: int = 0
    states: dict[str, int] = field(default_factory=dict)
    duplicates: int = 0

    def summary(self) -> dict[str, object]:
        total = self.worker_cpu_s + self.service_cpu_s
        return {
            "workers": self.workers,
            "files": self.files,
            "pages": self.pages,
            "seconds": round(self.seconds, 1),
            "pages_per_min": round(self.pages / self.seconds * 60, 2) if self.seconds else None,
            "worker_cpu_s_per_page": round(self.worker_cpu_s / self.pages, 2),
            "worker_cpu_s_per_file": round(self.worker_cpu_s / self.files, 2),
            # A run reads its worker's next files too (flows/worker.py): fewer runs than files.
            "flow_runs": self.flow_runs,
            "worker_cpu_s_per_flow_run": round(self.worker_cpu_s / self.flow_runs, 2) if self.flow_runs else None,
            "task_runs_per_page": round(self.task_runs / self.pages, 2),
            "service_cpu_s_per_flow_run": round(self.service_cpu_s / self.flow_runs, 2) if self.flow_runs else None,
            "service_cpu_s_per_page": round(self.service_cpu_s / self.pages, 2),
            "prefect_server_cpu_s_per_page": round((self.service_cpu_s - self.moto_cpu_s) / self.pages, 3),
            "s3_peer_cpu_s_per_page": round(self.moto_cpu_s / self.pages, 3),
            "services_share_of_cpu": round(self.service_cpu_s / total, 3) if total else None,
            "dach_db_transactions_per_page": round(self.dach_xacts / self.pages, 1),
            "prefect_db_transactions_per_page": round(self.prefect_xacts / self.pages, 1),
            "s3_requests_per_page": round(self.s3_requests / self.pages, 1),
            "states": self.states,
            "documents_filed_twice": self.duplicates,
        }


def run_round(services: Services, tmp: Path, files: list[Path], pages: int, n_workers: int, lease: float) -> Round:
    db = services.fresh_dach_db()
    env = services.env(db, tmp / f"data-{n_workers}", f"dach-{secrets.token_hex(4)}")
    deploy = subprocess.run([str(BIN / "dach"), "deploy"], env=env, capture_output=True, text=True, timeout=600)
    if deploy.returncode != 0:
        raise RuntimeError(deploy.stderr)
    workers = [start_worker(env, tmp, lease) for _ in range(n_workers)]
    result = Round(workers=n_workers, files=len(files), pages=pages)
    try:
        wait_ready(workers)
        cpu0 = sum(w.cpu() for w in workers)
        svc0, s3_0, moto0 = services.service_cpu(), services.s3_requests(), services.moto_cpu()
        x0, p0 = transactions(db), transactions(services.prefect_db)
        runs0, tasks0 = intake_runs(services.prefect_db)
        started = time.monotonic()
        submit(env, files)
        _seconds, own_queries = wait_done(db, len(files), timeout=7200)
        result.seconds = time.monotonic() - started
        result.worker_cpu_s = sum(w.cpu() for w in workers) - cpu0
        result.service_cpu_s = services.service_cpu() - svc0
        result.moto_cpu_s = services.moto_cpu() - moto0
        result.s3_requests = services.s3_requests() - s3_0
        result.dach_xacts = transactions(db) - x0 - own_queries  # the benchmark's own polling left out
        result.prefect_xacts = transactions(services.prefect_db) - p0
        runs1, tasks1 = intake_runs(services.prefect_db)
        result.flow_runs, result.task_runs = runs1 - runs0, tasks1 - tasks0
        result.states = states(db)
        result.duplicates = duplicates(db)
    finally:
        stop_workers(workers)
    return result


def backend_cpu(db: str) -> dict[int, float]:
    """CPU seconds of each PostgreSQL backend serving `db` now (what its clients cost the database server)."""
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        pids = [int(r[0]) for r in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", (db,))]
    out: dict[int, float] = {}
    for pid in pids:
        with suppress(OSError):
            stat = Path(f"/proc/{pid}/stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            out[pid] = sum(int(v) for v in fields[11:13]) / CLK_TCK
    return out


def _backend_delta(before: dict[int, float], after: dict[int, float]) -> float:
    """Backends present at both ends count their difference, new ones all they used (closed ones are missed)."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


def start_scheduler(env: dict[str, str], logs: Path) -> WorkerProc:
    log = logs / f"scheduler-{time.monotonic_ns()}.log"
    handle = log.open("wb")
    proc = subprocess.Popen(
        [str(BIN / "dach"), "scheduler"], stdout=handle, stderr=handle, env=env, start_new_session=True
    )
    return WorkerProc(proc, log)


def start_service(args: list[str], env: dict[str, str], logs: Path, ready_line: bytes) -> WorkerProc:
    """Another of compose's long-lived dach services (`dach serve`, `dach watch`)."""
    log = logs / f"{args[0]}-{time.monotonic_ns()}.log"
    handle = log.open("wb")
    proc = subprocess.Popen([str(BIN / "dach"), *args], stdout=handle, stderr=handle, env=env, start_new_session=True)
    return WorkerProc(proc, log, ready_line)


def run_idle(services: Services, tmp: Path, seconds: float, n_workers: int, lease: float) -> dict[str, object]:
    """What an idle installation costs: `n_workers` workers, the scheduler, the web app (`dach serve
    --no-worker`) and the scanner share's watcher (`dach watch`) with an empty queue, after `dach deploy` (on
    PostgreSQL the scheduler follows the record's event bell; the dispatcher's scheduled run is every 10
    minutes): compose's dach services but the mailbox poller, which needs a mail server. CPU-seconds, so a
    loaded machine does not change them much: the dach processes, the database backends serving them, and what
    the Prefect server (with its own database backends) uses beyond its own baseline, measured first for as long
    with nothing of dach running."""
    db = services.fresh_dach_db()
    env = services.env(db, tmp / "data-idle", f"dach-{secrets.token_hex(4)}")
    subprocess.run([str(BIN / "dach"), "deploy"], env=env, capture_output=True, text=True, timeout=600, check=True)

    def server_cpu() -> tuple[float, dict[int, float], float]:
        return services.service_cpu(), backend_cpu(services.prefect_db), services.moto_cpu()

    s0, p0, m0 = server_cpu()
    time.sleep(seconds)
    s1, p1, m1 = server_cpu()
    baseline = s1 - s0 + _backend_delta(p0, p1)
    moto_baseline = m1 - m0
    procs = [start_worker(env, tmp, lease) for _ in range(n_workers)]
    scheduler = start_scheduler(env, tmp)
    web_port = str(_free_port())
    web = start_service(["serve", "--no-worker", "--host", "127.0.0.1", "--port", web_port], env, tmp, b"http://")
    watcher = start_service(["watch", "--inbox", str(tmp / "share-idle")], env, tmp, b"watching ")
    others = [scheduler, web, watcher]
    try:
        wait_ready([*procs, *others])
        time.sleep(min(30.0, seconds / 4))  # the first looks and the first scheduled runs settle
        w0, o0, d0 = sum(w.cpu() for w in procs), [p.cpu() for p in others], backend_cpu(db)
        s0, p0, m0 = server_cpu()
        time.sleep(seconds)
        workers = sum(w.cpu() for w in procs) - w0
        sched, web_cpu, watch_cpu = (p.cpu() - before for p, before in zip(others, o0, strict=True))
        dach_db = _backend_delta(d0, backend_cpu(db))
        s1, p1, m1 = server_cpu()
        server = s1 - s0 + _backend_delta(p0, p1)
        moto = m1 - m0
    finally:
        stop_workers([*procs, *others])
    dach_own = workers + sched + web_cpu + watch_cpu + dach_db
    added = dach_own + max(0.0, server - baseline)
    return {
        "seconds": seconds,
        "workers": n_workers,
        "cpu_s_workers": round(workers, 2),
        "cpu_s_scheduler": round(sched, 2),
        "cpu_s_web": round(web_cpu, 2),
        "cpu_s_scanner_watch": round(watch_cpu, 2),
        "cpu_s_dach_db_backends": round(dach_db, 2),
        "cpu_s_prefect_server_and_moto_baseline": round(baseline, 2),
        "cpu_s_prefect_server_and_moto_with_dach": round(server, 2),
        "cpu_s_moto_baseline": round(moto_baseline, 2),
        "cpu_s_moto_with_dach": round(moto, 2),
        "share_of_a_core_added_by_dach": round(added / seconds, 4),
        "share_of_a_core_whole_system": round((dach_own + server) / seconds, 4),
        "share_of_a_core_whole_system_without_moto": round((dach_own + server - moto) / seconds, 4),
    }


def run_kills(
    services: Services,
    tmp: Path,
    files: list[Path],
    kills: int,
    lease: float,
    seed: int,
    *,
    max_minutes: float | None = None,
) -> dict[str, object]:
    """`kills` rounds on two worker processes: each round hands in its share of `files`, kills one of them (its
    whole process group) with SIGKILL at a random moment of the reading (0-3 s after a file is being read),
    starts a new one at once and waits until every file so far is done. One kill per round, so a file is not
    lost three times by chance (three lost attempts set a file aside as a poison file, which is right for a
    file that kills its worker, not for these).
    """
    rng = random.Random(seed)
    db = services.fresh_dach_db()
    env = services.env(db, tmp / "data-kills", f"dach-{secrets.token_hex(4)}")
    subprocess.run([str(BIN / "dach"), "deploy"], env=env, capture_output=True, text=True, timeout=600, check=True)
    workers = [start_worker(env, tmp, lease) for _ in range(2)]
    per_round = max(1, len(files) // kills)
    killed_running, recoveries, after_back = 0, [], []
    try:
        wait_ready(workers)
        started = time.monotonic()
        done_kills, handed_in = 0, 0
        for n in range(kills):
            if max_minutes is not None and time.monotonic() - started > max_minutes * 60:
                break  # out of time: the final checks below still run on what was handed in
            chunk = files[n * per_round : (n + 1) * per_round if n < kills - 1 else len(files)]
            handed_in += len(chunk)
            done_kills += 1
            submit(env, chunk)
            # A random moment of the reading: once a file of the chunk is being read, within the few seconds a
            # short scan takes (a random sleep from the hand-in mostly killed a worker after the chunk was
            # filed: 42 of 43 kills on a quiet machine found nothing running).
            wait_running(db, timeout=60)
            time.sleep(rng.uniform(0.0, 3.0))
            # Any of the two: the survivor of the last kill, or its replacement, warmed up or not.
            victim = workers.pop(rng.randrange(len(workers)))
            killed_running += states(db).get("running", 0) > 0
            os.killpg(victim.proc.pid, signal.SIGKILL)
            victim.proc.wait(timeout=30)
            killed_at = time.monotonic()
            workers.append(start_worker(env, tmp, lease))  # at once; the next round does not wait for it
            # A worker is available again at once if the survivor is warmed up, else when one of the two is.
            back = [killed_at] if any(w.ready() for w in workers[:-1]) else []

            def note_back(back: list[float] = back) -> None:
                if not back and any(w.ready() for w in workers):
                    back.append(time.monotonic())

            wait_done(db, handed_in, timeout=1800, each_second=note_back)
            done = time.monotonic()
            recoveries.append(done - killed_at)
            after_back.append(done - (back[0] if back else done))
            timing = {"from_kill": round(recoveries[-1], 1), "from_a_worker_ready": round(after_back[-1], 1)}
            print(json.dumps({"kill": n + 1, "seconds_to_all_filed": timing}), flush=True)
        done_at = time.monotonic()
        # Runs of killed workers are marked Crashed by the reaper once their lease ran out (two reaps at most).
        deadline = time.monotonic() + 3 * lease + 60
        runs_left = live_runs(env)
        while runs_left and time.monotonic() < deadline:
            time.sleep(5)
            runs_left = live_runs(env)
        return {
            "kills": done_kills,
            "kills_while_a_file_was_running": killed_running,
            "files": handed_in,
            "states": states(db),
            "documents_filed_twice": duplicates(db),
            "attempts": attempts(db),
            "seconds_total": round(done_at - started, 1),
            "seconds_from_kill_to_all_filed_max": round(max(recoveries), 1),
            "seconds_from_kill_to_all_filed_median": round(sorted(recoveries)[len(recoveries) // 2], 1),
            # The target: from the moment a warmed-up worker was there again (the survivor, or the replacement).
            "seconds_from_a_worker_ready_to_all_filed_max": round(max(after_back), 1),
            "flow_runs_left_running_or_pending": runs_left,
            "lease_s": lease,
        }
    finally:
        stop_workers(workers)


def wait_running(db: str, timeout: float) -> None:
    """Until a file is being read (or `timeout` seconds have passed)."""
    deadline = time.monotonic() + timeout
    while states(db).get("running", 0) == 0 and time.monotonic() < deadline:
        time.sleep(0.1)


def attempts(db: str) -> dict[int, int]:
    """How many files needed how many attempts (a killed attempt is one more)."""
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{db}", autocommit=True) as conn:
        return {int(a): int(n) for a, n in conn.execute("SELECT attempts, count(*) FROM intake_files GROUP BY 1")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=60, help="pages in the batch (at least)")
    parser.add_argument("--kills", type=int, default=6, help="kill -9 of a worker at random moments (0: none)")
    parser.add_argument("--lease", type=float, default=20.0, help="seconds a lease lasts without a heartbeat")
    parser.add_argument("--idle", type=float, default=180.0, help="seconds the idle CPU is measured (0: not)")
    parser.add_argument("--idle-workers", type=int, default=2, help="workers beside the scheduler when idle")
    parser.add_argument("--seed", type=int, default=100500)
    parser.add_argument("--kill-minutes", type=float, default=None, help="stop the kill series after this long")
    parser.add_argument("--skip-rounds", action="store_true", help="only the kill round")
    parser.add_argument("--db-prefix", default="", help="prefix of the benchmark's database names (a shared server)")
    parser.add_argument("--ports", type=_port_range, default=None, help="LOW-HIGH: listen only on these ports")
    args = parser.parse_args()
    global PORTS
    PORTS = args.ports
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    with tempfile.TemporaryDirectory(prefix="dach-scaleout-") as name:
        tmp = Path(name)
        services = Services(tmp, db_prefix=args.db_prefix)
        out: dict[str, object] = {"load_before": os.getloadavg(), "cores": os.cpu_count()}
        try:
            services.start()
            if args.idle:
                out["idle"] = run_idle(services, tmp, args.idle, args.idle_workers, args.lease)
                print(json.dumps({"idle": out["idle"]}), flush=True)
            if not args.skip_rounds:
                files, pages = make_batch(tmp / "batch", args.pages, args.seed)
                rounds = []
                for n in (1, 2):
                    rounds.append(run_round(services, tmp, files, pages, n, args.lease))
                    print(json.dumps({"round": rounds[-1].summary()}), flush=True)  # kept if a later part fails
                out["rounds"] = [r.summary() for r in rounds]
                out["speed_up_2_vs_1"] = round(rounds[0].seconds / rounds[1].seconds, 2)
            if args.kills:
                kill_files, kill_pages = make_batch(
                    tmp / "kill-batch", args.kills * 2, args.seed + 50, kinds=SHORT_KINDS, files=args.kills * 2
                )
                out["kill_round"] = run_kills(
                    services, tmp, kill_files, args.kills, args.lease, args.seed, max_minutes=args.kill_minutes
                ) | {"pages": kill_pages}
            out["load_after"] = os.getloadavg()
        finally:
            services.stop()
        print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
