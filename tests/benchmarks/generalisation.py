"""Generalisation benchmark: accuracy on layout families nothing was developed or tuned on (issue 17).

    python -m tests.benchmarks.generalisation                      # 312 documents, held-out seed 100000
    python -m tests.benchmarks.generalisation --count 26           # quick run (two per reported family)
    python -m tests.benchmarks.generalisation --calibrate          # refit classifiers/models/field-review-v2.json
    python -m tests.benchmarks.generalisation --tune-report        # the tuning families (development only)
    python -m tests.benchmarks.generalisation --no-review-model    # the extractors without the calibrated review

Documents come from `lab.samples.families`: independent layout families per group (certificates, notices,
identity documents). The reported families are measured on held-out seeds (>= 100000); the `TUNE` families
on tuning seeds (1000-99999) are the only documents the review calibration ever sees (`--calibrate`), so
every reported figure is leave-one-family-out: no reported family took part in any fitting. The tuning
documents are written one folder per family (`--tune-count` each, seed 7100), so adding a tuning family
leaves the others' documents and cached OCR as they were; `--calibrate` is deterministic for a given cache.
OCR results are cached under `var/bench-cache/` as the other benchmarks do (by file hash and OCR code
version).

Prints, for the reported families: type accuracy (and identity documents read as anything else), field
accuracy per group, per field and per family, identity documents with every field right (names as the
visual zone prints them), the review rate and the SILENT ERROR RATE: fields that are wrong or missing in
documents reported `review: false`, as a share of all fields.
"""

from __future__ import annotations

import argparse
import json
import re
import time
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from schemas.documents import CERTIFICATE_FIELDS, MRZ_FIELDS, NOTICE_FIELDS
from schemas.errors import DachError
from schemas.settings import Settings
from tests.benchmarks.classification import MIN_SEED, MIN_TUNING_SEED, REPO, comparable, read_cached

IDENTITY_FIELDS = MRZ_FIELDS[:10]  # the contract fields of the zone, without `mrz` itself
GROUP_FIELDS = {"notice": NOTICE_FIELDS, "certificate": CERTIFICATE_FIELDS, "identity": IDENTITY_FIELDS}
IDENTITY_TYPES = {"passport", "id_card", "residence_permit", "visa"}
TUNE_SEED = 7100
ANALYSE_SECONDS: list[float] = []  # classifiers room seconds per page of each document (OCR cached)
_NUMBER_NOISE = re.compile(r"(?i)№|\bno\.?|\s+")


def same(name: str, truth: Any, got: Any) -> bool:
    """Truth and extraction agree, after normalising what a reader would not call a difference: spacing and
    dashes, letter case of names and authorities, the `№` of a number and the spaces inside numbers,
    "Surname, Given" order."""
    if truth in (None, "") and got in (None, ""):
        return True
    if not isinstance(truth, str) or not isinstance(got, str):
        return truth == got
    a, b = comparable(truth, name), comparable(got, name)
    if name in ("person_name", "recipient_name", "surname", "given_names", "issuing_authority", "authority"):
        a, b = unicodedata.normalize("NFC", a).casefold(), unicodedata.normalize("NFC", b).casefold()
    if name in ("certificate_number", "file_number"):  # `37 859 3188` is the number `378593188`
        a, b = _NUMBER_NOISE.sub("", a), _NUMBER_NOISE.sub("", b)
    return bool(a == b)


@dataclass
class DocResult:
    family: str
    group: str
    truth_type: str
    got_type: str
    review: bool
    type_confidence: float
    fields: list[dict[str, Any]] = field(default_factory=list)  # name, truth, got, confidence, right
    file: str = ""
    got_fields: dict[str, tuple[Any, float | None]] = field(default_factory=dict)  # the predicted document's
    conditions: tuple[str, ...] = ()  # scan conditions of the file: rotate:90, bilevel ...
    features: dict[str, dict[str, float]] = field(default_factory=dict)  # per read field, for the review model


def score(truth: dict[str, Any], pages: list[Any], review_model: bool) -> DocResult:
    from classifiers import analyse
    from classifiers.field_confidence import document_features
    from classifiers.review import group_of

    settings = Settings()
    started = time.perf_counter()
    analysis = analyse(pages, review_threshold=settings.review_threshold, calibrated_review=review_model)
    ANALYSE_SECONDS.append((time.perf_counter() - started) / max(1, len(pages)))
    doc = truth["documents"][0]
    match = next((d for d in analysis.documents if 1 in d.pages), None)
    group = truth["family_group"]
    result = DocResult(
        family=truth["family"],
        group=group,
        truth_type=doc["type"],
        got_type=match.type.value if match else "(missing)",
        # without the calibrated review, a document's own notes still count as doubts (as `calibrated` does)
        review=(match.review or (not review_model and bool(match.notes))) if match else True,
        type_confidence=match.confidence if match else 0.0,
        file=truth["file"],
        got_fields={n: (f.value, f.confidence) for n, f in match.fields.items()} if match else {},
        conditions=tuple(truth.get("degradations", ())),
    )
    predicted_group = group_of(match.type) if match else None
    if match is not None and predicted_group is not None:
        result.features = document_features(match, predicted_group, pages)
    right_type = match is not None and match.type.value == doc["type"]
    for name in GROUP_FIELDS[group]:
        want = doc["fields"].get(name)
        got_field = match.fields.get(name) if (match is not None and right_type) else None
        got = got_field.value if got_field is not None else None
        result.fields.append(
            {
                "name": name,
                "truth": want,
                "got": got,
                "confidence": got_field.confidence if got_field is not None else None,
                "right": same(name, want, got),
            }
        )
    return result


