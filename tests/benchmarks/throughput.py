"""Throughput: raw tesseract against `dach extract` and `dach intake` on the same generated pages, in one run.

    python -m tests.benchmarks.throughput [--pages 8] [--scan-pages 4] [--seed 100123]
    python -m tests.benchmarks.throughput --mix agency [--pages 12] [--no-ocrmypdf] [--intake [--intake-runs N]]

Prints seconds per page for raw `tesseract` (OMP_THREAD_LIMIT=1; one page at a time, and N at a time), for
`dach extract` (whole CLI, no Prefect) and for `dach intake` of one N-page scan (Prefect start-up reported
separately), and the ratios the foundation issue sets targets for:
  extract s/page <= 1.25 x raw sequential s/page;  intake flow time <= 1.25 x raw parallel time.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
DACH = str(ROOT / ".venv" / "bin" / "dach")
ENV = {**os.environ, "OMP_THREAD_LIMIT": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}


def make_pages(out: Path, count: int, seed: int, difficulty: str = "clean") -> list[Path]:
    """Dense A4 notice pages as PNG, generated from held-out seeds.

    "clean" pages (upright, no noise) compare like with like: on a page turned by 180 degrees raw tesseract
    returns garbage at once while dach turns the page and reads it again, so such pages measure the turn."""
    from lab.samples import generate

    pages: list[Path] = []
    attempt = 0
    while len(pages) < count:
        files = generate(
            out / f"g{attempt}",
            count=count,
            seed=seed + attempt,
            kinds=["notice"],
            formats=["png"],
            difficulty=difficulty,
        )
        pages += [f for f in files if f.suffix == ".png"]
        attempt += 1
    return pages[:count]


def raw_tesseract(pages: list[Path], languages: str, parallel: int) -> float:
    def one(page: Path) -> None:
        subprocess.run(
            ["tesseract", str(page), "-", "-l", languages],
            env=ENV,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        list(pool.map(one, pages))
    return time.perf_counter() - started


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd[:2])} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=8, help="pages for the extract runs")
    parser.add_argument("--scan-pages", type=int, default=4, help="pages of the one scan given to intake")
    parser.add_argument("--seed", type=int, default=100_123, help="held-out seed (>= 100000)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--difficulty", default="clean", choices=["clean", "normal", "hard"])
    parser.add_argument(
        "--mix",
        choices=["notices", "agency"],
        default="notices",
        help="agency: certificates in Cyrillic/Arabic, identity documents, notices, a blank page against plain "
        "tesseract in the right languages and OCRmyPDF, with tesseract runs and CPU-s per page kind",
    )
    parser.add_argument("--no-ocrmypdf", action="store_true", help="agency mix: leave OCRmyPDF out")
    parser.add_argument(
        "--intake", action="store_true", help="agency mix: also `dach intake` of a 10-page scan of the mix"
    )
    parser.add_argument(
        "--intake-runs",
        type=int,
        default=1,
        metavar="N",
        help="agency mix with --intake: the later run (Prefect database exists) N times, each in a new data folder",
    )
    args = parser.parse_args()
    if args.mix == "agency":
        from tests.benchmarks.agency_mix import run

        with tempfile.TemporaryDirectory(prefix="dach-bench-") as tmp_name:
            run(
                Path(tmp_name),
                pages=args.pages if args.pages != 8 else 12,
                seed=args.seed,
                workers=args.workers,
                with_ocrmypdf=not args.no_ocrmypdf,
                with_intake=args.intake,
                later_runs=max(1, args.intake_runs),
            )
        return
    languages = "deu+eng"

    with tempfile.TemporaryDirectory(prefix="dach-bench-") as tmp_name:
        tmp = Path(tmp_name)
        pages = make_pages(tmp / "pages", args.pages, args.seed, args.difficulty)
        scan_pages = pages[: args.scan_pages]
        stack = tmp / "stack.tiff"
        images = [Image.open(p) for p in scan_pages]
        images[0].save(stack, save_all=True, append_images=images[1:], compression="tiff_lzw", dpi=(300, 300))
        env = {**ENV, "DACH_DATA_DIR": str(tmp / "var"), "DACH_OCR_WORKERS": str(args.workers)}
        one_worker = {**env, "DACH_OCR_WORKERS": "1"}

        seq = raw_tesseract(pages, languages, 1)
        par = raw_tesseract(pages, languages, args.workers)
        scan_par = raw_tesseract(scan_pages, languages, args.workers)
        ext_first, _ = timed([DACH, "extract", "--json", str(pages[0])], one_worker)
        ext_one, _ = timed([DACH, "extract", "--json", *map(str, pages)], one_worker)
        ext_par, _ = timed([DACH, "extract", "--json", *map(str, pages)], env)
        wall, out = timed([DACH, "intake", "--json", str(stack)], env)
        flow_seconds = float(json.loads(out)["seconds"])

    n, m = len(pages), len(scan_pages)
    marginal = (ext_one - ext_first) / (n - 1)  # per page, without the command's fixed start-up
    startup = ext_first - marginal
    rows = [
        ("raw tesseract, 1 at a time", seq / n, 1.0, ""),
        (f"raw tesseract, {args.workers} at a time", par / n, par / seq, "vs raw 1 at a time"),
        ("dach extract, 1 worker, per page", marginal, marginal / (seq / n), "vs raw 1 at a time  [target <= 1.25]"),
        ("dach extract, 1 worker, incl. start-up", ext_one / n, ext_one / seq, "vs raw 1 at a time"),
        (f"dach extract, {args.workers} workers, incl. start-up", ext_par / n, ext_par / par, f"vs raw {args.workers}"),
        (
            f"dach intake flow, one {m}-page scan",
            flow_seconds / m,
            flow_seconds / scan_par,
            f"vs raw {args.workers} at a time on those pages  [target <= 1.25]",
        ),
    ]
    print(
        f"{n} dense A4 pages ({args.difficulty}, 300 dpi PNG, held-out seed {args.seed}), languages {languages}, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
    )
    print(f"{'what':44} {'s/page':>7} {'ratio':>6}")
    for name, per_page, ratio, against in rows:
        print(f"{name:44} {per_page:7.2f} {ratio:6.2f}  {against}")
    print(f"dach extract fixed start-up (imports, models) {startup:.1f} s per command")
    print(
        f"dach intake wall time {wall:.1f} s, of which Prefect's temporary server, imports and set-up "
        f"{wall - flow_seconds:.1f} s"
    )


if __name__ == "__main__":
    main()
