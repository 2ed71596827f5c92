"""Latin spellings on certificates that print a Cyrillic value and its Latin twin (issue 17): which text is
Latin, a Latin line OCR read partly in Cyrillic letters put back, the Latin twin of a Cyrillic name or place
found by its transliteration, and a name spelt by the scheme the certificate shows where OCR garbled its
Latin line. The e-file records the Latin spelling a document itself gives.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rapidfuzz import fuzz

from classifiers.extract import FieldSet, Found, group_text, groups
from classifiers.lexicon import fold
from classifiers.text import DocumentText
from classifiers.translit import icao_transliterate
from schemas.documents import FieldValue

_LATIN = re.compile(r"[A-Za-zÀ-ɏ]")
_NON_LATIN = re.compile(r"[\u0400-\u04ff\u0600-\u06ff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def is_latin(text: str) -> bool:
    return bool(_LATIN.search(text)) and not _NON_LATIN.search(text)


_LOOKALIKE = str.maketrans("АВЕКМНОРСТХУІ", "ABEKMHOPCTXYI")
_LOOKALIKE_WORD = re.compile(r"^[АВЕКМНОРСТХУІ]+[,.;:]?$")


def latin_lookalikes(text: str) -> str:
    """A Latin line with a capitalised word OCR read in Cyrillic look-alike letters (`ВАВАК, Trokhym` for
    `BABAK, Trokhym`): that word in Latin letters. A line with no Latin word is left as it is."""
    words = text.split()
    if not any(_LATIN.search(w) and not _NON_LATIN.search(w) for w in words):
        return text
    return " ".join(w.translate(_LOOKALIKE) if _LOOKALIKE_WORD.match(w) else w for w in words)


_TWIN_SLASH = re.compile(r"\s+/\s+")
_ORIGINAL = 0.2  # most of the letters of the original half that may be Latin (look-alikes OCR chose)
_LATIN_HALF = 0.9  # least of the letters of the Latin half that must be Latin


_LOOKALIKES_ONLY = re.compile(r"[ABCEHIKMOPTXYaceikopxy]{3,}(?:[ -][ABCEHIKMOPTXYaceikopxy]{3,})*")


def latin_half(text: str) -> str:
    """A value printed twice on one line, the original and its Latin spelling beside it after a slash
    (`Казакова / KAZAKOVA`, `Гімназія № 155 / Gymnasium No. 155`): the Latin half, which the e-file records.
    Any other text (one script, a date `12 / 03`, `Kyiv / Kiev`) as it is."""
    parts = _TWIN_SLASH.split(text.strip())
    if len(parts) != 2 or not all(any(ch.isalpha() for ch in p) for p in parts):
        return text
    first, second = parts
    if latin_share(second) >= _LATIN_HALF and latin_share(first) <= _ORIGINAL:
        return second
    if latin_share(first) >= _LATIN_HALF and latin_share(second) <= _ORIGINAL:
        return first
    if _LOOKALIKES_ONLY.fullmatch(first.strip()) and not _LOOKALIKES_ONLY.fullmatch(second.strip()):
        return second  # `Tapac / Taras`: the original OCR read in Latin look-alikes of its Cyrillic letters
    return text


def mixed_scripts(name: str) -> bool:
    """Whether a name has whole words in Latin and others in Cyrillic or Arabic letters: a person's name is
    written in one script, so such a reading joined a value and its twin (`Валентина Valentina`)."""
    words = [w for w in name.split() if any(ch.isalpha() for ch in w)]
    latin = any(is_latin(w) for w in words)
    other = any(_NON_LATIN.search(w) and not _LATIN.search(w) for w in words)
    return latin and other


_LATIN_FOR_CYRILLIC = str.maketrans("ABCEHIKMOPTXYaceikopxy", "АВСЕНІКМОРТХУасеікорху")
_CYRILLIC_READ_AS_LATIN = re.compile(r"^(?=.*[a-z][A-Z])[ABCEHIKMOPTXYaceikopxy]{4,}$")


def cyrillic_read_as_latin(text: str) -> str:
    """A Cyrillic word OCR read in Latin look-alike letters (`MockBa` for `Москва`, `XapkiB` for `Харків`) in
    Cyrillic letters again: only Latin letters that have a Cyrillic twin, with a capital after a small letter,
    which no Latin name is written with. Other words as they are."""
    return " ".join(
        (w.translate(_LATIN_FOR_CYRILLIC)[:1] + w.translate(_LATIN_FOR_CYRILLIC)[1:].lower())
        if _CYRILLIC_READ_AS_LATIN.match(w)
        else w
        for w in text.split(" ")
    )


_OF_READINGS = frozenset({"ої", "оі", "оf", "оґ"})
_NUMBER_WORD = re.compile(r"^(?:Мо|Ме|Nо|Nе|Ne)\.?$")
_LOOKALIKE_ANY = str.maketrans("АВЕКМНОРСТХУІаеіорсхук", "ABEKMHOPCTXYIaeiopcxyk")


def latin_share(text: str) -> float:
    """The share of the letters of `text` that are Latin."""
    letters = [ch for ch in text if ch.isalpha()]
    return sum(1 for ch in letters if _LATIN.match(ch)) / max(1, len(letters))


_MOSTLY_LATIN = 0.7


def latin_words(text: str) -> str:
    """A Latin line OCR read partly with its Cyrillic model: the short words it gives in Cyrillic letters put
    back (`National University ої Samara`, `Lyceum Мо. 18`, `Оffice`). Only where most letters are Latin."""
    if latin_share(text) < _MOSTLY_LATIN or not _CYRILLIC.search(text):
        return text
    words = text.split(" ")
    out = []
    for i, word in enumerate(words):
        following = words[i + 1] if i + 1 < len(words) else ""
        if word in _OF_READINGS:
            word = "of"
        elif _NUMBER_WORD.match(word) and following[:1].isdigit():
            word = "No."
        elif _CYRILLIC.search(word) and not _CYRILLIC.search(word.translate(_LOOKALIKE_ANY)):
            word = word.translate(_LOOKALIKE_ANY)
        out.append(word)
    return " ".join(out)


_TWIN_SIMILARITY = 85.0
# A Latin spelling that is not letter for letter a transliteration of its Cyrillic value (`Chermihiv` beside
# `Чернігів`): OCR changed a letter of one of the two, or the block spells by another scheme; either way the
# value is not certain, and the document is shown to a clerk.
_TWIN_DISAGREES = 0.45


def _letters_only(text: str) -> str:
    return " ".join(re.sub(r"[^A-Z]+", " ", fold(text).upper()).split())


def latin_twin(
    text: DocumentText,
    found: Found,
    normalise: Callable[[str], FieldValue],
    is_label: Callable[[str], bool],
    *,
    transliterate: bool = False,
) -> Found | None:
    """The Latin spelling a bilingual certificate prints of a Cyrillic name or place, found by its
    transliteration when OCR garbled the Latin block's label (`Мате, Уогпате` for `Name, Vorname`): the
    run of Latin words that best matches the ICAO transliteration of the Cyrillic value, normalised by
    `normalise` and not a label; with `transliterate`, else its transliteration where the block confirms it."""
    if not isinstance(found.value, str) or not _CYRILLIC.search(found.value):
        return None
    # a name without the letters that mark Ukrainian (`Едита`) is transliterated by either column
    spellings = {icao_transliterate(found.value, language=lang) for lang in ("uk", "ru")}
    size = len(next(iter(spellings)).split())
    # the Latin block may put the surname first (`BABAK, Trokhym` beside `Трохим Бабак`)
    targets = spellings | {" ".join(reversed(t.split())) for t in spellings}
    # compared without spaces: the Latin block may hyphenate what the transliteration spaces (`Rostov-na-Donu`)
    squeezed = {t.replace(" ", "") for t in targets}
    best: tuple[float, Found] | None = None
    for line in text.lines:
        for group in groups(line):
            for begin, n in ((b, n) for b in range(len(group)) for n in range(1, size + 1) if b + n <= len(group)):
                part = group[begin : begin + n]
                raw = group_text(part)
                score = max(fuzz.ratio(_letters_only(raw).replace(" ", ""), t) for t in squeezed)
                if score < _TWIN_SIMILARITY or (best is not None and score <= best[0]) or not is_latin(raw):
                    continue
                value = normalise(raw)
                if value and not is_label(raw):
                    best = (score, Found(value, part[0][0], part[-1][1], 0.8 if score >= 100 else _TWIN_DISAGREES))
    if best is None and transliterate:  # a name, not a place: places have spellings of their own
        return transliterated_twin(text, found)
    return best[1] if best else None


_TRANSLITERATED = 0.6  # a spelling dach made, confirmed by one printed word: below the readings of print
_UKRAINIAN_LETTERS = re.compile(r"[ІіЇїЄєҐґ]")
_RUSSIAN_LETTERS = re.compile(r"[ЫыЭэЪъЁё]")
_ANCHOR_LETTERS = 4


def spelt_latin(value: str, language: str) -> str:
    """A Cyrillic name as the Latin block of a Ukrainian (KMU 2010) or Russian (ICAO) certificate spells it,
    word by word with hyphens kept (`Анна-Марія Коваль` → `Anna-Mariia Koval`)."""
    return " ".join(
        "-".join(icao_transliterate(part, language=language).replace(" ", "").capitalize() for part in word.split("-"))
        for word in value.split()
    )


def transliterated_twin(text: DocumentText, found: Found) -> Found | None:
    """The Latin spelling of a Cyrillic name whose Latin line OCR garbled past matching (`СНЕКУОМЕМКО, Odarka`
    for `CHERVONENKO, Odarka`, `Ша Tykhyi` for `Illia Tykhyi`): the transliteration of the Cyrillic reading,
    where the Latin block prints at least one of its words letter for letter, which shows the certificate
    spells names by that scheme. Less sure than a spelling read off the page."""
    if not isinstance(found.value, str) or not _CYRILLIC.search(found.value) or _LATIN.search(found.value):
        return None
    # the scheme the page's letters suggest first; the printed word decides (`Симонова` is SIMONOVA in Russian)
    for language in _languages(text, found.value):
        spelt = spelt_latin(found.value, language)
        wanted = {_letters_only(w) for w in spelt.split() if len(_letters_only(w)) >= _ANCHOR_LETTERS}
        for line in text.lines:
            for start, end, word in line.words:
                if is_latin(word.text) and _letters_only(word.text) in wanted:
                    return Found(spelt, start, end, _TRANSLITERATED, (word,))
    return None


_PROOF_LETTERS = 5  # a word of the page this long, spelt by a scheme letter for letter, shows the page uses it


def scheme_spelling(text: DocumentText, value: str) -> str | None:
    """The Latin spelling of a Cyrillic name whose Latin line OCR read past recognition (`ВАВАМУК Тага$` for
    `BARANYK Taras`), by the scheme the page's Latin block spells its other Cyrillic words with (`Маріуполь`
    printed `Mariupol` beside it): none where no other word shows the scheme. A spelling dach made, not one
    read off the page: the caller keeps it below the review line."""
    if not _CYRILLIC.search(value) or _LATIN.search(value):
        return None
    own = {w.casefold() for w in value.split()}
    latin = {_letters_only(w.text) for line in text.lines for _, _, w in line.words if is_latin(w.text)}
    words = {w.text.strip(".,;:()«»\"'") for line in text.lines for _, _, w in line.words}
    others = {
        word
        for word in words
        if _CYRILLIC.search(word)
        and not _LATIN.search(word)
        and word[:1].isupper()
        and word.casefold() not in own
        and len(re.sub(r"\W", "", word)) >= _PROOF_LETTERS
    }
    for language in _languages(text, value):
        if any(_letters_only(spelt_latin(word, language)) in latin for word in others):
            return spelt_latin(value, language)
    return None


def _languages(text: DocumentText, value: str) -> tuple[str, str]:
    """Ukrainian first where the name or the page's letters suggest it, else Russian first."""
    ukrainian = _UKRAINIAN_LETTERS.search(value) or (
        len(_UKRAINIAN_LETTERS.findall(text.text)) >= len(_RUSSIAN_LETTERS.findall(text.text))
        and not _RUSSIAN_LETTERS.search(value)
    )
    return ("uk", "ru") if ukrainian else ("ru", "uk")