def is_cached(path: Path) -> bool:
    import hashlib

    from tests.benchmarks.classification import CACHE, ocr_version

    return (CACHE / f"{hashlib.sha256(path.read_bytes()).hexdigest()}-{ocr_version()}.json").is_file()


def run(
    folder: Path,
    seed: int,
    count: int,
    families: Sequence[str],
    workers: int,
    review_model: bool,
    cached_only: bool = False,
) -> list[DocResult]:
    from lab.samples.families import generate_families

    if not (folder / "manifest.json").is_file():
        generate_families(folder, count=count, seed=seed, families=families)
    results = []
    for truth_path in sorted(folder.glob("*.truth.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        if truth["family"] not in families or (cached_only and not is_cached(folder / truth["file"])):
            continue
        try:
            pages, _ = read_cached(folder / truth["file"], workers)
        except DachError:
            pages = []
        if not pages:
            doc = truth["documents"][0]
            results.append(
                DocResult(
                    truth["family"], truth["family_group"], doc["type"], "(missing)", True, 0.0, file=truth["file"]
                )
            )
            continue
        results.append(score(truth, pages, review_model))
    return results


def pct(right: int, total: int) -> str:
    return f"{100 * right / total:6.2f}% ({right}/{total})" if total else "   n/a"


def silent(results: Sequence[DocResult]) -> tuple[int, int]:
    """(wrong fields in documents not sent to review, all fields); a document of the wrong type that is not
    reviewed counts every one of its fields wrong."""
    wrong = total = 0
    for r in results:
        total += len(r.fields)
        if not r.review:
            wrong += sum(1 for f in r.fields if not f["right"])
    return wrong, total


def report(results: Sequence[DocResult], show_misses: int) -> None:
    n = len(results)
    right_type = sum(r.truth_type == r.got_type for r in results)
    print(f"\n{n} documents (reported families only)")
    print(f"Document type: {pct(right_type, n)}")
    ident = [r for r in results if r.truth_type in IDENTITY_TYPES]
    print(
        "Identity documents classified as anything else: "
        f"{sum(r.got_type != r.truth_type for r in ident)} of {len(ident)}"
    )
    by_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in results:
        by_type[r.truth_type][0] += r.truth_type == r.got_type
        by_type[r.truth_type][1] += 1
    for t, (a, b) in sorted(by_type.items()):
        print(f"  type {t:26} {pct(a, b)}")
    for group in ("notice", "certificate", "identity"):
        docs = [r for r in results if r.group == group]
        cells = [f for r in docs for f in r.fields]
        print(f"\n{group.capitalize()} fields: {pct(sum(f['right'] for f in cells), len(cells))}")
        per_field: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for f in cells:
            per_field[f["name"]][0] += f["right"]
            per_field[f["name"]][1] += 1
        for name, (a, b) in per_field.items():
            print(f"  {name:22} {pct(a, b)}")
        if group == "identity":
            every = sum(all(f["right"] for f in r.fields) for r in docs)
            print(f"  documents with every field right (names as the visual zone prints them): {pct(every, len(docs))}")
        if group == "certificate":
            per_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])
            for r in docs:
                per_type[r.truth_type][0] += sum(f["right"] for f in r.fields)
                per_type[r.truth_type][1] += len(r.fields)
            for t, (a, b) in sorted(per_type.items()):
                print(f"  by type {t:26} {pct(a, b)}")
    print("\nPer family (each one measured with nothing developed or tuned on it):")
    families = sorted({r.family for r in results})
    rows = []
    for fam in families:
        docs = [r for r in results if r.family == fam]
        cells = [f for r in docs for f in r.fields]
        wrong, total = silent(docs)
        rows.append(
            (
                sum(f["right"] for f in cells) / max(1, len(cells)),
                f"  {fam:20} type {pct(sum(r.truth_type == r.got_type for r in docs), len(docs))}  fields "
                f"{pct(sum(f['right'] for f in cells), len(cells))}  "
                f"review {pct(sum(r.review for r in docs), len(docs))}"
                f"  silent {pct(wrong, total)}",
            )
        )
    for _, line in sorted(rows):
        print(line)
    print("\nBy scan condition:")
    for condition in ("rotate:90", "rotate:270", "rotate:180", "bilevel"):
        docs = [r for r in results if condition in r.conditions]
        cells = [f for r in docs for f in r.fields]
        print(
            f"  {condition:11} type {pct(sum(r.truth_type == r.got_type for r in docs), len(docs))}  "
            f"fields {pct(sum(f['right'] for f in cells), len(cells))}"
        )
    wrong, total = silent(results)
    print(f"\nDocuments sent to review: {pct(sum(r.review for r in results), n)}")
    for group in ("notice", "certificate", "identity"):
        docs = [r for r in results if r.group == group]
        group_wrong, group_total = silent(docs)
        print(
            f"  {group:12} review {pct(sum(r.review for r in docs), len(docs))}  silent {pct(group_wrong, group_total)}"
        )
    print(f"SILENT ERROR RATE (wrong fields in review:false documents / all fields): {pct(wrong, total)}")
    unreviewed_wrong_type = sum(1 for r in results if not r.review and r.truth_type != r.got_type)
    print(f"Documents of the wrong type not sent to review: {unreviewed_wrong_type}")
    if show_misses:
        print(f"\nFirst {show_misses} silent errors:")
        shown = 0
        for r in results:
            if r.review:
                continue
            for f in r.fields:
                if not f["right"] and shown < show_misses:
                    shown += 1
                    print(f"  {r.file} {f['name']}: got {f['got']!r} ({f['confidence']}), truth {f['truth']!r}")


