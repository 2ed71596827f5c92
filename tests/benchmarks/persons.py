"""Person matching on a generated population: precision and recall of automatic filing, review rate, speed.

    python -m tests.benchmarks.persons [--persons 2000] [--seed 100000] [--seeds 1] [--show 5]

Generates `--persons` persons (Ukrainian, Russian, Arabic, Persian, Turkish, German; shared names, shared
birth dates, twins, relatives) and one further document per person spelt as that document would (ICAO,
German or English transliteration, swapped order, dropped names, OCR typos, identifiers present or not),
plus 20% documents of look-alike persons who are not in the index. Indexes the persons by `blocking_keys`,
matches every document against the persons sharing a key, and prints:
  precision = correct automatic matches / automatic matches          (target >= 99.5%)
  recall    = correct automatic matches / documents of known persons (target >= 95%)
  review    = documents with candidates but no automatic match / all documents
and the CPU time per `match` call (with the blocked candidates, and in a worst case of 50 candidates that
all share the document's birth date, so that every name is compared). Tuning used seeds 0-9999; report
figures from held-out seeds >= 100000.
"""

from __future__ import annotations

import argparse
import time

from tests.persons.evaluate import run, time_fifty


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=100000)
    parser.add_argument("--seeds", type=int, default=1, help="run this many consecutive seeds")
    parser.add_argument("--show", type=int, default=0, help="print this many wrong and missed matches")
    parser.add_argument("--timing", type=int, default=300, help="documents timed against 50 persons")
    args = parser.parse_args()
    totals = [0, 0, 0, 0, 0, 0.0]
    for seed in range(args.seed, args.seed + args.seeds):
        started = time.perf_counter()
        _, out = run(args.persons, seed)
        print(
            f"seed {seed}: {out.probes} documents ({out.with_truth} of known persons), "
            f"precision {100 * out.precision:.2f}% ({out.auto_correct}/{out.auto}), "
            f"recall {100 * out.recall:.2f}%, review {100 * out.review_rate:.1f}%, "
            f"not blocked {out.blocked_out}, {out.ms_per_match:.3f} ms/match "
            f"({out.candidates_seen / max(out.probes, 1):.1f} candidates), "
            f"total {time.perf_counter() - started:.1f} s"
        )
        for kind, tally in sorted(out.by_kind.items()):
            print(
                f"    {kind:28s} n={tally['n']:5d} auto={tally['auto']:5d} correct={tally['correct']:5d} "
                f"review={tally['review']:5d}"
            )
        for probe, got in out.wrong[: args.show]:
            print("  WRONG", probe.kind, probe.truth, "->", got, probe.claim.model_dump(exclude_none=True))
        for probe, got in out.missed[: args.show]:
            print("  MISSED", probe.kind, probe.truth, "best", got, probe.claim.model_dump(exclude_none=True))
        totals = [
            totals[0] + out.auto,
            totals[1] + out.auto_correct,
            totals[2] + out.with_truth,
            totals[3] + out.review,
            totals[4] + out.probes,
            totals[5] + out.match_seconds,
        ]
    if args.timing:
        warm, cold = time_fifty(args.persons, args.seed, args.timing)
        print(
            f"worst case, 50 candidates sharing the birth date: {warm:.2f} ms/match with the persons' "
            f"claims prepared (a running worker), {cold:.2f} ms/match with every cache cleared first"
        )
    if args.seeds > 1:
        auto, correct, truth, review, probes, seconds = totals
        print(
            f"all seeds: precision {100 * correct / max(auto, 1):.2f}%, "
            f"recall {100 * correct / max(truth, 1):.2f}%, review {100 * review / max(probes, 1):.1f}%, "
            f"{1000 * seconds / max(probes, 1):.3f} ms/match"
        )


if __name__ == "__main__":
    main()
