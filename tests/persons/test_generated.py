"""Precision and recall of automatic filing on a small generated population (the benchmark, in small).

Three populations of 400 persons (seeds chosen before looking at their results, none used for tuning), pooled
so that 1,200 documents of known persons stand behind the recall figure. The full benchmark
(`python -m tests.benchmarks.persons`) runs 2,000 persons per seed.
"""

from __future__ import annotations

from tests.persons.evaluate import Outcome, run

SEEDS = (300001, 300002, 300003)


def test_precision_and_recall_meet_the_targets_on_generated_populations() -> None:
    outcomes: list[Outcome] = [run(persons=400, seed=seed)[1] for seed in SEEDS]
    auto = sum(o.auto for o in outcomes)
    correct = sum(o.auto_correct for o in outcomes)
    known = sum(o.with_truth for o in outcomes)
    assert known == 400 * len(SEEDS)
    assert all(o.probes > o.with_truth for o in outcomes)  # look-alikes who are not in the index are probed too
    wrong = [(probe.claim, got) for o in outcomes for probe, got in o.wrong]
    assert correct / auto >= 0.995, wrong
    assert correct / known >= 0.95


def test_look_alikes_who_are_not_in_the_index_are_rarely_filed_to_anyone() -> None:
    _, out = run(persons=400, seed=300004)
    strangers = sum(tally["n"] for kind, tally in out.by_kind.items() if kind.startswith("unknown_"))
    filed = sum(tally["auto"] for kind, tally in out.by_kind.items() if kind.startswith("unknown_"))
    assert strangers >= 50
    assert filed <= 0.01 * strangers


def test_the_generator_is_reproducible() -> None:
    first, _ = run(persons=50, seed=7)
    second, _ = run(persons=50, seed=7)
    assert first.index == second.index
    assert [p.claim for p in first.probes] == [p.claim for p in second.probes]