def main(argv: Sequence[str] | None = None) -> None:
    from lab.samples.families import REPORTED, TUNE

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=312, help="documents of the reported families")
    parser.add_argument("--seed", type=int, default=MIN_SEED, help=f"held-out seed, at least {MIN_SEED}")
    parser.add_argument("--tune-count", type=int, default=24, help="documents of each tuning family")
    parser.add_argument("--tune-seed", type=int, default=TUNE_SEED)
    parser.add_argument("--workers", type=int, default=2, help="pages OCRed at once")
    parser.add_argument("--calibrate", action="store_true", help="fit the review calibration on the tuning families")
    parser.add_argument("--tune-report", action="store_true", help="report the tuning families (development only)")
    parser.add_argument("--no-review-model", action="store_true", help="measure without the calibrated review")
    parser.add_argument("--show-misses", type=int, default=30)
    parser.add_argument("--out", type=Path, default=REPO / "var" / "bench-samples")
    parser.add_argument("--cached-only", action="store_true", help="skip documents whose OCR is not cached yet")
    parser.add_argument("--json", type=Path, default=None, help="write per-document results here")
    parser.add_argument(
        "--family", action="append", default=None, help="with --tune-report: only this tuning family (repeatable)"
    )
    args = parser.parse_args(argv)
    if args.seed < MIN_SEED:
        parser.error(f"--seed must be >= {MIN_SEED}: lower seeds are for tuning")
    if not MIN_TUNING_SEED <= args.tune_seed < MIN_SEED:
        parser.error(f"--tune-seed must be within {MIN_TUNING_SEED}-{MIN_SEED - 1}")
    started = time.perf_counter()
    if args.calibrate or args.tune_report:
        # one folder per tuning family (`--tune-count` documents each), so that adding a tuning family leaves
        # the documents, and the cached OCR, of the others as they were
        unknown = set(args.family or ()) - set(TUNE)
        if unknown:
            parser.error(f"--family must name tuning families, not {', '.join(sorted(unknown))}")
        if args.family and args.calibrate:
            parser.error("--calibrate fits on every tuning family: --family would leave some out")
        tuned = [
            r
            for name in (args.family or TUNE)
            for r in run(
                args.out / f"families-tune-{args.tune_seed}-{args.tune_count}" / name,
                args.tune_seed,
                args.tune_count,
                [name],
                args.workers,
                False,
                args.cached_only,
            )
        ]
        if args.calibrate:
            from classifiers.review import fit_and_write

            fit_and_write(tuned, TUNE)
        if args.tune_report:
            report(tuned, args.show_misses)
        write_json(args.json, tuned)
        return
    folder = args.out / f"families-report-{args.seed}-{args.count}"
    results = run(
        folder, args.seed, args.count, list(REPORTED), args.workers, not args.no_review_model, args.cached_only
    )
    report(results, args.show_misses)
    if ANALYSE_SECONDS:
        ordered = sorted(ANALYSE_SECONDS)
        print(
            f"\nClassifiers room per page: mean {sum(ordered) / len(ordered):.3f} s, "
            f"max {ordered[-1]:.3f} s ({len(ordered)} documents)"
        )
    print(f"{time.perf_counter() - started:.0f} s (OCR cached under var/bench-cache)")
    write_json(args.json, results)


def write_json(path: Path | None, results: Sequence[DocResult]) -> None:
    if path is not None:
        path.write_text(json.dumps([r.__dict__ for r in results], ensure_ascii=False, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
