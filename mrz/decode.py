"""Decode an MRZ from the OCR-B cell classifier's probabilities, the text OCR's readings as further evidence.

The cell classifier (`mrz.glyphs`) gives, for every character cell of the zone, a probability for each
character of the MRZ alphabet. Decoding chooses the most probable zone that ICAO 9303 allows:

1. Every cell is restricted to what its field may hold (digits in dates, letters and fillers in names).
2. The text OCR's readings (tesseract) are independent evidence: where one was read at the zone's true
   length, each cell's probabilities are multiplied by how likely tesseract is to print what it printed if
   the cell held each character (`mrz.confusion`, measured on rendered zones).
3. A field with a check digit takes the most probable value *that its check digit verifies*, and its
   certainty is that value's share of the probability of every value that verifies (computed exactly by
   dynamic programming over the check sum modulo 10). The composite check digit then chooses among each
   field's best few values.
4. Fields without a check digit (codes, sex, names, optional data) take the most probable character of
   every cell; a country code takes the most probable code that states use unless the cells clearly show
   another (specimens carry codes of their own). Their certainty is the weakest cell's probability.
   Where the cells plainly show digits in a code, the code is kept as printed (certainty 0, for review):
   turning them into letters would invent a value no check digit can prove.

`MrzParse.trusted` (what `mrz_valid` reports) then needs every check digit and every field certain
(`CERTAIN`): a reading that verifies but whose cells could as well say something else goes to review.
"""

from __future__ import annotations

import dataclasses
import heapq
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mrz.align import NO_EDIT, Edit, aligned
from mrz.confusion import likelihood
from mrz.layout import (
    ALLOWED,
    ALPHABET,
    COUNTRY_CODES,
    FILLER,
    TD1,
    Kind,
    Layout,
    char_value,
    check_digit,
    kinds_of,
    layout_for,
)
from mrz.parse import MrzParse, parse_mrz
from schemas.documents import MrzReading

CERTAIN = 0.97  # a field's certainty from which it is trusted without review
_CODE_LETTERS = "ACIPV"
_UNLISTED = 0.02  # prior odds of a country code no state uses against one in ICAO's list
# A repair the check digits ask for is made only where the cells make it at least this plausible (log odds
# against the zone as read): beyond that the repair would be invented, and the zone stays as read, failing.
_REPAIR_ODDS = float(np.log(1e-3))
# Document numbers avoid letters that look like digits (states leave out O, Q and I there): prior odds.
_NUMBER_LETTER_PRIOR = {"O": 0.2, "Q": 0.2, "I": 0.2}
# Most documents leave their optional data empty, and a stamp or a pen stroke across fillers leaves strokes the
# cells and tesseract take for a letter (`AFG<<<` read as `AFGK<<`): prior odds of anything but a filler there.
_OPTIONAL_DATA_PRIOR = 0.3
_UNLIKE_LETTERS = "3479"  # digits no letter of OCR-B resembles (unlike 0/O/D/Q, 1/I, 2/Z, 5/S, 6/G, 8/B)
_PLAINLY = 0.9  # a cell's probability of a character from which the cells plainly show it
_FLOOR = 1e-5  # probability of a character the classifier did not list for a cell
_KEEP = 8  # best partial values kept per residue of the check sum
_OPTIONS = 5  # likeliest characters per cell tried
_WEIGHTS = (7, 3, 1)
_VALUES = np.array([char_value(c) for c in ALPHABET])


@dataclass(frozen=True)
class _Choice:
    text: str  # the field's characters, its check digit last where it has one
    log_probability: float


def _matrix(reading: MrzReading, layout: Layout) -> np.ndarray | None:
    """log probabilities (lines, length, 37) from the reading's cells; None when they do not fit `layout`."""
    if len(reading.cells) != layout.line_count or any(len(line) != layout.line_length for line in reading.cells):
        return None
    matrix = np.full((layout.line_count, layout.line_length, len(ALPHABET)), _FLOOR)
    for i, line in enumerate(reading.cells):
        for j, cell in enumerate(line):
            for char, p in zip(cell.chars, cell.probabilities, strict=True):
                matrix[i, j, ALPHABET.index(char)] = max(p, _FLOOR)
    matrix /= matrix.sum(axis=2, keepdims=True)
    return np.log(matrix)


