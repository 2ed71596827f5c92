"""Server time of the web app's search page and a person's record page over a generated record, per backend.

    python -m tests.benchmarks.web [--n 100000] [--per-person 4] [--requests 300] [--backend both] [--seed 7]

Generates `--n` documents with `tests.benchmarks.search.generate` (persons holding 1 to 7 documents, 4 on
average, each in the matter the policy files it under; passports and residence permits with expiry dates),
adds a clerk of the foreigners authority (who reads every type), then starts the real app, `dach serve` in its
own process on that record, and signs in over HTTP like a browser (login form, CSRF token, session cookie).
It then times

- `GET /search?q=...`: surnames (thousands of hits), names, document numbers (one hit) and words of the OCR
  text (tens of thousands of hits); rights filter, ranking, the first 50 hits, the audit entry, the page;
- `GET /persons/<id>`: a random person's record grouped by matter with expiry flags, audited.

The times are round trips over the loopback interface measured by the client, so they hold the server time
plus well under a millisecond of transport. `embedded` is SQLite + a local folder, `production` PostgreSQL
at 127.0.0.1:5432 + moto's S3 server (see `tests.benchmarks.search`). Target: p95 <= 200 ms at 100,000
documents. Prints p50/p95/max per page and the machine's load average (other work on it slows it down).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from schemas.record import Department, Role
from schemas.settings import Settings
from storage import open_archive
from storage.models import Person
from tests.benchmarks.search import BACKENDS, generate, percentile, queries

USER = "bench.clerk"
PASSWORD = "benchmark-password-1"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def server_environment(settings: Settings, port: int) -> dict[str, str]:
    """The `DACH_*` variables that make `dach serve` open exactly this record."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DACH_")}
    env.update(
        DACH_DATA_DIR=str(settings.data_dir),
        DACH_SECRET_KEY="benchmark-" + "k" * 40,
        DACH_WEB_PORT=str(port),
        PREFECT_HOME=str(settings.prefect_home),
    )
    if settings.database_url is not None:
        env["DACH_DATABASE_URL"] = settings.database_url
    if settings.s3_endpoint is not None:
        env.update(
            DACH_S3_ENDPOINT=settings.s3_endpoint,
            DACH_S3_ACCESS_KEY=settings.s3_access_key or "",
            DACH_S3_SECRET_KEY=settings.s3_secret_key.get_secret_value() if settings.s3_secret_key else "",
            DACH_S3_BUCKET=settings.s3_bucket,
        )
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served(settings: Settings, ready_s: float = 180) -> Iterator[str]:
    """`dach serve` on `settings` in its own process; yields its base URL once it is up and warmed up."""
    port = free_port()
    dach = shutil.which("dach", path=str(Path(sys.executable).parent)) or "dach"
    server = subprocess.Popen(
        [dach, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=server_environment(settings, port),
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + ready_s
        while True:  # up, and the intake warm-up (Prefect, models) done: it would compete for the CPU
            if server.poll() is not None:
                raise RuntimeError(f"dach serve exited with {server.returncode}")
            try:
                if httpx.get(f"{base}/healthz", timeout=2).json().get("intake") == "ready":
                    break
            except (httpx.HTTPError, ValueError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"dach serve did not become ready within {ready_s:.0f} s")
            time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@contextmanager
def signed_in(base: str) -> Iterator[httpx.Client]:
    """A client with a session cookie, signed in through the login form as the benchmark's clerk."""
    with httpx.Client(base_url=base, timeout=30, follow_redirects=False) as client:
        found = _CSRF.search(client.get("/login").text)
        assert found, "no CSRF token on the login form"
        data = {"username": USER, "password": PASSWORD, "csrf_token": found.group(1)}
        answer = client.post("/login", data=data)
        assert answer.status_code == 303 and answer.headers["location"] == "/search", answer.text[:300]
        yield client


def timed(client: httpx.Client, path: str) -> tuple[float, str]:
    started = time.perf_counter()
    answer = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    assert answer.status_code == 200, f"{path} -> {answer.status_code}"
    return elapsed, answer.text


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50": statistics.median(values),
        "p95": percentile(values, 0.95),
        "max": max(values),
    }


def measure(backend: str, n: int, per_person: int, n_requests: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    with BACKENDS[backend]() as settings:
        archive = open_archive(settings)
        started = time.perf_counter()
        samples = generate(archive, n, rng, per_person=per_person)
        load_s = time.perf_counter() - started
        archive.add_user(USER, PASSWORD, Role.CLERK, Department.FOREIGNERS_AUTHORITY)
        with archive.engine.connect() as conn:
            person_ids = list(conn.scalars(select(Person.id)))
        archive.close()
        with served(settings) as base, signed_in(base) as client:
            for query in queries(samples, 5, rng):  # first requests: connections, caches, templates
                timed(client, f"/search?q={query}")
            search_ms: list[float] = []
            hits = 0
            for query in queries(samples, n_requests, rng):
                elapsed, page = timed(client, f"/search?{httpx.QueryParams(q=query)}")
                search_ms.append(elapsed)
                hits += page.count('<li class="card hit">')
            record_ms: list[float] = []
            documents = 0
            for person_id in rng.sample(person_ids, min(n_requests, len(person_ids))):
                elapsed, page = timed(client, f"/persons/{person_id}")
                record_ms.append(elapsed)
                documents += page.count('href="/documents/')
    return {
        "backend": backend,
        "documents": n,
        "persons": len(person_ids),
        "load_s": load_s,
        "search": summary(search_ms),
        "record": summary(record_ms),
        "mean_hits": hits / max(1, len(search_ms)),
        "mean_record_documents": documents / max(1, len(record_ms)),
        "load_average": os.getloadavg(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="documents to generate")
    parser.add_argument("--per-person", type=int, default=4, help="documents per person on average")
    parser.add_argument("--requests", type=int, default=300, help="requests per page")
    parser.add_argument("--backend", choices=("embedded", "production", "both"), default="both")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    chosen = list(BACKENDS) if args.backend == "both" else [args.backend]
    for backend in chosen:
        out = measure(backend, args.n, args.per_person, args.requests, args.seed)
        one, five, fifteen = out["load_average"]
        print(
            f"{backend}: {out['documents']:,} documents of {out['persons']:,} persons "
            f"(bulk load {out['load_s']:.0f} s), "
            f"{args.requests} requests per page, load average {one:.1f}/{five:.1f}/{fifteen:.1f}",
            flush=True,
        )
        for page in ("search", "record"):
            t = out[page]
            print(f"  {page:6s} p50 {t['p50']:6.1f} ms  p95 {t['p95']:6.1f} ms  max {t['max']:6.1f} ms", flush=True)
        print(
            f"  {out['mean_hits']:.1f} hits per search page (at most 50), "
            f"{out['mean_record_documents']:.1f} documents per record page",
            flush=True,
        )


if __name__ == "__main__":
    main()
