"""Finding a label's value by position on the page, not by reading order.

Certificates set label/value pairs side by side or one above the other, and Arabic and Persian blocks are
mirrored. OCR often reads such a page column by column, so "the next line" after a label is frequently
another label. The value is where a reader looks: to the right of the label on the same row (to the left
for right-to-left labels), else on the row just below, in the label's column. Rows are matched by word
boxes; a value that wraps onto the next row at the same indent is joined.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Sequence

from classifiers.extract import Found
from classifiers.normalise import find_dates
from classifiers.text import DocumentText
from schemas.documents import BBox, FieldValue, Word

Entry = tuple[int, int, Word]
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# How far under a label (in the label's heights) its value may start: a table's header row is set small and
# its value cell well below it (five to six heights).
_BELOW_REACH = 5.5
_ROW_GAP = 0.045  # widest gap between two words of one value, as a fraction of the page width
# A form's dotted or ruled leader between a label and its value (`Фамилия ........ Гуляева`): not a value,
# and the gap it spans is the form's, not one between two values.
_LEADER = re.compile(r"^[.…_·•:\-–—]{2,}$")


def _union(words: list[Word]) -> BBox:
    box = words[0].bbox
    for word in words[1:]:
        box = box.union(word.bbox)
    return box


def _centre_in(word: Word, box: BBox) -> bool:
    centre = (word.bbox.y0 + word.bbox.y1) / 2
    return box.y0 <= centre <= box.y1


_SAME_ROW = 0.75  # most a word's centre may sit off the label's centre, in the taller one's heights


def _same_row(word: Word, box: BBox) -> bool:
    """Whether `word` sits on the row of the label `box`. Values are set larger than their labels and on
    their own baseline, and a scan's remaining skew shifts a value 900 px to the right of its label by a
    few pixels: its centre is then often below the label's box, though nearer to the label's centre than
    to the next row's (rows are about two value heights apart)."""
    height = max(word.bbox.y1 - word.bbox.y0, box.y1 - box.y0)
    offset = abs((word.bbox.y0 + word.bbox.y1) / 2 - (box.y0 + box.y1) / 2)
    return _centre_in(word, box) or offset <= _SAME_ROW * height


def _run(entries: list[Entry], box: BBox, rtl: bool) -> list[Entry]:
    """The words beside the label that follow each other without a wide gap, in reading order: the first on
    the label's row, each next one on the row of the word before it (skew tilts a long row)."""
    ordered = sorted(entries, key=lambda e: -e[2].bbox.x1 if rtl else e[2].bbox.x0)
    row = [e for e in ordered if _same_row(e[2], box)]
    if not row:
        return []
    first = row[0]
    if not _has_letter_or_digit(first[2].text) and len(row) > 1 and _gap(first[2], row[1][2], rtl) > _ROW_GAP:
        # a lone mark between label and value (`Dogum Tarihi  -   31-12-1985`) is not where the value starts:
        # the run would end at the gap after it; a mark the value follows closely stays part of it
        first = row[1]
    out = [first]
    for entry in ordered[ordered.index(first) + 1 :]:
        last = out[-1][2]
        if _gap(last, entry[2], rtl) > _ROW_GAP:
            break
        if _same_row(entry[2], last.bbox):
            out.append(entry)
    return sorted(out, key=lambda e: e[0]) if rtl else out


def _gap(word: Word, following: Word, rtl: bool) -> float:
    """The blank between a word and the one after it in reading order."""
    return word.bbox.x0 - following.bbox.x1 if rtl else following.bbox.x0 - word.bbox.x1


