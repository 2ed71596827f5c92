"""Combine the OCR readings of one MRZ and repair only what a check digit or the fixed layout proves.

Steps, each justified by ICAO 9303's layout:
1. `mrz_align` fits every reading to the zone's shape and maps characters a field cannot hold to their
   OCR-B look-alike (O→0 in a date, 0→O in a name, K read as the sex a filler): nothing else fits there.
2. A reading whose every check digit verifies (and that has no filler noise elsewhere) is taken whole; if
   several do, the one the other readings agree with most.
3. Otherwise a field covered by a check digit takes a value the readings actually saw, combined position by
   position where they disagree (at most two departures from the best-supported character), that its check
   digit verifies, ranked by the votes behind it. Nothing is swapped on speculation: every extra hypothesis
   is another one-in-ten chance to verify a wrong value. The composite digit settles ties where it can.
4. Fields without a check digit take a per-character vote; names take the reading most readings agree on
   as a whole. Letters of a name are never changed into other letters; a K or X ending a name token
   becomes a filler only where another reading saw a filler. When no two readings agree on the name,
   `names_confirmed` is False and the document is not reported `mrz_valid`.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
from collections import Counter
from collections.abc import Sequence

from classifiers.mrz import MrzParse, normalise_line, parse_mrz, split_name
from classifiers.mrz_align import NUMBER_PRIOR, TO_DIGIT, aligned, checks_held, layout_of
from classifiers.mrz_layout import (
    COUNTRY_CODES,
    FILLER,
    TD1,
    Kind,
    Layout,
    Span,
    check_digit,
    check_holds,
)
from schemas.documents import MrzReading

log = logging.getLogger(__name__)

PRIMARY_WEIGHT = 2.5
_MAX_AMBIGUOUS = 6  # positions where readings disagree that are combined in one field
_MAX_CHANGES = 2  # of those, how many may depart from the best-supported character at once


def _name_votes(name: str, cuts: Sequence[str]) -> int:
    """How many readings read this name (surname and given names), filler noise aside."""
    wanted = split_name(name)
    return sum(split_name(_fillers_from_others(cut, [name])) == wanted for cut in cuts)


def _fillers_from_others(name: str, others: Sequence[str]) -> str:
    """A K or X ending a token of the chosen name becomes a filler where another reading saw a filler
    there: fillers misread as K are the commonest slip of one reader and rarely of another. Letters are
    never changed into other letters."""
    chars = list(name)
    for i, char in enumerate(name):
        ends_token = i + 1 == len(name) or name[i + 1] == FILLER  # not the K starting KIRA
        if char in "KX" and ends_token and any(other[i] == FILLER for other in others):
            chars[i] = FILLER
    return "".join(chars)


def _majority(values: Sequence[str]) -> str:
    """Per-character vote of equally long strings. The first reading (the reader's best) counts
    PRIMARY_WEIGHT times: the other readings are binarisations of one crop through one engine, so they
    share their misreadings and two of them agreeing is weaker evidence than two independent readers."""
    if not values:
        return ""
    chars = []
    for column in zip(*values, strict=True):
        counts: dict[str, float] = {}
        for i, char in enumerate(column):
            counts[char] = counts.get(char, 0.0) + (PRIMARY_WEIGHT if i == 0 else 1.0)
        top = max(counts.values())
        chars.append(next(c for c in column if counts[c] == top))
    return "".join(chars)


def _noisy(layout: Layout, lines: list[str]) -> bool:
    """Fillers misread as K or X beside real fillers in a field no check digit covers (`6K<K`): a
    reading with such noise elsewhere is not trusted to have verified its check digits honestly."""
    for span in layout.spans:
        if span.kind is Kind.ALNUM and span.check is None:
            text = span.cut(lines)
            if any(pair in text for pair in ("<K", "K<", "<X", "X<")):
                return True
    return False


def _checked_options(values: list[tuple[str, str]], kind: Kind) -> list[str]:
    """Candidate (field + check digit) strings that verify, best first; empty when none does.

    Only characters some reading actually saw are combined: where the readings disagree, each position
    may take any of their characters, and the verified combinations are ranked by the votes behind them
    (the first reading weighted as in `_majority`). Nothing is swapped on speculation: a document number
    has one check digit (the composite cannot help, as the number sits at its start with its own weights,
    so every number with the same check digit adds the same to it), and one wrong value in ten passes a
    check digit, so trying many invented variants would verify a wrong one by chance.
    In document numbers O, Q and I are read as 0, 0 and 1 first: states avoid those letters there because
    they look like digits (and O, Q, O at the weights 7, 3, 1 even sum to a multiple of 10, so 000 and OQO
    share a check digit).
    """
    strings = [v + c for v, c in values]
    if kind is Kind.ALNUM:
        strings = [text[:-1].translate(NUMBER_PRIOR) + text[-1] for text in strings]
    columns: list[list[tuple[str, float]]] = []
    for position in range(len(strings[0])):
        weights: dict[str, float] = {}
        for i, text in enumerate(strings):
            weights[text[position]] = weights.get(text[position], 0.0) + (PRIMARY_WEIGHT if i == 0 else 1.0)
        columns.append(sorted(weights.items(), key=lambda item: -item[1]))
    open_positions = [i for i, options in enumerate(columns) if len(options) > 1][:_MAX_AMBIGUOUS]
    ranked: dict[str, float] = {}
    for choice in itertools.product(*(range(len(columns[i])) for i in open_positions)):
        if sum(pick > 0 for pick in choice) > _MAX_CHANGES:
            continue  # every extra hypothesis is another chance to verify a wrong value
        chars = [options[0][0] for options in columns]
        support = sum(options[0][1] for options in columns)
        for position, pick in zip(open_positions, choice, strict=True):
            chars[position] = columns[position][pick][0]
            support += columns[position][pick][1] - columns[position][0][1]
        text = "".join(chars)
        if check_holds(text[:-1], text[-1]):
            ranked[text] = max(ranked.get(text, support), support)
    return sorted(ranked, key=lambda text: -ranked[text])


def _span_pair(layout: Layout, span: Span) -> Span | None:
    return layout.span(span.check) if span.check else None


def _compose(layout: Layout, chosen: dict[str, str], base: list[str]) -> list[str]:
    lines = [list(line) for line in base]
    for span in layout.spans:
        if span.name in chosen:
            lines[span.line][span.start : span.stop] = chosen[span.name]
    return ["".join(line) for line in lines]


def _composite_ok(layout: Layout, lines: list[str]) -> bool:
    if layout.composite_at is None:
        return True
    line, column = layout.composite_at
    data = "".join(lines[i][a:b] for i, a, b in layout.composite)
    return lines[line][column] == check_digit(data)


def _country(value: str, others: Sequence[str]) -> str:
    """A nationality/issuing-state code: the majority, or a reading of it that is a known code."""
    code = value.replace(FILLER, "")
    if code in COUNTRY_CODES:
        return value
    for other in others:
        if other.replace(FILLER, "") in COUNTRY_CODES:
            return other
    near = {
        "".join(v)
        for v in itertools.product(*[(c, *(k for k, d in TO_DIGIT.items() if d == TO_DIGIT.get(c))) for c in value])
    }
    known = sorted(v for v in near if v.replace(FILLER, "") in COUNTRY_CODES)
    return known[0] if len(known) == 1 else value


def best_parse(reading: MrzReading) -> MrzParse:
    """The best parse of every reading of one zone, repaired where a check digit or the layout proves it."""
    raw = [[normalise_line(x) for x in lines if normalise_line(x)] for lines in (reading.lines, *reading.alternatives)]
    layout = layout_of(raw)
    if layout is None:
        return parse_mrz(reading.lines)
    refitted: list[bool] = []
    readings = aligned(reading, layout, refitted)
    if not readings:
        return parse_mrz(reading.lines)
    name_span = layout.span("name")
    agreed_name: str | None = None
    confirmed = True
    if name_span is not None:
        # Names have no check digit: the reading most readings agree on as a whole, the first on a tie;
        # a per-character vote could splice two misaligned readings into a name nobody read.
        # A name that runs into the end of its field without fillers, where fillers were read as letters,
        # loses to one that ends as the layout says names end.
        cuts = [name_span.cut(r) for r in readings]
        names = Counter(cuts)
        agreed_name = _fillers_from_others(max(cuts, key=lambda n: (n.endswith(FILLER * 3), names[n])), cuts)
        confirmed = len(cuts) < 2 or _name_votes(agreed_name, cuts) >= 2
    # A reading whose every check digit verifies is taken whole (the first such, the primary first): a
    # majority of other readings sharing one misreading must not outvote it. The name is the agreed one.
    # Several readings may verify with different values (a check digit cannot tell 0 from U, K, A or <,
    # whose values are all 0 modulo 10): the one the most readings agree with, field by field, wins.
    whole = [i for i, r in enumerate(readings) if parse_mrz(r).valid and not _noisy(layout, r)]
    if whole:

        def support(index: int) -> tuple[int, bool]:
            # Agreement with the other readings; on a tie a reading read at its true length beats one whose
            # data line had to be refitted (choosing where to drop a character can verify by chance).
            agree = sum(span.cut(readings[index]) == span.cut(o) for o in readings for span in layout.spans)
            return agree, not refitted[index]

        best = readings[max(whole, key=support)]
        result = parse_mrz(_compose(layout, {"name": agreed_name} if agreed_name else {}, best))
        return dataclasses.replace(result, names_confirmed=confirmed)
    # For the data, the reading whose check digits hold most often as read leads the vote (stable: the
    # reader's own order on a tie); the name above keeps the reader's order, as letters are tesseract's.
    readings = sorted(readings, key=lambda r: -checks_held(layout, r))
    base = [_majority([r[i] for r in readings]) for i in range(layout.line_count)]
    chosen: dict[str, str] = {}
    alternatives: dict[str, list[str]] = {}
    for span in layout.spans:
        pair = _span_pair(layout, span)
        if pair is None:
            continue
        if layout is TD1 and span.name == "document_number" and base[0][14] == FILLER:
            continue  # a long TD1 number continues in the optional field: kept as read
        values = [(span.cut(r), pair.cut(r)) for r in readings]
        options = _checked_options(values, span.kind)
        if options:
            alternatives[span.name] = options
            chosen[span.name], chosen[pair.name] = options[0][:-1], options[0][-1]
    for name in ("issuing_state", "nationality"):
        country = layout.span(name)
        if country is not None:
            chosen[name] = _country(country.cut(base), [country.cut(r) for r in readings])
    if agreed_name is not None:
        chosen["name"] = agreed_name
    lines = _compose(layout, chosen, base)
    if not _composite_ok(layout, lines):
        lines = _settle_by_composite(layout, chosen, alternatives, base, readings) or lines
    result = dataclasses.replace(parse_mrz(lines), names_confirmed=confirmed)
    if not result.valid:
        log.debug("MRZ not fully valid after repair: %s", result.checks)
    return result


def _settle_by_composite(
    layout: Layout,
    chosen: dict[str, str],
    alternatives: dict[str, list[str]],
    base: list[str],
    readings: list[list[str]],
) -> list[str] | None:
    """Pick among the verified options of each field (and the composite digit's readings) the combination
    the composite check digit verifies: the only one, or else the one made of every field's best option."""
    assert layout.composite_at is not None
    names = [n for n in alternatives if len(alternatives[n]) > 1]
    line, column = layout.composite_at
    digits = list(dict.fromkeys([base[line][column], *(r[line][column] for r in readings)]))
    hits: list[list[str]] = []
    preferred: list[str] | None = None  # the hit made of every field's best-ranked option
    for number, combo in enumerate(itertools.product(*(alternatives[n][:4] for n in names))):
        trial = dict(chosen)
        for name, option in zip(names, combo, strict=True):
            pair = layout.span(name)
            assert pair is not None and pair.check is not None
            trial[name], trial[pair.check] = option[:-1], option[-1]
        lines = _compose(layout, trial, base)
        for digit in digits:
            candidate = [*lines]
            candidate[line] = candidate[line][:column] + digit + candidate[line][column + 1 :]
            if _composite_ok(layout, candidate):
                hits.append(candidate)
                if number == 0 and preferred is None:
                    preferred = candidate
    unique = {tuple(h) for h in hits}
    if len(unique) == 1:
        return list(next(iter(unique)))
    return preferred
