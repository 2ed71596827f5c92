"""What a certificate states in sentences rather than in label/value rows (issue 17).

Attestations, diplomas and letters of confirmation name the holder after a cue phrase (`Hiermit wird
bescheinigt, dass Frau …`, `This is to certify that Mr …`, `Цим засвідчується, що …`, `Настоящим
удостоверяется, что …`, Turkish `… doğan <Ad Soyad>`), give the birth date and place in the same sentence
(`geboren am … in …`, `born on … at …`, `… року народження, уродженець м. …`, `… tarihinde İzmir'de doğan`),
and name the issuing body in the letterhead or only in the closing block under the signature. These readers
follow that build, not one layout: a cue phrase and the capitalised words after it, a birth cue beside a date,
an institution's name where a reader looks for the issuer. They only add what label/value reading left
missing, with a certainty below it (`CERTAINTY`), so the calibrated review can tell the readings apart.
"""

from __future__ import annotations

import re

from classifiers.certificate import (
    INSTITUTION,
    INSTITUTION_WORD,
    NORMALISERS,
    certificate_number,
    cyrillic_series,
    is_label,
    is_latin,
    latin_twin,
    spells_same_name,
    without_patronymic,
)
from classifiers.certificate_captions import CAPTION_FIELDS, captioned
from classifiers.certificate_captions import CERTAINTY as CAPTION_CERTAINTY
from classifiers.certificate_glyphs import mend_marks
from classifiers.certificate_issue_date import cut_year_date, lone_earlier_date, lone_other_date
from classifiers.certificate_labels_extra import EXTRA_LABELS, extra_label_spans, labelled
from classifiers.certificate_latin import latin_share, latin_words, mend_from_original, scheme_spelling
from classifiers.certificate_numbers import NUMERO, SERIES_WORD
from classifiers.certificate_typeset import holder_by_type_size, holder_from_name_rows
from classifiers.cues import title_types
from classifiers.extract import FIELD_REVIEW_CONFIDENCE, FieldSet, Found, group_text, groups
from classifiers.geometry import row_under, value_near
from classifiers.lexicon import title_case
from classifiers.normalise import find_dates, normalise_name
from classifiers.roles import names_another_person, other_persons_names
from classifiers.text import DocumentText
from schemas.documents import ExtractedField, Word

CERTAINTY = 0.7  # below the key-value reading's 0.8: a sentence read by cue is less sure than a label's row

# Phrases after which an attestation names its holder, in the seven languages of the agency's documents.
_HOLDER_CUE = re.compile(
    r"(?:bescheinigt|bestätigt|beurkundet|erklärt)\s*,?\s*dass|(?:verleiht|verliehen\s+an)"
    r"|certif(?:y|ies)\s*,?\s*that|confirms?\s+that|(?:awarded|conferred|granted|presented)\s+(?:up)?(?:on|to)"
    r"|(?:засвідчується|посвідчується|підтверджується|засвідчує|підтверджує)\s*,?\s*що"
    r"|(?:удостоверя[еє]тся|подтвержда[еє]тся|удостоверя[еє]т|подтвержда[еє]т)\s*,?\s*что"
    r"|(?:Видан[аоий]|Выдан[аоы]?)\s+(?:громадян(?:ину|ці)|гражданин(?:у|ке))"
    r"|\bdo[gğ]an\b|\bdo[gğ]umlu\b|\bbelgesi\s+sahibi\b|يشهد\s+بأن|تشهد\s+بأن|گواهی\s+می\s*شود\s+که"
)
# Courtesy titles and forms of address before a name: not part of it.
_TITLE = re.compile(
    r"^(?:Herrn?|Frau|Mr|Mrs|Ms|Miss|Dr|Bay|Bayan|гр|громадянин(?:ка)?|громадянці|громадянину"
    r"|гражданин(?:ка)?|гражданке|гражданину|السيد|السيدة|آقای|خانم)\.?$"
)
_NAME_TOKEN = re.compile(r"^[^\W\d_][^\W\d_'’ʼ\-]*(?:[-'’ʼ][^\W\d_]+)*[,.]?$")


def _capitalised(token: str) -> bool:
    letters = [ch for ch in token if ch.isalpha()]
    if not letters:
        return False
    if "\u0600" <= letters[0] <= "\u06ff":
        return True  # Arabic script has no capitals
    return letters[0].isupper()