def _has_letter_or_digit(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _nearest_above(word: Word, above: list[Word]) -> Word:
    """The word of `above` horizontally nearest `word` (the reference a skewed row is measured against)."""
    return min(above, key=lambda a: max(0.0, a.bbox.x0 - word.bbox.x1, word.bbox.x0 - a.bbox.x1))


def _chain(words: list[Entry], seed: Entry, exclude: set[int]) -> list[Entry]:
    """The words joined to `seed` on its row, each on the row of its neighbour and within `_ROW_GAP` of it,
    left to right."""
    pool = [e for e in words if id(e[2]) not in exclude and e is not seed]
    x0 = seed[2].bbox.x0
    out = [seed]
    for entry in sorted((e for e in pool if e[2].bbox.x0 > x0), key=lambda e: e[2].bbox.x0):
        last = out[-1][2]
        if not _same_row(entry[2], last.bbox):
            continue
        if entry[2].bbox.x0 - last.bbox.x1 > _ROW_GAP:
            break
        out.append(entry)
    for entry in sorted((e for e in pool if e[2].bbox.x0 < x0), key=lambda e: -e[2].bbox.x0):
        first = out[0][2]
        if not _same_row(entry[2], first.bbox):
            continue
        if first.bbox.x0 - entry[2].bbox.x1 > _ROW_GAP:
            break
        out.insert(0, entry)
    return out


_NEAR_COLUMN = 0.15  # most a word under a label may sit beside the label's extent to count as in its column


def _columns_apart(a: BBox, b: BBox) -> float:
    """The horizontal gap between two boxes (0 where they overlap)."""
    return max(0.0, a.x0 - b.x1, b.x0 - a.x1)


def _row_below(words: list[Entry], above: list[Word], rtl: bool, exclude: set[int], *, up: bool = False) -> list[Entry]:
    """The words of the nearest row under the words `above` (over them with `up`), in the gap-separated group
    closest to them horizontally. Each word is measured against the word above nearest to it, so a row tilted
    by the scan's skew is still one row."""
    box = _union(above)
    below: list[tuple[float, Entry]] = []
    for entry in words:
        if id(entry[2]) in exclude:
            continue
        ref = _nearest_above(entry[2], above).bbox
        height = ref.y1 - ref.y0
        offset = (entry[2].bbox.y0 + entry[2].bbox.y1) / 2 - (ref.y0 + ref.y1) / 2
        reach = ref.y0 - entry[2].bbox.y1 if up else entry[2].bbox.y0 - ref.y1
        if (-offset if up else offset) >= 0.6 * height and reach <= _BELOW_REACH * height:
            below.append((abs(offset) / max(height, 1e-6), entry))
    if not below:
        return []
    # the nearest row in the label's own column: on a bilingual page the other column's value row may sit a
    # little higher than this one's (another font), yet it is not this label's value
    in_column = [item for item in below if _columns_apart(item[1][2].bbox, box) < _NEAR_COLUMN]
    nearest = min(in_column or below, key=lambda item: item[0])[1][2]
    # the row of the nearest word: words whose centre is on its line (measured in their own heights, so a
    # label's small type and a value's tall one do not split one row)
    row = [e for _, e in below if _same_row(e[2], nearest.bbox)]
    anchor = box.x1 if rtl else box.x0
    seed = min(row, key=lambda e: abs((e[2].bbox.x1 if rtl else e[2].bbox.x0) - anchor))
    best = _chain(words, seed, exclude)
    return sorted(best, key=lambda e: e[0]) if rtl else best


def _same_script(value: str, following: list[Entry]) -> bool:
    """A wrapped continuation is in the value's script and does not start the value over (a stamp)."""
    first = following[0][2].text

    def script(t: str) -> str:
        return "arabic" if _ARABIC.search(t) else "cyrillic" if _CYRILLIC.search(t) else "latin"

    return script(value) == script(first) and not value.startswith(first)


_MAX_WRAPPED_ROWS = 2
_DATE_DIGITS = re.compile(r"\d[./-]\d")
_ASCENDING = frozenset(
    "bdfhiklt0123456789äöüßбйёіїÄÖÜ" + "ABCDEFGHIJKLMNOPQRSTUVWXYZАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯІЇЄҐ()/"
)
_DESCENDING = frozenset("gjpqyрудцщф(),")


def type_size(word: Word) -> float:
    """A word's font size estimated from its box: the box of `ez-Zor` is shorter than that of `Registry`
    set in the same type, because it has no descender."""
    letters = set(word.text)
    extent = 0.5 + 0.25 * bool(letters & _ASCENDING) + 0.22 * bool(letters & _DESCENDING)
    return (word.bbox.y1 - word.bbox.y0) / extent


def _wrapped(
    words: list[Entry], run: list[Entry], raw: str, rtl: bool, exclude: set[int], is_label: Callable[[str], bool]
) -> tuple[list[Entry], str]:
    """`run` with the rows it wraps onto (up to two): rows just below at the same indent, in the value's
    script, set as large as the value (labels are set smaller), and not a label."""
    size = statistics.median(type_size(e[2]) for e in run)
    last_row = [e[2] for e in run]
    for _ in range(_MAX_WRAPPED_ROWS):
        run_box = _union([e[2] for e in run])
        taken = exclude | {id(e[2]) for e in run}
        following = _row_below(words, last_row, rtl, taken)
        if not following or not _same_script(raw, following):
            break
        if rtl:  # right-aligned: the rows share their right edge
            indent = max(e[2].bbox.x1 for e in following) - run_box.x1
        else:
            indent = min(e[2].bbox.x0 for e in following) - run_box.x0
        extra = " ".join(e[2].text for e in following)
        if _DATE_DIGITS.search(extra) or find_dates(extra):  # the next row's value (a date), not a wrapped line
            break
        if abs(indent) >= 0.03 or is_label(extra) or max(type_size(e[2]) for e in following) < 0.85 * size:
            break
        run = run + following
        raw = raw + " " + extra
        last_row = [e[2] for e in following]
    return run, raw


def row_under(text: DocumentText, page: int, box: BBox, certainty: float) -> Found | None:
    """The words of the row right under the value in `box` on 1-based `page`, in its column (left-to-right), as
    read: where a certificate prints a value twice, the original line and its Latin version under it."""
    words = [e for e in text.page_words(page) if not _LEADER.match(e[2].text)]
    above = [e[2] for e in words if _centre_in(e[2], box) and box.x0 - 0.005 <= e[2].bbox.x0 <= box.x1]
    if not above:
        return None
    taken = {id(w) for w in above}
    row = _row_below(words, above, False, taken)
    box = _union(above)
    if not row or abs(row[0][2].bbox.x0 - box.x0) > _SAME_INDENT:
        return None
    height = max(w.bbox.y1 - w.bbox.y0 for w in above)
    if row[0][2].bbox.y0 - box.y1 > 2.5 * height:
        return None  # a row further down is the next field's
    raw = " ".join(e[2].text for e in row)
    return Found(raw, row[0][0], row[-1][1], certainty, tuple(e[2] for e in row))


_SAME_INDENT = 0.03  # a value's second line starts this close under its first (fraction of the page width)
_FAR = 0.2  # a gap beside a label this wide (fraction of the page width) may be the gutter between two columns


def _script_of(text: str) -> str:
    return "arabic" if _ARABIC.search(text) else "cyrillic" if _CYRILLIC.search(text) else "latin"


def _other_column(beside: list[Entry], label: list[Word], below: list[Entry], rtl: bool) -> bool:
    """Whether the words beside a label are the other language's column of a bilingual page rather than its
    value: far across a gutter, in another script than the label, while the row under the label starts in the
    label's own column (`Place of birth:` over `Basra` on the left, `مكان الولادة:` over `البصرة` on the right)."""
    if not beside or not below:
        return False
    box = _union(label)
    first = beside[0][2]
    gap = box.x0 - first.bbox.x1 if rtl else first.bbox.x0 - box.x1
    label_text = " ".join(w.text for w in label)
    beside_text = " ".join(e[2].text for e in beside)
    if gap <= _FAR or _script_of(beside_text) == _script_of(label_text):
        return False
    edge = max(e[2].bbox.x1 for e in below) - box.x1 if rtl else min(e[2].bbox.x0 for e in below) - box.x0
    return abs(edge) < 0.05


_SLASH = ("/", "|")
_SLASH_LABEL_WORDS = 7  # most words of a label's second language after its slash


def slash_label(words: list[Entry], label: list[Word], is_label: Callable[[str], bool]) -> list[Word]:
    """The second language of a label printed after a slash on its row (`Прізвище / Family name`, `Belge No /
    Document No:`): the words that follow the label without a column's gap, from the slash on, up to a word
    ending in a colon or to a column's gap (the value across it), else as far as they read as a label. They
    are part of the label, never its value. Left-to-right labels."""
    box = _union(label)
    taken = {id(w) for w in label}
    after = sorted(
        (e for e in words if id(e[2]) not in taken and e[2].bbox.x0 >= box.x1 - 0.005 and _same_row(e[2], box)),
        key=lambda e: e[2].bbox.x0,
    )
    chain: list[Word] = []
    right = box.x1
    gap_after = False
    for entry in after[:_SLASH_LABEL_WORDS]:
        gap_after = entry[2].bbox.x0 - right > _ROW_GAP
        token = entry[2].text
        if gap_after or sum(ch.isdigit() for ch in token) >= max(1, sum(ch.isalpha() for ch in token)):
            break  # a column's gap, or a number (not a word OCR began with a digit, `5urname`): the value starts
        chain.append(entry[2])
        right = entry[2].bbox.x1
    if not chain or not chain[0].text.startswith(_SLASH):
        return []
    # the second language up to a colon of its own (`/ Issuing Office :`), or up to a column's gap with the
    # value across it (`/ Date of Birth      16.01.1991`), is all label, also where OCR garbled it (`/ 5игпате,
    # Мате :` for `/ Surname, Name :`): its capitalised words (`Birth`, `Office`) are the label's, not its value
    colon = next((n for n, w in enumerate(chain, start=1) if w.text.endswith(":")), 0)
    if colon:
        return chain[:colon]
    if gap_after:
        return chain
    # with neither, the label's words run up to a capitalised word after them (the value, where no column's gap
    # parts it from its label: `/ Place of birth Харків`)
    best = 0
    for n, word in enumerate(chain, start=1):
        if best and word.text[:1].isupper():
            break
        if is_label(" ".join(w.text for w in chain[:n]).lstrip("".join(_SLASH)).strip()):
            best = n
    return chain[:best]


CAPTION_UNDER_CERTAINTY = 0.45  # below the review line: a value told from the next one by spacing alone
_CLOSER = 0.6  # a row this much nearer above a caption than the row below it is the caption's own value


def _vertical_gap(upper: Sequence[Word], lower: Sequence[Word]) -> float:
    return min(w.bbox.y0 for w in lower) - max(w.bbox.y1 for w in upper)


def _caption_under(
    words: list[Entry],
    label: list[Word],
    below: list[Entry],
    rtl: bool,
    exclude: set[int],
    is_label: Callable[[str], bool],
) -> list[Entry]:
    """The row over a caption with nothing beside it, where the caption is set under its value (a signature
    line's way, a form's with captions in small print under the boxes): that row stands clearly nearer the
    caption than the row below it, and is no caption itself. Rows a page sets at even spacing, a caption over
    its value as most forms print it, give none."""
    above = _row_below(words, label, rtl, exclude, up=True)
    if not above:
        return []
    texts = [e[2].text for e in above]
    if ":" in " ".join(texts) or any(is_label(" ".join(texts[:n])) for n in range(1, min(4, len(texts)) + 1)):
        return []  # a caption, or a `label: value` row of its own (`Registration No.: 207151` over its twin)
    gap_above = _vertical_gap([e[2] for e in above], label)
    gap_below = _vertical_gap(label, [e[2] for e in below])
    return above if gap_above >= 0 and gap_above < _CLOSER * gap_below else []


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
    caption_under: bool = False,
) -> Found | None:
    """The value of the label at characters [start, end): right of it (left for `rtl`), else below it; with
    `caption_under` (certificates), above it where the label is a caption set under its value."""
    label = text.words_in(start, end)
    if not label:
        return None
    page = label[0][0]
    label_words = [w for p, w in label if p is page]
    words = [e for e in text.page_words(page.page) if not _LEADER.match(e[2].text)]
    if not rtl and text.text[end : end + 4].lstrip()[:1] in _SLASH:  # (cheap test first: most labels have none)
        label_words += slash_label(words, label_words, is_label)
    box = _union(label_words)
    exclude = {id(w) for w in label_words}
    beside = [
        e
        for e in words
        if id(e[2]) not in exclude
        and abs((e[2].bbox.y0 + e[2].bbox.y1) / 2 - (box.y0 + box.y1) / 2) < 0.05
        and (e[2].bbox.x1 <= box.x0 + 0.005 if rtl else e[2].bbox.x0 >= box.x1 - 0.005)
    ]
    below = _row_below(words, label_words, rtl, exclude)
    beside = _run(beside, box, rtl)
    if caption_under and below and (not beside or is_label(" ".join(e[2].text for e in beside))):
        above = _caption_under(words, label_words, below, rtl, exclude, is_label)
        if above:
            # a caption set under its value: the row below is the next field's value, never this one's
            below, certainty = above, min(certainty, CAPTION_UNDER_CERTAINTY)
    runs = [beside, below]
    if _other_column(runs[0], label_words, runs[1], rtl):
        runs.reverse()
    if below and is_label(" ".join(e[2].text for e in below)):
        # a caption stacked over its translation (`Прізвище` over `Familienname`): the value is under both
        under = _row_below(words, [e[2] for e in below], rtl, exclude | {id(e[2]) for e in below})
        runs.append(under)
    for run in runs:
        if not run:
            continue
        raw = " ".join(e[2].text for e in run)
        if is_label(raw) or raw.rstrip().endswith(":"):
            # (a value never ends in a colon: `der Person:` beside `Vorname(n)` is the rest of the label
            # `Vorname(n) der Person:`, whose value is on the line below)
            continue
        if wraps:
            run, raw = _wrapped(words, run, raw, rtl, exclude, is_label)
        value = normalise(raw)
        if value not in (None, ""):
            return Found(value, min(e[0] for e in run), max(e[1] for e in run), certainty, tuple(e[2] for e in run))
    return None
