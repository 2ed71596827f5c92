"""Where each field of an identity document was read: its characters in the MRZ and its value in the visual zone.

The review screen draws these boxes over the page image so a clerk checks a passport at a glance: beside the
box of each field's characters in the machine-readable zone, the box of the value the visual inspection zone
(VIZ) prints for it, with the text read there. Where the cross-check (`classifiers.viz`) found the VIZ
contradicting the MRZ, the VIZ reading is the contradicting value, so the clerk sees both side by side.

- MRZ boxes come from the ICAO layout (`mrz.layout`): OCR-B is a monospaced font, so a field's columns and
  line are its share of the zone's box.
- VIZ boxes come from the page's words outside the zone: a date is the shortest run of words on one printed
  line that reads as the date (12.03.1985, 12 MAR/MARS 85); the document number and nationality the word
  that is it once OCR look-alikes are folded; names the printed run `classifiers.viz_names` confirms.

Nothing here changes a field's value or the cross-check's verdict; it only says where things were read.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence

from classifiers.viz import _LOOK_ALIKES, _dates, _issue_like  # the cross-check's own reading of dates
from classifiers.viz_names import _outside, full_name, name_field_full
from mrz.layout import FILLER, layout_for
from schemas.documents import BBox, ExtractedField, MrzDecoded, TextSource, Word

__all__ = ["mrz_boxes", "zone_readings"]

MAX_RUN = 6  # words a printed date may span ("12", "MAR", "/", "MARS", "85")
_LEGIBLE = 0.5
_MRZ_FIELDS = ("document_code", "issuing_state", "document_number", "nationality", "birth_date", "sex", "expiry_date")


def _union(boxes: Sequence[BBox]) -> BBox:
    return BBox(
        x0=min(b.x0 for b in boxes),
        y0=min(b.y0 for b in boxes),
        x1=max(b.x1 for b in boxes),
        y1=max(b.y1 for b in boxes),
    )


def _columns(zone: BBox, line: int, lines: int, start: int, stop: int, length: int) -> BBox:
    width, height = zone.x1 - zone.x0, zone.y1 - zone.y0
    return BBox(
        x0=zone.x0 + width * start / length,
        x1=zone.x0 + width * stop / length,
        y0=zone.y0 + height * line / lines,
        y1=zone.y0 + height * (line + 1) / lines,
    )


def mrz_boxes(parse: MrzDecoded, zone: BBox) -> dict[str, tuple[str, BBox]]:
    """Each MRZ field's characters as printed in the zone, and their box (empty when the lines fit no layout)."""
    lines = parse.lines
    layout = layout_for(len(lines), len(lines[0]), lines[0][:2]) if lines else None
    if layout is None or any(len(line) != layout.line_length for line in lines):
        return {}
    out: dict[str, tuple[str, BBox]] = {}
    for name in _MRZ_FIELDS:
        span = layout.span(name)
        if span is not None:
            box = _columns(zone, span.line, layout.line_count, span.start, span.stop, layout.line_length)
            out[name] = (span.cut(lines), box)
    name_span = layout.span("name")
    if name_span is not None:
        text = name_span.cut(lines)
        cut = text.find(FILLER * 2)
        surname_stop = cut if cut >= 0 else len(text.rstrip(FILLER))
        given = text[surname_stop:].strip(FILLER)
        parts = {"surname": (0, surname_stop)}
        if given:
            begin = text.index(given, surname_stop)
            parts["given_names"] = (begin, begin + len(given))
        for name, (start, stop) in parts.items():
            if stop > start:
                box = _columns(
                    zone, name_span.line, layout.line_count, name_span.start + start, name_span.start + stop,
                    layout.line_length,
                )  # fmt: skip
                out[name] = (text[start:stop], box)
    return out


def _printed_lines(words: Sequence[Word]) -> list[list[Word]]:
    lines: dict[tuple[int, int], list[Word]] = {}
    for word in words:
        lines.setdefault((word.block, word.line), []).append(word)
    return [sorted(line, key=lambda w: w.bbox.x0) for line in lines.values()]


def _printed_dates(words: Sequence[Word], reference: int) -> list[tuple[str, list[Word]]]:
    """Every date the VIZ prints, each with the shortest run of words it was read from."""
    found: dict[str, list[Word]] = {}
    for line in _printed_lines(words):
        for start in range(len(line)):
            for stop in range(start + 1, min(len(line), start + MAX_RUN) + 1):
                run = line[start:stop]
                for day in _dates(" ".join(w.text for w in run), reference):
                    if day not in found or len(run) < len(found[day]):
                        found[day] = run
    return list(found.items())


