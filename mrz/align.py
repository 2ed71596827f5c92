"""Bring OCR readings of an MRZ into the zone's exact shape before they are combined.

Each reading is cut to its 2 or 3 zone lines, every line is fitted to the layout's length (adding fillers
or dropping characters where the most characters then fit their field's kind and the most check digits and
country codes hold), characters impossible in a field are mapped to their OCR-B look-alike, and filler
noise the layout rules out (`<KKK` padding, K/X after a name) is made filler again. Used by
`mrz.repair`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from mrz.layout import COUNTRY_CODES, FILLER, Kind, Layout, check_holds, kinds_of, layout_for
from mrz.parse import normalise_line
from schemas.documents import MrzReading

TO_DIGIT = dict(zip("OQDUILZSGBTAE", "0000112568748", strict=True))
TO_LETTER = {"0": "O", "1": "I", "2": "Z", "5": "S", "6": "G", "8": "B", "7": "T", "4": "A"}
# In document numbers O, Q and I are read as 0, 0 and 1 (see mrz.repair._checked_options).
NUMBER_PRIOR = str.maketrans({"O": "0", "Q": "0", "I": "1"})
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
    """How many check digits on this line verify their field (after the layout-proven mappings), plus
    one for each country code on it that is a known one."""
    held = 0
    kinds = kinds_of(layout, line)
    mapped = "".join(_map_kind(c, k) for c, k in zip(text, kinds, strict=False))
    for span in layout.spans:
        pair = layout.span(span.check) if span.check else None
        if span.line == line and pair is not None and pair.line == line and len(mapped) >= pair.stop:
            held += check_holds(mapped[span.start : span.stop], mapped[pair.start])
        if span.line == line and span.name in ("nationality", "issuing_state") and len(mapped) >= span.stop:
            held += mapped[span.start : span.stop].replace(FILLER, "") in COUNTRY_CODES
    return held


def checks_held(layout: Layout, lines: list[str]) -> int:
    return sum(_checks_on_line(layout, i, line) for i, line in enumerate(lines))


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


def layout_of(candidates: list[list[str]]) -> Layout | None:
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
    best = min(range(len(clean) - count + 1), key=lambda i: sum(abs(len(x) - length) for x in clean[i : i + count]))
    return clean[best : best + count]


Edit = tuple[int, int]  # columns [start, stop) of a fitted line where characters may have been added or dropped
NO_EDIT: Edit = (0, 0)


def edit_region(raw: str, fitted: str) -> Edit:
    """Where in `fitted` the characters added to or dropped from `raw` may sit: between the longest common
    prefix and the longest common suffix (inside a run of equal characters any position of it)."""
    if raw == fitted:
        return NO_EDIT
    length = len(fitted)
    if abs(len(raw) - length) > 3:
        return (0, length)  # cut or padded without a fit: nothing on the line is in place for sure
    prefix = next((i for i, (a, b) in enumerate(zip(raw, fitted, strict=False)) if a != b), min(len(raw), length))
    suffix = next(
        (i for i, (a, b) in enumerate(zip(reversed(raw), reversed(fitted), strict=False)) if a != b),
        min(len(raw), length),
    )
    start, stop = sorted((prefix, length - suffix))
    return (start, max(stop, start + 1))


def aligned(reading: MrzReading, layout: Layout, refitted: list[tuple[Edit, ...]] | None = None) -> list[list[str]]:
    """Every reading with the zone's shape, fitted to its line length; `refitted` collects, per reading
    kept, the edit region of each of its lines (NO_EDIT where the line was read at its true length): a
    field that a refit touched can verify by chance, as the refit was chosen so that check digits hold."""
    out: list[list[str]] = []
    for raw in (reading.lines, *reading.alternatives):
        lines = _select_lines(raw, layout.line_count, layout.line_length)
        if len(lines) != layout.line_count:
            continue
        fitted = []
        edits: list[Edit] = []
        name = layout.span("name")
        for i, line in enumerate(lines):
            kinds = kinds_of(layout, i)
            if name is not None and i == name.line:
                line = _cut_name_noise(line, name.start, layout.line_length)
            fit = _fit_line(line, layout.line_length, kinds, layout, i)
            edits.append(edit_region(line, fit))
            mapped = "".join(_map_kind(c, k) for c, k in zip(fit, kinds, strict=True))
            fitted.append(_filler_tails(layout, i, mapped))
        out.append(fitted)
        if refitted is not None:
            refitted.append(tuple(edits))
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
                chars[span.start : span.stop] = "".join(chars[span.start : span.stop]).translate(NUMBER_PRIOR)
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
