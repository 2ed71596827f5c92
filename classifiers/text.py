"""The text of one document with a way back from characters to the words (and boxes) they came from.

Field extraction works on plain text (spaCy tokens, regular expressions); provenance needs the page and box
of every value. `DocumentText` joins the words of a document's pages into lines and remembers, for every
word, its character span, so a span of characters maps back to a page, a union of word boxes, the page's
text source and the mean word confidence.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from schemas.documents import BBox, PageText, TextSource, Word

PAGE_BREAK = "\n\n"
# A word no taller than this share of the page's usual word height is a rule, an underline or a form's dotted
# leader that OCR read as letters (`нн`, `иене`, `808И8И` along a line): letters and digits are never flat.
FLAT_WORD = 0.3
_DASHES = frozenset("-–—‒_=~")


def _readable(words: Sequence[Word]) -> list[Word]:
    """The words of a page without the flat ones (see `FLAT_WORD`); dashes stay, they are flat by nature."""
    heights = sorted(w.bbox.y1 - w.bbox.y0 for w in words if len(w.text) >= 2)
    if len(heights) < 5:
        return list(words)
    least = FLAT_WORD * heights[len(heights) // 2]
    return [w for w in words if w.bbox.y1 - w.bbox.y0 >= least or set(w.text) <= _DASHES]


@dataclass(frozen=True)
class Provenance:
    """Where a span of text sits: page, box (union of its words), text source and confidence."""

    page: int
    bbox: BBox | None
    source: TextSource
    confidence: float


@dataclass(frozen=True)
class Line:
    """One text line of a page with its offsets in the document text and its words' offsets."""

    page: int
    text: str
    start: int
    end: int
    words: tuple[tuple[int, int, Word], ...]

    def words_after(self, offset: int, max_gap: float = 0.06) -> list[tuple[int, int, Word]]:
        """The words after character `offset`, up to the first horizontal gap wider than `max_gap`
        (a fraction of the page width): a wider gap is another column that OCR put on the same line."""
        out: list[tuple[int, int, Word]] = []
        for entry in self.words:
            if entry[0] < offset:
                continue
            if out and entry[2].bbox.x0 - out[-1][2].bbox.x1 > max_gap:
                break
            out.append(entry)
        return out


class DocumentText:
    """Plain text of a document's pages with a character→word index for provenance."""

    def __init__(self, pages: Sequence[PageText]) -> None:
        self.pages = tuple(pages)
        parts: list[str] = []
        self._starts: list[int] = []
        self._words: list[tuple[int, int, PageText, Word]] = []
        self.lines: list[Line] = []
        offset = 0
        for page_index, page in enumerate(self.pages):
            if page_index:
                parts.append(PAGE_BREAK)
                offset += len(PAGE_BREAK)
            current: tuple[int, int] | None = None
            line_start = offset
            line_words: list[str] = []
            line_entries: list[tuple[int, int, Word]] = []
            for word in _readable(page.words):
                key = (word.block, word.line)
                if current is not None and key != current:
                    self.lines.append(Line(page.page, " ".join(line_words), line_start, offset, tuple(line_entries)))
                    parts.append("\n")
                    offset += 1
                    line_start = offset
                    line_words = []
                    line_entries = []
                elif current is not None:
                    parts.append(" ")
                    offset += 1
                current = key
                self._starts.append(offset)
                self._words.append((offset, offset + len(word.text), page, word))
                line_entries.append((offset, offset + len(word.text), word))
                parts.append(word.text)
                line_words.append(word.text)
                offset += len(word.text)
            if line_words:
                self.lines.append(Line(page.page, " ".join(line_words), line_start, offset, tuple(line_entries)))
        self.text = "".join(parts)

    def line_at(self, offset: int) -> int:
        """Index in `lines` of the line holding character `offset` (or the last line before it)."""
        starts = [line.start for line in self.lines]
        return max(0, bisect_right(starts, offset) - 1)

    def page_words(self, page: int) -> list[tuple[int, int, Word]]:
        """Every word of 1-based page `page` with its character offsets."""
        return [(start, end, word) for start, end, p, word in self._words if p.page == page]

    def words_in(self, start: int, end: int) -> list[tuple[PageText, Word]]:
        """The words overlapping the character span [start, end)."""
        index = max(0, bisect_right(self._starts, start) - 1)
        out: list[tuple[PageText, Word]] = []
        while index < len(self._words):
            w_start, w_end, page, word = self._words[index]
            if w_start >= end:
                break
            if w_end > start:
                out.append((page, word))
            index += 1
        return out

    def provenance(self, start: int, end: int, only: Sequence[Word] = ()) -> Provenance | None:
        """Page, box, source and confidence of the span (or of just the words `only`, when the value's
        words are not contiguous in reading order); None if it covers no word."""
        words = self.words_in(start, end)
        if only:
            chosen = {id(w) for w in only}
            words = [(p, w) for p, w in words if id(w) in chosen]
        if not words:
            return None
        page = words[0][0]
        same_page = [word for p, word in words if p is page]
        bbox = same_page[0].bbox
        for word in same_page[1:]:
            bbox = bbox.union(word.bbox)
        confidence = min(word.confidence for word in same_page)
        return Provenance(page=page.page, bbox=bbox, source=page.source, confidence=confidence)


def page_from_lines(
    page: int, lines: Sequence[str], *, source: TextSource = TextSource.TEXT_LAYER, confidence: float = 0.99
) -> PageText:
    """A PageText from plain lines with evenly spaced synthetic boxes (for tests and training text)."""
    words: list[Word] = []
    count = max(1, len(lines))
    for line_no, line in enumerate(lines):
        y0 = min(0.98, line_no / (count + 1))
        y1 = min(1.0, y0 + 0.5 / (count + 1))
        x = 0.05
        for token in line.split():
            x1 = min(1.0, x + 0.012 * len(token))
            words.append(
                Word(
                    text=token,
                    bbox=BBox(x0=min(x, 0.99), y0=y0, x1=x1, y1=y1),
                    confidence=confidence,
                    line=line_no,
                )
            )
            x = x1 + 0.01
    return PageText(page=page, width=2480, height=3508, source=source, words=tuple(words), blank=not words)