# Latin letters OCR reads one for another (`Paviychenko` for `Pavlychenko`, `Chermihiv` for `Chernihiv`, `Sedigi`
# for `Sediqi`): the same stroke with a dot, a bar or a tail lost or gained.
_CONFUSED = frozenset({("i", "l"), ("l", "i"), ("n", "m"), ("m", "n"), ("g", "q"), ("q", "g"), ("u", "v"), ("v", "u")})
_MOST_MENDED = 2  # letters of one word: more than a slip or two is another spelling, not a misreading
_MENDED_LETTERS = 4  # shorter words are too many other words' near-spellings


def _original_words(text: DocumentText) -> set[str]:
    """The capitalised Cyrillic words of a page, long enough to be a name or a place."""
    words = (w.text.strip(".,;:()«»\"'/|") for line in text.lines for _, _, w in line.words)
    return {
        word
        for word in words
        if _CYRILLIC.search(word) and not _LATIN.search(word) and word[:1].isupper() and len(word) >= _MENDED_LETTERS
    }


def _slips(read: str, spelt: str) -> int | None:
    """How many letters a Latin word was read with in place of the spelling's (case aside), where every
    difference is a pair OCR confuses; None where the two are not one word read two ways."""
    if len(read) != len(spelt):
        return None
    pairs = [(a, b) for a, b in zip(read.casefold(), spelt.casefold(), strict=True) if a != b]
    return len(pairs) if all(pair in _CONFUSED for pair in pairs) else None


