"""Finding a label's value by position on the page, not by reading order.

Certificates set label/value pairs side by side or one above the other, and Arabic and Persian blocks are
mirrored. OCR often reads such a page column by column, so "the next line" after a label is frequently
another label. The value is where a reader looks: to the right of the label on the same row (to the left
for right-to-left labels), else on the row just below, in the label's column. Rows are matched by word
boxes; a value that wraps onto the next row at the same indent is joined.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from classifiers.extract import Found
from classifiers.text import DocumentText
from schemas.documents import BBox, FieldValue, Word

Entry = tuple[int, int, Word]
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ROW_GAP = 0.045  # widest gap between two words of one value, as a fraction of the page width


def _union(words: list[Word]) -> BBox:
    box = words[0].bbox
    for word in words[1:]:
        box = box.union(word.bbox)
    return box


def _centre_in(word: Word, box: BBox) -> bool:
    centre = (word.bbox.y0 + word.bbox.y1) / 2
    return box.y0 <= centre <= box.y1


def _run(entries: list[Entry], rtl: bool) -> list[Entry]:
    """The words nearest the label that follow each other without a wide gap, in reading order."""
    ordered = sorted(entries, key=lambda e: -e[2].bbox.x1 if rtl else e[2].bbox.x0)
    out: list[Entry] = []
    for entry in ordered:
        if out:
            gap = out[-1][2].bbox.x0 - entry[2].bbox.x1 if rtl else entry[2].bbox.x0 - out[-1][2].bbox.x1
            if gap > _ROW_GAP:
                break
        out.append(entry)
    return sorted(out, key=lambda e: e[0]) if rtl else out


def _row_below(words: list[Entry], box: BBox, rtl: bool, exclude: set[int]) -> list[Entry]:
    """The words of the nearest row under `box`, in the gap-separated group closest to it horizontally."""
    height = box.y1 - box.y0
    below = [
        e for e in words if id(e[2]) not in exclude and box.y0 + 0.6 * height <= e[2].bbox.y0 <= box.y1 + 3.0 * height
    ]
    if not below:
        return []
    top = min(below, key=lambda e: e[2].bbox.y0)[2]
    row = sorted(
        (e for e in below if _centre_in(e[2], top.bbox) or _centre_in(top, e[2].bbox)), key=lambda e: e[2].bbox.x0
    )
    groups: list[list[Entry]] = []
    for entry in row:
        if groups and entry[2].bbox.x0 - groups[-1][-1][2].bbox.x1 <= _ROW_GAP:
            groups[-1].append(entry)
        else:
            groups.append([entry])
    anchor = box.x1 if rtl else box.x0

    def distance(group: list[Entry]) -> float:
        edge = group[-1][2].bbox.x1 if rtl else group[0][2].bbox.x0
        return abs(edge - anchor)

    best = min(groups, key=distance)
    return sorted(best, key=lambda e: e[0]) if rtl else best


def _same_script(value: str, following: list[Entry]) -> bool:
    """A wrapped continuation is in the value's script and does not start the value over (a stamp)."""
    first = following[0][2].text

    def script(t: str) -> str:
        return "arabic" if _ARABIC.search(t) else "cyrillic" if _CYRILLIC.search(t) else "latin"

    return script(value) == script(first) and not value.startswith(first)


def value_near(
    text: DocumentText,
    start: int,
    end: int,
    normalise: Callable[[str], FieldValue],
    is_label: Callable[[str], bool],
    *,
    rtl: bool = False,
    wraps: bool = False,
    certainty: float = 0.9,
) -> Found | None:
    """The value of the label at characters [start, end): right of it (left for `rtl`), else below it."""
    label = text.words_in(start, end)
    if not label:
        return None
    page = label[0][0]
    label_words = [w for p, w in label if p is page]
    box = _union(label_words)
    exclude = {id(w) for w in label_words}
    words = text.page_words(page.page)
    same_row = [
        e
        for e in words
        if id(e[2]) not in exclude
        and _centre_in(e[2], box)
        and (e[2].bbox.x1 <= box.x0 + 0.005 if rtl else e[2].bbox.x0 >= box.x1 - 0.005)
    ]
    for run in (_run(same_row, rtl), _row_below(words, box, rtl, exclude)):
        if not run:
            continue
        raw = " ".join(e[2].text for e in run)
        if is_label(raw):
            continue
        if wraps:
            run_box = _union([e[2] for e in run])
            following = _row_below(words, run_box, rtl, exclude | {id(e[2]) for e in run})
            if (
                following
                and _same_script(raw, following)
                and abs(
                    (following[0][2].bbox.x0 - run[0][2].bbox.x0) if not rtl else (following[0][2].bbox.x1 - run_box.x1)
                )
                < 0.03
            ):
                extra = " ".join(e[2].text for e in following)
                # Labels are set smaller than values: a wrapped value line has the value's height.
                height = min(e[2].bbox.y1 - e[2].bbox.y0 for e in run)
                if not is_label(extra) and min(e[2].bbox.y1 - e[2].bbox.y0 for e in following) >= 0.85 * height:
                    run = run + following
                    raw = raw + " " + extra
        value = normalise(raw)
        if value not in (None, ""):
            return Found(value, min(e[0] for e in run), max(e[1] for e in run), certainty, tuple(e[2] for e in run))
    return None
