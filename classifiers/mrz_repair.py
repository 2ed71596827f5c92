"""Combine the OCR readings of one MRZ and repair only what a check digit or the fixed layout proves.

Steps, each justified by ICAO 9303's layout:
1. Every reading is fitted to the zone's line length by inserting or removing fillers where that makes the
   most characters fit their field's kind (lost or doubled `<` are the commonest OCR slip on OCR-B).
2. Characters impossible in a field are mapped by the known OCR-B confusions: a letter in a date or check
   digit becomes its digit look-alike (O→0, I→1, B→8, S→5, Z→2, G→6 ...), a digit in a letters-only field its
   letter look-alike, `K`/`X` read in the sex position a filler. The layout proves these: nothing else fits.
3. A field covered by a check digit takes, in order, the reading of it most readings agree on that its check
   digit verifies, or a letter/digit swap of it (document numbers mix both) that the check digit verifies and
   that is the only one with that few swaps; ties between such swaps are settled by the composite check digit
   or left unrepaired.
4. Fields without a check digit (names, nationality, sex, some optional data) take a per-character majority
   of the readings. Their letters are never changed into other letters: a name is not invented.
"""

from __future__ import annotations

import itertools
import logging
from collections import Counter
from collections.abc import Sequence

from classifiers.mrz import MrzParse, normalise_line, parse_mrz
from classifiers.mrz_layout import (
    COUNTRY_CODES,
    FILLER,
    TD1,
    Kind,
    Layout,
    Span,
    check_digit,
    check_holds,
    kinds_of,
    layout_for,
)
from schemas.documents import MrzReading

log = logging.getLogger(__name__)

TO_DIGIT = dict(zip("OQDUILZSGBTAE", "0000112568748", strict=True))
TO_LETTER = {"0": "O", "1": "I", "2": "Z", "5": "S", "6": "G", "8": "B", "7": "T", "4": "A"}
_MAX_AMBIGUOUS = 8  # ambiguous characters considered in one field
_MAX_SWAPS = 2  # look-alike swaps accepted in one field (see _checked_options)
_NUMBER_PRIOR = str.maketrans({"O": "0", "Q": "0", "I": "1"})
_LINE_LENGTHS = (30, 36, 44)


def _fits(char: str, kind: Kind) -> bool:
    if kind in (Kind.NUMERIC, Kind.CHECK):
        return char.isdigit() or (kind is Kind.CHECK and char == FILLER)
    if kind is Kind.ALPHA:
        return not char.isdigit()
    if kind is Kind.SEX:
        return char in "MFX<"
    return True


def _map_kind(char: str, kind: Kind) -> str:
    """The look-alike that the field's kind allows (layout-proven), or the character itself."""
    if kind in (Kind.NUMERIC, Kind.CHECK) and not char.isdigit() and char != FILLER:
        return TO_DIGIT.get(char, char)
    if kind is Kind.ALPHA and char.isdigit():
        return TO_LETTER.get(char, char)
    if kind is Kind.SEX and char in "KXC":
        return FILLER if char != "X" else "X"
    return char


def _fit_score(line: str, kinds: list[Kind]) -> int:
    return sum(_fits(c, k) for c, k in zip(line, kinds, strict=True))


def _checks_on_line(layout: Layout, line: int, text: str) -> int:
    """How many check digits on this line verify their field (after the layout-proven mappings)."""
    held = 0
    kinds = kinds_of(layout, line)
    mapped = "".join(_map_kind(c, k) for c, k in zip(text, kinds, strict=False))
    for span in layout.spans:
        pair = layout.span(span.check) if span.check else None
        if span.line == line and pair is not None and pair.line == line and len(mapped) >= pair.stop:
            held += check_holds(mapped[span.start : span.stop], mapped[pair.start])
    return held


