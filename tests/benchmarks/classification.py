"""Classification, splitting and field-extraction benchmark on held-out generated samples (issue 4).

    python -m tests.benchmarks.classification [--count N] [--seed S] [--workers W] [--hard-share F]
    python -m tests.benchmarks.classification --tune --seed 7000 --count 40 [--kinds birth_certificate ...]

Generates samples with `lab.samples.generate` from held-out seeds (>= 100000, never used for training),
reads them with the real OCR room (`ocr.reader.read_pages`) and analyses them with `classifiers.analyse`.
With `--tune`, seeds 1000-99999 (training and tuning seeds) are used instead: develop there, and measure
on held-out seeds once. OCR results are cached under `var/bench-cache/` by file hash and a hash of the
`ocr/` sources, so rerunning the classifier is cheap and a change to the OCR room is measured afresh.

Prints: type accuracy over all eleven types with a confusion matrix, passports classified as anything
else, stack splitting exact rate with and without separator sheets, notice and certificate field exact
rates per field (after normalising dates, amounts and spacing), born-digital PDF seconds per page, and
accuracy by difficulty.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import re
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemas.documents import CERTIFICATE_FIELDS, NOTICE_FIELDS, DocumentType, PageText
from schemas.errors import DachError
from schemas.settings import Settings

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / "var" / "bench-cache"
MIN_SEED = 100_000
MIN_TUNING_SEED = 1_000
TYPES = [t.value for t in DocumentType]


@functools.cache
def ocr_version() -> str:
    """A hash of the sources that read a page (the OCR room and the MRZ room it reads zones with) when the
    run started (the code this process reads with): a cached reading is only valid for the code that made it."""
    digest = hashlib.sha256()
    for source in sorted([*(REPO / "ocr").glob("*.py"), *(REPO / "mrz").glob("*.py")]):
        digest.update(f"{source.parent.name}/{source.name}".encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def read_cached(path: Path, workers: int) -> tuple[list[PageText], float]:
    """The pages of a file as the OCR room reads them, and the seconds that took (cached by file hash and
    OCR code version)."""
    from ocr.reader import ReadOptions, read_pages

    data = path.read_bytes()
    key = f"{hashlib.sha256(data).hexdigest()}-{ocr_version()}"
    cached = CACHE / f"{key}.json"
    if cached.is_file():
        record = json.loads(cached.read_text(encoding="utf-8"))
        return [PageText.model_validate(p) for p in record["pages"]], float(record["seconds"])
    started = time.perf_counter()
    readings = read_pages(data, ReadOptions.from_settings(Settings()), workers=workers)
    seconds = time.perf_counter() - started
    pages = [r.text for r in readings]
    CACHE.mkdir(parents=True, exist_ok=True)
    part = cached.with_suffix(".part")
    part.write_text(
        json.dumps({"seconds": seconds, "pages": [p.model_dump(mode="json") for p in pages]}),
        encoding="utf-8",
    )
    part.rename(cached)
    return pages, seconds


def time_born_digital(path: Path) -> float:
    """Seconds to read a born-digital PDF's text layer (one worker) and analyse it."""
    from classifiers import analyse
    from ocr.reader import ReadOptions, read_pages

    data = path.read_bytes()
    started = time.perf_counter()
    readings = read_pages(data, ReadOptions.from_settings(Settings()), workers=1)
    analyse([r.text for r in readings], review_threshold=Settings().review_threshold)
    return time.perf_counter() - started


_DASHES = re.compile(r"\s*[-–—‒]\s*")


def comparable(value: Any, name: str = "") -> Any:
    """Values compared after normalisation: single spaces, one kind of dash, case kept; a person's name
    printed "Surname, Given names" (Meldebescheinigung) equals "Given names Surname"."""
    if not isinstance(value, str):
        return value
    value = _DASHES.sub("-", " ".join(value.split())).strip()
    if name in ("person_name", "recipient_name") and value.count(",") == 1:
        surname, given = (part.strip() for part in value.split(","))
        value = f"{given} {surname}"
    return value


