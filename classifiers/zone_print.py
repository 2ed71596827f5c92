"""MRZ fields the visual zone settles (issue 17): where the MRZ reader had to guess characters of a date, the
document number or a state's code, the value the visual inspection zone (VIZ) prints is taken instead
of the guess, when nothing in the zone can tell them apart.

A check digit proves less than it seems where a reading left several digits in doubt: `6G041A` (a stamp or a
fax over the zone) repairs to `640411` as well as to `610410`, both checked by the same digit, and to both the
composite digit may agree. The VIZ prints the date in full (`10.04.1961`). It is taken only where it differs
from the decoded date at no digit but those the reading doubted (a character the decoder replaced, one another
reading of the zone shows otherwise, one the cell reader was not sure of or thought might be another), the
field's check digit and the composite digit hold for it as they did for the decoded date, and its printed line
was read confidently. A document number guessed at two characters or more is settled the same way by the number
the VIZ prints, read as one legible word.

No check digit covers the issuing state or the nationality: a stamp over `TUR` reads `IUK`, which is no ICAO
code. Where the decoded code is none, a legible VIZ word that is an ICAO code of its length and differs from it
only at doubted letters, and is the only such word, is the code (a code the zone decodes, however unsure, stays:
the VIZ prints the holder's nationality beside the issuing state's code, `SYR` beside `D`). Anything less
leaves the MRZ's value, and the cross-check (`classifiers.viz`) says where the VIZ disagrees.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from classifiers.viz import _dates, _lines, _outside_zone  # the cross-check's own reading of printed dates
from mrz.layout import COUNTRY_CODES, FILLER, Layout, check_digit, check_holds, layout_for
from mrz.parse import iso_date, normalise_line
from schemas.documents import MrzDecoded, MrzReading, Word

__all__ = ["settled_by_print"]

SURE_LINE = 0.85  # a printed date is taken over the MRZ's guess only from a line read at least this surely
DOUBT = 0.05  # a cell's other letter at least this likely, or its own this far from certain: the reader doubted it
DATES = ("birth_date", "expiry_date")
CODES = ("issuing_state", "nationality")  # the zone's state codes, which no check digit covers
_NOT_ALNUM = re.compile(r"[^A-Z0-9]")


def _doubted(reading: MrzReading, lines: Sequence[str], line: int, columns: range) -> set[int]:
    """The columns of a zone line where the reading was in doubt: another reading, or the raw one, shows
    another character than the decoded zone, or the cell reader gave another character some probability."""
    readings = [tuple(normalise_line(x) for x in reading.lines), *reading.alternatives]
    out = set()
    for column in columns:
        decoded = lines[line][column]
        for other in readings:
            if line < len(other) and len(other[line]) == len(lines[line]) and other[line][column] != decoded:
                out.add(column)
        if line < len(reading.cells) and column < len(reading.cells[line]):
            cell = reading.cells[line][column]
            chances = dict(zip(cell.chars, cell.probabilities, strict=False))
            if chances.get(decoded, 0.0) < 1 - DOUBT or any(c != decoded and p >= DOUBT for c, p in chances.items()):
                out.add(column)
    return out


def settled_by_print(parse: MrzDecoded, reading: MrzReading, words: Sequence[Word]) -> MrzDecoded:
    """The decoded zone with each date and code the VIZ settles (see the module docstring) put in: its field
    and the zone's lines; the zone as decoded where none is."""
    lines = list(parse.lines)
    layout = layout_for(len(lines), len(lines[0]), lines[0][:2]) if lines else None
    if layout is None or any(len(line) != layout.line_length for line in lines):
        return parse
    outside = _outside_zone(words, reading.bbox, parse.lines)
    fields = dict(parse.fields)
    lines = _settled_dates(fields, lines, layout, reading, outside)
    for name in CODES:
        lines = _settled_code(name, fields, lines, layout, reading, outside)
    lines = _settled_number(fields, lines, layout, reading, outside)
    if fields == parse.fields:
        return parse
    return parse.model_copy(update={"fields": fields, "lines": tuple(lines)})


