"""Search terms: every usual spelling of a name, a date or a number reduced to the same few keys.

A clerk types a name as they heard or read it: `Alhasan`, `Al-Hassan`, `Syrotenko`, `Sirotenko`,
`Сиротенко`, `Schewtschenko`; a birth date as `12.11.2005`, `12/11/05` or `2005-11-12`; a passport number
with or without its spaces. The person-matching room already reduces name spellings to romanisation-proof
forms (`classifiers.persons_names`); this module writes those forms as *terms* that a search index stores
per document and a query looks up:

- `n:<soft form>` for a name word (the ICAO spelling in the phonetic form in which ICAO, German (Duden),
  English (BGN/PCGN) and scholarly romanisations agree); a glued article (`Alhassan`) also gives the word
  without it, and a word in Arabic spelling the reading of CH/GH/TH/DH as Arabic sounds;
- `g:<group>` for a given name listed with its equivalents (Mykola/Nikolai, Muhammad/Mehmet);
- `k:<consonants>` for the consonant skeleton, which is all Arabic script gives (short vowels unwritten);
- `d:YYYY-MM-DD` for a date, `x:<LETTERS AND DIGITS>` for a document, file or certificate number.

Typos are left to the index's trigram lookup over the `n:` terms (`fuzzy_distance_ok` says which of its
candidates count). Nothing here touches a database.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import pairwise

from rapidfuzz.distance import Levenshtein

from classifiers.name_variants import PARTICLES
from classifiers.persons_names import _plain_tokens, arabic_spelling, latin_spelling
from classifiers.translit import script_of

NAME, GROUP, KEY, DATE, NUMBER = "n:", "g:", "k:", "d:", "x:"
#: Fields whose values are names of the person (all other text fields are searched as full text only).
NAME_FIELDS = frozenset({"surname", "given_names", "recipient_name", "person_name", "original_script_name"})
_LINE = re.compile(r"^([a-z_]+): (.*)$")
_WORD = re.compile(r"[^\W\d_]+(?:[-‐'’][^\W\d_]+)*", re.UNICODE)
_ALNUM = re.compile(r"[^0-9A-Z]")
_MONTHS = {
    "jan": 1, "januar": 1, "january": 1, "jän": 1, "feb": 2, "februar": 2, "february": 2, "mär": 3, "mar": 3,
    "märz": 3, "maerz": 3, "march": 3, "apr": 4, "april": 4, "mai": 5, "may": 5, "jun": 6, "juni": 6,
    "june": 6, "jul": 7, "juli": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "okt": 10, "oct": 10, "oktober": 10, "october": 10, "nov": 11, "november": 11, "dez": 12, "dec": 12,
    "dezember": 12, "december": 12,
}  # fmt: skip
_NUMERIC_DATE = re.compile(
    r"(?<![\w.])(?:(?P<y1>\d{4})[-./ ](?P<m1>\d{1,2})[-./ ](?P<d1>\d{1,2})"
    r"|(?P<d2>\d{1,2})[-./ ]\s?(?P<m2>\d{1,2})[-./ ]\s?(?P<y2>\d{4}|\d{2})"
    r"|(?P<compact>\d{8}))(?![\w])"
)
_NAMED_DATE = re.compile(r"(?<!\w)(?P<d>\d{1,2})\.?\s*(?P<mon>[^\W\d_]{3,9})\.?\s*(?P<y>\d{4})(?!\w)", re.UNICODE)


_MONTHS = {
    _key: _month
    for _name, _month in _MONTHS.items()
    for _key in (_name, _name.replace("ä", "a"), _name.replace("ä", "ae"))
}


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without diacritics (ß as ss), for matching words of the full text and for highlighting."""
    decomposed = unicodedata.normalize("NFKD", text.replace("ß", "ss").replace("ẞ", "SS"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


# --- names ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def word_terms(word: str) -> tuple[tuple[str, float], ...]:
    """The terms one name word (any script) stands for, each with how strongly it identifies the word."""
    if script_of(word) == "arabic":
        spelling = arabic_spelling(word[2:] if word.startswith("ال") and len(word) > 4 else word)
        return ((KEY + spelling.latin_key, 0.75),) if spelling.latin_key else ()
    terms: dict[str, float] = {}
    for plain in _plain_tokens(word, None):
        spelling = latin_spelling(plain)
        for soft in spelling.softs:
            terms.setdefault(NAME + soft, 1.0)
        if spelling.without_article is not None:
            for soft in spelling.without_article.softs:
                terms.setdefault(NAME + soft, 0.95)
        if spelling.group:
            terms.setdefault(GROUP + spelling.group, 0.9)
        if spelling.key and len(spelling.key) >= 2:
            terms.setdefault(KEY + spelling.key, 0.6)
    return tuple(terms.items())


def name_words(text: str) -> list[str]:
    return _WORD.findall(text)


def name_terms(text: str) -> set[str]:
    """Index terms of a names text: each word, and two neighbouring words glued (Bani Rashid/Banirashid)."""
    words = name_words(text)
    out = {t for w in words for t, _ in word_terms(w)}
    for a, b in pairwise(words):
        if script_of(a) == script_of(b) == "latin" and len(a) > 1 and len(b) > 1:
            out.update(t for t, _ in word_terms(a + b) if t.startswith(NAME))
    return out


# --- dates and numbers -----------------------------------------------------------------------------------


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _century(two_digits: int) -> int:
    return 2000 + two_digits if two_digits <= date.today().year % 100 else 1900 + two_digits


def find_dates(text: str) -> Iterator[tuple[str, int, int]]:
    """Every date written in `text` in a usual form, as ISO, with where it stands: 12.11.2005, 12/11/05,
    2005-11-12, 2005 11 12, 12112005, 12. November 2005, 12 Nov 2005. A day-month-year that could also be
    month-day-year (11/12/2005) gives both readings."""
    for m in _NUMERIC_DATE.finditer(text):
        found: list[str | None] = []
        if m.group("y1"):
            found.append(_valid(int(m.group("y1")), int(m.group("m1")), int(m.group("d1"))))
        elif m.group("y2"):
            year = int(m.group("y2"))
            year = _century(year) if len(m.group("y2")) == 2 else year
            day, month = int(m.group("d2")), int(m.group("m2"))
            found.append(_valid(year, month, day))
            if "/" in m.group(0):
                found.append(_valid(year, day, month))
        else:
            digits = m.group("compact")
            found.append(_valid(int(digits[4:]), int(digits[2:4]), int(digits[:2])))
            found.append(_valid(int(digits[:4]), int(digits[4:6]), int(digits[6:])))
        for iso in dict.fromkeys(found):
            if iso:
                yield iso, m.start(), m.end()
    for m in _NAMED_DATE.finditer(text):
        named = _MONTHS.get(fold(m.group("mon")))
        iso = _valid(int(m.group("y")), named, int(m.group("d"))) if named else None
        if iso:
            yield iso, m.start(), m.end()


def number_key(text: str) -> str:
    """A document or file number as letters and digits only: "FK 123 456" and "FK-123456" → FK123456."""
    return _ALNUM.sub("", fold(text).upper())


@lru_cache(maxsize=65536)
def value_terms(key: str, value: str) -> frozenset[str]:
    """Index terms of one field value: names for name fields, dates, and numbers holding a digit."""
    if key in NAME_FIELDS:
        return frozenset(name_terms(value))
    out = {DATE + iso for iso, _, _ in find_dates(value)}
    if not key.endswith(("_date", "_start", "_end")) and any(c.isdigit() for c in value) and len(value) <= 60:
        compact = number_key(value)
        if len(compact) >= 4:
            out.add(NUMBER + compact)
        digits = "".join(c for c in compact if c.isdigit())
        if len(digits) >= 4 and digits != compact:
            out.add(NUMBER + digits)  # "FA1234567" found by its digits, "AZ-4711" by 4711
    return frozenset(out)


def document_terms(names: str, field_text: str) -> set[str]:
    """Every term a document is found by: its person's names and its field values (`key: value` lines)."""
    out = name_terms(names)
    for line in field_text.splitlines():
        m = _LINE.match(line)
        if m:
            out |= value_terms(m.group(1), m.group(2))
    return {t for t in out if len(t) > 3}


# --- queries -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One thing the query asks for (a name word, a date, a number) with the terms that satisfy it."""

    text: str
    terms: dict[str, float]
    fuzzy: str = ""  # the soft form to look up by trigram similarity for typos ("" if none)


@dataclass(frozen=True)
class QueryPlan:
    parts: tuple[Part, ...]
    words: tuple[str, ...] = field(default=())  # folded words left for the full-text search

    @property
    def empty(self) -> bool:
        return not self.parts and not self.words


def _numbers(tokens: list[str]) -> list[Part]:
    """Numbers typed with or without spaces: every run of up to five neighbouring tokens that holds a digit,
    glued, is one alternative of the same part."""
    parts: list[Part] = []
    i = 0
    while i < len(tokens):
        if not any(c.isdigit() for c in tokens[i]):
            i += 1
            continue
        start = i - 1 if i > 0 and tokens[i - 1].isalpha() and len(tokens[i - 1]) <= 3 else i
        end = i
        while end + 1 < len(tokens) and end - start < 5 and any(c.isdigit() for c in tokens[end + 1]):
            end += 1
        alternatives: dict[str, float] = {}
        for a in range(start, end + 1):
            for b in range(a, end + 1):
                key = number_key("".join(tokens[a : b + 1]))
                if len(key) >= 4:
                    alternatives[NUMBER + key] = 1.0 if (a, b) == (start, end) else 0.8
        if alternatives:
            parts.append(Part(" ".join(tokens[start : end + 1]), alternatives))
        i = end + 1
    return parts


def plan(query: str, max_parts: int = 12) -> QueryPlan:
    """What a query asks for: dates, numbers and name words as term alternatives, plus full-text words."""
    parts: list[Part] = []
    rest = query
    for iso, start, end in sorted(find_dates(query), key=lambda d: d[1]):
        span = query[start:end]
        same = next((p for p in parts if p.text == span), None)
        if same is not None:
            same.terms[DATE + iso] = 1.0
        else:
            # Eight digits in a row may as well be a document number.
            number = {NUMBER + span: 1.0} if span.isdigit() else {}
            parts.append(Part(span, {DATE + iso: 1.0, **number}))
        rest = rest.replace(span, " ")
    tokens = re.findall(r"\w+", rest)
    number_parts = _numbers(tokens)
    parts += number_parts
    used = {t for p in number_parts for t in p.text.split() if any(c.isdigit() for c in t)}
    words: list[str] = []
    found = [w for w in name_words(rest) if w not in used]
    for word in found:
        words.append(fold(word))
        if len(found) > 1 and word.upper() in PARTICLES:
            continue  # "Al Hassan": the article is written or left out at will
        terms = dict(word_terms(word))
        if not terms:
            continue
        soft = next((t[2:] for t in terms if t.startswith(NAME)), "")
        parts.append(Part(word, terms, fuzzy=soft if len(soft) >= 4 else ""))
    return QueryPlan(tuple(parts[:max_parts]), tuple(dict.fromkeys(w for w in words if len(w) >= 2)))


def fuzzy_distance_ok(wanted: str, found: str) -> float:
    """The weight of a name form found by similarity for a query form (0 if too far apart to count):
    one edit in a short name, two in a long one."""
    limit = 1 if len(wanted) < 7 else 2
    distance = Levenshtein.distance(wanted, found, score_cutoff=limit)
    if distance > limit or found == wanted:
        return 0.0
    return 0.8 if distance == 1 else 0.65


def word_matches(word: str, wanted: Iterable[str]) -> bool:
    """Whether a word of a hit stands for one of the wanted terms (for highlighting)."""
    wanted = set(wanted)
    return any(t in wanted for t, _ in word_terms(word))