@dataclass
class Tally:
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    by_difficulty: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    splits: dict[bool, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    fields: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    misses: list[str] = field(default_factory=list)
    digital_seconds: float = 0.0
    digital_pages: int = 0
    classify_seconds: float = 0.0
    classify_pages: int = 0
    pages: int = 0

    def field(self, family: str, name: str, truth: Any, got: Any, where: str) -> None:
        entry = self.fields[f"{family}.{name}"]
        entry[1] += 1
        if comparable(truth, name) == comparable(got, name):
            entry[0] += 1
        elif len(self.misses) < 400:
            self.misses.append(f"{where} {family}.{name}: got {got!r}, truth {truth!r}")


def score_file(truth: dict[str, Any], pages: list[PageText], tally: Tally, review_threshold: float) -> None:
    from classifiers import analyse

    started = time.perf_counter()
    analysis = analyse(pages, review_threshold=review_threshold)
    elapsed = time.perf_counter() - started
    tally.classify_seconds += elapsed
    tally.classify_pages += len(pages)
    tally.pages += len(pages)
    content = {p["page"] for p in truth["pages"] if p["role"] == "content"}
    predicted = {d.pages: d for d in analysis.documents}
    by_page = {page: d for d in analysis.documents for page in d.pages}
    where = truth["file"]
    for doc in truth["documents"]:
        pages_t = tuple(p for p in doc["pages"] if p in content)
        match = by_page.get(pages_t[0]) if pages_t else None
        got_type = match.type.value if match else "(missing)"
        tally.confusion[(doc["type"], got_type)] += 1
        cell = tally.by_difficulty[truth["difficulty"]]
        cell[1] += 1
        cell[0] += got_type == doc["type"]
        if got_type != doc["type"]:
            tally.misses.append(f"{where} pages {pages_t}: type {got_type}, truth {doc['type']}")
        exact = predicted.get(pages_t)
        values = exact.field_values() if exact is not None and exact.type.value == doc["type"] else {}
        if doc["type"] == "notice":
            for name in NOTICE_FIELDS:
                tally.field("notice", name, doc["fields"].get(name), values.get(name), where)
            if doc["extra"].get("legal_basis"):
                tally.field("notice", "legal_basis", doc["extra"]["legal_basis"], values.get("legal_basis"), where)
        elif doc["type"] in {t.value for t in DocumentType if "certificate" in t.value}:
            for name in CERTIFICATE_FIELDS:
                tally.field("certificate", name, doc["fields"].get(name), values.get(name), where)
    if "stack" in truth:
        want = {tuple(p for p in d["pages"] if p in content) for d in truth["documents"]}
        got = {d.pages for d in analysis.documents}
        cell = tally.splits[bool(truth["stack"].get("separators"))]
        cell[1] += 1
        cell[0] += want == got
        if want != got:
            tally.misses.append(f"{where} split: got {sorted(got)}, truth {sorted(want)}")
    if truth["format"] == "pdf-text":
        tally.digital_pages += len(pages)


def difficulty_plan(count: int, seed: int, hard_share: float, clean_share: float) -> list[tuple[str, int, int]]:
    """(difficulty, count, seed) of each part of a run: the shares at clean and hard, the rest normal; each
    part on a seed of its own (normal on the run's seed, clean on the next, hard on the one after)."""
    hard = round(count * hard_share)
    clean = round(count * clean_share)
    return [("clean", clean, seed + 1), ("normal", count - hard - clean, seed), ("hard", hard, seed + 2)]


def pct(cell: Sequence[int]) -> str:
    return f"{100 * cell[0] / cell[1]:6.2f}% ({cell[0]}/{cell[1]})" if cell[1] else "   n/a"


def report(tally: Tally, seconds_ocr_digital: float) -> None:
    total = sum(tally.confusion.values())
    right = sum(n for (t, g), n in tally.confusion.items() if t == g)
    print(f"\nClassification accuracy over all types: {pct((right, total))}")
    labels = [*TYPES, "(missing)"]
    short = {t: t.replace("_certificate", "_c").replace("residence_permit", "res_permit")[:10] for t in labels}
    print("\nConfusion matrix (rows truth, columns predicted):")
    print(" " * 12 + " ".join(f"{short[t]:>10}" for t in labels))
    for t in TYPES:
        row = [tally.confusion.get((t, g), 0) for g in labels]
        if sum(row):
            print(f"{short[t]:>11} " + " ".join(f"{n:>10}" for n in row))
    passports = sum(n for (t, g), n in tally.confusion.items() if t == "passport")
    wrong = sum(n for (t, g), n in tally.confusion.items() if t == "passport" and g != "passport")
    print(f"\nPassports classified as anything else: {wrong} of {passports}")
    print(f"Stack splitting exact, with separator sheets:    {pct(tally.splits[True])}")
    print(f"Stack splitting exact, without separator sheets: {pct(tally.splits[False])}")
    for family in ("notice", "certificate"):
        cells = {k: v for k, v in tally.fields.items() if k.startswith(family + ".")}
        main = [v for k, v in cells.items() if not k.endswith("legal_basis")]
        print(f"\n{family.capitalize()} fields exact: {pct((sum(c[0] for c in main), sum(c[1] for c in main)))}")
        for name, cell in sorted(cells.items()):
            print(f"  {name:32} {pct(cell)}")
    if tally.digital_pages:
        per_page = (seconds_ocr_digital + 0.0) / tally.digital_pages
        print(
            f"\nBorn-digital PDF: {per_page:.4f} s per page, text layer read and classified, one worker "
            f"({tally.digital_pages} pages)"
        )
    if tally.classify_pages:
        print(f"Classifier (split+type+fields): {tally.classify_seconds / tally.classify_pages:.4f} s per page")
    print("\nAccuracy by difficulty:")
    for difficulty, cell in sorted(tally.by_difficulty.items()):
        print(f"  {difficulty:8} {pct(cell)}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=240, help="sample files (stacks hold several documents)")
    parser.add_argument("--seed", type=int, default=MIN_SEED, help=f"held-out seed, at least {MIN_SEED}")
    parser.add_argument("--workers", type=int, default=2, help="pages OCRed at once")
    parser.add_argument("--hard-share", type=float, default=0.15, help="share of samples at difficulty hard")
    parser.add_argument("--clean-share", type=float, default=0.15, help="share of samples at difficulty clean")
    parser.add_argument("--stacks", type=int, default=30, help="extra files that are all stacks (normal)")
    parser.add_argument("--out", type=Path, default=REPO / "var" / "bench-samples", help="where samples go")
    parser.add_argument("--show-misses", type=int, default=40, help="print this many misses")
    parser.add_argument(
        "--tune", action="store_true", help=f"develop on tuning seeds {MIN_TUNING_SEED}-{MIN_SEED - 1} instead"
    )
    parser.add_argument("--kinds", nargs="*", default=None, help="restrict the non-stack samples to these types")
    args = parser.parse_args(argv)
    if args.tune and not MIN_TUNING_SEED <= args.seed + 3 < MIN_SEED:
        parser.error(f"with --tune, --seed must be within {MIN_TUNING_SEED}-{MIN_SEED - 4}")
    if not args.tune and args.seed < MIN_SEED:
        parser.error(f"--seed must be >= {MIN_SEED}: lower seeds are for training and tuning (use --tune)")
    if not args.tune and args.kinds:
        parser.error("--kinds is for tuning runs: the held-out measurement covers every type")

    from lab.samples import generate

    settings = Settings()
    plan = difficulty_plan(args.count, args.seed, args.hard_share, args.clean_share)
    tally = Tally()
    digital_read = 0.0
    ocr_seconds = 0.0  # as measured when each file was first read (cached since), two workers
    started = time.perf_counter()
    runs: list[tuple[str, int, int, list[str] | None]] = [(d, c, s, args.kinds) for d, c, s in plan]
    runs.append(("normal", args.stacks, args.seed + 3, ["stack"]))
    for difficulty, count, seed, kinds in runs:
        if count <= 0:
            continue
        tag = "-stacks" if kinds == ["stack"] else f"-{'+'.join(kinds)}" if kinds else ""
        folder = args.out / f"{seed}-{difficulty}-{count}{tag}"
        if not (folder / "manifest.json").is_file():
            generate(folder, count=count, seed=seed, difficulty=difficulty, kinds=kinds)
        for truth_path in sorted(folder.glob("*.truth.json")):
            truth = json.loads(truth_path.read_text(encoding="utf-8"))
            try:
                pages, seconds = read_cached(folder / truth["file"], args.workers)
            except DachError as exc:  # a file the OCR room rejects counts as every document missed
                tally.misses.append(f"{truth['file']}: rejected by the OCR room ({exc.code}: {exc})")
                pages = []
            if not pages:
                for doc in truth["documents"]:
                    tally.confusion[(doc["type"], "(missing)")] += 1
                    tally.by_difficulty[truth["difficulty"]][1] += 1
                continue
            ocr_seconds += seconds
            if truth["format"] == "pdf-text":
                # no OCR here, so measured afresh every run: text layer read on one worker, then classified
                digital_read += time_born_digital(folder / truth["file"])
            score_file(truth, pages, tally, settings.review_threshold)
    print(
        f"{len(tally.confusion and list(tally.confusion.elements()))} documents, {tally.pages} pages, "
        f"{time.perf_counter() - started:.0f} s"
    )
    report(tally, digital_read)
    print(f"OCR room when first read (cached since): {ocr_seconds / max(1, tally.pages):.2f} s per page")
    if args.show_misses:
        print(f"\nFirst {args.show_misses} misses:")
        for line in tally.misses[: args.show_misses]:
            print("  " + line)


if __name__ == "__main__":
    main()
