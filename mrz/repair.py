"""Combine the OCR readings of one MRZ and repair only what a check digit or the fixed layout proves.

`repair(reading)` is the room's entry point: the zone decoded from the cell classifier's probabilities where
the reading has them (`mrz.decode`), else combined from the text readings by `best_parse`, as follows.

Steps, each justified by ICAO 9303's layout:
1. `mrz.align` fits every reading to the zone's shape and maps characters a field cannot hold to their
   OCR-B look-alike (O→0 in a date, 0→O in a name, K read as the sex a filler): nothing else fits there.
2. A reading whose every check digit verifies (and that has no filler noise elsewhere) is taken whole; if
   several do, the one the other readings agree with most.
3. Otherwise a field covered by a check digit takes a value the readings actually saw, combined position by
   position where they disagree (at most two departures from the best-supported character), that its check
   digit verifies, ranked by the votes behind it. Nothing is swapped on speculation: every extra hypothesis
   is another one-in-ten chance to verify a wrong value. The composite digit settles ties where it can.
4. Fields without a check digit take a per-character vote; names take the reading most readings agree on
   as a whole. Letters of a name are never changed into other letters; a K or X ending a name token
   becomes a filler only where another reading saw a filler. When no two readings agree on the name, or
   another name has as many readings behind it, `names_confirmed` is False.
5. A check digit cannot tell characters whose values differ by ten apart (0/A/K/U/<, 1/B, 5/Z, 8/S ...),
   and a line refitted to its length can verify by chance, so `unsettled` lists every field that the
   readings themselves do not settle (see `unsettled`). `MrzParse.trusted` (what `mrz_valid` reports)
   needs every check digit, well-formed fields, a confirmed name and nothing unsettled.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
from collections import Counter
from collections.abc import Sequence

from mrz.align import NO_EDIT, NUMBER_PRIOR, TO_DIGIT, Edit, aligned, checks_held, layout_of
from mrz.decode import decode
from mrz.layout import (
    COUNTRY_CODES,
    FILLER,
    TD1,
    Kind,
    Layout,
    Span,
    char_value,
    check_holds,
)
from mrz.parse import MrzParse, normalise_line, parse_mrz, split_name
from schemas.documents import MrzReading

log = logging.getLogger(__name__)

PRIMARY_WEIGHT = 2.5
_MAX_AMBIGUOUS = 6  # positions where readings disagree that are combined in one field
_MAX_CHANGES = 2  # of those, how many may depart from the best-supported character at once


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


def _without_edge_k(name: tuple[str, str]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(token.strip("K") for token in part.split()) for part in name)


def _disputed_final_k(name: str, cuts: Sequence[str]) -> str:
    """A K ending the name, followed only by padding, becomes a filler where some reading saw something
    else there: the padding's first filler read as K glued to the name (MARTIN<<SARAHK<<<). ICAO names
    end in fillers; a name really ending in K can only be confirmed by readings that agree on it, so the
    caller no longer counts the name as confirmed and the document goes to review."""
    end = len(name.rstrip(FILLER)) - 1
    if end < 1 or name[end] != "K" or name[end - 1] == FILLER:
        return name
    # Disputed: a reading saw a filler or a filler look-alike there (not a letter of a shifted reading).
    if not any(cut[end] in FILLER + "EXCS" for cut in cuts):
        return name
    return name[:end] + FILLER + name[end + 1 :]


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


_NO_CHECK = ("document_code", "issuing_state", "nationality", "sex")
_FILLER_LOOKALIKES = "KXE"


def _same_class(a: str, b: str) -> bool:
    """Whether a check digit cannot tell `a` from `b`: their values differ by a multiple of ten."""
    return a != b and (char_value(a) - char_value(b)) % 10 == 0


def _position_settled(
    column: Sequence[str], final: str, refitted: Sequence[bool], tail_filler: bool, checked: bool
) -> bool:
    # A line refitted to its length is no witness: where a character was dropped or added was chosen so that
    # check digits hold, and two binarisations sharing one misreading are refitted alike.
    supporters = [i for i, char in enumerate(column) if char == final and not refitted[i]]
    if len(supporters) >= 2:
        return True
    if len(supporters) != 1 or not checked:
        return False
    others = [char for char in column if char != final]
    if tail_filler and final == FILLER:
        # Padding after the field's value: K there is a filler misread (the commonest slip of one reader),
        # not a character, by the layout rule; anything else the check digit tells from a filler.
        others = [char for char in others if char not in _FILLER_LOOKALIKES]
    # One reading saw it, read at its true length; the others saw characters the check digit tells apart.
    return not any(_same_class(final, char) for char in others)


def _touches(edit: Edit, span: Span) -> bool:
    """Whether a refit's edit region overlaps the field."""
    return edit[0] < span.stop and span.start < edit[1]


def _possible(span: Span, value: str) -> bool:
    """Whether a field without check digit could hold `value` at all (known code, document code, sex)."""
    if span.name in ("issuing_state", "nationality"):
        return value.replace(FILLER, "") in COUNTRY_CODES and value == value.replace(FILLER, "").ljust(3, FILLER)
    if span.name == "document_code":
        return value[0] in "ACIPV" and (value[1].isalpha() or value[1] == FILLER)
    return value in "MFX<"


