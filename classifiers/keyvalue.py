"""Key–value reading that follows how documents are built (issue 17), for what the field components miss.

A registered, versioned spaCy component (`dach_key_values_v1`, label table `dach.key_value_labels.v1`)
marks labels in German, Ukrainian, Russian, English, Arabic, Persian and Turkish: the holder's name rows
(surname / given names / patronymic, one language or stacked bilingual), more field labels than the
field components know, and the labels of other persons (parents, spouse, translator, registrar) whose
values are never the holder's. Values are paired with labels by geometry (`classifiers.geometry`: same row
to the right, else the row below, table cells alike). Then:

* the holder's name is assembled from the surname and given-name rows, in Latin where the document prints
  a Latin twin of the Cyrillic value (a patronymic is not part of `person_name`);
* series-and-number lines (`Серія I-АВ № 123456`) give the certificate number;
* a closing line `<Ort>, <Datum>` above the signature gives the issue (or notice) date;
* prose certificates (`This is to certify that …, born on … in …`) give name, birth date and place.

`fill_certificate` / `fill_notice` only add fields the extractors did not find (and replace a certificate's
`person_name` when name rows state the holder), each with a certainty below the extractors' own, so the
calibrated review (`classifiers.review`) can tell the readings apart.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from spacy.language import Language
from spacy.util import registry

from classifiers.certificate_latin import latin_half, mixed_scripts, spelt_latin
from classifiers.certificate_numbers import NUMERO, SERIES_WORD
from classifiers.extract import FIELD_REVIEW_CONFIDENCE, FieldSet, Found
from classifiers.fields import LabelMarker, label_spans, label_text
from classifiers.geometry import value_near
from classifiers.label_tables import CERTIFICATE_LABELS, KEY_VALUE_LABELS
from classifiers.normalise import DATE_PATTERN, normalise_amount, normalise_date, normalise_file_number
from classifiers.notice import info_block_date
from classifiers.notice_recipient import not_the_recipient
from classifiers.roles import holder_labels
from classifiers.text import DocumentText
from schemas.documents import Word

KEY_VALUES_FACTORY = "dach_key_values_v1"
FAMILY = "kv"
CERTAINTY = 0.8  # below the field components' 0.9: a generic reading is less sure than a known layout


@registry.misc("dach.key_value_labels.v1")
def key_value_labels() -> Mapping[str, Sequence[str]]:
    """Version 1 of the key–value label table."""
    return KEY_VALUE_LABELS


@Language.factory(
    KEY_VALUES_FACTORY,
    default_config={"labels": {"@misc": "dach.key_value_labels.v1"}, "case_sensitive": False},
)
def make_key_values(nlp: Language, name: str, labels: Mapping[str, Sequence[str]], case_sensitive: bool) -> LabelMarker:
    """Labels of name rows, further field labels and other persons' labels, in seven languages."""
    return LabelMarker(nlp, FAMILY, labels, case_sensitive)


@cache
def _pipeline() -> Language:
    import spacy

    nlp = spacy.blank("de")
    nlp.add_pipe(KEY_VALUES_FACTORY)
    return nlp


