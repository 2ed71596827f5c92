"""Name comparison for person matching: tokens, transliteration-proof keys, and an alignment of two names.

Every name is cut into tokens and each token is written three ways:
- `plain`: the ICAO 9303 spelling (A–Z; Ä → AE, Cyrillic per the issuing state's column),
- `soft`: a phonetic form in which the differences between romanisations disappear (SCH/SH/ZH/S/Z → s,
  KH/CH/TSCH → x, G/H → g, W/V → v, AE/Ä/E/A → a, O/U/OU → u, I/Y/J → i ...), so Shevchenko and
  Schewtschenko, or Hryhorenko and Grigorenko, agree,
- `key`: the first letter of `soft` (any vowel as "a") plus its consonants, the blocking key (vowels of
  Arabic names are guesswork in every romanisation: Muhammad, Mohamed and Mouhamad share MGMD).

Given names that no letter rule connects (Mykola/Nikolai) come from `classifiers.name_variants`; Arabic
script is compared letter by letter with Arabic script, and by its consonants with a Latin spelling.

Two names are aligned token by token (best pairs first), in either order, so swapped surname and given names,
a dropped second given name or second surname, and hyphenation do not break a match. The result is a score
(0..1) and plain-English reasons a clerk can check.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from classifiers.name_variants import ABD_FORMS, GIVEN_NAME_GROUPS, PARTICLES
from classifiers.translit import icao_transliterate, script_of

SURNAME = "s"
GIVEN = "g"
UNKNOWN = "?"

_SOFT_RULES = re.compile(
    "SCHTSCH|SHCH|DSCH|TSCH|TCH|SCH|DZH|DJ|ZH|SH|KH|CH|PH|TH|DH|GH|CK|TS|TZ|RN|AE|OE|UE|OU|OO|EE|[A-Z]"
)
_SOFT_MAP = {
    "SCHTSCH": "s", "SHCH": "s", "DSCH": "i", "DZH": "i", "DJ": "i", "TSCH": "x", "TCH": "x", "SCH": "s",
    "ZH": "s", "SH": "s", "KH": "x", "CH": "x", "RN": "m", "PH": "f", "TH": "t", "DH": "d", "GH": "g",
    "CK": "k", "TS": "s", "TZ": "s",
    "AE": "a", "OE": "u", "UE": "u", "OU": "u", "OO": "u", "EE": "i",
    "A": "a", "E": "a", "O": "u", "U": "u", "I": "i", "Y": "i", "J": "i", "B": "b", "P": "p", "V": "v",
    "W": "v", "F": "f", "D": "d", "T": "t", "G": "g", "H": "g", "K": "k", "C": "k", "Q": "k", "X": "ks",
    "S": "s", "Z": "s", "L": "l", "M": "m", "N": "n", "R": "r",
}  # fmt: skip
_VOWEL_CLASSES = frozenset("aui")
_I_BEFORE_VOWEL = re.compile(r"i(?=[au])")
_RUNS = re.compile(r"(.)\1+")
_ABD_GLUED = re.compile(r"^ABD(?:UL|EL|AL|OL|UR|US|AR|ER|U|A|E)?([A-Z]{3,})$")
_AL_GLUED = re.compile(r"^(?:AL|EL|UL)([B-DF-HJ-NP-TV-Z][A-Z]{3,})$")
_SPLIT = re.compile(r"[\s\-‐‑–—_/.]+")
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ی": "ي", "ک": "ك",
                              "ـ": None})  # fmt: skip


_ARABIC_READING = {"CH": "s", "GH": "k", "TH": "s", "DH": "s"}


def soft_form(plain: str, *, arabic_reading: bool = False) -> str:
    """The romanisation-proof phonetic form of one A–Z token (see the module docstring).

    `arabic_reading` reads CH as SH (French romanisation of Arabic: Chawich = Shawish) and GH as Q (Persian
    romanisation: Ghasem = Qasim), TH and DH as S/Z (Hitham = Hisam, Nafidh = Nafiz), where German and
    Slavic names have KH/TSCH, Г and a plain T or D."""
    if len(plain) > 3 and plain.endswith("H") and plain[-2] in "AE":
        plain = plain[:-1]  # Abdullah/Abdulla, Fatemeh/Fateme
    pieces = _SOFT_RULES.findall(plain)
    table = {**_SOFT_MAP, **_ARABIC_READING} if arabic_reading else _SOFT_MAP
    soft = "".join(table.get(p, "") for p in pieces)
    soft = _I_BEFORE_VOWEL.sub("", soft)  # Yelena/Jelena/Elena, Mariya/Maria, Tsvetayeva/Zwetajewa
    return _RUNS.sub(r"\1", soft)


def consonant_key(soft: str) -> str:
    """The consonants of a soft form, after its first letter (any first vowel is 'a': Oleksandr/Aleksandr,
    Iyad/Eyad, Umar/Omar)."""
    if not soft:
        return ""
    first = "a" if soft[0] in _VOWEL_CLASSES else soft[0]
    return first + "".join(c for c in soft[1:] if c not in _VOWEL_CLASSES)


@dataclass(frozen=True, slots=True, eq=False)
class Spelling:
    """One spelling of a name word in its comparable forms. Interned (one object per spelling), so it hashes
    by identity and the similarity of two spellings is computed once per process."""

    plain: str
    soft: str
    key: str
    group: str | None  # the given-name group (`classifiers.name_variants`), if the spelling is listed
    alt_soft: str = ""  # the soft form in the Arabic reading of CH, GH, TH, DH, when the word has one
    arabic: bool = False  # Arabic script: `plain` holds the letters, `latin_key` the transliteration's key
    latin_key: str = ""
    softs: tuple[str, ...] = ()  # soft and alt_soft
    strict_keys: tuple[str, ...] = ()  # their consonant keys with the first sound kept as it is
    without_article: Spelling | None = None  # ALHASSAN -> HASSAN


@dataclass(frozen=True, slots=True)
class Token:
    """A name word as one claim uses it. `role` is surname, given or unknown; `secondary` marks a second
    given name, a patronymic or a second surname (allowed to be missing on the other side)."""

    text: str
    spelling: Spelling
    role: str
    secondary: bool


@dataclass(frozen=True, slots=True)
class NameForm:
    """One way a claim spells the whole name (the printed Latin name, the original script ...)."""

    tokens: tuple[Token, ...]
    roles_known: bool
    arabic: bool = False


def _group(plain: str, soft: str) -> str | None:
    """The given-name group of a spelling: listed, or an unlisted spelling of a listed name (Mouhammad),
    recognised by its soft form *and* at most two letters of difference (Uliana is not Olena)."""
    group = GIVEN_NAME_GROUPS.get(plain)
    if group is None and soft in _SOFT_GROUPS:
        candidate, members = _SOFT_GROUPS[soft]
        if any(Levenshtein.distance(plain, m, score_cutoff=2) <= 2 for m in members):
            group = candidate
    return group


def _build_soft_groups() -> dict[str, tuple[str, tuple[str, ...]]]:
    seen: dict[str, dict[str, list[str]]] = {}
    for name, group in GIVEN_NAME_GROUPS.items():
        seen.setdefault(soft_form(name), {}).setdefault(group, []).append(name)
    # A soft form shared by two groups says nothing about either: leave it out.
    return {
        soft: (group, tuple(members))
        for soft, groups in seen.items()
        if len(groups) == 1
        for group, members in groups.items()
    }


_SOFT_GROUPS = _build_soft_groups()


@lru_cache(maxsize=131072)
def _icao_words(piece: str, language: str | None) -> tuple[str, ...]:
    return tuple(icao_transliterate(piece, language=language).split())


def _plain_tokens(text: str, language: str | None) -> list[str]:
    words: list[str] = []
    for piece in _SPLIT.split(text):
        if piece:
            words.extend(_icao_words(piece, language))
    merged: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word in ABD_FORMS and i + 1 < len(words):
            j = i + 1
            while j < len(words) - 1 and words[j] in PARTICLES:
                j += 1
            word, i = "ABD" + words[j], j  # Abd al-Rahman, Abdul Rahman -> ABDRAHMAN
        glued = _ABD_GLUED.match(word)
        if glued:
            word = "ABD" + glued.group(1)  # Abdulrahman, Abdurrahman, Abdelrahman -> ABDRAHMAN
        merged.append(word)
        i += 1
    kept = [w for w in merged if w not in PARTICLES]
    return kept or merged


@lru_cache(maxsize=131072)
def latin_spelling(plain: str) -> Spelling:
    soft = soft_form(plain)
    alt = soft_form(plain, arabic_reading=True) if any(p in plain for p in _ARABIC_READING) else ""
    softs = (soft, alt) if alt else (soft,)
    strict = tuple(x[:1] + consonant_key(x)[1:] for x in softs)
    glued = _AL_GLUED.match(plain)
    rest = latin_spelling(glued.group(1)) if glued else None
    group = _group(plain, soft)
    return Spelling(plain, soft, consonant_key(soft), group, alt, False, "", softs, strict, rest)


@lru_cache(maxsize=65536)
def arabic_spelling(word: str) -> Spelling:
    latin = consonant_key(soft_form(icao_transliterate(word)))
    return Spelling(word, word, word, None, arabic=True, latin_key=latin)


def make_token(plain: str, role: str, secondary: bool, text: str) -> Token:
    return Token(text, latin_spelling(plain), role, secondary)


def _arabic_tokens(text: str) -> list[Token]:
    folded = "".join(c for c in unicodedata.normalize("NFC", text) if not unicodedata.combining(c))
    folded = folded.translate(_ARABIC_FOLD)
    out = []
    for i, word in enumerate(w for w in re.split(r"[\s\-]+", folded) if w):
        word = word[2:] if word.startswith("ال") and len(word) > 4 else word
        out.append(Token(word, arabic_spelling(word), UNKNOWN, i > 1))
    return out


def _latin_form(surname: str | None, given: str | None, language: str | None) -> NameForm | None:
    tokens: list[Token] = []
    for role, text in ((SURNAME, surname), (GIVEN, given)):
        for i, plain in enumerate(_plain_tokens(text or "", language)):
            tokens.append(make_token(plain, role, i > 0, plain.title()))
    if not tokens:
        return None
    return NameForm(tuple(tokens), roles_known=bool(surname) and bool(given))


def _unordered_form(text: str, language: str | None) -> NameForm | None:
    if "," in text:  # "SHEVCHENKO, Oleksandr Petrovych": surname first
        surname, _, given = text.partition(",")
        return _latin_form(surname, given, language)
    plains = _plain_tokens(text, language)
    tokens = tuple(make_token(p, UNKNOWN, False, p.title()) for p in plains)
    return NameForm(tokens, roles_known=False) if tokens else None


def name_forms(
    surname: str | None,
    given_names: str | None,
    full_name: str | None,
    original_script_name: str | None,
    language: str | None,
) -> tuple[NameForm, ...]:
    """Every spelling of the name a claim gives, ready to compare. `language` picks a Cyrillic column."""
    forms: list[NameForm | None] = [_latin_form(surname, given_names, language)]
    if surname and len(_SPLIT.split(surname.strip())) > 1:
        # Double surnames are also written as one word: Bani Rashid / BaniRashid, Al Ahmar / Alahmar.
        forms.append(_latin_form(_SPLIT.sub("", surname), given_names, language))
    if full_name:
        forms.append(_unordered_form(full_name, language))
    if original_script_name:
        script = script_of(original_script_name)
        if script == "arabic":
            tokens = _arabic_tokens(original_script_name)
            forms.append(NameForm(tuple(tokens), roles_known=False, arabic=True) if tokens else None)
        else:
            # One ICAO column (the issuing state's, else guessed from the letters): the soft forms already
            # equate the Ukrainian and Russian readings of the same letters (Г -> H / G, И -> Y / I).
            forms.append(_unordered_form(original_script_name, language))
    # One form per set of words; where two forms have the same words, the one that knows the roles is kept
    # (the original script usually repeats the printed name).
    unique: dict[tuple[str, ...], NameForm] = {}
    for form in sorted((f for f in forms if f is not None), key=lambda f: not f.roles_known):
        unique.setdefault(tuple(sorted(t.spelling.plain for t in form.tokens)), form)
    return tuple(unique.values())


# --- comparing tokens ----------------------------------------------------------------------------------

EXACT, VARIANT, TRANSLIT, FUZZY = "exact", "variant", "transliteration", "spelling"


@lru_cache(maxsize=262144)
def _similarity(a: Spelling, b: Spelling) -> tuple[float, str]:
    if a.plain == b.plain:
        return 1.0, EXACT
    if a.arabic != b.arabic:
        # Arabic script against a Latin spelling: only the consonants can be compared.
        arabic_key, latin_key = (a.latin_key, b.key) if a.arabic else (b.latin_key, a.key)
        if len(latin_key) >= 2 and arabic_key == latin_key:
            return (0.93 if len(latin_key) >= 3 else 0.88), TRANSLIT
        return Levenshtein.normalized_similarity(arabic_key, latin_key) * 0.8, FUZZY
    if a.arabic:
        return Levenshtein.normalized_similarity(a.plain, b.plain) * 0.97, FUZZY
    plain_sim = Levenshtein.normalized_similarity(a.plain, b.plain)
    if a.group and b.group:
        if a.group == b.group:
            return 0.97, VARIANT
        # Two different known names (Hasan/Husain, Omar/Amir): only their letters may speak.
        return min(plain_sim, 0.6), FUZZY
    if a.soft == b.soft or ((a.alt_soft or b.alt_soft) and not set(a.softs).isdisjoint(b.softs)):
        return 0.96, TRANSLIT
    soft_sim = Levenshtein.normalized_similarity(a.soft, b.soft)
    if a.alt_soft or b.alt_soft:
        soft_sim = max(Levenshtein.normalized_similarity(x, y) for x in a.softs for y in b.softs)
    best, kind = max(plain_sim, soft_sim * 0.97), FUZZY
    if (
        best < 0.45
        and a.without_article is None
        and b.without_article is None
        and {k[:1] for k in a.strict_keys}.isdisjoint(k[:1] for k in b.strict_keys)
    ):
        return best, kind  # unrelated names (most pairs): nothing below can lift them to a pair
    if best < 0.93:
        shortest = min(len(a.plain), len(b.plain))
        if (shortest >= 4 and Levenshtein.distance(a.plain, b.plain, score_cutoff=1) <= 1) or (
            min(len(a.soft), len(b.soft)) >= 6 and Levenshtein.distance(a.soft, b.soft, score_cutoff=1) <= 1
        ):
            # One letter lost, doubled or misread (OCR, rn/m, u/v); the longer the name, the surer.
            best = max(best, 0.93 if shortest >= 5 else 0.9)
    # Same consonants and the same first sound: a vowel drift (Muhamad/Mohamed), not another name.
    if len(a.key) >= 2 and 0.85 + 0.12 * soft_sim > best and not set(a.strict_keys).isdisjoint(b.strict_keys):
        best, kind = 0.85 + 0.12 * soft_sim, TRANSLIT
    for this, other in ((a, b), (b, a)):
        if this.without_article is not None:  # Alhassan / Al Hassan / Hassan: also without the article
            sim, sub_kind = _similarity(this.without_article, other)
            if sim - 0.01 > best:
                best, kind = sim - 0.01, sub_kind if sub_kind != EXACT else TRANSLIT
    return best, kind


# --- comparing whole names -----------------------------------------------------------------------------

_MIN_PAIR = 0.5


@dataclass(frozen=True, slots=True)
class NameComparison:
    score: float
    reasons: tuple[str, ...]


def _pair_reason(a: Token, b: Token, kind: str, sim: float) -> str | None:
    what = {SURNAME: "surname", GIVEN: "given name"}.get(a.role if a.role != UNKNOWN else b.role, "name")
    shown = f"({a.text}/{b.text})"
    if kind == VARIANT:
        return f"{what} variants {shown}"
    if kind == TRANSLIT:
        return f"{what} matches across transliteration {shown}"
    if kind == FUZZY and sim < 0.995:
        return f"{what} spelt slightly differently {shown}"
    return None


def compare_forms(a: NameForm, b: NameForm) -> NameComparison:
    """Align two spellings of a name and score how surely they are the same name (0..1)."""
    scored = []
    for i, ta in enumerate(a.tokens):
        for j, tb in enumerate(b.tokens):
            sim, kind = _similarity(ta.spelling, tb.spelling)
            if sim >= _MIN_PAIR:
                scored.append((sim, i, j, kind))
    scored.sort(key=lambda s: -s[0])
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs: list[tuple[float, Token, Token, str]] = []
    for sim, i, j, kind in scored:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((sim, a.tokens[i], b.tokens[j], kind))
    if not pairs:
        return NameComparison(0.0, ())
    weight = sum(0.6 if (ta.secondary or tb.secondary) else 1.0 for _, ta, tb, _ in pairs)
    core = sum(sim * (0.6 if (ta.secondary or tb.secondary) else 1.0) for sim, ta, tb, _ in pairs) / weight
    reasons: list[str] = []
    penalty = 0.0
    both_known = a.roles_known and b.roles_known
    if both_known:
        direct = sum(sim for sim, ta, tb, _ in pairs if ta.role == tb.role)
        crossed = sum(sim for sim, ta, tb, _ in pairs if ta.role != tb.role)
        roles_a = {ta.role for _, ta, _, _ in pairs if not ta.secondary}
        roles_b = {tb.role for _, _, tb, _ in pairs if not tb.secondary}
        if roles_a != {SURNAME, GIVEN} or roles_b != {SURNAME, GIVEN}:
            penalty += 0.25  # the surname or the given name found no partner
        elif crossed > direct:
            reasons.append("given names and surname swapped")
    strong = sum(1 for sim, _, _, _ in pairs if sim >= 0.75)
    if strong < 2:
        penalty += 0.25  # one matching word is not a name match (twins share a surname)
    unmatched_a = [t for k, t in enumerate(a.tokens) if k not in used_a]
    unmatched_b = [t for k, t in enumerate(b.tokens) if k not in used_b]
    # A word left over on both sides is a different name (twins: Thabit/Ahmad), not an omission.
    conflicts = min(len(unmatched_a), len(unmatched_b))
    penalty += 0.15 * conflicts
    for token in (unmatched_a if len(unmatched_a) > len(unmatched_b) else unmatched_b)[conflicts:]:
        if token.secondary or token.role == UNKNOWN:
            penalty += 0.02
            what = {SURNAME: "second surname", GIVEN: "second given name"}.get(token.role, "name")
            reasons.append(f"{what} {token.text} missing on one side")
        else:
            penalty += 0.12  # a first given name or a (first) surname is rarely left out
    for sim, ta, tb, kind in pairs:
        reason = _pair_reason(ta, tb, kind, sim)
        if reason:
            reasons.append(reason)
    return NameComparison(max(0.0, min(1.0, core - penalty)), tuple(reasons))


def compare_names(a: tuple[NameForm, ...], b: tuple[NameForm, ...]) -> NameComparison:
    """The best comparison over every pair of spellings the two claims give."""
    best = NameComparison(0.0, ())
    for form_a in a:
        for form_b in b:
            result = compare_forms(form_a, form_b)
            if result.score > best.score:
                best = result
    return best
