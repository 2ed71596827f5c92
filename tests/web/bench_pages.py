"""Benchmark: server time of the search and record pages over a generated archive.

    .venv/bin/python -m tests.web.bench_pages --documents 5000 [--data-dir var/bench-web] [--requests 200]

Files `--documents` generated documents (eleven types, four per person, names from Faker) through the real
storage facade into the embedded default (SQLite) — reusing the folder if it already holds them — then
times `GET /search?q=<surname>` and `GET /persons/<id>` in-process (TestClient: the time includes routing,
storage, audit writes and template rendering; no network). Prints p50/p95/max in milliseconds.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

from faker import Faker
from fastapi.testclient import TestClient
from pydantic import SecretStr

from schemas.documents import DocumentType
from schemas.record import SYSTEM_ACTOR, Department, Role
from schemas.settings import Settings
from tests.web.conftest import PASSWORD, csrf_of, file_one


def populate(archive: object, data_dir: Path, documents: int, seed: int) -> list[str]:
    """File the documents (if not there yet); return the surnames used."""
    faker = Faker("de_DE")
    faker.seed_instance(seed)
    surnames = [faker.last_name() for _ in range(max(1, documents // 4))]
    marker = data_dir / "bench-populated"
    if marker.exists():
        return surnames
    types = list(DocumentType)
    started = time.monotonic()
    for index in range(documents):
        person = index // 4
        birth = f"19{50 + person % 50:02d}-{1 + person % 12:02d}-{1 + person % 28:02d}"
        doc_type, number = types[index % len(types)], f"B{person:08d}"
        file_one(archive, doc_type, surnames[person], SYSTEM_ACTOR, number=number, birth=birth)
        if index and index % 500 == 0:
            print(f"  filed {index} documents ({(time.monotonic() - started) / index * 1000:.0f} ms each)")
    marker.write_text(str(documents))
    return surnames


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--data-dir", type=Path, default=Path("var/bench-web"))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    from storage import open_archive
    from web.app import create_app

    settings = Settings(data_dir=args.data_dir, secret_key=SecretStr("bench-" + "b" * 40))
    archive = open_archive(settings)
    if "bench" not in {u.name for u in archive.list_users()}:
        archive.add_user("bench", PASSWORD, Role.CLERK, Department.FOREIGNERS_AUTHORITY)
    surnames = populate(archive, args.data_dir, args.documents, args.seed)
    client = TestClient(create_app(settings, archive=archive))
    client.post("/login", data={"username": "bench", "password": PASSWORD, "csrf_token": csrf_of(client)})
    rng = random.Random(args.seed)

    person_ids: list[str] = []
    timings: dict[str, list[float]] = {"search": [], "record": []}
    for _ in range(args.requests):
        started = time.perf_counter()
        answer = client.get(f"/search?q={rng.choice(surnames)}")
        timings["search"].append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200
        person_ids += [part.split('"')[0] for part in answer.text.split('href="/persons/')[1:]]
    for _ in range(args.requests):
        person_id = rng.choice(person_ids)
        started = time.perf_counter()
        answer = client.get(f"/persons/{person_id}")
        timings["record"].append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200
    print(f"{args.documents} documents, {args.requests} requests per page")
    for page, values in timings.items():
        print(
            f"{page:7s} p50 {statistics.median(values):6.1f} ms  p95 {percentile(values, 0.95):6.1f} ms"
            f"  max {max(values):6.1f} ms"
        )


if __name__ == "__main__":
    main()