def _mended_word(word: str, spellings: set[str]) -> str | None:
    """The one spelling of the page's Cyrillic words that `word` (letters only) is a misreading of, cased as
    `word` is set (capitals, capitalised or small)."""
    if word.casefold() in {s.casefold() for s in spellings}:
        return None  # the original spells it letter for letter: nothing to mend
    fits = {s.casefold() for s in spellings if (n := _slips(word, s)) is not None and 0 < n <= _MOST_MENDED}
    if len(fits) != 1:
        return None
    spelt = fits.pop()
    # cased as the word is set, not letter by letter: a slip may be a capital for a small letter (`IIchenko`)
    if len(word) > 1 and word.isupper():
        return spelt.upper()
    # a first letter misread is a name's capital (`lakov` for `Iakov`: a capital I read as a small l)
    return spelt.capitalize() if word[:1].isupper() or word[:1].casefold() != spelt[:1] else spelt


def mended_by_original(text: DocumentText, value: str) -> str | None:
    """A Latin name or place whose letters OCR confused (`Levko Paviychenko`) as the Cyrillic original printed
    on the page spells it (`Павличенко`, Ukrainian scheme `Pavlychenko`): each word that differs from a
    transliteration of one original word only in letters OCR reads one for another takes the letters both
    readings agree on, since OCR rarely garbles the two scripts the same way. None where nothing was mended or
    a word fits two originals."""
    if not is_latin(value):
        return None
    spellings = {
        _letters_only(spelt_latin(word, language)).replace(" ", "")
        for word in _original_words(text)
        for language in ("uk", "ru")
    }
    mended, changed = [], False
    for token in value.split(" "):
        core = token.strip(".,;:")
        fixed = (
            _mended_word(core, spellings)
            if core.isascii() and core.isalpha() and len(core) >= _MENDED_LETTERS
            else None
        )
        changed |= fixed is not None
        mended.append(token.replace(core, fixed) if fixed else token)
    return " ".join(mended) if changed else None


_MENDED = 0.45  # below the review line: dach chose between two readings, a clerk confirms the choice


def mend_from_original(text: DocumentText, found: FieldSet) -> None:
    """The holder's name and birth place, where read in Latin letters OCR confused, mended by the Cyrillic
    original (`mended_by_original`) and sent to review with a note saying why."""
    for field in ("person_name", "birth_place"):
        current = found.fields.get(field)
        if current is None or not isinstance(current.value, str):
            continue
        mended = mended_by_original(text, current.value)
        if mended is None:
            continue
        confidence = min(current.confidence, _MENDED)
        found.fields[field] = current.model_copy(update={"value": mended, "confidence": confidence})
        found.notes.append(f"{field} mended by its Cyrillic original ({current.value} read); please check it")
