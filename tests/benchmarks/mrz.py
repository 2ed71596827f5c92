"""Benchmark: dach's MRZ reader against PassportEye, on the same images in one run.

    python -m tests.benchmarks.mrz [--generated 100] [--seed 100000] [--limit N]

Sets: the 5 labelled specimens (every field exact against truth.json), the 34 unlabelled specimens (success =
every check digit valid and clean names: no digits, no K/< noise) and a generated degraded set of identity
documents from held-out seeds (>= 100000; every field exact against the generator's truth, and the count of
documents reported `mrz_valid` with a wrong field). Images are read one at a time on one process (tesseract
runs with OMP_THREAD_LIMIT=1), so the median times compare single-core cost.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import cv2

from mrz.parse import iso_date, parse_mrz
from mrz.repair import repair
from ocr.mrz import read_mrz
from schemas.documents import MRZ_FIELDS

REPO = Path(__file__).resolve().parents[2]
SPECIMENS = REPO.parent / "shared" / "specimens" / "mrz"
COMPARED = MRZ_FIELDS[:9]  # what PassportEye reports too: everything up to the optional data
Fields = dict[str, str | None]


@dataclass
class Tally:
    ok: int = 0  # labelled/generated: every field exact; unlabelled: reported valid (`mrz_valid`), clean names
    checks_ok: int = 0  # unlabelled: every check digit holds on the reading, clean names (the measure)
    total: int = 0
    valid_but_wrong: int = 0
    times: list[float] = field(default_factory=list)

    def row(self, unlabelled: bool) -> str:
        median = statistics.median(self.times) if self.times else float("nan")
        checks = f"  check digits valid {self.checks_ok:3d}" if unlabelled else ""
        return (
            f"{self.ok:4d}/{self.total:<4d} valid-but-wrong {self.valid_but_wrong:3d}{checks}  median {median:6.3f} s"
        )


class Reading(NamedTuple):
    fields: Fields
    reported_valid: bool  # what the reader reports as valid (dach: `mrz_valid`)
    checks_hold: bool  # every check digit holds on the fields it returns


def dach_reader(path: Path) -> Reading:
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    reading = read_mrz(image, timeout=60) if image is not None else None
    if reading is None:
        return Reading({}, False, False)
    parsed = repair(reading)
    # `trusted` is what `mrz_valid` reports; the measure is every check digit holding (a field that
    # breaks the layout, like digits printed in a country code, makes `valid` false but fails no check digit).
    checks_hold = bool(parsed.checks) and all(parsed.checks.values())
    return Reading(dict(parsed.fields), parsed.trusted, checks_hold)


def passporteye_reader(path: Path) -> Reading:
    from passporteye import read_mrz as pe_read_mrz

    try:
        mrz = pe_read_mrz(str(path))
    except (KeyError, ValueError, IndexError) as exc:  # PassportEye crashes on some images: a miss
        print(f"  PassportEye failed on {path.name}: {exc!r}", file=sys.stderr)
        return Reading({}, False, False)
    if mrz is None:
        return Reading({}, False, False)
    d = mrz.to_dict()

    def clean(value: object) -> str | None:
        text = " ".join(str(value or "").replace("<", " ").split())
        return text or None

    fields: Fields = {
        "document_code": clean(d.get("type")),
        "issuing_state": clean(d.get("country")),
        "surname": clean(d.get("surname")),
        "given_names": clean(d.get("names")),
        "document_number": clean(d.get("number")),
        "nationality": clean(d.get("nationality")),
        "birth_date": iso_date(str(d.get("date_of_birth", "")), birth=True),
        "sex": {"M": "M", "F": "F", "<": "X", "X": "X"}.get(str(d.get("sex", ""))),
        "expiry_date": iso_date(str(d.get("expiration_date", "")), birth=False),
    }
    return Reading(fields, bool(mrz.valid), bool(mrz.valid))


def clean_names(fields: Fields) -> bool:
    for name in ("surname", "given_names"):
        value = fields.get(name) or ""
        if any(c.isdigit() for c in value) or "<" in value:
            return False
        if any(set(token) <= {"K", "X"} for token in value.split()):
            return False  # filler noise read as K/X left in the name
    return bool(fields.get("surname"))


def exact(fields: Fields, truth: Fields) -> bool:
    return all((fields.get(k) or "") == (truth.get(k) or "") for k in COMPARED)


Reader = Callable[[Path], Reading]
READERS: dict[str, Reader] = {"passporteye": passporteye_reader, "dach": dach_reader}


def run_set(name: str, items: list[tuple[Path, Fields | None]], tallies: dict[str, Tally]) -> None:
    for path, truth in items:
        for reader_name, reader in READERS.items():
            tally = tallies[reader_name]
            start = time.perf_counter()
            fields, valid, checks_hold = reader(path)
            tally.times.append(time.perf_counter() - start)
            tally.total += 1
            if truth is None:
                good = valid and clean_names(fields)
                tally.checks_ok += int(checks_hold and clean_names(fields))
            else:
                good = bool(fields) and exact(fields, truth)
                tally.valid_but_wrong += int(valid and not good)
            tally.ok += int(good)
            if not good:
                wrong = [
                    f"{k}={fields.get(k)!r}/{truth.get(k)!r}"
                    for k in COMPARED
                    if truth and fields.get(k) != truth.get(k)
                ]
                verdict = "VALID " if valid else ""
                print(f"  {name:10s} {reader_name:12s} miss {verdict}{path.name} {' '.join(wrong)}", file=sys.stderr)


def labelled() -> list[tuple[Path, Fields | None]]:
    truth = json.loads((SPECIMENS / "labelled" / "truth.json").read_text())
    return [(SPECIMENS / "labelled" / n, dict(parse_mrz(lines).fields)) for n, lines in sorted(truth.items())]


def unlabelled() -> list[tuple[Path, Fields | None]]:
    return [(p, None) for p in sorted((SPECIMENS / "unlabelled").iterdir()) if p.suffix in (".jpg", ".png")]


def generated(out: Path, count: int, seed: int) -> list[tuple[Path, Fields | None]]:
    from lab.samples import generate

    generate(
        out,
        count=count,
        seed=seed,
        kinds=["passport", "id_card", "residence_permit", "visa"],
        formats=["png", "jpeg"],
    )
    items: list[tuple[Path, Fields | None]] = []
    for truth_path in sorted(out.glob("*.truth.json")):
        truth = json.loads(truth_path.read_text())
        docs = truth.get("documents") or [truth]
        fields = docs[0].get("fields", {})
        image = next((p for p in out.glob(truth_path.name.replace(".truth.json", ".*"))
                      if p.suffix.lower() in (".png", ".jpg", ".jpeg", ".tif", ".tiff")), None)  # fmt: skip
        if image is not None and fields.get("mrz"):
            items.append((image, {k: (str(v) if v is not None else None) for k, v in fields.items()}))
    return items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--generated", type=int, default=100, help="generated documents (0 to skip)")
    parser.add_argument("--seed", type=int, default=100000, help="held-out seed (>= 100000)")
    parser.add_argument("--limit", type=int, default=0, help="at most this many images per specimen set")
    parser.add_argument("--no-specimens", action="store_true", help="only the generated set")
    parser.add_argument("--only", choices=sorted(READERS), help="run one reader only (the target needs both)")
    parser.add_argument("--tune", action="store_true", help="allow training seeds (< 100000) for tuning")
    args = parser.parse_args()
    if args.seed < 100000 and not args.tune:
        parser.error("measure on held-out seeds only (>= 100000); --tune to look at training seeds")
    if args.only:
        for name in list(READERS):
            if name != args.only:
                del READERS[name]
    sets: dict[str, list[tuple[Path, Fields | None]]] = {}
    if not args.no_specimens:
        sets = {"labelled": labelled(), "unlabelled": unlabelled()}
    if args.limit:
        sets = {k: v[: args.limit] for k, v in sets.items()}
    with tempfile.TemporaryDirectory(prefix="dach-mrz-bench-") as tmp:
        if args.generated:
            try:
                sets["generated"] = generated(Path(tmp), args.generated, args.seed)
            except NotImplementedError:
                print("generated set skipped: lab.samples.generate is not implemented yet", file=sys.stderr)
        results: dict[str, dict[str, Tally]] = {}
        for name, items in sets.items():
            results[name] = {r: Tally() for r in READERS}
            run_set(name, items, results[name])
    print(f"{'set':12s} {'reader':12s} result")
    for name, tallies in results.items():
        for reader_name, tally in tallies.items():
            print(f"{name:12s} {reader_name:12s} {tally.row(name == 'unlabelled')}")
    all_times = {r: [t for tallies in results.values() for t in tallies[r].times] for r in READERS}
    medians = {r: statistics.median(t) for r, t in all_times.items() if t}
    if len(medians) == 2:
        dach, eye = medians["dach"], medians["passporteye"]
        print(
            f"median time per image: dach {dach:.3f} s, PassportEye {eye:.3f} s, "
            f"ratio {dach / eye:.2f} (target <= 0.50)"
        )
    print(
        "targets: labelled 5/5 exact; unlabelled >= 32/34 (PassportEye 19); generated >= 98% exact and "
        "0 valid-but-wrong; median time <= 0.5 x PassportEye"
    )


if __name__ == "__main__":
    main()