# Capitalised words that follow a name in a sentence without a comma: the degree or programme it names.
_NOT_NAME = re.compile(
    r"^(?:Lisans|Yüksek|Lise|Önlisans|Bachelor|Master|Diplom|Doktor|Magister|Programm|Studiengang|Sohn|Tochter"
    r"|Son|Daughter)\b",
    re.IGNORECASE,
)


def _name_after(flat: str, start: int) -> tuple[int, int] | None:
    """The span of the run of capitalised words starting at `start` (after a courtesy title): two to five
    words, ended by a comma, a bracket, a lower-case word or a digit."""
    words: list[tuple[int, int]] = []
    for match in re.finditer(r"\S+", flat[start : start + 120]):
        token = match.group(0)
        begin, end = start + match.start(), start + match.end()
        if not words and _TITLE.match(token):
            continue
        if not _NAME_TOKEN.match(token) or not _capitalised(token) or _NOT_NAME.match(token):
            break
        words.append((begin, end - (1 if token[-1] in ",." else 0)))
        if token[-1] in ",." or len(words) == 5:
            break
    if not 2 <= len(words) <= 5:
        return None
    return words[0][0], words[-1][1]


def holder_in_sentence(text: DocumentText) -> Found | None:
    """The holder named after an attestation's cue phrase (the first such phrase naming someone)."""
    from classifiers.certificate import person_name

    flat = text.text.replace("\n", " ").replace("\f", " ")  # same length: spans index the document text
    for cue in _HOLDER_CUE.finditer(flat):
        span = _name_after(flat, cue.end())
        if span is None:
            continue
        name = person_name(flat[span[0] : span[1]])
        if name and not title_types(name):
            return Found(name, span[0], span[1], CERTAINTY)
    return name_above_birth(text)


_BIRTH_LINE = re.compile(r"^\s*,?\s*(?:geboren|geb\.|born|народил|народив|родил|doğ|dog)", re.IGNORECASE)


def name_above_birth(text: DocumentText) -> Found | None:
    """A diploma's or register's holder set on a line of their own (often after `Herrn`/`Frau` or `awarded
    to`), right above the line that says when they were born (`geboren am …`, `born on …`, `народився …`)."""
    from classifiers.certificate import person_name

    for previous, line in zip(text.lines, text.lines[1:], strict=False):
        if previous.page != line.page or not _BIRTH_LINE.match(line.text) or title_types(line.text):
            continue  # `DOĞUM BELGESİ` is the title under a letterhead, not the line of a birth
        span = _name_after(previous.text, 0)
        if span is None or previous.text[span[1] :].strip(" ,"):
            continue  # the whole line must be the name
        name = person_name(previous.text[span[0] : span[1]])
        if name and not title_types(name) and not INSTITUTION_WORD.search(name):
            return Found(name, previous.start + span[0], previous.start + span[1], CERTAINTY * 0.9)
    return None


_BIRTH_CUE = re.compile(
    r"geboren|\bborn\b|народ(?:ився|илася|илась|ився\(лася\)|ження)|родил(?:ся|ась)|рождения|рожденн"
    r"|уроджен(?:ець|ка)|урожен(?:ец|ка)|do[gğ](?:an|du|umlu)|\bnative\s+of\b|مواليد|تولد|ولد"
    r"|\bgeb\.|\bDOB\b|р\.\s?н\.|г\.\s?р\.",
    re.IGNORECASE,
)
_BEFORE = 45  # characters a birth cue may stand before its date (`geboren am`, `народився`)
_AFTER = 70  # or after it (`am 12. März 1990 in Zeitz geboren`, `1990 року народження`)
# a place's one to three words: capitalised, a bracketed addition (`(Saale)`), or hyphenated (`ez-Zor`)
_PLACE_NEXT = r"\([^\W\d_]+\)|[^\W\d_]+-[^\W\d_][\w'’ʼ\-]*|[A-ZÀ-ÝА-ЯІЇЄҐİŞÇĞÖÜ][\w'’ʼ\-]*"
_PLACE_WORDS = r"((?:[^\W\d_][\w'’ʼ()\-]*)(?:\s+(?:" + _PLACE_NEXT + r")){0,2})"
_SETTLEMENT = r"(?:(?:м|г|с|смт|пгт|місто|город|city\s+of)\.?\s*)?"
_PLACE_AFTER_DATE = re.compile(
    r"^\s*(?:г\.|р\.|року|года)?\s*,?\s*(?:(?:in|at|im|zu|у|в|во)\s+)" + _SETTLEMENT + _PLACE_WORDS
)
_PLACE_AFTER_NATIVE = re.compile(
    r"(?:уроджен(?:ець|ка)|урожен(?:ец|ка)|native\s+of|geboren\s+in|born\s+(?:in|at))\s+" + _SETTLEMENT + _PLACE_WORDS
)
_PLACE_TURKISH = re.compile(r"^\s*tarihinde\s+" + _PLACE_WORDS + r"['’](?:[dt][ae]|n[dt][ae])\b")
_PLACE_STOP = re.compile(r"^(?:und|and|den|the|die|der|has|hat|was|is|son|daughter|Sohn|Tochter)$", re.I)


