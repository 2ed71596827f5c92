"""Marks OCR dropped from a name printed in small letters, told by the ink its word's box holds.

Tesseract read with German and English reads `Koçkan` as `Kockan`, `Işın` as `Isın` and `Örik` as `Orik`,
and is sure of it; on a certificate or notice nothing else reads the name again. But a word's box is the box
of its ink, marks and all: a word whose letters stand on the baseline (`Kockan`, no descender) yet whose box
reaches below it as far as a `g` would holds a cedilla OCR did not read; a capital whose box rises past the
capitals of its line carries a mark above it (the dots of Ö, the dot of İ). How far a word's letters reach is
known from its text (a capital or an ascender to the capitals' top, a `g` or `y` below the baseline); how tall
the name's capitals are from the other words of the name, and the words of its line and column set in the
same type (a label beside a value or a caption under it often is not), each measured by what its own text
reaches; and where its line's baseline and capitals run from the words of its line that have no descender.
A word that has one cannot show a cedilla (it reaches no farther), and a box past both has taken in a rule
or a speck.

Ink beyond what the text explains is a mark lost. Where one letter of the word can carry it (ink below and
one `c` or `s`: a cedilla, `Kockan` → `Koçkan`; ink above and a capital O, U, I or G at its start), it is put
back; in every case the name is not filed as certain, since a speck of dirt or a stroke of the line below is
ink too. A name read a second time on the page with its marks (`Koçkan` in one place, `Kockan` in another)
takes them from there, as OCR drops marks far more often than it invents them. And where no box can tell (a
breve over a small g, the dots of a small ü), a holder from Turkey whose name has a word without marks, on a
page read without Turkish, is not filed as certain.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from classifiers.certificate_glyphs import UNMARKED_NAME_CONFIDENCE, field_words
from classifiers.lexicon import TURKISH_BODY, fold
from schemas.documents import ExtractedField, PageText, Word

# A word's letters and how far they reach: capitals, digits and ascenders to the capitals' top (a little above,
# a small difference the tolerances take), descenders and marks below a baseline letter below the baseline.
_ASCENDING = frozenset("bdfhklt0123456789ß")
_PUNCTUATION_LOW = frozenset(",;()[]{}|")
_DESCENDING = frozenset("gjpqyJQ") | _PUNCTUATION_LOW  # a serif capital J descends
_BELOW = frozenset("\u0326\u0327\u0328\u0323")  # comma below, cedilla, ogonek, dot below
DESCENDER = 0.3  # of the capital height: how far below the baseline a descender reaches
_REFERENCES = 2  # the fewest measured words around a word to tell its line's capitals by
_COLUMN = 0.01  # of the page width: words starting this close to a word's start stand in its column
_COLUMN_LINES = 12  # capital heights: how far above and below a word its column's words are measured
_REFERENCE_CONFIDENCE = 0.6  # a word read less surely is not measured (it may be a speck or a stroke)
_TRIM = ",.:;"
_SAME_TYPE = 0.1  # of the capital height: words this close in capital height are taken to be of one type

# Where the ink shows a mark and the word has one letter that takes it there, the letter it becomes.
TAKES_BELOW = {"c": "ç", "s": "ş", "C": "Ç", "S": "Ş"}
TAKES_ABOVE = {"O": "Ö", "U": "Ü", "I": "İ", "G": "Ğ"}  # a capital's mark rises past the capitals


@dataclass(frozen=True, slots=True)
class Reach:
    """What a word's text makes it reach: the capitals' top, below the baseline, a mark past either."""

    tall: bool  # a capital, a digit or an ascender: its top stands at the capitals' top
    low: bool  # a descender: its bottom is below the baseline
    above: bool  # a capital with a mark above it (`Ö`): its top is past the capitals' top
    below: bool  # a mark below a letter (`ç`): its bottom is below the baseline


def reach(text: str) -> Reach:
    """How far the letters (and punctuation) of `text` reach, as printed."""
    tall = low = above = below = False
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        tall = tall or base.isupper() or base in _ASCENDING
        low = low or base in _DESCENDING
        if any(m in _BELOW for m in marks):
            below = True
        elif marks and base.isupper():
            above = True
    return Reach(tall, low, above, below)


@dataclass(frozen=True, slots=True)
class Ink:
    """Ink of a word past what its text reaches, in capital heights (negative: short of it); `above` and
    `below` are None where its line gave no place to measure from (a word alone in its line: only `extra`,
    its height past what its letters need, is known)."""

    extra: float
    above: float | None
    below: float | None


def _pixels(word: Word, page: PageText) -> tuple[float, float, float, float]:
    box = word.bbox
    return box.x0 * page.width, box.y0 * page.height, box.x1 * page.width, box.y1 * page.height


def _measured(word: Word) -> bool:
    text = word.text.strip(_TRIM)
    return bool(text) and word.confidence >= _REFERENCE_CONFIDENCE and text.isalnum()


def _cap_height(word: Word, page: PageText) -> float | None:
    """The capital height of the word's type, from its box and what its text reaches."""
    shape = reach(word.text)
    if not shape.tall or shape.above or shape.below or any(c in _PUNCTUATION_LOW for c in word.text):
        return None  # a comma descends less far than a letter: it tells no type's height
    _, top, _, bottom = _pixels(word, page)
    return (bottom - top) / (1 + DESCENDER * shape.low)


