"""How documents spell one name in Latin letters: the romanisation styles the person generator draws from.

Cyrillic names are romanised by the published systems (ICAO 9303 in the Ukrainian or Russian column,
German Duden, BGN/PCGN). Arabic and Persian names are written without short vowels, so there is no single
romanisation: each name word gets one fixed pseudo-vocalisation (from a checksum of its letters, the "true"
pronunciation), and each document renders it in an English, French, German or plain style with the usual
drift of vowels (u/o/ou, i/e/ee, a/e), of doubled letters and of the article (al-/el-/Al/dropped). Turkish
and German names drift between their own letters, ICAO (Ü → UE) and stripped accents. None of this uses the
matcher's tables, so the benchmark tests them rather than echoing them.
"""

from __future__ import annotations

import random
import unicodedata
import zlib

from classifiers.name_variants import bgn_transliteration, german_transliteration
from classifiers.translit import icao_transliterate

CYRILLIC_STYLES = ("icao", "icao_other_column", "german", "bgn")
ARABIC_STYLES = ("en", "fr", "de", "plain")

_AR_CONSONANTS: dict[str, dict[str, str]] = {
    "en": {"ث": "th", "ج": "j", "ح": "h", "خ": "kh", "ذ": "dh", "ش": "sh", "ص": "s", "ض": "d", "ط": "t",
           "ظ": "z", "غ": "gh", "ق": "q", "چ": "ch", "ژ": "zh"},
    "fr": {"ث": "th", "ج": "dj", "ح": "h", "خ": "kh", "ذ": "dh", "ش": "ch", "ص": "s", "ض": "d", "ط": "t",
           "ظ": "z", "غ": "gh", "ق": "k", "چ": "tch", "ژ": "j"},
    "de": {"ث": "s", "ج": "dsch", "ح": "h", "خ": "ch", "ذ": "s", "ش": "sch", "ص": "s", "ض": "d", "ط": "t",
           "ظ": "s", "غ": "gh", "ق": "k", "چ": "tsch", "ژ": "sch"},
    "plain": {"ث": "s", "ج": "j", "ح": "h", "خ": "kh", "ذ": "z", "ش": "sh", "ص": "s", "ض": "z", "ط": "t",
              "ظ": "z", "غ": "gh", "ق": "gh", "چ": "ch", "ژ": "zh"},
}  # fmt: skip
_AR_COMMON = {
    "ب": "b", "ت": "t", "د": "d", "ر": "r", "ز": "z", "س": "s", "ف": "f", "ك": "k", "ک": "k",
    "ل": "l", "م": "m", "ن": "n", "ه": "h", "پ": "p", "گ": "g", "و": "w", "ي": "y", "ی": "y",
}  # fmt: skip
_AR_LONG = {"ا": "aa", "آ": "aa", "ى": "aa", "و": "uu", "ي": "ii", "ی": "ii"}
_AR_HAMZA_START = {"أ": "a", "إ": "i", "آ": "a", "ا": "a", "ع": "a"}
_SHADDA = "\u0651"
_LONG_SPELLINGS = {"aa": ["a", "a", "aa"], "uu": ["u", "o", "ou", "oo"], "ii": ["i", "i", "ee", "y"]}


def cyrillic_latin(name: str, style: str, language: str) -> str:
    """`name` (Cyrillic) in one romanisation style; `language` is 'uk' or 'ru'."""
    if style == "icao":
        return icao_transliterate(name, language=language).title()
    if style == "icao_other_column":
        return icao_transliterate(name, language="ru" if language == "uk" else "uk").title()
    if style == "german":
        return german_transliteration(name)
    return bgn_transliteration(name)


