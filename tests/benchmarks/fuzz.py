"""The long fuzzing run: thousands of malformed files through `dach extract`, `dach intake` and the upload API.

    python -m tests.benchmarks.fuzz [--count 1000] [--seed 100000] [--skip-upload] [--only extract,intake,upload]
        [--data-dir DIR]

Makes `--count` malformed files from seeds (truncated, bit-flipped, recursive page trees, nested forms,
huge, polyglots, bad names, symbolic links and pipes) and a few good born-digital notices, then:

1. `dach extract --json` over all of them (in chunks of 250 files per run);
2. `dach intake --json` over the folder of all of them (one batch);
3. `POST /api/v1/batches` of all of them (chunks of 50) to a `dach serve` in its own process, checking
   `/healthz` after every request, and waiting for its batches.

Reports: crashes (a run exiting 2, an upload answered 5xx, a result without a specific code), batches stopped,
the slowest run per file, peak memory of any parser worker (VmHWM, sampled), rejections by code, good files
filed, and whether the web server stayed up. Targets: 0 crashes, 0 batches stopped, no hang over 60 s per file,
≤ 2 GB per worker, every rejection a specific code, every good file filed, the web alive throughout.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import io
import itertools
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

import httpx
import pikepdf

from schemas.record import Department, Role
from schemas.settings import Settings
from storage import open_archive
from tests.bad_inputs import decompression_bomb_png, many_pages_pdf, text_pdf
from tests.malformed import (
    bit_flipped,
    html_with_pdf_marker,
    jpeg_with_app_segments,
    mediabox,
    multipage_tiff,
    nested_forms_pdf,
    shifted_xref,
    svg_with_pdf_marker,
    truncated_tiff,
)

ROOT = Path(__file__).resolve().parents[2]
DACH = str(ROOT / ".venv" / "bin" / "dach")
SPECIFIC = {
    "empty_file",
    "file_too_large",
    "unsupported_format",
    "executable_file",
    "corrupt_file",
    "truncated_pdf",
    "encrypted_pdf",
    "too_many_pages",
    "image_too_large",
    "resource_limit",
    "not_regular_file",
    "bad_file_name",
    "page_timeout",
}
# The benchmark's own limits: tighter walls so a corpus with dozens of bombs finishes in an afternoon.
LIMITS_ENV = {"DACH_LIMITS__PARSER_WALL_S": "20", "DACH_LIMITS__PARSER_CPU_S": "15", "OMP_THREAD_LIMIT": "1"}


def recursive_pages_pdf() -> bytes:
    """A page tree whose /Kids contains its own /Pages node (a loop every walker must notice)."""
    pdf = pikepdf.open(io.BytesIO(text_pdf(1, "Schleife")))
    pdf.Root.Pages.Kids.append(pdf.Root.Pages)
    pdf.Root.Pages.Count = 2
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def pdf_with_zip_appended() -> bytes:
    return text_pdf(1, "Polyglott") + b"PK\x03\x04" + os.urandom(200)


def corpus(count: int, seed: int) -> list[tuple[str, bytes | None, str]]:
    """(name, bytes or None for a link/pipe, kind) for `count` malformed files."""
    rng = random.Random(seed)
    base = {"pdf": text_pdf(2, "Bescheid"), "tiff": multipage_tiff(3, 300, seed), "png": b"", "jpeg": b""}
    from PIL import Image

    for kind, fmt in (("png", "PNG"), ("jpeg", "JPEG")):
        buffer = io.BytesIO()
        Image.new("L", (400, 300), 220).save(buffer, format=fmt)
        base[kind] = buffer.getvalue()
    makers = [
        (
            "truncated",
            lambda i: (lambda k: base[k][: max(1, int(len(base[k]) * rng.uniform(0.05, 0.99)))])(
                rng.choice(list(base))
            ),
        ),
        ("bitflip", lambda i: bit_flipped(base[rng.choice(list(base))], rng.randint(1, 60), seed + i)),
        ("truncated-tiff", lambda i: truncated_tiff(rng.uniform(0.6, 0.99), seed + i)),
        ("shifted-xref", lambda i: shifted_xref(seed + i)),
        ("mediabox", lambda i: mediabox(rng.choice([b"[(a) (b) (c) (d)]", b"null", b"[0 0]", b"[0 0 0 0]"]))),
        ("recursive", lambda i: recursive_pages_pdf()),
        ("polyglot", lambda i: rng.choice([svg_with_pdf_marker(), html_with_pdf_marker(), pdf_with_zip_appended()])),
        ("huge", lambda i: rng.choice([decompression_bomb_png(), many_pages_pdf(600)])),
        ("metadata", lambda i: jpeg_with_app_segments(rng.randint(70, 400), 20_000)),
        ("garbage", lambda i: os.urandom(rng.randint(0, 3000))),
    ]
    out: list[tuple[str, bytes | None, str]] = []
    for i in range(count):
        if i % 97 == 0:
            out.append((f"{i:05d}-nested.pdf", nested_forms_pdf(rng.randint(12, 24), rng.randint(4, 8)), "nested"))
            continue
        if i % 53 == 0:
            out.append((f"{i:05d}-link.pdf", None, "symlink"))
            continue
        if i % 61 == 0:
            out.append((f"{i:05d}-pipe.pdf", None, "pipe"))
            continue
        kind, make = makers[i % len(makers)]
        name = f"{i:05d}-{kind}.bin"
        if i % 41 == 0:
            name = f"{i:05d}-name-\x1b]0;x\x07.pdf"
            kind = "bad-name"
        out.append((name, make(i), kind))
    return out


def write_inbox(folder: Path, files: list[tuple[str, bytes | None, str]], good: int) -> tuple[list[str], list[str]]:
    folder.mkdir(parents=True)
    secret = folder.parent / "secret.txt"
    secret.write_text("DACH_S3_SECRET_KEY=must-not-leak")
    paths: list[str] = []
    for name, data, kind in files:
        path = folder / name
        if kind == "symlink":
            path.symlink_to(secret)
        elif kind == "pipe":
            os.mkfifo(path)
        else:
            assert data is not None
            path.write_bytes(data)
        paths.append(str(path))
    latin1 = os.fsencode(folder) + b"/zz-Bescheid-M\xfcller.pdf"
    with open(latin1, "wb") as handle:
        handle.write(text_pdf(1, "Alter Name"))
    paths.append(os.fsdecode(latin1))
    goods = []
    for index in range(good):
        path = folder / f"zz-good-{index}.pdf"
        path.write_bytes(text_pdf(1, f"Bescheid des Jobcenters Nummer {index} Seite 1 von 1"))
        goods.append(str(path))
    return paths + goods, goods


class MemorySampler:
    """Peak resident memory (VmHWM) of every process this run starts, by role, sampled every quarter second.

    Roles: a parser worker of the sandbox (the fork server's children, capped by RLIMIT_AS), a dach process
    (`dach extract`/`intake`/`serve`/`worker`), tesseract, the temporary Prefect server, anything else. VmHWM
    is the high-water mark the kernel keeps, so a sample misses only what a process gained in the last quarter
    second of its life; `children_maxrss_mib` (getrusage of every reaped descendant) bounds the rest."""

    ROLES = (
        (b"multiprocessing.forkserver", "parser_worker"),
        (b"tesseract", "tesseract"),
        (b"uvicorn", "prefect_server"),
        (b"bin/dach", "dach"),
    )

    def __init__(self) -> None:
        self.peak_kib: dict[int, tuple[str, int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _descendants(self) -> list[int]:
        children: dict[int, list[int]] = collections.defaultdict(list)
        for proc in Path("/proc").glob("[0-9]*"):
            try:
                children[int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])].append(int(proc.name))
            except (OSError, ValueError, IndexError):
                continue
        out, stack = [], [os.getpid()]
        while stack:
            for child in children.get(stack.pop(), []):
                out.append(child)
                stack.append(child)
        return out

    def _run(self) -> None:
        while not self._stop.wait(0.25):
            for pid in self._descendants():
                try:
                    cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                role = next((name for word, name in self.ROLES if word in cmd), "other")
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        peak = max(self.peak_kib.get(pid, (role, 0))[1], int(line.split()[1]))
                        self.peak_kib[pid] = (role, peak)

    def report(self) -> dict[str, object]:
        by_role: dict[str, list[int]] = collections.defaultdict(list)
        for role, kib in self.peak_kib.values():
            by_role[role].append(kib)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return {
            "peak_rss_mib_by_role": {role: round(max(kib) / 1024, 1) for role, kib in sorted(by_role.items())},
            "processes_seen_by_role": {role: len(kib) for role, kib in sorted(by_role.items())},
            "children_maxrss_mib": round(children.ru_maxrss / 1024, 1),
            "children_cpu_s": round(children.ru_utime + children.ru_stime, 1),
        }


def env_for(data_dir: Path) -> dict[str, str]:
    return {**os.environ, **LIMITS_ENV, "DACH_DATA_DIR": str(data_dir), "PREFECT_HOME": str(data_dir / "prefect")}


def run_extract(paths: list[str], goods: list[str], data_dir: Path) -> dict[str, object]:
    crashes, codes, read_good, slowest = 0, collections.Counter[str](), 0, 0.0
    unspecific: list[str] = []
    for start in range(0, len(paths), 250):
        chunk = paths[start : start + 250]
        began = time.monotonic()
        answer = subprocess.run(
            [DACH, "extract", "--json", *chunk], env=env_for(data_dir), capture_output=True, timeout=7200
        )
        slowest = max(slowest, (time.monotonic() - began) / len(chunk))
        if answer.returncode not in (0, 1):
            crashes += 1
            print("extract exited", answer.returncode, answer.stderr[-2000:].decode(errors="replace"))
            continue
        for result in json.loads(answer.stdout)["results"]:
            if result["error"]:
                codes[result["error"]["code"]] += 1
                if result["error"]["code"] not in SPECIFIC:
                    unspecific.append(f"{result['file']}: {result['error']['code']}")
            elif "zz-good" in result["file"]:
                read_good += bool(result["documents"])
    return {
        "crashes": crashes,
        "codes": dict(codes),
        "unspecific": unspecific[:20],
        "good_read": f"{read_good}/{len(goods)}",
        "mean_s_per_file_slowest_chunk": round(slowest, 2),
    }


def slowest_files(data_dir: Path) -> dict[str, object]:
    """Seconds each file the worker read took, from the queue in the record: one worker reads one file at a
    time, so the time between two files' last updates is the second one's (the first, with the warm-up, is
    left out). Files the door refused were never read (no attempt) and take no time here."""
    import sqlite3

    with contextlib.closing(sqlite3.connect(data_dir / "dach.sqlite")) as db:
        rows = db.execute(
            "SELECT original_name, updated_at FROM intake_files WHERE attempts > 0 AND status NOT IN"
            " ('queued', 'running') ORDER BY updated_at"
        ).fetchall()
    stamps = [(name, datetime.fromisoformat(at)) for name, at in rows]
    took = [(b[0], (b[1] - a[1]).total_seconds()) for a, b in itertools.pairwise(stamps)]
    slowest = max(took, key=lambda t: t[1], default=("", 0.0))
    return {
        "files_read": len(stamps),
        "slowest_file_s": round(slowest[1], 1),
        "slowest_file": slowest[0].encode("unicode_escape").decode(),
        "files_over_60_s": sum(1 for _, seconds in took if seconds > 60),
    }


def run_intake(folder: Path, goods: list[str], data_dir: Path) -> dict[str, object]:
    began = time.monotonic()
    answer = subprocess.run(
        [DACH, "intake", "--json", str(folder)], env=env_for(data_dir), capture_output=True, timeout=14400
    )
    seconds = time.monotonic() - began
    if answer.returncode not in (0, 1):
        return {"crashes": 1, "batches_stopped": 1, "stderr": answer.stderr[-2000:].decode(errors="replace")}
    items = json.loads(answer.stdout)["items"]
    codes = collections.Counter(i["error"]["code"] for i in items if i["error"])
    good_names = {Path(g).name for g in goods}
    filed = [i for i in items if Path(i["file"]).name in good_names and i["status"] in ("filed", "needs_review")]
    return {
        "crashes": 0,
        "batches_stopped": 0,
        "exit_code": answer.returncode,
        "items": len(items),
        "codes": dict(codes),
        "unspecific": [c for c in codes if c not in SPECIFIC],
        "good_filed": f"{len({Path(i['file']).name for i in filed})}/{len(goods)}",
        "seconds": round(seconds, 1),
        **slowest_files(data_dir),
    }


def run_upload(files: list[tuple[str, bytes | None, str]], data_dir: Path) -> dict[str, object]:
    from tests.benchmarks.web import served

    settings = Settings(data_dir=data_dir)
    archive = open_archive(settings)
    archive.add_user("fuzz.empfang", "fuzzing-password-1", Role.FRONT_DESK, Department.FRONT_DESK)
    archive.close()
    for name, value in LIMITS_ENV.items():
        os.environ.setdefault(name, value)
    uploads = [(n, d) for n, d, _ in files if d is not None]
    goods: set[str] = set()
    statuses: collections.Counter[int] = collections.Counter()
    codes: collections.Counter[str] = collections.Counter()
    down, batches, filed, stopped = 0, [], 0, 0
    with served(settings, ready_s=900) as base, httpx.Client(base_url=base, timeout=600) as client:
        token = client.post("/api/v1/token", data={"username": "fuzz.empfang", "password": "fuzzing-password-1"})
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        for start in range(0, len(uploads), 50):
            good = f"zz-good-upload-{start}.pdf"  # every batch holds a good file, which must be filed
            goods.add(good)
            chunk = [*uploads[start : start + 50], (good, text_pdf(1, f"Bescheid des Jobcenters Stapel {start}"))]
            body = [("files", (n.encode("utf-8", "replace").decode(), d, "application/octet-stream")) for n, d in chunk]
            answer = client.post("/api/v1/batches", files=body, headers=headers)
            statuses[answer.status_code] += 1
            if answer.status_code == 202:
                batches.append(answer.json()["batch_id"])
                codes.update(r["error"] for r in answer.json()["rejected"])
            if client.get("/healthz").status_code != 200:
                down += 1
        deadline = time.monotonic() + 3600
        pending = list(batches)
        while pending and time.monotonic() < deadline:
            state = client.get(f"/api/v1/batches/{pending[0]}", headers=headers).json()
            if state["status"] in ("done", "failed"):
                codes.update(i["error"]["code"] for i in state["items"] if i.get("error"))
                filed += sum(1 for f in state["files"] if f["file"] in goods and f["documents"])
                stopped += state["status"] == "failed"
                pending.pop(0)
            else:
                time.sleep(2)
            if client.get("/healthz").status_code != 200:
                down += 1
    return {
        "statuses": dict(statuses),
        "server_errors": sum(n for s, n in statuses.items() if s >= 500),
        "healthz_down": down,
        "batches_unfinished": len(pending),
        "batches_stopped": stopped,
        "codes": dict(codes),
        "unspecific": [c for c in codes if c not in SPECIFIC],
        "good_filed": f"{filed}/{len(goods)}",
        **slowest_files(data_dir),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=100000)
    parser.add_argument("--good", type=int, default=3)
    parser.add_argument("--skip-upload", action="store_true")
    parser.add_argument("--only", default="extract,intake,upload", help="which of extract, intake, upload to run")
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()
    work = args.data_dir or Path(tempfile.mkdtemp(prefix="dach-fuzz-"))
    files = corpus(args.count, args.seed)
    paths, goods = write_inbox(work / "inbox", files, args.good)
    print(f"{len(paths)} files ({args.count} malformed + 1 badly named + {args.good} good) in {work}", flush=True)
    print("load average before:", os.getloadavg(), flush=True)
    report: dict[str, object] = {}
    with MemorySampler() as memory:
        started = time.monotonic()
        only = set(args.only.split(","))
        if "extract" in only:
            report["extract"] = run_extract(paths, goods, work / "var-extract")
            print("extract:", report["extract"], flush=True)
        if "intake" in only:
            report["intake"] = run_intake(work / "inbox", goods, work / "var-intake")
            print("intake:", report["intake"], flush=True)
        if "upload" in only and not args.skip_upload:
            report["upload"] = run_upload(files, work / "var-upload")
            print("upload:", report["upload"], flush=True)
        report["seconds"] = round(time.monotonic() - started, 1)
    report["memory"] = memory.report()
    report["load_average_after"] = os.getloadavg()
    print(json.dumps(report, indent=2, default=str))
    sys.exit(0)


if __name__ == "__main__":
    main()
