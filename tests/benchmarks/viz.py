"""Benchmark: the visual-zone (VIZ) cross-check of identity documents against their MRZ.

    python -m tests.benchmarks.viz [--count 60] [--seed 100000] [--tamper-share 0.5]
                                   [--hard-share 0.15] [--clean-share 0.15] [--no-specimens]

Generates passports, ID cards and residence permits from held-out seeds (>= 100000), `--tamper-share` of
them with a VIZ that contradicts the MRZ in one field (`generate(viz_tamper_share=)`: birth date, document
number, surname, given names and expiry in turn), reads them with the real OCR room and classifiers
(`read_cached` of the classification benchmark, cached by file hash and OCR code version; `analyse`) and
reports: detection (the tampered field is in `viz_mismatches`) per field; false alarms on untampered
documents and their fields; `original_script_name` exact where the truth has one; documents without a
readable MRZ (excluded from the rest); median seconds per document. Then the same check over the official
specimens in `shared/specimens/mrz/` (read in place, never cached): untampered, so every flag there is a
false alarm unless the specimen's VIZ really differs, and each is listed by file name for a person to judge.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from schemas.documents import ExtractedDocument, PageText
from schemas.settings import Settings
from tests.benchmarks.classification import MIN_SEED, REPO, difficulty_plan, pct, read_cached
from tests.benchmarks.mrz import labelled, unlabelled

KINDS = ["passport", "id_card", "residence_permit"]
CHECKED = ("birth_date", "document_number", "surname", "given_names", "expiry_date")


@dataclass(frozen=True)
class Outcome:
    """One document through the pipeline, against its truth (None where no truth is known)."""

    name: str
    difficulty: str
    document: ExtractedDocument | None  # the identity document built from the MRZ; None: no readable MRZ
    seconds: float
    truth: dict[str, Any] | None = None

    @property
    def extra(self) -> dict[str, str]:
        return self.truth["extra"] if self.truth else {}

    @property
    def tampered(self) -> str:
        return self.extra.get("viz_tampered", "")

    @property
    def flagged(self) -> tuple[str, ...]:
        return self.document.viz_mismatches if self.document else ()

    def mrz_value(self, name: str) -> Any:
        return self.document.field_values().get(name) if self.document else None

    def describe(self, names: Sequence[str]) -> str:
        """The MRZ reading of these fields, with the truth where the reading differs from it."""
        parts = []
        for name in names:
            got = self.mrz_value(name)
            want = self.truth["fields"].get(name) if self.truth else got
            parts.append(f"{name}={got!r}" + (f" (truth {want!r})" if got != want else ""))
        valid = self.mrz_value("mrz_valid")
        return " ".join(parts) + ("" if valid else " [MRZ not valid]")


def identity_of(pages: list[PageText], review_threshold: float) -> ExtractedDocument | None:
    """The document the classifiers room built from an MRZ on these pages, if any."""
    from classifiers import analyse

    analysis = analyse(pages, review_threshold=review_threshold)
    return next((d for d in analysis.documents if "mrz" in d.fields), None)


def run_generated(folder: Path, difficulty: str, review_threshold: float) -> list[Outcome]:
    outcomes = []
    for truth_path in sorted(folder.glob("*.truth.json")):
        record = json.loads(truth_path.read_text(encoding="utf-8"))
        pages, ocr_seconds = read_cached(folder / record["file"], workers=1)
        started = time.perf_counter()
        document = identity_of(pages, review_threshold)
        seconds = ocr_seconds + time.perf_counter() - started
        outcomes.append(Outcome(record["file"], difficulty, document, seconds, record["documents"][0]))
    return outcomes


def run_specimens(review_threshold: float) -> list[Outcome]:
    from ocr.reader import ReadOptions, read_pages

    options = ReadOptions.from_settings(Settings())
    outcomes = []
    for path, _ in [*labelled(), *unlabelled()]:
        started = time.perf_counter()
        pages = [r.text for r in read_pages(path.read_bytes(), options, workers=1)]
        document = identity_of(pages, review_threshold)
        outcomes.append(Outcome(f"{path.parent.name}/{path.name}", "specimen", document, time.perf_counter() - started))
    return outcomes


def report_generated(outcomes: list[Outcome]) -> None:
    read = [o for o in outcomes if o.document is not None]
    unread = [o for o in outcomes if o.document is None]
    tampered = [o for o in read if o.tampered]
    clean = [o for o in read if not o.tampered]
    print(f"\nGenerated: {len(outcomes)} documents, {len(unread)} without a readable MRZ (excluded)")
    for o in unread:
        print(f"  no MRZ: {o.name} ({o.difficulty}{', tampered ' + o.tampered if o.tampered else ''})")
    invalid = sum(1 for o in read if not o.mrz_value("mrz_valid"))
    print(f"  of the {len(read)} read, {invalid} with an MRZ reported not valid")

    hits = sum(1 for o in tampered if o.tampered in o.flagged)
    print(f"\n(a) Detection, tampered field in viz_mismatches: {pct((hits, len(tampered)))}")
    for name in CHECKED:
        cell = [o for o in tampered if o.tampered == name]
        print(f"  {name:16} {pct((sum(1 for o in cell if name in o.flagged), len(cell)))}")
    for o in tampered:
        if o.tampered not in o.flagged:
            printed = o.extra["viz_printed"]
            print(f"  missed {o.name} ({o.difficulty}): {o.tampered} printed {printed!r}; {o.describe([o.tampered])}")
    extra = [o for o in tampered if set(o.flagged) - {o.tampered}]
    print(f"  tampered documents with other fields flagged as well: {len(extra)}")
    for o in extra:
        others = [f for f in o.flagged if f != o.tampered]
        print(f"    {o.name}: tampered {o.tampered}, also {', '.join(others)}; {o.describe(others)}")

    alarms = [o for o in clean if o.flagged]
    fields = Counter(f for o in alarms for f in o.flagged)
    print(f"\n(b) False alarms, untampered with any viz_mismatch: {pct((len(alarms), len(clean)))}")
    print("  by field: " + (", ".join(f"{k} {n}" for k, n in fields.most_common()) or "none"))
    for o in alarms:
        print(f"    {o.name} ({o.difficulty}): {o.describe(o.flagged)}")

    scripted = [o for o in read if o.extra.get("original_script_name")]
    exact = [o for o in scripted if o.mrz_value("original_script_name") == o.extra["original_script_name"]]
    print(f"\n(c) original_script_name exact: {pct((len(exact), len(scripted)))}")
    for o in scripted:
        if o not in exact:
            got, want = o.mrz_value("original_script_name"), o.extra["original_script_name"]
            print(f"    {o.name} ({o.difficulty}): got {got!r}, truth {want!r}")
    spurious = [o for o in read if o.mrz_value("original_script_name") and o not in scripted]
    print(f"  given where the truth has none: {len(spurious)}")

    print(f"\n(d) No readable MRZ: {len(unread)} of {len(outcomes)}")
    times = [o.seconds for o in outcomes]
    print(f"(e) Median seconds per document (OCR when first read + classify): {statistics.median(times):.2f} s")

    print("\nBy difficulty:            detection                false alarms")
    for difficulty in ("clean", "normal", "hard"):
        t = [o for o in tampered if o.difficulty == difficulty]
        c = [o for o in clean if o.difficulty == difficulty]
        if t or c:
            found = sum(1 for o in t if o.tampered in o.flagged)
            print(f"  {difficulty:8} {pct((found, len(t))):>24} {pct((sum(1 for o in c if o.flagged), len(c))):>24}")


def report_specimens(outcomes: list[Outcome]) -> None:
    read = [o for o in outcomes if o.document is not None]
    flagged = [o for o in read if o.flagged]
    print(f"\nSpecimens: {len(outcomes)}, {len(outcomes) - len(read)} without a readable MRZ")
    print(f"  with any viz_mismatch: {len(flagged)} of {len(read)} read (untampered: each a false alarm unless")
    print("  the specimen's printed data really differs from its MRZ; look at the image)")
    for o in flagged:
        print(f"    {o.name}: {', '.join(o.flagged)}; MRZ {o.describe(o.flagged)}")
    for o in outcomes:
        if o.document is None:
            print(f"    no MRZ: {o.name}")
    print(f"  median seconds per specimen (uncached): {statistics.median(o.seconds for o in outcomes):.2f} s")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=60, help="generated identity documents")
    parser.add_argument("--seed", type=int, default=MIN_SEED, help=f"held-out seed, at least {MIN_SEED}")
    parser.add_argument("--tamper-share", type=float, default=0.5, help="share of documents with a tampered VIZ")
    parser.add_argument("--hard-share", type=float, default=0.15, help="share of documents at difficulty hard")
    parser.add_argument("--clean-share", type=float, default=0.15, help="share of documents at difficulty clean")
    parser.add_argument("--out", type=Path, default=REPO / "var" / "bench-samples", help="where samples go")
    parser.add_argument("--no-specimens", action="store_true", help="only the generated documents")
    parser.add_argument("--tune", action="store_true", help="allow training seeds (< 100000) for tuning the rules")
    args = parser.parse_args(argv)
    if args.seed < MIN_SEED and not args.tune:
        parser.error(f"--seed must be >= {MIN_SEED}: lower seeds are for training and tuning")
    if not 0.0 <= args.tamper_share <= 1.0:
        parser.error("--tamper-share must be between 0 and 1")

    from lab.samples import generate

    threshold = Settings().review_threshold
    started = time.perf_counter()
    outcomes: list[Outcome] = []
    for difficulty, count, seed in difficulty_plan(args.count, args.seed, args.hard_share, args.clean_share):
        if count <= 0:
            continue
        folder = args.out / f"{seed}-{difficulty}-{count}-identity-viz{args.tamper_share:g}"
        if not (folder / "manifest.json").is_file():
            generate(
                folder, count=count, seed=seed, difficulty=difficulty, kinds=KINDS, viz_tamper_share=args.tamper_share
            )
        outcomes += run_generated(folder, difficulty, threshold)
    report_generated(outcomes)
    if not args.no_specimens:
        report_specimens(run_specimens(threshold))
    print(f"\n{time.perf_counter() - started:.0f} s in all")


if __name__ == "__main__":
    main()