def _with_evidence(
    matrix: np.ndarray, layout: Layout, texts: Sequence[tuple[str, ...]], line_height: float
) -> np.ndarray:
    """`matrix` times the likelihood of the text readings, where they were read at the zone's true length.

    The readings are binarisations of one crop through one engine, so they share their misreadings: they
    count as one witness (the mean of their log likelihoods), not as several."""
    if not texts:
        return matrix
    table = likelihood(line_height)
    refitted: list[tuple[Edit, ...]] = []
    readings = aligned(MrzReading(lines=texts[0], alternatives=tuple(texts[1:])), layout, refitted)
    evidence = np.zeros_like(matrix)
    witnesses = np.zeros(matrix.shape[:2])
    for lines, edits in zip(readings, refitted, strict=True):
        for i, (line, edit) in enumerate(zip(lines, edits, strict=True)):
            for j, char in enumerate(line):
                if edit != NO_EDIT and edit[0] <= j < edit[1]:
                    continue  # a character added or dropped around here: the reading is not in place
                evidence[i, j] += table[:, ALPHABET.index(char)]
                witnesses[i, j] += 1
    fused = matrix + evidence / np.maximum(witnesses, 1)[:, :, None]
    return fused - np.logaddexp.reduce(fused, axis=2, keepdims=True)


def _optional_data_prior(matrix: np.ndarray, layout: Layout) -> np.ndarray:
    """`matrix` with the prior odds `_OPTIONAL_DATA_PRIOR` on every character but the filler in optional data."""
    prior = np.full(len(ALPHABET), np.log(_OPTIONAL_DATA_PRIOR))
    prior[ALPHABET.index(FILLER)] = 0.0
    out = matrix.copy()
    for span in layout.spans:
        if span.name.startswith("optional_data") and span.kind is Kind.ALNUM:
            out[span.line, span.start : span.stop] += prior
    return out - np.logaddexp.reduce(out, axis=2, keepdims=True)


def _allowed(kind: Kind) -> np.ndarray:
    mask = np.full(len(ALPHABET), -np.inf)
    mask[[ALPHABET.index(c) for c in ALLOWED[kind]]] = 0.0
    return mask


def _checked(cells: np.ndarray, check: np.ndarray, kinds: Sequence[Kind]) -> tuple[list[_Choice], float]:
    """The best values (data + check digit) that verify, best first, and the log probability of all that do.

    `cells`: (n, 37) log probabilities of the data cells; `check`: (37,) of the check digit's cell."""
    data = cells + np.stack([_allowed(k) for k in kinds])
    digits = check + _allowed(Kind.NUMERIC)
    # Exact probability of every verifying value: dynamic programming over the weighted sum modulo 10.
    alpha = np.full(10, -np.inf)
    alpha[0] = 0.0
    for j, row in enumerate(data):
        shift = (_WEIGHTS[j % 3] * _VALUES) % 10
        grouped = np.full(10, -np.inf)
        for s in range(10):
            members = row[shift == s]
            grouped[s] = np.logaddexp.reduce(members) if members.size else -np.inf
        alpha = np.array([np.logaddexp.reduce(alpha[(r - np.arange(10)) % 10] + grouped) for r in range(10)])
    all_filler = float(data[:, ALPHABET.index(FILLER)].sum())
    digit_at = [ALPHABET.index(str(d)) for d in range(10)]
    total = float(np.logaddexp.reduce(alpha + digits[digit_at]))
    total = float(np.logaddexp(total, all_filler + check[ALPHABET.index(FILLER)]))
    # The best few verifying values: the best few partial values for every residue of the weighted sum,
    # cell by cell over each cell's likeliest characters (exact for those characters).
    best: dict[int, list[tuple[float, str]]] = {0: [(0.0, "")]}
    for j, row in enumerate(data):
        options = [int(i) for i in np.argsort(-row)[:_OPTIONS] if np.isfinite(row[i])]
        grown: dict[int, list[tuple[float, str]]] = {}
        for residue, partials in best.items():
            for i in options:
                step = (residue + _WEIGHTS[j % 3] * int(_VALUES[i])) % 10
                grown.setdefault(step, []).extend((lp + float(row[i]), text + ALPHABET[i]) for lp, text in partials)
        best = {residue: heapq.nlargest(_KEEP, items) for residue, items in grown.items()}
    choices = [
        _Choice(text + str(residue), lp + float(digits[digit_at[residue]]))
        for residue, partials in best.items()
        for lp, text in partials
    ]
    choices.append(_Choice(FILLER * len(kinds) + FILLER, all_filler + float(check[ALPHABET.index(FILLER)])))
    choices.sort(key=lambda c: -c.log_probability)
    return choices[:8], total


