"""Upload latency at the front desk: how soon the first document of a 10-page stack is on the screen.

    python -m tests.benchmarks.upload [--runs 3] [--data-dir DIR]

Starts the real app (`dach serve` in its own process, the embedded default in a temporary folder, with the `dach
worker` it starts beside it running the real Prefect intake flow), waits until it answers (/healthz), signs in as
a front-desk user through the login form and, for each run, uploads a 10-page scanned stack (two generated stacks
on one feeder: 7 documents of 3+2+1+1+1+1+1 pages, no separator sheets) the way the browser does (multipart form,
CSRF token, htmx header), then follows the batch panel as the page does (the long poll: each request names the
version it shows and is answered when the batch changes). Every run's stack differs in one metadata byte, so each
is a new original and its documents are really filed.

Prints, per run, the seconds from sending the upload until the first document's row is in the panel, until
each further row, and until the batch is done, with the machine's load average (other work on the machine
slows OCR down: tesseract needs the two cores). Target: the first document within 5 s, the rest streaming in.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from schemas.record import Department, Role
from schemas.settings import Settings
from storage import open_archive
from tests.benchmarks.web import served

USER = "bench.empfang"
PASSWORD = "benchmark-password-1"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_BATCH = re.compile(r'id="batch-([0-9a-f]+)"')
_NEXT = re.compile(r'hx-get="(/intake/batches/[0-9a-f]+\?seen=\d+)"')
_ROW = re.compile(r"<tr>\s*<td>")


def ten_page_stack(out: Path, variant: int = 0) -> bytes:
    """Two generated stacks on one feeder: 10 scanned pages, 7 documents (3+2+1+1 pages, then 1+1+1).
    `variant` changes only the PDF's metadata, so each variant is a different original."""
    import pikepdf

    from lab.samples import generate

    stack = pikepdf.Pdf.new()
    for seed in (66, 69):
        path = generate(
            out / str(seed), count=1, seed=seed, kinds=["stack"], difficulty="clean", formats=["pdf-image"]
        )[0]
        stack.pages.extend(pikepdf.open(path).pages)
    stack.docinfo["/Title"] = f"Stapel {variant}"
    buffer = io.BytesIO()
    stack.save(buffer)
    return buffer.getvalue()


def csrf(client: httpx.Client, path: str) -> str:
    found = _CSRF.search(client.get(path).text)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def upload_and_follow(client: httpx.Client, data: bytes) -> tuple[list[tuple[float, int]], float]:
    """Upload `data`; the (seconds, rows shown) each time the panel grew, and the seconds until done."""
    token = csrf(client, "/intake")
    started = time.monotonic()
    answer = client.post(
        "/intake/upload",
        data={"csrf_token": token},
        files=[("files", ("stapel.pdf", data, "application/pdf"))],
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200, answer.text[:300]
    found = _BATCH.search(answer.text)
    assert found, "no batch panel in the upload's answer"
    panel = answer.text
    grew: list[tuple[float, int]] = []
    while True:
        rows = len(_ROW.findall(panel))
        if rows and (not grew or rows > grew[-1][1]):
            grew.append((time.monotonic() - started, rows))
        following = _NEXT.search(panel)
        if following is None:  # the batch is done: the panel stops asking
            return grew, time.monotonic() - started
        if time.monotonic() - started > 600:
            raise RuntimeError("the batch was not done within 10 minutes")
        panel = client.get(following.group(1), headers={"HX-Request": "true"}).text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data-dir", type=Path, default=None, help="default: a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dach-upload-") as tmp:
        data_dir = args.data_dir or Path(tmp) / "var"
        settings = Settings(data_dir=data_dir)
        archive = open_archive(settings)
        if USER not in {u.name for u in archive.list_users()}:
            archive.add_user(USER, PASSWORD, Role.FRONT_DESK, Department.FRONT_DESK)
        archive.close()
        stacks = [ten_page_stack(Path(tmp) / "samples", variant=time.time_ns() + run) for run in range(args.runs)]
        firsts: list[float] = []
        with served(settings) as base, httpx.Client(base_url=base, timeout=60) as client:
            login = {"username": USER, "password": PASSWORD, "csrf_token": csrf(client, "/login")}
            assert client.post("/login", data=login).status_code == 303
            for run, data in enumerate(stacks, start=1):
                load_before = os.getloadavg()[0]
                grew, done = upload_and_follow(client, data)
                firsts.append(grew[0][0])
                shown = ", ".join(f"{rows} at {seconds:.1f} s" for seconds, rows in grew)
                print(
                    f"run {run}: first document after {grew[0][0]:.1f} s, all {grew[-1][1]} after {done:.1f} s "
                    f"(rows shown: {shown}); load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after",
                    flush=True,
                )
        print(f"first document: median {statistics.median(firsts):.1f} s over {len(firsts)} runs (target 5 s)")


if __name__ == "__main__":
    main()