def _fit_line(line: str, length: int, kinds: list[Kind], layout: Layout | None = None, index: int = 0) -> str:
    """`line` brought to `length` by adding or dropping fillers where the most characters then fit."""
    if len(line) == length:
        return line
    if abs(len(line) - length) > 3:
        return line[:length].ljust(length, FILLER)

    def rank(text: str) -> tuple[int, int]:
        # Most characters fitting their field and most check digits holding first; then the change made
        # latest in the line (fillers are mostly lost from the trailing run).
        padded = text[:length].ljust(length, FILLER)
        prefix = next((i for i, (a, b) in enumerate(zip(text, line, strict=False)) if a != b), len(text))
        checks = _checks_on_line(layout, index, padded) if layout is not None else 0
        return (-_fit_score(padded, kinds) - 3 * checks, -prefix)

    frontier = [line]
    while len(frontier[0]) != length:
        grow = len(frontier[0]) < length
        step: set[str] = set()
        for text in frontier:
            if grow:
                step.update(text[:i] + FILLER + text[i:] for i in range(len(text) + 1))
            else:
                step.update(text[:i] + text[i + 1 :] for i in range(len(text)) if text[i] == FILLER)
                step.add(text[:-1])
        frontier = sorted(step, key=rank)[:30]
    return frontier[0]


def _layout_of(candidates: list[list[str]]) -> Layout | None:
    votes: Counter[tuple[int, int]] = Counter()
    for lines in candidates:
        if len(lines) in (2, 3):
            length = min(_LINE_LENGTHS, key=lambda n: abs(n - max(len(x) for x in lines)))
            votes[(len(lines), length)] += 1
    if not votes:
        return None
    (count, length), _ = votes.most_common(1)[0]
    codes = Counter(lines[0][:1] for lines in candidates if lines)
    return layout_for(count, length, codes.most_common(1)[0][0] if codes else "")


def _select_lines(lines: Sequence[str], count: int, length: int) -> list[str]:
    """The `count` consecutive lines closest to the zone's shape (a reading may include a stray line)."""
    clean = [line for line in (normalise_line(x) for x in lines) if len(line) >= length // 2]
    if len(clean) <= count:
        return clean
    best = min(
        range(len(clean) - count + 1), key=lambda i: sum(abs(len(x) - length) for x in clean[i : i + count])
    )
    return clean[best : best + count]


def _aligned(reading: MrzReading, layout: Layout) -> list[list[str]]:
    out: list[list[str]] = []
    for raw in (reading.lines, *reading.alternatives):
        lines = _select_lines(raw, layout.line_count, layout.line_length)
        if len(lines) != layout.line_count:
            continue
        fitted = []
        name = layout.span("name")
        for i, line in enumerate(lines):
            kinds = kinds_of(layout, i)
            if name is not None and i == name.line:
                line = _cut_name_noise(line, name.start, layout.line_length)
            line = _fit_line(line, layout.line_length, kinds, layout, i)
            fitted.append("".join(_map_kind(c, k) for c, k in zip(line, kinds, strict=True)))
        out.append(fitted)
    return out


def _cut_name_noise(line: str, start: int, length: int) -> str:
    """A name line whose name has ended (the `<<` after the given names) is filler to its end, whatever
    the OCR made of the fillers (`KKKEK`, `SSS6`) and however many of them it saw."""
    text = line[start:]
    surname_end = text.find(FILLER * 2)
    if surname_end < 0:
        return line
    given_start = surname_end + 2
    while given_start < len(text) and text[given_start] == FILLER:
        given_start += 1
    name_end = text.find(FILLER * 2, given_start)
    if name_end < 0:
        return line
    name = text[:name_end]
    # A lone K or X after the last given name is a filler misread (OCR-B `<` resembles both); a one-letter
    # given name K or X is rarer than that slip.
    while len(name) > given_start + 2 and name[-2] == FILLER and name[-1] in "KX":
        name = name[:-2]
    return (line[:start] + name + FILLER * length)[:length]


def _majority(values: Sequence[str]) -> str:
    """Per-character majority of equally long strings (ties go to the first reading)."""
    if not values:
        return ""
    chars = []
    for column in zip(*values, strict=True):
        counts = Counter(column)
        top = max(counts.values())
        chars.append(next(c for c in column if counts[c] == top))
    return "".join(chars)


def _swaps(value: str) -> list[tuple[int, str]]:
    """Every letter/digit swap of `value`, fewest swaps first: (swap count, variant)."""
    positions = [i for i, c in enumerate(value) if c in TO_DIGIT or c in TO_LETTER][:_MAX_AMBIGUOUS]
    variants: list[tuple[int, str]] = []
    for r in range(min(len(positions), _MAX_SWAPS) + 1):
        for chosen in itertools.combinations(positions, r):
            chars = list(value)
            for i in chosen:
                chars[i] = TO_DIGIT.get(chars[i]) or TO_LETTER[chars[i]]
            variants.append((r, "".join(chars)))
    return variants


def _checked_options(values: list[tuple[str, str]], kind: Kind) -> list[str]:
    """Candidate (field + check digit) strings that verify, best first; empty when none does."""
    if kind is not Kind.ALNUM:
        votes = Counter(v + c for v, c in values)
        valid = [vc for vc, _ in votes.most_common() if check_holds(vc[:-1], vc[-1])]
        if not valid:
            # Cross combinations: a field read right in one reading and its check digit right in another.
            fields = Counter(v for v, _ in values)
            digits = Counter(c for _, c in values)
            valid = [
                f + d for f, _ in fields.most_common() for d, _ in digits.most_common() if check_holds(f, d)
            ]
        return valid
    # Document numbers and optional data mix letters and digits: try up to two look-alike swaps per reading
    # (more would let a misread field verify by chance: one wrong value in ten passes a check digit).
    # O, Q and I are read as 0, 0 and 1 first: states avoid them in numbers because they look like digits
    # (and O, Q, O at the weights 7, 3, 1 even sum to a multiple of 10, so 000 and OQO share a check digit).
    # Among verified variants: fewest swaps, then the value most readings support.
    ranked: dict[str, tuple[int, int]] = {}
    for (field_value, digit), count in Counter(values).most_common():
        if not digit.isdigit() and digit != FILLER:
            continue
        prior = field_value.translate(_NUMBER_PRIOR)
        for swaps, variant in _swaps(prior):
            if swaps <= _MAX_SWAPS and check_holds(variant, digit):
                key = (swaps, -count)
                option = variant + digit
                ranked[option] = min(ranked.get(option, key), key)
    return sorted(ranked, key=lambda option: ranked[option])


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
        for v in itertools.product(
            *[(c, *(k for k, d in TO_DIGIT.items() if d == TO_DIGIT.get(c))) for c in value]
        )
    }
    known = sorted(v for v in near if v.replace(FILLER, "") in COUNTRY_CODES)
    return known[0] if len(known) == 1 else value