def _place_span(match: re.Match[str], offset: int) -> tuple[int, int]:
    start, end = offset + match.start(1), offset + match.end(1)
    words = match.group(1).split()
    while words and _PLACE_STOP.match(words[-1]):  # `Zeitz und` : the place ends before the conjunction
        end -= len(words.pop()) + 1
    return start, end


_SENTENCE_END = re.compile(r"\.\s+(?=[A-ZÀ-ÝА-ЯІЇЄҐ])")  # a sentence ends at a dot before a capital; `р.н.,` goes on


def birth_in_sentence(text: DocumentText) -> dict[str, Found]:
    """The birth date beside the first birth cue of the text, and the place the sentence gives with it."""
    from classifiers.certificate import place

    flat = text.text.replace("\n", " ").replace("\f", " ")
    out: dict[str, Found] = {}
    for iso, start, end in find_dates(flat):
        before = flat[max(0, start - _BEFORE) : start]
        after = flat[end : end + _AFTER]
        if not _BIRTH_CUE.search(before) and not _BIRTH_CUE.search(_SENTENCE_END.split(after)[0]):
            continue
        # a cue right before the date is its own; one after it must not be another date's (`… am 12.03.2020`)
        out["birth_date"] = Found(iso, start, end, CERTAINTY)
        located = _PLACE_AFTER_DATE.match(after) or _PLACE_TURKISH.match(after)
        span = _place_span(located, end) if located else None
        if span is None:
            native = _PLACE_AFTER_NATIVE.search(flat, max(0, start - _BEFORE), end + _AFTER)
            span = _place_span(native, 0) if native else None
        if span is not None:
            value = place(re.sub(r"(?<=-)\s+", "", flat[span[0] : span[1]]))  # `Mazar-i-` / `Sharif`
            if value and _capitalised(value.split()[0]) and not title_types(value):
                out["birth_place"] = Found(value, span[0], span[1], CERTAINTY)
        break
    return out


_SENTENCE_WORDS = re.compile(
    r"\b(?:dass|that|що|что|hat|has|ist|is|was|wurde|haben|were|who|which|die\s+Ehe|mit|bei|vor\s+dem|dieser|this)\b"
    r"|[.:;]\s*$",
    re.IGNORECASE,
)
_CONNECTORS = frozenset(
    [
        "der",
        "des",
        "die",
        "den",
        "dem",
        "für",
        "am",
        "an",
        "of",
        "the",
        "and",
        "for",
        "in",
        "de",
        "la",
        "du",
        "у",
        "м.",
        "г.",
        "м",
        "г",
        "с.",
        "№",
        "nr.",
        "no.",
        "-",
        "–",
        "·",
        ",",
        "&",
        "und",
    ]
)
_TOP = 0.18  # the share of the first page a letterhead is printed in
_SIGNER = re.compile(
    r"Standesbeamt|Leiter|Leiterin|Auftrag|Präsident|Rektor|Dekan|Direktor|Schulleit|Registrar|Director|Dean"
    r"|Head|Rector|Principal|President|Начальник|Директор|Ректор|Керівник|Завідувач|Müdür|Rektör|Dekan|Başkan"
    r"|مدير|رئيس|عميد|رئیس",
    re.IGNORECASE,
)


_DOCUMENT_WORDS = re.compile(
    r"Certificate|Diploma|Zeugnis|Urkunde|Bescheinigung|Свідоцтво|Диплом|Атестат|Аттестат|Свидетельство|Справка"
    r"|Довідка|Belge|Diploması|Cüzdanı|شهادة|گواهی",
    re.IGNORECASE,
)
_LATIN_LETTER = re.compile(r"[A-Za-zÀ-ɏ]")


