"""ICAO 9303 transliteration of names into the machine-readable zone's alphabet (A–Z and fillers).

The tables follow ICAO Doc 9303, 8th edition (2021), Part 3, section 6 ("Transliterations recommended for
use by States"): Latin letters with diacritics (Ä→AE, Ö→OE, Ü→UE, ß→SS, Å→AA, Æ→AE, Ø→OE, Þ→TH ...),
Cyrillic (Russian, Belarusian, Ukrainian, Serbian, Macedonian, Bulgarian), Greek, and Arabic-script letters
(Arabic and the Persian/Dari additions). For Ukrainian the issuing state's own national system is what its
passports carry (Cabinet resolution 55 of 2010, which the 8th edition's Ukrainian column matches): Г→H,
И→Y, and Є/Ї/Й/Ю/Я spelt YE/YI/Y/YU/YA at the start of a word, IE/I/I/IU/IA inside it (Євген → YEVHEN,
Григорій → HRYHORII), and "зг"→ZGH so that it is not read as "ж".

Which Cyrillic language a name is in is guessed from its letters (Є, І, Ї, Ґ are Ukrainian; Ў Belarusian;
Ђ, Ј, Љ, Њ, Ћ, Џ Serbian/Macedonian); ask for one explicitly with `language=` when the issuing state is known.
Where a state may choose between two spellings (Ä → AE or A, Ü → UE or U, Ñ → N or NXX), `icao_variants`
returns every spelling, for comparing a visual zone with an MRZ or matching a person; `icao_transliterate`
returns the recommended one. Arabic script is written without short vowels, so its transliteration is only a
consonant skeleton: useful for a fuzzy comparison, never proof that two names differ.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

__all__ = ["icao_transliterate", "icao_variants", "mrz_name", "script_of"]

# --- Latin ---------------------------------------------------------------------------------------------

# Letters whose ICAO spelling is not simply "drop the accent" (upper case; lower case is folded first).
_LATIN_SPECIAL: dict[str, str] = {
    "Ä": "AE",
    "Æ": "AE",
    "Å": "AA",
    "Ö": "OE",
    "Ø": "OE",
    "Œ": "OE",
    "Ü": "UE",
    "ß": "SS",
    "ẞ": "SS",
    "Þ": "TH",
    "Ð": "D",
    "Đ": "D",
    "Ħ": "H",
    "Ĳ": "IJ",
    "Ł": "L",
    "Ŀ": "L",
    "Ŋ": "N",
    "Ŧ": "T",
}
# The alternatives ICAO allows a state to use instead (Part 3, 6.A, "or" column).
_LATIN_OPTIONS: dict[str, tuple[str, ...]] = {
    "Ä": ("AE", "A"),
    "Å": ("AA", "A"),
    "Ö": ("OE", "O"),
    "Ø": ("OE", "O"),
    "Ü": ("UE", "U", "UXX"),
    "Ñ": ("N", "NXX"),
}

# --- Cyrillic ------------------------------------------------------------------------------------------

_CYRILLIC_COMMON: dict[str, str] = {
    "А": "A",
    "Б": "B",
    "В": "V",
    "Г": "G",
    "Ґ": "G",
    "Д": "D",
    "Ѓ": "G",
    "Ђ": "D",
    "Е": "E",
    "Ё": "E",
    "Є": "IE",
    "Ж": "ZH",
    "З": "Z",
    "Ѕ": "DZ",
    "И": "I",
    "І": "I",
    "Ї": "I",
    "Й": "I",
    "Ј": "J",
    "К": "K",
    "Л": "L",
    "Љ": "LJ",
    "М": "M",
    "Н": "N",
    "Њ": "NJ",
    "О": "O",
    "П": "P",
    "Р": "R",
    "С": "S",
    "Т": "T",
    "Ћ": "C",
    "Ќ": "K",
    "У": "U",
    "Ў": "U",
    "Ф": "F",
    "Х": "KH",
    "Ц": "TS",
    "Ч": "CH",
    "Џ": "DZ",
    "Ш": "SH",
    "Щ": "SHCH",
    "Ъ": "IE",
    "Ы": "Y",
    "Ь": "",
    "Э": "E",
    "Ю": "IU",
    "Я": "IA",
}
# Ukrainian (national system used in Ukrainian passports): letter -> (at word start, elsewhere).
_UKRAINIAN: dict[str, tuple[str, str]] = {
    "Г": ("H", "H"),
    "Ґ": ("G", "G"),
    "И": ("Y", "Y"),
    "І": ("I", "I"),
    "Є": ("YE", "IE"),
    "Ї": ("YI", "I"),
    "Й": ("Y", "I"),
    "Ю": ("YU", "IU"),
    "Я": ("YA", "IA"),
    "Х": ("KH", "KH"),
    "Ь": ("", ""),
    "Щ": ("SHCH", "SHCH"),
}
_BELARUSIAN: dict[str, str] = {"Г": "H"}
_SERBIAN: dict[str, str] = {"Ђ": "DJ", "Ћ": "C", "Џ": "DZ", "Х": "H", "Ц": "C", "Ч": "C", "Ш": "S", "Ж": "Z"}

# --- Greek ---------------------------------------------------------------------------------------------

_GREEK: dict[str, str] = {
    "Α": "A",
    "Β": "V",
    "Γ": "G",
    "Δ": "D",
    "Ε": "E",
    "Ζ": "Z",
    "Η": "I",
    "Θ": "TH",
    "Ι": "I",
    "Κ": "K",
    "Λ": "L",
    "Μ": "M",
    "Ν": "N",
    "Ξ": "X",
    "Ο": "O",
    "Π": "P",
    "Ρ": "R",
    "Σ": "S",
    "Τ": "T",
    "Υ": "Y",
    "Φ": "F",
    "Χ": "CH",
    "Ψ": "PS",
    "Ω": "O",
}

# --- Arabic script (consonant skeleton; long vowels written, short vowels are not in the script) -------

_ARABIC: dict[str, str] = {
    "ء": "",
    "آ": "A",
    "أ": "A",
    "إ": "E",
    "ؤ": "O",
    "ئ": "E",
    "ا": "A",
    "ب": "B",
    "ة": "H",
    "ت": "T",
    "ث": "TH",
    "ج": "J",
    "ح": "H",
    "خ": "KH",
    "د": "D",
    "ذ": "THZ",
    "ر": "R",
    "ز": "Z",
    "س": "S",
    "ش": "SH",
    "ص": "SS",
    "ض": "DH",
    "ط": "TT",
    "ظ": "ZZ",
    "ع": "E",
    "غ": "G",
    "ف": "F",
    "ق": "Q",
    "ك": "K",
    "ل": "L",
    "م": "M",
    "ن": "N",
    "ه": "H",
    "و": "W",
    "ى": "Y",
    "ي": "Y",
    # Persian / Dari / Pashto / Urdu additions
    "پ": "P",
    "چ": "CH",
    "ژ": "ZH",
    "ک": "K",
    "گ": "G",
    "ی": "Y",
    "ۀ": "H",
}

_UKRAINIAN_MARKERS = frozenset("ЄІЇҐ")
_BELARUSIAN_MARKERS = frozenset("Ў")
_SERBIAN_MARKERS = frozenset("ЂЈЉЊЋЏЅЃЌ")
_APOSTROPHES = "'’ʼ`´‘"
_NON_LETTERS = re.compile(r"[^A-Z ]+")
_SPACES = re.compile(r" +")


def script_of(text: str) -> str:
    """The dominant script of the letters in `text`: 'latin', 'cyrillic', 'greek', 'arabic' or '' (none)."""
    counts: dict[str, int] = {}
    for char in text:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        for script in ("LATIN", "CYRILLIC", "GREEK", "ARABIC"):
            if name.startswith(script):
                counts[script.lower()] = counts.get(script.lower(), 0) + 1
                break
    return max(counts, key=lambda k: counts[k]) if counts else ""


def _cyrillic_language(upper: str) -> str:
    letters = set(upper)
    if letters & _UKRAINIAN_MARKERS:
        return "uk"
    if letters & _BELARUSIAN_MARKERS:
        return "be"
    if letters & _SERBIAN_MARKERS:
        return "sr"
    return "ru"


def _word_start(text: str, index: int) -> bool:
    return index == 0 or not text[index - 1].isalpha()


def _cyrillic(upper: str, language: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(upper):
        char = upper[i]
        if language == "uk":
            if upper.startswith("ЗГ", i):  # keeps "зг" apart from "ж" (ZH)
                out.append("ZGH")
                i += 2
                continue
            if char in _UKRAINIAN:
                start, inside = _UKRAINIAN[char]
                out.append(start if _word_start(upper, i) else inside)
                i += 1
                continue
        elif language == "be" and char in _BELARUSIAN:
            out.append(_BELARUSIAN[char])
            i += 1
            continue
        elif language == "sr" and char in _SERBIAN:
            out.append(_SERBIAN[char])
            i += 1
            continue
        out.append(_CYRILLIC_COMMON.get(char, char))
        i += 1
    return "".join(out)


def _latin_letter(char: str, options: dict[str, str]) -> str:
    if char in options:
        return options[char]
    if char in _LATIN_SPECIAL:
        return _LATIN_SPECIAL[char]
    if "A" <= char <= "Z":
        return char
    # Strip the accent: É -> E + combining mark -> E.
    base = unicodedata.normalize("NFD", char)[0]
    return base if "A" <= base <= "Z" else char


def _transliterate(name: str, language: str | None, latin_choice: dict[str, str]) -> str:
    text = unicodedata.normalize("NFC", name)
    for mark in _APOSTROPHES:
        text = text.replace(mark, "")
    # Upper-case per letter: str.upper() would turn ß into SS already (fine) but also Turkish ı into I.
    upper = "".join("ẞ" if c == "ß" else c.upper() for c in text)
    # Hyphens and other separators become spaces (fillers in the MRZ); other punctuation is dropped.
    upper = re.sub(r"[-‐‑–—_,./\\]+", " ", upper)
    cyr_lang = language if language in {"uk", "be", "sr", "ru", "bg", "mk"} else _cyrillic_language(upper)
    pieces: list[str] = []
    run: list[str] = []

    def flush_cyrillic() -> None:
        if run:
            pieces.append(_cyrillic("".join(run), cyr_lang))
            run.clear()

    for char in upper:
        name_of = unicodedata.name(char, "")
        if name_of.startswith("CYRILLIC"):
            run.append(char)
            continue
        if char == " " and run:
            run.append(char)
            continue
        flush_cyrillic()
        if name_of.startswith("GREEK"):
            base = unicodedata.normalize("NFD", char)[0]
            pieces.append(_GREEK.get(base, ""))
        elif name_of.startswith("ARABIC"):
            pieces.append(_ARABIC.get(char, ""))
        elif name_of.startswith("LATIN"):
            pieces.append(_latin_letter(char, latin_choice))
        else:
            pieces.append(char)
    flush_cyrillic()
    result = _NON_LETTERS.sub("", "".join(pieces).upper().replace("\t", " "))
    return _SPACES.sub(" ", result).strip()


# Both are pure and asked about the same words again and again (every run of words a page might print a
# name in, for each of an identity document's names): remembered, they cost the classifiers half as much.
@lru_cache(maxsize=16384)
def icao_transliterate(name: str, *, language: str | None = None) -> str:
    """`name` in the MRZ alphabet: upper-case A–Z and single spaces, per ICAO 9303 Part 3.

    `language` ('uk', 'ru', 'be', 'sr', ...) picks a Cyrillic column when the issuing state is known;
    otherwise it is guessed from the letters. Digits and punctuation are dropped, hyphens become spaces.

    >>> icao_transliterate("Müller-Lüdenscheidt")
    'MUELLER LUEDENSCHEIDT'
    >>> icao_transliterate("Григорій")
    'HRYHORII'
    """
    return _transliterate(name, language, {})


@lru_cache(maxsize=16384)
def icao_variants(name: str, *, language: str | None = None) -> frozenset[str]:
    """Every spelling ICAO allows for `name` (Ä as AE or A, Ukrainian or Russian Cyrillic columns, ...).

    For comparing a printed name with an MRZ name or matching persons: two spellings of the same name share
    at least one variant. Kept small: the options multiply only over the letters that have them.
    """
    text = unicodedata.normalize("NFC", name).upper()
    optional = [c for c in dict.fromkeys(text) if c in _LATIN_OPTIONS]
    choices: list[dict[str, str]] = [{}]
    for char in optional[:4]:  # four optional letters -> at most 81 spellings
        choices = [{**c, char: option} for c in choices for option in _LATIN_OPTIONS[char]]
    languages: Iterable[str | None] = (language,) if language else (None, "ru", "uk")
    return frozenset(_transliterate(name, lang, choice) for choice in choices for lang in languages)


def mrz_name(name: str, *, language: str | None = None) -> str:
    """`name` as it is written in an MRZ name field: transliterated, with `<` for every space."""
    return icao_transliterate(name, language=language).replace(" ", "<")