def best_parse(reading: MrzReading) -> MrzParse:
    """The best parse of every reading of one zone, repaired where a check digit or the layout proves it."""
    raw = [
        [normalise_line(x) for x in lines if normalise_line(x)]
        for lines in (reading.lines, *reading.alternatives)
    ]
    layout = _layout_of(raw)
    if layout is None:
        return parse_mrz(reading.lines)
    readings = _aligned(reading, layout)
    if not readings:
        return parse_mrz(reading.lines)
    name_span = layout.span("name")
    agreed_name: str | None = None
    if name_span is not None:
        # Names have no check digit: the reading most readings agree on as a whole, the first on a tie;
        # a per-character vote could splice two misaligned readings into a name nobody read.
        names = Counter(name_span.cut(r) for r in readings)
        top = max(names.values())
        agreed_name = next(n for n in (name_span.cut(r) for r in readings) if names[n] == top)
    # A reading whose every check digit verifies is taken whole (the first such, the primary first): a
    # majority of other readings sharing one misreading must not outvote it. The name is the agreed one.
    for lines_read in readings:
        if parse_mrz(lines_read).valid:
            return parse_mrz(_compose(layout, {"name": agreed_name} if agreed_name else {}, lines_read))
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
    result = parse_mrz(lines)
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
    the composite check digit verifies, when exactly one does."""
    assert layout.composite_at is not None
    names = [n for n in alternatives if len(alternatives[n]) > 1]
    line, column = layout.composite_at
    digits = list(dict.fromkeys([base[line][column], *(r[line][column] for r in readings)]))
    hits: list[list[str]] = []
    for combo in itertools.product(*(alternatives[n][:4] for n in names)):
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
    unique = {tuple(h) for h in hits}
    return list(next(iter(unique))) if len(unique) == 1 else None