def ink(word: Word, page: PageText, peers: Sequence[Word] = ()) -> Ink | None:
    """The ink of `word` past what its text reaches (see `Ink`), or None where too few words around it are
    measured to tell how tall its type is. `peers` are printed in its type (the other words of its value):
    the words of its line and column are measured only where as tall as they are (a label beside a value is
    often set larger, or stands in a cell of its own)."""
    shape = reach(word.text)  # with its punctuation: OCR boxes a comma with its word, and a comma descends
    if not shape.tall:
        return None
    left, top, right, bottom = _pixels(word, page)
    own = bottom - top
    near = [
        w
        for w in page.words
        if w is not word
        and _measured(w)
        and (
            (w.block, w.line) == (word.block, word.line)
            or (
                abs(_pixels(w, page)[0] - left) <= _COLUMN * page.width
                and abs(_pixels(w, page)[1] - top) <= _COLUMN_LINES * own
            )
        )
    ]
    measured = {id(w): h for w in [*peers, *near] if w is not word and _measured(w) and (h := _cap_height(w, page))}
    if not measured:
        return None
    alike = [measured[id(w)] for w in peers if id(w) in measured]
    if not alike:  # the words around may be captions or labels in a type of their own
        return None
    typical = statistics.median(alike)
    measured = {k: h for k, h in measured.items() if abs(h - typical) <= _SAME_TYPE * typical}
    if len(measured) < _REFERENCES:
        return None
    cap = statistics.median(measured.values())
    low = shape.low or shape.below  # a cedilla read reaches about as far as a descender
    extra = (own - cap * (1 + DESCENDER * low)) / cap
    standing = [
        w
        for w in [*peers, *near]
        if id(w) in measured and (w.block, w.line) == (word.block, word.line) and not reach(w.text).low
    ]
    if not standing:
        return Ink(extra, None, None)
    middle = (left + right) / 2
    baseline = _along(
        [((_pixels(w, page)[0] + _pixels(w, page)[2]) / 2, _pixels(w, page)[3]) for w in standing], middle
    )
    capitals = _along(
        [((_pixels(w, page)[0] + _pixels(w, page)[2]) / 2, _pixels(w, page)[1]) for w in standing], middle
    )
    return Ink(extra, (capitals - top) / cap, (bottom - baseline) / cap - DESCENDER * low)


def _along(points: list[tuple[float, float]], x: float) -> float:
    """Where the line through `points` (x, y) stands at `x`: a line left a little skewed by the scan drifts
    along the page (its words' bottoms by a capital's height from one end to the other)."""
    if len({px for px, _ in points}) < 2:
        return statistics.median(py for _, py in points)
    slope, intercept = statistics.linear_regression([px for px, _ in points], [py for _, py in points])
    return slope * x + intercept


