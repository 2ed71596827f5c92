"""ICAO 9303 transliteration of names into the MRZ alphabet, written for the generator (test data,
independent of the product's reader): Ukrainian per the national table used in Ukrainian passports
(KMU 2010: Г->H, Є->YE at word start, IE elsewhere), Russian per ICAO 9303, German umlauts AE/OE/UE,
Turkish letters folded to their base letter as Turkish passports print them.
"""

from __future__ import annotations

import unicodedata

_UK_TABLE = {
    "А": "A",
    "Б": "B",
    "В": "V",
    "Г": "H",
    "Ґ": "G",
    "Д": "D",
    "Е": "E",
    "Є": "IE",
    "Ж": "ZH",
    "З": "Z",
    "И": "Y",
    "І": "I",
    "Ї": "I",
    "Й": "I",
    "К": "K",
    "Л": "L",
    "М": "M",
    "Н": "N",
    "О": "O",
    "П": "P",
    "Р": "R",
    "С": "S",
    "Т": "T",
    "У": "U",
    "Ф": "F",
    "Х": "KH",
    "Ц": "TS",
    "Ч": "CH",
    "Ш": "SH",
    "Щ": "SHCH",
    "Ь": "",
    "Ю": "IU",
    "Я": "IA",
    "'": "",
    "’": "",
    "ʼ": "",
}
_UK_INITIAL = {"Є": "YE", "Ї": "YI", "Й": "Y", "Ю": "YU", "Я": "YA"}
_RU_TABLE = {
    "А": "A",
    "Б": "B",
    "В": "V",
    "Г": "G",
    "Д": "D",
    "Е": "E",
    "Ё": "E",
    "Ж": "ZH",
    "З": "Z",
    "И": "I",
    "Й": "I",
    "К": "K",
    "Л": "L",
    "М": "M",
    "Н": "N",
    "О": "O",
    "П": "P",
    "Р": "R",
    "С": "S",
    "Т": "T",
    "У": "U",
    "Ф": "F",
    "Х": "KH",
    "Ц": "TS",
    "Ч": "CH",
    "Ш": "SH",
    "Щ": "SHCH",
    "Ъ": "IE",
    "Ы": "Y",
    "Ь": "",
    "Э": "E",
    "Ю": "IU",
    "Я": "IA",
}
_LATIN_TABLE = {"Ä": "AE", "Ö": "OE", "Ü": "UE", "ß": "SS", "Å": "AA", "Æ": "AE", "Ø": "OE", "Ĳ": "IJ"}
_TURKISH_TABLE = {
    "Ç": "C",
    "Ğ": "G",
    "İ": "I",
    "I": "I",
    "Ö": "O",
    "Ş": "S",
    "Ü": "U",
    "Â": "A",
    "Î": "I",
    "Û": "U",
}


def _translit_word(word: str, table: dict[str, str], initial: dict[str, str]) -> str:
    out = []
    for i, ch in enumerate(word.upper()):
        if i == 0 and ch in initial:
            out.append(initial[ch])
        else:
            out.append(table.get(ch, ch))
    return "".join(out)


def icao_name(text: str, origin: str) -> str:
    """Name as written in an MRZ (upper case A-Z, words separated by single spaces; '<' is added later)."""
    words = text.replace("-", " ").replace("'", "").split()
    if origin == "UKR":
        converted = [_translit_word(w, _UK_TABLE, _UK_INITIAL) for w in words]
    elif origin == "RUS":
        converted = [_translit_word(w, _RU_TABLE, {}) for w in words]
    elif origin == "TUR":
        converted = [_translit_word(w.replace("i", "İ").replace("ı", "I"), _TURKISH_TABLE, {}) for w in words]
    else:
        converted = [_translit_word(w, _LATIN_TABLE, {}) for w in words]
    cleaned = []
    for word in converted:
        # strip any remaining diacritics (é -> E) and anything outside A-Z
        base = unicodedata.normalize("NFKD", word)
        cleaned.append("".join(c for c in base if "A" <= c <= "Z"))
    return " ".join(w for w in cleaned if w)
