"""The holder's full name from the visual zone of an identity document, confirmed by the MRZ (issue 17).

The MRZ holds names transliterated to A–Z and cut to fit its line (`SAHIN<<CAGRI`, a 45-character name cut
after 39); the visual zone prints them in full with their diacritics (`ŞAHİN`, `ÇAĞRI`, `MÜLLER-LÜDENSCHEIDT`).

A printed run of words is aligned letter by letter with the MRZ name, each printed letter standing for the
spellings ICAO allows it (`classifiers.translit.icao_variants`: Ü as UE or U, Ş as S, ß as SS, a hyphen or a
space as the filler). Where the MRZ name field is full the print may go on past the MRZ's end: that tail is
the part the MRZ cut. OCR loses marks and misreads letters, so the alignment also knows:

- dots OCR lost: a plain A, O or U read where the MRZ spells AE, OE or UE was Ä, Ö or Ü (the MRZ proves it),
  an A with or without marks where it spells AA was Å;
- slips: a letter misread, missed or added costs one slip and the MRZ's letter is taken at that place (the
  MRZ's letters are what a check of the print confirms; a mark the print shows on a letter it agrees with is
  kept). A reading with slips is `slips > 0`: the name is then not certain.
- look-alikes: a capital I read as a bar (`lAKOVLEV`, `lryna`: a small l inside a word of capitals, or
  starting a word, can only be an I) and rn read as m or m as rn (`Chemihiv`) are no slips where the MRZ has
  the letters they stand for; past the MRZ's cut a bar that can only be an I is made one.

A name field filled to its end, or to one short of it (a cut between two words leaves one filler, too few for
another name), may have been cut: the print may go on past the MRZ's end on its line and on the line below,
when that line is printed as the name is (`FRIEDRICH INGRID ILSE` over `LIESELOTTE`).

Runs are words of one printed line, split at slashes, colons and column gaps (a two-column layout prints
another field's value on the same line); a name wrapped over two lines (long given names) is a run of the
end of one line and the start of the line below it, aligned with it on the left.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from classifiers.translit import icao_transliterate, icao_variants
from schemas.documents import BBox, MrzCell, Word

MAX_WORDS = 6
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_MRZ_LIKE = re.compile(r"[A-Z0-9<]{20,}")
_HYPHENS = "-‐‑–"
_HYPHEN_RUN = re.compile(r"[ \-‐‑–]*[\-‐‑–][ \-‐‑–]*")  # `DÜRRENMATT - ÜBERLINGER`: one hyphen
_APOSTROPHES = "'’ʼ`´‘"
_COLUMN_GAP = 3.0  # a gap of this many letter widths between two words of a line parts two columns
_LEGIBLE = 0.5  # a word past the MRZ's end read less confidently than this is not taken as the name's
_WRAPPED_LEGIBLE = 0.8  # nor a line below past it read less confidently than this (`DEUTSCH` at 0.54)
_PREFILTER = 55.0  # rapidfuzz ratio below which a run is not aligned at all (speed: most runs are not the name)
_DOTTED = {"A": "Ä", "O": "Ö", "U": "Ü"}
_LOST_DOTS = 0.01  # a dot put back costs next to nothing, so that a print read with its dots still wins
_EXPLAINED = 0.5  # a slip at a letter the MRZ reader doubted costs less than one nothing explains
_BARS = "l|"  # what OCR makes of a capital I: a small l or a bar
# Read in Turkish, tesseract gives a capital I the dot of İ the print does not show (`ocr.visual_zone`): another
# reading's İ is a doubt, not a mark to put into the name
INVENTED_MARKS = frozenset("İ")
# (letter OCR read, letter the MRZ spells): the marked letter printed there, where the holder's alphabet has it.
# Tesseract reads a C with a cedilla as a G (`GELIKKIRAN` for `ÇELIKKIRAN`, `Akga` for `Akça`): the MRZ's C
# says the letter is a C, the G that something hangs from it.
_MISREAD_MARKS = {("G", "C"): "Ç"}


@dataclass(frozen=True)
class PrintedName:
    text: str
    confidence: float
    bbox: BBox
    slips: int = 0  # letters OCR misread, missed or added that the MRZ put right (0: the print confirms it)
    # the name goes on past the MRZ's cut onto the line below: no MRZ letter confirms that part, and the line
    # below a name is also where the next field's value is printed (`ÖTZKAN` over `DEUTSCH`)
    wrapped: bool = False
    read: tuple[str, ...] = ()  # per MRZ letter, the printed characters OCR read for it (`_Aligned.read`)
    at: tuple[int, ...] = ()  # per MRZ letter, where in `text` the letter that stands for it is
    past_cut: int = 0  # letters of `text` past the MRZ's cut (the part no MRZ letter confirms)


def _outside(words: Sequence[Word], zone: BBox | None) -> list[Word]:
    kept = []
    for word in words:
        if "<" in word.text or _MRZ_LIKE.fullmatch(word.text.replace(" ", "")):
            continue
        if zone is not None:
            x, y = (word.bbox.x0 + word.bbox.x1) / 2, (word.bbox.y0 + word.bbox.y1) / 2
            if zone.x0 <= x <= zone.x1 and zone.y0 <= y <= zone.y1:
                continue
        kept.append(word)
    return kept


def _letter_width(word: Word) -> float:
    return (word.bbox.x1 - word.bbox.x0) / max(1, len(word.text))


def _lines(words: Sequence[Word]) -> list[tuple[list[Word], float]]:
    """Runs of words of one printed line, split at slashes (`ШЕВЧЕНКО / SHEVCHENKO`), colons standing alone
    and column gaps, each with where its printed line (or column) starts."""
    lines: dict[tuple[int, int], list[Word]] = {}
    for word in words:
        lines.setdefault((word.block, word.line), []).append(word)
    out: list[tuple[list[Word], float]] = []
    for line in lines.values():
        run: list[Word] = []
        line_start = min(w.bbox.x0 for w in line)
        for word in sorted(line, key=lambda w: w.bbox.x0):
            gap = word.bbox.x0 - run[-1].bbox.x1 if run else 0.0
            wide = bool(run) and gap > _COLUMN_GAP * max(_letter_width(run[-1]), _letter_width(word))
            if word.text.strip() in ("/", "|", ":") or wide:
                if run:
                    out.append((run, line_start))
                line_start = word.bbox.x0 if wide else line_start  # a column starts a line of its own
                run = [] if word.text.strip() in ("/", "|", ":") else [word]
                continue
            run.append(word)
        if run:
            out.append((run, line_start))
    return out


@dataclass(frozen=True)
class _Run:
    """A run of words of one line (`_lines`) with the measures `_below` compares, taken once."""

    words: list[Word]
    start: float  # where its printed line (or column) starts
    top: float
    bottom: float
    height: float  # of its tallest word
    x0: float  # of its first word
    slack: float  # two letters of its first word: how far a line below may start from it


def _run(words: list[Word], start: float) -> _Run:
    return _Run(
        words,
        start,
        top=min(w.bbox.y0 for w in words),
        bottom=max(w.bbox.y1 for w in words),
        height=max(w.bbox.y1 - w.bbox.y0 for w in words),
        x0=words[0].bbox.x0,
        slack=2 * _letter_width(words[0]),
    )


def _below(upper: _Run, lower: _Run) -> bool:
    """Whether `lower` is printed right below `upper`, as large (where it starts is `_aligned`'s to say)."""
    height = upper.height
    gap = lower.top - upper.bottom
    return -0.2 * height < gap < 0.9 * height and 0.6 < lower.height / height < 1.6


def _aligned(upper: _Run, lower: _Run, name_at: float) -> bool:
    """Whether `lower` starts where `upper`, its printed line or the name on it (`name_at`) starts: a wrapped
    name (`GÜLŞEN` over `ÇİĞDEM`, `Vornamen: GÜLŞEN` over `ÇİĞDEM`, `2. JOHANNES CORNELIS` over its
    `MARIA`, indented past the line's number)."""
    return any(abs(lower.x0 - x) < upper.slack for x in (upper.x0, upper.start, name_at))


def _candidates(runs: Sequence[_Run]) -> list[tuple[list[Word], tuple[int, ...]]]:
    """Every run of up to MAX_WORDS words of one line, and of a line's end with the start of the lines below
    it (a name wrapped over two lines or more: given names one to a line in a narrow column); each with where
    in it each line below starts."""
    out: list[tuple[list[Word], tuple[int, ...]]] = []
    for run in runs:
        line = run.words
        for start in range(len(line)):
            out.extend((line[start:end], ()) for end in range(start + 1, min(len(line), start + MAX_WORDS) + 1))
    under = {id(run): [other for other in runs if other is not run and _below(run, other)] for run in runs}

    def grow(words: list[Word], breaks: tuple[int, ...], last: _Run, name_at: float) -> None:
        for lower in under[id(last)]:
            if not _aligned(last, lower, name_at):
                continue
            for end in range(1, min(len(lower.words), MAX_WORDS - len(words)) + 1):
                picked = words + lower.words[:end]
                out.append((picked, (*breaks, len(words))))
                if end == len(lower.words) and len(picked) < MAX_WORDS:
                    grow(picked, (*breaks, len(words)), lower, lower.x0)

    for upper in runs:
        for start in range(max(0, len(upper.words) - MAX_WORDS + 1), len(upper.words)):
            grow(upper.words[start:], (), upper, upper.words[start].bbox.x0)
    return out


def _text(picked: Sequence[Word]) -> str:
    """The words as one name: edges of punctuation stripped, a hyphen kept where a word ends or begins with one
    (OCR parts `DÜRRENMATT-` from `ÜBERLINGER`)."""
    out = ""
    hyphen = False
    for word in picked:
        core = _EDGE.sub("", word.text)
        starts = word.text[:1] in _HYPHENS
        if core:
            out += ("-" if hyphen or starts else " ") + core if out else core
        hyphen = word.text[-1:] in _HYPHENS
    return out


def _latin(char: str) -> bool:
    return char.isascii() or unicodedata.name(char, "").startswith("LATIN")


@lru_cache(maxsize=512)
def _spellings(char: str) -> tuple[tuple[str, float, str], ...]:
    """What one printed character may stand for in the MRZ: (MRZ letters, cost, the character to print)."""
    if char in " " + _HYPHENS:
        return ((" ", 0.0, char),)
    if char in _APOSTROPHES:
        return (("", 0.0, char),)
    if not char.isalpha() or not _latin(char):
        return ()
    out = [(v, 0.0, char) for v in icao_variants(char) if v]
    upper = char.upper()
    base = unicodedata.normalize("NFD", upper)[0]
    marked: list[tuple[str, str]] = []
    if upper in _DOTTED:
        marked.append((upper + "E", _DOTTED[upper]))
    if base == "A" and upper != "Å":  # the ring read as dots, or lost: only Å is spelt AA
        marked.append(("AA", "Å"))
    for letters, shown in marked:
        out.append((letters, _LOST_DOTS, shown if char.isupper() else shown.lower()))
    return tuple(out)


@dataclass(frozen=True)
class _Aligned:
    cost: float
    slips: int
    text: str  # the part the MRZ holds, as printed (the MRZ's letters where OCR slipped)
    tail: str = ""  # what the print goes on with past a full MRZ name field (the part the MRZ cut)
    explained: int = 0  # slips at letters the MRZ reader doubted, where the print's letter was taken
    # per MRZ letter, the printed characters OCR read for it ("" where it missed it; Ü for both U and E of UE),
    # and where in `text` the letter that stands for it is
    read: tuple[str, ...] = ()
    at: tuple[int, ...] = ()


def _capital_i(text: str) -> list[bool]:
    """Per character, whether it is a bar (`l`, `|`) that can only be a capital I: inside a word printed in
    capitals (`lAKOVLEV`, `ÖZDEMlR`) or at the start of a word (`lryna`: a name starts with a capital)."""
    out = [False] * len(text)
    for word in re.finditer(r"[^\s\-‐‑–]+", text):
        letters = [c for c in word.group() if c.isalpha() and c not in _BARS]
        capitals = len(letters) >= 2 and all(c.isupper() for c in letters)
        for k in range(word.start(), word.end()):
            out[k] = text[k] in _BARS and (capitals or k == word.start())
    return out


def _unbarred(text: str) -> str:
    """The text with each bar that can only be a capital I (`_capital_i`) made one, where no MRZ letter tells
    (the part past the MRZ's cut): not at the start of a short word, which may be a particle (`la`, `los`)."""
    out = list(text)
    for word in re.finditer(r"[^\s\-‐‑–]+", text):
        bars = _capital_i(word.group())
        short = len(word.group()) < 4
        for k, bar in enumerate(bars):
            if bar and not (short and k == 0 and not word.group()[1:].isupper()):
                out[word.start() + k] = "I"
    return "".join(out)


def align(
    printed: str, mrz: str, *, truncated: bool, doubted: Sequence[frozenset[str]] = (), alphabet: str | None = None
) -> _Aligned | None:
    """The printed name aligned with the MRZ name (see the module docstring): its cost, the slips in it and the
    name as printed with the MRZ's letters where OCR slipped; None when the print does not reach the MRZ's end.

    `doubted`, per MRZ letter, the other letters the MRZ reader thought it might be: where the print reads one
    of those instead, the print's letter is taken (a stamp over the zone made the MRZ's doubtful), still a slip.
    `alphabet`, the marked letters of the holder's (`ALPHABETS`): a letter OCR makes of a marked one where the
    MRZ spells its base letter (`_MISREAD_MARKS`: the cedilla of Ç read as the spur of a G) is that marked
    letter, still a slip.

    Remembered: the identity reader looks for a name's print several times over (once sure, once with slips, every
    reading, the card-back test), and a name wrapped over lines is a run of many of the same words."""
    return _align(printed, mrz, truncated, tuple(doubted), alphabet)


@lru_cache(maxsize=8192)
def _align(
    printed: str, mrz: str, truncated: bool, doubted: tuple[frozenset[str], ...], alphabet: str | None
) -> _Aligned | None:
    text = _HYPHEN_RUN.sub("-", " ".join(printed.split()))
    bars = _capital_i(text)
    n, m = len(text), len(mrz)
    inf = float("inf")
    # cost[i][j]: of the first i printed characters spelling the first j MRZ letters; back[i][j]: the cell
    # that step came from, what it prints and whether it was a slip
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, str, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            here = cost[i][j]
            if here == inf:
                continue
            steps: list[tuple[int, int, float, str, int]] = []
            if i < n:
                char = text[i]
                for letters, extra, shown in _spellings(char):
                    if mrz.startswith(letters, j):
                        steps.append((i + 1, j + len(letters), extra, shown, 0))
                    elif truncated and j < m and letters.startswith(mrz[j:]):  # the MRZ cut inside a letter (Ü→U)
                        steps.append((i + 1, m, extra, shown, 0))
                if bars[i] and mrz.startswith("I", j):  # a capital I OCR read as a bar: no slip
                    steps.append((i + 1, j + 1, 0.0, "I", 0))
                if char in "mM" and mrz.startswith("RN", j):  # `Chernihiv` read `Chemihiv`: no slip
                    steps.append((i + 1, j + 2, 0.0, "rn" if char == "m" else "RN", 0))
                if text[i : i + 2] in ("rn", "RN") and mrz.startswith("M", j):  # and an m read as rn
                    steps.append((i + 2, j + 1, 0.0, "m" if char == "r" else "M", 0))
                steps.append((i + 1, j, 1.0, "", 1))  # a character OCR added
                if j < m:
                    shown = _MISREAD_MARKS.get((char.upper(), mrz[j]), mrz[j])
                    shown = mrz[j] if alphabet is None or shown not in alphabet else shown
                    shown = shown.lower() if char.islower() else shown
                    if j < len(doubted) and any(len(o) == 1 and o in doubted[j] for o, _, _ in _spellings(char)):
                        # the MRZ reader doubted its letter, and the print reads one it considered
                        steps.append((i + 1, j + 1, _EXPLAINED, char, 2))
                    else:
                        steps.append((i + 1, j + 1, 1.0, shown, 1))  # a letter misread
            if j < m:
                steps.append((i, j + 1, 1.0, mrz[j], 1))  # a letter OCR missed
            for ni, nj, step, shown, slip in steps:
                if here + step < cost[ni][nj]:
                    cost[ni][nj] = here + step
                    back[ni][nj] = (i, j, shown, slip)
    best_i = n
    if truncated:  # past the MRZ's end the print goes on: the part the MRZ cut (cheapest end that reads it all)
        best_i = min(range(n + 1), key=lambda i: (cost[i][m], -i))
    if cost[best_i][m] == inf:
        return None
    steps_taken: list[tuple[int, int, str, str]] = []  # MRZ letters from, to; what OCR read; what is printed
    slips = explained = 0
    i, j = best_i, m
    while (i, j) != (0, 0):
        came = back[i][j]
        assert came is not None
        ni, nj = i, j
        i, j, shown, slip = came
        steps_taken.append((j, nj, text[i:ni], shown))
        slips += slip > 0
        explained += slip == 2
    read, at, printed_so_far = [""] * m, [0] * m, 0
    for start, stop, ocr, shown in reversed(steps_taken):
        for k in range(start, stop):
            read[k], at[k] = ocr, printed_so_far
        printed_so_far += len(shown)
    name = "".join(shown for *_, shown in reversed(steps_taken))
    return _Aligned(cost[best_i][m], slips, name, _unbarred(text)[best_i:], explained, tuple(read), tuple(at))


def _continues(upper: Sequence[Word], lower: Sequence[Word], tail: str) -> bool:
    """Whether the words of the line below, all past the MRZ's cut (`tail`), go on with the name of the line
    above: printed as the name is (its letter case, its height, legibly), not as a label (`Date of birth`)."""
    if len(tail.strip()) < len(_text(lower)):
        return False
    name = "".join(c for c in _text(upper) if c.isalpha())
    rest = [_unbarred(_EDGE.sub("", w.text)) for w in lower]
    capitals = name.isupper()
    height = sum(w.bbox.y1 - w.bbox.y0 for w in upper) / len(upper)
    return all(
        word
        and word.isalpha()
        and w.confidence >= _WRAPPED_LEGIBLE
        and (word.isupper() if capitals else word[0].isupper())
        and 0.8 < (w.bbox.y1 - w.bbox.y0) / height < 1.25
        for w, word in zip(lower, rest, strict=True)
    )


def _wrapped_on(picked: Sequence[Word], breaks: tuple[int, ...], past: int, tail: str, runs: Sequence[_Run]) -> bool:
    """Whether each line of `picked` from word `past` on (all past the MRZ's cut) goes on with the name of the
    line above it (`_continues`) where its first word would not have fit on that line (`_would_fit`)."""
    starts = (0, *breaks, len(picked))
    for k in range(1, len(starts) - 1):
        if starts[k] < past:
            continue
        upper, lower = picked[starts[k - 1] : starts[k]], picked[starts[k] : starts[k + 1]]
        if not _continues(upper, lower, tail) or _would_fit(upper, lower, runs):
            return False
    return True


# The marked letters of the Latin alphabets of states whose documents print names in their own letters only
# (ICAO 9303 codes). A marked letter outside the holder's alphabet is a misread mark (Czech writes Á, never
# Ä: `HÄJEK` read where `HÁJEK` is printed). Germany, Austria and Switzerland are not listed: their documents
# print names of other origins with their own letters (`ŞAHİN`).
ALPHABETS = {
    "CZE": "ÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ",
    "SVK": "ÁÄČĎÉÍĹĽŇÓÔŔŠŤÚÝŽ",
    "POL": "ĄĆĘŁŃÓŚŹŻ",
    "TUR": "ÇĞİÖŞÜÂÎÛ",
    "ROU": "ĂÂÎȘȚŞŢ",
    "MDA": "ĂÂÎȘȚŞŢ",
    "HUN": "ÁÉÍÓÖŐÚÜŰ",
    "HRV": "ČĆĐŠŽ",
    "ISL": "ÁÐÉÍÓÚÝÞÆÖ",
}


def _foreign(name: str, alphabet: str | None) -> int:
    """Marked letters of the name that the holder's alphabet does not write (0 where it is not known)."""
    if alphabet is None:
        return 0
    return sum(1 for c in name.upper() if c.isalpha() and not ("A" <= c <= "Z") and c not in alphabet)


_COLUMN_NEAR = 6.0  # line heights above and below a name line within which lines of its column are looked at


def _would_fit(upper: Sequence[Word], lower: Sequence[Word], runs: Sequence[_Run]) -> bool:
    """Whether the first word of the line below would have fit at the end of the upper line: its column is as
    wide as the widest line near it that starts where it starts and is printed as large. A name goes on to the
    line below only where its next word did not fit (`ÖTZKAN` over `DEUTSCH`, in a column that prints
    `DÜRRENMATT-ÜBERLINGER`: the nationality below the given name, not the name's end)."""
    x0 = upper[0].bbox.x0
    top = min(w.bbox.y0 for w in upper)
    height = max(w.bbox.y1 - w.bbox.y0 for w in upper)
    slack = 2 * _letter_width(upper[0])
    right = max(
        (
            run.words[-1].bbox.x1
            for run in runs
            if abs(run.x0 - x0) < slack
            and 0.8 < run.height / height < 1.25
            and abs(run.top - top) < _COLUMN_NEAR * height
        ),
        default=upper[-1].bbox.x1,
    )
    word = lower[0].bbox.x1 - lower[0].bbox.x0
    return upper[-1].bbox.x1 + _letter_width(upper[-1]) + word < right


def _marks(name: str) -> int:
    """Letters of the name that carry a mark or are not a plain A-Z letter (Ł, ß, İ)."""
    return sum(1 for c in name if c.isalpha() and not ("A" <= c.upper() <= "Z" and c.isascii()))


def _allowed_slips(mrz: str) -> int:
    """Slips a reading may have and still be the name: one in six letters."""
    return len(mrz.replace(" ", "")) // 6


def full_name(
    words: Sequence[Word],
    zone: BBox | None,
    mrz: str,
    *,
    truncated: bool,
    slips: bool = False,
    doubted: Sequence[frozenset[str]] = (),
    alphabet: str | None = None,
) -> PrintedName | None:
    """The printed form of the MRZ name `mrz` (surname or given names), or None when no printed run is it.

    Without `slips` only a print that spells the MRZ name (dots OCR lost put back) is taken; with it, also one
    OCR misread in a few letters, with the MRZ's letters where it slipped (`PrintedName.slips`), or the print's
    where the MRZ reader doubted its own (`doubted`, see `align`). `alphabet`, the marked letters of the
    holder's alphabet (`ALPHABETS`): of two readings that spell the MRZ name alike, one in those letters is
    taken (a page read twice, in German and in the holder's language: `HÄJEK` and `HÁJEK`)."""
    found = printed_readings(words, zone, mrz, truncated=truncated, slips=slips, doubted=doubted, alphabet=alphabet)
    return found[0] if found else None


def printed_readings(
    words: Sequence[Word],
    zone: BBox | None,
    mrz: str,
    *,
    truncated: bool,
    slips: bool = False,
    doubted: Sequence[frozenset[str]] = (),
    alphabet: str | None = None,
) -> list[PrintedName]:
    """Every printed run that is the MRZ name `mrz` (as `full_name` takes them), the one `full_name` takes
    first: a page read more than once (the page pass, the closer look at its visual zone, a name line alone)
    holds a reading of the name per pass, and where they disagree on a mark the name is in doubt
    (`disputed_marks`)."""
    if not mrz:
        return []
    limit = _allowed_slips(mrz) if slips else 0
    ranked: list[tuple[tuple[float, int, int, int, float], PrintedName]] = []
    printed = _outside(words, zone)
    # Latin script only: a Cyrillic or Arabic name is `original_script_name`, not the surname field (a run's
    # text is its words' cores joined by spaces and hyphens, so a word is judged once, not in every run)
    foreign = {
        id(w) for w in printed if any(c.isdigit() or (c.isalpha() and not _latin(c)) for c in _EDGE.sub("", w.text))
    }
    runs = [_run(line, start) for line, start in _lines(printed)]
    for picked, breaks in _candidates(runs):
        if any(id(w) in foreign for w in picked):
            continue
        text = _text(picked)
        if not text:
            continue
        folded = icao_transliterate(text)
        if fuzz.ratio(folded[: len(mrz) + 2] if truncated else folded, mrz) < _PREFILTER:
            continue
        aligned = align(text, mrz, truncated=truncated, doubted=doubted if slips else (), alphabet=alphabet)
        if aligned is None:
            continue
        unexplained = aligned.slips - aligned.explained
        if unexplained > limit or (unexplained and len(mrz) < 4) or aligned.explained > max(1, len(mrz) // 4):
            continue
        # a name goes on to the line below only where the MRZ does (else the line below is the next field),
        # or where the MRZ was cut and each line below past the cut is printed as the name is
        past = [b for b in breaks if len(aligned.tail.strip()) >= len(_text(picked[b:]))]
        wrapped_past = bool(past)
        if past and not _wrapped_on(picked, breaks, past[0], aligned.tail, runs):
            continue
        # whole words past the MRZ's end are the name's only when read legibly (else noise beside it)
        whole_words_past = len(aligned.tail.replace("-", " ").split()) - (not aligned.tail[:1].isspace())
        if any(w.confidence < _LEGIBLE for w in picked[len(picked) - max(0, whole_words_past) :]):
            continue
        name = aligned.text + aligned.tail
        if aligned.slips and sum(c.isupper() for c in name) > sum(c.islower() for c in name):
            name = name.upper()
        box = BBox(
            x0=min(w.bbox.x0 for w in picked),
            y0=min(w.bbox.y0 for w in picked),
            x1=max(w.bbox.x1 for w in picked),
            y1=max(w.bbox.y1 for w in picked),
        )
        confidence = min(w.confidence for w in picked)
        found = PrintedName(
            name, confidence, box, aligned.slips, wrapped_past, aligned.read, aligned.at, len(aligned.tail)
        )
        # fewest slips first; then the longest (a cut MRZ name matches its printed prefix too); then the one
        # in the holder's letters; then the one showing more marks (a page read twice, once without the
        # holder's letters: `ŁĘCKA` over `LECKA`, as OCR drops marks far more often than it makes them up);
        # then the surest
        ranked.append(((aligned.cost, -len(name), _foreign(name, alphabet), -_marks(name), -confidence), found))
    ranked.sort(key=lambda r: r[0])
    return [found for _, found in ranked]


def disputed_marks(
    chosen: PrintedName, readings: Sequence[PrintedName], mrz: str, markable: frozenset[str], alphabet: str | None
) -> tuple[str, bool]:
    """The chosen reading of the MRZ name with the marks another reading of it shows, and whether the readings
    disagree on a mark.

    ICAO transliteration tells where a mark may stand: at an MRZ letter the holder's alphabet also writes with a
    mark the MRZ drops (`markable`: Turkish C for Ç, S for Ş, G for Ğ, I for İ and ı, O, U). Where the chosen
    reading shows that letter plain and another reading of the same name (the page pass, the closer look at
    its visual zone in the holder's language, a name line read alone) shows a mark there (`HANÇER` beside
    `HANCER`), or the letter OCR makes of the marked one (`HANGER`: a cedilla read as the spur of a G,
    `_MISREAD_MARKS`), the print is in doubt. A mark another reading shows, of the holder's `alphabet` and spelt as
    the MRZ spells that letter (`align` made such a G a Ç), is put into the name, as OCR drops marks far more
    often than it makes them up (but for the dot of İ, which tesseract's Turkish gives any capital I:
    `INVENTED_MARKS`)."""
    letters = list(chosen.text)
    disputed = False
    for j, letter in enumerate(mrz):
        if j >= len(chosen.read) or letter not in markable:
            continue
        plain = chosen.read[j]
        if len(plain) != 1 or plain.upper() != letter or not plain.isascii() or not letters[chosen.at[j]].isascii():
            continue  # read with its mark, or given it where the MRZ spells it (a U read where it spells UE: Ü)
        for other in readings:
            seen = other.read[j] if j < len(other.read) else ""
            misread_mark = (seen.upper(), letter) in _MISREAD_MARKS
            if len(seen) != 1 or not seen.isalpha() or (seen.isascii() and not misread_mark):
                continue  # the same letter, or another one OCR made of it that no mark explains (`Y` for `U`)
            disputed = True
            mark = other.text[other.at[j]].upper() if j < len(other.at) else ""
            if (
                alphabet is not None
                and mark in alphabet
                and mark not in INVENTED_MARKS
                and icao_transliterate(mark)[:1] == letter
                and letters[chosen.at[j]].upper() == letter
            ):
                letters[chosen.at[j]] = mark if plain.isupper() else mark.lower()
    return "".join(letters), disputed


_UMLAUT_BASES = "AOU"  # the letters whose umlaut the MRZ spells with an E after them (Ä as AE, ICAO 9303)


def unconfirmed_umlauts(printed: PrintedName, *, sure: bool) -> bool:
    """Whether a plain A, O or U of the printed name may be an umlaut OCR lost, where the MRZ cannot tell:
    where the MRZ cuts a word right after one (`DO` of `DÖRTHE`: the E of OE cut off, so the print's `DO` may
    be DÖ), or, where OCR was not `sure` of the print, in the part past the cut (`KATHE` past `...<<`), which
    no MRZ letter confirms."""
    if not printed.past_cut:
        return False
    head, tail = printed.text[: -printed.past_cut], printed.text[-printed.past_cut :]
    inside_a_word = head[-1:].isalpha() and tail[:1].isalpha()
    at_cut = inside_a_word and head[-1].upper() in _UMLAUT_BASES
    return at_cut or (not sure and any(c.upper() in _UMLAUT_BASES for c in tail))


def marks_past_the_cut(chosen: PrintedName, readings: Sequence[PrintedName]) -> str:
    """The chosen reading with the marks another reading of the same letters shows where the MRZ cannot tell
    (`unconfirmed_umlauts`: the letter at the cut and those past it): `DORTHE` beside `DÖRTHE`, which lost to
    it by a slip before the cut."""
    if not chosen.past_cut:
        return chosen.text
    size = chosen.past_cut + 1  # the letter at the cut and those past it
    letters = list(chosen.text)
    start = len(letters) - size
    for other in readings:
        if other.past_cut != chosen.past_cut or _folded(other.text[-size:]) != _folded(chosen.text[-size:]):
            continue
        for k, mark in enumerate(other.text[-size:], start=start):
            if letters[k].isascii() and not mark.isascii() and _folded(mark) == letters[k].upper():
                letters[k] = mark.upper() if letters[k].isupper() else mark.lower()
    return "".join(letters)


def _folded(text: str) -> str:
    """Upper case, marks dropped (`Dörthe` -> `DORTHE`), one character for one."""
    return "".join(unicodedata.normalize("NFD", c.upper())[:1] for c in text)


_LETTER_OF = str.maketrans("012568", "OIZSGB")  # a digit the cell reader saw in a name is the letter it resembles
DOUBT = 0.01  # a letter the MRZ cell reader gave at least this probability is one it was in doubt about


def doubted_letters(
    lines: Sequence[str], cells: Sequence[Sequence[MrzCell]], start: tuple[int, int], name: str
) -> tuple[frozenset[str], ...]:
    """Per letter of an MRZ name (fillers as spaces) starting at (line, column) of the zone, the other letters
    its cell's reader gave some probability; empty sets where the zone holds another letter there (a repair)."""
    line, column = start
    out: list[frozenset[str]] = []
    for k, letter in enumerate(name):
        col = column + k
        if line >= len(cells) or col >= len(cells[line]) or lines[line][col : col + 1] != letter.replace(" ", "<"):
            out.append(frozenset())
            continue
        cell = cells[line][col]
        seen = {c.translate(_LETTER_OF) for c, p in zip(cell.chars, cell.probabilities, strict=False) if p >= DOUBT}
        out.append(frozenset(seen - {letter}))
    return tuple(out)


def _name_line(lines: Sequence[str]) -> str:
    return lines[-1] if len(lines) == 3 else lines[0][5:]


def name_field_full(lines: Sequence[str]) -> bool:
    """Whether the MRZ name field is filled to its end, or to one short of it, so the name may have been cut:
    a name cut between two words ends one filler short (`MUEHLENKAMP<<FRIEDRICH<INGRID<` of FRIEDRICH INGRID
    ILSE LIESELOTTE), as the next name would not fit in one character."""
    if not lines:
        return False
    name_line = _name_line(lines)
    return len(name_line) >= 2 and (name_line[-1] != "<" or name_line[-2] != "<")


def given_names_cut_off(lines: Sequence[str]) -> bool:
    """Whether the MRZ name field holds a surname alone that reaches to within two fillers of its end, so
    the given names may have been cut off whole (`SCHIMMELPENNINCK<VAN<DER<OYE<<` on a card: no room was
    left for a letter of them)."""
    if not lines:
        return False
    name_line = _name_line(lines)
    surname = name_line.rstrip("<")
    return bool(surname) and "<<" not in surname and len(surname) >= len(name_line) - 2