# Letters a mark can stand below (a cedilla, an ogonek, a comma) and capitals that can carry one above, in the
# Latin alphabets of the holders seen: ink there may be a mark even where no one letter tells which.
_MAY_CARRY_BELOW = frozenset("cstCST")  # ç ş ţ
_MAY_CARRY_ABOVE = frozenset("AOUIG")  # Ä Ö Ü İ Ğ
_LATIN_NAME = re.compile(r"[A-Z][a-zıçşğöüäéèáíóúâêîôû]+")  # a name word as printed in small letters
MARK_FAR = 0.45  # of the capital height: ink reaching farther is a stroke or a rule, not a mark
_MARK_NEAR = {"above": 0.12, "below": 0.15, "either": 0.18}  # of the capital height: the least ink of a mark
_TALLER = 0.7  # of the least ink of a mark: how much taller than its letters the word's box must be besides
_OTHER_SIDE = 0.1  # of the capital height: a mark on one side leaves the other as the text reaches
_TWO_I = "ii"  # how OCR reads a ü whose dots ran into its strokes


def lost_mark(text: str, seen: Ink) -> tuple[str, bool] | None:
    """`text` (a name word, read with none or some of its marks) with the mark its ink shows put back where
    one letter can take it, and whether a mark may be lost at all; None where the ink shows none."""
    sides: list[str] = []
    # a mark below reaches no farther than a descender beside it: in a word with one, only a capital's mark
    # above can show, against the line's capitals
    shape = reach(text)
    low = shape.low or shape.below
    if seen.above is not None and seen.below is not None:
        # the word's box taller by the ink on one side, the other side where the line's letters end (a word
        # standing higher or lower than its line reaches past it on one side and falls short on the other)
        for side, past, other in (("below", seen.below, seen.above), ("above", seen.above, seen.below)):
            if side == "below" and low:
                continue
            near = _MARK_NEAR[side]
            if near <= past <= MARK_FAR and abs(other) < _OTHER_SIDE and seen.extra >= _TALLER * near:
                sides = [side]
    elif _MARK_NEAR["either"] <= seen.extra <= MARK_FAR and not low:
        sides = ["below", "above"]
    if not sides:
        return None
    places = []
    if "below" in sides:
        places += [(k, TAKES_BELOW[c]) for k, c in enumerate(text) if c in TAKES_BELOW]
    if "above" in sides and text[:1] in TAKES_ABOVE:
        places.append((0, TAKES_ABOVE[text[0]]))
    may = ("below" in sides and any(c in _MAY_CARRY_BELOW for c in text)) or (
        "above" in sides and text[:1] in _MAY_CARRY_ABOVE
    )
    if len(places) == 1:
        k, letter = places[0]
        return text[:k] + letter + text[k + 1 :], True
    return text, may


def _cased_like(word: str, twin: str) -> str | None:
    """`twin`'s marks on `word`'s letters, in `word`'s case; None where their letters differ."""
    if len(word) != len(twin):
        return None
    out = []
    for mine, theirs in zip(word, twin, strict=True):
        if fold(mine).casefold() != fold(theirs).casefold():
            return None
        lower = {"I": "ı", "İ": "i"}.get(theirs, theirs.lower())
        upper = {"i": "İ", "ı": "I"}.get(theirs, theirs.upper())
        out.append(upper if mine.isupper() else lower)
    return "".join(out)


def _twin(word: str, pages: Sequence[PageText]) -> str | None:
    """The word as read elsewhere on the document with marks (`Koçkan` for `Kockan`), where every reading
    with marks agrees; OCR drops marks far more often than it invents them."""
    # a ü OCR read as two i (`Giilen` beside `Gülen,`) is looked for as its plain u
    spellings = {fold(w).casefold(): w for w in (word, word.replace(_TWO_I, "u"))}
    found = {
        (spellings[key], w.text.strip(_TRIM))
        for p in pages
        for w in p.words
        if (key := fold(w.text.strip(_TRIM)).casefold()) in spellings and not w.text.strip(_TRIM).isascii()
    }
    # a twin with the marks the word has and more (`Işın` for `Isın`), never one without a mark it has
    marked = {
        m
        for mine, t in found
        if (m := _cased_like(mine, t)) is not None
        and m != word
        and all(a == b or fold(a) == a for a, b in zip(mine, m, strict=True))
    }
    return marked.pop() if len(marked) == 1 else None