def _put(lines: list[str], line: int, start: int, text: str) -> list[str]:
    out = list(lines)
    out[line] = out[line][:start] + text + out[line][start + len(text) :]
    return out


def _settled_code(
    name: str,
    fields: dict[str, str | None],
    lines: list[str],
    layout: Layout,
    reading: MrzReading,
    words: Sequence[Word],
) -> list[str]:
    span = layout.span(name)
    read = fields.get(name) or ""
    if span is None or not read or read in COUNTRY_CODES:
        return lines
    decoded = span.cut(lines)
    doubted = _doubted(reading, lines, span.line, range(span.start, span.stop))
    seen = {w.text.strip(".,:;()") for w in words if w.confidence >= SURE_LINE}
    fits = set()
    for code in seen & COUNTRY_CODES:
        padded = code.ljust(span.length, FILLER)
        differing = {span.start + k for k in range(span.length) if padded[k] != decoded[k]}
        if len(code) == len(read) and len(padded) == span.length and differing and differing <= doubted:
            fits.add(code)
    if len(fits) != 1:
        return lines
    code = fits.pop()
    fields[name] = code
    return _put(lines, span.line, span.start, code.ljust(span.length, FILLER))


def _settled_number(
    fields: dict[str, str | None], lines: list[str], layout: Layout, reading: MrzReading, words: Sequence[Word]
) -> list[str]:
    span = layout.span("document_number")
    check = layout.span(span.check) if span is not None and span.check else None
    number = fields.get("document_number") or ""
    if span is None or check is None or not number or number.ljust(span.length, FILLER) != span.cut(lines):
        return lines  # a number longer than its field goes on in the optional data, checked there
    decoded = span.cut(lines)
    doubted = _doubted(reading, lines, span.line, range(span.start, span.stop))
    fits = set()
    for word in words:
        token = _NOT_ALNUM.sub("", word.text.upper())
        if word.confidence < SURE_LINE or len(token) != len(number) or token == number:
            continue
        padded = token.ljust(span.length, FILLER)
        differing = {span.start + k for k in range(span.length) if padded[k] != decoded[k]}
        trial = _put(lines, span.line, span.start, padded)
        if differing <= doubted and check_holds(padded, check.cut(trial)) and layout.composite_holds(trial):
            fits.add(token)
    if len(fits) != 1:
        return lines
    token = fits.pop()
    fields["document_number"] = token
    return _put(lines, span.line, span.start, token.ljust(span.length, FILLER))


def _settled_dates(
    fields: dict[str, str | None], lines: list[str], layout: Layout, reading: MrzReading, words: Sequence[Word]
) -> list[str]:
    printed: dict[str, float] = {}
    for line in _lines(words):
        if line.confidence >= SURE_LINE:
            for reference in (fields.get(name) for name in DATES):
                for day in _dates(line.text, int(reference[:4])) if reference else ():
                    printed[day] = max(printed.get(day, 0.0), line.confidence)
    for name in DATES:
        span = layout.span(name)
        check = layout.span(span.check) if span is not None and span.check else None
        if span is None or check is None or not fields.get(name) or fields[name] in printed:
            continue
        decoded = span.cut(lines)
        doubted = _doubted(reading, lines, span.line, range(span.start, span.stop))
        fits = []
        for day in printed:
            digits = day[2:4] + day[5:7] + day[8:10]
            differing = {span.start + k for k in range(len(digits)) if digits[k] != decoded[k]}
            if not differing or not differing <= doubted or iso_date(digits, birth=name == "birth_date") != day:
                continue
            trial = _put(lines, span.line, span.start, digits)
            if check_digit(digits) == check.cut(trial) and layout.composite_holds(trial):
                fits.append((day, trial))
        if len(fits) == 1:
            fields[name], lines = fits[0][0], fits[0][1]
    return lines
