"""The authority that issued a notice, assembled from the lines its name spans.

A county or town prints its name on one line and the office that decides on the next (`Landkreis X` over
`– Ausländerbehörde –`, `Fachbereich Soziales`, `Amt für Migration`), sometimes with its head (`Der Landrat`)
between them; a job centre prints `Jobcenter` over its region. Where the letterhead gives the body alone, the
office stands in the sender line over the address window (`Landkreis X · Sozialamt · Straße 1 · 06366 Ort`)
or opens the information block at the right. The authority is the body and its office, `Body – Office`.
"""

from __future__ import annotations

import re
from itertools import pairwise

from classifiers.extract import Found, group_text, groups
from classifiers.normalise import strip_bidi
from classifiers.text import DocumentText, Line
from schemas.documents import Word

AUTHORITY_WORDS = re.compile(
    r"Landkreis|Landratsamt|Kreis|Jobcenter|Stadt|Gemeinde|Amt|Behörde|Bundesamt|Agentur|Familienkasse|"
    r"Fachbereich|Fachdienst|Bezirks|Regierungs|Verwaltung|Senat|Ministerium",
    re.IGNORECASE,
)
# The office of a body: its first word names a unit, or its last word is an office (`Sozialamt`,
# `Ausländerbehörde`, `Leistungsstelle`). No digits: an address or a telephone line is not an office.
_OFFICE = re.compile(
    r"^(?:(?:Amt|Fachbereich|Fachdienst|Fachgebiet|Dezernat|Abteilung|Referat|Sachgebiet|Geschäftsbereich|"
    r"Stabsstelle)\b[^\d]*"
    r"|[^\d]*(?:amt|behörde|behorde|stelle|dienst|zentrum|büro))$",
    re.IGNORECASE,
)
# The head of a body, printed between its name and its office: not part of the authority's name.
_HEAD = re.compile(r"^(?:Der|Die)\s+(?:Landrat|Landrätin|(?:Ober)?[Bb]ürgermeister(?:in)?|Präsident(?:in)?)$")
_EDGE_DASHES = " –—-‒·•|,;:"
_DASH = re.compile(r"\s+[-–—‒]+\s+")
_NAME_END = re.compile(r"\s+[·•:|]\s+|\s+[-–]\s+(?=[^-–·•:|]*\d)|\s*,\s+(?=[^,]*\d)")
_SENDER_SEPARATOR = re.compile(r"\s+[·•:|]\s+|\s*,\s+|\s+[-–]\s+(?=[^-–·•:|]*\d)")
# A territorial body, which decides through one of its offices: only its office is looked for beyond the
# letterhead (a job centre or a federal office is the authority by its own name).
BODY = re.compile(r"^(?:Landkreis|Kreis|Stadt|Gemeinde|Hansestadt|Landeshauptstadt)\s+\S+(?:\s\S+)?$|^\S+kreis$")
_ALIGN = 0.03  # how far (page share) two lines of one letterhead may start or end apart
Group = list[tuple[int, int, Word]]


def clean_authority(text: str) -> str:
    """An authority as printed, with OCR's dash variants made the en dash letterheads use."""
    return _DASH.sub(" – ", " ".join(strip_bidi(text).split())).strip(" ,;:·")


def is_office(text: str) -> bool:
    words = text.split()
    return 1 <= len(words) <= 7 and bool(_OFFICE.match(text))


def _box(group: Group) -> tuple[float, float, float, float]:
    boxes = [entry[2].bbox for entry in group]
    return min(b.x0 for b in boxes), min(b.y0 for b in boxes), max(b.x1 for b in boxes), max(b.y1 for b in boxes)