def _code_settled(span: Span, value: str, readings: Sequence[list[str]], refitted: Sequence[bool]) -> bool:
    """A code or sex (no check digit) is settled when two readings read it so, or, with three readings or
    more, when it is the only value among them that the layout allows (a code no state uses, a document
    code not starting with A, C, I, P or V, a sex of `N` are misreadings, not evidence). In the document
    code a filler after the letter read by one reader as K, C, E or X elsewhere is the same slip as in
    the filler padding."""
    values = [span.cut(r) for r in readings]
    seen = [v for v, moved in zip(values, refitted, strict=True) if not moved]
    if seen.count(value) >= 2:
        return True
    if len(readings) < 3 or value not in seen:
        return False
    rivals = {v for v in values if v != value and _possible(span, v)}
    if span.name == "document_code" and value[1] == FILLER:
        rivals = {v for v in rivals if v[0] != value[0] or v[1] not in _FILLER_LOOKALIKES + "C"}
    return not rivals


def unsettled(
    layout: Layout, lines: list[str], readings: Sequence[list[str]], refitted: Sequence[tuple[Edit, ...]]
) -> tuple[str, ...]:
    """The fields (name aside) that the readings do not settle, so a misreading could pass the checks.

    A check digit cannot tell 0, A, K, U and `<` apart (nor 8 from S, 1 from B, 5 from Z: their values
    differ by ten), a line refitted to its length can shift a field so that it verifies by chance, and codes
    and sex have no check digit at all. So with several readings every character must be read so by two
    of them, or, where a check digit covers it, by one reading at its true length while the others read
    characters that check digit tells apart. One reading alone (a text layer, a test string) is taken as is.
    """
    if len(readings) < 2:
        return ()
    open_fields = []
    for span in layout.spans:
        if span.name == "name":
            continue
        value = span.cut(lines)
        if span.name in _NO_CHECK:
            if not _code_settled(span, value, readings, [_touches(r[span.line], span) for r in refitted]):
                open_fields.append(span.name)
            continue
        checked = span.name not in _NO_CHECK and (
            layout.composite_at is not None or span.check is not None or span.kind is Kind.CHECK
        )
        tail = len(value.rstrip(FILLER))
        # Any refit of the line may have misplaced a checked field (where the characters were dropped or
        # added was chosen so that check digits hold); a field without check digit only where it touches.
        moved = [r[span.line] != NO_EDIT if checked else _touches(r[span.line], span) for r in refitted]
        # A value stitched from several readings, none of which read it whole, is no reading at all: two
        # misaligned readings can each supply the characters a check digit cannot tell apart.
        if value.strip(FILLER) and not any(
            span.cut(r).rstrip(FILLER) == value.rstrip(FILLER) for r, m in zip(readings, moved, strict=True) if not m
        ):
            open_fields.append(span.name)
            continue
        for offset, final in enumerate(value):
            column = [span.cut(r)[offset] for r in readings]
            if not _position_settled(column, final, moved, offset >= tail, checked):
                open_fields.append(span.name)
                break
    return tuple(open_fields)


def repair(reading: MrzReading) -> MrzParse:
    """The best parse of an OCR reading: decoded from the cell classifier's probabilities where the reading
    has them (`mrz.decode`), else combined from its text readings (`best_parse`)."""
    return decode(reading) or best_parse(reading)


def best_parse(reading: MrzReading) -> MrzParse:
    """The best parse of every reading of one zone, repaired where a check digit or the layout proves it."""
    raw = [[normalise_line(x) for x in lines if normalise_line(x)] for lines in (reading.lines, *reading.alternatives)]
    layout = layout_of(raw)
    if layout is None:
        return parse_mrz(reading.lines)
    refitted: list[tuple[Edit, ...]] = []
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
        # Confirmed: read so by two readings, and by more than read any other name (two binarisations of
        # one crop can share a misreading, such as a filler read as K glued to a given name).
        read_as = Counter(split_name(_fillers_from_others(cut, [agreed_name])) for cut in cuts)
        votes = read_as.pop(split_name(agreed_name), 0)
        rival_votes = max(read_as.values(), default=0)
        confirmed = len(cuts) < 2 or (votes >= 2 and votes > rival_votes)
        # A reading of the same name but for a K at the edge of a part (`KLIZA` / `LIZA`) disputes that
        # K: a filler read as K is the commonest slip, and binarisations of one crop share it.
        if any(_without_edge_k(rival) == _without_edge_k(split_name(agreed_name)) for rival in read_as):
            confirmed = False
        disputed = _disputed_final_k(agreed_name, cuts)
        if disputed != agreed_name:
            agreed_name, confirmed = disputed, False  # the layout's best guess, for review only
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
            # (the name line's padding aside)
            name_line = name_span.line if name_span is not None else -1
            return agree, all(edit == NO_EDIT for i, edit in enumerate(refitted[index]) if i != name_line)

        def known_codes(index: int) -> int:
            # A reading whose country codes are codes states use beats one that verifies with a code nobody
            # uses (the parse allows unknown codes, as specimens carry codes of their own).
            spans = [layout.span(name) for name in ("issuing_state", "nationality")]
            return sum(s.cut(readings[index]).replace(FILLER, "") in COUNTRY_CODES for s in spans if s)

        best = readings[max(whole, key=lambda i: (known_codes(i), support(i)))]
        result = parse_mrz(_compose(layout, {"name": agreed_name} if agreed_name else {}, best))
        return dataclasses.replace(
            result, names_confirmed=confirmed, unsettled=unsettled(layout, list(result.lines), readings, refitted)
        )
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
    if not layout.composite_holds(lines):
        lines = _settle_by_composite(layout, chosen, alternatives, base, readings) or lines
    result = parse_mrz(lines)
    result = dataclasses.replace(
        result, names_confirmed=confirmed, unsettled=unsettled(layout, list(result.lines), readings, refitted)
    )
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
            if layout.composite_holds(candidate):
                hits.append(candidate)
                if number == 0 and preferred is None:
                    preferred = candidate
    unique = {tuple(h) for h in hits}
    if len(unique) == 1:
        return list(next(iter(unique)))
    return preferred