@dataclass
class _Zone:
    """The decoded characters of the zone and the certainty of each field."""

    layout: Layout
    chars: list[list[str]]
    certainty: dict[str, float]

    def put(self, positions: Sequence[tuple[int, int]], text: str) -> None:
        for (i, j), char in zip(positions, text, strict=True):
            self.chars[i][j] = char

    def lines(self) -> list[str]:
        return ["".join(line) for line in self.chars]


def _positions(layout: Layout, name: str) -> list[tuple[int, int]]:
    span = layout.span(name)
    return [] if span is None else [(span.line, j) for j in range(span.start, span.stop)]


def _checked_fields(layout: Layout, lines: list[str]) -> list[tuple[str, list[tuple[int, int]], tuple[int, int]]]:
    """(field name, data cells, check digit cell) of every field a check digit covers. A TD1 document number
    longer than nine characters runs on into the optional data, its check digit after it (Part 5, note j)."""
    fields = []
    for span in layout.spans:
        pair = layout.span(span.check) if span.check else None
        if pair is None:
            continue
        data, digit = _positions(layout, span.name), (pair.line, pair.start)
        if layout is TD1 and span.name == "document_number" and lines[0][14] == FILLER:
            overflow = lines[0][15:].split(FILLER, 1)[0]
            if len(overflow) >= 2:
                data += [(0, 15 + k) for k in range(len(overflow) - 1)]
                digit = (0, 15 + len(overflow) - 1)
        fields.append((span.name, data, digit))
    return fields


def _country(cells: np.ndarray) -> tuple[str, float]:
    """The likeliest code for the cells (log probabilities, one row per character), where a code states use
    is `_UNLISTED` times likelier beforehand than one no state uses (specimens carry codes of their own),
    and its posterior probability."""
    width = cells.shape[0]
    codes = [c.ljust(width, FILLER) for c in sorted(COUNTRY_CODES) if len(c) <= width]  # a tie: the same code every run
    index = np.array([[ALPHABET.index(ch) for ch in code] for code in codes])
    known = cells[np.arange(width)[None, :], index].sum(axis=1)
    free = "".join(ALPHABET[i] for i in cells.argmax(axis=1))
    free_lp = float(cells.max(axis=1).sum())
    # Every string's probability sums to one over the cells: what the listed codes do not hold is unlisted.
    known_mass = float(np.logaddexp.reduce(known))
    unlisted_mass = np.log1p(-min(np.exp(known_mass), 1 - 1e-12)) + np.log(_UNLISTED)
    total = float(np.logaddexp(known_mass, unlisted_mass))
    best = int(np.argmax(known))
    if free not in codes and free_lp + np.log(_UNLISTED) > float(known[best]):
        return free, float(np.exp(free_lp + np.log(_UNLISTED) - total))
    return codes[best], float(np.exp(float(known[best]) - total))


def _printed_outside_field(cells: np.ndarray, decoded: str) -> str | None:
    """What the cells plainly show where that breaks the field's rule (digits in a country code, as some
    specimens print): the decoded code would then be letters the cells do not show, an invented value no
    check digit could prove, so the zone keeps what is printed. Only a digit that resembles no letter
    proves digits were printed. None where the decoded code is what is printed. `cells`: the field's
    unrestricted log probabilities."""
    free = [ALPHABET[k] for k in cells.argmax(axis=1)]
    plain = np.exp(cells.max(axis=1)) >= _PLAINLY
    # A digit that looks like a letter (0/O, 1/I, 2/Z ...) is no proof: small print blurs them together.
    if not any(plain[j] and free[j] != decoded[j] and free[j] in _UNLIKE_LETTERS for j in range(len(free))):
        return None
    return "".join(free)


