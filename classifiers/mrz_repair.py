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
import re
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
PRIMARY_WEIGHT = 2.5
_MAX_AMBIGUOUS = 6  # positions where readings disagree that are combined in one field
_MAX_CHANGES = 2  # of those, how many may depart from the best-supported character at once
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
    """`line` brought to `length` by adding fillers or dropping characters where the most characters then
    fit their field and the most check digits hold (a doubled character or filler is a common OCR slip)."""
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
                step.update(text[:i] + text[i + 1 :] for i in range(len(text)))
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
            mapped = "".join(_map_kind(c, k) for c, k in zip(line, kinds, strict=True))
            fitted.append(_filler_tails(layout, i, mapped))
        out.append(fitted)
    return out


_FILLER_TAIL = re.compile(r"<[<KX]*$")


def _filler_tails(layout: Layout, line: int, text: str) -> str:
    """In a number or optional field, what follows its first filler and is only K, X and fillers is filler
    padding misread: K has the value 20 and a filler 0, so no check digit can tell them apart. In the
    document number O, Q and I are read as digits (see `_checked_options`)."""
    chars = list(text)
    for span in layout.spans:
        if span.line == line and span.kind is Kind.ALNUM:
            value = text[span.start : span.stop]
            match = _FILLER_TAIL.search(value)
            if match:
                chars[span.start + match.start() : span.stop] = FILLER * (len(value) - match.start())
            if span.name == "document_number":
                chars[span.start : span.stop] = "".join(chars[span.start : span.stop]).translate(_NUMBER_PRIOR)
    return "".join(chars)


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
    # A last "given name" made of K and X only (KKKK, K) is fillers misread: OCR-B `<` resembles both, and
    # a one-letter given name K or X is rarer than that slip.
    head, _, last = name.rpartition(FILLER)
    while len(head) >= given_start and last and set(last) <= {"K", "X"}:
        name = head
        head, _, last = name.rpartition(FILLER)
    return (line[:start] + name + FILLER * length)[:length]


def _fillers_from_others(name: str, others: Sequence[str]) -> str:
    """A K or X beside a filler in the chosen name becomes a filler where another reading saw a filler
    there: fillers misread as K are the commonest slip of one reader and rarely of another. Letters are
    never changed into other letters."""
    chars = list(name)
    for i, char in enumerate(name):
        beside_filler = (i > 0 and name[i - 1] == FILLER) or (i + 1 < len(name) and name[i + 1] == FILLER)
        if char in "KX" and beside_filler and any(other[i] == FILLER for other in others):
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
        strings = [text[:-1].translate(_NUMBER_PRIOR) + text[-1] for text in strings]
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
        # A name that runs into the end of its field without fillers, where fillers were read as letters,
        # loses to one that ends as the layout says names end.
        cuts = [name_span.cut(r) for r in readings]
        names = Counter(cuts)
        agreed_name = _fillers_from_others(max(cuts, key=lambda n: (n.endswith(FILLER * 3), names[n])), cuts)
    # A reading whose every check digit verifies is taken whole (the first such, the primary first): a
    # majority of other readings sharing one misreading must not outvote it. The name is the agreed one.
    # Several readings may verify with different values (a check digit cannot tell 0 from U, K, A or <,
    # whose values are all 0 modulo 10): the one the most readings agree with, field by field, wins.
    whole = [r for r in readings if parse_mrz(r).valid and not _noisy(layout, r)]
    if whole:

        def support(lines_read: list[str]) -> int:
            return sum(span.cut(lines_read) == span.cut(other) for other in readings for span in layout.spans)

        best = max(whole, key=support)
        return parse_mrz(_compose(layout, {"name": agreed_name} if agreed_name else {}, best))
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
