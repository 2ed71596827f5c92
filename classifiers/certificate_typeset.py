"""The holder of a certificate known by how the name is set rather than by a label (issue 17).

Diplomas, school certificates and many civil-status certificates print the holder's name without any label,
in type clearly larger than the text around it, often the surname on one line and the given names (with a
patronymic) on the line below, and on bilingual sheets once per language half (`Блинова` / `Ксения Левовна`
beside `BLINOVA` / `Kseniia`). This reader finds those lines by their type size and shape: one to three name
words, no digits, no label, no title, no institution. It only fills a name no label, row or sentence gave,
below the certainty of those readings. Likewise the surname / given name / patronymic rows of a form whose
labels OCR garbled (`нее. «Павличенко` / `и Анжела |` / `побатькові nen «Яківівна`), known by their shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from classifiers.certificate import INSTITUTION_WORD, PATRONYMIC, is_label, is_latin, person_name
from classifiers.cues import title_types
from classifiers.extract import Found, group_text, groups
from classifiers.geometry import type_size
from classifiers.keyvalue import KEY_VALUE_LABELS
from classifiers.text import DocumentText, Line
from schemas.documents import Word

CERTAINTY = 0.6  # a name known by its type alone: as sure as name rows known by their shape
LARGER = 1.3  # a holder's name is set this much larger than the page's body text at least
_BELOW = 2.0  # most the given-name line starts under the surname line, in the surname line's heights
_CENTRES_APART = 0.12  # most the centres of a surname line and its given-name line may differ (page width)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-zÀ-ɏ]")
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’ʼ\-]*(?:[-'’ʼ][^\W\d_]+)*$")
_DOCUMENT_WORDS = re.compile(
    r"Certificate|Diplom|Zeugnis|Urkunde|Bescheinigung|Свідоцтво|Диплом|Атестат|Аттестат|Свидетельство|Довідка"
    r"|Справка|Belge|Diploması|Bakalavr|Bachelor|Master|Бакалавр|Магістр|Магистр|شهادة|گواهی",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Unit:
    """The words of one line on one side of a wide gap (a bilingual sheet's halves OCR read as one line)."""

    text: str
    start: int
    end: int
    words: tuple[Word, ...]

    @property
    def size(self) -> float:
        return median(type_size(w) for w in self.words)

    @property
    def top(self) -> float:
        return min(w.bbox.y0 for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bbox.y1 for w in self.words)

    @property
    def centre(self) -> float:
        return (min(w.bbox.x0 for w in self.words) + max(w.bbox.x1 for w in self.words)) / 2


def _units(lines: list[Line]) -> list[_Unit]:
    return [
        _Unit(group_text(group), group[0][0], group[-1][1], tuple(e[2] for e in group))
        for line in lines
        for group in groups(line)
    ]


def _name_unit(unit: _Unit) -> bool:
    words = [w.text.strip(",.") for w in unit.words]
    if not 1 <= len(words) <= 3 or not all(_NAME_WORD.match(w) and len(w) >= 2 for w in words):
        return False
    text = " ".join(words)
    if not all(w[:1].isupper() for w in words) or (_CYRILLIC.search(text) and _LATIN.search(text)):
        return False
    return not (is_label(text) or title_types(text) or INSTITUTION_WORD.search(text) or _DOCUMENT_WORDS.search(text))


def _beside_title(unit: _Unit, titles: list[_Unit]) -> bool:
    """Whether a line in capitals is set right above or under the document's title and centred with it: the
    title in the other language (`NÜFUS KAYIT ÖRNEĞİ` over `GEBURTSURKUNDE`), not a name."""
    if not unit.text.isupper():
        return False
    height = unit.bottom - unit.top
    return any(
        abs(unit.centre - t.centre) <= _CENTRES_APART
        and min(abs(t.top - unit.bottom), abs(unit.top - t.bottom)) <= _BELOW * height
        for t in titles
        if t is not unit
    )


def holder_by_type_size(text: DocumentText) -> Found | None:
    """The holder's name set large without a label: a surname over given names of the same size and centre on
    the next line, or two or three name words on one line; a Latin one where the sheet prints one."""
    if not text.lines:
        return None
    page = text.lines[0].page
    units = _units([line for line in text.lines if line.page == page and line.words])
    body = median(type_size(w) for unit in units for w in unit.words)
    titles = [u for u in units if title_types(u.text)]
    large = [u for u in units if u.size >= LARGER * body and _name_unit(u) and not _beside_title(u, titles)]
    found: list[Found] = []
    taken: set[int] = set()
    for upper in large:
        if id(upper) in taken:
            continue
        lower = next(
            (
                u
                for u in large
                if 0 <= u.top - upper.bottom <= _BELOW * (upper.bottom - upper.top)
                and abs(u.centre - upper.centre) <= _CENTRES_APART
                and is_latin(u.text) == is_latin(upper.text)
            ),
            None,
        )
        if lower is not None and len(upper.words) == 1:
            name = person_name(f"{lower.text} {upper.text}")  # given names (and patronymic), then the surname
            taken |= {id(upper), id(lower)}
            start, end, words = upper.start, lower.end, upper.words + lower.words
        elif len(upper.words) >= 2 and not (len(upper.words) == 2 and PATRONYMIC.search(upper.text)):
            # (`Дан Мирославович` is the given-name line of a surname OCR lost, not a whole name)
            name = person_name(upper.text)
            taken.add(id(upper))
            start, end, words = upper.start, upper.end, upper.words
        else:
            continue
        if name:
            found.append(Found(name, start, end, CERTAINTY, words))
    latin = [f for f in found if isinstance(f.value, str) and is_latin(f.value)]
    return next(iter(latin or found), None)


# A name word of a row whose label and leaders OCR garbled: capitalised, then small letters (`Остромир`, not
# the label `ИМЯ` or the leader junk `нн`, `anne`).
_ROW_NAME = re.compile(r"^[А-ЯІЇЄҐ][а-яіїєґ'’ʼ\-]{2,}$|^[A-ZÀ-ÝŞÇĞÖÜ][a-zß-ÿşçğıöü'’\-]{2,}$")
_ROW_PUNCTUATION = "«»\"'„“”|.,:;_()[]"


_SQUEEZE = re.compile(r"[\W_]+")
_ROW_LABELS = {
    _SQUEEZE.sub("", label.lower()): field
    for field in ("surname", "given", "patronymic")
    for label in KEY_VALUE_LABELS[field]
    if _SQUEEZE.sub("", label.lower())
}


def _row_label(line: Line, value_start: int) -> str | None:
    """The name row a line's words before its value label, where they read as a label of the table."""
    before = [w.text for s, _, w in line.words if s < value_start]
    return next((_ROW_LABELS.get(_SQUEEZE.sub("", " ".join(before[:n]).lower())) for n in (2, 1) if before), None)


def _row_value(line: Line) -> tuple[str, int, int, Word] | None:
    """The one name word of a name row after its label (`Фамилия ...... нн Гуляева ||` → `Гуляева`), or the
    line's only word; None where the row holds none or two."""
    entries = [(s, e, w, w.text.strip(_ROW_PUNCTUATION)) for s, e, w in line.words]
    entries = [x for x in entries if x[3]]
    names = [x for i, x in enumerate(entries) if _ROW_NAME.match(x[3]) and (i > 0 or len(entries) == 1)]
    if len(names) != 1:
        return None
    start, end, word, value = names[0]
    return value, start, end, word


def holder_from_name_rows(text: DocumentText) -> Found | None:
    """The holder's `Given Surname` from three rows surname / given name / patronymic whose labels OCR garbled
    (`нее. «Павличенко` / `и Анжела |` / `побатькові nen «Яківівна`): the first three consecutive lines that
    each hold one name word after their label, in one script, the last a patronymic. A parent's line
    (`Гуляева Любосмысл Маркович`) holds three name words and is no such row."""
    lines = text.lines
    for first, second, third in zip(lines, lines[1:], lines[2:], strict=False):
        if not first.page == second.page == third.page:
            continue
        rows = [row for row in map(_row_value, (first, second, third)) if row is not None]
        if len(rows) != 3:
            continue
        (surname, s_start, _, s_word), (given, g_start, _, g_word), (patronymic, p_start, p_end, _) = rows
        labelled_as = (
            _row_label(first, s_start) in (None, "surname"),
            _row_label(second, g_start) in (None, "given"),
            _row_label(third, p_start) in (None, "patronymic"),
        )
        if not all(labelled_as):
            continue  # a row the table labels as another part of the name (`Ім'я Лілія` is no surname row)
        scripts = {is_latin(v) for v in (surname, given, patronymic)}
        if len(scripts) != 1 or not PATRONYMIC.search(patronymic) or PATRONYMIC.search(given):
            continue
        if any(is_label(v) for v in (surname, given)):
            continue
        return Found(f"{given} {surname}", s_start, p_end, ROW_CERTAINTY, (s_word, g_word))
    return None


ROW_CERTAINTY = 0.6  # rows known by their shape alone, labels unread: below the readings of a label