def _below(head: Group, lines: list[Line], start: int) -> list[Group]:
    """The groups printed under `head` in the same letterhead: aligned with it left, right or centred, each
    at most about two line heights under the one before."""
    x0, _, x1, bottom = _box(head)
    height = max(bottom - _box(head)[1], 0.008)
    out: list[Group] = []
    for line in lines[start : start + 6]:
        for group in groups(line) if line.words else []:
            g0, top, g1, g_bottom = _box(group)
            aligned = abs(g0 - x0) < _ALIGN or abs(g1 - x1) < _ALIGN or abs((g0 + g1) - (x0 + x1)) < 2 * _ALIGN
            if aligned and bottom - 0.2 * height < top < bottom + 2.6 * height:
                out.append(group)
                x0, x1, bottom, height = g0, g1, g_bottom, max(g_bottom - top, 0.008)
                break
        if len(out) == 3:
            break
    return out


def _continued(name: str, head: Group, lines: list[Line], start: int) -> tuple[str, Group] | None:
    """The letterhead's next lines that continue the name: its office (after the body's head, skipped), or a
    job centre's region."""
    for group in _below(head, lines, start):
        words = group_text(group).strip(_EDGE_DASHES)
        if _HEAD.match(words):
            continue
        if name.casefold() == "jobcenter" and words and not any(c.isdigit() for c in words) and len(words.split()) <= 4:
            return f"{name} {words}", group
        if is_office(words):
            return f"{name} – {words}", group
        return None
    return None


def _from_sender(name: str, lines: list[Line]) -> tuple[str, Group] | None:
    """The office after the body in the sender line (`Landkreis X · Sozialamt · Straße 1 · 06366 Ort`)."""
    folded = name.casefold()
    for line in lines:
        for group in groups(line) if line.words else []:
            parts = [p.strip(_EDGE_DASHES) for p in _SENDER_SEPARATOR.split(group_text(group))]
            for first, second in pairwise(parts):
                if first.casefold() == folded and is_office(second):
                    return f"{name} – {second}", group
    return None


def _from_info_block(name: str, lines: list[Line], head: Group) -> tuple[str, Group] | None:
    """An office alone on a line of the upper right, where the information block opens."""
    _, _, _, head_bottom = _box(head)
    for line in lines:
        for group in groups(line) if line.words else []:
            x0, top, _, _ = _box(group)
            words = group_text(group).strip(_EDGE_DASHES)
            if x0 > 0.5 and head_bottom < top < 0.4 and is_office(words):
                return f"{name} – {words}", group
    return None


def authority(text: DocumentText) -> Found | None:
    """The issuing authority: the first letterhead line naming a body, with its office where the letterhead,
    the sender line or the information block gives it."""
    # from the top of the page down: OCR reads a letterhead set at the right after the left column
    page = sorted(
        (line for line in text.lines if line.page == text.lines[0].page and line.words),
        key=lambda line: min(entry[2].bbox.y0 for entry in line.words),
    )
    for index, line in enumerate(page[:6]):
        group = groups(line)[0]
        words = group_text(group)
        if not AUTHORITY_WORDS.search(words) or words.lower().startswith(("der ", "die ")):
            continue
        certainty = 0.95 if index < 3 else 0.7
        # the sender line repeats the authority followed by its address: keep the name only
        name = clean_authority(_NAME_END.split(words)[0])
        if " – " in name or (is_office(name) and name.casefold() != "jobcenter"):
            return Found(name, group[0][0], group[-1][1], certainty)
        joined = _continued(name, group, page, index + 1)
        if joined is None and BODY.match(name):
            joined = _from_sender(name, page[:14])
            certainty = min(certainty, 0.9)
            if joined is None:
                joined = _from_info_block(name, page[:14], group)
                certainty = min(certainty, 0.8)
        if joined is None:
            return Found(name, group[0][0], group[-1][1], certainty)
        value, other = joined
        words_used = tuple(e[2] for e in group) + tuple(e[2] for e in other)
        start, end = min(group[0][0], other[0][0]), max(group[-1][1], other[-1][1])
        return Found(clean_authority(value), start, end, certainty, words=words_used)
    if page:
        group = groups(page[0])[0]
        return Found(clean_authority(group_text(group)), group[0][0], group[-1][1], 0.4)
    return None
