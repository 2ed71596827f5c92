"""Fields of a certificate (birth, marriage, school, degree, registration): whose it is, born when and where,
issued when, by whom, under which number.

Certificates print label/value pairs, often twice (Ukrainian and German, Arabic and English). The labels
come from the `dach_certificate_fields_v1` component; the value is the rest of the label's column or the
line below. Where a certificate prints a Latin-script block, that block is preferred: a German e-file
records the Latin spelling the document itself gives, and the original script otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from rapidfuzz import fuzz, process

from classifiers.certificate_captions import caption_field, office_kind_caption
from classifiers.certificate_latin import (
    cyrillic_read_as_latin,
    is_latin,
    latin_half,
    latin_lookalikes,
    latin_words,
    mixed_scripts,
)
from classifiers.certificate_latin import latin_twin as twin_in_latin
from classifiers.certificate_numbers import certificate_number, cyrillic_series, number_twin
from classifiers.cues import title_types
from classifiers.extract import FieldSet, Found, group_text, groups, value_after
from classifiers.fields import ARABIC_FOLD, label_spans
from classifiers.geometry import value_near
from classifiers.label_tables import CERTIFICATE_LABELS, EXTRA_LABELS, KEY_VALUE_LABELS
from classifiers.lexicon import fold
from classifiers.normalise import normalise_date, normalise_name, normalise_text
from classifiers.notice import clean_authority
from classifiers.roles import holder_labels
from classifiers.text import DocumentText
from classifiers.translit import icao_transliterate
from schemas.documents import DocumentType, FieldValue, Word

_LATIN = re.compile(r"[A-Za-zÀ-ɏ]")
_NON_LATIN = re.compile(r"[\u0400-\u04ff\u0600-\u06ff]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Labels of certificate lines dach does not extract: a value finder must not take them for values.
_OTHER_LABELS = (
    "Батько",
    "Мати",
    "Чоловік / дружина",
    "Дата реєстрації шлюбу",
    "Спеціальність",
    "Отец",
    "Мать",
    "Супруг(а)",
    "Дата регистрации брака",
    "Специальность",
    "اسم الأب",
    "اسم الأم",
    "الزوج / الزوجة",
    "تاريخ الزواج",
    "الاختصاص",
    "نام پدر",
    "نام مادر",
    "همسر",
    "تاریخ ازدواج",
    "رشته",
    "Baba Adı",
    "Ana Adı",
    "Eşi",
    "Evlenme Tarihi",
    "Bölüm",
    "Father",
    "Mother",
    "Spouse",
    "Date of marriage",
    "Major",
    "Vater",
    "Mutter",
    "Ehegatte",
    "Tag der Eheschließung",
    "Studiengang",
    "Staatsangehörigkeit",
    "Anschrift (Hauptwohnung)",
    "Einzugsdatum",
    "М.П.",
    "Siegel",
    # other lines of a certificate's table, in the languages of the label tables: never a value
    "Sex",
    "Gender",
    "Geschlecht",
    "Стать",
    "Пол",
    "Cinsiyet",
    "الجنس",
    "جنسیت",
    "Nationality",
    "Religion",
    "Occupation",
    "Beruf",
    "Address",
    "Anschrift",
    "Adres",
    "Adresse",
    "Адреса",
    "Адрес",
    "Адреса реєстрації",
    "Адрес регистрации",
    "Registered address",
    "Meldeadresse",
    "Місце проживання",
    "Место жительства",
    "العنوان",
    "نشانی",
    "Wohnort",
    "Residence",
    "Faculty",
    "Fakultät",
    "Fachrichtung",
    "Grade",
    "Gesamtnote",
    "Name of spouse",
    "Father's name",
    "Mother's name",
    "Name des Vaters",
    "Name der Mutter",
    "Registrar",
    "Director",
    "Name",  # a bare `Name:` of the other column is never a value
)


_ITEM_NUMBER = re.compile(r"^\s*\d{1,2}[.)]\s+(?=\D)")  # a form's numbered row (`5. Ort der Geburt`)


def _label_key(text: str) -> str:
    text = _ITEM_NUMBER.sub("", text)
    return fold(" ".join(text.lower().replace(":", " ").replace("“", " ").split()).strip(" .").translate(ARABIC_FOLD))


# Every label any reader knows (the field table, the key-value table with its name rows and other persons, the
# extra labels): a value finder must take none of them for a value, whichever reader found the label it pairs.
_ALL_LABELS = frozenset(
    _label_key(label)
    for table in (CERTIFICATE_LABELS, KEY_VALUE_LABELS, EXTRA_LABELS)
    for label in (*(lab for labels in table.values() for lab in labels), *_OTHER_LABELS)
)
_REGISTRY_WORDS = re.compile(
    r"Stadt|Gemeinde|Meldebehörde|Einwohnermeldeamt|Bürgeramt|Standesamt|Amt|Bürgerservice|Bürgerbüro|Melde"
    r"|Directorate|Registry|Civil\s+Status|Ministry|University|Universität|Department|ДРАЦС|ЗАГС|Відділ|Отдел"
    r"|Faculty|College|School|Hochschule|Schule|Gymnasium"
    r"|Council|Municipality|Administration|Рада|Адміністрац|Администрац|Belediye|Nüfus",
    re.I,
)


_LEADER_TRACE = re.compile(r"\.{2,}|(?<=[^\W\d_]{2})\.(?=[^\W\d_])|№\.(?=\d)")


def unglue_leaders(text: str) -> str:
    """A value read through a form's dotted leaders without its dots: OCR glues them to the words
    (`..Отдел.ЗАГС г. Москва`, `Школа. №.28.г..Самара` for `Школа № 28 г. Самара`). Only a value that shows
    such a trace is touched, so `Hauptstr. 5` keeps its abbreviation dot."""
    if not _LEADER_TRACE.search(text):
        return text
    text = re.sub(r"(?<=\b[^\W\d_])\.{2,}(?=\S)", ". ", text)  # `г..Самара`: an abbreviation's own dot
    text = re.sub(r"\.{2,}", " ", text)
    text = re.sub(
        r"(?<=[^\W\d_]{2})\.(?=[^\W\d_])|(?<=\d)\.(?=[^\W\d_])|№\.(?=\d)", lambda m: m.group(0)[:-1] + " ", text
    )
    text = re.sub(r"(?<=[^\W\d_]{3})\.(?=\s|$)", "", text)  # `Школа.`: a leader's dot after a word
    return " ".join(text.split()).strip(" .")


# Words that make a line an institution's name (the issuer), in the seven languages.
INSTITUTION = re.compile(
    r"Standesamt|Stadt\b|Gemeinde|Amt\b|Behörde|Bürgerbüro|Bürgeramt|Bürgerservice|Einwohnermeldeamt|Universität"
    r"|Hochschule|Akademie|Schule|Gymnasium|Lyzeum|Institut|Ministerium|Landkreis"
    r"|University|College|Institute|School|Academy|Directorate|Department|Ministry|Office|Registry|Court"
    r"|Municipality|Council|Polytechnic|Lyceum"
    r"|Відділ|Управління|Центр|Університет|Інститут|Академія|Ліцей|Гімназія|Школа|Коледж|ДРАЦС|РАЦС|Міністерство"
    r"|Отдел|Управление|ЗАГС|Университет|Институт|Академия|Лицей|Гимназия|Колледж|Администрац|Министерство"
    r"|Müdürlüğü|Müdürlügü|Mudurlugu|Üniversitesi|Universitesi|Lisesi|Okulu|Dairesi|Belediyesi|Valiliği|Fakültesi"
    r"|وزارة|مديرية|جامعة|مدرسة|دائرة|محكمة|اداره|دانشگاه|مدرسه|وزارت|ثبت\s+احوال",
    re.IGNORECASE,
)
# The same words as whole words: a name or a place that holds one names an institution (`Schuler` does not).
INSTITUTION_WORD = re.compile(rf"(?<!\w)(?:{INSTITUTION.pattern})(?!\w)", re.IGNORECASE)


def person_name(text: str) -> str | None:
    """A name as printed (a Meldebescheinigung prints `Kovalenko, Olena`; the person matcher reads both); an
    Eastern Slavic full name with its patronymic as given name and surname (`Ільєнко Софія Соломонівна` →
    `Софія Ільєнко`), as dach records it."""
    name = normalise_name(latin_lookalikes(cyrillic_read_as_latin(unglue_leaders(lead_trimmed(latin_half(text))))))
    if name and INSTITUTION_WORD.search(name):
        return None  # `State Technical University of Kazan` under a `Graduate` caption names no person
    if name and mixed_scripts(name):
        return None  # a name and its twin run together (`Валентина Valentina`): not one person's name
    if name and "," in name:
        name = re.sub(r"\s*,\s*", ", ", name)
    return without_patronymic(name) if name else name


PATRONYMIC = re.compile(r"(?:[оеє]вич|[іи]ч|[оеєі]вна|ївна|[иі]чна|[oe]v[iy]ch|[iy]?ivna|[oe]vna)$", re.I)


def without_patronymic(name: str) -> str:
    """`Surname Given Patronymic` (the order of Ukrainian and Russian registers) or `Given Patronymic Surname`
    as `Given Surname`; any other name as it is."""
    words = name.replace(",", " ").split()
    if len(words) != 3 or not all(w[:1].isupper() for w in words):
        return name
    if PATRONYMIC.search(words[2]) and not PATRONYMIC.search(words[1]):
        return f"{words[1]} {words[0]}"
    if PATRONYMIC.search(words[1]) and not PATRONYMIC.search(words[2]):
        return f"{words[0]} {words[2]}"
    return name


def plausible(value: str | None) -> str | None:
    """Free text that reads as words; OCR garbage from a stamp or a photo (`in®__’U Te. ..*..`) does not."""
    if not value:
        return None
    odd = sum(1 for ch in value if not (ch.isalnum() or ch.isspace() or ch in ".,-–()/№'’&"))
    return value if odd <= 0.1 * len(value) and sum(ch.isalpha() for ch in value) >= 0.5 * len(value) else None


# The kind of settlement before a place's name (`м. Київ`, `г. Москва`, `смт Ворзель`): not part of the name.
# (also read in Latin look-alikes, `m. Дніпро`, where a Cyrillic name follows)
_SETTLEMENT = re.compile(r"^(?:м|г|с|смт|пгт|пос|сел|с-ще|m|r|c)(?:\.\s*|\s+)(?=[А-ЯІЇЄҐ])")


# Where a place read from running text ends: a comma before a lower-case word or a relation (`Mosul, to …`,
# `Herat, daughter of …`, `Kabul, has completed …`), or a bracketed role (`(father)`).
_PLACE_END = re.compile(
    r",\s*(?=[a-zа-яіїєґßäöüçğışé]|(?:Sohn|Tochter)\b)|\s+(?:to|und|and)(?:\s+(?=[A-Z])|\s*$)|\s*\("
    r"(?:father|mother|Vater|Mutter)\)|\s+(?:geboren|born|wurde|ist|has|was)\b"
)


_OPENING_QUOTES = "‚„«\"'“‘"
_CLOSING_QUOTES = "»\"'”’“"
_NO_LETTER_LEAD = re.compile(r"^(?:[\W\d_]+\s+)+")  # leading words with no letter


def unquoted(text: str) -> str:
    """A value without an opening quote mark that nothing closes: the end of a dotted leader OCR read as `‚`
    or `«` (`‚Школа № 7`, `«Університет м. Чернігів`); `Ліцей «Надія»` keeps its quotes."""
    stripped = text.strip()
    if stripped[:1] in _OPENING_QUOTES and not any(ch in _CLOSING_QUOTES for ch in stripped[1:]):
        return stripped[1:]
    return text


def lead_trimmed(text: str) -> str:
    """A name or a place without what OCR read before it in its row: tokens without a letter (a leader's rest, a
    box's number, a rule: `7 “Akkerman`, `- “Konya`) and then the opening quote nothing closes; only where a
    capital starts what is left, as a name's or a place's first letter does (`— from` stays no name)."""
    trimmed = unquoted(_NO_LETTER_LEAD.sub("", text.strip()))
    return trimmed if trimmed != text.strip() and trimmed[:1].isupper() else text


# `in Worten: zwölften März …` (a date or an amount written out) under its digits: read after the label `in`, it is
# no place
_IN_WORDS = re.compile(r"^\W*(?:Worten|words)\b", re.IGNORECASE)


def place(text: str) -> str | None:
    if _IN_WORDS.match(text):
        return None
    text = cyrillic_read_as_latin(latin_half(text))  # `Харків / Kharkiv`: the Latin spelling recorded
    # the rest of a leader or a box's number before the name (`4.4 Самара`): a place starts with a letter
    # (after the leaders are unglued: `:...4.4.........Самара` is `4.4 Самара`)
    text = _NO_LETTER_LEAD.sub("", unquoted(unglue_leaders(_PLACE_END.split(text, maxsplit=1)[0].strip()).strip()))
    value = plausible(normalise_text(_SETTLEMENT.sub("", text).strip(" -–—|")))
    first = value.split()[0] if value else ""
    if first[:1].islower() and not (first[0] == "i" and len(first) > 3):
        # a place's name is capitalised (`passed the` is the next line of a sentence); a Turkish İ is read `i`
        return None
    if value and INSTITUTION_WORD.search(value):
        return None  # `Lyceum No. 9, Poltava` after `graduated in 2015 from` is where, not where born
    return value if value and not re.search(r"\d", value) else None  # `No. 9, Poltava`: a numbered school


_NUMERO = re.compile(r"(?<=[\u0400-\u04ff] )(?:Мо|Ме|М»|No|Nо|N°|Nº|Ng)\.?(?= ?\d)")


def numero_sign(text: str) -> str:
    """The numero sign of a Cyrillic name (`Ліцей № 69`), which OCR reads as `Мо`, `М»`, `No` or `N°`."""
    return _NUMERO.sub("№", text)


# A signer's title before the body they head (`Head of the Civil Registry Office of Kharkiv`): not the body's name.
_SIGNER_TITLE = re.compile(
    r"^(?:Head|Director|Chief|Leiter(?:in)?|Direktor(?:in)?|Начальник|Керівник|Директор|Руководитель)\s+"
    r"(?:of\s+(?:the\s+)?|des\s+|der\s+)?",
    re.IGNORECASE,
)


# A body's name never ends in a preposition, an article or a settlement's abbreviation: a value that does was
# cut at the end of its line.
_CUT_SHORT = re.compile(r"\s(?:of|the|for|and|at|in|des|der|den|dem|für|und|von|vom|zu|в|у|м\.|г\.)$", re.IGNORECASE)
_ARTICLE = re.compile(r"^the\s+(?=[A-ZÀ-Ý])")
# The state's initials before a Turkish body's name (`T.C. Ege Üniversitesi`, Türkiye Cumhuriyeti): the state, as
# `Republic of` is, not the body that issues.
_STATE_INITIALS = re.compile(r"^T\.\s?C\.\s+(?=\w)")
_SENTENCE_END = re.compile(r"(?<=[^\W\d_]{4})\.$")


def authority(value: str | None) -> str | None:
    """An issuing body's name without a signer's title before it; none where only the title's words are left
    (`Head of Office`) or where the value is a date (`Видано 12 березня 2021 року` says when, not by whom)."""
    if not value:
        return None
    if value[:1].isdigit() or (any(ch.isdigit() for ch in value) and normalise_date(value)):
        return None
    if office_kind_caption(value):
        return None  # `Nüfus Müdürlüğü / Standesamt / Civil registry office`: the caption over the body's name
    body = _SIGNER_TITLE.sub("", value)
    if body != value and (len(body.split()) < 2 or not INSTITUTION.search(body)):
        return None
    body = _STATE_INITIALS.sub("", body)
    if _CUT_SHORT.search(body):
        return None  # `Civil Registry Office of` (the town on the next line): the name was cut, not read
    body = _SENTENCE_END.sub("", body)  # `… by the Sharia Court of Homs.`: the sentence's full stop
    return _ARTICLE.sub("", body)  # `by the Civil Status Directorate`: the body's name has no article


def issuer(text: str) -> str | None:
    """An issuing body's name as a value reads it: the Latin half of a twin, leaders and look-alikes mended; none
    where the whole line is a caption naming a kind of office in several languages (its Latin half alone would
    read as a body: `Відділ ДРАЦС / Standesamt`)."""
    if office_kind_caption(text):
        return None
    return authority(plausible(numero_sign(clean_authority(latin_words(unglue_leaders(unquoted(latin_half(text))))))))


def date_only(text: str) -> str | None:
    return normalise_date(text)


_BOX_RULE = re.compile(r"^[|\[\]]+\s+|\s+[|\[\]]+$|^_+|_+$")


def unboxed(normalise: Callable[[str], FieldValue]) -> Callable[[str], FieldValue]:
    """`normalise` of a value without the rule of the box or the line it is written in, which OCR reads as
    `|` or `[` beside the value (`| Kırat Fırat`) or as `_` glued to it (`_Kassem, Fatima`)."""

    def read(text: str) -> FieldValue:
        return normalise(_BOX_RULE.sub("", text.strip()))

    return read


NORMALISERS: dict[str, Callable[[str], FieldValue]] = {
    "person_name": unboxed(person_name),
    "birth_date": unboxed(date_only),
    "birth_place": unboxed(place),
    "issue_date": unboxed(date_only),
    "issuing_authority": unboxed(issuer),
    "certificate_number": unboxed(certificate_number),
}
# Which fields are written in the document's own script when it has no Latin block, so the
# preference for Latin-labelled values applies to them.
_SCRIPT_FIELDS = {"person_name", "birth_place", "issuing_authority"}


# The first two words of labels of three words or more: OCR often garbles the last word of a label
# (`Date of бін` for `Date of birth`), and no value starts with "Date of" or "Place of".
_LABEL_HEADS = frozenset(" ".join(key.split()[:2]) for key in _ALL_LABELS if len(key.split()) >= 3)


def is_label(text: str) -> bool:
    """Whether `text` is a label (or a title) rather than a value: a label alone, a label with its value
    run into it (`Place of birth Damascus`), or a label whose last word OCR garbled."""
    key = _label_key(text)
    if key in _ALL_LABELS or bool(title_types(text)):
        return True
    if _ARABIC.search(key) and " ".join(reversed(key.split())) in _ALL_LABELS:
        return True  # a right-to-left label whose words OCR gave in the opposite order
    words = key.split()
    if len(words) >= 2 and " ".join(words[:2]) in _LABEL_HEADS:
        return True
    prefixes = (" ".join(words[:n]) for n in range(1, min(4, len(words) - 1) + 1))
    if any(p in _ALL_LABELS and (" " in p or len(p) >= 6) for p in prefixes):
        return True
    # a caption in a wording no table lists (`Issuing body`, `Graduate`), known by the words it is made of
    return garbled_label(key) or caption_field(text) is not None


_LOOKALIKE_LOWER = str.maketrans("аеіїорсхук", "aeiiopcxyk")
_SQUEEZED_LABELS = tuple(sorted({re.sub(r"[\W_]+", "", key) for key in _ALL_LABELS} - {""}))
GARBLED_LABEL = 88.0  # rapidfuzz ratio above which a value candidate is a label OCR garbled (`Piace of birth`)


def garbled_label(key: str, labels: Sequence[str] = _SQUEEZED_LABELS) -> bool:
    """Whether a folded lower-case text reads almost as one of `labels` (folded, without spaces and
    punctuation): `piace of birth`, `sumame, given names`."""
    squeezed = re.sub(r"[\W_]+", "", key)
    if sum(ch.isascii() for ch in squeezed) > 0.6 * len(squeezed):  # a Latin label with Cyrillic look-alikes
        squeezed = squeezed.translate(_LOOKALIKE_LOWER)
    if not 6 <= len(squeezed) <= 40 or any(ch.isdigit() for ch in squeezed):
        return False
    return process.extractOne(squeezed, labels, scorer=fuzz.ratio, score_cutoff=GARBLED_LABEL) is not None


# Farthest below its label, in the label's heights, a value read in text order may stand: the reach of the row
# under a label in `classifiers.geometry`. Farther down, the next line of the text is another block's line (the
# closing line under the last of a form's captions set under their values).
VALUE_REACH = 5.5


def _value_after_near(text: DocumentText, span: Any, normalise: Callable[[str], FieldValue]) -> Found | None:
    """The value after a label in text order (`classifiers.extract.value_after`), where it stands within reach."""
    found = value_after(text, span.end_char, normalise)
    if found is None:
        return None
    label = text.words_in(span.start_char, span.end_char)
    value = text.words_in(found.start, found.end)
    if not label or not value or label[0][0] is not value[0][0]:
        return found
    height = max(w.bbox.y1 - w.bbox.y0 for _, w in label)
    gap = min(w.bbox.y0 for _, w in value) - max(w.bbox.y1 for _, w in label)
    return found if gap <= VALUE_REACH * height else None


def _best(text: DocumentText, spans: list[Any], field: str) -> Found | None:
    candidates: list[tuple[bool, Found]] = []
    for span in spans:
        rtl = bool(_ARABIC.search(span.text))
        found = value_near(
            text,
            span.start_char,
            span.end_char,
            NORMALISERS[field],
            is_label,
            rtl=rtl,
            wraps=field == "issuing_authority",
            caption_under=True,
        ) or _value_after_near(text, span, NORMALISERS[field])
        if found is not None:
            candidates.append((is_latin(span.text), found))
    if not candidates:
        return None
    latin = [found for label_latin, found in candidates if label_latin]
    chosen = candidates[0][1]
    if field == "person_name":
        # the holder's label comes first; a later Latin label's value is the holder's only where it spells the
        # same name (another person's label may have lost its role word to OCR: `Мошег$ full name`)
        return next((f for f in latin if f is not chosen and spells_same_name(f, chosen)), chosen)
    if latin and (field in _SCRIPT_FIELDS or field == "certificate_number"):
        # Bilingual certificates print the translation (German or English) after the local block.
        values = [f for f in latin if isinstance(f.value, str) and is_latin(f.value)]
        chosen = (values or latin)[-1]
    if field == "certificate_number":
        chosen = number_twin(chosen, [found for _, found in candidates], text.text)
    return chosen


def spells_same_name(latin: Found, original: Found, *, both_ways: bool = False, likeness: float = 80.0) -> bool:
    """Whether a Latin reading spells the name of another reading: the same letters, or the transliteration
    of a Cyrillic one, in either order of the names (with `both_ways`, two readings of one script too)."""
    if not isinstance(latin.value, str) or not isinstance(original.value, str):
        return False
    if both_ways and not is_latin(latin.value) and not is_latin(original.value):
        return _sorted_letters(latin.value) == _sorted_letters(original.value)
    if not is_latin(latin.value):
        return False
    if is_latin(original.value):
        spellings = {original.value}
    else:
        spellings = {icao_transliterate(original.value, language=language) for language in ("uk", "ru")}
    wanted = {" ".join(sorted(fold(s).upper().replace("-", " ").split())) for s in spellings}
    got = " ".join(sorted(fold(latin.value).upper().replace("-", " ").split()))
    return any(fuzz.ratio(got, w) >= likeness for w in wanted)  # (rapidfuzz ratio, words sorted)


def _sorted_letters(name: str) -> str:
    return " ".join(sorted(fold(name).casefold().replace("-", " ").split()))


def latin_twin(text: DocumentText, found: Found, field: str) -> Found | None:
    """The Latin spelling a bilingual certificate prints of a Cyrillic name or place (see
    `classifiers.certificate_latin.latin_twin`), read with the field's normaliser."""
    return twin_in_latin(text, found, NORMALISERS[field], is_label, transliterate=field == "person_name")


# A state or ministry heads a letterhead above the body that issues the certificate (`Ministry of Higher
# Education` over `University of Aleppo`): the issuer is the most specific body named.
GENERAL_BODY = re.compile(
    r"Ministry|Ministerium|Republic|Republik|Міністерство|Министерство|Bakanlığı|Cumhuriyeti|وزارة|وزارت|جمهوري",
    re.IGNORECASE,
)


def _letterhead_authority(text: DocumentText) -> Found | None:
    found: list[Found] = []
    for line in text.lines[:4]:
        group = groups(line)[0]
        words = group_text(group)
        body = authority(clean_authority(latin_words(words)))
        if body and not title_types(line.text) and _REGISTRY_WORDS.search(words):
            found.append(Found(body, group[0][0], group[-1][1], 0.85))
    specific = [f for f in found if not GENERAL_BODY.search(str(f.value))]
    # a letterhead in two scripts names the body in Latin letters too: the e-file records that spelling
    return next(iter(latin_first(specific or found)), None)


def latin_first(found: list[Found]) -> list[Found]:
    """`found` with the Latin-script readings first, each part in its order."""
    return sorted(found, key=lambda f: not (isinstance(f.value, str) and is_latin(f.value)))


_MAX_WRAPPED_ROWS = 2
_WRAP_INDENT = 0.03  # a wrapped line starts this close to the value's left edge (fraction of page width)


def _script(value: str) -> str:
    return "arabic" if _ARABIC.search(value) else "cyrillic" if _NON_LATIN.search(value) else "latin"


def _continuation(row: list[Word], value: str) -> bool:
    """Whether a row below a value continues it: same script, no digits of a date, no label at its start."""
    joined = latin_words(" ".join(w.text for w in row))  # `City Council ої Mariupol` is a Latin line
    if _script(joined) != _script(value) or re.search(r"\d[./]\d", joined) or normalise_date(joined):
        return False  # a date's line (`Issued at Kandahar on 1 June 2026`) is the next statement
    return not any(is_label(" ".join(w.text for w in row[:n])) for n in range(1, min(4, len(row)) + 1))


def wrapped_authority(text: DocumentText, found: Found) -> Found:
    """An authority's name set over several lines (`Відділ державної реєстрації / актів цивільного стану
    у м. / Запоріжжя`): the following lines of the same tesseract paragraph that start at the value's
    indent are joined, up to two. Left-to-right scripts only."""
    located = text.words_in(found.start, found.end)
    if not located or not isinstance(found.value, str) or _ARABIC.search(found.value):
        return found
    page = located[0][0]
    words = list(found.words) or [w for p, w in located if p is page]
    entries = text.page_words(page.page)
    left = min(w.bbox.x0 for w in words)
    last = max(words, key=lambda w: (w.bbox.y0, w.line))
    taken = {id(w) for w in words}
    raw, end, extra_words = str(found.value), found.end, list(words)
    for _ in range(_MAX_WRAPPED_ROWS):
        row_entries = sorted(
            (e for e in entries if e[2].block == last.block and e[2].line == last.line + 1 and id(e[2]) not in taken),
            key=lambda e: e[2].bbox.x0,
        )
        row = [e[2] for e in row_entries]
        height = last.bbox.y1 - last.bbox.y0
        if (
            not row
            or abs(row[0].bbox.x0 - left) > _WRAP_INDENT
            or row[0].bbox.y0 - last.bbox.y1 > 1.5 * max(height, 0.01)
            or not _continuation(row, raw)
        ):
            break
        raw = raw + " " + " ".join(w.text for w in row)
        end = max(end, max(e[1] for e in row_entries))
        extra_words += row
        taken |= {id(w) for w in row}
        last = row[-1]
    if len(extra_words) == len(words):
        return found
    value = NORMALISERS["issuing_authority"](raw)
    if not isinstance(value, str):
        return found
    return Found(value, found.start, end, found.certainty, tuple(extra_words))


def extract_certificate(text: DocumentText, doc: Any, doc_type: DocumentType) -> FieldSet:
    """The certificate fields of a document, each with provenance; missing or invalid ones are noted."""
    labels = holder_labels(text, label_spans(doc, "certificate"))
    out = FieldSet(text=text, fields={}, notes=[])
    has_latin_block = any(is_latin(span.text) for spans in labels.values() for span in spans)
    for field in NORMALISERS:
        found = _best(text, labels.get(field, []), field)
        if field == "issuing_authority" and found is not None:
            found = wrapped_authority(text, found)
        if field in ("person_name", "birth_place") and found is not None and has_latin_block:
            found = latin_twin(text, found, field) or found
        out.put(field, found)
    number = out.fields.get("certificate_number")
    if number is not None and isinstance(number.value, str):
        out.fields["certificate_number"] = number.model_copy(update={"value": cyrillic_series(number.value, text.text)})
    if "issuing_authority" not in out.fields or doc_type is DocumentType.REGISTRATION_CERTIFICATE:
        out.put("issuing_authority", _letterhead_authority(text) or None)
    out.require(NORMALISERS)
    return out