def _institution_name(words: str) -> bool:
    """Whether a line reads as an institution's name: an institution word among its first four words, not a
    sentence, not the document's title, and (in Latin script) mostly capitalised words."""
    tokens = words.split()
    if not 6 <= len(words) <= 90 or not INSTITUTION.search(" ".join(tokens[:4])) or _SENTENCE_WORDS.search(words):
        return False
    if (title_types(words) and _DOCUMENT_WORDS.search(words)) or sum(ch.isdigit() for ch in words) > 3:
        return False
    content = [t for t in tokens if t.lower() not in _CONNECTORS]
    lower = sum(1 for t in content if t[:1].islower() and _LATIN_LETTER.match(t[:1]))
    return bool(content) and lower <= max(1, len(content) // 3)


def issuing_body(text: DocumentText) -> Found | None:
    """The issuer where a reader looks for it without a label: a letterhead line naming an institution at
    the top of the first page, else the institution named in the closing block under a signer's title."""
    from classifiers.certificate import GENERAL_BODY, NORMALISERS

    if not text.lines:
        return None
    first = text.lines[0].page
    top: list[tuple[float, Found]] = []
    closing: list[tuple[float, Found]] = []
    signers: list[float] = []
    for line in text.lines:
        for group in groups(line):
            words = group_text(group)
            y = min(e[2].bbox.y0 for e in group)
            if _SIGNER.search(words) and len(words) < 40:
                signers.append(y)
            if not _institution_name(words):
                continue
            value = NORMALISERS["issuing_authority"](words)
            if not isinstance(value, str):
                continue
            found = Found(value, group[0][0], group[-1][1], CERTAINTY, tuple(e[2] for e in group))
            if line.page == first and y < _TOP:
                top.append((y, found))
            else:
                closing.append((y, found))
    specific = [(y, f) for y, f in top if not GENERAL_BODY.search(str(f.value))]
    if specific or top:
        # a letterhead in two scripts names the body in Latin letters too: the e-file records that spelling
        pool = specific or top
        return min([(y, f) for y, f in pool if is_latin(str(f.value))] or pool, key=lambda item: item[0])[1]
    under = [(y, f) for y, f in closing if any(0 < y - s < 0.06 for s in signers)]
    if under:
        return min(under, key=lambda item: item[0])[1]
    low = [(y, f) for y, f in closing if y > 0.55]
    return replace_certainty(max(low, key=lambda item: item[0])[1], 0.85) if low else None


def replace_certainty(found: Found, factor: float) -> Found:
    return Found(found.value, found.start, found.end, found.certainty * factor, found.words)


_CLOSING_LINE = re.compile(r"^\s*(?:[^\W\d_]{1,4}\.\s*)?[^\W\d_][^\d,\n]{1,38},\s*(?:den\s+|the\s+|am\s+)?(?=\S)")


_DATE_TAIL = re.compile(r"[\s.,]*(?:р|г|року|года|yılı)?[\s.,]*")


# A day set in quotes (`«12» березня 2021 р.`, the way Ukrainian and Russian forms print it)
_QUOTED_DAY = re.compile(r"[«\"“„](\s*\d{1,2}\s*)[»\"”“]")
# A date's twin in brackets after it: `3 May 2021 (03.05.2021)`, `3 May 2021 (1400/02/13)`, `12 березня 2021 р. (…)`
_TWIN_BETWEEN = re.compile(_DATE_TAIL.pattern + r"[(\[]\s*")
_TWIN_TAIL = re.compile(r"\s*[)\]][\s.,]*")


def _one_date(rest: str) -> tuple[str, int, int] | None:
    """The date the rest of a closing line is: one date, or one date and its twin in brackets (the digits under
    words, or another calendar's reckoning of the same day), all of it naming the same day."""
    dates = find_dates(rest)
    if not dates or len({iso for iso, _, _ in dates}) != 1 or len(dates) > 2:
        return None
    if len(dates) == 1:
        return dates[0] if _DATE_TAIL.fullmatch(rest[dates[0][2] :]) else None
    (iso, start, end), (_, twin_start, twin_end) = dates
    between, tail = rest[end:twin_start], rest[twin_end:]
    if not (_TWIN_BETWEEN.fullmatch(between) and _TWIN_TAIL.fullmatch(tail)):
        return None
    return iso, start, end


def closing_line_date(text: DocumentText) -> Found | None:
    """The date of the last closing line `<Ort>, <Datum>` in digits or words (`г. Самара, 5 ноября 2008 года`,
    `Zeitz, den 3. Mai 2021`, `м. Київ, «12» березня 2021 р.`): the whole rest of the line is the date, or the
    date and its twin in brackets."""
    best = None
    for line in text.lines:
        match = _CLOSING_LINE.match(line.text)
        if not match:
            continue
        rest = _QUOTED_DAY.sub(lambda m: f" {m.group(1)} ", line.text[match.end() :])  # same length: offsets hold
        date = _one_date(rest)
        if date is not None:
            iso, start, end = date
            offset = line.start + match.end()
            best = Found(iso, offset + start, offset + end, CERTAINTY)
    return best


_PLACE_GROUP = re.compile(
    r"^(?:(?:м|г|с|смт|m)\.\s*)?[A-ZÀ-ÝА-ЯІЇЄҐİŞÇĞÖÜ][\w'’ʼ\-]+(?:\s+\([^\W\d_]+\)|\s+[A-ZÀ-ÝА-ЯІЇЄҐ][\w'’ʼ\-]+)?$"
)
_CLOSING_TOP = 0.45  # the closing block stands in the lower part of the page


def _date_group(words: str) -> tuple[str, int, int] | None:
    """The one date a column's words are, whole (`12 березня 2021 р.`, `12.03.2021`)."""
    dates = find_dates(words)
    if len(dates) != 1 or words[: dates[0][1]].strip(" ,") or not _DATE_TAIL.fullmatch(words[dates[0][2] :]):
        return None
    return dates[0]


def _across(text: DocumentText, page: int, group: list[tuple[int, int, Word]]) -> list[tuple[int, int, Word]]:
    """The words right of `group` across a wide gap, on its row (their centres within its height)."""
    top = min(e[2].bbox.y0 for e in group)
    bottom = max(e[2].bbox.y1 for e in group)
    right = max(e[2].bbox.x1 for e in group)
    row = [
        e
        for e in text.page_words(page)
        if top <= (e[2].bbox.y0 + e[2].bbox.y1) / 2 <= bottom and e[2].bbox.x0 > right + 0.06
    ]
    return sorted(row, key=lambda e: e[2].bbox.x0)


def place_beside_date(text: DocumentText, birth: object = None) -> Found | None:
    """The issue date of a closing block that sets the place and the date apart instead of `<Ort>, <Datum>`:
    the place at the left and the date across a gap on its row (`м. Київ  ...  12 березня 2021 р.`), the date
    on the line right under the place, or the date before the place (`12.03.2021, м. Київ`). The lowest such
    block in the lower part of the page; never the birth date."""
    born = getattr(birth, "value", None)
    best: Found | None = None
    lines = text.lines
    for index, line in enumerate(lines):
        parts = groups(line)
        if not parts or min(e[2].bbox.y0 for e in parts[0]) < _CLOSING_TOP:
            continue
        candidates: list[tuple[list[tuple[int, int, Word]], int]] = []
        first = group_text(parts[0])
        if _PLACE_GROUP.match(first) and not is_label(first):
            if len(parts) == 2:
                candidates.append((parts[1], 0))  # the date across the gap
            elif len(parts) == 1:
                across = _across(text, line.page, parts[0])
                if across:
                    candidates.append((across, 0))  # the same, read by OCR as a line of its own
            nxt = lines[index + 1] if index + 1 < len(lines) else None
            if len(parts) == 1 and nxt is not None and nxt.page == line.page:
                below = groups(nxt)[0]
                if abs(below[0][2].bbox.x0 - parts[0][0][2].bbox.x0) < 0.03:
                    candidates.append((below, 0))  # the date on the line under the place
        elif len(parts) == 1 and "," in first:
            head, _, tail = first.partition(",")
            if _PLACE_GROUP.match(tail.strip()):
                candidates.append((parts[0], len(first) - len(head)))  # `12.03.2021, м. Київ`
        for group, cut in candidates:
            words = group_text(group)
            words = words[: len(words) - cut] if cut else words
            date = _date_group(words)
            if date is not None and date[0] != born:
                best = Found(date[0], group[0][0] + date[1], group[0][0] + date[2], CERTAINTY * 0.9)
    return best


# A series-and-number line without a Roman numeral (`Серія ВА № 12345678`, `Seri AB No 123456`).
_SERIES_LINE = re.compile(rf"(?:{SERIES_WORD})\s*:?\s*([A-ZА-ЯІЇЄ]{{1,3}})\s*(?:{NUMERO}|N[°º])\.?\s*(\d{{5,10}})\b")
# A number after a labelled `No.`/`Nr.` whose label word the label tables lack (`Sıra No:`, OCR'd `Stra No`,
# `Diploma No.`, `Zeugnis-Nr.`): the label word is one of a certificate's own words.
_NUMBER_LINE = re.compile(
    r"(?:S[ıi1tl]ra|Belge|Kay[ıi]t|Diplom[a]?|Zeugnis|Urkunde[n]?|Register|Reg|Certificate|Registration|Serial"
    r"|Document|Record|Entry|Eintrag|Регістраційний|Реєстраційний|Регистрационный|Бланк)\.?[\s-]*"
    r"(?:No|Nr|Nummer|number|Number|№|номер)\.?\s*:?\s*([A-Z]{0,3}[\s-]?\d[\d/\- ]{2,18}\d)\b",
    re.IGNORECASE,
)


# A diploma's series and number alone on a line (`ВА № 12345678`), with no `Серія` before it.
_BARE_SERIES_LINE = re.compile(rf"^\s*([A-ZА-ЯІЇЄ]{{2}})\s*(?:{NUMERO})\.?\s*(\d{{6,10}})\s*$", re.MULTILINE)


def number_line(text: DocumentText) -> Found | None:
    """A certificate's number from a series line without a Roman numeral (the word `Серія` printed or not),
    else from a `<word> No.` line."""
    series = _SERIES_LINE.search(text.text) or _BARE_SERIES_LINE.search(text.text)
    if series is not None:
        printed = cyrillic_series(f"{series.group(1)} {series.group(2)}", text.text)
        return Found(printed, series.start(1), series.end(2), CERTAINTY)
    labelled = _NUMBER_LINE.search(text.text)
    value = certificate_number(labelled.group(1)) if labelled else None
    return Found(value, labelled.start(1), labelled.end(1), CERTAINTY) if labelled and value else None


# `IIchenko`, `IIlia`: a capital I and a small l OCR read as two capitals; no name starts with two I's.
_DOUBLE_I_NAME = re.compile(r"(?<![\w'’ʼ-])II(?=[a-zа-я])")
_SMALL_L_NAME = re.compile(r"(?<![\w'’ʼ-])l(?=[a-z]{2})")


def name_as_printed(name: str, turkish: bool = False) -> str:
    """A name with the slips every reader of it makes undone: the Ukrainian apostrophe however OCR read it, a
    name word starting with a small `l`, which is a capital `I` OCR read wrongly (`lakov`, `lryna`): no name
    starts with a small letter; and `IIchenko` for `Ilchenko`. Then given names before the surname, as dach
    records a name (`surname_last`)."""
    printed = _DOUBLE_I_NAME.sub("Il", _SMALL_L_NAME.sub("I", normalise_name(name) or name))
    # `KOVALENKO Olena Petrivna` read by a reader that keeps the patronymic: Olena Kovalenko
    return without_patronymic(surname_last(printed, turkish))


_CAPITALS = re.compile(r"^[^\W\d_]{2,}(?:[-'’ʼ][^\W\d_]+)*$")


def _capitals(word: str) -> bool:
    return bool(_CAPITALS.match(word)) and word.isupper()


_TURKISH_CAPITALS = re.compile(r"(?<!\w)[A-ZÇĞÖŞÜ]*İ[A-ZÇĞİÖŞÜ]*(?!\w)")
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")


def prints_turkish_capitals(text: str) -> bool:
    """Whether a page prints Turkish in capitals (a word with the dotted capital İ, `LİSANS`, `BİLGİN`) and no
    Cyrillic: its capital I is then a dotless ı in a name written in small letters."""
    return any(len(m.group(0)) >= 3 for m in _TURKISH_CAPITALS.finditer(text)) and not _CYRILLIC_LETTER.search(text)


def surname_last(name: str, turkish: bool = False) -> str:
    """A name whose surname is printed in capitals beside given names that are not (the registers' and the
    zone's convention: `GALKIN Ostromir`, `Ahsen MANSIZ`): given names first, the surname last and in the
    case a name is written. A name all in capitals, or in none, or with a comma, stays as it is."""
    words = name.split()
    capitals = [_capitals(w) for w in words]
    if "," in name or len(words) < 2 or all(capitals) or not any(capitals):
        return name
    if capitals[0] and not any(capitals[1:]):
        words = words[1:] + words[:1]  # `GALKIN Ostromir` is Ostromir Galkin
    elif not (capitals[-1] and not any(capitals[:-1])):
        return name
    return " ".join(title_case(w, turkish) if _capitals(w) else w for w in words)


_LATIN_PAGE = 0.3  # share of a page's letters in Latin script from which it prints a Latin block
_UNTWINNED = 0.45  # below the review line: a Cyrillic reading whose Latin twin the page prints but OCR lost


_SAME_PERSON = 95.0  # a holder's name this alike to a parent's, spouse's or official's is theirs (one letter off)
_LABELLED = 0.85  # a field read this surely came from a certificate label's own row, not from a bare `in`


def latin_authority_under(text: DocumentText, authority: ExtractedField) -> Found | None:
    """The Latin name of a body printed on the line right under its name in the original script (the value
    printed twice, a translation under the original): an institution's name, not a label."""
    if authority.page is None or authority.bbox is None:
        return None
    under = row_under(text, authority.page, authority.bbox, authority.confidence)
    raw = latin_words(str(under.value)) if under is not None else ""  # `City Council ої Mariupol`
    if under is None or not is_latin(raw) or is_label(raw) or not INSTITUTION.search(raw):
        return None
    value = NORMALISERS["issuing_authority"](raw)
    if not isinstance(value, str):
        return None
    return Found(value, under.start, under.end, authority.confidence, under.words)


def complete_certificate(text: DocumentText, found: FieldSet) -> FieldSet:
    """Add the fields a certificate states in sentences, its letterhead or its closing block, where the
    label/value readers found none."""
    spans = extra_label_spans(text)
    for field in EXTRA_LABELS:
        if field not in found.fields:
            found.put(field, labelled(text, field, spans))
    # captions in wordings no table lists, before the weaker cues below; a number after the series line
    complete_from_captions(text, found, skip=("certificate_number",))
    current = found.fields.get("person_name")
    if current is None or current.confidence < FIELD_REVIEW_CONFIDENCE:
        # name rows whose labels OCR garbled, before a sentence's cue; a reading too unsure to keep gives way
        rows = holder_from_name_rows(text)
        if rows is not None:
            found.put("person_name", rows)
    if "person_name" not in found.fields:
        found.put("person_name", holder_in_sentence(text))
    if "person_name" not in found.fields:
        found.put("person_name", holder_by_type_size(text))  # a diploma's name set large, without a label
    born = birth_in_sentence(text)
    for field in ("birth_date", "birth_place"):
        if field not in found.fields:
            found.put(field, born.get(field))
    current, sentence = found.fields.get("birth_place"), born.get("birth_place")
    date = found.fields.get("birth_date")
    if (
        current is not None
        and sentence is not None
        and current.value != sentence.value
        and current.confidence < _LABELLED
        and date is not None
        and date.value == born["birth_date"].value
    ):
        # a place taken after a bare `in` (`Directorate of Education in Basra`, `Bachelor of Science in
        # Economics`) gives way to the one the birth sentence couples with the birth date
        found.put("birth_place", sentence)
    if "issuing_authority" not in found.fields:
        found.put("issuing_authority", issuing_body(text))
    if "issue_date" not in found.fields:
        birth = found.fields.get("birth_date")
        found.put(
            "issue_date",
            closing_line_date(text)
            or place_beside_date(text, birth)
            or cut_year_date(text, birth)
            or lone_other_date(text, birth),
        )
    if "birth_date" not in found.fields:
        found.put("birth_date", lone_earlier_date(text, found.fields.get("issue_date")))
    if "certificate_number" not in found.fields:
        found.put("certificate_number", number_line(text))
    complete_from_captions(text, found)
    for field in ("person_name", "birth_place"):
        current = found.fields.get(field)
        if current is not None and isinstance(current.value, str) and not is_latin(current.value):
            # whichever reader found a Cyrillic name or place, a Latin block that spells it is what the e-file
            # records
            twin = latin_twin(text, Found(current.value, 0, 0, current.confidence), field)
            found.put(field, replace_certainty(twin, min(1.0, current.confidence / twin.certainty)) if twin else None)
            spelt = scheme_spelling(text, current.value) if twin is None and field == "person_name" else None
            if spelt is not None and latin_share(text.text) >= _LATIN_PAGE:
                # the page spells its other Cyrillic words by a scheme, and its Latin line of the name was lost to
                # OCR: the name spelt by that scheme, which a clerk confirms
                confidence = min(current.confidence, _UNTWINNED)
                found.fields[field] = current.model_copy(update={"value": spelt, "confidence": confidence})
                found.notes.append(f"{field} spelt in Latin letters by the page's scheme; please check it")
                continue
            if twin is None and latin_share(text.text) >= _LATIN_PAGE and current.confidence >= FIELD_REVIEW_CONFIDENCE:
                # a page half in Latin letters spells it in Latin somewhere OCR did not read: a clerk should see it
                found.fields[field] = current.model_copy(update={"confidence": _UNTWINNED})
                found.notes.append(f"{field} read only in the original script; please check its Latin spelling")
    mend_from_original(text, found)
    authority = found.fields.get("issuing_authority")
    if authority is not None and isinstance(authority.value, str) and not is_latin(authority.value):
        twin = latin_authority_under(text, authority)
        if twin is not None:
            found.put("issuing_authority", twin)
            authority = found.fields.get("issuing_authority")
    if (
        authority is not None
        and isinstance(authority.value, str)
        and not is_latin(authority.value)
        and latin_share(text.text) >= _LATIN_PAGE
        and authority.confidence >= FIELD_REVIEW_CONFIDENCE
    ):
        # a body named in its own script on a page with a Latin block: the block names it in Latin letters too
        # (a translation, not a transliteration, so no twin is looked for), where OCR did not read it
        found.fields["issuing_authority"] = authority.model_copy(update={"confidence": _UNTWINNED})
        found.notes.append("issuing_authority read only in the original script; please check its Latin name")
    name = found.fields.get("person_name")
    if name is not None and isinstance(name.value, str):
        turkish = prints_turkish_capitals(text.text)
        found.fields["person_name"] = name.model_copy(update={"value": name_as_printed(name.value, turkish)})
    name = found.fields.get("person_name")
    if name is not None and isinstance(name.value, str) and name.confidence >= FIELD_REVIEW_CONFIDENCE:
        holder = Found(name.value, 0, 0, name.confidence)
        others = [Found(other, 0, 0, 1.0) for other in other_persons_names(text)]
        if any(spells_same_name(holder, other, both_ways=True, likeness=_SAME_PERSON) for other in others):
            # the name a parent, spouse or official is printed with: whichever reader took it, a clerk should see
            found.fields["person_name"] = name.model_copy(update={"confidence": _UNTWINNED})
            found.notes.append("person_name is also printed as a parent's, spouse's or official's name; please check")
    number = found.fields.get("certificate_number")
    if number is not None and isinstance(number.value, str):
        # whichever reader found it, a Ukrainian or Russian series is Cyrillic letters after a Roman numeral
        series = cyrillic_series(number.value, text.text)
        found.fields["certificate_number"] = number.model_copy(update={"value": series})
    mend_marks(found.fields, text.pages)
    found.notes[:] = [n for n in found.notes if not any(n.startswith(f"{f} not found") for f in found.fields)]
    return found


# --- captions read by their words (classifiers.certificate_captions finds them; their values are found here,
# beside the certificate readers they share normalisers with) ---


def caption_value(text: DocumentText, field: str, spans: list[tuple[int, int]]) -> Found | None:
    """The value of the first caption of `field` that has one by geometry."""
    for start, end in spans:
        rtl = bool(re.search(r"[\u0600-\u06ff]", text.text[start:end]))
        found = value_near(
            text, start, end, NORMALISERS[field], is_label, rtl=rtl, certainty=CAPTION_CERTAINTY, caption_under=True
        )
        if found is not None and field in ("person_name", "birth_place"):
            # a Cyrillic value with its Latin transliteration printed under it: the e-file records the Latin
            twin = latin_twin(text, found, field)
            found = (
                Found(twin.value, twin.start, twin.end, CAPTION_CERTAINTY, twin.words) if twin is not None else found
            )
        if found is not None:
            return found
    return None


def complete_from_captions(text: DocumentText, found: FieldSet, skip: tuple[str, ...] = ()) -> FieldSet:
    """Fill the certificate fields still missing (but those in `skip`) from captions read by their words."""
    missing = [f for f in CAPTION_FIELDS if f not in found.fields and f not in skip]
    if not missing:
        return found
    spans = captioned(text)
    # a name caption with a role word (`Mother's full name`) asks for someone else
    spans["person_name"] = [s for s in spans.get("person_name", []) if not names_another_person(text, *s)]
    for field in missing:
        found.put(field, caption_value(text, field, spans.get(field, [])))
    return found