def _composite_settled(zone: _Zone, options: dict[str, tuple[list[tuple[int, int]], tuple[int, int], list[_Choice]]],
                       matrix: np.ndarray) -> None:  # fmt: skip
    """The most probable combination of the fields' best few values and the composite digit's cell that the
    composite check digit verifies, and its share of all combinations that verify."""
    layout = zone.layout
    assert layout.composite_at is not None
    line, column = layout.composite_at

    def composite(lines: list[str]) -> str:
        return check_digit("".join(lines[i][a:b] for i, a, b in layout.composite))

    as_read = [list(chars) for chars in zone.chars]
    read_lp = sum(options[n][2][0].log_probability for n in options) + float(matrix[line, column].max())
    names = list(options)
    scored: list[tuple[float, tuple[_Choice, ...], str]] = []
    for combo in itertools.product(*(options[n][2][:4] for n in names)):
        for name, choice in zip(names, combo, strict=True):
            data, digit, _ = options[name]
            zone.put([*data, digit], choice.text)
        digit_char = composite(zone.lines())
        lp = sum(c.log_probability for c in combo) + float(matrix[line, column, ALPHABET.index(digit_char)])
        scored.append((lp, combo, digit_char))
    best = max(scored, key=lambda item: item[0])
    if best[0] < read_lp + _REPAIR_ODDS:
        # No combination the cells make plausible verifies: the zone stays as read, the composite failing.
        zone.chars = as_read
        zone.certainty["composite"] = 0.0
        return
    for name, choice in zip(names, best[1], strict=True):
        data, digit, _ = options[name]
        zone.put([*data, digit], choice.text)
    zone.chars[line][column] = best[2]
    total = float(np.logaddexp.reduce([lp for lp, _, _ in scored]))
    zone.certainty["composite"] = float(np.exp(best[0] - total))


def _stray_marks_cleared(zone: _Zone, matrix: np.ndarray) -> None:
    """Optional data without a check digit of its own, cleared of what a stamp or a pen stroke left across its
    fillers (`<<<<K<<<<<C`, `<<<<<Z<`), where the layout and the composite check digit prove it.

    A state writes its optional data from the field's start and fills the rest (ICAO 9303 Part 3): a field
    whose first character is a filler holds no data, so a character further on is ink across its fillers. The
    cells cannot tell (a stroke across a filler looks like a letter to them, and the composite digit is then
    made to fit it: `C` and `8` for `<` and `2`); the field becomes fillers only where the composite check
    digit, as its cell reads it, then verifies. The field's certainty is then its fillers' weakest
    probability: the cells did not see them, so a clerk checks."""
    layout = zone.layout
    assert layout.composite_at is not None
    line, column = layout.composite_at
    chars = [list(row) for row in zone.chars]
    cleared = []
    for span in layout.spans:
        if not span.name.startswith("optional_data") or span.check is not None or span.kind is not Kind.ALNUM:
            continue
        text = "".join(chars[span.line][span.start : span.stop])
        if text[0] == FILLER and text != FILLER * len(text):
            chars[span.line][span.start : span.stop] = [FILLER] * len(text)
            cleared.append(span)
    if not cleared:
        return
    chars[line][column] = ALPHABET[int(matrix[line, column].argmax())]
    lines = ["".join(row) for row in chars]
    if check_digit("".join(lines[i][a:b] for i, a, b in layout.composite)) != chars[line][column]:
        return
    zone.chars = chars
    filler = ALPHABET.index(FILLER)
    for span in cleared:
        zone.certainty[span.name] = float(np.exp(matrix[span.line, span.start : span.stop, filler].min()))


def _name_end(name: str) -> int:
    """Where the name in a name field ends: after the `<<` that follows the given names (or the surname,
    when there are none). By the layout rule everything after that is filler; -1 when no `<<` ends it."""
    start = len(name) - len(name.lstrip(FILLER))
    separator = name.find(FILLER * 2, start)
    if separator < 0:
        return -1
    given = separator + 2
    while given < len(name) and name[given] == FILLER:
        given += 1
    end = name.find(FILLER * 2, given)
    if given >= len(name):  # no given names: the surname's `<<` ends the name
        return separator + 2
    return -1 if end < 0 else end + 2


