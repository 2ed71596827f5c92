"""Runs person matching over a generated population the way storage would: block, then match.

Shared by the benchmark (`python -m tests.benchmarks.persons`) and the tests, so both measure the same thing.
"""

from __future__ import annotations

import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from classifiers import persons, persons_names
from classifiers.persons import blocking_keys, match
from schemas.persons import PersonClaim
from tests.persons.generator import Population, Probe, make_population, make_probes


@dataclass
class Outcome:
    probes: int = 0
    with_truth: int = 0
    auto: int = 0
    auto_correct: int = 0
    review: int = 0
    blocked_out: int = 0  # the true person was not among the blocked candidates
    match_seconds: float = 0.0
    candidates_seen: int = 0
    by_kind: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    wrong: list[tuple[Probe, str]] = field(default_factory=list)
    missed: list[tuple[Probe, str]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.auto_correct / self.auto if self.auto else 1.0

    @property
    def recall(self) -> float:
        return self.auto_correct / self.with_truth if self.with_truth else 1.0

    @property
    def review_rate(self) -> float:
        return self.review / self.probes if self.probes else 0.0

    @property
    def ms_per_match(self) -> float:
        return 1000 * self.match_seconds / self.probes if self.probes else 0.0


def build_index(index: list[tuple[str, PersonClaim]]) -> dict[str, list[tuple[str, PersonClaim]]]:
    """key -> the (person_id, claim) pairs filed under it: what storage's person_key table holds."""
    by_key: dict[str, list[tuple[str, PersonClaim]]] = defaultdict(list)
    for person_id, claim in index:
        for key in blocking_keys(claim):
            by_key[key].append((person_id, claim))
    return by_key


def evaluate(population: Population, probes: list[Probe]) -> Outcome:
    by_key = build_index(population.index)
    out = Outcome()
    for probe in probes:
        seen: dict[tuple[str, int], tuple[str, PersonClaim]] = {}
        for key in blocking_keys(probe.claim):
            for person_id, claim in by_key.get(key, ()):
                seen[(person_id, id(claim))] = (person_id, claim)
        candidates = list(seen.values())
        started = time.process_time()
        decision = match(probe.claim, candidates)
        out.match_seconds += time.process_time() - started
        out.candidates_seen += len(candidates)
        out.probes += 1
        tally = out.by_kind[probe.kind]
        tally["n"] += 1
        if probe.truth is not None:
            out.with_truth += 1
            if not any(pid == probe.truth for pid, _ in candidates):
                out.blocked_out += 1
        if decision.auto is not None:
            out.auto += 1
            tally["auto"] += 1
            if decision.auto.person_id == probe.truth:
                out.auto_correct += 1
                tally["correct"] += 1
            else:
                out.wrong.append((probe, decision.auto.person_id))
        elif decision.candidates:
            out.review += 1
            tally["review"] += 1
        if probe.truth is not None and (decision.auto is None or decision.auto.person_id != probe.truth):
            out.missed.append((probe, decision.candidates[0].person_id if decision.candidates else "-"))
    return out


def run(persons: int, seed: int) -> tuple[Population, Outcome]:
    population = make_population(persons, seed)
    probes = make_probes(population, seed)
    return population, evaluate(population, probes)


def _clear_caches() -> None:
    for cached in (
        persons._prepare,
        persons_names.latin_spelling,
        persons_names.arabic_spelling,
        persons_names._similarity,
        persons_names._icao_words,
    ):
        cached.cache_clear()


def time_fifty(persons_count: int, seed: int, probes_timed: int) -> tuple[float, float]:
    """ms per `match` of one new document against 50 persons who all share its birth date (so that no
    candidate is dismissed early): with the persons' claims already prepared, and with all caches cleared."""
    population = make_population(persons_count, seed)
    probes = [p for p in make_probes(population, seed) if p.claim.birth_date][:probes_timed]
    rng = random.Random(seed)
    cases = [
        (
            p.claim,
            [
                (pid, c.model_copy(update={"birth_date": p.claim.birth_date}))
                for pid, c in rng.sample(population.index, 50)
            ],
        )
        for p in probes
    ]
    results = []
    for warm in (True, False):
        _clear_caches()
        if warm:
            for _, known in cases:
                for _, other in known:
                    persons._prepare(other)
        elapsed = 0.0
        for claim, known in cases:
            if not warm:
                _clear_caches()
            started = time.process_time()
            match(claim, known)
            elapsed += time.process_time() - started
        results.append(1000 * elapsed / max(len(cases), 1))
    return results[0], results[1]