_LATIN = re.compile(r"[A-Za-zÀ-ɏ]")
_NON_LATIN = re.compile(r"[\u0400-\u04ff\u0600-\u06ff]")
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’\-]*(?:[-'’][^\W\d_]+)*$")
# The words that go on a label after its head (`Vorname(n) der Person`, `Name of the holder`): a row's text that
# starts with one is the rest of its label, never a name (`von` and `de` may start a surname, these never do).
_LABEL_TAIL_WORDS = frozenset({"der", "des", "dem", "den", "die", "das", "nach", "of", "the"})


def _is_latin(text: str) -> bool:
    return bool(_LATIN.search(text)) and not _NON_LATIN.search(text)


def _name(text: str) -> str | None:
    from classifiers.certificate import latin_lookalikes, lead_trimmed

    words = [w.strip(" .,:;") for w in latin_lookalikes(lead_trimmed(latin_half(text))).replace("/", " ").split()]
    words = [w for w in words if w]
    if not words or len(words) > 4 or not all(_NAME_WORD.match(w) for w in words) or mixed_scripts(" ".join(words)):
        return None
    if any(len(w) < 2 for w in words) or words[0] in _LABEL_TAIL_WORDS:
        return None
    return " ".join(words)


@cache
def _squeezed_labels() -> tuple[str, ...]:
    """The key-value labels folded, without spaces and punctuation (for labels OCR garbled)."""
    from classifiers.lexicon import fold

    keys = {re.sub(r"[\W_]+", "", fold(label.lower())) for labels in KEY_VALUE_LABELS.values() for label in labels}
    return tuple(sorted(keys - {""}))


def _is_label(text: str) -> bool:
    from classifiers.certificate import garbled_label, is_label
    from classifiers.lexicon import fold

    key = " ".join(text.lower().split()).strip(" :.")
    if is_label(text) or any(key == label.lower() for labels in KEY_VALUE_LABELS.values() for label in labels):
        return True
    return garbled_label(fold(key), _squeezed_labels())


_LEADER = re.compile(r"^(?:\S*(?:\.{3,}|…|_{3,})\S*\s+|[©.·:…_ceosv]{6,}\s+)+")


def strip_leaders(text: str) -> str:
    """A value without the dotted leaders of a form (`Name ......... Müller`), also as OCR garbles them."""
    return _LEADER.sub("", text.strip())


def _values(text: DocumentText, spans: Sequence[Any], normalise: Any, *, caption_under: bool = False) -> list[Found]:
    """The values of labels by geometry (`classifiers.geometry.value_near`), else the line under in the label's
    column; `caption_under` for certificates, whose captions may stand under their values."""
    out = []

    def clean(raw: str) -> Any:
        return normalise(strip_leaders(raw))

    for span in spans:
        label = [w for _, w in text.words_in(span.start_char, span.end_char)]
        found = value_near(
            text, span.start_char, span.end_char, clean, _is_label, certainty=CERTAINTY, caption_under=caption_under
        )
        if found is not None and label and found.words and _off_column(label, found.words):
            found = None  # a word of another column that happens to sit a little lower (an address block)
        if found is None and label:
            found = _below_in_column(text, label, clean)
        if found is not None:
            out.append(found)
    return out


def _off_column(label: Sequence[Word], value: Sequence[Word]) -> bool:
    """A value that starts well left of its label's column (left-to-right labels)."""
    return min(w.bbox.x0 for w in value) < min(w.bbox.x0 for w in label) - 0.05


_VALUE_GAP = 0.045  # widest gap between two words of one value (page width), as `classifiers.geometry` reads rows


def _below_in_column(text: DocumentText, label: Sequence[Word], normalise: Any) -> Found | None:
    """The first line under a label in its column (a boxed `Aktenzeichen` with its value below)."""
    x0, x1 = min(w.bbox.x0 for w in label), max(w.bbox.x1 for w in label)
    bottom = max(w.bbox.y1 for w in label)
    height = max(w.bbox.y1 - w.bbox.y0 for w in label)
    for line in text.lines:
        entries = [
            e
            for e in line.words
            if e[2].bbox.y0 >= bottom - 0.2 * height
            and e[2].bbox.y0 <= bottom + 3 * height
            and x0 - 0.03 <= e[2].bbox.x0 <= x1 + 0.25
            and all(e[2] is not w for w in label)
        ]
        if not entries:
            continue
        # the value goes on past the column's reach where its words follow without a gap (a long name under a
        # short label: `Poltava National University` under `Issued by`)
        rest = [e for e in line.words if e[2].bbox.x0 > entries[-1][2].bbox.x0]
        for entry in rest:
            if entry[2].bbox.x0 - entries[-1][2].bbox.x1 > _VALUE_GAP:
                break
            entries.append(entry)
        raw = " ".join(e[2].text for e in entries)
        value = normalise(raw) if not _is_label(raw) else None
        if value not in (None, ""):
            return Found(value, entries[0][0], entries[-1][1], CERTAINTY * 0.95, tuple(e[2] for e in entries))
    return None


def _pick_name(text: DocumentText, found: list[Found]) -> Found | None:
    """The Latin value where one is printed (a Cyrillic value's twin), else the first."""
    if not found:
        return None
    latin = [f for f in found if isinstance(f.value, str) and _is_latin(f.value)]
    if latin:
        return latin[0]
    from classifiers.certificate import latin_twin

    return latin_twin(text, found[0], "person_name") or found[0]


def _row_under(text: DocumentText, value: Found) -> Found | None:
    """The name in the value column of the row right under `value` (a name row whose label OCR lost: the
    short `Имя` between `Фамилия` and `Отчество` is the label read worst)."""
    if not value.words:
        return None
    located = text.words_in(value.start, value.end)
    if not located:
        return None
    page = located[0][0].page
    x0 = min(w.bbox.x0 for w in value.words)
    bottom = max(w.bbox.y1 for w in value.words)
    height = max(w.bbox.y1 - w.bbox.y0 for w in value.words)
    below = [e for e in text.page_words(page) if e[2].bbox.y0 > bottom and e[2].bbox.y0 < bottom + 4 * height]
    column = [e for e in below if abs(e[2].bbox.x0 - x0) < 0.02]
    if not column:
        return None
    first = min(column, key=lambda e: e[2].bbox.y0)[2]
    row = sorted(
        (e for e in below if abs(e[2].bbox.y0 - first.bbox.y0) < 0.5 * height and e[2].bbox.x0 >= x0 - 0.02),
        key=lambda e: e[2].bbox.x0,
    )
    name = _name(" ".join(e[2].text for e in row))
    if name is None or len(name.split()) > 2:
        return None
    return Found(name, row[0][0], row[-1][1], CERTAINTY * 0.85, tuple(e[2] for e in row))


TWIN_LIKENESS = 75.0  # rapidfuzz ratio from which a name row's Latin line under it spells the same name


def twin_below(text: DocumentText, value: Found | None) -> Found | None:
    """A name row's Latin line right under it, where it spells the same name a little differently: the row's
    own line is the original printed in Cyrillic letters that OCR read as Latin look-alikes (`Ірена` read
    `Ipena` over `Irena`), and the line under it the Latin twin the e-file records."""
    from rapidfuzz import fuzz

    from classifiers.lexicon import fold

    if value is None or not isinstance(value.value, str) or not _is_latin(value.value):
        return value
    under = _row_under(text, value)
    if under is None or not isinstance(under.value, str) or not _is_latin(under.value):
        return value
    a, b = fold(value.value).casefold(), fold(under.value).casefold()
    if a == b or len(a.split()) != len(b.split()) or fuzz.ratio(a, b) < TWIN_LIKENESS:
        return value
    return replace(under, certainty=value.certainty)


def given_names(text: str) -> str | None:
    """A given-name row's value without a patronymic after the given names (`Ольга Петровна`, `Olena Petrivna`
    under `Имя, отчество` or `Ім'я, по батькові`)."""
    from classifiers.certificate import PATRONYMIC

    name = _name(text)
    if name is None:
        return None
    words = name.split()
    return " ".join(words[:-1]) if len(words) >= 2 and PATRONYMIC.search(words[-1]) else name


def holder_name(text: DocumentText, spans: dict[str, list[Any]]) -> Found | None:
    """`Given Surname` from the surname and given-name rows (bilingual rows: the Latin twin)."""
    surnames = _values(text, spans.get("surname", []), _name, caption_under=True)
    givens = _values(
        text, [*spans.get("given_patronymic", []), *spans.get("given", [])], given_names, caption_under=True
    )
    surname, given = twin_below(text, _pick_name(text, surnames)), twin_below(text, _pick_name(text, givens))
    if surname is not None and given is None and spans.get("patronymic"):
        given = _row_under(text, surname)  # surname, given names, patronymic: the middle row's label lost
    if surname is None or given is None or not isinstance(surname.value, str) or not isinstance(given.value, str):
        return None
    latin_surname, latin_given = _is_latin(surname.value), _is_latin(given.value)
    spelt = None
    if latin_surname and not latin_given:
        spelt = spelt_as_twin(given, surname, surnames)
        given = spelt or given
    elif latin_given and not latin_surname:
        spelt = spelt_as_twin(surname, given, givens)
        surname = spelt or surname
    if not isinstance(surname.value, str) or not isinstance(given.value, str):
        return None
    if _is_latin(surname.value) != _is_latin(given.value) or surname.start == given.start:
        return None  # one value under a combined label is not two rows
    words = tuple(w for f in (given, surname) for w in f.words)
    start, end = min(given.start, surname.start), max(given.end, surname.end)
    # a row read below the review line (a caption told from the next by spacing alone) keeps the name below it
    doubted = [f.certainty for f in (given, surname) if f.certainty < FIELD_REVIEW_CONFIDENCE]
    certainty = min(doubted, default=spelt.certainty if spelt else CERTAINTY)
    return Found(f"{given.value} {surname.value}", start, end, certainty, words)


def spelt_as_twin(cyrillic: Found, latin: Found, latin_rows: Sequence[Found]) -> Found | None:
    """A Cyrillic name row whose Latin twin OCR garbled (`Сімеп патез Ційа` for `Given names Liliia`) spelt
    in Latin letters, where the other name row shows the scheme: its Latin value is, letter for letter, the
    transliteration of its own Cyrillic value (`Вакуленко` / `VAKULENKO`)."""
    if not isinstance(cyrillic.value, str) or not isinstance(latin.value, str):
        return None
    for row in latin_rows:
        if not isinstance(row.value, str) or _is_latin(row.value):
            continue
        for language in ("uk", "ru"):
            if spelt_latin(row.value, language).casefold() == latin.value.casefold():
                value = spelt_latin(cyrillic.value, language)
                return Found(value, cyrillic.start, cyrillic.end, CERTAINTY * 0.75, cyrillic.words)
    return None


_SERIES_LINE = re.compile(
    rf"(?:{SERIES_WORD})\s*:?\s*([IVXІ1lПШ|]{{1,3}}|[HН])\s*[-–]\s*([A-ZА-ЯІЇЄ]{{2}})\s*(?:{NUMERO}|N[°º])\.?\s*(\d{{6,8}})"
)
# OCR's readings of a series' Roman numeral: `П` and a lone `H`/`Н` are II (two strokes the serifs joined)
_ROMAN = str.maketrans({"І": "I", "1": "I", "l": "I", "|": "I", "П": "II", "Ш": "III", "H": "II", "Н": "II"})


def series_number(text: DocumentText) -> Found | None:
    match = _SERIES_LINE.search(text.text)
    if match is None:
        return None
    from classifiers.certificate import cyrillic_series

    # the letters are Cyrillic on a Ukrainian or Russian certificate, Latin in its translation
    roman = match.group(1).translate(_ROMAN)
    number = cyrillic_series(f"{roman}-{match.group(2)} {match.group(3)}", text.text)
    return Found(number, match.start(1), match.end(3), CERTAINTY)


_FOUR_DIGIT_YEAR = re.compile(r"\b\d{1,2}[./-]\d{1,2}[./-](?:19|20)\d\d\b")
_TWO_DIGIT_YEAR = re.compile(r"\b\d{1,2}[./-]\d{1,2}[./-]\d\d\s*$")
_CLOSING = re.compile(r"^\s*([^\d,\n]{2,40}),\s*(?:den\s+|the\s+)?(.{6,30}?)\s*$", re.MULTILINE)


_ISSUED_AT = re.compile(
    r"(?:Issued|Given|Done|Ausgestellt|Gegeben)\s+(?:(?:at|in)\s+[^\d\n]{2,40}?|(?:by|vo[nm]|durch)\s+[^\n]{2,100}?),?"
    r"\s+(?:on|am|den)\s+(.{6,40}?)\s*$",
    re.MULTILINE | re.IGNORECASE,
)
# Words of a sworn translator's certification (`Als ermächtigte Übersetzerin bestätige ich …`), which closes
# with the translator's own place and date: within this many characters before a closing line, that line is hers.
_TRANSLATOR = re.compile(
    r"[ÜU]bersetzer|[ÜU]bersetzung\s+mit|beeidigt|[Tt]ranslator|[Tt]ranslation\s+(?:is|of\s+the)|перекладач|переводчик"
    r"|[Tt]ercüman"
)
_TRANSLATOR_REACH = 300


# A line that says when the certificate was issued, the date right after the word (`Видано 12 березня 2021
# року`, `Issued on 12 March 2021`, `Ausgestellt am 12.03.2021`): `Видано` before a body says by whom instead.
_ISSUED_ON = re.compile(
    r"^\s*(?:Видано|Выдано|Issued(?:\s+on)?|Ausgestellt(?:\s+am)?|Erteilt(?:\s+am)?|Düzenlenme|Verildi)\s*:?\s*"
    r"(\d.{5,60}?|[^\W\d_]+\s+\d.{3,60}?)\s*$",
    re.MULTILINE | re.IGNORECASE,
)


def closing_date(text: DocumentText) -> Found | None:
    """The date of the closing line `<Ort>, <Datum>` (the last such line of the document), of `Issued at
    <town> on <date>`, or of a line saying when it was issued (`Видано 12 березня 2021 року`)."""
    for match in _ISSUED_AT.finditer(text.text):
        value = normalise_date(match.group(1))
        if value:
            return Found(value, match.start(1), match.end(1), CERTAINTY * 0.9)
    for match in _ISSUED_ON.finditer(text.text):
        value = normalise_date(match.group(1))
        if value:
            return Found(value, match.start(1), match.end(1), CERTAINTY * 0.9)
    best = None
    four_digit_years = len(_FOUR_DIGIT_YEAR.findall(text.text))
    for match in _CLOSING.finditer(text.text):
        if _TRANSLATOR.search(text.text[max(0, match.start() - _TRANSLATOR_REACH) : match.start()]):
            continue  # the translator's certification at the foot is dated by the translator, not the issuer
        value = normalise_date(match.group(2))
        if value and DATE_PATTERN.fullmatch(match.group(2).strip(" .")):
            # `28.01.20` on a page that writes its dates `08.12.2002`: the year was cut (a stamp, the edge)
            cut = _TWO_DIGIT_YEAR.search(match.group(2)) is not None and four_digit_years > 0
            best = Found(value, match.start(2), match.end(2), CERTAINTY * (0.5 if cut else 0.95))
    return best


_PROSE_NAME = re.compile(
    r"(?:certif(?:y|ies|ied) that|confirms? that|awarded to|conferred (?:up)?on|bescheinigt, dass|bestätigt, dass"
    r"|verliehen an)(?:\s+(?:Herr|Frau|Mr\.?|Mrs\.?|Ms\.?|the\s+child|das\s+Kind))?"
    r"\s+((?:[A-ZÀ-ÝА-ЯІЇЄҐ][\w'’\-]+\s?){2,5}?)"
    r"(?:,|\s+(?:was|who|has|hat|born|geboren|the|den|die)\b|\s+\()"
)
_PROSE_BORN = re.compile(
    r"(?:born on|geboren am)\s+(.{6,24}?)\s+(?:in|at)\s+([A-ZÀ-Ý][\w'’\- ]{1,30}?)(?=[,.]|\s+(?:and|und|has|hat)\b)"
)


_PROSE_BY = re.compile(
    r"(?:[Ii]ssued|[Rr]egistered|[Aa]usgestellt|[Ee]rteilt)\b[^.\n]{0,160}?\s(?:by|vo[nm]|durch)\s+(?:the\s+|dem\s+|der\s+)?"
    # the body's name, with the dot of a number's abbreviation (`Lyzeum Nr. 18`), up to the end of the sentence
    # or to the date that follows it (`Ausgestellt vom Standesamt Homs am 12.03.2021.`)
    r"([A-ZÀ-Ý](?:[^.\n]|(?<=\b(?:Nr|No|St))\.){3,80}?)\s*(?=\s(?:am|on)\s+\d|(?<!\bNr)(?<!\bNo)(?<!\bSt)\.(?:\s|$)|\n|$)"
)


_CUT_SHORT = re.compile(r"\s(?:of|the|for|and|at|in|des|der|den|dem|für|und|von|vom|zu)$", re.IGNORECASE)


def prose(text: DocumentText) -> dict[str, Found]:
    out: dict[str, Found] = {}
    by = _PROSE_BY.search(text.text)  # `Issued on … by the Civil Status Directorate, Homs.`
    if by and _CUT_SHORT.search(by.group(1)):
        # the sentence goes on on the next line (`… by the Civil Registry Office of` / `Kharkiv.`): read on
        newline = text.text.find("\n", by.end(1))
        if newline >= 0 and not text.text[by.end(1) : newline].strip():
            joined = text.text[:newline] + " " + text.text[newline + 1 :]  # same length: spans still index
            by = _PROSE_BY.search(joined, by.start())
    if by:
        from classifiers.certificate import NORMALISERS

        authority = NORMALISERS["issuing_authority"](by.group(1))
        if isinstance(authority, str):
            out["issuing_authority"] = Found(authority, by.start(1), by.end(1), CERTAINTY * 0.9)
    flat = text.text.replace("\n", " ").replace("\f", " ")  # same length: spans index the document text
    name = _PROSE_NAME.search(flat)
    if name:
        value = _name(name.group(1))
        if value:
            out["person_name"] = Found(value, name.start(1), name.end(1), CERTAINTY * 0.9)
    born = _PROSE_BORN.search(flat)
    if born:
        day = normalise_date(born.group(1))
        if day:
            out["birth_date"] = Found(day, born.start(1), born.end(1), CERTAINTY * 0.9)
        place = born.group(2).strip()
        if place:
            out["birth_place"] = Found(place, born.start(2), born.end(2), CERTAINTY * 0.9)
    return out


def place_after_date(raw: str) -> str | None:
    """The place of a `<date>, <place>` value (`12.03.1990, Homs`, `12 March 1990 in Homs`)."""
    from classifiers.certificate import place
    from classifiers.normalise import find_dates

    dates = find_dates(raw)
    if not dates:
        return None
    rest = re.sub(r"^[\s,;/–-]*(?:in\s+|в\s+|у\s+)?", "", raw[dates[0][2] :])  # `м.`/`г.`: place() drops them
    return place(rest) if rest else None


_BOTH = {"birth_date": normalise_date, "birth_place": place_after_date}


_IN_WORDS = re.compile(r"\s*(?:Worten|words)\b", re.IGNORECASE)


def _spans(text: DocumentText) -> dict[str, list[Any]]:
    spans: dict[str, list[Any]] = label_spans(_pipeline()(label_text(text.text)), FAMILY)
    if "birth_place" in spans:  # `in Worten:` starts a date written out, not a place
        spans["birth_place"] = [s for s in spans["birth_place"] if not _IN_WORDS.match(text.text, s.end_char)]
    for name, found in garbled_labels(text, spans).items():
        spans[name] = spans.get(name, []) + found
    given = name_under_surname(text, spans)
    if given:
        spans["given"] = given
        spans["surname"] = [s for s in spans["surname"] if s.start_char not in {g.start_char for g in given}]
    return holder_labels(text, spans)  # `Прізвище, ім'я, по батькові батька` asks for the father's name


@dataclass(frozen=True)
class LabelSpan:
    """A label found by its likeness, not by the label table (the `start_char`/`end_char` of a spaCy span)."""

    start_char: int
    end_char: int
    text: str


_GIVEN_NAME_FIELDS = ("given", "given_patronymic", "full_name")


def name_under_surname(text: DocumentText, spans: Mapping[str, Sequence[Any]]) -> list[LabelSpan]:
    """A bare `Name` on the line under a surname label (`Прізвище / Surname` over `Ім'я / Name`, `Soyadı /
    Surname` over `Adı / Name`): the given names' label, as translations of Turkish, Ukrainian and Russian forms
    word `Adı` and `Ім'я` beside a surname; only where no label of the given names was found."""
    if not spans.get("surname") or any(spans.get(field) for field in _GIVEN_NAME_FIELDS):
        return []
    out: list[LabelSpan] = []
    for span in spans["surname"]:
        index = text.line_at(span.start_char)
        if index + 1 >= len(text.lines) or text.lines[index + 1].page != text.lines[index].page:
            continue
        for start, end, word in text.lines[index + 1].words[:4]:
            if word.text.strip(" :/").casefold() == "name" and not any(start == g.start_char for g in out):
                out.append(LabelSpan(start, end, text.text[start:end]))
                break
    return out


_GARBLED_FIELDS = (
    "full_name",
    "surname",
    "given",
    "patronymic",
    "birth_date",
    "birth_place",
    "birth_date_place",
    "issue_date",
    "issuing_authority",
    "certificate_number",
)
GARBLED_LIKENESS = 86.0  # rapidfuzz ratio of a line's first words to a label, spaces and punctuation ignored
GARBLED_DATE_LIKENESS = 75.0  # as low for a date label whose line goes on with a date
_DATE_FIELDS = frozenset({"birth_date", "issue_date"})
_SQUEEZE = re.compile(r"[\W_]+")


@cache
def _label_keys() -> tuple[tuple[str, str], ...]:
    pairs = [(f, label) for f, labels in KEY_VALUE_LABELS.items() for label in labels]
    # the certificate table's whole-name labels (`Full name`, OCR'd `Fullname`) are the full name's
    pairs += [
        ("full_name" if f == "person_name" else f, label)
        for f, labels in CERTIFICATE_LABELS.items()
        for label in labels
    ]
    keys = {(f, _SQUEEZE.sub("", label.lower())) for f, label in pairs if f in _GARBLED_FIELDS}
    return tuple(sorted((f, k) for f, k in keys if len(k) >= 6))


def garbled_labels(text: DocumentText, known: Mapping[str, Sequence[Any]]) -> dict[str, list[LabelSpan]]:
    """Labels OCR garbled or ran together (`Датазвндачи` for `Дата выдачи`, `geborenam`, `ausgesteltam`): the
    first one to four words of a line that, without spaces and punctuation, read almost as a label of the
    table. Only for fields no label was found for, and never where the words are a label already."""
    from rapidfuzz import fuzz

    from classifiers.cues import title_types

    out: dict[str, list[LabelSpan]] = {}
    taken = [(span.start_char, span.end_char) for spans in known.values() for span in spans]
    for line in text.lines:
        if title_types(line.text):  # `BESCHEINIGUNG ÜBER DEN WOHNSITZ` is a title, not `Bescheinigungs-Nr.`
            continue
        words = [e for e in line.words[:4] if not any(ch.isdigit() for ch in e[2].text)]
        inside = [(start, end) for start, end in taken if words and start < words[-1][1] and words[0][0] < end]
        if any(start <= words[0][0] for start, _ in inside):
            continue  # the line starts with a label found already (`Прізвище, ім'я` is not `Прізвище`)
        # a label found inside the line's first words (`given names` of `Schname, given names`, OCR's `Surname`)
        # stands unless a longer garbled label swallows it
        swallow = max((end for _, end in inside), default=0)
        best: tuple[float, str, int] | None = None
        for n in range(1, len(words) + 1):
            # `ы` read as `ьі` (`Дата вьідачи`), as OCR often reads it in a serif type
            key = _SQUEEZE.sub("", "".join(e[2].text for e in words[:n]).lower()).replace("ьі", "ы")
            if len(key) < 6:
                continue
            for field, label in _label_keys():
                if field in known or abs(len(label) - len(key)) > 3:
                    continue
                score = fuzz.ratio(key, label)
                if score >= GARBLED_DATE_LIKENESS and (best is None or score > best[0]):
                    best = (score, field, n)
        if best is not None and best[0] < GARBLED_LIKENESS:
            # less alike (`gehoren AN...` for `geboren am`): a date label only, with a date after it on its line
            rest = text.text[words[best[2] - 1][1] : line.end]
            if best[1] not in _DATE_FIELDS or not normalise_date(strip_leaders(rest.strip(" .:_…"))):
                best = None
        if best is not None and words[best[2] - 1][1] >= swallow:
            _, field, n = best
            start, end = words[0][0], words[n - 1][1]
            out.setdefault(field, []).append(LabelSpan(start, end, text.text[start:end]))
    return out


def bare_name(text: DocumentText, surname_spans: Sequence[Any]) -> Found | None:
    """A bare `Name:` label on a page with no Latin given-name row labels the whole name (`Name: Maryam
    Alahmad`), not the surname: its value of two to four name words, less sure than a name assembled from rows."""
    from classifiers.certificate import NORMALISERS

    bare = [span for span in surname_spans if span.text.strip(" :").lower() == "name"]
    values = [v for v in _values(text, bare, NORMALISERS["person_name"]) if len(str(v.value).split()) >= 2]
    pick = _pick_name(text, values)
    return replace(pick, certainty=CERTAINTY * 0.85) if pick is not None else None


def latin_twin_by_label(text: DocumentText, found: FieldSet, spans: dict[str, list[Any]], field: str) -> Found | None:
    """The Latin value of a Latin label of the key-value table where the extractor read the field in Arabic,
    Persian or Cyrillic script: a bilingual certificate's English block names it as the e-file records it."""
    from classifiers.certificate import NORMALISERS

    current = found.fields.get(field)
    if current is None or not isinstance(current.value, str) or _is_latin(current.value):
        return None
    latin_labels = [span for span in spans.get(field, []) if _is_latin(span.text)]
    values = [
        v for v in _values(text, latin_labels, NORMALISERS[field]) if isinstance(v.value, str) and _is_latin(v.value)
    ]
    return values[0] if values else None


def fill_certificate(text: DocumentText, found: FieldSet) -> FieldSet:
    """Add what the certificate extractor missed; the holder's name from name rows where they exist."""
    from classifiers.certificate import NORMALISERS

    spans = _spans(text)
    for key, extracted in list(found.fields.items()):  # a value read through a form's leaders is not a value
        value = extracted.value
        if isinstance(value, str) and (_LEADER.match(value + " ") or extracted.confidence < 0.2 or _is_label(value)):
            del found.fields[key]
    name = holder_name(text, spans)
    current = found.fields.get("person_name")
    if name is not None and current is not None and _is_latin(str(current.value)) and not _is_latin(str(name.value)):
        # rows in the original script beside a Latin reading: their Latin twin, else the Latin reading stands
        from classifiers.certificate import latin_twin

        name = latin_twin(text, name, "person_name")
    if name is None:
        full = _pick_name(
            text, _values(text, spans.get("full_name", []), NORMALISERS["person_name"], caption_under=True)
        )
        if (full is None or not _is_latin(str(full.value))) and not any(
            _is_latin(span.text) for span in spans.get("given", [])
        ):
            # a bare `Name:` of the Latin block beside a whole-name label of the original script: the Latin
            bare = bare_name(text, spans.get("surname", []))
            if bare is not None and (full is None or _is_latin(str(bare.value))):
                full = bare
        name = full or (prose(text).get("person_name") if current is None else None)
        latin_now = current is not None and isinstance(current.value, str) and _is_latin(current.value)
        if name is not None and current is not None and (latin_now or not _is_latin(str(name.value))):
            name = None  # the extractor's reading stands unless the other one is the Latin twin
    if name is not None:
        found.put("person_name", name)
    for field in ("birth_place", "issuing_authority"):
        latin = latin_twin_by_label(text, found, spans, field)
        if latin is not None:
            found.put(field, latin)
    for field in ("birth_date", "birth_place", "issue_date", "issuing_authority", "certificate_number"):
        if field in found.fields:
            continue
        values = _values(text, spans.get(field, []), NORMALISERS[field], caption_under=True)
        if field in ("birth_place", "issuing_authority"):
            values = [_pick_name(text, values) or v for v in values[:1]] if values else []
        pick = values[0] if values else None
        if pick is None and field == "certificate_number":
            pick = series_number(text) or heading_number(text)
        if pick is None and field == "issue_date":
            pick = closing_date(text)
        if pick is None and field == "issuing_authority":
            pick = prose(text).get(field)
        if pick is None and field in ("birth_date", "birth_place"):
            both = _values(text, spans.get("birth_date_place", []), _BOTH[field])
            pick = both[0] if both else prose(text).get(field)
        found.put(field, pick)
    series = series_number(text)
    number = found.fields.get("certificate_number")
    if series is not None and (
        number is None or str(number.value).replace(" ", "") in str(series.value).replace(" ", "")
    ):
        found.put("certificate_number", series)
    found.notes[:] = [n for n in found.notes if not any(n.startswith(f"{f} not found") for f in found.fields)]
    return found


def subject_heading(text: DocumentText, found: FieldSet) -> Found | None:
    """A notice's subject without a `Betreff` label and without a salutation below it: the first line under
    the letterhead and address that reads as a subject (`Bescheid über …`, `Bewilligung …`), not a sentence."""
    from classifiers.notice import _SUBJECT_WORDS, _is_subject_boundary

    authority = found.fields.get("authority")
    first_page = [line for line in text.lines if line.page == text.lines[0].page]
    for line in first_page[1:25]:
        words = line.text.strip()
        if authority is not None and str(authority.value) in words:
            continue
        if not 15 <= len(words) <= 140 or words.endswith((".", ",", ":")) or _is_subject_boundary(line):
            continue
        if _SUBJECT_WORDS.search(words) and not any(ch.isdigit() for ch in words):
            return Found(" ".join(words.split()), line.start, line.end, 0.6)
    return None


# (the numero sign also as OCR reads it, `Мо:` for `No:`, and with a colon)
_HEADING_NUMBER = re.compile(rf"^\s*(?:{NUMERO}|N°)\.?\s*:?\s*(\d[\d/\- ]{{3,14}}\d)\s*$", re.MULTILINE)


def heading_number(text: DocumentText) -> Found | None:
    """A number printed alone on its line after the numero sign (`№ 123456` under a certificate's title)."""
    match = _HEADING_NUMBER.search(text.text)
    return Found(match.group(1).strip(), match.start(1), match.end(1), CERTAINTY * 0.95) if match else None


_VOM_LINE = re.compile(r"^\s*vom\s+(\d{1,2}\.\s?\d{1,2}\.\s?\d{4})\s*$", re.MULTILINE)


def dated_reference(text: DocumentText) -> Found | None:
    """`vom 12.08.2024` alone on its line, or alone in its column of a line (the reference block beside the
    address, which OCR reads as one line with it): the date of the letter."""
    from classifiers.extract import group_text, groups

    match = _VOM_LINE.search(text.text)
    value = normalise_date(match.group(1)) if match else None
    if match and value:
        return Found(value, match.start(1), match.end(1), CERTAINTY * 0.9)
    for line in text.lines[:40]:
        for group in groups(line)[1:]:
            group = [e for e in group if e[2].text.strip("|[]")]  # the left border of the box it is printed in
            column = _VOM_LINE.fullmatch(group_text(group)) if group else None
            value = normalise_date(column.group(1)) if column else None
            if value:
                return Found(value, group[1][0], group[-1][1], CERTAINTY * 0.85, tuple(e[2] for e in group[1:]))
    return None


def fill_notice(text: DocumentText, found: FieldSet) -> FieldSet:
    """Add what the notice extractor missed: labelled values found by geometry, the closing line's date, a
    subject heading; a labelled total replaces an amount the extractor was unsure of."""
    spans = _spans(text)
    totals = _values(text, spans.get("amount_eur", []), normalise_amount)
    amount = found.fields.get("amount_eur")
    if totals and (amount is None or amount.confidence < 0.6):
        found.fields.pop("amount_eur", None)
    if "subject" not in found.fields:
        found.put("subject", subject_heading(text, found))
    if "file_number" not in found.fields:
        values = _values(text, spans.get("file_number", []), normalise_file_number)
        found.put("file_number", values[0] if values else None)
    if "amount_eur" not in found.fields:
        found.put("amount_eur", totals[-1] if totals else None)
    if "recipient_name" not in found.fields:
        # a name row's value that is a label or the contact person's is no recipient (`Name: Ansprechpartner`)
        values = _values(text, spans.get("full_name", []), _name)
        values = [v for v in values if not not_the_recipient(text, str(v.value))]
        found.put("recipient_name", values[0] if values else None)
    if "notice_date" not in found.fields:
        values = _values(text, spans.get("issue_date", []), normalise_date)
        guess = closing_date(text) or dated_reference(text) or info_block_date(text)
        found.put("notice_date", values[0] if values else guess)
    found.notes[:] = [n for n in found.notes if not any(n.startswith(f"{f} not found") for f in found.fields)]
    return found