def mend_name(field: ExtractedField, pages: Sequence[PageText], name: str) -> tuple[ExtractedField, str | None]:
    """`field` (a person's name in small letters on a certificate or notice) with the marks put back that a
    reading of the same name elsewhere or its own ink shows, and not certain (with the note that says why)
    where its ink shows a mark OCR may have lost (see the module docstring)."""
    if not isinstance(field.value, str):
        return field, None
    page = next((p for p in pages if p.page == field.page), None)
    # the value's own words: a field's box may take in its caption (`Vorname(n)` under the name)
    parts = {fold(part).casefold() for part in field.value.replace(",", " ").split()}
    words = [w for w in field_words(field, pages) if fold(w.text.strip(_TRIM)).casefold() in parts]
    value, doubted = field.value, []
    for part in sorted(set(_LATIN_NAME.findall(field.value)), key=len, reverse=True):
        twin = _twin(part, pages)
        if twin is not None:
            value = re.sub(rf"\b{part}\b", twin, value)
            continue
        if reach(part).above:  # a capital read with its mark (`Özcan`): its box is as tall as the mark makes it
            continue
        if _TWO_I in part[1:3]:  # `Ciineyit`: a ü read as two i after the capital (no twin read it right)
            doubted.append(part)
            continue
        printed = next((w for w in words if w.text.strip(_TRIM) == part), None)
        if printed is None or page is None:
            continue
        seen = ink(printed, page, [w for w in words if w is not printed])
        mended = lost_mark(part, seen) if seen is not None else None
        if mended is None:
            continue
        text, may = mended
        if text != part:
            value = re.sub(rf"\b{part}\b", text, value)
        if may:
            doubted.append(part)
    if value == field.value and not doubted:
        return field, None
    update: dict[str, object] = {"value": value}
    if not doubted:
        return field.model_copy(update=update), None
    update["confidence"] = min(field.confidence, UNMARKED_NAME_CONFIDENCE)
    return field.model_copy(update=update), (
        f"{name} may have lost a mark OCR did not read ({', '.join(doubted)}); please check it"
    )


_TURKISH_LANGUAGE = "tur"  # tesseract's Turkish: a page read without it cannot show ğ, ş or ı at all
_PLAIN_WORD = re.compile(r"[A-Za-z]+")
_TURKISH_LETTER = re.compile(r"[ğşıİŞĞ]")  # letters of Turkish alone (in letter case: `İ` is no `i`)


def doubt_turkish_holder(
    field: ExtractedField, context: Sequence[str], pages: Sequence[PageText], name: str
) -> tuple[ExtractedField, str | None]:
    """A holder born in or certified by Turkey (`context`: the birth place and the issuer, one of them
    Turkish: a Turkish letter, a Turkish body's name) whose name has a word read without marks, on pages read
    without Turkish: OCR could not have read a ğ, ş or ı there, and no box tells a ü or a ğ from a u or a g
    (`Cuneyit` for `Cüneyit`, `Ogulbas` for `Oğulbaş`), so the name is not certain."""
    if not isinstance(field.value, str) or any(_TURKISH_LANGUAGE in p.languages.split("+") for p in pages):
        return field, None
    if not any(_TURKISH_LETTER.search(value) or TURKISH_BODY.search(value) for value in context):
        return field, None
    plain = [word for word in _LATIN_NAME.findall(field.value) if _PLAIN_WORD.fullmatch(word)]
    if not plain:
        return field, None
    doubted = field.model_copy(update={"confidence": min(field.confidence, UNMARKED_NAME_CONFIDENCE)})
    return doubted, (
        f"{name} of a holder from Turkey was read without Turkish letters ({', '.join(plain)}), which the page's "
        "reading could not show; please check it"
    )