def _arabic_skeleton(word: str) -> list[tuple[str, str]]:
    """The word as (kind, value) units: C consonant letter, L long vowel, S short vowel (fixed per word)."""
    letters = [c for c in unicodedata.normalize("NFC", word) if not unicodedata.combining(c) or c == _SHADDA]
    checksum = zlib.crc32(word.encode())
    units: list[tuple[str, str]] = []
    for i, char in enumerate(letters):
        if char == _SHADDA:
            if units and units[-1][0] == "C":
                units.append(units[-1])
            continue
        if i == 0 and char in _AR_HAMZA_START:
            units.append(("S", _AR_HAMZA_START[char]))
        elif char in "ؤئء":
            continue
        elif char == "ع":
            units.append(("C", "'"))
        elif char == "ة":
            units.append(("S", "a"))
        elif char in _AR_LONG and i > 0 and units and units[-1][0] == "C":
            units.append(("L", _AR_LONG[char]))
        else:
            units.append(("C", char))
    out: list[tuple[str, str]] = []
    for i, unit in enumerate(units):
        out.append(unit)
        following = units[i + 1] if i + 1 < len(units) else None
        if unit[0] == "C" and following is not None and following[0] == "C" and following != unit:
            choice = (checksum >> (2 * i)) % 5  # the word's fixed short vowels; sometimes none (Ahmad)
            if choice < 4:
                out.append(("S", "aaiu"[choice]))
    return out


def _render_arabic_word(word: str, style: str, rng: random.Random) -> str:
    consonants = {**_AR_COMMON, **_AR_CONSONANTS[style]}
    pieces: list[str] = []
    for kind, value in _arabic_skeleton(word):
        if kind == "C":
            pieces.append({"'": rng.choice(["", "a", "'"])}.get(value, consonants.get(value, "")))
        elif kind == "L":
            options = _LONG_SPELLINGS[value]
            if style == "fr":
                options = {"aa": ["a"], "uu": ["ou"], "ii": ["i"]}[value]
            pieces.append(rng.choice(options))
        else:
            drift = {"a": ["a", "a", "a", "e"], "i": ["i", "i", "e"], "u": ["u", "u", "o"]}[value]
            pieces.append(rng.choice(drift))
    latin = "".join(pieces).replace("'", "" if style != "en" else "'")
    if rng.random() < 0.3:  # doubled letters are dropped or kept at will (Mohammed/Mohamed)
        for ch in "bdlmnrst":
            latin = latin.replace(ch + ch, ch)
    return latin.strip("'").capitalize()


def arabic_latin(name: str, style: str, rng: random.Random) -> str:
    """An Arabic-script name in Latin letters as one document might print it."""
    words: list[str] = []
    for word in name.split():
        if word.startswith("ال") and len(word) > 3:
            article = rng.choice(["Al-", "al-", "El-", "Al ", "", "Al"])
            rendered = _render_arabic_word(word[2:], style, rng)
            words.append(article + rendered)
        else:
            words.append(_render_arabic_word(word, style, rng))
    return " ".join(words)


def latin_drift(name: str, rng: random.Random) -> str:
    """A Latin name with its accents written one of the ways documents do: as is, ICAO (Ü→UE), stripped,
    or English-style (Ş→Sh, Ç→Ch)."""
    style = rng.choice(["as_is", "icao", "strip", "english"])
    if style == "as_is":
        return name
    if style == "icao":
        return icao_transliterate(name).title()
    if style == "english":
        name = name.replace("ş", "sh").replace("Ş", "Sh").replace("ç", "ch").replace("Ç", "Ch")
    name = name.replace("ı", "i").replace("İ", "I").replace("ß", "ss")
    return "".join(c for c in unicodedata.normalize("NFD", name) if not unicodedata.combining(c))


_OCR_CONFUSIONS = {"m": "rn", "e": "c", "c": "e", "o": "a", "a": "o", "i": "l", "l": "i", "u": "v", "n": "h",
                   "h": "n", "k": "x", "r": "n", "s": "z", "v": "y"}  # fmt: skip


def ocr_typo(word: str, rng: random.Random) -> str:
    """One OCR-like error in a word of at least four letters: a confused, lost or doubled letter."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word))
    char = word[i]
    kind = rng.random()
    if kind < 0.6 and char.lower() in _OCR_CONFUSIONS:
        return word[:i] + _OCR_CONFUSIONS[char.lower()] + word[i + 1 :]
    if kind < 0.8:
        return word[:i] + word[i + 1 :]
    return word[:i] + char + word[i:]