def _shown(text: str) -> str:
    """The text as a clerk should read it: without the invisible direction marks OCR keeps from an Arabic line."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf").strip()


def _reading(value: str, run: Sequence[Word], page: int) -> ExtractedField:
    return ExtractedField(
        value=_shown(value),
        page=page,
        bbox=_union([w.bbox for w in run]),
        source=TextSource.VIZ,
        confidence=round(min(w.confidence for w in run), 3),
    )


def _date_reading(
    name: str, fields: dict[str, str | None], printed: list[tuple[str, list[Word]]], contradicted: bool
) -> tuple[str, list[Word]] | None:
    """The VIZ date that is this field's value; for a contradicted field the printed date that stands where
    it should (a birth date older than any validity, an expiry near the MRZ's that is no issue date)."""
    value = fields.get(name)
    if not value:
        return None
    for day, run in printed:
        if day == value:
            return day, run
    if not contradicted:
        return None
    expiry = fields.get("expiry_date")
    if not expiry:
        return None
    end = dt.date.fromisoformat(expiry)
    for day, run in printed:
        if name == "birth_date" and int(day[:4]) <= end.year - 12:
            return day, run
        near = -366 <= (dt.date.fromisoformat(day) - end).days <= 3 * 366
        if name == "expiry_date" and near and not _issue_like(day, expiry):
            return day, run
    return None


def _folded(text: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", text.upper()).translate(_LOOK_ALIKES)


def _number_reading(number: str, words: Sequence[Word], contradicted: bool) -> list[Word] | None:
    """The word (or two neighbours: `FA 1234567`) printing the document number; for a contradicted number
    the legible word of its length that differs in one to three characters."""
    target = _folded(number)
    if len(target) < 2:
        return None
    for line in _printed_lines(words):
        for width in (1, 2):
            for start in range(len(line) - width + 1):
                run = line[start : start + width]
                if _folded("".join(w.text for w in run)) == target:
                    return run
    if contradicted:
        for word in words:
            token = _folded(word.text)
            legible = len(token) == len(target) and word.confidence >= _LEGIBLE
            if legible and 1 <= sum(a != b for a, b in zip(token, target, strict=True)) <= 3:
                return [word]
    return None


def zone_readings(
    parse: MrzDecoded, words: Sequence[Word], zone: BBox | None, page: int, mismatches: Sequence[str]
) -> dict[str, tuple[ExtractedField, ...]]:
    """Per field, where it was read: first its characters in the MRZ (source `mrz`), then the value the
    visual zone prints for it (source `viz`, the text as read), each with page, box and confidence."""
    out: dict[str, list[ExtractedField]] = {}
    if zone is not None:
        for name, (text, box) in mrz_boxes(parse, zone).items():
            certainty = parse.certainty.get("name" if name in ("surname", "given_names") else name)
            confidence = round(float(certainty), 3) if certainty is not None else 1.0
            out.setdefault(name, []).append(
                ExtractedField(value=text, page=page, bbox=box, source=TextSource.MRZ, confidence=confidence)
            )
    fields = dict(parse.fields)
    printed = _outside(words, zone)
    viz: dict[str, tuple[str, Sequence[Word]] | None] = {}
    reference = int((fields.get("birth_date") or fields.get("expiry_date") or "2000")[:4])
    dates = _printed_dates(printed, reference)
    for name in ("birth_date", "expiry_date"):
        date = _date_reading(name, fields, dates, name in mismatches)
        viz[name] = (" ".join(w.text for w in date[1]), date[1]) if date else None
    number = fields.get("document_number") or ""
    number_run = _number_reading(number, printed, "document_number" in mismatches) if number else None
    viz["document_number"] = (" ".join(w.text for w in number_run), number_run) if number_run else None
    nationality = fields.get("nationality") or ""
    same = [w for w in printed if nationality and _folded(w.text) == nationality and w.confidence >= _LEGIBLE]
    viz["nationality"] = (same[0].text, same[:1]) if same else None
    truncated = name_field_full(list(parse.lines))
    for name in ("surname", "given_names"):
        cut = truncated and (name == "given_names" or not fields.get("given_names"))  # given names are cut first
        found = full_name(words, zone, fields.get(name) or "", truncated=cut)
        if found is not None:
            out.setdefault(name, []).append(
                ExtractedField(
                    value=_shown(found.text), page=page, bbox=found.bbox, source=TextSource.VIZ,
                    confidence=round(found.confidence, 3),
                )
            )  # fmt: skip
    for name, hit in viz.items():
        if hit is not None:
            text, run = hit
            out.setdefault(name, []).append(_reading(text, run, page))
    return {name: tuple(found) for name, found in out.items()}
