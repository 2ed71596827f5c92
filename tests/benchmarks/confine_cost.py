"""What confining the parser workers costs per page, in CPU seconds (not wall time, which load distorts).

    python -m tests.benchmarks.confine_cost [--pages 6] [--rounds 2]

Reads the same pages (born-digital notice pages through the text layer, scanned pages rendered by pdfium and
read by tesseract) with `parser_confine` off and on, alternating, and reports CPU seconds per page of this
process, its children (tesseract) and the parser workers (from /proc, as they are not our children).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import time

from ocr import sandbox
from ocr.reader import ReadOptions, read_page
from schemas.settings import OcrLimits
from tests.ocr.pagegen import text_page
from tests.ocr.pdfgen import build

TICKS = os.sysconf("SC_CLK_TCK")


def _worker_cpu() -> float:
    total = 0.0
    for pid in sandbox.worker_pids():
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


def _own_cpu() -> float:
    mine, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime


def measure(document: bytes, pages: int, confine: bool) -> dict[str, float]:
    sandbox.shutdown()
    limits = OcrLimits(parser_confine=confine, parser_workers=1, page_timeout_s=900, parser_wall_s=900)
    options = ReadOptions(limits=limits, read_mrz=False)
    read_page(document, 1, options)  # start the worker outside the measurement
    worker_before, own_before, started = _worker_cpu(), _own_cpu(), time.monotonic()
    for page in range(1, pages + 1):
        read_page(document, page, options)
    worker, own = _worker_cpu() - worker_before, _own_cpu() - own_before
    return {"worker_cpu_s": worker / pages, "caller_cpu_s": own / pages, "wall_s": (time.monotonic() - started) / pages}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    documents = {
        "text": build([("notice", [f"Bescheid Seite {i}"]) for i in range(args.pages)]),
        "scan": build([("image", text_page(seed=i, lines=30)) for i in range(args.pages)]),
    }
    results: dict[str, dict[str, list[dict[str, float]]]] = {k: {"off": [], "on": []} for k in documents}
    for _ in range(args.rounds):
        for kind, document in documents.items():
            for confine in (False, True):
                results[kind]["on" if confine else "off"].append(measure(document, args.pages, confine))
    summary = {
        kind: {
            state: {key: round(sum(r[key] for r in runs) / len(runs), 4) for key in runs[0]}
            for state, runs in states.items()
        }
        for kind, states in results.items()
    }
    print(json.dumps({"pages": args.pages, "rounds": args.rounds, "per_page": summary}, indent=2))
    sandbox.shutdown()


if __name__ == "__main__":
    main()
