"""Restoring the letters OCR loses: umlauts, ß and the diacritics of names (`Meldebehorde` → `Meldebehörde`),
and Persian letters read in their Arabic form (`دانشكاه` → `دانشگاه`).

Tesseract with deu+eng often drops the dots of an ü or reads a Turkish ş as s. `dach train` collects
every word with such letters from the generated training documents whose plain-letter spelling never
occurs as a word of its own; at extraction, a word that matches such a plain spelling gets its letters
back. Words whose plain spelling is itself a word (`Bad`, `Bäd`) are left alone. A few legal spellings
OCR garbles in a fixed way (`SGB Xll`, `AsyIbLG`, `88 3` for `§§ 3`, `tiber` for `über`) are repaired
by rule.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

LEXICON_FILE = "lexicon.json"
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_SCRIPT = re.compile(r"^(?:[A-Za-zÀ-ɏ]+|[\u0600-\u06ff]+)$")
# Persian letters that OCR with ara+fas returns in their Arabic form (or misreads as it: گ as ك).
PERSIAN_FOLD = str.maketrans({"ی": "ي", "ى": "ي", "ک": "ك", "گ": "ك", "پ": "ب", "چ": "ج", "ژ": "ز"})
_RULES = (
    (re.compile(r"\bSGB\s+([XVIl1|]{1,4})\b"), lambda m: "SGB " + re.sub(r"[l1|]", "I", m.group(1))),
    # a small i among the capitals (`SGB XiI`) only where the result is one of the code's books
    (re.compile(r"\bSGB\s+([XVIil1|]{1,4})\b"), lambda m: _sgb_book(m.group(0), m.group(1))),
    (re.compile(r"\bAsy[lI1|]b[LI1|]G\b"), lambda m: "AsylbLG"),
    (re.compile(r"(?<=nach )(?:88|S8|\$\$)(?= \d)"), lambda m: "§§"),
    (re.compile(r"(?:(?<=gemäß )|(?<=nach ))[85S\$](?= \d)"), lambda m: "§"),
    (re.compile(r"\$(?= ?\d)"), lambda m: "§"),
    (re.compile(r"\b(?:tiber|iiber|ber)(?= (?:die|den|das|Leistungen|Bürgergeld|Hilfe))"), lambda m: "über"),
)


_SGB_BOOKS = frozenset(["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIV"])


def _sgb_book(printed: str, numeral: str) -> str:
    book = re.sub(r"[il1|]", "I", numeral)
    return f"SGB {book}" if book in _SGB_BOOKS else printed


def fold(word: str) -> str:
    """A word without diacritics: `Meldebehörde` → `Meldebehorde`, `Straße` → `Strasse`, `Ertaş` → `Ertas`."""
    word = word.replace("ß", "ss").replace("ı", "i").replace("İ", "I").translate(PERSIAN_FOLD)
    return "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))


# Words of German notices with an umlaut that the training documents may not hold, each restored only where
# the lexicon has no entry of its own (`Anderung` → `Änderung`).
_NOTICE_WORDS = {
    fold(word): word
    for word in (
        "Änderung",
        "Änderungsbescheid",
        "Übernahme",
        "Überprüfung",
        "Überzahlung",
        "Gebühr",
        "Gebühren",
        "Gewährung",
        "Behörde",
        "Ausländerbehörde",
        "Bürgergeld",
        "Erklärung",
        "Prüfung",
        "Rückforderung",
        "Anhörung",
        "Zuständigkeit",
        "Kündigung",
        "Härtefall",
        "Verlängerung",
        "Ermäßigung",
        "Säumniszuschlag",
        "Förderung",
        "Unterstützung",
    )
}


def _starts_sentence(text: str, at: int) -> bool:
    """Whether the word at `at` begins `text` or a sentence in it (after `.`, `!`, `?` or `:`)."""
    before = text[:at].rstrip()
    return not before or before[-1] in ".!?:"


def repair_legal(text: str) -> str:
    """Fixed OCR slips in legal references: `SGB Xll` → `SGB XII`, `AsyIbLG` → `AsylbLG`, `88 3` → `§§ 3`."""
    for pattern, replace in _RULES:
        text = pattern.sub(replace, text)
    return text


_TURKISH = re.compile(r"[ğşıİŞĞ]|Do[gğ]um|Soyad|Türkiye|Cumhuriyeti", re.IGNORECASE)
# A Turkish name or place whose capital İ OCR read as a small i (`izmir`, `inönü`): names are capitalised.
_SMALL_DOTTED_I = re.compile(r"(?<![^\W\d_])i(?=[^\W\d_]{2})")
_SMALL_DOTTED_I_WORD = re.compile(r"(?<![^\W\d_])i([^\W\d_]{2,})(?![^\W\d_])")


# The words a Turkish body's name ends in (`Ege Üniversitesi`, `Çankaya İlçe Nüfus Müdürlüğü`), in capitals or
# written small, with or without the dots and the breve OCR may lose: a body so named is Turkish, whatever the page.
TURKISH_BODY = re.compile(
    r"[ÜU]N[İI]VERS[İI]TES[İI]|MÜDÜRLÜ[ĞG]Ü|L[İI]SES[İI]|OKULU|DA[İI]RES[İI]|BELED[İI]YES[İI]|VAL[İI]L[İI][ĞG][İI]"
    r"|FAKÜLTES[İI]|NÜFUS",
    re.IGNORECASE,
)


def looks_turkish(text: str) -> bool:
    """Whether a document prints Turkish (its letters ğ, ş, ı, İ or its labels `Doğum`, `Soyadı`)."""
    return bool(_TURKISH.search(text))


def title_case(word: str, turkish: bool) -> str:
    """A word printed in capitals as a name is written (`KOVALENKO` -> `Kovalenko`); in Turkish, capital I is
    a dotless ı and İ a dotted i (`MANSIZ` -> `Mansız`, `BİLİR` -> `Bilir`)."""
    if not turkish:
        return "-".join(part[:1] + part[1:].lower() for part in word.split("-"))
    lower = word.replace("I", "ı").replace("İ", "i").lower()
    return "-".join(("İ" if p[:1] == "i" else p[:1].upper()) + p[1:] for p in lower.split("-"))


class Lexicon:
    """Plain spelling → spelling with diacritics, for Latin-script words seen in training documents.

    `dotted_i` holds the Turkish proper nouns spelt with a dotted capital İ (`İstanbul`), which OCR reads
    as a plain I. They cannot be general entries, because English prints the same words with a plain I
    (`Istanbul University`); they are restored only in names and places of Turkish documents.
    """

    def __init__(self, entries: dict[str, str], dotted_i: dict[str, str] | None = None) -> None:
        self.entries = entries
        self.dotted_i = dotted_i or {}

    @classmethod
    def build(cls, texts: Iterable[str]) -> Lexicon:
        plain: set[str] = set()
        marked: dict[str, set[str]] = {}
        dotted: dict[str, set[str]] = {}
        for text in texts:
            for word in _WORD.findall(text):
                if not _SCRIPT.match(word) or len(word) < 3:
                    continue
                if word.startswith("İ") and not word.isupper():
                    dotted.setdefault("I" + word[1:], set()).add(word)
                folded = fold(word)
                if folded == word:
                    plain.add(word)
                else:
                    marked.setdefault(folded, set()).add(word)
        # Only unambiguous restorations: one marked spelling, and the plain one never a word of its own.
        entries = {k: next(iter(v)) for k, v in marked.items() if len(v) == 1 and k not in plain}
        dotted_i = {k: next(iter(v)) for k, v in dotted.items() if len(v) == 1}
        return cls(dict(sorted(entries.items())), dict(sorted(dotted_i.items())))

    def restore(self, text: str, *, turkish_name: bool = False) -> str:
        """`text` with every word that lost its diacritics given them back; `turkish_name` for a name or
        place on a Turkish document, whose plain capital I may be a dotted İ."""
        text = repair_legal(text)
        if turkish_name:
            text = _SMALL_DOTTED_I.sub("İ", text)
            text = _WORD.sub(lambda m: self.dotted_i.get(m.group(0), m.group(0)), text)
        else:
            # a known Turkish proper noun read with a small i (`Standesamt istanbul`): OCR took the dot of its
            # capital İ for a small letter's, so the word was printed `İstanbul`, on a document in any language
            text = _SMALL_DOTTED_I_WORD.sub(lambda m: self.dotted_i.get("I" + m.group(1), m.group(0)), text)
        # Looked up by the plain spelling, so a half-kept word (`Müdürlügü`) gets its ğ back as well; a ü OCR
        # read as `ii` (`Biirgergeld`) is looked up as its plain u.
        return _WORD.sub(lambda m: self._restored(m.group(0), starts=_starts_sentence(text, m.start())), text)

    def _restored(self, word: str, *, starts: bool = True) -> str:
        found = self.entries.get(fold(word))
        if found is None and "ii" in word[1:]:
            found = self.entries.get(fold(word[0] + word[1:].replace("ii", "u")))
        if found is None:
            found = _NOTICE_WORDS.get(word)
        if found is None and word[:1].isupper() and word[1:].islower():
            # a word that is written small (`über`) read with a capital: at the start of a sentence or subject
            # it is capitalised (`Uber` → `Über`); inside a sentence the capital is the lost umlaut's slip
            # (`Antrag Uber` → `Antrag über`)
            lower = self.entries.get(fold(word.lower()))
            if lower and lower.islower():
                found = lower[:1].upper() + lower[1:] if starts else lower
        return found or word

    def save(self, folder: Path) -> None:
        record = {"entries": self.entries, "dotted_i": self.dotted_i}
        (folder / LEXICON_FILE).write_text(
            json.dumps(record, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8"
        )

    @classmethod
    def load(cls, folder: Path) -> Lexicon:
        path = folder / LEXICON_FILE
        if not path.is_file():
            return cls({})
        record = json.loads(path.read_text(encoding="utf-8"))
        return cls(record["entries"], record["dotted_i"])