def decode(reading: MrzReading) -> MrzParse | None:
    """The most probable zone the layout and check digits allow; None without cells that fit a layout."""
    if not reading.cells:
        return None
    first = "".join(cell.chars[0] for cell in reading.cells[0])
    layout = layout_for(len(reading.cells), len(reading.cells[0]), first[:1])
    if layout is None:
        return None
    raw = _matrix(reading, layout)
    if raw is None:
        return None
    matrix = _optional_data_prior(
        _with_evidence(raw, layout, [r for r in reading.alternatives if r], reading.line_height), layout
    )
    kinds = [kinds_of(layout, i) for i in range(layout.line_count)]
    # Each cell's probabilities among the characters its field allows.
    masked = matrix + np.array([[_allowed(k) for k in line] for line in kinds])
    code = layout.span("document_code")
    if code is not None:  # a document code starts with A, C, I, P or V (ICAO 9303 Part 4 to 7)
        masked[code.line, code.start, [ALPHABET.index(c) for c in ALPHABET if c not in _CODE_LETTERS]] = -np.inf
    masked -= np.logaddexp.reduce(masked, axis=2, keepdims=True)
    zone = _Zone(layout, [[ALPHABET[k] for k in masked[i].argmax(axis=1)] for i in range(layout.line_count)], {})
    # Fields without a check digit: the likeliest character of each cell (codes: a code states use).
    for span in layout.spans:
        if span.check is not None or span.kind is Kind.CHECK:
            continue
        cells = masked[span.line, span.start : span.stop]
        if span.name in ("issuing_state", "nationality"):
            text, certainty = _country(cells)
            printed = _printed_outside_field(matrix[span.line, span.start : span.stop], text)
            if printed is not None:
                text, certainty = printed, 0.0  # kept as printed, not made into letters: for review
        else:
            text = "".join(ALPHABET[k] for k in cells.argmax(axis=1))
            end = _name_end(text) if span.name == "name" else -1
            if end > 0:
                # What follows the name's end is filler by the layout rule, whatever the cells made of it.
                text = text[:end] + FILLER * (len(text) - end)
                cells = cells[:end]
            certainty = float(np.exp(cells.max(axis=1).min()))
        zone.put(_positions(layout, span.name), text)
        zone.certainty[span.name] = certainty
    # Fields with a check digit: the likeliest value that verifies, and its share of all that verify.
    options: dict[str, tuple[list[tuple[int, int]], tuple[int, int], list[_Choice]]] = {}
    for name, data, digit in _checked_fields(layout, zone.lines()):
        cells = np.stack([matrix[i, j] for i, j in data])
        if name == "document_number":
            for letter, odds in _NUMBER_LETTER_PRIOR.items():
                cells[:, ALPHABET.index(letter)] += np.log(odds)
        field_kinds = [kinds[i][j] for i, j in data]
        choices, total = _checked(cells, matrix[digit], field_kinds)
        as_read = np.vstack([cells, matrix[digit][None]]) + np.stack([_allowed(k) for k in [*field_kinds, Kind.CHECK]])
        read_lp = float(as_read.max(axis=1).sum())
        if choices[0].log_probability < read_lp + _REPAIR_ODDS:
            # No value the cells make plausible verifies: a repair would be invented. Kept as read, failing.
            zone.put([*data, digit], "".join(ALPHABET[k] for k in as_read.argmax(axis=1)))
            zone.certainty[name] = 0.0
            options[name] = (data, digit, [_Choice("".join(ALPHABET[k] for k in as_read.argmax(axis=1)), read_lp)])
            continue
        zone.put([*data, digit], choices[0].text)
        zone.certainty[name] = float(np.exp(choices[0].log_probability - total))
        options[name] = (data, digit, choices)
    if layout.composite_at is not None:
        _composite_settled(zone, options, masked)
        _stray_marks_cleared(zone, masked)
    parsed = parse_mrz(zone.lines())
    doubtful = tuple(sorted(n for n, c in zone.certainty.items() if c < CERTAIN and n != "name"))
    return dataclasses.replace(
        parsed,
        names_confirmed=zone.certainty.get("name", 1.0) >= CERTAIN,
        unsettled=doubtful,
        certainty=dict(zone.certainty),
    )
